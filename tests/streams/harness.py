"""Test harness: a worker subprocess, topics, producers and ClickHouse queries for streams tests."""
from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path

from clickhouse_driver import Client
from confluent_kafka import Producer
from confluent_kafka.admin import AdminClient, NewTopic

from core.schema import migrate

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def unique(prefix: str) -> str:
    return f"{prefix}{uuid.uuid4().hex[:10]}"


def create_topics(bootstrap: str, names: list[str], partitions: int = 3) -> None:
    admin = AdminClient({"bootstrap.servers": bootstrap})
    for name, fut in admin.create_topics([NewTopic(n, partitions, 1) for n in names]).items():
        fut.result(timeout=30)


def producer(bootstrap: str) -> Producer:
    return Producer({"bootstrap.servers": bootstrap, "enable.idempotence": True, "acks": "all", "linger.ms": 5,
                     "log_level": 0,
                     "queue.buffering.max.messages": 1_000_000})


def produce(bootstrap: str, topic: str, items: list[tuple[bytes, bytes]]) -> None:
    p = producer(bootstrap)
    for i, (k, v) in enumerate(items):
        while True:
            try:
                p.produce(topic, v, k)
                break
            except BufferError:
                p.poll(0.1)
        if i % 1000 == 0:
            p.poll(0)
    assert p.flush(60) == 0, "producer could not deliver every event"


class CH:
    """Queries on one test database."""

    def __init__(self, port: int, database: str) -> None:
        self.port, self.db = port, database
        self.client = Client("127.0.0.1", port=port, connect_timeout=3)

    def migrate(self) -> None:
        migrate(self.client, self.db)

    def scalar(self, sql: str):
        return self.client.execute(sql.format(db=self.db))[0][0]

    def rows(self, sql: str):
        return self.client.execute(sql.format(db=self.db))

    def wait_count(self, n: int, timeout: float, table: str = "transactions") -> float:
        t0 = time.monotonic()
        last = -1
        while time.monotonic() - t0 < timeout:
            try:
                last = self.scalar(f"SELECT count() FROM {{db}}.{table} FINAL")
            except Exception:  # noqa: BLE001 - server restarting
                last = -1
            if last >= n:
                return time.monotonic() - t0
            time.sleep(0.5)
        raise AssertionError(f"{self.db}.{table}: {last} rows after {timeout}s, expected {n}")

    def drop(self) -> None:
        try:
            self.client.execute(f"DROP DATABASE IF EXISTS {self.db}")
        finally:
            self.client.disconnect()


class WorkerProc:
    """`rampart streams worker` as a subprocess with its own topics, group, database and state folder."""

    def __init__(self, tmp: Path, bootstrap: str, topic: str, database: str, ch_port: int = 19000,
                 mlflow: str = "", extra: list[str] | None = None, cwd: Path | None = None) -> None:
        self.tmp = tmp
        self.cwd = cwd or ROOT        # another source tree runs another version of the worker (benchmarks)
        self.port = free_port()
        self.log = tmp / f"worker-{self.port}.log"
        self.args = [sys.executable, "-m", "rampart", "streams", "worker", "--region", "eu",
                     "--kafka", bootstrap, "--clickhouse", f"127.0.0.1:{ch_port}", "--database", database,
                     "--topic", topic, "--group", f"g-{topic}", "--mlflow", mlflow,
                     "--scores-topic", f"{topic}.scores", "--denylist-topic", f"{topic}.denylist",
                     "--dead-letter-topic", f"{topic}.dlq", "--web-port", str(self.port),
                     "--datadir", str(tmp / "faust"), "--batch-seconds", "0.2", *(extra or [])]
        self.proc: subprocess.Popen | None = None

    def start(self) -> "WorkerProc":
        env = dict(os.environ, RAMPART_HOME=str(self.tmp / "home"), PYTHONUNBUFFERED="1")
        fh = open(self.log, "ab")
        self.proc = subprocess.Popen(self.args, stdout=fh, stderr=subprocess.STDOUT, cwd=self.cwd, env=env,
                                     start_new_session=True)
        return self

    def health(self) -> dict | None:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/health", timeout=2) as r:
                return json.loads(r.read())
        except Exception:  # noqa: BLE001 - not up (yet)
            return None

    def page(self, path: str) -> dict:
        with urllib.request.urlopen(f"http://127.0.0.1:{self.port}{path}", timeout=5) as r:
            return json.loads(r.read())

    def get(self, path: str) -> tuple[int, str, str]:
        """(status, content type, body) of a page, also for error statuses."""
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{self.port}{path}", timeout=10) as r:
                return r.status, r.headers.get("Content-Type", ""), r.read().decode()
        except urllib.error.HTTPError as exc:
            return exc.code, exc.headers.get("Content-Type", ""), exc.read().decode()
        except (urllib.error.URLError, OSError) as exc:     # not listening (yet, or any more)
            return 0, "", str(exc)

    def metrics(self) -> dict[tuple[str, tuple], float]:
        """The /metrics page parsed: {(sample name, sorted label pairs): value}."""
        from prometheus_client.parser import text_string_to_metric_families
        status, ctype, body = self.get("/metrics")
        assert status == 200 and ctype.startswith("text/plain"), (status, ctype, body[:200])
        return {(smp.name, tuple(sorted(smp.labels.items()))): smp.value
                for fam in text_string_to_metric_families(body) for smp in fam.samples}

    def wait_ready(self, timeout: float = 90) -> dict:
        t0 = time.monotonic()
        while time.monotonic() - t0 < timeout:
            assert self.proc and self.proc.poll() is None, f"worker exited: {self.tail()}"
            h = self.health()
            if h is not None:
                return h
            time.sleep(0.5)
        raise AssertionError(f"worker not ready after {timeout}s: {self.tail()}")

    def tail(self, n: int = 30) -> str:
        try:
            return "\n".join(self.log.read_text(errors="replace").splitlines()[-n:])
        except OSError:
            return "(no log)"

    def kill(self, sig: int = signal.SIGKILL) -> None:
        if self.proc and self.proc.poll() is None:
            os.kill(self.proc.pid, sig)
            self.proc.wait(30)

    def stop(self) -> int | None:
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(10)
        return self.proc.returncode if self.proc else None
