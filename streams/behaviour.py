"""Behavioural detection over the transaction stream: brute force and forced browsing, with denylist entries."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from core import denylist
from core.denylist import DenylistEntry
from core.events import TransactionEvent
from streams.templates import template_path

DEFAULT_LOGIN = (r"(?i)(/login|/log-in|/signin|/sign-in|/auth|/session|/token|/wp-login\.php|/xmlrpc\.php"
                 r"|/j_security_check)(/|\.\w+)?$")


@dataclass
class BehaviourConfig:
    """Thresholds of the sliding windows and how long a source stays denylisted."""

    brute_window: float = 60.0
    brute_threshold: int = 10            # auth failures by one source against one login endpoint
    brute_statuses: frozenset[int] = frozenset({401, 403, 429})
    login_pattern: str = DEFAULT_LOGIN
    dirbust_window: float = 60.0
    dirbust_threshold: int = 30          # 404s by one source on one host
    deny_seconds: float = 3600.0
    max_keys: int = 100_000


@dataclass(frozen=True)
class Detection:
    """A behavioural finding: one `brute`/`dirbust` hit plus a denylist entry for the source."""

    kind: str                # brute | dirbust
    tenant: str
    ip: str
    host: str
    path: str                # login template for brute, '' for dirbust
    count: int
    first_ts: float          # start of the window that crossed the threshold
    ts: float                # the event that crossed it
    expires: float

    @property
    def hit_id(self) -> str:
        """Deterministic id: a redelivered stream re-detects the same window and replaces the same row."""
        return f"behaviour:{self.kind}:{self.tenant}:{self.ip}:{self.first_ts:.3f}"

    def denylist_key(self) -> bytes:
        return denylist.key(self.tenant, self.ip)

    def denylist_value(self) -> bytes:
        return denylist.encode(DenylistEntry(
            tenant=self.tenant, ip=self.ip, reason=self.kind, created=self.ts, expires=self.expires,
            host=self.host, path=self.path, count=self.count, source="streams"))


@dataclass
class BehaviourDetector:
    """Feeds events through the two sliding windows; one Detection per source until its entry expires."""

    cfg: BehaviourConfig = field(default_factory=BehaviourConfig)

    def __post_init__(self) -> None:
        from streams.windows import SlidingCounter
        self._login = re.compile(self.cfg.login_pattern)
        self._brute = SlidingCounter(self.cfg.brute_window, self.cfg.brute_threshold, self.cfg.max_keys)
        self._dirbust = SlidingCounter(self.cfg.dirbust_window, self.cfg.dirbust_threshold, self.cfg.max_keys)
        self._denied: dict[tuple[str, str, str], float] = {}   # (kind, tenant, ip) -> expires

    def observe(self, ev: TransactionEvent) -> list[Detection]:
        if ev.response is None:
            return []
        status = ev.response.status
        out: list[Detection] = []
        ip = ev.client.ip
        if status in self.cfg.brute_statuses and ev.request.method in ("POST", "PUT"):
            path = ev.request.target.split("?", 1)[0]
            if self._login.search(path):
                tpl = template_path(path)[0]
                key = (ev.tenant, ip, ev.request.host, tpl)
                n = self._brute.add(key, ev.ts)
                if n >= self.cfg.brute_threshold:
                    d = self._fire("brute", ev, key, self._brute, n, tpl)
                    if d:
                        out.append(d)
        if status == 404:
            key = (ev.tenant, ip, ev.request.host)
            n = self._dirbust.add(key, ev.ts)
            if n >= self.cfg.dirbust_threshold:
                d = self._fire("dirbust", ev, key, self._dirbust, n, "")
                if d:
                    out.append(d)
        return out

    def _fire(self, kind: str, ev: TransactionEvent, key: tuple, counter, n: int, path: str) -> Detection | None:
        first = counter.first(key) or ev.ts
        counter.reset(key)
        dkey = (kind, ev.tenant, ev.client.ip)
        if self._denied.get(dkey, 0.0) > ev.ts:
            return None            # already denylisted for this: do not re-emit until it expires
        expires = ev.ts + self.cfg.deny_seconds if self.cfg.deny_seconds > 0 else 0.0
        self._denied[dkey] = expires if expires else float("inf")
        if len(self._denied) > self.cfg.max_keys:
            self._denied.pop(next(iter(self._denied)))
        return Detection(kind, ev.tenant, ev.client.ip, ev.request.host, path, n, first, ev.ts, expires)

    def expired(self, now: float) -> list[tuple[str, str]]:
        """(tenant, ip) pairs whose every entry has expired by `now` (to tombstone on the denylist topic)."""
        gone = [k for k, exp in self._denied.items() if exp <= now]
        for k in gone:
            del self._denied[k]
        live = {(t, ip) for (_kind, t, ip) in self._denied}
        self._brute.expire(now)
        self._dirbust.expire(now)
        return sorted({(t, ip) for (_kind, t, ip) in gone} - live)
