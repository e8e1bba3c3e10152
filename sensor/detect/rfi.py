"""Remote file inclusion: URLs (or scheme tricks) in parameters that name code to include."""
from __future__ import annotations

import base64
import binascii
import re

from sensor.detect.base import Finding

TYPE = "rfi"
TRIGGERS = [r"^\s*(?:file|ftps?|https?)\?\s*$", r"^\s*data:", r"local_file:",r"(?:https?|ftps?|file|php|data|expect|gopher|dict|smb|sftp|tftp|ldap|jar|zip|phar|compress\.\w+|ogg|rar|ssh2?(?:\.\w+)?|glob)\s*:", r"\\\\[a-z0-9]",
            r"^\s*//[a-z0-9\[]", r"^\s*(?:url:|jar:)?[a-z][a-z0-9+.\-]{1,15}://"]

_URL = re.compile(r"^\s*(?:(?:https?|ftps?|file|smb|sftp|tftp|webdav|jar|ssh)\s*:\s*/{0,3}|\\\\|//(?=[a-z0-9\[]))(?:[^@/\s]*@)?(\[[0-9a-f:.]+\]|[^/?#\s\\:]*)(?::\d+)?([^?#\s]*)(\?[^#]*)?", re.I)
_URL_PARAMS = {"url", "uri", "link", "href", "redirect", "redirect_uri", "redirect_url", "next", "return", "returnurl",
               "return_to", "returnto", "callback", "site", "website", "homepage", "target", "dest", "destination",
               "continue", "goto", "image", "img", "avatar", "feed", "referer", "referrer", "origin", "source"}
# `file:` followed by a path (`file:///etc/passwd`, `file:/c:/x`), not `file:// urls in chrome`
_FILE_SCHEME = re.compile(r"^\s*(?:url:)?(?:local_)?file:/+[^\s/]", re.I)
_THEN_PROSE = re.compile(r"^\s*\S+\s+[a-z]{2,}(?:\s+[a-z]{2,})*[.?!]?\s*$", re.I)
_DATA_URI = re.compile(r"^\s*data:(?://)?(?:[a-z]+/[a-z0-9.+\-]+|[;,])", re.I)
# PHP stream wrappers that read local files, request bodies or archives, or run commands (php.net "Supported Protocols
# and Wrappers"): `php://filter/.../resource=`, `php://input`, `expect://id`, `zip://a.zip#x.php`, `phar://x.jpg/y`.
_WRAPPER = re.compile(r"^\s*(?:php://(?:filter|input|fd|memory|temp|stdin)|(?:expect|zip|phar|glob|ogg|rar|compress\.(?:zlib|bzip2)|"
                      r"ssh2\.(?:shell|exec|tunnel|sftp|scp))://)\S*$", re.I)
# PHP's include/require statement or call on a remote URL (`include('http://…')`, `require_once "ftp://…"`; CRS 4
# 931110 also allows a vertical tab before the parenthesis): code that loads code from elsewhere.
_INCLUDE_CALL = re.compile(r"\b(?:include|require)(?:_once)?[\s\x0b]*(?:\([\s\x0b]*['\"]?|['\"])(?:https?|ftps?|file|data|php|expect|phar|zip)://", re.I)
_PHP_TAG = re.compile(r"<\?(?:php|=|\s)", re.I)
_IPV4 = re.compile(r"^\d{1,3}(?:\.\d{1,3}){3}$")
# Extensions an include() runs or a web shell is served as; `.js` is left out: an off-site script URL in a parameter is
# a CMS's CDN setting far more often than an inclusion (nothing server-side includes JavaScript from a URL).
_SCRIPT_EXT = re.compile(r"\.(?:php\d?|phtml|inc|txt|asp|aspx|jsp|pl|cgi|sh|py|rb|gif\?|jpg\?|dat|log)$", re.I)
_INCLUDE_PARAM = re.compile(r"(?:^|[_\[.])(?:include|inc|file|path|page|template|tpl|dir|module|mod|conf|config|absolute_path|root|load|folder|lang|language|layout|theme|skin|class|mosconfig\w*|_conf)(?:$|[\]_.])", re.I)
# `\\host\share`, `\\host@SSL\DavWWWRoot\x` (WebDAV over UNC), `\\host@8080\x`
_UNC = re.compile(r"^\s*\\\\[a-z0-9][a-z0-9.\-_]*(?:@[a-z0-9]+)*\\[^\\]", re.I)
# Windows' administrative shares (`C$`, `ADMIN$`, `IPC$`): the whole disk or the system folder of the host.
_ADMIN_SHARE = re.compile(r"^\s*\\\\[^\\]+\\[a-z]*\$(?:\\|$)", re.I)


_IMAGE_DATA = re.compile(r"^\s*data:image/(png|jpe?g|gif|webp|bmp|x-icon|vnd\.microsoft\.icon|avif|svg\+xml);base64,([a-z0-9+/]{8,}=*)", re.I)
_IMAGE_MAGIC = {"png": b"\x89PNG", "jpg": b"\xff\xd8\xff", "jpeg": b"\xff\xd8\xff", "gif": b"GIF8", "webp": b"RIFF",
                "bmp": b"BM", "x-icon": b"\x00\x00\x01\x00", "vnd.microsoft.icon": b"\x00\x00\x01\x00", "avif": b"\x00\x00\x00",
                "svg+xml": b"<"}


def _b64(text: str) -> bytes:
    try:
        return base64.b64decode(text[: len(text) // 4 * 4])
    except (binascii.Error, ValueError):
        return b""


def _image_data(value: str) -> bool:
    """A base64 data URI whose bytes start with the magic of the image type it declares and carry no PHP tag. PHP's
    data: wrapper would run code in any media type, so the declared type alone proves nothing; the bytes do."""
    m = _IMAGE_DATA.match(value)
    if m is None:
        return False
    raw = _b64(m.group(2)[:4096])
    return raw.lstrip().startswith(_IMAGE_MAGIC[m.group(1).lower()]) and _PHP_TAG.search(raw.decode("latin-1")) is None


# `http://good.example%2f:x@evil.example/`: an `@host` in the first path segment is a second authority for parsers
# that decode `%2f` late or take the last `@` (`/webhook/abc@def/...`, `/@jane/post` name no host there).
_SECOND_AUTHORITY = re.compile(r"^/[^/@]*@(?:[^/@]*@)*(?:\[[0-9a-f:.]+\]|[a-z0-9\-]+(?:\.[a-z0-9\-]+)+)(?:[:/?#]|$)", re.I)


def _own_host_confusion(h: str, own: str) -> bool:
    """`shop.example.evil.example`, `shop.example-login.evil.example`: this site's name followed by more labels, the
    classic look-alike; `my-shop.example` (a name that merely ends the same way) is someone else's site."""
    i = h.find(own)
    while i >= 0:
        end = i + len(own)
        # two more labels (`shop.example.evil.example`) or a dash (`shop.example-login.evil.example`); one more label
        # (`shop.example.com`) is usually the same brand under another TLD
        if (i == 0 or h[i - 1] in ".-") and end < len(h) and not h.endswith("." + own) and (
                h[end] == "-" or h[end] == "." and h.count(".", end + 1) >= 1):
            return True
        i = h.find(own, i + 1)
    return False


# A scheme name, a colon and a blank: a label in prose (`file: report.pdf`, `ftp: use sftp instead`), not a URL.
_SCHEME_LABEL = re.compile(r"^\s*[a-z][a-z0-9+.\-]*\s*:\s+[^\s/\\]", re.I)
# Words of a parameter name (`GALLERY_BASEDIR`, `path[docroot]`, `rootPath`) and the ones that name a place code is
# loaded from. Vocabulary from the parameter names of public RFI advisories (CRS 931110's list, exploit-db RFI PoCs):
# `*dir`, `*path`, `*root` compounds (basedir, docroot, abspath, phpbb_root_path, includedir, libdir, sourcedir).
_PARAM_WORDS = re.compile(r"[A-Z]?[a-z0-9]+|[A-Z]+(?![a-z])")
_PLACE_SUFFIX = ("dir", "path", "root")
_NOT_PLACE = {"redir", "nadir", "xpath", "jsonpath"}
# The last label of a scheme-relative "host" that is a file extension (`//index.php`): a doubled slash, not a host.
_FILE_LABEL = re.compile(r"\.(?:php\d?|phtml|html?|js|css|txt|jpe?g|png|gif|svg|ico|json|xml|aspx?|jsp|inc|cgi)$", re.I)
# A URL as a segment of a path (`/index.php/http://evil.example/shell.txt`, CRS v4 931131); not inside the query of
# a relative URL (`/authorize?redirect_uri=https://…`), whose parameters are the target app's business.
_EMBEDDED = re.compile(r"(?<=/)(?:https?|ftps?|file|smb)://", re.I)


# URL schemes of CRS 4 rule 931130 (off-domain reference, the scheme list of its regex) beyond those _URL reads, plus
# WebDAV; `s3` is left out: data tools take `path=s3://bucket/key` as their normal input.
_ANY_SCHEME = re.compile(
    r"^\s*(?:jar:)?(acap|afp|afs|attachment|beshare|bitcoin|blob|callto|cap|cid|cvs|dav|dict|dns|dntp|ed2k|fd|feed|finger|fish|git|"
    r"go|gopher|h323|iax|icap|imaps?|ipps?|irc[6s]?|jabber|ldap[is]?|maven|mms|mumble|netdoc|news|nfs|nntps?|paparazzi|pop2|"
    r"pop3s?|pres|proxy|psyc|rmi|rsync|rtm|rtmf?p|sips?|smb|sms|smtps?|snews|snmp|ssh|svn(?:\+ssh)?|teamspeak|telnet|turns?|udp|"
    r"unreal|ut2004|ventrilo|vnc|webcal|webdav|wss?|xmpp|xri)://(?:[^@/\s]*@)?(\[[0-9a-f:.]+\]|[^/?#\s\\:]+)", re.I)


def _own(h: str, host: str) -> bool:
    own = host.lower().split(":")[0]
    return bool(own) and (h == own or h.endswith("." + own))


def _include_param(param: str) -> bool:
    if _INCLUDE_PARAM.search(param):
        return True
    for w in _PARAM_WORDS.findall(param):
        w = w.lower()
        if w.endswith(_PLACE_SUFFIX) and w not in _NOT_PLACE:
            return True
    return False


# Image operations in the segments of a thumbnailing route before the source URL: thumbor and imagor (`300x200`,
# `fit-in`, `smart`, `filters:quality(80)`, `unsafe`), imgproxy (`rs:fill:300:200`, `plain`, `insecure`), Cloudinary
# fetch (`w_400,h_300,c_fill`), Cloudflare (`/cdn-cgi/image/width=300,quality=75/`).
_IMAGE_OP = re.compile(r"^(?:-?\d+x-?\d*|-?\d*x-?\d+|(?:full-|adaptive-)?fit-in|smart|trim|unsafe|insecure|plain|fetch|"
                       r"[a-z_]+:[a-z0-9_:().,!\-]+|[a-z]{1,3}_[a-z0-9.]+(?:,[a-z]{1,3}_[a-z0-9.]+)*|[a-z]+=[a-z0-9.]+(?:,[a-z]+=[a-z0-9.]+)*)$", re.I)
# The source is a picture: an image file name at the end of its path (imgproxy may add `@webp`, the output format).
_IMAGE_FILE = re.compile(r"\.(?:jpe?g|png|gif|webp|avif|svg|bmp|ico|tiff?|heic)(?:@[a-z]{3,4})?$", re.I)


def _proxied_image(route: str, um: re.Match) -> bool:
    """A picture on a web host, handed to a thumbnailing route: the segments before the URL resize or crop it. An
    include needs the URL to open the value; behind resize options it is a fetch of a picture (ssrf judges where to)."""
    h, path = (um.group(1) or "").lower(), um.group(2) or ""
    return (um.group(3) is None and um.group(0)[:5].lower() in ("http:", "https") and "." in h and not _IPV4.match(h)
            and any(c.isalpha() for c in h.rsplit(".", 1)[-1]) and _IMAGE_FILE.search(path) is not None
            and any(_IMAGE_OP.match(seg) for seg in route.split("/")))


def _embedded(value: str, host: str) -> Finding | None:
    """An include target inside a one-token value (`/index.php/http://evil.example/shell.txt`): a URL that names code
    (script extension, trailing `?`, a non-HTTP scheme) scores as it would alone, any other URL in a path weakly."""
    if len(value) > 2048 or any(c.isspace() for c in value[:512]):
        return None
    m = _EMBEDDED.search(value, 1, 512)
    if m is None or "?" in value[:m.start()] or "#" in value[:m.start()]:
        return None
    sub = value[m.start():]
    um = _URL.match(sub)
    if um is None or not um.group(1):
        return None
    f = analyze(sub, "", host, _nested=True)
    script = _SCRIPT_EXT.search(um.group(2) or "") is not None
    if f is not None and (f.rule in ("rfi:trailing_question", "rfi:remote_scheme", "rfi:remote_script") or script and f.score >= 0.5):
        return Finding(TYPE, "rfi:embedded_url", min(max(f.score, 0.7), 0.85))
    if value[0] == "/" and _proxied_image(value[:m.start()], um):
        return Finding(TYPE, "rfi:embedded_url", 0.3)  # `/unsafe/300x200/https://cdn.example/cat.jpg`: a thumbnail
    if value[0] == "/":
        # A URL inside a request path, even this site's own (CRS v4 931131, PL2): an include or fetch target handed
        # to a router. Image proxies and web archives do this by design; they disable rfi for their route (rules).
        return Finding(TYPE, "rfi:embedded_url", 0.6)
    return None


def analyze(value: str, param: str = "", host: str = "", _nested: bool = False) -> Finding | None:
    if ("include" in value or "require" in value or "INCLUDE" in value or "REQUIRE" in value) and _INCLUDE_CALL.search(value):
        return Finding(TYPE, "rfi:include_call", 0.85)
    if _SCHEME_LABEL.match(value):
        return None
    if _FILE_SCHEME.match(value):
        if _THEN_PROSE.match(value):
            return Finding(TYPE, "rfi:file_scheme", 0.45)  # `file:///etc/hosts in browser`: a URL named in a phrase
        return Finding(TYPE, "rfi:file_scheme", 0.85)
    if _DATA_URI.match(value):
        if _image_data(value):
            return Finding(TYPE, "rfi:data_uri", 0.3)  # an inline picture (avatars, pasted images): reported only
        return Finding(TYPE, "rfi:data_uri", 0.7)
    if "://" in value[:24] and _WRAPPER.match(value):
        return Finding(TYPE, "rfi:php_wrapper", 0.9)
    if value[:4].lower() == "url:" and not _nested:
        return analyze(value[4:], param, host, _nested=True)  # Java's `url:http://…` spelling of the same URL
    m = _URL.match(value)
    if not m:
        m2 = re.match(r"^\s*(?:file|ftps?|https?|php|data)\s*\?\s*$", value, re.I)
        if m2:
            return Finding(TYPE, "rfi:scheme_question", 0.85)
        a = _ANY_SCHEME.match(value) if param and "://" in value[:24] else None
        if a and _include_param(param) and not _own(a.group(2).lower(), host):
            return Finding(TYPE, "rfi:include_param", 0.85)  # `page=gopher://…`, `mod=git://…`: code from another host
        return None if _nested or "://" not in value[1:512] else _embedded(value, host)
    h, path, query = (m.group(1) or "").lower(), m.group(2) or "", m.group(3)
    v = value.strip()
    if v.startswith("\\\\"):
        if not _UNC.match(v):
            return None
        # a share named in a backup or export setting is an admin's path; one that loads code, names a WebDAV or IP
        # host, or travels in a parameter that includes files is an inclusion (PHP on Windows includes UNC paths)
        if _SCRIPT_EXT.search(v.rstrip("?")) or "@" in v.split("\\", 3)[2] or _IPV4.match(h) \
                or v.rstrip().endswith(("?", "\x00")):
            return Finding(TYPE, "rfi:unc_path", 0.85)
        if param and _INCLUDE_PARAM.search(param) and ("." in h or h == "localhost" or _ADMIN_SHARE.match(v)):
            # an include from a share needs a host the server resolves for the sender (a DNS name) or reads its own
            # disks (`\\localhost\…`, `\\host\c$\…`); a one-label NetBIOS name (`\\fileserver01\Finance`) is a
            # machine of the office network, a folder an IT app stores
            return Finding(TYPE, "rfi:unc_path", 0.85)
        return Finding(TYPE, "rfi:unc_path", 0.45)
    relative = v.startswith("//")
    if relative and not ("." in h or h.startswith("[")) or relative and _FILE_LABEL.search(h):
        return None  # `//comment`, `//TODO`, `//index.php`: not a host
    scheme = "" if relative else v.split(":", 1)[0].lower()
    if not h and not relative and not (path.strip("/") or query):
        return None  # `http:` alone (a path segment of `/proxy/http://…`): no host, nothing to include
    if _IPV4.match(h) or h.startswith("["):
        if param.lower() in _URL_PARAMS and not _SCRIPT_EXT.search(path) and not v.endswith(("?", "\x00")):
            # a link or redirect target that happens to be an address (`redirect_uri=http://127.0.0.1:8400/cb`):
            # where it points inside the network is ssrf's call; nothing here names code to include
            return Finding(TYPE, "rfi:ip_host", 0.45)
        return Finding(TYPE, "rfi:ip_host", 0.9)
    if query is not None and query in ("?",) or v.endswith("?"):
        return Finding(TYPE, "rfi:trailing_question", 0.9)
    if scheme in ("file", "ftp", "ftps", "smb", "sftp", "tftp", "jar") and (h or path.strip("/")) and "//" in v[:16].replace("\\", "/"):
        return Finding(TYPE, "rfi:remote_scheme", 0.85)
    if param and _include_param(param):
        return Finding(TYPE, "rfi:include_param", 0.85)
    if _SCRIPT_EXT.search(path):
        return Finding(TYPE, "rfi:remote_script", 0.7)
    if relative:
        return Finding(TYPE, "rfi:offsite_url", 0.3)  # a scheme-relative link (`//cdn.example/lib.js`)
    if "@" in path and _SECOND_AUTHORITY.match(path):
        return Finding(TYPE, "rfi:userinfo_confusion", 0.7)
    if not host and h and "://" in value[:12]:
        return Finding(TYPE, "rfi:offsite_url", 0.3 if param.lower() in _URL_PARAMS else 0.45)
    own = host.lower().split(":")[0]
    if own and h and "://" in value[:12] and own != "localhost" and h != own and _own_host_confusion(h, own):
        return Finding(TYPE, "rfi:host_confusion", 0.6)  # shop.example.evil.example poses as this site
    if host and h and "://" in value[:12] and not (h == own or h.endswith("." + own)):
        plain = param.lower() in _URL_PARAMS
        return Finding(TYPE, "rfi:offsite_url", 0.3 if plain else 0.45)
    return None
