"""Pattern by pattern: the time of every compiled `re` pattern of the detectors and parsers, called as they call it,
on a run of one or two steering characters; a pattern whose time grows ×16 for ×4 of text is quadratic.

Usage: .venv/bin/python bench/pattern_bench.py [--size N] [--threshold MS] [--baseline-tree DIR] [--strict]
Every module-level pattern of `sensor/detect` and `sensor/points` (or one in a module-level list, tuple or dict) is
run on a head (none, quotes, `--`, `<a `, `$(`…) and a fill (one or two of 38 steering characters) repeated to `--size`
characters (400), and on each of hostile_bench's 498 words repeated: 11,746 texts each. It is called with `finditer`
(every match, the most a detector asks of it) unless CALLED says its detector calls it anchored or on a bounded slice.
The cases slower than `--threshold` ms (0.3; a linear pattern reads 400 characters in 5–50 µs), and those growing ×8
or more at 4× the size (a quadratic search can be fast at 400: `${a#` × 100 took 0.05 ms), are measured again at 4×
and 16× the size, best of two: linear work grows ×4 per step, quadratic ×16. `--baseline-tree DIR` measures the same
cases with another checkout's patterns (its own process), `--strict` exits 1 when a pattern grows ×10 or more in the
last step.
"""
from __future__ import annotations

import argparse
import heapq
import importlib
import json
import os
import pkgutil
import re
import subprocess
import sys
import time
from pathlib import Path
from typing import Callable

from hostile_bench import FILLS, WORDS  # (the same steering characters and words the engine-level bench repeats)

HEADS = ["", "`", "'", '"', "--", "#", "/*", "<", "(", "$(", "{", "\\", ";", "x=", "<a ", "${"]
# every head with every fill, and each word of hostile_bench alone (`${jndi:` × n was quadratic in rce._EXPANSION)
TEXTS = [(h, f) for h in HEADS for f in FILLS] + [("", w) for w in WORDS]
QUADRATIC = 10.0   # growth in the last ×4 step that counts as super-linear (×4 is linear, ×16 quadratic)
# Patterns their detectors call in one anchored or bounded way: name -> (method, longest text it is given, or 0, or
# the characters the text is cut after the last of). Searched from every start, these would read as quadratic; called
# as they are, they are linear.
CALLED: dict[str, tuple[str, int | str]] = {
    "protocol._PLAIN_HOST": ("fullmatch", 0),
    "protocol._FORWARDED_PAIR": ("fullmatch", 0),
    "protocol._REQUEST_LINE": ("match", 4096),
    "protocol._ADDRESS": ("fullmatch", 0),      # one address of a forwarding header
    "header_grammar._LIST": ("fullmatch", 1024),  # a whole header value, up to 1024 characters
    "sqli._ONE_LETTER_VAR": ("match", 0),
    "sqli._OVERFLOW": ("fullmatch", 40),
    "xss._MEDIA_URL": ("match", 0),
    "xss._PROSE_VALUE": ("match", 0),
    "xss._WORD_AFTER": ("match", 0),
    "xss._WORD_AFTER_TAG": ("match", 40),
    "rce._KV_RECORD": ("fullmatch", 0),
    "ptrav._YAML_SLOT": ("fullmatch", 0),       # on one line's start, up to a path
    "xss._PROSE_CALL": ("match", 0),            # at a sink's name
    "rce.PS_FOLLOW": ("match", 0),              # after a PowerShell word
    "shell_words.PS_FOLLOW": ("match", 0),      # (the same pattern, where it is defined)
    "shell_words.PS_PARAM": ("match", 0),       # after a PowerShell noun
    "graphql._OUTSIDE": ("match", 0),           # token after token, stopping at the first that fails
    "graphql._STRING": ("match", 0),            # at a quote; `tokens` skips what a failed one read
    "rce._EXPANSION_BRACE": ("search", "}"),     # up to the value's last `}` (rce._expansion)
    "rce._EXPANSION_PROC": ("search", ")"),      # up to its last `)`
}


def patterns() -> dict[str, re.Pattern]:
    """module.NAME (or module.NAME[key]) -> pattern, for every compiled pattern of the detectors and parsers held by a
    module-level name, or in a list, tuple or dict one holds (`sqli._STR_PLAIN["'"]`)."""
    import sensor.detect
    import sensor.points

    out: dict[str, re.Pattern] = {}
    for pkg in (sensor.detect, sensor.points):
        for info in pkgutil.iter_modules(pkg.__path__):
            mod = importlib.import_module(f"{pkg.__name__}.{info.name}")
            for name, value in vars(mod).items():
                if isinstance(value, re.Pattern):
                    out.setdefault(f"{info.name}.{name}", value)
                elif isinstance(value, (list, tuple, dict)):
                    items = value.items() if isinstance(value, dict) else enumerate(value)
                    for key, item in items:
                        if isinstance(item, re.Pattern):
                            out.setdefault(f"{info.name}.{name}[{key!r}]", item)
    return out


def caller(name: str, rx: re.Pattern) -> Callable[[str], float]:
    """A function text -> seconds of one call of `rx` the way its detector calls it."""
    how, bound = CALLED.get(name, ("finditer", 0))
    as_bytes = isinstance(rx.pattern, bytes)

    def run(text: str) -> float:
        data = text.encode("utf-8", "surrogateescape") if as_bytes else text
        if isinstance(bound, str):
            data = data[:max(data.rfind(c.encode() if as_bytes else c) for c in bound) + 1]  # type: ignore[arg-type]
        elif bound:
            data = data[:bound]
        t0 = time.perf_counter()
        if how == "finditer":
            for _ in rx.finditer(data):
                pass
        else:
            getattr(rx, how)(data)
        return time.perf_counter() - t0
    return run


def text(head: str, fill: str, size: int) -> str:
    return head + fill * (size // len(fill))


def timings(name: str, head: str, fill: str, sizes: list[int], pats: dict[str, re.Pattern] | None = None
            ) -> list[float] | None:
    """ms at each size, best of two (a slow one once); None when this checkout has no such pattern."""
    pats = pats if pats is not None else patterns()
    if name not in pats:
        return None
    run = caller(name, pats[name])
    out = []
    for size in sizes:
        best = run(text(head, fill, size))
        if best < 1.0:
            best = min(best, run(text(head, fill, size)))
        out.append(best * 1e3)
    return out


def scan(size: int, threshold_ms: float) -> tuple[int, list[tuple[float, str, str, str]]]:
    """(patterns scanned, [(ms, name, head, fill)] of the cases slower than the threshold or growing ×8 or more at
    4× the size, worst per pattern)."""
    pats = patterns()
    slow = []
    for name, rx in sorted(pats.items()):
        run = caller(name, rx)
        times = [(run(text(head, fill, size)), head, fill) for head, fill in TEXTS]
        # the hundred slowest again, best of three, and the three slowest of those: one slow call among 11,746 is as
        # often the machine as the pattern (tens of such hiccups per pattern, up to a few ms)
        top = sorted(((min(t, run(text(h, f, size)), run(text(h, f, size))) * 1e3, h, f)
                      for t, h, f in heapq.nlargest(100, times)), reverse=True)[:3]
        worst = max(top)
        # a quadratic search can still be fast at `size` (`${a#` × 57 starts cost 0.1 ms): its growth says it
        grown = max((min(run(text(h, f, size * 4)), run(text(h, f, size * 4))) * 1e3 / max(ms, 1e-3), ms, h, f)
                    for ms, h, f in top)
        if worst[0] > threshold_ms:
            slow.append((worst[0], name, worst[1], worst[2]))
        elif grown[0] >= 8 and grown[0] * grown[1] > 0.2:
            slow.append((grown[1], name, grown[2], grown[3]))
    return len(pats), sorted(slow, reverse=True)


def _baseline(tree: Path, name: str, head: str, fill: str, sizes: list[int]) -> list[float] | None:
    py = tree / ".venv" / "bin" / "python"
    out = subprocess.run([str(py if py.exists() else sys.executable), str(Path(__file__).resolve()), "--one",
                          json.dumps([name, head, fill, sizes])], cwd=tree, capture_output=True, text=True,
                         env={**os.environ, "PYTHONPATH": str(tree)}, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--size", type=int, default=400)
    ap.add_argument("--threshold", type=float, default=0.3, help="ms at --size that makes a case worth measuring")
    ap.add_argument("--baseline-tree", help="another checkout whose patterns are measured on the same cases")
    ap.add_argument("--strict", action="store_true", help=f"exit 1 when a pattern grows ×{QUADRATIC:.0f} or more")
    ap.add_argument("--one", help=argparse.SUPPRESS)   # (JSON [name, head, fill, sizes]: the baseline child)
    args = ap.parse_args()
    if args.one is not None:
        import sensor
        assert Path(sensor.__file__).resolve().parents[1] == Path.cwd().resolve(), sensor.__file__
        print(json.dumps(timings(*json.loads(args.one))))
        return 0
    t0 = time.perf_counter()
    n, slow = scan(args.size, args.threshold)
    sizes = [args.size, args.size * 4, args.size * 16]
    pats = patterns()
    print(f"{n} patterns × {len(TEXTS)} texts of {args.size} characters in "
          f"{time.perf_counter() - t0:.0f} s; {len(slow)} slower than {args.threshold} ms")
    head = f"| pattern | called | head + fill | ms at {' / '.join(str(s) for s in sizes)} | growth, last step |"
    if args.baseline_tree:
        head += " baseline ms | baseline growth |"
    print(head)
    print("|" + "---|" * (head.count("|") - 1))
    bad = 0
    for _, name, h, f in slow:
        ms = timings(name, h, f, sizes, pats) or [0.0, 0.0, 0.0]
        growth = ms[2] / max(ms[1], 1e-6)
        bad += growth >= QUADRATIC
        how, bound = CALLED.get(name, ("finditer", 0))
        line = (f"| `{name}` | {how}{f' to the last {bound}' if isinstance(bound, str) else f' on {bound}' if bound else ''} | {json.dumps(h)} + {json.dumps(f)} | "
                + " / ".join(f"{x:.2f}" for x in ms) + f" | ×{growth:.1f} |")
        if args.baseline_tree:
            b = _baseline(Path(args.baseline_tree).resolve(), name, h, f, sizes)
            line += (" " + " / ".join(f"{x:.2f}" for x in b) + f" | ×{b[2] / max(b[1], 1e-6):.1f} |") if b else " - | - |"
        print(line, flush=True)
    print(f"{bad} growing ×{QUADRATIC:.0f} or more")
    return 1 if args.strict and bad else 0


if __name__ == "__main__":
    sys.exit(main())
