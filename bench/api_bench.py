"""Regional API benchmark: p50/p99 of attacks, metrics series and top-N over many ClickHouse hits, node-sync req/s.

Each analytics endpoint is measured through the real server (uvicorn, HTTP) and, as the baseline in the same
run, the very SQL it sends executed through clickhouse-driver directly. Data goes to its own database
(`api_bench` on the local stack's ClickHouse) and is dropped at the end unless --keep.

    .venv/bin/python bench/api_bench.py --hits 10000000 --requests 50
"""
from __future__ import annotations

import argparse
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any, Callable

import httpx
import numpy as np
from clickhouse_driver import Client

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from api import analytics  # noqa: E402
from api.query import Filters, Window  # noqa: E402
from core import schema  # noqa: E402
from core.config import StackConfig  # noqa: E402

TENANT = "bench"
TYPES = np.array(["sqli", "xss", "rce", "ptrav", "ssrf", "scanner", "protocol", "nosqli", "ssti", "crlf"], dtype=object)
DAYS = 30


def insert_hits(client: Client, db: str, total: int, end: datetime, rng: np.random.Generator) -> float:
    """`total` hits spread evenly over DAYS days up to `end`, one insert per day (one partition each)."""
    hosts = np.array([f"app{i}.example.com" for i in range(20)], dtype=object)
    paths = np.array([f"/api/v1/res{i}" for i in range(500)], dtype=object)
    points = np.array([f'["get","p{i}"]' for i in range(20)], dtype=object)
    ips = np.array([f"198.18.{i // 256}.{i % 256}" for i in range(5000)], dtype=object)
    values = np.array(["1' or '1'='1", "<script>alert(1)</script>", ";cat /etc/passwd", "../../etc/passwd"], dtype=object)
    actions = np.array(["none", "reset", "none", "none"], dtype=object)
    per_day = total // DAYS
    cols = [c for c, _ in schema.HITS_COLUMNS]
    sql = f"INSERT INTO {db}.hits ({', '.join(cols)}) VALUES"
    t0 = time.perf_counter()
    day0 = (end - timedelta(days=DAYS)).timestamp()
    for d in range(DAYS):
        n = per_day + (total - per_day * DAYS if d == DAYS - 1 else 0)
        # skew: a few sources, targets and types carry most hits, like real attack traffic
        ts = np.sort(day0 + d * 86400 + rng.random(n) * 86400)
        event_ids = np.array([f"{d:02d}{i:09d}" for i in range(n)], dtype=object)
        data = {
            "tenant": np.full(n, TENANT, dtype=object), "event_id": event_ids, "idx": np.zeros(n, dtype=np.uint16),
            "ts": ts, "time": ts.astype("datetime64[s]"), "date": ts.astype("datetime64[s]").astype("datetime64[D]"),
            "host": hosts[rng.zipf(1.6, n) % len(hosts)], "client_ip": ips[rng.zipf(1.3, n) % len(ips)],
            "method": np.full(n, "GET", dtype=object), "path": paths[rng.zipf(1.4, n) % len(paths)],
            "status": np.full(n, 200, dtype=np.uint16), "type": TYPES[rng.zipf(1.5, n) % len(TYPES)],
            "point": points[rng.integers(0, len(points), n)], "value": values[rng.integers(0, len(values), n)],
            "rule": np.full(n, "bench.rule", dtype=object), "score": rng.random(n).astype(np.float32),
            "verdict": np.full(n, "attack", dtype=object), "action": actions[rng.integers(0, 4, n)],
            "source": np.full(n, "sensor", dtype=object),
        }
        client.execute(sql, [data[c] for c in cols], columnar=True)
    return time.perf_counter() - t0


def insert_metrics(client: Client, db: str, end: datetime) -> int:
    """Per-minute counters for DAYS days × 20 hosts (type '' rows plus one attack-type row each)."""
    minutes = np.arange(int((end - timedelta(days=DAYS)).timestamp()) // 60, int(end.timestamp()) // 60) * 60
    rows = 0
    cols = [c for c, _ in schema.METRICS_COLUMNS]
    for h in range(20):
        n = len(minutes)
        t = minutes.astype("datetime64[s]")
        for mtype in ("", "sqli"):
            data = {"tenant": np.full(n, TENANT, dtype=object), "minute": t, "date": t.astype("datetime64[D]"),
                    "host": np.full(n, f"app{h}.example.com", dtype=object), "type": np.full(n, mtype, dtype=object),
                    "verdict": np.full(n, "attack" if mtype else "clean", dtype=object),
                    "action": np.full(n, "none", dtype=object), "status_class": np.full(n, 2, dtype=np.uint8),
                    "requests": np.full(n, 100, dtype=np.uint64), "hits": np.full(n, 0 if mtype else 5, dtype=np.uint64),
                    "req_bytes": np.zeros(n, dtype=np.uint64), "resp_bytes": np.zeros(n, dtype=np.uint64)}
            client.execute(f"INSERT INTO {db}.metrics_1m ({', '.join(cols)}) VALUES", [data[c] for c in cols],
                           columnar=True)
            rows += n
    return rows


class DirectPool:
    """The baseline: the same SQL statements the endpoint sends (built by api/analytics.py), executed through
    one bare clickhouse-driver client — no HTTP, auth, pooling, validation or JSON."""

    def __init__(self, client: Client) -> None:
        self.client = client

    def query(self, sql: str, params: dict | None = None) -> list:
        return self.client.execute(sql, params or {})


def pct(samples: list[float], q: float) -> float:
    s = sorted(samples)
    return s[min(len(s) - 1, int(round(q / 100 * (len(s) - 1))))]


def timed(fn: Callable[[], Any], n: int) -> list[float]:
    fn()  # warm caches once, as a dashboard that refreshes would
    out = []
    for _ in range(n):
        t0 = time.perf_counter()
        fn()
        out.append((time.perf_counter() - t0) * 1000)
    return out


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def rps(url: str, headers: dict, seconds: float, threads: int) -> tuple[float, dict[int, int]]:
    stop = time.monotonic() + seconds
    counts: dict[int, int] = {}
    lock = threading.Lock()

    def worker() -> None:
        with httpx.Client(headers=headers, timeout=10) as c:
            while time.monotonic() < stop:
                code = c.get(url).status_code
                with lock:
                    counts[code] = counts.get(code, 0) + 1

    ts = [threading.Thread(target=worker) for _ in range(threads)]
    t0 = time.perf_counter()
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    return sum(counts.values()) / (time.perf_counter() - t0), counts


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--hits", type=int, default=10_000_000)
    ap.add_argument("--requests", type=int, default=50, help="timed requests per endpoint")
    ap.add_argument("--sync-seconds", type=float, default=10.0)
    ap.add_argument("--sync-threads", type=int, default=4)
    ap.add_argument("--database", default="api_bench")
    ap.add_argument("--keep", action="store_true", help="keep the bench database (reuse with --reuse)")
    ap.add_argument("--reuse", action="store_true", help="reuse data already in --database")
    args = ap.parse_args()

    cfg = StackConfig.from_env(home=os.environ.get("RAMPART_HOME") or str(ROOT / ".rampart"))
    ch = Client(host="127.0.0.1", port=cfg.clickhouse_port, settings={"use_numpy": True})
    admin = Client(host="127.0.0.1", port=cfg.clickhouse_port)
    plain = Client(host="127.0.0.1", port=cfg.clickhouse_port, database=args.database)
    db = args.database
    end = datetime.now(timezone.utc).replace(second=0, microsecond=0)
    print(f"ClickHouse {admin.execute('SELECT version()')[0][0]}, {os.cpu_count()} cores", flush=True)
    if not args.reuse:
        admin.execute(f"DROP DATABASE IF EXISTS {db}")
        schema.migrate(admin, db)
        secs = insert_hits(ch, db, args.hits, end, np.random.default_rng(7))
        print(f"inserted {args.hits:,} hits in {secs:.1f} s ({args.hits / secs:,.0f} rows/s)", flush=True)
        mrows = insert_metrics(ch, db, end)
        print(f"inserted {mrows:,} metrics_1m rows", flush=True)
    total = plain.execute("SELECT count() FROM hits")[0][0]
    parts = plain.execute(f"SELECT count() FROM system.parts WHERE database = '{db}' AND table = 'hits' AND active")[0][0]
    print(f"hits in ClickHouse: {total:,} in {parts} active parts", flush=True)

    home = Path(tempfile.mkdtemp(prefix="rampart-api-bench-"))
    port = free_port()
    env = {**os.environ, "RAMPART_HOME": str(home), "RAMPART_API_CLICKHOUSE_DATABASE": db,
           "RAMPART_API_CLICKHOUSE_USER": "default", "RAMPART_API_CLICKHOUSE_PASSWORD": "",
           "RAMPART_API_CLICKHOUSE_PORT": str(cfg.clickhouse_port), "RAMPART_API_MLFLOW_URL": cfg.mlflow_url,
           "RAMPART_API_AUTH_FAIL_LIMIT": "1000000"}
    tok = lambda role: subprocess.run(  # noqa: E731
        [sys.executable, "-m", "rampart", "tokens", "create", "--region", "eu", "--tenant", TENANT, "--role", role],
        env=env, capture_output=True, text=True, check=True, cwd=ROOT).stdout.strip().splitlines()[-1]
    analyst, node = tok("analyst"), tok("node")
    server = subprocess.Popen([sys.executable, "-m", "rampart", "api", "serve", "--region", "eu", "--port", str(port),
                               "--log-level", "warning"], env=env, cwd=ROOT)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(120):
            try:
                if httpx.get(f"{base}/health", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.5)
        http = httpx.Client(base_url=base, headers={"Authorization": f"Bearer {analyst}"}, timeout=60)
        win = Window(end - timedelta(hours=24), end)
        q24 = {"from": win.start.isoformat(), "to": win.end.isoformat()}
        week = Window(end - timedelta(days=7), end)
        cases = [
            ("attacks list (24 h, 100 per page)", "/v1/attacks", {**q24, "limit": 100},
             lambda p: analytics.attacks(p, TENANT, win, Filters(), 100, None)),
            ("metrics series (7 days, hourly)", "/v1/metrics/series",
             {"from": week.start.isoformat(), "to": week.end.isoformat(), "interval": "hour"},
             lambda p: analytics.series(p, TENANT, week, Filters(), "hour")),
            ("metrics series (24 h, per minute)", "/v1/metrics/series", {**q24, "interval": "minute"},
             lambda p: analytics.series(p, TENANT, win, Filters(), "minute")),
            ("top-10 sources (24 h)", "/v1/metrics/top", {**q24, "by": "sources"},
             lambda p: analytics.top(p, TENANT, win, Filters(), "sources", 10)),
            ("top-10 targets (24 h)", "/v1/metrics/top", {**q24, "by": "targets"},
             lambda p: analytics.top(p, TENANT, win, Filters(), "targets", 10)),
            ("hits list (24 h, 100 per page)", "/v1/hits", {**q24, "limit": 100},
             lambda p: analytics.hits(p, TENANT, win, Filters(), 100, None)),
        ]
        rows = []
        for name, path, params, capture in cases:
            r = http.get(path, params=params)
            assert r.status_code == 200, r.text
            direct = DirectPool(plain)
            api_ms = timed(lambda: http.get(path, params=params).raise_for_status(), args.requests)
            raw_ms = timed(lambda: capture(direct), args.requests)
            rows.append((name, statistics.median(api_ms), pct(api_ms, 99), statistics.median(raw_ms), pct(raw_ms, 99)))
            print(f"{name}: API p50 {rows[-1][1]:.1f} ms p99 {rows[-1][2]:.1f} ms | raw SQL p50 {rows[-1][3]:.1f} ms "
                  f"p99 {rows[-1][4]:.1f} ms", flush=True)
        nh = {"Authorization": f"Bearer {node}"}
        assert httpx.post(f"{base}/v1/nodes/register", headers=nh, json={"name": "bench-node"}).status_code == 200
        for i in range(20):
            assert http.post("/v1/rules", json={"name": f"bench-{i}", "kind": "vpatch", "spec": {
                "action": "vpatch", "match": {"path": {"prefix": f"/bench/{i}"}}}}).status_code == 201
            http.post("/v1/ip-lists", json={"list": "deny", "ip": f"203.0.113.{i}", "ttl_seconds": 86400})
        etag = httpx.get(f"{base}/v1/nodes/sync", headers=nh).headers["etag"]
        health, _ = rps(f"{base}/health", {}, args.sync_seconds, args.sync_threads)
        full, c1 = rps(f"{base}/v1/nodes/sync", nh, args.sync_seconds, args.sync_threads)
        cached, c2 = rps(f"{base}/v1/nodes/sync", {**nh, "If-None-Match": etag}, args.sync_seconds, args.sync_threads)
        print(f"node sync: {full:.0f} req/s (200, {c1}), {cached:.0f} req/s with If-None-Match (304, {c2}); "
              f"/health ceiling {health:.0f} req/s", flush=True)
        print("\n| endpoint | API p50 ms | API p99 ms | raw SQL p50 ms | raw SQL p99 ms | API / raw (p50) |")
        print("|---|---|---|---|---|---|")
        for name, a50, a99, r50, r99 in rows:
            print(f"| {name} | {a50:.1f} | {a99:.1f} | {r50:.1f} | {r99:.1f} | {a50 / r50:.2f}x |")
        print(f"\n| node sync | req/s |\n|---|---|\n| GET /v1/nodes/sync, full payload (20 rules, 20 IPs) | {full:.0f} |"
              f"\n| GET /v1/nodes/sync, If-None-Match → 304 | {cached:.0f} |\n| baseline: GET /health (no auth, no DB) "
              f"| {health:.0f} |")
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
        shutil.rmtree(home, ignore_errors=True)
        if not args.keep:
            admin.execute(f"DROP DATABASE IF EXISTS {db}")


if __name__ == "__main__":
    main()
