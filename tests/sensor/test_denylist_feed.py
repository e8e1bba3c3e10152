"""The sensor follows the compacted denylist topic: entries, expiry, other tenants, tombstones, bad records."""
from __future__ import annotations

import time
import uuid

from confluent_kafka import Producer

from core import denylist
from sensor.denylist_feed import DenylistFeed


def _wait(cond, timeout: float = 30.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if cond():
            return True
        time.sleep(0.1)
    return False


def test_denylist_feed_follows_the_topic(stack):
    bootstrap = stack.kafka_bootstrap("eu")
    topic = f"test-denylist-{uuid.uuid4().hex[:8]}"
    now = time.time()
    prod = Producer({"bootstrap.servers": bootstrap, "enable.idempotence": True, "acks": "all"})

    def put(tenant: str, ip: str, expires: float) -> None:
        entry = denylist.DenylistEntry(tenant=tenant, ip=ip, reason="brute", created=now, expires=expires)
        prod.produce(topic, denylist.encode(entry), denylist.key(tenant, ip))

    put("t1", "198.18.0.1", 0)
    put("t2", "198.18.0.2", 0)               # another tenant's
    put("t1", "198.18.0.3", now - 10)        # already expired
    prod.produce(topic, b"{not json", denylist.key("t1", "198.18.0.4"))
    assert prod.flush(30) == 0
    feed = DenylistFeed(bootstrap, "t1", topic=topic)
    try:
        assert _wait(lambda: feed.applied >= 2 and feed.rejected >= 1), (feed.applied, feed.rejected)
        assert feed.classify("198.18.0.1") == "deny"
        assert feed.classify("198.18.0.2") is None
        assert feed.classify("198.18.0.3") is None
        assert feed.classify("198.18.0.4") is None
        prod.produce(topic, None, denylist.key("t1", "198.18.0.1"))      # tombstone: removed
        put("t1", "198.18.0.5", now + 3600)
        assert prod.flush(30) == 0
        assert _wait(lambda: feed.classify("198.18.0.5") == "deny")
        assert feed.classify("198.18.0.1") is None
    finally:
        feed.close()
