"""`rampart sensor replay` runs the detection engine: attacks get hits and verdict, clean requests stay clean."""
from __future__ import annotations

import json
import subprocess
import sys

from scapy.utils import wrpcap

from tests.sensor.netgen import Conv, http_request, http_response, retime


def _pcap(path, targets):
    pkts = []
    for i, target in enumerate(targets):
        conv = Conv(client=("198.18.0.1", 40000 + i), server=("198.18.0.2", 80))
        pkts += conv.handshake()
        pkts += conv.client(http_request("GET", target, host="shop.test"))
        pkts += conv.server(http_response(200, b"ok"))
        pkts += conv.close()
    wrpcap(str(path), retime(pkts))


def _replay(path, *extra):
    res = subprocess.run([sys.executable, "-m", "rampart", "sensor", "replay", str(path), "--events", "-", *extra],
                         capture_output=True, text=True, timeout=300)
    assert res.returncode == 0, res.stderr
    return [json.loads(l) for l in res.stdout.splitlines()]


def test_replay_detects_attacks_and_leaves_clean_requests_alone(tmp_path):
    pcap = tmp_path / "mixed.pcap"
    _pcap(pcap, ["/products?id=42", "/products?id=1%27%20UNION%20SELECT%20password%20FROM%20users--",
                 "/search?q=%3Cscript%3Ealert(1)%3C%2Fscript%3E", "/static/app.css"])
    events = {e["request"]["target"]: e for e in _replay(pcap)}
    assert len(events) == 4
    sqli = events["/products?id=1%27%20UNION%20SELECT%20password%20FROM%20users--"]
    assert sqli["verdict"] == "attack" and "sqli" in {h["type"] for h in sqli["hits"]}
    xss = events["/search?q=%3Cscript%3Ealert(1)%3C%2Fscript%3E"]
    assert xss["verdict"] == "attack" and "xss" in {h["type"] for h in xss["hits"]}
    for clean in ("/products?id=42", "/static/app.css"):
        assert events[clean]["verdict"] == "clean" and events[clean]["hits"] == []
    # --no-detect: same transactions, no detector hits
    plain = _replay(pcap, "--no-detect")
    assert len(plain) == 4 and all(e["verdict"] == "clean" for e in plain)


def test_replay_with_two_workers_detects_the_same(tmp_path):
    pcap = tmp_path / "w.pcap"
    _pcap(pcap, [f"/item?id={i}%27%20OR%201=1--" if i % 2 else f"/item?id={i}" for i in range(20)])
    one, two = _replay(pcap), _replay(pcap, "--workers", "2")
    assert [(e["request"]["target"], e["verdict"]) for e in one] == [(e["request"]["target"], e["verdict"]) for e in two]
    assert sum(e["verdict"] == "attack" for e in one) == 10


def test_replay_applies_the_detection_limits_given_on_the_command_line(tmp_path):
    pcap = tmp_path / "many.pcap"
    many = "/list?" + "&".join(f"f{i}=v{i}" for i in range(40))
    _pcap(pcap, [many, "/one?a=1"])
    default = {e["request"]["target"]: e for e in _replay(pcap)}
    assert default[many]["verdict"] == "clean"
    tight = {e["request"]["target"]: e for e in _replay(pcap, "--detect-limit", "max_params=16", "--workers", "2")}
    over = [h for h in tight[many]["hits"] if h["rule"] == "overlimit"]
    assert [h["value"] for h in over] == ["params"] and tight[many]["verdict"] == "attack"
    assert tight["/one?a=1"]["verdict"] == "clean"
    res = subprocess.run([sys.executable, "-m", "rampart", "sensor", "replay", str(pcap), "--detect-limit", "max_depth"],
                         capture_output=True, text=True, timeout=120)
    assert res.returncode == 2 and "expected NAME=VALUE" in res.stderr


def test_replay_applies_the_shipped_virtual_patches_unless_told_not_to(tmp_path):
    # Ivanti EPMM's unauthenticated API (CVE-2023-35078): no payload a detector sees, a KEV pack rule blocks it
    pcap = tmp_path / "kev.pcap"
    exploit, normal = "/mifs/aad/api/v2/authorized/users?adminDeviceSpaceId=1", "/mifs/user/login.jsp"
    _pcap(pcap, [exploit, normal])
    events = {e["request"]["target"]: e for e in _replay(pcap)}
    assert events[exploit]["verdict"] == "attack"
    assert [(h["type"], h["rule"]) for h in events[exploit]["hits"]] == [("vpatch", "CVE-2023-35078")]
    assert events[normal]["verdict"] == "clean"
    bare = {e["request"]["target"]: e for e in _replay(pcap, "--vpatch-packs", "none")}
    assert bare[exploit]["verdict"] == "clean" and bare[exploit]["hits"] == []
    edge_only = {e["request"]["target"]: e for e in _replay(pcap, "--vpatch-packs", "kev-edge")}
    assert edge_only[exploit]["verdict"] == "attack"
