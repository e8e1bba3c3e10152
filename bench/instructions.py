"""Instructions per request for points + detection, counted by valgrind (callgrind), this tree beside another.

Usage: .venv/bin/python bench/instructions.py --baseline-tree DIR [--split tuning] [--corpus crs-tests,httpparams]
CPU times on a shared 2-core machine swing by ±50 % between runs; the instructions the engine executes do not, so a
change's cost or gain shows to the tenth of a percent. Counted only inside `Engine.inspect` (callgrind's toggle on the
compiled entry point), with the per-request CPU budget lifted: under valgrind every request runs ~50x slower and the
budget would cut analyses short at random. Instructions are not time (a cache miss costs no instruction: hyperscan's
10 MB database is mostly that), so quote them beside the CPU-time benches, not instead. Both trees need their
compiled build (`python -m infra.compile` in each). Needs valgrind (infra/setup.sh installs it).
"""
from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ENTRY = "CPyPy_engine___Engine___inspect"  # mypyc's Python-callable wrapper of the compiled Engine.inspect


def child(corpus: str, split: str, every: int) -> None:
    """Runs inside valgrind, with the tree to measure first on sys.path: inspects the corpus's requests once."""
    import gc

    import sensor.detect.engine as engine_mod
    from sensor.detect import Engine
    from sensor.detect.corpus import crs_rows, httpparams_rows
    from sensor.detect.rawrequest import RawRequest, parse_raw
    from sensor.points.extraction import Limits

    if not engine_mod.__file__ or engine_mod.__file__.endswith(".py"):
        sys.exit(f"instructions: {engine_mod.__file__} is not compiled; run `python -m infra.compile` in that tree")
    engine = Engine(limits=Limits(cpu_budget_ms=10 ** 9))
    if corpus == "crs-tests":
        rows = [parse_raw(r["raw"]) for r in crs_rows(split)][::every]
    else:  # as detect_bench sends them: GET /search?q=<value> with browser headers
        from detect_bench import HP_HEADERS
        rows = [RawRequest(method="GET", target="/search?q=" + urllib.parse.quote(r["value"], safe=""), version="1.1",
                           host="localhost", headers=list(HP_HEADERS), body=b"") for r in httpparams_rows(split)][::every]
    gc.collect()
    gc.freeze()
    for r in rows:
        engine.inspect(r)
    print(f"requests {len(rows)}")


def count(tree: Path, corpus: str, split: str, every: int) -> tuple[int, int]:
    """(instructions inside Engine.inspect, requests) for `tree`."""
    with tempfile.TemporaryDirectory() as tmp:
        cmd = ["valgrind", "--tool=callgrind", f"--callgrind-out-file={tmp}/cg.out", "--collect-atstart=no",
               f"--toggle-collect={ENTRY}", sys.executable, __file__, "--child", corpus, "--split", split,
               "--every", str(every)]
        env_path = f"{tree}:{ROOT / 'bench'}"
        proc = subprocess.run(cmd, capture_output=True, text=True, cwd=tree,
                              env={"PATH": "/usr/bin:/bin", "PYTHONPATH": env_path, "HOME": str(Path.home())})
    got = re.search(r"Collected : (\d+)", proc.stderr)
    reqs = re.search(r"requests (\d+)", proc.stdout)
    if proc.returncode != 0 or not got or not reqs:
        sys.exit(f"instructions: valgrind run in {tree} failed (exit {proc.returncode}):\n{proc.stdout[-2000:]}"
                 f"{proc.stderr[-2000:]}")
    return int(got.group(1)), int(reqs.group(1))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--baseline-tree", help="another checkout with its own compiled build (git worktree add DIR REV)")
    ap.add_argument("--split", default="tuning", choices=["tuning", "heldout", "all"])
    ap.add_argument("--corpus", default="crs-tests,httpparams", help="crs-tests, httpparams or both (comma-separated)")
    ap.add_argument("--every", type=int, default=0, help="every Nth request (default: all of crs-tests, 1/5 of httpparams)")
    ap.add_argument("--child", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        child(args.child, args.split, args.every or 1)
        return 0
    if shutil.which("valgrind") is None:
        sys.exit("instructions: valgrind not found (apt-get install valgrind; infra/setup.sh installs it)")
    trees = [("this tree", ROOT)] + ([("baseline", Path(args.baseline_tree).resolve())] if args.baseline_tree else [])
    print("| corpus | requests | " + " | ".join(f"{name}: instructions/request" for name, _ in trees)
          + (" | ratio |" if len(trees) == 2 else " |"))
    print("|---|---:|" + "---:|" * len(trees) + ("---:|" if len(trees) == 2 else ""))
    for corpus in args.corpus.split(","):
        every = args.every or (5 if corpus == "httpparams" else 1)
        per = []
        for _, tree in trees:
            n, reqs = count(tree, corpus, args.split, every)
            per.append(n / reqs)
        cells = " | ".join(f"{x:,.0f}" for x in per)
        ratio = f" | {per[0] / per[1]:.3f} |" if len(per) == 2 else " |"
        print(f"| {corpus} ({args.split}) | {reqs:,} | {cells}{ratio}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
