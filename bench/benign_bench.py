"""False positives on realistic benign traffic (tests/detect/wild_benign.py): Rampart beside ModSecurity + CRS PL1/PL2.

Usage: .venv/bin/python bench/benign_bench.py [--no-crs] [--baseline-tree DIR]
`--baseline-tree DIR` also runs the Rampart engine of another checkout (e.g. `git worktree add /tmp/base <rev>`) on
the same requests in the same run. Groups: BENIGN (the published list), of it LATE_BATCH (values kept unpublished
until the detectors were final), DEV_DOCS (code and commands searched on a docs site: literal payloads among them)
and TOOLS (command-line client User-Agents).
"""
from __future__ import annotations

import argparse
import importlib.util
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Iterator

ROOT = Path(__file__).resolve().parents[1]


def _wild_benign():
    spec = importlib.util.spec_from_file_location("wild_benign", ROOT / "tests" / "detect" / "wild_benign.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)  # type: ignore[union-attr]
    return mod


def groups() -> dict[str, list]:
    wb = _wild_benign()
    benign = wb.benign_requests()
    out = {"BENIGN": benign}
    # batches kept from the detector authors until the detectors were final: their first measurement is the honest one
    for name in ("LATE_BATCH", "LATE_BATCH_2"):
        batch = {f"{c}:{v}" for c, _k, v in getattr(wb, name, ())}
        if batch:
            out[name] = [(lab, r) for lab, r in benign if lab in batch]
    return {**out, "DEV_DOCS": wb.dev_docs_requests(), "TOOLS": wb.tools_requests()}


def measure(fn, reqs: list) -> dict:
    flagged, times = [], []
    for label, r in reqs:
        t0 = time.thread_time_ns()
        hit = fn(r)
        times.append(time.thread_time_ns() - t0)
        if hit:
            flagged.append(label)
    return {"flagged": len(flagged), "total": len(reqs), "median_us": statistics.median(times) / 1000,
            "examples": flagged[:5]}


def rampart_results() -> dict:
    from sensor.detect import Engine, verdict

    engine = Engine()
    return {g: measure(lambda r: verdict(engine.inspect(r)) == "attack", reqs) for g, reqs in groups().items()}


def system_parser(doc: str) -> argparse.ArgumentParser:
    """The command line of a bench that compares systems: the first line of its doc, and the systems' options."""
    ap = argparse.ArgumentParser(description=doc.splitlines()[0])
    add_system_args(ap)
    return ap


def each_result(results: dict) -> Iterator[tuple[str, str, dict]]:
    """(group, system, result) of `all_results`, group by group, Rampart first."""
    for g in results["rampart"]:
        for name, res in results.items():
            yield g, name, res[g]


def add_system_args(ap: argparse.ArgumentParser) -> None:
    """The systems compared: Rampart, optionally another checkout's Rampart, CRS 3.3.4 and 4.25."""
    ap.add_argument("--no-crs", action="store_true")
    ap.add_argument("--crs4", action="store_true", help="also CRS 4.25 at PL1/PL2 (bench/crs.py fetches it once)")
    ap.add_argument("--baseline-tree", help="another checkout whose Rampart engine runs on the same requests")
    ap.add_argument("--json", action="store_true", help=argparse.SUPPRESS)  # child mode for --baseline-tree


def all_results(args: argparse.Namespace, script: str, rampart, groups_of, measure_with) -> dict | None:
    """{system: {group: result}} for the same requests; in --json child mode print Rampart's results, return None."""
    if args.json:
        print(json.dumps(rampart()))
        return None
    sys.path.insert(0, str(ROOT))
    results = {"rampart": rampart()}
    if args.baseline_tree:
        env = dict(os.environ, PYTHONPATH=str(Path(args.baseline_tree).resolve()))
        out = subprocess.run([sys.executable, str(Path(script).resolve()), "--json"], env=env, check=True,
                             capture_output=True, text=True, cwd=args.baseline_tree).stdout
        results["rampart (baseline tree)"] = json.loads(out.strip().splitlines()[-1])
    if not args.no_crs:
        sys.path.insert(0, str(ROOT / "bench"))
        from crs import baselines

        gs = groups_of()
        for name, crs in baselines(args.crs4).items():
            results[name] = {g: measure_with(crs.blocks, reqs) for g, reqs in gs.items()}
    return results


def main() -> int:
    results = all_results(system_parser(__doc__).parse_args(), __file__, rampart_results, groups, measure)
    if results is None:
        return 0
    print("| group | system | flagged | rate | median CPU µs/req |")
    print("|---|---|---|---|---|")
    for g, name, r in each_result(results):
        print(f"| {g} | {name} | {r['flagged']} / {r['total']} | {100 * r['flagged'] / max(r['total'], 1):.2f}% "
              f"| {r['median_us']:.1f} |")
    for name, res in results.items():
        ex = res["BENIGN"]["examples"]
        if ex:
            print(f"\n{name} flags on BENIGN, first {len(ex)}: " + "; ".join(repr(e[:80]) for e in ex))
    return 0


if __name__ == "__main__":
    sys.exit(main())
