"""IP lists, modes, RST frames and the Blocker's decisions, without a network."""
from __future__ import annotations

import time

import pytest
from scapy.all import IP, TCP, Ether, IPv6

from sensor.blocking import Blocker
from sensor.capture import CaptureError, compile_bpf
from sensor.config import SensorConfig
from sensor.inject import build_rst, rst_seqs
from sensor.iplists import ListFile, ListFileError, parse_lists
from core.events import Request
from sensor.modes import ModePolicy, should_reset
from sensor.rules import parse_rules
from sensor.pipeline import Pipeline
from netgen import Conv, http_request, http_response


def test_lists_classify_with_expiry_and_precedence():
    now = 1_800_000_000.0
    lists = parse_lists("deny 198.18.0.0/24\nallow 198.18.0.7\ngray 198.19.1.1 ttl=60\n"
                        "deny 2001:db8::/32 until=2028-01-01T00:00:00Z  # v6\n", now=now)
    assert lists.classify("198.18.0.5", now) == "deny"
    assert lists.classify("198.18.0.7", now) == "allow"          # allow beats deny
    assert lists.classify("198.19.1.1", now) == "gray"
    assert lists.classify("198.19.1.1", now + 61) is None        # expired
    assert lists.classify("2001:db8::1", now) == "deny"
    assert lists.classify("2001:db8::1", 1_900_000_000.0) is None
    assert lists.classify("203.0.113.1", now) is None


@pytest.mark.parametrize("text,line,reason", [
    ("deny 198.18.0.1\nblock 1.2.3.4\n", 2, "unknown list 'block'"),
    ("\n\ndeny 300.1.1.1\n", 3, "not an IP address"),
    ("deny 198.18.0.1 ttl=soon\n", 1, "ttl must be seconds"),
    ("gray 198.18.0.1 until=2026-01-01T00:00:00\n", 1, "time zone"),
    ("allow\n", 1, "missing address"),
])
def test_malformed_list_names_line_and_reason(text, line, reason):
    with pytest.raises(ListFileError) as err:
        parse_lists(text, "lists.txt")
    assert err.value.line == line and reason in err.value.reason


def test_bad_list_file_keeps_previous_version(tmp_path):
    path = tmp_path / "lists.txt"
    path.write_text("deny 198.18.0.1\n")
    lf = ListFile(path)
    assert lf.lists.classify("198.18.0.1") == "deny"
    time.sleep(0.01)
    path.write_text("deny 198.18.0.1\ndeny 198.18.0.2\nbogus\n")
    assert lf.reload() is False
    assert "lists.txt:3" in lf.error
    assert lf.lists.classify("198.18.0.1") == "deny" and lf.lists.classify("198.18.0.2") is None
    path.write_text("deny 198.18.0.2\n")
    assert lf.reload() is True and lf.error is None
    assert lf.lists.classify("198.18.0.1") is None and lf.lists.classify("198.18.0.2") == "deny"


def test_modes_and_overrides():
    assert should_reset("block", True, None) and not should_reset("monitoring", True, None)
    assert should_reset("safe_blocking", True, "gray") and not should_reset("safe_blocking", True, None)
    assert not should_reset("block", True, "allow") and not should_reset("block", False, None)
    rules = parse_rules("""
rules:
  - id: admin-block
    match: {path: {prefix: /admin}}
    action: mode
    mode: block
  - id: beta-monitor
    match: {host: {prefix: beta.}}
    action: mode
    mode: monitoring
""")
    pol = ModePolicy("safe_blocking", rules)
    req = lambda host, target: Request(method="GET", target=target, host=host)  # noqa: E731
    assert pol.mode_for(req("shop.test", "/admin/users?x=1")) == "block"
    assert pol.mode_for(req("beta.shop.test:8080", "/")) == "monitoring"
    assert pol.mode_for(req("shop.test", "/")) == "safe_blocking"
    assert ModePolicy("block").mode_for(req("x", "/")) == "block"


def test_blocker_honours_a_rules_mode_override():
    from sensor.detect.engine import Engine
    rules = parse_rules("rules:\n  - id: quiet\n    match: {path: {prefix: /legacy}}\n    action: mode\n"
                        "    mode: monitoring\n")
    inj = _RecordingInjector()
    blocker = Blocker(ModePolicy("block", rules), inj, None, Engine(rules=rules))
    pk = []
    for port, target in ((40010, "/legacy/a?q=1%27%20OR%201%3D1--"), (40011, "/new?q=1%27%20OR%201%3D1--")):
        conv = Conv(client=("198.18.0.1", port), server=("198.18.0.2", 80))
        pk += conv.handshake() + conv.client(http_request("GET", target)) + conv.server(http_response(200, b"x"))
    events = _feed(_pipeline(blocker), blocker, pk)
    assert {e.request.target.split("?")[0]: e.action for e in events} == {"/legacy/a": "none", "/new": "reset"}
    assert {f[0] for f in inj.flows} == {40011}   # (twice: the answer in the capture counts as a lost race)


@pytest.mark.parametrize("v6", [False, True])
def test_rst_frame_is_valid_for_scapy(v6):
    src, dst = (b"\x20\x01\x0d\xb8" + b"\0" * 11 + b"\x01", b"\x20\x01\x0d\xb8" + b"\0" * 11 + b"\x02") if v6 \
        else (bytes([198, 18, 0, 1]), bytes([198, 18, 0, 2]))
    frame = build_rst(src, dst, 40000, 80, 0xFFFFFFF0 + 20, 1234, b"\x02\0\0\0\0\x01", b"\x02\0\0\0\0\x02")
    pkt = Ether(frame)
    tcp = pkt[TCP]
    assert tcp.flags == "RA" and tcp.seq == 4 and tcp.ack == 1234 and tcp.sport == 40000 and tcp.dport == 80
    assert pkt.src == "02:00:00:00:00:01" and pkt.dst == "02:00:00:00:00:02"
    # scapy recomputes checksums when they are deleted: ours must match
    layer = IPv6 if v6 else IP
    rebuilt = Ether(frame)
    del rebuilt[TCP].chksum
    if not v6:
        del rebuilt[IP].chksum
    rebuilt = Ether(bytes(rebuilt))
    assert rebuilt[TCP].chksum == tcp.chksum
    if not v6:
        assert rebuilt[IP].chksum == pkt[IP].chksum
    assert pkt.haslayer(layer)


def test_rst_seqs_cover_the_window_from_the_exact_next_byte():
    assert rst_seqs(1000, 65535, 3) == [1000, 2460, 3920]
    assert rst_seqs(0xFFFFFFFF, 600, 3) == [0xFFFFFFFF, 199, 399]   # small window, wraps
    assert rst_seqs(5, 0, 1) == [5]


def test_bpf_compiles_and_rejects_garbage():
    assert len(compile_bpf("tcp port 8080")) > 3
    with pytest.raises(CaptureError, match="bad BPF filter"):
        compile_bpf("tcp port eighty")


class _RecordingInjector:
    def __init__(self):
        self.flows = []

    def reset(self, flow, **_kw):
        self.flows.append((flow.client.port, flow.client.next_seq, flow.server.next_seq))
        return 6

    def close(self):
        pass


def _pipeline(blocker: Blocker) -> Pipeline:
    pipe = Pipeline(SensorConfig(), detector=blocker.detect, hooks=blocker.hooks)
    blocker.attach(pipe)
    return pipe


def _feed(pipe, blocker, packets):
    events = []
    for p in packets:
        events += pipe.feed(float(p.time), bytes(p), 1)
        blocker.packet_seen(float(p.time))
    return events + pipe.flush()


def test_blocker_resets_attack_with_live_sequence_numbers():
    from sensor.detect.engine import Engine
    inj = _RecordingInjector()
    blocker = Blocker(ModePolicy("block"), inj, None, Engine())
    conv = Conv(client=("198.18.0.1", 40001), server=("198.18.0.2", 80), isn_c=100, isn_s=9000)
    req = http_request("GET", "/s?q=1%27%20OR%201%3D1--")
    pk = conv.handshake() + conv.client(req) + conv.server(http_response(200, b"x")) + conv.close()
    events = _feed(_pipeline(blocker), blocker, pk)
    assert [e.action for e in events] == ["reset"] and events[0].verdict == "attack"
    # decided on the request: the client's next byte is after the request, the server has sent nothing yet
    assert inj.flows[0] == (40001, 101 + len(req), 9001)
    assert blocker.stats.early_resets == 1 and blocker.stats.reset_races_lost == 1   # the answer was seen


def test_blocker_never_resets_one_way_or_allowlisted_flows(tmp_path):
    from sensor.detect.engine import Engine
    lists = tmp_path / "l.txt"
    lists.write_text("allow 198.18.0.9\n")
    inj = _RecordingInjector()
    blocker = Blocker(ModePolicy("block"), inj, ListFile(lists), Engine())
    # one direction only (asymmetric capture): client packets, no server packets at all
    one_way = Conv(client=("198.18.0.1", 40002), server=("198.18.0.2", 80))
    pk = [one_way.handshake()[0], one_way.handshake()[2]] + one_way.client(http_request("GET", "/?q=<script>alert(1)</script>"))
    pk = [p for p in pk if p[IP].src == "198.18.0.1"]
    allowed = Conv(client=("198.18.0.9", 40003), server=("198.18.0.2", 80))
    pk += allowed.handshake() + allowed.client(http_request("GET", "/?q=1%27%20OR%201%3D1--")) + \
        allowed.server(http_response(200, b"x"))
    events = _feed(_pipeline(blocker), blocker, pk)
    assert inj.flows == []
    assert {e.action for e in events} == {"none"} and {e.verdict for e in events} == {"attack"}
    assert blocker.stats.not_both_ways >= 1 and blocker.stats.allowlisted >= 1


def test_denylisted_syn_is_reset_at_the_syn_ack_in_monitoring(tmp_path):
    lists = tmp_path / "l.txt"
    lists.write_text("deny 198.18.0.66\n")
    inj = _RecordingInjector()
    blocker = Blocker(ModePolicy("monitoring"), inj, ListFile(lists), None)
    conv = Conv(client=("198.18.0.66", 40004), server=("198.18.0.2", 80), isn_c=7, isn_s=70)
    hs = conv.handshake()
    pipe = _pipeline(blocker)
    pipe.feed(float(hs[0].time), bytes(hs[0]), 1)
    blocker.packet_seen(0)
    assert inj.flows == []                      # SYN alone: seen one way, nothing sent yet
    pipe.feed(float(hs[1].time), bytes(hs[1]), 1)
    blocker.packet_seen(0)
    assert inj.flows == [(40004, 8, 71)] and blocker.stats.denylist_refusals == 1


def test_a_reset_flow_reports_its_transaction_after_reset_timeout_not_idle_timeout():
    pipe = Pipeline(SensorConfig(node="n", reset_timeout=1.0, idle_timeout=120.0))
    conv = Conv(client=("198.18.0.1", 41000), server=("198.18.0.2", 80))
    t = 1_700_000_000.0
    events = []
    for i, pkt in enumerate(conv.handshake() + conv.client(http_request("GET", "/?id=1'--", host="x"))):
        events += pipe.feed(t + i * 0.001, bytes(pkt), 1)
    assert events == []
    flow = next(iter(pipe.flows.flows.values()))
    flow.mark_reset()
    pipe.flows.close_after_reset(flow)
    assert pipe.expire(t + 0.5) == []             # still inside the grace period
    out = pipe.expire(t + 2.0)                    # long before the 120 s idle timeout
    assert len(out) == 1 and out[0].action == "reset" and out[0].response is None
    assert out[0].request.target == "/?id=1'--"
    assert pipe.flows.resetting == {}


def _same_stamp_rewrite(path, text: str) -> None:
    """Replace a file's content keeping its size and mtime: invisible to the change watch, not to SIGHUP."""
    st = path.stat()
    assert len(text.encode()) == st.st_size
    path.write_text(text)
    import os
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))


def test_a_requested_reload_rereads_rules_and_lists_the_change_watch_cannot_see(tmp_path):
    from sensor.detect.engine import Engine
    rules_v1 = "rules:\n  - id: quiet\n    match: {path: {prefix: /aaaaaa}}\n    action: mode\n    mode: monitoring\n"
    rules_v2 = rules_v1.replace("/aaaaaa", "/legacy")
    rules, lists = tmp_path / "rules.yaml", tmp_path / "lists.txt"
    rules.write_text(rules_v1)
    lists.write_text("deny 198.18.0.66\n")
    engine = Engine(rules=parse_rules(rules_v1))
    blocker = Blocker(ModePolicy("block", engine.rules), _RecordingInjector(), ListFile(lists), engine)
    blocker.rules_path = str(rules)
    blocker.idle()                                       # the watch notes the versions loaded at start
    _same_stamp_rewrite(rules, rules_v2)
    _same_stamp_rewrite(lists, "deny 198.18.0.77\n")
    blocker._rules_checked = 0.0
    blocker.list_file._loaded_at = 0.0
    blocker.idle()
    assert not blocker.policy.rules.rules[0].path("/legacy/x")    # unchanged stamp: the watch keeps v1
    assert blocker.ip_class("198.18.0.66") == "deny"
    blocker.request_reload()
    blocker.idle()
    assert engine.rules is blocker.policy.rules and blocker.policy.rules.rules[0].path("/legacy/x")
    assert blocker.ip_class("198.18.0.77") == "deny" and blocker.ip_class("198.18.0.66") is None
    assert blocker.stats.rules_reloads == 1 and blocker.stats.list_errors == 0


def test_a_requested_reload_of_a_broken_file_keeps_the_previous_version(tmp_path):
    from sensor.detect.engine import Engine
    rules = tmp_path / "rules.yaml"
    good = "rules:\n  - id: quiet\n    match: {path: {prefix: /legacy}}\n    action: mode\n    mode: monitoring\n"
    rules.write_text(good)
    engine = Engine(rules=parse_rules(good))
    blocker = Blocker(ModePolicy("block", engine.rules), _RecordingInjector(), None, engine)
    blocker.rules_path = str(rules)
    before = engine.rules
    rules.write_text("rules:\n  - id: x\n    action: mode\n    mode: blocky\n")
    blocker.request_reload()
    blocker.idle()
    assert engine.rules is before and blocker.policy.rules is before
    assert blocker.stats.list_errors == 1 and blocker.stats.rules_reloads == 0
    rules.unlink()
    blocker.request_reload()
    blocker.idle()                                       # a vanished file is an error too, not "no rules"
    assert engine.rules is before and blocker.stats.list_errors == 2
