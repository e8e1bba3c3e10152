"""Shipped virtual-patch packs: loaded by default before a site's rules, curable by `disable`, indexed by path."""
from __future__ import annotations

import re

import pytest
from click.testing import CliRunner

from rampart.cli import main
from sensor import vpatches
from sensor.detect import Engine
from sensor.rules import RuleSet, parse_rules
from tests.detect.conftest import req

INDEXED = """\
rules:
  - id: exact
    match: {path: /a/exact}
    action: vpatch
  - id: prefix
    match: {path: {prefix: /mifs/aad/api/}}
    action: vpatch
  - id: lookahead
    match: {path: {regex: "^/look(?=ahead)"}}
    action: vpatch
  - id: python-only
    match: {path: {regex: "(?a)^/ascii-flag"}}
    action: vpatch
  - id: brace
    match: {path: {regex: "^/br{,2}ace"}}
    action: vpatch
  - id: caseless
    match: {path: {regex: "(?i)^/moveitisapi/"}, point: [header, X-SILOCK-TRANSACTION], value: {regex: "folder_add"}}
    action: vpatch
  - id: anywhere
    match: {method: TRACE}
    action: vpatch
  - id: point-regex
    match: {path: {prefix: /pr}, point: {regex: '^get\\.(?:PHPRC|LD_PRELOAD)$'}}
    action: vpatch
  - id: point-exact
    match: {path: {prefix: /pe}, point: [get, jsp], value: {regex: ';[^/]*\\.jsp$'}}
    action: vpatch
"""


def _fired(rs: RuleSet, *args, **kw) -> set[str]:
    hits, _ = rs.apply(req(*args, **kw), [])
    return {h.rule for h in hits}


@pytest.mark.parametrize("target,method,headers,want", [
    ("/a/exact", "GET", [], {"exact"}),
    ("/a/exact/", "GET", [], set()),
    ("/A/EXACT", "GET", [], set()),              # the index is caseless, `re` is not: no hit
    ("/mifs/aad/api/v2/authorized/users?adminDeviceSpaceId=1", "GET", [], {"prefix"}),
    ("/mifs/admin/api/v2/", "GET", [], set()),
    ("/lookahead", "GET", [], {"lookahead"}),
    ("/lookout", "GET", [], set()),
    ("/ascii-flag", "GET", [], {"python-only"}),  # hyperscan refuses `(?a)`: the rule is checked by `re` always
    ("/brace", "GET", [], {"brace"}),              # `{,2}` means 0..2 to `re` (a literal to PCRE)
    ("/brrace", "GET", [], {"brace"}),
    ("/MOVEitISAPI/moveitisapi.dll?action=m2", "POST", [("X-siLock-Transaction", "folder_add_by_path")], {"caseless"}),
    ("/moveitisapi/moveitisapi.dll", "POST", [("X-siLock-Transaction", "session_setvars")], set()),
    ("/mifs/aad/api/\u00e9t\u00e9", "GET", [], {"prefix"}),   # non-ASCII paths skip the index
    ("/anything", "TRACE", [], {"anywhere"}),     # a rule without a path condition is a candidate on every path
    ("/pr?x=1&PHPRC=/dev/fd/0", "GET", [], {"point-regex"}),   # the point index: one scan of all point paths
    ("/pr?x=1&PHPRCX=1&a.PHPRC=2", "GET", [], set()),           # `^` and `$` hold per point path
    ("/pr?%C3%A9=1&LD_PRELOAD=/tmp/x.so", "GET", [], {"point-regex"}),   # a non-ASCII name: `re` per rule
    ("/pe/hax?jsp=/app/rest/users;.jsp", "GET", [], {"point-exact"}),
    ("/pe/hax?jsp=/login.jsp&x=;.jsp", "GET", [], set()),
])
def test_path_index_keeps_re_semantics(target, method, headers, want):
    rs = parse_rules(INDEXED)
    assert _fired(rs, target, method, headers) == want


def test_index_candidates_are_the_path_rules_plus_the_pathless():
    rs = parse_rules(INDEXED)
    assert [r.id for r in rs.candidates("/mifs/aad/api/x")] == ["prefix", "python-only", "brace", "anywhere"]
    assert [r.id for r in rs.candidates("/nothing")] == ["python-only", "brace", "anywhere"]
    rs.warm()
    assert rs._point_index[2] == {"point-regex"}  # the exact point is compared directly, not indexed


def test_shipped_packs_load_and_have_unique_cve_ids():
    names = vpatches.available()
    assert names, "no pack under sensor/vpatches"
    rs = vpatches.load()
    assert len(rs) >= 50
    assert len({r.id for r in rs.rules}) == len(rs)
    assert all(r.action == "vpatch" and r.path_patterns for r in rs.rules)
    assert vpatches.parse_names("none") == () and vpatches.parse_names("all") == names
    with pytest.raises(ValueError, match="unknown virtual-patch pack 'nope'"):
        vpatches.parse_names(f"{names[0]},nope")


# A bare-path patch of the edge pack: Ivanti EPMM's unauthenticated API (the vendor blocks /mifs/aad/ outright).
_MOBILEIRON = ("CVE-2023-35078", "/mifs/aad/api/v2/authorized/users?adminDeviceSpaceId=1")


@pytest.mark.parametrize("name", vpatches.available())
def test_pack_rules_are_well_formed(name):
    """Every rule of a shipped pack: a CVE id (-b/-c for further rules of one CVE), a comment, a vpatch of score 0.9
    or 0.95, an anchored path condition, no host (packs hold for every site)."""
    import yaml
    with open(f"sensor/vpatches/{name}.yaml", encoding="utf-8") as fh:
        raw = yaml.safe_load(fh)["rules"]
    ids = [r["id"] for r in raw]
    assert len(ids) == len(set(ids))
    for r in raw:
        assert re.fullmatch(r"CVE-(?:199\d|20\d\d)-\d{4,7}(?:-[bc])?", r["id"]), r["id"]
        assert str(r.get("comment", "")).strip(), r["id"]
        assert r["action"] == "vpatch" and r.get("score") in (0.9, 0.95), r["id"]
        path = r["match"].get("path")
        assert isinstance(path, dict) and re.sub(r"^\(\?i\)", "", path.get("regex", "")).startswith("^"), r["id"]
        assert "host" not in r["match"], r["id"]
        if r["id"][-2:] in ("-b", "-c"):
            assert r["id"][:-2] in ids, r["id"]


def _pack_example() -> tuple[str, object]:
    rid, target = _MOBILEIRON
    return rid, req(target)


def test_engine_applies_packs_by_default_and_a_site_rule_cures_them():
    rid, request = _pack_example()
    assert rid in {h.rule for h in Engine().inspect(request)}
    assert rid not in {h.rule for h in Engine(packs=()).inspect(request)}
    cure = parse_rules(f"rules:\n  - id: cure\n    action: disable\n    rule_ids: [{rid}]\n    match: {{host: shop.example}}\n")
    hits = Engine(rules=cure).inspect(request)
    assert rid not in {h.rule for h in hits}
    other = req(request.target, host="other.example")
    assert rid in {h.rule for h in Engine(rules=cure).inspect(other)}
    by_type = parse_rules("rules:\n  - id: cure\n    action: disable\n    detectors: [vpatch]\n")
    assert all(h.type != "vpatch" for h in Engine(rules=by_type).inspect(request))


def test_rule_ids_disable_leaves_other_hits():
    rs = parse_rules("rules:\n  - id: quiet\n    action: disable\n    rule_ids: [CVE-X]\n")
    from core.events import Hit
    kept = Hit(type="sqli", point=["get", "q"], value="x", rule="sqli:union", score=0.9)
    gone = Hit(type="vpatch", point=["request"], value="x", rule="CVE-X", score=0.9)
    assert rs.apply(req("/"), [kept, gone]) == ([kept], None)


def test_detect_cli_vpatch_packs_option(tmp_path):
    rid, request = _pack_example()
    raw = f"GET {request.target} HTTP/1.1\r\nHost: shop.example\r\n\r\n"
    f = tmp_path / "r.http"
    f.write_text(raw)
    runner = CliRunner()
    on = runner.invoke(main, ["detect", str(f)])
    off = runner.invoke(main, ["detect", "--vpatch-packs", "none", str(f)])
    bad = runner.invoke(main, ["detect", "--vpatch-packs", "nope", str(f)])
    assert on.exit_code == 0 and rid in on.output
    assert off.exit_code == 0 and rid not in off.output
    assert bad.exit_code == 2 and "unknown virtual-patch pack 'nope'" in bad.output


def test_rules_packs_cli_lists_every_pack():
    out = CliRunner().invoke(main, ["rules", "packs", "--rules"])
    assert out.exit_code == 0
    for name in vpatches.available():
        assert f"{name}\t{len(vpatches.load((name,)))} rules" in out.output
    assert "CVE-" in out.output
