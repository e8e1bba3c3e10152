"""Fault tolerance: a ClickHouse outage under load (a private server, never the shared one)."""
from __future__ import annotations

import time

import pytest
from confluent_kafka import Consumer, TopicPartition

from core.config import StackConfig
from infra.services import ClickHouseService
from tests.streams.eventgen import encoded, make_event
from tests.streams.harness import CH, Load, WorkerProc, create_topics, free_port, unique

pytestmark = pytest.mark.services


@pytest.fixture
def private_clickhouse(tmp_path):
    cfg = StackConfig(home=tmp_path / "ch-home", clickhouse_port=free_port(), clickhouse_http_port=free_port())
    svc = ClickHouseService("clickhouse", cfg, start_timeout=60)
    svc.up()
    yield svc
    svc.down()


def committed_total(bootstrap: str, group: str, topic: str, partitions: int = 3) -> int:
    c = Consumer({"bootstrap.servers": bootstrap, "group.id": group, "enable.auto.commit": False})
    try:
        tps = c.committed([TopicPartition(topic, p) for p in range(partitions)], timeout=10)
    finally:
        c.close()
    return sum(max(tp.offset, 0) for tp in tps)


def test_clickhouse_outage_holds_offsets_and_loses_nothing(stack, tmp_path, private_clickhouse):
    bootstrap = stack.kafka_bootstrap("eu")
    topic = unique("t.streams.outage.")
    create_topics(bootstrap, [topic, f"{topic}.dlq", f"{topic}.scores", f"{topic}.denylist"])
    ch = CH(private_clickhouse.cfg.clickhouse_port, unique("rampart_outage_"))
    ch.migrate()
    w = WorkerProc(tmp_path, bootstrap, topic, ch.db, ch_port=private_clickhouse.cfg.clickhouse_port).start()
    n, per_second = 15000, 300             # ~50 s of steady load
    now = time.time()
    load = Load(bootstrap, topic, [encoded(make_event(i, ts=now + i / per_second)) for i in range(n)], per_second)
    try:
        w.wait_ready()
        load.start()
        ch.wait_count(1000, 60)
        private_clickhouse.down()
        down_at = time.monotonic()
        time.sleep(5)
        held = committed_total(bootstrap, f"g-{topic}", topic)
        h = w.health()
        assert h is not None and h["storage"].startswith("failing"), h
        status, _ctype, reason = w.get("/ready")
        assert status == 503 and "ClickHouse unreachable" in reason, (status, reason)
        time.sleep(25)                          # 30 s outage in total, under load
        assert committed_total(bootstrap, f"g-{topic}", topic) == held, "offsets committed while ClickHouse was down"
        assert w.proc.poll() is None, "worker died during the outage"
        private_clickhouse.up()
        up_at = time.monotonic()
        load.finish(120)
        ch2 = CH(private_clickhouse.cfg.clickhouse_port, ch.db)
        ch2.wait_count(n, 120)
        recovery = time.monotonic() - up_at
        time.sleep(2)
        ch2.assert_stored_once(n)
        assert committed_total(bootstrap, f"g-{topic}", topic) > held
        assert w.health()["storage"] == "ok"
        assert w.get("/ready")[0] == 200
        print(f"\noutage {up_at - down_at:.0f}s under {per_second} ev/s; all {n} stored {recovery:.1f}s after "
              f"ClickHouse came back; committed offsets held at {held} during the outage")
    finally:
        w.stop()
        load.halt()
