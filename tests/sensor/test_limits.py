"""Memory bounds: SYN floods, max flows, memcap and per-flow buffer caps evict with counts, never silently."""
from __future__ import annotations

import struct

from scapy.all import raw

from netgen import Conv, http_request, http_response
from sensor.config import SensorConfig
from sensor.pipeline import Pipeline


def _syn(i: int) -> bytes:
    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 40, 0, 0, 64, 6, 0, struct.pack("!I", 0x0B000000 + i), b"\x0a\0\0\x02")
    tcp = struct.pack("!HHIIBBHHH", 1024 + i % 60000, 80, i, 0, 0x50, 0x02, 1024, 0, 0)
    return b"\x02\0\0\0\0\x02\x02\0\0\0\0\x01\x08\x00" + ip + tcp


def test_syn_flood_keeps_flows_bounded_and_spares_established_connections():
    cfg = SensorConfig(max_flows=1000)
    pipe = Pipeline(cfg)
    c = Conv(client=("10.0.0.1", 40000))
    pk = c.handshake() + c.client(http_request("GET", "/during-flood"))
    for p in pk:
        pipe.feed(float(p.time), raw(p), 1)
    for i in range(20000):
        pipe.feed(c.t, _syn(i), 1)
        assert len(pipe.flows.flows) <= 1000
    events = []
    for p in c.server(http_response(200, b"survived")) + c.close():
        events += pipe.feed(float(p.time), raw(p), 1)
    assert [(e.request.target, e.response.status) for e in events] == [("/during-flood", 200)]
    assert pipe.stats.flows_evicted >= 19000
    assert pipe.flows.mem_used <= cfg.memcap


def test_memcap_bounds_buffered_out_of_order_data():
    cfg = SensorConfig(memcap=200_000, flow_overhead=1000, flow_buffer_cap=150_000)
    pipe = Pipeline(cfg)
    for i in range(30):
        c = Conv(client=(f"10.0.1.{i + 1}", 40000))
        pk = c.handshake()
        for p in pk:
            pipe.feed(float(p.time), raw(p), 1)
        # data far ahead of a hole that never fills: it can only wait in the buffer
        p = c._pkt(True, "PA", c.cseq + 100, c.sseq, b"z" * 1400)
        for k in range(40):
            p.seq = (c.cseq + 100 + k * 1400) & 0xFFFFFFFF
            pipe.feed(float(p.time), raw(p), 1)
            assert pipe.flows.mem_used <= cfg.memcap
            assert pipe.flows.buffered <= cfg.memcap
    assert pipe.stats.buffer_cap_hits > 0 or pipe.stats.flows_evicted > 0
    assert pipe.stats.flows_evicted > 0 and pipe.stats.bytes_evicted > 0
