"""Node report: publish the sensor's counters to the region's rampart.node-metrics.v1 periodically (key tenant|node)."""
from __future__ import annotations

import logging
import threading
import time
from typing import Callable, Optional

from core import node_report as contract, topics
from sensor.metrics import COUNTERS, GAUGES

log = logging.getLogger("rampart.sensor.node_report")


def report_counters(stats: dict) -> dict[str, int | float]:
    """The report's counters from the live sensor's stats (`SensorMetrics.snapshot`): each counter and gauge of its
    /metrics page under its stats key (`packets`, `transactions`, ...), then `hits.<type>` and `spool_depth`, so
    the report reads like the summary line and says what the page says."""
    out: dict[str, float] = {key: stats.get(key, 0) for key in (*COUNTERS, *GAUGES)}
    out.update((f"hits.{typ}", n) for typ, n in sorted((stats.get("hits") or {}).items()))
    out["spool_depth"] = stats.get("spool_depth", 0)
    return {k: (int(v) if float(v).is_integer() else v) for k, v in list(out.items())[:contract.MAX_COUNTERS]}


def report_message(tenant: str, node: str, version: str, mode: str, counters: dict[str, float],
                   ts: Optional[float] = None) -> tuple[bytes, bytes]:
    """(key, value) of one report (core/node_report.py holds the contract)."""
    report = contract.NodeReport(tenant=tenant, node=node, version=version, mode=mode,  # type: ignore[arg-type]
                                 counters=dict(list(counters.items())[:contract.MAX_COUNTERS]),
                                 ts=time.time() if ts is None else ts)
    return contract.encode(report)


class NodeReporter:
    """Every `interval` seconds, reads the sensor's stats in-process (`stats`, e.g. `SensorMetrics.snapshot`) and
    produces one report (idempotent, acks=all). Reports are snapshots, so one lost while Kafka is away is not
    spooled: the next one supersedes it."""

    def __init__(self, bootstrap: str, tenant: str, node: str, version: str, mode: str,
                 stats: Callable[[], dict], interval: float = 15.0, topic: str = topics.NODE_METRICS) -> None:
        from confluent_kafka import Producer

        self.tenant, self.node, self.version, self.mode = tenant, node, version, mode
        self.stats, self.interval, self.topic = stats, interval, topic
        self.sent = self.failed = 0
        self._producer = Producer({"bootstrap.servers": bootstrap, **topics.PRODUCER_DEFAULTS,
                                   "message.timeout.ms": 30_000, "log_level": 3})
        self._stop = threading.Event()
        self._thread: Optional[threading.Thread] = None

    def _delivered(self, err, _msg) -> None:  # noqa: ANN001 — confluent-kafka callback
        if err is None:
            self.sent += 1
        else:
            self.failed += 1
            log.warning("node report not delivered: %s", err)

    def report_once(self, counters: Optional[dict[str, float]] = None) -> bool:
        """Queue one report of `counters` (default: the live stats now); False when the producer queue is full."""
        counters = report_counters(self.stats()) if counters is None else counters
        key, value = report_message(self.tenant, self.node, self.version, self.mode, counters)
        try:
            self._producer.produce(self.topic, value=value, key=key, on_delivery=self._delivered)
        except BufferError:
            self.failed += 1
            return False
        self._producer.poll(0)
        return True

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            self.report_once()

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name="node-report", daemon=True)
        self._thread.start()

    def stop(self, final: Optional[dict[str, float]] = None, timeout: float = 5.0) -> None:
        """Stop the timer, send the final counters (e.g. the run's summary totals) and wait for delivery."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout)
        if final is not None:
            self.report_once({k: v for k, v in final.items() if isinstance(v, (int, float))
                              and not isinstance(v, bool)} | {f"hits.{t}": n for t, n in
                                                              (final.get("hits") or {}).items()})
        self._producer.flush(timeout)
