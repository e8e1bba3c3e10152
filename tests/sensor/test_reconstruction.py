"""Exact reconstruction of HTTP transactions from scapy-built captures under TCP adversities."""
from __future__ import annotations

import gzip
import random
import struct

import pytest
from scapy.all import IP, TCP, Ether, Raw, fragment, wrpcap
from scapy.layers.l2 import CookedLinux
from scapy.utils import PcapNgWriter

from helpers import body_of, replay_file, replay_packets, rules, sha
from netgen import Conv, http_request, http_response, retime

REQ_BODY = bytes(random.Random(1).getrandbits(8) for _ in range(3000))
RESP_BODY = b"<html>" + b"".join(b"line %d\n" % i for i in range(700)) + b"</html>"
REQ = http_request("POST", "/upload?x=1&y=%41", headers=[("User-Agent", "t/1"), ("X-Trace", "abc")], body=REQ_BODY)
RESP = http_response(201, RESP_BODY, headers=[("Server", "s")], reason="Created")


def conversation(conv=None, seg=700, rseg=900):
    c = conv or Conv()
    hs = c.handshake()
    req = c.client(REQ, seg)
    resp = c.server(RESP, rseg)
    fin = c.close()
    return hs, req, resp, fin


def assert_exact(ev, client=("10.0.0.1", 40000), server=("10.0.0.2", 80)):
    r = ev.request
    assert (r.method, r.target, r.version, r.host) == ("POST", "/upload?x=1&y=%41", "1.1", "example.test")
    assert r.headers == [("Host", "example.test"), ("User-Agent", "t/1"), ("X-Trace", "abc"),
                         ("Content-Length", str(len(REQ_BODY)))]
    assert r.body_len == len(REQ_BODY) and r.body_sha256 == sha(REQ_BODY) and body_of(r) == REQ_BODY
    assert ev.response is not None and ev.response.status == 201
    assert ev.response.headers == [("Server", "s"), ("Content-Length", str(len(RESP_BODY)))]
    assert body_of(ev.response) == RESP_BODY and ev.response.body_len == len(RESP_BODY)
    assert (ev.client.ip, ev.client.port) == client and (ev.server.ip, ev.server.port) == server
    assert ev.verdict == "clean" and ev.hits == []


def test_in_order(tmp_path):
    hs, req, resp, fin = conversation()
    events, pipe = replay_packets(tmp_path, hs + req + resp + fin)
    assert len(events) == 1
    assert_exact(events[0])
    assert events[0].ts == pytest.approx(float(req[0].time))
    assert pipe.stats.gaps == 0 and pipe.stats.parse_errors == 0 and pipe.stats.flows == 1


def test_out_of_order(tmp_path):
    hs, req, resp, fin = conversation(seg=300, rseg=400)
    rnd = random.Random(3)
    data_req, data_resp = req[:-1], resp[:-1]
    rnd.shuffle(data_req)
    rnd.shuffle(data_resp)
    events, pipe = replay_packets(tmp_path, retime(hs + data_req + req[-1:] + data_resp + resp[-1:] + fin))
    assert len(events) == 1
    assert_exact(events[0])
    assert pipe.stats.out_of_order > 0 and pipe.stats.gaps == 0


def test_duplicated_segments(tmp_path):
    hs, req, resp, fin = conversation(seg=500)
    dup = lambda pk: [p for x in pk for p in (x, x.copy())]  # noqa: E731
    events, pipe = replay_packets(tmp_path, retime(dup(hs) + dup(req) + dup(resp) + dup(fin)))
    assert len(events) == 1
    assert_exact(events[0])
    assert pipe.stats.retransmissions >= len(req) - 1


def test_overlapping_segments_first_arrival_wins(tmp_path):
    c = Conv()
    hs = c.handshake()
    base = c.cseq
    req = REQ
    pk = []
    # segments of 400 bytes at a 250-byte stride: each overlaps the previous one; the overlapping copies carry
    # junk, which must lose against the bytes that arrived first
    for off in range(0, len(req), 250):
        chunk = bytearray(req[off:off + 400])
        if off:
            chunk[:150] = b"X" * min(150, len(chunk))
        pk.append(c._pkt(True, "PA", base + off, c.sseq, bytes(chunk)))
    c.cseq = base + len(req)
    pk.append(c._pkt(False, "A", c.sseq, c.cseq))
    resp = c.server(RESP)
    events, pipe = replay_packets(tmp_path, hs + pk + resp + c.close())
    assert len(events) == 1
    assert_exact(events[0])


def test_overlap_out_of_order_keeps_first_copy(tmp_path):
    c = Conv()
    hs = c.handshake()
    base = c.cseq
    req = http_request("GET", "/abcdefgh")
    later = c._pkt(True, "PA", base + 10, c.sseq, req[10:])
    first = c._pkt(True, "PA", base, c.sseq, req[:10])
    evil = c._pkt(True, "PA", base + 4, c.sseq, b"/EVILxxxxx" + req[14:20])   # overlaps both
    c.cseq = base + len(req)
    tail = c.server(http_response(200, b"ok")) + c.close()
    events, pipe = replay_packets(tmp_path, retime(hs + [later, first, evil] + tail))
    assert [e.request.target for e in events] == ["/abcdefgh"]
    # bytes 4..10 were first seen in the overlapping copy when it comes before the segment that starts at 0
    events, pipe = replay_packets(tmp_path, retime(hs + [later, evil, first] + tail), name="t2.pcap")
    assert [e.request.target for e in events] == ["/EVILxfgh"]
    assert pipe.stats.overlap_conflicts == 2   # evil vs later, then first vs evil


def test_one_byte_segments(tmp_path):
    hs, req, resp, fin = conversation(seg=1, rseg=1)
    events, _ = replay_packets(tmp_path, hs + req + resp + fin)
    assert len(events) == 1
    assert_exact(events[0])


def test_lost_handshake_midstream_pickup(tmp_path):
    c = Conv()
    c.handshake()                     # not captured
    warm = c.client(http_request("GET", "/first")) + c.server(http_response(200, b"x" * 5000))
    # the capture starts in the middle of the first response body
    hs_less = warm[3:]
    req, resp, fin = c.client(REQ, 700), c.server(RESP, 900), c.close()
    events, pipe = replay_packets(tmp_path, hs_less + req + resp + fin)
    assert len(events) == 1
    assert_exact(events[0])
    assert pipe.stats.resync_bytes > 0


def test_pipelined_requests(tmp_path):
    c = Conv()
    reqs = [http_request("GET", f"/p{i}") for i in range(3)] + [http_request("POST", "/p3", body=b"q=1")]
    resps = [http_response(200 + i, b"r%d" % i) for i in range(4)]
    pk = c.handshake() + c.client(b"".join(reqs)) + c.server(b"".join(resps)) + c.close()
    events, _ = replay_packets(tmp_path, pk)
    assert [(e.request.method, e.request.target, e.response.status, body_of(e.response)) for e in events] == [
        ("GET", "/p0", 200, b"r0"), ("GET", "/p1", 201, b"r1"), ("GET", "/p2", 202, b"r2"),
        ("POST", "/p3", 203, b"r3")]
    assert body_of(events[3].request) == b"q=1"


def test_chunked_gzip_response_and_gzip_request(tmp_path):
    words = [b"alpha", b"beta", b"gamma", b"delta", b"epsilon", b"zeta", b"eta", b"theta"]
    rnd = random.Random(9)
    page = b"<p>" + b" ".join(rnd.choice(words) + b"%d" % rnd.randint(0, 999) for _ in range(20000)) + b"</p>"
    gz = gzip.compress(page)
    chunks = b"".join(b"%x\r\n%s\r\n" % (len(gz[i:i + 333]), gz[i:i + 333]) for i in range(0, len(gz), 333)) + b"0\r\n\r\n"
    resp = http_response(200, chunks, headers=[("Transfer-Encoding", "chunked"), ("Content-Encoding", "gzip")])
    req_body = gzip.compress(b'{"user": "alice", "q": "' + b"z" * 500 + b'"}')
    req = http_request("POST", "/api", headers=[("Content-Encoding", "gzip"), ("Content-Type", "application/json")],
                       body=req_body)
    c = Conv()
    seen = []
    from sensor.config import SensorConfig
    events, _ = replay_packets(tmp_path, c.handshake() + c.client(req) + c.server(resp, 500) + c.close(),
                               detector=lambda view: seen.append(view) or [])
    (ev,) = events
    assert ev.request.body_sha256 == sha(req_body) and ev.request.body_len == len(req_body)
    assert body_of(ev.request) == b'{"user": "alice", "q": "' + b"z" * 500 + b'"}'
    assert seen[0].body == body_of(ev.request) and seen[0].raw_body_len == len(req_body)
    assert ev.response.body_len == len(gz)               # de-chunked, still compressed
    assert body_of(ev.response) == page[:SensorConfig().event_body_limit]


def test_ipv6(tmp_path):
    c = Conv(client=("2001:db8::1", 40000), server=("2001:db8::2", 80), v6=True)
    hs, req, resp, fin = conversation(c)
    events, _ = replay_packets(tmp_path, hs + req + resp + fin)
    assert len(events) == 1
    assert_exact(events[0], client=("2001:db8::1", 40000), server=("2001:db8::2", 80))


def test_vlan(tmp_path):
    hs, req, resp, fin = conversation(Conv(vlan=42))
    events, _ = replay_packets(tmp_path, hs + req + resp + fin)
    assert len(events) == 1
    assert_exact(events[0])


def test_ipv4_fragments(tmp_path):
    c = Conv()
    hs = c.handshake()
    req = c.client(REQ, 3500)            # one big segment ...
    frags = fragment(req[0], fragsize=600)  # ... sent as IPv4 fragments, delivered in reverse order
    assert len(frags) > 3
    frags = [Ether(src="02:00:00:00:00:01", dst="02:00:00:00:00:02") / f[IP] for f in reversed(frags)]
    rest = c.server(RESP) + c.close()
    events, pipe = replay_packets(tmp_path, retime(hs + frags + req[1:] + rest))
    assert len(events) == 1
    assert_exact(events[0])
    assert pipe.stats.frag_reassembled == 1


def test_ipv6_fragments(tmp_path):
    from scapy.all import IPv6, IPv6ExtHdrFragment, fragment6
    c = Conv(client=("2001:db8::1", 40000), server=("2001:db8::2", 80), v6=True)
    hs = c.handshake()
    req = c.client(REQ, 3500)
    pkt = req[0][IPv6]
    pkt = IPv6(src=pkt.src, dst=pkt.dst) / IPv6ExtHdrFragment() / pkt[TCP]
    frags = [Ether() / f for f in fragment6(pkt, 1000)]
    events, pipe = replay_packets(tmp_path, retime(hs + frags + req[1:] + c.server(RESP) + c.close()))
    assert len(events) == 1
    assert_exact(events[0], client=("2001:db8::1", 40000), server=("2001:db8::2", 80))


def test_sequence_wraparound(tmp_path):
    # both initial sequence numbers sit just below 2**32 so the bodies cross the wrap
    c = Conv(isn_c=0xFFFFFFFF - 1000, isn_s=0xFFFFFFFF - 10)
    hs, req, resp, fin = conversation(c, seg=300)
    data = req[:-1]
    random.Random(5).shuffle(data)
    req = data + req[-1:]
    events, pipe = replay_packets(tmp_path, retime(hs + req + resp + fin))
    assert len(events) == 1
    assert_exact(events[0])
    assert pipe.stats.gaps == 0


def test_hundred_interleaved_connections(tmp_path):
    convs = []
    for i in range(100):
        c = Conv(client=(f"10.0.{i // 50}.{i % 50 + 1}", 30000 + i), isn_c=i * 7919, isn_s=i * 104729)
        body = b"payload-%d-" % i * 50
        steps = [c.handshake(), c.client(http_request("POST", f"/c/{i}", body=body), 200),
                 c.server(http_response(200, b"resp-%d" % i * 100), 300), c.close()]
        convs.append([p for s in steps for p in s])
    rnd = random.Random(11)
    merged = []
    while any(convs):
        live = [cv for cv in convs if cv]
        merged.append(rnd.choice(live).pop(0))
    events, pipe = replay_packets(tmp_path, retime(merged))
    assert len(events) == 100 and pipe.stats.flows == 100
    got = {e.request.target: e for e in events}
    for i in range(100):
        e = got[f"/c/{i}"]
        assert body_of(e.request) == b"payload-%d-" % i * 50
        assert body_of(e.response) == b"resp-%d" % i * 100
        assert (e.client.ip, e.client.port) == (f"10.0.{i // 50}.{i % 50 + 1}", 30000 + i)


def test_truncated_capture_file(tmp_path):
    c = Conv()
    pk = c.handshake() + c.client(http_request("GET", "/a")) + c.server(http_response(200, b"A")) \
        + c.client(http_request("GET", "/b"))
    path = tmp_path / "cut.pcap"
    wrpcap(str(path), pk)
    data = path.read_bytes()
    path.write_bytes(data[:-10])          # the file ends in the middle of the last record
    events, pipe = replay_file(str(path))
    from sensor.pcap import Capture
    with Capture(str(path)) as cap:
        n = sum(1 for _ in cap)
        assert cap.truncated
    assert n == len(pk) - 1
    assert [(e.request.target, e.response.status if e.response else None) for e in events] == [("/a", 200), ("/b", None)]


def test_snaplen_truncated_frames(tmp_path):
    c = Conv()
    hs = c.handshake()
    req = c.client(http_request("POST", "/big", body=b"B" * 3000), 1400)
    nxt = c.client(http_request("GET", "/after"))
    resp = c.server(http_response(200, b"ok"))
    path = tmp_path / "snap.pcap"
    wrpcap(str(path), hs + req + nxt + resp, snaplen=200)
    # scapy writes full frames; cut the records ourselves like a 200-byte snaplen would
    raw = path.read_bytes()
    out, off = bytearray(raw[:24]), 24
    while off < len(raw):
        sec, usec, incl, orig = struct.unpack_from("<IIII", raw, off)
        frame = raw[off + 16:off + 16 + incl]
        out += struct.pack("<IIII", sec, usec, min(incl, 200), orig) + frame[:200]
        off += 16 + incl
    path.write_bytes(bytes(out))
    events, pipe = replay_file(str(path))
    assert pipe.stats.truncated > 0 and pipe.stats.gaps > 0
    targets = [e.request.target for e in events]
    assert targets[0] == "/big" and "tcp-gap" in rules(events[0])
    assert "/after" in targets


def test_pcapng(tmp_path):
    hs, req, resp, fin = conversation()
    path = str(tmp_path / "t.pcapng")
    w = PcapNgWriter(path)
    for p in hs + req + resp + fin:
        w.write(p)
    w.close()
    events, _ = replay_file(path)
    assert len(events) == 1
    assert_exact(events[0])


def test_linux_cooked(tmp_path):
    hs, req, resp, fin = conversation()
    cooked = []
    for p in hs + req + resp + fin:
        q = CookedLinux(pkttype=0, lladdrtype=1, lladdrlen=6, src=bytes.fromhex(p[Ether].src.replace(":", "")) + b"\0\0",
                        proto=0x0800) / p[IP]
        q.time = p.time
        cooked.append(q)
    events, _ = replay_packets(tmp_path, cooked, linktype=113)
    assert len(events) == 1
    assert_exact(events[0])


def test_raw_ip_linktype(tmp_path):
    hs, req, resp, fin = conversation()
    raw_pk = []
    for p in hs + req + resp + fin:
        q = p[IP]
        q.time = p.time
        raw_pk.append(q)
    events, _ = replay_packets(tmp_path, raw_pk, linktype=101)
    assert len(events) == 1
    assert_exact(events[0])
