"""XML external entities: DOCTYPE/ENTITY declarations that reference SYSTEM/PUBLIC resources or expand recursively."""
from __future__ import annotations

TYPE = "xxe"
RULES: list[tuple[str, float, str]] = [
    ("xxe:external_entity", 0.95, r"<!entity\s+(?:%\s*)?[\w.\-]+\s+(?:system|public)\b"),
    ("xxe:doctype_system", 0.85, r"<!doctype\s+[\w:.\-]+\s+(?:system|public)\s+['\"][^'\"]*(?:file:|https?:|ftp:|php:|expect:|gopher:|jar:|netdoc:|data:|/etc/|\.dtd)"),
    ("xxe:entity_declaration", 0.8, r"<!doctype\s+[\w:.\-]+\s*\[[^\]]*<!entity"),
    ("xxe:parameter_entity", 0.9, r"<!entity\s+%\s*[\w.\-]+|%[\w.\-]+;\s*\]>"),
    ("xxe:xinclude", 0.9, r"<\w*:?include\s[^>]*xmlns\w*:?\w*\s*=\s*['\"]http://www\.w3\.org/2001/xinclude|xi:include\s"),
    # an XML schema the parser may fetch from wherever the request says (remote XSD: SSRF / external entity load)
    ("xxe:remote_schema", 0.8, r"\bxsi:(?:nonamespace)?schemalocation\s*=\s*['\"][^'\"]*(?:https?|ftp|file)://"),
    ("xxe:entity_system_point", 0.9, r"(?:file|https?|ftp|php|expect|gopher|jar|netdoc):[^ ]* system$"),
]
