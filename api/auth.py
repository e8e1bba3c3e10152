"""Bearer-token authentication and role checks; failed attempts are rate-limited per source IP."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Callable, Iterator

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy.orm import Session

from api import tokens
from api.models import ApiToken, utcnow
from api.problems import ProblemError

READERS = ("admin", "analyst", "read_only")
WRITERS = ("admin", "analyst")
ADMINS = ("admin",)
NODES = ("node",)
_TOUCH_EVERY = timedelta(minutes=1)  # last_used_at is refreshed at most this often (saves a write per request)

bearer = HTTPBearer(auto_error=False, description="An API token: `Authorization: Bearer rpt_<region>_…`")


@dataclass(frozen=True)
class Principal:
    """Who is calling: the token, its role and the tenant every query is confined to."""

    token_id: int
    tenant_id: int
    tenant: str
    role: str
    config_rev: int = 0


def db_session(request: Request) -> Iterator[Session]:
    """One control-plane session per request, committed when the handler returns normally."""
    session = request.app.state.rampart.sessions()
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


def _source(request: Request) -> str:
    return request.client.host if request.client else "unknown"


def _unauthorized(detail: str) -> ProblemError:
    return ProblemError(401, detail, "unauthorized", {"WWW-Authenticate": 'Bearer realm="rampart"'})


def authenticate(request: Request, session: Session, creds: HTTPAuthorizationCredentials | None) -> Principal:
    state = request.app.state.rampart
    source = _source(request)
    wait = state.limiter.retry_after(source)
    if wait > 0:
        state.metrics.auth_failures.labels("rate_limited").inc()
        raise ProblemError(429, "too many failed authentications from this address", "too-many-requests",
                           {"Retry-After": str(int(wait) + 1)})
    if creds is None or not creds.credentials:
        state.metrics.auth_failures.labels("missing").inc()
        raise _unauthorized("missing bearer token")
    token = creds.credentials
    if not token.startswith(state.settings.token_prefix):
        state.limiter.failed(source)
        state.metrics.auth_failures.labels("other_region").inc()
        raise _unauthorized(f"not a token of region {state.settings.region}")
    found = tokens.lookup(session, token)
    if found is None:
        state.limiter.failed(source)
        state.metrics.auth_failures.labels("invalid").inc()
        raise _unauthorized("invalid or revoked token")
    row, tenant = found
    now = utcnow()
    if row.last_used_at is None or now - row.last_used_at > _TOUCH_EVERY:
        session.query(ApiToken).filter(ApiToken.id == row.id).update({"last_used_at": now})
    return Principal(row.id, tenant.id, tenant.name, row.role, tenant.config_rev)


def require(*roles: str) -> Callable[..., Principal]:
    """A dependency admitting only tokens whose role is in `roles` (401 without a valid token, 403 otherwise)."""

    def dependency(request: Request, session: Session = Depends(db_session),
                   creds: HTTPAuthorizationCredentials | None = Depends(bearer)) -> Principal:
        return check_role(authenticate(request, session, creds), roles)

    return dependency


def check_role(principal: Principal, roles: tuple[str, ...]) -> Principal:
    if principal.role not in roles:
        raise ProblemError(403, f"role {principal.role!r} may not do this (needs {' or '.join(roles)})", "forbidden")
    return principal
