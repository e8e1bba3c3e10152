"""Property tests: no parser or detector raises on arbitrary input, whatever the bytes."""
from __future__ import annotations

from hypothesis import HealthCheck, given, settings, strategies as st

from sensor.detect import ptrav, rce, rfi, sqli, ssrf, xss
from sensor.detect.rawrequest import RawRequest, parse_raw
from sensor.points import Limits, extract_all

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
_alphabet = st.characters(codec="utf-8") | st.sampled_from(list("'\"`;|&$(){}[]<>/\\%.-#*=:\x00\r\n\t"))


@SETTINGS
@given(st.text(alphabet=_alphabet, max_size=300))
def test_detectors_never_raise_on_text(s):
    for mod in (sqli, xss, rce, ssrf):
        f = mod.analyze(s)
        assert f is None or 0.0 <= f.score <= 1.0
    ptrav.analyze(s, is_path=True)
    rfi.analyze(s, "file", "example.com")


@SETTINGS
@given(st.binary(max_size=600))
def test_engine_never_raises_on_raw_bytes(engine, data):
    for hit in engine.inspect(parse_raw(data)):
        assert 0.0 <= hit.score <= 1.0 and len(hit.value) <= 256


@SETTINGS
@given(st.binary(max_size=400), st.sampled_from(["application/json", "application/xml", "multipart/form-data; boundary=b",
                                                "application/x-www-form-urlencoded", "text/plain", "", "application/graphql"]))
def test_bodies_of_any_type_never_raise(engine, body, ctype):
    r = RawRequest(method="POST", target="/graphql?x=%c0%af", version="1.1", host="h",
                   headers=[("Content-Type", ctype), ("Cookie", "a=%ff%fe; b")], body=body)
    extract_all(r, Limits(max_depth=4, max_params=50))
    engine.inspect(r)


def test_no_request_compiles_a_regex():
    """A regex compile costs 100-800 µs (the sre compiler is pure Python): a request that could make the engine
    compile one (a new glob, a new set of shell variables) would let each request cost that. Every pattern is
    compiled at import or on its first use, so after a warm-up, fresh attack shapes compile nothing."""
    import random
    import re

    from sensor.detect import Engine
    from sensor.detect.corpus import crs_rows

    engine = Engine()
    for r in list(crs_rows("tune"))[:400]:
        engine.inspect(parse_raw(r["raw"]))
    tag = random.Random(7).randrange(10**9)
    fresh = [f"cmd=/???/c?t+/e[t]c/pa*{tag}", f"q=a[constructor][p{tag}]", f"x=c{tag}=ca;d=t;$c{tag}$d+/etc/passwd",
             f"v=w*{tag}*i", f"s=[!q]asswd{tag}", f"p=%7b,/?s?/?i?/c?t,/e??/p??s??{tag},%7d"]
    compiled: list[str] = []
    real = re._compiler.compile

    def spy(p, flags=0, *a):
        compiled.append(str(p))
        return real(p, flags, *a)

    try:
        re._compiler.compile = spy
        for q in fresh:
            engine.inspect(parse_raw(f"GET /run?{q} HTTP/1.1\r\nHost: a\r\n\r\n".encode()))
    finally:
        re._compiler.compile = real
    assert compiled == []
