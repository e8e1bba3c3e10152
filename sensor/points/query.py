"""Query-string and form-urlencoded parser: name=value pairs, names are points too."""
from __future__ import annotations

import re
from typing import Final

from sensor.points.extraction import Extraction, PathItem
from sensor.points.decoders import percent_decode

_SUSPECT_PREFIXES: Final = ("ro0", "kzt", "cs7")  # Java serialization magic in base64 hides in "plain" names
_PLAIN_NAME: Final = re.compile(r"^[A-Za-z0-9_\-]{1,40}$")


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
        ex.add(path, _value_head(raw_value, ex.limits.max_value), depth + 1)


def _value_head(raw: str, max_value: int) -> str:
    """The decoded value, or for a huge one a decoded head longer than `max_value` that starts as the whole value
    would: detectors see max_value characters of it and `add` still reports the cut. (Decoding a 4 MB field of `%25`
    whole cost 0.6 s.) A character is at most 12 raw ones (`%F0%9F%98%80`), most often 1 or 3; the head's last few
    characters may differ from the whole value's (an escape or UTF-8 sequence cut in two), hence the margin."""
    need = max_value + 8
    if len(raw) <= 12 * need:
        return percent_decode(raw, plus=True)
    head = percent_decode(raw[: 3 * need], plus=True)
    return head if len(head) >= need else percent_decode(raw[: 12 * need], plus=True)


def parse(ex: Extraction, prefix: list[PathItem], qs: str, depth: int = 0) -> None:
    """Add one point per parameter value and one per unusual parameter name."""
    key = tuple(prefix)
    # pairs one at a time, not `qs.split("&")`: a 4 MB form of `a=1&` is a million strings made before the first
    # pair is read, and the parser stops long before them (max_params, the CPU budget)
    start, n = 0, len(qs)
    while start <= n:
        end = qs.find("&", start)
        if end < 0:
            end = n
        part = qs[start:end]
        start = end + 1
        if part and ex.full():
            return
        if part:  # `page=1`, `lang=en`, ... repeat across requests: memoised per raw pair when the caller allows
            ex.piece(("q", key, depth, part), len(part), _pair, ex, prefix, part, depth)
