"""Bulk reader of the transactions topic (confluent-kafka) over the partitions Faust's assignment gives this worker."""
from __future__ import annotations

import asyncio
import logging
from typing import Iterable

from confluent_kafka import Consumer, KafkaException, Message, TopicPartition

log = logging.getLogger("rampart.streams.source")


class TransactionsReader:
    """Reads batches of raw messages from the partitions it is told to own; commits only what it owns.

    Faust decides which partitions a worker owns (its group assignment of the co-partitioned metrics table);
    this reader follows it with `incremental_assign`, never joining a group itself, so the offsets it commits
    live in `group` (standalone commits) and a restart resumes from them. librdkafka is thread-safe: reads
    run in a worker thread while assignment changes and commits are made from the event loop.
    """

    def __init__(self, bootstrap: str, topic: str, group: str, prefetch_kbytes: int = 32768) -> None:
        self.topic = topic
        self.group = group
        self.consumer = Consumer({
            "bootstrap.servers": bootstrap, "group.id": group, "enable.auto.commit": False,
            "enable.auto.offset.store": False, "auto.offset.reset": "earliest",
            # bounded prefetch: when the pipeline holds back (ClickHouse down), fetching stops here
            "queued.max.messages.kbytes": prefetch_kbytes, "fetch.wait.max.ms": 50, "log_level": 3,
        })
        self.owned: set[int] = set()
        self.releasing: set[int] = set()        # revoked, but batches already read may still commit there

    def partitions(self) -> int:
        """Partition count of the topic (0 when it does not exist)."""
        md = self.consumer.list_topics(self.topic, timeout=10).topics.get(self.topic)
        return len(md.partitions) if md is not None and md.error is None else 0

    def own(self, partitions: Iterable[int]) -> tuple[set[int], set[int]]:
        """Follow a new assignment; returns the (gained, lost) partitions. Gained ones start at the committed
        offset (earliest when none)."""
        want = set(partitions)
        gained, lost = want - self.owned, self.owned - want
        if lost:
            self.consumer.incremental_unassign([TopicPartition(self.topic, p) for p in sorted(lost)])
        if gained:
            self.consumer.incremental_assign([TopicPartition(self.topic, p) for p in sorted(gained)])
        self.owned = want
        if gained or lost:
            log.info("transactions partitions owned: %s (gained %s, lost %s)", sorted(want), sorted(gained),
                     sorted(lost))
        return gained, lost

    async def read(self, max_messages: int, timeout: float) -> list[Message]:
        """Up to `max_messages` messages, returning early after `timeout` seconds (the batch bounds)."""
        return await asyncio.to_thread(self.read_blocking, max_messages, timeout)

    def read_blocking(self, max_messages: int, timeout: float) -> list[Message]:
        """`read` for a caller already in a worker thread."""
        msgs = self.consumer.consume(max_messages, timeout)
        out = []
        for m in msgs:
            err = m.error()
            if err is None:
                out.append(m)
            elif not err.retriable() and err.fatal():
                raise KafkaException(err)
            else:
                log.warning("transactions read: %s", err)
        return out

    async def commit(self, next_offsets: dict[int, int]) -> None:
        """Commit `partition -> next offset to read` for the partitions still owned (raises on failure)."""
        mine = self.owned | self.releasing
        tps = [TopicPartition(self.topic, p, o) for p, o in sorted(next_offsets.items()) if p in mine]
        if not tps:
            return
        done = await asyncio.to_thread(self.consumer.commit, offsets=tps, asynchronous=False)
        failed = [f"{tp.partition}: {tp.error}" for tp in done or [] if tp.error is not None]
        if failed:
            raise KafkaException(f"commit failed for partitions {', '.join(failed)}")

    def lag(self) -> dict[int, int]:
        """Per owned partition: high watermark - committed offset (events not stored yet). Blocking."""
        owned = sorted(self.owned)
        if not owned:
            return {}
        committed = self.consumer.committed([TopicPartition(self.topic, p) for p in owned], timeout=5)
        out = {}
        for tp in committed:
            low, high = self.consumer.get_watermark_offsets(TopicPartition(self.topic, tp.partition), timeout=5)
            out[tp.partition] = max(high - (tp.offset if tp.offset >= 0 else low), 0)
        return out

    def close(self) -> None:
        try:
            self.consumer.close()
        except (KafkaException, RuntimeError) as exc:
            log.warning("closing the transactions reader: %s", exc)
