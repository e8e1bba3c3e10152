"""Sharded replay (parent reads once, dispatches frames by flow hash) gives exactly the single-process events."""
from __future__ import annotations

import json

import pytest
from scapy.all import wrpcap

from core.events import encode_event
from netgen import Conv, http_request, http_response
from sensor.config import SensorConfig
from sensor.replay import replay_files


class ListSink:
    def __init__(self) -> None:
        self.events = []

    def emit(self, event) -> None:
        self.events.append(event)

    def close(self) -> None:
        pass


def _mixed_capture(path) -> None:
    pk = []
    t0 = 1_700_000_000.0
    for i in range(30):
        kind = i % 5
        c = Conv(client=(f"10.3.0.{i + 1}", 30000 + i), t0=t0 + i * 0.7, step=0.01,
                 vlan=7 if kind == 1 else None)
        if kind == 2:
            c = Conv(client=(f"fd00::{i + 1}", 30000 + i), server=("fd00::80", 80), v6=True, t0=t0 + i * 0.7, step=0.01)
        pk += c.handshake()
        if kind == 3:
            # a request that is never answered and a connection that goes idle: the idle timeout reports it
            pk += c.client(http_request("GET", f"/idle/{i}"))
            continue
        if kind == 4 and i % 2:
            continue   # handshake only: an embryonic flow that times out
        pk += c.client(http_request("POST", f"/item/{i}", body=b"a=%d" % i)) + c.server(http_response(200, b"r%d" % i))
        pk += c.close()
    pk.sort(key=lambda p: float(p.time))
    wrpcap(str(path), pk)


def _run(path, workers: int):
    sink = ListSink()
    cfg = SensorConfig(node="n", idle_timeout=3.0, embryonic_timeout=2.0, closed_timeout=1.0)
    summary = replay_files([str(path)], cfg, [sink], workers=workers)
    rows = []
    for e in sink.events:
        d = json.loads(encode_event(e))
        d.pop("id")
        rows.append(d)
    return rows, summary.stats


@pytest.mark.parametrize("workers", [2, 3])
def test_sharded_replay_equals_single_process(tmp_path, workers):
    path = tmp_path / "mixed.pcap"
    _mixed_capture(path)
    one, st1 = _run(path, 1)
    many, stn = _run(path, workers)
    assert len(one) == 27 and sum(r["response"] is None for r in one) == 6
    assert many == one   # same events in the same order
    for k in ("packets", "bytes", "flows", "transactions", "flows_timed_out", "flows_closed",
              "requests_without_response", "decode_errors"):
        assert stn[k] == st1[k], k
    assert st1["flows_timed_out"] >= 6
