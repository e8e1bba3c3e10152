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
_TOKENS = re.compile(r"[!#$%&'*+\-.^_`|~0-9A-Za-z]+(?:\n[!#$%&'*+\-.^_`|~0-9A-Za-z]+)*")


def _hit(rule: str, score: float, point: list, value: str) -> Hit:
    return Hit(type=TYPE, point=point, value=value[:256], rule=rule, score=score)


def check(request: Any) -> list[Hit]:
    """Anomalies visible in the request line and headers."""
    hits: list[Hit] = []
    method = request.method or ""
    version = request.version or ""
    if version not in _VERSIONS:
        version = version.upper().removeprefix("HTTP/")
    target = request.target or ""
    if method not in _METHODS:  # the common, already valid methods skip both checks
        if not _TOKEN.match(method):
            hits.append(_hit("protocol:bad_method", 0.8, ["method"], method))
        elif method.upper() not in _METHODS:
            hits.append(_hit("protocol:unknown_method", 0.4, ["method"], method))
    if version and version not in _VERSIONS:
        hits.append(_hit("protocol:bad_version", 0.45, ["version"], version))
    if _BAD_TARGET.search(target):
        hits.append(_hit("protocol:bad_target", 0.7, ["target"], target))
    elif target and target[0] != "/" and not (target == "*" or "://" in target[:10] or method.upper() == "CONNECT"):
        hits.append(_hit("protocol:bad_target", 0.45, ["target"], target))
    headers = request.headers
    # One regex call over all names and one over all values: most requests have nothing odd, so the per-header
    # loop runs only when something is odd, and the framing loop only when a framing header is there.
    names = "\n".join([k for k, _ in headers])
    if headers and not _TOKENS.fullmatch(names) or _BAD_VALUE.search("\t".join([v for _, v in headers])):
        for k, v in headers:
            if not _TOKEN.match(k):
                hits.append(_hit("protocol:bad_header_name", 0.7, ["header", k.upper()], k))
            if _BAD_VALUE.search(v):
                hits.append(_hit("protocol:bad_header_value", 0.8, ["header", k.upper()], v))
    lnames = names.lower().split("\n")
    hosts = lnames.count("host")
    if "content-length" in lnames or "transfer-encoding" in lnames:
        _framing(headers, hits)
    if hosts != 1:
        if not hosts and version == "1.1":
            hits.append(_hit("protocol:missing_host", 0.2, ["header", "HOST"], ""))
        elif hosts > 1:
            hits.append(_hit("protocol:duplicate_host", 0.8, ["header", "HOST"], request.host or ""))
    return hits


_CHUNKED = ("chunked", "gzip, chunked", "deflate, chunked", "identity")


def _framing(headers: Any, hits: list[Hit]) -> None:
    """Content-Length / Transfer-Encoding conflicts (request smuggling)."""
    cls: list[str] = []
    tes: list[str] = []
    for k, v in headers:
        lk = k.lower()
        if lk == "content-length":
            cls.append(v)
        elif lk == "transfer-encoding":
            tes.append(v)
    if cls and tes:
        hits.append(_hit("protocol:cl_te", 0.9, ["header", "TRANSFER-ENCODING"], ",".join(tes)))
    if len(cls) > 1 and len({c.strip() for c in cls}) > 1:
        hits.append(_hit("protocol:duplicate_cl", 0.9, ["header", "CONTENT-LENGTH"], ",".join(cls)))
    if any(not c.strip().isdigit() for c in cls):
        hits.append(_hit("protocol:bad_cl", 0.8, ["header", "CONTENT-LENGTH"], ",".join(cls)))
    if len(tes) > 1 or tes and tes[0].strip().lower() not in _CHUNKED:
        hits.append(_hit("protocol:bad_te", 0.85, ["header", "TRANSFER-ENCODING"], ",".join(tes)))
