"""How far past its CPU budget (50 ms) one request can go: many form fields of hostile values, Rampart beside a
baseline tree and CRS.

Usage: .venv/bin/python bench/budget_bench.py [--no-crs] [--baseline-tree DIR]
A case is `POST /` with 64 form fields, each a different value of SIZE characters made of one unit repeated (`<a `
an unclosed tag, `'||'` string concatenation, `$(id)` substitutions); every field differs (a numbered tail), so no
cache answers for another. The engine stops reading points once the request has spent its budget
(`overlimit`/`cpu_budget`); what it cannot cut is the point being read when the budget runs out. CPU ms per request
(`time.thread_time_ns` around the call), median and maximum of 5 requests of each case.
"""
from __future__ import annotations

import gc
import os
import statistics
import sys
import time
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from benign_bench import all_results, system_parser  # noqa: E402

UNITS = {"<a ": "tag", "'||'": "concat", "$(id)": "subst"}
SIZES = (300, 512, 2048, 4000, 16000)
FIELDS, REPEATS = 64, 5


def groups() -> dict[str, list]:
    from sensor.detect.rawrequest import parse_raw

    out: dict[str, list] = {}
    for unit, label in UNITS.items():
        for size in SIZES:
            reqs = []
            for k in range(REPEATS):
                fields = [f"f{i}=" + urllib.parse.quote(unit * (size // len(unit)) + f"r{k}f{i}") for i in range(FIELDS)]
                body = "&".join(fields).encode()
                head = (f"POST / HTTP/1.1\r\nHost: a.example\r\nContent-Type: application/x-www-form-urlencoded\r\n"
                        f"Content-Length: {len(body)}\r\n\r\n").encode()
                reqs.append((f"{label} {size}", parse_raw(head + body)))
            out[f"{FIELDS} × {label} `{unit.strip()}` × {size // len(unit)} ({size} B)"] = reqs
    return out


def measure(fn, reqs: list) -> dict:
    times = []
    for _label, r in reqs:
        t0 = time.thread_time_ns()
        fn(r)
        times.append((time.thread_time_ns() - t0) / 1e6)
    return {"median_ms": statistics.median(times), "max_ms": max(times)}


def rampart_results() -> dict:
    from sensor.detect import Engine

    engine, gs = Engine(), groups()
    engine.inspect(next(iter(gs.values()))[0][1])  # warm: lazy imports are not what this measures
    gc.collect()
    gc.freeze()  # the requests built above are not garbage the measured calls should pay to walk
    return {g: measure(engine.inspect, reqs) for g, reqs in gs.items()}


def main() -> int:
    results = all_results(system_parser(__doc__).parse_args(), __file__, rampart_results, groups, measure)
    if results is None:
        return 0
    names = list(results)
    print("| case | " + " | ".join(f"{n} CPU ms (median / max)" for n in names) + " |")
    print("|---|" + "---|" * len(names))
    for g in results["rampart"]:
        print(f"| {g} | " + " | ".join(f"{results[n][g]['median_ms']:.0f} / {results[n][g]['max_ms']:.0f}" for n in names) + " |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
