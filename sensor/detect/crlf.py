"""CRLF injection / response splitting: a line break followed by something shaped like a header."""
from __future__ import annotations

TYPE = "crlf"

# Header names a split response is built from (the line after the break).
_HEADER = (r"(?:set-cookie|location|content-(?:length|type|security-policy|disposition)|x-[\w\-]+|refresh|"
           r"access-control-[\w\-]+|cache-control|host|transfer-encoding|link|server|via|http/\d)")
# A character whose code point ends in 0x0A / 0x0D (`嘊` U+560A, `嘍` U+560D, `Ċ`, `č`): servers that write a header
# one byte per character keep the low byte and emit LF / CR. Matched on the UTF-8 bytes: a 2-byte lead with its low
# two bits clear, or a 3-byte lead and a continuation byte with its low two bits clear, then 0x8A / 0x8D.
_WIDE_BREAK = r"(?:[\xc4\xc8\xcc\xd0\xd4\xd8\xdc]|[\xe0-\xef][\x80\x84\x88\x8c\x90\x94\x98\x9c\xa0\xa4\xa8\xac\xb0\xb4\xb8\xbc])[\x8a\x8d]"
# An encoded line break still standing after one decoding pass (`%0a`), or one a filter leaves behind when it strips
# `%0a` once (`%%0a0a` decodes to `%`, LF, `0a`)
_LEFT_BREAK = r"%[\r\n]*0[ad]"
# A log line's shape: a timestamp with a level or `key=value` after it, an access-log line, a syslog line, or a level
# before a timestamp
_LOG_LINE = (r"(?:\[?\d{4}[-/.]\d\d[-/.]\d\d[ t_]\d\d:\d\d(?::\d\d)?[^\r\n]{0,40}?(?:\b(?:info|warn|warning|error|err|debug|"
             r"trace|fatal|critical|crit|notice|alert|emerg|audit|severe)\b|\b\w+=\S)|"
             r"\d{1,3}(?:\.\d{1,3}){3}\s+\S+\s+\S+\s+\[\d\d/[a-z]{3}/\d{4}:\d\d:\d\d:\d\d|"
             r"[a-z]{3}\s+\d{1,2}\s+\d\d:\d\d:\d\d\s+[\w.\-]+\s+[\w.\-/]+(?:\[\d+\])?:|"
             r"\[?(?:info|warn|warning|error|debug|trace|fatal|critical|notice)\]?\s*[:\-]?\s*\[?\d{4}[-/]\d\d[-/]\d\d)")

# Response headers a server or proxy acts on that are spelled `X-…`: never iCalendar or vCard property names.
_X_ACTIVE = (r"x-(?:accel-[\w\-]+|sendfile|lighttpd-send-file|forwarded-[\w\-]+|original-url|rewrite-url|real-ip|"
             r"frame-options|xss-protection|content-type-options|powered-by|http-method-override|cache[\w\-]*)")
# The value does not open with `BEGIN:V` (an iCalendar or vCard document: VCALENDAR, VEVENT, VTODO, VCARD…), written
# without lookaround for hyperscan: a first character other than `b`, or a `b…` prefix that leaves the word early (the
# last alternative: a prefix of `begin:` cut by the line break itself).
_NOT_CALENDAR = (r"^\s*(?:(?:[^\sb]|b(?:[^e\r\n]|e(?:[^g\r\n]|g(?:[^i\r\n]|i(?:[^n\r\n]|n(?:[^:\r\n]|:[^v\r\n]))))))"
                 r".*|b(?:e(?:g(?:i(?:n:?)?)?)?)?)?")

# The line break before an injected header line, which starts the line: at most one blank after the last break. A line
# indented further continues the previous header (obs-fold, RFC 9112 §5.2) and is no header of its own; in YAML and
# other config text it is a nested key (`ingress:\n  host: api.example`).
_BREAK = r"[\r\n](?:[\r\n \t]*[\r\n])?[ \t]?"
# A header line has a value; a name and a colon that end the line open a YAML mapping (`server:\n  port: 8080`).
_VALUE = r"[ \t]*:[ \t]*[^\s]"
# The first line of a value that is one token (a file name, a language, a path, an id; a file name may have blanks
# before its extension): an injected Content-* header needs nothing before it. A pasted multipart part (`--boundary`),
# a MIME header block or a labelled list (`Headers:`) starts otherwise.
_TOKEN_LINE = r"^[ \t]*(?:[^\s:\-][^\s:]{0,127}|[^\s:\-/][^\r\n:/]{0,62}\.[a-z][a-z0-9]{0,4})?[ \t]*"

RULES: list[tuple[str, float, str]] = [
    ("crlf:header_injection", 0.9, _BREAK + r"(?:set-cookie|content-(?:length|security-policy)|" + _X_ACTIVE + r"|refresh|access-control-[\w\-]+|cache-control|host|transfer-encoding|link|server|via|http/\d)" + _VALUE),
    # `LOCATION:` and `X-WR-CALNAME:` are lines of a calendar entry; outside one they are headers a split response adds
    # (a redirect needs a 3xx the application already gives its own Location, so inside a calendar nothing is lost)
    ("crlf:header_injection", 0.9, _NOT_CALENDAR + _BREAK + r"(?:location|x-[\w\-]+)" + _VALUE),
    # `report.pdf\r\nContent-Disposition: attachment; filename=evil.html`, `en\r\nContent-Type: text/html`: the
    # content headers of a split response right after a one-token value (prose and pasted documents carry them too)
    ("crlf:header_injection", 0.9, _TOKEN_LINE + _BREAK + r"content-(?:type|disposition|encoding|location|language)" + _VALUE),
    ("crlf:response_split", 0.95, r"[\r\n]\s*[\r\n]\s*(?:http/\d|<html|<script|<\?xml)|\r?\n\s*http/1\.[01]\s+\d{3}"),
    # log forging: a one-word value (a user name, an id) followed by a line break and a forged log line; a pasted log
    # in a ticket starts with prose, a heading with a colon or a log line of its own
    ("crlf:log_forging", 0.8, r"^\s*[\w.@+\-]{1,64}[ \t]*[\r\n]+\s*" + _LOG_LINE),
    # the same with the break written as a truncating wide character or a leftover `%0a`: nothing but an injection
    # puts either right before a header name (prose has a space or a word there: `200 Kč server: Praha`)
    ("crlf:header_injection", 0.9, r"(?:" + _WIDE_BREAK + r"|" + _LEFT_BREAK + r")+" + _HEADER + r"\s*:"),
]
