"""Precision: realistic benign values that name attack keywords stay clean; the attack structure beside them is caught."""
from __future__ import annotations

import json
import urllib.parse

import pytest

from sensor.detect import THRESHOLD, ptrav, rce, rfi, sqli, ssrf, xss
from tests.detect.conftest import req


def flagged(f) -> bool:
    return f is not None and f.score >= THRESHOLD


def attack_types(hits) -> set[str]:
    return {h.type for h in hits if h.score >= THRESHOLD}


# --- SQL: a SELECT needs a select list, a call needs SQL around it
@pytest.mark.parametrize("v", [
    "Select the best option (recommended) from the list",
    "Can I select from many colours (red, blue) or not?",
    "We union together (all of us) and select from the best",
    "count(items) should be 5", "sleep (8 hours) is healthy", "the sleep(5) function", "char(10) in excel",
    "cos(0) equals 1", "yes or no?",
])
def test_sql_words_in_prose_stay_clean(v):
    assert not flagged(sqli.analyze(v)), (v, sqli.analyze(v))


@pytest.mark.parametrize("v", [
    "1 and sleep(5)", "sleep(5)#", "' or sleep(5)='", "benchmark(10000000,md5(1)) and 1", "1 or sleep(5) limit 1",
    "select name from users where id=1", "select * from tbl", "1' and (select count(*) from users) > 0--",
    "1 and select 1", "1 union", "cos(0)", "' or x=",
])
def test_sql_structure_is_still_caught(v):
    assert flagged(sqli.analyze(v)), (v, sqli.analyze(v))


# --- shell: a command name followed by an English phrase is prose, not a command line
@pytest.mark.parametrize("v", [
    "vim is great! really", "curl is my favourite tool", "ls vs dir: which is better?", "wget or curl? both work",
    "nc is short for netcat", "python is fun; perl too", "python -- the language", "nc (netcat) tutorial",
    "What does `sudo` mean?", "use `ls -la` to list files",
])
def test_tool_names_in_prose_stay_clean(v):
    assert not flagged(rce.analyze(v)), (v, rce.analyze(v))


@pytest.mark.parametrize("v", [
    "curl evil.example", "nc 10.0.0.1 4444", "uname -a", "sudo su root", "ls foo bar", "cscli alerts list",
    "x; perl -e print", "hello world; id", "a; whoami", "`id`", "x`id`", "foo `id` bar", "echo `whoami`", "a;(id)",
    "; (curl evil.example)", "vim -c :!id",
])
def test_shell_structure_is_still_caught(v):
    assert flagged(rce.analyze(v)), (v, rce.analyze(v))


# --- XSS: naming a JS API is not calling it
@pytest.mark.parametrize("v", [
    "document.cookie explained", "read about document.cookie", "eval(uate) this proposal", "prompt(1) and more",
    "Confirm (yes/no)", "javascript: the good parts",
])
def test_js_api_names_in_prose_stay_clean(v):
    assert not flagged(xss.analyze(v)), (v, xss.analyze(v))


@pytest.mark.parametrize("v", [
    "alert(1)", "alert(document.cookie)", 'x";alert(1)//', "document.cookie", "1;alert(1)", "confirm (1)",
    "javascript:alert(1)", "javascript: alert(1)", "javascript:void 0",
])
def test_js_sinks_are_still_caught(v):
    assert flagged(xss.analyze(v)), (v, xss.analyze(v))


@pytest.mark.parametrize("target", ["/docs/document.cookie", "/blog/why-alert()-is-bad", "/wiki/etc/passwd_file_format",
                                    "/man/bash", "/bin/tools", "/learn/sql/select-from-where"])
def test_paths_naming_apis_and_files_stay_clean(engine, target):
    hits = engine.inspect(req(target))
    assert not attack_types(hits), (target, hits)


@pytest.mark.parametrize("target,kind", [
    ('/x"><svg%20onload=alert(1)>', "xss"), ("/files/..%2f..%2f..%2fetc/passwd", "ptrav"), ("/download/etc/passwd", "ptrav"),
])
def test_attacks_in_paths_are_still_caught(engine, target, kind):
    assert kind in attack_types(engine.inspect(req(target)))


def test_sensitive_file_name_must_end_there():
    assert not flagged(ptrav.analyze("/wiki/etc/passwd_file_format", is_path=True))
    assert flagged(ptrav.analyze("/etc/passwd", is_path=True))
    assert flagged(ptrav.analyze("../../etc/passwd%00.jpg"))


# --- URLs to other sites in parameters are links; deceptive hosts and SSRF tricks are not
@pytest.mark.parametrize("target", [
    "/login?next=https%3A%2F%2Faccounts.google.com%2Fo%2Foauth2", "/r?x=https%3A%2F%2Ffoo.bar",
    "/share?u=https%3A%2F%2Fwww.youtube.com%2Fwatch%3Fv%3Dabc", "/ad?loc=https%3A%2F%2Fwww.amazon.com%2Fdp%2FB00",
    "/l?to=http%3A%2F%2Fwww.example.org%2F",
])
def test_offsite_links_in_parameters_stay_clean(engine, target):
    hits = engine.inspect(req(target))
    assert not attack_types(hits), (target, hits)


def test_deceptive_hosts_and_authority_confusion_are_caught():
    assert flagged(rfi.analyze("https://shop.example.evil.example/", "x", "shop.example"))
    assert not flagged(rfi.analyze("https://www.shop.example/", "x", "shop.example"))
    assert flagged(ssrf.analyze("http://a.example:80 &@b.example:80# @127.9.8.7:22/"))
    assert flagged(ssrf.analyze("http://169\u3002254\u3002169\u3002254/"))  # ideographic full stops
    assert not flagged(ssrf.analyze("http://user@example.com/#a@b"))


def test_prose_in_a_json_body_stays_clean(engine):
    for msg in ("Dear team, please delete my account (user: bob_smith). Thanks!", "Select the best option (recommended) from the list",
                "vim is great! really", "Confirm (yes/no)"):
        body = json.dumps({"message": msg}).encode()
        hits = engine.inspect(req("/contact", "POST", [("Content-Type", "application/json")], body))
        assert not attack_types(hits), (msg, hits)


def test_findings_are_memoised_per_value_without_changing_them(engine):
    q = "/s?q=" + urllib.parse.quote("1' or '1'='1")
    first = engine.inspect(req(q))
    again = engine.inspect(req(q))
    assert [(h.type, h.rule, h.score) for h in first] == [(h.type, h.rule, h.score) for h in again]
    assert "sqli" in attack_types(first)


def test_editor_shell_escape_needs_a_command_after_the_bang():
    assert flagged(rce.analyze("vim +!id"))
    assert flagged(rce.analyze(";ex notes.txt +silent !whoami +wq"))
    assert rce.analyze("vim is great!") is None


def test_from_where_with_a_comparison_is_sql():
    assert flagged(sqli.analyze('FROM ack_variable WHERE name="cron_last";'))
    assert flagged(sqli.analyze("from users where id = 1"))
    assert not flagged(sqli.analyze("from Paris where prices are low"))
