"""Blind batches (written by people who never saw the detectors): attacks caught and benign flagged, beside CRS.

Usage: .venv/bin/python bench/blind_bench.py [--no-crs] [--crs4] [--baseline-tree DIR] [--list]
Batches: tests/detect/blind_attacks_a.py, blind_attacks_b.py (family, carrier, key, value) and blind_benign.py
(carrier, key, value), each value sent in a realistic request by tests/detect/wild_benign.py's build_request.
`--list` prints what Rampart misses and flags (for fixing after the first measurement has been recorded).
"""
from __future__ import annotations

import argparse
import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BATCHES = {"blind_attacks_a": "BLIND_ATTACKS_A", "blind_attacks_b": "BLIND_ATTACKS_B", "blind_benign": "BLIND_BENIGN"}


def _load(name: str):
    spec = importlib.util.spec_from_file_location(name, ROOT / "tests" / "detect" / f"{name}.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)  # type: ignore[union-attr]
    return mod


def groups() -> dict[str, list]:
    """Group name -> [(label, request)]: one group per attack family ("attack:<family>"), and "benign"."""
    build = _load("wild_benign").build_request
    out: dict[str, list] = {}
    for mod, const in BATCHES.items():
        for entry in getattr(_load(mod), const):
            *fam, carrier, key, value = entry
            group = f"attack:{fam[0]}" if fam else "benign"
            out.setdefault(group, []).append((f"{carrier}:{key}:{value}", build(carrier, value, key)))
    return dict(sorted(out.items()))


def rampart_results() -> dict:
    from sensor.detect import Engine, verdict

    engine = Engine()
    return {g: _measure(lambda r: verdict(engine.inspect(r)) == "attack", reqs) for g, reqs in groups().items()}


def _measure(fn, reqs: list) -> dict:
    flagged = [label for label, r in reqs if fn(r)]
    return {"flagged": len(flagged), "total": len(reqs), "labels": flagged}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--no-crs", action="store_true")
    ap.add_argument("--crs4", action="store_true", help="also CRS 4.25 at PL1/PL2 (bench/crs.py fetches it once)")
    ap.add_argument("--baseline-tree", help="another checkout whose Rampart engine runs on the same requests")
    ap.add_argument("--list", action="store_true", help="print Rampart's misses and false positives")
    ap.add_argument("--json", action="store_true", help=argparse.SUPPRESS)  # child mode for --baseline-tree
    args = ap.parse_args()
    if args.json:
        print(json.dumps(rampart_results()))
        return 0
    sys.path.insert(0, str(ROOT))
    results = {"rampart": rampart_results()}
    if args.baseline_tree:
        env = dict(os.environ, PYTHONPATH=str(Path(args.baseline_tree).resolve()))
        out = subprocess.run([sys.executable, str(Path(__file__).resolve()), "--json"], env=env, check=True,
                             capture_output=True, text=True, cwd=args.baseline_tree).stdout
        results["rampart (baseline tree)"] = json.loads(out.strip().splitlines()[-1])
    if not args.no_crs:
        sys.path.insert(0, str(ROOT / "bench"))
        from crs import baselines

        gs = groups()
        for name, crs in baselines(args.crs4).items():
            results[name] = {g: _measure(crs.blocks, reqs) for g, reqs in gs.items()}
    fams = [g for g in results["rampart"] if g.startswith("attack:")]
    print("| system | attacks caught | recall | benign flagged | FPR |")
    print("|---|---|---|---|---|")
    for name, res in results.items():
        caught, total = sum(res[g]["flagged"] for g in fams), sum(res[g]["total"] for g in fams)
        b = res["benign"]
        print(f"| {name} | {caught} / {total} | {100 * caught / total:.2f}% | {b['flagged']} / {b['total']} "
              f"| {100 * b['flagged'] / b['total']:.2f}% |")
    print("\n| attacks caught | " + " | ".join(g.split(":", 1)[1] for g in fams) + " |")
    print("|---|" + "---|" * len(fams))
    for name, res in results.items():
        print(f"| {name} | " + " | ".join(f"{res[g]['flagged']} / {res[g]['total']}" for g in fams) + " |")
    if args.list:
        res = results["rampart"]
        for g in fams:
            caught = set(res[g]["labels"])
            for label, _r in groups()[g]:
                if label not in caught:
                    print(f"MISS {g}: {label[:300]!r}")
        for label in res["benign"]["labels"]:
            print(f"FP benign: {label[:300]!r}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
