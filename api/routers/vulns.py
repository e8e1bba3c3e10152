"""Vulnerabilities found by the scanner, with the analyst's lifecycle: open → closed | false_positive."""
from __future__ import annotations

from typing import Optional

from fastapi import APIRouter, Depends, Path, Query, Request
from sqlalchemy import select
from sqlalchemy.orm import Session

from api import analytics
from api.auth import READERS, WRITERS, Principal, db_session, require
from api.models import VulnState, utcnow
from api.problems import ProblemError, responses
from api.query import CURSOR_QUERY, decode_cursor, encode_cursor, page_limit
from api.schemas import Page, Vulnerability, VulnerabilityUpdate

router = APIRouter(prefix="/v1/vulnerabilities", tags=["vulnerabilities"],
                   responses=responses(400, 401, 403, 422, 429, 503))
# Allowed moves of the lifecycle; reopening is how a regression is recorded.
TRANSITIONS = {"open": {"closed", "false_positive", "open"}, "closed": {"open", "closed"},
               "false_positive": {"open", "false_positive"}}


def _apply_states(session: Session, tenant_id: int, items: list[dict]) -> list[dict]:
    """The analyst's decision wins over the scanner's status unless the scanner reported again since."""
    ids = [v["id"] for v in items]
    if not ids:
        return items
    states = {s.vuln_id: s for s in session.scalars(
        select(VulnState).where(VulnState.tenant_id == tenant_id, VulnState.vuln_id.in_(ids)))}
    for v in items:
        st = states.get(v["id"])
        if st is not None and st.updated_at >= v["updated_at"]:
            v["status"], v["comment"] = st.state, st.comment
    return items


@router.get("", response_model=Page[Vulnerability], summary="Vulnerabilities of the tenant's resources")
def list_vulnerabilities(request: Request, who: Principal = Depends(require(*READERS)),
                         session: Session = Depends(db_session), limit: int = Depends(page_limit),
                         host: Optional[str] = Query(None, max_length=255),
                         status: Optional[str] = Query(None, pattern="^(open|closed|false_positive)$"),
                         cursor: Optional[str] = CURSOR_QUERY) -> Page[Vulnerability]:
    items, nxt = analytics.vulnerabilities(request.app.state.rampart.clickhouse, who.tenant, host, limit,
                                           decode_cursor(cursor, (str,)))
    items = _apply_states(session, who.tenant_id, items)
    if status is not None:  # filtered after merging states, so a page may hold fewer than `limit` items
        items = [v for v in items if v["status"] == status]
    return Page[Vulnerability](items=items, next_cursor=encode_cursor(nxt) if nxt else None)


def _get(request: Request, session: Session, who: Principal, vuln_id: str) -> dict:
    found = analytics.vulnerability(request.app.state.rampart.clickhouse, who.tenant, vuln_id)
    if found is None:
        raise ProblemError(404, "no such vulnerability", "not-found")
    return _apply_states(session, who.tenant_id, [found])[0]


@router.get("/{vuln_id}", response_model=Vulnerability, responses=responses(404), summary="One vulnerability")
def get_vulnerability(request: Request, vuln_id: str = Path(max_length=128),
                      who: Principal = Depends(require(*READERS)), session: Session = Depends(db_session)
                      ) -> Vulnerability:
    return Vulnerability(**_get(request, session, who, vuln_id))


@router.patch("/{vuln_id}", response_model=Vulnerability, responses=responses(404, 409),
              summary="Close, mark false positive, or reopen a vulnerability")
def update_vulnerability(request: Request, body: VulnerabilityUpdate, vuln_id: str = Path(max_length=128),
                         who: Principal = Depends(require(*WRITERS)), session: Session = Depends(db_session)
                         ) -> Vulnerability:
    current = _get(request, session, who, vuln_id)
    if body.status not in TRANSITIONS[current["status"]]:
        raise ProblemError(409, f"cannot move a vulnerability from {current['status']} to {body.status}", "conflict")
    row = session.scalar(select(VulnState).where(VulnState.tenant_id == who.tenant_id, VulnState.vuln_id == vuln_id))
    if row is None:
        row = VulnState(tenant_id=who.tenant_id, vuln_id=vuln_id)
        session.add(row)
    row.state, row.comment, row.updated_at = body.status, body.comment, utcnow()
    session.flush()
    current.update(status=body.status, comment=body.comment)
    return Vulnerability(**current)
