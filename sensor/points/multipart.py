"""multipart/form-data parser: field values, file names and part headers; nested bodies by part content type."""
from __future__ import annotations

import re
from typing import Final

from sensor.points.extraction import Extraction, PathItem
from sensor.points.decoders import bytes_to_text

_PARAM: Final = re.compile(r';\s*([A-Za-z0-9_*\-]+)\s*=\s*("(?:[^"\\]|\\.)*"|[^;]*)')
_DISPOSITIONS: Final = {"form-data", "attachment", "inline", "file", ""}


def params(header_value: str) -> dict[str, str]:
    out = {}
    for k, v in _PARAM.findall(header_value):
        v = v.strip()
        if v[:1] == '"' and v[-1:] == '"':
            v = v[1:-1]
        out[k.lower()] = v
    return out


# formats that are binary by their magic bytes: a real image, document or archive is never read as text
_BINARY_MAGIC: Final = (b"%PDF-", b"\x89PNG", b"\xff\xd8\xff", b"PK\x03\x04", b"\xd0\xcf\x11\xe0", b"\x1f\x8b", b"RIFF",
                        b"\x00\x00\x00", b"BM", b"II*\x00", b"MM\x00*", b"7z\xbc\xaf", b"Rar!", b"OggS", b"ID3", b"fLaC")


def _inspect_upload(ptype: str, content: bytes) -> bool:
    """Is an uploaded file's content inspected? Text, JSON and XML types (SVG, XHTML, RSS: `+xml`) always are; a file
    declared binary is too when it is not one — no known magic and no NUL byte in its first 4 KiB (a PHP shell or a
    `GIF89a;<?php …` polyglot sent as image/jpeg is text, a real image is not)."""
    t = ptype.lower().split(";", 1)[0].strip()
    if t.startswith("text/") or t.endswith(("/json", "/xml", "+xml", "+json")):
        return True
    return not content.startswith(_BINARY_MAGIC) and b"\x00" not in content[:4096]


def _head_lines(head: str, most: int) -> list[str]:
    """The lines `head.splitlines()` gives, as far as the first `most` + 1 (all a part may read): the head is cut after
    that many newlines first (splitting 4 MB of `X: y` lines made 700,000 strings for the 2,048 a part may read)."""
    cut = -1
    for _ in range(most + 1):
        cut = head.find("\n", cut + 1)
        if cut < 0:
            return head.splitlines()
    return head[:cut + 1].splitlines()


def parse(ex: Extraction, path: list[PathItem], body: bytes, content_type: str, depth: int = 0) -> bool:
    """Split on the boundary; returns False when the body is not well-formed multipart."""
    from sensor.points import body as bodyp

    boundary = params(content_type).get("boundary", "")
    if not boundary:
        return False
    delim = b"--" + boundary.encode("latin-1", "replace")
    chunks = body.split(delim)
    if len(chunks) < 2:
        return False
    ok = chunks[-1].startswith(b"--")
    for n, chunk in enumerate(chunks[1:]):
        if chunk.startswith(b"--") or ex.full():
            break
        if chunk.startswith(b"\r\n"):
            chunk = chunk[2:]
        elif chunk.startswith(b"\n"):
            chunk = chunk[1:]
        head, sep, content = chunk.partition(b"\r\n\r\n")
        if not sep:
            head, sep, content = chunk.partition(b"\n\n")
        if content.endswith(b"\r\n"):
            content = content[:-2]
        elif content.endswith(b"\n"):
            content = content[:-1]
        hdrs: list[tuple[str, str]] = []
        for i, line in enumerate(_head_lines(bytes_to_text(head), ex.limits.max_params)):
            if i >= ex.limits.max_params:
                ex.over("params")  # (a part may carry a million header lines: a point each at most)
                break
            k, c, v = line.partition(":")
            if c:
                hdrs.append((k.strip(), v.strip()))
        disp = next((v for k, v in hdrs if k.lower() == "content-disposition"), "")
        ptype = next((v for k, v in hdrs if k.lower() == "content-type"), "")
        dp = params(disp)
        name = dp.get("name", str(n))
        ppath = path + [name]
        if name and not name.replace("_", "").replace("-", "").isalnum():
            ex.add(ppath + ["#key"], name, depth + 1)
        for k, v in hdrs:
            if ex.full():
                break
            # a disposition is a point when it has more than name/filename, or text its parameters don't account for
            # (`filename=""><img …>.jpg"` ends the quoted name early and leaves the markup outside every parameter)
            if k.lower() != "content-disposition" or set(params(v)) - {"name", "filename", "filename*"} \
                    or _PARAM.sub("", v).strip().lower() not in _DISPOSITIONS:
                ex.add(ppath + ["header", k.upper()], v, depth + 1)
        if "filename" in dp or "filename*" in dp:
            ex.add(ppath + ["filename"], dp.get("filename") or dp.get("filename*", ""), depth + 1)
            if content.startswith(b"PK\x03\x04"):
                _zip_members(ex, ppath + ["zip"], content, depth + 1)
                continue
            if content.startswith(b"AT&TFORM"):
                # a DjVu file, whatever its name says: ExifTool (GitLab CVE-2021-22205, CVE-2021-22204) evaluates its
                # plain-text annotation chunk (ANTa) as Perl — the chunk's text is the point
                ex.add(ppath + ["djvu"], bytes_to_text(content[:ex.limits.max_value]).replace("\x00", " "), depth + 1)
                continue
            if ptype and not _inspect_upload(ptype, content):
                continue  # binary upload: only its name and headers are inspected
        if not sep:
            continue
        if ptype.lower().startswith("application/http"):
            _embedded_request(ex, ppath + ["http"], content, depth + 1)
            continue
        bodyp.parse_declared(ex, ppath, content, ptype, depth + 1)
    return ok


# Members of an uploaded archive read as text: an Office document's XML parts (where an XXE hides in
# `[Content_Types].xml` or `word/document.xml`), SVG and HTML, scripts a web server would run.
_ZIP_TEXT: Final = re.compile(r"\.(?:xml|rels|svg|html?|xhtml|txt|csv|json|php\d?|phtml|jsp|jspx|aspx?|ashx|sh|py|pl|rb|js)$", re.I)
_ZIP_MEMBERS: Final = 64  # members looked at per archive


def _zip_members(ex: Extraction, path: list[PathItem], content: bytes, depth: int) -> None:
    """The text members of an uploaded zip (`.docx`, `.xlsx`, `.jar`…) as points, within the decoded-size budget: a
    member's declared size is not trusted (a bomb lies), at most what the budget has left is inflated."""
    import io
    import zipfile

    from sensor.points import body as bodyp

    try:
        zf = zipfile.ZipFile(io.BytesIO(content))
        infos = zf.infolist()[:_ZIP_MEMBERS]
    except (zipfile.BadZipFile, ValueError, OSError, EOFError, NotImplementedError):
        ex.add(path[:-1], bytes_to_text(content[:4096]), depth)  # not a readable archive: its head as raw text
        return
    for info in infos:
        ex.add(path + [info.filename, "#key"], info.filename, depth)  # `../../shell.jsp`: a Zip Slip entry
        if info.is_dir() or not _ZIP_TEXT.search(info.filename):
            continue
        room = min(ex.limits.max_value, ex.limits.max_decoded - ex.decoded)
        if room <= 0:
            ex.over("decoded_size")
            return
        try:
            with zf.open(info) as fh:
                data = fh.read(room + 1)
        except (zipfile.BadZipFile, ValueError, OSError, EOFError, NotImplementedError, RuntimeError):
            continue  # encrypted or damaged member: its name is all there is
        if len(data) > room:
            ex.over("decoded_size")
            data = data[:room]
        ctype = "application/xml" if info.filename.lower().endswith((".xml", ".rels", ".svg", ".xhtml")) else "text/plain"
        bodyp.parse_typed(ex, path + [info.filename], data, ctype, depth + 1)


def _embedded_request(ex: Extraction, path: list[PathItem], content: bytes, depth: int) -> None:
    """A request inside a batch (OData `$batch`, Google and SharePoint batch APIs: parts of type application/http):
    its target, query, headers and body are points of their own, read as the server reads the sub-request."""
    from sensor.detect.rawrequest import parse_raw
    from sensor.points import body as bodyp, query

    sub = parse_raw(content, ex.limits.max_body)
    target, _, qs = sub.target.partition("?")
    ex.add(path + ["target"], target, depth)
    if qs:
        query.parse(ex, path + ["get"], qs, depth)
    for k, v in sub.headers:
        ex.add(path + ["header", k.upper()], v, depth)
    if sub.body:
        ctype = next((v for k, v in sub.headers if k.lower() == "content-type"), "")
        bodyp.parse_declared(ex, path + ["post"], sub.body, ctype, depth + 1)
