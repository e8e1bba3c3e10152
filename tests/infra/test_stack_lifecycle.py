"""`rampart stack` on a private state folder and private ports: lifecycle and bad input."""
from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
# Below the kernel's ephemeral range (32768-60999): a port in it can be taken at any moment as the local port of some
# outgoing connection of the test run itself (41093 was, once, and `stack up` rightly refused to start).
PRIVATE_PORTS = {
    "RAMPART_KAFKA_EU_PORT": "31092", "RAMPART_KAFKA_EU_CONTROLLER_PORT": "31093",
    "RAMPART_KAFKA_US_PORT": "31192", "RAMPART_KAFKA_US_CONTROLLER_PORT": "31193",
    "RAMPART_CLICKHOUSE_PORT": "31900", "RAMPART_CLICKHOUSE_HTTP_PORT": "31123",
    "RAMPART_MLFLOW_PORT": "31500",
    "RAMPART_API_EU_PORT": "31080", "RAMPART_API_US_PORT": "31081",
    "RAMPART_WORKER_EU_PORT": "31090", "RAMPART_WORKER_US_PORT": "31091",
}
SERVICES = {"kafka eu", "kafka us", "clickhouse", "mlflow", "api eu", "api us", "worker eu", "worker us"}


def rampart(home: Path, *args: str, env_extra: dict | None = None, timeout: float = 240):
    env = {**os.environ, **PRIVATE_PORTS, "RAMPART_HOME": str(home),
           "RAMPART_CACHE": str(ROOT / ".rampart" / "cache"), **(env_extra or {})}
    return subprocess.run([sys.executable, "-m", "rampart", "stack", *args], capture_output=True, text=True,
                          env=env, timeout=timeout)


def processes_mentioning(text: str) -> list[str]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and int(entry.name) != os.getpid():
            try:
                cmd = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            except OSError:
                continue
            if text in cmd:
                found.append(f"{entry.name}: {cmd[:120]}")
    return found


@pytest.fixture
def home(tmp_path):
    h = tmp_path / "stack"
    yield h
    rampart(h, "down")


def test_up_status_idempotent_down_leaves_nothing(stack, home):
    # `stack` first: the shared cache of jars exists, so nothing is downloaded here.
    first = rampart(home, "up")
    assert first.returncode == 0, first.stderr
    assert "kafka eu: started" in first.stderr and "mlflow: started" in first.stderr

    st = rampart(home, "status", "--json")
    assert st.returncode == 0, st.stdout + st.stderr
    rows = {r["name"]: r for r in json.loads(st.stdout)}
    assert set(rows) == SERVICES
    assert all(r["healthy"] for r in rows.values())
    assert rows["kafka eu"]["address"] == "127.0.0.1:31092"
    assert rows["api eu"]["address"] == "http://127.0.0.1:31080"
    # the private worker reads the private Kafka, not the shared one
    assert any("127.0.0.1:31092" in p for p in processes_mentioning("streams worker --region eu"))

    t0 = time.monotonic()
    again = rampart(home, "up")
    assert again.returncode == 0 and again.stderr.count("already running") == len(SERVICES)
    assert time.monotonic() - t0 < 30

    assert processes_mentioning(str(home))
    down = rampart(home, "down")
    assert down.returncode == 0, down.stderr
    assert processes_mentioning(str(home)) == []
    after = rampart(home, "status")
    assert after.returncode == 1 and "stopped" in after.stdout


def test_port_in_use_is_a_one_line_reason(home):
    # Another program listens on the port MLflow should take (a free one, so no TIME_WAIT leftovers interfere).
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen()
        port = s.getsockname()[1]
        res = rampart(home, "up", "--service", "mlflow", env_extra={"RAMPART_MLFLOW_PORT": str(port)}, timeout=60)
    assert res.returncode == 1
    lines = res.stderr.strip().splitlines()
    assert lines[-1] == f"rampart stack up: mlflow: port {port} on 127.0.0.1 is already in use by another process"


def test_missing_java_is_a_one_line_reason(home, tmp_path):
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    # A PATH with python's own folder but no java.
    os.symlink(sys.executable, bin_dir / "python3")
    res = rampart(home, "up", "--service", "kafka eu", env_extra={"PATH": str(bin_dir)}, timeout=60)
    assert res.returncode == 1
    assert res.stderr.strip().splitlines()[-1].startswith("rampart stack up: kafka eu: java not found on PATH")


def test_corrupt_kafka_data_folder_is_a_one_line_reason(stack, home):
    data = home / "kafka-eu" / "data"
    data.mkdir(parents=True)
    (data / "meta.properties").write_bytes(b"\x00\xffgarbage")
    (data / "__cluster_metadata-0").mkdir()
    t0 = time.monotonic()
    res = rampart(home, "up", "--service", "kafka eu", timeout=120)
    assert res.returncode == 1
    last = res.stderr.strip().splitlines()[-1]
    assert last.startswith("rampart stack up: kafka eu: data folder") and "corrupt" in last
    assert time.monotonic() - t0 < 60


def test_kafka_that_dies_at_start_reports_its_log(stack, home):
    # A valid-looking but mismatched meta.properties: the broker itself refuses to start.
    svc_home = home / "kafka-eu" / "data"
    svc_home.mkdir(parents=True)
    (svc_home / "meta.properties").write_text("version=1\ncluster.id=AAAAAAAAAAAAAAAAAAAAAA\nnode.id=7\n"
                                              "directory.id=AAAAAAAAAAAAAAAAAAAAAA\n")
    res = rampart(home, "up", "--service", "kafka eu", timeout=180)
    assert res.returncode == 1
    last = res.stderr.strip().splitlines()[-1]
    assert last.startswith("rampart stack up: kafka eu:") and "log:" in last
