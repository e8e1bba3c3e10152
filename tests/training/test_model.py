"""core.model without Spark: murmur3 vectors, point fields, scorer arithmetic, save/load, the MLflow pyfunc."""
from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from core.model import (FeatureSpec, Model, Scorer, Trees, holdout_by_value, murmur3_32, numeric_features,
                        point_fields, spark_bucket, value_terms)


@pytest.mark.parametrize("data,seed,expected", [
    (b"", 0, 0), (b"", 1, 0x514E28B7), (b"\xff\xff\xff\xff", 0, 0x76293B50),
    (b"!Ce\x87", 0, 0xF55B516B), (b"!Ce", 0, 0x7E4A8634), (b"!C", 0, 0xA0F7B07A), (b"!", 0, 0x72661CF4),
    (b"Hello, world!", 1234, 0xFAF6CDB3), (b"The quick brown fox jumps over the lazy dog", 0x9747B28C,
                                           0x2FA826CD),
])
def test_murmur3_reference_vectors(data: bytes, seed: int, expected: int) -> None:
    assert murmur3_32(data, seed) & 0xFFFFFFFF == expected


def test_spark_bucket_is_non_negative_mod() -> None:
    # murmur3("a", 42) is negative as a Java int; Spark's nonNegativeMod keeps the bucket in range.
    h = murmur3_32(b"a", 42)
    assert spark_bucket("a", 1000) == ((h % 1000) + 1000) % 1000
    assert all(0 <= spark_bucket(t, 7) < 7 for t in ("", "x", "é", "日本"))


def test_point_fields() -> None:
    assert point_fields('["post","json_doc","hash","User","array",0]') == (
        "post", "user", "post.json_doc.hash.user.array.#")
    assert point_fields(["get", "id"]) == ("get", "id", "get.id")
    assert point_fields("[]") == ("", "", "")
    assert point_fields("not json") == ("not json", "", "not json")


def test_value_terms_and_numeric() -> None:
    spec = FeatureSpec(ngram_sizes=(1, 3))
    terms = set(value_terms("Ab1'Ab1", spec))
    assert {"1:a", "1:b", "1:0", "1:'", "3:ab0", "3:b0'", "3:0'a", "3:'ab"} == terms
    f = numeric_features("aa")
    assert f[0] == pytest.approx(math.log1p(2)) and f[1] == 0.0 and f[2] == 1.0
    assert numeric_features("ab")[1] == pytest.approx(1.0)
    assert numeric_features("") == [0.0] * 8
    assert value_terms("\ud800x", FeatureSpec(ngram_sizes=(1,))) is not None  # lone surrogate survives


def test_holdout_is_deterministic_fraction() -> None:
    vals = [f"value-{i}" for i in range(5000)]
    share = sum(map(holdout_by_value, vals)) / len(vals)
    assert 0.17 < share < 0.23
    assert [holdout_by_value(v) for v in vals[:50]] == [holdout_by_value(v) for v in vals[:50]]


def _lr_model(spec: FeatureSpec) -> Model:
    rng = np.random.default_rng(1)
    return Model(kind="lr", spec=spec, coef=rng.normal(size=spec.size), intercept=-0.25)


def test_lr_scorer_matches_hand_computation() -> None:
    spec = FeatureSpec(num_ngram_features=64, num_point_features=8, ngram_sizes=(1, 2))
    model = _lr_model(spec)
    scorer = Scorer(model)
    vec = scorer.sparse('["get","q"]', "ab")
    expected_idx = {spark_bucket(t, 64) for t in ("1:a", "1:b", "2:ab")}
    point_idx = [64 + spark_bucket(t, 8) for t in ("point_type=get", "point_key=q", "point_path=get.q")]
    assert expected_idx <= set(vec)
    dense = np.zeros(spec.size)
    for i in expected_idx:
        dense[i] = 1.0
    for i in point_idx:
        dense[i] += 1.0
    dense[72:] = numeric_features("ab")
    z = float(dense @ model.coef) + model.intercept
    assert scorer.probability('["get","q"]', "ab") == pytest.approx(1 / (1 + math.exp(-z)), abs=1e-12)


def _stump_gbt(spec: FeatureSpec) -> Model:
    # tree 0: numeric log_len (index size-8) <= 1.0 ? -0.5 : (entropy <= 0.5 ? 0.1 : 0.9); tree 1: constant 0.3
    base = spec.num_ngram_features + spec.num_point_features
    feature = np.array([[base, -1, base + 1, -1, -1], [-1, -1, -1, -1, -1]], dtype=np.int32)
    threshold = np.array([[1.0, 0, 0.5, 0, 0], [0, 0, 0, 0, 0]], dtype=np.float64)
    left = np.array([[1, 1, 3, 3, 4], [0, 1, 2, 3, 4]], dtype=np.int32)
    right = np.array([[2, 1, 4, 3, 4], [0, 1, 2, 3, 4]], dtype=np.int32)
    value = np.array([[0, -0.5, 0, 0.1, 0.9], [0.3, 0, 0, 0, 0]], dtype=np.float64)
    trees = Trees(feature, threshold, left, right, value, np.array([1.0, 0.1]), depth=2)
    return Model(kind="gbt", spec=spec, trees=trees)


@pytest.mark.parametrize("value,leaf", [("a", -0.5), ("aaaa", 0.1), ("abcd", 0.9)])
def test_gbt_scorer_walks_trees(value: str, leaf: float) -> None:
    scorer = Scorer(_stump_gbt(FeatureSpec(num_ngram_features=32, num_point_features=4)))
    margin = leaf + 0.1 * 0.3
    assert scorer.probability("[]", value) == pytest.approx(1 / (1 + math.exp(-2 * margin)), abs=1e-12)


def test_save_load_round_trip(tmp_path) -> None:
    spec = FeatureSpec(num_ngram_features=128, num_point_features=16)
    for model in (_lr_model(spec), _stump_gbt(spec)):
        d = model.save(tmp_path / model.kind)
        again = Model.load(d)
        a, b = Scorer(model), Scorer(again)
        for v in ("1' or '1'='1", "hello", ""):
            assert a.probability('["get","id"]', v) == b.probability('["get","id"]', v)
    (tmp_path / "lr" / "model.json").write_text('{"format": "other/1"}')
    with pytest.raises(ValueError, match="not a rampart.model/1"):
        Model.load(tmp_path / "lr")


def test_pyfunc_wrapper_scores_dataframe(tmp_path) -> None:
    import mlflow.pyfunc

    import core.model as cm

    spec = FeatureSpec(num_ngram_features=128, num_point_features=16)
    model = _lr_model(spec)
    model.save(tmp_path / "m")
    mlflow.pyfunc.save_model(str(tmp_path / "pyfunc"), python_model=cm.RampartPyfunc(),
                             artifacts={"rampart_model": str(tmp_path / "m")},
                             pip_requirements=["numpy", "pandas"])
    loaded = mlflow.pyfunc.load_model(str(tmp_path / "pyfunc"))
    df = pd.DataFrame({"point": ['["get","id"]', '["cookie","sid"]'], "value": ["1 union select 1", "abc"]})
    out = np.asarray(loaded.predict(df))
    scorer = Scorer(model)
    assert out.tolist() == [scorer.probability(p, v) for p, v in zip(df["point"], df["value"])]
    with pytest.raises(Exception, match="lacks column"):
        loaded.predict(pd.DataFrame({"value": ["x"]}))
