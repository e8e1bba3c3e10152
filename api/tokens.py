"""API tokens: 256-bit random secrets with a region prefix, kept only as SHA-256, shown once at creation."""
from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime
from typing import Optional

from sqlalchemy import select
from sqlalchemy.orm import Session

from api.models import ROLES, ApiToken, Tenant, utcnow

TENANT_NAME_MAX = 128


def hash_token(token: str) -> str:
    """SHA-256 hex of the token; a 256-bit random secret needs no slow KDF (it cannot be guessed offline)."""
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


def new_token(region: str) -> str:
    return f"rpt_{region}_{secrets.token_urlsafe(32)}"


@dataclass(frozen=True)
class TokenInfo:
    id: int
    tenant: str
    role: str
    name: str
    display: str
    created_at: datetime
    last_used_at: Optional[datetime]
    revoked_at: Optional[datetime]


def valid_tenant_name(name: str) -> bool:
    return 0 < len(name) <= TENANT_NAME_MAX and name.isprintable() and name.strip() == name


def get_or_create_tenant(session: Session, name: str) -> Tenant:
    if not valid_tenant_name(name):
        raise ValueError(f"invalid tenant name {name!r} (1-{TENANT_NAME_MAX} printable characters, no edge spaces)")
    tenant = session.scalar(select(Tenant).where(Tenant.name == name))
    if tenant is None:
        tenant = Tenant(name=name)
        session.add(tenant)
        session.flush()
    return tenant


def create_token(session: Session, region: str, tenant: str, role: str, name: str = "") -> tuple[str, ApiToken]:
    """Create a token (and the tenant if missing); returns the plain token — the only time it exists."""
    if role not in ROLES:
        raise ValueError(f"invalid role {role!r} (expected one of {', '.join(ROLES)})")
    row_tenant = get_or_create_tenant(session, tenant)
    token = new_token(region)
    row = ApiToken(tenant_id=row_tenant.id, role=role, name=name[:128], token_hash=hash_token(token),
                   display=token[: len(f"rpt_{region}_") + 6] + "…")
    session.add(row)
    session.flush()
    return token, row


def list_tokens(session: Session, tenant: Optional[str] = None) -> list[TokenInfo]:
    query = select(ApiToken, Tenant.name).join(Tenant, Tenant.id == ApiToken.tenant_id).order_by(ApiToken.id)
    if tenant is not None:
        query = query.where(Tenant.name == tenant)
    return [TokenInfo(t.id, tname, t.role, t.name, t.display, t.created_at, t.last_used_at, t.revoked_at)
            for t, tname in session.execute(query)]


def revoke_token(session: Session, token_id: int) -> bool:
    """Mark a token revoked; False when no such live token exists."""
    row = session.get(ApiToken, token_id)
    if row is None or row.revoked_at is not None:
        return False
    row.revoked_at = utcnow()
    return True


def lookup(session: Session, token: str) -> Optional[tuple[ApiToken, Tenant]]:
    """The live token row and its tenant for a presented token, or None."""
    found = session.execute(
        select(ApiToken, Tenant).join(Tenant, Tenant.id == ApiToken.tenant_id)
        .where(ApiToken.token_hash == hash_token(token), ApiToken.revoked_at.is_(None))
    ).first()
    return None if found is None else (found[0], found[1])
