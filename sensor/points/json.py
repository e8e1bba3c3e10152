"""JSON parser: strings, numbers and keys at any (bounded) depth, as `json_doc/hash/<key>/array/<i>` paths."""
from __future__ import annotations

import json as _json
import re
from typing import Any

from sensor.points import Extraction, PathItem

_PLAIN_KEY = re.compile(r"^[A-Za-z0-9_\-]{1,40}$")


def _walk(ex: Extraction, path: list[PathItem], obj: Any, depth: int) -> None:
    if depth > ex.limits.max_depth:
        ex.over("depth")
        return
    if isinstance(obj, dict):
        for k, v in obj.items():
            k = str(k)
            p = path + ["hash", k]
            if not _PLAIN_KEY.match(k) or k[:3].lower() in ("ro0", "kzt", "cs7") or k[:2] == "__":
                ex.add(p + ["#key"], k, depth + 1)
            elif k == "prototype" and isinstance(v, dict) and path[-2:] == ["hash", "constructor"]:
                # `{"constructor": {"prototype": {…}}}` pollutes Object.prototype when merged: show the member chain
                ex.add(p + ["#key"], "constructor.prototype", depth + 1)
            _walk(ex, p, v, depth + 1)
    elif isinstance(obj, list):
        for i, v in enumerate(obj):
            _walk(ex, path + ["array", i], v, depth + 1)
    elif isinstance(obj, str):
        ex.add(path, obj, depth)
        from sensor.points import graphql
        if path and path[-1] == "query" and graphql.looks_like(obj):
            graphql.parse(ex, path + ["graphql"], obj, depth + 1)
    elif isinstance(obj, (int, float)) and not isinstance(obj, bool):
        pass  # numbers cannot carry an injection once parsed


def parse(ex: Extraction, path: list[PathItem], text: str, depth: int = 0, raw_on_error: bool = True) -> bool:
    """Parse `text` as JSON; on error optionally keep it as one raw point. Returns success."""
    try:
        obj = _json.loads(text)
    except (ValueError, RecursionError):
        if raw_on_error:
            ex.add(path, text, depth)
        return False
    if isinstance(obj, (dict, list)):
        _walk(ex, path, obj, depth)
    elif isinstance(obj, str):
        ex.add(path, obj, depth)
    return True
