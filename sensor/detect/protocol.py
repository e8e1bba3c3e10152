"""Protocol-level request anomalies: framing conflicts (smuggling), malformed request line, odd methods/versions."""
from __future__ import annotations

import re
from typing import Any

from core.events import Hit

TYPE = "protocol"
_METHODS = {"GET", "POST", "HEAD", "PUT", "DELETE", "OPTIONS", "PATCH", "TRACE", "CONNECT", "PROPFIND", "PROPPATCH",
            "MKCOL", "COPY", "MOVE", "LOCK", "UNLOCK", "REPORT", "SEARCH", "MKCALENDAR", "ACL", "MERGE", "CHECKOUT",
            "MKACTIVITY", "PURGE", "LINK", "UNLINK", "SUBSCRIBE", "UNSUBSCRIBE", "NOTIFY", "M-SEARCH", "QUERY"}
_TOKEN = re.compile(r"^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$")
_VERSIONS = {"1.0", "1.1", "0.9", "2", "2.0", "3"}


_BAD_TARGET = re.compile(r"[\x00\r\n\t ]")
_BAD_VALUE = re.compile(r"[\x00\r\n]")


def _hit(rule: str, score: float, point: list, value: str) -> Hit:
    return Hit(type=TYPE, point=point, value=value[:256], rule=rule, score=score)


def check(request: Any) -> list[Hit]:
    """Anomalies visible in the request line and headers."""
    hits: list[Hit] = []
    method = request.method or ""
    version = (request.version or "").upper().removeprefix("HTTP/")
    target = request.target or ""
    if not _TOKEN.match(method):
        hits.append(_hit("protocol:bad_method", 0.8, ["method"], method))
    elif method.upper() not in _METHODS:
        hits.append(_hit("protocol:unknown_method", 0.4, ["method"], method))
    if version and version not in _VERSIONS:
        hits.append(_hit("protocol:bad_version", 0.45, ["version"], version))
    if _BAD_TARGET.search(target):
        hits.append(_hit("protocol:bad_target", 0.7, ["target"], target))
    elif target and not (target.startswith("/") or target == "*" or "://" in target[:10] or method.upper() == "CONNECT"):
        hits.append(_hit("protocol:bad_target", 0.45, ["target"], target))
    cls: list[str] = []
    tes: list[str] = []
    hosts = 0
    for k, v in request.headers:
        lk = k.lower()
        if lk == "content-length":
            cls.append(v)
        elif lk == "transfer-encoding":
            tes.append(v)
        elif lk == "host":
            hosts += 1
        if not _TOKEN.match(k):
            hits.append(_hit("protocol:bad_header_name", 0.7, ["header", k.upper()], k))
        if _BAD_VALUE.search(v):
            hits.append(_hit("protocol:bad_header_value", 0.8, ["header", k.upper()], v))
    if cls and tes:
        hits.append(_hit("protocol:cl_te", 0.9, ["header", "TRANSFER-ENCODING"], ",".join(tes)))
    if len(set(c.strip() for c in cls)) > 1:
        hits.append(_hit("protocol:duplicate_cl", 0.9, ["header", "CONTENT-LENGTH"], ",".join(cls)))
    if any(not c.strip().isdigit() for c in cls):
        hits.append(_hit("protocol:bad_cl", 0.8, ["header", "CONTENT-LENGTH"], ",".join(cls)))
    if tes and any(t.strip().lower() not in ("chunked", "gzip, chunked", "deflate, chunked", "identity") for t in tes) or len(tes) > 1:
        hits.append(_hit("protocol:bad_te", 0.85, ["header", "TRANSFER-ENCODING"], ",".join(tes)))
    if version == "1.1" and not hosts:
        hits.append(_hit("protocol:missing_host", 0.2, ["header", "HOST"], ""))
    if hosts > 1:
        hits.append(_hit("protocol:duplicate_host", 0.8, ["header", "HOST"], request.host or ""))
    return hits
