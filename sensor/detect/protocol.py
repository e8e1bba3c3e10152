"""Protocol-level request anomalies: framing conflicts (smuggling), malformed request line and Host, proxy and override abuse."""
from __future__ import annotations

import re
from typing import Any, Final
from urllib.parse import parse_qsl, urlsplit

from core.events import Hit
from sensor.detect import scanner, ssrf
from sensor.points.decoders import unquote_text

TYPE: Final = "protocol"
# The IANA method registry plus what deployed software sends (Varnish BAN/PURGE, Icecast SOURCE, UPnP, Exchange's
# WebDAV and RPC-over-HTTP verbs). TRACE is left out: it echoes the request, cookies and auth headers included (XST),
# and CRS rejects it at PL1; any other method is verb tampering or a probe (the live sensor's llhttp rejects most).
_METHODS: Final = {"GET", "POST", "HEAD", "PUT", "DELETE", "OPTIONS", "PATCH", "CONNECT", "PROPFIND", "PROPPATCH",
                   "MKCOL", "COPY", "MOVE", "LOCK", "UNLOCK", "REPORT", "SEARCH", "MKCALENDAR", "ACL", "MERGE", "CHECKOUT",
                   "MKACTIVITY", "PURGE", "LINK", "UNLINK", "SUBSCRIBE", "UNSUBSCRIBE", "NOTIFY", "M-SEARCH", "QUERY",
                   "BASELINE-CONTROL", "BIND", "REBIND", "UNBIND", "CHECKIN", "UNCHECKOUT", "LABEL", "MKREDIRECTREF",
                   "MKWORKSPACE", "ORDERPATCH", "UPDATE", "UPDATEREDIRECTREF", "VERSION-CONTROL", "PRI", "SOURCE", "BAN",
                   "BPROPFIND", "BPROPPATCH", "BCOPY", "BMOVE", "BDELETE", "POLL", "X-MS-ENUMATTS", "RPC_IN_DATA",
                   "RPC_OUT_DATA"}
_TOKEN: Final = re.compile(r"^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$")
# HTTP/1.0 and 1.1 on the wire; 2 and 3 as other sources (HAR files, h2 proxies' logs) name theirs. HTTP/0.9 is gone
# from every client: a simple request has no headers, so nothing in it can be inspected or logged.
_VERSIONS: Final = {"1.0", "1.1", "2", "2.0", "3"}
# Methods an override header may not name: the diagnostic ones (XST through the framework) and tunnels.
_NO_OVERRIDE: Final = {"TRACE", "TRACK", "DEBUG", "CONNECT"}
_METHOD_OVERRIDE: Final = ("x-http-method-override", "x-http-method", "x-method-override")
# Headers proxies write the client's address into; tools that probe IP allow-lists set several of them at once.
_CLIENT_IP: Final = frozenset({"x-forwarded-for", "x-real-ip", "x-client-ip", "client-ip", "true-client-ip",
                               "cf-connecting-ip", "x-originating-ip", "x-remote-ip", "x-remote-addr", "x-cluster-client-ip",
                               "x-forwarded", "forwarded-for", "forwarded", "x-custom-ip-authorization", "x-proxyuser-ip",
                               "fastly-client-ip", "x-azure-clientip", "x-true-ip", "x-originating-ip-address"})
# Path-prefix headers (Spring's X-Forwarded-Prefix, WSGI's X-Script-Name): links and redirects start with them.
_PREFIX: Final = ("x-forwarded-prefix", "x-script-name", "x-forwarded-path")
_OFFSITE: Final = re.compile(r"^\s*(?:[/\\]{2}|[a-z][a-z0-9+.-]*:)", re.I)  # `//host`, `\\host`, `/\host`, `scheme:`
# Past 16 KiB one field is rejected by http.sys and Node (Apache, nginx, Tomcat stop at 8 KiB); past 100 fields Apache
# answers 400. The live sensor cuts heads at 64 KiB and 256 fields (http-parse-error); these bounds hold on both paths.
_MAX_FIELD: Final = 16 << 10
_MAX_HEAD: Final = 64 << 10
_MAX_FIELDS: Final = 100


_BAD_TARGET: Final = "\x00\r\n\t "  # characters a request target cannot hold
_BAD_VALUE: Final = "\x00\r\n"  # ... and a header value
_TOKENS: Final = re.compile(r"[!#$%&'*+\-.^_`|~0-9A-Za-z]+(?:\n[!#$%&'*+\-.^_`|~0-9A-Za-z]+)*")
# Headers whose handling is not the usual one; the per-header checks run only when one of them is there.
_SPECIAL: Final = {"expect", "x-forwarded-host", "x-host", "x-forwarded-server", "x-http-host-override",
                   "forwarded", "x-original-url", "x-rewrite-url", "x-override-url", *_METHOD_OVERRIDE, *_PREFIX}
_PLAIN_CONNECTION: Final = {"keep-alive", "close", "upgrade"}
# A host name starting with a letter, with a port or not: no further check (the metadata DNS names excepted).
_PLAIN_HOST: Final = re.compile(r"(?!.*metadata)[a-z][a-z0-9.-]*(?::[0-9]{1,5})?", re.I)
_LINE_START: Final = {bytes([c]) for c in b"ABCDEFGHIJKLMNOPQRSTUVWXYZ0\r\n"}  # what a body holding a request line starts with
# A name in Connection turns that header hop-by-hop: the next proxy deletes it. Clients list options there
# (`keep-alive`, `Upgrade`, `TE`, `HTTP2-Settings`); listing the framing headers makes a front end and a back end
# frame the body differently (smuggling), listing what proxies write for the back end's trust decisions (client IP,
# original host) deletes the proxy's own value so that the back end sees none or the client's.
_HOP_FRAMING: Final = {"content-length", "transfer-encoding", "host"}
_HOP_TRUST: Final = {"x-forwarded-for", "x-forwarded-host", "x-forwarded-proto", "x-real-ip", "forwarded", "x-client-ip",
                     "true-client-ip", "cf-connecting-ip", "x-cluster-client-ip", "x-original-url", "x-rewrite-url",
                     "authorization", "cookie", "x-forwarded-user", "x-remote-user", "x-authenticated-user"}
# What a proxy adds to every request it forwards: with one of these present a forwarding header is the proxy's.
_PROXY_EVIDENCE: Final = {"x-forwarded-for", "x-real-ip", "via", "cf-connecting-ip", "true-client-ip", "x-client-ip",
                          "x-cluster-client-ip", "x-arr-log-id", "x-azure-ref", "x-amzn-trace-id"}
_LOOPBACK_ONLY: Final = re.compile(r"^\s*(?:(?:127(?:\.\d{1,3}){3}|::1|\[::1\]|localhost|0\.0\.0\.0)\s*(?:,\s*|$))+$", re.I)
_HOST_OVERRIDE: Final = ("x-forwarded-host", "x-host", "x-forwarded-server", "x-http-host-override")
_URL_OVERRIDE: Final = ("x-original-url", "x-rewrite-url", "x-override-url")
# A Host is `name[:port]` or `[ipv6][:port]`; `@`, `/`, `\`, `,`, a second `:` or a non-numeric port are not
# a host — they are there for a parser that reads the value as a URL authority (host of a reset link, cache key).
_HOST_OK: Final = re.compile(r"(?:[\w.~-]*|\[[0-9A-Fa-f:.]+(?:%[\w.]+)?\])(?::[0-9]{0,5})?")
# Areas a front end guards by path (admin consoles, management endpoints, internals); a URL-override header naming one
# is how the guard is walked around (`GET /` passes the front end, the framework serves `X-Original-URL: /admin`).
_RESTRICTED: Final = re.compile(r"^/*(?:[\w.~-]+/){0,2}(?:(?:[\w.~-]*[-_.])?(?:admin|administrator|administration|phpmyadmin|adminer|"
                                r"manager|management|internal|private|console|actuator|jolokia|debug|config|configuration|"
                                r"system|setup|install|server-status|server-info|web-inf|meta-inf|cgi-bin)(?:[-_.][\w.~-]*)?"
                                r"(?:[/;]|$)|\.\w)|\.\.|;", re.I)
# A request line at the start of a body: the body is a second request for whichever hop ignores the framing.
_REQUEST_LINE: Final = re.compile(rb"(?:\r?\n)*(?:0\r?\n\r?\n)?(?:[A-Z]{3,12}|M-SEARCH) [^\s]+ HTTP/\d(?:\.\d)?(?:\r?\n|$)")
_HTTP_MEDIA: Final = ("message/http", "application/http", "multipart/")  # bodies that are HTTP messages by design
_MAX_CL: Final = 10 ** 15  # no request body is a petabyte; past 2**63 parsers disagree (wrap, saturate, reject)


def _hit(rule: str, score: float, point: list, value: str) -> Hit:
    return Hit(type=TYPE, point=point, value=value[:256], rule=rule, score=score)


def _holds_any(text: str, chars: str) -> bool:
    """Whether `text` holds one of `chars`: a memchr per character, where a regex class tests every position."""
    for c in chars:
        if c in text:
            return True
    return False


def check(request: Any) -> list[Hit]:
    """Anomalies visible in the request line and headers."""
    hits: list[Hit] = []
    method = request.method or ""
    version = request.version or ""
    if version not in _VERSIONS:
        version = version.upper().removeprefix("HTTP/")
    target = request.target or ""
    # (the common, already valid methods skip both checks; an HTTP/2 request joined part-way may carry its method
    # only as a reference to HPACK state from before the join: headers_complete is False then, nothing to judge)
    if method not in _METHODS and (method or getattr(request, "headers_complete", True)):
        if not _TOKEN.match(method):
            hits.append(_hit("protocol:bad_method", 0.8, ["method"], method))
        elif method.upper() == "TRACE":
            hits.append(_hit("protocol:trace_method", 0.6, ["method"], method))
        elif method.upper() not in _METHODS:
            hits.append(_hit("protocol:unknown_method", 0.6, ["method"], method))
    if version and version not in _VERSIONS:
        hits.append(_hit("protocol:bad_version", 0.6, ["version"], version))
    headers = request.headers
    if _holds_any(target, _BAD_TARGET):
        hits.append(_hit("protocol:bad_target", 0.7, ["target"], target))
    elif target and target[0] != "/" and target != "*":
        _odd_target(target, method.upper(), request, headers, hits)
    # One regex call over all names and one look for each bad character over all values: most requests have nothing
    # odd, so the per-header loop runs only when something is odd, and the framing loop only when a framing header is
    # there.
    names = "\n".join([k for k, _ in headers])
    values = "\t".join([v for _, v in headers])
    if headers and not _TOKENS.fullmatch(names) or _holds_any(values, _BAD_VALUE):
        for k, v in headers:
            if not _TOKEN.match(k):
                hits.append(_hit("protocol:bad_header_name", 0.7, ["header", k.upper()], k))
            if _holds_any(v, _BAD_VALUE):
                hits.append(_hit("protocol:bad_header_value", 0.8, ["header", k.upper()], v))
    if len(values) > _MAX_FIELD or len(headers) > _MAX_FIELDS:
        _bounds(headers, len(names) + len(values), hits)
    lower = names.lower()
    if "acunetix-" in lower or "-memo" in lower or "x-wipp" in lower or "ratproxy" in lower:
        hits.extend(scanner.tool_headers(request))   # header names only tools send (substring tests: ~0.1 µs)
    lnames = lower.split("\n")
    hosts = lnames.count("host")
    if "content-length" in lnames or "transfer-encoding" in lnames:
        _framing(headers, hits)
        body = getattr(request, "body", b"")
        if isinstance(body, bytes) and body[:1] in _LINE_START:
            _body_request(body, headers, hits)
        if body and "?" in target and method in ("GET", "HEAD"):
            _fat_get(target, body, headers, hits)
    if hosts != 1:
        if not hosts and version == "1.1":
            hits.append(_hit("protocol:missing_host", 0.2, ["header", "HOST"], ""))
        elif hosts > 1:
            hits.append(_hit("protocol:duplicate_host", 0.8, ["header", "HOST"], request.host or ""))
    host = request.host or ""
    if host and not _PLAIN_HOST.fullmatch(host):
        _host(host.strip(), request, hits)
    for what in getattr(request, "anomalies", ()) or ():
        if what == "chunk_size":
            hits.append(_hit("protocol:bad_chunk", 0.7, ["body"], "chunk size"))
    if "?" in target:
        _query_tricks(target, hits)
    if "range" in lnames:
        _range(headers[lnames.index("range")][1], hits)
    if "upgrade" in lower and "upgrade" in lnames:  # (a substring test first: most requests have no Upgrade)
        up = headers[lnames.index("upgrade")][1]
        if any(t.strip().lower() in ("h2c", "h2") for t in up.split(",")):
            # HTTP/2 over the same connection after this request: a front end that passes the upgrade on no longer
            # sees (or applies its path rules to) what follows (h2c smuggling); RFC 9113 dropped the mechanism
            hits.append(_hit("protocol:h2c_upgrade", 0.6, ["header", "UPGRADE"], up))
    client_ip = _CLIENT_IP.intersection(lnames)
    if len(client_ip) >= 3:
        _client_ip_spray(headers, hits)
    if client_ip:
        _client_ip_overflow(headers, hits)
    if "x-middleware-" in lower or "x-now-" in lower or "x-invoke-" in lower:
        _internal_headers(headers, hits)
    if "authorization" in lnames:
        auth = headers[lnames.index("authorization")][1]
        if auth[:5].upper() == "AWS4-" and not _sigv4_complete(auth):
            hits.append(_hit("protocol:incomplete_signature", 0.7, ["header", "AUTHORIZATION"], auth))
    if "%25" in target or ";" in target or "%3b" in target or "%3B" in target:
        _path_evasion(target, hits)
    # `Connection: keep-alive` is on most requests; the per-header checks run when it lists more, or when a header
    # with its own rules is there
    if "connection" in lnames and headers[lnames.index("connection")][1].lower() not in _PLAIN_CONNECTION \
            or not _SPECIAL.isdisjoint(lnames):
        _special(request, target, headers, set(lnames), hits)
    return hits


# PHP run as CGI reads a query string without `=` as its command line (CVE-2012-1823): `?-s` prints the source,
# `?-d+allow_url_include%3d1+-d+auto_prepend_file%3dphp://input` runs the body; on Windows a soft hyphen (%AD) is
# "best-fit" mapped to `-` (CVE-2024-4577). Query strings that start with an option are nothing else.
_CGI_ARGS: Final = re.compile(r"^(?:-|%2d|%ad|%c2%ad)[a-z](?:$|[+&]|%20|%3d)", re.I)
# With register_argc_argv on, PHP splits the query string at `+` into $_SERVER['argv'] whether it has a `=` or not,
# and console frameworks read options from there on web requests too: `?--env=local` switches Laravel's environment
# (CVE-2024-52301). No form or link names its first parameter `--option`.
_LONG_OPTION: Final = re.compile(r"^(?:-|%2d){2}[a-z][\w-]*(?:$|[+&=]|%20|%3d)", re.I)
# A range end past 2**63 (MS15-034 overflows IIS's HTTP.sys with `bytes=0-18446744073709551615`) or a crowd of
# ranges (CVE-2011-3192: hundreds of overlapping ranges make the server build a response per range).
_MAX_RANGES: Final = 16


def _query_tricks(target: str, hits: list[Hit]) -> None:
    qs = target.partition("?")[2]
    if qs[:1] in ("-", "%") and "=" not in qs and _CGI_ARGS.match(qs):
        hits.append(Hit(type="php", point=["target"], value=target[:256], rule="php:cgi_argument", score=0.85))
    elif qs[:1] in ("-", "%") and _LONG_OPTION.match(qs):
        hits.append(Hit(type="php", point=["target"], value=target[:256], rule="php:argv_option", score=0.7))
    low = target.lower()
    if "_method=" in low:
        for k, v in parse_qsl(qs, keep_blank_values=True):
            if k.lower() == "_method":
                _override(v, ["get", "_method"], hits)
    if "autodiscover.json" in low:
        # Exchange's explicit-logon confusion sits in the query after the file name, which no point keeps together
        found = ssrf.analyze(low)
        if found is not None and found.rule == "ssrf:explicit_logon":
            hits.append(Hit(type="ssrf", point=["target"], value=target[:256], rule=found.rule, score=found.score))


def _override(value: str, point: list, hits: list[Hit]) -> None:
    # DELETE/PUT/PATCH/MERGE through POST (or GET) is how REST clients behind proxies that pass only GET and POST
    # work, and a value that is no method (`X`, `12345`) reaches at most a 405; naming TRACE, TRACK, DEBUG or CONNECT
    # asks the framework for what the front end refuses as a method
    if value.strip().upper() in _NO_OVERRIDE:
        hits.append(_hit("protocol:method_override", 0.6, point, value))


def _bounds(headers: Any, size: int, hits: list[Hit]) -> None:
    """Header fields past what servers accept: overflow probes and header floods."""
    if len(headers) > _MAX_FIELDS:
        hits.append(_hit("protocol:too_many_headers", 0.6, ["header"], f"{len(headers)} header fields"))
    big = next(((k, v) for k, v in headers if len(v) > _MAX_FIELD), None)
    if big is not None:
        hits.append(_hit("protocol:header_too_large", 0.6, ["header", big[0].upper()], f"{len(big[1])} bytes"))
    elif size > _MAX_HEAD:
        hits.append(_hit("protocol:header_too_large", 0.6, ["header"], f"{size} bytes of header fields"))


def _client_ip_spray(headers: Any, hits: list[Hit]) -> None:
    """Three or more client-address headers all naming loopback: an allow-list probe (403 bypass), not a proxy chain."""
    named = set()
    for k, v in headers:
        lk = k.lower()
        if lk in _CLIENT_IP:
            if lk == "forwarded":
                v = ",".join(m.strip('"') for m in re.findall(r"for=(\"[^\"]*\"|[^;,\s]+)", v, re.I))
            if _LOOPBACK_ONLY.match(v):
                named.add(lk)
    if len(named) >= 3:
        hits.append(_hit("protocol:client_ip_spoof", 0.7, ["header"], ", ".join(sorted(named))))


# Headers a framework writes for itself between its own layers and strips (or trusts) on the way in: a client sending
# one speaks for the framework. Next.js marks its middleware's own subrequests with `x-middleware-subrequest` and skips
# the middleware for them (CVE-2025-29927: the client names the middleware, up to the recursion limit, and walks past
# its auth checks); `x-now-route-matches` carries the matched route params between Vercel's router and the renderer
# (a client's value poisons the cached page, CVE-2024-46982); `x-invoke-*` and `x-middleware-invoke` went between
# the Next.js router and its render workers. `x-middleware-prefetch` and `x-nextjs-data` are the client router's own.
_INTERNAL_HEADERS: Final = frozenset({"x-middleware-subrequest", "x-middleware-subrequest-id", "x-middleware-invoke",
                                      "x-now-route-matches", "x-invoke-path", "x-invoke-query", "x-invoke-status",
                                      "x-invoke-output", "x-invoke-error"})


# AWS Signature V4 (and V4a): every signer writes the credential scope down to `aws4_request`, the signed header list
# and the signature. One without them is not a signature a server can check; it is there for a server that takes the
# access key's user before verifying (CrushFTP CVE-2025-31161: `Credential=crushadmin/` logs in as crushadmin).
_SIGV4_PARTS: Final = (re.compile(r"Credential\s*=\s*[^/,\s]+(?:/[^/,\s]+){2,3}/aws4_request\s*(?:,|$)", re.I),
                       re.compile(r"SignedHeaders\s*=\s*[\w;.-]+", re.I),
                       re.compile(r"Signature\s*=\s*[0-9a-fA-F]{64,}", re.I))


def _sigv4_complete(value: str) -> bool:
    return all(p.search(value) for p in _SIGV4_PARTS)


def _internal_headers(headers: Any, hits: list[Hit]) -> None:
    for k, v in headers:
        if k.lower() in _INTERNAL_HEADERS:
            hits.append(_hit("protocol:internal_header", 0.8, ["header", k.upper()], f"{k}: {v}"))
            return


# One client address (`203.0.113.7`, `[2001:db8::1]:4711`, `unknown`, RFC 7239's `_hidden` obfuscated node) or a
# host name. A value hundreds of bytes long holding something else is no proxy's doing: it is sized for the parser that
# copies it (Ivanti Connect Secure CVE-2025-22457 overflows a stack buffer with a long X-Forwarded-For).
_ADDRESS: Final = re.compile(r'"?(?:\[?[0-9A-Fa-f:.]{2,45}(?:%[\w.-]{1,16})?\]?(?::\d{1,5})?|unknown|_[\w.-]{1,64}|'
                             r'(?=[\w.-]{1,253}(?:[:"]|$))[A-Za-z0-9_-]{1,63}(?:\.[A-Za-z0-9_-]{1,63})*\.?(?::\d{1,5})?)"?')
_FORWARDED_PAIR: Final = re.compile(r'\s*(?:for|by|host|proto)\s*=\s*("[^"]{0,300}"|[^;,"\s]{0,300})\s*', re.I)
_LONG_CLIENT_IP: Final = 128


def _client_ip_overflow(headers: Any, hits: list[Hit]) -> None:
    for k, v in headers:
        if len(v) < _LONG_CLIENT_IP or k.lower() not in _CLIENT_IP:
            continue
        if k.lower() == "forwarded":
            parts = [m.group(1) if m else None for m in [_FORWARDED_PAIR.fullmatch(x) for x in re.split(r"[;,]", v)
                                                          if x.strip()]]
            ok = all(p is not None and (p == "" or _ADDRESS.fullmatch(p.strip())) for p in parts)
        else:
            ok = all(_ADDRESS.fullmatch(p.strip()) for p in v.split(","))
        if not ok:
            hits.append(_hit("protocol:client_ip_overflow", 0.7, ["header", k.upper()], v))
            return


# `%25` followed by the hex of a letter, digit or `-._~`: an unreserved character encoded twice. No encoder percent-
# encodes those even once; twice is for a front end that decodes once and matches its path rules on `%77ebui` while the
# back end decodes again and serves `/webui` (Cisco IOS XE CVE-2023-20198 `/%2577ebui_wsma_HTTP`).
_DOUBLE_UNRESERVED: Final = re.compile(r"%25(?:3[0-9]|4[1-9A-Fa-f]|5[0-9Aa]|6[1-9A-Fa-f]|7[0-9Aa]|2[DdEe]|5[Ff]|7[Ee])")
# A path parameter with no `=` that is a file extension after a name without one (`/app/rest/users;.jsp`, `/admin;.css`):
# Tomcat drops path parameters before routing, while a filter matching on the raw URI sees a `.jsp` or a static file
# and lets it through unauthenticated (TeamCity CVE-2024-27198, Spring Security and Shiro `;.css` bypasses). Session ids
# (`;jsessionid=...`) and matrix parameters (`;color=red`) have a `=`; a path forwarded in a query value counts too.
_EXT_PARAM: Final = re.compile(r"/[\w~-]*[\w~];[^/;=?&#]*\.(?:jspx?|jsf|do|action|php\d?|phtml|aspx?|ashx|asmx|cfm|cgi|"
                               r"css|js|png|gif|jpe?g|ico|svg|woff2?|html?)(?=[/;?&#]|$)", re.I)

# in a query value only the bare extension (`?jsp=/app/rest/users;.jsp`): resource lists there use `;` between names
_EXT_PARAM_QUERY: Final = re.compile(_EXT_PARAM.pattern.replace(r";[^/;=?&#]*\.", r";\."), re.I)


def _path_evasion(target: str, hits: list[Hit]) -> None:
    path = target.partition("?")[0]
    if "%25" in path and _DOUBLE_UNRESERVED.search(path):
        hits.append(_hit("protocol:double_encoding", 0.7, ["target"], target))
    path, _, query = (unquote_text(target, True) if "%" in target else target).partition("?")
    if _EXT_PARAM.search(path) or ";." in query and _EXT_PARAM_QUERY.search(query):
        hits.append(_hit("protocol:extension_path_param", 0.7, ["target"], target))


def _form_names(text: str) -> set[str]:
    return {unquote_text(p.partition("=")[0], True).strip() for p in text.split("&")} - {""}


def _fat_get(target: str, body: bytes, headers: Any, hits: list[Hit]) -> None:
    """A GET whose form body names a query parameter: caches key on the query, frameworks merge the body over it."""
    ctype = next((v.lower() for k, v in headers if k.lower() == "content-type"), "")
    if ctype and not ctype.startswith("application/x-www-form-urlencoded"):
        return
    both = _form_names(target.partition("?")[2].partition("#")[0]) & _form_names(body[:4096].decode("latin-1"))
    if both:
        hits.append(_hit("protocol:fat_get", 0.6, ["body"], ", ".join(sorted(both))))


def _range(value: str, hits: list[Hit]) -> None:
    spec = value.partition("=")[2]
    if spec.count(",") >= _MAX_RANGES or any(len(n) > 18 for n in re.findall(r"\d+", spec)):
        hits.append(_hit("protocol:bad_range", 0.8, ["header", "RANGE"], value))


def _odd_target(target: str, method: str, request: Any, headers: Any, hits: list[Hit]) -> None:
    """A target that is not origin-form: absolute-form (proxies), authority-form (CONNECT), or something else."""
    if method == "CONNECT" or "://" in target[:10]:
        url = target if method != "CONNECT" else f"http://{target}"
        try:
            parts = urlsplit(url)
            host, port = (parts.hostname or ""), parts.port
        except ValueError:
            hits.append(_hit("protocol:bad_target", 0.7, ["target"], target))
            return
        _internal(f"{parts.scheme}://{parts.netloc.rpartition('@')[2]}/", target, request, hits)
        # A forward proxy's client names the same host twice; an origin that routes on one and builds URLs from
        # the other can be pointed anywhere (routing-based SSRF, cache keys).
        hv = (request.host or "").strip().lower().rstrip(".")
        if method != "CONNECT" and hv:
            h, _, p = hv.rpartition(":") if not hv.endswith("]") and ":" in hv else (hv, "", "")
            default = 443 if parts.scheme.lower() in ("https", "wss") else 80
            if h.strip("[]") != host.rstrip(".") or (int(p) if p.isascii() and p.isdigit() else default) != (port or default):
                hits.append(_hit("protocol:target_host_mismatch", 0.7, ["target"], target))
        return
    # `http://backend` + target: an `@` before the first `/` makes what precedes it credentials and what follows the
    # host the back end is asked to reach (`GET @169.254.169.254/latest/...`).
    head = re.split(r"[/?#]", target, maxsplit=1)[0]
    if "@" in head:
        hits.append(_hit("protocol:authority_target", 0.8, ["target"], target))
        _internal(f"http://{head.rpartition('@')[2]}/", target, request, hits)
    else:
        hits.append(_hit("protocol:bad_target", 0.45, ["target"], target))


def _internal(url: str, shown: str, request: Any, hits: list[Hit]) -> None:
    """A request routed to a metadata service, loopback or private name through this server (proxy abuse)."""
    found = ssrf.analyze(url)
    if found is not None and found.score >= 0.5 and not _to_itself(url, request):
        hits.append(Hit(type="ssrf", point=["target"], value=shown[:256], rule=found.rule, score=found.score))


def _to_itself(url: str, request: Any) -> bool:
    """The capture saw a request really sent to a metadata service (an instance's own SDK asking for credentials)."""
    server = getattr(request, "server_ip", "") or ""
    if not server:
        return False
    try:
        if urlsplit(url).hostname == server:
            return True
    except ValueError:
        return False
    found = ssrf.analyze(f"http://[{server}]/" if ":" in server else f"http://{server}/")
    return found is not None and found.rule == "ssrf:cloud_metadata"


def _host(host: str, request: Any, hits: list[Hit]) -> None:
    if host and not _HOST_OK.fullmatch(host):
        hits.append(_hit("protocol:bad_host", 0.7, ["header", "HOST"], host))
        return
    # A Host naming the metadata service (its address or its DNS name, not a one-label service name such as
    # `metadata:8080`): a proxy or a virtual-host router in front would forward the request there.
    name = _hostname(host)
    if "." not in name and name[:1] != "[" or not (name[:1].isdigit() or name[:1] == "[" or "metadata" in name):
        return
    found = ssrf.analyze(f"http://{host}/")
    if found is not None and found.rule == "ssrf:cloud_metadata" and not _to_itself(f"http://{host}/", request):
        hits.append(Hit(type="ssrf", point=["header", "HOST"], value=host, rule=found.rule, score=found.score))


def _hostname(v: str) -> str:
    v = v.strip().lower().rstrip(".")
    if v.startswith("["):
        return v.partition("]")[0] + "]"
    return v.partition(":")[0].rstrip(".")


def _special(request: Any, target: str, headers: Any, lnames: set[str], hits: list[Hit]) -> None:
    """Connection lists, expectations and the forwarding / URL-override headers proxies write."""
    # a client address of loopback is no proxy's doing: a proxy writes where its client came from, and no client
    # reaches it from 127.0.0.1; `X-Forwarded-For: 127.0.0.1` is how clients pretend to be local
    proxied = any(k.lower() in _PROXY_EVIDENCE and not _LOOPBACK_ONLY.match(v) for k, v in headers) or any(
        k.lower() == "forwarded" and "for=" in v.lower() for k, v in headers)
    host = _hostname(request.host or "")
    for k, v in headers:
        lk = k.lower()
        if lk == "connection":
            listed = {t.strip().lower() for t in v.split(",")}
            if listed & _HOP_FRAMING:
                hits.append(_hit("protocol:hop_by_hop_framing", 0.85, ["header", "CONNECTION"], v))
            elif listed & _HOP_TRUST:
                hits.append(_hit("protocol:hop_by_hop_strip", 0.7, ["header", "CONNECTION"], v))
        elif lk == "expect":
            e = v.strip().lower()
            if e and e != "100-continue":
                # the only expectation there is; a disguised one is read by one hop and not the next (desync)
                score = 0.8 if "100" in e or "continue" in e else 0.4
                hits.append(_hit("protocol:bad_expect", score, ["header", "EXPECT"], v))
        elif (lk in _HOST_OVERRIDE or lk == "forwarded") and not proxied and host:
            # a forwarding header no proxy wrote (no client address beside it): the client names the host that
            # links, redirects and cache keys are built from (reset-link and cache poisoning)
            named = [_hostname(x) for x in v.split(",")] if lk != "forwarded" else [
                _hostname(m.strip('"')) for m in re.findall(r"host=(\"[^\"]*\"|[^;,\s]+)", v, re.I)]
            if any(n and n != host for n in named):
                hits.append(_hit("protocol:host_override", 0.7, ["header", k.upper()], v))
        elif lk in _METHOD_OVERRIDE:
            _override(v, ["header", k.upper()], hits)
        elif lk in _PREFIX:
            if any(_OFFSITE.match(p) for p in v.split(",")):
                # a prefix is a path (`/app`); `//host`, `\\host` or `https:` make every link built on it off-site
                hits.append(_hit("protocol:prefix_override", 0.7, ["header", k.upper()], v))
        elif lk in _URL_OVERRIDE:
            val = v.strip()
            if val.startswith("/") and val.split("?")[0] != target.split("?")[0]:
                # A rewriting proxy (IIS ARR) sends the original URL beside its client-address headers; without those
                # the client chose the path the framework will route on, past whatever guards the front end's path.
                score = 0.8 if not proxied and _RESTRICTED.search(val.split("?")[0]) else 0.45
                hits.append(_hit("protocol:url_override", score, ["header", k.upper()], v))


def _body_request(body: bytes, headers: Any, hits: list[Hit]) -> None:
    if _REQUEST_LINE.match(body[:4096]):
        ctype = next((v.lower() for k, v in headers if k.lower() == "content-type"), "")
        if not ctype.startswith(_HTTP_MEDIA):
            first = body.split(b"\n", 1)[0].decode("latin-1")[:256]
            hits.append(_hit("protocol:request_in_body", 0.85, ["body"], first))


_CHUNKED: Final = ("chunked", "gzip, chunked", "deflate, chunked", "identity")


def _framing(headers: Any, hits: list[Hit]) -> None:
    """Content-Length / Transfer-Encoding conflicts (request smuggling)."""
    cls: list[str] = []
    tes: list[str] = []
    for k, v in headers:
        lk = k.lower()
        if lk == "content-length":
            cls.append(v)
        elif lk == "transfer-encoding":
            tes.append(v)
    if cls and tes:
        hits.append(_hit("protocol:cl_te", 0.9, ["header", "TRANSFER-ENCODING"], ",".join(tes)))
    if len(cls) > 1 and len({c.strip() for c in cls}) > 1:
        hits.append(_hit("protocol:duplicate_cl", 0.9, ["header", "CONTENT-LENGTH"], ",".join(cls)))
    if any(not (c.strip().isascii() and c.strip().isdigit()) for c in cls):  # `²`, `٣`: digits to str, not to HTTP
        hits.append(_hit("protocol:bad_cl", 0.8, ["header", "CONTENT-LENGTH"], ",".join(cls)))
    elif any(len(c.strip()) > 15 and int(c) > _MAX_CL for c in cls):
        hits.append(_hit("protocol:huge_cl", 0.8, ["header", "CONTENT-LENGTH"], ",".join(cls)))
    elif any(c.strip()[:1] == "0" and len(c.strip()) > 1 for c in cls):
        # `0043`: canonical senders never pad; parsers that read a leading zero as octal or reject it disagree
        hits.append(_hit("protocol:bad_cl", 0.6, ["header", "CONTENT-LENGTH"], ",".join(cls)))
    if len(tes) > 1 or tes and tes[0].strip().lower() not in _CHUNKED:
        hits.append(_hit("protocol:bad_te", 0.85, ["header", "TRANSFER-ENCODING"], ",".join(tes)))
