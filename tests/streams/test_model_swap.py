"""Scoring follows the MLflow `champion` alias live: two registered versions, the alias moves, scores change."""
from __future__ import annotations

import time

import numpy as np
import pytest

from core.model import FeatureSpec, Model, RampartPyfunc
from tests.streams.eventgen import encoded, make_event
from tests.streams.harness import CH, WorkerProc, create_topics, produce, unique

pytestmark = pytest.mark.services


def register_constant_model(client, mlflow, name: str, intercept: float, tmp) -> str:
    """An LR model with zero weights: every point gets sigmoid(intercept)."""
    spec = FeatureSpec(num_ngram_features=1 << 8, num_point_features=1 << 4)
    model = Model(kind="lr", spec=spec, coef=np.zeros(spec.size), intercept=intercept)
    d = model.save(tmp / f"m{intercept}")
    with mlflow.start_run():
        info = mlflow.pyfunc.log_model(name="model", python_model=RampartPyfunc(),
                                       artifacts={"rampart_model": str(d)}, pip_requirements=["numpy"])
    mv = mlflow.register_model(info.model_uri, name, await_registration_for=60)
    return str(mv.version)


def test_champion_alias_move_swaps_scores_without_restart(stack, tmp_path):
    import mlflow
    from mlflow import MlflowClient

    mlflow.set_tracking_uri(stack.mlflow_url)
    mlflow.set_registry_uri(stack.mlflow_url)
    mlflow.set_experiment(unique("streams-model-swap-"))
    client = MlflowClient(stack.mlflow_url, stack.mlflow_url)
    name = unique("rampart-detector-test-")
    v1 = register_constant_model(client, mlflow, name, -3.0, tmp_path)
    v2 = register_constant_model(client, mlflow, name, 3.0, tmp_path)
    client.set_registered_model_alias(name, "champion", v1)

    bootstrap = stack.kafka_bootstrap("eu")
    topic = unique("t.streams.model.")
    create_topics(bootstrap, [topic, f"{topic}.dlq", f"{topic}.scores", f"{topic}.denylist"])
    ch = CH(stack.clickhouse_port, unique("rampart_model_"))
    w = WorkerProc(tmp_path, bootstrap, topic, ch.db, ch_port=stack.clickhouse_port, mlflow=stack.mlflow_url,
                   extra=["--model-name", name, "--model-poll-seconds", "2"]).start()
    try:
        w.wait_ready()
        deadline = time.monotonic() + 60
        while "scoring with" not in w.health()["scoring"]:
            assert time.monotonic() < deadline, f"model not loaded: {w.health()['scoring']}"
            time.sleep(0.5)
        assert w.health()["scoring"] == f"scoring with {name}/{v1}"
        assert w.metrics()[("rampart_worker_model_info", (("model", name), ("version", v1)))] == 1
        produce(bootstrap, topic, [encoded(make_event(i)) for i in range(200)])
        ch.wait_count(200, 60)
        scores = ch.rows("SELECT DISTINCT model_version, score FROM {db}.transactions")
        assert len(scores) == 1 and scores[0][0] == f"{name}/{v1}"
        assert scores[0][1] == pytest.approx(1 / (1 + np.exp(3.0)), abs=1e-4)

        client.set_registered_model_alias(name, "champion", v2)
        moved = time.monotonic()
        i = 200
        while True:
            produce(bootstrap, topic, [encoded(make_event(i))])
            i += 1
            time.sleep(0.5)
            got = ch.rows(f"SELECT score FROM {{db}}.transactions WHERE model_version = '{name}/{v2}' LIMIT 1")
            if got:
                break
            assert time.monotonic() - moved < 30, f"scores did not change within 30 s: {w.tail()}"
        swap = time.monotonic() - moved
        assert got[0][0] == pytest.approx(1 / (1 + np.exp(-3.0)), abs=1e-4)
        assert w.proc.poll() is None                      # same process: no restart
        models = {k[1]: v for k, v in w.metrics().items() if k[0] == "rampart_worker_model_info"}
        assert models == {(("model", name), ("version", v2)): 1}
        print(f"\nchampion moved {v1} -> {v2}: new scores after {swap:.1f}s, no restart")
    finally:
        w.stop()
        ch.drop()
        client.delete_registered_model(name)
