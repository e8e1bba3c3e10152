"""IP lists (deny, gray, allow) with per-entry expiry."""
from __future__ import annotations

from typing import Optional

from fastapi import APIRouter, Depends, Path, Query, Response
from sqlalchemy import or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from api import iplists
from api.auth import READERS, WRITERS, Principal, db_session, require
from api.models import IpListEntry, bump_config, utcnow
from api.problems import ProblemError, responses
from api.query import CURSOR_QUERY, decode_cursor, encode_cursor, page_limit
from api.schemas import IpEntryIn, IpEntryOut, IpEntryPatch, ListName, Page

router = APIRouter(prefix="/v1/ip-lists", tags=["ip lists"], responses=responses(400, 401, 403, 422, 429))
ENTRY_ID = Path(ge=1, le=2**62)


def _out(e: IpListEntry) -> IpEntryOut:
    return IpEntryOut(id=e.id, list=e.list, ip=iplists.display(e.network), reason=e.reason, expires_at=e.expires_at,
                      created_at=e.created_at, active=iplists.active(e))


def _get(session: Session, who: Principal, entry_id: int) -> IpListEntry:
    row = session.scalar(select(IpListEntry).where(IpListEntry.tenant_id == who.tenant_id, IpListEntry.id == entry_id))
    if row is None:
        raise ProblemError(404, "no such entry", "not-found")
    return row


@router.get("", response_model=Page[IpEntryOut], summary="Entries of the tenant's IP lists")
def list_entries(who: Principal = Depends(require(*READERS)), session: Session = Depends(db_session),
                 limit: int = Depends(page_limit), list: Optional[ListName] = None,
                 include_expired: bool = Query(False), cursor: Optional[str] = CURSOR_QUERY) -> Page[IpEntryOut]:
    after = decode_cursor(cursor, (int,))
    q = select(IpListEntry).where(IpListEntry.tenant_id == who.tenant_id).order_by(IpListEntry.id).limit(limit + 1)
    if list is not None:
        q = q.where(IpListEntry.list == list)
    if not include_expired:
        q = q.where(or_(IpListEntry.expires_at.is_(None), IpListEntry.expires_at > utcnow()))
    if after is not None:
        q = q.where(IpListEntry.id > after[0])
    rows = [*session.scalars(q)]
    return Page[IpEntryOut](items=[_out(e) for e in rows[:limit]],
                            next_cursor=encode_cursor([rows[limit - 1].id]) if len(rows) > limit else None)


@router.post("", response_model=IpEntryOut, status_code=201, responses=responses(409),
             summary="Add an address or network to a list")
def create_entry(body: IpEntryIn, who: Principal = Depends(require(*WRITERS)),
                 session: Session = Depends(db_session)) -> IpEntryOut:
    try:
        network = iplists.normalise(body.ip)
        expires = iplists.expiry(body.expires_at, body.ttl_seconds)
    except ValueError as exc:
        raise ProblemError(400, str(exc), "bad-ip-entry") from None
    row = session.scalar(select(IpListEntry).where(IpListEntry.tenant_id == who.tenant_id,
                                                   IpListEntry.list == body.list, IpListEntry.network == network))
    if row is not None and not iplists.active(row):  # an expired entry is renewed in place
        row.reason, row.expires_at, row.created_at = body.reason, expires, utcnow()
        session.flush()
        bump_config(session, who.tenant_id)
        return _out(row)
    row = IpListEntry(tenant_id=who.tenant_id, list=body.list, network=network, reason=body.reason,
                      expires_at=expires)
    session.add(row)
    try:
        session.flush()
        bump_config(session, who.tenant_id)
    except IntegrityError:
        raise ProblemError(409, f"{iplists.display(network)} is already on the {body.list} list", "conflict") from None
    return _out(row)


@router.get("/{entry_id}", response_model=IpEntryOut, responses=responses(404), summary="One entry")
def get_entry(entry_id: int = ENTRY_ID, who: Principal = Depends(require(*READERS)),
              session: Session = Depends(db_session)) -> IpEntryOut:
    return _out(_get(session, who, entry_id))


@router.patch("/{entry_id}", response_model=IpEntryOut, responses=responses(404),
              summary="Change an entry's reason or expiry")
def update_entry(body: IpEntryPatch, entry_id: int = ENTRY_ID, who: Principal = Depends(require(*WRITERS)),
                 session: Session = Depends(db_session)) -> IpEntryOut:
    row = _get(session, who, entry_id)
    if body.permanent and (body.expires_at is not None or body.ttl_seconds is not None):
        raise ProblemError(400, "permanent excludes expires_at and ttl_seconds", "bad-ip-entry")
    try:
        if body.permanent:
            row.expires_at = None
        elif body.expires_at is not None or body.ttl_seconds is not None:
            row.expires_at = iplists.expiry(body.expires_at, body.ttl_seconds)
    except ValueError as exc:
        raise ProblemError(400, str(exc), "bad-ip-entry") from None
    if body.reason is not None:
        row.reason = body.reason
    session.flush()
    bump_config(session, who.tenant_id)
    return _out(row)


@router.delete("/{entry_id}", status_code=204, responses=responses(404), summary="Remove an entry")
def delete_entry(entry_id: int = ENTRY_ID, who: Principal = Depends(require(*WRITERS)),
                 session: Session = Depends(db_session)) -> Response:
    session.delete(_get(session, who, entry_id))
    bump_config(session, who.tenant_id)
    return Response(status_code=204)
