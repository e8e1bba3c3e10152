"""Isolation matrix: every /v1 endpoint refuses missing, foreign-region and wrong-role tokens; tenants never mix."""
from __future__ import annotations

import time

import pytest

from api_testdata import event, insert_endpoint, insert_events, insert_vulnerability

READ = {"admin", "analyst", "read_only"}
WRITE = {"admin", "analyst"}
NODE = {"node"}
ADMIN = {"admin"}
ROLES = ("admin", "analyst", "read_only", "node")

# (method, route path, roles allowed, concrete path, json body)
MATRIX = [
    ("GET", "/v1/attacks", READ, "/v1/attacks", None),
    ("GET", "/v1/hits", READ, "/v1/hits", None),
    ("GET", "/v1/transactions", READ, "/v1/transactions", None),
    ("GET", "/v1/transactions/{transaction_id}", READ, "/v1/transactions/x", None),
    ("GET", "/v1/metrics/series", READ, "/v1/metrics/series", None),
    ("GET", "/v1/metrics/top", READ, "/v1/metrics/top", None),
    ("GET", "/v1/endpoints", READ, "/v1/endpoints", None),
    ("GET", "/v1/vulnerabilities", READ, "/v1/vulnerabilities", None),
    ("GET", "/v1/vulnerabilities/{vuln_id}", READ, "/v1/vulnerabilities/v", None),
    ("PATCH", "/v1/vulnerabilities/{vuln_id}", WRITE, "/v1/vulnerabilities/v", {"status": "closed"}),
    ("PUT", "/v1/hits/{hit_id}/false-positive", WRITE, "/v1/hits/e:0/false-positive", {}),
    ("DELETE", "/v1/hits/{hit_id}/false-positive", WRITE, "/v1/hits/e:0/false-positive", None),
    ("GET", "/v1/false-positives", READ, "/v1/false-positives", None),
    ("GET", "/v1/rules", READ, "/v1/rules", None),
    ("POST", "/v1/rules", WRITE, "/v1/rules", {"name": "matrix",
                                                    "spec": {"action": "mode", "mode": "block", "match": {"path": "/x"}}}),
    ("GET", "/v1/rules/{rule_id}", READ, "/v1/rules/999", None),
    ("PATCH", "/v1/rules/{rule_id}", WRITE, "/v1/rules/999", {"enabled": False}),
    ("DELETE", "/v1/rules/{rule_id}", WRITE, "/v1/rules/999", None),
    ("GET", "/v1/ip-lists", READ, "/v1/ip-lists", None),
    ("POST", "/v1/ip-lists", WRITE, "/v1/ip-lists", {"list": "deny", "ip": "203.0.113.9"}),
    ("GET", "/v1/ip-lists/{entry_id}", READ, "/v1/ip-lists/999", None),
    ("PATCH", "/v1/ip-lists/{entry_id}", WRITE, "/v1/ip-lists/999", {"reason": "x"}),
    ("DELETE", "/v1/ip-lists/{entry_id}", WRITE, "/v1/ip-lists/999", None),
    ("POST", "/v1/nodes/register", NODE, "/v1/nodes/register", {"name": "matrix-node"}),
    ("GET", "/v1/nodes/sync", NODE, "/v1/nodes/sync", None),
    ("POST", "/v1/nodes/metrics", NODE, "/v1/nodes/metrics", {"metrics": {"packets": 1}}),
    ("GET", "/v1/nodes", READ, "/v1/nodes", None),
    ("GET", "/v1/nodes/{node_id}", READ, "/v1/nodes/999", None),
    ("DELETE", "/v1/nodes/{node_id}", ADMIN, "/v1/nodes/999", None),
    ("GET", "/v1/models/current", READ, "/v1/models/current", None),
]


def test_matrix_covers_every_v1_route(api_eu):
    routes = {(m.upper(), path) for path, ops in api_eu.app.openapi()["paths"].items() if path.startswith("/v1")
              for m in ops}
    assert routes == {(m, p) for m, p, *_ in MATRIX}


def test_auth_matrix(make_api):
    eu, us = make_api("eu", auth_fail_limit=10**6), make_api("us", auth_fail_limit=10**6)
    tokens = {role: eu.token("acme", role) for role in ROLES}
    us_admin = us.token("acme", "admin")
    for method, _route, allowed, path, body in MATRIX:
        call = lambda headers: eu.client.request(method, path, json=body, headers=headers)  # noqa: E731
        r = call({})
        assert r.status_code == 401, (method, path, r.status_code)
        assert r.headers["content-type"] == "application/problem+json"
        assert r.json()["status"] == 401
        assert call({"Authorization": "Bearer rpt_eu_not-a-real-token"}).status_code == 401
        assert call({"Authorization": f"Bearer {us_admin}"}).status_code == 401, (method, path)
        assert us.client.request(method, path, json=body,
                                 headers={"Authorization": f"Bearer {tokens['admin']}"}).status_code == 401
        for role in ROLES:
            r = call({"Authorization": f"Bearer {tokens[role]}"})
            if role in allowed:
                assert r.status_code not in (401, 403), (method, path, role, r.status_code, r.text)
            else:
                assert r.status_code == 403, (method, path, role, r.status_code)
                assert r.json()["type"].endswith("/forbidden")


def test_public_probes(api_eu):
    assert api_eu.client.get("/health").json() == {"status": "ok", "region": "eu"}
    r = api_eu.client.get("/ready")
    assert r.status_code == 200 and r.json()["checks"] == {"database": "ok", "clickhouse": "ok"}
    assert api_eu.client.get("/openapi.json").status_code == 200


def test_revoked_token_is_refused(api_eu):
    from api import tokens

    tok = api_eu.token("acme", "analyst")
    h = {"Authorization": f"Bearer {tok}"}
    assert api_eu.client.get("/v1/rules", headers=h).status_code == 200
    with api_eu.app.state.rampart.sessions() as s:
        (info,) = [t for t in tokens.list_tokens(s, "acme") if t.role == "analyst"]
        assert tokens.revoke_token(s, info.id)
        s.commit()
    assert api_eu.client.get("/v1/rules", headers=h).status_code == 401


def _seed(api, ch, tenant: str, octet: int, now: float) -> dict:
    """Rows of every kind for one tenant; hosts and IPs carry the tenant's mark so leaks are visible."""
    client, db = ch
    host = f"{tenant}.example"
    evs = [event(tenant, now - 600 + i, f"198.51.100.{octet}", host=host, target=f"/{tenant}/p?id={i}",
                 hits=[("sqli", ["get", "id"], f"{i}' or 1=1")]) for i in range(3)]
    evs.append(event(tenant, now - 500, f"198.51.100.{octet}", host=host, target=f"/{tenant}/ok"))
    insert_events(client, db, evs)
    insert_vulnerability(client, db, tenant, f"vuln-{tenant}", now - 1000)
    insert_endpoint(client, db, tenant, f"/{tenant}/p", now - 1000)
    admin = {"Authorization": f"Bearer {api.token(tenant, 'admin')}"}
    node = {"Authorization": f"Bearer {api.token(tenant, 'node')}"}
    c = api.client
    rule = c.post("/v1/rules", headers=admin, json={"name": f"{tenant}-rule", "kind": "vpatch",
                                                    "spec": {"action": "vpatch", "match": {"path": {"prefix": f"/{tenant}"}}}})
    assert rule.status_code == 201, rule.text
    ip = c.post("/v1/ip-lists", headers=admin, json={"list": "deny", "ip": f"203.0.113.{octet}"})
    assert ip.status_code == 201, ip.text
    reg = c.post("/v1/nodes/register", headers=node, json={"name": f"{tenant}-node"})
    assert reg.status_code == 200, reg.text
    hit_id = f"{evs[0].id}:0"
    fp = c.put(f"/v1/hits/{hit_id}/false-positive", headers=admin, json={"comment": tenant})
    assert fp.status_code == 200, fp.text
    return {"admin": admin, "node": node, "tx": evs[0].id, "hit": hit_id, "rule": rule.json()["id"],
            "ip": ip.json()["id"], "node_id": reg.json()["id"], "vuln": f"vuln-{tenant}", "host": host,
            "source": f"198.51.100.{octet}"}


def test_tenants_never_see_each_other(api_eu, ch):
    now = time.time()
    a = _seed(api_eu, ch, "alpha", 1, now)
    b = _seed(api_eu, ch, "beta", 2, now)
    c = api_eu.client
    h = a["admin"]
    lists = {"/v1/attacks": "host", "/v1/hits": "host", "/v1/transactions": "host", "/v1/endpoints": "host",
             "/v1/vulnerabilities": "host", "/v1/rules": "name", "/v1/ip-lists": "ip", "/v1/nodes": "name",
             "/v1/false-positives": "comment"}
    expected = {"host": {"alpha.example"}, "name": {"alpha-rule", "alpha-node"}, "ip": {"203.0.113.1"},
                "comment": {"alpha"}}
    for path, key in lists.items():
        r = c.get(path, headers=h)
        assert r.status_code == 200, (path, r.text)
        items = r.json()["items"]
        assert items, path
        for item in items:
            assert item.get(key) in expected[key] | {"shop.example.com"}, (path, item)
            assert "beta" not in str(item), (path, item)
    # vulnerabilities and endpoints were seeded on the shared host name: check ids and templates instead
    assert [v["id"] for v in c.get("/v1/vulnerabilities", headers=h).json()["items"]] == ["vuln-alpha"]
    assert [e["template"] for e in c.get("/v1/endpoints", headers=h).json()["items"]] == ["/alpha/p"]
    top = c.get("/v1/metrics/top", headers=h, params={"by": "sources"}).json()["items"]
    assert [t["key"] for t in top] == [a["source"]] and top[0]["hits"] == 3
    series = c.get("/v1/metrics/series", headers=h, params={"interval": "hour"}).json()["points"]
    assert sum(p["requests"] for p in series) == 4 and sum(p["attacks"] for p in series) == 3
    # by id: another tenant's rows do not exist for us
    for path in (f"/v1/transactions/{b['tx']}", f"/v1/vulnerabilities/{b['vuln']}", f"/v1/rules/{b['rule']}",
                 f"/v1/ip-lists/{b['ip']}", f"/v1/nodes/{b['node_id']}"):
        assert c.get(path, headers=h).status_code == 404, path
    assert c.put(f"/v1/hits/{b['hit']}/false-positive", headers=h, json={}).status_code == 404
    assert c.delete(f"/v1/hits/{b['hit']}/false-positive", headers=h).status_code == 404
    assert c.patch(f"/v1/vulnerabilities/{b['vuln']}", headers=h, json={"status": "closed"}).status_code == 404
    assert c.delete(f"/v1/rules/{b['rule']}", headers=h).status_code == 404
    assert c.delete(f"/v1/ip-lists/{b['ip']}", headers=h).status_code == 404
    assert c.delete(f"/v1/nodes/{b['node_id']}", headers=h).status_code == 404
    assert c.get(f"/v1/rules/{b['rule']}", headers=b["admin"]).status_code == 200  # untouched
    # a node syncs its own tenant's rules and lists only
    sync = c.get("/v1/nodes/sync", headers=a["node"]).json()
    assert [r["name"] for r in sync["rules"]] == ["alpha-rule"]
    assert [e["ip"] for e in sync["ip_lists"]] == ["203.0.113.1"]


@pytest.mark.parametrize("path", ["/v1/attacks", "/v1/hits", "/v1/transactions", "/v1/metrics/top",
                                  "/v1/metrics/series", "/v1/endpoints", "/v1/vulnerabilities", "/v1/models/current"])
def test_node_token_cannot_read_analytics(api_eu, path):
    r = api_eu.client.get(path, headers=api_eu.headers("acme", "node"))
    assert r.status_code == 403 and r.headers["content-type"] == "application/problem+json"
