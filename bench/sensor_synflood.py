"""Benchmark: memory of the sensor pipeline under a SYN flood (1,000,000 half-open flows) against its memcap."""
from __future__ import annotations

import argparse
import gc
import json
import os
import struct
import subprocess
import sys
import time
import tracemalloc

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

from sensor.config import SensorConfig  # noqa: E402
from sensor.pipeline import Pipeline  # noqa: E402

_ETH = b"\x02\x00\x00\x00\x00\x02\x02\x00\x00\x00\x00\x01\x08\x00"
_IP = struct.Struct("!BBHHHBBH4s4s")
_TCP = struct.Struct("!HHIIBBHHH")
_OPTS = b"\x02\x04\x05\xb4\x04\x02\x08\x0a\x00\x00\x00\x01\x00\x00\x00\x00\x01\x03\x03\x07"   # MSS, SACK, TS, WS


def syn_frames(n: int, start_ts: float = 1_700_000_000.0, rate: float = 100_000.0):
    """`n` SYNs from distinct spoofed sources (10.x.y.z : port) to one web server, `rate` per second of capture
    time; frames are built on the fly so the generator holds no memory of its own."""
    dst = bytes((198, 18, 0, 80))
    ihl_total = 20 + 20 + len(_OPTS)
    for i in range(n):
        src = bytes((10, (i >> 16) & 255, (i >> 8) & 255, i & 255))
        sport = 1024 + (i * 7919) % 60000
        ip = _IP.pack(0x45, 0, ihl_total, i & 0xFFFF, 0x4000, 64, 6, 0, src, dst)
        tcp = _TCP.pack(sport, 80, (i * 2654435761) & 0xFFFFFFFF, 0, (10 << 4), 0x02, 64240, 0, 0)
        yield start_ts + i / rate, _ETH + ip + tcp + _OPTS


def rss_kib() -> int:
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def hwm_kib() -> int:
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    return 0


def run(label: str, cfg: SensorConfig, n: int, trace: bool) -> dict:
    gc.collect()
    if trace:
        tracemalloc.start()
    rss0 = rss_kib()
    pipe = Pipeline(cfg)
    t0, c0 = time.perf_counter(), time.process_time()
    peak_flows = 0
    peak_rss = rss0
    feed = pipe.feed
    for i, (ts, frame) in enumerate(syn_frames(n)):
        feed(ts, frame, 1)
        if not i & 0xFFFF:
            peak_flows = max(peak_flows, len(pipe.flows.flows))
            peak_rss = max(peak_rss, rss_kib())
    peak_flows = max(peak_flows, len(pipe.flows.flows))
    peak_rss = max(peak_rss, rss_kib())
    cpu = time.process_time() - c0
    traced = tracemalloc.get_traced_memory()[1] if trace else 0
    if trace:
        tracemalloc.stop()
    st = pipe.stats
    res = {
        "label": label, "syns": n, "max_flows": cfg.max_flows, "memcap_mib": cfg.memcap / 2**20,
        "flows_tracked_peak": peak_flows, "flows_evicted": st.flows_evicted, "flows_timed_out": st.flows_timed_out,
        "mem_estimate_mib": pipe.flows.mem_used / 2**20,
        "rss_growth_mib": (peak_rss - rss0) / 1024, "tracemalloc_peak_mib": traced / 2**20,
        "bytes_per_flow_rss": (peak_rss - rss0) * 1024 / max(peak_flows, 1),
        "cpu_s": cpu, "syn_per_cpu_s": n / max(cpu, 1e-9), "wall_s": time.perf_counter() - t0,
    }
    del pipe
    gc.collect()
    return res


CONFIGS = [
    ("room for every flow: max_flows=1M, memcap=2GiB", dict(max_flows=1_000_000, memcap=2 << 30)),
    ("defaults: max_flows=262144, memcap=512MiB", dict()),
    ("tight memcap: 64MiB (max_flows default)", dict(memcap=64 << 20)),
]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--syns", type=int, default=1_000_000)
    ap.add_argument("--trace", action="store_true", help="also measure the tracemalloc peak (≈3x slower)")
    ap.add_argument("--config", type=int, default=None, help=argparse.SUPPRESS)   # child: run one config
    args = ap.parse_args()
    if args.config is not None:
        label, kw = CONFIGS[args.config]
        print(json.dumps(run(label, SensorConfig(**kw), args.syns, args.trace)))
        return
    # each config in a fresh process, so RSS growth is not hidden by memory a previous run freed
    rows = []
    for i in range(len(CONFIGS)):
        cmd = [sys.executable, os.path.abspath(__file__), "--syns", str(args.syns), "--config", str(i)]
        if args.trace:
            cmd.append("--trace")
        rows.append(json.loads(subprocess.run(cmd, capture_output=True, text=True, check=True).stdout))
    print("| config | SYNs | peak flows tracked | evicted | memcap | memcap estimate at end | peak RSS growth |"
          " tracemalloc peak | RSS bytes per flow | SYN per CPU-s |\n|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for r in rows:
        print(f"| {r['label']} | {r['syns']:,} | {r['flows_tracked_peak']:,} | {r['flows_evicted']:,} | "
              f"{r['memcap_mib']:.0f} MiB | {r['mem_estimate_mib']:.0f} MiB | {r['rss_growth_mib']:.0f} MiB | "
              + (f"{r['tracemalloc_peak_mib']:.0f} MiB" if args.trace else "-")
              + f" | {r['bytes_per_flow_rss']:.0f} | {r['syn_per_cpu_s']:,.0f} |", flush=True)


if __name__ == "__main__":
    sys.exit(main())
