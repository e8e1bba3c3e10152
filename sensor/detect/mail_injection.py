"""E-mail header and IMAP/SMTP command injection."""
from __future__ import annotations

TYPE = "mail_injection"
RULES: list[tuple[str, float, str]] = [
    ("mail:header", 0.9, r"[\r\n]\s*(?:to|cc|bcc|from|reply-to|subject|sender|return-path|mime-version)\s*:"),
    ("mail:smtp_command", 0.9, r"[\r\n]\s*(?:rcpt\s+to|mail\s+from)\s*:|[\r\n]\s*(?:helo|ehlo)\s+[\w.\-]+\s*(?:[\r\n]|$)"),
    # a line that is only an SMTP/POP3 verb with its argument shape: `VRFY root`, `EXPN staff`, `STARTTLS`, `CAPA`,
    # a `USER x` / `PASS y` pair; bare English-word verbs (LIST, QUIT, DATA) alone on a line stay prose
    ("mail:smtp_verb", 0.85, r"[\r\n]\s*(?:vrfy|expn)\s+[\w.@\-]+\s*(?:[\r\n]|$)|[\r\n]\s*(?:starttls|capa|rset)\s*(?:[\r\n]|$)|[\r\n]\s*user\s+\S+\s*[\r\n]+\s*pass\s+\S+"),
    ("mail:pop3_command", 0.85, r"[\r\n]\s*(?:retr|dele|top|list|uidl|apop)\s+\d+\s*(?:\d+\s*)?$|[\r\n]\s*auth\s+\w+\s+[a-z0-9+/=]{8,}"),
    ("mail:imap_command", 0.85, r"[\r\n]\s*\w+\s+(?:fetch|select|login|logout|list|lsub|create|delete|rename|capability|examine|status|append|store|copy|uid|search|authenticate|starttls|noop|idle|expunge)(?:\s|$)"),
]
