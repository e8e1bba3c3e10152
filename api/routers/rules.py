"""Custom rules and virtual patches (CRUD), validated against the detection rule format before they are stored."""
from __future__ import annotations

from typing import Literal, Optional

from fastapi import APIRouter, Depends, Path, Response
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from api.auth import READERS, WRITERS, Principal, db_session, require
from api.models import Rule, bump_config
from api.problems import ProblemError, responses
from api.query import CURSOR_QUERY, decode_cursor, encode_cursor, page_limit
from api.rulespec import RuleSpecError, validate_spec
from api.schemas import Page, RuleIn, RuleOut, RulePatch

router = APIRouter(prefix="/v1/rules", tags=["rules"], responses=responses(400, 401, 403, 422, 429))
RULE_ID = Path(ge=1, le=2**62)


def _out(r: Rule) -> RuleOut:
    return RuleOut(id=r.id, name=r.name, kind=r.kind, enabled=r.enabled, description=r.description, spec=r.spec,
                   created_at=r.created_at, updated_at=r.updated_at)


def _checked(spec: dict, kind: str, name: str) -> dict:
    try:
        return validate_spec(spec, kind, name)
    except RuleSpecError as exc:
        raise ProblemError(422, f"invalid rule spec: {exc}", "invalid-rule") from None


def _get(session: Session, who: Principal, rule_id: int) -> Rule:
    row = session.scalar(select(Rule).where(Rule.tenant_id == who.tenant_id, Rule.id == rule_id))
    if row is None:
        raise ProblemError(404, "no such rule", "not-found")
    return row


@router.get("", response_model=Page[RuleOut], summary="Rules and virtual patches of the tenant")
def list_rules(who: Principal = Depends(require(*READERS)), session: Session = Depends(db_session),
               limit: int = Depends(page_limit), kind: Optional[Literal["rule", "vpatch"]] = None,
               cursor: Optional[str] = CURSOR_QUERY) -> Page[RuleOut]:
    after = decode_cursor(cursor, (int,))
    q = select(Rule).where(Rule.tenant_id == who.tenant_id).order_by(Rule.id).limit(limit + 1)
    if kind is not None:
        q = q.where(Rule.kind == kind)
    if after is not None:
        q = q.where(Rule.id > after[0])
    rows = list(session.scalars(q))
    return Page[RuleOut](items=[_out(r) for r in rows[:limit]],
                         next_cursor=encode_cursor([rows[limit - 1].id]) if len(rows) > limit else None)


@router.post("", response_model=RuleOut, status_code=201, responses=responses(409), summary="Create a rule")
def create_rule(body: RuleIn, who: Principal = Depends(require(*WRITERS)), session: Session = Depends(db_session)
                ) -> RuleOut:
    row = Rule(tenant_id=who.tenant_id, name=body.name, kind=body.kind, enabled=body.enabled,
               description=body.description, spec=_checked(body.spec, body.kind, body.name))
    session.add(row)
    try:
        session.flush()
        bump_config(session, who.tenant_id)
    except IntegrityError:
        raise ProblemError(409, f"a rule named {body.name!r} already exists", "conflict") from None
    return _out(row)


@router.get("/{rule_id}", response_model=RuleOut, responses=responses(404), summary="One rule")
def get_rule(rule_id: int = RULE_ID, who: Principal = Depends(require(*READERS)),
             session: Session = Depends(db_session)) -> RuleOut:
    return _out(_get(session, who, rule_id))


@router.patch("/{rule_id}", response_model=RuleOut, responses=responses(404), summary="Change a rule")
def update_rule(body: RulePatch, rule_id: int = RULE_ID, who: Principal = Depends(require(*WRITERS)),
                session: Session = Depends(db_session)) -> RuleOut:
    row = _get(session, who, rule_id)
    if body.spec is not None:
        row.spec = _checked(body.spec, row.kind, row.name)
    if body.enabled is not None:
        row.enabled = body.enabled
    if body.description is not None:
        row.description = body.description
    session.flush()
    bump_config(session, who.tenant_id)
    return _out(row)


@router.delete("/{rule_id}", status_code=204, responses=responses(404), summary="Delete a rule")
def delete_rule(rule_id: int = RULE_ID, who: Principal = Depends(require(*WRITERS)),
                session: Session = Depends(db_session)) -> Response:
    session.delete(_get(session, who, rule_id))
    bump_config(session, who.tenant_id)
    return Response(status_code=204)
