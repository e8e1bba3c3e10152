"""The mandatory scan scope: hosts or host:port pairs; every request and redirect hop is checked against it."""
from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

DEFAULT_PORTS = {"http": 80, "https": 443}


class OutOfScope(Exception):
    """Raised before any socket opens when a request would leave the scope."""


@dataclass(frozen=True)
class ScopeEntry:
    host: str                 # lower-case host name or IP literal (IPv6 without brackets)
    port: int | None = None   # None: any port of this host

    def __str__(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return host if self.port is None else f"{host}:{self.port}"


def _split_host_port(item: str) -> tuple[str, int | None]:
    item = item.strip()
    if item.startswith("["):                       # [v6] or [v6]:port
        host, _, rest = item[1:].partition("]")
        if rest and not rest.startswith(":"):
            raise ValueError(f"bad scope entry {item!r}")
        port = rest[1:] if rest else None
    elif item.count(":") == 1:
        host, port = item.split(":")
    else:                                          # plain host, or a bare IPv6 literal
        host, port = item, None
    if not host or "/" in host:
        raise ValueError(f"bad scope entry {item!r}: expected HOST or HOST:PORT")
    if port is None or port == "":
        return host.lower().rstrip("."), None
    if not port.isdigit() or not 0 < int(port) < 65536:
        raise ValueError(f"bad port in scope entry {item!r}")
    return host.lower().rstrip("."), int(port)


@dataclass(frozen=True)
class Scope:
    """A set of allowed (host, port) pairs; hosts match exactly (no implicit subdomains)."""

    entries: tuple[ScopeEntry, ...]

    @classmethod
    def parse(cls, spec: str | list[str] | tuple[str, ...]) -> "Scope":
        """Parse `HOST[,HOST:PORT...]` (one string or several); raises ValueError on bad input."""
        items = [spec] if isinstance(spec, str) else list(spec)
        entries: list[ScopeEntry] = []
        for chunk in items:
            for part in chunk.split(","):
                if part.strip():
                    host, port = _split_host_port(part)
                    entries.append(ScopeEntry(host, port))
        if not entries:
            raise ValueError("the scope is empty: give --scope HOST[,HOST:PORT]")
        return cls(tuple(dict.fromkeys(entries)))

    def allows(self, host: str, port: int) -> bool:
        """True when a connection to (host, port) is in scope."""
        host = host.lower().strip("[]").rstrip(".")
        return any(e.host == host and (e.port is None or e.port == port) for e in self.entries)

    def allows_url(self, url: str) -> bool:
        try:
            self.check_url(url)
        except OutOfScope:
            return False
        return True

    def check_url(self, url: str) -> tuple[str, int]:
        """Return (host, port) of an in-scope http(s) URL; raise OutOfScope otherwise."""
        parts = urlsplit(url)
        scheme = parts.scheme.lower()
        if scheme not in DEFAULT_PORTS:
            raise OutOfScope(f"refused {url!r}: only http and https are scanned")
        try:
            port = parts.port or DEFAULT_PORTS[scheme]
        except ValueError as exc:
            raise OutOfScope(f"refused {url!r}: {exc}") from None
        host = (parts.hostname or "").lower()
        if not host or not self.allows(host, port):
            raise OutOfScope(f"refused {url!r}: {host}:{port} is outside the scope {self}")
        return host, port

    def __str__(self) -> str:
        return ",".join(str(e) for e in self.entries)
