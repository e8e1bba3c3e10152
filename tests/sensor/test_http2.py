"""HTTP/2 cleartext (h2c) on the mirror port: prior knowledge and Upgrade, streams to transactions, smuggling signals."""
from __future__ import annotations

import h2.config
import h2.connection
import h2.events
import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from helpers import RecordingListener, feed_interleaved, body_of, exchange, feed_packets, rules
from netgen import Conv, http_request
from sensor.config import SensorConfig
from sensor.detect import Engine

PREFACE = b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"


def _pair():
    """A real HTTP/2 client and server (the h2 library), both lenient so tests can send what attackers send."""
    client = h2.connection.H2Connection(h2.config.H2Configuration(
        client_side=True, header_encoding=None, validate_outbound_headers=False, normalize_outbound_headers=False))
    server = h2.connection.H2Connection(h2.config.H2Configuration(
        client_side=False, header_encoding=None, validate_inbound_headers=False))
    return client, server


def _send(conn, sid, headers, body=b"", end=True):
    conn.send_headers(sid, headers, end_stream=end and not body)
    for k in range(0, len(body), 16384):
        conn.send_data(sid, body[k:k + 16384], end_stream=end and k + 16384 >= len(body))


def h2_turns(requests):
    """(client bytes, server bytes) turns of one connection; requests are (headers, body, status, resp_body)."""
    client, server = _pair()
    client.initiate_connection()
    server.initiate_connection()
    turns = []
    for headers, body, status, resp_body in requests:
        sid = client.get_next_available_stream_id()
        _send(client, sid, headers, body)
        cb = client.data_to_send()
        for e in server.receive_data(cb):
            if isinstance(e, h2.events.DataReceived):
                server.acknowledge_received_data(e.flow_controlled_length, e.stream_id)
        _send(server, sid, [(":status", str(status))], resp_body)
        sb = server.data_to_send()
        client.receive_data(sb)
        turns.append((cb, sb))
    return turns


def req(method, path, *extra, authority="shop.test"):
    return [(":method", method), (":path", path), (":authority", authority), (":scheme", "http"), *extra]


def summary(events):
    return [(e.request.method, e.request.target, e.request.version, e.response.status if e.response else None)
            for e in events]


@pytest.fixture(scope="module")
def engine():
    return Engine()


@pytest.mark.parametrize("seg", [None, 1, 7, 100])
def test_prior_knowledge_streams_become_transactions(seg):
    big = bytes(range(256)) * (200 if seg in (None, 100) else 3)   # (one packet per byte is slow to build)
    turns = h2_turns([
        (req("GET", "/search?q=shoes", ("user-agent", "curl/8.5"), ("cookie", "a=1"), ("cookie", "b=2")), b"", 200,
         b"hello"),
        (req("POST", "/api/items", ("content-type", "application/json")), b'{"name": "boots"}', 201, b""),
        (req("PUT", "/upload"), big, 200, big),
    ])
    events, pipe = feed_packets(exchange(turns, seg=seg))
    assert summary(events) == [("GET", "/search?q=shoes", "2", 200), ("POST", "/api/items", "2", 201),
                               ("PUT", "/upload", "2", 200)]
    assert pipe.stats.h2_connections == 1 and pipe.stats.parse_errors == 0
    assert pipe.flows.http_held == 0 and pipe.flows.mem_used == 0   # every byte charged was released
    first = events[0].request
    # :authority is the Host; cookie crumbs are one Cookie header, as on HTTP/1.1
    assert first.host == "shop.test" and ("host", "shop.test") in first.headers
    assert ("cookie", "a=1; b=2") in first.headers and ("user-agent", "curl/8.5") in first.headers
    assert body_of(events[0].response) == b"hello"
    assert body_of(events[1].request) == b'{"name": "boots"}'
    assert events[2].request.body_len == len(big) and events[2].response.body_len == len(big)
    assert all(e.verdict == "clean" for e in events)


def test_detection_sees_http2_requests(engine):
    turns = h2_turns([
        (req("GET", "/p?id=1%27%20union%20select%20password%20from%20users--"), b"", 200, b"x"),
        (req("POST", "/comment", ("content-type", "application/json")),
         b'{"text": "<img src=x onerror=alert(document.cookie)>"}', 200, b""),
        (req("GET", "/fine?q=blue+shoes"), b"", 200, b"ok"),
    ])
    events, _ = feed_packets(exchange(turns), detector=engine)
    verdicts = [(e.request.target.split("?")[0], e.verdict, {h.type for h in e.hits if h.score >= 0.5})
                for e in events]
    assert verdicts[0][1:] == ("attack", {"sqli"})
    assert verdicts[1][1:] == ("attack", {"xss"})
    assert verdicts[2][1] == "clean"


def test_streams_ending_out_of_order_pair_with_their_own_responses():
    client, server = _pair()
    client.initiate_connection()
    server.initiate_connection()
    _send(client, 1, req("GET", "/slow"))
    _send(client, 3, req("GET", "/fast"))
    cb = client.data_to_send()
    server.receive_data(cb)
    _send(server, 3, [(":status", "200")], b"fast")
    _send(server, 1, [(":status", "404")], b"slow")
    sb = server.data_to_send()
    events, _ = feed_packets(exchange([(cb, sb)]))
    got = sorted((e.request.target, e.response.status, body_of(e.response)) for e in events)
    assert got == [("/fast", 200, b"fast"), ("/slow", 404, b"slow")]
    # reported as each stream ends, not in stream order
    assert [e.request.target for e in events] == ["/fast", "/slow"]


def test_upgrade_to_h2c_goes_on_as_http2(engine):
    client, server = _pair()
    client.initiate_upgrade_connection()
    settings = client.data_to_send()   # (nothing: the upgrade carries the settings in a header)
    upgrade = http_request("GET", "/", headers=[("Connection", "Upgrade, HTTP2-Settings"), ("Upgrade", "h2c"),
                                                ("HTTP2-Settings", "AAMAAABkAARAAAAAAAIAAAAA")])
    server.initiate_upgrade_connection()
    server.send_headers(1, [(":status", "200")], end_stream=False)
    server.send_data(1, b"index", end_stream=True)
    switching = b"HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: h2c\r\n\r\n"
    s_bytes = switching + server.data_to_send()
    _send(client, 3, req("GET", "/item?id=1 or 1=1--"))
    c_bytes = settings + client.data_to_send()
    assert c_bytes.startswith(PREFACE)
    server.receive_data(c_bytes)
    _send(server, 3, [(":status", "200")], b"item")
    events, pipe = feed_packets(exchange([(upgrade, s_bytes), (c_bytes, server.data_to_send())]), detector=engine)
    assert summary(events) == [("GET", "/", "1.1", 101), ("GET", "/item?id=1 or 1=1--", "2", 200)]
    assert body_of(events[1].response) == b"item" and events[1].verdict == "attack"
    assert pipe.stats.h2_connections == 1 and pipe.stats.parse_errors == 0


def test_downgrade_smuggling_signals(engine):
    # a Transfer-Encoding field or a content-length that disagrees with the DATA frames: harmless to an HTTP/2
    # server, request smuggling through a proxy that rewrites the request as HTTP/1.1 (H2.TE, H2.CL)
    smuggled = b"0\r\n\r\nGET /admin HTTP/1.1\r\nHost: shop.test\r\n\r\n"
    client, _ = _pair()
    client.initiate_connection()
    _send(client, 1, req("POST", "/a", ("transfer-encoding", "chunked")), smuggled)
    _send(client, 3, req("POST", "/b", ("content-length", "0")), smuggled)
    _send(client, 5, req("POST", "/c", ("content-length", "5"), ("te", "trailers")), b"hello")
    events, _ = feed_packets(exchange([(client.data_to_send(), b"")]), detector=engine)
    assert [e.request.target for e in events] == ["/a", "/b", "/c"]
    assert "h2-connection-header" in rules(events[0]) and events[0].verdict == "attack"
    assert "h2-content-length" in rules(events[1]) and events[1].verdict == "attack"
    assert not rules(events[2]) & {"h2-connection-header", "h2-content-length"} and events[2].verdict == "clean"


def test_server_settings_before_the_client_preface():
    client, server = _pair()
    server.initiate_connection()
    early = server.data_to_send()
    client.initiate_connection()
    _send(client, 1, req("GET", "/x"))
    cb = client.data_to_send()
    server.receive_data(cb)
    _send(server, 1, [(":status", "204")])
    c = Conv()
    pk = c.handshake() + c.server(early) + c.client(cb) + c.server(server.data_to_send()) + c.close()
    events, pipe = feed_packets(pk)
    assert summary(events) == [("GET", "/x", "2", 204)] and pipe.stats.parse_errors == 0


def test_a_reset_stream_is_reported_as_it_stands():
    client, server = _pair()
    client.initiate_connection()
    _send(client, 1, req("POST", "/big"), b"part", end=False)
    client.reset_stream(1)
    _send(client, 3, req("GET", "/after"))
    cb = client.data_to_send()
    server.initiate_connection()
    server.receive_data(cb)
    _send(server, 3, [(":status", "200")], b"ok")
    events, _ = feed_packets(exchange([(cb, server.data_to_send())]))
    got = {e.request.target: (e.response.status if e.response else None, body_of(e.request)) for e in events}
    assert got == {"/big": (None, b"part"), "/after": (200, b"")}


def test_oversized_header_block_and_junk_frames_fail_loudly():
    cfg = SensorConfig(max_header_bytes=2048)
    turns = h2_turns([(req("GET", "/ok"), b"", 200, b""),
                      (req("GET", "/huge", ("x-pad", "v" * 5000)), b"", 200, b"")])
    events, pipe = feed_packets(exchange(turns), config=cfg)
    assert [e.request.target for e in events][:1] == ["/ok"]
    assert any("header-too-large" in rules(e) for e in events) and pipe.stats.parse_errors >= 1
    # junk where frames should be: one event carrying the parse error, nothing lost silently, no crash
    events, pipe = feed_packets(exchange([(PREFACE + b"\x00\x00\x05\x01\x05\x00\x00\x00\x01\xff\xff\xff\xff\xff",
                                          b"")]))
    assert events and all(e.verdict == "attack" for e in events) and pipe.stats.parse_errors == 1


def test_a_gap_ends_parsing_and_reports_open_streams():
    client, server = _pair()
    client.initiate_connection()
    _send(client, 1, req("POST", "/up"), b"a" * 3000, end=False)
    c = Conv()
    hs = c.handshake()
    pk = c.client(client.data_to_send(), 500)
    lost = pk.pop(3)                        # a segment never reaches the sensor: HPACK state is gone with it
    ack = pk.pop()
    client.send_data(1, b"b" * 10, end_stream=True)
    events, pipe = feed_packets(hs + pk + [ack, ack.copy()] + c.client(client.data_to_send()) + c.close())
    assert [e.request.target for e in events] == ["/up"]
    assert "tcp-gap" in rules(events[0]) and pipe.stats.gap_bytes == len(lost.load)
    assert 0 < events[0].request.body_len < 3000


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=400), st.binary(max_size=200), st.integers(min_value=1, max_value=64))
def test_arbitrary_bytes_after_the_preface_never_raise(cbytes, sbytes, seg):
    events, _ = feed_packets(exchange([(PREFACE + cbytes, b"\x00\x00\x00\x04\x00\x00\x00\x00\x00" + sbytes)],
                                      seg=seg))
    for e in events:
        assert e.request.version in ("2", "1.1")


_TURNS = h2_turns([(req("POST", "/a?b=c", ("content-type", "text/plain")), b"x" * 300, 200, b"y" * 200),
                   (req("GET", "/b", ("cookie", "s=1")), b"", 404, b"")])


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_mutated_chunked_and_gapped_http2_never_raises_and_frees_its_memory(data):
    from sensor.http import HttpSession
    from sensor.pipeline import PipelineStats

    cfg = SensorConfig(body_limit=64, max_header_bytes=400, resync_window=128)
    lst = RecordingListener()
    s = HttpSession(cfg, lst, PipelineStats(), synced=True)
    streams = {True: bytearray(b"".join(c for c, _ in _TURNS)), False: bytearray(b"".join(v for _, v in _TURNS))}
    for side, buf in streams.items():
        for _ in range(data.draw(st.integers(0, 4))):
            i = data.draw(st.integers(24 if side else 0, len(buf) - 1))   # (the preface kept: HTTP/2 is the case)
            buf[i] = data.draw(st.integers(0, 255))
    def bounded():
        assert len(s.queue) <= 257

    feed_interleaved(s, streams, data, max_chunk=200, gap_one_in=20, check=bounded)
    s.close()
    assert s.held == 0 and s.acct.http_held == 0
    for req_, resp in lst.txns:
        assert req_.kept <= cfg.body_limit and (resp is None or resp.kept <= cfg.body_limit)


def test_many_concurrent_streams_stay_bounded_and_lose_nothing():
    # 100 streams open at once (a browser's or gRPC client's usual limit), answered in reverse order: every one is
    # paired with its own response (HTTP/1's bound of 64 unanswered requests would drop responses here)
    client, server = _pair()
    client.initiate_connection()
    server.initiate_connection()
    sids = [client.get_next_available_stream_id() + 2 * i for i in range(100)]
    for sid in sids:
        _send(client, sid, req("GET", f"/item/{sid}"))
    cb = client.data_to_send()
    server.receive_data(cb)
    for sid in reversed(sids):
        _send(server, sid, [(":status", "200")], b"r%d" % sid)
    events, pipe = feed_packets(exchange([(cb, server.data_to_send())]))
    assert sorted(e.request.target for e in events) == sorted(f"/item/{sid}" for sid in sids)
    answered = [e for e in events if e.response is not None]
    assert all(body_of(e.response) == b"r" + e.request.target.rsplit("/", 1)[1].encode() for e in answered)
    assert len(answered) == 100 and pipe.stats.unanswered_dropped == 0
    assert pipe.flows.http_held == 0
