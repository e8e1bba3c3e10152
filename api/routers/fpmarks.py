"""False-positive marks on hits (training reads them as labels)."""
from __future__ import annotations

import time
from datetime import datetime, timezone
from typing import Optional

from fastapi import APIRouter, Depends, Path, Request, Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from api import analytics
from api.auth import READERS, WRITERS, Principal, db_session, require
from api.models import FpMark
from api.problems import ProblemError, responses
from api.query import CURSOR_QUERY, decode_cursor, encode_cursor, page_limit
from api.schemas import FpMarkIn, FpMarkOut, Page

router = APIRouter(prefix="/v1", tags=["false positives"], responses=responses(400, 401, 403, 422, 429))
HIT_ID = Path(max_length=160, pattern=r"^[^:]{1,128}:[0-9]{1,5}$", description="`<transaction id>:<index>`",
              examples=["4be0c7f6a1d24e3f9c1b0a7d8e6f5a4b:0"])


def _out(m: FpMark) -> FpMarkOut:
    return FpMarkOut(hit_id=m.hit_id, transaction_id=m.transaction_id, comment=m.comment, created_at=m.created_at)


@router.put("/hits/{hit_id}/false-positive", response_model=FpMarkOut, responses=responses(404, 503),
            summary="Mark a hit as a false positive (idempotent)")
def mark(request: Request, body: FpMarkIn, hit_id: str = HIT_ID, who: Principal = Depends(require(*WRITERS)),
         session: Session = Depends(db_session)) -> FpMarkOut:
    event_id, idx = hit_id.rsplit(":", 1)
    if int(idx) > 65535 or analytics.hit(request.app.state.rampart.clickhouse, who.tenant, event_id, int(idx)) is None:
        raise ProblemError(404, "no such hit", "not-found")
    row = session.scalar(select(FpMark).where(FpMark.tenant_id == who.tenant_id, FpMark.hit_id == hit_id))
    if row is None:
        row = FpMark(tenant_id=who.tenant_id, hit_id=hit_id, transaction_id=event_id, created_by=who.token_id)
        session.add(row)
    row.comment = body.comment
    session.flush()
    _label(request, who.tenant, event_id, int(idx), "benign")
    return _out(row)


@router.delete("/hits/{hit_id}/false-positive", status_code=204, responses=responses(404),
               summary="Remove a false-positive mark")
def unmark(request: Request, hit_id: str = HIT_ID, who: Principal = Depends(require(*WRITERS)),
           session: Session = Depends(db_session)) -> Response:
    row = session.scalar(select(FpMark).where(FpMark.tenant_id == who.tenant_id, FpMark.hit_id == hit_id))
    if row is None:
        raise ProblemError(404, "hit is not marked", "not-found")
    session.delete(row)
    session.flush()
    event_id, idx = hit_id.rsplit(":", 1)
    _label(request, who.tenant, event_id, int(idx), "attack")
    return Response(status_code=204)


def _label(request: Request, tenant: str, event_id: str, idx: int, label: str) -> None:
    """Record the analyst's verdict in ClickHouse `labels`, where training reads it (newest per hit wins)."""
    now = time.time()
    request.app.state.rampart.clickhouse.insert(
        "INSERT INTO labels (tenant, event_id, idx, label, ts, source, date) VALUES",
        [(tenant, event_id, idx, label, now, "analyst", datetime.fromtimestamp(now, timezone.utc).date())])


@router.get("/false-positives", response_model=Page[FpMarkOut], summary="Every false-positive mark (training labels)")
def list_marks(who: Principal = Depends(require(*READERS)), session: Session = Depends(db_session),
               limit: int = Depends(page_limit), cursor: Optional[str] = CURSOR_QUERY) -> Page[FpMarkOut]:
    after = decode_cursor(cursor, (int,))
    q = select(FpMark).where(FpMark.tenant_id == who.tenant_id).order_by(FpMark.id).limit(limit + 1)
    if after is not None:
        q = q.where(FpMark.id > after[0])
    rows = list(session.scalars(q))
    nxt = encode_cursor([rows[limit - 1].id]) if len(rows) > limit else None
    return Page[FpMarkOut](items=[_out(m) for m in rows[:limit]], next_cursor=nxt)
