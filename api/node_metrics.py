"""Consumer of the region's rampart.node-metrics.v1: each sensor's counters, stored on its node when it exists."""
from __future__ import annotations

import logging
import threading
from datetime import datetime
from typing import Callable, Optional

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from api.models import Node, Tenant, utcnow
from core import node_report as contract

log = logging.getLogger("rampart.api.node_metrics")

RESULTS = ("applied", "unknown_node", "invalid")


def apply_message(sessions: sessionmaker[Session], key: Optional[bytes], value: Optional[bytes],
                  now: Callable[[], datetime] = utcnow) -> str:
    """Store one report on its node; returns the result (one of RESULTS). Never raises on bad input.

    Only a node registered in the tenant the report names is updated, and the Kafka key must name the same
    tenant and node: a report for an unknown node, another tenant's node or with a mismatched key changes
    nothing (anyone who can write to the topic could send one).
    """
    if value is None:
        return "invalid"
    try:
        msg = contract.decode(value)
    except ValueError:
        return "invalid"
    if key is None or key != contract.key(msg.tenant, msg.node):
        return "invalid"
    with sessions() as session:
        node = session.scalar(select(Node).join(Tenant, Tenant.id == Node.tenant_id)
                              .where(Tenant.name == msg.tenant, Node.name == msg.node))
        if node is None:
            return "unknown_node"
        node.metrics, node.metrics_at = dict(msg.counters), now()
        if msg.version:
            node.version = msg.version
        if msg.mode is not None:
            node.mode = msg.mode
        session.commit()
    return "applied"


class NodeMetricsConsumer:
    """A background thread polling the topic with confluent-kafka; one consumer group per region, so several
    API processes of a region share the partitions (they share one control-plane database)."""

    def __init__(self, bootstrap: str, topic: str, group: str, sessions: sessionmaker[Session],
                 on_result: Callable[[str], None] = lambda _r: None, poll_seconds: float = 0.5) -> None:
        self.bootstrap, self.topic, self.group = bootstrap, topic, group
        self.sessions, self.on_result, self.poll_seconds = sessions, on_result, poll_seconds
        self.counts = {r: 0 for r in RESULTS}
        self._stop = threading.Event()
        self._thread: Optional[threading.Thread] = None

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name="node-metrics-consumer", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 10.0) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout)

    def _run(self) -> None:
        from confluent_kafka import Consumer, KafkaError

        consumer = Consumer({"bootstrap.servers": self.bootstrap, "group.id": self.group,
                             # reports are periodic: a restarted API needs only the next ones
                             "auto.offset.reset": "latest", "enable.auto.commit": True,
                             "allow.auto.create.topics": True, "log_level": 3})
        consumer.subscribe([self.topic])
        log.info("consuming %s from %s (group %s)", self.topic, self.bootstrap, self.group)
        try:
            while not self._stop.is_set():
                msg = consumer.poll(self.poll_seconds)
                if msg is None:
                    continue
                if msg.error():
                    if msg.error().code() not in (KafkaError._PARTITION_EOF, KafkaError.UNKNOWN_TOPIC_OR_PART):
                        log.warning("node metrics consumer: %s", msg.error())
                    continue
                try:
                    result = apply_message(self.sessions, msg.key(), msg.value())
                except Exception as exc:  # noqa: BLE001 — a database hiccup must not end the consumer
                    log.warning("node metrics: could not store a report: %s", type(exc).__name__)
                    continue
                self.counts[result] += 1
                self.on_result(result)
                if result != "applied":
                    log.debug("node metrics message ignored: %s", result)
        finally:
            consumer.close()
