"""Rules through the API are rules the sensor loads: core/rules_schema.py agrees with sensor/rules.py, and a rule
created through the API, pulled by node sync, makes the sensor's rule engine raise a `vpatch` hit."""
from __future__ import annotations

import pytest
import yaml

from core.events import Request
from core.rules_schema import RuleSchemaError, validate_rule
from sensor.rules import RuleError, parse_rules

CASES = [
    {"id": "a", "action": "vpatch", "match": {"path": {"prefix": "/admin"}}},
    {"id": "a", "action": "vpatch", "match": {"path": "/x", "method": ["POST", "PUT"]}, "score": 1},
    {"id": "a", "action": "vpatch", "match": {"point": ["get", "id"], "value": {"regex": "^[0-9]+'"}}},
    {"id": "a", "action": "vpatch", "match": {"point": {"prefix": ["post", "json_doc"]}}},
    {"id": "a", "action": "vpatch", "match": {"point": {"regex": "^header\\."}}},
    {"id": "a", "action": "disable", "detectors": ["sqli", "xss"], "match": {"path": "/search"}},
    {"id": "a", "action": "disable", "detectors": "all", "match": {"point": ["get", "q"]}},
    {"id": "a", "action": "mode", "mode": "block", "match": {"host": {"regex": "\\.example$"}}},
    {"id": "a", "action": "mode", "mode": "monitoring", "comment": "whole node"},
    {"id": "a", "action": "vpatch", "match": {"host": ["a.example", {"prefix": "b."}]}},
    {"id": "a", "action": "disable", "rule_ids": ["CVE-2023-34362"], "match": {"host": "files.example"}},
    {"id": "a", "action": "disable", "rule_ids": ["x"], "detectors": ["sqli"]},
    {"id": "a", "action": "vpatch", "match": {"path": {"prefix": "/api/admin/"},
                                              "absent": [["header", "Authorization"], ["cookie", "session"]]}},
    # invalid ones
    {"id": "a", "action": "vpatch"},
    {"id": "a", "action": "vpatch", "match": {"path": "/x"}, "score": 1.5},
    {"id": "a", "action": "vpatch", "match": {"path": "/x"}, "score": True},
    {"id": "a", "action": "block", "match": {"path": "/x"}},
    {"id": "", "action": "vpatch", "match": {"path": "/x"}},
    {"action": "vpatch", "match": {"path": "/x"}},
    {"id": "a", "action": "vpatch", "match": {"url": "/x"}},
    {"id": "a", "action": "vpatch", "match": {"path": {"regex": "("}}},
    {"id": "a", "action": "vpatch", "match": {"path": {"glob": "/x*"}}},
    {"id": "a", "action": "vpatch", "match": {"path": {"exact": 5}}},
    {"id": "a", "action": "vpatch", "match": {"point": "get.id"}},
    {"id": "a", "action": "vpatch", "match": {"point": {"exact": "get"}}},
    {"id": "a", "action": "disable", "match": {"path": "/x"}},
    {"id": "a", "action": "disable", "rule_ids": [], "match": {"path": "/x"}},
    {"id": "a", "action": "disable", "rule_ids": "CVE-2023-34362"},
    {"id": "a", "action": "disable", "rule_ids": [7]},
    {"id": "a", "action": "disable", "detectors": ["sqlx"], "match": {"path": "/x"}},
    {"id": "a", "action": "disable", "detectors": ["sqli"], "match": {"value": "x"}},
    {"id": "a", "action": "mode", "mode": "panic"},
    {"id": "a", "action": "mode", "mode": "block", "match": {"point": ["get", "id"]}},
    {"id": "a", "action": "vpatch", "match": {"path": "/x"}, "extra": 1},
    {"id": "a", "action": "vpatch", "match": "/x"},
    {"id": "a", "action": "vpatch", "match": {"path": "/x", "absent": ["header", "AUTHORIZATION"]}},
    {"id": "a", "action": "vpatch", "match": {"path": "/x", "absent": []}},
    {"id": "a", "action": "vpatch", "match": {"path": "/x", "absent": [["header", ""]]}},
    {"id": "a", "action": "disable", "detectors": ["sqli"], "match": {"absent": [["header", "X-Api-Key"]]}},
]
VALID = 13   # CASES[:VALID] are valid, the rest are not


@pytest.mark.parametrize("rule", CASES, ids=range(len(CASES)))
def test_core_schema_agrees_with_sensor_parser(rule):
    try:
        parse_rules(yaml.safe_dump({"rules": [rule]}))
        sensor_ok = True
    except RuleError:
        sensor_ok = False
    try:
        validate_rule(rule)
        core_ok = True
    except RuleSchemaError:
        core_ok = False
    assert core_ok == sensor_ok == (CASES.index(rule) < VALID)


def test_api_rule_reaches_the_sensor_through_sync(api_eu):
    c = api_eu.client
    analyst = api_eu.headers("acme", "analyst")
    node = api_eu.headers("acme", "node")
    assert c.post("/v1/nodes/register", headers=node, json={"name": "edge-1", "mode": "block"}).status_code == 200
    before = c.get("/v1/nodes/sync", headers=node)
    ruleset = parse_rules(yaml.safe_dump({"rules": [r["spec"] for r in before.json()["rules"]]}))
    probe = Request(method="POST", target="/legacy/upload?x=1", host="shop.example.com")
    assert ruleset.apply(probe, [])[0] == []
    made = c.post("/v1/rules", headers=analyst, json={
        "name": "vp-legacy-upload", "kind": "vpatch",
        "spec": {"action": "vpatch", "match": {"path": {"prefix": "/legacy/"}, "method": "POST"}, "score": 0.95}})
    assert made.status_code == 201, made.text
    assert made.json()["spec"]["id"] == "vp-legacy-upload"
    after = c.get("/v1/nodes/sync", headers={**node, "If-None-Match": before.headers["etag"]})
    assert after.status_code == 200 and after.headers["etag"] != before.headers["etag"]
    ruleset = parse_rules(yaml.safe_dump({"rules": [r["spec"] for r in after.json()["rules"]]}))
    hits, mode = ruleset.apply(probe, [])
    assert [(h.type, h.rule, h.score) for h in hits] == [("vpatch", "vp-legacy-upload", 0.95)]
    assert ruleset.apply(Request(method="GET", target="/legacy/upload", host="shop.example.com"), [])[0] == []
    # the API refuses what the sensor would refuse, naming the reason
    bad = c.post("/v1/rules", headers=analyst, json={"name": "broken", "spec": {
        "action": "disable", "detectors": ["sqlx"], "match": {"path": "/x"}}})
    assert bad.status_code == 422 and "unknown detector 'sqlx'" in bad.json()["detail"]
    clash = c.post("/v1/rules", headers=analyst, json={"name": "r2", "kind": "rule", "spec": {
        "action": "vpatch", "match": {"path": "/x"}}})
    assert clash.status_code == 422 and "kind" in clash.json()["detail"]
    other_id = c.post("/v1/rules", headers=analyst, json={"name": "r3", "spec": {
        "id": "not-r3", "action": "mode", "mode": "off"}})
    assert other_id.status_code == 422
