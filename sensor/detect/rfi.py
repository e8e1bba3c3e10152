"""Remote file inclusion: URLs (or scheme tricks) in parameters that name code to include."""
from __future__ import annotations

import base64
import binascii
import re

from sensor.detect.base import Finding

TYPE = "rfi"
TRIGGERS = [r"^\s*(?:file|ftps?|https?)\?\s*$", r"^\s*data:", r"local_file:",r"(?:https?|ftps?|file|php|data|expect|gopher|dict|smb|sftp|tftp|ldap|jar|zip|phar|compress\.\w+|ogg|rar|ssh2|glob)\s*:", r"\\\\[a-z0-9]"]

_URL = re.compile(r"^\s*(?:(?:https?|ftps?|file|smb|sftp|tftp|webdav|jar)\s*:\s*/{0,3}|\\\\)(?:[^@/\s]*@)?(\[[0-9a-f:.]+\]|[^/?#\s\\:]*)(?::\d+)?([^?#\s]*)(\?[^#]*)?", re.I)
_URL_PARAMS = {"url", "uri", "link", "href", "redirect", "redirect_uri", "redirect_url", "next", "return", "returnurl",
               "return_to", "returnto", "callback", "site", "website", "homepage", "target", "dest", "destination",
               "continue", "goto", "image", "img", "avatar", "feed", "referer", "referrer", "origin", "source"}
_FILE_SCHEME = re.compile(r"^\s*(?:url:)?(?:local_)?file:/", re.I)
_DATA_URI = re.compile(r"^\s*data:(?:[a-z]+/[a-z0-9.+\-]+|[;,])", re.I)
_IPV4 = re.compile(r"^\d{1,3}(?:\.\d{1,3}){3}$")
_SCRIPT_EXT = re.compile(r"\.(?:php\d?|phtml|inc|txt|asp|aspx|jsp|pl|cgi|sh|py|rb|js|gif\?|jpg\?|dat|log)$", re.I)
_INCLUDE_PARAM = re.compile(r"(?:^|[_\[.])(?:include|inc|file|path|page|template|tpl|dir|module|mod|conf|config|absolute_path|root|load|folder|lang|layout|theme|skin|class|mosconfig\w*|_conf)(?:$|[\]_.])", re.I)


_IMAGE_DATA = re.compile(r"^\s*data:image/(png|jpe?g|gif|webp|bmp|x-icon|vnd\.microsoft\.icon|avif);base64,([a-z0-9+/]{8,})", re.I)
_IMAGE_MAGIC = {"png": b"\x89PNG", "jpg": b"\xff\xd8\xff", "jpeg": b"\xff\xd8\xff", "gif": b"GIF8", "webp": b"RIFF",
                "bmp": b"BM", "x-icon": b"\x00\x00\x01\x00", "vnd.microsoft.icon": b"\x00\x00\x01\x00", "avif": b"\x00\x00\x00"}


def _image_data(value: str) -> bool:
    """A base64 data URI whose bytes start with the magic of the image type it declares. PHP's data: wrapper would run
    code in any media type, so the declared type alone proves nothing; the bytes do."""
    m = _IMAGE_DATA.match(value)
    if m is None:
        return False
    head = m.group(2)[:16]
    try:
        raw = base64.b64decode(head[: len(head) // 4 * 4])
    except (binascii.Error, ValueError):
        return False
    return raw.startswith(_IMAGE_MAGIC[m.group(1).lower()])


def analyze(value: str, param: str = "", host: str = "") -> Finding | None:
    if _FILE_SCHEME.match(value):
        return Finding(TYPE, "rfi:file_scheme", 0.85)
    if _DATA_URI.match(value):
        if _image_data(value):
            return Finding(TYPE, "rfi:data_uri", 0.3)  # an inline picture (avatars, pasted images): reported only
        return Finding(TYPE, "rfi:data_uri", 0.7)
    m = _URL.match(value)
    if not m:
        m2 = re.match(r"^\s*(?:file|ftps?|https?|php|data)\s*\?\s*$", value, re.I)
        if m2:
            return Finding(TYPE, "rfi:scheme_question", 0.85)
        return None
    h, path, query = (m.group(1) or "").lower(), m.group(2) or "", m.group(3)
    scheme = value.strip().split(":", 1)[0].lower()
    if value.strip().startswith("\\\\"):
        if re.match(r"^\s*\\\\[a-z0-9][a-z0-9.\-]+\\[^\\]", value, re.I):
            return Finding(TYPE, "rfi:unc_path", 0.85)
        return None
    if _IPV4.match(h) or h.startswith("["):
        return Finding(TYPE, "rfi:ip_host", 0.9)
    if query is not None and query in ("?",) or value.rstrip().endswith("?"):
        return Finding(TYPE, "rfi:trailing_question", 0.9)
    if scheme in ("file", "ftp", "ftps", "smb", "sftp", "tftp", "jar"):
        return Finding(TYPE, "rfi:remote_scheme", 0.85)
    if param and _INCLUDE_PARAM.search(param):
        return Finding(TYPE, "rfi:include_param", 0.85)
    if _SCRIPT_EXT.search(path):
        return Finding(TYPE, "rfi:remote_script", 0.7)
    if "@" in path:
        return Finding(TYPE, "rfi:userinfo_confusion", 0.7)
    if not host and h and "://" in value[:12]:
        return Finding(TYPE, "rfi:offsite_url", 0.3 if param.lower() in _URL_PARAMS else 0.45)
    own = host.lower().split(":")[0]
    if own and h and "://" in value[:12] and own != "localhost" and h != own and not h.endswith("." + own) and own in h:
        return Finding(TYPE, "rfi:host_confusion", 0.6)  # example.com.evil.example / evilexample.com pose as this site
    if host and h and "://" in value[:12] and not (h == own or h.endswith("." + own)):
        plain = param.lower() in _URL_PARAMS
        return Finding(TYPE, "rfi:offsite_url", 0.3 if plain else 0.45)
    return None
