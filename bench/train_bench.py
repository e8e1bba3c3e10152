"""Training time vs rows (Spark local vs a single-process numpy/scipy fit) and scorer latency per row and per event."""
from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import threading
import time
from array import array
from pathlib import Path
from typing import Any, Callable

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
CORPUS = ROOT.parent / "shared" / "corpus" / "httpparams.jsonl"
DEFAULT_DATA_DIR = ROOT / ".rampart" / "cache" / "train-bench"      # git-ignored; files reach ~400 MB at 5M
POINTS = ['["get","id"]', '["get","q"]', '["post","form_urlencoded","name"]', '["cookie","sid"]',
          '["header","USER-AGENT"]', '["post","json_doc","hash","user"]']
EVAL_FRACTION = 0.2          # = training.job.EVAL_FRACTION: newest 20 % by ts are held out


class LoadSampler:
    """1-minute load average sampled every few seconds in a thread, so each stage reports the load it ran under."""

    def __init__(self, every: float = 5.0) -> None:
        self.samples: list[float] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, args=(every,), daemon=True)

    def _run(self, every: float) -> None:
        while not self._stop.is_set():
            self.samples.append(os.getloadavg()[0])
            self._stop.wait(every)

    def __enter__(self) -> "LoadSampler":
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def summary(self) -> dict[str, float]:
        s = self.samples or [os.getloadavg()[0]]
        return {"load_median": round(statistics.median(s), 2), "load_max": round(max(s), 2)}


def timed(stage: str, fn: Callable[[], Any], out: dict[str, Any]) -> Any:
    with LoadSampler() as load:
        t = time.perf_counter()
        result = fn()
        out[f"{stage}_s"] = round(time.perf_counter() - t, 2)
    out[f"{stage}_load"] = load.summary()["load_median"]
    print(f"  {stage}: {out[f'{stage}_s']} s (load {out[f'{stage}_load']})", file=sys.stderr, flush=True)
    return result


# --- data -------------------------------------------------------------------------------------------------

def make_data(rows: int, data_dir: Path) -> Path:
    """`rows` labelled rows cycling the corpus, each value past the first cycle given a distinct suffix, with
    increasing ts (so the held-out split is the newest 20 %, as in a ClickHouse export). Cached by size."""
    data_dir.mkdir(parents=True, exist_ok=True)
    out = data_dir / f"rows-{rows}.jsonl"
    done = out.with_suffix(".ok")
    if out.exists() and done.exists():
        return out
    base = [json.loads(x) for x in CORPUS.read_text().splitlines()]
    rnd = random.Random(rows)
    tmp = out.with_suffix(".part")
    with tmp.open("w") as fh:
        for i in range(rows):
            r = base[i % len(base)]
            value = r["value"] if i < len(base) else f"{r['value']}{rnd.choice(['', ' ', '&'])}{i % 977}"
            fh.write(json.dumps({"point": POINTS[i % len(POINTS)], "value": value, "label": r["label"],
                                 "ts": float(i)}) + "\n")
    tmp.rename(out)
    done.touch()
    return out


# --- Spark (the job's own code path) -----------------------------------------------------------------------

def spark_features(spark: Any, path: Path) -> tuple[Any, Any]:
    from pyspark import StorageLevel

    from core.model import FeatureSpec
    from training.data import describe
    from training.features import with_row_features
    from training.job import load_frame

    frame, _ = load_frame(spark, describe([path], []))
    feats = with_row_features(frame, FeatureSpec()).persist(StorageLevel.MEMORY_AND_DISK)
    feats.count()
    return feats


def spark_fit(feats: Any, kind: str, lr_iter: int, gbt_iter: int) -> float:
    """Fit one learner as `rampart train` does (assemble, fit, score + collect the held-out rows); its AUC."""
    from pyspark.sql import functions as F
    from sklearn.metrics import roc_auc_score

    from core.model import FeatureSpec
    from training.features import assemble
    from training.fit import FitParams, fit

    spec = FeatureSpec() if kind == "lr" else FeatureSpec(num_ngram_features=1 << 10, num_point_features=1 << 6)
    data = assemble(feats, spec)
    f = fit(kind, data.filter(~F.col("is_eval")), data.filter(F.col("is_eval")), spec,
            FitParams(lr_max_iter=lr_iter, gbt_max_iter=gbt_iter))
    return float(roc_auc_score(f.eval_label, f.eval_prob))


def bench_spark(path: Path, rows: int, master: str, learners: list[str], lr_iter: int, gbt_iter: int,
                driver_memory: str, partition_mb: int) -> dict[str, Any]:
    from training.spark import session

    out: dict[str, Any] = {"rows": rows, "master": master, "driver_memory": driver_memory}
    spark = session(master, app="rampart-train-bench", driver_memory=driver_memory)
    # Smaller input splits than Spark's 128 MB: ~10 tasks per GB keeps cached blocks small and both cores busy.
    spark.conf.set("spark.sql.files.maxPartitionBytes", str(partition_mb << 20))
    try:
        t0 = time.perf_counter()
        feats = timed("spark_features", lambda: spark_features(spark, path), out)
        out["partitions"] = feats.rdd.getNumPartitions()
        for kind in learners:
            out[f"spark_{kind}_auc"] = round(timed(f"spark_{kind}", lambda: spark_fit(feats, kind, lr_iter,
                                                                                       gbt_iter), out), 5)
        out["spark_total_s"] = round(time.perf_counter() - t0, 2)
        feats.unpersist()
    finally:
        spark.stop()
    return out


# --- baseline: one Python process, same features, numpy/scipy L-BFGS ---------------------------------------

def baseline_features(path: Path) -> tuple[Any, np.ndarray, np.ndarray]:
    """CSR matrix of core.model's feature vectors (the scorer's code, one process), labels, held-out mask."""
    import scipy.sparse as sp

    from core.model import FeatureSpec, Model, Scorer

    spec = FeatureSpec()
    scorer = Scorer(Model(kind="lr", spec=spec, coef=np.zeros(spec.size)))
    indptr, indices, values, labels, ts = array("q", [0]), array("i"), array("d"), array("b"), array("d")
    with path.open() as fh:
        for line in fh:
            r = json.loads(line)
            vec = scorer.sparse(r["point"], r["value"])
            indices.extend(vec.keys())
            values.extend(vec.values())
            indptr.append(len(indices))
            labels.append(1 if r["label"] == "attack" else 0)
            ts.append(r["ts"])
    n = len(labels)
    X = sp.csr_matrix((np.frombuffer(values, dtype=np.float64), np.frombuffer(indices, dtype=np.int32),
                       np.frombuffer(indptr, dtype=np.int64)), shape=(n, spec.size))
    t = np.frombuffer(ts, dtype=np.float64)
    return X, np.frombuffer(labels, dtype=np.int8).astype(np.float64), t >= np.quantile(t, 1 - EVAL_FRACTION)


def baseline_fit(X: Any, y: np.ndarray, is_eval: np.ndarray, iters: int, reg: float = 1e-4) -> float:
    """L2 logistic regression by scipy L-BFGS-B for `iters` iterations (Spark LR's solver and budget); AUC."""
    from scipy.optimize import minimize
    from sklearn.metrics import roc_auc_score

    Xt, yt = X[~is_eval], y[~is_eval]
    n, d = Xt.shape

    def loss_grad(wb: np.ndarray) -> tuple[float, np.ndarray]:
        w, b = wb[:d], wb[d]
        z = Xt @ w + b
        loss = float(np.sum(np.logaddexp(0.0, z) - yt * z)) / n + 0.5 * reg * float(w @ w)
        r = (1.0 / (1.0 + np.exp(-z)) - yt) / n
        return loss, np.concatenate([Xt.T @ r + reg * w, [r.sum()]])

    res = minimize(loss_grad, np.zeros(d + 1), jac=True, method="L-BFGS-B", options={"maxiter": iters})
    w, b = res.x[:d], res.x[d]
    return float(roc_auc_score(y[is_eval], X[is_eval] @ w + b))


def bench_baseline(path: Path, rows: int, lr_iter: int) -> dict[str, Any]:
    out: dict[str, Any] = {"rows": rows}
    X, y, is_eval = timed("base_features", lambda: baseline_features(path), out)
    out["base_lr_auc"] = round(timed("base_lr", lambda: baseline_fit(X, y, is_eval, lr_iter), out), 5)
    out["base_total_s"] = round(out["base_features_s"] + out["base_lr_s"], 2)
    del X
    return out


# --- scorer latency -----------------------------------------------------------------------------------------

def per_pass(fn: Callable[[], Any], count: int, repeats: int) -> list[float]:
    """CPU µs per item of `repeats` passes of fn. CPU time of this process, not wall time: the machine is
    shared, so wall time mostly measures other people's load."""
    times = []
    for _ in range(repeats):
        t = time.process_time()
        fn()
        times.append((time.process_time() - t) / count * 1e6)
    return times


def bench_latency(n: int, repeats: int, events: int, baseline_tree: Path | None) -> dict[str, Any]:
    """sklearn's predict_proba on our features beside the numpy scorer, then the scorer's own numbers (per row,
    per batch, per event through the stream worker's path) measured in a subprocess per source tree: this one
    and, with `baseline_tree`, an older copy of core/ + streams/ — in ABBA order, same models and inputs."""
    import subprocess
    import tempfile

    import scipy.sparse as sp
    from sklearn.ensemble import GradientBoostingClassifier
    from sklearn.linear_model import LogisticRegression

    from core.model import FeatureSpec, Model, Scorer, Trees

    rows = [json.loads(x) for x in CORPUS.read_text().splitlines()]
    random.Random(1).shuffle(rows)
    rows = rows[:n]
    pts = [POINTS[i % len(POINTS)] for i in range(n)]
    vals = [r["value"] for r in rows]
    y = np.array([r["label"] == "attack" for r in rows], dtype=int)
    spec = FeatureSpec()
    # Fit sklearn models on our features, then export them into the scorer format: same weights both sides.
    s0 = Scorer(Model(kind="lr", spec=spec, coef=np.zeros(spec.size)))
    X = sp.lil_matrix((n, spec.size))
    for i, (p, v) in enumerate(zip(pts, vals)):
        for j, x in s0.sparse(p, v).items():
            X[i, j] = x
    X = X.tocsr()
    sk_lr = LogisticRegression(max_iter=300).fit(X, y)
    lr = Model(kind="lr", spec=spec, coef=sk_lr.coef_[0].astype(np.float64), intercept=float(sk_lr.intercept_[0]))
    sk_gbt = GradientBoostingClassifier(n_estimators=40, max_depth=5, random_state=0).fit(X, y)
    trees = [est[0].tree_ for est in sk_gbt.estimators_]
    width = max(t.node_count for t in trees)
    feat = np.full((len(trees), width), -1, np.int32)
    thr = np.zeros((len(trees), width))
    left = np.tile(np.arange(width, dtype=np.int32), (len(trees), 1))
    right = left.copy()
    value = np.zeros((len(trees), width))
    for k, t in enumerate(trees):
        m = t.node_count
        internal = t.children_left[:m] >= 0
        feat[k, :m] = np.where(internal, t.feature[:m], -1)
        thr[k, :m] = t.threshold[:m]
        left[k, :m] = np.where(internal, t.children_left[:m], np.arange(m))
        right[k, :m] = np.where(internal, t.children_right[:m], np.arange(m))
        value[k, :m] = t.value[:m, 0, 0]
    gbt = Model(kind="gbt", spec=spec, trees=Trees(feat, thr, left, right, value, np.full(len(trees), 0.5), depth=5))

    def sk_one_by_one(model: Any) -> None:
        for i in range(n):
            model.predict_proba(X[i])

    res: dict[str, Any] = {"rows": n, "events": events}
    res["sklearn_lr_predict_proba_us"] = round(statistics.median(per_pass(lambda: sk_one_by_one(sk_lr), n,
                                                                           repeats)), 2)
    res["sklearn_lr_batch_us"] = round(statistics.median(per_pass(lambda: sk_lr.predict_proba(X), n, repeats)), 2)
    res["sklearn_gbt_predict_proba_us"] = round(statistics.median(per_pass(lambda: sk_one_by_one(sk_gbt), n,
                                                                            repeats)), 2)
    with tempfile.TemporaryDirectory() as tmp:
        d = Path(tmp)
        lr.save(d / "lr")
        gbt.save(d / "gbt")
        evs = make_events(events, vals)
        (d / "inputs.json").write_text(json.dumps({"points": pts, "values": vals, "events": evs}))
        trees_ = {"new": ROOT} | ({"baseline": baseline_tree.resolve()} if baseline_tree else {})
        order = ["new", "baseline", "baseline", "new"] if baseline_tree else ["new"]
        passes: dict[str, dict[str, list[float]]] = {k: {} for k in trees_}
        for name in order:
            out = subprocess.run([sys.executable, __file__, "--latency-worker", str(d), "--tree", str(trees_[name]),
                                  "--repeats", str(repeats), "--tag", name], capture_output=True, text=True)
            if out.returncode != 0:
                raise SystemExit(f"latency worker for {trees_[name]} failed: {out.stderr.strip()[-2000:]}")
            for k, v in json.loads(out.stdout.strip().splitlines()[-1]).items():
                passes[name].setdefault(k, []).extend(v)
        for name in trees_:
            res[name] = {k: round(statistics.median(v), 2) for k, v in passes[name].items()}
        if baseline_tree:
            res["ratio_baseline_over_new"] = {k: round(res["baseline"][k] / res["new"][k], 2)
                                              for k in res["new"] if k in res["baseline"]}
            for kind in ("lr", "gbt"):
                a, b = np.load(d / f"probs-new-{kind}.npy"), np.load(d / f"probs-baseline-{kind}.npy")
                res[f"max_abs_prob_diff_{kind}"] = float(np.max(np.abs(a - b)))
        res["event_points_mean"] = round(sum(map(len, evs)) / len(evs), 2)
        res["event_distinct_share"] = round(len({tuple(p) for e in evs for p in e}) / sum(map(len, evs)), 3)
    return res


def latency_worker(data: Path, repeats: int, tag: str) -> dict[str, list[float]]:
    """The scorer's numbers with whatever core/ and streams/ are first on sys.path (see --tree)."""
    import tempfile

    import mlflow.pyfunc

    import core.model as cm
    from streams.scoring import LoadedModel, ModelWatcher

    inp = json.loads((data / "inputs.json").read_text())
    pts, vals = inp["points"], inp["values"]
    evs = [[tuple(p) for p in e] for e in inp["events"]]
    n = len(pts)
    res: dict[str, list[float]] = {}
    for kind in ("lr", "gbt"):
        model = cm.Model.load(data / kind)
        scorer = cm.Scorer(model)
        np.save(data / f"probs-{tag}-{kind}.npy", scorer.score_many(pts, vals))   # also warms the memos
        res[f"{kind}_batch_us"] = per_pass(lambda: scorer.score_many(pts, vals), n, repeats)
        res[f"{kind}_one_row_us"] = per_pass(lambda: [scorer.probability(p, v) for p, v in zip(pts, vals)], n,
                                             repeats)
        if kind == "lr":
            res["lr_batch_fresh_scorer_us"] = per_pass(lambda: cm.Scorer(model).score_many(pts, vals), n,
                                                       repeats)
            res["sparse_vector_one_row_us"] = per_pass(lambda: [scorer.sparse(p, v) for p, v in zip(pts, vals)],
                                                       n, repeats)
    # Per event, as a stream worker scores them: the LR model saved as the registered pyfunc, loaded with
    # mlflow.pyfunc, driven by streams.scoring.ModelWatcher.score_events in batches of 100 events.
    with tempfile.TemporaryDirectory() as tmp:
        mlflow.pyfunc.save_model(str(Path(tmp) / "pyfunc"), python_model=cm.RampartPyfunc(),
                                 artifacts={"rampart_model": str(data / "lr")}, pip_requirements=["numpy", "pandas"])
        pyfunc = mlflow.pyfunc.load_model(str(Path(tmp) / "pyfunc"))

    def worker_pass(fresh: bool) -> None:
        w = ModelWatcher("", "bench", cache_size=200_000 if not fresh else 0)
        w.current = LoadedModel("bench", "1", pyfunc)
        for i in range(0, len(evs), 100):
            w.score_events(evs[i:i + 100])

    worker_pass(False)
    res["worker_event_us"] = per_pass(lambda: worker_pass(False), len(evs), repeats)
    res["worker_event_nocache_us"] = per_pass(lambda: worker_pass(True), len(evs), repeats)
    return res


def make_events(n: int, values: list[str]) -> list[list[tuple[str, str]]]:
    """Request-like events: 1-3 query args with corpus values (mostly new), a session cookie from a pool of 300
    and a User-Agent from 12 — the repetition a shop's traffic has in the headers, not in the parameters."""
    rnd = random.Random(5)
    agents = [f"Mozilla/5.0 (X11; Linux x86_64) Firefox/{100 + i}.0" for i in range(12)]
    cookies = [f"{rnd.getrandbits(64):016x}" for _ in range(300)]
    out = []
    for i in range(n):
        pts = [(f'["get","{k}"]', values[(i * 3 + j) % len(values)])
               for j, k in enumerate(("q", "id", "page")[:rnd.randint(1, 3)])]
        pts.append(('["cookie","sid"]', rnd.choice(cookies)))
        pts.append(('["header","USER-AGENT"]', rnd.choice(agents)))
        out.append(pts)
    return out


# --- report -------------------------------------------------------------------------------------------------

def table(results: list[dict[str, Any]]) -> str:
    """Markdown rows: seconds, rows/s and growth vs the smallest size for Spark and for the baseline."""
    first = results[0]
    lines = ["| rows | load (median) | Spark features s | Spark LR s | Spark GBT s | Spark features+LR s | "
             "rows/s | growth | baseline features s | baseline LR s | baseline total s | rows/s | growth | "
             "Spark / baseline |",
             "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"]
    for r in results:
        n = r["rows"]
        s = r["spark_features_s"] + r["spark_lr_s"]
        b = r.get("base_total_s")
        s0 = first["spark_features_s"] + first["spark_lr_s"]
        b0 = first.get("base_total_s")
        gbt = r.get("spark_gbt_s", "not run")
        lines.append(
            f"| {n:,} | {r.get('spark_features_load', '')}/{r.get('spark_lr_load', '')} | {r['spark_features_s']} | "
            f"{r['spark_lr_s']} | {gbt} | {s:.1f} | {n / s:,.0f} | {s / s0:.2f}× | "
            + (f"{r['base_features_s']} | {r['base_lr_s']} | {b:.1f} | {n / b:,.0f} | {b / b0:.2f}× | "
               f"{s / b:.2f} |" if b else "— | — | — | — | — | — |"))
    return "\n".join(lines)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--rows", type=int, nargs="*", default=[100_000, 1_000_000, 5_000_000])
    ap.add_argument("--master", default="local[2]")
    ap.add_argument("--driver-memory", default="6g", help="Spark driver heap (local mode: all of Spark).")
    ap.add_argument("--partition-mb", type=int, default=32, help="spark.sql.files.maxPartitionBytes in MB.")
    ap.add_argument("--data-dir", type=Path, default=DEFAULT_DATA_DIR)
    ap.add_argument("--learners", default="lr,gbt")
    ap.add_argument("--gbt-max-rows", type=int, default=1_000_000,
                    help="Skip GBT above this many rows (its binned rows are dense: 4.4 KB each).")
    ap.add_argument("--lr-iter", type=int, default=50)
    ap.add_argument("--gbt-iter", type=int, default=20)
    ap.add_argument("--skip-baseline", action="store_true")
    ap.add_argument("--baseline-max-rows", type=int, default=1_000_000,
                    help="Largest size the single-process baseline runs at (it holds the whole CSR in memory).")
    ap.add_argument("--latency-rows", type=int, default=3000)
    ap.add_argument("--latency-events", type=int, default=3000)
    ap.add_argument("--repeats", type=int, default=5)
    ap.add_argument("--skip-latency", action="store_true")
    ap.add_argument("--baseline-tree", type=Path,
                    help="A copy of an older tree (its core/ and streams/): scorer latency measured for both.")
    ap.add_argument("--latency-worker", type=Path, help=argparse.SUPPRESS)   # internal: one tree's numbers
    ap.add_argument("--tree", type=Path, default=ROOT, help=argparse.SUPPRESS)
    ap.add_argument("--tag", default="new", help=argparse.SUPPRESS)
    a = ap.parse_args()
    if a.latency_worker:
        sys.path.insert(0, str(a.tree.resolve()))
        print(json.dumps(latency_worker(a.latency_worker, a.repeats, a.tag)), flush=True)
        return
    print(json.dumps({"start": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
                      "loadavg": os.getloadavg(), "argv": sys.argv[1:]}), flush=True)
    if not a.skip_latency:
        with LoadSampler() as load:
            lat = bench_latency(a.latency_rows, a.repeats, a.latency_events, a.baseline_tree)
        print(json.dumps({"latency": lat, **load.summary()}), flush=True)
    learners = [k for k in a.learners.split(",") if k]
    # Spark features + LR for every size first, then the single-process baseline (up to --baseline-max-rows),
    # then GBT: on a shared 2-core machine a run cut short still has the Spark growth curve for every size.
    results: dict[int, dict[str, Any]] = {}
    for n in a.rows:
        print(f"spark {n:,}", file=sys.stderr, flush=True)
        r = results[n] = {"rows": n}
        path = timed("make_data", lambda: make_data(n, a.data_dir), r)
        r.update(bench_spark(path, n, a.master, [k for k in learners if k != "gbt"], a.lr_iter, a.gbt_iter,
                             a.driver_memory, a.partition_mb))
        print(json.dumps({"training": r}), flush=True)
    if not a.skip_baseline:
        for n in [n for n in a.rows if n <= a.baseline_max_rows]:
            print(f"baseline {n:,}", file=sys.stderr, flush=True)
            results[n].update(bench_baseline(make_data(n, a.data_dir), n, a.lr_iter))
            print(json.dumps({"training": results[n]}), flush=True)
    if "gbt" in learners:
        for n in [n for n in a.rows if n <= a.gbt_max_rows]:
            print(f"spark gbt {n:,}", file=sys.stderr, flush=True)
            r = bench_spark(make_data(n, a.data_dir), n, a.master, ["gbt"], a.lr_iter, a.gbt_iter,
                            a.driver_memory, a.partition_mb)
            results[n].update({k: v for k, v in r.items() if k.startswith("spark_gbt")})
            print(json.dumps({"training": results[n]}), flush=True)
    if results:
        print(table(list(results.values())), flush=True)


if __name__ == "__main__":
    main()
