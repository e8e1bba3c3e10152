"""Open redirect: the Location header (or a meta refresh) sends the browser to a host we chose."""
from __future__ import annotations

import re
from urllib.parse import urljoin, urlsplit

from scanner.checks.base import Context, finding
from scanner.client import Exchange
from scanner.endpoints import Endpoint, Param
from scanner.finding import Finding

_REFRESH = re.compile(r"<meta[^>]+http-equiv=[\"']?refresh[^>]+url=([^\"'>\s]+)", re.I)


def check(ctx: Context, ep: Endpoint, param: Param, base: Exchange) -> list[Finding]:
    # .invalid never resolves (RFC 2606): the client only reads the Location, it never follows it.
    host = f"{ctx.token('redir', ep.url, param.label)}.invalid"
    for value in (f"https://{host}/", f"//{host}/", f"/\\{host}/"):
        ex = ctx.probe(ep, param, value)
        if ex is None:
            return []
        target = ex.header("location") if 300 <= ex.status < 400 else None
        if target is None:
            m = _REFRESH.search(ex.text)
            target = m.group(1) if m else None
        if target and (urlsplit(urljoin(ex.url, target.replace("\\", "/"))).hostname or "") == host:
            out = finding("open_redirect", "medium", ep, param, ex, host, 0.9, "location",
                          f"Open redirect to an attacker-chosen host ({target})")
            out.evidence["response_excerpt"] = f"HTTP/1.1 {ex.status}\nLocation: {target}"
            return [out]
    return []
