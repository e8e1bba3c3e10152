"""`python -m infra.demo` end to end: its summary (read through the EU API) matches ClickHouse counted independently."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import datetime, timezone
from pathlib import Path

import pytest
from clickhouse_driver import Client

from infra.demo_traffic import ATTACK_TYPES
from infra.process import StackError
from infra.stack import Stack

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.netns


def _ts(iso: str) -> float:
    return datetime.strptime(iso, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=timezone.utc).timestamp()


@pytest.fixture(scope="module")
def demo_run(stack):
    """Bring up the whole stack (APIs and workers too, as `make demo` does), run the demo once."""
    if os.geteuid() != 0:
        pytest.fail("the demo needs root (network namespaces, bridge, raw sockets)", pytrace=False)
    try:
        Stack(stack.cfg).up(echo=lambda _m: None)
    except StackError as exc:
        pytest.fail(f"local stack could not start: {exc}", pytrace=False)
    summary = stack.cfg.home.resolve() / "demo" / "summary.json"
    summary.unlink(missing_ok=True)
    env = {**os.environ, "RAMPART_HOME": str(stack.cfg.home.resolve())}
    res = subprocess.run([sys.executable, "-m", "infra.demo"], cwd=ROOT, env=env, capture_output=True, text=True,
                         timeout=900)
    if not summary.exists():
        pytest.fail(f"the demo wrote no summary (exit {res.returncode}): {res.stderr[-3000:]}", pytrace=False)
    return res, json.loads(summary.read_text()), stack


def _ch(stack) -> Client:
    return Client(host="127.0.0.1", port=stack.clickhouse_port)


def test_demo_summary_matches_clickhouse(demo_run):
    res, s, stack = demo_run
    ch = _ch(stack)
    db = "rampart_eu"
    t0, t1 = _ts(s["window"]["from"]), _ts(s["window"]["to"])
    p = {"t": "demo", "a": t0, "b": t1}
    where = "tenant = %(t)s AND ts >= %(a)s AND ts < %(b)s"
    total, attacks, blocked = ch.execute(
        f"SELECT uniqExact(id), uniqExactIf(id, verdict = 'attack'), uniqExactIf(id, action != 'none') "
        f"FROM {db}.transactions FINAL WHERE {where}", p)[0]
    # every event the sensor wrote in this run is in the window, and nothing else is
    assert total == sum(s["facts"]["event_files"].values()), (total, s["facts"]["event_files"])
    assert (s["requests"], s["attack_transactions"], s["blocked"]) == (total, attacks, blocked)
    hits = dict(ch.execute(f"SELECT type, count() FROM {db}.hits FINAL WHERE {where} GROUP BY type", p))
    assert s["hits_by_type"] == hits
    per_type = dict(ch.execute(f"SELECT type, uniqExact(event_id) FROM {db}.hits FINAL WHERE {where} "
                               f"GROUP BY type", p))
    assert s["transactions_by_type"] == per_type
    blocked_by_type = {t: ch.execute(f"SELECT uniqExactIf(id, action != 'none') FROM {db}.transactions FINAL "
                                     f"WHERE {where} AND has(types, %(ty)s)", {**p, "ty": t})[0][0]
                       for t in s["blocked_by_type"]}
    assert s["blocked_by_type"] == blocked_by_type
    top = ch.execute(f"SELECT client_ip, count() AS n FROM {db}.hits FINAL WHERE {where} GROUP BY client_ip "
                     f"ORDER BY n DESC, client_ip ASC LIMIT 5", p)
    assert [tuple(x) for x in s["top_sources"]] == top
    vulns = ch.execute(f"SELECT uniqExact(id) FROM {db}.vulnerabilities FINAL WHERE tenant = 'demo' "
                       f"AND host IN ('198.18.10.2:8080', '198.18.10.2')")[0][0]
    assert s["vulnerabilities"] == vulns > 0


def test_demo_story(demo_run):
    res, s, stack = demo_run
    t = s["facts"]["traffic"]
    assert t["browse_ok"] == t["browse"] > 0                       # benign browsing untouched
    enforced = set(ATTACK_TYPES) - set(s["facts"].get("unenforced", []))
    assert enforced >= set(ATTACK_TYPES) - {"vpatch"}
    assert set(s["transactions_by_type"]) >= enforced | {"brute"}  # every type stored, behavioural brute too
    assert t["attacks_reset"] >= len(enforced)                      # the client saw the resets
    assert s["facts"]["brute_ip"] in s["brute_sources"]
    assert s["facts"]["brute_ip"] in s["denylist_api"]
    from mlflow import MlflowClient
    champion = MlflowClient(tracking_uri=stack.mlflow_url).get_model_version_by_alias("rampart-detector", "champion")
    assert s["model"]["version"] == str(champion.version) == s["facts"]["model_version"]
    scores = s["facts"]["scores"]
    assert scores["attack"]["avg"] > scores["clean"]["avg"]         # the new champion tells them apart
    assert "demo failed" not in res.stderr or "node sync" in res.stderr


def test_demo_exits_0_and_leaves_no_network(demo_run):
    res, _s, _stack = demo_run
    namespaces = subprocess.run(["ip", "netns", "list"], capture_output=True, text=True).stdout
    assert "rdemo-" not in namespaces
    assert subprocess.run(["ip", "link", "show", "rdemo-br0"], capture_output=True).returncode != 0
    assert "http://127.0.0.1:18080/docs" in res.stdout and "MLflow UI" in res.stdout
    assert res.returncode == 0, res.stderr[-1500:]
