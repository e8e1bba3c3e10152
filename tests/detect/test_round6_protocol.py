"""Round 6 protocol/scanner classes: smuggled request lines, proxy abuse, host and URL overrides, actuator probes."""
from __future__ import annotations

import pytest

from sensor.detect import Engine, protocol
from sensor.detect.engine import verdict
from sensor.detect.rawrequest import RawRequest, parse_raw
from sensor.rules import parse_rules
from tests.detect.conftest import req

H = "Host: shop.example\r\n"


def raw(text: str) -> RawRequest:
    return parse_raw(text.encode("utf-8", "surrogateescape"))


# --- attacks that must be caught (whole requests as sent)
ATTACKS: list[str] = [
    # a request line at the start of a body (CL.0 on a static file, a smuggled prefix behind odd framing)
    "GET /assets/site.css HTTP/1.1\r\nHost: app.example\r\nContent-Length: 34\r\n\r\nGET /internal/stats HTTP/1.1\r\nX: x",
    "HEAD /robots.txt HTTP/1.1\r\n" + H + "Content-Length: 52\r\n\r\nPOST /api/admin/users HTTP/1.1\r\nContent-Length: 9\r\n\r\n",
    "GET /images/banner.jpg HTTP/1.1\r\n" + H + "Content-Length: 45\r\n\r\nGET /my-account HTTP/1.1\r\nHost: localhost\r\n\r\n",
    "POST /comments HTTP/1.1\r\n" + H + "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 40\r\n\r\n"
    "DELETE /api/users/17 HTTP/1.1\r\nFoo: bar",
    "POST /login HTTP/1.1\r\n" + H + "Content-Length: 41\r\n\r\nGET /admin HTTP/1.0\r\nHost: internal\r\n\r\n",
    # a framing header (or one a proxy writes for the back end's trust decisions) listed as hop-by-hop
    "POST /cart HTTP/1.1\r\n" + H + "Connection: keep-alive, Transfer-Encoding\r\nContent-Length: 4\r\n\r\nq=1&",
    "GET / HTTP/1.1\r\n" + H + "Connection: Host\r\n\r\n",
    "GET /admin HTTP/1.1\r\n" + H + "Connection: close, X-Forwarded-For\r\n\r\n",
    "GET /internal/report HTTP/1.1\r\n" + H + "Connection: keep-alive, X-Real-IP\r\n\r\n",
    # a disguised expectation
    "POST /upload HTTP/1.1\r\n" + H + "Expect: x 100-continue\r\nContent-Length: 5\r\n\r\nhello",
    "POST /api/v1/items HTTP/1.1\r\n" + H + "Expect: 100-continuex\r\nContent-Length: 2\r\n\r\n{}",
    "PUT /files/a.txt HTTP/1.1\r\n" + H + "Expect: 100- continue\r\nContent-Length: 2\r\n\r\nhi",
    # a Content-Length past what any parser agrees on, or padded
    "POST /upload HTTP/1.1\r\n" + H + "Content-Length: 18446744073709551616\r\n\r\nabc",
    "POST /upload HTTP/1.1\r\n" + H + "Content-Length: 9223372036854775808\r\n\r\nabc",
    "POST /api HTTP/1.1\r\n" + H + "Content-Length: 0000000000000000000000000003\r\n\r\nabc",
    # absolute-form / authority-form targets routed to internal services or the metadata address (proxy abuse)
    "GET http://metadata.google.internal/computeMetadata/v1/instance/ HTTP/1.1\r\nHost: metadata.google.internal\r\n"
    "Metadata-Flavor: Google\r\n\r\n",
    "GET http://localhost:8080/admin HTTP/1.1\r\n" + H + "\r\n",
    "GET http://127.0.0.1/server-status HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n",
    "GET https://kubernetes.default.svc/api/v1/namespaces/default/secrets HTTP/1.1\r\n" + H + "\r\n",
    "GET http://evil.example/collect HTTP/1.1\r\n" + H + "\r\n",
    "CONNECT 169.254.169.254:80 HTTP/1.1\r\nHost: 169.254.169.254:80\r\n\r\n",
    "GET /latest/meta-data/iam/security-credentials/ HTTP/1.1\r\nHost: 169.254.169.254\r\n\r\n",
    # a target that is the tail of an authority (`http://backend` + target)
    "GET @evil.example/ HTTP/1.1\r\n" + H + "\r\n",
    "GET @localhost:6379/ HTTP/1.1\r\n" + H + "\r\n",
    "GET user@10.0.0.1/admin HTTP/1.1\r\n" + H + "\r\n",
    # a Host that is not a host
    "GET / HTTP/1.1\r\nHost: shop.example@evil.example\r\n\r\n",
    "GET /login HTTP/1.1\r\nHost: shop.example:80abc\r\n\r\n",
    "GET / HTTP/1.1\r\nHost: shop.example, evil.example\r\n\r\n",
    "GET /account HTTP/1.1\r\nHost: evil.example/shop.example\r\n\r\n",
    "GET / HTTP/1.1\r\nHost: shop.example:443:evil.example\r\n\r\n",
    # a forwarding header no proxy wrote naming another host (reset-link and cache poisoning)
    "POST /forgot-password HTTP/1.1\r\n" + H + "X-Forwarded-Host: evil.example\r\nContent-Type: application/x-www-form-urlencoded"
    "\r\nContent-Length: 18\r\n\r\nemail=a%40b.example",
    "GET /en/ HTTP/1.1\r\n" + H + "X-Host: evil.example\r\n\r\n",
    "GET / HTTP/1.1\r\n" + H + "X-Forwarded-Server: cdn.evil.example\r\n\r\n",
    "GET /static/main.js HTTP/1.1\r\n" + H + "X-HTTP-Host-Override: evil.example\r\n\r\n",
    "GET /?utm=1 HTTP/1.1\r\n" + H + "Forwarded: host=evil.example;proto=http\r\n\r\n",
    # URL-override headers naming a guarded area
    "GET /anything HTTP/1.1\r\n" + H + "X-Original-URL: /admin\r\n\r\n",
    "GET / HTTP/1.1\r\n" + H + "X-Rewrite-URL: /console\r\n\r\n",
    "GET /index.html HTTP/1.1\r\n" + H + "X-Original-URL: /actuator/env\r\n\r\n",
    "GET / HTTP/1.1\r\n" + H + "X-Override-URL: /internal/debug\r\n\r\n",
    "GET /home HTTP/1.1\r\n" + H + "X-Original-URL: /wp-admin/options.php\r\n\r\n",
    "POST / HTTP/1.1\r\n" + H + "X-Rewrite-Url: /manager/html/undeploy?path=/app\r\nContent-Length: 0\r\n\r\n",
    "GET / HTTP/1.1\r\n" + H + "X-Original-URL: /api/v1/admin/users\r\n\r\n",
]

# Spring Boot actuator / Jolokia endpoints that leak secrets or run code (path carrier)
ACTUATOR: list[str] = ["/actuator/env", "/actuator/configprops", "/actuator/jolokia/list", "/jolokia/exec/java.lang:type=Memory/gc",
                       "/actuator/gateway/routes", "/manage/heapdump", "/heapdump", "/api/actuator/threaddump",
                       "/actuator;a=b/heapdump", "/actuator/logfile", "/actuator/httptrace"]

# --- benign requests of the same shapes that must stay clean
BENIGN: list[str] = [
    # HTTP messages inside bodies by design, bodies that mention a request line
    "POST /odata/$batch HTTP/1.1\r\n" + H + "Content-Type: multipart/mixed; boundary=batch_1\r\nContent-Length: 120\r\n\r\n"
    "--batch_1\r\nContent-Type: application/http\r\nContent-Transfer-Encoding: binary\r\n\r\nGET Customers('ALFKI') HTTP/1.1\r\n\r\n--batch_1--",
    "POST /api/v1/snippets HTTP/1.1\r\n" + H + "Content-Type: application/json\r\nContent-Length: 44\r\n\r\n"
    '{"raw": "GET /api/users HTTP/1.1\\r\\nHost: x"}',
    "POST /api/v1/notes HTTP/1.1\r\n" + H + "Content-Type: text/plain\r\nContent-Length: 47\r\n\r\nGET / HTTP/1.1 is the request line of a browser",
    "GET /products/_search HTTP/1.1\r\n" + H + "Content-Type: application/json\r\nContent-Length: 33\r\n\r\n"
    '{"query": {"match_all": {}}}     ',
    "POST /tools/parse HTTP/1.1\r\n" + H + "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 40\r\n\r\n"
    "request=GET+%2Fadmin+HTTP%2F1.1%0D%0AX%3A",
    # ordinary Connection options
    "GET /chat HTTP/1.1\r\n" + H + "Connection: keep-alive, Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\n"
    "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n",
    # (an h2c upgrade, curl --http2 on a plain URL, is reported since round 9: see ROUND9_ATTACKS)
    "GET /feed HTTP/1.1\r\n" + H + "Connection: TE, close\r\nTE: trailers\r\n\r\n",
    "GET / HTTP/1.0\r\n" + H + "Connection: Keep-Alive\r\n\r\n",
    "GET / HTTP/1.1\r\n" + H + "Connection: close\r\n\r\n",
    # the expectation there is, in any case
    "PUT /files/a.bin HTTP/1.1\r\n" + H + "Expect: 100-continue\r\nContent-Length: 3\r\n\r\nabc",
    "POST /upload HTTP/1.1\r\n" + H + "Expect: 100-Continue\r\nContent-Length: 3\r\n\r\nabc",
    "POST /upload HTTP/1.1\r\n" + H + "EXPECT: 100-CONTINUE \r\nContent-Length: 3\r\n\r\nabc",
    # big, zero and plain lengths
    "PUT /backups/db.tar HTTP/1.1\r\n" + H + "Content-Length: 5368709120\r\n\r\n",
    "PUT /archive/video.mkv HTTP/1.1\r\n" + H + "Content-Length: 107374182400\r\n\r\n",
    "POST /ping HTTP/1.1\r\n" + H + "Content-Length: 0\r\n\r\n",
    # forward-proxy requests (the same host twice), authority-form CONNECT, the asterisk
    "GET http://example.com/index.html HTTP/1.1\r\nHost: example.com\r\nProxy-Connection: keep-alive\r\n\r\n",
    "GET http://shop.example:8080/products HTTP/1.1\r\nHost: shop.example:8080\r\n\r\n",
    "GET http://www.example.org:80/ HTTP/1.1\r\nHost: www.example.org\r\n\r\n",
    "GET https://Shop.Example/path HTTP/1.1\r\nHost: shop.example\r\n\r\n",
    "CONNECT api.github.com:443 HTTP/1.1\r\nHost: api.github.com:443\r\n\r\n",
    "OPTIONS * HTTP/1.1\r\n" + H + "\r\n",
    # origin-form with internal hosts (probes, dev servers, in-cluster calls)
    "GET /healthz HTTP/1.1\r\nHost: 10.0.0.5:8080\r\nUser-Agent: kube-probe/1.29\r\n\r\n",
    "GET / HTTP/1.1\r\nHost: localhost:3000\r\n\r\n",
    "GET /api/v1/orders HTTP/1.1\r\nHost: orders.payments.svc.cluster.local\r\n\r\n",
    # targets with an @ after the first slash
    "GET /@username HTTP/1.1\r\nHost: mastodon.example\r\n\r\n",
    "GET /npm/@scope/pkg HTTP/1.1\r\nHost: registry.example\r\n\r\n",
    # hosts of every shape
    "GET / HTTP/1.1\r\nHost: shop.example:8443\r\n\r\n",
    "GET / HTTP/1.1\r\nHost: [::1]:8080\r\n\r\n",
    "GET / HTTP/1.1\r\nHost: [2001:db8::1]\r\n\r\n",
    "GET / HTTP/1.1\r\nHost: my_service:8080\r\n\r\n",
    "GET / HTTP/1.1\r\nHost: EXAMPLE.COM.\r\n\r\n",
    "GET / HTTP/1.1\r\nHost: xn--bcher-kva.example\r\n\r\n",
    "GET / HTTP/1.1\r\nHost: bücher.example\r\n\r\n",
    # forwarding headers as proxies and platforms write them
    "GET / HTTP/1.1\r\n" + H + "X-Forwarded-Host: shop.example\r\n\r\n",
    "GET / HTTP/1.1\r\n" + H + "X-Forwarded-Host: shop.example:443\r\nX-Forwarded-Proto: https\r\n\r\n",
    "GET /cart HTTP/1.1\r\nHost: app-backend:8080\r\nX-Forwarded-For: 203.0.113.5\r\nX-Forwarded-Host: www.shop.example\r\n"
    "X-Forwarded-Proto: https\r\n\r\n",
    "GET / HTTP/1.1\r\nHost: contoso-app.azurewebsites.net\r\nX-Forwarded-Host: www.contoso.example\r\n"
    "X-Forwarded-For: 203.0.113.5:51234\r\nX-Azure-Ref: 0abc\r\n\r\n",
    "GET /x HTTP/1.1\r\nHost: backend\r\nForwarded: for=203.0.113.9;host=shop.example;proto=https\r\n\r\n",
    "GET / HTTP/1.1\r\n" + H + "X-Forwarded-Proto: https\r\nX-Forwarded-Scheme: https\r\n\r\n",
    # URL-override headers as proxies write them (the original URL, or the full URL for an auth subrequest)
    "GET /products?page=2 HTTP/1.1\r\n" + H + "X-Original-URL: /products?page=2\r\n\r\n",
    "GET /api/verify HTTP/1.1\r\nHost: auth.example\r\nX-Original-URL: https://app.example/dashboard\r\n"
    "X-Forwarded-For: 198.51.100.7\r\n\r\n",
    "GET /index.php HTTP/1.1\r\n" + H + "X-Original-URL: /en/products/chairs\r\nX-Forwarded-For: 198.51.100.7\r\n\r\n",
    "GET / HTTP/1.1\r\n" + H + "X-Rewrite-URL: /blog/badminton-rackets\r\n\r\n",
    "GET /index.php HTTP/1.1\r\n" + H + "X-Original-URL: /admin/orders?page=3\r\nX-Forwarded-For: 198.51.100.7\r\n"
    "X-ARR-LOG-ID: 5c2a1f0e-7d3b-4a6e-9f1c-2b8d4e6a0c13\r\n\r\n",
    # a one-label service that happens to be called metadata
    "GET /v1/tags HTTP/1.1\r\nHost: metadata:8080\r\n\r\n",
]

ACTUATOR_BENIGN: list[str] = ["/actuator/health", "/actuator/health/liveness", "/actuator/info", "/actuator/prometheus",
                              "/actuator/metrics/jvm.memory.used", "/blog/how-to-analyze-a-heap-dump",
                              "/environment/settings", "/api/v1/envelopes", "/docs/spring-boot-actuator-endpoints"]


@pytest.fixture(scope="module")
def engine() -> Engine:
    return Engine()


@pytest.mark.parametrize("text", ATTACKS)
def test_round6_protocol_attacks_are_caught(engine, text):
    hits = engine.inspect(raw(text))
    assert verdict(hits) == "attack", (text, hits)


@pytest.mark.parametrize("text", BENIGN)
def test_round6_protocol_benign_stays_clean(engine, text):
    hits = engine.inspect(raw(text))
    assert verdict(hits) == "clean", (text, [h for h in hits if h.score >= 0.5])


@pytest.mark.parametrize("path", ACTUATOR)
def test_round6_actuator_probes_are_caught(engine, path):
    hits = engine.inspect(req(path))
    assert any(h.type == "scanner" and h.score >= 0.5 for h in hits), (path, hits)


@pytest.mark.parametrize("path", ACTUATOR_BENIGN)
def test_round6_actuator_monitoring_stays_clean(engine, path):
    assert verdict(engine.inspect(req(path))) == "clean", path


def test_metadata_host_is_not_flagged_on_a_captured_call_to_it():
    # a sensor capturing on an instance sees its own SDK ask the metadata service: server_ip is that address
    r = raw("GET /latest/meta-data/iam/security-credentials/ HTTP/1.1\r\nHost: 169.254.169.254\r\n\r\n")
    assert any(h.type == "ssrf" for h in protocol.check(r))

    class Seen(RawRequest):
        server_ip = "169.254.169.254"

    seen = Seen(method=r.method, target=r.target, version=r.version, host=r.host, headers=r.headers, body=r.body)
    assert not any(h.type == "ssrf" for h in protocol.check(seen))


def test_a_body_that_is_an_http_message_by_its_media_type_is_no_smuggling():
    r = raw("POST /api/har/replay HTTP/1.1\r\n" + H + "Content-Type: message/http\r\nContent-Length: 37\r\n\r\n"
            "GET / HTTP/1.1\r\nHost: example.com\r\n\r\n")
    assert not [h for h in protocol.check(r) if h.rule == "protocol:request_in_body"]
    r.headers = [(k, v) for k, v in r.headers if k != "Content-Type"]
    assert [h for h in protocol.check(r) if h.rule == "protocol:request_in_body"]


def test_a_client_url_override_is_reported_below_the_threshold():
    r = req("/", headers=[("X-Original-URL", "/products/select-shoes?size=10")])
    found = [h for h in protocol.check(r) if h.rule == "protocol:url_override"]
    assert found and found[0].score < 0.5


def test_a_rule_pins_the_hosts_of_a_site():
    # the engine cannot know a site's host names; a virtual patch on the Host point can (docs/rules.md)
    rules = parse_rules("""
rules:
  - id: pin-hosts
    match:
      path: {prefix: /account/}
      point: [header, HOST]
      value: {regex: "^(?!(?:www\\\\.)?shop\\\\.example(?::443)?$)"}
    action: vpatch
""")
    e = Engine(rules=rules)
    poisoned = raw("POST /account/password-reset HTTP/1.1\r\nHost: attacker-mail.example\r\nContent-Length: 3\r\n\r\na=b")
    own = raw("POST /account/password-reset HTTP/1.1\r\nHost: www.shop.example\r\nContent-Length: 3\r\n\r\na=b")
    assert verdict(e.inspect(poisoned)) == "attack"
    assert verdict(e.inspect(own)) == "clean"


@pytest.mark.parametrize("cl", ["\u00b2" * 16, "\u0663" * 20, "1" * 40, " 0042 "])
def test_odd_content_lengths_are_reported_not_crashed_on(cl):
    r = req("/upload", "POST", [("Content-Length", cl)], b"")
    rules = {h.rule for h in protocol.check(r)}
    assert rules & {"protocol:bad_cl", "protocol:huge_cl"}, rules


def test_odd_ports_in_an_absolute_target_or_host_are_reported():
    for target, host in (("http://shop.example:\u00b2/x", "shop.example"), ("http://shop.example/x", "shop.example:\u00b2"),
                         ("http://shop.example:99999/x", "shop.example"), ("http://[::1/x", "x")):
        r = req(target, host=host)
        assert any(h.score >= 0.5 for h in protocol.check(r)), (target, host)


# ---------------------------------------------------------------------------------------------------------------------
# Round 9: the policy classes a WAF in monitoring mode reports (methods, versions, h2c, bare CR, header bounds, method
# overrides, client-address sprays, fat GET, off-site prefixes, `0x` chunk sizes), each beside what clients really send.
# The analyst path reads the request with rawrequest.py; the live path (llhttp, sensor/http.py) is exercised below.

_BIG = "A" * 17000
ROUND9_ATTACKS: list[str] = [
    # diagnostic and invented methods (XST, verb tampering): CRS rejects methods outside the allowed list at PL1
    "TRACE /index.html HTTP/1.1\r\n" + H + "Authorization: Basic YWRtaW46YWRtaW4=\r\n\r\n",
    "TRACE * HTTP/1.1\r\n" + H + "\r\n",
    "TRACK /login HTTP/1.1\r\n" + H + "Cookie: sid=1\r\n\r\n",
    "DEBUG /default.aspx HTTP/1.1\r\n" + H + "Command: stop-debug\r\nContent-Length: 0\r\n\r\n",
    "FOO /admin/ HTTP/1.1\r\n" + H + "\r\n",
    "GETS /admin/users HTTP/1.1\r\n" + H + "\r\n",
    "HACK / HTTP/1.0\r\n\r\n",
    # versions no HTTP/1 server speaks (HTTP/0.9 simple requests have no headers, so nothing to inspect or log)
    "GET / HTTP/1.2\r\n" + H + "\r\n",
    "GET /admin HTTP/0.9\r\n\r\n",
    "HEAD /server-status\r\n",
    "GET /index.html\r\n\r\n",
    "GET / HTTP/11.1\r\n" + H + "\r\n",
    "GET / HTTPS/1.1\r\n" + H + "\r\n",
    "GET / HTTP/1.1x\r\n" + H + "\r\n",
    # h2c upgrade on a plain request: what follows is HTTP/2 the front end no longer inspects (h2c smuggling)
    "GET /admin HTTP/1.1\r\n" + H + "Upgrade: h2c\r\nHTTP2-Settings: AAMAAABkAARAAAAAAAIAAAAA\r\nConnection: Upgrade, HTTP2-Settings\r\n\r\n",
    "GET / HTTP/1.1\r\n" + H + "Connection: Upgrade\r\nUpgrade: h2c\r\n\r\n",
    "OPTIONS / HTTP/1.1\r\n" + H + "Upgrade: H2C\r\nHTTP2-Settings: AAMAAABkAAQAoAAAAAIAAAAA\r\nConnection: Upgrade, HTTP2-Settings\r\n\r\n",
    "POST /api/private HTTP/1.1\r\n" + H + "Upgrade: h2c\r\nConnection: Upgrade, HTTP2-Settings\r\nHTTP2-Settings: AAMAAABkAARAAAAAAAIAAAAA\r\n"
    "Content-Length: 2\r\n\r\n{}",
    "GET /internal HTTP/1.1\r\n" + H + "Upgrade: h2\r\nConnection: Upgrade\r\n\r\n",
    # a bare CR inside a header line (one hop ends the line there, the next does not)
    "GET / HTTP/1.1\r\n" + H + "X-A: a\r\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
    "GET / HTTP/1.1\r\nHost: shop.example\r\r\nX-B: 1\r\n\r\n",
    "GET /admin HTTP/1.1\r\n" + H + "User-Agent: x\r\rX-Forwarded-For: 127.0.0.1\r\n\r\n",
    "POST /api HTTP/1.1\r\n" + H + "Content-Type: text/plain\r \r\nContent-Length: 2\r\n\r\nhi",
    "GET / HTTP/1.1\r\n" + H + "Accept: */*\r\r\r\n\r\n",
    # header fields past what servers accept (Apache/nginx/Tomcat 8 KiB a field, http.sys/Node 16 KiB) or a crowd of them
    "GET / HTTP/1.1\r\n" + H + "X-Overflow: " + _BIG + "\r\n\r\n",
    "GET / HTTP/1.1\r\n" + H + "Referer: http://shop.example/?" + "A" * 30000 + "\r\n\r\n",
    "GET / HTTP/1.1\r\n" + H + "User-Agent: " + "%n" * 9000 + "\r\n\r\n",
    "GET / HTTP/1.1\r\n" + H + "Accept-Language: " + "en," * 7000 + "\r\n\r\n",
    "GET / HTTP/1.1\r\n" + H + "".join(f"X-Pad-{i}: {'B' * 7000}\r\n" for i in range(10)) + "\r\n",
    "GET / HTTP/1.1\r\n" + H + "".join(f"X-Pad-{i}: {i}\r\n" for i in range(150)) + "\r\n",
    "GET / HTTP/1.1\r\n" + H + "X-Forwarded-For: 127.0.0.1\r\n" * 500 + "\r\n",
    "GET / HTTP/1.1\r\n" + H + "Cookie: a=b\r\n" * 120 + "\r\n",
    # method overrides naming a diagnostic, tunnelling or unknown method
    "POST /api/v1/me HTTP/1.1\r\n" + H + "X-HTTP-Method: TRACK\r\nContent-Length: 0\r\n\r\n",
    "POST /api/v1/me HTTP/1.1\r\n" + H + "X-Method-Override: CONNECT\r\nContent-Length: 0\r\n\r\n",
    "GET /api/v1/me HTTP/1.1\r\n" + H + "X-HTTP-Method-Override: trace\r\n\r\n",
    "POST / HTTP/1.1\r\n" + H + "X-HTTP-Method-Override: DEBUG\r\nContent-Length: 0\r\n\r\n",
    "POST /admin HTTP/1.1\r\n" + H + "X-HTTP-Method-Override:  Track \r\nContent-Length: 0\r\n\r\n",
    "POST /api/v1/me?_method=TRACE HTTP/1.1\r\n" + H + "Content-Length: 0\r\n\r\n",
    # client-address headers sprayed with loopback (403-bypass tools): no chain of proxies writes three of them so
    "GET /admin HTTP/1.1\r\n" + H + "X-Forwarded-For: 127.0.0.1\r\nX-Remote-IP: 127.0.0.1\r\nX-Remote-Addr: 127.0.0.1\r\n"
    "X-Originating-IP: 127.0.0.1\r\n\r\n",
    "GET /internal/ HTTP/1.1\r\n" + H + "Client-IP: localhost\r\nX-Client-IP: localhost\r\nTrue-Client-IP: localhost\r\n\r\n",
    "GET /admin HTTP/1.1\r\n" + H + "X-Real-IP: ::1\r\nX-Forwarded-For: ::1\r\nCF-Connecting-IP: ::1\r\n\r\n",
    "GET /admin/delete HTTP/1.1\r\n" + H + "X-Custom-IP-Authorization: 127.0.0.1\r\nX-Forwarded-For: 127.0.0.1\r\n"
    "X-Originating-IP: 127.0.0.1\r\n\r\n",
    "GET /debug HTTP/1.1\r\n" + H + "Forwarded: for=127.0.0.1\r\nX-Forwarded-For: 127.0.0.1\r\nX-Real-IP: 127.0.0.1\r\n\r\n",
    "GET /actuator HTTP/1.1\r\n" + H + "X-Cluster-Client-IP: 0.0.0.0\r\nX-ProxyUser-Ip: 127.0.0.1\r\nX-Forwarded: 127.0.0.1\r\n\r\n",
    # fat GET: a form body naming a query parameter (the cache keys on the query, the framework reads the body)
    "GET /api/config.js?callback=init HTTP/1.1\r\n" + H + "Content-Type: application/x-www-form-urlencoded\r\n"
    "Content-Length: 18\r\n\r\ncallback=setCookie",
    "GET /?lang=en HTTP/1.1\r\n" + H + "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 9\r\n\r\nlang=evil",
    "HEAD /page?utm_source=a HTTP/1.1\r\n" + H + "Content-Length: 12\r\n\r\nutm_source=b",
    "GET /products?id=1&page=1 HTTP/1.1\r\n" + H + "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 10\r\n\r\nx=1&id=2&z",
    "GET /js/app.js?v=1 HTTP/1.1\r\n" + H + "Transfer-Encoding: chunked\r\n\r\n3\r\nv=2\r\n0\r\n\r\n",
    "GET /widget?%63allback=x HTTP/1.1\r\n" + H + "Content-Length: 12\r\n\r\ncallback=evl",
    # a path prefix header naming another host (links and redirects are built from it: cache poisoning)
    "GET / HTTP/1.1\r\n" + H + "X-Forwarded-Prefix: https://evil.example\r\n\r\n",
    "GET /login HTTP/1.1\r\n" + H + "X-Forwarded-Prefix: /\\evil.example\r\n\r\n",
    "GET / HTTP/1.1\r\n" + H + "X-Forwarded-Prefix: \\\\evil.example\\\r\n\r\n",
    "GET /static/app.js HTTP/1.1\r\n" + H + "X-Script-Name: //evil.example/\r\n\r\n",
    "GET / HTTP/1.1\r\n" + H + "X-Forwarded-Path: //evil.example/x\r\n\r\n",
    "GET /en/ HTTP/1.1\r\n" + H + "X-Forwarded-Prefix: //evil.example\r\nX-Forwarded-For: 203.0.113.7\r\n\r\n",
    # chunk sizes with a `0x` prefix (Python's int() reads them, llhttp and most servers do not)
    "POST /api HTTP/1.1\r\n" + H + "Transfer-Encoding: chunked\r\n\r\n0X1a\r\nabcdefghijklmnopqrstuvwxyz\r\n0\r\n\r\n",
    "POST /api HTTP/1.1\r\n" + H + "Transfer-Encoding: chunked\r\n\r\n0x0\r\n\r\nGET /admin HTTP/1.1\r\n\r\n",
    "POST /cart HTTP/1.1\r\n" + H + "Transfer-Encoding: chunked\r\n\r\n0x3;ext=1\r\nabc\r\n0\r\n\r\n",
    "POST /cart HTTP/1.1\r\n" + H + "Transfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0x2\r\nde\r\n0\r\n\r\n",
]

ROUND9_BENIGN: list[str] = [
    # registered and widely deployed methods (WebDAV, CalDAV, Exchange, Varnish, Icecast, the h2 preface)
    "PURGE /img/logo.png HTTP/1.1\r\n" + H + "\r\n",
    "BAN / HTTP/1.1\r\nHost: varnish.internal\r\nX-Ban-Url: ^/products\r\n\r\n",
    "SEARCH /exchange/jane/Inbox/ HTTP/1.1\r\nHost: mail.example\r\nContent-Type: text/xml\r\nContent-Length: 0\r\n\r\n",
    "MKCALENDAR /calendars/jane/work/ HTTP/1.1\r\nHost: caldav.example\r\nContent-Length: 0\r\n\r\n",
    "VERSION-CONTROL /repo/file.txt HTTP/1.1\r\nHost: dav.example\r\nContent-Length: 0\r\n\r\n",
    "RPC_IN_DATA /rpc/rpcproxy.dll?mail.example:6001 HTTP/1.1\r\nHost: mail.example\r\nContent-Length: 0\r\n\r\n",
    "BPROPFIND /exchange/jane/Inbox/ HTTP/1.1\r\nHost: mail.example\r\nContent-Length: 0\r\n\r\n",
    "SOURCE /live.mp3 HTTP/1.0\r\nHost: radio.example\r\nContent-Type: audio/mpeg\r\n\r\n",
    "QUERY /contacts HTTP/1.1\r\n" + H + "Content-Type: application/sql\r\nContent-Length: 0\r\n\r\n",
    "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n",
    # HTTP/1.0 health checks (load balancers, HAProxy's default check)
    "OPTIONS / HTTP/1.0\r\n\r\n",
    "HEAD / HTTP/1.0\r\nUser-Agent: HAProxy\r\n\r\n",
    "GET /ping HTTP/1.0\r\n\r\n",
    # Upgrade headers that are not h2c
    "GET /ws HTTP/1.1\r\n" + H + "Connection: keep-alive, Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\n"
    "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n",
    "OPTIONS * HTTP/1.1\r\nHost: printer.example:631\r\nConnection: Upgrade\r\nUpgrade: TLS/1.2, HTTP/1.1\r\n\r\n",
    "GET / HTTP/1.1\r\n" + H + "Upgrade-Insecure-Requests: 1\r\n\r\n",
    # line endings and white space as clients send them
    "GET /feed HTTP/1.1\nHost: shop.example\nAccept: */*\n\n",
    "GET / HTTP/1.1\r\n" + H + "Accept: */*   \r\nX-A:\tb\t\r\n\r\n",
    # big but accepted heads: analytics cookies, a fat JWT, a long Referer, a CDN chain's extra headers
    "GET / HTTP/1.1\r\n" + H + "Cookie: " + "; ".join(f"_ga_{i}=GS1.1.{i:010d}.1.1.1717243200.0.0.0" for i in range(150))
    + "\r\n\r\n",
    "GET /api/v1/me HTTP/1.1\r\n" + H + "Authorization: Bearer eyJhbGciOiJSUzI1NiJ9." + "eyJncm91cHMiOlsi" * 500 + ".sig\r\n\r\n",
    "GET /next HTTP/1.1\r\n" + H + "Referer: https://shop.example/search?" + "q=blue+widget&f=" * 400 + "\r\n\r\n",
    "GET / HTTP/1.1\r\n" + H + "".join(f"X-Edge-Meta-{i}: v{i}\r\n" for i in range(70)) + "\r\n",
    # method overrides as REST clients behind proxies send them
    "POST /api/v1/users/1 HTTP/1.1\r\n" + H + "X-HTTP-Method-Override: DELETE\r\nContent-Length: 0\r\n\r\n",
    "POST /api/v1/users/1 HTTP/1.1\r\n" + H + "X-HTTP-Method-Override: PUT\r\nContent-Type: application/json\r\n"
    "Content-Length: 2\r\n\r\n{}",
    "POST /_api/web/lists/items(1) HTTP/1.1\r\nHost: sp.example\r\nX-HTTP-Method: MERGE\r\nIF-MATCH: *\r\nContent-Length: 2\r\n\r\n{}",
    "POST /_api/web/lists/items(1) HTTP/1.1\r\nHost: sp.example\r\nX-HTTP-Method: DELETE\r\nIF-MATCH: *\r\nContent-Length: 0\r\n\r\n",
    "POST /drive/v3/files HTTP/1.1\r\n" + H + "X-HTTP-Method-Override: GET\r\nContent-Type: application/x-www-form-urlencoded\r\n"
    "Content-Length: 9\r\n\r\nq=name%3D",
    "POST /users/1?_method=PATCH HTTP/1.1\r\n" + H + "Content-Length: 0\r\n\r\n",
    "POST /users/1?_method=X HTTP/1.1\r\n" + H + "Content-Length: 0\r\n\r\n",
    "POST /api/v1/me HTTP/1.1\r\n" + H + "X-HTTP-Method-Override: 12345\r\nContent-Length: 0\r\n\r\n",
    # client-address headers as proxies write them
    "GET / HTTP/1.1\r\n" + H + "X-Real-IP: 127.0.0.1\r\nX-Forwarded-For: 127.0.0.1\r\n\r\n",
    "GET / HTTP/1.1\r\n" + H + "CF-Connecting-IP: 203.0.113.9\r\nX-Forwarded-For: 203.0.113.9\r\nTrue-Client-IP: 203.0.113.9\r\n"
    "X-Real-IP: 203.0.113.9\r\n\r\n",
    "GET /intranet HTTP/1.1\r\n" + H + "X-Forwarded-For: 10.1.2.3\r\nX-Real-IP: 10.1.2.3\r\nX-Client-IP: 10.1.2.3\r\n\r\n",
    "GET / HTTP/1.1\r\n" + H + "X-Forwarded-For: 203.0.113.5, 127.0.0.1\r\nX-Real-IP: 127.0.0.1\r\nX-Client-IP: 203.0.113.5\r\n\r\n",
    # bodies on GET that do not name a query parameter, and POST bodies that do
    "GET /products/_search?pretty=true HTTP/1.1\r\n" + H + "Content-Type: application/json\r\nContent-Length: 27\r\n\r\n"
    '{"query":{"match_all":{}}}\n',
    "GET /report?format=csv HTTP/1.1\r\n" + H + "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 15\r\n\r\n"
    "from=2024-01-01",
    "POST /search?q=shoes HTTP/1.1\r\n" + H + "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 7\r\n\r\nq=boots",
    "GET /products?page=2 HTTP/1.1\r\n" + H + "Content-Length: 0\r\n\r\n",
    # path prefixes as gateways write them
    "GET / HTTP/1.1\r\n" + H + "X-Forwarded-Prefix: /app\r\n\r\n",
    "GET /orders HTTP/1.1\r\n" + H + "X-Forwarded-Prefix: /api/v1/\r\nX-Forwarded-For: 203.0.113.7\r\n\r\n",
    "GET / HTTP/1.1\r\n" + H + "X-Forwarded-Prefix: /\r\n\r\n",
    "GET / HTTP/1.1\r\n" + H + "X-Script-Name: /myapp\r\n\r\n",
    "GET / HTTP/1.1\r\n" + H + "X-Forwarded-Prefix: /gateway,/orders\r\n\r\n",
    # chunk sizes as clients write them
    "POST /api HTTP/1.1\r\n" + H + "Transfer-Encoding: chunked\r\n\r\n1A\r\nabcdefghijklmnopqrstuvwxyz\r\n0\r\n\r\n",
    "POST /api HTTP/1.1\r\n" + H + "Transfer-Encoding: chunked\r\n\r\n000005\r\nhello\r\n0\r\n\r\n",
    "POST /api HTTP/1.1\r\n" + H + "Transfer-Encoding: chunked\r\n\r\n5;name=value\r\nhello\r\n0\r\n\r\n",
]


@pytest.mark.parametrize("text", ROUND9_ATTACKS)
def test_round9_protocol_attacks_are_caught(engine, text):
    test_round6_protocol_attacks_are_caught(engine, text)


@pytest.mark.parametrize("text", ROUND9_BENIGN)
def test_round9_protocol_benign_stays_clean(engine, text):
    test_round6_protocol_benign_stays_clean(engine, text)


def _live(engine: Engine, data: bytes) -> list:
    """Events of one TCP connection carrying `data` (and a 400) through the live sensor: llhttp, then the engine."""
    from scapy.all import IP, TCP, Ether, Raw, raw as to_bytes

    from sensor.config import SensorConfig
    from sensor.pipeline import Pipeline

    ends = {True: ("198.18.0.1", 40000), False: ("198.18.0.2", 80)}
    seq = {True: 1000, False: 5000}
    frames = []

    def send(from_client: bool, flags: str, payload: bytes = b"") -> None:
        (src, sport), (dst, dport) = ends[from_client], ends[not from_client]
        p = Ether() / IP(src=src, dst=dst) / TCP(sport=sport, dport=dport, flags=flags, seq=seq[from_client],
                                                 ack=seq[not from_client])
        frames.append(to_bytes(p / Raw(payload) if payload else p))
        seq[from_client] += len(payload) + ("S" in flags or "F" in flags)

    send(True, "S"), send(False, "SA"), send(True, "A")
    for i in range(0, len(data), 1400):
        send(True, "PA", data[i:i + 1400])
    send(False, "PA", b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
    send(True, "FA"), send(False, "FA"), send(True, "A")
    pipe = Pipeline(SensorConfig(), detector=engine.inspect)
    events = [e for n, f in enumerate(frames) for e in pipe.feed(1.7e9 + n / 1000, f, 1)]
    return events + pipe.flush()


# The live sensor reads the request line and framing with llhttp: it rejects odd versions, the bare CR and the `0x`
# chunk size itself (`http-parse-error`); methods outside llhttp's table are parsed with a stand-in and judged by
# protocol.py like everything llhttp accepts (TRACE, h2c, header bounds, overrides, address sprays, fat GET,
# prefixes). Left out here, with the reason:
_LIVE_GAPS = {
    # llhttp waits for the blank line HTTP/0.9 never sends; the request reaches the engine unfinished, as HTTP/1.1
    "HEAD /server-status\r\n",
}
# what llhttp itself rejects among ordinary clients' requests (the HTTP/2 preface, bare-LF line ends): reported as
# `http-parse-error` by sensor/http.py, whatever protocol.py says. BAN, VERSION-CONTROL, RPC_IN_DATA and BPROPFIND,
# outside llhttp's method table, are parsed with a stand-in method (sensor/http.py) and stay clean live too.
_LLHTTP_REJECTS = ("PRI ", "GET /feed HTTP/1.1\n")


@pytest.mark.parametrize("text", [t for t in ROUND9_ATTACKS if t not in _LIVE_GAPS])
def test_round9_protocol_attacks_are_caught_live(engine, text):
    events = _live(engine, text.encode("utf-8", "surrogateescape"))
    assert events and events[0].verdict == "attack", (text[:200], [e.hits for e in events])


@pytest.mark.parametrize("text", [t for t in ROUND9_BENIGN if not t.startswith(_LLHTTP_REJECTS)])
def test_round9_protocol_benign_stays_clean_live(engine, text):
    events = _live(engine, text.encode("utf-8", "surrogateescape"))
    assert events and all(e.verdict == "clean" for e in events), (text[:200], [e.hits for e in events])


def test_a_rule_refuses_method_overrides_on_a_site_that_has_none():
    # DELETE/PUT/PATCH through an override header is ordinary for REST clients behind proxies, so the engine leaves
    # it; a site whose API takes no overrides pins that with a virtual patch on the header point (docs/rules.md)
    rules = parse_rules("""
rules:
  - id: no-method-override
    match:
      point: {regex: "^header\\\\.X-(?:HTTP-)?METHOD(?:-OVERRIDE)?$"}
      value: {regex: "(?i)^\\\\s*(?:delete|put|patch)\\\\s*$"}
    action: vpatch
""")
    e = Engine(rules=rules)
    tunnelled = raw("GET /api/v1/users/1 HTTP/1.1\r\n" + H + "X-HTTP-Method-Override: DELETE\r\n\r\n")
    plain = raw("DELETE /api/v1/users/1 HTTP/1.1\r\n" + H + "\r\n")
    assert verdict(Engine().inspect(tunnelled)) == "clean"
    assert verdict(e.inspect(tunnelled)) == "attack"
    assert verdict(e.inspect(plain)) == "clean"
