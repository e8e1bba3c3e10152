"""E-mail header and IMAP/SMTP command injection."""
from __future__ import annotations

TYPE = "mail_injection"
RULES: list[tuple[str, float, str]] = [
    # `To:` and `From:` open and sign letters, cards and gift notes (`To: Dad\nFrom: the kids :-)`); as injected headers
    # they carry an address (`\nBcc: x@evil.example`, `\nFrom: "IT" <it@evil.example>`). The headers no letter writes
    # (Cc, Bcc, Reply-To, Subject, Sender, Return-Path, MIME-Version) count with any value. A bare local name
    # (`\nFrom: ceo`: the MTA appends its own domain) is reported only: a signature line looks the same
    ("mail:header", 0.9, r"[\r\n]\s*(?:cc|bcc|reply-to|subject|sender|return-path|mime-version)\s*:"),
    ("mail:header", 0.9, r"[\r\n]\s*(?:to|from)\s*:[^\r\n]*(?:[\w.+\-%]@[\w\-\[]|<[^<>\r\n]*>)"),
    ("mail:header", 0.45, r"[\r\n]\s*(?:to|from)\s*:\s*[\w.+\-]+\s*(?:[\r\n]|$)"),
    ("mail:smtp_command", 0.9, r"[\r\n]\s*(?:rcpt\s+to|mail\s+from)\s*:|[\r\n]\s*(?:helo|ehlo)\s+[\w.\-]+\s*(?:[\r\n]|$)"),
    # a line that is only an SMTP/POP3 verb with its argument shape: `VRFY root`, `EXPN staff`, `STARTTLS`, `CAPA`,
    # a `USER x` / `PASS y` pair; bare English-word verbs (LIST, QUIT, DATA) alone on a line stay prose
    ("mail:smtp_verb", 0.85, r"[\r\n]\s*(?:vrfy|expn)\s+[\w.@\-]+\s*(?:[\r\n]|$)|[\r\n]\s*(?:starttls|stls|capa|rset|uidl)\s*(?:[\r\n]|$)|[\r\n]\s*user\s+\S+\s*[\r\n]+\s*pass\s+\S+"),
    # a message verb and its number ending the value, or, for the verbs no prose starts a line with (`DELE 1`, `RETR 2`,
    # `TOP 1 0`), followed by more commands (`alice\r\nDELE 1\r\nQUIT`); `Top 10\nList` is a heading
    ("mail:pop3_command", 0.85, r"[\r\n]\s*(?:retr|dele|top|list|uidl|apop)\s+\d+\s*(?:\d+\s*)?$|[\r\n]\s*(?:(?:retr|dele)\s+\d+|top\s+\d+\s+\d+)[ \t]*[\r\n]|[\r\n]\s*auth\s+\w+\s+[a-z0-9+/=]{8,}"),
    # POP3 `APOP name digest` (RFC 1939 §7: an MD5 hex digest) and a `STAT` line followed by another POP3 command;
    # `STAT` alone is a word (a medical order, a game's stat line)
    ("mail:pop3_command", 0.85, r"[\r\n]\s*apop\s+\S+\s+[0-9a-f]{32}\s*(?:[\r\n]|$)|[\r\n]\s*stat[ \t]*[\r\n]+\s*(?:quit|uidl|list|retr\s+\d+|dele\s+\d+|top\s+\d+\s+\d+)[ \t]*(?:\d+[ \t]*)?(?:[\r\n]|$)"),
    # `STATUS` only with its mailbox and item list (`A1 STATUS INBOX (MESSAGES)`): `exit status 2` ends every failed
    # `go run` in a pasted panic
    ("mail:imap_command", 0.85, r"[\r\n]\s*\w+\s+(?:fetch|select|login|logout|list|lsub|create|delete|rename|capability|examine|append|store|copy|uid|search|authenticate|starttls|noop|idle|expunge)(?:\s|$)|[\r\n]\s*\w+\s+status\s+\S+\s*\("),
    # the IMAP extension verbs no prose uses (ACL RFC 4314, QUOTA RFC 9208, METADATA RFC 5464, XLIST) after any tag;
    # the verbs that are English or UI words (CHECK, CLOSE, UNSELECT, NAMESPACE, ENABLE, MOVE, SUBSCRIBE, ID) only
    # after a tag of letters and digits (`a1`, `A001`) and in their argument shape, ending the line
    ("mail:imap_command", 0.85, r"[\r\n]\s*\w+\s+(?:setacl|getacl|deleteacl|listrights|myrights|getquota|getquotaroot|setquota|getmetadata|setmetadata|xlist)(?:\s|$)|[\r\n][ \t]*[a-z]{1,8}\d{1,6}[ \t]+(?:check|close|unselect|namespace|enable[ \t]+[\w=+\-]+|(?:un)?subscribe[ \t]+\S+|move[ \t]+[\d:*,]+[ \t]+\S+|id[ \t]+(?:nil|\([^\r\n]*\))|compress[ \t]+deflate)[ \t]*(?:[\r\n]|$)"),
    # a MIME header right after a single-line value's first line (subject, name, address) switches the message to the
    # attacker's body (`Hello\r\nContent-Type: text/html\r\n\r\n<a href=…>`); a pasted HTTP message starts with a
    # request or status line, which has a `/`, and a multipart body or MIME part starts with its `--boundary` line;
    # the header line holds just a header (`Content-Type: text/html is returned …` is a sentence)
    ("mail:mime_header", 0.85, r"^(?:[^\r\n/\-][^\r\n/]{0,199})?\r?\n\s*content-(?:type\s*:\s*(?:text|multipart|message|image|application)/[\w.+\-]+|transfer-encoding\s*:\s*(?:base64|quoted-printable|[78]bit|binary)|disposition\s*:\s*(?:attachment|inline))\s*(?:;[^\r\n]*)?\r?\n"),
    # sendmail options smuggled into an address that reaches mail()'s fifth argument or a sendmail command line
    # (PHPMailer CVE-2016-10033, Roundcube `_from`): `-X` logging the message to a script under the web root,
    # `-OQueueDirectory=` / `-oQ` with `-X`, `-C` reading a config file
    ("mail:sendmail_args", 0.9, r"(?:^|[\s\"'\\])-x\s*/[^\s\"']*(?:\.(?:php\d?|phtml|phar|pht|inc|jsp|aspx?|cgi|pl|py|sh)\b|/(?:www|html|htdocs|public_html|public|uploads?|web)/)|(?:^|[\s\"'\\])-o\s*queuedirectory\s*=\s*\S|(?:^|[\s\"'\\])-oq\s*/\S*\s+-x\s*\S|(?:^|[\s\"'\\])-c\s*/\S*\.cf\b"),
]
