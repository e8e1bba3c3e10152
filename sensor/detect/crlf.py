"""CRLF injection / response splitting: a line break followed by something shaped like a header."""
from __future__ import annotations

TYPE = "crlf"
RULES: list[tuple[str, float, str]] = [
    ("crlf:header_injection", 0.9, r"[\r\n]\s*(?:set-cookie|location|content-(?:length|security-policy)|x-[\w\-]+|refresh|access-control-[\w\-]+|cache-control|host|transfer-encoding|link|server|via|http/\d)\s*:"),
    ("crlf:response_split", 0.95, r"[\r\n]\s*[\r\n]\s*(?:http/\d|<html|<script|<\?xml)|\r?\n\s*http/1\.[01]\s+\d{3}"),
]
