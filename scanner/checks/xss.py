"""Reflected XSS: a unique tag/handler probe that comes back unescaped in an HTML (executable) context."""
from __future__ import annotations

from scanner.checks.base import Context, finding
from scanner.client import Exchange
from scanner.endpoints import Endpoint, Param
from scanner.finding import Finding


def check(ctx: Context, ep: Endpoint, param: Param, base: Exchange) -> list[Finding]:
    tok = ctx.token("xss", ep.url, param.label)
    # Breaks out of attribute and text contexts; harmless (a console-less handler body).
    markers = (f"<svg/onload={tok}()>", f"<script>{tok}()</script>")
    for marker in markers:
        ex = ctx.probe(ep, param, f"{param.value}\"'>{marker}")
        if ex is None:
            return []
        if marker in ex.text and ex.content_type in ("text/html", "application/xhtml+xml", ""):
            return [finding("xss", "high", ep, param, ex, marker, 0.9, "reflection",
                            "Reflected cross-site scripting: probe reflected unescaped in HTML")]
        if tok not in ex.text:          # not reflected at all: the second probe would not be either
            return []
    return []
