"""The operator's commands: `rampart tokens create|list|revoke`, `rampart api migrate|serve` as real processes."""
from __future__ import annotations

import hashlib
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

ROOT = Path(__file__).resolve().parents[2]


def _env(home: Path, db: str, stack, **extra: str) -> dict[str, str]:
    return {**os.environ, "RAMPART_HOME": str(home), "RAMPART_API_CLICKHOUSE_DATABASE": db,
            "RAMPART_API_CLICKHOUSE_USER": "default", "RAMPART_API_CLICKHOUSE_PASSWORD": "",
            "RAMPART_API_CLICKHOUSE_PORT": str(stack.clickhouse_port), "RAMPART_API_MLFLOW_URL": stack.mlflow_url,
            "RAMPART_API_METRICS_PORT": "0", "RAMPART_API_KAFKA_BOOTSTRAP": "", **extra}


def rampart(env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "rampart", *args], env=env, capture_output=True, text=True,
                          timeout=120, cwd=ROOT)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_tokens_commands(tmp_path, ch, stack):
    env = _env(tmp_path, ch[1], stack)
    made = rampart(env, "tokens", "create", "--region", "eu", "--tenant", "new-tenant", "--role", "analyst")
    assert made.returncode == 0, made.stderr
    token = made.stdout.strip().splitlines()[-1]
    assert token.startswith("rpt_eu_") and len(token) >= 7 + 43
    # stored only as a hash: the secret appears nowhere in the database file
    db = tmp_path / "api" / "eu" / "control.db"
    raw = db.read_bytes() + (db.with_name("control.db-wal").read_bytes() if db.with_name("control.db-wal").exists()
                             else b"")
    assert token.encode() not in raw and token[7:].encode() not in raw
    with sqlite3.connect(db) as conn:
        (stored,) = conn.execute("SELECT token_hash FROM api_tokens").fetchone()
        assert conn.execute("SELECT name FROM tenants").fetchall() == [("new-tenant",)]
    assert stored == hashlib.sha256(token.encode()).hexdigest()
    listed = rampart(env, "tokens", "list", "--region", "eu")
    assert listed.returncode == 0 and "new-tenant" in listed.stdout and token not in listed.stdout
    assert "active" in listed.stdout
    assert rampart(env, "tokens", "revoke", "--region", "eu", "1").returncode == 0
    assert "revoked" in rampart(env, "tokens", "list", "--region", "eu").stdout
    again = rampart(env, "tokens", "revoke", "--region", "eu", "1")
    assert again.returncode == 1 and "no active token" in again.stderr
    bad = rampart(env, "tokens", "create", "--region", "eu", "--tenant", "x", "--role", "root")
    assert bad.returncode == 2
    # regions share nothing: the US control plane has no tokens
    assert rampart(env, "tokens", "list", "--region", "us").stdout.strip() == ""


def test_migrate_command(tmp_path, ch, stack):
    env = _env(tmp_path, ch[1], stack)
    res = rampart(env, "api", "migrate", "--region", "us")
    from api.migrate import head_revision

    assert res.returncode == 0 and f"revision {head_revision()}" in res.stdout
    assert (tmp_path / "api" / "us" / "control.db").exists()
    broken = rampart({**env, "RAMPART_API_DATABASE_URL": "postgresql://nobody@127.0.0.1:1/none"},
                     "api", "migrate", "--region", "us")
    assert broken.returncode == 1 and broken.stderr.startswith("rampart api migrate:")
    assert len(broken.stderr.strip().splitlines()) == 1


def test_serve_over_http(tmp_path, ch, stack):
    port, metrics_port = _free_port(), _free_port()
    env = _env(tmp_path, ch[1], stack, RAMPART_API_METRICS_PORT=str(metrics_port))
    token = rampart(env, "tokens", "create", "--region", "eu", "--tenant", "acme", "--role", "read_only"
                    ).stdout.strip().splitlines()[-1]
    proc = subprocess.Popen([sys.executable, "-m", "rampart", "api", "serve", "--region", "eu", "--port", str(port)],
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT)
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"{base}/health", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"api serve did not come up: {proc.stderr.read() if proc.poll() is not None else ''}")
            time.sleep(0.3)
        assert httpx.get(f"{base}/ready").json()["checks"] == {"database": "ok", "clickhouse": "ok"}
        assert httpx.get(f"{base}/v1/attacks").status_code == 401
        r = httpx.get(f"{base}/v1/attacks", headers={"Authorization": f"Bearer {token}"})
        assert r.status_code == 200 and r.json() == {"items": [], "next_cursor": None}
        spec = httpx.get(f"{base}/openapi.json").json()
        assert "/v1/nodes/sync" in spec["paths"] and spec["components"]["securitySchemes"]
        # Prometheus metrics: only on the loopback metrics listener, never on the API port
        assert httpx.get(f"{base}/metrics").status_code == 404
        page = httpx.get(f"http://127.0.0.1:{metrics_port}/metrics").text
        assert 'rampart_api_requests_total{method="GET",route="/v1/attacks",status="401"} 1.0' in page
        assert 'rampart_api_requests_total{method="GET",route="/v1/attacks",status="200"} 1.0' in page
        assert 'rampart_api_auth_failures_total{reason="missing"} 1.0' in page
        assert 'route="unmatched",status="404"' in page
        assert 'rampart_api_clickhouse_query_duration_seconds_count{outcome="ok"}' in page
    finally:
        proc.send_signal(signal.SIGTERM)
        out, err = proc.communicate(timeout=30)
    assert proc.returncode == 0, err[-500:]
    assert token not in out + err  # secrets never reach the log
