"""Round 12 (blind batches t, u, v and benign 11), the detectors other than sqli/rce: IMAP/POP3 commands after a line
break, a sensitive file as a parameter of a URL in a header, Java serialization base64-encoded after leading bytes, an
HTML tag in a request header, an always-true `while(new Date)` loop; and the near misses: a superglobal named in a
search, a site's own URL with a trailing `?` in a link field, `localhost/path` in a sentence, a data URI with no data.
Each class: the benign shapes stay clean (for the rules changed here) and the closest attacks stay caught."""
from __future__ import annotations

import base64
import random

import pytest

from sensor.detect import verdict
from tests.detect.conftest import hits_for, strong


# --- mail_injection: IMAP extension commands (ACL, QUOTA, METADATA, …), POP3 APOP / STAT after a line break
MAIL_ATTACKS = [
    ("json", "mailbox", "Sent\r\nx1 SETACL INBOX attacker +lrswipcda"),
    ("query", "folder", "Drafts\r\nZ9 MYRIGHTS INBOX"),
    ("query", "user", "bob\r\nAPOP mrose c4c9334bac560ecc979e58001b3e22fb"),
    ("query", "folder", "INBOX\r\na1 GETACL INBOX"),
    ("form", "mailbox", "Archive\r\nA3 DELETEACL INBOX bob"),
    ("json", "folder", "x\nA4 GETQUOTAROOT INBOX"),
    ("query", "mailbox", "x\r\na5 LISTRIGHTS INBOX smith"),
    ("form", "folder", "Trash\r\nt2 SETQUOTA \"\" (STORAGE 1)"),
    ("query", "folder", "x\r\nA6 NAMESPACE"),
    ("query", "folder", "INBOX\r\nA7 UNSELECT\r\n"),
    ("json", "mailbox", "Sent\r\nt1 MOVE 1:* Trash"),
    ("form", "folder", "Sent\r\na1 CLOSE"),
    ("query", "folder", "x\r\nb2 SUBSCRIBE Secret"),
    ("query", "user", "alice\nAPOP alice 0123456789abcdef0123456789abcdef\n"),
    ("form", "login", "x\r\nSTAT\r\nQUIT"),
    ("query", "user", "x\r\nSTLS"),
    ("query", "user", "eve\r\nUIDL\r\n"),
    ("query", "folder", "x\r\nA8 ID (\"name\" \"x\")\r\nA9 UNSELECT"),
]
MAIL_BENIGN = [
    ("form", "comment", "Sent items\r\nMove 3 messages to Trash please"),
    ("form", "comment", "Please check\r\nclose the ticket when done"),
    ("form", "comment", "Table\r\nB2 close to A2 values"),
    ("form", "comment", "Drafts\r\nmy rights in the EU"),
    ("form", "comment", "Order labs STAT\r\nCBC and lipid panel"),
    ("form", "comment", "bob\r\napop culture quiz night"),
    ("form", "comment", "status\r\nAPOP is an old POP3 command"),
    ("form", "comment", "user\r\nid card number missing"),
    ("form", "comment", "Step 1\r\nA1 check the oil level\r\nA2 close the hood"),
    ("form", "comment", "namespace\r\nthe namespace is wrong"),
    ("form", "comment", "stat\r\nhp 20"),
    ("form", "comment", "Step 1\r\nThen unselect all options"),
    ("form", "comment", "Settings\r\nPlease subscribe me to the newsletter"),
    ("form", "comment", "Room 12\r\nA12 close to the lift"),
]


@pytest.mark.parametrize("carrier,key,value", MAIL_ATTACKS)
def test_imap_and_pop3_commands_after_a_line_break_are_mail_injection(engine, carrier, key, value):
    hits = hits_for(engine, carrier, value, key)
    assert strong(hits, lambda h: h.type == "mail_injection"), hits


@pytest.mark.parametrize("carrier,key,value", MAIL_BENIGN)
def test_mail_words_on_a_new_line_stay_clean(engine, carrier, key, value):
    hits = hits_for(engine, carrier, value, key)
    assert not strong(hits, lambda h: h.type == "mail_injection"), hits


# --- ptrav: the query parameters of a URL value (a Referer, a `next=` link) read as the values they are
PTRAV_URL_ATTACKS = [
    ("header:Referer", "", "http://attacker.example/?f=/proc/self/environ"),
    ("header:Referer", "", "https://victim.example/index.php?page=/etc/shadow"),
    ("header:Referer", "", "https://victim.example/view?file=%2Fetc%2Fpasswd&x=1"),
    ("header:Referer", "", "https://victim.example/dl?a=1&doc=/proc/1/maps"),
    ("header:Referer", "", "https://victim.example/?tpl=../../../../etc/hosts"),
    ("query", "next", "https://x.example/?file=/etc/passwd"),
]
PTRAV_URL_BENIGN = [
    ("header:Referer", "", "https://www.bing.com/search?q=/proc/self/environ"),
    ("header:Referer", "", "https://www.google.com/search?q=%2Fproc%2Fself%2Fenviron+explained"),
    ("header:Referer", "", "https://blog.example/?s=/etc/hosts"),
    ("header:Referer", "", "https://shop.example/p?path=/products/shoes&page=2"),
    ("header:Referer", "", "https://docs.example/view?topic=/var/log/myapp/app.log"),
    ("header:Referer", "", "https://explainshell.com/explain?cmd=cat+/etc/hosts"),
    ("query", "next", "https://shop.example/p?path=/account/orders"),
]


@pytest.mark.parametrize("carrier,key,value", PTRAV_URL_ATTACKS)
def test_sensitive_file_in_a_url_parameter_is_path_traversal(engine, carrier, key, value):
    hits = hits_for(engine, carrier, value, key)
    assert strong(hits, lambda h: h.type == "ptrav"), hits


@pytest.mark.parametrize("carrier,key,value", PTRAV_URL_BENIGN)
def test_search_terms_and_app_paths_in_a_url_stay_clean(engine, carrier, key, value):
    hits = hits_for(engine, carrier, value, key)
    assert not strong(hits, lambda h: h.type == "ptrav"), hits


# --- java: the serialization magic base64-encoded after leading bytes (each of the three byte alignments)
_HASHSET = (b"\xac\xed\x00\x05sr\x00\x11java.util.HashSet\xbaD\x85\x95\x96\xb8\xb74\x03\x00\x00xpw\x0c\x00\x00\x00"
            b"\x10?@\x00\x00\x00\x00\x00\x01sr\x00\x0cjava.net.URL")


@pytest.mark.parametrize("prefix", [b"", b"\x00", b"\x01\x02", b"\x00\x00\x00", b"\x05\x00\x00\x01", b"\x02" * 5,
                                    b"\x07" * 9, b"\x00" * 16])
@pytest.mark.parametrize("carrier,key", [("header:X-Auth-Token", ""), ("cookie", "session"), ("query", "state"),
                                         ("json", "token")])
@pytest.mark.parametrize("enc", [base64.b64encode, base64.urlsafe_b64encode])
def test_java_serialization_base64_after_leading_bytes(engine, prefix, carrier, key, enc):
    hits = hits_for(engine, carrier, enc(prefix + _HASHSET).decode(), key)
    assert strong(hits, lambda h: h.rule.startswith("java:serialized")), hits


def test_random_base64_tokens_carry_no_java_serialization(engine):
    rnd = random.Random(12)
    for _ in range(300):
        v = base64.b64encode(rnd.randbytes(rnd.randint(16, 400))).decode()
        hits = hits_for(engine, "cookie", v, "sid")
        assert not [h for h in hits if h.rule.startswith("java:serialized")], v


def test_serialization_stem_deep_inside_a_token_is_not_a_stream_start(engine):
    # the shifted stems only count near the start of a base64 token, where a deserializer reads
    v = "QUJD" * 40 + "AKztAAVzcgAR" + "QUJD" * 10
    hits = hits_for(engine, "cookie", v, "sid")
    assert not [h for h in hits if h.rule.startswith("java:serialized")], hits


# --- code (node:dos_loop): an always-true object or string as a loop condition
DOS_ATTACKS = [("query", "filter", "while(new Date){}"), ("json", "$where", "while (new Date()) {}"),
               ("query", "filter", "while(new Object);"), ("query", "filter", 'while("x"){}'),
               ("form", "where", "function(){while(new Date){}}")]
DOS_BENIGN = [("query", "q", "while (new Date() - start < 1000) {}"), ("query", "q", "while(new Date() < deadline) { poll(); }"),
              ("query", "q", "while new date loop javascript"), ("form", "comment", "while(new Date) loop explained"),
              ("query", "q", "while (new Date().getTime() < end) {}")]


@pytest.mark.parametrize("carrier,key,value", DOS_ATTACKS)
def test_always_true_object_loop_is_dos(engine, carrier, key, value):
    assert verdict(hits_for(engine, carrier, value, key)) == "attack"


@pytest.mark.parametrize("carrier,key,value", DOS_BENIGN)
def test_bounded_or_named_loops_stay_clean(engine, carrier, key, value):
    hits = hits_for(engine, carrier, value, key)
    assert not strong(hits, lambda h: h.rule == "node:dos_loop"), hits


# --- xss in a request header: markup with attributes that a log viewer renders
HEADER_TAG_ATTACKS = [("header:User-Agent", "<img src=//attacker.example/ua.png>"),
                      ("header:User-Agent", "Mozilla/5.0 <img src=x.png>"),
                      ("header:X-Client-Name", '<iframe src="https://www.youtube.com/embed/x"></iframe>'),
                      ("header:User-Agent", '<svg><path d="M0 0"/></svg>')]
HEADER_TAG_BENIGN = [("header:User-Agent", "Mozilla/5.0 (compatible; MyBot/1.0; <admin@example.com>)"),
                     ("header:User-Agent", "Wget/1.21 <http://example.com/bot.html>"),
                     ("header:Link", "<https://cdn.example/a.css>; rel=preload; as=style"),
                     ("header:Referer", "https://shop.example/?q=<img src=x.png>"),
                     ("form", '<img src="/media/a.png" alt="our shop">'), ("json", "<img src=https://cdn.example/x.png>")]


@pytest.mark.parametrize("carrier,value", HEADER_TAG_ATTACKS)
def test_html_tag_in_a_request_header_is_xss(engine, carrier, value):
    hits = hits_for(engine, carrier, value)
    assert strong(hits, lambda h: h.type == "xss"), hits


@pytest.mark.parametrize("carrier,value", HEADER_TAG_BENIGN)
def test_angle_addresses_and_body_pictures_stay_clean(engine, carrier, value):
    hits = hits_for(engine, carrier, value)
    assert not strong(hits, lambda h: h.type == "xss"), hits


# --- php:superglobal: named among plain words is a search about PHP; with code punctuation it is code
SUPERGLOBAL_BENIGN = [("query", "q", "php $_SERVER HTTP_HOST empty"), ("query", "q", "$_POST vs $_GET php"),
                      ("form", "comment", "why is $_FILES empty when uploading large files"),
                      ("query", "q", "what is $_REQUEST"), ("query", "q", "$_SESSION lost after redirect")]
SUPERGLOBAL_ATTACKS = [("query", "q", "$_SERVER[HTTP_HOST]"), ("query", "q", "echo $_SERVER;"), ("query", "q", "{$_ENV}"),
                       ("query", "c", "print_r($_SERVER)"), ("query", "c", "$_GET[0]($_GET[1])"), ("cookie", "x", "@$_GET"),
                       ("query", "q", "`$_GET`"), ("form", "comment", "x=$_COOKIE"), ("query", "v", "$_COOKIE"),
                       ("query", "v", " $_SERVER ")]


@pytest.mark.parametrize("carrier,key,value", SUPERGLOBAL_BENIGN)
def test_superglobal_named_in_a_search_is_reported_only(engine, carrier, key, value):
    hits = hits_for(engine, carrier, value, key)
    assert not strong(hits, lambda h: h.rule == "php:superglobal"), hits
    assert any(h.type == "rce" for h in hits), hits  # still reported (the engine keeps one finding per type)


@pytest.mark.parametrize("carrier,key,value", SUPERGLOBAL_ATTACKS)
def test_superglobal_in_code_stays_caught(engine, carrier, key, value):
    hits = hits_for(engine, carrier, value, key)
    assert strong(hits, lambda h: h.rule == "php:superglobal"), hits


# --- rfi:trailing_question: a link field holding a site or page (no file) vs an include target
RFI_Q_BENIGN = [("form", "website", "https://mysite.com/?"), ("form", "homepage", "http://jane.example/blog?"),
                ("json", "link", "https://example.org/about-us/?"), ("form", "url", "https://mysite.com?"),
                ("form", "website_url", "https://shop.jane.example/?")]
RFI_Q_ATTACKS = [("form", "website", "http://evil.example/shell.txt?"), ("form", "website", "http://evil.example/x.php?"),
                 ("query", "page", "https://mysite.com/?"), ("query", "file", "http://evil.example/?"),
                 ("query", "q", "http://evil.example/?"), ("query", "url", "http://evil.example/c99.txt?"),
                 ("query", "source", "http://evil.example/shell?"), ("query", "template", "http://evil.example/?"),
                 ("form", "website", "http://203.0.113.5/?")]


@pytest.mark.parametrize("carrier,key,value", RFI_Q_BENIGN)
def test_own_site_url_with_a_trailing_question_mark_is_reported_only(engine, carrier, key, value):
    hits = hits_for(engine, carrier, value, key)
    assert not strong(hits, lambda h: h.type == "rfi"), hits


@pytest.mark.parametrize("carrier,key,value", RFI_Q_ATTACKS)
def test_trailing_question_include_targets_stay_caught(engine, carrier, key, value):
    hits = hits_for(engine, carrier, value, key)
    assert strong(hits, lambda h: h.type == "rfi"), hits


# --- ssrf: a scheme-less loopback host and plain path as the subject of a sentence
SSRF_PROSE_BENIGN = [("query", "q", "localhost/wordpress not loading"),
                     ("query", "q", "localhost/phpmyadmin access denied for user root"),
                     ("form", "message", "127.0.0.1/admin shows a blank page?"),
                     ("query", "q", "localhost/dashboard is slow")]
SSRF_PROSE_ATTACKS = [("query", "q", "localhost/wordpress"), ("query", "url", "localhost/admin"),
                      ("query", "url", "localhost/admin/delete?user=1 thanks"), ("query", "url", "127.0.0.1/admin"),
                      ("query", "url", "localhost:6379/ x"), ("query", "url", "http://localhost/admin not loading")]


@pytest.mark.parametrize("carrier,key,value", SSRF_PROSE_BENIGN)
def test_loopback_path_named_in_a_sentence_is_reported_only(engine, carrier, key, value):
    hits = hits_for(engine, carrier, value, key)
    assert not strong(hits, lambda h: h.type == "ssrf"), hits


@pytest.mark.parametrize("carrier,key,value", SSRF_PROSE_ATTACKS)
def test_loopback_fetch_targets_stay_caught(engine, carrier, key, value):
    hits = hits_for(engine, carrier, value, key)
    assert strong(hits, lambda h: h.type == "ssrf"), hits


# --- rfi:data_uri: a data URI needs a comma before its data; the scheme and media type followed by words carry none
# (a bare `data:text/plain` token is the scheme probe and stays caught)
DATA_PHRASES = [("query", "q", "data:image/png;base64 in css background"), ("query", "q", "data:text/plain;base64 vs utf8"),
                ("query", "q", "data:application/json how to parse"), ("form", "comment", "data:image/svg+xml vs url encoding")]
DATA_ATTACKS = [("query", "page", "data:text/html,<script>alert(1)</script>"),
                ("query", "file", "data:text/plain;base64,PD9waHAgc3lzdGVtKCdpZCcpOz8+"),
                ("query", "page", 'data:,<?php system("id");?>'), ("query", "q", "data:text/plain,hello"),
                ("query", "ssrf", "data:text/plain"), ("query", "q", "data:text/plain;base64")]


@pytest.mark.parametrize("carrier,key,value", DATA_PHRASES)
def test_data_uri_without_data_is_reported_only(engine, carrier, key, value):
    hits = hits_for(engine, carrier, value, key)
    assert not strong(hits, lambda h: h.type == "rfi"), hits


@pytest.mark.parametrize("carrier,key,value", DATA_ATTACKS)
def test_data_uri_with_data_stays_caught(engine, carrier, key, value):
    hits = hits_for(engine, carrier, value, key)
    assert strong(hits, lambda h: h.type == "rfi"), hits
