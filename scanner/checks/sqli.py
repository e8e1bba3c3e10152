"""SQL injection: error-based, boolean-based differential, and time-based with statistical confirmation."""
from __future__ import annotations

import difflib
import os
from typing import Optional

from scanner.checks.base import Context, confirm_delay, finding
from scanner.client import Exchange
from scanner.endpoints import Endpoint, Param
from scanner.finding import Finding
from scanner.signatures import Matcher

ERROR_PROBES = ("'", "\"", "')", "1'\"`")
# (true, false) condition pairs; {v} is the benign value. Two pairs must agree before we report.
BOOLEAN_PAIRS = (
    ("{v} AND {a}={a}", "{v} AND {a}={b}"),
    ("{v}' AND '{a}'='{a}", "{v}' AND '{a}'='{b}"),
    ("{v}\" AND \"{a}\"=\"{a}", "{v}\" AND \"{a}\"=\"{b}"),
    ("{v}' AND {a}={a}-- -", "{v}' AND {a}={b}-- -"),
)
MAX_COMPARE = 200_000     # characters of a page compared at all
MAX_MIDDLE = 4_000        # characters of the differing middle given to difflib
TIME_PROBES = (
    "{v} AND SLEEP({d})",
    "{v}' AND SLEEP({d}) AND '1'='1",
    "{v}\" AND SLEEP({d}) AND \"1\"=\"1",
    "{v};SELECT pg_sleep({d})--",
    "{v}';SELECT pg_sleep({d})--",
    "{v};WAITFOR DELAY '0:0:{d}'--",
)


def _similar(a: Exchange, b: Exchange) -> float:
    """Similarity of two responses in 0..1 (difflib's ratio), cheap on pages that share most of their text.

    The common prefix and suffix (page boilerplate) count as matched outright; difflib only compares the
    differing middle, itself capped, so large pages cannot make this quadratic.
    """
    if a.status != b.status:
        return 0.0
    x, y = a.text[:MAX_COMPARE], b.text[:MAX_COMPARE]
    if x == y:
        return 1.0
    pre = len(os.path.commonprefix([x, y]))
    suf = len(os.path.commonprefix([x[pre:][::-1], y[pre:][::-1]]))
    mx, my = x[pre:len(x) - suf][:MAX_MIDDLE], y[pre:len(y) - suf][:MAX_MIDDLE]
    matched = sum(blk.size for blk in difflib.SequenceMatcher(None, mx, my, autojunk=False).get_matching_blocks())
    return 2.0 * (pre + suf + matched) / (len(x) + len(y))


def check(ctx: Context, ep: Endpoint, param: Param, base: Exchange) -> list[Finding]:
    return (_error_based(ctx, ep, param, base, ctx.sql_errors) or _boolean(ctx, ep, param, base)
            or _time_based(ctx, ep, param, base))


def _error_based(ctx: Context, ep: Endpoint, param: Param, base: Exchange, matcher: Matcher) -> list[Finding]:
    if matcher.scan(base.body):
        return []      # the page shows SQL errors anyway: error-based evidence would prove nothing
    for probe in ERROR_PROBES:
        ex = ctx.probe(ep, param, param.value + probe)
        if ex is None:
            return []
        hits = matcher.scan(ex.body)
        if hits:
            h = hits[0]
            return [finding("sqli", "critical", ep, param, ex, h.text, 0.9, "error",
                            f"SQL injection: {h.signature.name} error message after a quote probe")]
    return []


def _boolean(ctx: Context, ep: Endpoint, param: Param, base: Exchange) -> list[Finding]:
    again = ctx.probe(ep, param, param.value)
    if again is None:
        return []
    stable = _similar(base, again)       # how alike two identical requests are: the page's own noise
    if stable < 0.95:
        return []                        # too dynamic for a differential to mean anything
    need_gap = 0.002 + (1.0 - stable)
    a = ctx.number("sqli-a", ep.url, param.label)

    def pair(true_t: str, false_t: str, x: int) -> Optional[tuple[Exchange, Exchange, float, float]]:
        t = ctx.probe(ep, param, true_t.format(v=param.value, a=x, b=x + 1))
        f = ctx.probe(ep, param, false_t.format(v=param.value, a=x, b=x + 1))
        if t is None or f is None:
            return None
        st, sf = _similar(t, base), _similar(f, base)
        # True looks like the baseline as much as the baseline looks like itself; false clearly does not.
        return (t, f, st, sf) if st >= stable - 0.005 and st - sf > need_gap else None

    for true_t, false_t in BOOLEAN_PAIRS:
        first = pair(true_t, false_t, a)
        if first is None:
            continue
        # Confirm with a second pair on other numbers, whose false page must look like the first one.
        second = pair(true_t, false_t, a + 7)
        if second is None or _similar(first[1], second[1]) < stable - 0.005:
            continue
        t, f, st, sf = first
        out = finding("sqli", "critical", ep, param, f, None, 0.85, "boolean",
                      "SQL injection: true and false conditions give different pages")
        out.evidence["request"] = (f"TRUE:  {t.request_text()}\n\nFALSE: {f.request_text()}")[:4096]
        out.evidence["response_excerpt"] = (
            f"similarity to the baseline: true {st:.3f}, false {sf:.3f} (baseline vs itself {stable:.3f})"
            f"\nFALSE: {f.excerpt()}")
        return [out]
    return []


def _time_based(ctx: Context, ep: Endpoint, param: Param, base: Exchange) -> list[Finding]:
    baseline = [base.elapsed]
    for template in TIME_PROBES:
        last: dict[str, Exchange] = {}

        def measure(delay: float, template: str = template) -> Optional[float]:
            d = f"{delay:g}"
            ex = ctx.probe(ep, param, template.format(v=param.value, d=d))
            if ex is not None:
                last["ex"] = ex
            return None if ex is None else ex.elapsed

        stats = confirm_delay(measure, ctx.time_delay, baseline)
        if stats and "ex" in last:
            ex = last["ex"]
            out = finding("sqli", "critical", ep, param, ex, None, 0.9, "time",
                          "SQL injection: response time follows the requested database sleep")
            out.evidence["response_excerpt"] = (
                f"latency vs requested delay: slope {stats['slope']}, r {stats['r']} over {stats['samples']} "
                f"samples; probe {template.format(v=param.value, d=f'{ctx.time_delay:g}')!r}\n{ex.excerpt()}")
            return [out]
    return []
