"""Strong passwords on a login form: how many random passwords the engine flags, in a password field and elsewhere.

Usage: .venv/bin/python bench/password_bench.py [--n 20000] [--seed 7]   (run from a checkout: its engine is measured;
from another checkout, `cd OTHER && /work/main/.venv/bin/python /work/main/bench/password_bench.py` gives a baseline)
Random 8-20 character passwords from two alphabets: every printable ASCII symbol, and the letters, digits and
`!@#$%^&*` that password managers draw from by default. Each is posted as `password=` and as `comment=` (form field
names change nothing else). `--tree` measures another checkout's engine (for a baseline in the same run).
"""
from __future__ import annotations

import argparse
import random
import string
import sys
from pathlib import Path
from urllib.parse import quote_plus

ALPHABETS = {"all printable symbols": string.ascii_letters + string.digits + string.punctuation,
             "manager default (!@#$%^&*)": string.ascii_letters + string.digits + "!@#$%^&*"}


def measure(n: int, seed: int) -> dict[tuple[str, str], int]:
    from sensor.detect import Engine, verdict
    from sensor.detect.rawrequest import RawRequest

    engine = Engine()
    out: dict[tuple[str, str], int] = {}
    for name, alphabet in ALPHABETS.items():
        rnd = random.Random(seed)
        words = ["".join(rnd.choice(alphabet) for _ in range(rnd.randint(8, 20))) for _ in range(n)]
        for field in ("password", "comment"):
            flagged = 0
            for w in words:
                body = f"username=jdoe&{field}={quote_plus(w)}".encode()
                req = RawRequest(method="POST", target="/login", version="1.1", host="shop.example",
                                 headers=[("Host", "shop.example"), ("Content-Type", "application/x-www-form-urlencoded"),
                                          ("Content-Length", str(len(body)))], body=body)
                flagged += verdict(engine.inspect(req)) == "attack"
            out[(name, field)] = flagged
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=20000)
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args()
    sys.path.insert(0, str(Path.cwd()))
    res = measure(args.n, args.seed)
    print(f"| alphabet | field | flagged of {args.n} |\n|---|---|---|")
    for (name, field), k in res.items():
        print(f"| {name} | `{field}` | {k} ({100 * k / args.n:.2f}%) |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
