"""XML external entities: DOCTYPE/ENTITY declarations that reference SYSTEM/PUBLIC resources or expand recursively."""
from __future__ import annotations

TYPE = "xxe"

# What an external DTD's system identifier reaches: a raw IPv4/IPv6 address, a loopback name or an explicit port
# (public DTDs live on named hosts at default ports), or a scheme other than HTTP
_DTD_HOST = (r"(?:https?|ftp)://(?:[^/\s@]*@)?(?:(?:\d{1,3}(?:\.\d{1,3}){3}|\d{8,10}|0x[0-9a-f]{8}|\[[0-9a-f:.]+\]|localhost)"
             r"(?::\d+)?|[\w.\-]+:\d+)(?:/\S*)?")
_DTD_SCHEME = r"(?:file|php|expect|gopher|jar|netdoc):\S+"


RULES: list[tuple[str, float, str]] = [
    # an XML declaration naming UTF-7 (the XML parser reports a body's as a point): markup written as `+ADw-` passes
    # filters that look for `<`, and no XML producer picks the encoding
    ("xxe:utf7_document", 0.85, r"^<\?xml\s[^>]*\bencoding\s*=\s*['\"]?utf-?7['\"]?"),
    ("xxe:external_entity", 0.95, r"<!entity\s+(?:%\s*)?[\w.\-]+\s+(?:system|public)\b"),
    ("xxe:doctype_system", 0.85, r"<!doctype\s+[\w:.\-]+\s+(?:system|public)\s+['\"][^'\"]*(?:file:|https?:|ftp:|php:|expect:|gopher:|jar:|netdoc:|data:|/etc/|\.dtd)"),
    ("xxe:entity_declaration", 0.8, r"<!doctype\s+[\w:.\-]+\s*\[[^\]]*<!entity"),
    ("xxe:parameter_entity", 0.9, r"<!entity\s+%\s*[\w.\-]+|%[\w.\-]+;\s*\]>"),
    ("xxe:xinclude", 0.9, r"<\w*:?include\s[^>]*xmlns\w*:?\w*\s*=\s*['\"]http://www\.w3\.org/2001/xinclude|xi:include\s"),
    # an XML schema the parser may fetch from wherever the request says (remote XSD: SSRF / external entity load)
    ("xxe:remote_schema", 0.8, r"\bxsi:(?:nonamespace)?schemalocation\s*=\s*['\"][^'\"]*(?:https?|ftp)://"),
    ("xxe:entity_system_point", 0.9, r"(?:file|https?|ftp|php|expect|gopher|jar|netdoc):[^ ]* system$"),
    # the DOCTYPE as the XML parser reports it (`name [public-id] system-id`) with a system identifier on a raw
    # address, an explicit port or a non-HTTP scheme: an out-of-band DTD a validating parser would fetch. A public id
    # on a named host is what standard documents carry (`html -//W3C//DTD XHTML 1.0//EN http://www.w3.org/…`); without
    # a public id the identifier must name a DTD file (`see http://192.168.1.10/setup.xml` is prose)
    ("xxe:external_dtd", 0.85, r"^[\w:.\-]+\s+(?:[+\-]//[^\r\n]*//[a-z]{2,3}\s+(?:" + _DTD_HOST + "|" + _DTD_SCHEME
     + r")|(?:" + _DTD_HOST + r"|" + _DTD_SCHEME + r")\.(?:dtd|ent|mod))\s*$"),
]
