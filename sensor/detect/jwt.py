"""Forged JSON Web Tokens: an unsigned token (`alg: none`) and a header that carries its own verification key."""
from __future__ import annotations

import json
import re

from sensor.detect.base import Finding
from sensor.points.decoders import base64_text

TYPE = "jwt"
# A compact JWS anywhere in the value (`Bearer eyJ…`, a cookie, `?access_token=`): header, payload, signature. The
# header segment always starts `eyJ` (base64 of `{"`); the analyser decodes it.
TRIGGERS = [r"(?:^|[^A-Za-z0-9_\-])eyJ[A-Za-z0-9_\-]{8,}\.[A-Za-z0-9_\-]*\.[A-Za-z0-9_\-]*(?:$|[^A-Za-z0-9_\-.])"]
_TOKEN = re.compile(r"(?<![A-Za-z0-9_\-])(eyJ[A-Za-z0-9_\-]{8,})\.([A-Za-z0-9_\-]*)\.([A-Za-z0-9_\-]*)(?![A-Za-z0-9_\-.])")


def _json(seg: str) -> dict | None:
    text = base64_text(seg, min_len=2) if seg else None
    if text is None:
        return None
    try:
        doc = json.loads(text)
    except ValueError:
        return None
    return doc if isinstance(doc, dict) else None


def analyze(value: str) -> Finding | None:
    for m in _TOKEN.finditer(value[:16384]):
        head = _json(m.group(1))
        if head is None:
            continue
        alg = head.get("alg")
        # RFC 7519's unsecured JWT: accepted by libraries that take the algorithm from the token (CVE-2015-9235).
        # Any casing (`NoNe`, `NONE`): the bypasses compare case-insensitively. With a signature left on it is the
        # same forgery aimed at a library that ignores the signature for `none`.
        if isinstance(alg, str) and alg.strip().lower() == "none":
            return Finding(TYPE, "jwt:alg_none", 0.9 if not m.group(3) else 0.85)
        # A public key embedded in the header (`jwk`, CVE-2018-0114): a verifier that trusts it accepts a token the
        # attacker signed with the matching private key. A DPoP proof (RFC 9449) carries its key this way by design;
        # it says so in `typ` and binds the request with `htm`/`htu` claims.
        if isinstance(head.get("jwk"), dict):
            if str(head.get("typ", "")).lower() == "dpop+jwt":
                claims = _json(m.group(2)) or {}
                if "htm" in claims and "htu" in claims:
                    continue
            return Finding(TYPE, "jwt:embedded_jwk", 0.85)
    return None
