"""Bad input to `rampart train`: a clear one-line reason, exit 1, and nothing registered in MLflow."""
from __future__ import annotations

import json
import socket
import subprocess
import sys
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
