"""Spark ML feature pipeline built from core.model's row features: HashingTF + FeatureHasher + numeric columns."""
from __future__ import annotations

import pandas as pd
from pyspark.ml import Pipeline, PipelineModel
from pyspark.ml.feature import FeatureHasher, HashingTF, VectorAssembler
from pyspark.ml.functions import array_to_vector
from pyspark.sql import Column, DataFrame
from pyspark.sql import functions as F
from pyspark.sql import types as T
from pyspark.sql.functions import pandas_udf

from core.model import POINT_COLUMNS, FeatureSpec, row_features

ROW_FEATURES = T.StructType([
    T.StructField("terms", T.ArrayType(T.StringType())),
    T.StructField("point_type", T.StringType()),
    T.StructField("point_key", T.StringType()),
    T.StructField("point_path", T.StringType()),
    T.StructField("numeric", T.ArrayType(T.DoubleType())),
])


def row_features_udf(spec: FeatureSpec):
    """A pandas UDF computing core.model.row_features, so Spark hashes exactly the scorer's term strings."""

    @pandas_udf(ROW_FEATURES)
    def _features(point: pd.Series, value: pd.Series) -> pd.DataFrame:
        rows = [row_features(p, v, spec) for p, v in zip(point.tolist(), value.tolist())]
        return pd.DataFrame(rows, columns=ROW_FEATURES.fieldNames())

    return _features


def with_row_features(df: DataFrame, spec: FeatureSpec) -> DataFrame:
    """Add the terms/point/numeric columns (and a vector of the numeric ones) to a (point, value) frame."""
    f: Column = row_features_udf(spec)(F.col("point"), F.col("value"))
    out = df.withColumn("_f", f).select("*", *[F.col(f"_f.{c}").alias(c) for c in ROW_FEATURES.fieldNames()])
    return out.drop("_f").withColumn("numeric_vec", array_to_vector(F.col("numeric")))


def feature_pipeline(spec: FeatureSpec) -> Pipeline:
    """Terms -> HashingTF(binary), point columns -> FeatureHasher, then assemble [terms | point | numeric]."""
    return Pipeline(stages=[
        HashingTF(inputCol="terms", outputCol="v_terms", numFeatures=spec.num_ngram_features, binary=True),
        FeatureHasher(inputCols=list(POINT_COLUMNS), outputCol="v_point", numFeatures=spec.num_point_features),
        VectorAssembler(inputCols=["v_terms", "v_point", "numeric_vec"], outputCol="features",
                        handleInvalid="error"),
    ])


def assemble(rows: DataFrame, spec: FeatureSpec) -> DataFrame:
    """Rows carrying with_row_features' columns -> the same rows with a `features` vector (stateless stages)."""
    return feature_pipeline(spec).fit(rows.limit(0)).transform(rows)


def featurize(df: DataFrame, spec: FeatureSpec) -> DataFrame:
    """(point, value, ...) rows -> the same rows with a `features` vector."""
    return assemble(with_row_features(df, spec), spec)
