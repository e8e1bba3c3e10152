"""Node report: publish the sensor's counters to the region's rampart.node-metrics.v1 periodically (key tenant|node)."""
from __future__ import annotations

import logging
import socket
import threading
import time
from typing import Callable, Optional

import httpx
from prometheus_client.parser import text_string_to_metric_families

from core import node_report as contract, topics
from sensor.metrics import COUNTERS, GAUGES

log = logging.getLogger("rampart.sensor.node_report")

_BY_NAME = {name: key for key, (name, _doc) in {**COUNTERS, **GAUGES}.items()}


def counters_from_exposition(text: str) -> dict[str, float]:
    """The sensor's totals from its own Prometheus page: `packets`, `transactions`, ..., `hits.<type>`,
    `spool_depth` (the names of sensor/metrics.py's stats keys, so the report reads like the summary line)."""
    out: dict[str, float] = {}
    for family in text_string_to_metric_families(text):
        if family.name == "rampart_sensor_hits":
            for s in family.samples:
                if s.name.endswith("_total") and "type" in s.labels:
                    out[f"hits.{s.labels['type']}"] = s.value
        elif family.name == "rampart_sensor_spool_depth":
            out["spool_depth"] = family.samples[0].value
        elif family.name in _BY_NAME and family.samples:
            out[_BY_NAME[family.name]] = family.samples[0].value
    return {k: (int(v) if float(v).is_integer() else v) for k, v in list(out.items())[:contract.MAX_COUNTERS]}


def scrape(url: str, timeout: float = 2.0) -> Optional[dict[str, float]]:
    """Counters read from a sensor metrics page, or None while it is not up."""
    try:
        r = httpx.get(url, timeout=timeout)
        r.raise_for_status()
    except httpx.HTTPError:
        return None
    return counters_from_exposition(r.text)


def free_loopback_port() -> int:
    """A free TCP port on 127.0.0.1, for a metrics page the reporter reads when none was asked for."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def report_message(tenant: str, node: str, version: str, mode: str, counters: dict[str, float],
                   ts: Optional[float] = None) -> tuple[bytes, bytes]:
    """(key, value) of one report (core/node_report.py holds the contract)."""
    report = contract.NodeReport(tenant=tenant, node=node, version=version, mode=mode,  # type: ignore[arg-type]
                                 counters=dict(list(counters.items())[:contract.MAX_COUNTERS]),
                                 ts=time.time() if ts is None else ts)
    return contract.encode(report)


class NodeReporter:
    """Every `interval` seconds, reads the counters and produces one report (idempotent, acks=all). Reports are
    snapshots, so one lost while Kafka is away is not spooled: the next one supersedes it."""

    def __init__(self, bootstrap: str, tenant: str, node: str, version: str, mode: str,
                 counters: Callable[[], Optional[dict[str, float]]], interval: float = 15.0,
                 topic: str = topics.NODE_METRICS) -> None:
        from confluent_kafka import Producer

        self.tenant, self.node, self.version, self.mode = tenant, node, version, mode
        self.counters, self.interval, self.topic = counters, interval, topic
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
        """Queue one report; False when there were no counters to report (metrics page not up yet)."""
        counters = self.counters() if counters is None else counters
        if counters is None:
            return False
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
