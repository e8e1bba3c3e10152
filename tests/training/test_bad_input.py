"""Bad input to `rampart train`: a clear one-line reason, exit 1, and nothing registered in MLflow."""
from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import threading
import uuid
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
RAMPART = [str(ROOT / ".venv/bin/rampart")] if (ROOT / ".venv/bin/rampart").exists() \
    else [sys.executable, "-m", "rampart.cli"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(RAMPART + ["train", "--master", "local[1]", *args], capture_output=True, text=True,
                          timeout=600, cwd=ROOT)


def _no_model(stack, name: str) -> bool:
    from mlflow import MlflowClient
    client = MlflowClient(tracking_uri=stack.mlflow_url, registry_uri=stack.mlflow_url)
    return client.search_registered_models(filter_string=f"name='{name}'") == []


def _reason(proc: subprocess.CompletedProcess) -> str:
    lines = [ln for ln in proc.stderr.splitlines() if ln.startswith("rampart train:")]
    assert len(lines) == 1, proc.stderr[-2000:]
    return lines[0]


def test_unreachable_mlflow_fails_fast(tmp_path: Path) -> None:
    data = tmp_path / "d.jsonl"
    data.write_text(json.dumps({"value": "x", "label": "benign"}) + "\n")
    proc = _run("--data", str(data), "--tracking-uri", f"http://127.0.0.1:{_free_port()}")
    assert proc.returncode == 1
    assert "MLflow tracking server unreachable" in _reason(proc)


def test_bad_usage_exit_2(tmp_path: Path) -> None:
    proc = _run("--learners", "svm")
    assert proc.returncode == 2 and "unknown learner" in proc.stderr


@pytest.mark.services
def test_missing_clickhouse(stack) -> None:
    name = f"tbad-{uuid.uuid4().hex[:8]}"
    proc = _run("--tracking-uri", stack.mlflow_url, "--register", name,
                "--clickhouse-port", str(_free_port()))
    assert proc.returncode == 1
    assert "cannot read ClickHouse at 127.0.0.1:" in _reason(proc)
    assert _no_model(stack, name)


@pytest.mark.services
@pytest.mark.parametrize("rows,reason", [
    ([], "dataset is empty"),
    ([{"value": f"' or {i}=1 --", "label": "attack"} for i in range(50)], "dataset has one class only (50 attack"),
    ([{"value": f"v{i}", "label": "unknown"} for i in range(5)], "dataset is empty"),
])
def test_unusable_dataset(stack, tmp_path: Path, rows: list[dict], reason: str) -> None:
    name = f"tbad-{uuid.uuid4().hex[:8]}"
    data = tmp_path / "d.jsonl"
    data.write_text("".join(json.dumps(r) + "\n" for r in rows))
    proc = _run("--data", str(data), "--tracking-uri", stack.mlflow_url, "--register", name,
                "--experiment", name)
    assert proc.returncode == 1
    assert reason in _reason(proc)
    assert _no_model(stack, name)


def _corpus_file(corpus_dir: Path, out: Path, step: int = 25) -> Path:
    """A small two-class labelled file from the corpus (~1,200 rows): trains in seconds."""
    lines = (corpus_dir / "httpparams.jsonl").read_text().splitlines()[::step]
    out.write_text("".join(json.dumps({"point": '["get","q"]', **json.loads(x)}) + "\n" for x in lines))
    return out


@pytest.mark.services
def test_missing_clickhouse_database(stack) -> None:
    name = f"tbad-{uuid.uuid4().hex[:8]}"
    db = f"rampart_nosuch_{uuid.uuid4().hex[:8]}"
    proc = _run("--tracking-uri", stack.mlflow_url, "--register", name, "--database", db,
                "--clickhouse-port", str(stack.clickhouse_port))
    assert proc.returncode == 1
    assert f"ClickHouse database {db} does not exist" in _reason(proc)
    assert "Traceback" not in proc.stderr
    assert _no_model(stack, name)


@pytest.mark.services
def test_empty_clickhouse_database(stack) -> None:
    from clickhouse_driver import Client

    from core.schema import migrate

    name = f"tbad-{uuid.uuid4().hex[:8]}"
    db = f"rampart_tempty_{uuid.uuid4().hex[:8]}"
    ch = Client(host="127.0.0.1", port=stack.clickhouse_port)
    migrate(ch, db)
    try:
        proc = _run("--tracking-uri", stack.mlflow_url, "--register", name, "--experiment", name,
                    "--database", db, "--clickhouse-port", str(stack.clickhouse_port))
    finally:
        ch.execute(f"DROP DATABASE IF EXISTS {db}")
        ch.disconnect()
    assert proc.returncode == 1
    assert "dataset is empty" in _reason(proc)
    assert _no_model(stack, name)


class _Proxy:
    """A loopback TCP proxy to the MLflow server that the test can pull the plug on mid-run."""

    def __init__(self, target: tuple[str, int]) -> None:
        self.target = target
        self.server = socket.create_server(("127.0.0.1", 0))
        self.port = self.server.getsockname()[1]
        self.socks: list[socket.socket] = []
        self.lock = threading.Lock()
        self.closed = False
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self.server.accept()
            except OSError:
                return
            if self.closed:                      # accepted while closing: refuse it
                client.close()
                return
            try:
                upstream = socket.create_connection(self.target, timeout=5)
            except OSError:
                client.close()
                continue
            with self.lock:
                self.socks += [client, upstream]
            for a, b in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pump, args=(a, b), daemon=True).start()

    @staticmethod
    def _pump(src: socket.socket, dst: socket.socket) -> None:
        try:
            while data := src.recv(65536):
                dst.sendall(data)
        except OSError:
            pass
        finally:
            for s in (src, dst):
                try:
                    s.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass

    def close(self) -> None:
        self.closed = True
        try:
            self.server.shutdown(socket.SHUT_RDWR)   # wakes the blocked accept(); close() alone would not
        except OSError:
            pass
        self.server.close()
        with self.lock:
            for s in self.socks:
                try:
                    s.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass
                s.close()


@pytest.mark.services
def test_mlflow_lost_mid_run(stack, tmp_path: Path, corpus_dir: Path) -> None:
    """MLflow answers the start-up check, then goes away while Spark trains: exit 1, one line, nothing logged."""
    from urllib.parse import urlsplit

    url = urlsplit(stack.mlflow_url)
    proxy = _Proxy((url.hostname, url.port))
    name = f"tbad-{uuid.uuid4().hex[:8]}"
    data = _corpus_file(corpus_dir, tmp_path / "d.jsonl")
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    proc = subprocess.Popen(RAMPART + ["train", "--master", "local[1]", "--data", str(data), "--tracking-uri",
                                       f"http://127.0.0.1:{proxy.port}", "--register", name, "--experiment", name,
                                       "--learners", "lr", "--lr-iter", "5"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT, env=env)
    try:
        out = []
        for line in proc.stdout:               # "labelled rows: ..." = the check passed, Spark is working
            out.append(line)
            if line.startswith("labelled rows:"):
                proxy.close()
                break
        assert proxy.server.fileno() == -1, "".join(out) + proc.stderr.read()[-2000:]
        stdout, stderr = proc.communicate(timeout=600)
    finally:
        proxy.close()
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == 1, stderr[-2000:]
    reason = [ln for ln in stderr.splitlines() if ln.startswith("rampart train:")]
    assert len(reason) == 1 and "MLflow logging/registration failed" in reason[0], stderr[-2000:]
    assert "registered" not in stdout
    assert _no_model(stack, name)


@pytest.mark.services
def test_unloadable_champion_registers_nothing(stack, tmp_path: Path, corpus_dir: Path) -> None:
    """With --promote-if-better the new version is registered, then the comparison fails (the champion's
    artifacts are not a model): the run fails with a clear reason and the new version is deleted again."""
    from mlflow import MlflowClient

    client = MlflowClient(tracking_uri=stack.mlflow_url, registry_uri=stack.mlflow_url)
    name = f"tbad-{uuid.uuid4().hex[:8]}"
    exp = client.create_experiment(name)
    run = client.create_run(exp)
    client.log_text(run.info.run_id, "not a model", "model/README.txt")
    client.set_terminated(run.info.run_id)
    client.create_registered_model(name)
    broken = client.create_model_version(name, f"{run.info.artifact_uri}/model", run_id=run.info.run_id)
    client.set_registered_model_alias(name, "champion", broken.version)

    data = _corpus_file(corpus_dir, tmp_path / "d.jsonl")
    proc = _run("--data", str(data), "--tracking-uri", stack.mlflow_url, "--register", name, "--experiment", name,
                "--learners", "lr", "--lr-iter", "5", "--promote-if-better")
    assert proc.returncode == 1, proc.stderr[-2000:]
    assert f"cannot score the current champion ({name} version {broken.version})" in _reason(proc)
    assert [v.version for v in client.search_model_versions(f"name='{name}'")] == [broken.version]
    assert client.get_model_version_by_alias(name, "champion").version == broken.version
    client.delete_registered_model(name)
