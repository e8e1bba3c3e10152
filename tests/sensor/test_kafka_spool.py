"""The on-disk spool (no Kafka) and the Kafka sink against a private broker that is down, then up."""
from __future__ import annotations

import logging
import time
import uuid

import pytest
from confluent_kafka import Consumer, Message

from private_kafka import PORT, private_broker
from sensor.kafka_sink import KafkaSink
from sensor.spool import Spool, SpoolError


def _recs(start: int, n: int) -> list[tuple[int, bytes, bytes]]:
    return [(s, b"k%d" % (s % 3), b"value-%06d" % s) for s in range(start, start + n)]


def test_spool_survives_reopen_and_acks_out_of_order(tmp_path):
    sp = Spool(tmp_path, segment_bytes=600)     # small segments: many files
    assert sp.append(_recs(1, 100)) == 100
    first = sp.read(10)
    assert [r.seq for r in first] == list(range(1, 11))
    sp.ack({1, 2, 3, 5, 7})                      # 4 outstanding: cursor stops after 3
    assert sp.depth == 95
    sp.close()

    sp = Spool(tmp_path, segment_bytes=600)      # "restart"
    assert sp.depth == 95
    got = [r.seq for r in sp.read(1000)]
    assert got == [4, 6] + list(range(8, 101))
    sp.ack(set(got))
    assert sp.depth == 0
    assert not list(tmp_path.glob("*.seg")), "fully acknowledged segments are deleted"
    assert sp.append(_recs(101, 5)) == 5         # numbering and reading continue after a drain
    assert [r.seq for r in sp.read(10)] == list(range(101, 106))
    sp.close()


def test_spool_keeps_seq_order_when_older_records_arrive_late(tmp_path):
    sp = Spool(tmp_path)
    sp.append(_recs(10, 5))       # spooled while sends 1..9 were still in flight
    sp.append([r for r in _recs(1, 9) if r[0] % 2])   # those of them that failed
    assert [r.seq for r in sp.read(100)] == [1, 3, 5, 7, 9, 10, 11, 12, 13, 14]
    sp.close()
    sp = Spool(tmp_path)
    assert [r.seq for r in sp.read(100)] == [1, 3, 5, 7, 9, 10, 11, 12, 13, 14]
    sp.close()


def test_spool_truncates_torn_tail_and_bounds_size(tmp_path):
    sp = Spool(tmp_path, max_bytes=2000)
    kept = sp.append(_recs(1, 200))
    assert 0 < kept < 200 and sp.dropped == 200 - kept
    sp.close()
    seg = sorted(tmp_path.glob("*.seg"))[-1]
    with open(seg, "ab") as fh:
        fh.write(b"\x07" * 11)                  # a crash in the middle of a record header
    sp = Spool(tmp_path, max_bytes=2000)
    assert [r.seq for r in sp.read(1000)] == list(range(1, kept + 1))
    sp.close()


def test_a_confirmation_without_an_offset_counts_and_a_failing_report_is_logged(tmp_path, caplog):
    """librdkafka confirms an idempotent retry the broker already held without an offset (None): it counts as
    delivered and adds no offset span. A report that raises anyway is logged, never raised into `poll()`, where
    confluent-kafka on Python 3.11 made it a SystemError that ended the sink thread (CI, stop 33)."""
    sink = KafkaSink("127.0.0.1:1", tmp_path / "spool", topic="t", stall_s=60)
    sink.close(timeout=0.1)   # the reports below are called by hand: no sink thread may touch the state meanwhile
    sink._direct.update({7: (0.0, b"k", b"v7"), 8: (0.0, b"k", b"v8")})
    sink._direct_report(7)(None, Message(topic="t", partition=0, offset=-1001))
    sink._direct_report(8)(None, Message(topic="t", partition=0, offset=5))
    assert sink.stats.delivered == 2 and sink.stats.offsets == {0: [5, 5]} and not sink._direct
    with caplog.at_level(logging.ERROR, "sensor.kafka_sink"):
        sink._direct_report(99)(None, Message(topic="t", partition=0, offset=6))   # never sent: KeyError inside
    assert "kafka sink callback failed" in caplog.text and "KeyError" in caplog.text
    assert sink.stats.delivered == 2


def test_spool_folder_is_locked_to_one_process(tmp_path):
    sp = Spool(tmp_path)
    with pytest.raises(SpoolError, match="in use"):
        Spool(tmp_path)
    sp.close()


@pytest.fixture
def broker(tmp_path):
    svc = private_broker(tmp_path / "kafka")
    yield svc
    svc.down()


def _consume_all(bootstrap: str, topic: str, expect: int, timeout: float = 60) -> list[bytes]:
    consumer = Consumer({"bootstrap.servers": bootstrap, "group.id": f"g-{uuid.uuid4().hex}",
                         "auto.offset.reset": "earliest", "enable.auto.commit": False})
    consumer.subscribe([topic])
    out: list[bytes] = []
    deadline = time.monotonic() + timeout
    try:
        while time.monotonic() < deadline:
            out += [m.value() for m in consumer.consume(1000, timeout=1.0) if not m.error()]
            if len(out) >= expect:
                # linger a little: a duplicate would show up now
                out += [m.value() for m in consumer.consume(1000, timeout=2.0) if not m.error()]
                break
    finally:
        consumer.close()
    return out


def test_unreachable_kafka_spools_across_restart_then_drains_in_order(broker, tmp_path):
    """Kafka never up while the sensor runs twice; once it is up, a third run drains all, in order."""
    bootstrap = f"127.0.0.1:{PORT}"
    topic = f"test-spool-{uuid.uuid4().hex[:8]}"
    spool = tmp_path / "spool"
    sent = []
    for run in range(2):                          # two sensor lifetimes with Kafka away
        sink = KafkaSink(bootstrap, spool, topic=topic, message_timeout_ms=2000, stall_s=1.0)
        for i in range(500):
            value = b"run%d-%04d" % (run, i)
            sink.write_raw(b"tenant|host", value)
            sent.append(value)
        time.sleep(0.5)
        sink.close(timeout=3)
        assert sink.stats.delivered == 0
        assert sink.stats.spool_depth == len(sent), "every event stays in the spool"
    broker.up()
    sink = KafkaSink(bootstrap, spool, topic=topic)   # third start: drains first
    deadline = time.monotonic() + 60
    while sink.spool_depth and time.monotonic() < deadline:
        time.sleep(0.2)
    sink.write_raw(b"tenant|host", b"after-drain")
    sink.close()
    assert sink.stats.spool_depth == 0
    got = _consume_all(bootstrap, topic, len(sent) + 1)
    # one key = one partition, so the topic's order is the spool's order
    assert got == sent + [b"after-drain"], "spooled events drain exactly once, in the order they were spooled"
