"""The live sensor: capture workers (PACKET_FANOUT) each running a Pipeline, events to sinks, clean SIGTERM."""
from __future__ import annotations

import ctypes
import dataclasses
import logging
import multiprocessing as mp
import os
import queue
import signal
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Optional

from core.events import TransactionEvent, encode_event, kafka_key
from sensor.capture import CaptureError, LiveCapture, default_fanout_group
from sensor.config import SensorConfig
from sensor.metrics import SensorMetrics
from sensor.sinks import JsonlSink

log = logging.getLogger(__name__)

STATS_EVERY = 1.0          # seconds between worker stats reports
_PR_SET_PDEATHSIG = 1      # linux/prctl.h
IDLE_TICK = 0.2            # capture poll timeout: idle workers still expire flows this often


@dataclass
class LiveOptions:
    """Everything a capture worker needs (picklable: handed to worker processes)."""

    iface: str
    bpf: Optional[str] = None
    workers: int = 1
    config: SensorConfig = field(default_factory=SensorConfig)
    mode: str = "monitoring"
    inject_iface: Optional[str] = None
    lists_path: Optional[str] = None
    rules_path: Optional[str] = None   # sensor/rules.py YAML: vpatches, disabled detectors, mode overrides
    denylist_kafka: Optional[str] = None   # bootstrap of the cluster carrying rampart.denylist.v1
    early_detection: bool = True
    rsts_per_side: int = 3
    detect: bool = True
    ring: Optional[bool] = None   # TPACKET_V3 ring; None = ring unless the mode may block (latency first)
    nice: Optional[int] = -15     # capture workers' nice value in the blocking modes (None = leave as is)

    @property
    def use_ring(self) -> bool:
        return self.ring if self.ring is not None else self.mode not in ("block", "safe_blocking")
    fanout_group: int = 0


def _stats_dict(obj) -> dict:
    """Numbers of a stats object (dataclass, slots or plain attributes) as a flat dict."""
    if obj is None:
        return {}
    if dataclasses.is_dataclass(obj):
        raw = dataclasses.asdict(obj)
    elif hasattr(obj, "__dict__"):
        raw = dict(vars(obj))
    else:
        raw = {k: getattr(obj, k) for k in getattr(obj, "__slots__", ()) if hasattr(obj, k)}
    return {k: v for k, v in raw.items() if isinstance(v, (int, float)) and not isinstance(v, bool)}


class EventCounter:
    """Per-worker tallies taken from the emitted events (transactions, attacks, hits by type)."""

    def __init__(self) -> None:
        self.transactions = 0
        self.attacks = 0
        self.hits: dict[str, int] = {}

    def add(self, ev: TransactionEvent) -> None:
        self.transactions += 1
        if ev.verdict == "attack":
            self.attacks += 1
        for hit in ev.hits:
            self.hits[hit.type] = self.hits.get(hit.type, 0) + 1


def build_worker(opts: LiveOptions, worker_id: int):
    """(pipeline, blocker or None) for one worker; the blocker owns RST injection and the IP lists."""
    from sensor.pipeline import Pipeline

    engine = None
    if opts.detect and opts.mode != "off":
        from sensor.detect.engine import Engine
        from sensor.http import RequestView
        from sensor.rules import load_rules
        engine = Engine(rules=load_rules(opts.rules_path) if opts.rules_path else None, limits=opts.config.detect_limits,
                        packs=opts.config.vpatch_packs, pack_dir=opts.config.vpatch_dir)
        # the first scan allocates scratch and warms caches (~30 ms): not on the first attack's clock
        warm = RequestView(method="GET", target="/?q=1%27%20or%201=1--", version="1.1", headers=[("Host", "x")],
                           body=b"", raw_body_len=0, host="x", client_ip="198.18.0.1", client_port=1,
                           server_ip="198.18.0.2", server_port=80)
        engine.inspect_headers(warm)
        engine(warm)
    blocker = None
    if opts.mode != "off":
        from sensor.blocking import Blocker
        blocker = Blocker.from_options(opts, engine)
    if blocker is None:
        return Pipeline(opts.config, detector=engine), None
    pipeline = Pipeline(opts.config, detector=blocker.detect, hooks=blocker.hooks)
    blocker.attach(pipeline)
    return pipeline, blocker


def _die_with_parent() -> None:
    """Have the kernel kill this worker when the sensor process dies, even by SIGKILL: an orphan worker would capture
    on with nowhere to send its events (and spun on a deleted interface: tests, stop 34)."""
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) != 0:
        log.warning("prctl(PR_SET_PDEATHSIG): %s", os.strerror(ctypes.get_errno()))
    parent = mp.parent_process()
    if parent is not None and os.getppid() != parent.pid:   # it died before the prctl
        os._exit(1)


def worker_main(opts: LiveOptions, worker_id: int, out, stop, reloads=None) -> None:
    """One capture process: its own AF_PACKET socket in the fanout group, its own pipeline.
    `reloads` is a shared counter the parent bumps on SIGHUP: a new value means re-read the rules and lists."""
    _die_with_parent()
    signal.signal(signal.SIGINT, signal.SIG_IGN)    # the parent coordinates shutdown through `stop`
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    signal.signal(signal.SIGHUP, signal.SIG_IGN)    # ... and reloads through `reloads` (a group HUP must not kill)
    if opts.mode in ("block", "safe_blocking") and opts.nice is not None:
        # a reset is a race against the server: do not queue behind the host's other work for the CPU
        try:
            os.setpriority(os.PRIO_PROCESS, 0, opts.nice)
        except OSError:
            log.warning("could not raise the capture worker's priority (nice %d)", opts.nice)
    try:
        capture = LiveCapture(opts.iface, bpf=opts.bpf, ring=opts.use_ring,
                              fanout_group=opts.fanout_group if opts.workers > 1 else None)
        pipeline, blocker = build_worker(opts, worker_id)
    except Exception as exc:  # noqa: BLE001 - the parent prints the one-line reason and exits 1
        out.put(("error", worker_id, f"{type(exc).__name__}: {exc}" if not isinstance(exc, CaptureError)
                 else str(exc)))
        return
    counter = EventCounter()
    seen_reload = reloads.value if reloads is not None else 0
    out.put(("ready", worker_id, None))
    next_stats = time.monotonic() + STATS_EVERY

    def ship(events: list[TransactionEvent]) -> None:
        if events:
            for ev in events:
                counter.add(ev)
            out.put(("events", worker_id, [(kafka_key(ev), encode_event(ev)) for ev in events]))

    def report() -> None:
        capture.read_kernel_stats()
        stats = _stats_dict(pipeline.stats)
        stats.update(active_flows=len(pipeline.flows.flows), mem_used=pipeline.flows.mem_used,
                     memcap=pipeline.config.memcap, packets=capture.stats.packets, bytes=capture.stats.bytes,
                     kernel_drops=capture.stats.kernel_drops, transactions=counter.transactions,
                     attacks=counter.attacks, hits=dict(counter.hits))
        if blocker is not None:
            stats.update(blocker.counters())
        out.put(("stats", worker_id, stats))

    linktype = capture.linktype

    def process(batch: list[tuple[float, bytes]]) -> None:
        events: list[TransactionEvent] = []
        if blocker is None:
            for ts, frame in batch:
                events.extend(pipeline.feed(ts, frame, linktype))
        else:
            for ts, frame in batch:
                events.extend(pipeline.feed(ts, frame, linktype))
                blocker.packet_seen(ts)
        ship(events)

    try:
        for batch in capture.batches(timeout=IDLE_TICK):
            process(batch)
            if reloads is not None and reloads.value != seen_reload and blocker is not None:
                seen_reload = reloads.value
                blocker.request_reload()
                blocker.idle()
            if not batch:   # quiet link: timeouts and list reloads still apply
                ship(pipeline.expire(time.time()))
                if blocker is not None:
                    blocker.idle()
            now = time.monotonic()
            if now >= next_stats:
                report()
                next_stats = now + STATS_EVERY
            if stop.is_set():
                break
        for batch in capture.batches(timeout=0.05):   # what the kernel queued before the stop
            if not batch:
                break
            process(batch)
        ship(list(pipeline.flush(time.time())))
        report()
    except Exception as exc:  # noqa: BLE001
        log.exception("capture worker %d failed", worker_id)
        out.put(("error", worker_id, f"worker {worker_id}: {type(exc).__name__}: {exc}"))
        return
    finally:
        capture.close()
        if blocker is not None:
            blocker.close()
    out.put(("done", worker_id, None))


def run_live(opts: LiveOptions, events_path: Optional[str], kafka_bootstrap: Optional[str],
             spool_dir: Optional[Path], metrics_port: Optional[int], kafka_topic: Optional[str] = None,
             progress: Callable[[str], None] | None = None, metrics: Optional[SensorMetrics] = None,
             on_reload: Callable[[], None] | None = None) -> dict:
    """Run until SIGTERM/SIGINT; returns the summary totals. Raises RuntimeError with a reason on failure.
    `metrics` (made here when None) collects the workers' stats: a caller passing its own reads them in-process
    (`snapshot()`, as the node report does) without scraping the /metrics page. SIGHUP makes every worker re-read
    its rules and IP-list files between two batches (no capture pause) and calls `on_reload` (node sync: now)."""
    opts.fanout_group = opts.fanout_group or default_fanout_group()
    ctx = mp.get_context("fork")
    out = ctx.Queue(maxsize=10_000)
    stop = ctx.Event()
    reloads = ctx.RawValue("l", 0)   # written by the parent only; workers compare it with the last value seen
    procs = [ctx.Process(target=worker_main, args=(opts, i, out, stop, reloads), name=f"capture-{i}", daemon=True)
             for i in range(opts.workers)]

    def on_signal(_sig, _frame) -> None:
        stop.set()   # workers flush their flows, report "done", and the loop below ends

    def on_hup(_sig, _frame) -> None:
        log.info("SIGHUP: reloading rules and IP lists")
        if on_reload is not None:
            on_reload()
        reloads.value += 1

    old = {s: signal.signal(s, on_signal) for s in (signal.SIGTERM, signal.SIGINT)}
    old[signal.SIGHUP] = signal.signal(signal.SIGHUP, on_hup)
    jsonl = kafka = None
    # up before the workers: /health answers at once and /ready says 503 until every worker captures
    metrics = metrics if metrics is not None else SensorMetrics()
    metrics.spool_depth = lambda: kafka.spool_depth if kafka else 0
    try:
        if metrics_port:
            metrics.serve(metrics_port)
    except OSError as exc:
        for s, h in old.items():
            signal.signal(s, h)
        raise RuntimeError(f"metrics port {metrics_port}: {exc.strerror or exc}") from exc
    for p in procs:
        p.start()

    def deliver(payload: list[tuple[bytes, bytes]]) -> None:
        for key, value in payload:
            if jsonl:
                jsonl.emit_encoded(value)
            if kafka:
                kafka.write_raw(key, value)

    ready = done = 0
    started = time.monotonic()
    error: Optional[str] = None
    try:
        jsonl = JsonlSink(events_path, flush_each=True) if events_path else None
        if kafka_bootstrap:
            from core import topics
            from sensor.kafka_sink import KafkaSink
            kafka = KafkaSink(kafka_bootstrap, spool_dir or Path(".rampart/spool/sensor"),
                              topic=kafka_topic or topics.TRANSACTIONS)
        next_progress = time.monotonic() + 1.0
        while done < len(procs):
            try:
                kind, wid, payload = out.get(timeout=0.2)
            except queue.Empty:
                kind = None
            if kind == "events":
                deliver(payload)
            elif kind == "stats":
                metrics.update(wid, payload)
            elif kind == "ready":
                ready += 1
                if ready == len(procs):
                    metrics.ready = True
                    print(f"capturing on {opts.iface} ({len(procs)} worker{'s' * (len(procs) > 1)}, "
                          f"mode {opts.mode})", file=sys.stderr, flush=True)
            elif kind == "done":
                done += 1
                metrics.ready = False
            elif kind == "error":
                error = payload
                metrics.ready = False
                stop.set()
                break
            if stop.is_set():
                metrics.ready = False   # shutting down: workers flush and stop capturing
            if kind is None:
                dead = [p for p in procs if p.exitcode not in (None, 0)]
                if dead:
                    error = f"capture worker {dead[0].name} died (exit code {dead[0].exitcode})"
                    stop.set()
                    break
                if all(p.exitcode is not None for p in procs):
                    break
            if progress and time.monotonic() >= next_progress:
                progress(_progress_line(metrics.totals(), time.monotonic() - started))
                next_progress = time.monotonic() + 1.0
    finally:
        stop.set()
        metrics.ready = False
        # keep reading while workers wind down (a worker cannot exit with unread queue data)
        deadline = time.monotonic() + 30
        while any(p.is_alive() for p in procs) and time.monotonic() < deadline:
            try:
                kind, wid, payload = out.get(timeout=0.1)
            except (queue.Empty, OSError, ValueError):
                continue
            if kind == "events":
                deliver(payload)
            elif kind == "stats":
                metrics.update(wid, payload)
        for p in procs:
            p.join(1)
            if p.is_alive():
                p.kill()
        if kafka:
            kafka.close()
        if jsonl:
            jsonl.close()
        metrics.close()
        for s, h in old.items():
            signal.signal(s, h)
    if error:
        raise RuntimeError(error)
    totals = metrics.totals()
    totals["seconds"] = time.monotonic() - started
    if kafka:
        totals["kafka_delivered"] = kafka.stats.delivered
        totals["kafka_spooled"] = kafka.stats.spool_depth
        totals["kafka_offsets"] = kafka.stats.offsets_text()
    return totals


def _progress_line(t: dict, secs: float) -> str:
    return (f"{t.get('packets', 0):,} packets  {t.get('transactions', 0):,} transactions  "
            f"{t.get('attacks', 0):,} attacks  {t.get('kernel_drops', 0):,} drops  "
            f"{t.get('packets', 0) / max(secs, 1e-9):,.0f} pkt/s")


def summary(t: dict) -> str:
    """The end-of-run summary line (stderr)."""
    secs = t.get("seconds", 0.0)
    parts = [f"packets {t.get('packets', 0)}", f"flows {t.get('flows', 0)}",
             f"transactions {t.get('transactions', 0)}", f"attacks {t.get('attacks', 0)}",
             f"parse errors {t.get('parse_errors', 0) + t.get('decode_errors', 0)}",
             f"drops {t.get('kernel_drops', 0)}",
             f"{t.get('packets', 0) / max(secs, 1e-9):.0f} pkt/s over {secs:.1f}s"]
    for key in ("flows_evicted", "memcap_truncations", "resets_sent", "reset_races_lost", "denylist_refusals"):
        if t.get(key):
            parts.append(f"{key.replace('_', ' ')} {t[key]}")
    if "kafka_delivered" in t:
        parts.append(f"kafka delivered {t['kafka_delivered']} spooled {t['kafka_spooled']}"
                     + (f" (offsets {t['kafka_offsets']})" if t.get("kafka_offsets") else ""))
    return "sensor: " + ", ".join(parts)
