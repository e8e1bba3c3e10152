"""Node reports on rampart.node-metrics.v1: the API applies only its tenants' registered nodes' reports; a real
sensor process publishes them over the region's Kafka and GET /v1/nodes shows them."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import httpx
import pytest

from api.node_metrics import apply_message
from sensor.metrics import COUNTERS, GAUGES, SensorMetrics
from sensor.node_report import report_counters, report_message
from tests.streams.harness import free_port

ROOT = Path(__file__).resolve().parents[2]


def _register(api, tenant: str, name: str) -> str:
    token = api.token(tenant, "node")
    r = api.client.post("/v1/nodes/register", headers={"Authorization": f"Bearer {token}"},
                        json={"name": name, "version": "0.1.0", "mode": "monitoring"})
    assert r.status_code == 200, r.text
    return token


def _nodes(api, tenant: str) -> dict[str, dict]:
    r = api.client.get("/v1/nodes", headers=api.headers(tenant, "read_only"))
    assert r.status_code == 200, r.text
    return {n["name"]: n for n in r.json()["items"]}


def test_reports_update_only_registered_nodes_of_the_named_tenant(api_eu):
    _register(api_eu, "acme", "edge-1")
    _register(api_eu, "globex", "edge-2")
    sessions = api_eu.app.state.rampart.sessions
    key, value = report_message("acme", "edge-1", "0.2.0", "block", {"packets": 10, "hits.sqli": 2})
    assert apply_message(sessions, key, value) == "applied"
    node = _nodes(api_eu, "acme")["edge-1"]
    assert node["metrics"] == {"packets": 10, "hits.sqli": 2} and node["mode"] == "block"
    assert node["version"] == "0.2.0" and node["metrics_at"]

    # forged or broken reports change nothing and never raise
    forged = [report_message("acme", "edge-2", "9", "off", {"packets": 666}),      # globex's node, acme's name
              report_message("initech", "edge-1", "9", "off", {"packets": 666}),   # unknown tenant
              (b"acme|edge-1", report_message("globex", "edge-2", "9", "off", {"packets": 666})[1]),  # key mismatch
              (b"acme|edge-1", b"{not json"), (b"acme|edge-1", None), (b"acme|edge-1", b"[]"),
              (b"acme|edge-1", json.dumps({"tenant": "acme", "node": "edge-1", "counters": {"x": "str"},
                                           "ts": 1}).encode()),
              (b"acme|edge-1", json.dumps({"tenant": "acme", "node": "edge-1", "ts": 1, "counters": {
                  f"k{i}": i for i in range(300)}}).encode()),                     # too many counters
              (None, report_message("acme", "edge-1", "9", "off", {"packets": 666})[1]),
              (b"acme|edge-1", b"x" * 70_000)]
    results = [apply_message(sessions, k, v) for k, v in forged]
    assert results == ["unknown_node", "unknown_node"] + ["invalid"] * 8
    assert _nodes(api_eu, "acme")["edge-1"]["metrics"] == {"packets": 10, "hits.sqli": 2}
    assert _nodes(api_eu, "globex")["edge-2"]["metrics"] is None


def test_report_counters_come_in_process_and_match_the_sensor_metrics_page():
    from prometheus_client import generate_latest
    from prometheus_client.parser import text_string_to_metric_families

    m = SensorMetrics(spool_depth=lambda: 3)
    m.update(0, {"packets": 100, "transactions": 7, "attacks": 2, "hits": {"sqli": 2, "xss": 1}, "active_flows": 4,
                 "kernel_drops": 1, "flows_evicted": 2})
    m.update(1, {"packets": 50, "hits": {"sqli": 1}, "frag_dropped": 1})
    counters = report_counters(m.snapshot())     # the hook: no HTTP round trip to the sensor's own page
    assert counters["packets"] == 150 and counters["transactions"] == 7 and counters["attacks"] == 2
    assert counters["hits.sqli"] == 3 and counters["hits.xss"] == 1 and counters["drops"] == 4
    assert counters["active_flows"] == 4 and counters["spool_depth"] == 3
    assert all(type(v) is int for v in counters.values()), counters
    # exactly what the Prometheus page says: every counter and gauge under its stats key, hits per type
    page: dict[str, float] = {}
    for fam in text_string_to_metric_families(generate_latest(m.registry).decode()):
        for smp in fam.samples:
            page[f"{fam.name}.{smp.labels['type']}" if "type" in smp.labels else fam.name] = smp.value
    names = {key: name for key, (name, _doc) in {**COUNTERS, **GAUGES}.items()}
    expected = {key: page[name] for key, name in names.items()}
    expected |= {f"hits.{fam[len('rampart_sensor_hits.'):]}": v for fam, v in page.items()
                 if fam.startswith("rampart_sensor_hits.")}
    expected["spool_depth"] = page["rampart_sensor_spool_depth"]
    assert counters == expected


def _wait(what: str, check, seconds: float, proc_list=()):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        for p in proc_list:
            if p.poll() is not None:
                pytest.fail(f"{what}: a process exited early ({p.returncode}): {p.stderr.read()[-800:]}")
        got = check()
        if got:
            return got
        time.sleep(0.5)
    pytest.fail(f"{what}: not within {seconds:.0f} s")


def test_sensor_publishes_and_the_api_shows_its_metrics(tmp_path, ch, stack):
    """`rampart sensor run --kafka --api` reports on the EU Kafka; `rampart api serve` consumes and shows it."""
    bootstrap = stack.kafka_bootstrap("eu")
    port, metrics_port = free_port(), free_port()
    tenant, node = f"acme{uuid.uuid4().hex[:8]}", "edge-kafka"
    env = {**os.environ, "RAMPART_HOME": str(tmp_path), "RAMPART_API_CLICKHOUSE_DATABASE": ch[1],
           "RAMPART_API_CLICKHOUSE_USER": "default", "RAMPART_API_CLICKHOUSE_PASSWORD": "",
           "RAMPART_API_CLICKHOUSE_PORT": str(stack.clickhouse_port), "RAMPART_API_MLFLOW_URL": stack.mlflow_url,
           "RAMPART_API_KAFKA_BOOTSTRAP": bootstrap, "RAMPART_API_KAFKA_GROUP": f"test-{uuid.uuid4().hex}",
           "RAMPART_API_METRICS_PORT": str(metrics_port)}

    def cli(*args: str) -> str:
        res = subprocess.run([sys.executable, "-m", "rampart", *args], env=env, capture_output=True, text=True,
                             timeout=120, cwd=ROOT)
        assert res.returncode == 0, res.stderr
        return res.stdout.strip().splitlines()[-1]

    node_token = cli("tokens", "create", "--region", "eu", "--tenant", tenant, "--role", "node")
    reader = cli("tokens", "create", "--region", "eu", "--tenant", tenant, "--role", "read_only")
    procs: list[subprocess.Popen] = []
    try:
        api = subprocess.Popen([sys.executable, "-m", "rampart", "api", "serve", "--region", "eu", "--port",
                                str(port), "--log-level", "warning"], env=env, cwd=ROOT, stdout=subprocess.DEVNULL,
                               stderr=subprocess.PIPE, text=True)
        procs.append(api)
        base = f"http://127.0.0.1:{port}"

        def up() -> bool:
            try:
                return httpx.get(f"{base}/health", timeout=1).status_code == 200
            except httpx.HTTPError:
                return False
        _wait("api serve", up, 60, procs)
        sensor = subprocess.Popen(
            [sys.executable, "-m", "rampart", "sensor", "run", "--iface", "lo", "--bpf", "tcp port 9",
             "--events", str(tmp_path / "events.jsonl"), "--kafka", bootstrap, "--spool-dir", str(tmp_path / "spool"),
             "--api", base, "--sync-interval", "1", "--report-interval", "0.5", "--tenant", tenant, "--node", node,
             "--mode", "monitoring"],
            env={**env, "RAMPART_NODE_TOKEN": node_token}, cwd=ROOT, stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE, text=True)
        procs.append(sensor)
        headers = {"Authorization": f"Bearer {reader}"}

        def reported() -> dict | None:
            items = httpx.get(f"{base}/v1/nodes", headers=headers, timeout=5).json()["items"]
            found = [n for n in items if n["name"] == node and n["metrics"]]
            return found[0] if found else None
        shown = _wait("node metrics over Kafka", reported, 90, procs)
        assert shown["mode"] == "monitoring" and shown["last_sync_at"] and shown["metrics_at"]
        # a periodic report carries every counter and gauge of the sensor's stats, read in-process
        assert {*COUNTERS, *GAUGES, "spool_depth"} <= set(shown["metrics"]), shown["metrics"]
        page = httpx.get(f"http://127.0.0.1:{metrics_port}/metrics").text
        applied = [line for line in page.splitlines()
                   if line.startswith('rampart_api_node_metrics_messages_total{result="applied"}')]
        assert applied and float(applied[0].split()[-1]) >= 1
        sensor.send_signal(signal.SIGTERM)
        assert sensor.wait(30) == 0, sensor.stderr.read()[-800:]
    finally:
        for p in reversed(procs):
            if p.poll() is None:
                p.send_signal(signal.SIGTERM)
                try:
                    p.wait(30)
                except subprocess.TimeoutExpired:
                    p.kill()


def test_stack_points_each_api_at_its_own_regions_kafka(tmp_path):
    from core.config import StackConfig
    from infra.stack import build_services

    cfg = StackConfig.from_env(home=str(tmp_path))
    apis = {s.name: s for s in build_services(cfg) if s.name.startswith("api ")}
    assert set(apis) == {"api eu", "api us"}
    for region in ("eu", "us"):
        env = apis[f"api {region}"].extra_env
        assert env["RAMPART_API_KAFKA_BOOTSTRAP"] == cfg.kafka_bootstrap(region)
        assert env["RAMPART_API_METRICS_PORT"] == str(getattr(cfg, f"api_{region}_port") + 2)
    assert cfg.kafka_bootstrap("eu") != cfg.kafka_bootstrap("us")
