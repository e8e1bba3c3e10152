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
