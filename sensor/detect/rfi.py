"""Remote file inclusion: URLs (or scheme tricks) in parameters that name code to include."""
from __future__ import annotations

import base64
import binascii
import functools
import re
from pathlib import Path
from typing import Final

from sensor.detect.base import SERVER_WORDS, Finding, param_words

TYPE: Final = "rfi"
TRIGGERS: Final = [r"^\s*(?:file|ftps?|https?)\?\s*$", r"^\s*data:", r"local_file:",r"(?:https?|ftps?|file|php|data|expect|gopher|dict|smb|sftp|tftp|ldap|jar|zip|phar|compress\.\w+|ogg|rar|ssh2?(?:\.\w+)?|glob)\s*:", r"\\\\[a-z0-9]",
                   r"^\s*//[a-z0-9\[]", r"^\s*(?:url:|jar:)?[a-z][a-z0-9+.\-]{1,15}://"]

_URL: Final = re.compile(r"^\s*(?:(?:https?|ftps?|file|smb|sftp|tftp|webdav|jar|ssh)\s*:\s*/{0,3}|\\\\|//(?=[a-z0-9\[]))(?:[^@/\s]*@)?(\[[0-9a-f:.]+\]|[^/?#\s\\:]*)(?::\d+)?([^?#\s]*)(\?[^#]*)?", re.I)
_URL_PARAMS: Final = {"url", "uri", "link", "href", "redirect", "redirect_uri", "redirect_url", "next", "return", "returnurl",
                      "return_to", "returnto", "callback", "site", "website", "homepage", "target", "dest", "destination",
                      "continue", "goto", "image", "img", "avatar", "feed", "referer", "referrer", "origin", "source"}
# `file:` followed by a path (`file:///etc/passwd`, `file:/c:/x`), not `file:// urls in chrome`
_FILE_SCHEME: Final = re.compile(r"^\s*(?:url:)?(?:local_)?file:/+[^\s/]", re.I)
_THEN_PROSE: Final = re.compile(r"^\s*\S+\s+[a-z]{2,}(?:\s+[a-z]{2,})*[.?!]?\s*$", re.I)
_DATA_URI: Final = re.compile(r"^\s*data:(?://)?(?:[a-z]+/[a-z0-9.+\-]+|[;,])", re.I)
# PHP stream wrappers that read local files, request bodies or archives, or run commands (php.net "Supported Protocols
# and Wrappers"): `php://filter/.../resource=`, `php://input`, `expect://id`, `zip://a.zip#x.php`, `phar://x.jpg/y`.
_WRAPPER: Final = re.compile(r"^\s*(?:php://(?:filter|input|fd|memory|temp|stdin)|(?:expect|zip|phar|glob|ogg|rar|compress\.(?:zlib|bzip2)|"
                             r"ssh2\.(?:shell|exec|tunnel|sftp|scp))://)\S*$", re.I)
# PHP's include/require statement or call on a remote URL (`include('http://…')`, `require_once "ftp://…"`; CRS 4
# 931110 also allows a vertical tab before the parenthesis): code that loads code from elsewhere.
_INCLUDE_CALL: Final = re.compile(r"\b(?:include|require)(?:_once)?[\s\x0b]*(?:\([\s\x0b]*['\"]?|['\"])(?:https?|ftps?|file|data|php|expect|phar|zip)://", re.I)
_PHP_TAG: Final = re.compile(r"<\?(?:php|=|\s)", re.I)
_IPV4: Final = re.compile(r"^\d{1,3}(?:\.\d{1,3}){3}$")
# Extensions an include() runs or a web shell is served as; `.js` is left out: an off-site script URL in a parameter is
# a CMS's CDN setting far more often than an inclusion (nothing server-side includes JavaScript from a URL).
_SCRIPT_EXT: Final = re.compile(r"\.(?:php\d?|phtml|inc|txt|asp|aspx|jsp|pl|cgi|sh|py|rb|gif\?|jpg\?|dat|log)$", re.I)
_INCLUDE_PARAM: Final = re.compile(r"(?:^|[_\[.])(?:include|inc|file|path|page|template|tpl|dir|module|mod|conf|config|absolute_path|root|load|folder|lang|language|layout|theme|skin|class|mosconfig\w*|_conf)(?:$|[\]_.])", re.I)
# `\\host\share`, `\\host@SSL\DavWWWRoot\x` (WebDAV over UNC), `\\host@8080\x`
_UNC: Final = re.compile(r"^\s*\\\\[a-z0-9][a-z0-9.\-_]*(?:@[a-z0-9]+)*\\[^\\]", re.I)
# Windows' administrative shares (`C$`, `ADMIN$`, `IPC$`): the whole disk or the system folder of the host.
_ADMIN_SHARE: Final = re.compile(r"^\s*\\\\[^\\]+\\[a-z]*\$(?:\\|$)", re.I)


_IMAGE_DATA: Final = re.compile(r"^\s*data:image/(png|jpe?g|gif|webp|bmp|x-icon|vnd\.microsoft\.icon|avif|svg\+xml);base64,([a-z0-9+/]{8,}=*)", re.I)
_IMAGE_MAGIC: Final = {"png": b"\x89PNG", "jpg": b"\xff\xd8\xff", "jpeg": b"\xff\xd8\xff", "gif": b"GIF8", "webp": b"RIFF",
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


# `http://good.example%2f:x@evil.example/` once decoded: an `@host` in the first path segment is a second authority
# for parsers that decode `%2f` late or take the last `@` (`/webhook/abc@def/…` names no host in its first segment).
# Group 1 is the host when it is a name.
_SECOND_AUTHORITY: Final = re.compile(r"^/[^/@]*@(?:[^/@]*@)*(?:\[[0-9a-f:.]+\]|\d{1,3}(?:\.\d{1,3}){3}|"
                                      r"([a-z0-9\-]+(?:\.[a-z0-9\-]+)+))(?:[:/?#]|$)", re.I)
# Names reserved for tests, documentation and local networks (RFC 2606, RFC 6761, RFC 6762): no public suffix list
# has them, yet they stand for a real host in every advisory and lab.
_RESERVED_TLDS: Final = frozenset(("example", "test", "invalid", "localhost", "local", "internal", "onion", "lan", "corp", "home"))
_SUFFIX_LIST: Final = Path("/usr/share/publicsuffix/public_suffix_list.dat")  # Debian `publicsuffix`


@functools.cache
def _tlds() -> frozenset[str] | None:
    """The top-level domains of the public suffix list (read once, on the first `@` in a URL path); None without it."""
    try:
        with _SUFFIX_LIST.open(encoding="utf-8") as fh:
            return frozenset(x for x in [line.strip().lower() for line in fh]
                             if x and not x.startswith(("//", "*", "!")) and "." not in x) | _RESERVED_TLDS
    except OSError:
        return None


def warm() -> None:
    """Read the public suffix list now (the engine's start) rather than inside the first request with an `@` in its
    path, which paid ~7 ms for it."""
    _tlds()


def _second_authority(path: str) -> bool:
    """An `@host` in the first path segment that a resolver could reach: an address, or a name under a real top-level
    domain. A handle (`/@jane.doe/post`, `/@alice@fosstodon.org`: `.doe` is no TLD, `fosstodon.org` follows a
    handle with no user info before it) or a package version (`/react@18.2.0/…`) names no host."""
    m = _SECOND_AUTHORITY.match(path)
    if m is None or path[1] == "@" and "@" in m.group()[2:]:
        return False  # `/@alice@fosstodon.org`: a fediverse handle, user and instance
    name = m.group(1)
    if name is None:
        return True
    last = name.rsplit(".", 1)[-1].lower()
    tlds = _tlds()
    return last.isalpha() if tlds is None else last in tlds


# The same confusion as the application receives it: a host name, then an encoded `/`, `\\`, `?` or `#` (once or
# twice encoded), then `@host`. A filter that decodes first sees `good.example` as the host, a fetcher that does not
# reads `good.example%2f` as a user name. A password's encoded characters come after the `:` of the user name.
_ENCODED_USERINFO: Final = re.compile(r"^\s*[a-z][a-z0-9+.\-]*:/{0,3}[a-z0-9\-]+(?:\.[a-z0-9\-]+)+(?::\d*)?%(?:25)?(?:2f|5c|3f|23)"
                                      r"[^@/\s]*@", re.I)
# A scheme a filter strips once, glued inside another (`hthttp://tp://evil/`, `phphp://p://filter/…`): what is left
# after the strip is a URL. Group 1 is the letters before the inner scheme, group 2 the inner scheme.
_NESTED_SCHEME: Final = re.compile(r"^\s*([a-z]{1,8}?)((?:https?|ftps?|file|php|data|expect|phar|zip|gopher|dict|smb)://)", re.I)
_OUTER_SCHEME: Final = re.compile(r"(?:https?|ftps?|file|php|data|expect|phar|zip|gopher|dict|smb|sftp):/", re.I)


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
_SCHEME_LABEL: Final = re.compile(r"^\s*[a-z][a-z0-9+.\-]*\s*:\s+[^\s/\\]", re.I)
# Words of a parameter name (`GALLERY_BASEDIR`, `path[docroot]`, `rootPath`) and the ones that name a place code is
# loaded from. Vocabulary from the parameter names of public RFI advisories (CRS 931110's list, exploit-db RFI PoCs):
# `*dir`, `*path`, `*root` compounds (basedir, docroot, abspath, phpbb_root_path, includedir, libdir, sourcedir).
_PLACE_SUFFIX: Final = ("dir", "path", "root")
_URL_WORDS: Final = {"url", "uri", "urls", "uris", "href", "link"}
_TEMPLATE_WORDS: Final = {"template", "templates", "tpl"}
_LINK_WORDS: Final = _URL_WORDS | {"links", "location", "destination", "homepage", "website", "site", "redirect", "return",
                                   "permalink", "canonical"}
_TRANSFER_WORDS: Final = SERVER_WORDS | {"ftp", "ftps", "sftp", "mirrors", "repo", "repository"}
# Extensions of pages a site serves (a link target); `.txt`, `.inc`, `.gif?` and the rest are how include payloads are
# hosted.
_PAGE_EXT: Final = re.compile(r"\.(?:php\d?|phtml|aspx?|jsp|cgi|pl)$", re.I)
_NOT_PLACE: Final = {"redir", "nadir", "xpath", "jsonpath"}
# The last label of a scheme-relative "host" that is a file extension (`//index.php`): a doubled slash, not a host.
_FILE_LABEL: Final = re.compile(r"\.(?:php\d?|phtml|html?|js|css|txt|jpe?g|png|gif|svg|ico|json|xml|aspx?|jsp|inc|cgi)$", re.I)
# A URL as a segment of a path (`/index.php/http://evil.example/shell.txt`, CRS v4 931131); not inside the query of
# a relative URL (`/authorize?redirect_uri=https://…`), whose parameters are the target app's business.
_EMBEDDED: Final = re.compile(r"(?<=/)(?:https?|ftps?|file|smb)://", re.I)


# URL schemes of CRS 4 rule 931130 (off-domain reference, the scheme list of its regex) beyond those _URL reads, plus
# WebDAV; `s3` is left out: data tools take `path=s3://bucket/key` as their normal input.
_ANY_SCHEME: Final = re.compile(
    r"^\s*(?:jar:)?(acap|afp|afs|attachment|beshare|bitcoin|blob|callto|cap|cid|cvs|dav|dict|dns|dntp|ed2k|fd|feed|finger|fish|git|"
    r"go|gopher|h323|iax|icap|imaps?|ipps?|irc[6s]?|jabber|ldap[is]?|maven|mms|mumble|netdoc|news|nfs|nntps?|paparazzi|pop2|"
    r"pop3s?|pres|proxy|psyc|rmi|rsync|rtm|rtmf?p|sips?|smb|sms|smtps?|snews|snmp|ssh|svn(?:\+ssh)?|teamspeak|telnet|turns?|udp|"
    r"unreal|ut2004|ventrilo|vnc|webcal|webdav|wss?|xmpp|xri)://(?:[^@/\s]*@)?(\[[0-9a-f:.]+\]|[^/?#\s\\:]+)", re.I)


def _own(h: str, host: str) -> bool:
    own = host.lower().split(":")[0]
    return bool(own) and (h == own or h.endswith("." + own))


def _include_param(param: str) -> bool:
    words = param_words(param)
    if len(words) >= 2 and words[-1] in _TEMPLATE_WORDS and words[-2] in _URL_WORDS:
        return False  # `url_template`, `uriTemplate`: a URL to expand (RFC 6570), not a template to load
    if _INCLUDE_PARAM.search(param):
        return True
    for w in words:
        if w.endswith(_PLACE_SUFFIX) and w not in _NOT_PLACE:
            return True
    return False


def _url_param(param: str) -> bool:
    """A parameter that holds a link or redirect target (`next`, `redirect_uri`, `redirectUri`, `avatar_url`)."""
    if param.lower() in _URL_PARAMS:
        return True
    words = param_words(param)
    return bool(words) and words[-1] in _URL_WORDS


def _link_param(param: str) -> bool:
    """A parameter whose name says it holds a link or a destination (`homepage`, `ReturnUrl`, SAML's `Destination`,
    `AssertionConsumerServiceURL`, metadata's `Location`)."""
    return param.lower() in _URL_PARAMS or any(w in _LINK_WORDS for w in param_words(param))


def _transfer_param(param: str) -> bool:
    """A parameter named for a file server or a mirror (`sftp_host`, `ftp_server`, `mirror_url`, `upstream`)."""
    return any(w in _TRANSFER_WORDS for w in param_words(param))


def _public_name(h: str) -> bool:
    """A DNS name with an alphabetic top-level label (not an address, not a single-label LAN name)."""
    return "." in h and not _IPV4.match(h) and h.rsplit(".", 1)[-1].isalpha()


# Image operations in the segments of a thumbnailing route before the source URL: thumbor and imagor (`300x200`,
# `fit-in`, `smart`, `filters:quality(80)`, `unsafe`), imgproxy (`rs:fill:300:200`, `plain`, `insecure`), Cloudinary
# fetch (`w_400,h_300,c_fill`), Cloudflare (`/cdn-cgi/image/width=300,quality=75/`).
_IMAGE_OP: Final = re.compile(r"^(?:-?\d+x-?\d*|-?\d*x-?\d+|(?:full-|adaptive-)?fit-in|smart|trim|unsafe|insecure|plain|fetch|"
                              r"[a-z_]+:[a-z0-9_:().,!\-]+|[a-z]{1,3}_[a-z0-9.]+(?:,[a-z]{1,3}_[a-z0-9.]+)*|[a-z]+=[a-z0-9.]+(?:,[a-z]+=[a-z0-9.]+)*)$", re.I)
# The source is a picture: an image file name at the end of its path (imgproxy may add `@webp`, the output format).
_IMAGE_FILE: Final = re.compile(r"\.(?:jpe?g|png|gif|webp|avif|svg|bmp|ico|tiff?|heic)(?:@[a-z]{3,4})?$", re.I)


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
        if any(c.isspace() for c in value.strip().split(",", 1)[0]):
            # `data:image/png;base64 in css background`: words before any `,`, so no data (RFC 2397 puts a comma
            # before the data and no blank in the media type): the name of the scheme in a phrase. A bare
            # `data:text/plain` token is the scheme probe itself (CRS 934170) and keeps its score
            return Finding(TYPE, "rfi:data_uri", 0.45)
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
        n = None if _nested else _NESTED_SCHEME.match(value)
        if n is not None and _OUTER_SCHEME.match(n.group(1) + value[n.end():n.end() + 8]):
            # only a filter evasion writes a scheme inside another, whatever URL the strip leaves behind
            f = analyze(value[:n.start(2)] + value[n.end():], param, host, _nested=True)
            return Finding(TYPE, "rfi:nested_scheme", max(0.85, f.score if f is not None else 0.0))
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
        if _url_param(param) and not _include_param(param) and not _SCRIPT_EXT.search(path) and not v.endswith(("?", "\x00")):
            # a link or redirect target that happens to be an address (`redirect_uri=http://127.0.0.1:8400/cb`):
            # where it points inside the network is ssrf's call; nothing here names code to include
            return Finding(TYPE, "rfi:ip_host", 0.45)
        return Finding(TYPE, "rfi:ip_host", 0.9)
    if query is not None and query in ("?",) or v.endswith("?"):
        if any(w in _LINK_WORDS for w in param_words(param)) and not _include_param(param) and not _SCRIPT_EXT.search(path) \
                and "." not in path.rsplit("/", 1)[-1]:
            # a web address with an empty query in a field named for one (`website=https://mysite.com/?`): the `?`
            # cuts an include's appended extension only where the value is included; a link field holding a site or
            # page (no file named) is a link a user pasted. Reported: an app including a `site=` value stays possible
            return Finding(TYPE, "rfi:trailing_question", 0.45)
        return Finding(TYPE, "rfi:trailing_question", 0.9)
    if scheme in ("file", "ftp", "ftps", "smb", "sftp", "tftp", "jar") and (h or path.strip("/")) and "//" in v[:16].replace("\\", "/") \
            and not (scheme in ("ftp", "ftps", "sftp") and _public_name(h) and _transfer_param(param)):
        # a file server named in a field that says it is one (`sftp_host=sftp://uploads.partner.example/`,
        # `mirror=ftp://ftp.debian.org/debian/`) is a setting; the checks below still judge the path
        return Finding(TYPE, "rfi:remote_scheme", 0.85)
    if param and _include_param(param):
        return Finding(TYPE, "rfi:include_param", 0.85)
    sx = _SCRIPT_EXT.search(path)
    if sx is not None:
        if h and _own(h, host):
            # a page of this very site (BIG-IP's `f5_refreshpage` cookie, a return URL): nothing remote to include
            return Finding(TYPE, "rfi:remote_script", 0.45)
        if _PAGE_EXT.match(sx.group()) and _link_param(param):
            # a page of a site (`Destination="https://idp.example/SSOService.php"`, `homepage=…/index.php`) in a field
            # that names a link or destination: a place to send someone, not code to include
            return Finding(TYPE, "rfi:remote_script", 0.45)
        return Finding(TYPE, "rfi:remote_script", 0.7)
    if relative:
        return Finding(TYPE, "rfi:offsite_url", 0.3)  # a scheme-relative link (`//cdn.example/lib.js`)
    if "@" in path and _second_authority(path) or "%" in v[:256] and "@" in v[:512] and _ENCODED_USERINFO.match(v):
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
