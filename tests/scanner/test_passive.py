"""Passive checks: SQL errors and card numbers (Luhn) in captured responses, from events and from a replayed pcap."""
from __future__ import annotations

import base64
import json
import subprocess
import sys
import time

from scapy.all import IP, TCP, Raw, wrpcap  # type: ignore[import-untyped]

from core.events import Peer, Request, Response, TransactionEvent, encode_event
from scanner.passive import PassiveAnalyzer, observed_from_event
from scanner.signatures import card_ok, luhn_ok

SQL_ERROR_PAGE = (b"<html><body><h1>Error</h1><pre>You have an error in your SQL syntax; check the manual that "
                  b"corresponds to your MySQL server version for the right syntax to use near ''1''' at line 1"
                  b"</pre></body></html>")
CARD_PAGE = b'{"order": 17, "card": "4111 1111 1111 1111", "ref": "4111 1111 1111 1112"}'
CLEAN_PAGE = b"<html><body>order 4111 is ready; tracking 1234567890123</body></html>"


def _event(target: str, body: bytes, status: int = 200, server_header: str = "") -> TransactionEvent:
    headers = [("Content-Type", "text/html")] + ([("Server", server_header)] if server_header else [])
    return TransactionEvent(
        ts=time.time(), client=Peer("198.18.0.2", 50000), server=Peer("198.18.0.1", 80),
        request=Request(method="GET", target=target, host="shop.test"),
        response=Response(status=status, headers=headers, body_len=len(body),
                          body_b64=base64.b64encode(body).decode()))


def test_luhn_and_card_rules() -> None:
    assert luhn_ok("4111111111111111") and not luhn_ok("4111111111111112")
    assert card_ok("4111-1111-1111-1111") and card_ok("378282246310005")     # Amex, 15 digits
    assert not card_ok("1234567890123") and not card_ok("0000000000000000") and not card_ok("4111111111111112")


def test_analyzer_on_events() -> None:
    an = PassiveAnalyzer()
    sql = an.analyze(observed_from_event(_event("/item?id=1'", SQL_ERROR_PAGE, 500)))
    assert [(f.type, f.technique, f.severity) for f in sql] == [("sql_error", "mysql", "medium")]
    assert sql[0].url == "http://shop.test/item" and sql[0].source == "passive"
    cards = an.analyze(observed_from_event(_event("/order/17", CARD_PAGE)))
    assert [f.type for f in cards] == ["card_number"]                       # the non-Luhn one is ignored
    assert "4111 1111 1111 1111" not in json.dumps(cards[0].to_dict())     # masked in the evidence
    assert "************1111" in cards[0].evidence["response_excerpt"]
    assert an.analyze(observed_from_event(_event("/ok", CLEAN_PAGE))) == []
    banner = an.analyze(observed_from_event(_event("/", b"hi", server_header="Apache/2.4.41 (Ubuntu)")))
    assert [(f.type, f.severity, f.param) for f in banner] == [("version_disclosure", "info", "header:Server")]


def test_cli_passive_jsonl_with_a_bad_line(run_scan, tmp_path) -> None:
    events = tmp_path / "events.jsonl"
    with events.open("wb") as fh:
        for ev in (_event("/item?id=1'", SQL_ERROR_PAGE, 500), _event("/order/17", CARD_PAGE),
                   _event("/ok", CLEAN_PAGE)):
            fh.write(encode_event(ev) + b"\n")
        fh.write(b'{"schema": "rampart.transaction/1", "broken": \n')
    report = tmp_path / "passive.json"
    proc = run_scan("--passive", str(events), "--scope", "shop.test", "--report", str(report))
    assert proc.returncode == 0, proc.stderr.decode()
    found = {(f["type"], f["url"]) for f in json.loads(report.read_text())}
    assert found == {("sql_error", "http://shop.test/item"), ("card_number", "http://shop.test/order/17")}
    assert "skipped 1 bad event line" in proc.stderr.decode()


def _session(sport: int, request: bytes, response: bytes) -> list:
    c, s = "198.18.0.2", "198.18.0.1"
    cseq, sseq = 1000, 5000
    pkts = [IP(src=c, dst=s) / TCP(sport=sport, dport=80, flags="S", seq=cseq),
            IP(src=s, dst=c) / TCP(sport=80, dport=sport, flags="SA", seq=sseq, ack=cseq + 1),
            IP(src=c, dst=s) / TCP(sport=sport, dport=80, flags="A", seq=cseq + 1, ack=sseq + 1),
            IP(src=c, dst=s) / TCP(sport=sport, dport=80, flags="PA", seq=cseq + 1, ack=sseq + 1) / Raw(request),
            IP(src=s, dst=c) / TCP(sport=80, dport=sport, flags="PA", seq=sseq + 1, ack=cseq + 1 + len(request))
            / Raw(response),
            IP(src=c, dst=s) / TCP(sport=sport, dport=80, flags="FA", seq=cseq + 1 + len(request),
                                   ack=sseq + 1 + len(response)),
            IP(src=s, dst=c) / TCP(sport=80, dport=sport, flags="FA", seq=sseq + 1 + len(response),
                                   ack=cseq + 2 + len(request)),
            IP(src=c, dst=s) / TCP(sport=sport, dport=80, flags="A", seq=cseq + 2 + len(request),
                                   ack=sseq + 2 + len(response))]
    for i, p in enumerate(pkts):
        p.time = 1_700_000_000 + sport * 0.001 + i * 0.0001
    return pkts


def _http(target: str, status: str, body: bytes) -> tuple[bytes, bytes]:
    req = f"GET {target} HTTP/1.1\r\nHost: shop.test\r\nUser-Agent: t\r\n\r\n".encode()
    resp = (f"HTTP/1.1 {status}\r\nContent-Type: text/html\r\nContent-Length: {len(body)}\r\n"
            f"Connection: close\r\n\r\n").encode() + body
    return req, resp


def test_passive_on_replayed_pcap(run_scan, tmp_path) -> None:
    pcap = tmp_path / "leaks.pcap"
    wrpcap(str(pcap), _session(40001, *_http("/item?id=1%27", "500 Internal Server Error", SQL_ERROR_PAGE))
           + _session(40002, *_http("/order/17", "200 OK", CARD_PAGE)))
    events = tmp_path / "events.jsonl"
    sensor = subprocess.run([sys.executable, "-c", "from sensor.cli import sensor; sensor()", "replay", str(pcap),
                             "--events", str(events)], capture_output=True, timeout=120)
    assert sensor.returncode == 0, sensor.stderr.decode()[-1500:]
    assert len(events.read_text().splitlines()) == 2
    report = tmp_path / "pcap.json"
    proc = run_scan("--passive", str(events), "--scope", "shop.test", "--report", str(report))
    assert proc.returncode == 0, proc.stderr.decode()
    found = {(f["type"], f["url"]) for f in json.loads(report.read_text())}
    assert ("sql_error", "http://shop.test/item") in found
    assert ("card_number", "http://shop.test/order/17") in found
