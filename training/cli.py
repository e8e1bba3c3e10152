"""Click commands of the training component: `rampart train` (model) and `rampart train profiles`."""
from __future__ import annotations

import dataclasses
import logging
import os
import sys
from pathlib import Path

import click

from core.config import StackConfig


def _fail(msg: str) -> None:
    click.echo(f"rampart train: {msg}", err=True)
    sys.exit(1)


@click.group("train", invoke_without_command=True)
@click.option("--region", default="eu", show_default=True, help="Region whose ClickHouse database is read.")
@click.option("--since", default=None, help="Only rows newer than this: 7d, 12h, 30m, ISO date or epoch.")
@click.option("--experiment", default=None, help="MLflow experiment (default rampart-<region>).")
@click.option("--register", "register", default="rampart-detector", show_default=True,
              help="Registered model NAME that gets the new version.")
@click.option("--data", "data_files", multiple=True, type=click.Path(dir_okay=False, path_type=Path),
              help="Labelled JSONL file (value, label[, point, ts]); repeatable.")
@click.option("--clickhouse/--no-clickhouse", "use_clickhouse", default=None,
              help="Read ClickHouse too (default: only when no --data is given).")
@click.option("--clickhouse-host", default="127.0.0.1", show_default=True)
@click.option("--clickhouse-port", type=int, default=None, help="Native port (default: local stack's).")
@click.option("--database", default=None, help="ClickHouse database (default rampart_<region>).")
@click.option("--tenant", default=None, help="Only this tenant's traffic.")
@click.option("--tracking-uri", default=None,
              help="MLflow tracking URI (default $MLFLOW_TRACKING_URI or the local stack's server).")
@click.option("--master", default="local[*]", show_default=True, help="Spark master URL.")
@click.option("--driver-memory", default="2g", show_default=True)
@click.option("--learners", default="lr,gbt", show_default=True, help="Comma-separated: lr, gbt.")
@click.option("--select", type=click.Choice(["best", "lr", "gbt"]), default="best", show_default=True,
              help="Learner registered: best ROC-AUC on the held-out split, or a fixed one.")
@click.option("--threshold", type=float, default=0.5, show_default=True, help="Operating threshold.")
@click.option("--num-features", type=int, default=1 << 16, show_default=True,
              help="Hash buckets for value n-grams (LR).")
@click.option("--gbt-iter", type=int, default=40, show_default=True)
@click.option("--gbt-depth", type=int, default=5, show_default=True)
@click.option("--lr-iter", type=int, default=50, show_default=True)
@click.option("--promote-if-better", is_flag=True,
              help="Move alias `champion` to the new version if it beats the champion on this eval set.")
@click.pass_context
def train(ctx: click.Context, region: str, since: str | None, experiment: str | None, register: str,
          data_files: tuple[Path, ...], use_clickhouse: bool | None, clickhouse_host: str,
          clickhouse_port: int | None, database: str | None, tenant: str | None, tracking_uri: str | None,
          master: str, driver_memory: str, learners: str, select: str, threshold: float, num_features: int,
          gbt_iter: int, gbt_depth: int, lr_iter: int, promote_if_better: bool) -> None:
    """Train detection models with Spark, log them to MLflow and register a version (see docs/ml.md)."""
    if ctx.invoked_subcommand is not None:
        return
    from core.logging import setup
    from core.model import FeatureSpec
    from training.data import DataError, parse_since
    from training.fit import FitParams
    from training.job import TrainConfig, TrainError, run_training

    setup("WARNING")
    logging.getLogger("py4j").setLevel(logging.ERROR)
    kinds = tuple(k.strip() for k in learners.split(",") if k.strip())
    bad = [k for k in kinds if k not in ("lr", "gbt")]
    if bad or not kinds:
        raise click.UsageError(f"--learners: unknown learner(s) {bad or learners!r} (use lr, gbt)")
    if not 0.0 < threshold < 1.0:
        raise click.UsageError("--threshold must be between 0 and 1")
    if num_features < 16:
        raise click.UsageError("--num-features must be at least 16")
    try:
        since_ts = parse_since(since)
    except DataError as exc:
        raise click.UsageError(str(exc)) from exc
    stack = StackConfig.from_env()
    cfg = TrainConfig(
        region=region, since=since_ts, experiment=experiment, register=register, data_files=list(data_files),
        use_clickhouse=use_clickhouse, clickhouse_host=clickhouse_host,
        clickhouse_port=clickhouse_port or stack.clickhouse_port, database=database, tenant=tenant,
        tracking_uri=tracking_uri or os.environ.get("MLFLOW_TRACKING_URI") or stack.mlflow_url,
        master=master, driver_memory=driver_memory, learners=kinds, select=select, threshold=threshold,
        spec=FeatureSpec(num_ngram_features=num_features),
        params=dataclasses.replace(FitParams(), gbt_max_iter=gbt_iter, gbt_max_depth=gbt_depth,
                                   lr_max_iter=lr_iter),
        promote_if_better=promote_if_better)
    try:
        run_training(cfg, echo=click.echo)
    except TrainError as exc:
        _fail(str(exc))


@train.command("profiles")
@click.option("--region", default="eu", show_default=True)
@click.option("--since", default=None, help="Only traffic newer than this: 7d, 12h, ISO date or epoch.")
@click.option("--tenant", default=None)
@click.option("--database", default=None, help="ClickHouse database (default rampart_<region>).")
@click.option("--clickhouse-host", default="127.0.0.1", show_default=True)
@click.option("--clickhouse-port", type=int, default=None)
@click.option("--traffic", "traffic_files", multiple=True, type=click.Path(dir_okay=False, path_type=Path),
              help="Offline: JSONL of transaction events (instead of ClickHouse); needs --endpoints.")
@click.option("--endpoints", "endpoints_file", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Offline: JSON/JSONL of {host, method, template}.")
@click.option("--min-samples", type=int, default=100, show_default=True,
              help="Observations a parameter needs before it gets a rule.")
@click.option("--out", "out", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Write the rules YAML here (default: stdout).")
@click.option("--master", default="local[*]", show_default=True)
def profiles(region: str, since: str | None, tenant: str | None, database: str | None, clickhouse_host: str,
             clickhouse_port: int | None, traffic_files: tuple[Path, ...], endpoints_file: Path | None,
             min_samples: int, out: Path | None, master: str) -> None:
    """Per-endpoint parameter profiles from the inventory + clean traffic, as custom-rule YAML (vpatch)."""
    import json
    import tempfile

    from core.logging import setup
    from training.data import DataError, parse_since
    from training.profiles import (ProfileOptions, dump_rules, export_clickhouse, profile, read_endpoints,
                                   rules_from_profiles, traffic_rows)
    from training.spark import session

    setup("WARNING")
    if bool(traffic_files) != bool(endpoints_file):
        raise click.UsageError("--traffic and --endpoints go together (offline mode)")
    if min_samples < 1:
        raise click.UsageError("--min-samples must be positive")
    try:
        since_ts = parse_since(since)
    except DataError as exc:
        raise click.UsageError(str(exc)) from exc
    opts = ProfileOptions(min_samples=min_samples)
    with tempfile.TemporaryDirectory(prefix="rampart-profiles-") as tmp:
        traffic = Path(tmp) / "traffic.jsonl"
        try:
            if endpoints_file:
                endpoints = read_endpoints(endpoints_file)
                with traffic.open("w") as fh:
                    for f in traffic_files:
                        with f.open() as src:
                            events = (json.loads(line) for line in src if line.strip())
                            for row in traffic_rows(events):
                                fh.write(json.dumps(row, ensure_ascii=False) + "\n")
            else:
                from clickhouse_driver import Client
                from clickhouse_driver.errors import Error as CHError
                port = clickhouse_port or StackConfig.from_env().clickhouse_port
                db = database or f"rampart_{region}"
                client = Client(host=clickhouse_host, port=port, connect_timeout=5)
                try:
                    endpoints = export_clickhouse(client, db, traffic, since=since_ts, tenant=tenant)
                except (CHError, OSError, EOFError) as exc:
                    _fail(f"cannot read ClickHouse at {clickhouse_host}:{port} (database {db}): "
                          f"{str(exc).splitlines()[0] if str(exc) else repr(exc)}")
                finally:
                    client.disconnect()
        except (OSError, ValueError, KeyError, DataError) as exc:
            _fail(f"cannot read the inputs: {exc}")
        if not endpoints:
            _fail("the endpoint inventory is empty: nothing to profile")
        spark = session(master, app="rampart-profiles")
        try:
            rows = profile(spark, [traffic], endpoints, opts)
        finally:
            spark.stop()
    rules = rules_from_profiles(rows, opts)
    text = dump_rules(rules)
    if out:
        out.write_text(text)
        click.echo(f"{len(rules)} rules from {len(rows)} profiled parameters of {len(endpoints)} endpoints "
                   f"written to {out}", err=True)
    else:
        click.echo(text, nl=False)
