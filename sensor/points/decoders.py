"""Value decoders: percent (double, %u, overlong UTF-8), base64-to-text, base64 of gzip/zlib, HTML/JS entities, JWT, gzip."""
from __future__ import annotations

import base64
import binascii
import html
import re
import urllib.parse
import zlib
from typing import Final

_PCT: Final = re.compile(r"%(?:[0-9A-Fa-f]{2}|[uU][0-9A-Fa-f]{4})")
_PCT_B: Final = re.compile(rb"%([0-9A-Fa-f]{2})|%[uU]([0-9A-Fa-f]{4})")
# Overlong UTF-8 (C0/C1 lead bytes, E0 80..9F, F0 80..8F): strict decoders reject them, IIS-era servers did not.
_OVERLONG2: Final = re.compile(rb"[\xc0\xc1][\x80-\xbf]")
_OVERLONG3: Final = re.compile(rb"\xe0[\x80-\x9f][\x80-\xbf]")
_B64: Final = re.compile(r"^[A-Za-z0-9+/_\-]{6,}={0,2}$")  # the length floor is base64_text's min_len
_JWT: Final = re.compile(r"^(eyJ[A-Za-z0-9_\-]{4,})\.(eyJ[A-Za-z0-9_\-]*)\.([A-Za-z0-9_\-]*)$")
_ENTITY: Final = re.compile(r"&(?:#[0-9]{1,8};?|#[xX][0-9A-Fa-f]{1,8};?|[A-Za-z][A-Za-z0-9]{1,31};)")
# legacy octal as JavaScript reads it: \0-\377, so `\741` is `\74` + "1"
_JSESC: Final = re.compile(r"\\(?:u\{[0-9A-Fa-f]{1,6}\}|u[0-9A-Fa-f]{4}|x[0-9A-Fa-f]{2}|[0-3][0-7]{0,2}|[4-7][0-7]?)")
# in a drive-letter or UNC path, `\2024\` or `\01.txt` is a folder or file name, not an octal escape
_WINPATH: Final = re.compile(r"(?:^|[\s\"'=:(])(?:[A-Za-z]:\\|\\\\[\w.$-]+\\)[\w$ .-]")
_NAME_GOES_ON: Final = frozenset([*"0123456789\\._-", ""])  # "": the value ends there
_ENTITY_NUM: Final = re.compile(r"&#(?:0*([0-9]{1,8})|[xX]0*([0-9A-Fa-f]{1,8}));?")  # browsers take any number of leading zeros


def _fix_overlong(data: bytes) -> bytes:
    if b"\xc0" in data or b"\xc1" in data:
        data = _OVERLONG2.sub(lambda m: bytes([((m.group()[0] & 0x1F) << 6 | (m.group()[1] & 0x3F)) & 0x7F]), data)
    if b"\xe0" in data:
        data = _OVERLONG3.sub(
            lambda m: chr(((m.group()[1] & 0x3F) << 6) | (m.group()[2] & 0x3F)).encode("utf-8", "replace"), data)
    return data


def bytes_to_text(data: bytes) -> str:
    """UTF-8 decode that first folds overlong sequences (so %c0%af becomes '/') and never fails."""
    if data.isascii():
        return data.decode("ascii")
    # undecodable bytes survive as lone surrogates (U+DC80..U+DCFF) so detectors can still see them
    return _fix_overlong(data).decode("utf-8", "surrogateescape")


def has_percent(value: str) -> bool:
    return "%" in value and _PCT.search(value) is not None


# every two-hex-digit escape, in any case, and its byte (the table urllib.parse.unquote_to_bytes builds)
_HEX_BYTE: Final = {(a + b).encode(): bytes.fromhex(a + b) for a in "0123456789ABCDEFabcdef" for b in "0123456789ABCDEFabcdef"}


def unquote_bytes(data: bytes) -> bytes:
    """`urllib.parse.unquote_to_bytes` of bytes, here because this module is compiled: `%XX` becomes its byte, any other
    `%` stays. The stdlib's loop runs as interpreted Python: ~26,000 instructions a call on crs-tests values
    (BENCHMARKS.md, stop 32)."""
    bits = data.split(b"%")
    if len(bits) == 1:
        return data
    res = [bits[0]]
    for k in range(1, len(bits)):
        item = bits[k]
        byte = _HEX_BYTE.get(item[:2])
        if byte is None:
            res.append(b"%")
            res.append(item)
        else:
            res.append(byte)
            res.append(item[2:])
    return b"".join(res)


def unquote_text(value: str, plus: bool = False) -> str:
    """`urllib.parse.unquote` (`unquote_plus` with `plus`) of text, compiled for an ASCII one (what targets and header
    values are): the stdlib's regex split and generator run as interpreted Python (3.8 µs against 1.0 on a 70-character
    target with nine escapes)."""
    if plus and "+" in value:
        value = value.replace("+", " ")
    if "%" not in value:
        return value
    if value.isascii():
        return unquote_bytes(value.encode("ascii")).decode("utf-8", "replace")
    return urllib.parse.unquote(value)


def percent_decode(value: str | bytes, plus: bool = False) -> str:
    """One round of percent decoding, accepting %uXXXX; invalid escapes are kept as they are."""
    if isinstance(value, str):
        if "%" not in value and value.isascii():
            return value.replace("+", " ") if plus and "+" in value else value  # nothing to decode or fold
        data = value.encode("utf-8", "surrogateescape")
    else:
        data = value
    if plus:
        data = data.replace(b"+", b" ")
    if b"%" not in data:
        return bytes_to_text(data)
    if b"%u" not in data and b"%U" not in data:
        return bytes_to_text(unquote_bytes(data))  # same result as the regex below for %XX only, cheaper

    def rep(m: re.Match) -> bytes:
        if m.group(1) is not None:
            return bytes([int(m.group(1), 16)])
        return chr(int(m.group(2), 16)).encode("utf-8", "surrogatepass")

    return bytes_to_text(_PCT_B.sub(rep, data))


_SHORT_TEXT: Final = re.compile(r"^[ -~]*[^A-Za-z0-9][ -~]*$")  # printable ASCII with a blank or punctuation in it


def base64_text(value: str, min_len: int = 8) -> str | None:
    """Decode base64/base64url when it yields printable UTF-8 text; None otherwise.

    Values under 12 characters (≤ 8 bytes: `' or 1=1` is 12) must decode to printable ASCII holding a blank or
    punctuation: short tokens and ids are valid base64 too, and only syntax makes their text worth inspecting."""
    v = value.strip()
    if len(v) < min_len or not _B64.match(v):
        return None
    # Plain words and numbers are valid base64 too: skip numbers and words in one case or Capitalised (base64 of
    # text mixes cases at random: `JyBvciBhYmMh` is all letters and reads `' or abc!`).
    if v.isdigit() or v.isalpha() and (v.islower() or v.isupper() or v[1:].islower()):
        return None
    raw = _b64_bytes(v)
    if not raw:
        return None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        return None
    if len(v.rstrip("=")) <= 8 and min_len >= 8 and not _SHORT_TEXT.match(text):
        return None
    printable = sum(1 for c in text if c.isprintable() or c in "\r\n\t")
    if printable < len(text) * 0.95:
        return None
    return text


# base64 of a gzip member (1f 8b 08 → `H4sI`) or of a zlib stream (78 01/5e/9c/da → `eA`, `eF`, `eJ`, `eN`): how
# apps and attackers ship compressed state in cookies and parameters (view states, session blobs, beacons)
_B64_COMPRESSED: Final = ("H4sI", "eA", "eF", "eJ", "eN")


def base64_inflate(value: str, limit: int) -> bytes | None:
    """The decompressed bytes (at most `limit`) of base64/base64url gzip or zlib data; None when it is not that."""
    v = value.strip()
    if len(v) < 16 or limit <= 0 or not v.startswith(_B64_COMPRESSED) or not _B64.match(v):
        return None
    raw = _b64_bytes(v)
    return (gunzip(raw, limit) or None) if raw else None


def _b64_bytes(v: str) -> bytes | None:
    """Standard or URL-safe base64 with or without padding; None when it does not decode."""
    if "-" in v or "_" in v:
        v = v.replace("-", "+").replace("_", "/")
    v = v.rstrip("=")
    v += "=" * (-len(v) % 4)
    try:
        return base64.b64decode(v, validate=True)
    except (binascii.Error, ValueError):
        return None


def jwt_parts(value: str) -> tuple[str, str] | None:
    """Header and payload JSON text of a JWT, or None."""
    m = _JWT.match(value.strip())
    if not m:
        return None
    out = []
    for seg in (m.group(1), m.group(2)):
        t = base64_text(seg, min_len=2) if seg else ""
        if t is None:
            return None
        out.append(t)
    return out[0], out[1]


def has_entities(value: str) -> bool:
    return "&" in value and _ENTITY.search(value) is not None


def _num_entity(m: re.Match) -> str:
    try:
        cp = int(m.group(1)) if m.group(1) is not None else int(m.group(2), 16)
        return chr(cp) if 0 < cp < 0x110000 else ""
    except (ValueError, OverflowError):
        return ""


def html_decode(value: str) -> str:
    """HTML entity decoding, including numeric entities without ';' and with leading zeros (browser behaviour)."""
    return html.unescape(_ENTITY_NUM.sub(_num_entity, value))


def has_js_escapes(value: str) -> bool:
    return "\\" in value and _JSESC.search(value) is not None


def js_decode(value: str) -> str:
    """JavaScript/JSON string escapes: \\uXXXX, \\u{X}, \\xXX, octal (not inside Windows paths)."""
    winpath = _WINPATH.search(value) is not None

    def rep(m: re.Match) -> str:
        s = m.group()[1:]
        try:
            if s[0] == "u":
                cp = int(s[2:-1], 16) if s[1] == "{" else int(s[1:], 16)
            elif s[0] == "x":
                cp = int(s[1:], 16)
            elif winpath and value[m.end():m.end() + 1] in _NAME_GOES_ON:
                return m.group()
            else:
                cp = int(s, 8)
            return chr(cp) if cp < 0x110000 else ""
        except ValueError:
            return m.group()
    return _JSESC.sub(rep, value)


def gunzip(data: bytes, limit: int) -> bytes | None:
    """Bounded gzip/zlib decompression; None when data is not compressed."""
    if data[:2] == b"\x1f\x8b":
        wbits = 16 + zlib.MAX_WBITS
    elif len(data) > 2 and data[0] == 0x78 and (data[0] * 256 + data[1]) % 31 == 0:
        wbits = zlib.MAX_WBITS
    else:
        return None
    try:
        d = zlib.decompressobj(wbits)
        return d.decompress(data, limit)
    except zlib.error:
        return None
