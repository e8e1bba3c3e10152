"""Acceptance: every seeded flaw found in the vulnerable app, nothing above info in the patched twin, scope kept."""
from __future__ import annotations

import json
import random

from scanner.finding import SEVERITY_RANK, Finding
from scanner.report import merge
from tests.scanner.vulnapp import SEEDED, SEEDED_TECHNIQUES, RecordingServer, VulnApp, openapi_spec

KEYS = {"type", "severity", "url", "method", "param", "evidence", "confidence"}


def _scan(run_scan, app: VulnApp, tmp_path, name: str):
    spec = tmp_path / f"{name}-openapi.json"
    spec.write_text(json.dumps(openapi_spec(app.url)))
    report = tmp_path / f"{name}.json"
    proc = run_scan("--target", app.url + "/", "--openapi", str(spec), "--scope", f"127.0.0.1:{app.port}",
                    "--rate", "0", "--time-delay", "1", "--timeout", "6", "--seed", "t", "--report", str(report))
    assert proc.returncode == 0, proc.stderr.decode()[-2000:]
    return json.loads(report.read_text()), proc.stderr.decode()


def _assert_scope_kept(app: VulnApp, outside: RecordingServer, stderr: str) -> None:
    assert outside.requests == [], f"out-of-scope server was contacted: {outside.requests[:5]}"
    assert app.access_log and {ip for ip, _m, _t in app.access_log} == {"127.0.0.1"}
    assert "/logout" not in {t for _ip, _m, t in app.access_log}          # unsafe links are not crawled
    assert f"not followed (outside scope): {outside.url}/landing" in stderr     # the in-app redirect out
    assert f"not followed (outside scope): {outside.url}/partner?id=1" in stderr


def test_vulnerable_app_every_seeded_flaw_found(run_scan, tmp_path) -> None:
    with RecordingServer() as outside, VulnApp(patched=False, outside_url=outside.url) as app:
        findings, stderr = _scan(run_scan, app, tmp_path, "vuln")
        _assert_scope_kept(app, outside, stderr)
    got = {(f["type"], f["url"].replace(app.url, ""), f["param"]): f for f in findings}
    missing = [s for s in SEEDED if s not in got]
    assert not missing, f"seeded flaws not found: {missing}\nfound: {sorted(got)}"
    for path, technique in SEEDED_TECHNIQUES.items():
        ftype = "rce" if path in ("/ping", "/notify") else "sqli"
        param = next(p for t, pth, p in SEEDED if pth == path)
        assert got[(ftype, path, param)]["technique"] == technique, path
    for f in findings:
        assert KEYS <= set(f), f
        assert set(f["evidence"]) == {"request", "response_excerpt"} and f["evidence"]["request"]
        assert 0 <= f["confidence"] <= 1 and f["severity"] in SEVERITY_RANK
    # Deterministic order: severity, then type, url, method, param.
    order = [(SEVERITY_RANK[f["severity"]], f["type"], f["url"], f["method"], f["param"]) for f in findings]
    assert order == sorted(order)
    # The proof is in the evidence: e.g. the time-based SQLi shows its regression, the SSRF its canary.
    assert "slope" in got[("sqli", "/track", "query:id")]["evidence"]["response_excerpt"]
    assert "canary" in got[("ssrf", "/fetch", "query:url")]["evidence"]["response_excerpt"]
    assert "scan: done in" in stderr and "requests" in stderr


def test_patched_twin_nothing_above_info(run_scan, tmp_path) -> None:
    with RecordingServer() as outside, VulnApp(patched=True, outside_url=outside.url) as app:
        findings, stderr = _scan(run_scan, app, tmp_path, "patched")
        _assert_scope_kept(app, outside, stderr)
        probed = {t.split("?")[0] for _ip, _m, t in app.access_log}
    above = [f for f in findings if SEVERITY_RANK[f["severity"]] < SEVERITY_RANK["info"]]
    assert above == [], json.dumps(above, indent=1)[:3000]
    # It was really scanned, not skipped: every seeded endpoint got requests.
    assert {p for _t, p, _x in SEEDED} - {"/"} <= probed


def test_report_order_is_deterministic() -> None:
    def f(t: str, sev: str, url: str, param: str = "", src: str = "scan", conf: float = 0.9) -> Finding:
        return Finding(type=t, severity=sev, url=url, method="GET", param=param, confidence=conf, source=src,
                       evidence={"request": "GET /", "response_excerpt": ""})
    items = [f("xss", "high", "http://a/x", "query:q"), f("sqli", "critical", "http://a/b", "query:id"),
             f("missing_header", "low", "http://a/", "header:CSP"), f("sqli", "critical", "http://a/a", "query:id"),
             f("xss", "high", "http://a/x", "query:q", src="replay", conf=0.5)]
    first = [x.to_dict() for x in merge(items)]
    for seed in range(5):
        random.Random(seed).shuffle(items)
        assert [x.to_dict() for x in merge(items)] == first
    assert [x["url"] for x in first] == ["http://a/a", "http://a/b", "http://a/x", "http://a/"]
    assert first[2]["source"] == "replay"        # the confirmed incident wins the de-duplication
