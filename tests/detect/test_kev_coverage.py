"""`rampart rules kev`: CISA KEV entries matched with the virtual-patch packs; bad catalogs fail with the reason."""
from __future__ import annotations

import datetime as dt
import json

import pytest
from click.testing import CliRunner

from rampart.cli import main
from sensor import vpatches
from sensor.vpatches.kev import CatalogError, coverage, rule_cves


def _entry(cve, added, name, cwes=(), desc="", vendor="Acme", product="Portal"):
    return {"cveID": cve, "vendorProject": vendor, "product": product, "vulnerabilityName": name,
            "dateAdded": added, "shortDescription": desc, "cwes": list(cwes), "requiredAction": "Apply updates."}


def _catalog(*entries, version="2026.11.20"):
    return {"title": "CISA Catalog of Known Exploited Vulnerabilities", "catalogVersion": version,
            "count": len(entries), "vulnerabilities": list(entries)}


SHIPPED = vpatches.load()
# one CVE every shipped pack names, taken from the packs themselves (not a list kept by hand)
KNOWN = sorted(rule_cves(SHIPPED.rules))


def test_every_pack_rule_names_its_cve_and_suffixed_ids_answer_the_same_one():
    named = rule_cves(SHIPPED.rules)
    assert len(named) >= 100
    for r in SHIPPED.rules:
        assert any(r.id in ids for ids in named.values()), r.id
    assert "CVE-2024-21887-b" in named["CVE-2024-21887"]


def test_covered_missing_and_stray_are_told_apart():
    cat = _catalog(
        _entry(KNOWN[0], "2021-11-03", "Covered by a pack", ["CWE-22"]),
        _entry("CVE-2026-99901", "2026-11-18", "Portal SQL Injection", ["CWE-89"]),
        _entry("CVE-2026-99902", "2026-11-19", "Kernel Use-After-Free", ["CWE-416"], "local privilege escalation"),
        _entry("CVE-2015-99903", "2022-03-25", "Old CMS Remote Code Execution", [],
               "allows remote attackers to execute code via a crafted HTTP request"),
        _entry("CVE-2026-99904", "2026-10-01", "Browser Type Confusion", ["CWE-843"], "a crafted HTML page"),
    )
    cov = coverage(cat, SHIPPED.rules)
    assert [e.cve for e in cov.covered] == [KNOWN[0]]
    # CWE-89 by its CWE, the old entry (no CWE) by its description; the kernel and browser bugs are not request-borne
    assert [e.cve for e in cov.missing()] == ["CVE-2026-99901", "CVE-2015-99903"]
    assert [e.cve for e in cov.missing(dt.date(2026, 1, 1))] == ["CVE-2026-99901"]
    assert KNOWN[0] not in cov.stray and len(cov.stray) == len(KNOWN) - 1


def test_cli_report_json_and_exit_codes(tmp_path):
    f = tmp_path / "kev.json"
    f.write_text(json.dumps(_catalog(_entry(KNOWN[1], "2022-01-10", "Covered", ["CWE-78"]),
                                     _entry("CVE-2026-99901", "2026-11-18", "Portal SQL Injection", ["CWE-89"]))))
    r = CliRunner().invoke(main, ["rules", "kev", str(f)])
    assert r.exit_code == 0, r.output
    assert "2 entries, 2 request-borne" in r.output and "CVE-2026-99901  Acme Portal: Portal SQL Injection" in r.output
    r = CliRunner().invoke(main, ["rules", "kev", str(f), "--json"])
    out = json.loads(r.output)
    assert [m["cve"] for m in out["missing"]] == ["CVE-2026-99901"] and out["covered"][0]["cve"] == KNOWN[1]
    # the scheduled job: fail on what was added since the last review, not on the backlog before it
    assert CliRunner().invoke(main, ["rules", "kev", str(f), "--since", "2026-11-01", "--fail-on-missing"]).exit_code == 1
    assert CliRunner().invoke(main, ["rules", "kev", str(f), "--since", "2026-11-19", "--fail-on-missing"]).exit_code == 0
    # no packs: nothing is covered, so the CVE the packs answered is missing too
    r = CliRunner().invoke(main, ["rules", "kev", str(f), "--packs", "none", "--json"])
    assert {m["cve"] for m in json.loads(r.output)["missing"]} == {KNOWN[1], "CVE-2026-99901"}
    r = CliRunner().invoke(main, ["rules", "kev", str(f), "--packs", "nosuch"])
    assert r.exit_code == 2 and "unknown virtual-patch pack" in r.output


@pytest.mark.parametrize("content, reason", [
    (b'{"vulnerabilities": [', "not JSON"),
    (b'[1, 2]', 'no "vulnerabilities" list'),
    (json.dumps(_catalog({"cveID": "CVE-2024-1", "dateAdded": "2024-01-01"})).encode(), "is not a CVE id"),
    (json.dumps(_catalog({"cveID": "CVE-2024-12345", "dateAdded": "soon"})).encode(), "is not a date"),
    (json.dumps(_catalog({"dateAdded": "2024-01-01"})).encode(), '"cveID" is missing'),
    (json.dumps(_catalog("CVE-2024-12345")).encode(), "not an object"),
])
def test_a_bad_catalog_is_refused_with_the_reason(tmp_path, content, reason):
    f = tmp_path / "kev.json"
    f.write_bytes(content)
    r = CliRunner().invoke(main, ["rules", "kev", str(f)])
    assert r.exit_code == 2 and reason in r.output
    if reason not in ("not JSON", 'no "vulnerabilities" list'):
        with pytest.raises(CatalogError, match=r"vulnerabilities\[0\]"):
            coverage(json.loads(content), SHIPPED.rules)
