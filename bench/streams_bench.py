"""Streams benchmark: worker events/s beside a bare confluent-kafka consumer, and end-to-end latency p50/p99."""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402
from confluent_kafka import Consumer, TopicPartition  # noqa: E402

from core.config import StackConfig  # noqa: E402
from tests.streams.eventgen import encoded, make_event  # noqa: E402
from tests.streams.harness import CH, WorkerProc, create_topics, producer, unique  # noqa: E402

PARTITIONS = 3


def register_model(mlflow_url: str, tmp: Path) -> str:
    """A registered LR model (zero weights, so scores are constant) under a bench-only name; returns the name."""
    import mlflow
    from mlflow import MlflowClient

    from core.model import FeatureSpec, Model, RampartPyfunc
    mlflow.set_tracking_uri(mlflow_url)
    mlflow.set_registry_uri(mlflow_url)
    mlflow.set_experiment("streams-bench")
    name = unique("rampart-detector-bench-")
    spec = FeatureSpec()
    d = Model(kind="lr", spec=spec, coef=np.zeros(spec.size), intercept=-2.0).save(tmp / "model")
    with mlflow.start_run():
        info = mlflow.pyfunc.log_model(name="model", python_model=RampartPyfunc(),
                                       artifacts={"rampart_model": str(d)}, pip_requirements=["numpy"])
    mv = mlflow.register_model(info.model_uri, name, await_registration_for=60)
    MlflowClient(mlflow_url, mlflow_url).set_registered_model_alias(name, "champion", mv.version)
    return name


def fill(bootstrap: str, topic: str, n: int) -> None:
    p = producer(bootstrap)
    for i in range(n):
        k, v = encoded(make_event(i))
        while True:
            try:
                p.produce(topic, v, k)
                break
            except BufferError:
                p.poll(0.05)
    assert p.flush(120) == 0


def bare_consumer(bootstrap: str, topic: str, n: int) -> float:
    """Events/s of a bare confluent-kafka consumer reading the topic from the start (the ceiling)."""
    c = Consumer({"bootstrap.servers": bootstrap, "group.id": unique("bench-bare-"), "auto.offset.reset": "earliest",
                  "enable.auto.commit": False, "fetch.min.bytes": 1 << 16})
    c.assign([TopicPartition(topic, p, 0) for p in range(PARTITIONS)])
    got = 0
    t0 = None
    while got < n:
        msgs = c.consume(10000, 1.0)
        if t0 is None and msgs:
            t0 = time.perf_counter()
        got += sum(1 for m in msgs if not m.error())
    dt = time.perf_counter() - t0
    c.close()
    return n / dt


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far (/proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def worker_throughput(w: WorkerProc, ch: CH, n: int) -> tuple[float, float]:
    """Events/s of the worker draining a pre-filled topic (score + metrics + behaviour + discovery + sink), and
    the worker's own CPU time per event in µs (what the shared machine's load does not change much)."""
    t0 = None
    while True:
        h = w.health() or {}
        if t0 is None and h.get("received", 0) > 0:
            t0, base, c0 = time.perf_counter(), h.get("stored", 0), cpu_seconds(w.proc.pid)
        if h.get("stored", 0) >= n:
            break
        time.sleep(0.05)
    dt = time.perf_counter() - t0
    cpu = cpu_seconds(w.proc.pid) - c0
    assert ch.scalar("SELECT count() FROM {db}.transactions FINAL") == n
    return (n - base) / dt, cpu / (n - base) * 1e6


def latency(bootstrap: str, topic: str, ch: CH, rate: int, seconds: float) -> list[float]:
    """Produce at `rate` ev/s; latency = first poll that sees the row queryable - publish time (ts)."""
    p = producer(bootstrap)
    seen: dict[int, int] = {q: -1 for q in range(PARTITIONS)}
    lat: list[float] = []
    n = int(rate * seconds)
    start = time.time()
    sent = 0
    next_poll = start
    base = 10_000_000
    while True:
        now = time.time()
        due = min(n, int((now - start) * rate))
        while sent < due:
            k, v = encoded(make_event(base + sent, ts=time.time()))
            p.produce(topic, v, k)
            sent += 1
        p.poll(0)
        if now >= next_poll:
            cond = " OR ".join(f"(src_partition = {q} AND src_offset > {o})" for q, o in seen.items())
            rows = ch.rows(f"SELECT src_partition, src_offset, ts FROM {{db}}.transactions WHERE {cond}")
            t_seen = time.time()
            for q, o, ts in rows:
                seen[q] = max(seen[q], o)
                lat.append(t_seen - ts)
            next_poll = t_seen + 0.05
            if sent >= n and len(lat) >= n:
                break
            assert t_seen - start < seconds + 60, f"only {len(lat)}/{n} rows arrived"
        time.sleep(0.001)
    p.flush(30)
    return lat


def pct(xs: list[float], q: float) -> float:
    return float(np.percentile(np.array(xs), q))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--events", type=int, default=100_000)
    ap.add_argument("--seconds", type=float, default=10.0, help="length of each latency run")
    ap.add_argument("--runs", type=int, default=3, help="throughput repetitions (median reported)")
    ap.add_argument("--baseline-tree", type=Path, default=None,
                    help="a source tree holding an earlier version of the worker, measured on the same topics")
    ap.add_argument("--worker-args", default="", help="extra `rampart streams worker` options, e.g. '--batch-size 5000'")
    ap.add_argument("--rates", type=int, nargs="*", default=[1000, 5000],
                    help="publish rates (ev/s) of the latency runs; none to skip them")
    args = ap.parse_args()
    cfg = StackConfig.from_env(home=str(ROOT / ".rampart"))
    bootstrap = cfg.kafka_bootstrap("eu")
    tmp = Path(tempfile.mkdtemp(prefix="streams-bench-"))
    model = register_model(cfg.mlflow_url, tmp)
    try:
        run_all(args, cfg, bootstrap, tmp, model)
    finally:
        from mlflow import MlflowClient
        MlflowClient(cfg.mlflow_url, cfg.mlflow_url).delete_registered_model(model)


def run_all(args: argparse.Namespace, cfg: StackConfig, bootstrap: str, tmp: Path, model: str) -> None:
    bare, work, base, cpu = [], [], [], []
    for run in range(args.runs):
        topic = unique("bench.streams.")
        create_topics(bootstrap, [topic, f"{topic}.dlq", f"{topic}.scores", f"{topic}.denylist"], PARTITIONS)
        fill(bootstrap, topic, args.events)
        bare.append(bare_consumer(bootstrap, topic, args.events))
        trees = [("new", ROOT, work)] + ([("base", args.baseline_tree, base)] if args.baseline_tree else [])
        for label, tree, out in trees:
            ch = CH(cfg.clickhouse_port, unique("rampart_bench_"))
            d = tmp / f"r{run}-{label}"
            d.mkdir()
            w = WorkerProc(d, bootstrap, topic, ch.db, ch_port=cfg.clickhouse_port, mlflow=cfg.mlflow_url,
                           extra=["--model-name", model, "--batch-seconds", "0.25", "--group", f"g-{topic}-{label}",
                                  *args.worker_args.split()],
                           cwd=tree)
            w.start()
            w.wait_ready()
            try:
                rate, us = worker_throughput(w, ch, args.events)
                out.append(rate)
                if label == "new":
                    cpu.append(us)
                h = w.health()
                assert "scoring with" in h["scoring"], h["scoring"]
            finally:
                w.stop()
                ch.drop()
        print(f"run {run}: load average {os.getloadavg()[0]:.1f}, bare consumer {bare[-1]:,.0f} ev/s, "
              f"worker {work[-1]:,.0f} ev/s ({cpu[-1]:.0f} µs CPU/event)"
              + (f", baseline worker {base[-1]:,.0f} ev/s" if base else ""), flush=True)
    lat_results: dict[tuple[str, int], list[float]] = {}
    trees = [("new", ROOT)] + ([("base", args.baseline_tree)] if args.baseline_tree else [])
    for rate in args.rates:
        for label, tree in trees:
            topic = unique("bench.streams.lat.")
            create_topics(bootstrap, [topic, f"{topic}.dlq", f"{topic}.scores", f"{topic}.denylist"], PARTITIONS)
            ch = CH(cfg.clickhouse_port, unique("rampart_bench_"))
            d = tmp / f"lat{rate}-{label}"
            d.mkdir()
            w = WorkerProc(d, bootstrap, topic, ch.db, ch_port=cfg.clickhouse_port, mlflow=cfg.mlflow_url,
                           extra=["--model-name", model, "--batch-seconds", "0.25", *args.worker_args.split()], cwd=tree)
            w.start()
            w.wait_ready()
            while "scoring with" not in (w.health() or {}).get("scoring", ""):
                time.sleep(0.2)
            time.sleep(3)    # group settled
            try:
                lat = latency(bootstrap, topic, ch, rate, args.seconds)
            finally:
                w.stop()
                ch.drop()
            lat_results[(label, rate)] = lat
            print(f"{label} worker, latency at {rate} ev/s: p50 {pct(lat, 50) * 1000:.0f} ms, "
                  f"p99 {pct(lat, 99) * 1000:.0f} ms ({len(lat)} events)", flush=True)
    print("\n| measurement | median | runs |\n|---|---|---|")
    mb, mw = (statistics.median(bare), statistics.median(work)) if bare else (float("nan"), float("nan"))
    print(f"| bare confluent-kafka consumer (ceiling) | {mb:,.0f} ev/s | {', '.join(f'{x:,.0f}' for x in bare)} |")
    print(f"| worker: score + metrics + behaviour + discovery + sink | {mw:,.0f} ev/s | "
          f"{', '.join(f'{x:,.0f}' for x in work)} |")
    print(f"| worker CPU time per event (its own process) | {statistics.median(cpu):.0f} µs | "
          f"{', '.join(f'{x:.0f}' for x in cpu)} |")
    print(f"| ratio worker / ceiling | {mw / mb:.3f} | |")
    if base:
        mbase = statistics.median(base)
        runs = ", ".join(f"{x:,.0f}" for x in base)
        print(f"| baseline worker ({args.baseline_tree}) | {mbase:,.0f} ev/s | {runs} |")
        print(f"| ratio worker / baseline worker | {mw / mbase:.1f} | |")
    for (label, rate), lat in lat_results.items():
        who = "worker" if label == "new" else "baseline worker"
        print(f"| {who}: end-to-end latency at {rate:,} ev/s (publish -> queryable) | "
              f"p50 {pct(lat, 50) * 1000:.0f} ms, p99 {pct(lat, 99) * 1000:.0f} ms | {len(lat)} events |")

if __name__ == "__main__":
    main()
