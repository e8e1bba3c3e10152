"""Query-string and form-urlencoded parser: name=value pairs, names are points too."""
from __future__ import annotations

import re

from sensor.points.extraction import Extraction, PathItem
from sensor.points.decoders import percent_decode

_SUSPECT_PREFIXES = ("ro0", "kzt", "cs7")  # Java serialization magic in base64 hides in "plain" names
_PLAIN_NAME = re.compile(r"^[A-Za-z0-9_\-]{1,40}$")


def pairs(qs: str) -> list[tuple[str, str | None]]:
    out: list[tuple[str, str | None]] = []
    for part in qs.split("&"):
        if not part:
            continue
        name, eq, value = part.partition("=")
        out.append((percent_decode(name, plus=True), percent_decode(value, plus=True) if eq else None))
    return out


def _pair(ex: Extraction, prefix: list[PathItem], part: str, depth: int) -> None:
    raw_name, eq, raw_value = part.partition("=")
    name = percent_decode(raw_name, plus=True)
    path = prefix + [name]
    if not eq or not _PLAIN_NAME.match(name) or name[:3].lower() in _SUSPECT_PREFIXES:
        ex.add(path + ["#key"], name, depth + 1)
    if eq:
        ex.add(path, percent_decode(raw_value, plus=True), depth + 1)


def parse(ex: Extraction, prefix: list[PathItem], qs: str, depth: int = 0) -> None:
    """Add one point per parameter value and one per unusual parameter name."""
    key = tuple(prefix)
    for part in qs.split("&"):
        if part and ex.full():
            return
        if part:  # `page=1`, `lang=en`, ... repeat across requests: memoised per raw pair when the caller allows
            ex.piece(("q", key, depth, part), len(part), _pair, ex, prefix, part, depth)
