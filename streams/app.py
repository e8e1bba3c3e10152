"""The Faust app of a regional worker: the transactions pipeline agent plus its timers and health pages."""
from __future__ import annotations

import asyncio
import logging
import time
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import faust
import msgspec
from confluent_kafka import Producer

from core import topics
from core.events import SCHEMA, TransactionEvent, decode_event
from core.schema import (ENDPOINTS_COLUMNS, TTL_MIN_SERVER, drop_expired_partitions, load_retention,
                         server_version)
from streams.behaviour import BehaviourDetector, Detection
from streams.config import WorkerConfig
from streams.discovery import EndpointInventory, endpoint_from_row
from streams.metrics import MetricsRollup, add_counts, key_str
from streams.points import event_points
from streams.rows import HIT_NAMES, TRANSACTION_NAMES, behaviour_hit_row, hit_rows, transaction_row
from streams.scoring import ModelWatcher
from streams.sink import Backoff, ClickHouseSink, retry_forever

log = logging.getLogger("rampart.streams")
ENDPOINT_NAMES = [c for c, _ in ENDPOINTS_COLUMNS]
MAX_REASON = 300
_ID, _PART, _OFF = (TRANSACTION_NAMES.index(c) for c in ("id", "src_partition", "src_offset"))


@dataclass
class Stats:
    """Counters shown on /health (monotonic since start)."""

    received: int = 0
    stored: int = 0
    duplicates_skipped: int = 0
    dead_letters: int = 0
    scores_sent: int = 0
    detections: int = 0
    batches: int = 0
    last_batch_seconds: float = 0.0
    storage: str = "ok"
    started: float = field(default_factory=time.time)


class Pipeline:
    """Everything the transactions agent does with one batch: decode, score, metrics, behaviour, discovery,
    store, publish, ack — in that order, so an offset is committed only after its rows are in ClickHouse."""

    def __init__(self, cfg: WorkerConfig, app: faust.App) -> None:
        self.cfg = cfg
        self.app = app
        self.sink = ClickHouseSink(cfg.clickhouse_host, cfg.clickhouse_port, cfg.database)
        self.watcher = ModelWatcher(cfg.mlflow_url, cfg.model_name, cfg.model_alias)
        self.behaviour = BehaviourDetector(cfg.behaviour)
        self.inventory = EndpointInventory()
        self.rollup = MetricsRollup()
        self.stats = Stats()
        self.backoff = Backoff(cfg.retry_initial, cfg.retry_max)
        self.db_lock = asyncio.Lock()          # one clickhouse-driver connection: one call at a time
        # Rows stored after the last committed offset, per partition: {offset: id}. Filled on the first
        # message of a partition after start or rebalance (see _at_risk).
        self._stored: dict[int, dict[int, str]] = {}
        self.model_checked = asyncio.Event()   # the first champion lookup is done (found or not)
        # Outputs go through librdkafka (idempotent, acks=all): Faust's per-message send costs ~10x more.
        self.producer = Producer({"bootstrap.servers": cfg.kafka_bootstrap, **topics.PRODUCER_DEFAULTS,
                                  "linger.ms": 20, "log_level": 3})
        self._failed: list[tuple[str, bytes | None, bytes | None, list | None]] = []
        # Faust topic objects only declare the output topics (the denylist one compacted).
        self.scores = app.topic(cfg.scores_topic, key_serializer="raw", value_serializer="raw")
        self.denylist = app.topic(cfg.denylist_topic, key_serializer="raw", value_serializer="raw",
                                  config={"cleanup.policy": "compact"})
        self.dead_letter = app.topic(cfg.dead_letter_topic, key_serializer="raw", value_serializer="raw")
        self.metrics = app.Table("metrics-1m", default=None, partitions=cfg.partitions, key_type=None,
                                 value_type=None).tumbling(60, expires=timedelta(hours=2))

    # --- helpers ---------------------------------------------------------------------------------------
    def stopping(self) -> bool:
        return bool(self.app.should_stop)

    async def db(self, what: str, fn) -> Any:
        async with self.db_lock:
            try:
                result = await retry_forever(what, fn, self.backoff, self.stopping,
                                             on_error=lambda msg: setattr(self.stats, "storage", msg))
            except BaseException:
                self.stats.storage = f"failing: {what}"
                raise
            self.stats.storage = "ok"
            return result

    def produce(self, topic: str, key: bytes | None, value: bytes | None, headers: list | None = None) -> None:
        def on_delivery(err, _msg, item=(topic, key, value, headers)) -> None:  # noqa: ANN001
            if err is not None:
                self._failed.append(item)
        while True:
            try:
                self.producer.produce(topic, value, key, headers=headers, on_delivery=on_delivery)
                return
            except BufferError:          # local queue full: let librdkafka drain (bounded memory)
                self.producer.poll(0.1)

    async def deliver(self) -> None:
        """Wait until every produced message is acknowledged; re-send failures with back-off (offsets held)."""
        backoff = Backoff(self.cfg.retry_initial, self.cfg.retry_max)
        while True:
            left = await asyncio.to_thread(self.producer.flush, 30.0)
            failed, self._failed = self._failed, []
            if left == 0 and not failed:
                return
            log.warning("Kafka output: %d undelivered, %d failed; retrying, offsets held", left, len(failed))
            if self.stopping():
                raise asyncio.CancelledError("stopping with undelivered outputs")
            await asyncio.sleep(backoff.next())
            for item in failed:
                self.produce(*item)

    def forget_partitions(self, *_args: Any, **_kw: Any) -> None:
        """On rebalance: the next message of each partition re-reads what is already stored."""
        self._stored.clear()

    async def _at_risk(self, partition: int, offset: int) -> dict[int, str]:
        stored = self._stored.get(partition)
        if stored is None:
            stored = await self.db(f"read stored offsets of partition {partition}",
                                   lambda: self.sink.stored_since(partition, offset))
            self._stored[partition] = stored
            if stored:
                log.info("partition %d: %d events from offset %d are already stored; they will be skipped",
                         partition, len(stored), offset)
        return stored

    # --- the batch -------------------------------------------------------------------------------------
    async def handle(self, stream: faust.StreamT, events: list[faust.EventT]) -> None:
        # After a start, wait for the first champion lookup so a registered model scores from the first event.
        await self.model_checked.wait()
        t0 = time.perf_counter()
        good: list[tuple[TransactionEvent, bytes, int, int, Any]] = []
        dead: list[tuple[bytes | None, bytes, list[tuple[str, bytes]]]] = []
        for e in events:
            msg = e.message
            raw = e.value if isinstance(e.value, (bytes, bytearray)) else (msg.value or b"")
            raw = bytes(raw)
            try:
                ev = decode_event(raw)
                if ev.schema != SCHEMA:
                    raise ValueError(f"unknown schema {ev.schema!r}")
            except (msgspec.DecodeError, msgspec.ValidationError, ValueError, UnicodeError) as exc:
                reason = f"{type(exc).__name__}: {exc}"[:MAX_REASON]
                dead.append((msg.key, raw, [("rampart-error", reason.encode()),
                                            ("rampart-source", f"{msg.topic}/{msg.partition}/{msg.offset}".encode())]))
                continue
            stored = await self._at_risk(msg.partition, msg.offset)
            if stored and stored.get(msg.offset) == ev.id:
                self.stats.duplicates_skipped += 1
                continue
            good.append((ev, raw, msg.partition, msg.offset, msg.key))
        self.stats.received += len(events)

        scores, label = self.watcher.score_events([event_points(g[0]) for g in good])
        tx_rows: list[tuple] = []
        h_rows: list[tuple] = []
        detections: list[Detection] = []
        for (ev, raw, part, off, _key), score in zip(good, scores):
            tx_rows.append(transaction_row(ev, raw, part, off, score, label))
            h_rows.extend(hit_rows(ev))
            detections.extend(self.behaviour.observe(ev))
            self.inventory.observe(ev)
            self.rollup.add(ev, part)
        h_rows.extend(behaviour_hit_row(d) for d in detections)

        # Hits first: once a transaction row is stored (the restart check), its hits are too.
        if h_rows:
            await self.db("insert hits", lambda: self.sink.insert("hits", HIT_NAMES, h_rows))
        if tx_rows:
            await self.db("insert transactions", self._transactions_insert(tx_rows))
        self.stats.stored += len(tx_rows)

        for key, raw, headers in dead:
            self.produce(self.cfg.dead_letter_topic, key, raw, headers)
            log.warning("dead-lettered a malformed event: %s", headers[0][1].decode()[:200])
        if label:
            enc = msgspec.json.encode
            for (ev, _raw, _p, _o, key), score in zip(good, scores):
                self.produce(self.cfg.scores_topic, key, enc({"id": ev.id, "tenant": ev.tenant, "ts": ev.ts,
                                                             "score": round(score, 6), "model": label}))
        for d in detections:
            self.produce(self.cfg.denylist_topic, d.denylist_key(), d.denylist_value())
            log.warning("behaviour %s: tenant=%s ip=%s host=%s count=%d -> denylisted until %.0f",
                        d.kind, d.tenant, d.ip, d.host, d.count, d.expires)
        await self.deliver()
        self._update_metrics_table()
        for e in events:
            await stream.ack(e)
        self.stats.dead_letters += len(dead)
        self.stats.scores_sent += len(good) if label else 0
        self.stats.detections += len(detections)
        self.stats.batches += 1
        self.stats.last_batch_seconds = time.perf_counter() - t0

    def _transactions_insert(self, rows: list[tuple]):
        """The insert to retry. A failed INSERT may still have landed (e.g. the connection broke after the
        server wrote it), so every retry first drops the rows already stored: the metrics view must not
        count them twice."""
        attempts = 0

        def attempt() -> int:
            nonlocal attempts
            attempts += 1
            todo = rows if attempts == 1 else self._not_stored(rows)
            return self.sink.insert("transactions", TRANSACTION_NAMES, todo)
        return attempt

    def _not_stored(self, rows: list[tuple]) -> list[tuple]:
        first: dict[int, int] = {}
        for r in rows:
            part, off = r[_PART], r[_OFF]
            first[part] = min(off, first.get(part, off))
        stored = {p: self.sink.stored_since(p, o) for p, o in first.items()}
        return [r for r in rows if stored[r[_PART]].get(r[_OFF]) != r[_ID]]

    def _update_metrics_table(self) -> None:
        # Faust's table API writes the changelog to the *current event's* partition; a batch mixes partitions,
        # so cells are written with their own source partition explicitly (co-partitioned with the topic).
        table = self.metrics.table
        window = table.window
        for (partition, minute, key), counts in self.rollup.drain().items():
            for wr in window.ranges(float(minute)):
                wkey = (key_str(key), wr)
                value = add_counts(table.data.get(wkey), counts)
                table.data[wkey] = value
                table.send_changelog(partition, wkey, value)
                table._maybe_set_key_ttl(wkey, partition)  # noqa: SLF001 - window expiry bookkeeping

    def metrics_snapshot(self) -> dict[str, list[int]]:
        """Current windowed metric cells: 'minute|tenant|host|type|verdict|action|status_class' -> counters."""
        out: dict[str, list[int]] = {}
        for (key, wr), value in list(self.metrics.table.data.items()):
            out[f"{int(wr[0])}|{key}"] = value
        return out

    # --- timers ----------------------------------------------------------------------------------------
    async def load_endpoints(self) -> None:
        rows, cols = await self.db("load endpoints", lambda: self.sink.query(
            f"SELECT * FROM {self.cfg.database}.endpoints FINAL ORDER BY last_seen DESC LIMIT %(n)s",
            {"n": self.inventory.max_endpoints}, with_column_types=True))
        names = [c for c, _ in cols]
        for r in rows:
            self.inventory.load(endpoint_from_row(dict(zip(names, r))))
        log.info("endpoint inventory: %d endpoints loaded", len(rows))

    async def flush_endpoints(self) -> int:
        rows = self.inventory.drain_rows(time.time())
        if rows:
            await self.db("insert endpoints", lambda: self.sink.insert("endpoints", ENDPOINT_NAMES, rows))
        return len(rows)

    async def expire_denylist(self) -> None:
        for tenant, ip in self.behaviour.expired(time.time()):
            self.produce(self.cfg.denylist_topic, f"{tenant}|{ip}".encode(), None)
            log.info("denylist entry %s|%s expired: tombstone sent", tenant, ip)
        await self.deliver()

    async def poll_model(self) -> None:
        before = self.watcher.status
        try:
            await asyncio.to_thread(self.watcher.poll)
        finally:
            self.model_checked.set()
        if self.watcher.status != before:
            log.info("%s", self.watcher.status)

    async def retention(self) -> None:
        ver = await self.db("server version", lambda: server_version(self.sink.client))
        if ver < TTL_MIN_SERVER:
            keep = await self.db("read retention", lambda: load_retention(self.sink.client, self.cfg.database))
            dropped = await self.db("drop expired partitions", lambda: drop_expired_partitions(
                self.sink.client, self.cfg.database, keep))
            if dropped:
                log.info("retention: dropped %s", ", ".join(dropped))

    def health(self) -> dict[str, Any]:
        s = self.stats
        return {"region": self.cfg.region, "database": self.cfg.database, "group": self.cfg.app_id,
                "scoring": self.watcher.status, "storage": s.storage, "received": s.received, "stored": s.stored,
                "duplicates_skipped": s.duplicates_skipped, "dead_letters": s.dead_letters,
                "scores_sent": s.scores_sent, "detections": s.detections, "batches": s.batches,
                "endpoints": len(self.inventory), "last_batch_seconds": round(s.last_batch_seconds, 4),
                "uptime": round(time.time() - s.started, 1)}


def create_app(cfg: WorkerConfig) -> tuple[faust.App, Pipeline]:
    """The worker's Faust app and its pipeline (not started)."""
    cfg.datadir.mkdir(parents=True, exist_ok=True)
    app = faust.App(
        cfg.app_id,
        broker=f"kafka://{cfg.kafka_bootstrap}",
        store="memory://",
        autodiscover=False,
        datadir=str(cfg.datadir),
        topic_partitions=cfg.partitions,
        topic_replication_factor=1,
        consumer_auto_offset_reset="earliest",
        broker_commit_interval=1.0,
        # A SIGKILLed member holds its partitions until its session expires: keep that short.
        broker_session_timeout=10.0,
        broker_heartbeat_interval=2.0,
        producer_acks=-1,
        stream_buffer_maxsize=max(4096, cfg.batch_size * 2),
        web_enabled=cfg.web_port > 0,
        web_port=cfg.web_port or 6066,
        web_bind="127.0.0.1",
        web_host="127.0.0.1",
        web_in_thread=False,
        table_cleanup_interval=30.0,
    )
    pipeline = Pipeline(cfg, app)
    source = app.topic(cfg.topic, key_serializer="raw", value_serializer="raw", partitions=cfg.partitions)

    @app.agent(source, name="transactions")
    async def transactions(stream: faust.StreamT) -> None:
        async for batch in stream.noack_take(cfg.batch_size, within=cfg.batch_seconds):
            await pipeline.handle(stream, batch)

    app.on_partitions_revoked.connect(pipeline.forget_partitions)
    app.on_partitions_assigned.connect(pipeline.forget_partitions)

    @app.task
    async def start() -> None:
        for topic in (pipeline.scores, pipeline.denylist, pipeline.dead_letter):
            await topic.maybe_declare()
        await pipeline.poll_model()
        log.info("%s", pipeline.watcher.status)
        await pipeline.load_endpoints()

    @app.timer(cfg.endpoint_flush_seconds)
    async def endpoints() -> None:
        await pipeline.flush_endpoints()

    @app.timer(cfg.model_poll_seconds)
    async def model() -> None:
        await pipeline.poll_model()

    @app.timer(cfg.denylist_check_seconds)
    async def denylist_expiry() -> None:
        await pipeline.expire_denylist()

    @app.timer(3600.0)
    async def retention() -> None:
        await pipeline.retention()

    if cfg.web_port:
        @app.page("/health")
        async def health(web, request):  # noqa: ANN001 - Faust view signature
            return web.json(pipeline.health())

        @app.page("/metrics-1m")
        async def metrics(web, request):  # noqa: ANN001
            return web.json(pipeline.metrics_snapshot())

    return app, pipeline
