"""IP deny/gray/allow lists with per-entry expiry, loaded from a file; a bad file never replaces a good one."""
from __future__ import annotations

import ipaddress
import os
import time
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Optional, Union

Net = Union[ipaddress.IPv4Network, ipaddress.IPv6Network]
KINDS = ("deny", "gray", "allow")
ALIASES = {"deny": "deny", "denylist": "deny", "gray": "gray", "graylist": "gray", "grey": "gray",
           "allow": "allow", "allowlist": "allow"}


class ListFileError(ValueError):
    """A list file line that cannot be used; `line` is 1-based."""

    def __init__(self, path: str, line: int, reason: str) -> None:
        super().__init__(f"{path}:{line}: {reason}")
        self.line = line
        self.reason = reason


@dataclass(frozen=True)
class Entry:
    kind: str
    net: Net
    expires: Optional[float] = None   # epoch seconds; None = never

    def live(self, now: float) -> bool:
        return self.expires is None or now < self.expires


@dataclass
class IpLists:
    """Exact addresses in dicts, networks in short lists; allow beats deny beats gray."""

    exact: dict[str, dict[str, Entry]] = field(default_factory=lambda: {k: {} for k in KINDS})
    nets: dict[str, list[Entry]] = field(default_factory=lambda: {k: [] for k in KINDS})

    def add(self, entry: Entry) -> None:
        if entry.net.num_addresses == 1:
            self.exact[entry.kind][str(entry.net.network_address)] = entry
        else:
            self.nets[entry.kind].append(entry)

    def remove(self, kind: str, net: str) -> None:
        n = ipaddress.ip_network(net, strict=False)
        self.exact[kind].pop(str(n.network_address), None) if n.num_addresses == 1 else None
        self.nets[kind] = [e for e in self.nets[kind] if e.net != n]

    def _in(self, kind: str, ip: str, addr, now: float) -> bool:
        e = self.exact[kind].get(ip)
        if e is not None and e.live(now):
            return True
        return any(e.live(now) and addr in e.net for e in self.nets[kind] if e.net.version == addr.version)

    def classify(self, ip: str, now: Optional[float] = None) -> Optional[str]:
        """"allow", "deny", "gray" or None for an address (text form)."""
        now = time.time() if now is None else now
        try:
            addr = ipaddress.ip_address(ip)
        except ValueError:
            return None
        for kind in ("allow", "deny", "gray"):   # allow first: an allowlisted host is never blocked
            if self._in(kind, ip, addr, now):
                return kind
        return None

    def __len__(self) -> int:
        return sum(len(v) for v in self.exact.values()) + sum(len(v) for v in self.nets.values())


def parse_lists(text: str, path: str = "<lists>", now: Optional[float] = None) -> IpLists:
    """Parse `KIND ADDRESS[/PREFIX] [ttl=SECONDS | until=ISO-8601]` lines; `#` starts a comment.

    Raises ListFileError naming the first bad line and why; nothing is partially applied.
    """
    now = time.time() if now is None else now
    lists = IpLists()
    for lineno, raw in enumerate(text.splitlines(), 1):
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        parts = line.split()
        kind = ALIASES.get(parts[0].lower())
        if kind is None:
            raise ListFileError(path, lineno, f"unknown list {parts[0]!r} (expected deny, gray or allow)")
        if len(parts) < 2:
            raise ListFileError(path, lineno, "missing address")
        try:
            net = ipaddress.ip_network(parts[1], strict=False)
        except ValueError:
            raise ListFileError(path, lineno, f"not an IP address or network: {parts[1]!r}") from None
        expires = None
        for opt in parts[2:]:
            key, _, val = opt.partition("=")
            if key == "ttl":
                try:
                    ttl = float(val)
                except ValueError:
                    raise ListFileError(path, lineno, f"ttl must be seconds, got {val!r}") from None
                if ttl <= 0:
                    raise ListFileError(path, lineno, "ttl must be positive")
                expires = now + ttl
            elif key == "until":
                try:
                    dt = datetime.fromisoformat(val.replace("Z", "+00:00"))
                except ValueError:
                    raise ListFileError(path, lineno, f"until must be an ISO-8601 time, got {val!r}") from None
                if dt.tzinfo is None:
                    raise ListFileError(path, lineno, "until needs a time zone (e.g. 2026-01-01T00:00:00Z)")
                expires = dt.timestamp()
            else:
                raise ListFileError(path, lineno, f"unknown option {opt!r} (expected ttl= or until=)")
        lists.add(Entry(kind, net, expires))
    return lists


class ListFile:
    """A list file watched by mtime: `reload()` swaps in a good new version, keeps the old on error."""

    def __init__(self, path: Union[str, Path]) -> None:
        self.path = Path(path)
        self.lists = IpLists()
        self.error: Optional[str] = None
        self._stamp: Optional[tuple[int, int]] = None
        self._loaded_at = 0.0
        self.reload(force=True)
        if self.error:   # at start-up there is no previous version to keep: refuse to start
            raise ValueError(self.error)

    def reload(self, force: bool = False) -> bool:
        """True when a new version was applied. On a bad file `error` says why and the old lists stay."""
        try:
            st = os.stat(self.path)
        except OSError as exc:
            self.error = f"{self.path}: {exc.strerror.lower() if exc.strerror else exc}"
            return False
        stamp = (st.st_mtime_ns, st.st_size)
        if not force and stamp == self._stamp:
            return False
        self._stamp = stamp
        try:
            new = parse_lists(self.path.read_text(), str(self.path))
        except (ListFileError, UnicodeDecodeError, OSError) as exc:
            self.error = str(exc)
            return False
        self.lists, self.error = new, None
        return True

    def maybe_reload(self, every: float = 1.0) -> None:
        now = time.monotonic()
        if now - self._loaded_at >= every:
            self._loaded_at = now
            self.reload()
