"""A modest local/cluster SparkSession for the training jobs (2g driver, no UI, Arrow on)."""
from __future__ import annotations

import os
import sys
import warnings

from pyspark.sql import SparkSession


def session(master: str = "local[*]", app: str = "rampart-train", driver_memory: str = "2g") -> SparkSession:
    """Start (or reuse) a SparkSession; executors run this interpreter so they import `core` like the driver."""
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    os.environ.setdefault("PYSPARK_DRIVER_PYTHON", sys.executable)
    # pyspark 4.x warns about pandas 3 on every UDF worker; the UDFs here use plain Series/DataFrame only.
    os.environ.setdefault("PYTHONWARNINGS", "ignore::FutureWarning")
    warnings.filterwarnings("ignore", category=FutureWarning, module="pyspark")
    builder = (SparkSession.builder.master(master).appName(app)
               .config("spark.driver.memory", driver_memory)
               .config("spark.ui.enabled", "false")
               .config("spark.ui.showConsoleProgress", "false")
               .config("spark.sql.shuffle.partitions", "4")
               .config("spark.sql.execution.arrow.pyspark.enabled", "true")
               .config("spark.sql.execution.arrow.maxRecordsPerBatch", "2000"))
    spark = builder.getOrCreate()
    spark.sparkContext.setLogLevel("ERROR")
    return spark
