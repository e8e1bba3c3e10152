"""IP list entries: address/CIDR normalisation and expiry arithmetic."""
from __future__ import annotations

import ipaddress
from datetime import datetime, timedelta, timezone
from typing import Optional

from api.models import IpListEntry, utcnow


def normalise(ip: str) -> str:
    """A canonical network string; a single address is kept as /32 or /128. Raises ValueError."""
    return str(ipaddress.ip_network(ip.strip(), strict=False))


def display(network: str) -> str:
    net = ipaddress.ip_network(network)
    return str(net.network_address) if net.prefixlen == net.max_prefixlen else str(net)


def expiry(expires_at: Optional[datetime], ttl_seconds: Optional[int], now: Optional[datetime] = None
           ) -> Optional[datetime]:
    """The absolute expiry from either form (not both); must lie in the future."""
    now = now or utcnow()
    if expires_at is not None and ttl_seconds is not None:
        raise ValueError("give expires_at or ttl_seconds, not both")
    if ttl_seconds is not None:
        return now + timedelta(seconds=ttl_seconds)
    if expires_at is not None:
        at = expires_at.replace(tzinfo=timezone.utc) if expires_at.tzinfo is None else expires_at.astimezone(timezone.utc)
        if at <= now:
            raise ValueError("expires_at is in the past")
        return at
    return None


def active(entry: IpListEntry, now: Optional[datetime] = None) -> bool:
    return entry.expires_at is None or entry.expires_at > (now or utcnow())
