"""Scope parsing and enforcement, and the bounded client against hostile servers (all on loopback)."""
from __future__ import annotations

import time

import pytest

from scanner.client import FetchError, Limits, RateLimiter, ScanClient, _GuardedBackend
from scanner.scope import OutOfScope, Scope
from tests.scanner.hostile import HostileServer, SelfSignedTLSServer, dead_port
from tests.scanner.vulnapp import RecordingServer


def test_scope_parse_and_match() -> None:
    sc = Scope.parse("Example.COM,127.0.0.1:8080,[::1]:9000")
    assert sc.allows("example.com", 443) and sc.allows("EXAMPLE.com.", 80)
    assert not sc.allows("sub.example.com", 80)            # no implicit subdomains
    assert sc.allows("127.0.0.1", 8080) and not sc.allows("127.0.0.1", 8081)
    assert sc.allows("::1", 9000) and not sc.allows("::1", 9001)
    assert sc.check_url("http://127.0.0.1:8080/x?y=1") == ("127.0.0.1", 8080)
    with pytest.raises(OutOfScope):
        sc.check_url("http://127.0.0.1/")                    # port 80 is not 8080
    with pytest.raises(OutOfScope):
        sc.check_url("ftp://example.com/")
    with pytest.raises(OutOfScope):
        sc.check_url("http://evil.test@127.0.0.2:8080/")     # userinfo does not fool the host check
    for bad in ("", " , ", "host:99999", "host:abc", "http://host/"):
        with pytest.raises(ValueError):
            Scope.parse(bad)


def test_out_of_scope_refused_before_any_socket() -> None:
    with RecordingServer() as outside, RecordingServer() as inside:
        port_in = int(inside.url.rsplit(":", 1)[1])
        with ScanClient(Scope.parse(f"127.0.0.1:{port_in}"), Limits(rate=0)) as client:
            assert client.request("GET", inside.url + "/a").status == 200
            with pytest.raises(OutOfScope):
                client.request("GET", outside.url + "/b")
            assert client.refused == 1 and client.sent == 1
        # The socket-level gate on its own, in case a future caller bypasses the URL checks.
        backend = _GuardedBackend(Scope.parse(f"127.0.0.1:{port_in}"))
        with pytest.raises(OutOfScope):
            backend.connect_tcp("127.0.0.1", int(outside.url.rsplit(":", 1)[1]))
        assert outside.requests == []
        assert inside.requests == [("GET", "/a")]


def test_redirect_out_of_scope_not_followed() -> None:
    with RecordingServer() as outside, HostileServer() as hostile:
        scope = Scope.parse(f"127.0.0.1:{hostile.port}")
        with ScanClient(scope, Limits(rate=0, max_redirects=3)) as client:
            with pytest.raises(FetchError, match="more than 3 redirects"):
                client.request("GET", hostile.url + "/loop-a", follow=True)
        assert hostile.paths.count("/loop-a") + hostile.paths.count("/loop-b") == 4
        assert outside.requests == []


def test_hostile_bodies_are_bounded() -> None:
    limits = Limits(rate=0, total_timeout=1.5, read_timeout=1.0, max_body=256 * 1024)
    with HostileServer() as hostile, ScanClient(Scope.parse(f"127.0.0.1:{hostile.port}"), limits) as client:
        t = time.monotonic()
        ex = client.request("GET", hostile.url + "/endless")
        assert ex.truncated and len(ex.body) == 256 * 1024
        assert time.monotonic() - t < 3
        for path in ("/drip", "/drip-headers"):
            t = time.monotonic()
            with pytest.raises(FetchError, match="timed out"):
                client.request("GET", hostile.url + path)
            assert time.monotonic() - t < 3.0, path
        assert client.request("GET", hostile.url + "/ok").status == 200   # the client is still usable


def test_unreachable_and_tls_errors(tmp_path) -> None:
    port = dead_port()
    with SelfSignedTLSServer(tmp_path) as tls:
        tls_port = int(tls.url.rsplit(":", 1)[1])
        with ScanClient(Scope.parse(f"127.0.0.1:{port},127.0.0.1:{tls_port}"), Limits(rate=0)) as client:
            with pytest.raises(FetchError, match="refused"):
                client.request("GET", f"http://127.0.0.1:{port}/")
            with pytest.raises(FetchError, match="TLS|SSL|CERTIFICATE"):
                client.request("GET", tls.url + "/")
        with ScanClient(Scope.parse(f"127.0.0.1:{tls_port}"), Limits(rate=0), verify=False) as client:
            assert client.request("GET", tls.url + "/x").status == 200
        assert tls.paths == ["/x"]


def test_rate_limiter_spaces_requests() -> None:
    now = [0.0]
    slept: list[float] = []

    def sleep(s: float) -> None:
        slept.append(s)
        now[0] += s

    rl = RateLimiter(4.0, clock=lambda: now[0], sleep=sleep)
    for _ in range(5):
        rl.wait()
    assert now[0] == pytest.approx(1.0) and len(slept) == 4
