"""Replaying capture files through the pipeline, in one process or sharded across worker processes."""
from __future__ import annotations

import heapq
import json
import multiprocessing
import os
import sys
import tempfile
import time
from dataclasses import dataclass, field
from typing import Callable, Optional, Sequence

from core.events import decode_event
from sensor.config import SensorConfig
from sensor.pcap import Capture, CaptureError
from sensor.pipeline import REPLICATED_STATS, Detector, Pipeline
from sensor.sinks import Sink

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
            f"bytes_evicted={s['bytes_evicted']}", f"truncated_files={len(self.truncated_files)}",
            f"workers={self.workers}", f"elapsed={self.elapsed:.3f}s", f"cpu={self.cpu:.3f}s",
            f"pkt/s={s['packets'] / el:.0f}", f"txn/s={s['transactions'] / el:.0f}",
        ]
        return "replay: " + " ".join(parts)


def _emit_all(sinks: Sequence[Sink], events) -> None:
    for ev in events:
        for sink in sinks:
            sink.emit(ev)


def _progress(stats, start: float) -> None:
    el = time.perf_counter() - start
    sys.stderr.write(f"\rreplay: {stats.packets} packets, {stats.transactions} transactions, "
                     f"{stats.packets / max(el, 1e-9):.0f} pkt/s ")
    sys.stderr.flush()


def replay_files(files: Sequence[str], config: SensorConfig, sinks: Sequence[Sink], workers: int = 1,
                 detector: Optional[Detector] = None, progress: bool = False) -> ReplaySummary:
    """Run every frame of `files` (in order, as one capture) through the pipeline and emit the events."""
    for path in files:   # fail early, before any worker starts, on an unreadable file
        Capture(path).close()
    start = time.perf_counter()
    cpu0 = time.process_time()
    if workers <= 1:
        pipe = Pipeline(config, detector)
        truncated = []
        next_progress = start + 1.0
        n = 0
        for path in files:
            with Capture(path) as cap:
                lt = cap.linktype
                feed = pipe.feed_keyed
                for ts, frame in cap:
                    out = feed(ts, frame, lt)
                    if out:
                        _emit_all(sinks, (e for _, e in out))
                    if progress:
                        n += 1
                        if not n & 0x3FF and time.perf_counter() >= next_progress:
                            next_progress += 1.0
                            _progress(pipe.stats, start)
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


def _worker(index: int, count: int, files: Sequence[str], config: SensorConfig, detector: Optional[Detector],
            out_path: str, stats_path: str) -> None:
    from core.events import encode_event

    cpu0 = time.process_time()
    pipe = Pipeline(config, detector, shard=(index, count))
    truncated = []
    with open(out_path, "wb", buffering=1 << 20) as out:
        put = out.write

        def write(keyed) -> None:
            for (a, b, c), ev in keyed:
                put(b"%012x%012x%08x " % (a, b, c))
                put(encode_event(ev))
                put(b"\n")
        for path in files:
            with Capture(path) as cap:
                lt = cap.linktype
                feed = pipe.feed_keyed
                for ts, frame in cap:
                    keyed = feed(ts, frame, lt)
                    if keyed:
                        write(keyed)
                if cap.truncated:
                    truncated.append(path)
        write(pipe.flush_keyed())
    with open(stats_path, "w") as fh:
        json.dump({"stats": pipe.stats.as_dict(), "truncated": truncated, "cpu": time.process_time() - cpu0}, fh)


def _replay_sharded(files: Sequence[str], config: SensorConfig, sinks: Sequence[Sink], workers: int,
                    detector: Optional[Detector], start: float) -> ReplaySummary:
    # every worker reads the files and keeps the flows hashing to it (the replay twin of PACKET_FANOUT_HASH);
    # outputs are merged on (completing packet, flow, n-th) so the order equals a single-process run
    ctx = multiprocessing.get_context("fork")
    with tempfile.TemporaryDirectory(prefix="rampart-replay-") as tmp:
        procs = []
        for i in range(workers):
            out_path = os.path.join(tmp, f"events-{i}.jsonl")
            stats_path = os.path.join(tmp, f"stats-{i}.json")
            p = ctx.Process(target=_worker, args=(i, workers, files, config, detector, out_path, stats_path),
                            name=f"rampart-replay-{i}")
            p.start()
            procs.append((p, out_path, stats_path))
        failed = []
        for p, _, _ in procs:
            p.join()
            if p.exitcode != 0:
                failed.append(f"{p.name} exit {p.exitcode}")
        if failed:
            raise CaptureError("replay worker failed: " + ", ".join(failed))
        totals: dict[str, int] = {}
        truncated: list[str] = []
        cpu = 0.0
        for _, _, stats_path in procs:
            with open(stats_path) as fh:
                data = json.load(fh)
            for k, v in data["stats"].items():
                totals[k] = max(totals.get(k, 0), v) if k in REPLICATED_STATS else totals.get(k, 0) + v
            truncated = truncated or data["truncated"]
            cpu += data["cpu"]
        handles = [open(out_path, "rb") for _, out_path, _ in procs]
        try:
            raw = [s for s in sinks if hasattr(s, "emit_encoded")]
            typed = [s for s in sinks if not hasattr(s, "emit_encoded")]
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
