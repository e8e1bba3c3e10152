"""The fast scorer paths: mmh3 and the vectorised murmur3 against a pure-Python oracle, batch == row, bit for bit."""
from __future__ import annotations

import json
import struct
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.model import (FeatureSpec, Model, Scorer, Trees, _ngram_text, murmur3_32, murmur3_32_rows,
                        numeric_features)

POINTS = ['["get","id"]', '["post","json_doc","hash","user","array",0]', '["header","USER-AGENT"]',
          '["cookie","sid"]', "[]", "not json"]
ODD = ["", "a", "ab", "ÄÖü", "日本語 テキスト", "emoji 😀 here", "tab\tnew\nline\x1c", "a" * 2000, "\ud800x\udfff",
       "x²³ ٣ Ⅻ ǅ", "Σς ſ ß", "1' OR '1'='1 -- ", None, 12345]


def _oracle(data: bytes, seed: int) -> int:
    """MurmurHash3 x86_32 straight from the reference algorithm (the scorer's former pure-Python code)."""
    c1, c2 = 0xCC9E2D51, 0x1B873593
    h = seed & 0xFFFFFFFF
    nblocks = len(data) // 4
    for (k,) in struct.iter_unpack("<I", data[: nblocks * 4]):
        k = (k * c1) & 0xFFFFFFFF
        k = ((k << 15) | (k >> 17)) & 0xFFFFFFFF
        h ^= (k * c2) & 0xFFFFFFFF
        h = ((h << 13) | (h >> 19)) & 0xFFFFFFFF
        h = (h * 5 + 0xE6546B64) & 0xFFFFFFFF
    tail = data[nblocks * 4:]
    if tail:
        k = (int.from_bytes(tail, "little") * c1) & 0xFFFFFFFF
        k = ((k << 15) | (k >> 17)) & 0xFFFFFFFF
        h ^= (k * c2) & 0xFFFFFFFF
    h ^= len(data)
    for shift, mul in ((16, 0x85EBCA6B), (13, 0xC2B2AE35)):
        h ^= h >> shift
        h = (h * mul) & 0xFFFFFFFF
    h ^= h >> 16
    return h - (1 << 32) if h & 0x80000000 else h


@settings(max_examples=500, deadline=None)
@given(st.binary(max_size=40), st.integers(0, 0xFFFFFFFF))
def test_mmh3_equals_oracle(data: bytes, seed: int) -> None:
    assert murmur3_32(data, seed) == _oracle(data, seed)


@settings(max_examples=200, deadline=None)
@given(st.integers(1, 13).flatmap(lambda n: st.lists(st.binary(min_size=n, max_size=n), min_size=1, max_size=20)))
def test_vectorised_murmur_equals_oracle(terms: list[bytes]) -> None:
    length = len(terms[0])
    width = -(-length // 4) * 4
    mat = np.zeros((len(terms), width), dtype=np.uint8)
    for i, t in enumerate(terms):
        mat[i, :length] = np.frombuffer(t, dtype=np.uint8)
    assert murmur3_32_rows(mat.view("<u4"), length).tolist() == [_oracle(t, 42) for t in terms]


@pytest.fixture(scope="module")
def sample(corpus_dir: Path) -> tuple[list[str], list[object]]:
    lines = (corpus_dir / "httpparams.jsonl").read_text().splitlines()[::37]
    values: list[object] = [json.loads(x)["value"] for x in lines] + ODD
    return [POINTS[i % len(POINTS)] for i in range(len(values))], values


def _lr(spec: FeatureSpec) -> Model:
    rng = np.random.default_rng(7)
    return Model(kind="lr", spec=spec, coef=rng.normal(size=spec.size), intercept=0.3)


def _gbt(spec: FeatureSpec, n_trees: int = 12, depth: int = 4) -> Model:
    """Random full trees over n-gram, point and numeric features (thresholds that split real values)."""
    rng = np.random.default_rng(3)
    width = 2 ** (depth + 1) - 1
    feature = np.full((n_trees, width), -1, np.int32)
    threshold = np.zeros((n_trees, width))
    left = np.tile(np.arange(width, dtype=np.int32), (n_trees, 1))
    right = left.copy()
    num_base = spec.num_ngram_features + spec.num_point_features
    for t in range(n_trees):
        for node in range(2 ** depth - 1):
            kind = rng.integers(3)
            if kind == 0:
                feature[t, node], threshold[t, node] = rng.integers(spec.num_ngram_features), 0.5
            elif kind == 1:
                feature[t, node] = spec.num_ngram_features + rng.integers(spec.num_point_features)
                threshold[t, node] = 0.5
            else:
                j = rng.integers(len(spec.numeric))
                feature[t, node], threshold[t, node] = num_base + j, [3.0, 3.5, .3, .1, .05, .02, .1, 0.0][j]
            left[t, node], right[t, node] = 2 * node + 1, 2 * node + 2
    value = rng.normal(size=(n_trees, width))
    return Model(kind="gbt", spec=spec, trees=Trees(feature, threshold, left, right, value,
                                                   rng.uniform(0.1, 1.0, n_trees), depth=depth))


SPECS = [FeatureSpec(), FeatureSpec(ngram_sizes=(2, 4), num_ngram_features=1 << 8, num_point_features=16,
                                    max_value_chars=64)]


@pytest.mark.parametrize("spec", SPECS)
def test_batch_ngrams_equal_row_ngrams(spec: FeatureSpec, sample) -> None:
    _, values = sample
    scorer = Scorer(_lr(spec))
    texts = [_ngram_text("" if v is None else str(v), spec) for v in values]
    rows, cols = scorer._batch_grams(texts)
    got: list[set[int]] = [set() for _ in texts]
    for r, c in zip(rows.tolist(), cols.tolist()):
        got[r].add(c)
    assert got == [scorer._gram_buckets(t) if t else set() for t in texts]


@settings(max_examples=100, deadline=None)
@given(st.lists(st.text(max_size=60) | st.sampled_from([v for v in ODD if isinstance(v, str)]), min_size=1,
                max_size=30))
def test_batch_numeric_bit_identical(values: list[str]) -> None:
    got = Scorer(_lr(FeatureSpec()))._batch_numeric(values)
    want = np.array([numeric_features(v) for v in values], dtype=np.float64).reshape(len(values), -1)
    assert got.tobytes() == want.tobytes()            # bits, not approx (also no -0.0 where the loop has 0.0)


@pytest.mark.parametrize("kind", ["lr", "gbt"])
@pytest.mark.parametrize("spec", SPECS)
def test_batch_probabilities_equal_row_probabilities(kind: str, spec: FeatureSpec, sample) -> None:
    points, values = sample
    model = _lr(spec) if kind == "lr" else _gbt(spec)
    batch = Scorer(model).score_many(points, values)
    rows = [Scorer(model).probability(p, v) for p, v in zip(points, values)]
    assert batch.tolist() == rows
    # and both agree with the plain sparse-vector arithmetic (the form the parity test checks against Spark)
    s = Scorer(model)
    plain = [s.margin(s.sparse(p, "" if v is None else str(v))) for p, v in zip(points, values)]
    margins = s.margins(points, values)
    assert np.max(np.abs(margins - np.array(plain))) < 1e-9
    assert len(set(batch.tolist())) > 20                   # a real, varied model
    # a batch without a single n-gram (every value empty) still scores its points and numeric features
    empty = Scorer(model).score_many(points[:20], [""] * 20)
    assert empty.tolist() == [Scorer(model).probability(p, "") for p in points[:20]]


def test_stream_worker_scores_through_the_pyfunc_directly(tmp_path, sample) -> None:
    """ModelWatcher skips the DataFrame/predict round trip for a rampart pyfunc: same numbers as predict."""
    import mlflow.pyfunc
    import pandas as pd

    import core.model as cm
    from streams.scoring import LoadedModel, ModelWatcher

    points, values = sample
    # Lone surrogates stay out: predict's DataFrame goes through pyarrow, which refuses them (the direct path
    # scores them, as '?', like Spark).
    keep = [i for i, v in enumerate(values) if v is None or str(v).encode("utf-8", "ignore").decode() == str(v)]
    points, values = [points[i] for i in keep], ["" if values[i] is None else str(values[i]) for i in keep]
    _lr(FeatureSpec()).save(tmp_path / "m")
    mlflow.pyfunc.save_model(str(tmp_path / "pyfunc"), python_model=cm.RampartPyfunc(),
                             artifacts={"rampart_model": str(tmp_path / "m")}, pip_requirements=["numpy", "pandas"])
    pyfunc = mlflow.pyfunc.load_model(str(tmp_path / "pyfunc"))
    loaded = LoadedModel("m", "1", pyfunc)
    assert loaded.direct is not None
    w = ModelWatcher("", "m")
    w.current = loaded
    events = [list(zip(points[i:i + 3], values[i:i + 3])) for i in range(0, len(values), 3)]
    scores, label = w.score_events(events)
    want = np.asarray(pyfunc.predict(pd.DataFrame({"point": points, "value": values})))
    assert label == "m/1"
    assert scores == [max(want[i:i + 3].tolist()) for i in range(0, len(values), 3)]
