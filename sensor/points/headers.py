"""Header parser: every header value is a point `["header", NAME]` (cookies go through the cookie parser)."""
from __future__ import annotations

import base64
import binascii
import re
from typing import Final, Sequence

from sensor.points.extraction import Extraction

# Values of these headers are structured by the HTTP layer itself; protocol checks look at them instead.
_SKIP: Final = {"cookie", "content-length", "connection", "transfer-encoding"}
_CREDENTIALS: Final = {"authorization", "proxy-authorization"}
# A Content-Type is inspected only when it is not a media type with parameters: OGNL sent there (Struts S2-045) is
# an attack, `multipart/form-data; boundary=----x` is not (parameter values: RFC 9110 tokens, RFC 2046 boundaries).
_MEDIA_TYPE: Final = re.compile(r"^\s*[\w.+\-]+/[\w.+\-]+(?:\s*;\s*[\w.\-]+\s*=\s*(?:[\w!#%&'*+.^`|~\-]*|\"[\w'()+,\-./:=? ]*\"))*\s*;?\s*$")


def _one(ex: Extraction, k: str, v: str) -> None:
    if k.lower() == "content-type" and _MEDIA_TYPE.match(v):
        return  # checked here, inside the memoised piece, so a repeated Content-Type costs one lookup
    ex.add(["header", k.upper()], v, 1)
    if k.lower() in _CREDENTIALS and v[:7].lower() == "bearer ":
        # the token on its own, so that a JWT's header and claims (`kid`, `jku`) become points
        ex.add(["header", k.upper(), "bearer"], v[7:].strip(), 1)
    elif k.lower() in _CREDENTIALS and v[:6].lower() == "basic ":
        _basic(ex, k.upper(), v[6:].strip())
    if not k.replace("-", "").replace("_", "").isalnum():
        ex.add(["header", k.upper(), "#key"], k, 1)


def _basic(ex: Extraction, name: str, token: str) -> None:
    """`Basic <base64(user:password)>`: the user name and the password are values the server hands to its login code
    (a shell, an LDAP filter, SQL), so each is a point (Kemp LoadMaster CVE-2024-1212 runs the user name in a shell).
    Not base64: no points (the header value itself stays one); bytes that are not UTF-8 are read as Latin-1."""
    if not token or len(token) > 4096:
        return
    try:
        raw = base64.b64decode(token + "=" * (-len(token) % 4), validate=True)
    except (binascii.Error, ValueError):
        return
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        text = raw.decode("latin-1")
    user, colon, password = text.partition(":")
    ex.add(["header", name, "basic", "username"], user, 1)
    if colon:
        ex.add(["header", name, "basic", "password"], password, 1)


def parse(ex: Extraction, headers: Sequence[tuple[str, str]]) -> None:
    for k, v in headers:
        if k.lower() in _SKIP:
            continue
        if ex.full():
            return
        # the same User-Agent, Accept, ... arrive on every request: their points are memoised when the caller allows
        ex.piece(("h", k, v), len(v), _one, ex, k, v)
