"""Fit LR and GBT on featurized Spark frames, collect eval probabilities and export numpy-scorer models."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
from pyspark.ml.classification import GBTClassifier, LogisticRegression
from pyspark.ml.functions import vector_to_array
from pyspark.sql import DataFrame
from pyspark.sql import functions as F

from core.model import FeatureSpec, Model
from training.export import export_gbt, export_lr


@dataclass
class FitParams:
    """Hyper-parameters of both learners (logged to MLflow as params)."""

    lr_max_iter: int = 50
    lr_reg: float = 1e-4
    lr_elastic_net: float = 0.0
    gbt_max_iter: int = 40
    gbt_max_depth: int = 5
    gbt_step: float = 0.2
    gbt_max_bins: int = 32
    seed: int = 7

    def as_params(self) -> dict[str, Any]:
        return dict(self.__dict__)


@dataclass
class Fitted:
    """One trained learner: its exported model and Spark's probabilities on the evaluation rows."""

    kind: str
    model: Model
    eval_prob: np.ndarray
    eval_label: np.ndarray
    eval_point: list[str] = field(default_factory=list)
    eval_value: list[str] = field(default_factory=list)
    seconds: float = 0.0


def fit(kind: str, train: DataFrame, evaluation: DataFrame, spec: FeatureSpec, params: FitParams,
        threshold: float = 0.5) -> Fitted:
    """Train `kind` ('lr' or 'gbt') on `train`, score `evaluation` with Spark, export for the numpy scorer."""
    import time

    t0 = time.perf_counter()
    if kind == "lr":
        est = LogisticRegression(featuresCol="features", labelCol="label", maxIter=params.lr_max_iter,
                                 regParam=params.lr_reg, elasticNetParam=params.lr_elastic_net,
                                 standardization=True, tol=1e-6)
        spark_model = est.fit(train)
        exported = export_lr(spark_model, spec, threshold)
    elif kind == "gbt":
        est = GBTClassifier(featuresCol="features", labelCol="label", maxIter=params.gbt_max_iter,
                            maxDepth=params.gbt_max_depth, stepSize=params.gbt_step,
                            maxBins=params.gbt_max_bins, seed=params.seed)
        spark_model = est.fit(train)
        exported = export_gbt(spark_model, spec, threshold)
    else:
        raise ValueError(f"unknown learner {kind!r}")
    scored = spark_model.transform(evaluation).select(
        "point", "value", F.col("label").cast("int").alias("label"),
        vector_to_array("probability")[1].alias("p")).orderBy("row_id").collect()
    seconds = time.perf_counter() - t0
    exported.meta.update({"learner": kind})
    return Fitted(kind=kind, model=exported,
                  eval_prob=np.array([r["p"] for r in scored], dtype=np.float64),
                  eval_label=np.array([r["label"] for r in scored], dtype=np.int64),
                  eval_point=[r["point"] for r in scored], eval_value=[r["value"] for r in scored],
                  seconds=seconds)
