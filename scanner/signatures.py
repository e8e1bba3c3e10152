"""Response signatures (SQL errors, stack traces, secrets, card numbers): hyperscan finds which, `re` extracts."""
from __future__ import annotations

import re
from dataclasses import dataclass

import hyperscan


@dataclass(frozen=True)
class Signature:
    kind: str          # sql_error | stack_trace | secret | card_number | version_disclosure
    name: str
    pattern: str       # PCRE subset both hyperscan and `re` accept
    severity: str
    caseless: bool = False


SIGNATURES: tuple[Signature, ...] = (
    # SQL errors, per engine
    Signature("sql_error", "mysql", r"You have an error in your SQL syntax", "medium", True),
    Signature("sql_error", "mysql", r"Warning: mysqli?_\w+\(", "medium"),
    Signature("sql_error", "mysql", r"com\.mysql\.jdbc\.exceptions", "medium"),
    Signature("sql_error", "postgresql", r"PG::SyntaxError", "medium"),
    Signature("sql_error", "postgresql", r"ERROR:\s+syntax error at or near", "medium"),
    Signature("sql_error", "postgresql", r"unterminated quoted string at or near", "medium"),
    Signature("sql_error", "postgresql", r"org\.postgresql\.util\.PSQLException", "medium"),
    Signature("sql_error", "postgresql", r"psycopg2?\.errors\.\w+", "medium"),
    Signature("sql_error", "mssql", r"Unclosed quotation mark after the character string", "medium"),
    Signature("sql_error", "mssql", r"System\.Data\.SqlClient\.SqlException", "medium"),
    Signature("sql_error", "mssql", r"Microsoft OLE DB Provider for (ODBC Drivers|SQL Server)", "medium"),
    Signature("sql_error", "oracle", r"\bORA-\d{5}\b", "medium"),
    Signature("sql_error", "oracle", r"quoted string not properly terminated", "medium"),
    Signature("sql_error", "sqlite", r"sqlite3\.OperationalError", "medium"),
    Signature("sql_error", "sqlite", r"SQLite3?::SQLException", "medium"),
    Signature("sql_error", "sqlite", r"SQLITE_ERROR", "medium"),
    Signature("sql_error", "sqlite", r"unrecognized token: \"", "medium"),
    Signature("sql_error", "generic", r"SQLSTATE\[\w+\]", "medium"),
    Signature("sql_error", "generic", r"near \"[^\"\n]{1,60}\": syntax error", "medium"),
    # stack traces
    Signature("stack_trace", "python", r"Traceback \(most recent call last\)", "low"),
    Signature("stack_trace", "java", r"\bat [\w$.]+\([\w$]+\.java:\d+\)", "low"),
    Signature("stack_trace", "java", r"Exception in thread \"", "low"),
    Signature("stack_trace", "php", r"(Fatal error|Parse error|Warning)</b>?:? .{1,200} on line <b>?\d+", "low"),
    Signature("stack_trace", "node", r"\bat [\w.<>]+ \(/[^)\n]+\.js:\d+:\d+\)", "low"),
    Signature("stack_trace", "dotnet", r"Server Error in '[^'\n]*' Application", "low"),
    Signature("stack_trace", "go", r"goroutine \d+ \[running\]", "low"),
    # keys and tokens
    Signature("secret", "aws_access_key", r"\b(AKIA|ASIA)[0-9A-Z]{16}\b", "high"),
    Signature("secret", "private_key", r"-----BEGIN (RSA |EC |DSA |OPENSSH |ENCRYPTED )?PRIVATE KEY-----", "high"),
    Signature("secret", "github_token", r"\bgh[pousr]_[A-Za-z0-9]{36}\b", "high"),
    Signature("secret", "slack_token", r"\bxox[abprs]-[A-Za-z0-9-]{10,}", "high"),
    Signature("secret", "google_api_key", r"\bAIza[0-9A-Za-z_\-]{35}", "medium"),
    Signature("secret", "stripe_live_key", r"\b[sr]k_live_[0-9A-Za-z]{24,}", "high"),
    Signature("secret", "jwt", r"\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}", "medium"),
    # payment cards: candidates only; Luhn and the issuer prefix decide
    Signature("card_number", "pan", r"\b\d(?:[ -]?\d){12,18}\b", "high"),
    Signature("version_disclosure", "body_banner",
              r"(Apache|nginx|Microsoft-IIS|PHP|Tomcat|Jetty|OpenSSL)/\d+\.\d+(\.\d+)?", "info"),
)


@dataclass(frozen=True)
class Match:
    signature: Signature
    text: str          # the matched text (mask before showing secrets)
    start: int


def luhn_ok(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = ord(ch) - 48
        if i % 2:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total % 10 == 0


_CARD_PREFIX = re.compile(r"^(4|5[1-5]|2[2-7]|3[47]|6011|65|64[4-9]|35|3[068])")


def card_ok(text: str) -> bool:
    """A card number: 13-19 digits, a known issuer prefix, not all one digit, and a valid Luhn sum."""
    digits = re.sub(r"\D", "", text)
    return (13 <= len(digits) <= 19 and bool(_CARD_PREFIX.match(digits)) and len(set(digits)) > 1
            and luhn_ok(digits))


def mask(kind: str, text: str) -> str:
    """Never copy a secret or card number into a report whole."""
    if kind == "card_number":
        digits = re.sub(r"\D", "", text)
        return "*" * (len(digits) - 4) + digits[-4:]
    if kind == "secret":
        return text[:6] + "…" + f"({len(text)} chars)"
    return text


class Matcher:
    """Compiled signature set: one hyperscan pass says which signatures fire, `re` then extracts them."""

    def __init__(self, signatures: tuple[Signature, ...] = SIGNATURES) -> None:
        self.signatures = signatures
        self._regex = [re.compile(s.pattern, re.I if s.caseless else 0) for s in signatures]
        self._db = hyperscan.Database()
        flags = [hyperscan.HS_FLAG_SINGLEMATCH | (hyperscan.HS_FLAG_CASELESS if s.caseless else 0)
                 for s in signatures]
        self._db.compile(expressions=[s.pattern.encode() for s in signatures], ids=list(range(len(signatures))),
                         elements=len(signatures), flags=flags)

    def scan(self, data: bytes) -> list[Match]:
        fired: set[int] = set()
        self._db.scan(data, match_event_handler=lambda sid, _f, _t, _fl, _c: fired.add(sid))
        if not fired:
            return []
        text = data.decode("utf-8", errors="replace")
        out: list[Match] = []
        for sid in sorted(fired):
            sig = self.signatures[sid]
            for m in self._regex[sid].finditer(text):
                if sig.kind == "card_number" and not card_ok(m.group(0)):
                    continue
                out.append(Match(sig, m.group(0), m.start()))
                if len(out) > 200:     # bound work on hostile bodies
                    return out
        return out
