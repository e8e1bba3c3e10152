"""Replaying capture files through the pipeline, in one process or sharded across worker processes."""
from __future__ import annotations

import gc
import heapq
import json
import multiprocessing
import os
import sys
import tempfile
import time
from array import array
from dataclasses import dataclass, field
from typing import Iterable, Iterator, Optional, Sequence

from core.events import decode_event
from sensor.config import SensorConfig
from sensor.pcap import Capture, CaptureError
from sensor.pipeline import REPLICATED_STATS, Detector, Pipeline
from sensor.sinks import JsonlSink, Sink

_KEY_LEN = 33   # "%012x%012x%08x " order-key prefix on worker output lines


@dataclass
class ReplaySummary:
    stats: dict[str, int]
    elapsed: float
    workers: int
    truncated_files: list[str] = field(default_factory=list)
    cpu: float = 0.0      # CPU seconds of all replay processes (excluding interpreter start-up)

    def line(self) -> str:
        s = self.stats
        el = max(self.elapsed, 1e-9)
        drops = s["flows_evicted"] + s["frag_dropped"] + s["unanswered_dropped"]
        parts = [
            f"packets={s['packets']}", f"bytes={s['bytes']}", f"flows={s['flows']}",
            f"transactions={s['transactions']}", f"without_response={s['requests_without_response']}",
            f"attacks={s['attacks']}", f"parse_errors={s['parse_errors']}", f"decode_errors={s['decode_errors']}",
            f"gaps={s['gaps']}", f"drops={drops}", f"flows_evicted={s['flows_evicted']}",
            f"bytes_evicted={s['bytes_evicted']}", f"memcap_truncations={s.get('memcap_truncations', 0)}",
            f"truncated_files={len(self.truncated_files)}",
            f"workers={self.workers}", f"elapsed={self.elapsed:.3f}s", f"cpu={self.cpu:.3f}s",
            f"pkt/s={s['packets'] / el:.0f}", f"txn/s={s['transactions'] / el:.0f}",
        ]
        return "replay: " + " ".join(parts)


def _emit_all(sinks: Sequence[Sink], events) -> None:
    for ev in events:
        for sink in sinks:
            sink.emit(ev)


class _Progress:
    """Passes frames through, writing a progress line to stderr about once a second (frames are counted here:
    the pipeline brings its own counters up to date only when it yields events)."""

    def __init__(self, stats, start: float) -> None:
        self.stats = stats
        self.start = start
        self.frames = 0
        self.next = start + 1.0

    def wrap(self, frames: Iterable[tuple[float, bytes]]) -> Iterator[tuple[float, bytes]]:
        for item in frames:
            yield item
            self.frames += 1
            if not self.frames & 0x3FF and time.perf_counter() >= self.next:
                self.next += 1.0
                el = time.perf_counter() - self.start
                sys.stderr.write(f"\rreplay: {self.frames} packets, {self.stats.transactions} transactions, "
                                 f"{self.frames / max(el, 1e-9):.0f} pkt/s ")
                sys.stderr.flush()


def replay_files(files: Sequence[str], config: SensorConfig, sinks: Sequence[Sink], workers: int = 1,
                 detector: Optional[Detector] = None, progress: bool = False) -> ReplaySummary:
    """Run every frame of `files` (in order, as one capture) through the pipeline and emit the events."""
    for path in files:   # fail early, before any worker starts, on an unreadable file
        Capture(path).close()
    # what exists now (modules, config, sinks) lives for the whole run: keep it out of the cyclic collector's
    # full passes, which otherwise re-walk every imported object while millions of packets allocate
    gc.freeze()
    # the pipeline allocates a few dozen containers per transaction and breaks its own reference cycles (see
    # HttpSession.close), so the young generation is collected far less often than the default 700 allocations
    thresholds = gc.get_threshold()
    gc.set_threshold(20_000, *thresholds[1:])
    try:
        return _replay(files, config, sinks, workers, detector, progress)
    finally:
        gc.set_threshold(*thresholds)
        gc.unfreeze()


def _replay(files: Sequence[str], config: SensorConfig, sinks: Sequence[Sink], workers: int,
            detector: Optional[Detector], progress: bool) -> ReplaySummary:
    start = time.perf_counter()
    cpu0 = time.process_time()
    if workers <= 1:
        pipe = Pipeline(config, detector)
        emits = [s.emit for s in sinks]
        truncated = []
        shown = _Progress(pipe.stats, start) if progress else None
        for path in files:
            with Capture(path) as cap:
                frames = shown.wrap(cap) if shown is not None else cap
                for out in pipe.feed_frames(frames, cap.linktype):
                    for _, ev in out:
                        for emit in emits:
                            emit(ev)
                if cap.truncated:
                    truncated.append(path)
        _emit_all(sinks, pipe.flush())
        if progress:
            sys.stderr.write("\n")
        return ReplaySummary(pipe.stats.as_dict(), time.perf_counter() - start, 1, truncated,
                             time.process_time() - cpu0)
    summary = _replay_sharded(files, config, sinks, workers, detector, start)
    summary.cpu += time.process_time() - cpu0
    return summary


_BATCH = 4096   # frames per message from the dispatcher to a worker


def _worker(index: int, count: int, conn, config: SensorConfig, detector: Optional[Detector], out_path: str,
            stats_path: str) -> None:
    from core.events import encode_event

    cpu0 = time.process_time()
    pipe = Pipeline(config, detector, shard=(index, count))
    with open(out_path, "wb", buffering=1 << 20) as out:
        put = out.write

        def write(keyed) -> None:
            for (a, b, c), ev in keyed:
                put(b"%012x%012x%08x " % (a, b, c))
                put(encode_event(ev))
                put(b"\n")
        feed = pipe.feed_dispatched
        while True:
            batch = conn.recv()
            if batch[0] is None:          # end of input: (None, frames in the capture, last timestamp)
                pipe.packet_index, pipe.last_ts = batch[1], batch[2]
                break
            lt, idxs, tss, frames, sweeps = batch
            sweeps = frozenset(sweeps)
            for idx, ts, frame in zip(idxs, tss, frames):
                keyed = feed(idx, ts, frame, lt, idx in sweeps)
                if keyed:
                    write(keyed)
        conn.close()
        write(pipe.flush_keyed())
    with open(stats_path, "w") as fh:
        json.dump({"stats": pipe.stats.as_dict(), "cpu": time.process_time() - cpu0}, fh)


class _Batch:
    """Frames for one worker, as columns (pickling three flat containers is far cheaper than a tuple per frame)."""

    __slots__ = ("idxs", "tss", "frames", "sweeps")

    def __init__(self) -> None:
        self.idxs = array("q")
        self.tss = array("d")
        self.frames: list[Optional[bytes]] = []
        self.sweeps: list[int] = []

    def add(self, idx: int, ts: float, frame: Optional[bytes], sweep: bool) -> int:
        self.idxs.append(idx)
        self.tss.append(ts)
        self.frames.append(frame)
        if sweep:
            self.sweeps.append(idx)
        return len(self.frames)


def _dispatch(files: Sequence[str], conns: list, workers: int) -> tuple[list[str], int, float]:
    """Read the capture once and send each worker its flows' frames (by the symmetric hash of `shard.py`);
    frames whose shard needs a full decode (fragments, IPv6, VLAN...) go to every worker, which keeps its own.
    The parent also decides the timeout sweeps, so that every worker sweeps exactly where one pipeline would."""
    from sensor.shard import frame_shard

    batches = [_Batch() for _ in range(workers)]
    truncated: list[str] = []
    idx = 0
    ts = 0.0
    next_sweep: Optional[float] = None

    def send(w: int, lt: int) -> None:
        b = batches[w]
        conns[w].send((lt, b.idxs, b.tss, b.frames, b.sweeps))
        batches[w] = _Batch()
    for path in files:
        with Capture(path) as cap:
            lt = cap.linktype
            for ts, frame in cap:
                idx += 1
                sweep = False
                if next_sweep is None:
                    next_sweep = ts + 1.0
                elif ts >= next_sweep:
                    next_sweep = ts + 1.0
                    sweep = True
                w = frame_shard(frame, lt, workers)
                if w >= 0:
                    if batches[w].add(idx, ts, frame, sweep) >= _BATCH:
                        send(w, lt)
                    if sweep:   # the others only need to know that the clock crossed a sweep here
                        for o in range(workers):
                            if o != w:
                                batches[o].add(idx, ts, None, True)
                else:
                    for o in range(workers):
                        if batches[o].add(idx, ts, frame, sweep) >= _BATCH:
                            send(o, lt)
            if cap.truncated:
                truncated.append(path)
        for w in range(workers):   # batches never mix link types
            if batches[w].frames:
                send(w, lt)
    for w in range(workers):
        conns[w].send((None, idx, ts))
    return truncated, idx, ts


def _replay_sharded(files: Sequence[str], config: SensorConfig, sinks: Sequence[Sink], workers: int,
                    detector: Optional[Detector], start: float) -> ReplaySummary:
    # the parent reads the files once and dispatches frames by symmetric flow hash (the replay twin of
    # PACKET_FANOUT_HASH) in batches over pipes; worker outputs are merged on (completing packet, flow, n-th),
    # so the order equals a single-process run
    ctx = multiprocessing.get_context("fork")
    with tempfile.TemporaryDirectory(prefix="rampart-replay-") as tmp:
        procs = []
        conns = []
        for i in range(workers):
            out_path = os.path.join(tmp, f"events-{i}.jsonl")
            stats_path = os.path.join(tmp, f"stats-{i}.json")
            reader, writer = ctx.Pipe(duplex=False)
            p = ctx.Process(target=_worker, args=(i, workers, reader, config, detector, out_path, stats_path),
                            name=f"rampart-replay-{i}")
            p.start()
            reader.close()   # only the worker reads: a dead worker then fails our send instead of blocking it
            procs.append((p, out_path, stats_path))
            conns.append(writer)
        failed = []
        try:
            truncated, _, _ = _dispatch(files, conns, workers)
        except (BrokenPipeError, ConnectionResetError):
            truncated = []
            failed.append("a worker stopped reading")
        finally:
            for c in conns:
                c.close()
        for p, _, _ in procs:
            p.join()
            if p.exitcode != 0:
                failed.append(f"{p.name} exit {p.exitcode}")
        if failed:
            raise CaptureError("replay worker failed: " + ", ".join(failed))
        totals: dict[str, int] = {}
        cpu = 0.0
        for _, _, stats_path in procs:
            with open(stats_path) as fh:
                data = json.load(fh)
            for k, v in data["stats"].items():
                totals[k] = max(totals.get(k, 0), v) if k in REPLICATED_STATS else totals.get(k, 0) + v
            cpu += data["cpu"]
        handles = [open(out_path, "rb") for _, out_path, _ in procs]
        try:
            # JSON Lines sinks take the workers' encoded lines as they are; the others (Kafka needs the event's
            # key) get the decoded event
            raw = [s for s in sinks if isinstance(s, JsonlSink)]
            typed = [s for s in sinks if not isinstance(s, JsonlSink)]
            for line in heapq.merge(*handles):
                payload = memoryview(line)[_KEY_LEN:]   # the event line with its newline, not copied
                for s in raw:
                    s.emit_encoded(payload, terminated=True)
                if typed:
                    ev = decode_event(payload[:-1])
                    for s in typed:
                        s.emit(ev)
        finally:
            for h in handles:
                h.close()
    return ReplaySummary(totals, time.perf_counter() - start, workers, truncated, cpu)
