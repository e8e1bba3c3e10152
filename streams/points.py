"""(point, value) pairs of an event for the ML scorer: query, form/JSON body, cookies, a few headers, hits."""
from __future__ import annotations

import base64
import binascii
import json
from functools import lru_cache
from typing import Any
from urllib.parse import parse_qsl

import msgspec

from core.events import TransactionEvent

MAX_POINTS = 48            # per event: bounded scoring work
MAX_VALUE = 1024
_enc = msgspec.json.Encoder().encode
_HEADERS = {"USER-AGENT", "REFERER", "X-FORWARDED-FOR"}


def body_bytes(ev: TransactionEvent) -> bytes:
    b64 = ev.request.body_b64
    if not b64:
        return b""
    try:
        return base64.b64decode(b64, validate=False)
    except (binascii.Error, ValueError):
        return b""


def content_type(ev: TransactionEvent) -> str:
    for k, v in ev.request.headers:
        if k.lower() == "content-type":
            return v.lower()
    return ""


@lru_cache(maxsize=16384)      # search terms, payloads and static URLs repeat; bounded memo
def query_pairs(target: str) -> tuple[tuple[str, str], ...]:
    if "?" not in target:
        return ()
    return tuple(parse_qsl(target.split("?", 1)[1].split("#", 1)[0], keep_blank_values=True)[:MAX_POINTS])


Params = tuple[tuple[tuple[str, str], ...], list[tuple[list[Any], str, str]]]


def request_params(ev: TransactionEvent) -> Params:
    """(query pairs, body params) of an event, parsed once for the scorer and the endpoint inventory."""
    return query_pairs(ev.request.target), body_params(ev)


def body_params(ev: TransactionEvent) -> list[tuple[list[Any], str, str]]:
    """(point, name, value) of form-urlencoded fields or top-level JSON members of the body."""
    body = body_bytes(ev)
    if not body:
        return []
    ctype = content_type(ev)
    text = body.decode("utf-8", "replace")
    out: list[tuple[list[Any], str, str]] = []
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


def event_points(ev: TransactionEvent, params: Params | None = None) -> list[tuple[str, str]]:
    """Distinct (point JSON, value) pairs to score, at most MAX_POINTS, values cut to MAX_VALUE chars."""
    query, body = params if params is not None else request_params(ev)
    pts: list[tuple[str, str]] = []
    seen: set[tuple[str, str]] = set()

    def add(point: list[Any], value: str) -> None:
        item = (_enc(point).decode(), value[:MAX_VALUE])
        if item not in seen and len(pts) < MAX_POINTS:
            seen.add(item)
            pts.append(item)

    for h in ev.hits:
        add(list(h.point), h.value)
    for k, v in query:
        add(["get", k], v)
    for point, _name, v in body:
        add(point, v)
    for k, v in ev.request.headers:
        ku = k.upper()
        if ku in _HEADERS:
            add(["header", ku], v)
        elif ku == "COOKIE":
            for part in v.split(";"):
                name, _, val = part.strip().partition("=")
                if name:
                    add(["cookie", name], val)
    return pts
