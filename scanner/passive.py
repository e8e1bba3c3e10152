"""Passive checks on captured transactions: SQL errors, stack traces, version banners, card numbers, secrets."""
from __future__ import annotations

import base64
import binascii
import re
import sys
from dataclasses import dataclass, field
from typing import IO, Iterable, Iterator, Optional

import msgspec

from core.events import TransactionEvent, decode_event
from scanner.finding import Finding, evidence
from scanner.signatures import Matcher, mask

MAX_LINE = 16 << 20              # one event line; longer lines are rejected, not buffered further
_VERSION = re.compile(r"\d+\.\d+")
VERSION_HEADERS = ("server", "x-powered-by", "x-aspnet-version", "x-aspnetmvc-version", "x-generator",
                   "x-runtime-version")
TITLES = {"sql_error": "SQL error message in a response", "stack_trace": "Stack trace in a response",
          "secret": "Key or token in a response", "card_number": "Payment card number in a response",
          "version_disclosure": "Software version disclosed"}


@dataclass
class Observed:
    """A response as the passive checks see it, whether captured by the sensor or fetched by the scanner."""

    url: str
    method: str
    target: str
    status: int
    headers: list[tuple[str, str]]
    body: bytes
    ref: str = ""        # event id, for the evidence


def event_url(ev: TransactionEvent) -> str:
    """Best-effort URL of a captured request: scheme from the server port, host from the Host header."""
    scheme = "https" if ev.server.port in (443, 8443) else "http"
    host = ev.request.host or (f"[{ev.server.ip}]" if ":" in ev.server.ip else ev.server.ip)
    if not ev.request.host and ev.server.port not in (80, 443):
        host = f"{host}:{ev.server.port}"
    return f"{scheme}://{host}{ev.request.target.split('?', 1)[0] or '/'}"


def observed_from_event(ev: TransactionEvent) -> Optional[Observed]:
    if ev.response is None:
        return None
    body = b""
    if ev.response.body_b64:
        try:
            body = base64.b64decode(ev.response.body_b64, validate=False)
        except (binascii.Error, ValueError):
            body = b""
    return Observed(url=event_url(ev), method=ev.request.method, target=ev.request.target,
                    status=ev.response.status, headers=list(ev.response.headers), body=body, ref=ev.id)


class PassiveAnalyzer:
    """Runs the signature set over responses; keeps one finding per (type, url, signature)."""

    def __init__(self, matcher: Optional[Matcher] = None) -> None:
        self.matcher = matcher or Matcher()

    def analyze(self, obs: Observed) -> list[Finding]:
        out: list[Finding] = []
        request = f"{obs.method} {obs.target} HTTP/1.1" + (f"\n(event {obs.ref})" if obs.ref else "")
        seen: set[tuple[str, str]] = set()
        for m in self.matcher.scan(obs.body):
            key = (m.signature.kind, m.signature.name)
            if key in seen:
                continue
            seen.add(key)
            shown = mask(m.signature.kind, m.text)
            text = obs.body.decode("utf-8", errors="replace")
            around = text[max(0, m.start - 60):m.start].replace(m.text, shown) + shown
            out.append(Finding(type=m.signature.kind, severity=m.signature.severity, url=obs.url,
                               method=obs.method, param="", confidence=0.9 if m.signature.kind != "secret" else 0.7,
                               technique=m.signature.name, title=TITLES[m.signature.kind], source="passive",
                               evidence=evidence(request, f"HTTP/1.1 {obs.status}\n...{around}...")))
        for name, value in obs.headers:
            if name.lower() in VERSION_HEADERS and _VERSION.search(value):
                root = obs.url[: obs.url.index("/", obs.url.index("//") + 2) + 1] if obs.url.count("/") >= 3 else obs.url
                out.append(Finding(type="version_disclosure", severity="info", url=root, method="GET",
                                   param=f"header:{name}", confidence=1.0, technique="header",
                                   title=TITLES["version_disclosure"], source="passive",
                                   evidence=evidence(request, f"HTTP/1.1 {obs.status}\n{name}: {value}"[:512])))
        return out


@dataclass
class EventStats:
    read: int = 0
    bad: int = 0
    reasons: list[str] = field(default_factory=list)   # first few, for the terminal


def read_events(stream: IO[bytes], stats: EventStats) -> Iterator[TransactionEvent]:
    """Events of a JSONL stream; bad lines are counted (with a reason) and skipped, never fatal."""
    lineno = 0
    while True:
        line = stream.readline(MAX_LINE + 1)
        if not line:
            return
        lineno += 1
        if len(line) > MAX_LINE and not line.endswith(b"\n"):
            while line and not line.endswith(b"\n"):      # drain the rest of an oversized line
                line = stream.readline(MAX_LINE)
            _bad(stats, f"line {lineno}: longer than {MAX_LINE} bytes")
            continue
        if not line.strip():
            continue
        try:
            ev = decode_event(line)
        except (msgspec.ValidationError, msgspec.DecodeError) as exc:
            _bad(stats, f"line {lineno}: {exc}")
            continue
        stats.read += 1
        yield ev


def _bad(stats: EventStats, reason: str) -> None:
    stats.bad += 1
    if len(stats.reasons) < 5:
        stats.reasons.append(reason[:200])


def events_from_clickhouse(client, database: str, since_minutes: int, tenant: Optional[str] = None,
                           limit: int = 100_000, attacks_only: bool = False,
                           stats: Optional[EventStats] = None) -> Iterator[TransactionEvent]:
    """Recent events from the region's `transactions` table (the raw event JSON column)."""
    stats = stats or EventStats()
    where = ["time >= now() - %(secs)s"]
    if tenant:
        where.append("tenant = %(tenant)s")
    if attacks_only:
        where.append("hit_count > 0")
    query = (f"SELECT event FROM {database}.transactions WHERE {' AND '.join(where)} "
             f"ORDER BY time LIMIT {int(limit)}")
    for (raw,) in client.execute_iter(query, {"secs": int(since_minutes) * 60, "tenant": tenant or ""}):
        try:
            ev = decode_event(raw)
        except (msgspec.ValidationError, msgspec.DecodeError) as exc:
            _bad(stats, f"clickhouse row: {exc}")
            continue
        stats.read += 1
        yield ev


def analyze_events(events: Iterable[TransactionEvent], analyzer: Optional[PassiveAnalyzer] = None) -> list[Finding]:
    analyzer = analyzer or PassiveAnalyzer()
    out: list[Finding] = []
    for ev in events:
        obs = observed_from_event(ev)
        if obs is not None:
            out += analyzer.analyze(obs)
    return out


def open_events(path: str) -> IO[bytes]:
    return sys.stdin.buffer if path == "-" else open(path, "rb")
