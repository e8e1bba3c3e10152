"""The (point, value) pairs of an HTTP request (query, body, cookies, some headers), shared by scoring and training."""
from __future__ import annotations

import base64
import binascii
import json
from functools import lru_cache
from typing import Any
from urllib.parse import parse_qsl

from core.events import Request

MAX_POINTS = 48            # per request and per part: bounded work whatever the request
HEADER_POINTS = frozenset({"USER-AGENT", "REFERER", "X-FORWARDED-FOR"})

Point = list[Any]
QueryPairs = tuple[tuple[str, str], ...]
BodyParams = list[tuple[Point, str, str]]          # (point, name, value)


def body_bytes(req: Request) -> bytes:
    """The request body the sensor kept (base64 in the event), b'' when none or undecodable."""
    if not req.body_b64:
        return b""
    try:
        return base64.b64decode(req.body_b64, validate=False)
    except (binascii.Error, ValueError):
        return b""


def content_type(req: Request) -> str:
    for k, v in req.headers:
        if k.lower() == "content-type":
            return v.lower()
    return ""


@lru_cache(maxsize=16384)      # search terms, payloads and static URLs repeat: bounded memo
def query_pairs(target: str) -> QueryPairs:
    """(name, value) of the query string of a request target (undecoded on the wire, decoded here)."""
    if "?" not in target:
        return ()
    return tuple(parse_qsl(target.split("?", 1)[1].split("#", 1)[0], keep_blank_values=True)[:MAX_POINTS])


def body_params(req: Request) -> BodyParams:
    """(point, name, value) of form-urlencoded fields or top-level JSON members of the body."""
    body = body_bytes(req)
    if not body:
        return []
    ctype = content_type(req)
    text = body.decode("utf-8", "replace")
    out: BodyParams = []
    if "json" in ctype or text[:1] in "{[":
        try:
            doc = json.loads(text)
        except ValueError:
            doc = None
        if isinstance(doc, dict):
            for k, v in list(doc.items())[:MAX_POINTS]:
                val = v if isinstance(v, str) else json.dumps(v, separators=(",", ":"))
                out.append((["post", "json_doc", "hash", str(k)], str(k), val))
            return out
    if "x-www-form-urlencoded" in ctype or ("=" in text and "\n" not in text[:200]):
        for k, v in parse_qsl(text, keep_blank_values=True)[:MAX_POINTS]:
            out.append((["post", "form_urlencoded", k], k, v))
    return out


def request_points(req: Request, query: QueryPairs | None = None,
                   body: BodyParams | None = None) -> list[tuple[Point, str]]:
    """(point, value) of a request in order query, body, headers/cookies (parts already parsed may be passed)."""
    out: list[tuple[Point, str]] = [(["get", k], v) for k, v in (query_pairs(req.target) if query is None else query)]
    out += [(point, v) for point, _name, v in (body_params(req) if body is None else body)]
    for k, v in req.headers:
        ku = k.upper()
        if ku in HEADER_POINTS:
            out.append((["header", ku], v))
        elif ku == "COOKIE":
            for part in v.split(";")[:MAX_POINTS]:
                name, _, val = part.strip().partition("=")
                if name:
                    out.append((["cookie", name], val))
    return out
