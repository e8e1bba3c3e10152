"""Body dispatcher: picks the parser from Content-Type (or sniffs), and keeps malformed bodies as one raw point."""
from __future__ import annotations

import codecs
import re
from typing import Final, Sequence

from sensor.points.extraction import Extraction, PathItem, header_value
from sensor.points import json as jsonp, multipart, query, xml
from sensor.points.decoders import bytes_to_text, gunzip, unquote_bytes


def parse(ex: Extraction, headers: Sequence[tuple[str, str]], body: bytes, target: str = "") -> None:
    if len(body) > ex.limits.max_body:
        ex.over("body_size")
        body = body[: ex.limits.max_body]
    ctype = header_value(headers, "content-type") or ""
    if "graphql" in ctype.lower() or target.split("?", 1)[0].endswith("/graphql") and not body.lstrip()[:1] in (b"{", b"["):
        from sensor.points import graphql
        text = bytes_to_text(body)
        if graphql.looks_like(text):
            graphql.parse(ex, ["post", "graphql"], text, 1)
            return
    parse_declared(ex, ["post"], body, ctype, 0)


def parse_declared(ex: Extraction, path: list[PathItem], body: bytes, ctype: str, depth: int) -> None:
    """`parse_typed`, then once more decoded as the server decodes it when the declared charset is no ASCII superset."""
    parse_typed(ex, path, body, ctype, depth)
    foreign = _foreign_charset(ctype)
    if foreign and body:
        # IIS/ASP.NET decode a body (or a multipart part) in the charset it declares: `charset=ibm037` (EBCDIC) or
        # utf-16 hides a payload from every reader that assumes ASCII; the bytes are read again as the server reads them
        raw = body
        if body.isascii() and b"%" in body:
            raw = unquote_bytes(body.replace(b"+", b"%20"))
        parse_typed(ex, path + ["charset"], raw.decode(foreign, "replace").encode("utf-8"), ctype, depth + 1)


def _json_lines(ex: Extraction, path: list[PathItem], text: str, depth: int) -> bool:
    """A body of JSON documents one per line (NDJSON/JSON Lines: Elasticsearch's bulk API, batch APIs, log shippers;
    RFC 7464 JSON text sequences start each with RS), read document by document; False, leaving the body to the raw
    reading, unless most lines are JSON. A line that is not is kept as one raw point."""
    lines = [ln.strip("\x1e \t\r") for ln in text.split("\n")]
    lines = [ln for ln in lines if ln]
    good = sum(1 for ln in lines[:16] if ln[:1] in ("{", "[") and ln[-1:] in ("}", "]"))
    if good < 2 or 2 * good < min(len(lines), 16):
        return False
    for n, line in enumerate(lines):
        if ex.full():  # (the point limit, or the request's CPU budget: `{}` lines add no point)
            break
        jsonp.parse(ex, path + ["ndjson", n], line, depth + 1)  # (raw_on_error: a broken line is one raw point)
    return True


_CHARSET: Final = re.compile(r";\s*charset\s*=\s*\"?([\w.:-]{1,40})", re.I)


def _foreign_charset(ctype: str) -> str | None:
    """The body's declared charset when it is not a superset of ASCII (EBCDIC, UTF-16/32, UTF-7), else None."""
    m = _CHARSET.search(ctype)
    if not m:
        return None
    try:
        name = codecs.lookup(m.group(1)).name
        return name if "a=1&b=%27".encode(name) != b"a=1&b=%27" else None
    except (LookupError, UnicodeError):
        return None


def parse_typed(ex: Extraction, path: list[PathItem], body: bytes, ctype: str, depth: int) -> None:
    ct = ctype.lower()
    if depth > ex.limits.max_depth:
        ex.over("depth")
        return
    unz = gunzip(body, ex.limits.max_decoded) if body[:2] in (b"\x1f\x8b",) else None
    if unz is not None:
        parse_typed(ex, path + ["gzip"], unz, "", depth + 1)
        return
    if "multipart/" in ct:
        if multipart.parse(ex, path + ["multipart"], body, ctype, depth):
            return
        ex.add(path, bytes_to_text(body), depth)
        return
    text = bytes_to_text(body)
    stripped = text.lstrip()
    if "json" in ct or (not ct or "text/plain" in ct) and stripped[:1] in ("{", "["):
        if jsonp.parse(ex, path + ["json_doc"], text, depth, raw_on_error=False):
            return
        if stripped[:1] in ("{", "[", "\x1e") and "\n" in stripped.rstrip() and _json_lines(ex, path, stripped, depth):
            return
    if "xml" in ct or stripped[:1] == "<" and not ct.startswith("application/x-www-form-urlencoded"):
        if xml.parse(ex, path + ["xml"], body, depth):
            return
        ex.add(path, text, depth)
        return
    if "x-www-form-urlencoded" in ct:
        query.parse(ex, path + ["form_urlencoded"], text.rstrip("\r\n"), depth)
        return
    # Unknown or text body: inspect raw, plus its pairs when it looks like a form
    ex.add(path, text, depth)
    if "=" in text and "\n" not in text.rstrip("\r\n"):
        query.parse(ex, path + ["form_urlencoded"], text.rstrip("\r\n"), depth)
