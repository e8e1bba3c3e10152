"""`rampart streams worker` and `rampart db migrate`: run a regional Faust worker, apply the ClickHouse schema."""
from __future__ import annotations

import logging
import sys
import time
from pathlib import Path

import click

from core.config import REGIONS, StackConfig


def _hostport(value: str, what: str) -> tuple[str, int]:
    host, _, port = value.rpartition(":")
    if not host or not port.isdigit():
        raise click.BadParameter(f"{what} must be host:port, got {value!r}")
    return host, int(port)


def _quiet_driver() -> None:
    # clickhouse-driver logs a traceback per failed connect; our own one-line messages say it better.
    logging.getLogger("clickhouse_driver").setLevel(logging.ERROR)


def _fail(msg: str) -> None:
    click.echo(f"error: {msg}", err=True)
    sys.exit(1)


@click.group("streams")
def streams() -> None:
    """Stream processing: Faust workers that score, aggregate and store transactions in ClickHouse."""


@streams.command("worker")
@click.option("--region", type=click.Choice(REGIONS), required=True, help="Region whose Kafka/ClickHouse to use.")
@click.option("--kafka", "kafka", default=None, help="Kafka bootstrap host:port (default: the local stack's).")
@click.option("--clickhouse", default=None, help="ClickHouse native host:port (default: the local stack's).")
@click.option("--database", default=None, help="ClickHouse database (default: rampart_<region>).")
@click.option("--mlflow", "mlflow_url", default=None,
              help="MLflow tracking URL for the champion model (default: the local stack's; '' turns scoring off).")
@click.option("--model-name", default="rampart-detector", show_default=True,
              help="Registered MLflow model whose champion alias scores events.")
@click.option("--model-poll-seconds", type=click.FloatRange(0.5), default=10.0, show_default=True,
              help="How often to check the champion alias in MLflow.")
@click.option("--topic", default=None, help="Transactions topic (default: rampart.transactions.v1).")
@click.option("--scores-topic", default=None, help="Scores topic (default: rampart.scores.v1).")
@click.option("--denylist-topic", default=None, help="Denylist topic (default: rampart.denylist.v1).")
@click.option("--dead-letter-topic", default=None, help="Dead-letter topic (default: rampart.dead-letter.v1).")
@click.option("--partitions", type=click.IntRange(1, 1024), default=3, show_default=True,
              help="Partitions of the transactions topic (must match it; tables are co-partitioned).")
@click.option("--group", "app_id", default=None,
              help="Consumer group of the transactions offsets; Faust's own group is <group>-faust "
                   "(default: rampart-streams-<region>).")
@click.option("--batch-size", type=click.IntRange(1, 100_000), default=20000, show_default=True,
              help="Most events per batch (stored with one insert per table: fewer, larger inserts cost "
                   "ClickHouse far less). A light stream is handed over sooner.")
@click.option("--batch-seconds", type=click.FloatRange(0.01, 60), default=0.25, show_default=True,
              help="A batch is stored when it is this old (or --batch-size events).")
@click.option("--web-port", type=click.IntRange(0, 65535), default=0, show_default=True,
              help="Serve /health, /ready, /metrics (Prometheus) and /metrics-1m on --web-host:PORT (0 = off).")
@click.option("--web-host", default="127.0.0.1", show_default=True,
              help="Address of the web port (0.0.0.0 in a container, so probes and Prometheus reach it).")
@click.option("--datadir", type=click.Path(path_type=Path), default=None, help="Faust state folder.")
@click.option("--brute-threshold", type=click.IntRange(1), default=10, show_default=True)
@click.option("--dirbust-threshold", type=click.IntRange(1), default=30, show_default=True)
@click.option("--deny-seconds", type=click.FloatRange(0), default=3600.0, show_default=True)
@click.option("--denylist-check-seconds", type=click.FloatRange(0.5), default=30.0, show_default=True,
              help="How often expired denylist entries get their tombstone.")
@click.option("--log-level", default="info", show_default=True)
def worker(region: str, kafka: str | None, clickhouse: str | None, database: str | None, mlflow_url: str | None,
           model_name: str, model_poll_seconds: float, topic: str | None, scores_topic: str | None,
           denylist_topic: str | None,
           dead_letter_topic: str | None, partitions: int, app_id: str | None, batch_size: int, batch_seconds: float,
           web_port: int, web_host: str, datadir: Path | None, brute_threshold: int, dirbust_threshold: int,
           deny_seconds: float, denylist_check_seconds: float, log_level: str) -> None:
    """Run the Faust worker of one region (SIGTERM stops it cleanly; unsaved batches are redelivered)."""
    from core import logging as rlog
    from streams.behaviour import BehaviourConfig
    from streams.config import WorkerConfig

    stack = StackConfig.from_env()
    ch_host, ch_port = _hostport(clickhouse, "--clickhouse") if clickhouse else ("127.0.0.1", stack.clickhouse_port)
    cfg = WorkerConfig(
        region=region, kafka_bootstrap=kafka or stack.kafka_bootstrap(region), clickhouse_host=ch_host,
        clickhouse_port=ch_port, database=database or "", app_id=app_id or "",
        mlflow_url=stack.mlflow_url if mlflow_url is None else mlflow_url,
        model_name=model_name, model_poll_seconds=model_poll_seconds, partitions=partitions,
        denylist_check_seconds=denylist_check_seconds, batch_size=batch_size, batch_seconds=batch_seconds,
        web_port=web_port, web_host=web_host,
        datadir=datadir or (stack.home / f"worker-{region}" / "faust"),
        behaviour=BehaviourConfig(brute_threshold=brute_threshold, dirbust_threshold=dirbust_threshold,
                                  deny_seconds=deny_seconds))
    for attr, value in (("topic", topic), ("scores_topic", scores_topic), ("denylist_topic", denylist_topic),
                        ("dead_letter_topic", dead_letter_topic)):
        if value:
            setattr(cfg, attr, value)
    rlog.setup(log_level)
    _quiet_driver()
    _migrate_with_retry(cfg.clickhouse_host, cfg.clickhouse_port, cfg.database, wait=60.0)

    from faust.worker import Worker

    from streams.app import create_app
    app, _pipeline = create_app(cfg)
    Worker(app, loglevel=log_level.upper(), quiet=True, redirect_stdouts=False).execute_from_commandline()


def _migrate_with_retry(host: str, port: int, database: str, wait: float, retention=None) -> None:
    from clickhouse_driver import Client
    from clickhouse_driver.errors import Error as CHError

    from core.schema import migrate
    deadline = time.monotonic() + wait
    while True:
        client = Client(host, port=port, connect_timeout=3)
        try:
            report = migrate(client, database, retention, log=lambda m: click.echo(m, err=True))
            break
        except (CHError, OSError, EOFError) as exc:
            if time.monotonic() > deadline:
                _fail(f"ClickHouse at {host}:{port} not usable: {str(exc).splitlines()[0] if str(exc) else exc}")
            time.sleep(1.0)
        finally:
            client.disconnect()
    for what in report.skipped:
        click.echo(f"{database}: migration {what} skipped (server {report.server[0]}.{report.server[1]} lacks it)",
                   err=True)


@click.group("db")
def db() -> None:
    """The regional ClickHouse database: schema and migrations."""


@db.command("migrate")
@click.option("--region", type=click.Choice(REGIONS), required=True)
@click.option("--clickhouse", default=None, help="ClickHouse native host:port (default: the local stack's).")
@click.option("--database", default=None, help="Database name (default: rampart_<region>).")
@click.option("--transactions-days", type=click.IntRange(0), default=30, show_default=True,
              help="Retention of transactions (0 = forever).")
@click.option("--hits-days", type=click.IntRange(0), default=90, show_default=True)
@click.option("--metrics-days", type=click.IntRange(0), default=400, show_default=True)
def migrate_cmd(region: str, clickhouse: str | None, database: str | None, transactions_days: int,
                hits_days: int, metrics_days: int) -> None:
    """Create the region's database and apply pending migrations (idempotent)."""
    from clickhouse_driver import Client
    from clickhouse_driver.errors import Error as CHError

    from core.schema import Retention, database_for, migrate
    _quiet_driver()
    stack = StackConfig.from_env()
    host, port = _hostport(clickhouse, "--clickhouse") if clickhouse else ("127.0.0.1", stack.clickhouse_port)
    name = database or database_for(region)
    client = Client(host, port=port, connect_timeout=5)
    try:
        report = migrate(client, name, Retention(transactions_days, hits_days, metrics_days))
    except (CHError, OSError, EOFError, ValueError) as exc:
        _fail(f"migrate {name} on {host}:{port} failed: {str(exc).splitlines()[0] if str(exc) else exc}")
    finally:
        client.disconnect()
    ver = ".".join(map(str, report.server))
    click.echo(f"{name} on ClickHouse {ver}: applied {', '.join(report.applied) or 'nothing (up to date)'}")
    for what in report.skipped:
        click.echo(f"skipped {what}: needs a newer server than {ver}")
    for line in report.retention:
        click.echo(f"retention: {line}")
