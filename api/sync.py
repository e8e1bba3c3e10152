"""Node sync payload: the tenant's enabled rules, live IP list entries and the champion model, under one ETag."""
from __future__ import annotations

import hashlib
import json
import math
import threading
from collections import OrderedDict
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Optional

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from api import iplists
from api.models import IpListEntry, Rule, utcnow


def build(session: Session, tenant_id: int, model: Optional[dict[str, Any]], now: Optional[datetime] = None,
          packs: tuple = ()) -> dict[str, Any]:
    """The payload and its ETag: a hash of exactly what the node would apply, so it changes when (and only when)
    a rule, a list entry (including one expiring) or the model version changes."""
    now = now or utcnow()
    rules = [{"id": r.id, "name": r.name, "kind": r.kind, "spec": r.spec} for r in session.scalars(
        select(Rule).where(Rule.tenant_id == tenant_id, Rule.enabled.is_(True)).order_by(Rule.id))]
    entries = [{"list": e.list, "ip": iplists.display(e.network), "expires_at": e.expires_at} for e in session.scalars(
        select(IpListEntry).where(IpListEntry.tenant_id == tenant_id,
                                  or_(IpListEntry.expires_at.is_(None), IpListEntry.expires_at > now))
        .order_by(IpListEntry.list, IpListEntry.network))]
    model_key = None if model is None else [model["name"], model["version"]]
    pack_list = [{"name": p.name, "sha256": p.sha256, "yaml": p.yaml} for p in packs]
    digest = hashlib.sha256(json.dumps([rules, entries, model_key, [p.sha256 for p in packs]], sort_keys=True,
                                       default=str, separators=(",", ":")).encode()).hexdigest()[:32]
    expiries = [e["expires_at"].timestamp() for e in entries if e["expires_at"] is not None]
    return {"etag": f'"{digest}"', "generated_at": now, "rules": rules, "ip_lists": entries, "model": model,
            "packs": pack_list, "valid_until": min(expiries, default=math.inf)}


@dataclass(frozen=True)
class CachedSync:
    """A built payload, good while the tenant's config revision and the model stay and no entry expires."""

    rev: int
    model_key: Optional[tuple[str, str]]
    packs_key: tuple[str, ...]
    valid_until: float
    etag: str
    body: bytes


class SyncCache:
    """Per-app LRU of serialised sync payloads by tenant; correct across processes because the key is the
    tenant's config revision from the database, bumped in the same transaction as every rule or list change."""

    def __init__(self, max_tenants: int = 10_000) -> None:
        self.max_tenants = max_tenants
        self._entries: OrderedDict[int, CachedSync] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, tenant_id: int, rev: int, model_key: Optional[tuple[str, str]], now: float,
            packs_key: tuple[str, ...] = ()) -> Optional[CachedSync]:
        with self._lock:
            entry = self._entries.get(tenant_id)
            if entry is None or entry.rev != rev or entry.model_key != model_key or entry.packs_key != packs_key \
                    or now >= entry.valid_until:
                return None
            self._entries.move_to_end(tenant_id)
            return entry

    def put(self, tenant_id: int, entry: CachedSync) -> None:
        with self._lock:
            self._entries[tenant_id] = entry
            self._entries.move_to_end(tenant_id)
            while len(self._entries) > self.max_tenants:
                self._entries.popitem(last=False)


def etag_matches(if_none_match: Optional[str], etag: str) -> bool:
    """RFC 9110 weak comparison of If-None-Match against the current ETag."""
    if not if_none_match:
        return False
    for candidate in if_none_match.split(","):
        candidate = candidate.strip()
        if candidate == "*":
            return True
        if candidate.startswith("W/"):
            candidate = candidate[2:]
        if candidate == etag:
            return True
    return False
