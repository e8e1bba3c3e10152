"""Prometheus metrics, /health and /ready of the live sensor: totals reported by each capture worker, sink state."""
from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Callable, Optional

from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, generate_latest
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily

# worker stats key -> (metric name, help); all are running totals inside one worker
COUNTERS: dict[str, tuple[str, str]] = {
    "packets": ("rampart_sensor_packets", "Frames captured and handed to the pipeline"),
    "bytes": ("rampart_sensor_captured_bytes", "Bytes of captured frames"),
    "kernel_drops": ("rampart_sensor_kernel_drops", "Frames the kernel dropped because the capture ring was full"),
    "flows": ("rampart_sensor_flows", "TCP flows tracked"),
    "flows_evicted": ("rampart_sensor_evicted_flows", "Flows evicted by the flow limit or memcap"),
    "bytes_evicted": ("rampart_sensor_evicted_bytes", "Buffered out-of-order bytes dropped by evictions and caps"),
    "memcap_truncations": ("rampart_sensor_memcap_truncations",
                           "HTTP bodies (or inflated bodies) cut short because the memcap was reached"),
    "drops": ("rampart_sensor_drops",
              "Everything dropped: kernel ring drops, evicted flows, dropped IP fragments, unanswered requests"),
    "transactions": ("rampart_sensor_transactions", "HTTP transactions emitted as events"),
    "attacks": ("rampart_sensor_attacks", "Transactions with verdict attack"),
    "parse_errors": ("rampart_sensor_parse_errors", "Frames or streams the decoder or HTTP parser rejected"),
    "h2_connections": ("rampart_sensor_h2_connections", "Connections read as HTTP/2 cleartext (h2c)"),
    "h2_resyncs": ("rampart_sensor_h2_resyncs",
                   "HTTP/2 frame boundaries found again: after a gap, on joining a connection mid-stream"),
    "resets_sent": ("rampart_sensor_resets_sent", "TCP RST frames injected"),
    "reset_connections": ("rampart_sensor_reset_connections", "Connections the sensor reset"),
    "reset_races_lost": ("rampart_sensor_reset_races_lost", "Reset connections whose response was seen anyway"),
    "denylist_refusals": ("rampart_sensor_denylist_refusals", "Connections from denylisted IPs reset at set-up"),
    "rules_reloads": ("rampart_sensor_rules_reloads", "Rules file versions swapped in (on change or SIGHUP), per worker"),
    "list_errors": ("rampart_sensor_config_rejects",
                    "Rules or IP-list file versions rejected (the previous version stayed in force), per worker"),
}
GAUGES: dict[str, tuple[str, str]] = {
    "active_flows": ("rampart_sensor_active_flows", "TCP flows currently tracked"),
    "mem_used": ("rampart_sensor_memory_bytes", "Bytes charged against the memcap (flows, buffers, HTTP messages)"),
    "memcap": ("rampart_sensor_memcap_bytes", "The configured memcap, summed over workers"),
}
# stats that count drops of any kind, summed into "drops"
DROP_KEYS = ("kernel_drops", "flows_evicted", "frag_dropped", "unanswered_dropped")


class SensorMetrics:
    """A Prometheus collector over the latest stats dict of every worker (no global registry)."""

    def __init__(self, spool_depth: Callable[[], int] | None = None) -> None:
        self._workers: dict[int, dict] = {}
        self._lock = threading.Lock()
        self.spool_depth = spool_depth
        self.ready = False       # all capture workers are running (the /ready answer)
        self.registry = CollectorRegistry()
        self.registry.register(self)
        self._server: Optional[ThreadingHTTPServer] = None

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
        out["drops"] = sum(out.get(k, 0) for k in DROP_KEYS)
        return out

    def snapshot(self) -> dict:
        """`totals()` plus `spool_depth`: every number /metrics shows, read in-process (the node report's hook)."""
        out = self.totals()
        # 0 without a Kafka sink: the series exists either way, so dashboards and alerts need no special case
        out["spool_depth"] = self.spool_depth() if self.spool_depth is not None else 0
        return out

    def collect(self):
        totals = self.snapshot()
        for key, (name, doc) in COUNTERS.items():
            yield CounterMetricFamily(name, doc, value=totals.get(key, 0))
        for key, (name, doc) in GAUGES.items():
            yield GaugeMetricFamily(name, doc, value=totals.get(key, 0))
        hits = CounterMetricFamily("rampart_sensor_hits", "Detection hits by attack type", labels=["type"])
        for typ, n in sorted(totals["hits"].items()):
            hits.add_metric([typ], n)
        yield hits
        yield GaugeMetricFamily("rampart_sensor_spool_depth", "Events waiting in the Kafka spool",
                                value=totals["spool_depth"])
        yield GaugeMetricFamily("rampart_sensor_ready", "1 while every capture worker runs", value=int(self.ready))

    def serve(self, port: int, addr: str = "127.0.0.1") -> None:
        """Serve /metrics, /health (200 while the process runs) and /ready (200 once every capture worker runs,
        503 otherwise) on addr:port from a daemon thread; `close()` stops it."""
        metrics = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 - http.server's naming
                path = self.path.split("?", 1)[0]
                if path == "/metrics":
                    self._send(200, generate_latest(metrics.registry), CONTENT_TYPE_LATEST)
                elif path == "/health":
                    self._send(200, b"ok\n")
                elif path == "/ready":
                    ok = metrics.ready
                    self._send(200 if ok else 503, b"ready\n" if ok else b"capture workers not running\n")
                else:
                    self._send(404, b"not found: /metrics, /health, /ready\n")

            def _send(self, code: int, body: bytes, ctype: str = "text/plain; charset=utf-8") -> None:
                self.send_response(code)
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, fmt: str, *args: object) -> None:   # scrapes every few seconds: keep stderr quiet
                pass

        server = ThreadingHTTPServer((addr, port), Handler)
        server.daemon_threads = True
        threading.Thread(target=server.serve_forever, name="sensor-metrics", daemon=True).start()
        self._server = server

    def close(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None
