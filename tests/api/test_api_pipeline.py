"""Sensor to analyst: a pcap replayed by the sensor into Kafka, stored and analysed by the stream worker, found
through the API; a rule created through the API reaches the node in its next sync and the sensor's rule engine
applies it.

Uses a private Kafka broker started through infra's own service code, a private worker and ClickHouse database."""
from __future__ import annotations

import json
import subprocess
import sys
from collections import Counter

import pytest
import yaml

from api.app import create_app
from conftest import Api, settings_for
from core import topics
from core.events import decode_event
from sensor.rules import parse_rules
from tests.streams.harness import CH, ROOT, WorkerProc, create_topics, unique
from api_testdata import probe_pcap

pytestmark = pytest.mark.services


def test_sensor_to_analyst(stack, private_kafka, tmp_path):
    bootstrap = private_kafka.address()
    create_topics(bootstrap, [topics.TRANSACTIONS])
    tenant = unique("api-e2e-")
    out = tmp_path / "events.jsonl"
    res = subprocess.run([sys.executable, "-m", "rampart", "sensor", "replay", str(probe_pcap(tmp_path / "probe.pcap", 40)),
                          "--kafka", bootstrap, "--events", str(out), "--tenant", tenant,
                          "--spool-dir", str(tmp_path / "spool")], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert res.returncode == 0, res.stderr[-2000:]
    events = [decode_event(line) for line in out.read_text().splitlines() if line.strip()]
    assert len(events) == 41
    ch = CH(stack.clickhouse_port, unique("rampart_api_e2e_"))
    worker = WorkerProc(tmp_path, bootstrap, topics.TRANSACTIONS, ch.db, ch_port=stack.clickhouse_port).start()
    try:
        worker.wait_ready()
        ch.wait_count(len(events), 120)
        # forty 404s from one source within a minute: the worker's forced-browsing detector raises a dirbust hit
        ch.wait_count(1 + sum(len(e.hits) for e in events), 60, table="hits")
        stored = Counter()
        for typ, point, host, path in ch.rows(f"SELECT type, point, host, path FROM {{db}}.hits FINAL "
                                              f"WHERE tenant = '{tenant}'"):
            stored[(typ, json.dumps(json.loads(point)), host, path)] += 1
        assert any(k[0] == "dirbust" for k in stored)
        for e in events:  # whatever the sensor itself detected is stored too
            for h in e.hits:
                assert (h.type, json.dumps(h.point), e.request.host, e.request.target.split("?")[0]) in stored
        api = Api(create_app(settings_for("eu", tmp_path, ch.db, stack)), "eu")
        analyst = api.headers(tenant, "analyst")
        first = min(e.ts for e in events)
        window = {"from": _iso(first - 60), "to": _iso(first + 3600)}
        attacks = api.client.get("/v1/attacks", headers=analyst, params={**window, "limit": 1000})
        assert attacks.status_code == 200, attacks.text
        found = Counter()
        for a in attacks.json()["items"]:
            found[(a["type"], json.dumps(a["point"]), a["host"], a["path"])] += a["hits"]
        assert found == stored  # every stored hit, grouped into attacks, and nothing else
        dirbust = next(a for a in attacks.json()["items"] if a["type"] == "dirbust")
        assert dirbust["sample_sources"] == ["198.18.7.7"]
        # the analyst drills down: the scanner's transactions, with their full events
        txs = api.client.get("/v1/transactions", headers=analyst, params={
            **window, "source_ip": "198.18.7.7", "status": 404, "limit": 1000}).json()["items"]
        assert {t["id"] for t in txs} == {e.id for e in events if e.response and e.response.status == 404}
        detail = api.client.get(f"/v1/transactions/{txs[0]['id']}", headers=analyst).json()
        assert detail["event"]["tenant"] == tenant and detail["event"]["response"]["status"] == 404
        top = api.client.get("/v1/metrics/top", headers=analyst, params={**window, "by": "sources"}).json()
        assert top["items"][0]["key"] == "198.18.7.7"
        series = api.client.get("/v1/metrics/series", headers=analyst, params={**window, "interval": "hour"}).json()
        assert sum(p["requests"] for p in series["points"]) == len(events)
        # another tenant's analyst sees none of it
        stranger = api.headers(unique("other-"), "analyst")
        assert api.client.get("/v1/attacks", headers=stranger, params=window).json()["items"] == []

        node = api.headers(tenant, "node")
        assert api.client.post("/v1/nodes/register", headers=node, json={"name": "edge-1"}).status_code == 200
        before = api.client.get("/v1/nodes/sync", headers=node)
        made = api.client.post("/v1/rules", headers=analyst, json={
            "name": "vp-backup-files", "kind": "vpatch",
            "spec": {"action": "vpatch", "match": {"host": "shop.example", "path": {"prefix": "/backup"}}}})
        assert made.status_code == 201, made.text
        after = api.client.get("/v1/nodes/sync", headers={**node, "If-None-Match": before.headers["etag"]})
        assert after.status_code == 200 and after.headers["etag"] != before.headers["etag"]
        ruleset = parse_rules(yaml.safe_dump({"rules": [r["spec"] for r in after.json()["rules"]]}))
        probe = next(e for e in events if e.request.target.startswith("/backup"))
        hits, _mode = ruleset.apply(probe.request, list(probe.hits))
        assert [h.rule for h in hits if h.type == "vpatch"] == ["vp-backup-files"]
    finally:
        worker.stop()
        ch.drop()


def _iso(epoch: float) -> str:
    import time

    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(epoch))
