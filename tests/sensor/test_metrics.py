"""The sensor's Prometheus endpoint: /metrics content, /health always 200, /ready 503 until workers run."""
from __future__ import annotations

import urllib.request

import pytest

from helpers import free_port, http_get
from sensor.metrics import SensorMetrics


@pytest.fixture
def served():
    depth = {"n": 0}
    m = SensorMetrics(spool_depth=lambda: depth["n"])
    port = free_port()
    m.serve(port)
    try:
        yield m, port, depth
    finally:
        m.close()


def test_health_ready_and_metrics_over_http(served):
    m, port, depth = served
    assert http_get(port, "/health") == (200, "ok\n")
    code, _ = http_get(port, "/ready")
    assert code == 503
    m.ready = True
    assert http_get(port, "/ready")[0] == 200
    m.ready = False            # a worker stopped
    assert http_get(port, "/ready")[0] == 503
    assert http_get(port, "/nope")[0] == 404

    m.update(0, {"packets": 10, "kernel_drops": 1, "flows": 3, "flows_evicted": 2, "transactions": 4,
                 "memcap_truncations": 5, "bytes_evicted": 700, "resets_sent": 6, "reset_connections": 2,
                 "active_flows": 1, "mem_used": 4096, "memcap": 1 << 20, "hits": {"sqli": 2, "xss": 1}})
    m.update(1, {"packets": 5, "frag_dropped": 1, "transactions": 1, "hits": {"sqli": 1}})
    depth["n"] = 7
    code, body = http_get(port, "/metrics")
    assert code == 200
    lines = set(body.splitlines())
    for expected in ("rampart_sensor_packets_total 15.0", "rampart_sensor_transactions_total 5.0",
                     "rampart_sensor_flows_total 3.0", "rampart_sensor_evicted_flows_total 2.0",
                     "rampart_sensor_memcap_truncations_total 5.0", "rampart_sensor_evicted_bytes_total 700.0",
                     "rampart_sensor_resets_sent_total 6.0", "rampart_sensor_reset_connections_total 2.0",
                     # kernel drop + evicted flows + dropped fragment
                     "rampart_sensor_drops_total 4.0", "rampart_sensor_kernel_drops_total 1.0",
                     'rampart_sensor_hits_total{type="sqli"} 3.0', 'rampart_sensor_hits_total{type="xss"} 1.0',
                     "rampart_sensor_spool_depth 7.0", "rampart_sensor_active_flows 1.0",
                     "rampart_sensor_memory_bytes 4096.0", "rampart_sensor_ready 0.0"):
        assert expected in lines, (expected, body)


def test_spool_depth_series_exists_without_kafka():
    m = SensorMetrics()
    port = free_port()
    m.serve(port)
    try:
        body = http_get(port, "/metrics")[1]
    finally:
        m.close()
    assert "rampart_sensor_spool_depth 0.0" in body.splitlines()
    with pytest.raises(OSError):   # closed: the port no longer answers
        urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=2)
