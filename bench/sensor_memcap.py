"""Benchmark: RSS and memcap accounting while 300 uploads of 256 KiB are in flight at once (HTTP bytes vs memcap)."""
from __future__ import annotations

import argparse
import os
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--tree", default=ROOT, help="source tree to measure (e.g. a copy of the code before a change)")
    ap.add_argument("--flows", type=int, default=300)
    ap.add_argument("--body-kib", type=int, default=256)
    ap.add_argument("--memcap-mib", type=int, default=8)
    args = ap.parse_args()
    sys.path[:0] = [args.tree, os.path.join(ROOT, "tests", "sensor")]
    from sensor.config import SensorConfig
    from sensor.pipeline import Pipeline
    from test_memcap import _rss_kib, _upload_flood   # the same traffic as the test: frames made on the fly

    cfg = SensorConfig(memcap=args.memcap_mib << 20, event_body_limit=0)
    pipe = Pipeline(cfg)
    rss0 = _rss_kib()
    peak_rss = peak_used = events = 0
    cpu0 = time.process_time()
    for n, (ts, frame) in enumerate(_upload_flood(args.flows, args.body_kib << 10)):
        events += len(pipe.feed(ts, frame, 1))
        peak_used = max(peak_used, pipe.flows.mem_used)
        if not n & 0x3FF:
            peak_rss = max(peak_rss, _rss_kib())
    events += len(pipe.flush())
    st = pipe.stats
    print(f"| {args.tree} | {events} | {args.memcap_mib} MiB | {peak_used / 2**20:.1f} MiB | "
          f"{(peak_rss - rss0) / 1024:.1f} MiB | {getattr(st, 'memcap_truncations', '-')} | {st.flows_evicted} | "
          f"{time.process_time() - cpu0:.2f} s |")


if __name__ == "__main__":
    sys.exit(main())
