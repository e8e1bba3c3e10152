"""Training time vs rows on local Spark and numpy-scorer latency per row beside sklearn's predict_proba."""
from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
CORPUS = ROOT.parent / "shared" / "corpus" / "httpparams.jsonl"
POINTS = ['["get","id"]', '["get","q"]', '["post","form_urlencoded","name"]', '["cookie","sid"]',
          '["header","USER-AGENT"]', '["post","json_doc","hash","user"]']


def make_data(rows: int, out: Path) -> None:
    """`rows` labelled rows cycling the corpus, each value given a distinct suffix, with increasing ts."""
    base = [json.loads(x) for x in CORPUS.read_text().splitlines()]
    rnd = random.Random(rows)
    with out.open("w") as fh:
        for i in range(rows):
            r = base[i % len(base)]
            value = r["value"] if i < len(base) else f"{r['value']}{rnd.choice(['', ' ', '&'])}{i % 977}"
            fh.write(json.dumps({"point": POINTS[i % len(POINTS)], "value": value, "label": r["label"],
                                 "ts": float(i)}) + "\n")


def bench_training(rows: int, master: str, gbt_iter: int) -> dict[str, float]:
    from pyspark.sql import functions as F

    from core.model import FeatureSpec
    from training.data import describe
    from training.features import assemble, with_row_features
    from training.fit import FitParams, fit
    from training.job import load_frame
    from training.spark import session

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "data.jsonl"
        make_data(rows, path)
        spark = session(master, app="rampart-train-bench")
        out: dict[str, float] = {"rows": rows}
        t0 = time.perf_counter()
        frame, _ = load_frame(spark, describe([path], []))
        spec, gspec = FeatureSpec(), FeatureSpec(num_ngram_features=1 << 10, num_point_features=1 << 6)
        feats = with_row_features(frame, spec).persist()
        feats.count()
        out["features_s"] = time.perf_counter() - t0
        params = FitParams(gbt_max_iter=gbt_iter)
        for kind, sp in (("lr", spec), ("gbt", gspec)):
            t = time.perf_counter()
            data = assemble(feats, sp)
            f = fit(kind, data.filter(~F.col("is_eval")), data.filter(F.col("is_eval")), sp, params)
            out[f"{kind}_s"] = time.perf_counter() - t
            from sklearn.metrics import roc_auc_score
            out[f"{kind}_auc"] = roc_auc_score(f.eval_label, f.eval_prob)
        out["total_s"] = time.perf_counter() - t0
        spark.stop()
    return out


def bench_latency(n: int, repeats: int) -> dict[str, float]:
    """Per-row CPU latency: numpy LR/GBT scorer (features + model) vs sklearn predict_proba on the same features."""
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
    ours_lr = Scorer(Model(kind="lr", spec=spec, coef=sk_lr.coef_[0].astype(np.float64),
                           intercept=float(sk_lr.intercept_[0])))
    res: dict[str, float] = {"rows": n}

    def per_row(fn) -> float:  # noqa: ANN001
        # CPU time of this process, not wall time: the bench machine is shared, so wall time mostly
        # measures other people's load. Median over `repeats`.
        times = []
        for _ in range(repeats):
            t = time.process_time()
            fn()
            times.append((time.process_time() - t) / n * 1e6)
        return statistics.median(times)

    ours_lr.score_many(pts, vals)        # warm the term->bucket memo (steady state of a worker)
    res["numpy_lr_us"] = per_row(lambda: ours_lr.score_many(pts, vals))
    res["numpy_lr_cold_us"] = per_row(lambda: Scorer(ours_lr.model).score_many(pts, vals))
    res["features_only_us"] = per_row(lambda: [s0.sparse(p, v) for p, v in zip(pts, vals)])

    def sk_one_by_one(model) -> None:  # noqa: ANN001
        for i in range(n):
            model.predict_proba(X[i])

    res["sklearn_lr_predict_proba_us"] = per_row(lambda: sk_one_by_one(sk_lr))
    res["sklearn_lr_batch_us"] = per_row(lambda: sk_lr.predict_proba(X))
    # GBT: sklearn GradientBoosting on the same features (dense numeric slice is enough for its trees).
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
    ours_gbt = Scorer(Model(kind="gbt", spec=spec, trees=Trees(feat, thr, left, right, value,
                                                               np.full(len(trees), 0.5), depth=5)))
    ours_gbt.score_many(pts, vals)
    res["numpy_gbt_us"] = per_row(lambda: ours_gbt.score_many(pts, vals))
    res["sklearn_gbt_predict_proba_us"] = per_row(lambda: sk_one_by_one(sk_gbt))
    return res


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--rows", type=int, nargs="*", default=[100_000])
    ap.add_argument("--master", default="local[2]")
    ap.add_argument("--gbt-iter", type=int, default=20)
    ap.add_argument("--latency-rows", type=int, default=3000)
    ap.add_argument("--repeats", type=int, default=5)
    ap.add_argument("--skip-latency", action="store_true")
    a = ap.parse_args()
    if not a.skip_latency:
        print(json.dumps({"latency": bench_latency(a.latency_rows, a.repeats)}), flush=True)
    for n in a.rows:
        print(json.dumps({"training": bench_training(n, a.master, a.gbt_iter)}), flush=True)


if __name__ == "__main__":
    main()
