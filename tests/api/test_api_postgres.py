"""The control plane on a real PostgreSQL server (started here, on a private port, as an unprivileged user)."""
from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Iterator

import psycopg
import pytest
from sqlalchemy import inspect

from api import migrate
from api.db import make_engine
from conftest import Api, settings_for
from api.app import create_app

PG_BIN = Path("/usr/lib/postgresql")


def _pg_tool(name: str) -> str:
    found = shutil.which(name) or next((str(p) for p in sorted(PG_BIN.glob(f"*/bin/{name}"), reverse=True)), None)
    if not found:
        pytest.fail(f"{name} not found: install Debian's postgresql (infra/setup.sh)", pytrace=False)
    return found


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def postgres() -> Iterator[str]:
    """A throw-away PostgreSQL cluster; yields a SQLAlchemy URL of a fresh database on it."""
    as_user = ["runuser", "-u", "nobody", "--"] if os.geteuid() == 0 else []
    root = Path(tempfile.mkdtemp(prefix="rampart-api-pg-"))
    root.chmod(0o755)
    data = root / "data"
    data.mkdir()
    if as_user:
        shutil.chown(root, "nobody")
        shutil.chown(data, "nobody")
    port = _free_port()
    run = lambda *cmd: subprocess.run([*as_user, *cmd], capture_output=True, text=True, timeout=120)  # noqa: E731
    init = run(_pg_tool("initdb"), "-D", str(data), "-A", "trust", "-U", "rampart", "--no-sync", "-E", "UTF8")
    if init.returncode != 0:
        pytest.fail(f"initdb failed: {init.stderr.strip()[-300:]}", pytrace=False)
    start = run(_pg_tool("pg_ctl"), "-D", str(data), "-l", str(root / "pg.log"), "-w", "-t", "60", "-o",
                f"-p {port} -k {root} -c listen_addresses=127.0.0.1 -c fsync=off", "start")
    if start.returncode != 0:
        log = (root / "pg.log").read_text(errors="replace")[-400:] if (root / "pg.log").exists() else ""
        pytest.fail(f"PostgreSQL did not start: {start.stderr.strip()[-200:]} {log}", pytrace=False)
    try:
        with psycopg.connect(f"host=127.0.0.1 port={port} user=rampart dbname=postgres", autocommit=True) as conn:
            conn.execute("CREATE DATABASE rampart_eu")
        yield f"postgresql://rampart@127.0.0.1:{port}/rampart_eu"
    finally:
        run(_pg_tool("pg_ctl"), "-D", str(data), "-m", "fast", "-w", "stop")
        shutil.rmtree(root, ignore_errors=True)


def test_migrations_on_postgres(postgres):
    engine = make_engine(postgres)
    assert engine.dialect.name == "postgresql"
    assert migrate.upgrade(engine) == migrate.head_revision()
    assert migrate.upgrade(engine) == migrate.current_revision(engine)  # idempotent
    tables = set(inspect(engine).get_table_names())
    assert {"tenants", "users", "api_tokens", "nodes", "rules", "ip_lists", "fp_marks", "vuln_states"} <= tables
    engine.dispose()


def test_api_flows_on_postgres(postgres, tmp_path, ch, stack):
    api = Api(create_app(settings_for("eu", tmp_path, ch[1], stack, database_url=postgres)), "eu")
    c = api.client
    a, b = api.headers("pg-a", "admin"), api.headers("pg-b", "admin")
    node = api.headers("pg-a", "node")
    spec = {"action": "disable", "detectors": ["sqli"], "match": {"path": "/search"}}
    rule = c.post("/v1/rules", headers=a, json={"name": "pg-rule", "spec": spec})
    assert rule.status_code == 201, rule.text
    assert c.post("/v1/rules", headers=a, json={"name": "pg-rule", "spec": spec}).status_code == 409
    assert c.get(f"/v1/rules/{rule.json()['id']}", headers=b).status_code == 404
    assert c.get("/v1/rules", headers=b).json()["items"] == []
    assert c.post("/v1/nodes/register", headers=node, json={"name": "pg-node", "mode": "block"}).status_code == 200
    c.get("/v1/nodes/sync", headers=node)  # warms the model lookup so the short expiry below is not raced
    ip = c.post("/v1/ip-lists", headers=a, json={"list": "deny", "ip": "203.0.113.1", "ttl_seconds": 2})
    assert ip.status_code == 201 and ip.json()["active"]
    first = c.get("/v1/nodes/sync", headers=node)
    assert [r["name"] for r in first.json()["rules"]] == ["pg-rule"] and len(first.json()["ip_lists"]) == 1
    assert c.get("/v1/nodes/sync", headers={**node, "If-None-Match": first.headers["etag"]}).status_code == 304
    time.sleep(2.2)
    later = c.get("/v1/nodes/sync", headers={**node, "If-None-Match": first.headers["etag"]})
    assert later.status_code == 200 and later.json()["ip_lists"] == []
    assert c.get("/v1/ip-lists", headers=a).json()["items"] == []
    from api import tokens

    with api.app.state.rampart.sessions() as s:
        rows = tokens.list_tokens(s, "pg-a")
        assert {t.role for t in rows} == {"admin", "node"}
        assert tokens.revoke_token(s, rows[0].id)
        s.commit()
    assert c.get("/v1/rules", headers=a).status_code == 401
    api.app.state.rampart.engine.dispose()
