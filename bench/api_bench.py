"""Regional API benchmark: p50/p99 of attacks, metrics series and top-N over many ClickHouse hits, node-sync req/s.

Each analytics endpoint is measured through the real server (uvicorn, HTTP) and, as baselines in the same run,
the very SQL it sends executed through clickhouse-driver directly and — for attacks and top-N — the earlier
SQL that scanned every hit of the window (bench/api_scan_sql.py) instead of the pre-aggregated hours. Data
goes to its own database (`api_bench` on the local stack's ClickHouse) and is dropped at the end unless --keep.

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
sys.path.insert(0, str(ROOT / "bench"))

from api import analytics  # noqa: E402
import api_scan_sql  # noqa: E402  (bench/: the hits-scan SQL of attacks and top-N, the baseline)
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


def ingest_cost(admin: Client, rounds: int = 15, n: int = 2000) -> tuple[float, float]:
    """Median ms to insert `n` hits (a stream-worker-sized batch) into a database with the attack_hours and
    hit_tops views and into one without them, in turns: what the pre-aggregations cost at insert time."""
    import random

    dbs = ("api_bench_ingest_views", "api_bench_ingest_plain")
    for d in dbs:
        admin.execute(f"DROP DATABASE IF EXISTS {d}")
        schema.migrate(admin, d)
    admin.execute(f"DROP TABLE {dbs[1]}.attack_hours_mv")
    admin.execute(f"DROP TABLE {dbs[1]}.hit_tops_mv")
    cols = [c for c, _ in schema.HITS_COLUMNS]
    rng = random.Random(1)
    times: dict[str, list[float]] = {d: [] for d in dbs}
    base = time.time() - 3600
    try:
        for r in range(rounds):
            rows = []
            for i in range(n):
                ts = base + r * 100 + i * 0.01
                t = datetime.fromtimestamp(int(ts), timezone.utc).replace(tzinfo=None)
                rows.append((TENANT, f"ev{r}-{i}", 0, ts, t, t.date(), f"app{rng.randrange(20)}.example.com",
                             f"198.18.{rng.randrange(20)}.{rng.randrange(250)}", "GET",
                             f"/api/v1/res{rng.randrange(500)}", 200, str(rng.choice(TYPES[:4])),
                             f'["get","p{rng.randrange(20)}"]', "1' or '1'='1", "bench.rule", 0.9, "attack", "none",
                             "sensor"))
            for d in (dbs if r % 2 else dbs[::-1]):
                t0 = time.perf_counter()
                admin.execute(f"INSERT INTO {d}.hits ({', '.join(cols)}) VALUES", rows)
                times[d].append((time.perf_counter() - t0) * 1000)
    finally:
        for d in dbs:
            admin.execute(f"DROP DATABASE IF EXISTS {d}")
    return statistics.median(times[dbs[0]]), statistics.median(times[dbs[1]])


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


def _same(new: Any, old: Any) -> bool:
    """Pre-aggregated and scanned answers agree (sample sources/values are samples: not compared)."""
    if isinstance(new, tuple):  # attacks: (items, cursor)
        key = lambda a: (a["id"], a["hits"], a["sources"], a["blocked"], a["first_seen"], a["last_seen"])  # noqa: E731
        return [key(a) for a in new[0]] == [key(a) for a in old[0]]
    # top-N: same keys and hits; transactions were uniq() in the scan (within ~1% above 65,536 ids)
    return [(t["key"], t["hits"]) for t in new] == [(t["key"], t["hits"]) for t in old] and all(
        abs(a["transactions"] - b["transactions"]) <= 0.02 * b["transactions"] for a, b in zip(new, old))


def timed_together(fns: list[Callable[[], Any]], n: int) -> list[list[float]]:
    """Latencies (ms) of each fn, measured in turns (fn0, fn1, ... n times) so load swings hit all alike."""
    for fn in fns:
        fn()  # warm caches once, as a dashboard that refreshes would
    out: list[list[float]] = [[] for _ in fns]
    for _ in range(n):
        for fn, acc in zip(fns, out):
            t0 = time.perf_counter()
            fn()
            acc.append((time.perf_counter() - t0) * 1000)
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
    else:
        schema.migrate(admin, db)  # reused data gets new migrations (their one-off copy of existing hits)
    total = plain.execute("SELECT count() FROM hits")[0][0]
    parts = plain.execute(f"SELECT count() FROM system.parts WHERE database = '{db}' AND table = 'hits' AND active")[0][0]
    print(f"hits in ClickHouse: {total:,} in {parts} active parts", flush=True)

    with_views, plain_ms = ingest_cost(admin)
    print(f"insert of 2,000 hits: {with_views:.1f} ms with the attack_hours/hit_tops views, {plain_ms:.1f} ms "
          f"without ({with_views / plain_ms:.2f}x)", flush=True)
    home = Path(tempfile.mkdtemp(prefix="rampart-api-bench-"))
    port = free_port()
    env = {**os.environ, "RAMPART_HOME": str(home), "RAMPART_API_CLICKHOUSE_DATABASE": db,
           "RAMPART_API_CLICKHOUSE_USER": "default", "RAMPART_API_CLICKHOUSE_PASSWORD": "",
           "RAMPART_API_CLICKHOUSE_PORT": str(cfg.clickhouse_port), "RAMPART_API_MLFLOW_URL": cfg.mlflow_url,
           "RAMPART_API_AUTH_FAIL_LIMIT": "1000000", "RAMPART_API_METRICS_PORT": "0",
           "RAMPART_API_KAFKA_BOOTSTRAP": ""}
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
        week = Window(end - timedelta(days=7), end)
        # a dashboard's "last 24 hours" is not hour-aligned: both partial hours come from raw hits
        win = Window(end - timedelta(hours=24) + timedelta(seconds=17), end - timedelta(seconds=43))
        q24 = {"from": win.start.isoformat(), "to": win.end.isoformat()}
        top = lambda m, by: (lambda p: m.top(p, TENANT, win, Filters(), by, 10))  # noqa: E731
        cases = [
            ("attacks list (24 h, 100 per page)", "/v1/attacks", {**q24, "limit": 100},
             lambda p: analytics.attacks(p, TENANT, win, Filters(), 100, None),
             lambda p: api_scan_sql.attacks(p, TENANT, win, Filters(), 100, None)),
            ("metrics series (7 days, hourly)", "/v1/metrics/series",
             {"from": week.start.isoformat(), "to": week.end.isoformat(), "interval": "hour"},
             lambda p: analytics.series(p, TENANT, week, Filters(), "hour"), None),
            ("metrics series (24 h, per minute)", "/v1/metrics/series", {**q24, "interval": "minute"},
             lambda p: analytics.series(p, TENANT, win, Filters(), "minute"), None),
            ("top-10 sources (24 h)", "/v1/metrics/top", {**q24, "by": "sources"},
             top(analytics, "sources"), top(api_scan_sql, "sources")),
            ("top-10 targets (24 h)", "/v1/metrics/top", {**q24, "by": "targets"},
             top(analytics, "targets"), top(api_scan_sql, "targets")),
            ("top-10 types (24 h)", "/v1/metrics/top", {**q24, "by": "types"},
             top(analytics, "types"), top(api_scan_sql, "types")),
            ("hits list (24 h, 100 per page)", "/v1/hits", {**q24, "limit": 100},
             lambda p: analytics.hits(p, TENANT, win, Filters(), 100, None), None),
        ]
        rows = []
        print(f"load average before timing: {' '.join(f'{x:.2f}' for x in os.getloadavg())}", flush=True)
        for name, path, params, capture, scan in cases:
            r = http.get(path, params=params)
            assert r.status_code == 200, r.text
            direct = DirectPool(plain)
            if scan is not None:  # same answer as the scan of every hit (attack ids, counts; top keys and counts)
                assert _same(capture(direct), scan(direct)), name
            fns = [lambda: http.get(path, params=params).raise_for_status(), lambda: capture(direct)]
            api_ms, raw_ms, *scan_ms = timed_together(fns + ([lambda: scan(direct)] if scan is not None else []),
                                                      args.requests)
            scan_ms = scan_ms[0] if scan_ms else None
            rows.append((name, statistics.median(api_ms), pct(api_ms, 99), statistics.median(raw_ms), pct(raw_ms, 99),
                         statistics.median(scan_ms) if scan_ms else None, pct(scan_ms, 99) if scan_ms else None))
            print(f"{name}: API p50 {rows[-1][1]:.1f} ms p99 {rows[-1][2]:.1f} ms | raw SQL p50 {rows[-1][3]:.1f} ms "
                  f"p99 {rows[-1][4]:.1f} ms" + (f" | hits-scan SQL p50 {rows[-1][5]:.1f} ms p99 {rows[-1][6]:.1f} ms"
                                                 if scan_ms else "") + f" (load {os.getloadavg()[0]:.1f})", flush=True)
        nh = {"Authorization": f"Bearer {node}"}
        assert httpx.post(f"{base}/v1/nodes/register", headers=nh, json={"name": "bench-node"},
                          timeout=60).status_code == 200
        for i in range(20):
            assert http.post("/v1/rules", json={"name": f"bench-{i}", "kind": "vpatch", "spec": {
                "action": "vpatch", "match": {"path": {"prefix": f"/bench/{i}"}}}}).status_code == 201
            http.post("/v1/ip-lists", json={"list": "deny", "ip": f"203.0.113.{i}", "ttl_seconds": 86400})
        # the first sync imports MLflow's client (seconds on a loaded machine): not part of the measurement
        etag = httpx.get(f"{base}/v1/nodes/sync", headers=nh, timeout=120).headers["etag"]
        health, _ = rps(f"{base}/health", {}, args.sync_seconds, args.sync_threads)
        full, c1 = rps(f"{base}/v1/nodes/sync", nh, args.sync_seconds, args.sync_threads)
        cached, c2 = rps(f"{base}/v1/nodes/sync", {**nh, "If-None-Match": etag}, args.sync_seconds, args.sync_threads)
        print(f"node sync: {full:.0f} req/s (200, {c1}), {cached:.0f} req/s with If-None-Match (304, {c2}); "
              f"/health ceiling {health:.0f} req/s", flush=True)
        print(f"\nload average at the end: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
        print("\n| endpoint | API p50 ms | API p99 ms | raw SQL p50 ms | raw SQL p99 ms | API / raw (p50) "
              "| hits-scan SQL p50 ms | p99 ms | scan / raw (p50) |")
        print("|---|---|---|---|---|---|---|---|---|")
        for name, a50, a99, r50, r99, s50, s99 in rows:
            scan_cols = f"{s50:.1f} | {s99:.1f} | {s50 / r50:.1f}x" if s50 is not None else "– | – | –"
            print(f"| {name} | {a50:.1f} | {a99:.1f} | {r50:.1f} | {r99:.1f} | {a50 / r50:.2f}x | {scan_cols} |")
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
