"""Cookie header parser: one point per cookie, values percent-decoded."""
from __future__ import annotations

from typing import Sequence

from sensor.points.extraction import Extraction
from sensor.points.decoders import percent_decode


def parse(ex: Extraction, header: str) -> None:
    for part in header.split(";"):
        part = part.strip()
        if not part:
            continue
        if ex.full():
            return
        name, eq, value = part.partition("=")
        name = name.strip()
        if not eq:
            ex.add(["cookie", name, "#key"], name, 1)
            continue
        if value[:1] == '"' and value[-1:] == '"' and len(value) >= 2:
            value = value[1:-1]
        ex.add(["cookie", name], percent_decode(value), 1)
        if not name.replace("_", "").replace("-", "").isalnum() or name[:3].lower() in ("ro0", "kzt", "cs7"):
            ex.add(["cookie", name, "#key"], name, 1)


def parse_headers(ex: Extraction, headers: Sequence[tuple[str, str]]) -> None:
    for k, v in headers:
        if k.lower() == "cookie" and not ex.full():
            ex.piece(("c", v), len(v), parse, ex, v)
