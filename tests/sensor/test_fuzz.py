"""Hypothesis fuzzing of the decoder, the reassembler and the HTTP layer: no exception escapes, memory is bounded."""
from __future__ import annotations

import dpkt
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scapy.all import IP, TCP, Dot1Q, Ether, IPv6, Raw, raw

from helpers import RecordingListener, feed_interleaved
from netgen import http_request, http_response
from sensor.config import SensorConfig
from sensor.decode import ACK, PSH, SYN, Decoder, Segment
from sensor.http import HttpSession
from sensor.pipeline import Pipeline, PipelineStats
from sensor.reassembly import Reassembler

FUZZ = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
LINKTYPES = [0, 1, 12, 101, 108, 113, 228, 229, 276, 999]


class Collect:
    """A stream consumer recording what the reassembler delivers."""

    def __init__(self):
        self.data = {True: bytearray(), False: bytearray()}
        self.gaps = 0
        self.closed = 0

    def stream_syn(self, flow):
        pass

    def stream_data(self, flow, from_client, data, ts):
        self.data[from_client] += data

    def stream_gap(self, flow, from_client, n, ts):
        self.gaps += n

    def stream_closed(self, flow, ts):
        self.closed += 1


@FUZZ
@given(frame=st.binary(max_size=300), linktype=st.sampled_from(LINKTYPES))
def test_decoder_survives_random_frames(frame, linktype):
    stats = PipelineStats()
    Decoder(SensorConfig(), stats).decode(1.0, frame, linktype)


@FUZZ
@given(src=st.ip_addresses(v=4), dst=st.ip_addresses(v=4), sport=st.integers(0, 65535), dport=st.integers(0, 65535),
       seq=st.integers(0, 2**32 - 1), ack=st.integers(0, 2**32 - 1), flags=st.integers(0, 255),
       payload=st.binary(max_size=200), vlan=st.booleans(), v6=st.booleans(), pad=st.binary(max_size=20))
def test_fast_path_agrees_with_dpkt(src, dst, sport, dport, seq, ack, flags, payload, vlan, v6, pad):
    l3 = (IPv6(src="2001:db8::" + str(src).split(".")[-1], dst="2001:db8::1:" + str(dst).split(".")[-1]) if v6
          else IP(src=str(src), dst=str(dst)))
    l2 = Ether() / Dot1Q(vlan=5) if vlan else Ether()
    frame = l2 / l3 / TCP(sport=sport, dport=dport, seq=seq, ack=ack, flags=flags) / Raw(payload)
    frame = raw(frame) + pad      # Ethernet padding must not leak into the payload
    seg = Decoder(SensorConfig(), PipelineStats()).decode(1.0, frame, 1)
    eth = dpkt.ethernet.Ethernet(frame)
    ip = eth.data
    tcp = ip.data
    assert seg is not None
    assert (seg.src, seg.dst) == (ip.src, ip.dst)
    assert (seg.sport, seg.dport, seg.seq, seg.ack, seg.flags, seg.win) == (tcp.sport, tcp.dport, tcp.seq, tcp.ack,
                                                                            tcp.flags, tcp.win)
    assert seg.payload == bytes(tcp.data) == payload


@FUZZ
@given(data=st.data())
def test_decoder_survives_mutated_frames(data):
    base = raw(Ether() / IP(src="1.2.3.4", dst="5.6.7.8", flags=data.draw(st.sampled_from([0, 1, 2])),
                            frag=data.draw(st.integers(0, 3))) / TCP(flags="PA") / Raw(b"GET / HTTP/1.1\r\n\r\n"))
    frame = bytearray(base)
    for _ in range(data.draw(st.integers(1, 6))):
        frame[data.draw(st.integers(0, len(frame) - 1))] = data.draw(st.integers(0, 255))
    frame = bytes(frame[: data.draw(st.integers(0, len(frame)))])
    cfg = SensorConfig(max_frag_sets=4)
    dec = Decoder(cfg, PipelineStats())
    for _ in range(3):
        dec.decode(1.0, frame, 1)
    assert len(dec.defrag.sets) <= 4


def _segments(stream: bytes, cuts: list[int], isn: int) -> list[tuple[int, bytes]]:
    points = sorted({c % (len(stream) + 1) for c in cuts} | {0, len(stream)})
    return [((isn + a) & 0xFFFFFFFF, stream[a:b]) for a, b in zip(points, points[1:]) if b > a]


@FUZZ
@given(stream=st.binary(min_size=1, max_size=3000), cuts=st.lists(st.integers(0, 3000), max_size=40),
       isn=st.integers(0, 2**32 - 1), order=st.randoms(use_true_random=False), dups=st.integers(0, 10))
def test_reassembler_exact_under_reordering_and_duplicates(stream, cuts, isn, order, dups):
    segs = _segments(stream, cuts, (isn + 1) & 0xFFFFFFFF)
    # overlapping copies of the same bytes (retransmissions with other boundaries)
    for _ in range(dups):
        a = order.randrange(len(stream))
        b = min(len(stream), a + order.randrange(1, 500))
        segs.append((((isn + 1) + a) & 0xFFFFFFFF, stream[a:b]))
    order.shuffle(segs)
    col = Collect()
    r = Reassembler(SensorConfig(), col, PipelineStats())
    c, s = b"\x0a\0\0\x01", b"\x0a\0\0\x02"
    r.process(0.0, Segment(c, s, 1234, 80, isn, 0, SYN, 1000, b"", 0, b"", b"", b""))
    for seq, data in segs:
        r.process(0.1, Segment(c, s, 1234, 80, seq, 0, PSH, 1000, data, len(data), b"", b"", b""))
    assert bytes(col.data[True]) == stream
    assert col.gaps == 0 and r.buffered == 0


@FUZZ
@given(segs=st.lists(st.tuples(st.integers(0, 2**32 - 1), st.integers(0, 255), st.binary(max_size=400),
                               st.booleans(), st.integers(0, 3)), max_size=80))
def test_reassembler_random_segments_bounded(segs):
    cfg = SensorConfig(flow_buffer_cap=2000, memcap=20_000, flow_overhead=1000, max_flows=8)
    col = Collect()
    stats = PipelineStats()
    r = Reassembler(cfg, col, stats)
    for seq, flags, data, from_client, host in segs:
        c, s = bytes([10, 0, 0, host]), b"\x0a\0\0\x09"
        src, dst, sp, dp = (c, s, 1000 + host, 80) if from_client else (s, c, 80, 1000 + host)
        r.process(0.0, Segment(src, dst, sp, dp, seq, seq ^ 0x5555, flags, 100, data, len(data), b"", b"", b""))
        assert len(r.flows) <= cfg.max_flows
        assert r.buffered <= cfg.memcap
        assert r.buffered == sum(f.client.pending.size + f.server.pending.size for f in r.flows.values())
    r.expire(1e9)
    assert r.buffered == 0 and not r.flows and not r.index




_GOOD_REQ = http_request("POST", "/a?b=c", headers=[("Transfer-Encoding", "chunked")], body=b"5\r\nhello\r\n0\r\n\r\n") \
    + http_request("HEAD", "/h") + http_request("GET", "/x", body=b"abc")
_GOOD_RESP = http_response(200, b"x" * 100) + b"HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n" + \
    http_response(404, b"", headers=[("Transfer-Encoding", "chunked")]).replace(b"\r\n\r\n", b"\r\n\r\n0\r\n\r\n")


@FUZZ
@given(data=st.data())
def test_http_layer_survives_mutations_chunking_and_gaps(data):
    cfg = SensorConfig(body_limit=64, max_header_bytes=400, resync_window=128)
    lst = RecordingListener()
    s = HttpSession(cfg, lst, PipelineStats(), synced=data.draw(st.booleans()))
    streams = {True: bytearray(_GOOD_REQ), False: bytearray(_GOOD_RESP)}
    for side, buf in streams.items():
        for _ in range(data.draw(st.integers(0, 8))):
            op = data.draw(st.sampled_from(["flip", "insert", "delete"]))
            i = data.draw(st.integers(0, max(len(buf) - 1, 0)))
            if op == "flip" and buf:
                buf[i] = data.draw(st.integers(0, 255))
            elif op == "insert":
                buf[i:i] = data.draw(st.binary(min_size=1, max_size=20))
            elif buf:
                del buf[i:i + data.draw(st.integers(1, 20))]
    def bounded():
        assert len(s.req.hunt) <= cfg.resync_window and len(s.resp.hunt) <= cfg.resync_window
        assert len(s.queue) <= 65

    feed_interleaved(s, streams, data, max_chunk=120, gap_one_in=10, check=bounded)
    s.close()
    # every byte charged to the memory account was released with the session
    assert s.held == 0 and s.acct.http_held == 0
    for req, resp in lst.txns:
        assert req.kept <= cfg.body_limit and (resp is None or resp.kept <= cfg.body_limit)
        req.decoded_body(cfg)


@FUZZ
@given(frames=st.lists(st.tuples(st.binary(max_size=120), st.sampled_from([1, 101, 113])), max_size=30))
def test_pipeline_survives_garbage(frames):
    p = Pipeline(SensorConfig())
    for i, (frame, lt) in enumerate(frames):
        p.feed(float(i), frame, lt)
    p.flush()
    assert p.stats.packets == len(frames)
    assert p.flows.mem_used == 0 and p.flows.http_held == 0


@FUZZ
@given(src=st.ip_addresses(v=4), dst=st.ip_addresses(v=4), sport=st.integers(0, 65535), dport=st.integers(0, 65535),
       shards=st.integers(2, 5))
def test_frame_shard_is_symmetric_and_matches_decoded_hash(src, dst, sport, dport, shards):
    from sensor.shard import frame_shard, shard_of
    fwd = raw(Ether() / IP(src=str(src), dst=str(dst)) / TCP(sport=sport, dport=dport))
    rev = raw(Ether() / IP(src=str(dst), dst=str(src)) / TCP(sport=dport, dport=sport))
    seg = Decoder(SensorConfig(), PipelineStats()).decode(1.0, fwd, 1)
    assert frame_shard(fwd, 1, shards) == frame_shard(rev, 1, shards) == shard_of(seg.src, seg.sport, seg.dst,
                                                                                  seg.dport, shards)
