"""Server-side template injection: template arithmetic on two unique numbers evaluates to their product."""
from __future__ import annotations

from scanner.checks.base import Context, finding
from scanner.client import Exchange
from scanner.endpoints import Endpoint, Param
from scanner.finding import Finding

SYNTAXES = ("{{%d*%d}}", "${%d*%d}", "<%%= %d*%d %%>", "#{%d*%d}", "{%d*%d}")


def check(ctx: Context, ep: Endpoint, param: Param, base: Exchange) -> list[Finding]:
    a, b = ctx.number("ssti-a", ep.url, param.label), ctx.number("ssti-b", ep.url, param.label)
    product = str(a * b)
    if product in base.text:
        return []
    for syntax in SYNTAXES:
        ex = ctx.probe(ep, param, syntax % (a, b))
        if ex is None:
            return []
        if product in ex.text:
            return [finding("ssti", "critical", ep, param, ex, product, 0.95, "arithmetic",
                            f"Server-side template injection: {syntax % (a, b)} evaluated to {product}")]
    return []
