"""HTTP/1.x semantics: bodiless responses, interim responses, framing, smuggling signals, gaps, limits, hooks."""
from __future__ import annotations

import gzip
import zlib

import pytest

from core.events import Hit
from helpers import body_of, exchange, feed_packets, rules, sha
from netgen import Conv, http_request, http_response
from sensor.config import SensorConfig
from sensor.pipeline import PipelineHooks


def summary(events):
    return [(e.request.method, e.request.target, e.response.status if e.response else None,
             body_of(e.response) if e.response else None) for e in events]


def test_head_304_204_have_no_body_and_keep_pairing():
    reqs = [http_request("HEAD", "/h"), http_request("GET", "/nm", headers=[("If-None-Match", '"x"')]),
            http_request("DELETE", "/d"), http_request("GET", "/after")]
    resps = [b"HTTP/1.1 200 OK\r\nContent-Length: 1234\r\nContent-Type: text/html\r\n\r\n",
             b"HTTP/1.1 304 Not Modified\r\nETag: \"x\"\r\n\r\n",
             b"HTTP/1.1 204 No Content\r\n\r\n",
             http_response(200, b"tail")]
    # pipelined: all requests in one segment, all responses in one segment
    events, pipe = feed_packets(exchange([(b"".join(reqs), b"".join(resps))]))
    assert summary(events) == [("HEAD", "/h", 200, b""), ("GET", "/nm", 304, b""), ("DELETE", "/d", 204, b""),
                               ("GET", "/after", 200, b"tail")]
    assert events[0].response.headers[0] == ("Content-Length", "1234") and events[0].response.body_len == 0
    assert pipe.stats.parse_errors == 0


def test_head_response_split_across_segments():
    resp = b"HTTP/1.1 200 OK\r\nContent-Length: 99\r\nX-Long: " + b"v" * 200 + b"\r\n\r\n" + http_response(200, b"next")
    events, _ = feed_packets(exchange([(http_request("HEAD", "/a") + http_request("GET", "/b"), resp)], seg=37))
    assert summary(events) == [("HEAD", "/a", 200, b""), ("GET", "/b", 200, b"next")]


def test_expect_100_continue():
    c = Conv()
    head = b"POST /up HTTP/1.1\r\nHost: h\r\nExpect: 100-continue\r\nContent-Length: 5\r\n\r\n"
    pk = c.handshake() + c.client(head) + c.server(b"HTTP/1.1 100 Continue\r\n\r\n") + c.client(b"hello") \
        + c.server(http_response(200, b"done")) + c.close()
    events, _ = feed_packets(pk)
    assert summary(events) == [("POST", "/up", 200, b"done")]
    assert body_of(events[0].request) == b"hello"


def test_response_until_close_and_connection_close():
    resp = b"HTTP/1.0 200 OK\r\nConnection: close\r\n\r\n" + b"streamed until EOF"
    events, _ = feed_packets(exchange([(http_request("GET", "/eof", headers=[("Connection", "close")]), resp)]))
    assert summary(events) == [("GET", "/eof", 200, b"streamed until EOF")]


def test_request_without_response_is_reported_on_close():
    events, pipe = feed_packets(exchange([(http_request("GET", "/lonely"), b"")]))
    assert summary(events) == [("GET", "/lonely", None, None)]
    assert pipe.stats.requests_without_response == 1


def test_request_without_response_is_reported_on_idle_timeout():
    c = Conv()
    pk = c.handshake() + c.client(http_request("GET", "/idle"))
    later = Conv(client=("10.9.9.9", 1234), t0=c.t + 500)
    pk += later.handshake()
    cfg = SensorConfig(idle_timeout=60)
    from scapy.all import raw
    from sensor.pipeline import Pipeline
    pipe = Pipeline(cfg)
    out = []
    for p in pk:
        out += pipe.feed(float(p.time), raw(p), 1)
    assert [e.request.target for e in out] == ["/idle"] and out[0].response is None
    assert pipe.stats.flows_timed_out == 1


def test_chunked_request_with_trailers_and_deflate():
    body = zlib.compress(b"a=1&b=2")
    chunked = b"%x\r\n%s\r\n0\r\nX-Trailer: t\r\n\r\n" % (len(body), body)
    req = (b"POST /c HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\nContent-Encoding: deflate\r\n\r\n" + chunked)
    views = []
    events, _ = feed_packets(exchange([(req, http_response(200, b"ok"))]),
                             detector=lambda v: views.append(v) or [])
    (ev,) = events
    assert ev.request.body_len == len(body) and ev.request.body_sha256 == sha(body)
    assert views[0].body == b"a=1&b=2" and views[0].body_complete
    assert ev.hits == []


def test_smuggling_cl_te_is_flagged_and_parsed_as_chunked():
    req = (b"POST /s HTTP/1.1\r\nHost: h\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n"
           b"5\r\nhello\r\n0\r\n\r\n")
    events, _ = feed_packets(exchange([(req + http_request("GET", "/next"), http_response(200, b"a") + http_response(200, b"b"))]))
    assert [e.request.target for e in events] == ["/s", "/next"]
    assert "cl-te" in rules(events[0]) and events[0].verdict == "attack"
    assert body_of(events[0].request) == b"hello"
    assert events[1].hits == [] and events[1].verdict == "clean"


def test_duplicate_and_invalid_content_length_and_obfuscated_te():
    cases = {
        b"Content-Length: 3\r\nContent-Length: 7\r\n": "duplicate-cl",
        b"Content-Length: 3x\r\n": "invalid-cl",
        b"Transfer-Encoding: xchunked\r\n": "obfuscated-te",
        b"Transfer-Encoding: chunked\r\nTransfer-Encoding: identity\r\n": "obfuscated-te",
        b"Transfer_Encoding: chunked\r\n": "obfuscated-header",
    }
    for headers, rule in cases.items():
        req = b"POST /x HTTP/1.1\r\nHost: h\r\n" + headers + b"\r\nabc"
        events, pipe = feed_packets(exchange([(req, http_response(400, b"bad"))]))
        assert events, headers
        assert events[0].request.method == "POST" and events[0].request.target == "/x", headers
        assert rule in rules(events[0]), (headers, rules(events[0]))
        assert all(h.type == "protocol" for h in events[0].hits)
        assert events[0].verdict == "attack"


def test_parse_error_resyncs_to_next_request():
    bad = b"GET /bad HTTP/1.1\r\nHost: h\r\nBad Header\r\n\r\n"
    events, pipe = feed_packets(exchange([(bad + http_request("GET", "/good"), http_response(200, b"g"))]))
    targets = [e.request.target for e in events]
    assert targets == ["/bad", "/good"]
    assert "http-parse-error" in rules(events[0]) and pipe.stats.parse_errors == 1
    assert events[0].response is not None and events[0].response.status == 200


def test_gap_inside_body_keeps_framing():
    c = Conv()
    hs = c.handshake()
    body = b"0123456789" * 300
    req = c.client(http_request("POST", "/g", body=body), 500)
    lost = req.pop(2)                       # a segment in the middle of the body never reaches the sensor
    ack = req.pop()                         # the server keeps acknowledging everything
    events, pipe = feed_packets(hs + req + [ack, ack.copy()] + c.client(http_request("GET", "/after"))
                                + c.server(http_response(200, b"1") + http_response(200, b"2")) + c.close())
    assert [e.request.target for e in events] == ["/g", "/after"]
    assert "tcp-gap" in rules(events[0]) and events[0].verdict == "clean"
    assert events[0].request.body_len == len(body)
    assert pipe.stats.gaps == 1 and pipe.stats.gap_bytes == len(lost.load)
    assert events[1].hits == [] and events[1].response.status == 200


def test_gap_in_headers_resyncs():
    c = Conv()
    hs = c.handshake()
    req = c.client(http_request("GET", "/lost", headers=[("X-Pad", "p" * 1000)]), 300)
    req.pop(1)
    ack = req.pop()
    events, pipe = feed_packets(hs + req + [ack, ack.copy()] + c.client(http_request("GET", "/resync"))
                                + c.server(http_response(200, b"1") + http_response(200, b"2")) + c.close())
    assert [e.request.target for e in events][-1] == "/resync"
    assert "tcp-gap" in rules(events[0])


def test_body_limit_truncation_flagged():
    body = b"x" * 5000
    cfg = SensorConfig(body_limit=1000, event_body_limit=100)
    views = []
    events, _ = feed_packets(exchange([(http_request("POST", "/big", body=body), http_response(200, b"y" * 3000))]),
                             config=cfg, detector=lambda v: views.append(v) or [])
    (ev,) = events
    assert ev.request.body_truncated and ev.request.body_len == 5000 and ev.request.body_sha256 == sha(body)
    assert len(views[0].body) == 1000 and views[0].body_truncated
    assert body_of(ev.request) == b"x" * 100
    assert ev.response.body_truncated and ev.response.body_len == 3000


def test_decompression_bomb_bounded():
    bomb = gzip.compress(b"\0" * (20 << 20))
    cfg = SensorConfig(decompress_limit=1 << 20)
    views = []
    events, _ = feed_packets(exchange([(http_request("POST", "/z", headers=[("Content-Encoding", "gzip")], body=bomb),
                                        http_response(200, b""))]), config=cfg,
                             detector=lambda v: views.append(v) or [])
    assert len(views[0].body) <= 1 << 20
    assert "decompression-bomb" in rules(events[0])


def test_connect_and_upgrade_tunnels_are_not_parsed_as_http():
    ws = (b"GET /chat HTTP/1.1\r\nHost: h\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n"
          b"Sec-WebSocket-Key: x\r\nSec-WebSocket-Version: 13\r\n\r\n")
    c = Conv()
    pk = c.handshake() + c.client(ws) + c.server(b"HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n"
                                                 b"Connection: Upgrade\r\n\r\n\x81\x05hello") \
        + c.client(b"\x81\x85abcd\x00\x00\x00\x00\x00") + c.close()
    events, pipe = feed_packets(pk)
    assert summary(events) == [("GET", "/chat", 101, b"")] and pipe.stats.parse_errors == 0
    c = Conv(client=("10.0.0.3", 40001))
    pk = c.handshake() + c.client(b"CONNECT example.test:443 HTTP/1.1\r\nHost: example.test:443\r\n\r\n") \
        + c.server(b"HTTP/1.1 200 Connection established\r\n\r\n") + c.client(b"\x16\x03\x01\x02\x00tls") \
        + c.server(b"\x16\x03\x03\x00\x10tls") + c.close()
    events, pipe = feed_packets(pk)
    assert summary(events) == [("CONNECT", "example.test:443", 200, b"")] and pipe.stats.parse_errors == 0


def test_upgrade_refused_continues_http():
    ws = b"GET /chat HTTP/1.1\r\nHost: h\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n"
    events, _ = feed_packets(exchange([(ws + http_request("GET", "/next"),
                                        http_response(200, b"plain") + http_response(200, b"n"))]))
    assert summary(events) == [("GET", "/chat", 200, b"plain"), ("GET", "/next", 200, b"n")]


def test_non_http_flow_produces_nothing():
    events, pipe = feed_packets(exchange([(b"\x16\x03\x01" + bytes(range(256)) * 20, b"\x16\x03\x03" + b"\x01" * 3000)]))
    assert events == [] and pipe.stats.parse_errors == 0


def test_hooks_and_detector_and_reset_action():
    calls = []

    def on_headers(flow, view):
        calls.append(("headers", view.target, view.headers_complete, view.body_complete, view.body))
        assert flow.client.ip == "10.0.0.1" and flow.server.port == 80 and flow.both_seen
        assert flow.client.mac == bytes.fromhex("020000000001") and flow.server.mac == bytes.fromhex("020000000002")
        assert flow.client.next_seq is not None and flow.server.window == 65535
        flow.mark_reset()

    def detector(view):
        calls.append(("detect", view.target, view.body))
        return [Hit(type="sqli", point=["post", "q"], value="1' or 1=1", rule="sqli-1", score=0.9)]

    hooks = PipelineHooks(on_syn=lambda f: calls.append(("syn", f.client.port)),
                          on_request_headers=on_headers,
                          on_response_start=lambda f: calls.append(("response",)),
                          on_transaction=lambda f, e: calls.append(("txn", e.id)))
    req = http_request("POST", "/login", body=b"q=1' or 1=1")
    events, _ = feed_packets(exchange([(req, http_response(403, b"no"))], seg=40), hooks=hooks, detector=detector)
    (ev,) = events
    assert [c[0] for c in calls] == ["syn", "headers", "detect", "response", "txn"]
    assert calls[1] == ("headers", "/login", True, False, b"")
    assert calls[2] == ("detect", "/login", b"q=1' or 1=1")
    assert ev.action == "reset" and ev.verdict == "attack" and [h.rule for h in ev.hits] == ["sqli-1"]


def test_detector_exception_does_not_lose_transaction():
    def boom(view):
        raise RuntimeError("bug")
    events, pipe = feed_packets(exchange([(http_request("GET", "/x"), http_response(200, b"ok"))]), detector=boom)
    assert [e.request.target for e in events] == ["/x"] and pipe.stats.detector_errors == 1


def test_protocol_hits_come_before_detector_hits():
    req = b"POST /s HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"
    det = Hit(type="xss", point=["path"], value="v", rule="xss-1", score=0.3)
    events, _ = feed_packets(exchange([(req, http_response(200, b""))]), detector=lambda v: [det])
    assert [h.type for h in events[0].hits] == ["protocol", "xss"]


def test_absolute_form_target_gives_host():
    req = b"GET http://proxy.example.test/p?q=1 HTTP/1.1\r\nUser-Agent: x\r\n\r\n"
    events, _ = feed_packets(exchange([(req, http_response(200, b""))]))
    assert events[0].request.host == "proxy.example.test"
    assert events[0].request.target == "http://proxy.example.test/p?q=1"


def test_methods_llhttp_does_not_know_are_parsed_with_their_own_name():
    # Varnish BAN, Outlook Anywhere RPC_IN_DATA (with a body), any token: servers hand them to the application
    # (Apache + PHP runs `FOO_BAR /x.php?...` like a GET), so they are requests to inspect, not parse errors
    reqs = [http_request("BAN", "/products"), http_request("RPC_IN_DATA", "/rpc/rpcproxy.dll?mx:6001", body=b"hello"),
            http_request("GET", "/plain"), http_request("FOO_BAR", "/index.php?id=1"), http_request("get", "/low")]
    events, pipe = feed_packets(exchange([(r, http_response(200, b"ok")) for r in reqs]))
    got = [(e.request.method, e.request.target, e.response.status if e.response else None) for e in events]
    assert got == [("BAN", "/products", 200), ("RPC_IN_DATA", "/rpc/rpcproxy.dll?mx:6001", 200),
                   ("GET", "/plain", 200), ("FOO_BAR", "/index.php?id=1", 200), ("get", "/low", 200)]
    assert body_of(events[1].request) == b"hello"
    assert pipe.stats.parse_errors == 0 and not any("http-parse-error" in rules(e) for e in events)
    assert all(e.verdict == "clean" for e in events)


@pytest.mark.parametrize("seg", [1, 2, 3, 4, 5, 7, 13, 40])
def test_an_unknown_method_cut_by_segment_edges(seg):
    # the token arrives in pieces (`RPC_I` + `N_DATA /rpc`, or `PURG` that llhttp takes for PURGE's start): it is
    # put together and parsed with the stand-in, whatever the cut
    reqs = [http_request("RPC_IN_DATA", "/rpc?x=1", body=b"hello"), http_request("PURGEALL", "/a"),
            http_request("GET", "/next")]
    events, pipe = feed_packets(exchange([(r, http_response(200, b"ok")) for r in reqs], seg=seg))
    assert [(e.request.method, e.request.target, e.response.status) for e in events] == [
        ("RPC_IN_DATA", "/rpc?x=1", 200), ("PURGEALL", "/a", 200), ("GET", "/next", 200)]
    assert body_of(events[0].request) == b"hello" and pipe.stats.parse_errors == 0
    assert all(e.verdict == "clean" for e in events)


def test_a_cut_token_that_is_no_method_stays_a_parse_error():
    # 70 token characters then a space: longer than any method, so not a request line; reported, never lost
    line = b"X" * 70 + b" /a HTTP/1.1\r\nHost: h\r\n\r\n"
    events, pipe = feed_packets(exchange([(line, http_response(400, b""))], seg=9))
    assert events and events[0].verdict == "attack" and "http-parse-error" in rules(events[0])
    # a gap while the token waits: the request is reported with what arrived
    c = Conv()
    pk = c.handshake() + c.client(b"RPC_IN", 6)
    c.cseq += 5
    pk += c.client(b"/rpc HTTP/1.1\r\n\r\n") + c.close()
    events, pipe = feed_packets(pk)
    assert [(e.request.method, "tcp-gap" in rules(e)) for e in events][:1] == [("RPC_IN", True)]


def test_bare_lf_line_ends_are_parsed_like_nginx_does():
    # RFC 9112 2.2 lets a server take a bare LF as a line end, and nginx and Apache do: a request written so must be
    # inspected, not turned into a parse error whose contents nobody reads
    from sensor.detect import Engine

    sqli = b"GET /a?id=1%27%20union%20select%20password%20from%20users-- HTTP/1.1\nHost: h\nUser-Agent: x\n\n"
    post = b"BAN /b HTTP/1.1\nHost: h\nContent-Length: 5\n\nhello"
    for seg in (None, 10):
        events, pipe = feed_packets(exchange([(sqli + post + http_request("GET", "/next"), http_response(200) * 3)],
                                             seg=seg), detector=Engine())
        assert [(e.request.method, e.request.target.split("?")[0]) for e in events] == [
            ("GET", "/a"), ("BAN", "/b"), ("GET", "/next")]
        assert events[0].verdict == "attack" and "http-parse-error" not in rules(events[0])
        assert {h.type for h in events[0].hits} >= {"sqli"} and body_of(events[1].request) == b"hello"
        assert pipe.stats.parse_errors == 0


def test_unknown_method_pipelined_in_one_segment_and_at_stream_start():
    reqs = http_request("PURGEALL", "/a") + http_request("GET", "/b") + http_request("XYZZY-42", "/c", body=b"xy")
    events, pipe = feed_packets(exchange([(reqs, http_response(200) * 3)]))
    assert [(e.request.method, e.request.target) for e in events] == [("PURGEALL", "/a"), ("GET", "/b"),
                                                                        ("XYZZY-42", "/c")]
    assert body_of(events[2].request) == b"xy" and pipe.stats.parse_errors == 0


def test_a_method_line_broken_otherwise_stays_a_parse_error():
    # the stand-in method is for the method only: a bad head after it is still reported, and parsing resyncs
    bad = b"BAN /x HTTP/1.1\r\nHost: h\r\nBad Header\r\n\r\n"
    events, pipe = feed_packets(exchange([(bad + http_request("GET", "/good"), http_response(200, b"g"))]))
    assert [e.request.target for e in events] == ["/x", "/good"]
    assert events[0].request.method == "BAN" and "http-parse-error" in rules(events[0])
    assert pipe.stats.parse_errors == 1
