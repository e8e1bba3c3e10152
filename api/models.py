"""Control-plane tables (SQLAlchemy 2): tenants, users, API tokens, nodes, rules, IP lists, FP marks, vuln states."""
from __future__ import annotations

from datetime import datetime, timezone
from typing import Any, Optional

from sqlalchemy import JSON, Boolean, DateTime, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeDecorator

ROLES: tuple[str, ...] = ("admin", "analyst", "read_only", "node")
LISTS: tuple[str, ...] = ("deny", "gray", "allow")
VULN_STATES: tuple[str, ...] = ("open", "closed", "false_positive")


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


def bump_config(session: Any, tenant_id: int) -> None:
    """Mark the tenant's node-facing configuration changed (rules, IP lists)."""
    from sqlalchemy import update

    session.execute(update(Tenant).where(Tenant.id == tenant_id).values(config_rev=Tenant.config_rev + 1))


class UTCDateTime(TypeDecorator):
    """Stores naive UTC (SQLite keeps no zone) and always hands back aware UTC datetimes."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: Optional[datetime], dialect: Any) -> Optional[datetime]:
        if value is None:
            return None
        if value.tzinfo is None:
            value = value.replace(tzinfo=timezone.utc)
        return value.astimezone(timezone.utc).replace(tzinfo=None)

    def process_result_value(self, value: Optional[datetime], dialect: Any) -> Optional[datetime]:
        return None if value is None else value.replace(tzinfo=timezone.utc)


class Base(DeclarativeBase):
    pass


class Tenant(Base):
    __tablename__ = "tenants"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(128), unique=True)  # equals the event's `tenant` string
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # bumped in the same transaction as any change to the tenant's rules or IP lists (node sync cache key)
    config_rev: Mapped[int] = mapped_column(Integer, default=0, server_default="0")


class User(Base):
    __tablename__ = "users"
    __table_args__ = (UniqueConstraint("tenant_id", "email"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    tenant_id: Mapped[int] = mapped_column(ForeignKey("tenants.id", ondelete="CASCADE"), index=True)
    email: Mapped[str] = mapped_column(String(254))
    role: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class ApiToken(Base):
    __tablename__ = "api_tokens"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    tenant_id: Mapped[int] = mapped_column(ForeignKey("tenants.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[Optional[int]] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), nullable=True)
    role: Mapped[str] = mapped_column(String(16))
    name: Mapped[str] = mapped_column(String(128), default="")
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)  # sha256 hex; the token itself is never kept
    display: Mapped[str] = mapped_column(String(32))                  # region prefix + first chars, for listings
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_used_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime, nullable=True)
    revoked_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime, nullable=True)


class Node(Base):
    __tablename__ = "nodes"
    __table_args__ = (UniqueConstraint("tenant_id", "name"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    tenant_id: Mapped[int] = mapped_column(ForeignKey("tenants.id", ondelete="CASCADE"), index=True)
    token_id: Mapped[Optional[int]] = mapped_column(ForeignKey("api_tokens.id", ondelete="SET NULL"), nullable=True)
    name: Mapped[str] = mapped_column(String(128))
    version: Mapped[str] = mapped_column(String(64), default="")
    mode: Mapped[str] = mapped_column(String(32), default="monitoring")
    registered_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_sync_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime, nullable=True)
    last_etag: Mapped[str] = mapped_column(String(80), default="")
    metrics: Mapped[Optional[dict]] = mapped_column(JSON, nullable=True)
    metrics_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime, nullable=True)


class Rule(Base):
    __tablename__ = "rules"
    __table_args__ = (UniqueConstraint("tenant_id", "name"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    tenant_id: Mapped[int] = mapped_column(ForeignKey("tenants.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(128))
    kind: Mapped[str] = mapped_column(String(16), default="rule")  # rule | vpatch
    enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    description: Mapped[str] = mapped_column(Text, default="")
    spec: Mapped[dict] = mapped_column(JSON)                        # one rule in the detection rule format
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class IpListEntry(Base):
    __tablename__ = "ip_lists"
    __table_args__ = (UniqueConstraint("tenant_id", "list", "network"), Index("ix_ip_lists_expiry", "expires_at"))
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    tenant_id: Mapped[int] = mapped_column(ForeignKey("tenants.id", ondelete="CASCADE"), index=True)
    list: Mapped[str] = mapped_column(String(8))      # deny | gray | allow
    network: Mapped[str] = mapped_column(String(64))  # normalised CIDR, a single IP is /32 or /128
    reason: Mapped[str] = mapped_column(String(512), default="")
    expires_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime, nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class FpMark(Base):
    __tablename__ = "fp_marks"
    __table_args__ = (UniqueConstraint("tenant_id", "hit_id"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    tenant_id: Mapped[int] = mapped_column(ForeignKey("tenants.id", ondelete="CASCADE"), index=True)
    hit_id: Mapped[str] = mapped_column(String(128))
    transaction_id: Mapped[str] = mapped_column(String(128), default="")
    comment: Mapped[str] = mapped_column(String(1024), default="")
    created_by: Mapped[Optional[int]] = mapped_column(ForeignKey("api_tokens.id", ondelete="SET NULL"), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class VulnState(Base):
    __tablename__ = "vuln_states"
    __table_args__ = (UniqueConstraint("tenant_id", "vuln_id"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    tenant_id: Mapped[int] = mapped_column(ForeignKey("tenants.id", ondelete="CASCADE"), index=True)
    vuln_id: Mapped[str] = mapped_column(String(128))
    state: Mapped[str] = mapped_column(String(16), default="open")
    comment: Mapped[str] = mapped_column(String(1024), default="")
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
