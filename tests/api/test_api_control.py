"""Control-plane endpoints: rules, IP lists with expiry, vulnerability lifecycle, FP marks, node sync with ETags."""
from __future__ import annotations

import time
from datetime import datetime, timedelta, timezone

from api_testdata import event, insert_events, insert_vulnerability

RULE = {"name": "vp-admin", "kind": "vpatch", "spec": {"action": "vpatch", "match": {"path": {"prefix": "/admin"}}}}


def test_rules_crud_and_conflicts(api_eu):
    h = api_eu.headers("acme", "analyst")
    c = api_eu.client
    r = c.post("/v1/rules", headers=h, json=RULE)
    assert r.status_code == 201, r.text
    rid = r.json()["id"]
    assert c.post("/v1/rules", headers=h, json=RULE).status_code == 409
    assert c.patch(f"/v1/rules/{rid}", headers=h, json={"enabled": False}).json()["enabled"] is False
    assert c.get("/v1/rules", headers=h, params={"kind": "vpatch"}).json()["items"][0]["id"] == rid
    assert c.get("/v1/rules", headers=h, params={"kind": "rule"}).json()["items"] == []
    bad = c.post("/v1/rules", headers=h, json={**RULE, "name": "x", "spec": {}})
    assert bad.status_code == 422 and bad.headers["content-type"] == "application/problem+json"
    assert c.post("/v1/rules", headers=h, json={**RULE, "name": "bad name!"}).status_code == 422
    assert c.delete(f"/v1/rules/{rid}", headers=h).status_code == 204
    assert c.get(f"/v1/rules/{rid}", headers=h).status_code == 404


def test_ip_lists_expiry(api_eu):
    h = api_eu.headers("acme", "admin")
    c = api_eu.client
    r = c.post("/v1/ip-lists", headers=h, json={"list": "deny", "ip": "203.0.113.7", "ttl_seconds": 1})
    assert r.status_code == 201 and r.json()["active"] is True
    entry = r.json()
    net = c.post("/v1/ip-lists", headers=h, json={"list": "gray", "ip": "2001:db8::1/64", "reason": "scanner"})
    assert net.json()["ip"] == "2001:db8::/64" and net.json()["expires_at"] is None
    assert c.post("/v1/ip-lists", headers=h, json={"list": "deny", "ip": "203.0.113.7"}).status_code == 409
    assert c.post("/v1/ip-lists", headers=h, json={"list": "deny", "ip": "not-an-ip"}).status_code == 400
    past = (datetime.now(timezone.utc) - timedelta(hours=1)).isoformat()
    assert c.post("/v1/ip-lists", headers=h, json={"list": "deny", "ip": "203.0.113.8",
                                                   "expires_at": past}).status_code == 400
    time.sleep(1.2)
    live = c.get("/v1/ip-lists", headers=h).json()["items"]
    assert [e["ip"] for e in live] == ["2001:db8::/64"]
    everything = c.get("/v1/ip-lists", headers=h, params={"include_expired": "true"}).json()["items"]
    assert {e["ip"]: e["active"] for e in everything} == {"203.0.113.7": False, "2001:db8::/64": True}
    renewed = c.post("/v1/ip-lists", headers=h, json={"list": "deny", "ip": "203.0.113.7", "ttl_seconds": 600})
    assert renewed.status_code == 201 and renewed.json()["id"] == entry["id"] and renewed.json()["active"]
    perm = c.patch(f"/v1/ip-lists/{entry['id']}", headers=h, json={"permanent": True}).json()
    assert perm["expires_at"] is None
    assert c.delete(f"/v1/ip-lists/{entry['id']}", headers=h).status_code == 204


def test_vulnerability_lifecycle(api_eu, ch):
    client, db = ch
    insert_vulnerability(client, db, "acme", "v-1", time.time() - 100)
    h = api_eu.headers("acme", "analyst")
    c = api_eu.client
    assert c.get("/v1/vulnerabilities/v-1", headers=h).json()["status"] == "open"
    closed = c.patch("/v1/vulnerabilities/v-1", headers=h, json={"status": "closed", "comment": "fixed"})
    assert closed.status_code == 200 and closed.json()["status"] == "closed"
    assert c.patch("/v1/vulnerabilities/v-1", headers=h, json={"status": "false_positive"}).status_code == 409
    assert c.get("/v1/vulnerabilities", headers=h, params={"status": "closed"}).json()["items"][0]["comment"] == "fixed"
    assert c.get("/v1/vulnerabilities", headers=h, params={"status": "open"}).json()["items"] == []
    assert c.patch("/v1/vulnerabilities/v-1", headers=h, json={"status": "open"}).json()["status"] == "open"
    fp = c.patch("/v1/vulnerabilities/v-1", headers=h, json={"status": "false_positive"})
    assert fp.json()["status"] == "false_positive"
    assert c.get("/v1/vulnerabilities/v-1", headers=api_eu.headers("acme", "read_only")).json()["status"] == \
        "false_positive"
    assert c.patch("/v1/vulnerabilities/v-1", headers=h, json={"status": "bogus"}).status_code == 422
    assert c.patch("/v1/vulnerabilities/none", headers=h, json={"status": "closed"}).status_code == 404


def test_false_positive_marks(api_eu, ch):
    client, db = ch
    ev = event("acme", time.time() - 60, "198.51.100.1", hits=[("sqli", ["get", "q"], "select name")])
    insert_events(client, db, [ev])
    h = api_eu.headers("acme", "analyst")
    c = api_eu.client
    hit_id = f"{ev.id}:0"
    assert c.put(f"/v1/hits/{hit_id}/false-positive", headers=h, json={"comment": "search"}).status_code == 200
    assert c.put(f"/v1/hits/{hit_id}/false-positive", headers=h, json={"comment": "again"}).status_code == 200
    assert c.get("/v1/hits", headers=h).json()["items"][0]["false_positive"] is True
    marks = c.get("/v1/false-positives", headers=h).json()["items"]
    assert [(m["hit_id"], m["transaction_id"], m["comment"]) for m in marks] == [(hit_id, ev.id, "again")]
    assert c.put(f"/v1/hits/{ev.id}:5/false-positive", headers=h, json={}).status_code == 404
    assert c.delete(f"/v1/hits/{hit_id}/false-positive", headers=h).status_code == 204
    assert c.get("/v1/hits", headers=h).json()["items"][0]["false_positive"] is False
    # Every mark and unmark lands in ClickHouse `labels`, which training reads (newest per hit wins).
    labels = client.execute(f"SELECT tenant, event_id, idx, label, source FROM {db}.labels ORDER BY ts")
    assert labels == [("acme", ev.id, 0, "benign", "analyst")] * 2 + [("acme", ev.id, 0, "attack", "analyst")]
    newest = client.execute(f"SELECT argMax(label, ts) FROM {db}.labels WHERE event_id = %(e)s", {"e": ev.id})
    assert newest == [("attack",)]


def test_node_sync_etag(api_eu):
    c = api_eu.client
    node = api_eu.headers("acme", "node")
    analyst = api_eu.headers("acme", "analyst")
    assert c.get("/v1/nodes/sync", headers=node).status_code == 409  # must register first
    reg = c.post("/v1/nodes/register", headers=node, json={"name": "sensor-1", "version": "0.1.0", "mode": "block"})
    assert reg.status_code == 200
    first = c.get("/v1/nodes/sync", headers=node)
    etag = first.headers["etag"]
    assert first.status_code == 200 and first.json()["etag"] == etag and first.json()["rules"] == []
    assert c.get("/v1/nodes/sync", headers={**node, "If-None-Match": etag}).status_code == 304
    assert c.get("/v1/nodes/sync", headers={**node, "If-None-Match": f"W/{etag}"}).status_code == 304
    rule = c.post("/v1/rules", headers=analyst, json=RULE).json()
    second = c.get("/v1/nodes/sync", headers={**node, "If-None-Match": etag})
    assert second.status_code == 200 and second.headers["etag"] != etag
    assert [r["name"] for r in second.json()["rules"]] == ["vp-admin"]
    c.patch(f"/v1/rules/{rule['id']}", headers=analyst, json={"enabled": False})
    third = c.get("/v1/nodes/sync", headers={**node, "If-None-Match": second.headers["etag"]})
    assert third.status_code == 200 and third.json()["rules"] == [] and third.headers["etag"] == etag
    c.post("/v1/ip-lists", headers=analyst, json={"list": "deny", "ip": "203.0.113.5", "ttl_seconds": 1})
    with_ip = c.get("/v1/nodes/sync", headers=node)
    assert [e["ip"] for e in with_ip.json()["ip_lists"]] == ["203.0.113.5"]
    time.sleep(1.2)  # the entry expires: the payload, and so the ETag, change without any write
    expired = c.get("/v1/nodes/sync", headers={**node, "If-None-Match": with_ip.headers["etag"]})
    assert expired.status_code == 200 and expired.json()["ip_lists"] == [] and expired.headers["etag"] == etag
    metrics = c.post("/v1/nodes/metrics", headers=node, json={"metrics": {"packets": 10, "resets_sent": 1}})
    assert metrics.status_code == 204
    (listed,) = c.get("/v1/nodes", headers=analyst).json()["items"]
    assert listed["name"] == "sensor-1" and listed["mode"] == "block" and listed["metrics"]["resets_sent"] == 1
    assert listed["last_sync_at"] is not None
    other = api_eu.headers("acme", "node")
    assert c.post("/v1/nodes/register", headers=other, json={"name": "sensor-1"}).status_code == 409


def test_failed_auth_rate_limit(make_api):
    from fastapi.testclient import TestClient

    api = make_api("eu", auth_fail_limit=5, auth_fail_window=60)
    good = api.headers("acme", "read_only")
    bad = {"Authorization": "Bearer rpt_eu_guess"}
    attacker = TestClient(api.app, client=("192.0.2.66", 5000))
    for _ in range(5):
        assert attacker.get("/v1/rules", headers=bad).status_code == 401
    blocked = attacker.get("/v1/rules", headers=good)
    assert blocked.status_code == 429 and int(blocked.headers["retry-after"]) >= 1
    assert blocked.headers["content-type"] == "application/problem+json"
    assert api.client.get("/v1/rules", headers=good).status_code == 200  # other sources are unaffected
    for _ in range(10):  # a missing token is no guess and is not counted
        assert api.client.get("/v1/rules").status_code == 401
    assert api.client.get("/v1/rules", headers=good).status_code == 200


def test_sync_cache_sees_writes_of_another_api_process(make_api):
    # two API instances on one control-plane database, as behind a load balancer
    first, second = make_api("eu"), make_api("eu")
    node = first.headers("acme", "node")
    analyst = first.headers("acme", "analyst")
    assert first.client.post("/v1/nodes/register", headers=node, json={"name": "lb-node"}).status_code == 200
    before = first.client.get("/v1/nodes/sync", headers=node)
    assert first.client.get("/v1/nodes/sync", headers={**node, "If-None-Match": before.headers["etag"]}
                            ).status_code == 304  # served from the first instance's cache
    assert second.client.post("/v1/rules", headers=analyst, json=RULE).status_code == 201
    after = first.client.get("/v1/nodes/sync", headers={**node, "If-None-Match": before.headers["etag"]})
    assert after.status_code == 200 and [r["name"] for r in after.json()["rules"]] == ["vp-admin"]
