"""A pcap replayed by the sensor into Kafka lands exactly once; a Kafka broker restart loses nothing.

Both use a PRIVATE Kafka broker started through infra's own service code (never the shared one)."""
from __future__ import annotations

import json
import subprocess
import sys
import time

import pytest

from core import topics
from tests.streams.eventgen import encoded, make_event
from tests.streams.harness import CH, ROOT, Load, WorkerProc, create_topics, unique
from tests.streams.pcapgen import http_pcap

pytestmark = pytest.mark.services


def test_pcap_replay_lands_exactly_once(stack, private_kafka, tmp_path):
    bootstrap = private_kafka.address()
    create_topics(bootstrap, [topics.TRANSACTIONS])
    tenant = unique("pcap")
    pcap = http_pcap(tmp_path / "shop.pcap", 300)
    out = tmp_path / "events.jsonl"
    res = subprocess.run([sys.executable, "-m", "rampart", "sensor", "replay", str(pcap), "--kafka", bootstrap,
                          "--events", str(out), "--tenant", tenant, "--spool-dir", str(tmp_path / "spool")],
                         cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert res.returncode == 0, res.stderr[-2000:]
    events = [json.loads(line) for line in out.read_text().splitlines() if line.strip()]
    assert len(events) == 300
    ch = CH(stack.clickhouse_port, unique("rampart_pcap_"))
    w = WorkerProc(tmp_path, bootstrap, topics.TRANSACTIONS, ch.db, ch_port=stack.clickhouse_port).start()
    try:
        w.wait_ready()
        ch.wait_count(len(events), 90)
        time.sleep(1.5)
        ids = {r[0] for r in ch.rows(f"SELECT id FROM {{db}}.transactions FINAL WHERE tenant = '{tenant}'")}
        assert ids == {e["id"] for e in events}
        assert ch.scalar("SELECT count() FROM {db}.transactions") == len(events)
        n_hits = sum(len(e["hits"]) for e in events)
        assert ch.scalar("SELECT count() FROM {db}.hits FINAL WHERE source = 'sensor'") == n_hits
        assert ch.scalar(f"SELECT sum(requests) FROM {{db}}.metrics_1m WHERE type = '' AND tenant = '{tenant}'") \
            == len(events)
        assert ch.scalar("SELECT sum(requests) FROM {db}.metrics_1m WHERE type = '' AND verdict = 'attack'") == \
            sum(e["verdict"] == "attack" for e in events)
    finally:
        w.stop()
        ch.drop()


def test_kafka_broker_restart_under_load_loses_nothing(stack, private_kafka, tmp_path):
    bootstrap = private_kafka.address()
    topic = unique("t.streams.kafka.")
    create_topics(bootstrap, [topic, f"{topic}.dlq", f"{topic}.scores", f"{topic}.denylist"])
    ch = CH(stack.clickhouse_port, unique("rampart_kafka_"))
    w = WorkerProc(tmp_path, bootstrap, topic, ch.db, ch_port=stack.clickhouse_port).start()
    n, per_second = 8000, 200
    events = [encoded(make_event(i, ts=time.time() + i / per_second)) for i in range(n)]
    load = Load(bootstrap, topic, events, per_second, flush_timeout=180)
    try:
        w.wait_ready()
        load.start()
        ch.wait_count(1500, 60)
        private_kafka.down()
        down = time.monotonic()
        time.sleep(10)
        private_kafka.up()
        up = time.monotonic()
        load.finish(240)             # every event delivered, none failed while the broker was away
        ch.wait_count(n, 180)
        recovery = time.monotonic() - up
        time.sleep(2)
        assert ch.scalar("SELECT count() FROM {db}.transactions FINAL") == n
        assert ch.scalar("SELECT uniqExact(id) FROM {db}.transactions") == n
        assert w.proc.poll() is None, "worker died when the broker went away"
        print(f"\nbroker down {up - down:.0f}s under {per_second} ev/s; all {n} stored {recovery:.1f}s after it was "
              f"back; {ch.scalar('SELECT count() FROM {db}.transactions') - n} raw duplicate rows (hidden by FINAL)")
    finally:
        w.stop()
        load.halt()
        ch.drop()
