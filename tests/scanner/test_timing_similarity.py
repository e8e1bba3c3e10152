"""The statistics behind time-based findings and the page similarity behind boolean SQLi, without a network."""
from __future__ import annotations

from scanner.checks.base import confirm_delay
from scanner.checks.sqli import _similar
from scanner.client import Exchange


def _measure(latency):
    calls: list[float] = []

    def m(delay: float):
        calls.append(delay)
        return latency(delay, len(calls))
    return m, calls


def test_delay_that_follows_the_request_is_confirmed() -> None:
    m, calls = _measure(lambda d, _n: 0.05 + d * 1.02)
    stats = confirm_delay(m, 1.0, [0.05])
    assert stats is not None and 0.95 < stats["slope"] < 1.1 and stats["r"] > 0.99
    assert calls == [1.0, 0.0, 2.0, 0.0, 1.0]


def test_fast_first_sample_costs_one_request() -> None:
    m, calls = _measure(lambda d, _n: 0.05)
    assert confirm_delay(m, 2.0, [0.05]) is None and calls == [2.0]


def test_slow_or_jittery_servers_are_not_confirmed() -> None:
    always_slow, _ = _measure(lambda d, _n: 2.5)                     # slow whatever we ask
    assert confirm_delay(always_slow, 2.0, [0.05]) is None
    one_hiccup, _ = _measure(lambda d, n: 2.2 if n == 1 else 0.05)   # one slow response, then normal
    assert confirm_delay(one_hiccup, 2.0, [0.05]) is None
    capped, _ = _measure(lambda d, _n: 0.05 + min(d, 1.0))           # a server-side cap: 2D is not 2x
    assert confirm_delay(capped, 1.0, [0.05]) is None


def _ex(text: str, status: int = 200) -> Exchange:
    return Exchange(method="GET", url="http://a/", request_headers=[], request_body=b"", status=status,
                    headers=[], body=text.encode(), truncated=False, elapsed=0.0)


def test_similarity() -> None:
    page = "<html><head><title>P</title></head><body>" + "x" * 5000 + "<p>{}</p></body></html>"
    a, b = _ex(page.format("Product: Widget - in stock")), _ex(page.format("Product not found"))
    assert _similar(a, a) == 1.0 and _similar(a, _ex(a.text, 500)) == 0.0
    assert 0.98 < _similar(a, b) < 1.0          # same boilerplate, small change: close to but below 1
    big_a, big_b = _ex("a" * 150_000 + "1" * 10_000), _ex("a" * 150_000 + "2" * 10_000)
    assert _similar(big_a, big_b) < 0.95        # stays cheap on big pages (the differing middle is capped)


def test_one_load_spike_on_an_undelayed_sample_is_retried() -> None:
    m, calls = _measure(lambda d, n: 0.9 if n == 2 else 0.05 + d)     # the first 0-s sample is a spike
    assert confirm_delay(m, 1.0, [0.05]) is not None
    assert calls == [1.0, 0.0, 0.0, 2.0, 0.0, 1.0]
    m, _ = _measure(lambda d, n: 0.9 if d == 0 else 0.05 + d)        # always slow at 0 s: not a delay effect
    assert confirm_delay(m, 1.0, [0.05]) is None
