"""Joining HTTP/2 part-way (sensor/h2sync.py): frame boundaries found in arbitrary bytes, an HPACK table that never
names a field wrongly, and the pipeline reading connections it met mid-stream or lost a segment of."""
from __future__ import annotations

import os

import hpack
import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from helpers import RecordingListener, feed_interleaved, feed_packets, rules
from netgen import Conv
from sensor.config import SensorConfig
from sensor.detect import Engine
from sensor.h2sync import UNKNOWN, LossyTable, find_boundary, plausible
from sensor.http import HttpSession
from sensor.pipeline import PipelineStats
from test_http2 import _pair, _send, h2_turns, req


def _frames(n: int) -> bytes:
    client, _ = _pair()
    client.initiate_connection()
    client.data_to_send()
    for i in range(n):
        _send(client, 1 + 2 * i, req("POST", f"/f{i}"), b"body %d" % i)
    return client.data_to_send()


def _offsets(data: bytes) -> list[int]:
    out, pos = [], 0
    while pos < len(data):
        out.append(pos)
        pos += 9 + int.from_bytes(data[pos:pos + 3], "big")
    return out


def test_the_boundary_after_junk_is_the_first_whole_frame():
    data = _frames(3)
    starts = _offsets(data)
    for cut in range(1, starts[2]):     # the stream joined at every byte of the first two frames
        at, _ = find_boundary(data[cut:], 16384, 2, to_end=False)
        assert at >= 0 and cut + at in starts, cut


def test_text_and_cut_frames_give_no_boundary_but_keep_what_may_start_one():
    http1 = b"GET /a HTTP/1.1\r\nHost: shop.test\r\nUser-Agent: curl/8\r\n\r\n" * 20
    assert find_boundary(http1, 16384, 2, to_end=False)[0] == -1
    data = _frames(2)
    first = _offsets(data)[1]
    at, keep = find_boundary(data[:first + 5], 16384, 2, to_end=False)   # one frame and a cut header
    assert at == -1 and 0 <= keep <= first
    assert find_boundary(data[:first], 16384, 2, to_end=True) == (0, -1)     # after a gap one frame ending the data will do
    assert find_boundary(data[:first], 16384, 2, to_end=False)[0] == -1      # joining blind wants two


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=600), st.booleans())
def test_any_bytes_give_a_boundary_whose_frames_all_read_as_frames(data, to_end):
    at, keep = find_boundary(data, 16384, 2, to_end=to_end)
    assert at == -1 or keep == -1
    if at >= 0:
        assert plausible(data, at, 16384)
        pos, seen = at, 0
        while pos + 9 <= len(data) and seen < 2:
            assert plausible(data, pos, 16384)
            pos += 9 + int.from_bytes(data[pos:pos + 3], "big")
            seen += 1
    assert keep <= len(data)


_FIELD = st.tuples(st.sampled_from([b"user-agent", b"x-app", b"cookie", b"accept", b"x-trace", b":path"]),
                   st.binary(min_size=0, max_size=30))


@settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.lists(_FIELD, min_size=1, max_size=6), min_size=2, max_size=12), st.data())
def test_a_table_joined_part_way_never_names_a_field_wrongly(blocks, data):
    # the encoder indexes what it has seen, evicts from a small table and may resize it between blocks; the lossy
    # decoder joins at some block: each field it returns is the one sent, or UNKNOWN — never another field
    enc = hpack.Encoder()
    enc.header_table_size = data.draw(st.sampled_from([128, 256, 4096]))
    join = data.draw(st.integers(0, len(blocks) - 1))
    dec = hpack.Decoder()
    dec.header_table = LossyTable()
    dec.max_allowed_table_size = dec.header_table.maxsize = 1 << 16
    resolved = 0
    for k, fields in enumerate(blocks):
        if data.draw(st.integers(0, 9)) == 0:
            enc.header_table_size = data.draw(st.sampled_from([64, 200, 4096]))
        wire = enc.encode(fields, huffman=data.draw(st.booleans()))
        if k < join:
            continue
        got = dec.decode(wire, raw=True)
        assert len(got) == len(fields)
        for (name, value), (sent_name, sent_value) in zip(got, fields):
            if name == UNKNOWN:
                continue
            assert (name, value) == (sent_name, sent_value)
            resolved += 1
    if join == 0:
        assert resolved == sum(len(b) for b in blocks)    # joined at the start: nothing is unknown


def _conv_packets(turns, conv: Conv, from_turn: int = 0) -> list:
    pk = []
    for cb, sb in turns[from_turn:]:
        pk += conv.client(cb) + conv.server(sb)
    return pk


@pytest.fixture(scope="module")
def engine():
    return Engine()


def test_a_connection_met_mid_stream_is_read_from_its_next_frames(engine):
    # a long-lived h2c connection (a proxy's pool, a gRPC channel) that started before the sensor: no SYN, no
    # preface; requests are read from the first frames that chain, and an attack among them is caught
    paths = [f"/items/{i}?page={i}" for i in range(8)]
    paths[5] = "/items/5?id=1%27%20or%20%271%27%3D%271"
    search = [f"term {i}" for i in range(8)]
    search[6] = "<script>alert(document.cookie)</script>"   # a new value under a name indexed before the join
    turns = h2_turns([(req("GET", p, ("user-agent", "shop-app/2.1"), ("x-tenant", "acme"), ("x-search", q)), b"",
                       200, b"ok") for p, q in zip(paths, search)])
    conv = Conv()
    events, pipe = feed_packets(_conv_packets(turns, conv, from_turn=3) + conv.close(), detector=engine)
    got = {e.request.target: e for e in events}
    assert set(paths[3:]) <= set(got)
    attack = got[paths[5]]
    assert attack.verdict == "attack" and any(h.type == "sqli" for h in attack.hits)
    xss = got[paths[6]]
    assert ("rampart-unresolved-name", search[6]) in xss.request.headers
    assert xss.verdict == "attack" and any(h.type == "xss" for h in xss.hits)
    assert all(got[p].verdict == "clean" for p in paths[3:] if p not in paths[5:7])
    assert all("h2-unresolved" in rules(e) for e in events)     # the fields indexed before the join are named
    assert pipe.stats.h2_connections == 1 and pipe.stats.parse_errors == 0
    assert pipe.stats.h2_resyncs == 2     # the client's frames, then the server's
    assert pipe.flows.http_held == 0 and pipe.flows.mem_used == 0


def test_fields_sent_after_the_join_are_decoded_in_full(engine):
    turns = h2_turns([(req("GET", "/a", ("x-old", "before")), b"", 200, b""),
                      (req("POST", "/b", ("x-new", "after")), b"x=1", 200, b""),
                      (req("POST", "/b", ("x-new", "after")), b"x=2", 200, b"")])
    conv = Conv()
    events, _ = feed_packets(_conv_packets(turns, conv, from_turn=1) + conv.close(), detector=engine)
    later = [e for e in events if e.request.target == "/b"]
    assert len(later) == 2
    # the first /b sends x-new as a literal; the second refers to the entry the first inserted after the join,
    # which the lossy table resolves (:authority, indexed by /a before the join, stays unknown in both)
    for e in later:
        assert ("x-new", "after") in e.request.headers and e.request.method == "POST"
        assert "h2-unresolved" in rules(e) and not any(k == "host" for k, _ in e.request.headers)


def test_after_a_lost_segment_the_connection_is_read_on(engine):
    client, server = _pair()
    client.initiate_connection()
    server.initiate_connection()
    _send(client, 1, req("POST", "/up"), b"a" * 3000, end=False)
    conv = Conv()
    hs = conv.handshake()
    pk = conv.client(client.data_to_send(), 500)
    lost = pk.pop(3)                         # a segment inside the upload never reaches the sensor
    ack = pk.pop()                           # (the server's ACK past the hole, twice: the capture gives up on it)
    pk = hs + pk + [ack, ack.copy()]
    client.send_data(1, b"b" * 10, end_stream=True)
    pk += conv.client(client.data_to_send())
    for i, q in enumerate(["/after/1", "/after/2?q=%3Cscript%3Ealert(1)%3C/script%3E"]):
        _send(client, 3 + 2 * i, req("GET", q))
        pk += conv.client(client.data_to_send())
    events, pipe = feed_packets(pk + conv.close(), detector=engine)
    targets = [e.request.target for e in events]
    assert targets[0] == "/up" and "tcp-gap" in rules(events[0]) and pipe.stats.gap_bytes == len(lost.load)
    assert set(targets[1:]) == {"/after/1", "/after/2?q=%3Cscript%3Ealert(1)%3C/script%3E"}
    xss = next(e for e in events if e.request.target.startswith("/after/2"))
    assert xss.verdict == "attack" and any(h.type == "xss" for h in xss.hits)
    assert pipe.stats.h2_resyncs == 1 and pipe.stats.parse_errors == 0
    assert pipe.flows.http_held == 0 and pipe.flows.mem_used == 0


def test_http1_met_mid_stream_is_not_taken_for_http2():
    conv = Conv()
    pk = []
    for i in range(3):
        pk += conv.client(b"GET /page/%d HTTP/1.1\r\nHost: shop.test\r\n\r\n" % i)
        pk += conv.server(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok")
    events, pipe = feed_packets(pk + conv.close())
    assert [e.request.target for e in events] == ["/page/0", "/page/1", "/page/2"]
    assert pipe.stats.h2_connections == 0


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(min_size=1, max_size=3000))
def test_binary_met_mid_stream_never_raises_and_frees_its_memory(blob):
    conv = Conv()
    events, pipe = feed_packets(conv.client(blob + os.urandom(64), 700) + conv.close())
    assert pipe.flows.http_held == 0 and pipe.flows.mem_used == 0
    for e in events:
        assert e.request.version in ("2", "1.1", "1.0", "0.9", "")


_NAMES = st.sampled_from(["x-app", "x-trace", "accept", "x-search", "user-agent", "x-tenant"])
_VALUES = st.text(st.characters(min_codepoint=0x20, max_codepoint=0x7E), max_size=24)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.lists(st.tuples(_NAMES, _VALUES), max_size=5), min_size=2, max_size=10), st.data())
def test_a_joined_connection_never_gives_a_request_a_field_it_did_not_send(headers, data):
    # joined at any byte of the client's stream and fed in any chunks (gaps included): what each reported request
    # carries was sent in that request — its own path, its own fields — or is left out, never another's
    sent = {f"/r{i}": [(k, v) for k, v in hs] for i, hs in enumerate(headers)}
    turns = h2_turns([(req("POST" if i % 2 else "GET", p, *sent[p]), b"b=%d" % i if i % 2 else b"", 200, b"ok")
                      for i, p in enumerate(sent)])
    client = b"".join(c for c, _ in turns)
    start = data.draw(st.integers(0, len(client) - 1))
    lst = RecordingListener()
    s = HttpSession(SensorConfig(), lst, PipelineStats(), synced=False)
    streams = {True: bytearray(client[start:]), False: bytearray()}
    feed_interleaved(s, streams, data, max_chunk=300, gap_one_in=25)
    s.close()
    assert s.held == 0 and s.acct.http_held == 0
    for r, _ in lst.txns:
        if r.version != "2":
            continue
        target = r.target.decode()
        assert target == "" or target in sent, target
        own = {(k.lower(), v) for k, v in sent.get(target, [])} | {("host", "shop.test")}
        for k, v in r.headers:
            if target and k != "rampart-unresolved-name":
                assert (k, v) in own, (target, k, v)
            if target and k == "rampart-unresolved-name":
                assert v in {v2 for _, v2 in own}, (target, v)
        if target and r.method:
            assert r.method == ("POST" if int(target[2:]) % 2 else "GET")


def test_a_new_value_under_a_name_from_before_the_join_is_kept_without_calling_the_request_malformed():
    # a literal whose name is dynamic entry 62 (inserted before the join: maybe a pseudo-header) between two static
    # pseudo-headers: its value is kept, after the other fields, and no misplaced-pseudo-header anomaly is raised
    value = b"/search?q=%3Cscript%3E"
    block = b"\x82" + b"\x7e" + bytes([len(value)]) + value + b"\x86"    # :method GET, <62>: value, :scheme http
    settings_frame = b"\x00\x00\x00\x04\x00\x00\x00\x00\x00"
    headers_frame = len(block).to_bytes(3, "big") + b"\x01\x05" + (1).to_bytes(4, "big") + block
    lst = RecordingListener()
    s = HttpSession(SensorConfig(), lst, PipelineStats(), synced=False)
    s.client_data(settings_frame + headers_frame, 1.0)
    s.close()
    [(r, _)] = lst.txns
    assert r.method == "GET" and r.target == b"" and r.unresolved == 1
    assert r.headers[-1] == ("rampart-unresolved-name", value.decode())
    assert {h.rule for h in r.hits} == {"h2-unresolved"}


def test_frames_inside_an_upload_met_mid_stream_do_not_take_the_connection_from_http1():
    # a sensor joins during an upload whose bytes hold HTTP/2 frames (a capture file, say): taken for HTTP/2 on a
    # guess, the connection goes back to HTTP/1 when the next bytes do not parse, and the requests after it are read
    client, _ = _pair()
    client.initiate_connection()
    frames = client.data_to_send()[len(b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"):]   # SETTINGS + WINDOW_UPDATE
    conv = Conv()
    pk = conv.client(frames + b"\xff" * 40 + bytes(range(256)) * 4, 600)
    for i in range(3):
        pk += conv.client(b"GET /after/%d HTTP/1.1\r\nHost: shop.test\r\n\r\n" % i)
        pk += conv.server(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok")
    events, pipe = feed_packets(pk + conv.close())
    assert [e.request.target for e in events] == ["/after/0", "/after/1", "/after/2"]
    assert all(e.verdict == "clean" and not e.hits for e in events)
    assert pipe.stats.h2_connections == 0 and pipe.stats.parse_errors == 0
    assert pipe.flows.http_held == 0 and pipe.flows.mem_used == 0


@pytest.mark.parametrize("seg", [40, 600, 4000])
def test_a_request_behind_frames_that_fail_the_guess_is_still_read(seg):
    # the HTTP/1 request shares the segments that end the guess (or follows within them): what HTTP/2 was given on
    # probation is handed back to HTTP/1, not dropped with the guess
    client, _ = _pair()
    client.initiate_connection()
    frames = client.data_to_send()[len(b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"):]   # SETTINGS + WINDOW_UPDATE
    conv = Conv()
    pk = conv.client(frames + b"\r\n" + b"".join(b"GET /inside/%d HTTP/1.1\r\nHost: shop.test\r\n\r\n" % i
                                                  for i in range(2)), seg)
    pk += conv.server(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok" * 2)
    pk += conv.client(b"GET /after HTTP/1.1\r\nHost: shop.test\r\n\r\n")
    pk += conv.server(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok")
    events, pipe = feed_packets(pk + conv.close())
    assert [e.request.target for e in events] == ["/inside/0", "/inside/1", "/after"]
    assert pipe.stats.h2_connections == 0
    assert pipe.flows.http_held == 0 and pipe.flows.mem_used == 0


def test_a_guess_that_holds_on_drops_what_it_kept_for_http1():
    # a joined connection that shows a request is HTTP/2: the bytes kept in case the guess failed are freed
    conv = Conv()
    turns = h2_turns([(req("GET", f"/r{i}"), b"", 200, b"ok") for i in range(3)])
    pk = []
    for c, srv in turns[1:]:
        pk += conv.client(c, 500)
        pk += conv.server(srv, 500)
    events, pipe = feed_packets(pk + conv.close())
    assert [e.request.target for e in events][-2:] == ["/r1", "/r2"]
    assert pipe.stats.h2_connections == 1
    assert pipe.flows.http_held == 0 and pipe.flows.mem_used == 0
