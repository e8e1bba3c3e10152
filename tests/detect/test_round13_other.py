"""Round 13 (blind batches w, x, y and benign 12), the detectors other than sqli/rce: an endless JS loop with comments
between its tokens, a script scheme with a tab inside (`vb\\tscript:`), a gopher:// URL to loopback in an image proxy's
path whose payload decodes to spaces, a PHP function name as a parameter NAME (CRS 933150 on ARGS_NAMES), uploads of
server configuration files (`web.config ` with Windows' trailing space, `php.ini`); and the near miss: a gift note or
letter that opens with `To:` and signs with `From:` (no address) is no injected mail header.
Each class: the benign shapes stay clean and the closest attacks stay caught."""
from __future__ import annotations

import pytest

from sensor.detect import verdict
from tests.detect.conftest import hits_for, strong, req


# --- node:dos_loop: comments are whitespace to a JS parser
LOOP_ATTACKS = [
    ("form", "expr", "while/**/(!0)/**/{}"),
    ("form", "expr", "while/**/(1)/**/{}"),
    ("query", "code", "while /* spin */ (true) /* forever */ {}"),
    ("json", "script", "while/**/(/**/true/**/)/**/;"),
    ("form", "expr", "for/**/(;;)/**/{}"),
    ("form", "expr", "for(/**/;/**/;/**/){}"),
    ("query", "cb", "do/**/{x++}/**/while/**/(1)"),
    ("form", "expr", "while/*a*b*/(!0){}"),
]
LOOP_BENIGN = [
    ("query", "q", "while loop /* comment */ syntax"),
    ("query", "q", "while (true) loop explained"),
    ("form", "body", "/* docs */ while (i < n) { i++ }"),
    ("query", "q", "while/**/ comment in js"),
    ("form", "note", "while (cond) /* check */ { work() }"),
]


@pytest.mark.parametrize("carrier,key,value", LOOP_ATTACKS)
def test_commented_endless_loop_caught(engine, carrier, key, value):
    assert verdict(hits_for(engine, carrier, value, key)) == "attack", value


@pytest.mark.parametrize("carrier,key,value", LOOP_BENIGN)
def test_loop_talk_stays_clean_of_dos_loop(engine, carrier, key, value):
    assert not strong(hits_for(engine, carrier, value, key), lambda h: h.rule == "node:dos_loop"), value


# --- xss: a browser drops tabs and line breaks inside a URL scheme
SCHEME_ATTACKS = [
    ("query", "url", "vb\tscript:msgbox(1)"),
    ("query", "next", "v\nbscript:msgbox(document.cookie)"),
    ("form", "link", "vbscr\tipt:execute(\"x\")"),
    ("query", "url", "live\tscript:alert(1)"),
    ("json", "href", "ecma\r\nscript:alert(1)"),
    ("query", "url", "java\tscript:alert(1)"),
    ("query", "url", "vbscript:msgbox(1)"),
]
SCHEME_BENIGN = [
    ("query", "q", "vb script tutorial"),
    ("form", "body", "VB\nScript is old; use PowerShell"),
    ("query", "q", "vbscript msgbox example"),
    ("form", "notes", "Live\nscript rehearsal at 5"),
]


@pytest.mark.parametrize("carrier,key,value", SCHEME_ATTACKS)
def test_script_scheme_with_controls_caught(engine, carrier, key, value):
    assert verdict(hits_for(engine, carrier, value, key)) == "attack", value


@pytest.mark.parametrize("carrier,key,value", SCHEME_BENIGN)
def test_script_words_stay_clean(engine, carrier, key, value):
    assert verdict(hits_for(engine, carrier, value, key)) == "clean", value


# --- ssrf: a URL embedded in a path, its payload decoding to spaces
PROXY_ATTACKS = [
    "/imageproxy/gopher://127.0.0.1:25/_HELO%20x",
    "/imageproxy/gopher://127.0.0.1:6379/_SET%20x%20y",
    "/proxy/dict://127.0.0.1:11211/stats%20items",
    "/fetch/http://169.254.169.254/latest/meta-data/%20x",
    "/img/http://127.0.0.1:8080/admin%20panel",
    "/imageproxy/gopher://127.0.0.1:25/_HELO",
]
PROXY_BENIGN = [
    "/search/why%20does%20http://localhost:3000%20fail",
    "/docs/Error:http://localhost:8080%20refused",
    "/blog/notes%20on%20gopher://%20protocol",
]


@pytest.mark.parametrize("target", PROXY_ATTACKS)
def test_embedded_internal_url_in_path_caught(engine, target):
    assert verdict(engine.inspect(req(target))) == "attack", target


@pytest.mark.parametrize("target", PROXY_BENIGN)
def test_url_in_path_prose_not_ssrf(engine, target):
    assert not strong(engine.inspect(req(target)), lambda h: h.type == "ssrf"), target


# --- php:function_param: a PHP function name as a parameter NAME
PARAM_ATTACKS = [
    req("/api?get_defined_vars=1"),
    req("/api?shell_exec"),
    req("/index.php?a=1&Call_User_Func=system"),
    req("/x", "POST", [("Content-Type", "application/x-www-form-urlencoded")], b"base64_decode=aWQ=&x=1"),
    req("/x", "POST", [("Content-Type", "application/x-www-form-urlencoded")], b"file_put_contents=1"),
]
PARAM_BENIGN = [
    req("/api?q=get_defined_vars"),               # a docs search names the function
    req("/php/manual?fn=base64_decode"),
    req("/search?q=shell_exec+vs+exec"),
    req("/api?phpinfo=1"),                        # a one-word debug switch: left out
    req("/api?get_defined=1&vars=2"),
    req("/x", "POST", [("Content-Type", "application/json")], b'{"shell_exec": false, "exec": false}'),
    req("/api?file_get=1&contents=x"),
]


@pytest.mark.parametrize("r", PARAM_ATTACKS)
def test_php_function_parameter_name_caught(engine, r):
    assert verdict(engine.inspect(r)) == "attack", r.target


@pytest.mark.parametrize("r", PARAM_BENIGN)
def test_php_function_word_as_value_clean(engine, r):
    assert verdict(engine.inspect(r)) == "clean", r.target


# --- upload:restricted_file: server configuration files, with Windows' trailing dots and spaces
UPLOAD_ATTACKS = [
    ("multipart", "doc", "web.config "),
    ("multipart", "doc", "web.config."),
    ("multipart", "doc", "web.config . ."),
    ("multipart", "doc", "php.ini"),
    ("multipart", "doc", "php.ini "),
    ("multipart", "doc", "../php.ini"),
    ("multipart", "doc", ".user.ini."),
    ("multipart", "doc", ".htpasswd "),
]
UPLOAD_BENIGN = [
    ("multipart", "doc", "web.config.sample.txt"),
    ("multipart", "doc", "php.ini-development.txt"),
    ("multipart", "doc", "my php.ini notes.pdf"),
    ("multipart", "doc", "webconfig.png"),
    ("query", "q", "php.ini "),
    ("form", "msg", "where is php.ini"),
]


@pytest.mark.parametrize("carrier,key,value", UPLOAD_ATTACKS)
def test_config_upload_caught(engine, carrier, key, value):
    assert verdict(hits_for(engine, carrier, value, key)) == "attack", value


def test_config_upload_header_caught(engine):
    for name in ("php.ini", "web.config ", "php.ini."):
        r = req("/upload", "PUT", [("X-Filename", name)], b"auto_prepend_file=/tmp/x")
        assert verdict(engine.inspect(r)) == "attack", name


@pytest.mark.parametrize("carrier,key,value", UPLOAD_BENIGN)
def test_config_names_clean(engine, carrier, key, value):
    assert verdict(hits_for(engine, carrier, value, key)) == "clean", value


# --- mail:header: To/From lines of a letter vs injected address headers
MAIL_ATTACKS = [
    ("form", "name", "bob\r\nBcc: victim@example.com"),
    ("form", "name", "bob\nBcc: victim"),
    ("form", "subject", "Hello\r\nTo: victim@example.com"),
    ("form", "subject", "Hello\nFrom: \"IT Desk\" <it@evil.example>"),
    ("form", "gift_message", "To: Dad\nFrom: attacker@evil.example"),
    ("form", "gift_message", "To: Dad\nCc: spam@evil.example"),
    ("query", "email", "a@b.example%0ATo: x@evil.example"),
    ("form", "name", "x\r\nReply-To: a@evil.example"),
    ("form", "name", "x\nSubject: you won"),
    ("json", "from", "me\r\nfrom: <root@localhost>"),
    ("form", "name", "x\r\nto: a%40evil.example, b@evil.example"),
]
MAIL_BENIGN = [
    ("form", "gift_message", "To: Dad\nFrom: the kids :-)\n\"World's Best Grandpa\""),
    ("form", "gift_message", "To: Mom\nFrom: Anna and Ben\nHappy birthday!"),
    ("form", "card_text", "Happy anniversary!\nFrom: your favourite neighbours"),
    ("form", "message", "Dear team,\nthanks for everything.\nFrom: all of us at the front desk"),
    ("json", "note", "To: my best friend\nFrom: your partner in crime <3"),
    ("form", "gift_message", "To: Grandma & Grandpa\r\nFrom: the Smith family\r\nMerry Christmas"),
]


@pytest.mark.parametrize("carrier,key,value", MAIL_ATTACKS)
def test_mail_header_injection_caught(engine, carrier, key, value):
    assert verdict(hits_for(engine, carrier, value, key)) == "attack", value


@pytest.mark.parametrize("carrier,key,value", MAIL_BENIGN)
def test_letter_salutations_clean(engine, carrier, key, value):
    assert verdict(hits_for(engine, carrier, value, key)) == "clean", value


def test_bare_local_from_reported(engine):
    hits = hits_for(engine, "form", "name", "bob\nFrom: ceo")
    assert any(h.rule == "mail:header" and 0 < h.score < 0.5 for h in hits)
