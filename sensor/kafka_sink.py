"""Kafka sink: idempotent acks=all producer that spools to disk while Kafka is unreachable, drains in order."""
from __future__ import annotations

import logging
import queue
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from confluent_kafka import KafkaError, KafkaException, Producer

from core import topics
from core.events import TransactionEvent, encode_event, kafka_key
from sensor.spool import Spool, SpoolRecord

log = logging.getLogger(__name__)


class _RdkafkaLog:
    """librdkafka's own log lines (one per failed reconnect) at debug level; state changes are logged by us."""

    _log = logging.getLogger("sensor.kafka_sink.librdkafka")

    def log(self, _level: int, msg: str, *args: object) -> None:
        self._log.debug(msg, *args)


_RDKAFKA_LOG = _RdkafkaLog()


def _guarded(callback: Callable[..., None]) -> Callable[..., None]:
    """`callback`, logging what it raises instead of raising into librdkafka.

    confluent-kafka on Python 3.11 re-raises a callback's exception from `poll()` as a SystemError, which had ended
    the sink thread: every later event stayed queued (CI, stop 33).
    """
    def call(*args: object) -> None:
        try:
            callback(*args)
        except Exception:  # noqa: BLE001 - the sink goes on; the traceback is the bug report
            log.exception("kafka sink callback failed")
    return call


@dataclass
class KafkaSinkStats:
    queued: int = 0          # handed to the sink
    delivered: int = 0       # confirmed by the broker
    spooled: int = 0         # written to the disk spool
    drained: int = 0         # delivered from the spool
    dropped: int = 0         # lost at a bound (in-memory queue or spool full): counted, logged
    spool_depth: int = 0     # records waiting in the spool
    mode: str = "direct"
    # partition -> [first, last] offset the broker confirmed: what a reader should find (a loss after a
    # confirmation shows as confirmed offsets the topic no longer holds)
    offsets: dict[int, list[int]] = field(default_factory=dict)

    def confirmed(self, partition: int, offset: int | None) -> None:
        if offset is None:
            # librdkafka confirms without an offset a send it infers was written (the broker called a retry a
            # duplicate, or a later batch of the same producer succeeded; see core.topics.PRODUCER_DEFAULTS)
            return
        span = self.offsets.get(partition)
        if span is None:
            self.offsets[partition] = [offset, offset]
        else:
            span[0], span[1] = min(span[0], offset), max(span[1], offset)

    def offsets_text(self) -> str:
        """`p1 0-31, p2 0-4`: the confirmed offset spans per partition."""
        return ", ".join(f"p{p} {a}-{b}" for p, (a, b) in sorted(self.offsets.items()))


class KafkaSink:
    """Send (key, value) records to one topic; never lose them while Kafka is away.

    Records are produced straight to Kafka while it answers. Once it does not (all brokers down, a failed
    delivery, or a send stuck longer than `stall_s`), new records go to the on-disk spool instead; sends
    already in flight either get confirmed when Kafka returns or, on failure, are spooled ahead of the newer
    ones. The spool is drained in order, window by window, and a record leaves the spool only after its
    delivery report. A restart with a non-empty spool starts by draining it.
    """

    def __init__(self, bootstrap: str, spool_dir: Path | str, topic: str = topics.TRANSACTIONS,
                 message_timeout_ms: int = 30_000, stall_s: float = 5.0, queue_max: int = 200_000,
                 window: int = 2000, spool_max_bytes: int = 1 << 30, extra_config: dict | None = None) -> None:
        self.topic = topic
        self.stall_s = stall_s
        self.window = window
        self.stats = KafkaSinkStats()
        self.spool = Spool(spool_dir, max_bytes=spool_max_bytes)
        self._config = {
            "bootstrap.servers": bootstrap, **topics.PRODUCER_DEFAULTS,
            "linger.ms": 5, "message.timeout.ms": message_timeout_ms, "socket.timeout.ms": 10_000,
            "reconnect.backoff.max.ms": 2000, "error_cb": _guarded(self._on_error), "logger": _RDKAFKA_LOG,
            **(extra_config or {}),
        }
        self._producer = Producer(self._config)
        self._queue: queue.Queue[tuple[bytes, bytes]] = queue.Queue(queue_max)
        self._next_seq = self.spool.max_seq + 1
        self._spooling = self.spool.depth > 0
        self._direct: dict[int, tuple[float, bytes, bytes]] = {}  # seq -> (sent at, key, value)
        self._failed_direct: list[tuple[int, bytes, bytes]] = []
        self._drain: dict[int, bool | None] | None = None         # in-flight spool window: seq -> ok?
        self._drain_backoff = 0.0
        self._next_drain = 0.0
        self._brokers_down = False
        self._fatal = False
        self._closing = threading.Event()
        self._thread = threading.Thread(target=self._run, name="kafka-sink", daemon=True)
        self._thread.start()

    # ---- public, thread-safe ----
    def emit(self, event: TransactionEvent) -> None:
        """The `sensor.sinks.Sink` protocol."""
        self.write_raw(kafka_key(event), encode_event(event))

    def emit_encoded(self, key: bytes, value: bytes) -> None:
        self.write_raw(key, value)

    def write_raw(self, key: bytes, value: bytes) -> None:
        try:
            self._queue.put((key, value), timeout=1.0)
            self.stats.queued += 1
        except queue.Full:  # the sink thread cannot keep up even with the spool: count, never block capture
            self.stats.dropped += 1
            log.error("kafka sink queue full: event dropped (%d so far)", self.stats.dropped)

    @property
    def spool_depth(self) -> int:
        return self.spool.depth + self._queue.qsize()

    def close(self, timeout: float = 10.0) -> None:
        """Send or spool everything queued, wait up to `timeout` for Kafka, spool the rest; then stop."""
        self._close_timeout = timeout
        self._closing.set()
        self._thread.join()

    # ---- librdkafka callbacks (run on the sink thread, inside poll/flush) ----
    def _on_error(self, err: KafkaError) -> None:
        if err.code() == KafkaError._ALL_BROKERS_DOWN:
            self._brokers_down = True
        if err.fatal():
            self._fatal = True
            log.error("kafka: %s", err.str())
        else:
            log.debug("kafka: %s", err.str())

    def _direct_report(self, seq: int):
        def report(err: KafkaError | None, msg) -> None:
            _, key, value = self._direct.pop(seq)
            if err is None:
                self.stats.delivered += 1
                self.stats.confirmed(msg.partition(), msg.offset())
                self._brokers_down = False   # reports arrive in order: a success after the error means up
            else:
                self._failed_direct.append((seq, key, value))
        return _guarded(report)

    def _drain_report(self, seq: int):
        def report(err: KafkaError | None, msg) -> None:
            if self._drain is not None and seq in self._drain:
                self._drain[seq] = err is None
                if err is None:
                    self._brokers_down = False
                    self.stats.confirmed(msg.partition(), msg.offset())
        return _guarded(report)

    # ---- the sink thread ----
    def _run(self) -> None:
        try:
            while not (self._closing.is_set() and self._queue.empty()):
                self._step(block=0.05)
            self._shutdown(getattr(self, "_close_timeout", 10.0))
        except Exception:  # noqa: BLE001 - keep the reason; records stay in the spool or queue
            log.exception("kafka sink thread failed")
        finally:
            self.stats.spool_depth = self.spool.depth
            self.spool.close()
            self._producer = None   # destroy the librdkafka handle now, not whenever the sink is collected

    def _take(self, block: float) -> list[tuple[int, bytes, bytes]]:
        out = []
        try:
            out.append(self._queue.get(timeout=block))
            while len(out) < 5000:
                out.append(self._queue.get_nowait())
        except queue.Empty:
            pass
        recs = [(self._next_seq + i, k, v) for i, (k, v) in enumerate(out)]
        self._next_seq += len(recs)
        return recs

    def _step(self, block: float) -> None:
        batch = self._take(block)
        if batch:
            if not self._spooling:
                for i, (seq, key, value) in enumerate(batch):
                    try:
                        self._producer.produce(self.topic, value, key, on_delivery=self._direct_report(seq))
                    except BufferError:   # librdkafka's queue is full: Kafka is not keeping up
                        self._start_spooling("producer queue full")
                        self._to_spool(batch[i:])
                        break
                    except KafkaException as exc:
                        self._start_spooling(str(exc))
                        self._to_spool(batch[i:])
                        break
                    self._direct[seq] = (time.monotonic(), key, value)
            else:
                self._to_spool(batch)
        self._producer.poll(0)
        if self._fatal:
            self._replace_producer()
        if not self._spooling:
            if self._failed_direct:
                self._start_spooling("delivery failed")
            elif self._brokers_down:
                self._start_spooling("all brokers down")
            elif self._direct and time.monotonic() - next(iter(self._direct.values()))[0] > self.stall_s:
                # (dicts keep insertion order: the first pending send is the oldest)
                self._start_spooling(f"no delivery report for {self.stall_s:.0f}s")
        if self._spooling and not self._direct:
            if self._failed_direct:   # they precede everything spooled since: file order keeps seq order
                self._to_spool(sorted(self._failed_direct))
                self._failed_direct.clear()
            self._drain_step()
        self.stats.spool_depth = self.spool.depth

    def _start_spooling(self, why: str) -> None:
        if not self._spooling:
            log.warning("kafka unreachable (%s): spooling events to %s", why, self.spool.root)
            self._spooling = True
            self.stats.mode = "spool"

    def _to_spool(self, recs: list[tuple[int, bytes, bytes]]) -> None:
        kept = self.spool.append(recs)
        self.stats.spooled += kept
        if kept < len(recs):
            self.stats.dropped += len(recs) - kept
            log.error("spool full (%d bytes): %d events dropped", self.spool.max_bytes, len(recs) - kept)

    def _drain_step(self) -> None:
        now = time.monotonic()
        if self._drain is None:
            if now < self._next_drain:
                return
            recs: list[SpoolRecord] = self.spool.read(self.window)
            if not recs:
                # an empty spool alone proves nothing: leave only once Kafka confirmed a delivery again
                if self.spool.depth == 0 and not self._brokers_down:
                    log.info("kafka reachable again: spool drained")
                    self._spooling = False
                    self._brokers_down = False
                    self.stats.mode = "direct"
                else:
                    self.spool.rewind()
                return
            self._drain = {}
            for rec in recs:
                try:
                    self._producer.produce(self.topic, rec.value, rec.key, on_delivery=self._drain_report(rec.seq))
                except (BufferError, KafkaException):
                    break
                self._drain[rec.seq] = None
            return
        if any(ok is None for ok in self._drain.values()):
            return
        done = {seq for seq, ok in self._drain.items() if ok}
        self.spool.ack(done)
        self.stats.delivered += len(done)
        self.stats.drained += len(done)
        if len(done) < len(self._drain) or not self._drain:
            self.spool.rewind()
            self._drain_backoff = min(max(self._drain_backoff * 2, 0.5), 5.0)
            self._next_drain = now + self._drain_backoff
        else:
            self._drain_backoff = 0.0
        self._drain = None

    def _replace_producer(self) -> None:
        log.error("kafka producer hit a fatal error: recreating it")
        old = self._producer
        old.purge(in_queue=True, in_flight=True)
        old.poll(0)
        old.flush(0)
        self._fatal = False
        self._producer = Producer(self._config)

    def _shutdown(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            self._producer.poll(0.05)
            if not self._direct and self._failed_direct:
                self._start_spooling("delivery failed")
                self._to_spool(sorted(self._failed_direct))
                self._failed_direct.clear()
            if not self._direct and (not self._spooling or self.spool.depth == 0):
                break
            if self._spooling and not self._direct:
                # give a spool drain a chance, but do not wait out a broker that keeps failing
                if self._drain is None and self._drain_backoff > 0:
                    break
                self._drain_step()
        # whatever Kafka has not confirmed by now: purge (delivery reports fire with an error) and spool
        self._producer.purge(in_queue=True, in_flight=True)
        self._producer.poll(0)
        self._producer.flush(1.0)
        if self._failed_direct:
            self._spooling = True
            self._to_spool(sorted(self._failed_direct))
            self._failed_direct.clear()
        if self._drain is not None:
            self.spool.ack({seq for seq, ok in self._drain.items() if ok})
            self._drain = None
