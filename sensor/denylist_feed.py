"""Denylist entries from the compacted `rampart.denylist.v1` topic (key tenant|ip, tombstone = removal)."""
from __future__ import annotations

import ipaddress
import logging
import threading
import uuid
from typing import Optional

from confluent_kafka import Consumer, KafkaError

from core import denylist, topics
from sensor.iplists import Entry, IpLists

log = logging.getLogger(__name__)


class DenylistFeed:
    """A consumer thread keeping `lists` equal to this tenant's live entries of the denylist topic.

    Each sensor process reads the whole compacted topic from the start (its own throw-away group, no
    commits), then follows it. Updates are single dict operations, safe to read from the capture thread.
    """

    def __init__(self, bootstrap: str, tenant: str, topic: str = topics.DENYLIST) -> None:
        self.tenant = tenant
        self.lists = IpLists()
        self.applied = 0
        self.rejected = 0
        self._stop = threading.Event()
        self._consumer = Consumer({
            "bootstrap.servers": bootstrap, "group.id": f"rampart-sensor-denylist-{uuid.uuid4().hex}",
            "auto.offset.reset": "earliest", "enable.auto.commit": False,
            "topic.metadata.refresh.interval.ms": 5000,
        })
        self._consumer.subscribe([topic])
        self._thread = threading.Thread(target=self._run, name="denylist-feed", daemon=True)
        self._thread.start()

    def classify(self, ip: str, now: Optional[float] = None) -> Optional[str]:
        return "deny" if self.lists.classify(ip, now) == "deny" else None

    def apply(self, key: bytes, value: Optional[bytes]) -> None:
        """One topic record: an entry (added/replaced) or a tombstone (removed); others' tenants ignored."""
        try:
            tenant, ip = denylist.parse_key(key)
            net = ipaddress.ip_network(ip, strict=False)
        except (ValueError, UnicodeDecodeError):
            self.rejected += 1
            return
        if tenant != self.tenant:
            return
        if value is None:
            self.lists.remove("deny", ip)
        else:
            try:
                entry = denylist.decode(value)
            except Exception:  # noqa: BLE001 - msgspec errors: a bad record must not stop the feed
                self.rejected += 1
                return
            self.lists.remove("deny", ip)
            self.lists.add(Entry("deny", net, entry.expires or None))
        self.applied += 1

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                msgs = self._consumer.consume(500, timeout=0.5)
            except Exception:  # noqa: BLE001
                log.exception("denylist feed: consume failed")
                continue
            for msg in msgs:
                err = msg.error()
                if err is not None:
                    if err.code() not in (KafkaError._PARTITION_EOF, KafkaError.UNKNOWN_TOPIC_OR_PART):
                        log.warning("denylist feed: %s", err.str())
                    continue
                self.apply(msg.key() or b"", msg.value())

    def close(self) -> None:
        self._stop.set()
        self._thread.join(5)
        self._consumer.close()
