"""Server-side request forgery: URLs that point at metadata services, loopback, private ranges or odd schemes."""
from __future__ import annotations

import ipaddress
import re

from sensor.detect.base import Finding

TYPE = "ssrf"
TRIGGERS = [r"(?:https?|gopher|dict|ldap|tftp|jar|netdoc|file|ftp|sftp|ws|wss)\s*:\s*/?", r"[a-z][a-z0-9+.\-_]*://", r"\blocalhost\b", r"169\.254\.", r"metadata",
            r"^\s*\[?[0-9a-fx.:]+\]?(?::\d+)?/", r"\b(?:127|10|0)\.\d", r"192\.168\.", r"\[::", r"\.(?:internal|local)\b", r"\b(?:localtest|lvh|vcap)\.me\b", r"\bip(?:v)?6-(?:localhost|loopback)\b", r"\blocalhost\d"]

_URL = re.compile(r"^\s*(?:([a-z][a-z0-9+.\-]*)\s*:\s*/{0,3})?(?:[^@/\s]*@)?(\[[^\]]*\]|[^/:?#\s\\]+)(?::(\d+))?", re.I)
_METADATA = re.compile(r"169\.254\.169\.254|169\.254\.170\.2|metadata\.google\.internal|metadata\.azure\.com|100\.100\.100\.200|"
                       r"fd00:ec2::254|instance-data\b|metadata\.packet\.net|/latest/meta-data|/computemetadata/|/metadata/v1|"
                       r"/opc/v[12]/|/metadata/instance", re.I)


def _parse_ip(h: str) -> ipaddress._BaseAddress | None:
    h = h.strip("[]")
    try:
        return ipaddress.ip_address(h)
    except ValueError:
        pass
    # inet_aton forms: decimal, hex, octal, short dotted (127.1)
    parts = h.split(".")
    if len(parts) == 1 and parts[0].lower().startswith("0x") and len(parts[0]) != 10:
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


_ODD_DOTS = str.maketrans({"\u3002": ".", "\uff0e": ".", "\uff61": "."})  # ideographic/full-width full stops
# Every `@host` a lenient URL parser might take for the authority (`http://a.example:80 &@b.example# @127.0.0.1/`).
_AT_HOST = re.compile(r"@\s*(\[[0-9a-f:.]+\]|[0-9a-fx.]+)(?=[:/\s#?]|$)", re.I)


# Backslashes inside a URL's host: no DNS name has them, lenient resolvers (glibc NSS) drop them (`\g\o\o\g\l\e.com`);
# the only reason to write them is to hide the host from filters.
_ESCAPED_HOST = re.compile(r"^\s*(?:https?|ftp)://(?:[^/\s?#@\\]*\\+[a-z0-9]){2}", re.I)


def analyze(value: str) -> Finding | None:
    found = _analyze(value)
    if found is None and "\\" in value and _ESCAPED_HOST.match(value):
        return Finding(TYPE, "ssrf:escaped_host", 0.6)
    return found


def _analyze(value: str) -> Finding | None:
    if not value.isascii():
        value = value.translate(_ODD_DOTS)
    if "@" in value and "://" in value[:12] and value.count("@") + value.count("#") >= 2:
        for mm in _AT_HOST.finditer(value[:512]):
            ipc = _parse_ip(mm.group(1))
            if ipc is not None and (ipc.is_loopback or ipc.is_link_local or ipc.is_private or ipc.is_unspecified):
                return Finding(TYPE, "ssrf:authority_confusion", 0.85)
    if _METADATA.search(value):
        return Finding(TYPE, "ssrf:cloud_metadata", 0.95 if "://" in value else 0.45)
    m = _URL.match(value)
    if not m:
        return None
    scheme, host = (m.group(1) or "").lower(), (m.group(2) or "").lower()
    if "\\" in value[:80]:
        m2 = _URL.match(value.replace("\\", ""))
        if m2:
            m, scheme, host = m2, (m2.group(1) or "").lower(), (m2.group(2) or "").lower()
    if scheme in ("gopher", "dict", "ldap", "tftp", "jar", "netdoc", "sftp", "local_file"):
        return Finding(TYPE, "ssrf:scheme", 0.9)
    rest = value[m.end():]
    if not scheme and not rest.startswith(("/", ":")) and not host.startswith("["):
        return None  # a bare word, not a URL
    if host in ("localhost", "localhost.localdomain", "localhost4", "localhost4.localdomain4", "localhost6",
                "localhost6.localdomain6", "ip6-localhost", "ipv6-localhost", "ip6-loopback", "ipv6-loopback", "0",
                "0.0.0.0", "localtest.me", "lvh.me", "vcap.me", "lacolhost.com") or host.endswith(
            (".localhost", ".internal", ".localtest.me", ".lvh.me", ".nip.io", ".xip.io", ".sslip.io")):
        return Finding(TYPE, "ssrf:loopback_name", 0.85 if scheme or host.startswith(("localhost", "ip")) else 0.6)
    if not scheme and host.isdigit() and len(host) < 8:
        return None  # `12/25`, `3/4 cup`, `2024/06/report`: a number before a slash; an address as one integer has 8+ digits
    ip = _parse_ip(host)
    if ip is None:
        return None
    dotted = re.fullmatch(r"\d{1,3}(?:\.\d{1,3}){3}", host) is not None
    if not scheme and not dotted and ip.is_global and not host.startswith("["):
        return None  # `1.5/2`: without a scheme only an encoded address that lands inside the network matters
    if ip.is_loopback or ip.is_unspecified or ip.is_link_local:
        return Finding(TYPE, "ssrf:loopback_ip", 0.9)
    if not dotted and not host.startswith("["):
        return Finding(TYPE, "ssrf:encoded_ip", 0.9)
    if ip.version == 6 and getattr(ip, "ipv4_mapped", None) is not None:
        return Finding(TYPE, "ssrf:encoded_ip", 0.9)
    if ip.is_private and scheme:
        return Finding(TYPE, "ssrf:private_ip", 0.6)
    return None
