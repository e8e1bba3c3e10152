"""Prometheus metrics of the live sensor: totals reported by each capture worker, plus sink state."""
from __future__ import annotations

import threading
from typing import Callable

from prometheus_client import CollectorRegistry, start_http_server
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily

# worker stats key -> (metric name, help); all are running totals inside one worker
COUNTERS: dict[str, tuple[str, str]] = {
    "packets": ("rampart_sensor_packets", "Frames captured and handed to the pipeline"),
    "bytes": ("rampart_sensor_captured_bytes", "Bytes of captured frames"),
    "kernel_drops": ("rampart_sensor_kernel_drops", "Frames the kernel dropped because the capture ring was full"),
    "flows": ("rampart_sensor_flows", "TCP flows tracked"),
    "flows_evicted": ("rampart_sensor_evicted_flows", "Flows evicted by the flow limit or memcap"),
    "transactions": ("rampart_sensor_transactions", "HTTP transactions emitted as events"),
    "attacks": ("rampart_sensor_attacks", "Transactions with verdict attack"),
    "parse_errors": ("rampart_sensor_parse_errors", "Frames or streams the decoder or HTTP parser rejected"),
    "resets_sent": ("rampart_sensor_resets_sent", "TCP RST frames injected"),
    "reset_connections": ("rampart_sensor_reset_connections", "Connections the sensor reset"),
    "reset_races_lost": ("rampart_sensor_reset_races_lost", "Reset connections whose response was seen anyway"),
    "denylist_refusals": ("rampart_sensor_denylist_refusals", "Connections from denylisted IPs reset at set-up"),
}
GAUGES: dict[str, tuple[str, str]] = {
    "active_flows": ("rampart_sensor_active_flows", "TCP flows currently tracked"),
}


class SensorMetrics:
    """A Prometheus collector over the latest stats dict of every worker (no global registry)."""

    def __init__(self, spool_depth: Callable[[], int] | None = None) -> None:
        self._workers: dict[int, dict] = {}
        self._lock = threading.Lock()
        self.spool_depth = spool_depth
        self.registry = CollectorRegistry()
        self.registry.register(self)

    def update(self, worker: int, stats: dict) -> None:
        with self._lock:
            self._workers[worker] = stats

    def totals(self) -> dict:
        """Sum of every worker's numbers; `hits` is summed per attack type."""
        out: dict = {"hits": {}}
        with self._lock:
            for stats in self._workers.values():
                for key, val in stats.items():
                    if key == "hits":
                        for typ, n in val.items():
                            out["hits"][typ] = out["hits"].get(typ, 0) + n
                    elif isinstance(val, (int, float)):
                        out[key] = out.get(key, 0) + val
        return out

    def collect(self):
        totals = self.totals()
        for key, (name, doc) in COUNTERS.items():
            yield CounterMetricFamily(name, doc, value=totals.get(key, 0))
        for key, (name, doc) in GAUGES.items():
            yield GaugeMetricFamily(name, doc, value=totals.get(key, 0))
        hits = CounterMetricFamily("rampart_sensor_hits", "Detection hits by attack type", labels=["type"])
        for typ, n in sorted(totals["hits"].items()):
            hits.add_metric([typ], n)
        yield hits
        if self.spool_depth is not None:
            yield GaugeMetricFamily("rampart_sensor_spool_depth", "Events waiting in the Kafka spool",
                                    value=self.spool_depth())

    def serve(self, port: int, addr: str = "127.0.0.1") -> None:
        """Expose /metrics over HTTP on addr:port (a daemon thread)."""
        start_http_server(port, addr=addr, registry=self.registry)
