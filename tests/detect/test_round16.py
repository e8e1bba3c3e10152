"""Fix round 16 (blind batches zd and benign_15): ASP and JSP upload names as servers cut them, WebDAV's Destination,
Markdown bold before a glob, and a doctype that wraps no script or event handler."""
from __future__ import annotations

import pytest

from sensor.detect import Engine, rce, verdict, xss
from sensor.detect.rawrequest import parse_raw


@pytest.fixture(scope="module")
def engine() -> Engine:
    return Engine()


def _upload(name: str) -> object:
    body = (f'--b1\r\nContent-Disposition: form-data; name="file"; filename="{name}"\r\n'
            "Content-Type: image/png\r\n\r\n\x89PNG\r\n--b1--\r\n").encode("latin-1")
    return parse_raw(b"POST /account/uploads HTTP/1.1\r\nHost: shop.example\r\n"
                     b"Content-Type: multipart/form-data; boundary=b1\r\nContent-Length: %d\r\n\r\n" % len(body) + body)


@pytest.mark.parametrize("name", ["cmd.asp;.jpg", "upload.asp:.jpg", "shell.aspx", "handler.ashx.", "cmd.jsp%20",
                                  "status.jsp;.png", "x.jspx ", "shell.php%20", "shell.phtml;.gif"])
def test_script_upload_names_as_servers_cut_them(engine, name):
    hits = engine.inspect(_upload(name))
    assert verdict(hits) == "attack" and any(h.rule.startswith("upload:") for h in hits), (name, hits)


@pytest.mark.parametrize("name", ["aspect-ratio.png", "jasper.jpg", "grasp.pdf", "certificate.cer", "report.asp-notes.txt",
                                  "jsp-tutorial.pdf", "holiday photo.jpg"])
def test_ordinary_upload_names_stay_clean(engine, name):
    assert verdict(engine.inspect(_upload(name))) == "clean", name


def test_webdav_destination_naming_a_script(engine):
    def move(dest: str) -> object:
        return parse_raw(f"MOVE /uploads/shell.txt HTTP/1.1\r\nHost: app.example\r\nDestination: {dest}\r\n"
                         "Overwrite: T\r\nContent-Length: 0\r\n\r\n".encode())
    assert verdict(engine.inspect(move("http://app.example/uploads/shell.asp;.txt"))) == "attack"
    assert verdict(engine.inspect(move("http://app.example/uploads/notes-2024.txt"))) == "clean"


def test_markdown_bold_is_no_glob():
    assert rce.analyze("**Describe the bug**\nThe date picker is wrong\n\n**To Reproduce**\n1. Go to settings") is None
    for value in (";**id", ";*whoami", "; *oami"):
        found = rce.analyze(value)
        assert found is not None and found.score >= 0.5, value


def test_a_doctype_counts_around_a_script_or_an_event_handler_only():
    email = ('<!DOCTYPE html><html><head><title>Receipt</title></head><body><table><tr><td style="font-family:Arial">'
             "Thank you for your order</td></tr></table><!--[if mso]><xml></xml><![endif]--></body></html>")
    found = xss.analyze(email)
    assert found is None or found.rule != "xss:cdata", found
    for value in ("<!DOCTYPE html><html><body onload=alert(1)>", "<![CDATA[<script>alert(1)</script>]]>"):
        found = xss.analyze(value)
        assert found is not None and found.score >= 0.5, value
