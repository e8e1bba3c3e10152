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
from confluent_kafka import KafkaException, Message, Producer

from core import topics
from core.events import SCHEMA, TransactionEvent, decode_event
from core.schema import (ENDPOINTS_COLUMNS, TTL_MIN_SERVER, drop_expired_partitions, load_retention,
                         server_version)
from streams.behaviour import BehaviourDetector, Detection
from streams.config import WorkerConfig
from streams.discovery import EndpointInventory, endpoint_from_row
from streams.metrics import MetricsRollup, add_counts, key_str
from streams.points import event_points, request_params
from streams.rows import HIT_NAMES, TRANSACTION_NAMES, behaviour_hit_row, hit_rows, transaction_row
from streams.scoring import ModelWatcher
from streams.sink import Backoff, ClickHouseSink, retry_forever
from streams.source import TransactionsReader

log = logging.getLogger("rampart.streams")
ENDPOINT_NAMES = [c for c, _ in ENDPOINTS_COLUMNS]
MAX_REASON = 300
IDLE_POLL_SECONDS = 0.02      # with an idle agent, a batch is handed over after at most this long
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
        self.reader = TransactionsReader(cfg.kafka_bootstrap, cfg.topic, cfg.app_id)
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

    async def commit(self, next_offsets: dict[int, int]) -> None:
        """Commit the batch's offsets (after its rows are stored); retried with back-off, never skipped."""
        backoff = Backoff(self.cfg.retry_initial, self.cfg.retry_max)
        while True:
            try:
                await self.reader.commit(next_offsets)
                return
            except KafkaException as exc:
                log.warning("offset commit failed (%s); retrying", str(exc)[:200])
                if self.stopping():
                    raise asyncio.CancelledError("stopping with an uncommitted batch") from exc
                await asyncio.sleep(backoff.next())

    def forget_partitions(self, partitions: set[int]) -> None:
        """Newly owned partitions: their next message re-reads what is already stored from there on."""
        for p in partitions:
            self._stored.pop(p, None)

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
    async def handle(self, msgs: list[Message]) -> None:
        # After a start, wait for the first champion lookup so a registered model scores from the first event.
        await self.model_checked.wait()
        t0 = time.perf_counter()
        good: list[tuple[TransactionEvent, bytes, int, int, Any]] = []
        dead: list[tuple[bytes | None, bytes, list[tuple[str, bytes]]]] = []
        next_offsets: dict[int, int] = {}
        for msg in msgs:
            raw = msg.value() or b""
            part, off = msg.partition(), msg.offset()
            next_offsets[part] = off + 1
            try:
                ev = decode_event(raw)
                if ev.schema != SCHEMA:
                    raise ValueError(f"unknown schema {ev.schema!r}")
            except (msgspec.DecodeError, msgspec.ValidationError, ValueError, UnicodeError) as exc:
                reason = f"{type(exc).__name__}: {exc}"[:MAX_REASON]
                dead.append((msg.key(), raw, [("rampart-error", reason.encode()),
                                              ("rampart-source", f"{msg.topic()}/{part}/{off}".encode())]))
                continue
            stored = self._stored.get(part)
            if stored is None:
                stored = await self._at_risk(part, off)
            if stored and stored.get(off) == ev.id:
                self.stats.duplicates_skipped += 1
                continue
            good.append((ev, raw, part, off, msg.key()))
        self.stats.received += len(msgs)

        params = [request_params(g[0]) for g in good]
        scores, label = self.watcher.score_events([event_points(g[0], p) for g, p in zip(good, params)])
        tx_rows: list[tuple] = []
        h_rows: list[tuple] = []
        detections: list[Detection] = []
        for (ev, raw, part, off, _key), score, p in zip(good, scores, params):
            tx_rows.append(transaction_row(ev, raw, part, off, score, label))
            if ev.hits:
                h_rows.extend(hit_rows(ev))
            detections.extend(self.behaviour.observe(ev))
            self.inventory.observe(ev, p)
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
        await self.commit(next_offsets)
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


class BatchPump:
    """Moves batches from the bulk reader to the `transactions` agent, following Faust's assignment.

    Every read gets a sequence number; a revocation waits until the batches read before it are stored and
    committed, so the next owner of a partition starts after this worker's last commit there.
    """

    def __init__(self, cfg: WorkerConfig, app: faust.App, pipeline: Pipeline, channel: faust.ChannelT) -> None:
        self.cfg, self.app, self.pipeline, self.channel = cfg, app, pipeline, channel
        self.reader = pipeline.reader
        self.seq = 0
        self.inflight: set[int] = set()          # reads whose batch is not stored and committed yet
        self.handed = 0                          # batches put on the channel
        self.taken = 0                           # batches the agent took

    def follow(self, owned: set[int]) -> None:
        gained, _lost = self.reader.own(owned)
        self.pipeline.forget_partitions(gained)

    async def release(self, lost: set[int]) -> None:
        # Stop reading them now, but let batches already read store and commit there before another worker
        # starts from the committed offsets.
        self.reader.releasing |= lost
        self.reader.own(self.reader.owned - lost)
        waiting = set(self.inflight)
        deadline = time.monotonic() + self.cfg.revoke_wait_seconds
        while waiting & self.inflight and time.monotonic() < deadline:
            await asyncio.sleep(0.05)
        if waiting & self.inflight:
            log.warning("partitions %s revoked while a batch is still being stored; the next owner skips its "
                        "rows if they land first, and FINAL hides them otherwise", sorted(lost))
        self.reader.releasing -= lost

    def done(self, seq: int) -> None:
        self.inflight.discard(seq)

    async def gather(self) -> list[Message]:
        """One batch: up to batch_size messages within batch_seconds — but handed over as soon as the agent is
        idle, so a light stream is not held for the whole window (latency) while a busy agent still gets
        large batches (throughput)."""
        cfg = self.cfg
        msgs: list[Message] = []
        deadline = time.monotonic() + cfg.batch_seconds
        while len(msgs) < cfg.batch_size:
            left = deadline - time.monotonic()
            if left <= 0:
                break
            msgs += await self.reader.read(cfg.batch_size - len(msgs), min(left, IDLE_POLL_SECONDS))
            if msgs and len(self.inflight) <= 1:      # only this read in flight: the agent waits for it
                break
        return msgs

    def _ready(self) -> bool:
        # Faust recovers the metrics table from its changelog after each assignment: no batch before that.
        recovery = self.app.tables.recovery
        return recovery.completed.is_set() and not self.app.rebalancing and not recovery.in_recovery

    async def run(self, source: faust.TopicT) -> None:
        # Faust creates the topic at start; on a fresh broker its metadata can lag a moment (0 partitions).
        n, deadline = 0, time.monotonic() + 30.0
        while True:
            n = await asyncio.to_thread(self.reader.partitions)
            if n or time.monotonic() > deadline or self.app.should_stop:
                break
            await asyncio.sleep(0.5)
        if n != self.cfg.partitions:
            raise RuntimeError(f"topic {self.cfg.topic} has {n} partitions but the worker was started with "
                               f"--partitions {self.cfg.partitions}; they must match (tables are co-partitioned)")
        while not self.app.should_stop:
            if not self.reader.owned or not self._ready():
                await asyncio.sleep(0.05)
                continue
            self.seq += 1
            seq = self.seq
            self.inflight.add(seq)
            msgs = await self.gather()
            if not msgs:
                self.inflight.discard(seq)
                continue
            self.handed += 1
            await self.channel.put((self.handed, seq, msgs))


def create_app(cfg: WorkerConfig) -> tuple[faust.App, Pipeline]:
    """The worker's Faust app and its pipeline (not started)."""
    cfg.datadir.mkdir(parents=True, exist_ok=True)
    app = faust.App(
        cfg.faust_id,
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
        web_enabled=cfg.web_port > 0,
        web_port=cfg.web_port or 6066,
        web_bind="127.0.0.1",
        web_host="127.0.0.1",
        web_in_thread=False,
        table_cleanup_interval=30.0,
    )
    pipeline = Pipeline(cfg, app)
    # The transactions topic is declared (created with `partitions` if missing) but read in bulk by
    # confluent-kafka: Faust's per-message path (fetch thread, conductor, Event, stream) cost ~80 % of the CPU
    # at ~2,000 ev/s. Faust still owns the group: its assignment of the co-partitioned metrics table decides
    # which transactions partitions this worker reads, and the agent below handles whole batches.
    source = app.topic(cfg.topic, key_serializer="raw", value_serializer="raw", partitions=cfg.partitions)
    batches = app.channel(maxsize=2)          # bounded hand-off: a held batch stops the reader (back-pressure)
    changelog = pipeline.metrics.table.changelog_topic.get_topic_name()
    pump = BatchPump(cfg, app, pipeline, batches)

    @app.agent(batches, name="transactions", concurrency=1)
    async def transactions(stream: faust.StreamT) -> None:
        async for handed, seq, msgs in stream:
            try:
                # A batch lost between reader and agent would be covered by the next commit: never go on.
                if handed != pump.taken + 1:
                    raise RuntimeError(f"batch {pump.taken + 1} never reached the agent (got {handed})")
                pump.taken = handed
                await pipeline.handle(msgs)
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                # Uncommitted, so redelivered after a restart; carrying on would commit past this batch.
                log.exception("transactions batch failed; stopping the worker")
                await app.crash(exc)
                raise
            finally:
                pump.done(seq)

    async def assigned(_sender: Any, *_args: Any, **_kw: Any) -> None:
        owned = {tp.partition for tp in app.assignor.assigned_actives() if tp.topic == changelog}
        pump.follow(owned)

    async def revoked(_sender: Any, revoked: set, **_kw: Any) -> None:
        lost = {tp.partition for tp in revoked if tp.topic == changelog}
        if lost & pipeline.reader.owned:
            await pump.release(lost)

    app.on_partitions_revoked.connect(revoked)
    app.on_partitions_assigned.connect(assigned)

    @app.task
    async def read() -> None:
        try:
            await source.maybe_declare()
            await pump.run(source)
        except asyncio.CancelledError:
            raise
        except Exception as exc:
            log.error("transactions reader stopped: %s", exc)
            await app.crash(exc)
            raise

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
