"""Path templating (ids folded into {id}) and parameter type inference for the endpoint inventory."""
from __future__ import annotations

import base64
import binascii
import ipaddress
import json
import re
from functools import lru_cache
from urllib.parse import unquote

_INT = re.compile(r"[+-]?\d{1,20}")
_FLOAT = re.compile(r"[+-]?(\d+\.\d*|\.\d+)([eE][+-]?\d+)?")
_UUID = re.compile(r"[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}")
_HEX = re.compile(r"[0-9a-fA-F]{16,128}")
_EMAIL = re.compile(r"[^@\s]{1,64}@[A-Za-z0-9.-]{1,253}\.[A-Za-z]{2,63}")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?")
_B64 = re.compile(r"[A-Za-z0-9+/_-]{16,}={0,2}")
_TOKEN = re.compile(r"[A-Za-z0-9_-]{24,}")
_URL = re.compile(r"[a-zA-Z][a-zA-Z0-9+.-]{1,15}://\S+")
_BOOL = frozenset({"true", "false"})

ID = "{id}"
MAX_SEGMENTS = 32          # deeper paths are cut (bounded work per request)
MAX_VALUE = 4096           # values longer than this are typed from their prefix


@lru_cache(maxsize=65536)      # values and segments repeat a lot in real traffic; bounded memo
def infer_type(value: str) -> str:
    """The most specific type a parameter value looks like: int, float, bool, uuid, email, date, ip, url,
    hex, base64, json, empty or text."""
    v = value[:MAX_VALUE].strip()
    if not v:
        return "empty"
    if _INT.fullmatch(v):
        return "int"
    if _FLOAT.fullmatch(v):
        return "float"
    if v.lower() in _BOOL:
        return "bool"
    if _UUID.fullmatch(v):
        return "uuid"
    if _DATE.fullmatch(v):
        return "date"
    if _EMAIL.fullmatch(v):
        return "email"
    if _URL.fullmatch(v):
        return "url"
    if v[0] in "{[" and _is_json(v):
        return "json"
    if ("." in v or ":" in v) and _is_ip(v):
        return "ip"
    if _HEX.fullmatch(v):
        return "hex"
    if _B64.fullmatch(v) and _is_base64(v):
        return "base64"
    return "text"


def _is_json(v: str) -> bool:
    try:
        json.loads(v)
    except ValueError:
        return False
    return True


def _is_ip(v: str) -> bool:
    try:
        ipaddress.ip_address(v)
    except ValueError:
        return False
    return True


def _is_base64(v: str) -> bool:
    # Plain words and identifiers also match the alphabet: demand a mix of classes and a clean decode.
    if not (any(c.isdigit() for c in v) or any(c in "+/=" for c in v)):
        return False
    if not (any(c.islower() for c in v) and any(c.isupper() for c in v)):
        return False
    data = v.replace("-", "+").replace("_", "/")
    try:
        base64.b64decode(data + "=" * (-len(data) % 4), validate=True)
    except (binascii.Error, ValueError):
        return False
    return True


_WIDEN = {frozenset({"int", "float"}): "float"}


def merge_types(a: str, b: str) -> str:
    """The type of a parameter seen with values of type a and b (empty values do not widen a type)."""
    if a == b or b == "empty":
        return a
    if a == "empty":
        return b
    return _WIDEN.get(frozenset({a, b}), "text")


@lru_cache(maxsize=65536)
def _segment_is_id(seg: str) -> str | None:
    """The id type of a path segment, or None if it is a literal name."""
    if _INT.fullmatch(seg) and not seg.startswith(("+", "-")):
        return "int"
    if _UUID.fullmatch(seg):
        return "uuid"
    if _HEX.fullmatch(seg) and any(c.isdigit() for c in seg):
        return "hex"
    if _TOKEN.fullmatch(seg) and sum(c.isdigit() for c in seg) >= 3 and any(c.isalpha() for c in seg):
        return "token"
    if _EMAIL.fullmatch(seg):
        return "email"
    return None


def template_path(path: str) -> tuple[str, list[tuple[int, str]]]:
    """Fold ids in a path into {id}: ('/users/42/x', ...) -> ('/users/{id}/x', [(2, 'int')]).

    Returns the template and the (segment index, type) of every folded segment; the query string, if any,
    is ignored. Segments are percent-decoded before they are judged.
    """
    tpl, params = _template(path.split("?", 1)[0].split("#", 1)[0] or "/")
    return tpl, list(params)


@lru_cache(maxsize=65536)      # paths repeat (pages, assets, API routes): bounded memo
def _template(path: str) -> tuple[str, tuple[tuple[int, str], ...]]:
    segs = path.split("/")[: MAX_SEGMENTS + 1]
    out: list[str] = []
    params: list[tuple[int, str]] = []
    for i, raw in enumerate(segs):
        seg = unquote(raw) if "%" in raw else raw
        kind = _segment_is_id(seg) if seg else None
        if kind:
            out.append(ID)
            params.append((i, kind))
        else:
            out.append(raw)
    return "/".join(out) or "/", tuple(params)
