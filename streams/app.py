"""The Faust app of a regional worker: the transactions pipeline task plus its timers, health and metrics pages."""
from __future__ import annotations

import asyncio
import gc
import logging
import time
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import faust
import msgspec
from confluent_kafka import KafkaException, Message, Producer

from core import topics
from core.events import SCHEMA, TransactionEvent
from core.schema import (ENDPOINTS_COLUMNS, TTL_MIN_SERVER, drop_expired_partitions, load_retention,
                         server_version)
from streams.behaviour import BehaviourDetector, Detection
from streams.config import WorkerConfig
from streams.discovery import EndpointInventory, endpoint_from_row
from streams.metrics import MetricsRollup, add_counts, key_str
from streams.observability import CONTENT_TYPE_LATEST, WorkerMetrics
from streams.points import RequestCache, event_points
from streams.rows import HIT_NAMES, TRANSACTION_NAMES, behaviour_hit_row, hit_rows, transaction_row
from streams.scoring import ModelWatcher
from streams.sink import Backoff, ClickHouseSink, probe, retry_forever
from streams.source import TransactionsReader

log = logging.getLogger("rampart.streams")
ENDPOINT_NAMES = [c for c, _ in ENDPOINTS_COLUMNS]
MAX_REASON = 300
IDLE_POLL_SECONDS = 0.02      # with nothing else in flight, a batch is handed over after at most this long
_ID, _PART, _OFF = (TRANSACTION_NAMES.index(c) for c in ("id", "src_partition", "src_offset"))
_decode = msgspec.json.Decoder(TransactionEvent).decode
_BAD_EVENT = (msgspec.DecodeError, msgspec.ValidationError, ValueError, UnicodeError)


class ScoreMessage(msgspec.Struct):
    """A `rampart.scores.v1` value (encoded by msgspec: cheaper than a dict per event)."""

    id: str
    tenant: str
    ts: float
    score: float
    model: str


def tune_gc() -> None:
    """Move what is alive now (Faust, MLflow, pandas: millions of objects) out of the collector's sight and
    collect young objects less often. A batch allocates ~20 containers per event; with the defaults the
    collector kept re-walking the whole heap and took about half of the decode time."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(50_000, 20, 20)


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


@dataclass
class Prepared:
    """A batch after its CPU half (Pipeline.prepare), waiting for its I/O half (Pipeline.store)."""

    received: int
    good: list[tuple[TransactionEvent, bytes, int, int, Any]]
    dead: list[tuple[bytes | None, bytes, list[tuple[str, bytes]]]]
    next_offsets: dict[int, int]
    scores: list[float]
    label: str
    tx_rows: list[tuple]
    h_rows: list[tuple]
    detections: list[Detection]
    cells: dict
    duplicates: int
    cpu_seconds: float
    stored_seconds: float = 0.0


class Pipeline:
    """Everything the transactions task does with one batch: decode, score, metrics, behaviour, discovery,
    store, publish, ack — in that order, so an offset is committed only after its rows are in ClickHouse."""

    def __init__(self, cfg: WorkerConfig, app: faust.App) -> None:
        self.cfg = cfg
        self.app = app
        self.sink = ClickHouseSink(cfg.clickhouse_host, cfg.clickhouse_port, cfg.database)
        # hits go in on their own connection, at the same time as the transactions (see store)
        self.hits_sink = ClickHouseSink(cfg.clickhouse_host, cfg.clickhouse_port, cfg.database)
        self.hits_lock = asyncio.Lock()
        self.hits_backoff = Backoff(cfg.retry_initial, cfg.retry_max)
        self.watcher = ModelWatcher(cfg.mlflow_url, cfg.model_name, cfg.model_alias)
        self.behaviour = BehaviourDetector(cfg.behaviour)
        self.inventory = EndpointInventory()
        self.rollup = MetricsRollup()
        self.stats = Stats()
        self.prom = WorkerMetrics(cfg.region)
        self.requests = RequestCache()
        self.backoff = Backoff(cfg.retry_initial, cfg.retry_max)
        self.db_lock = asyncio.Lock()          # one clickhouse-driver connection: one call at a time
        # Rows stored after the last committed offset, per partition: {offset: id}. Filled on the first
        # message of a partition after start or rebalance (see _at_risk).
        self._stored: dict[int, dict[int, str]] = {}
        self.model_checked = asyncio.Event()   # the first champion lookup is done (found or not)
        self._frozen_model: Any = None
        # Outputs go through librdkafka (idempotent, acks=all): Faust's per-message send costs ~10x more.
        self.reader = TransactionsReader(cfg.kafka_bootstrap, cfg.topic, cfg.app_id)
        # Delivery reports only for failures (re-sent by deliver()): a Python callback per message cost ~1 µs.
        self.producer = Producer({"bootstrap.servers": cfg.kafka_bootstrap, **topics.PRODUCER_DEFAULTS,
                                  "linger.ms": 20, "log_level": 3, "delivery.report.only.error": True,
                                  "on_delivery": self._undelivered})
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

    def _storage(self, msg: str) -> None:
        self.stats.storage = msg
        self.prom.storage_ok.set(1 if msg == "ok" else 0)

    async def db(self, what: str, fn, lock: asyncio.Lock | None = None, backoff: Backoff | None = None) -> Any:
        async with lock or self.db_lock:
            try:
                result = await retry_forever(what, fn, backoff or self.backoff, self.stopping,
                                             on_error=self._storage)
            except BaseException:
                self._storage(f"failing: {what}")
                raise
            self._storage("ok")
            return result

    async def insert(self, table: str, names: list[str], rows: list[tuple], fn=None) -> None:
        """Insert rows (retried until stored), timing it for /metrics."""
        t0 = time.perf_counter()
        if table == "hits":
            await self.db("insert hits", fn or (lambda: self.hits_sink.insert(table, names, rows)),
                          self.hits_lock, self.hits_backoff)
        else:
            await self.db(f"insert {table}", fn or (lambda: self.sink.insert(table, names, rows)))
        self.prom.sink_seconds.labels(table).observe(time.perf_counter() - t0)
        self.prom.sink_rows.labels(table).observe(len(rows))

    def _undelivered(self, err, msg) -> None:  # noqa: ANN001 - librdkafka delivery report (failures only)
        if err is not None:
            self._failed.append((msg.topic(), msg.key(), msg.value(), msg.headers()))

    def produce(self, topic: str, key: bytes | None, value: bytes | None, headers: list | None = None) -> None:
        while True:
            try:
                self.producer.produce(topic, value, key, headers=headers)
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
    async def prepare(self, msgs: list[Message]) -> "Prepared":
        """The CPU half of a batch: decode, dead letters, skip stored redeliveries, score, rows, metrics cells,
        behaviour and discovery. Nothing leaves the process here."""
        # After a start, wait for the first champion lookup so a registered model scores from the first event.
        await self.model_checked.wait()
        t0 = time.perf_counter()
        good: list[tuple[TransactionEvent, bytes, int, int, Any]] = []
        dead: list[tuple[bytes | None, bytes, list[tuple[str, bytes]]]] = []
        next_offsets: dict[int, int] = {}
        stored_by_part = self._stored
        duplicates = 0
        dup_hits: list[tuple] = []
        for msg in msgs:
            raw = msg.value() or b""
            part, off = msg.partition(), msg.offset()
            next_offsets[part] = off + 1
            try:
                ev = _decode(raw)
                if ev.schema != SCHEMA:
                    raise ValueError(f"unknown schema {ev.schema!r}")
            except _BAD_EVENT as exc:
                reason = f"{type(exc).__name__}: {exc}"[:MAX_REASON]
                dead.append((msg.key(), raw, [("rampart-error", reason.encode()),
                                              ("rampart-source", f"{msg.topic()}/{part}/{off}".encode())]))
                continue
            stored = stored_by_part.get(part)
            if stored is None:
                stored = await self._at_risk(part, off)
            if stored and stored.get(off) == ev.id:
                duplicates += 1
                if ev.hits:             # written again: a crash may have stored the transaction but not its hits
                    dup_hits.extend(hit_rows(ev))
                continue
            good.append((ev, raw, part, off, msg.key()))
        self.stats.received += len(msgs)
        self.stats.duplicates_skipped += duplicates

        # Scoring and discovery work once per distinct request (memoised); only events with hits add points.
        get_info = self.requests.get
        infos = [get_info(g[0].request) for g in good]
        scores, label = self.watcher.score_events(
            [event_points(g[0], info) if g[0].hits else info for g, info in zip(good, infos)])
        tx_rows: list[tuple] = []
        h_rows: list[tuple] = dup_hits
        detections: list[Detection] = []
        observe_behaviour, observe_endpoint, roll = self.behaviour.observe, self.inventory.observe, self.rollup.add
        for (ev, raw, part, off, _key), score, info in zip(good, scores, infos):
            tx_rows.append(transaction_row(ev, raw, part, off, score, label))
            if ev.hits:
                h_rows.extend(hit_rows(ev))
            found = observe_behaviour(ev)
            if found:
                detections.extend(found)
            observe_endpoint(ev, info.params)
            roll(ev, part)
        h_rows.extend(behaviour_hit_row(d) for d in detections)
        return Prepared(len(msgs), good, dead, next_offsets, scores, label, tx_rows, h_rows, detections,
                        self.rollup.drain(), duplicates, time.perf_counter() - t0)

    async def store(self, b: "Prepared") -> None:
        """The I/O half: outputs to Kafka and rows into ClickHouse (all acknowledged), then the Faust table.
        `finish` commits the offsets afterwards — so an offset is committed only after its batch is stored."""
        t0 = time.perf_counter()
        good, dead, scores, label, tx_rows, h_rows, detections = (b.good, b.dead, b.scores, b.label, b.tx_rows,
                                                                  b.h_rows, b.detections)
        # Outputs first (librdkafka sends them in the background), then three waits at once: the hits and the
        # transactions inserts, on two connections, and the Kafka acknowledgements. Each has a fixed latency
        # that, one after the other, dominated a batch. A crash between the two inserts cannot lose hits: a
        # redelivered event found stored has its hits written again (ReplacingMergeTree: FINAL shows one).
        for key, raw, headers in dead:
            self.produce(self.cfg.dead_letter_topic, key, raw, headers)
            log.warning("dead-lettered a malformed event: %s", headers[0][1].decode()[:200])
        if label:
            enc, topic, produce = msgspec.json.encode, self.cfg.scores_topic, self.producer.produce
            for (ev, _raw, _p, _o, key), score in zip(good, scores):
                value = enc(ScoreMessage(ev.id, ev.tenant, ev.ts, round(score, 6), label))
                try:
                    produce(topic, value, key)
                except BufferError:
                    self.produce(topic, key, value)
        for d in detections:
            self.produce(self.cfg.denylist_topic, d.denylist_key(), d.denylist_value())
            log.warning("behaviour %s: tenant=%s ip=%s host=%s count=%d -> denylisted until %.0f",
                        d.kind, d.tenant, d.ip, d.host, d.count, d.expires)
        waits = [self.deliver()]
        if h_rows:
            waits.append(self.insert("hits", HIT_NAMES, h_rows))
        if tx_rows:
            waits.append(self.insert("transactions", TRANSACTION_NAMES, tx_rows, self._transactions_insert(tx_rows)))
        await asyncio.gather(*waits)
        self.stats.stored += len(tx_rows)
        if self.stopping():
            # Faust flushed its producer buffer when the worker began to stop (SIGTERM, rebalance away): a changelog
            # write now reaches a stopping producer, and Faust crashes the worker on it (exit 1). Left uncommitted,
            # the batch is redelivered to the next owner, which counts it in its table (its rows are found stored).
            raise asyncio.CancelledError("stopping: the batch stays uncommitted and is redelivered")
        self._update_metrics_table(b.cells)
        b.stored_seconds = time.perf_counter() - t0

    async def finish(self, b: "Prepared") -> None:
        """Commit a stored batch's offsets (the caller keeps commits in batch order), then count it."""
        t0 = time.perf_counter()
        await self.commit(b.next_offsets)
        good, dead, label, tx_rows, detections = b.good, b.dead, b.label, b.tx_rows, b.detections
        self.stats.dead_letters += len(dead)
        self.stats.scores_sent += len(good) if label else 0
        self.stats.detections += len(detections)
        self.stats.batches += 1
        self.stats.last_batch_seconds = b.cpu_seconds + b.stored_seconds + time.perf_counter() - t0
        prom = self.prom
        prom.received.inc(b.received)
        prom.events.labels("stored").inc(len(tx_rows))
        prom.events.labels("duplicate").inc(b.duplicates)
        prom.events.labels("dead_letter").inc(len(dead))
        if label:
            prom.scores.inc(len(good))
        for d in detections:
            prom.detections.labels(d.kind).inc()
        prom.batches.inc()
        prom.batch_seconds.observe(self.stats.last_batch_seconds)

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

    def _update_metrics_table(self, cells: dict) -> None:
        # Faust's table API writes the changelog to the *current event's* partition; a batch mixes partitions,
        # so cells are written with their own source partition explicitly (co-partitioned with the topic).
        table = self.metrics.table
        window = table.window
        for (partition, minute, key), counts in cells.items():
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
        cur = self.watcher.current
        self.prom.set_model(cur.name if cur else None, cur.version if cur else None)
        if cur is not None and cur is not self._frozen_model:
            self._frozen_model = cur
            tune_gc()                  # the new model's objects are long-lived too

    async def retention(self) -> None:
        ver = await self.db("server version", lambda: server_version(self.sink.client))
        if ver < TTL_MIN_SERVER:
            keep = await self.db("read retention", lambda: load_retention(self.sink.client, self.cfg.database))
            dropped = await self.db("drop expired partitions", lambda: drop_expired_partitions(
                self.sink.client, self.cfg.database, keep))
            if dropped:
                log.info("retention: dropped %s", ", ".join(dropped))

    async def readiness(self, pump: "BatchPump") -> tuple[bool, str]:
        """(ready, reason): ready when this worker owns transactions partitions, Faust's tables are recovered
        and ClickHouse answers (a fresh connection: the sink's may be busy retrying an insert)."""
        if not self.reader.owned:
            return False, "no partitions assigned"
        if not pump.ready():
            return False, "rebalancing or recovering tables"
        err = await asyncio.to_thread(probe, self.cfg.clickhouse_host, self.cfg.clickhouse_port)
        if err:
            return False, f"ClickHouse unreachable: {err}"
        return True, f"ready: partitions {sorted(self.reader.owned)}"

    async def prometheus(self) -> bytes:
        try:
            lags = await asyncio.to_thread(self.reader.lag)
        except KafkaException as exc:
            log.warning("consumer lag unavailable: %s", str(exc)[:200])
            lags = None
        if lags is not None:
            self.prom.set_lag(self.cfg.topic, lags)
        return self.prom.render()

    def health(self) -> dict[str, Any]:
        s = self.stats
        return {"region": self.cfg.region, "database": self.cfg.database, "group": self.cfg.app_id,
                "scoring": self.watcher.status, "storage": s.storage, "received": s.received, "stored": s.stored,
                "duplicates_skipped": s.duplicates_skipped, "dead_letters": s.dead_letters,
                "scores_sent": s.scores_sent, "detections": s.detections, "batches": s.batches,
                "endpoints": len(self.inventory), "last_batch_seconds": round(s.last_batch_seconds, 4),
                "uptime": round(time.time() - s.started, 1)}


class BatchPump:
    """Moves batches from the bulk reader to the `transactions` task, following Faust's assignment.

    Every read gets a sequence number; a revocation waits until the batches read before it are stored and
    committed, so the next owner of a partition starts after this worker's last commit there.
    """

    def __init__(self, cfg: WorkerConfig, app: faust.App, pipeline: Pipeline, channel: asyncio.Queue) -> None:
        self.cfg, self.app, self.pipeline, self.channel = cfg, app, pipeline, channel
        self.reader = pipeline.reader
        self.seq = 0
        self.inflight: set[int] = set()          # reads whose batch is not stored and committed yet
        self.handed = 0                          # batches put on the queue
        self.taken = 0                           # batches the task took
        self.waiting = False                     # the task waits for a batch (nothing to prepare)

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
        """One batch: up to batch_size messages within batch_seconds — but handed over as soon as the pipeline
        waits for it, so a light stream is not held for the whole window (latency) while a busy pipeline still
        gets large batches (throughput). Gathered in one worker thread: it goes on while the event loop is busy
        preparing the previous batch."""
        return await asyncio.to_thread(self._gather, time.monotonic() + self.cfg.batch_seconds)

    def _gather(self, deadline: float) -> list[Message]:
        size = self.cfg.batch_size
        msgs: list[Message] = []
        while len(msgs) < size and not self.app.should_stop:
            left = deadline - time.monotonic()
            if left <= 0:
                break
            msgs += self.reader.read_blocking(size - len(msgs), min(left, IDLE_POLL_SECONDS))
            if msgs and self.waiting and self.channel.empty():   # the pipeline waits for this very batch
                break
        return msgs

    def ready(self) -> bool:
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
            if not self.reader.owned or not self.ready():
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
        web_bind=cfg.web_host,
        web_host=cfg.web_host,
        web_in_thread=False,
        table_cleanup_interval=30.0,
    )
    pipeline = Pipeline(cfg, app)
    # The transactions topic is declared (created with `partitions` if missing) but read in bulk by
    # confluent-kafka: Faust's per-message path (fetch thread, conductor, Event, stream) cost ~80 % of the CPU
    # at ~2,000 ev/s. Faust still owns the group: its assignment of the co-partitioned metrics table decides
    # which transactions partitions this worker reads, and the task below handles whole batches.
    source = app.topic(cfg.topic, key_serializer="raw", value_serializer="raw", partitions=cfg.partitions)
    # Bounded hand-off: a held batch stops the reader (back-pressure). A plain asyncio queue, not a Faust
    # channel: Faust's flow control clears channel queues on every rebalance, which silently dropped batches.
    batches: asyncio.Queue = asyncio.Queue(maxsize=2)
    changelog = pipeline.metrics.table.changelog_topic.get_topic_name()
    pump = BatchPump(cfg, app, pipeline, batches)

    @app.task
    async def transactions() -> None:
        # Batches overlap: while batch N's offsets are committed (a synchronous round trip to the group
        # coordinator), N+1 is stored and N+2 prepared. Stores run strictly one after another, and each commit
        # waits for its own rows and for the commit before it, so offsets are committed in order and only after
        # their rows are stored.
        storing: asyncio.Task | None = None
        stored: asyncio.Event | None = None

        async def store(batch: Prepared, seq: int, rows_done: asyncio.Event,
                        previous: asyncio.Task | None) -> None:
            try:
                try:
                    await pipeline.store(batch)
                finally:
                    rows_done.set()
                if previous is not None:
                    await previous
                await pipeline.finish(batch)
            finally:
                pump.done(seq)

        try:
            while True:
                pump.waiting = True
                try:
                    handed, seq, msgs = await batches.get()
                finally:
                    pump.waiting = False
                try:
                    # A batch lost between reader and task would be covered by the next commit: never go on.
                    if handed != pump.taken + 1:
                        raise RuntimeError(f"batch {pump.taken + 1} never reached the pipeline (got {handed})")
                    pump.taken = handed
                    batch = await pipeline.prepare(msgs)
                except BaseException:
                    pump.done(seq)
                    raise
                if stored is not None:
                    await stored.wait()              # batch N's rows stored before N+1 starts storing
                    if storing is not None and storing.done() and not storing.cancelled() \
                            and storing.exception() is not None:
                        raise storing.exception()    # never store past a batch that failed
                stored = asyncio.Event()
                storing = asyncio.ensure_future(store(batch, seq, stored, storing))
                storing.add_done_callback(failed)
        except asyncio.CancelledError:
            raise
        except Exception as exc:
            # Uncommitted, so redelivered after a restart; carrying on would commit past this batch.
            log.exception("transactions batch failed; stopping the worker")
            await app.crash(exc)
            raise

    def failed(task: asyncio.Task) -> None:
        if task.cancelled() or task.exception() is None:
            return
        exc = task.exception()
        if isinstance(exc, asyncio.CancelledError):
            return
        log.error("storing a transactions batch failed; stopping the worker: %s", exc, exc_info=exc)
        # Nothing after it is committed (each store awaits the one before); the worker stops.
        asyncio.ensure_future(app.crash(exc))

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
        tune_gc()

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

        @app.page("/metrics")
        async def prometheus(web, request):  # noqa: ANN001
            # aiohttp refuses a charset inside content_type=; the header carries Prometheus' full type
            return web.bytes(await pipeline.prometheus(), headers={"Content-Type": CONTENT_TYPE_LATEST})

        @app.page("/ready")
        async def ready(web, request):  # noqa: ANN001
            ok, reason = await pipeline.readiness(pump)
            return web.text(reason + "\n", status=200 if ok else 503)

    return app, pipeline
