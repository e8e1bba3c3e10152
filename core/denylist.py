"""Records of the compacted `rampart.denylist.v1` topic: key `tenant|ip`, JSON value, tombstone = removal."""
from __future__ import annotations

import msgspec


class DenylistEntry(msgspec.Struct, kw_only=True):
    """Value of a denylist record; sensors refuse `ip` for `tenant` until `expires` (0 = never)."""

    tenant: str
    ip: str
    reason: str                # brute | dirbust | manual | ...
    created: float             # seconds since epoch
    expires: float             # seconds since epoch; 0 = never
    host: str = ""
    path: str = ""
    count: int = 0
    source: str = "streams"    # streams | api

    def active(self, now: float) -> bool:
        return self.expires == 0 or now < self.expires


def key(tenant: str, ip: str) -> bytes:
    return f"{tenant}|{ip}".encode()


def parse_key(raw: bytes) -> tuple[str, str]:
    """(tenant, ip) of a record key; raises ValueError when it is not `tenant|ip`."""
    tenant, sep, ip = raw.decode("utf-8").rpartition("|")
    if not sep or not tenant or not ip:
        raise ValueError(f"bad denylist key {raw!r}")
    return tenant, ip


def encode(entry: DenylistEntry) -> bytes:
    return msgspec.json.encode(entry)


def decode(value: bytes) -> DenylistEntry:
    return msgspec.json.decode(value, type=DenylistEntry)
