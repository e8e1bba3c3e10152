"""CRLF / header injection: an encoded CR LF in a value creates a response header of our choosing."""
from __future__ import annotations

from scanner.checks.base import Context, finding
from scanner.client import Exchange
from scanner.endpoints import Endpoint, Param
from scanner.finding import Finding


def check(ctx: Context, ep: Endpoint, param: Param, base: Exchange) -> list[Finding]:
    tok = ctx.token("crlf", ep.url, param.label)
    name = f"X-Rmp-{tok}"
    for sep in ("\r\n", "\n", "\r"):
        ex = ctx.probe(ep, param, f"{param.value}{sep}{name}: 1")
        if ex is None:
            return []
        if ex.header(name) is not None:
            out = finding("crlf", "medium", ep, param, ex, None, 0.95, "header",
                          "CRLF injection: the probe added its own response header")
            out.evidence["response_excerpt"] = f"HTTP/1.1 {ex.status}\n{name}: {ex.header(name)}"
            return [out]
    return []
