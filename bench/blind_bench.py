"""Blind batches (written by people who never saw the detectors): attacks caught and benign flagged, beside CRS.

Usage: .venv/bin/python bench/blind_bench.py [--no-crs] [--crs4] [--baseline-tree DIR] [--list] [--batches A,B]
Batches: every tests/detect/blind_*.py — attack lists of (family, carrier, key, value), benign lists of (carrier, key,
value) — each value sent in a realistic request by tests/detect/wild_benign.py's build_request.
`--list` prints what Rampart misses and flags (for fixing after the first measurement has been recorded).
"""
from __future__ import annotations

import importlib.util
import os
import sys
from pathlib import Path

from benign_bench import all_results, system_parser

ROOT = Path(__file__).resolve().parents[1]
# every tests/detect/blind_*.py module holds one list named after it (blind_attacks_c -> BLIND_ATTACKS_C)
BATCHES = sorted(p.stem for p in (ROOT / "tests" / "detect").glob("blind_*.py"))


def _load(name: str):
    spec = importlib.util.spec_from_file_location(name, ROOT / "tests" / "detect" / f"{name}.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)  # type: ignore[union-attr]
    return mod


def groups() -> dict[str, list]:
    """Group name -> [(label, request)]: one group per attack family ("attack:<family>"), and "benign"."""
    build = _load("wild_benign").build_request
    out: dict[str, list] = {}
    # the selection travels in the environment so that a --baseline-tree child measures the same batches
    for mod in os.environ.get("BLIND_BATCHES", "").split(",") if os.environ.get("BLIND_BATCHES") else BATCHES:
        for entry in getattr(_load(mod), mod.upper()):
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


def _pct(n: int, total: int) -> str:
    return f"{100 * n / total:.2f}%" if total else "-"


def main() -> int:
    ap = system_parser(__doc__)
    ap.add_argument("--list", action="store_true", help="print Rampart's misses and false positives")
    ap.add_argument("--batches", help=f"comma-separated modules to measure [default: all of {', '.join(BATCHES)}]")
    args = ap.parse_args()
    if args.batches:
        os.environ["BLIND_BATCHES"] = args.batches
    results = all_results(args, __file__, rampart_results, groups, _measure)
    if results is None:
        return 0
    fams = [g for g in results["rampart"] if g.startswith("attack:")]
    print("| system | attacks caught | recall | benign flagged | FPR |")
    print("|---|---|---|---|---|")
    for name, res in results.items():
        caught, total = sum(res[g]["flagged"] for g in fams), sum(res[g]["total"] for g in fams)
        b = res.get("benign", {"flagged": 0, "total": 0})   # --batches may name attack batches only (or benign only)
        print(f"| {name} | {caught} / {total} | {_pct(caught, total)} | {b['flagged']} / {b['total']} "
              f"| {_pct(b['flagged'], b['total'])} |")
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
        for label in res.get("benign", {}).get("labels", []):
            print(f"FP benign: {label[:300]!r}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
