"""Path traversal / local file inclusion: well-known file contents appear for traversal probes."""
from __future__ import annotations

import re

from scanner.checks.base import Context, finding
from scanner.client import Exchange
from scanner.endpoints import Endpoint, Param
from scanner.finding import Finding

UNIX = re.compile(r"root:[^:\n]*:0:0:")
WIN = re.compile(r"\[(fonts|extensions)\]", re.I)
PROBES = (
    ("../../../../../../../../../../etc/passwd", UNIX),
    ("/etc/passwd", UNIX),
    ("....//....//....//....//....//....//etc/passwd", UNIX),
    ("..%2f..%2f..%2f..%2f..%2f..%2f..%2fetc%2fpasswd", UNIX),
    ("file:///etc/passwd", UNIX),
    ("..\\..\\..\\..\\..\\..\\windows\\win.ini", WIN),
)


def check(ctx: Context, ep: Endpoint, param: Param, base: Exchange) -> list[Finding]:
    if UNIX.search(base.text) or WIN.search(base.text):
        return []
    for value, sig in PROBES:
        ex = ctx.probe(ep, param, value)
        if ex is None:
            return []
        m = sig.search(ex.text)
        if m:
            return [finding("ptrav", "high", ep, param, ex, m.group(0), 0.95, "file-content",
                            f"Path traversal: {value!r} returned the contents of a system file")]
    return []
