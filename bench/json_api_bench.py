"""CPU per request of ordinary JSON API traffic (benign 1 KB order documents), optionally beside another tree.

Usage: .venv/bin/python bench/json_api_bench.py [--requests 2000] [--baseline-tree DIR] [--pairs 3]
Each run inspects the same 2,000 generated requests five times with one Engine and prints the median of the five
per-run medians (µs, `time.thread_time_ns` around `Engine.inspect`). With --baseline-tree the same measurement runs
in that checkout (its own compiled build, see infra/compile.py) alternately with this one, and the ratio per pair is
printed: this machine is noisy, so only ratios from the same run mean anything.
"""
from __future__ import annotations

import argparse
import gc
import json
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
_WORDS = ("order customer shipping address city street zip country note status pending paid items sku quantity "
          "price currency description gift wrap express").split()


def _doc(i: int, rnd: random.Random) -> dict:
    """An e-commerce order as a shop's API receives it: nested objects, an array of items, free text."""
    return {"id": i, "customer": {"name": f"Jane Doe {i}", "email": f"jane{i}@example.com", "phone": "+1 555 0100",
                                  "address": {"street": f"{i} Main St", "city": "Springfield", "zip": "12345",
                                              "country": "US"}},
            "items": [{"sku": f"SKU-{i}-{k}", "quantity": k + 1, "price": round(9.99 * (k + 1), 2),
                       "description": " ".join(rnd.sample(_WORDS, 6))} for k in range(6)],
            "note": " ".join(rnd.sample(_WORDS, 10)), "currency": "USD", "gift": False, "tags": ["web", "mobile"]}


def measure(n: int) -> tuple[float, str, int]:
    """(median of 5 per-run medians in µs, the build that ran, body bytes of the first request) in this process."""
    sys.path.insert(0, str(ROOT))
    import sensor
    from sensor.detect import Engine
    from sensor.detect.rawrequest import RawRequest
    rnd = random.Random(7)
    reqs = [RawRequest(method="POST", target="/api/orders", version="1.1", host="shop.example",
                       headers=[("Host", "shop.example"), ("Content-Type", "application/json"),
                                ("User-Agent", "Mozilla/5.0")],
                       body=json.dumps(_doc(i, rnd)).encode()) for i in range(n)]
    engine = Engine()
    gc.collect()
    gc.freeze()  # as bench/detect_bench.py: the held requests stay out of the collector's timed scans
    medians = []
    for _ in range(5):
        times = []
        for r in reqs:
            t0 = time.thread_time_ns()
            engine.inspect(r)
            times.append(time.thread_time_ns() - t0)
        medians.append(statistics.median(times) / 1000)
    return statistics.median(medians), sensor.NATIVE, len(reqs[0].body)


def _run_in(tree: Path, n: int) -> dict:
    out = subprocess.run([sys.executable, str(Path(__file__).resolve()), "--requests", str(n), "--json", "--root",
                          str(tree)], capture_output=True, text=True, check=True, cwd=tree)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> int:
    global ROOT
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--requests", type=int, default=2000)
    ap.add_argument("--baseline-tree", type=Path, help="another checkout to measure alternately with this one")
    ap.add_argument("--pairs", type=int, default=3)
    ap.add_argument("--json", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--root", type=Path, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.root:
        ROOT = args.root.resolve()
    if args.json:
        med, build, size = measure(args.requests)
        print(json.dumps({"median_us": med, "build": build, "body_bytes": size}))
        return 0
    if not args.baseline_tree:
        med, build, size = measure(args.requests)
        print(f"JSON API requests ({size}-byte body), build {build}: median {med:.1f} µs per request")
        return 0
    ratios = []
    for k in range(args.pairs):
        order = [ROOT, args.baseline_tree] if k % 2 == 0 else [args.baseline_tree, ROOT]
        got = {tree: _run_in(tree, args.requests) for tree in order}
        new, base = got[ROOT], got[args.baseline_tree]
        ratios.append(new["median_us"] / base["median_us"])
        print(f"pair {k + 1}: this tree {new['median_us']:.1f} µs ({new['build']}), baseline {base['median_us']:.1f} µs "
              f"({base['build']}), ratio {ratios[-1]:.3f}")
    print(f"median ratio {statistics.median(ratios):.3f} over {len(ratios)} pairs")
    return 0


if __name__ == "__main__":
    sys.exit(main())
