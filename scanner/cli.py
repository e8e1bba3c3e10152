"""`rampart scan`: active scan of in-scope targets, passive analysis and replay of captured events, report/store."""
from __future__ import annotations

import re
import sys
from contextlib import ExitStack
from typing import Optional

import click

from core.logging import redact
from scanner.client import Limits
from scanner.crawl import load_inventory, load_openapi
from scanner.engine import ScanOptions, run_scan
from scanner.scope import Scope

SEVERITY_ORDER = ("critical", "high", "medium", "low", "info")


def _rate(value: str) -> float:
    m = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*(?:/s)?\s*", value or "")
    if not m:
        raise click.BadParameter(f"expected N/s (e.g. 20/s), got {value!r}", param_hint="--rate")
    return float(m.group(1))


def _size(value: str) -> int:
    m = re.fullmatch(r"\s*(\d+)\s*([kKmM]i?[bB]?)?\s*", value or "")
    if not m:
        raise click.BadParameter(f"expected a byte count like 1MiB, got {value!r}", param_hint="--max-body")
    mult = {"k": 1024, "m": 1 << 20}.get((m.group(2) or " ")[0].lower(), 1)
    return int(m.group(1)) * mult


def _clickhouse(spec: str):
    import logging

    from clickhouse_driver import Client  # imported only when ClickHouse is really used
    # The driver logs a full traceback for a refused connection; our one-line error says it all.
    logging.getLogger("clickhouse_driver").setLevel(logging.CRITICAL)
    host, _, port = spec.rpartition(":")
    if not host or not port.isdigit():
        raise click.BadParameter(f"expected HOST:PORT (native protocol), got {spec!r}", param_hint="--clickhouse")
    return Client(host=host.strip("[]"), port=int(port), connect_timeout=5, send_receive_timeout=30)


@click.command("scan")
@click.option("--target", "targets", multiple=True, metavar="URL", help="Start URL to crawl and probe (repeatable).")
@click.option("--openapi", "openapi", metavar="SPEC", help="OpenAPI 3 / Swagger spec (JSON or YAML) to scan.")
@click.option("--from-inventory", is_flag=True, help="Scan the endpoints discovered in the region's ClickHouse.")
@click.option("--region", default="eu", show_default=True, help="Region whose ClickHouse database to use.")
@click.option("--scope", "scope", required=True, metavar="HOST[,HOST:PORT]",
              help="Hosts (any port) or host:port pairs the scanner may contact; nothing else is touched.")
@click.option("--rate", default="20/s", show_default=True, metavar="N/s", help="Request rate limit (0 = none).")
@click.option("--report", "report_path", metavar="FILE.json", help="Write the JSON report here (no stack needed).")
@click.option("--passive", "passive", metavar="EVENTS.jsonl|-|clickhouse",
              help="Run passive checks on captured transaction events (a JSONL file, stdin, or ClickHouse).")
@click.option("--replay", "replay_src", metavar="EVENTS.jsonl|-|clickhouse",
              help="Replay safe variants of the attacks recorded in these events against in-scope hosts.")
@click.option("--since", default=60, show_default=True, help="Minutes of ClickHouse events for passive/replay.")
@click.option("--clickhouse", "clickhouse", metavar="HOST:PORT",
              help="ClickHouse native endpoint; findings are stored there (default 127.0.0.1:19000 without --report).")
@click.option("--database", default=None, help="ClickHouse database (default rampart_<region>).")
@click.option("--tenant", default="default", show_default=True, help="Tenant the findings belong to.")
@click.option("--timeout", default=20.0, show_default=True, help="Seconds allowed per request, body included.")
@click.option("--max-body", default="1MiB", show_default=True, help="Bytes of each response kept.")
@click.option("--max-redirects", default=5, show_default=True)
@click.option("--max-pages", default=200, show_default=True, help="Pages the crawler fetches at most.")
@click.option("--time-delay", default=2.0, show_default=True, help="Seconds asked of time-based probes.")
@click.option("--insecure", is_flag=True, help="Do not verify TLS certificates.")
@click.option("--seed", default="", help="Fix the canary seed (reproducible probes).")
@click.option("--quiet", "-q", is_flag=True, help="No progress lines on stderr.")
def scan(targets: tuple[str, ...], openapi: Optional[str], from_inventory: bool, region: str, scope: str,
         rate: str, report_path: Optional[str], passive: Optional[str], replay_src: Optional[str], since: int,
         clickhouse: Optional[str], database: Optional[str], tenant: str, timeout: float, max_body: str,
         max_redirects: int, max_pages: int, time_delay: float, insecure: bool, seed: str, quiet: bool) -> None:
    """Find vulnerabilities in in-scope web applications (active probes, passive evidence, attack replay)."""
    from core.config import StackConfig
    from core.schema import database_for
    from scanner import passive as passive_mod
    from scanner import report, store

    def log(msg: str) -> None:
        if not quiet:
            click.echo(redact(f"scan: {msg}"), err=True)

    try:
        sc = Scope.parse(scope)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--scope") from None
    for t in targets:
        if not re.match(r"(?i)^https?://", t):
            raise click.BadParameter(f"{t!r} is not an http(s) URL", param_hint="--target")
        if not sc.allows_url(t):
            raise click.BadParameter(f"{t} is outside the scope {sc}", param_hint="--target")
    if not (targets or openapi or from_inventory or passive or replay_src):
        raise click.UsageError("nothing to scan: give --target, --openapi, --from-inventory, --passive or --replay")
    if time_delay <= 0 or time_delay * 2 + 2 > timeout:
        raise click.BadParameter("needs 0 < 2*time-delay + 2 <= timeout", param_hint="--time-delay")
    limits = Limits(total_timeout=timeout, read_timeout=min(10.0, timeout), connect_timeout=min(5.0, timeout),
                    max_body=_size(max_body), max_redirects=max_redirects, rate=_rate(rate))
    uses_ch = from_inventory or passive == "clickhouse" or replay_src == "clickhouse"
    store_ch = clickhouse is not None or not report_path
    try:
        db = database or database_for(region)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--region") from None
    ch = None
    if uses_ch or store_ch:
        ch = _clickhouse(clickhouse or f"127.0.0.1:{StackConfig.from_env().clickhouse_port}")

    endpoints = []
    if openapi:
        try:
            endpoints += load_openapi(openapi, targets[0] if targets else None)
        except ValueError as exc:
            raise click.BadParameter(str(exc), param_hint="--openapi") from None
        log(f"openapi: {len(endpoints)} operation(s) from {openapi}")
    try:
        if from_inventory:
            inv = load_inventory(ch, db, tenant)
            log(f"inventory: {len(inv)} endpoint(s) from {db}.endpoints")
            endpoints += inv
    except Exception as exc:  # noqa: BLE001 - driver errors of many kinds: one line and exit 1
        click.echo(f"error: cannot read the endpoint inventory from ClickHouse: {exc}".splitlines()[0], err=True)
        sys.exit(1)

    with ExitStack() as stack:
        pstats, rstats_ev = passive_mod.EventStats(), passive_mod.EventStats()

        def events(src: Optional[str], stats: passive_mod.EventStats, attacks_only: bool):
            if not src:
                return ()
            if src == "clickhouse":
                return passive_mod.events_from_clickhouse(ch, db, since, tenant, attacks_only=attacks_only,
                                                          stats=stats)
            try:
                fh = stack.enter_context(passive_mod.open_events(src))
            except OSError as exc:
                raise click.BadParameter(f"cannot open {src}: {exc.strerror}", param_hint="--passive/--replay") from None
            return passive_mod.read_events(fh, stats)

        if passive and passive == replay_src and passive != "clickhouse":
            evs = list(events(passive, pstats, False))   # one file read for both uses
            p_events, r_events = evs, evs
        else:
            p_events, r_events = events(passive, pstats, False), events(replay_src, rstats_ev, True)
        opts = ScanOptions(scope=sc, targets=list(targets), endpoints=endpoints, limits=limits,
                           time_delay=time_delay, verify_tls=not insecure, max_pages=max_pages, nonce=seed,
                           passive_events=p_events, replay_events=r_events)
        try:
            result = run_scan(opts, log)
        except Exception as exc:  # noqa: BLE001 - e.g. ClickHouse lost mid-read: one line, exit 1
            click.echo(f"error: scan failed: {type(exc).__name__}: {exc}".splitlines()[0], err=True)
            sys.exit(1)
    for stats, what in ((pstats, "passive"), (rstats_ev, "replay")):
        if stats.bad:
            log(f"{what}: skipped {stats.bad} bad event line(s): {'; '.join(stats.reasons)}")
    for err in result.errors[:20]:
        log(f"error: {err}")
    counts = {s: sum(1 for f in result.findings if f.severity == s) for s in SEVERITY_ORDER}
    log(f"done in {result.wall:.1f}s: {result.requests} requests ({result.requests / max(result.wall, 1e-9):.1f}/s), "
        f"{result.points} injection points, {len(result.findings)} findings "
        + " ".join(f"{k}={v}" for k, v in counts.items() if v)
        + (f"; replay confirmed {result.replay.confirmed}/{result.replay.replayed}" if replay_src else ""))
    if report_path:
        try:
            report.write(report_path, result.findings)
        except OSError as exc:
            click.echo(f"error: cannot write report {report_path}: {exc.strerror}", err=True)
            sys.exit(1)
        log(f"report: {report_path}")
    if store_ch:
        try:
            n = store.store(ch, db, result.findings, tenant)
        except Exception as exc:  # noqa: BLE001
            click.echo(f"error: cannot store findings in ClickHouse {db}: {exc}".splitlines()[0], err=True)
            sys.exit(1)
        log(f"stored {n} finding(s) in {db}.vulnerabilities")
    if targets and len(result.unreachable) == len(targets) and not (endpoints or passive or replay_src):
        click.echo(f"error: no target could be scanned ({result.errors[0] if result.errors else 'unreachable'})",
                   err=True)
        sys.exit(1)
