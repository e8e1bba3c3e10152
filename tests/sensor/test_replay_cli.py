"""`rampart sensor replay` as a subprocess: JSONL events, summary, sharded workers, errors."""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys

from scapy.all import wrpcap

from core.events import decode_event
from netgen import Conv, http_request, http_response

RAMPART = os.path.join(os.path.dirname(sys.executable), "rampart")


def _capture(path, n=40):
    pk = []
    for i in range(n):
        c = Conv(client=(f"10.1.{i // 200}.{i % 200 + 1}", 20000 + i), t0=1_700_000_000 + i * 0.01, step=0.0001)
        pk += c.handshake() + c.client(http_request("GET", f"/item/{i}?q=%27x")) \
            + c.server(http_response(200, b"body-%d" % i)) + c.close()
    pk.sort(key=lambda p: float(p.time))
    wrpcap(str(path), pk)
    return pk


def _run(*args, check=True):
    res = subprocess.run([RAMPART, "sensor", "replay", *args], capture_output=True, text=True, timeout=300)
    if check:
        assert res.returncode == 0, res.stderr
    return res


def test_replay_writes_events_and_summary(tmp_path):
    pcap = tmp_path / "c.pcap"
    pk = _capture(pcap)
    out = tmp_path / "events.jsonl"
    res = _run(str(pcap), "--events", str(out), "--tenant", "acme", "--node", "n1")
    lines = out.read_bytes().splitlines()
    events = [decode_event(line) for line in lines]
    assert sorted(e.request.target for e in events) == sorted(f"/item/{i}?q=%27x" for i in range(40))
    assert all(e.tenant == "acme" and e.node == "n1" and e.response.status == 200 for e in events)
    assert len({e.id for e in events}) == 40
    summary = dict(re.findall(r"(\S+)=(\S+)", res.stderr.strip().splitlines()[-1]))
    assert summary["packets"] == str(len(pk)) and summary["transactions"] == "40" and summary["flows"] == "40"
    assert summary["parse_errors"] == "0" and summary["drops"] == "0" and float(summary["pkt/s"]) > 0


def test_replay_to_stdout_and_workers_give_same_events(tmp_path):
    pcap = tmp_path / "c.pcap"
    _capture(pcap)
    one = _run(str(pcap), "--events", "-", "--node", "n")
    two = _run(str(pcap), "--events", "-", "--node", "n", "--workers", "2")

    def strip(stdout):
        rows = [json.loads(line) for line in stdout.splitlines()]
        for r in rows:
            r.pop("id")
        return rows
    assert strip(one.stdout) == strip(two.stdout) and len(strip(one.stdout)) == 40
    assert "workers=2" in two.stderr


def test_replay_several_files_as_one_capture(tmp_path):
    c = Conv()
    first = c.handshake() + c.client(http_request("GET", "/split"))
    second = c.server(http_response(200, b"ok")) + c.close()
    wrpcap(str(tmp_path / "a.pcap"), first)
    wrpcap(str(tmp_path / "b.pcap"), second)
    res = _run(str(tmp_path / "a.pcap"), str(tmp_path / "b.pcap"), "--events", "-")
    (event,) = [decode_event(line) for line in res.stdout.splitlines()]
    assert event.request.target == "/split" and event.response.status == 200


def test_replay_errors(tmp_path):
    bad = tmp_path / "bad.pcap"
    bad.write_bytes(b"this is not a capture file at all")
    res = _run(str(bad), check=False)
    assert res.returncode == 1 and "not a pcap" in res.stderr and len(res.stderr.strip().splitlines()) == 1
    res = _run(str(tmp_path / "missing.pcap"), check=False)
    assert res.returncode == 2
    res = _run(str(bad), "--body-limit", "lots", check=False)
    assert res.returncode == 2


def test_replay_logs_through_the_redacting_formatter_at_the_chosen_level(tmp_path):
    pcap = tmp_path / "c.pcap"
    _capture(pcap, n=3)
    # port 9 (discard) has no broker: the Kafka sink spools and says so once, as a formatted WARNING line
    res = _run(str(pcap), "--kafka", "127.0.0.1:9", "--spool-dir", str(tmp_path / "spool"), "--events", os.devnull,
               "--log-level", "info")
    warn = [ln for ln in res.stderr.splitlines() if "kafka unreachable" in ln]
    assert len(warn) == 1 and re.match(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} WARNING sensor\.kafka_sink: ", warn[0])
    assert res.stderr.strip().splitlines()[-1].startswith("replay: ")
    assert list((tmp_path / "spool").rglob("*")), "the events were spooled"
    assert _run(str(pcap), "--log-level", "verbose", check=False).returncode == 2
