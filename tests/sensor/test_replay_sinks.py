"""Sharded replay hands every sink the events in the form it takes (JSON Lines: encoded lines; Kafka: events)."""
from __future__ import annotations

from helpers import free_port
from netgen import Conv, http_request, http_response, wrpcap
from sensor.config import SensorConfig
from sensor.kafka_sink import KafkaSink
from sensor.replay import replay_files
from sensor.sinks import JsonlSink
from sensor.spool import Spool


def test_sharded_replay_to_kafka_sink_spools_every_event(tmp_path):
    packets = []
    for i in range(6):
        c = Conv(client=(f"10.9.0.{i + 1}", 41000 + i))
        packets += c.handshake() + c.client(http_request("GET", f"/p{i}")) + c.server(http_response(200, b"ok"))
        packets += c.close()
    pcap = tmp_path / "t.pcap"
    wrpcap(str(pcap), packets)
    spool_dir = tmp_path / "spool"
    # nothing listens on this loopback port: the sink spools to disk
    kafka = KafkaSink(f"127.0.0.1:{free_port()}", spool_dir)
    jsonl = JsonlSink(str(tmp_path / "events.jsonl"))
    try:
        summary = replay_files([str(pcap)], SensorConfig(), [jsonl, kafka], workers=2)
    finally:
        jsonl.close()
        kafka.close(timeout=2.0)
    assert summary.stats["transactions"] == 6
    assert len((tmp_path / "events.jsonl").read_bytes().splitlines()) == 6
    sp = Spool(spool_dir)
    try:
        keys = sorted(r.key for r in sp.read(100))
    finally:
        sp.close()
    assert keys == [b"default|example.test"] * 6
