"""Attack replay: recorded hits against in-scope hosts are re-probed safely; confirmed ones become incidents."""
from __future__ import annotations

import base64
import json
import time

from core.events import Hit, Peer, Request, Response, TransactionEvent, encode_event
from tests.scanner.vulnapp import RecordingServer, VulnApp


def _attack(port: int, method: str, target: str, hit: Hit, body: bytes = b"",
            ctype: str = "") -> TransactionEvent:
    headers = [("Host", f"127.0.0.1:{port}")] + ([("Content-Type", ctype)] if ctype else [])
    return TransactionEvent(
        ts=time.time(), client=Peer("127.0.0.1", 50123), server=Peer("127.0.0.1", port), verdict="attack",
        request=Request(method=method, target=target, host=f"127.0.0.1:{port}", headers=headers,
                        body_len=len(body), body_b64=base64.b64encode(body).decode() if body else None),
        response=Response(status=200), hits=[hit])


def _events(app_port: int, out_port: int) -> list[TransactionEvent]:
    return [
        _attack(app_port, "GET", "/item?id=1%27%20OR%201=1--", Hit(type="sqli", point=["get", "id"],
                value="1' OR 1=1--", rule="sqli:tautology", score=0.9)),
        _attack(app_port, "POST", "/comment", Hit(type="xss", point=["post", "form_urlencoded", "text"],
                value="<script>alert(1)</script>", rule="xss:script", score=0.9),
                body=b"text=%3Cscript%3Ealert(1)%3C%2Fscript%3E", ctype="application/x-www-form-urlencoded"),
        _attack(app_port, "GET", "/ping?host=x;id", Hit(type="rce", point=["get", "host"], value="x;id",
                rule="rce:unix", score=0.9)),
        _attack(app_port, "GET", "/search?q=x", Hit(type="scanner", point=["header", "USER-AGENT"],
                value="sqlmap", rule="scanner:ua", score=0.5)),
        _attack(out_port, "GET", "/item?id=1%27", Hit(type="sqli", point=["get", "id"], value="1'",
                rule="sqli:quote", score=0.8)),
    ]


def _replay(run_scan, tmp_path, patched: bool):
    with RecordingServer() as outside, VulnApp(patched=patched) as app:
        out_port = int(outside.url.rsplit(":", 1)[1])
        events = tmp_path / "attacks.jsonl"
        events.write_bytes(b"".join(encode_event(e) + b"\n" for e in _events(app.port, out_port)))
        report = tmp_path / "replay.json"
        proc = run_scan("--replay", str(events), "--scope", f"127.0.0.1:{app.port}", "--rate", "0",
                        "--time-delay", "1", "--timeout", "6", "--report", str(report))
        assert proc.returncode == 0, proc.stderr.decode()[-2000:]
        assert outside.requests == []                     # the out-of-scope attack was not replayed
        return json.loads(report.read_text()), proc.stderr.decode()


def test_replay_confirms_incidents_on_vulnerable_app(run_scan, tmp_path) -> None:
    findings, stderr = _replay(run_scan, tmp_path, patched=False)
    got = {(f["type"], f["param"]): f for f in findings if f["source"] == "replay"}
    assert set(got) == {("sqli", "query:id"), ("xss", "form:text"), ("rce", "query:host")}, findings
    inc = got[("sqli", "query:id")]["incident"]
    assert inc["hit"] == {"type": "sqli", "point": ["get", "id"], "rule": "sqli:tautology", "value": "1' OR 1=1--"}
    assert inc["event_id"] and inc["client_ip"] == "127.0.0.1"
    assert "replay confirmed 3/3" in stderr


def test_replay_on_patched_app_confirms_nothing(run_scan, tmp_path) -> None:
    findings, stderr = _replay(run_scan, tmp_path, patched=True)
    assert [f for f in findings if f["source"] == "replay"] == []
    assert "replay confirmed 0/3" in stderr
