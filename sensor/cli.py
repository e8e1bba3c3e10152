"""`rampart sensor …` commands: replay capture files (this module) and, added beside it, live capture."""
from __future__ import annotations

import re
import sys
from typing import Callable

import click

from sensor.config import SensorConfig
from sensor.pcap import CaptureError
from sensor.points import Limits
from sensor.sinks import JsonlSink, Sink

_SIZE = re.compile(r"^\s*(\d+)\s*([kmg]?)(i?b)?\s*$", re.I)


class Size(click.ParamType):
    """A byte count: 1048576, 64k, 64KiB, 1M, 1MiB, 2g (powers of 1024)."""

    name = "size"

    def convert(self, value, param, ctx):
        if isinstance(value, int):
            return value
        m = _SIZE.match(str(value))
        if not m:
            self.fail(f"{value!r} is not a size like 65536, 64k or 1MiB", param, ctx)
        return int(m.group(1)) << {"": 0, "k": 10, "m": 20, "g": 30}[m.group(2).lower()]


def config_options(f: Callable) -> Callable:
    """Options shared by `replay` and `run` that build the `SensorConfig`."""
    opts = [
        click.option("--tenant", default="default", show_default=True, help="Tenant the events belong to."),
        click.option("--node", default=None, help="Node name in events [default: host name]."),
        click.option("--body-limit", type=Size(), default="1MiB", show_default=True,
                     help="Body bytes kept per message for detection; longer bodies are flagged truncated."),
        click.option("--event-body-limit", type=Size(), default="64KiB", show_default=True,
                     help="Decoded body bytes copied into each event (base64); 0 = none."),
        click.option("--max-flows", type=click.IntRange(1), default=262_144, show_default=True,
                     help="TCP flows tracked at once."),
        click.option("--memcap", type=Size(), default="512MiB", show_default=True,
                     help="Global memory cap: flow state, out-of-order bytes and HTTP heads/bodies (counted, evicted or cut when full)."),
        detect_limit_option(),
        vpatch_packs_option(),
    ]
    for opt in reversed(opts):
        f = opt(f)
    return f


def detect_limit_option() -> Callable:
    """`--detect-limit NAME=VALUE` (repeatable): the detection limits of docs/detection.md, validated at parse time."""
    def convert(ctx, param, values: tuple[str, ...]) -> Limits:
        limits = Limits()
        for v in values:
            try:
                limits = limits.with_setting(v)
            except ValueError as exc:
                raise click.BadParameter(str(exc), ctx, param) from None
        return limits
    return click.option("--detect-limit", "detect_limits", multiple=True, metavar="NAME=VALUE", callback=convert,
                        help="Detection limit per request, e.g. max_params=2048, max_depth=12, max_decoded=4MiB, "
                             "max_value=64KiB, max_body=8MiB, cpu_budget_ms=50 (exceeding one is a protocol/overlimit hit).")


def vpatch_packs_option() -> Callable:
    """`--vpatch-packs all|none|NAME,...`: which shipped virtual-patch packs (sensor/vpatches) the engine applies."""
    def convert(ctx, param, value: str) -> tuple[str, ...] | None:
        from sensor import vpatches
        try:
            names = vpatches.parse_names(value)
        except ValueError as exc:
            raise click.BadParameter(str(exc), ctx, param) from None
        return None if value.strip() == "all" else names
    return click.option("--vpatch-packs", "vpatch_packs", default="all", show_default=True, callback=convert,
                        metavar="all|none|NAME,...",
                        help="Shipped virtual-patch packs to apply before --rules (KEV exploits; docs/rules.md).")


log_level_option = click.option(
    "--log-level", default="info", show_default=True, type=click.Choice(["debug", "info", "warning", "error"]),
    help="Log level on stderr (reloads, syncs and Kafka outages are logged; secrets are redacted).")


def setup_logging(level: str) -> None:
    """The redacting stderr logging of core.logging, for a sensor command."""
    import logging

    from core.logging import setup
    setup(level)
    logging.getLogger("httpx").setLevel(logging.WARNING)   # one INFO line per node-sync poll is noise


def build_config(tenant: str, node: str | None, body_limit: int, event_body_limit: int, max_flows: int,
                 memcap: int, detect_limits: Limits | None = None,
                 vpatch_packs: tuple[str, ...] | None = None) -> SensorConfig:
    import socket

    return SensorConfig(node=node or socket.gethostname(), tenant=tenant, body_limit=body_limit,
                        event_body_limit=event_body_limit, max_flows=max_flows, memcap=memcap,
                        detect_limits=detect_limits or Limits(), vpatch_packs=vpatch_packs)


@click.group("sensor")
def sensor() -> None:
    """Filter node: turn captured web traffic into HTTP transaction events."""


@sensor.command("replay")
@click.argument("files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False))
@click.option("--events", "events_path", default=None, metavar="PATH|-",
              help="Write events as JSON Lines to PATH ('-' = stdout; the default when no other sink is given).")
@click.option("--workers", type=click.IntRange(1, 64), default=1, show_default=True,
              help="Processes sharing the flows by symmetric flow hash.")
@click.option("--kafka", "kafka_bootstrap", default=None, metavar="BOOTSTRAP",
              help="Also publish every event to Kafka (rampart.transactions.v1); spooled while unreachable.")
@click.option("--spool-dir", type=click.Path(file_okay=False), default=None,
              help="Kafka spool folder [default: $RAMPART_HOME/spool/replay].")
@click.option("--detect/--no-detect", default=True, show_default=True,
              help="Run the detection engine on every request (hits and verdict in each event).")
@click.option("--rules", "rules_path", type=click.Path(exists=True, dir_okay=False), default=None,
              help="Custom rules / virtual patches (YAML, docs/rules.md).")
@log_level_option
@config_options
def replay(files: tuple[str, ...], events_path: str | None, workers: int, kafka_bootstrap: str | None,
           spool_dir: str | None, detect: bool, rules_path: str | None, log_level: str, **cfg) -> None:
    """Replay pcap/pcapng FILES (as one capture, in order) and emit one event per HTTP transaction."""
    from sensor.replay import replay_files

    setup_logging(log_level)

    config = build_config(**cfg)
    detector = None
    if detect:
        from sensor.detect.engine import Engine
        from sensor.rules import RuleError, load_rules
        try:
            detector = Engine(rules=load_rules(rules_path) if rules_path else None, limits=config.detect_limits,
                              packs=config.vpatch_packs)
        except RuleError as exc:
            click.echo(f"error: {exc}", err=True)
            sys.exit(2)
    sinks: list[Sink] = []
    if events_path is not None:
        sinks.append(JsonlSink(events_path))
    if kafka_bootstrap:   # --kafka (sensor/kafka_sink.py): every event goes to both sinks
        import os
        from pathlib import Path

        from sensor.kafka_sink import KafkaSink
        from sensor.spool import SpoolError
        home = Path(os.environ.get("RAMPART_HOME", ".rampart"))
        try:
            sinks.append(KafkaSink(kafka_bootstrap, Path(spool_dir) if spool_dir else home / "spool" / "replay"))
        except SpoolError as exc:
            click.echo(f"error: {exc}", err=True)
            sys.exit(1)
    if not sinks:
        sinks.append(JsonlSink("-"))
    try:
        summary = replay_files(list(files), config, sinks, workers=workers, detector=detector,
                               progress=sys.stderr.isatty())
    except CaptureError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(1)
    finally:
        for sink in sinks:
            sink.close()
    click.echo(summary.line(), err=True)


# ---- live capture: `rampart sensor run` (sensor/live.py, sensor/capture.py, sensor/kafka_sink.py) ----
@sensor.command("run")
@click.option("--iface", required=True, help="Capture interface (a SPAN/mirror port, or a bridge).")
@click.option("--bpf", default="tcp", show_default=True, help="Kernel BPF filter (tcpdump syntax).")
@click.option("--events", "events_path", default=None, metavar="PATH|-",
              help="Write events as JSON Lines to PATH ('-' = stdout, the default without --kafka), each flushed "
                   "as its transaction ends.")
@click.option("--kafka", "kafka_bootstrap", default=None, metavar="BOOTSTRAP",
              help="Publish events to Kafka (rampart.transactions.v1); spooled to disk while unreachable.")
@click.option("--spool-dir", type=click.Path(file_okay=False), default=None,
              help="Kafka spool folder [default: $RAMPART_HOME/spool/sensor-IFACE].")
@click.option("--workers", type=click.IntRange(1, 64), default=1, show_default=True,
              help="Capture processes sharing flows via PACKET_FANOUT (symmetric flow hash).")
@click.option("--mode", type=click.Choice(["off", "monitoring", "safe_blocking", "block"]), default="monitoring",
              show_default=True, help="Filtration mode (see docs/blocking.md).")
@click.option("--inject-iface", default=None, help="Interface to send TCP resets on [default: --iface].")
@click.option("--ip-lists", "lists_path", type=click.Path(dir_okay=False), default=None,
              help="Deny/gray/allow list file (reloaded when it changes and on SIGHUP; a bad version is rejected).")
@click.option("--rules", "rules_path", type=click.Path(dir_okay=False), default=None,
              help="Custom rules / virtual patches YAML (docs/rules.md), incl. per host/path mode overrides; "
                   "reloaded when it changes and on SIGHUP (a bad version is rejected, the previous stays).")
@click.option("--denylist-kafka", default=None, metavar="BOOTSTRAP",
              help="Also follow the denylist topic (rampart.denylist.v1) of this Kafka cluster for --tenant.")
@click.option("--early-detection/--no-early-detection", default=True, show_default=True,
              help="Decide on the request line and headers, before the body, to win the race.")
@click.option("--metrics-port", type=click.IntRange(1, 65535), default=None,
              help="Serve Prometheus metrics on 127.0.0.1:PORT/metrics.")
@click.option("--api", "api_url", default=None, metavar="URL",
              help="Regional API to register with and sync rules, IP lists and the model version from.")
@click.option("--node-token", envvar="RAMPART_NODE_TOKEN", default=None,
              help="The node's API token (prefer $RAMPART_NODE_TOKEN: a flag shows in the process list).")
@click.option("--sync-interval", type=click.FloatRange(0.5, 3600), default=5.0, show_default=True,
              help="Seconds between node syncs (a sync whose ETag is unchanged costs one 304).")
@click.option("--report-interval", type=click.FloatRange(0.5, 3600), default=15.0, show_default=True,
              help="With --api and --kafka: seconds between counter reports on rampart.node-metrics.v1.")
@log_level_option
@config_options
def run(iface: str, bpf: str, events_path: str | None, kafka_bootstrap: str | None, spool_dir: str | None,
        workers: int, mode: str, inject_iface: str | None, lists_path: str | None, rules_path: str | None,
        early_detection: bool, metrics_port: int | None, denylist_kafka: str | None, api_url: str | None,
        node_token: str | None, sync_interval: float, report_interval: float, log_level: str, **cfg) -> None:
    """Capture live traffic on IFACE and emit one event per HTTP transaction (SIGTERM: flush, close, exit 0;
    SIGHUP: re-read the rules and IP-list files now, and with --api sync with the regional API now)."""
    import os
    from pathlib import Path

    setup_logging(log_level)

    node_sync = None
    vpatch_dir = None     # with --api: where node sync writes the packs the region publishes
    if api_url:
        if not node_token:
            raise click.UsageError("--api needs a node token (--node-token or $RAMPART_NODE_TOKEN)")
        if lists_path or rules_path:
            raise click.UsageError("--api manages the rules and IP lists; do not combine it with --rules/--ip-lists")
        from importlib.metadata import version as pkg_version

        from sensor.node_sync import NodeSync
        cfg_obj = build_config(**cfg)
        node_sync = NodeSync(api_url, node_token, Path(os.environ.get("RAMPART_HOME", ".rampart")) / "sync" /
                             f"{cfg_obj.tenant}-{cfg_obj.node}", name=cfg_obj.node, mode=mode,
                             version=pkg_version("rampart"), interval=sync_interval)
        node_sync.prepare()
        rules_path, lists_path = str(node_sync.rules_path), str(node_sync.lists_path)
        vpatch_dir = str(node_sync.packs_dir)

    from sensor.capture import CaptureError as LiveCaptureError, compile_bpf, interface_linktype
    from sensor.iplists import ListFile
    from sensor.live import LiveOptions, run_live, summary
    from sensor.metrics import SensorMetrics
    from sensor.rules import RuleError, load_rules

    try:   # check what can be checked before starting workers: a one-line reason, exit 2/1
        dlt, _ = interface_linktype(iface)
        compile_bpf(bpf, dlt)
        if inject_iface:
            interface_linktype(inject_iface)
        if lists_path:
            ListFile(lists_path)
        if rules_path:
            load_rules(rules_path)
    except (LiveCaptureError, ValueError, RuleError) as exc:
        raise click.BadParameter(str(exc)) from None
    if os.geteuid() != 0:
        click.echo("error: live capture needs root (or CAP_NET_RAW and CAP_NET_ADMIN)", err=True)
        sys.exit(1)
    opts = LiveOptions(iface=iface, bpf=bpf, workers=workers, config=build_config(**cfg).replace(vpatch_dir=vpatch_dir), mode=mode,
                       inject_iface=inject_iface, lists_path=lists_path, rules_path=rules_path, denylist_kafka=denylist_kafka,
                       early_detection=early_detection)
    home = Path(os.environ.get("RAMPART_HOME", ".rampart"))
    spool = Path(spool_dir) if spool_dir else home / "spool" / f"sensor-{iface}"
    if events_path is None and not kafka_bootstrap:
        events_path = "-"     # like replay: with no sink named, events go to stdout
    progress = (lambda line: click.echo("\r" + line, err=True, nl=False)) if sys.stderr.isatty() else None
    reporter = None
    metrics = SensorMetrics()
    if node_sync is not None and kafka_bootstrap:   # node report (sensor/node_report.py) from the live stats
        from sensor.node_report import NodeReporter
        reporter = NodeReporter(kafka_bootstrap, opts.config.tenant, opts.config.node, node_sync.version, mode,
                                metrics.snapshot, interval=report_interval)
        reporter.start()
    if node_sync is not None:
        node_sync.start()
    try:
        totals = run_live(opts, events_path, kafka_bootstrap, spool, metrics_port, progress=progress, metrics=metrics,
                          on_reload=node_sync.sync_now if node_sync is not None else None)
    except Exception as exc:  # noqa: BLE001 - one line on stderr, exit 1
        if reporter is not None:
            reporter.stop()
        click.echo(f"error: {exc}", err=True)
        sys.exit(1)
    if reporter is not None:
        reporter.stop(final=totals)
    click.echo(("\n" if progress else "") + summary(totals), err=True)
