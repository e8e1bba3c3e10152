"""Custom rules / virtual patches: validation names the line, apply() adds, removes and overrides."""
from __future__ import annotations

import pytest
from click.testing import CliRunner

from rampart.cli import main
from sensor.detect import Engine, verdict
from sensor.rules import RuleError, load_rules, parse_rules
from tests.detect.conftest import req

RULES = """\
rules:
  - id: fp-search
    match:
      host: shop.example
      path: {prefix: /search}
      point: [get, q]
    action: disable
    detectors: [sqli]
  - id: vp-debug
    match:
      path: {regex: "^/admin"}
      method: [GET, POST]
      point: {prefix: [get]}
      value: {regex: "(?i)^debug$"}
    action: vpatch
    score: 0.95
  - id: mon-beta
    match: {host: {prefix: beta.}}
    action: mode
    mode: monitoring
"""


def test_apply_disable_vpatch_and_mode(tmp_path):
    f = tmp_path / "r.yaml"
    f.write_text(RULES)
    rs = load_rules(str(f))
    assert len(rs) == 3
    e = Engine(rules=rs)
    # the false-positive cure: sqli silenced on /search?q only
    assert verdict(e.inspect(req("/search?q=1%27%20or%20%271%27%3D%271"))) == "clean"
    assert verdict(e.inspect(req("/other?q=1%27%20or%20%271%27%3D%271"))) == "attack"
    assert verdict(e.inspect(req("/search?id=1%27%20or%20%271%27%3D%271"))) == "attack"
    hits = e.inspect(req("/admin/x?mode=debug"))
    assert [(h.type, h.rule, h.point, h.score) for h in hits] == [("vpatch", "vp-debug", ["get", "mode"], 0.95)]
    assert e.inspect(req("/admin/x?mode=debug", method="DELETE")) == []
    hits, mode = e.evaluate(req("/", host="beta.shop.example"))
    assert mode == "monitoring" and hits == []
    assert e.evaluate(req("/"))[1] is None


@pytest.mark.parametrize("text,line,reason", [
    ("rules:\n  - id: a\n    action: vpatch\n", 2, "needs at least one match"),
    ("rules:\n  - id: a\n    action: vpatch\n    match: {path: /x}\n  - id: a\n    action: vpatch\n    match: {path: /y}\n", 5, "duplicate rule id"),
    ("rules:\n  - id: a\n    action: disable\n    detectors: [sqlx]\n    match: {path: /x}\n", 2, "unknown detector"),
    ("rules:\n  - id: a\n    action: vpatch\n    match:\n      path: {regex: '('}\n", 5, "invalid regular expression"),
    ("rules:\n  - id: a\n    action: mode\n    mode: panic\n", 2, "'mode' must be one of"),
    ("rules:\n  - id: a\n    action: [\n", 4, "YAML syntax"),
    ("nope: 1\n", 1, "'rules' list"),
])
def test_validation_errors_name_the_line(text, line, reason):
    with pytest.raises(RuleError) as ei:
        parse_rules(text, "f.yaml")
    assert ei.value.line == line and reason in ei.value.reason, str(ei.value)
    assert str(ei.value).startswith(f"f.yaml:{line}: ")


def test_absent_points_make_an_unauthenticated_request_a_vpatch_hit():
    # an admin API that its front end always calls with a token or a session: a request with neither is the
    # unauthenticated access a missing-authorisation CVE is exploited by
    rs = parse_rules(
        "rules:\n"
        "  - id: admin-needs-auth\n"
        "    action: vpatch\n"
        "    score: 0.8\n"
        "    match:\n"
        "      path: {prefix: /api/admin/}\n"
        "      absent: [[header, authorization], [cookie, session]]\n")
    assert rs.rules[0].absent == (("header", "AUTHORIZATION"), ("cookie", "session"))
    e = Engine(rules=rs, packs=())
    bare = e.inspect(req("/api/admin/users"))
    assert [(h.type, h.rule, h.score) for h in bare] == [("vpatch", "admin-needs-auth", 0.8)]
    assert e.inspect(req("/api/admin/users", headers=[("Authorization", "Bearer eyJ0eXAi")])) == []
    assert e.inspect(req("/api/admin/users", headers=[("Cookie", "theme=dark; session=7f3a")])) == []
    # a cookie of another name is still no session; other paths are not the rule's business
    assert verdict(e.inspect(req("/api/admin/users", headers=[("Cookie", "theme=dark")]))) == "attack"
    assert e.inspect(req("/api/public/users")) == []
    with pytest.raises(RuleError) as ei:
        parse_rules("rules:\n  - id: a\n    action: vpatch\n    match:\n      path: /x\n      absent: [header]\n")
    assert ei.value.line == 5 and "match.absent" in ei.value.reason


def test_rules_check_cli(tmp_path):
    good = tmp_path / "good.yaml"
    good.write_text(RULES)
    bad = tmp_path / "bad.yaml"
    bad.write_text("rules:\n  - id: a\n    action: vpatch\n    match:\n      url: /x\n")
    runner = CliRunner()
    r = runner.invoke(main, ["rules", "check", str(good)])
    assert r.exit_code == 0 and r.output.strip() == "ok: 3 rules"
    r = runner.invoke(main, ["rules", "check", str(bad)])
    assert r.exit_code == 1 and f"{bad}:5: rule 'a': unknown match key(s): url" in r.output
    r = runner.invoke(main, ["rules", "check", str(tmp_path / "missing.yaml")])
    assert r.exit_code == 1 and "cannot read" in r.output
