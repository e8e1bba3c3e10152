"""Fix round 15 (blind batches zc and benign_14): invisible characters inside keywords, a backtick identifier broken
out of, NDJSON bodies, Android's null-reference messages, bracket-only and Markdown globs, `field:value` filters."""
from __future__ import annotations

import json

import pytest

from sensor.detect import Engine, code, rce, sqli, verdict
from sensor.points import extract
from tests.detect.conftest import req


@pytest.fixture(scope="module")
def engine() -> Engine:
    return Engine()


def _q(engine: Engine, name: str, value: str) -> str:
    from urllib.parse import quote
    return verdict(engine.inspect(req(f"/search?{name}={quote(value, safe='')}")))


@pytest.mark.parametrize("value", ["' UN\u200bION SEL\u200dECT password FROM users--", "8.8.8.8; c\u200cat /etc/pa\u200csswd",
                                   "<scr\u2060ipt>alert(1)</scr\u2060ipt>", "1' o\ufeffr '1'='1"])
def test_invisible_characters_inside_keywords_are_read_through(engine, value):
    assert _q(engine, "q", value) == "attack", value


@pytest.mark.parametrize("value", ["\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645 \u06a9\u062a\u0627\u0628 \u0628\u062e\u0631\u0645",  # Persian, ZWNJ
                                   "\U0001f468\u200d\U0001f469\u200d\U0001f467 family trip", "co\u00adoperation and or\u00adder"])
def test_text_that_uses_them_stays_clean(engine, value):
    assert _q(engine, "q", value) == "clean", value


def test_a_backtick_identifier_broken_out_of_and_reopened():
    for value in ("name` = 'x' OR 1=1 OR `name", "id` or 1=1 or `id"):
        found = sqli.analyze(value)
        assert found is not None and found.score >= 0.5, value
    # a Markdown code span opens after a blank: SQL quoted in review comments stays prose
    for value in ("Fixed by #2210 - the `WHERE` clause was missing `AND tenant_id = ?`",
                  "Looks good, but `WHERE name LIKE '%' || :q || '%'` won't use the index", "press `a` or `b`",
                  "set `x` = 5 in your config, then `y` = 6", "run `npm test` or `yarn test` before pushing"):
        found = sqli.analyze(value)
        assert found is None or found.score < 0.5, value


def test_ndjson_bodies_are_read_line_by_line(engine):
    lines = [{"index": {"_index": "logs"}}, {"msg": "hello", "q": "1 union select password from users"}]
    body = ("\n".join(json.dumps(x) for x in lines) + "\nnot json\n").encode()
    pts = {tuple(p.path): p.value for p in extract(req("/_bulk", "POST", [("Content-Type", "application/x-ndjson")], body))}
    assert pts[("post", "ndjson", 1, "hash", "q")] == "1 union select password from users"
    assert pts[("post", "ndjson", 2)] == "not json"             # a broken line is kept raw
    assert ("post",) not in pts                                  # the body is not read whole any more
    assert verdict(engine.inspect(req("/_bulk", "POST", [("Content-Type", "application/x-ndjson")], body))) == "attack"
    batch = "\n".join(json.dumps({"custom_id": f"request-{i}", "method": "POST", "url": "/v1/chat/completions",
                                  "body": {"model": "gpt-4o-mini", "messages": [
                                      {"role": "system", "content": "You are a helpful assistant."},
                                      {"role": "user", "content": "Summarise this support ticket in one sentence."}]}})
                      for i in range(3))
    r = req("/v1/batches", "POST", [("Content-Type", "application/jsonl")], batch.encode())
    assert verdict(engine.inspect(r)) == "clean", engine.inspect(r)


def test_android_null_reference_messages_are_no_java_code():
    npe = "Attempt to invoke virtual method 'int java.lang.String.length()' on a null object reference"
    assert not code.counts("java:qualified_call", npe)
    assert code.counts("java:qualified_call", npe + "; T(java.lang.Runtime).getRuntime().exec('id')")
    assert code.counts("java:qualified_call", "${java.lang.System.getenv()}")


def test_bracket_only_and_markdown_globs_name_no_command():
    for value in ('[out:json][timeout:25];area[name="Berlin"]->.a;node["amenity"="cafe"](area.a);out center 100;',
                  "*Release 2.31.0* is live :rocket:"):
        assert rce.analyze(value) is None, value
    for value in (";/???/*oami", ";*whoami", "; *oami", ";c[a]t /etc/passwd", ";[c]at /etc/passwd"):
        found = rce.analyze(value)
        assert found is not None and found.score >= 0.5, value


def test_field_colon_value_filters_are_predicates():
    for value in ('(category:Book OR category:Ebook) AND _tags:published AND price < 30 AND NOT author:"Anonymous"',
                  "service.name : 'checkout' and http.response.status_code >= 500"):
        found = sqli.analyze(value)
        assert found is None or found.score < 0.5, value
    for value in ("x:1 or 1=1", "name:x' or '1'='1", "a:1 and sleep(5)"):
        found = sqli.analyze(value)
        assert found is not None and found.score >= 0.5, value
