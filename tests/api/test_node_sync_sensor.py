"""A sensor's node sync against the real regional app: register, pull rules and IP lists by ETag, apply them."""
from __future__ import annotations

from types import SimpleNamespace

from sensor.iplists import parse_lists
from sensor.node_sync import NodeSync
from sensor.rules import load_rules


def _sync(api, token, tmp_path) -> NodeSync:
    # The app's own in-process transport: every request goes through routing, auth and the database.
    return NodeSync("http://testserver", token, tmp_path / "sync", name="edge-1", mode="block",
                    version="0.1.0", transport=api.client._transport)


def test_sensor_sync_applies_rules_and_lists_and_is_cheap_when_unchanged(api_eu, tmp_path):
    node = _sync(api_eu, api_eu.token("acme", "node"), tmp_path)
    node.prepare()
    assert node.registered and node.errors == 0
    assert len(load_rules(str(node.rules_path))) == 0
    first_etag = node.etag
    assert node.poll_once() is False          # unchanged: a 304, files untouched

    admin = api_eu.headers("acme", "admin")
    c = api_eu.client
    r = c.post("/v1/rules", headers=admin, json={"name": "vp-admin", "kind": "vpatch",
                                                 "spec": {"action": "vpatch", "match": {"path": {"prefix": "/admin"}}}})
    assert r.status_code == 201, r.text
    assert c.post("/v1/ip-lists", headers=admin, json={"list": "deny", "ip": "198.18.0.66",
                                                       "ttl_seconds": 600}).status_code in (200, 201)
    assert node.poll_once() is True
    assert node.etag != first_etag

    rules = load_rules(str(node.rules_path))
    req = SimpleNamespace(method="GET", target="/admin/panel", version="1.1", host="shop.test",
                          headers=[("Host", "shop.test")], body=b"", path="/admin/panel")
    hits, _mode = rules.apply(req, [])
    assert [h.type for h in hits] == ["vpatch"] and hits[0].rule == "vp-admin"
    lists = parse_lists(node.lists_path.read_text())
    assert lists.classify("198.18.0.66") == "deny"
    assert lists.classify("198.18.0.67") is None

    # Another tenant's node sees none of it.
    other = _sync(api_eu, api_eu.token("globex", "node"), tmp_path / "other")
    other.prepare()
    assert "vp-admin" not in other.rules_path.read_text()
    assert "198.18.0.66" not in other.lists_path.read_text()


def test_sensor_sync_survives_a_bad_token_without_leaking_it(api_eu, tmp_path, caplog):
    node = _sync(api_eu, "rpt_eu_notavalidtokenatall0000000000", tmp_path)
    node.prepare()
    assert node.errors == 1 and not node.registered
    assert node.rules_path.read_text() == "rules: []\n"       # empty rules, the sensor still runs
    assert "notavalidtoken" not in caplog.text


def test_sensor_sync_replaces_an_unparseable_leftover_file(api_eu, tmp_path):
    node = _sync(api_eu, "rpt_eu_notavalidtokenatall0000000000", tmp_path)
    node.state_dir.mkdir(parents=True)
    node.rules_path.write_text("rules:\n  - id: x\n    action: nonsense\n")
    node.lists_path.write_text("deny not-an-ip\n")
    node.prepare()                      # API refuses the token: the sensor still gets usable, empty files
    assert len(load_rules(str(node.rules_path))) == 0
    assert len(parse_lists(node.lists_path.read_text())) == 0


def test_sync_now_polls_at_once_instead_of_after_the_interval(api_eu, tmp_path):
    """The sensor's SIGHUP: a rule published a moment ago reaches the node without waiting out a long interval."""
    import time

    node = _sync(api_eu, api_eu.token("acme", "node"), tmp_path)
    node.interval = 3600.0
    node.prepare()
    admin = api_eu.headers("acme", "admin")
    r = api_eu.client.post("/v1/rules", headers=admin, json={
        "name": "vp-now", "kind": "vpatch", "spec": {"action": "vpatch", "match": {"path": {"prefix": "/now"}}}})
    assert r.status_code == 201, r.text
    thread = node.start()
    try:
        time.sleep(0.5)
        assert "vp-now" not in node.rules_path.read_text()      # the hour-long interval has not passed
        node.sync_now()
        deadline = time.monotonic() + 10
        while "vp-now" not in node.rules_path.read_text() and time.monotonic() < deadline:
            time.sleep(0.05)
        assert "vp-now" in node.rules_path.read_text()
    finally:
        node.stop()
        thread.join(5)
    assert not thread.is_alive()                                  # stop() ends the wait too


PACK = """rules:
  - id: CVE-2099-0001
    action: vpatch
    score: 0.95
    comment: a regional pack's newer rule
    match:
      path: {prefix: /vendor/api/debug}
"""


def test_regional_packs_reach_the_engine_and_replace_shipped_ones(make_api, tmp_path):
    import os
    import time

    from sensor.blocking import Blocker, ModePolicy
    from sensor.detect import Engine, verdict
    from tests.detect.conftest import req

    folder = tmp_path / "published"
    folder.mkdir()
    (folder / "kev-edge.yaml").write_text(PACK)            # replaces the shipped kev-edge pack by name
    (folder / "broken.yaml").write_text("rules:\n  - id: x\n    action: nonsense\n")   # not published
    (folder / "Bad_Name.yaml").write_text(PACK)           # not a pack name: never published
    api = make_api("eu", packs_dir=str(folder))
    node = _sync(api, api.token("acme", "node"), tmp_path)
    node.prepare()
    assert sorted(p.name for p in node.packs_dir.glob("*.yaml")) == ["kev-edge.yaml"]
    assert node.poll_once() is False                        # unchanged packs: a 304

    engine = Engine(pack_dir=str(node.packs_dir))
    ids = {r.id for r in engine.packs.rules}
    assert "CVE-2099-0001" in ids and "CVE-2023-34362" in ids   # kev-apps stays shipped; kev-edge is the region's
    assert not ids & {"CVE-2024-21887", "CVE-2023-35078"}   # (shipped kev-edge rules)
    assert verdict(engine.inspect(req("/vendor/api/debug/x"))) == "attack"

    # the region publishes a new version: the node writes it, the running blocker swaps it in without a restart
    time.sleep(0.01)
    (folder / "kev-edge.yaml").write_text(PACK.replace("/vendor/api/debug", "/vendor/api/shell"))
    blocker = Blocker(ModePolicy("monitoring", None), injector=None, lists=None, engine=engine)
    blocker.idle()                                           # the version loaded at start is remembered
    os.utime(node.packs_dir)                                 # (nothing changed yet)
    api.app.state.rampart.packs._checked = float("-inf")   # (skip the store's one-second recheck)
    assert node.poll_once() is True
    blocker._rules_checked = float("-inf")
    blocker.idle()
    assert blocker.stats.rules_reloads == 1
    assert verdict(engine.inspect(req("/vendor/api/shell"))) == "attack"
    assert verdict(engine.inspect(req("/vendor/api/debug/x"))) == "clean"

    # a pack the region stops publishing goes from the node too, and the shipped one comes back
    (folder / "kev-edge.yaml").unlink()
    api.app.state.rampart.packs._checked = float("-inf")
    assert node.poll_once() is True and not list(node.packs_dir.glob("*.yaml"))
    blocker._rules_checked = float("-inf")
    blocker.idle()
    assert any(r.id.startswith("CVE-2024-21887") for r in engine.packs.rules)


def test_a_tampered_or_misnamed_pack_is_not_written(tmp_path):
    import hashlib

    from sensor.node_sync import write_packs

    good = {"name": "kev-extra", "sha256": hashlib.sha256(PACK.encode()).hexdigest(), "yaml": PACK}
    assert write_packs(tmp_path, [good, {**good, "name": "../escape"}, {**good, "name": "x2", "sha256": "0" * 64},
                                  {"name": "bad", "yaml": "rules: [1]", "sha256": hashlib.sha256(b"rules: [1]").hexdigest()}])
    assert sorted(p.name for p in tmp_path.glob("*")) == ["kev-extra.yaml"]
    assert not (tmp_path.parent / "escape.yaml").exists()
