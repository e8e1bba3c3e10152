"""`rampart train`: labelled data -> Spark LR + GBT -> evaluation -> MLflow run, registered version, champion."""
from __future__ import annotations

import importlib.metadata
import logging
import os
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

import numpy as np

from core.model import FeatureSpec, Scorer
from training.data import ATTACK_LABELS, BENIGN_LABELS, DataError, Snapshot, describe, export_clickhouse
from training.fit import FitParams, Fitted

log = logging.getLogger("rampart.training")
CHAMPION = "champion"
DEFAULT_MODEL_NAME = "rampart-detector"
PARITY_TOLERANCE = 1e-9
EVAL_FRACTION = 0.2


class TrainError(Exception):
    """Training cannot go on; the message is the one-line reason shown to the user."""


@dataclass
class TrainConfig:
    """Everything one `rampart train` run needs (CLI options map one to one)."""

    region: str = "eu"
    tracking_uri: str = "http://127.0.0.1:15000"
    experiment: str | None = None            # default: rampart-<region>
    register: str = DEFAULT_MODEL_NAME
    data_files: list[Path] = field(default_factory=list)
    use_clickhouse: bool | None = None       # None: only when no --data files are given
    clickhouse_host: str = "127.0.0.1"
    clickhouse_port: int = 19000
    database: str | None = None              # default: rampart_<region>
    since: float | None = None
    tenant: str | None = None
    master: str = "local[*]"
    driver_memory: str = "2g"
    learners: tuple[str, ...] = ("lr", "gbt")
    select: str = "best"                     # best | lr | gbt: which learner becomes the registered model
    threshold: float = 0.5
    spec: FeatureSpec = field(default_factory=FeatureSpec)
    gbt_spec: FeatureSpec = field(default_factory=lambda: FeatureSpec(num_ngram_features=1 << 10,
                                                                      num_point_features=1 << 6))
    params: FitParams = field(default_factory=FitParams)
    promote_if_better: bool = False
    parity_rows: int = 20000                 # eval rows re-scored by the numpy scorer to prove parity
    workdir: Path | None = None


@dataclass
class TrainResult:
    run_id: str
    experiment_id: str
    model_name: str
    version: str
    learner: str
    metrics: dict[str, float]
    promoted: bool
    champion_before: str | None
    parity_max_abs_diff: float
    snapshot: Snapshot


# --- preconditions ---------------------------------------------------------------------------------------

def check_mlflow(uri: str) -> None:
    """Fail fast (before any data or Spark work) when the tracking server cannot be reached."""
    os.environ.setdefault("MLFLOW_HTTP_REQUEST_MAX_RETRIES", "0")
    os.environ.setdefault("MLFLOW_HTTP_REQUEST_TIMEOUT", "20")
    import mlflow
    from mlflow import MlflowClient

    mlflow.set_tracking_uri(uri)
    mlflow.set_registry_uri(uri)
    if uri.startswith(("http://", "https://")):
        import httpx
        try:
            httpx.get(uri.rstrip("/") + "/health", timeout=5.0).raise_for_status()
        except httpx.HTTPError as exc:
            raise TrainError(f"MLflow tracking server unreachable at {uri}: {exc}") from exc
    try:
        MlflowClient(tracking_uri=uri, registry_uri=uri).search_experiments(max_results=1)
    except Exception as exc:  # noqa: BLE001 - any client failure means we cannot log
        raise TrainError(f"MLflow tracking server at {uri} does not answer: {exc}") from exc


def gather_data(cfg: TrainConfig, workdir: Path) -> Snapshot:
    files = [Path(f) for f in cfg.data_files]
    sources = [f"file:{f}" for f in files]
    use_ch = cfg.use_clickhouse if cfg.use_clickhouse is not None else not files
    if use_ch:
        from clickhouse_driver import Client
        from clickhouse_driver.errors import Error as CHError

        database = cfg.database or f"rampart_{cfg.region}"
        client = Client(host=cfg.clickhouse_host, port=cfg.clickhouse_port, connect_timeout=5,
                        send_receive_timeout=300)
        out = workdir / f"clickhouse-{database}.jsonl"
        try:
            rows, counts = export_clickhouse(client, database, out, since=cfg.since, tenant=cfg.tenant)
        except (CHError, OSError, EOFError) as exc:
            raise TrainError(f"cannot read ClickHouse at {cfg.clickhouse_host}:{cfg.clickhouse_port} "
                             f"(database {database}): {str(exc).splitlines()[0] if str(exc) else exc!r}") from exc
        except DataError as exc:        # database or its tables missing, bad database name
            raise TrainError(str(exc)) from exc
        finally:
            client.disconnect()
        log.info("exported %d labelled rows from ClickHouse %s: %s", rows, database, counts)
        files.insert(0, out)
        sources.insert(0, f"clickhouse:{cfg.clickhouse_host}:{cfg.clickhouse_port}/{database}")
    if not files:
        raise TrainError("no data: give --data FILE.jsonl and/or read from ClickHouse")
    try:
        return describe(files, sources)
    except DataError as exc:
        raise TrainError(str(exc)) from exc


# --- Spark part ------------------------------------------------------------------------------------------

def load_frame(spark: Any, snapshot: Snapshot, since: float | None = None) -> Any:
    """JSONL rows -> (row_id, point, value, label, ts, is_eval); the split is by time, else by value hash."""
    from pyspark.sql import functions as F

    df = spark.read.json([str(p) for p in snapshot.files],
                         schema="point string, value string, label string, ts double")
    lab = F.lower(F.trim(F.col("label")))
    df = (df.withColumn("label", F.when(lab.isin(*ATTACK_LABELS), F.lit(1.0))
                        .when(lab.isin(*BENIGN_LABELS), F.lit(0.0)))
          .filter(F.col("label").isNotNull() & F.col("value").isNotNull())
          .withColumn("point", F.coalesce(F.col("point"), F.lit("[]"))))
    if since is not None:
        df = df.filter(F.col("ts").isNull() | (F.col("ts") >= F.lit(since)))
    timed = df.filter(F.col("ts").isNotNull())
    cutoff = None
    if timed.limit(1).count():
        cutoff = timed.approxQuantile("ts", [1.0 - EVAL_FRACTION], 0.0)[0]
    by_hash = (F.crc32(F.col("value").cast("binary")) % 5) == 0   # = core.model.holdout_by_value
    is_eval = F.when(F.col("ts").isNotNull(), F.col("ts") >= F.lit(cutoff)) if cutoff is not None else None
    is_eval = F.coalesce(is_eval, by_hash) if is_eval is not None else by_hash
    return df.withColumn("is_eval", is_eval).withColumn("row_id", F.monotonically_increasing_id()), cutoff


def class_counts(df: Any) -> dict[tuple[bool, float], int]:
    return {(bool(r["is_eval"]), float(r["label"])): int(r["count"])
            for r in df.groupBy("is_eval", "label").count().collect()}


def check_counts(counts: dict[tuple[bool, float], int]) -> None:
    total = sum(counts.values())
    attacks = sum(n for (_, lab), n in counts.items() if lab == 1.0)
    if total == 0:
        raise TrainError("dataset is empty: no labelled rows (label attack/benign) to train on")
    if attacks in (0, total):
        only = "attack" if attacks else "benign"
        raise TrainError(f"dataset has one class only ({total} {only} rows): need attack and benign rows")
    for split in (False, True):
        a = counts.get((split, 1.0), 0)
        b = counts.get((split, 0.0), 0)
        if a == 0 or b == 0:
            name = "held-out" if split else "training"
            raise TrainError(f"{name} split lacks a class ({a} attack, {b} benign rows); add more data")


def parity(fitted: Fitted, limit: int) -> float:
    """Largest |numpy scorer - Spark| probability over (up to `limit`) evaluation rows."""
    scorer = Scorer(fitted.model)
    n = min(limit, len(fitted.eval_prob))
    ours = scorer.score_many(fitted.eval_point[:n], fitted.eval_value[:n])
    return float(np.max(np.abs(ours - fitted.eval_prob[:n]))) if n else 0.0


# --- the run ---------------------------------------------------------------------------------------------

def run_training(cfg: TrainConfig, echo: Callable[[str], None] = print) -> TrainResult:
    """The whole job; raises TrainError with a one-line reason, registering nothing on failure."""
    check_mlflow(cfg.tracking_uri)
    tmp = tempfile.TemporaryDirectory(prefix="rampart-train-")
    workdir = Path(cfg.workdir or tmp.name)
    workdir.mkdir(parents=True, exist_ok=True)
    try:
        snapshot = gather_data(cfg, workdir)
        echo(f"data: {snapshot.rows} rows, {snapshot.bytes} bytes, sha256 {snapshot.sha256[:16]}…")
        return _train(cfg, snapshot, workdir, echo)
    finally:
        tmp.cleanup()


def _train(cfg: TrainConfig, snapshot: Snapshot, workdir: Path, echo: Callable[[str], None]) -> TrainResult:
    from pyspark.sql import functions as F

    from training.evaluate import metrics
    from training.features import assemble, with_row_features
    from training.fit import fit
    from training.spark import session

    if cfg.gbt_spec.ngram_sizes != cfg.spec.ngram_sizes or \
            cfg.gbt_spec.max_value_chars != cfg.spec.max_value_chars:
        raise TrainError("the GBT feature spec may differ from the LR one only in its hashing sizes")
    try:
        spark = session(cfg.master, driver_memory=cfg.driver_memory)
    except Exception as exc:  # noqa: BLE001 - no Java, bad --master: one line, not a Py4J traceback
        raise TrainError(f"cannot start Spark (master {cfg.master}): {_reason(exc)}") from exc
    t0 = time.perf_counter()
    try:
        frame, cutoff = load_frame(spark, snapshot, cfg.since)
        counts = class_counts(frame)
        check_counts(counts)
        rows = with_row_features(frame, cfg.spec).persist()
        n_rows = rows.count()
        echo(f"labelled rows: {n_rows} (" + ", ".join(
            f"{'eval' if e else 'train'}/{'attack' if lab else 'benign'}={n}"
            for (e, lab), n in sorted(counts.items())) + ")")
        fitted: dict[str, Fitted] = {}
        for kind in cfg.learners:
            spec = cfg.spec if kind == "lr" else cfg.gbt_spec
            feats = assemble(rows, spec)
            train = feats.filter(~F.col("is_eval"))
            evaluation = feats.filter(F.col("is_eval"))
            fitted[kind] = fit(kind, train, evaluation, spec, cfg.params, cfg.threshold)
            echo(f"{kind}: trained in {fitted[kind].seconds:.1f}s")
        rows.unpersist()
    except TrainError:
        raise
    except Exception as exc:  # noqa: BLE001 - a failed Spark job is a failed run with a one-line reason
        raise TrainError(f"Spark job failed: {_reason(exc)}") from exc
    finally:
        spark.stop()
    train_seconds = time.perf_counter() - t0

    results = {k: metrics(f.eval_label, f.eval_prob, cfg.threshold) for k, f in fitted.items()}
    diffs = {k: parity(f, cfg.parity_rows) for k, f in fitted.items()}
    for k, d in diffs.items():
        if not d <= PARITY_TOLERANCE:
            raise TrainError(f"{k}: numpy scorer differs from Spark by {d:.3g} (> {PARITY_TOLERANCE}); "
                             "not registering")
    chosen = max(results, key=lambda k: (results[k]["roc_auc"], results[k]["f1"])) \
        if cfg.select == "best" else cfg.select
    if chosen not in fitted:
        raise TrainError(f"--select {chosen}: that learner was not trained")
    best = fitted[chosen]
    best.model.meta.update({"region": cfg.region, "trained_at": time.time(), "snapshot_sha256": snapshot.sha256,
                            "eval_split": "time" if cutoff is not None else "crc32(value) % 5 == 0"})
    m = results[chosen]
    echo(f"selected {chosen}: roc_auc={m['roc_auc']:.5f} f1={m['f1']:.4f} fpr={m['fpr']:.4f} "
         f"(parity {diffs[chosen]:.2g})")
    return _log_and_register(cfg, snapshot, workdir, fitted, results, diffs, chosen, cutoff, train_seconds, echo)


def _log_and_register(cfg: TrainConfig, snapshot: Snapshot, workdir: Path, fitted: dict[str, Fitted],
                      results: dict[str, dict[str, float]], diffs: dict[str, float], chosen: str,
                      cutoff: float | None, train_seconds: float, echo: Callable[[str], None]) -> TrainResult:
    import warnings

    import mlflow
    import pandas as pd
    from mlflow import MlflowClient
    from mlflow.models import infer_signature

    import core.model as core_model
    from training.evaluate import plots

    mlflow.set_tracking_uri(cfg.tracking_uri)
    mlflow.set_registry_uri(cfg.tracking_uri)
    client = MlflowClient(tracking_uri=cfg.tracking_uri, registry_uri=cfg.tracking_uri)
    experiment = cfg.experiment or f"rampart-{cfg.region}"
    best = fitted[chosen]
    model_dir = best.model.save(workdir / "rampart_model")
    version = None
    try:
        exp = mlflow.set_experiment(experiment)
        with mlflow.start_run(run_name=f"train-{cfg.region}-{chosen}") as run:
            mlflow.set_tags({"rampart.region": cfg.region, "rampart.learner": chosen,
                             "rampart.sources": " ".join(snapshot.sources)})
            mlflow.log_params({
                "region": cfg.region, "learners": ",".join(cfg.learners), "selected": chosen,
                "threshold": cfg.threshold, "master": cfg.master,
                "split": f"time>= {cutoff}" if cutoff is not None else "crc32(value)%5==0",
                "since": cfg.since if cfg.since is not None else "",
                "data_rows": snapshot.rows, "data_bytes": snapshot.bytes, "data_sha256": snapshot.sha256,
                **{f"spec_{k}": v for k, v in cfg.spec.to_dict().items()},
                **{f"gbt_spec_{k}": v for k, v in cfg.gbt_spec.to_dict().items()
                   if k.startswith("num_")},
                **cfg.params.as_params(),
            })
            mlflow.log_metrics({**results[chosen], "parity_max_abs_diff": diffs[chosen],
                                "train_seconds": train_seconds,
                                **{f"{k}_{name}": v for k, r in results.items() for name, v in r.items()},
                                **{f"{k}_fit_seconds": f.seconds for k, f in fitted.items()}})
            for kind, f in fitted.items():
                sub = "" if kind == chosen else kind
                paths = plots(f.eval_label, f.eval_prob, cfg.threshold, workdir / "plots" / kind,
                              f"{kind} ({cfg.region})")
                for p in paths:
                    mlflow.log_artifact(str(p), artifact_path=f"plots/{sub}".rstrip("/"))
            mlflow.log_dict({"files": [str(p) for p in snapshot.files], "sources": snapshot.sources,
                             "rows": snapshot.rows, "bytes": snapshot.bytes, "sha256": snapshot.sha256},
                            "data_snapshot.json")
            example = pd.DataFrame({"point": best.eval_point[:3], "value": best.eval_value[:3]})
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                wrapper = core_model.RampartPyfunc()
                signature = infer_signature(example, pd.Series(Scorer(best.model).score_many(
                    example["point"], example["value"]), name="attack_probability"))
                mlflow.pyfunc.log_model(
                    name="model", python_model=wrapper, artifacts={"rampart_model": str(model_dir)},
                    signature=signature, input_example=example,
                    pip_requirements=[f"mlflow=={mlflow.__version__}", f"numpy=={np.__version__}",
                                      f"pandas=={pd.__version__}",
                                      f"mmh3=={importlib.metadata.version('mmh3')}"])
            model_uri = f"runs:/{run.info.run_id}/model"
            mv = mlflow.register_model(model_uri, cfg.register, await_registration_for=120)
            version = mv.version
            client.set_model_version_tag(cfg.register, version, "roc_auc", f"{results[chosen]['roc_auc']:.6f}")
            client.set_model_version_tag(cfg.register, version, "learner", chosen)
            client.set_model_version_tag(cfg.register, version, "region", cfg.region)
            promoted, before = False, None
            if cfg.promote_if_better:
                promoted, before, champ_auc = _promote_if_better(client, cfg.register, version, best,
                                                                 results[chosen])
                mlflow.set_tag("rampart.promoted", str(promoted).lower())
                if champ_auc is not None:
                    mlflow.log_metric("champion_roc_auc", champ_auc)
    except TrainError:
        _drop_version(client, cfg.register, version)
        raise
    except Exception as exc:  # noqa: BLE001 - any MLflow failure: undo the half-registered version
        _drop_version(client, cfg.register, version)
        raise TrainError(f"MLflow logging/registration failed: {_reason(exc)}") from exc
    echo(f"run {run.info.run_id} in experiment {experiment!r}; registered {cfg.register} version {version}"
         + (f"; champion moved to {version}" if promoted else ""))
    return TrainResult(run_id=run.info.run_id, experiment_id=exp.experiment_id, model_name=cfg.register,
                       version=str(version), learner=chosen, metrics=results[chosen], promoted=promoted,
                       champion_before=before, parity_max_abs_diff=diffs[chosen], snapshot=snapshot)


def _promote_if_better(client: Any, name: str, version: str, best: Fitted,
                       ours: dict[str, float]) -> tuple[bool, str | None, float | None]:
    """Score the evaluation rows with the current champion; move the alias only if the new version wins."""
    import mlflow
    import pandas as pd
    from mlflow.exceptions import MlflowException
    from sklearn.metrics import roc_auc_score

    try:
        champ = client.get_model_version_by_alias(name, CHAMPION)
    except MlflowException:
        champ = None
    if champ is None:
        client.set_registered_model_alias(name, CHAMPION, version)
        return True, None, None
    try:
        model = mlflow.pyfunc.load_model(f"models:/{name}@{CHAMPION}")
        probs = np.asarray(model.predict(pd.DataFrame({"point": best.eval_point, "value": best.eval_value})),
                           dtype=np.float64)
    except Exception as exc:  # noqa: BLE001 - cannot compare: better no new version than a wrong promotion
        raise TrainError(f"cannot score the current champion ({name} version {champ.version}) to compare: "
                         f"{_reason(exc)}; nothing registered (train without --promote-if-better, or move "
                         f"`{CHAMPION}` by hand)") from exc
    champ_auc = float(roc_auc_score(best.eval_label, probs))
    if ours["roc_auc"] > champ_auc:
        client.set_registered_model_alias(name, CHAMPION, version)
        return True, str(champ.version), champ_auc
    return False, str(champ.version), champ_auc


def _reason(exc: BaseException) -> str:
    """First line of an error; for a Py4J error the Java exception's own message, not the call site."""
    java = getattr(exc, "java_exception", None)
    if java is not None:
        try:
            return str(java.toString()).splitlines()[0]
        except Exception:  # noqa: BLE001 - the JVM may be gone already
            pass
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def _drop_version(client: Any, name: str, version: str | None) -> None:
    if version is None:
        return
    try:
        client.delete_model_version(name, version)
        log.warning("deleted half-registered %s version %s", name, version)
    except Exception as exc:  # noqa: BLE001 - best effort; report what is left behind
        log.error("could not delete half-registered %s version %s: %s", name, version, exc)

