"""Server-side request forgery: URLs that point at metadata services, loopback, private ranges or odd schemes."""
from __future__ import annotations

import ipaddress
import re
from typing import Final

from sensor.detect.base import SERVER_WORDS, Finding, param_words

TYPE: Final = "ssrf"
TRIGGERS: Final = [r"(?:https?|gopher|dict|ldap|tftp|jar|netdoc|file|ftp|sftp|ws|wss)\s*:\s*/?", r"[a-z][a-z0-9+.\-_]*://", r"\blocalhost\b", r"169\.254\.", r"metadata",
                   r"^\s*\[?[0-9a-fx.:]+\]?(?::\d+)?/", r"\b(?:127|10|0)\.\d", r"192\.168\.", r"\[::", r"\.(?:internal|local)\b", r"\b(?:localtest|lvh|vcap)\.me\b", r"\bip(?:v)?6-(?:localhost|loopback)\b", r"\blocalhost\d",
                   r"^\s*(?:[a-z][a-z0-9+.\-]*:)?[/\\]{2}", r"autodiscover\.json"]

# A scheme followed by the slashes (or backslashes, which WHATWG parsers read as slashes) of an authority.
_HIER: Final = re.compile(r"^([a-z][a-z0-9+.\-]*)\s*:\s*([/\\]*)", re.I)
_BARE: Final = re.compile(r"^(\[[^\]\s]*\]|[^/:?#\s\\\[@]+)(?::(\d{1,5}))?(?=$|[/?#:\\])", re.I)
# A local socket named as the host: request libraries' `http://unix:/var/run/docker.sock:/path` (got, needle, axios
# adapters), `http+unix://%2Fvar%2Frun%2Fdocker.sock/` (requests-unixsocket), and `unix:/path.sock` (Docker clients,
# Apache mod_proxy's `unix:/path|http://`): the request reaches the Docker / containerd / PHP-FPM API, not a web host
_UNIX_SOCKET: Final = re.compile(r"^(?:https?|wss?|h2c?)\s*:\s*//\s*unix\s*:\s*/|^(?:https?|wss?|h2c?)\+unix\s*:\s*//\s*(?:%2f|/)|"
                                 r"^unix\s*:\s*/*[\w.\-/]*\.sock\b", re.I)
_METADATA: Final = re.compile(r"169\.254\.169\.254|169\.254\.170\.2|metadata\.google\.internal|metadata\.azure\.com|100\.100\.100\.200|"
                              r"192\.0\.0\.192|metadata\.tencentyun\.com|rancher-metadata|"
                              r"fd00:ec2::254|instance-data\b|metadata\.packet\.net|/latest/meta-data|/computemetadata/|/metadata/v1|"
                              r"/opc/v[12]/|/metadata/instance", re.I)
# Every ASCII text _METADATA matches holds one of these (lower-cased); its case-blind alternation, tried at every
# position, cost `re` ~15 µs on a value with a URL in it.
_METADATA_KEYS: Final = ("169.254.", "metadata", "meta-data", "100.100.100.200", "192.0.0.192", "fd00:ec2::254",
                         "instance-data", "/opc/v")


def _metadata(v: str) -> bool:
    """`_METADATA.search(v)`, looked for only where one of _METADATA_KEYS is (outside ASCII, `re.I` folds more
    letters: searched anyway)."""
    if v.isascii():
        low = v.lower()
        if not any(k in low for k in _METADATA_KEYS):
            return False
    return _METADATA.search(v) is not None


# Cloud metadata endpoints (AWS, GCP, Azure, Alibaba, Oracle, Tencent, OpenStack, Packet/Equinix, Rancher).
_METADATA_HOSTS: Final = {"169.254.169.254", "169.254.170.2", "metadata.google.internal", "metadata.azure.com", "100.100.100.200",
                          "fd00:ec2::254", "instance-data", "metadata.packet.net", "metadata", "192.0.0.192", "metadata.tencentyun.com",
                          "rancher-metadata"}
# Schemes a URL fetcher may speak that talk to non-HTTP services (gopher and dict smuggle Redis/SMTP commands);
# `gopher://`, `dict://`, `jar:http://`: the scheme followed by what it needs, not `dict: a python type`.
_ODD_SCHEME: Final = re.compile(r"^(?:gopher|dict|ldap[si]?|tftp|sftp|netdoc|local_file):[/\\]|^jar:(?:[a-z]+:|[/\\])", re.I)
_LOOPBACK_NAMES: Final = {"localhost", "localhost.localdomain", "localhost4", "localhost4.localdomain4", "localhost6",
                          "localhost6.localdomain6", "ip6-localhost", "ipv6-localhost", "ip6-loopback", "ipv6-loopback", "0",
                          "0.0.0.0"}
# Public DNS names that resolve to loopback or to any address written into them (DNS rebinding helpers).
_REBIND_SUFFIXES: Final = (".localtest.me", ".lvh.me", ".vcap.me", ".nip.io", ".xip.io", ".sslip.io", ".rbndr.us", ".1u.ms",
                           ".traefik.me", ".lacolhost.com")
_REBIND_NAMES: Final = {"localtest.me", "lvh.me", "vcap.me", "lacolhost.com", "traefik.me"}
# Names that only exist inside a network: cloud-internal zones, Kubernetes services, mDNS, RFC 8375, Consul's DNS zone
# and common LAN zones.
_INTERNAL_SUFFIXES: Final = (".localhost", ".internal", ".svc", ".cluster.local", ".localdomain")
_LAN_SUFFIXES: Final = (".local", ".lan", ".intranet", ".corp", ".home.arpa", ".home", ".private", ".consul")
# Ports of services that do not speak HTTP, or admin APIs that should never be a user-supplied target
# (ssh, smtp, ldap, smb, databases, redis, memcached, docker, etcd, kubelet).
_SERVICE_PORTS: Final = {11, 19, 21, 22, 23, 25, 110, 111, 135, 139, 143, 389, 445, 465, 587, 636, 993, 995, 1433, 1521, 2375,
                         2376, 2379, 3306, 3389, 5432, 5900, 6379, 9042, 10250, 11211, 27017}
# The path of an OAuth/OIDC redirect endpoint (`/callback`, `/login/oauth2/code/google`, `/signin-oidc`, `/auth/cb`):
# where a browser lands after login; the authorization server never fetches it.
_REDIRECT_PATH: Final = re.compile(r"^(?:/[\w\-]+){0,4}/(?:[\w\-]*(?:callback|redirect)[\w\-]*|oauth2?|oidc|signin[\w\-]*|sso|cb)"
                                   r"(?:/[\w\-]+){0,2}/?$", re.I)
_SPECIAL: Final = {"http", "https", "ws", "wss", "ftp", "ftps"}  # WHATWG "special" schemes: any run of slashes leads to the host
_SHARED: Final = ipaddress.ip_network("100.64.0.0/10")  # carrier-grade NAT space (Alibaba metadata lives here)
# Documentation ranges (RFC 5737, RFC 3849): Python counts them as private, but no network routes them inside.
_DOC_NETS: Final = tuple(ipaddress.ip_network(n) for n in ("192.0.2.0/24", "198.51.100.0/24", "203.0.113.0/24", "2001:db8::/32"))
_NAT64: Final = ipaddress.ip_network("64:ff9b::/96")  # RFC 6052 well-known prefix: the last 32 bits are an IPv4 address
_IP_IN_NAME: Final = re.compile(r"(?:^|\.)(\d{1,3}([.-])\d{1,3}\2\d{1,3}\2\d{1,3})\.")
_CIDR: Final = re.compile(r"^\s*\d{1,3}(?:\.\d{1,3}){3}/\d{1,2}\s*$")


def _parse_ip(h: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    h = h.strip("[]")
    try:
        ip = ipaddress.ip_address(h)
    except ValueError:
        pass
    else:
        if ip.version == 6 and ip.ipv4_mapped is None and int(ip) >> 32 == 0 and int(ip) > 1:
            # IPv4-compatible (`::127.0.0.1`, deprecated): stacks that still honour it route to the IPv4 address
            return ipaddress.ip_address(int(ip) & 0xFFFFFFFF)
        return ip
    # inet_aton forms: decimal, hex, octal, short dotted (127.1)
    parts = h.split(".")
    if len(parts) == 1 and parts[0].lower().startswith("0x") and len(parts[0]) != 10:
        if 10 < len(parts[0]) <= 18:
            # a hex host wider than 32 bits (`0x41414141A9FEA9FE`): parsers that keep the low 32 bits reach
            # 169.254.169.254 while a filter that rejects the whole number sees no address
            try:
                return ipaddress.ip_address(int(parts[0], 16) & 0xFFFFFFFF)
            except ValueError:
                return None
        return None
    if not 1 <= len(parts) <= 4 or not all(parts):
        return None
    try:
        nums = [int(p, 0) if p.lower().startswith("0x") else (int(p, 8) if len(p) > 1 and p.startswith("0") else int(p)) for p in parts]
    except ValueError:
        return None
    val = 0
    for i, n in enumerate(nums[:-1]):
        if n > 255:
            return None
        val |= n << (24 - 8 * i)
    val |= nums[-1] & 0xFFFFFFFF
    try:
        return ipaddress.ip_address(val & 0xFFFFFFFF)
    except ValueError:
        return None


_ODD_DOTS: Final = str.maketrans({"\u3002": ".", "\uff0e": ".", "\uff61": "."})  # ideographic/full-width full stops
# Every `@host` a lenient URL parser might take for the authority (`http://a.example:80 &@b.example# @127.0.0.1/`).
_AT_HOST: Final = re.compile(r"@\s*(\[[0-9a-f:.]+\]|[0-9a-fx.]+)(?=[:/\s#?]|$)", re.I)


# Backslashes inside a URL's host: no DNS name has them, lenient resolvers (glibc NSS) drop them (`\g\o\o\g\l\e.com`);
# the only reason to write them is to hide the host from filters.
_ESCAPED_HOST: Final = re.compile(r"^\s*(?:https?|ftp)://(?:[^/\s?#@\\]*\\+[a-z0-9]){2}", re.I)


# Exchange's explicit-logon path handling strips `autodiscover/autodiscover.json?…` from the URL and proxies the rest to
# a back end as the machine account (ProxyShell CVE-2021-34473, ProxyNotShell CVE-2022-41040): the `?@host` /
# `?a..b` right after the file name is that confusion; an Outlook client's own query starts with a name (`?Email=`)
_EXPLICIT_LOGON: Final = re.compile(r"autodiscover\.json\s*(?:\?|%3f)\s*(?:@|[\w\-]*\.\.)", re.I)


# The redirect URI of OAuth (`redirect_uri`, `redirectUri`, `post_logout_redirect_uri`, registration's `redirect_uris`):
# the authorization server sends the browser there and never fetches it; a native app listens on loopback (RFC 8252
# §7.3: `http://127.0.0.1:{port}/{path}`, `http://[::1]:{port}/`, `localhost`). Only that plain shape: no user info,
# no encoded address, no metadata host.
_LOOPBACK_REDIRECT: Final = re.compile(r"^\s*https?://(?:127\.\d{1,3}\.\d{1,3}\.\d{1,3}|\[::1\]|localhost)(?::\d{1,5})?(?:[/?#][^\\@\s]*)?\s*$", re.I)
# Schemes a settings field may name for itself or a server field may hold (`sftp_url=sftp://…`, `remote_host=sftp://…`,
# `ldap_server=ldaps://…`): there the scheme is the feature, and only the host it reaches matters; gopher and dict
# have no such use.
_NAMEABLE: Final = {"sftp", "tftp", "ldap", "ldaps"}


def analyze(value: str, param: str = "") -> Finding | None:
    """`param` is the parameter name the value travels under ("" when there is none, as in a URL path)."""
    if _EXPLICIT_LOGON.search(value):
        return Finding(TYPE, "ssrf:explicit_logon", 0.9)
    found = _analyze(value)
    if found is not None and param:
        found = _by_param(value, param, found)
    elif found is None and param and _LOOPBACK_LITERAL.match(value):
        found = _host_param(param)
    if (found is None or found.score < 0.6) and "\\" in value and _ESCAPED_HOST.match(value):
        return Finding(TYPE, "ssrf:escaped_host", 0.6)
    return found


# The whole value is a loopback or unspecified address literal (`127.0.0.1`, `0.0.0.0`, `[::1]`), maybe with a port.
_LOOPBACK_LITERAL: Final = re.compile(r"^\s*(?:127(?:\.\d{1,3}){3}|0\.0\.0\.0|\[?::1\]?|\[?::ffff:127(?:\.\d{1,3}){3}\]?)(?::\d{1,5})?\s*$")
# The application's own back-end services an admin points at loopback in a settings form (`db_host=127.0.0.1`).
_OWN_SERVICES: Final = frozenset(("db", "database", "sql", "mysql", "mariadb", "postgres", "pg", "mongo", "mongodb", "redis", "cache",
                                  "memcache", "memcached", "smtp", "mail", "imap", "pop", "ldap", "proxy", "bind", "listen", "dns"))


def _host_param(param: str) -> Finding | None:
    """A bare loopback address given as the host a server-side import, fetch or connect should reach (`importPaste(host:
    "127.0.0.1", port: 8500)`): the server talks to itself. A field of its own services' settings is configuration."""
    words = param_words(param)
    if words and words[-1] in ("host", "hostname", "server", "target", "upstream", "remote") and _OWN_SERVICES.isdisjoint(words):
        return Finding(TYPE, "ssrf:loopback_host", 0.6)
    return None


def _by_param(value: str, param: str, found: Finding) -> Finding | None:
    """What the parameter's name changes: a loopback redirect URI is the browser's, a named scheme is the field's."""
    words = param_words(param)
    if found.rule in ("ssrf:loopback_ip", "ssrf:loopback_name") and found.score >= 0.5:
        if "redirect" in words and words[-1] in ("uri", "url", "uris", "urls") and _LOOPBACK_REDIRECT.match(value):
            return Finding(TYPE, found.rule, 0.45)
    elif found.rule == "ssrf:scheme":
        v = value.strip()
        scheme = v.split(":", 1)[0].lower()
        if scheme in _NAMEABLE and (scheme in words or scheme[:4] in words or not SERVER_WORDS.isdisjoint(words)):
            m = _HIER.match(v)
            return _hosts(v, v[m.end():], scheme) if m is not None else None
    return found


def _authorities(rest: str) -> list[str]:
    """The authority as RFC 3986 reads it (ends at `/?#`) and as WHATWG reads it (a backslash ends it too): parsers
    that disagree on `http://127.1:80\\@evil.example/` or `http://127.0.0.1#@evil.example/` reach different hosts."""
    out = []
    for stops in ("/?#", "/?#\\"):
        end = next((i for i, c in enumerate(rest) if c in stops or c.isspace()), len(rest))
        auth = rest[:end]
        if auth not in out:
            out.append(auth)
    return out


def _split_host(auth: str) -> tuple[str, int | None]:
    host = auth.rsplit("@", 1)[-1].strip()
    port: int | None = None
    if host.startswith("["):
        close = host.find("]")
        tail = host[close + 1:] if close > 0 else ""
        host = host[: close + 1] if close > 0 else host
    else:
        host, _, tail = host.partition(":")
        tail = ":" + tail if _ else ""
    if tail.startswith(":") and tail[1:6].isdigit():
        port = int(tail[1:6])
    return host.lower().rstrip("."), port


def _internal(ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    """RFC 1918 / ULA / carrier-grade NAT space: reachable only from inside a network."""
    return (ip.is_private or ip.version == 4 and ip in _SHARED) and not any(ip in n for n in _DOC_NETS if n.version == ip.version)


def _judge(host: str, port: int | None, scheme: str, bare: bool, path: str | None = None) -> Finding | None:
    """What fetching `host` would reach; `bare` means the value had no scheme (an app adds `http://` itself)."""
    if not host:
        return None
    if bare and host.isdigit() and len(host) < 8:
        return None  # `12/25`, `0/5 stars`, `2024/06/report`: a number before a slash; an address as one integer has 8+ digits
    if host in _METADATA_HOSTS:
        # without a scheme (`169.254.169.254/latest/user-data`) only apps that add one themselves would fetch it
        return Finding(TYPE, "ssrf:cloud_metadata", 0.45 if bare else 0.95)
    if host in _LOOPBACK_NAMES or host in _REBIND_NAMES or host.endswith(_REBIND_SUFFIXES + _INTERNAL_SUFFIXES):
        if host == "localhost" and path is not None and _REDIRECT_PATH.match(path):
            return Finding(TYPE, "ssrf:loopback_name", 0.45)  # a native or dev app's OAuth redirect URI (RFC 8252 §7.3)
        return Finding(TYPE, "ssrf:loopback_name", 0.85 if not bare or host.startswith(("localhost", "ip")) else 0.6)
    if host.endswith(_LAN_SUFFIXES) and not bare:
        return Finding(TYPE, "ssrf:internal_name", 0.6)
    ip = _parse_ip(host)
    if ip is None and not bare and "." in host and any(c.isdigit() for c in host[:16]):
        m = _IP_IN_NAME.search(host)
        inner = _parse_ip(m.group(1).replace("-", ".")) if m else None
        if inner is not None and (inner.is_loopback or inner.is_private or inner.is_link_local or inner.is_unspecified):
            # wildcard DNS answers with the address written in the name (`127.0.0.1.attacker.example`, `10-0-0-1.x.example`)
            return Finding(TYPE, "ssrf:ip_in_name", 0.85)
    if ip is None:
        if bare or "." in host or scheme not in _SPECIAL or not re.fullmatch(r"[a-z0-9][a-z0-9_\-]*", host):
            if not bare and port in _SERVICE_PORTS and scheme in ("http", "https", "ws", "wss"):
                return Finding(TYPE, "ssrf:service_port", 0.6)  # HTTP aimed at SMTP/Redis/SSH: protocol smuggling
            return None
        # a single-label host (`http://redis:6379/`) resolves only through the server's own search domains
        return Finding(TYPE, "ssrf:internal_name", 0.6 if port is not None else 0.45)
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is None:
        # 6to4 (`2002:7f00:1::`), NAT64 (`64:ff9b::7f00:1`) and Teredo addresses carry an IPv4 address that the
        # gateway in front of them reaches: judge that one
        inner = ip.sixtofour or (ipaddress.ip_address(int(ip) & 0xFFFFFFFF) if ip in _NAT64 else None) or \
            (ip.teredo[1] if ip.teredo else None)
        if inner is not None:
            if str(inner) in _METADATA_HOSTS:
                return Finding(TYPE, "ssrf:cloud_metadata", 0.95)
            if inner.is_loopback or inner.is_link_local or inner.is_unspecified or _internal(inner):
                return Finding(TYPE, "ssrf:encoded_ip", 0.9)
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        if str(ip.ipv4_mapped) in _METADATA_HOSTS:
            return Finding(TYPE, "ssrf:cloud_metadata", 0.95)
        return Finding(TYPE, "ssrf:encoded_ip", 0.9)  # `[::ffff:7f00:1]`: an IPv4 address dressed as IPv6
    dotted = re.fullmatch(r"\d{1,3}(?:\.\d{1,3}){3}", host) is not None
    if bare and not dotted and not host.startswith("["):
        # `1.5/2`, `0.9.1/CHANGELOG.md`: without a scheme only an encoded address that lands inside the network matters
        if ip.version == 4 and (int(ip) >> 24 == 0 and int(ip) != 0 or not (ip.is_loopback or ip.is_link_local or ip.is_private
                                                                             or ip.is_unspecified)):
            return None
    if ip.is_loopback or ip.is_unspecified or ip.is_link_local:
        if ip.is_loopback and dotted and path is not None and _REDIRECT_PATH.match(path):
            return Finding(TYPE, "ssrf:loopback_ip", 0.45)  # `http://127.0.0.1:8400/callback`: RFC 8252 redirect URI
        return Finding(TYPE, "ssrf:loopback_ip", 0.9)
    if not dotted and not host.startswith("["):
        return Finding(TYPE, "ssrf:encoded_ip", 0.9)
    if _internal(ip) and not bare:
        return Finding(TYPE, "ssrf:private_ip", 0.6)
    if not bare and port in _SERVICE_PORTS and scheme in ("http", "https", "ws", "wss"):
        return Finding(TYPE, "ssrf:service_port", 0.6)
    return None


def _analyze(value: str) -> Finding | None:
    if not value.isascii():
        value = value.translate(_ODD_DOTS)
    v = value.strip()
    found = _from_start(v)
    if found is None and "://" in v[1:512]:
        found = _embedded(v)
    return found


def _from_start(v: str) -> Finding | None:
    """The URL (or bare host) the value starts with."""
    if "@" in v and "://" in v[:12] and v.count("@") + v.count("#") >= 2:
        for mm in _AT_HOST.finditer(v[:512]):
            ipc = _parse_ip(mm.group(1))
            if ipc is not None and (ipc.is_loopback or ipc.is_link_local or ipc.is_private or ipc.is_unspecified):
                return Finding(TYPE, "ssrf:authority_confusion", 0.85)
    if _UNIX_SOCKET.match(v):
        return Finding(TYPE, "ssrf:unix_socket", 0.85)
    if _ODD_SCHEME.match(v):
        return Finding(TYPE, "ssrf:scheme", 0.9)
    m = _HIER.match(v)
    scheme = m.group(1).lower() if m else ""
    if m and not m.group(2) and scheme not in _SPECIAL:
        m = None  # `localhost:8080`, `note:`: a name and a port or a label, not a scheme with an authority
        scheme = ""  # (`http:0xA9FEA9FE` is an authority: WHATWG needs no slashes after a special scheme)
    if m:
        rest = v[m.end():]
        if scheme not in _SPECIAL and not m.group(2).startswith(("//", "\\\\", "/\\", "\\/")):
            return _metadata_mention(v)  # `mailto:`, `urn:`, `file:/x`: no network authority
        bare = False
    elif v[:2] in ("//", "\\\\", "/\\", "\\/"):
        rest, bare = v.lstrip("/\\"), False  # scheme-relative: the page's own scheme is used
        scheme = "http"
    else:
        if _CIDR.match(v):
            return None  # `127.0.0.0/8`, `0.0.0.0/0`: a network in a firewall or allow-list form
        bm = _BARE.match(v)
        if bm is None or not (bm.end() < len(v) or bm.group(1).startswith("[")):
            return _metadata_mention(v)  # a bare word or host without a path: not a URL an app would fetch
        host = bm.group(1).lower().rstrip(".")
        after = v[bm.end():]
        if bm.group(2) is not None and not after[:1] == "/":
            f = _judge(host, int(bm.group(2)), "", True)
            # `localhost:3000`, `127.0.0.1:6379` alone: a developer's address more often than a fetch target
            return Finding(TYPE, f.rule, 0.45) if f is not None else None
        if not after.startswith("/"):
            f = _judge(host, None, "", True) if host.startswith("[") else None
            # a lone bracketed address (`[::ffff:a9fe:a9fe]`) names a host; nothing says it will be fetched
            return Finding(TYPE, f.rule, min(f.score, 0.45)) if f is not None else _metadata_mention(v)
        if bm.group(2) is None and _DOI_PREFIX.fullmatch(host) and after[1:2].strip():
            # `10.1038/s41586-020-2649-2`: a DOI (`10.` and a registrant code of 4+ digits, a slash, the item), which a
            # scheme-less reading takes for 10.0.4.14; an app that adds `http://` itself gets internal addresses as
            # dotted quads or as `10.1`, the short forms
            return None
        f = _judge(host, None, "", True)
        if f is not None and f.score >= 0.5 and bm.group(2) is None and _PROSE_TAIL.match(after):
            # `localhost/wordpress not loading`: a host and a plain path as the subject of a sentence; the words would
            # be part of the path a fetcher asks for, which names nothing on the host. Reported only
            return Finding(TYPE, f.rule, 0.45)
        return f or _metadata_mention(v)
    return _hosts(v, rest, scheme)


_DOI_PREFIX: Final = re.compile(r"10\.\d{4,9}")
# After a scheme-less host: a plain path (letters, digits, `._-/`), then only words of a sentence
_PROSE_TAIL: Final = re.compile(r"^/[\w.\-/]*\s+[a-z][a-z'\u2019\-]*(?:[\s,]+[a-z][a-z'\u2019\-]*)*\s*[.?!]*\s*$", re.I)


def _hosts(v: str, rest: str, scheme: str) -> Finding | None:
    best: Finding | None = None
    for auth in _authorities(rest):
        host, port = _split_host(auth)
        f = _judge(host, port, scheme, False, rest[len(auth):] if "@" not in auth else None)
        if f is not None and (best is None or f.score > best.score):
            best = f
    if "\\" in rest[:80] and (best is None or best.score < 0.85):
        host, port = _split_host(_authorities(rest.replace("\\", ""))[0])  # `\` dropped by lenient resolvers (glibc NSS)
        f = _judge(host, port, scheme, False)
        if f is not None and (best is None or f.score > best.score):
            best = f
    if best is None and _metadata(v):
        return Finding(TYPE, "ssrf:cloud_metadata", 0.95)  # a metadata path behind a redirector or a rebinding name
    return best


_EMBEDDED: Final = re.compile(r"(?:https?|wss?|ftps?|gopher|dict|ldap|tftp|netdoc|jar)\s*:\s*[/\\]{2}", re.I)


def _embedded(v: str) -> Finding | None:
    """A URL inside a value that is one token (`/proxy/http://127.0.0.1/`, `go:http://...`); in prose it is a link."""
    m = _EMBEDDED.search(v, 1, 512)
    if m is None:
        return None
    # spaces after the URL are its own decoded payload (`/imageproxy/gopher://127.0.0.1:25/_HELO x`) when a path segment
    # or a `key=` joins it to what comes before; a URL after a space, or glued to a word (`Error:http://…`), is text
    if any(c.isspace() for c in v[:m.start()]) or any(c.isspace() for c in v[:512]) and v[m.start() - 1] not in "/=":
        return None
    return _from_start(v[m.start():])


def _metadata_mention(v: str) -> Finding | None:
    """A metadata address or path named without a URL around it (`docs on 169.254.169.254`): report, don't block."""
    if not _metadata(v):
        return None
    return Finding(TYPE, "ssrf:cloud_metadata", 0.95 if "://" in v else 0.45)
