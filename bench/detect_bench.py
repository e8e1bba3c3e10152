"""Detection quality and speed on the shared corpus, Rampart beside ModSecurity v3 + OWASP CRS (PL1, PL2), same run.

Usage: .venv/bin/python bench/detect_bench.py [--split tuning|heldout|all] [--no-crs] [--crs4] [--no-packs-too] [--dump]
Needs PyPI `libmodsecurity` (extra `bench`) and Debian `modsecurity-crs` (rules in /usr/share/modsecurity-crs);
`--crs4` adds CRS 4.25 (the rule set closest to the v4.28 tests the corpus comes from), see bench/crs.py.
"""
from __future__ import annotations

import argparse
import gc
import statistics
import sys
import time
import urllib.parse
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sensor.detect import Engine, verdict  # noqa: E402
from sensor.detect.corpus import crs_rows, httpparams_rows  # noqa: E402
from sensor.detect.rawrequest import RawRequest, parse_raw  # noqa: E402
from sensor.points.extraction import header_value  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))
from crs import baselines  # noqa: E402

HP_HEADERS = [("Host", "localhost"), ("User-Agent", "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"),
              ("Accept", "text/html,application/xhtml+xml,*/*;q=0.8"), ("Accept-Language", "en-US,en;q=0.5")]


def _hp_request(value: str) -> RawRequest:
    return RawRequest(method="GET", target="/search?q=" + urllib.parse.quote(value, safe=""), version="1.1",
                      host="localhost", headers=list(HP_HEADERS), body=b"")


def _rates(rows: list[tuple[str, bool]]) -> tuple[float, float, int, int]:
    att = [d for lab, d in rows if lab == "attack"]
    ben = [d for lab, d in rows if lab != "attack"]
    return (sum(att) / len(att) if att else 0.0, sum(ben) / len(ben) if ben else 0.0, len(att), len(ben))


def _body_kind(req: RawRequest) -> str:
    """What a request's body is, for the per-body-type medians: none, form, json, xml, multipart or other."""
    if not req.body:
        return "none"
    ctype = (header_value(req.headers, "content-type") or "").split(";")[0].strip().lower()
    for kind, marks in (("form", ("x-www-form-urlencoded",)), ("json", ("json",)), ("xml", ("xml",)),
                        ("multipart", ("multipart/",))):
        if any(m in ctype for m in marks):
            return kind
    return "other"


def _timed(fn, arg) -> tuple[bool, int]:
    t0 = time.thread_time_ns()
    out = fn(arg)
    return out, time.thread_time_ns() - t0


def run(split: str, with_crs: bool, with_crs4: bool = False, no_packs_too: bool = False) -> dict:
    engine = Engine()
    systems: dict[str, object] = {"rampart": lambda r: verdict(engine.inspect(r)) == "attack"}
    if no_packs_too:  # the same engine without the shipped virtual-patch packs: what the packs cost and change
        bare = Engine(packs=())
        systems["rampart, no packs"] = lambda r: verdict(bare.inspect(r)) == "attack"
    if with_crs:
        systems.update({name: crs.blocks for name, crs in baselines(with_crs4).items()})
    results: dict = {}
    crs = list(crs_rows(split))
    # per crs row: (family, known_fp) — the corpus marks 13 attack rows whose CRS hit its own test calls a known FP
    meta = {"crs-tests": [(r["family"], bool(r.get("known_fp"))) for r in crs]}
    kinds: dict[str, list[str]] = {}
    for corpus, rows in (("crs-tests", [(r["label"], parse_raw(r["raw"])) for r in crs]),
                         ("httpparams", [(r["label"], _hp_request(r["value"])) for r in httpparams_rows(split)])):
        kinds[corpus] = [_body_kind(req) for _, req in rows]
        for name, fn in systems.items():
            # The harness holds ~30k parsed requests; freezing them keeps the garbage collector from re-scanning
            # them inside every system's timed calls (it inflated all medians by 15-30 %, Rampart's most).
            gc.collect()
            gc.freeze()
            decisions: list[tuple[str, bool]] = []
            times: list[int] = []
            for label, req in rows:
                d, ns = _timed(fn, req)
                decisions.append((label, d))
                times.append(ns)
            rec, fpr, na, nb = _rates(decisions)
            ordered = sorted(times)
            results[(corpus, name)] = {"recall": rec, "fpr": fpr, "attacks": na, "benign": nb,
                                       "median_us": statistics.median(ordered) / 1000,
                                       "p99_us": ordered[int(len(ordered) * 0.99) - 1] / 1000}
            by_kind: dict[str, list[int]] = {}
            for kind, ns in zip(kinds[corpus], times):
                by_kind.setdefault(kind, []).append(ns)
            results[(corpus, name)]["by_body"] = {k: (len(v), statistics.median(v) / 1000) for k, v in by_kind.items()}
            if corpus in meta:
                fams: dict[str, list[int]] = {}
                for (label, d), (fam, known) in zip(decisions, meta[corpus]):
                    if label == "attack":
                        c = fams.setdefault(fam, [0, 0])
                        c[0] += d
                        c[1] += 1
                results[(corpus, name)]["by_family"] = fams
                results[(corpus, name)]["recall_no_known_fp"] = _rates(
                    [x for x, (_, known) in zip(decisions, meta[corpus]) if not known])[0]
    return results


def dump(out=sys.stdout) -> None:
    """Rampart's misses and false positives on the crs-tests *tuning* split, with the hits behind each verdict.

    Only the tuning split: looking at held-out rows while changing detectors would make the held-out numbers
    meaningless."""
    engine = Engine()
    for r in crs_rows("tune"):
        hits = engine.inspect(parse_raw(r["raw"]))
        attack = verdict(hits) == "attack"
        if attack == (r["label"] == "attack"):
            continue
        kind = "MISS" if r["label"] == "attack" else "FP"
        print(f"{kind} {r['id']} {r['family']} pl{r['pl']}: {r['description'][:100]!r}", file=out)
        for h in sorted(hits, key=lambda h: -h.score)[:4]:
            print(f"    {h.score:.2f} {h.rule} {h.point} {h.value[:100]!r}", file=out)


def markdown(results: dict, split: str) -> str:
    lines = [f"| corpus ({split}) | system | recall | FPR | attacks / benign | median CPU µs/req | p99 CPU µs/req |",
             "|---|---|---|---|---|---|---|"]
    for (corpus, name), r in results.items():
        lines.append(f"| {corpus} | {name} | {r['recall'] * 100:.2f}% | {r['fpr'] * 100:.3f}% | {r['attacks']} / {r['benign']} "
                     f"| {r['median_us']:.1f} | {r['p99_us']:.1f} |")
    crs = [(name, r) for (corpus, name), r in results.items() if "by_family" in r]
    if crs:
        fams = sorted(crs[0][1]["by_family"])
        lines += ["", f"| crs-tests ({split}) attack rows caught | " + " | ".join(fams)
                  + " | recall without the known-FP attack rows |", "|---|" + "---|" * (len(fams) + 1)]
        for name, r in crs:
            cells = [f"{r['by_family'][f][0]} / {r['by_family'][f][1]}" for f in fams]
            lines.append(f"| {name} | " + " | ".join(cells) + f" | {r['recall_no_known_fp'] * 100:.2f}% |")
        kinds = sorted(crs[0][1]["by_body"], key=lambda k: -crs[0][1]["by_body"][k][0])
        lines += ["", f"| crs-tests ({split}) median CPU µs/req by body | "
                  + " | ".join(f"{k} ({crs[0][1]['by_body'][k][0]})" for k in kinds) + " |", "|---|" + "---|" * len(kinds)]
        for name, r in crs:
            lines.append(f"| {name} | " + " | ".join(f"{r['by_body'][k][1]:.1f}" for k in kinds) + " |")
    return "\n".join(lines)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--split", choices=("tuning", "heldout", "all"), default="heldout")
    ap.add_argument("--no-crs", action="store_true", help="skip the ModSecurity/CRS baseline")
    ap.add_argument("--crs4", action="store_true",
                    help="also CRS 4.25 at PL1/PL2 (fetched once from the Go module proxy, see bench/crs.py)")
    ap.add_argument("--no-packs-too", action="store_true",
                    help="also run Rampart without its virtual-patch packs (sensor/vpatches), same run")
    ap.add_argument("--dump", action="store_true", help="list misses and false positives of the tuning split, then exit")
    args = ap.parse_args()
    if args.dump:
        if args.split != "tuning":
            print("--dump works on --split tuning only (the held-out split is measured, never inspected)", file=sys.stderr)
            return 2
        dump()
        return 0
    split = {"tuning": "tune", "heldout": "heldout", "all": "all"}[args.split]
    res = run(split, not args.no_crs, args.crs4, args.no_packs_too)
    print(markdown(res, args.split))
    return 0


if __name__ == "__main__":
    sys.exit(main())
