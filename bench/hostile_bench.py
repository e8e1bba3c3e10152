"""Hostile long values: the CPU one request costs when a form field repeats one or two characters for kilobytes.

Usage: .venv/bin/python bench/hostile_bench.py [--baseline-tree DIR] [--top N]
A value is a fill (one character, or two, of those that steer the analysers: quotes, brackets, dots, separators)
repeated to a size, followed by a tail that wakes an analyser (`....`, `'`, `(`, `*/`…), sent as `POST /` with
`x=<value>` form-encoded. Every (fill, tail) pair is measured at 2 KB; the slowest are measured again at 8 KB and
32 KB. CPU time grows linearly with the size for a linear detector (×4 from one size to the next); a growth of ×16
means the work is quadratic in the value, and a client can make one request cost seconds.
`--baseline-tree DIR` measures the same pairs with another checkout's engine, same run: one process per request,
stopped after 20 s (shown as `> 20000`).
"""
from __future__ import annotations

import argparse
import itertools
import json
import os
import subprocess
import sys
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CHARS = list("a1 (.)/\\'\"=<>-_:;,&%$#{}[]!?*+|@~\t\n`")
FILLS = CHARS + [a + b for a, b in itertools.combinations(CHARS, 2)]
TAILS = ["", "....", " ...", "'", "(", ")", ">", "*/", "--", "\n", "/..", "x=1", "${a}", "<a", "{a,b"]
SIZES = (2048, 8192, 32768)
# pairs that were super-linear once (stop 26), measured whatever the scan ranks first
KNOWN = [("\n", "--"), (" \n", "--"), ("a(", " ...."), ("a", "{a,b")]
BASELINE_TIMEOUT_S = 20.0


def _request(value: str):
    from sensor.detect.rawrequest import parse_raw

    body = b"x=" + urllib.parse.quote(value, safe="").encode()
    return parse_raw(b"POST / HTTP/1.1\r\nHost: shop.test\r\nContent-Type: application/x-www-form-urlencoded\r\n"
                     b"Content-Length: %d\r\n\r\n" % len(body) + body)


def _cpu_meter():
    """A function (fill, tail, size) -> CPU ms of one request, over one engine built here."""
    from sensor.detect import Engine

    engine = Engine()

    def cpu(fill: str, tail: str, size: int) -> float:
        req = _request(fill * (size // len(fill)) + tail)
        t0 = time.thread_time_ns()
        engine.inspect(req)
        return (time.thread_time_ns() - t0) / 1e6
    return cpu


def measure(top: int) -> dict:
    """CPU ms per request: every pair at 2 KB, then KNOWN and the `top` slowest others at every size."""
    cpu = _cpu_meter()
    first = sorted(((cpu(f, t, SIZES[0]), f, t) for f in FILLS for t in TAILS), reverse=True)
    pairs = KNOWN + [(f, t) for _, f, t in first if (f, t) not in KNOWN][:top]
    rows = [{"fill": f, "tail": t, "ms": [cpu(f, t, s) for s in SIZES]} for f, t in pairs]
    return {"rows": rows, "all_2k": [ms for ms, _, _ in first]}


def _baseline(tree: Path, fill: str, tail: str, size: int) -> float | None:
    """CPU ms of one request in another checkout (its own process); None when it ran past BASELINE_TIMEOUT_S."""
    py = tree / ".venv" / "bin" / "python"
    # (this script, run against the other tree's modules: an older checkout may not have it)
    try:
        out = subprocess.run([str(py if py.exists() else sys.executable), str(Path(__file__).resolve()),
                              "--one", json.dumps([fill, tail, size])], cwd=tree, capture_output=True, text=True,
                             env={**os.environ, "PYTHONPATH": str(tree)}, check=True, timeout=BASELINE_TIMEOUT_S)
    except subprocess.TimeoutExpired:
        return None
    return float(out.stdout.strip().splitlines()[-1])


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--baseline-tree", help="another checkout whose engine is measured on the same pairs")
    ap.add_argument("--top", type=int, default=12)
    ap.add_argument("--one", help=argparse.SUPPRESS)   # (JSON [fill, tail, size]: the baseline child)
    args = ap.parse_args()
    if args.one is not None:
        import sensor
        assert Path(sensor.__file__).resolve().parents[1] == Path.cwd().resolve(), sensor.__file__
        fill, tail, size = json.loads(args.one)
        print(_cpu_meter()(fill, tail, size))
        return 0
    here = measure(args.top)
    base = None
    if args.baseline_tree:
        tree = Path(args.baseline_tree).resolve()
        base = [[_baseline(tree, r["fill"], r["tail"], size) for size in SIZES] for r in here["rows"]]
    a = sorted(here["all_2k"])
    print(f"{len(a)} (fill, tail) pairs at 2 KB: median {a[len(a) // 2]:.2f} ms, max {a[-1]:.2f} ms per request")
    head = "| fill | tail | " + " | ".join(f"{s // 1024} KB ms" for s in SIZES) + " | growth 8→32 KB |"
    if base:
        head += " baseline " + " | baseline ".join(f"{s // 1024} KB ms" for s in SIZES) + " | baseline growth |"
    print(head)
    print("|" + "---|" * (head.count("|") - 1))
    for i, r in enumerate(here["rows"]):
        ms = r["ms"]
        line = f"| {r['fill']!r} | {r['tail']!r} | " + " | ".join(f"{x:.1f}" for x in ms) + f" | ×{ms[2] / ms[1]:.1f} |"
        if base:
            b = base[i]
            line += " " + " | ".join(f"{x:.1f}" if x is not None else f"> {BASELINE_TIMEOUT_S * 1000:.0f}"
                                     for x in b)
            line += f" | ×{b[2] / b[1]:.1f} |" if b[1] and b[2] else " | - |"
        print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
