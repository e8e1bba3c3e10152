"""OS command injection: computed output echoed back, or response time following a requested `sleep`."""
from __future__ import annotations

from typing import Optional

from scanner.checks.base import Context, confirm_delay, finding
from scanner.client import Exchange
from scanner.endpoints import Endpoint, Param
from scanner.finding import Finding

SEPARATORS = (";", "|", "&&", "\n", "`{cmd}`", "$({cmd})")


def _inject(value: str, sep: str, cmd: str) -> str:
    return value + (sep.format(cmd=cmd) if "{cmd}" in sep else f"{sep}{cmd}")


def check(ctx: Context, ep: Endpoint, param: Param, base: Exchange) -> list[Finding]:
    return _echo(ctx, ep, param, base) or _time(ctx, ep, param, base)


def _echo(ctx: Context, ep: Endpoint, param: Param, base: Exchange) -> list[Finding]:
    tok = ctx.token("cmdi", ep.url, param.label)
    a, b = ctx.number("cmdi-a", ep.url, param.label), ctx.number("cmdi-b", ep.url, param.label)
    # The shell must compute a*b: a reflected probe shows "$((a*b))", never the product next to the token.
    expect = f"{tok}{a * b}"
    for sep in SEPARATORS:
        ex = ctx.probe(ep, param, _inject(param.value, sep, f"echo {tok}$(({a}*{b}))"))
        if ex is None:
            return []
        if expect in ex.text:
            return [finding("rce", "critical", ep, param, ex, expect, 0.95, "echo",
                            "OS command injection: shell arithmetic output echoed in the response")]
    return []


def _time(ctx: Context, ep: Endpoint, param: Param, base: Exchange) -> list[Finding]:
    for sep in SEPARATORS:
        last: dict[str, Exchange] = {}

        def measure(delay: float, sep: str = sep) -> Optional[float]:
            ex = ctx.probe(ep, param, _inject(param.value, sep, f"sleep {delay:g}"))
            if ex is not None:
                last["ex"] = ex
            return None if ex is None else ex.elapsed

        stats = confirm_delay(measure, ctx.time_delay, [base.elapsed])
        if stats and "ex" in last:
            ex = last["ex"]
            out = finding("rce", "critical", ep, param, ex, None, 0.9, "time",
                          "OS command injection: response time follows the requested sleep")
            out.evidence["response_excerpt"] = (
                f"latency vs requested sleep: slope {stats['slope']}, r {stats['r']} over {stats['samples']} "
                f"samples\n{ex.excerpt()}")
            return [out]
    return []
