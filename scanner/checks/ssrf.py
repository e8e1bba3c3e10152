"""SSRF: the target fetches a URL of the scanner's loopback canary listener, with a token unique to the point."""
from __future__ import annotations

from scanner.checks.base import Context, finding
from scanner.client import Exchange
from scanner.endpoints import Endpoint, Param
from scanner.finding import Finding


def check(ctx: Context, ep: Endpoint, param: Param, base: Exchange) -> list[Finding]:
    if ctx.canary is None:
        return []
    tok = ctx.token("ssrf", ep.url, param.label)
    url = ctx.canary.url_for(tok)
    ex = ctx.probe(ep, param, url)
    if ex is None:
        return []
    out = finding("ssrf", "high", ep, param, ex, None, 0.95, "canary",
                  "Server-side request forgery: the server fetched the canary URL")
    source = ctx.canary.seen(tok, wait=0.1)
    if source is None:
        ctx.pending_ssrf.append((tok, out))     # a queued/asynchronous fetch may still come: see sweep()
        return []
    return [_confirmed(out, url, source)]


def _confirmed(out: Finding, url: str, source: str) -> Finding:
    out.title += f" (from {source})"
    out.evidence["response_excerpt"] = f"canary {url} was requested by {source}\n" + out.evidence["response_excerpt"]
    return out


def sweep(ctx: Context, wait: float = 1.0) -> list[Finding]:
    """Late canary hits: probes whose fetch arrived after their response (checked once, at scan end)."""
    if ctx.canary is None or not ctx.pending_ssrf:
        return []
    found: list[Finding] = []
    for i, (tok, out) in enumerate(ctx.pending_ssrf):
        source = ctx.canary.seen(tok, wait=wait if i == 0 else 0.0)
        if source is not None:
            found.append(_confirmed(out, ctx.canary.url_for(tok), source))
    ctx.pending_ssrf.clear()
    return found
