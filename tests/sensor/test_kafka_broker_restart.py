"""A pcap replayed to Kafka while the broker is stopped mid-run and restarted: no loss, no duplicates."""
from __future__ import annotations

import json
import subprocess
import sys
import time
import uuid

import pytest
from confluent_kafka import Consumer

from core.events import decode_event
from netgen import Conv, http_request, http_response, wrpcap
from private_kafka import PORT, private_broker
from sensor.config import SensorConfig
from sensor.kafka_sink import KafkaSink
from sensor.pcap import Capture
from sensor.pipeline import Pipeline

BOOTSTRAP = f"127.0.0.1:{PORT}"


@pytest.fixture
def broker(tmp_path):
    svc = private_broker(tmp_path / "kafka")
    yield svc
    svc.down()


def _pcap(path, conns: int, per_conn: int) -> int:
    packets = []
    for c in range(conns):
        conv = Conv(client=(f"198.18.{1 + c // 250}.{1 + c % 250}", 40000 + c), server=("198.18.0.2", 80),
                    t0=1_700_000_000.0 + c)
        packets += conv.handshake()
        for r in range(per_conn):
            packets += conv.client(http_request("GET", f"/c{c}/r{r}", host=f"h{c % 5}.test"))
            packets += conv.server(http_response(200, b"ok"))
        packets += conv.close()
    packets.sort(key=lambda p: p.time)
    wrpcap(str(path), packets)
    return conns * per_conn


def _topic_events(topic: str, expect: int, timeout: float = 60) -> list:
    consumer = Consumer({"bootstrap.servers": BOOTSTRAP, "group.id": f"g-{uuid.uuid4().hex}",
                         "auto.offset.reset": "earliest", "enable.auto.commit": False})
    consumer.subscribe([topic])
    out = []
    deadline = time.monotonic() + timeout
    try:
        while time.monotonic() < deadline:
            out += [decode_event(m.value()) for m in consumer.consume(1000, timeout=1.0) if not m.error()]
            if len(out) >= expect:
                out += [decode_event(m.value()) for m in consumer.consume(1000, timeout=3.0) if not m.error()]
                break
    finally:
        consumer.close()
    return out


def test_broker_stopped_and_restarted_mid_replay(broker, tmp_path):
    expected = _pcap(tmp_path / "t.pcap", conns=200, per_conn=3)
    broker.up()
    topic = f"test-restart-{uuid.uuid4().hex[:8]}"
    sink = KafkaSink(BOOTSTRAP, tmp_path / "spool", topic=topic, stall_s=2.0)
    pipe = Pipeline(SensorConfig(node="t"))
    cap = Capture(str(tmp_path / "t.pcap"))
    frames = list(cap)
    emitted = 0
    stopped_at = restarted_at = None
    for i, (ts, frame) in enumerate(frames):
        for ev in pipe.feed(ts, frame, cap.linktype):
            sink.emit(ev)
            emitted += 1
        if i % 20 == 0:
            time.sleep(0.002)          # a live-like pace, so the outage falls in the middle of the run
        if stopped_at is None and i >= len(frames) // 3:
            assert broker.down()
            stopped_at = emitted
            deadline = time.monotonic() + 30
            while sink.stats.mode != "spool" and time.monotonic() < deadline:
                time.sleep(0.1)
        if restarted_at is None and i >= 2 * len(frames) // 3:
            assert sink.stats.mode == "spool", "the sink noticed the outage and spools"
            broker.up()
            restarted_at = emitted
    for ev in pipe.flush():
        sink.emit(ev)
        emitted += 1
    sink.close(timeout=60)
    assert emitted == expected == pipe.stats.transactions
    assert 0 < stopped_at < restarted_at < expected
    assert sink.stats.spooled > 0 and sink.stats.spool_depth == 0
    got = _topic_events(topic, expected)
    ids = [e.id for e in got]
    assert len(ids) == expected, f"{len(ids)} events in the topic for {expected} transactions"
    assert len(set(ids)) == expected, "duplicates in the topic"


def test_replay_cli_with_kafka_and_events_sends_to_both(broker, tmp_path):
    """`rampart sensor replay --events --kafka`: both sinks get every event (spool when Kafka is down)."""
    expected = _pcap(tmp_path / "t.pcap", conns=20, per_conn=2)
    topic_default = "rampart.transactions.v1"
    spool = tmp_path / "spool"
    # Kafka down: events go to the file and to the spool; exit 0
    cmd = [sys.executable, "-m", "rampart", "sensor", "replay", str(tmp_path / "t.pcap"),
           "--events", str(tmp_path / "a.jsonl"), "--kafka", BOOTSTRAP, "--spool-dir", str(spool)]
    res = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    assert res.returncode == 0, res.stderr[-1000:]
    assert len((tmp_path / "a.jsonl").read_text().splitlines()) == expected
    # Kafka up: a second run drains the spool first, then sends its own events
    broker.up()
    res = subprocess.run(cmd[:6] + ["--events", str(tmp_path / "b.jsonl")] + cmd[8:], capture_output=True,
                         text=True, timeout=120)
    assert res.returncode == 0, res.stderr[-1000:]
    file_ids = {json.loads(line)["id"] for f in ("a.jsonl", "b.jsonl") for line in (tmp_path / f).read_text().splitlines()}
    got = _topic_events(topic_default, 2 * expected)
    assert len(got) == 2 * expected and {e.id for e in got} == file_ids
