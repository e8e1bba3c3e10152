"""Each service of the stack is real: Kafka, ClickHouse and MLflow do their actual job."""
from __future__ import annotations

import subprocess
import sys
import textwrap
import uuid

from confluent_kafka import Consumer, KafkaException, Producer
from confluent_kafka.admin import AdminClient, NewTopic


def test_kafka_10k_messages_in_order_per_key(stack):
    bootstrap = stack.kafka_bootstrap("eu")
    topic = f"test-order-{uuid.uuid4().hex[:8]}"
    admin = AdminClient({"bootstrap.servers": bootstrap})
    admin.create_topics([NewTopic(topic, num_partitions=3, replication_factor=1)])[topic].result(30)
    md = admin.list_topics(topic, timeout=10)
    assert len(md.topics[topic].partitions) == 3

    producer = Producer({"bootstrap.servers": bootstrap, "enable.idempotence": True, "acks": "all",
                         "linger.ms": 5})
    errors: list = []
    keys = [f"key-{k}" for k in range(10)]
    for i in range(10_000):
        key = keys[i % len(keys)]
        producer.produce(topic, key=key, value=f"{key}:{i // len(keys)}",
                         on_delivery=lambda err, _m: err and errors.append(err))
        if i % 1000 == 0:
            producer.poll(0)
    assert producer.flush(60) == 0
    assert not errors

    consumer = Consumer({"bootstrap.servers": bootstrap, "group.id": f"g-{uuid.uuid4().hex}",
                         "auto.offset.reset": "earliest", "enable.auto.commit": False})
    consumer.subscribe([topic])
    seen: dict[str, list[int]] = {k: [] for k in keys}
    partitions_of: dict[str, set[int]] = {k: set() for k in keys}
    total = 0
    try:
        for _ in range(600):
            if total >= 10_000:
                break
            for msg in consumer.consume(1000, timeout=1.0):
                if msg.error():
                    raise KafkaException(msg.error())
                key, seq = msg.value().decode().split(":")
                seen[key].append(int(seq))
                partitions_of[key].add(msg.partition())
                total += 1
    finally:
        consumer.close()
    assert total == 10_000
    for key in keys:
        assert seen[key] == list(range(1000)), f"{key} out of order"
        assert len(partitions_of[key]) == 1
    assert len(set().union(*partitions_of.values())) > 1, "keys should spread over partitions"


def test_clickhouse_mergetree_insert_and_aggregate(stack):
    from clickhouse_driver import Client

    db = f"t_{uuid.uuid4().hex[:8]}"
    client = Client("127.0.0.1", port=stack.clickhouse_port)
    client.execute(f"CREATE DATABASE {db}")
    try:
        client.execute(f"CREATE TABLE {db}.hits (d Date, host String, n UInt32) "
                       f"ENGINE = MergeTree() PARTITION BY d ORDER BY (host, d)")
        rows = [("2026-11-25", f"h{i % 3}", i) for i in range(1000)]
        import datetime as dt
        client.execute(f"INSERT INTO {db}.hits (d, host, n) VALUES",
                       [(dt.date(2026, 11, 25), h, n) for _, h, n in rows])
        result = dict(client.execute(f"SELECT host, sum(n) FROM {db}.hits GROUP BY host ORDER BY host"))
        expected: dict[str, int] = {}
        for _, h, n in rows:
            expected[h] = expected.get(h, 0) + n
        assert result == expected
    finally:
        client.execute(f"DROP DATABASE {db}")


def test_mlflow_run_artifact_readable_from_another_process(stack, tmp_path):
    import mlflow
    from mlflow.tracking import MlflowClient

    mlflow.set_tracking_uri(stack.mlflow_url)
    exp = f"test-{uuid.uuid4().hex[:8]}"
    mlflow.set_experiment(exp)
    note = tmp_path / "note.txt"
    token = uuid.uuid4().hex
    note.write_text(token)
    with mlflow.start_run() as run:
        mlflow.log_metric("f1", 0.91)
        mlflow.log_artifact(str(note))
    code = textwrap.dedent(f"""
        import mlflow, pathlib, tempfile
        mlflow.set_tracking_uri({stack.mlflow_url!r})
        run = mlflow.get_run({run.info.run_id!r})
        print(run.data.metrics["f1"])
        p = mlflow.artifacts.download_artifacts(run_id={run.info.run_id!r}, artifact_path="note.txt",
                                                dst_path=tempfile.mkdtemp())
        print(pathlib.Path(p).read_text())
    """)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120,
                         cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    lines = out.stdout.split()
    assert float(lines[0]) == 0.91
    assert lines[1] == token
    # The artifact lives on the server (proxied), not in the client's folder.
    assert MlflowClient(stack.mlflow_url).get_run(run.info.run_id).info.artifact_uri.startswith("mlflow-artifacts:")
