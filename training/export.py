"""Turn fitted Spark LogisticRegression / GBTClassifier models into core.model.Model (numpy scorer format)."""
from __future__ import annotations

import tempfile
from pathlib import Path

import numpy as np
import pyarrow.parquet as pq
from pyspark.ml.classification import GBTClassificationModel, LogisticRegressionModel

from core.model import FeatureSpec, Model, Trees


def export_lr(model: LogisticRegressionModel, spec: FeatureSpec, threshold: float = 0.5) -> Model:
    """Coefficients are already in the original feature space (Spark unscales them after training)."""
    coef = np.asarray(model.coefficients.toArray(), dtype=np.float64)
    if coef.shape[0] != spec.size:
        raise ValueError(f"LR has {coef.shape[0]} coefficients, feature spec has {spec.size}")
    return Model(kind="lr", spec=spec, threshold=threshold, coef=coef, intercept=float(model.intercept))


def export_gbt(model: GBTClassificationModel, spec: FeatureSpec, threshold: float = 0.5) -> Model:
    """Read the trees from Spark's own saved form (exact doubles), flatten them into padded arrays."""
    with tempfile.TemporaryDirectory(prefix="rampart-gbt-") as tmp:
        path = str(Path(tmp) / "gbt")
        model.write().overwrite().save(path)
        table = pq.read_table(str(Path(path) / "data")).to_pylist()
    by_tree: dict[int, dict[int, dict]] = {}
    for row in table:
        node = row["nodeData"]
        by_tree.setdefault(int(row["treeID"]), {})[int(node["id"])] = node
    weights = np.asarray(model.treeWeights, dtype=np.float64)
    n_trees = len(weights)
    if sorted(by_tree) != list(range(n_trees)):
        raise ValueError(f"GBT export: trees {sorted(by_tree)} do not match {n_trees} weights")
    width = max(max(nodes) + 1 for nodes in by_tree.values())
    feature = np.full((n_trees, width), -1, dtype=np.int32)
    threshold_ = np.zeros((n_trees, width), dtype=np.float64)
    left = np.zeros((n_trees, width), dtype=np.int32)
    right = np.zeros((n_trees, width), dtype=np.int32)
    value = np.zeros((n_trees, width), dtype=np.float64)
    depth = 0
    for t, nodes in by_tree.items():
        for i, node in nodes.items():
            value[t, i] = node["prediction"]
            left[t, i] = right[t, i] = i
            if node["leftChild"] >= 0:
                split = node["split"]
                if split["numCategories"] != -1:
                    raise ValueError("GBT export: categorical splits are not part of the scorer format")
                feature[t, i] = split["featureIndex"]
                threshold_[t, i] = split["leftCategoriesOrThreshold"][0]
                left[t, i], right[t, i] = node["leftChild"], node["rightChild"]
        depth = max(depth, _depth(nodes, 0))
    trees = Trees(feature=feature, threshold=threshold_, left=left, right=right, value=value, weights=weights,
                  depth=depth)
    return Model(kind="gbt", spec=spec, threshold=threshold, trees=trees)


def _depth(nodes: dict[int, dict], i: int) -> int:
    node = nodes[i]
    if node["leftChild"] < 0:
        return 0
    return 1 + max(_depth(nodes, node["leftChild"]), _depth(nodes, node["rightChild"]))
