"""Prometheus metrics of a worker (its own registry: lag, events by outcome, sink latency and batch sizes, model)."""
from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest
from prometheus_client import CONTENT_TYPE_LATEST  # noqa: F401 - re-exported for the /metrics page

OUTCOMES = ("stored", "duplicate", "dead_letter")
_SECONDS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)
_ROWS = (1, 10, 50, 100, 250, 500, 1000, 2500, 5000, 10000, 25000)


class WorkerMetrics:
    """The worker's metrics in a private registry (no process-global state: several workers may share a process
    in tests). Counters are updated per batch, gauges of lag and model at scrape time."""

    def __init__(self, region: str) -> None:
        self.registry = CollectorRegistry(auto_describe=True)
        r = self.registry
        self.received = Counter("rampart_worker_events_received", "Transaction events read from Kafka",
                                registry=r)
        self.events = Counter("rampart_worker_events", "Transaction events by outcome (stored, duplicate = a "
                              "redelivery already stored, dead_letter = malformed)", ["outcome"], registry=r)
        for o in OUTCOMES:
            self.events.labels(o)
        self.scores = Counter("rampart_worker_scores_sent", "Scores published to the scores topic", registry=r)
        self.detections = Counter("rampart_worker_detections", "Behavioural detections (brute/dirbust)", ["kind"],
                                  registry=r)
        self.batches = Counter("rampart_worker_batches", "Batches stored and committed", registry=r)
        self.sink_seconds = Histogram("rampart_worker_sink_seconds", "ClickHouse insert latency per batch "
                                      "(retries included)", ["table"], buckets=_SECONDS, registry=r)
        self.sink_rows = Histogram("rampart_worker_sink_batch_rows", "Rows per ClickHouse insert", ["table"],
                                   buckets=_ROWS, registry=r)
        self.batch_seconds = Histogram("rampart_worker_batch_seconds", "Time to process, store and commit a batch",
                                       buckets=_SECONDS, registry=r)
        self.lag = Gauge("rampart_worker_consumer_lag", "Events in the partition after this worker's committed "
                         "offset (high watermark - committed)", ["topic", "partition"], registry=r)
        self.assigned = Gauge("rampart_worker_partitions_assigned", "Transactions partitions this worker owns",
                              registry=r)
        self.model = Gauge("rampart_worker_model_info", "The model version scoring events (1 = loaded)",
                           ["model", "version"], registry=r)
        self.scoring = Gauge("rampart_worker_scoring_enabled", "1 when a champion model is loaded", registry=r)
        self.storage_ok = Gauge("rampart_worker_storage_ok", "1 when the last ClickHouse call succeeded",
                                registry=r)
        self.info = Gauge("rampart_worker_info", "Worker identity", ["region"], registry=r)
        self.info.labels(region).set(1)

    def set_lag(self, topic: str, lags: dict[int, int]) -> None:
        self.lag.clear()
        for p, n in sorted(lags.items()):
            self.lag.labels(topic, str(p)).set(n)
        self.assigned.set(len(lags))

    def set_model(self, name: str | None, version: str | None) -> None:
        self.model.clear()
        if name and version:
            self.model.labels(name, version).set(1)
        self.scoring.set(1 if name else 0)

    def render(self) -> bytes:
        return generate_latest(self.registry)
