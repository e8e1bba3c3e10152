"""Header parser: every header value is a point `["header", NAME]` (cookies go through the cookie parser)."""
from __future__ import annotations

from typing import Sequence

from sensor.points import Extraction

# Values of these headers are structured by the HTTP layer itself; protocol checks look at them instead.
_SKIP = {"cookie", "content-length", "connection", "transfer-encoding", "content-type"}


def parse(ex: Extraction, headers: Sequence[tuple[str, str]]) -> None:
    for k, v in headers:
        lk = k.lower()
        if lk in _SKIP:
            continue
        ex.add(["header", k.upper()], v, 1)
        if not k.replace("-", "").replace("_", "").isalnum():
            ex.add(["header", k.upper(), "#key"], k, 1)
