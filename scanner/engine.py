"""Runs a scan: crawl and merge endpoints, probe every injection point, check every origin, merge findings."""
from __future__ import annotations

import secrets
import time
from dataclasses import dataclass, field
from typing import Callable, Iterable

from core.events import TransactionEvent
from scanner import report
from scanner.canary import CanaryListener
from scanner.checks import ORIGIN_CHECKS, PARAM_CHECKS, RESPONSE_CHECKS, ssrf
from scanner.checks.base import Context
from scanner.client import Exchange, Limits, ScanClient
from scanner.crawl import CrawlResult, Crawler, origin_of
from scanner.endpoints import Endpoint
from scanner.finding import Finding
from scanner.passive import Observed, PassiveAnalyzer, analyze_events
from scanner.replay import ReplayStats, replay
from scanner.scope import Scope


@dataclass
class ScanOptions:
    scope: Scope
    targets: list[str] = field(default_factory=list)
    endpoints: list[Endpoint] = field(default_factory=list)      # from --openapi / --from-inventory
    limits: Limits = field(default_factory=Limits)
    time_delay: float = 2.0
    verify_tls: bool = True
    max_pages: int = 200
    nonce: str = ""                                               # fixed for reproducible canaries
    passive_events: Iterable[TransactionEvent] = ()
    replay_events: Iterable[TransactionEvent] = ()


@dataclass
class ScanResult:
    findings: list[Finding]
    errors: list[str]
    requests: int
    refused: int
    wall: float
    endpoints: int
    points: int
    unreachable: list[str]
    replay: ReplayStats


def run_scan(opts: ScanOptions, log: Callable[[str], None] = lambda _m: None) -> ScanResult:
    start = time.monotonic()
    found: list[Finding] = []
    canary = CanaryListener()
    client = ScanClient(opts.scope, opts.limits, verify=opts.verify_tls)
    ctx = Context(client=client, nonce=opts.nonce or secrets.token_hex(8), canary=canary,
                  time_delay=opts.time_delay, log=log)
    unreachable: list[str] = []
    points = 0
    rstats = ReplayStats()
    try:
        crawl = CrawlResult(endpoints=[e for e in opts.endpoints if opts.scope.allows_url(_concrete(e.url))])
        for e in opts.endpoints:
            if not opts.scope.allows_url(_concrete(e.url)):
                log(f"skipped (outside scope): {e.method} {e.url}")
        analyzer = PassiveAnalyzer()

        def on_page(ex: Exchange) -> None:
            for chk in RESPONSE_CHECKS:
                found.extend(chk.check(ex))
            found.extend(analyzer.analyze(Observed(url=ex.url.split("?", 1)[0], method=ex.method, target=ex.url,
                                                   status=ex.status, headers=ex.headers, body=ex.body)))

        if opts.targets:
            log(f"crawling {len(opts.targets)} target(s) in scope {opts.scope}")
            crawl = Crawler(client, opts.scope, max_pages=opts.max_pages, log=log).crawl(opts.targets, crawl, on_page)
            unreachable = [t for t in opts.targets if t not in crawl.fetched]
        for url in sorted(set(crawl.refused)):
            log(f"not followed (outside scope): {url}")
        ctx.errors.extend(crawl.errors)
        eps = sorted((e for e in crawl.endpoints if e.params), key=lambda e: e.key())
        log(f"{len(eps)} endpoint(s) with parameters, {sum(len(e.params) for e in eps)} injection point(s)")
        for i, ep in enumerate(eps, 1):
            base = ctx.probe(ep, None, "")
            if base is None:
                log(f"[{i}/{len(eps)}] {ep.method} {ep.url}: no baseline ({ctx.errors[-1]})")
                continue
            for chk in RESPONSE_CHECKS:
                found += chk.check(base)
            for param in ep.params:
                points += 1
                n_before = len(found)
                for chk in PARAM_CHECKS:
                    found += chk.check(ctx, ep, param, base)
                new = ", ".join(f"{f.type}/{f.technique}" for f in found[n_before:])
                log(f"[{i}/{len(eps)}] {ep.method} {ep.url} {param.label}: {new or 'nothing'}"
                    f" ({client.sent} requests, {time.monotonic() - start:.1f}s)")
        origins = sorted({origin_of(e.url) for e in crawl.endpoints} | {origin_of(t) for t in opts.targets})
        for origin in origins:
            if origin in {origin_of(u) for u in unreachable}:
                continue
            if not opts.scope.allows_url(origin + "/"):
                continue
            for ochk in ORIGIN_CHECKS:
                found += ochk.check(ctx, origin, sorted(crawl.dirs.get(origin, set())))
            log(f"origin {origin}: exposure checks done")
        found += ssrf.sweep(ctx)
        passive = analyze_events(opts.passive_events, analyzer)
        if passive:
            log(f"passive: {len(passive)} finding(s) in captured transactions")
        found += passive
        found += replay(ctx, opts.scope, opts.replay_events, rstats)
    finally:
        client.close()
        canary.close()
    findings = report.merge(found)
    return ScanResult(findings=findings, errors=sorted(set(ctx.errors)), requests=client.sent,
                      refused=client.refused, wall=time.monotonic() - start, endpoints=len(crawl.endpoints),
                      points=points, unreachable=unreachable, replay=rstats)


def _concrete(url: str) -> str:
    return url.replace("{", "").replace("}", "")
