"""Scanner benchmark: scan the vulnerable test app beside a plain httpx crawl of it; passive events/s vs plain `re`."""
from __future__ import annotations

import argparse
import base64
import json
import os
import random
import re
import statistics
import subprocess
import sys
import time
from collections import deque
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from core.events import Peer, Request, Response, TransactionEvent  # noqa: E402
from scanner.client import Limits, ScanClient  # noqa: E402
from scanner.crawl import load_openapi, parse_html  # noqa: E402
from scanner.engine import ScanOptions, run_scan  # noqa: E402
from scanner.passive import PassiveAnalyzer, observed_from_event  # noqa: E402
from scanner.scope import Scope  # noqa: E402
from scanner.signatures import SIGNATURES, card_ok  # noqa: E402

APP = """
import sys, time
sys.path.insert(0, {root!r})
from tests.scanner.vulnapp import VulnApp
with VulnApp(patched={patched}) as app:
    print(app.port, flush=True)
    sys.stdin.read()
"""


def start_app(patched: bool = False) -> tuple[subprocess.Popen, int]:
    """The app in its own process, so it does not share the scanner's interpreter lock."""
    proc = subprocess.Popen([sys.executable, "-c", APP.format(root=str(ROOT), patched=patched)],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    return proc, int(proc.stdout.readline())


def plain_crawl(base: str) -> tuple[int, float]:
    """Baseline: a breadth-first GET crawl with a bare httpx.Client (no scope gate, no bounds)."""
    seen: set[str] = set()
    queue = deque([base + "/"])
    n = 0
    t = time.perf_counter()
    with httpx.Client(trust_env=False) as c:
        while queue:
            url = queue.popleft()
            if url in seen or not url.startswith(base) or re.search(r"logout", url):
                continue
            seen.add(url)
            r = c.get(url)
            n += 1
            if r.headers.get("content-type", "").startswith("text/html"):
                queue.extend(parse_html(url, r.text)[0])
    return n, time.perf_counter() - t


def plain_fetch(base: str, urls: int) -> tuple[int, float]:
    """Baseline: a bare httpx.Client sending `urls` GETs to one page."""
    t = time.perf_counter()
    with httpx.Client(trust_env=False) as c:
        for i in range(urls):
            c.get(f"{base}/search?q={i}").read()
    return urls, time.perf_counter() - t


def guarded_fetch(base: str, urls: int) -> tuple[int, float]:
    """The scanner's bounded client sending the same GETs (scope gate + deadline + body cap)."""
    t = time.perf_counter()
    with ScanClient(Scope.parse(base.split("//")[1]), Limits(rate=0)) as c:
        for i in range(urls):
            c.request("GET", f"{base}/search?q={i}")
    return urls, time.perf_counter() - t


def scan_once(port: int, delay: float) -> dict:
    base = f"http://127.0.0.1:{port}"
    spec = Path(f"/tmp/scanbench-{os.getpid()}.json")
    from tests.scanner.vulnapp import openapi_spec
    spec.write_text(json.dumps(openapi_spec(base)))
    opts = ScanOptions(scope=Scope.parse(f"127.0.0.1:{port}"), targets=[base + "/"], endpoints=load_openapi(spec),
                       limits=Limits(rate=0, total_timeout=2 * delay + 4), time_delay=delay, nonce="bench")
    res = run_scan(opts)
    spec.unlink()
    above_info = sum(1 for f in res.findings if f.severity != "info")
    return {"wall": res.wall, "requests": res.requests, "findings": len(res.findings), "above_info": above_info}


def make_events(n: int, leak_every: int) -> list[TransactionEvent]:
    rnd = random.Random(7)
    words = [b"lorem", b"ipsum", b"order", b"shipping", b"total", b"<div>", b"</div>", b"price", b"4111"]
    out = []
    for i in range(n):
        body = b" ".join(rnd.choice(words) for _ in range(1500))
        if i % leak_every == 0:
            body += b" sqlite3.OperationalError: near \"x\": syntax error 4111 1111 1111 1111"
        out.append(TransactionEvent(ts=0.0, client=Peer("198.18.0.2", 1), server=Peer("198.18.0.1", 80),
                                    request=Request(method="GET", target=f"/p/{i}", host="shop.test"),
                                    response=Response(status=200, body_len=len(body),
                                                      body_b64=base64.b64encode(body).decode())))
    return out


def plain_re_passive(events: list[TransactionEvent]) -> int:
    """Baseline: every signature as its own Python regex over every body."""
    regs = [(s, re.compile(s.pattern, re.I if s.caseless else 0)) for s in SIGNATURES]
    found = 0
    for ev in events:
        text = base64.b64decode(ev.response.body_b64).decode("utf-8", "replace")
        for s, r in regs:
            for m in r.finditer(text):
                if s.kind != "card_number" or card_ok(m.group(0)):
                    found += 1
                    break
    return found


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--time-delay", type=float, default=1.0)
    ap.add_argument("--events", type=int, default=2000)
    args = ap.parse_args()
    med = statistics.median
    vuln, vport = start_app(False)
    twin, tport = start_app(True)
    try:
        base = f"http://127.0.0.1:{vport}"
        scans, patched, crawls, plain, guarded = [], [], [], [], []
        for _ in range(args.runs):
            crawls.append(plain_crawl(base))
            plain.append(plain_fetch(base, 300))
            guarded.append(guarded_fetch(base, 300))
            scans.append(scan_once(vport, args.time_delay))
            patched.append(scan_once(tport, args.time_delay))
    finally:
        for p in (vuln, twin):
            p.stdin.close()
            p.wait(timeout=10)

    def row(name: str, runs: list[dict]) -> str:
        wall = med(r["wall"] for r in runs)
        return (f"| {name} | {wall:.2f} | {med(r['requests'] for r in runs):.0f} | "
                f"{med(r['requests'] / r['wall'] for r in runs):.0f} | {med(r['findings'] for r in runs):.0f} "
                f"({med(r['above_info'] for r in runs):.0f} above info) | "
                f"{med(r['findings'] / r['wall'] * 60 for r in runs):.0f} |")

    crawl_rps = med(n / w for n, w in crawls)
    plain_rps = med(n / w for n, w in plain)
    guard_rps = med(n / w for n, w in guarded)
    scan_rps = med(r["requests"] / r["wall"] for r in scans)
    print(f"Medians of {args.runs} runs; time-based probes asked for {args.time_delay:g} s; rate limit off; "
          "app and scanner on loopback in separate processes.\n")
    print("| run | wall s | requests | req/s | findings | findings/min |")
    print("|---|---|---|---|---|---|")
    print(row("scan, vulnerable app (crawl + OpenAPI)", scans))
    print(row("scan, patched twin", patched))
    print(f"| baseline: plain httpx crawl of the vulnerable app | {med(w for _, w in crawls):.3f} | "
          f"{med(n for n, _ in crawls):.0f} | {crawl_rps:.0f} | - | - |")
    print(f"| baseline: plain httpx, 300 GETs of one page | {med(w for _, w in plain):.3f} | 300 | {plain_rps:.0f} | - | - |")
    print(f"| scanner client (scope gate, deadline, body cap), same 300 GETs | {med(w for _, w in guarded):.3f} | 300 | "
          f"{guard_rps:.0f} | - | - |")
    print(f"\nScanner client vs plain httpx: {guard_rps / plain_rps:.2f}x the request rate. "
          f"Full scan vs plain crawl: {scan_rps / crawl_rps:.2f}x the request rate, "
          f"{med(r['wall'] for r in scans) / med(w for _, w in crawls):.0f}x the wall time.")

    events = make_events(args.events, leak_every=50)
    an = PassiveAnalyzer()
    t = time.perf_counter()
    n_hs = sum(len(an.analyze(observed_from_event(ev))) for ev in events)
    hs = time.perf_counter() - t
    t = time.perf_counter()
    n_re = plain_re_passive(events)
    pr = time.perf_counter() - t
    print(f"\nPassive checks, {args.events} events with ~9 KB bodies (1 in 50 leaks an SQL error and a card): "
          f"hyperscan prefilter + `re` {args.events / hs:.0f} events/s ({n_hs} findings) vs baseline "
          f"plain `re` per signature {args.events / pr:.0f} events/s ({n_re} matches): {pr / hs:.1f}x.")


if __name__ == "__main__":
    main()
