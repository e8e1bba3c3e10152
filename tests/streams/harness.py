"""Test harness: a worker subprocess, topics, producers and ClickHouse queries for streams tests."""
from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path
from typing import Callable

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


def wait_for(what: str, cond: Callable[[], object], timeout: float, tail: Callable[[], str] = lambda: "",
             every: float = 0.2) -> float:
    """Seconds until `cond()` holds; fails naming `what` (and `tail()`, e.g. a worker log) after `timeout`."""
    t0 = time.monotonic()
    while not cond():
        assert time.monotonic() - t0 < timeout, f"{what}: not within {timeout}s\n{tail()}"
        time.sleep(every)
    return time.monotonic() - t0


class Load(threading.Thread):
    """Produces (key, value) items to a topic: `per_second` of them in ten steps a second, or as fast as it can
    when 0. Run it as a thread (`start`, then `finish`) to keep producing while the test acts; `sent` counts what
    was handed to the producer so far. Failures in the thread are kept and raised by `check`/`finish`."""

    def __init__(self, bootstrap: str, topic: str, items: list[tuple[bytes, bytes]], per_second: int = 0,
                 flush_timeout: float = 60.0) -> None:
        super().__init__(name=f"load-{topic}")
        self.bootstrap, self.topic, self.items = bootstrap, topic, items
        self.per_second, self.flush_timeout = per_second, flush_timeout
        self.sent = 0
        self.errors: list[str] = []
        self._halt = threading.Event()

    def _delivered(self, err, _msg) -> None:  # noqa: ANN001 - confluent-kafka callback
        if err is not None:
            self.errors.append(str(err))

    def run(self) -> None:
        try:
            p = producer(self.bootstrap)
            step = max(1, self.per_second // 10) if self.per_second else 1000
            for k in range(0, len(self.items), step):
                if self._halt.is_set():
                    break
                for key, value in self.items[k:k + step]:
                    while True:
                        try:
                            p.produce(self.topic, value, key, on_delivery=self._delivered)
                            break
                        except BufferError:      # local queue full: let deliveries drain first
                            p.poll(0.1)
                self.sent = min(k + step, len(self.items))
                p.poll(0)
                if self.per_second:
                    time.sleep(0.1)
            left = p.flush(self.flush_timeout)
            if left:
                self.errors.append(f"{left} events still undelivered after {self.flush_timeout}s")
        except Exception as exc:  # noqa: BLE001 - raised in the test's thread by check()
            self.errors.append(f"{type(exc).__name__}: {exc}")

    def check(self) -> None:
        assert not self.errors, f"{self.topic}: {len(self.errors)} produce errors, the first: {self.errors[:3]}"

    def finish(self, timeout: float) -> None:
        """Wait for the thread; fails unless it ended and every event was delivered."""
        self.join(timeout)
        assert not self.is_alive(), f"{self.topic}: still producing after {timeout}s ({self.sent} sent)"
        self.check()

    def halt(self, timeout: float = 60.0) -> None:
        """Clean-up (a test that failed midway): stop producing and wait for the thread."""
        self._halt.set()
        if self.is_alive():
            self.join(timeout)


def produce(bootstrap: str, topic: str, items: list[tuple[bytes, bytes]]) -> None:
    """Send every item now, in this thread; fails unless all are delivered."""
    load = Load(bootstrap, topic, items)
    load.run()
    load.check()


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

    def wait_count(self, n: int, timeout: float, table: str = "transactions", final: bool = True,
                   tail: Callable[[], str] = lambda: "") -> float:
        """Seconds until `table` holds n rows (deduplicated with FINAL, or raw rows); a failing query (a server
        restarting) counts as not yet."""
        t0 = time.monotonic()
        last: object = -1
        sql = f"SELECT count() FROM {{db}}.{table}{' FINAL' if final else ''}"
        while time.monotonic() - t0 < timeout:
            try:
                last = self.scalar(sql)
            except Exception as exc:  # noqa: BLE001 - server restarting
                last = f"query failed: {exc}"
            if isinstance(last, int) and last >= n:
                return time.monotonic() - t0
            time.sleep(0.2)
        raise AssertionError(f"{self.db}.{table}: {last} rows after {timeout}s, expected {n}\n{tail()}")

    def assert_stored_once(self, n: int) -> int:
        """Each of n events is stored once (FINAL rows, distinct ids, the metrics_1m total); returns the raw row
        count (duplicates FINAL hides), which callers check or report."""
        raw = self.scalar("SELECT count() FROM {db}.transactions")
        final = self.scalar("SELECT count() FROM {db}.transactions FINAL")
        assert final == n, f"{final} transactions after FINAL, {n} sent"
        ids = self.scalar("SELECT uniqExact(id) FROM {db}.transactions")
        assert ids == n, f"{ids} distinct transaction ids, {n} sent"
        total = self.scalar("SELECT sum(requests) FROM {db}.metrics_1m WHERE type = ''")
        assert total == n, f"metrics_1m counts {total}, {n} sent ({raw} raw rows)"
        return raw

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

    def wait_caught_up(self, partitions: int, timeout: float) -> float:
        """Seconds until /metrics shows consumer lag 0 on each of the topic's partitions."""
        want = {str(p): 0 for p in range(partitions)}
        seen: dict[str, float] = {}

        def caught_up() -> bool:
            seen.clear()
            seen.update(consumer_lags(self.metrics()))
            return seen == want
        return wait_for(f"consumer lag 0 on all {partitions} partitions", caught_up, timeout,
                        lambda: f"lags {seen}\n{self.tail()}")

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


def consumer_lags(metrics: dict[tuple[str, tuple], float]) -> dict[str, float]:
    """{partition: lag} from a parsed /metrics page (`WorkerProc.metrics`)."""
    return {dict(labels)["partition"]: v for (name, labels), v in metrics.items()
            if name == "rampart_worker_consumer_lag"}
