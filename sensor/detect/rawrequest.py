"""Lenient reader of one raw HTTP/1.x request (bytes) into the request shape the engine inspects."""
from __future__ import annotations

import re
import zlib
from dataclasses import dataclass, field

_HEX = re.compile(rb"[0-9A-Fa-f]+")


@dataclass(slots=True)
class RawRequest:
    method: str
    target: str
    version: str
    host: str = ""
    headers: list[tuple[str, str]] = field(default_factory=list)
    body: bytes = b""
    # what reading the framing found wrong (`chunk_size`: a chunk size no parser agrees on), for protocol.check
    anomalies: list[str] = field(default_factory=list)


def _dechunk(data: bytes, limit: int, anomalies: list[str] | None = None) -> bytes:
    out = bytearray()
    pos = 0
    while pos < len(data) and len(out) < limit:
        eol = data.find(b"\n", pos)
        if eol < 0:
            break
        size_txt = data[pos:eol].split(b";", 1)[0].strip()
        if not _HEX.fullmatch(size_txt) or len(size_txt.lstrip(b"0")) > 8 or len(size_txt) > 16:
            # hex digits only: int() also reads `0x5`, signs and underscores, which no HTTP parser does; past 4 GiB
            # a chunk size wraps or saturates differently in each parser (`ffffffffffffffff1`), past 16 digits some
            # stop reading: the hops disagree on where the chunk ends
            if anomalies is not None:
                anomalies.append("chunk_size")
            return bytes(out) + data[pos:]
        size = int(size_txt, 16)
        if size == 0:
            break
        start = eol + 1
        out += data[start:start + size]
        pos = start + size
        if data[pos:pos + 2] == b"\r\n":
            pos += 2
        elif data[pos:pos + 1] == b"\n":
            pos += 1
    return bytes(out[:limit])


def parse_raw(data: bytes, body_limit: int = 8 << 20) -> RawRequest:
    """Parse as far as the bytes go: request line, headers, body (de-chunked and decompressed, bounded)."""
    head, sep, body = data.partition(b"\r\n\r\n")
    if not sep:
        head, sep, body = data.partition(b"\n\n")
    lines = head.replace(b"\r\n", b"\n").split(b"\n")
    parts = lines[0].decode("utf-8", "surrogateescape").split(" ")
    parts = [p for p in parts if p != ""] or [""]
    method = parts[0]
    target = parts[1] if len(parts) > 1 else ""
    if len(parts) > 3:  # spaces inside the target: keep them, the version is last
        target = " ".join(parts[1:-1])
    # `GET /path` alone is an HTTP/0.9 simple request (llhttp reports it as 0.9 too)
    version = parts[-1] if len(parts) > 2 else "0.9" if len(parts) == 2 else ""
    if version.upper().startswith("HTTP/"):
        version = version[5:]
    headers: list[tuple[str, str]] = []
    for raw in lines[1:]:
        line = raw.decode("utf-8", "surrogateescape").encode("utf-8", "surrogateescape").decode("utf-8", "replace")
        # only blanks are trimmed: a CR left in a line is a bare CR, which one hop reads as a line end (protocol.py)
        if (line[:1] in (" ", "\t")) and headers:  # obsolete line folding
            k, v = headers[-1]
            headers[-1] = (k, v + " " + line.strip(" \t"))
            continue
        k, c, v = line.partition(":")
        if c:
            headers.append((k.strip(), v.strip(" \t")))
        elif line.strip():
            headers.append((line.strip(), ""))
    lower = {k.lower(): v for k, v in headers}
    anomalies: list[str] = []
    if "chunked" in lower.get("transfer-encoding", "").lower():
        body = _dechunk(body, body_limit, anomalies)
    else:
        cl = lower.get("content-length", "")
        if cl.isdigit() and int(cl) < len(body):
            body = body[: int(cl)]
    body = body[:body_limit]
    enc = lower.get("content-encoding", "").lower()
    if enc in ("gzip", "x-gzip", "deflate") and body:
        try:
            d = zlib.decompressobj(16 + zlib.MAX_WBITS if "gzip" in enc else zlib.MAX_WBITS)
            body = d.decompress(body, body_limit)
        except zlib.error:
            pass
    return RawRequest(method=method, target=target, version=version, host=lower.get("host", ""),
                      headers=headers, body=body, anomalies=anomalies)
