"""What every check gets: the bounded client, deterministic canaries, the SSRF listener, a probe helper."""
from __future__ import annotations

import hashlib
import statistics
from dataclasses import dataclass, field
from typing import Callable, Optional

from scanner.canary import CanaryListener
from scanner.client import Exchange, FetchError, ScanClient
from scanner.endpoints import Endpoint, Param
from scanner.finding import Finding, evidence
from scanner.scope import OutOfScope
from scanner.signatures import SIGNATURES, Matcher

MAX_ERRORS = 1000     # errors kept for the terminal; a broken target must not grow memory without end


@dataclass
class Context:
    client: ScanClient
    nonce: str                                   # per-scan secret making canaries unique
    canary: Optional[CanaryListener] = None
    time_delay: float = 2.0                      # seconds asked of time-based payloads
    log: Callable[[str], None] = lambda _m: None
    errors: list[str] = field(default_factory=list)
    pending_ssrf: list[tuple[str, Finding]] = field(default_factory=list)   # canary tokens not seen yet
    sql_errors: Matcher = field(default_factory=lambda: Matcher(tuple(s for s in SIGNATURES
                                                                      if s.kind == "sql_error")))

    def token(self, *parts: str) -> str:
        """A unique, reproducible canary for this scan and these parts (letters+digits, starts with 'rmp')."""
        digest = hashlib.sha256("|".join((self.nonce,) + parts).encode()).hexdigest()
        return "rmp" + digest[:10]

    def number(self, *parts: str) -> int:
        """A 4-digit number derived like a token (for arithmetic probes)."""
        return 1000 + int(self.token(*parts)[3:], 16) % 9000

    def probe(self, ep: Endpoint, param: Optional[Param], value: str) -> Optional[Exchange]:
        """Send the endpoint with `param` set to `value`; None (and a recorded error) when it fails."""
        method, url, headers, body = ep.build(param, value)
        try:
            return self.client.request(method, url, headers=headers, body=body)
        except (FetchError, OutOfScope) as exc:
            if len(self.errors) < MAX_ERRORS:
                self.errors.append(str(exc))
            return None


def finding(ftype: str, severity: str, ep: Endpoint, param: Optional[Param], ex: Exchange, needle: Optional[str],
            confidence: float, technique: str, title: str) -> Finding:
    return Finding(type=ftype, severity=severity, url=ep.display_url, method=ep.method,
                   param=param.label if param else "", confidence=confidence, technique=technique, title=title,
                   evidence=evidence(ex.request_text(), ex.excerpt(needle)))


def confirm_delay(measure: Callable[[float], Optional[float]], delay: float,
                  baseline: list[float]) -> Optional[dict[str, float]]:
    """Statistical confirmation of a time-based injection.

    Latency must follow the delay we ask for: samples at D, 0, 2D, 0 and D seconds (plus the baseline at 0)
    are fitted with a least-squares line; we accept only a slope near 1 with a strong correlation, every
    delayed sample at least 85% of its delay above the fastest undelayed one, and every undelayed sample near
    it. An undelayed sample that comes back slow is measured once more (a load spike is not a verdict).
    Stops after one request when the first delayed sample is fast (the common, not-vulnerable case).
    """
    first = measure(delay)
    if first is None or first < 0.85 * delay:
        return None
    base = min(baseline) if baseline else 0.0
    xs, ys = [delay], [first]
    for d in (0.0, 2 * delay, 0.0, delay):
        t = measure(d)
        if t is None:
            return None
        if not d:
            if t - base > 0.5 * delay:
                again = measure(0.0)
                if again is None or again - base > 0.5 * delay:
                    return None
                t = min(t, again)
            base = min(base, t) if baseline else t
        elif t - base < 0.85 * d:
            return None
        xs.append(d)
        ys.append(t)
    xs += [0.0] * len(baseline)
    ys += list(baseline)
    slope, intercept = statistics.linear_regression(xs, ys)
    r = statistics.correlation(xs, ys)
    if not (0.75 <= slope <= 1.5 and r >= 0.95):
        return None
    return {"slope": round(slope, 3), "intercept": round(intercept, 3), "r": round(r, 4), "samples": len(xs)}
