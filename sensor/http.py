"""HTTP/1.x per-connection parsing with httptools (llhttp): pairing, pipelining, bodies, smuggling signals."""
from __future__ import annotations

import hashlib
import re
from abc import ABC, abstractmethod
import zlib
from collections import deque
from dataclasses import dataclass
from typing import Optional, Protocol

import httptools

from core.events import EMPTY_SHA256, Hit
from sensor.config import SensorConfig

_METHODS = (rb"GET|POST|PUT|HEAD|DELETE|OPTIONS|PATCH|TRACE|CONNECT|PROPFIND|PROPPATCH|MKCOL|COPY|MOVE|LOCK|"
            rb"UNLOCK|SEARCH|PURGE|REPORT|MKACTIVITY|CHECKOUT|MERGE|NOTIFY|SUBSCRIBE|UNSUBSCRIBE|LINK|UNLINK|"
            rb"SOURCE|QUERY|BIND|REBIND|UNBIND|ACL|MKCALENDAR|M-SEARCH")
# any RFC 9110 token is a method: servers hand unknown ones to the application (Apache + PHP runs `FOO_BAR /x.php?id=..`
# like a GET), so a request line with one must be found too: after a line end only (a resync resumes mid-line, and
# the tail of a known method must not pass for an unknown one); the known methods anywhere, as before
_TOKEN = rb"[!#$%&'*+.^_`|~0-9A-Za-z-]"
REQUEST_START = re.compile(rb"(?:(?:" + _METHODS + rb")|(?<=\n)" + _TOKEN + rb"{1,64}) [^\s]+ HTTP/\d\.\d\r?\n")
# where messages begun in a chunk start (_start_of_current): the chunk's own start counts as a line start there
_REQUEST_LINE = re.compile(rb"(?:(?:" + _METHODS + rb")|(?:^|(?<=\n))" + _TOKEN + rb"{1,64}) [^\s]+ HTTP/\d\.\d\r?\n")
_EXTENSION_METHOD = re.compile(_TOKEN + rb"{1,64}(?= )")
_TOKEN_ONLY = re.compile(_TOKEN + rb"{1,64}")
# llhttp knows a fixed table of methods; a message with any other is parsed with this one in its place (the framing of
# a request does not depend on its method) and gets its own method back when its head is complete
_STAND_IN = b"POST"
# llhttp's error for a request line ended by a bare LF: the line is re-fed the same way, with CRLF
_BARE_LF_LINE = "Expected CRLF after version"
_MAX_JOINS = 3   # guesses that a mid-stream connection is HTTP/2, per connection (sensor/http2.py: probation)
_TRIAL_MAX = 64 << 10   # client bytes kept while a guess is on probation (http2._PROBATION_BYTES hunted ends it)
_PREFACE = b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"   # HTTP/2's client preface (sensor/http2.py reads what follows)


def is_server_preface(data: bytes) -> bool:
    """A server's first HTTP/2 frame: SETTINGS (type 4) on stream 0, flags none or ACK."""
    return len(data) >= 9 and data[3] == 4 and data[4] in (0, 1) and data[5:9] == b"\0\0\0\0"


RESPONSE_START = re.compile(rb"HTTP/\d\.\d \d{3}(?: [^\r\n]*)?\r?\n")
_LOOKS_REQUEST = re.compile(_TOKEN + rb"{1,64} ")

# Protocol-anomaly rules: (score, what it means).  verdict = "attack" when any hit scores >= 0.5.
RULES: dict[str, float] = {
    "cl-te": 0.9,                 # Content-Length and Transfer-Encoding together (request smuggling)
    "duplicate-cl": 0.9,          # several Content-Length headers with different values
    "duplicate-cl-same": 0.4,     # repeated Content-Length with the same value
    "invalid-cl": 0.8,            # Content-Length that is not a plain decimal number
    "obfuscated-te": 0.8,         # Transfer-Encoding other than exactly "chunked" (or repeated / disguised)
    "obfuscated-header": 0.7,     # Content-Length / Transfer-Encoding names spelled with tricks
    "http-parse-error": 0.6,      # llhttp rejected the message (the reason is the hit value)
    "header-too-large": 0.6,
    "data-after-close": 0.4,      # bytes after a message that said Connection: close
    "decompression-bomb": 0.6,    # gzip/deflate body beyond the ratio bound
    "bad-content-encoding": 0.3,  # body does not decompress
    "tcp-gap": 0.0,               # capture lost bytes inside this message (informational)
    # HTTP/2 (sensor/http2.py): what a proxy downgrading to HTTP/1.1 could be made to smuggle
    "h2-connection-header": 0.8,  # Transfer-Encoding, Connection, ... in an HTTP/2 request (H2.TE)
    "h2-content-length": 0.9,     # content-length disagrees with the DATA sent (H2.CL)
    "h2-malformed": 0.6,          # pseudo-headers missing, repeated or after fields; upper-case field names
    "h2-unresolved": 0.0,         # fields compressed against HPACK state from before the sensor joined (informational)
}
_ERROR_RULES = (
    ("Duplicate Content-Length", "duplicate-cl"),
    ("Content-Length can't be present with Transfer-Encoding", "cl-te"),
    ("Invalid character in Content-Length", "invalid-cl"),
    ("Content-Length overflow", "invalid-cl"),
    ("Transfer-Encoding", "obfuscated-te"),
)
_CL, _TE, _HOST, _CE, _CONN, _UPGRADE = 1, 2, 3, 4, 5, 6
_SPECIAL = {b"content-length": _CL, b"transfer-encoding": _TE, b"host": _HOST, b"content-encoding": _CE,
            b"connection": _CONN, b"upgrade": _UPGRADE}
_DISGUISED = re.compile(rb"(?i)^\W*(content[\W_]*length|transfer[\W_]*encoding)\W*$")
_KNOWN_CODINGS = frozenset((b"chunked", b"gzip", b"x-gzip", b"deflate", b"compress", b"identity", b"br"))


def protocol_hit(rule: str, point: list, value: str) -> Hit:
    return Hit(type="protocol", point=point, value=value[:256], rule=rule, score=RULES[rule])


def text(b: bytes) -> str:
    """Bytes from the wire as str: UTF-8 when valid, else latin-1 (lossless byte-to-char mapping)."""
    try:
        return b.decode()
    except UnicodeDecodeError:
        return b.decode("latin-1")


class MemoryAccount(Protocol):
    """Where sessions charge the bytes they hold; the pipeline's reassembler, so one memcap covers everything."""

    http_held: int

    def room(self) -> int:
        """Bytes that may still be held before the global memcap is reached (negative when above it)."""

    def reclaim(self, keep) -> None:
        """Evict other flows (not `keep`) until the memcap holds again."""


class Unbounded:
    """The account of a session used on its own: counts what is held, never says no."""

    def __init__(self) -> None:
        self.http_held = 0

    def room(self) -> int:
        return 1 << 62

    def reclaim(self, keep) -> None:
        pass


# what a kept message costs besides its bytes (object, lists, the str copies of its headers), per message and
# per header line: an estimate on the high side, like the reassembler's flow_overhead
MSG_OVERHEAD = 1024
HEADER_OVERHEAD = 160


class _NoBody(Exception):
    """Raised from on_headers_complete to stop llhttp at the end of a bodiless response head (HEAD)."""


class _Tunnel(Exception):
    """Raised from on_headers_complete when a CONNECT succeeded: the rest is not HTTP."""


class _TooBig(Exception):
    pass


class _TooBigError(httptools.HttpParserError):
    """Head larger than max_header_bytes, detected before llhttp saw the bytes."""


class Message:
    """State shared by requests and responses while and after they are parsed.

    Immutable defaults are class attributes and only the lists are made per message: profiling showed the
    constructor (one per request and one per response) setting two dozen slots as a visible share of the
    per-transaction cost.  `encodings` (a shared empty tuple by default) is replaced, never extended in place."""

    version = "1.1"
    kept = 0
    body_len = 0
    sha = None                # set from the first body byte that could not be kept: hashing continues from there
    truncated = False
    headers_complete = False
    complete = False
    content_length: Optional[int] = None
    chunked = False
    encodings: tuple[bytes, ...] | list[bytes] = ()
    body_gap = False
    head_size = 0
    _decoded: Optional[bytes] = None
    keep_alive = True
    partial = False           # ended by a parse error, a gap or the connection closing, not by framing
    mem = 0                   # bytes charged to the memory account for this message (head, body, inflated)

    def __init__(self, ts: float) -> None:
        self.ts = ts
        self.names: list[bytes] = []      # raw header names and values as sent, in order
        self.values: list[bytes] = []
        self.headers: list[tuple[str, str]] = []
        self.body_parts: list[bytes] = []
        self.hits: list[Hit] = []

    @property
    def body_sha256(self) -> str:
        if self.sha is not None:
            return self.sha.hexdigest()
        return hashlib.sha256(self.raw_body).hexdigest() if self.kept else EMPTY_SHA256

    @property
    def raw_body(self) -> bytes:
        """The de-chunked body as kept (up to the body limit), not decompressed."""
        parts = self.body_parts
        if len(parts) != 1:
            parts[:] = [b"".join(parts)]
        return parts[0] if parts else b""

    def decoded_body(self, cfg: SensorConfig, session: Optional["HttpSession"] = None) -> bytes:
        """The body with Content-Encoding gzip/deflate undone, bounded by size and ratio (flags anomalies).

        With the message's `session`, the inflated output is also bounded by the memcap's room and charged to the
        message (released when it is reported); a cut made by the memcap is counted (`memcap_truncations`)."""
        if self._decoded is not None:
            return self._decoded
        data = self.raw_body
        for coding in reversed(self.encodings[-2:]):
            if coding in (b"gzip", b"x-gzip", b"deflate") and data:
                data = self._inflate(coding, data, cfg, session)
            elif coding not in (b"identity", b""):
                break
        self._decoded = data
        return data

    def _inflate(self, coding: bytes, data: bytes, cfg: SensorConfig, session: Optional["HttpSession"]) -> bytes:
        limit = min(cfg.decompress_limit, max(cfg.decompress_ratio * len(data), 1024))
        by_memcap = False
        if session is not None:
            room = session.acct.room() - (cfg.memcap >> 4)   # the reserve for heads, as for bodies (_Side)
            if room < limit:
                if room <= 0:
                    session.stats.memcap_truncations += 1
                    self.truncated = True
                    return data      # no room for any output: the compressed bytes (already held) stand in
                limit = room
                by_memcap = True
        attempts = (47,) if coding != b"deflate" else (15, -15)   # 47 = gzip or zlib header, -15 = raw deflate
        for wbits in attempts:
            try:
                d = zlib.decompressobj(wbits)
                out = d.decompress(data, limit)
            except zlib.error:
                continue
            if d.unconsumed_tail:
                if by_memcap:
                    session.stats.memcap_truncations += 1
                consumed = len(data) - len(d.unconsumed_tail)
                if len(out) > cfg.decompress_ratio * max(consumed, 1):
                    self.hits.append(protocol_hit("decompression-bomb", ["body"],
                                                  f"{len(data)} bytes inflate beyond {len(out)}"))
                self.truncated = True
            if session is not None:
                session.charge(self, len(out))
            return out
        self.hits.append(protocol_hit("bad-content-encoding", ["header", "CONTENT-ENCODING"], coding.decode("latin-1")))
        return data


class HttpRequest(Message):
    method = ""
    target = b""
    host = ""
    response: Optional["HttpResponse"] = None
    resp_assigned = False
    upgrade = False
    flow_no = 0
    unresolved = 0            # HTTP/2 header fields the sensor could not decode (it joined the connection part-way)


class HttpResponse(Message):
    status = 0
    request: Optional[HttpRequest] = None


@dataclass(slots=True)
class RequestView:
    """What detectors see of one request (body de-chunked, decompressed, bounded)."""

    method: str
    target: str
    version: str
    headers: list[tuple[str, str]]
    body: bytes
    raw_body_len: int
    host: str
    client_ip: str
    client_port: int
    server_ip: str
    server_port: int
    headers_complete: bool = True
    body_complete: bool = True
    body_truncated: bool = False


class SessionListener(Protocol):
    def request_headers(self, session: "HttpSession", req: HttpRequest) -> None: ...
    def request_complete(self, session: "HttpSession", req: HttpRequest) -> None: ...
    def response_begin(self, session: "HttpSession", resp: HttpResponse) -> None: ...
    def transaction(self, session: "HttpSession", req: HttpRequest, resp: Optional[HttpResponse]) -> None: ...


class _Side(ABC):
    """One direction of a connection: an llhttp parser plus resync (hunting) and error recovery."""

    START: re.Pattern = REQUEST_START
    LINE: re.Pattern = _REQUEST_LINE
    __slots__ = ("s", "cfg", "stats", "parser", "cur", "ts", "begun", "hunt", "hunted", "seen_http",
                 "after_close", "hold", "nobody", "tunnel_exc", "tail", "filling", "gave_up", "names", "values",
                 "body_limit", "body_reserve", "alias", "pending")

    def __init__(self, session: "HttpSession", synced: bool) -> None:
        self.s = session
        self.cfg = session.cfg
        self.body_limit = session.cfg.body_limit
        # bodies (which can be cut) leave this part of the memcap to heads and flow state (which cannot)
        self.body_reserve = session.cfg.memcap >> 4
        self.stats = session.stats
        self.parser = None
        self.cur: Optional[Message] = None
        self.ts = 0.0
        self.begun = 0
        self.hunt = b""
        self.hunted = 0
        self.seen_http = synced   # at stream start (SYN seen) the first bytes must be a message start
        self.after_close = False
        self.hold: Optional[bytearray] = None
        self.nobody = False
        self.tunnel_exc = False
        self.tail = b""
        self.filling = False
        self.gave_up = False
        self.names: list[bytes] = []     # header lists of the message being parsed (saves a hop per header)
        self.values: list[bytes] = []
        self.alias: Optional[bytes] = None   # the real method of a message llhttp parses with _STAND_IN
        self.pending = b""   # an unknown method's token cut by a segment edge, waiting for the rest of it

    @abstractmethod
    def _new_parser(self):
        """A fresh llhttp parser for this direction (request or response) bound to this side's callbacks."""

    def feed(self, data: bytes, ts: float) -> None:
        self.ts = ts
        parser = self.parser
        if parser is not None and data and self.hold is None and not self.gave_up and not self.s.tunnel \
                and not self.pending:
            cur = self.cur
            if cur is None or cur.headers_complete:
                # the common case, the loop below's first pass without its checks: a parser in sync, no head
                # growing (a message that starts in `data` is bounded by this chunk, as in the loop)
                self.begun = 0
                data = self._parse(parser, data)
        while data:
            if self.s.tunnel or self.gave_up:
                return
            if self.hold is not None:
                room = self.cfg.resync_window - len(self.hold)
                held = len(self.hold)
                self.hold += data[:max(room, 0)]
                self.s.charge(None, len(self.hold) - held)
                return
            if self.pending:
                self.begun = 0
                data = self._resume_token(data)
                if not data:
                    return
            if self.parser is None:
                data = self._hunt(data)
                if not data:
                    return
                self.parser = self._new_parser()
            self.begun = 0
            cur = self.cur
            if cur is not None and not cur.headers_complete:
                # bound the head: llhttp itself has no size limit; while it grows it is charged as fed
                cur.head_size += len(data)
                if cur.head_size > self.cfg.max_header_bytes:
                    data = self._failed(data, _TooBigError())
                    continue
                s = self.s
                s.charge(cur, len(data))
                if s.acct.room() < 0:
                    s.acct.reclaim(s.flow)
            data = self._parse(self.parser, data)

    def _parse(self, parser, data: bytes) -> bytes:
        """Feed llhttp: b"" when it took all of `data`, else what is left after an upgrade or a parse error."""
        try:
            parser.feed_data(data)
            # a message's method token can arrive over several tiny segments: keep all of it for _cut_method
            self.tail = self.tail[-64:] + data if len(data) < 64 and not self.begun and _TOKEN_ONLY.fullmatch(data) \
                else data
            return b""
        except httptools.HttpParserUpgrade as exc:
            return self._upgraded(data, exc.args[0])
        except httptools.HttpParserError as exc:
            return self._failed(data, exc)

    def _hunt(self, data: bytes) -> bytes:
        if self.seen_http and not self.hunt:
            # stream start after a handshake: parse directly if it looks like the expected message
            self.seen_http = False
            if self._looks_like_start(data):
                return data
        buf = self.hunt + data if self.hunt else data
        m = self.START.search(buf)
        if m is None:
            nl = buf.rfind(b"\n")
            keep = buf[nl + 1:] if nl >= 0 else buf
            if len(keep) > self.cfg.resync_window:
                keep = b""
            self.stats.resync_bytes += len(buf) - len(keep)
            self.hunted += len(buf) - len(self.hunt)
            self.s.charge(None, len(keep) - len(self.hunt))
            self.hunt = keep
            if self.hunted > (1 << 20) and not self.s.any_http:
                self.gave_up = True    # a megabyte without any HTTP: not an HTTP connection
                self.stats.non_http_flows += 1
            return b""
        self.stats.resync_bytes += m.start()
        self.s.charge(None, -len(self.hunt))
        self.hunt = b""
        return buf[m.start():]

    def _looks_like_start(self, data: bytes) -> bool:
        # a short first segment may hold only the start of a method token (`RPC_I`): still the message's start
        return _LOOKS_REQUEST.match(data) is not None or len(data) < 4 or _TOKEN_ONLY.fullmatch(data) is not None

    # -- failures and recovery -----------------------------------------------------------------------
    def _start_of_current(self, data: bytes) -> int:
        """Offset in `data` where the message being parsed began (0 if it began in an earlier chunk)."""
        if self.begun == 0:
            return -1
        starts = self._line_starts(data)
        idx = self.begun - 1
        return starts[idx] if idx < len(starts) else (starts[-1] if starts else 0)

    def _line_starts(self, data: bytes) -> list[int]:
        return [m.start() for m in self.LINE.finditer(data)]

    def _failed(self, data: bytes, exc: Exception) -> bytes:
        if self.cur is not None:
            lf = _BARE_LF_LINE in str(exc)
            rest = None
            if lf and not self.begun:
                rest = self._lf_after(data)
            elif self.alias is None and (lf or isinstance(exc, httptools.HttpParserInvalidMethodError)):
                rest = self._with_stand_in(data)
                if rest is None and not lf:
                    rest = self._cut_method(data)
            if rest is not None:
                return rest
        return self._broken(data, exc)

    def _lf_after(self, data: bytes) -> Optional[bytes]:
        """A bare LF ending a request line that began in an earlier chunk: the line again from what llhttp read of
        it (method, target, version), with CRLF, then the rest of `data`."""
        p = self.parser
        eol = data.find(b"\n")
        version = p.get_http_version() if p is not None else ""
        if eol < 0 or not self.cur.target or version not in ("1.0", "1.1"):
            return None
        target = self.cur.target
        self.alias = self.alias or p.get_method()
        self.parser = self._new_parser()
        self.cur.head_size = 0
        self.cur.target = b""
        return _STAND_IN + b" " + target + b" HTTP/" + version.encode() + b"\r\n" + data[eol + 1:]

    def _broken(self, data: bytes, exc: Exception) -> bytes:
        """Report a parse error on the current message, finish it, and resync after its start."""
        ctx = exc.__context__
        if isinstance(ctx, _NoBody):
            return self._head_only(data)
        if isinstance(ctx, _Tunnel):
            self._finish_current(False)
            self.s.tunnel = True
            return b""
        too_big = isinstance(ctx, _TooBig) or isinstance(exc, _TooBigError)
        reason = str(exc) if not too_big else "header section too large"
        self.stats.parse_errors += 1
        cur = self.cur
        if cur is not None:
            rule = "header-too-large" if too_big else "http-parse-error"
            for needle, r in _ERROR_RULES:
                if needle in reason:
                    rule = r
                    break
            if not any(h.rule == rule for h in cur.hits):
                cur.hits.append(protocol_hit(rule, ["protocol"], reason))
            if rule != "http-parse-error" and not any(h.rule == "http-parse-error" for h in cur.hits):
                cur.hits.append(protocol_hit("http-parse-error", ["protocol"], reason))
            self._finish_current()
        self.alias = None
        self.parser = None
        start = self._start_of_current(data)
        self.s.any_http = True
        return data[start + 1:] if start >= 0 else data

    def _with_stand_in(self, data: bytes) -> Optional[bytes]:
        """The current message again, from its start, with _STAND_IN for a method llhttp does not know (None if its
        start is not in `data` or is no request line: then it stays a parse error)."""
        # the current message's own request line, exactly: _start_of_current's fallbacks (the last line found, or 0)
        # would re-feed an earlier, already parsed message -- body bytes after a bodiless POST fail as a "method" too
        # (begun == 0: the message began in an earlier chunk, its method token cut by the chunk edge)
        starts = self._line_starts(data) if self.begun else []
        if not 0 < self.begun <= len(starts):
            return None
        start = starts[self.begun - 1]
        m = _EXTENSION_METHOD.match(data, start)
        if m is None or start and data[start - 1] != 0x0A:    # a method token starts a line
            return None
        self.alias = m.group()
        self.parser = self._new_parser()
        self.cur.head_size = 0    # the feed loop counts this head again from its start
        self.cur.target = b""     # (llhttp gave the target before it found the bare LF after the version)
        # the request line ends in CRLF for llhttp: its leniency for a bare LF covers header lines only
        eol = data.index(b"\n", m.end())
        return _STAND_IN + data[m.end():eol].rstrip(b"\r") + b"\r\n" + data[eol + 1:]

    def _cut_method(self, data: bytes) -> Optional[bytes]:
        """The current message's request line cut by a segment edge, its method unknown to llhttp: re-fed with
        _STAND_IN once its token is whole; b"" while the token waits for the next segment (None: no such case)."""
        if self.begun:
            # it began in this chunk without a whole line, so it is the chunk's last line
            frag = data[data.rfind(b"\n") + 1:]
            if len(self._line_starts(data)) >= self.begun:
                return None
        else:
            # it began in an earlier chunk whose end llhttp took as a known method's prefix (`PURG` of `PURGEALL`)
            head = self.tail[self.tail.rfind(b"\n") + 1:]
            if not _TOKEN_ONLY.fullmatch(head):
                return None
            frag = head + data
        if not _TOKEN_ONLY.match(frag):
            return None
        return self._resume_token(frag, fresh=True)

    def _resume_token(self, data: bytes, fresh: bool = False) -> bytes:
        """`data` starts with a method token (after what was pending): the stand-in when the token is whole, else
        wait for more, bounded by the longest token a request line may have."""
        if not fresh:
            self.s.charge(None, -len(self.pending))
            data, self.pending = self.pending + data, b""
        m = _EXTENSION_METHOD.match(data)
        if m is not None:
            self.alias = m.group()
            self.parser = self._new_parser()
            self.cur.head_size = 0
            return _STAND_IN + data[m.end():]
        if _TOKEN_ONLY.fullmatch(data) and len(data) < 64:
            self.pending = data
            self.s.charge(None, len(data))
            self.parser = None
            return b""
        # no token and a space: not a request line after all, so the parse error it would have been
        return self._broken(data, httptools.HttpParserInvalidMethodError("Invalid method encountered"))

    def _head_only(self, data: bytes) -> bytes:
        """A HEAD response: llhttp stopped after the head; find where the head ended and restart after it."""
        self.nobody = False
        start = max(self._start_of_current(data), 0)
        end = -1
        for term in (b"\r\n\r\n", b"\n\n"):
            i = data.find(term, start)
            if i >= 0 and (end < 0 or i + len(term) < end):
                end = i + len(term)
        if end < 0:
            tail = self.tail[-3:]
            joined = tail + data[:3]
            i = joined.find(b"\r\n\r\n")
            end = i + 4 - len(tail) if i >= 0 else len(data)
        self._finish_current(False)
        self.parser = None
        self.seen_http = True
        return data[end:]

    def _upgraded(self, data: bytes, offset: int) -> bytes:
        self._finish_current(False)
        self.parser = None
        return self._after_upgrade(data[offset:])

    def _after_upgrade(self, rest: bytes) -> bytes:
        self.s.tunnel = True
        return b""

    def _finish_current(self, partial: bool = True) -> None:
        cur = self.cur
        if cur is not None:
            self.cur = None
            if not cur.headers_complete:
                if isinstance(cur, HttpRequest) and not cur.method and self.parser is not None:
                    cur.method = (self.alias or self.parser.get_method()).decode("ascii", "replace")
                    self.alias = None
                elif isinstance(cur, HttpRequest) and not cur.method and self.pending:
                    cur.method = self.pending.decode("ascii", "replace")   # the connection ended inside it
                if not cur.headers:
                    self._analyse_headers(cur, isinstance(cur, HttpRequest))
            cur.complete = True
            cur.partial = partial
            self._completed(cur)

    @abstractmethod
    def _completed(self, msg: Message) -> None:
        """Hand a finished message to the session (pairing requests with responses)."""

    def gap(self, n: int) -> None:
        cur = self.cur
        if self.pending and cur is not None:
            # the rest of a cut method token is lost: the message it began is reported as it stands
            cur.method = self.pending.decode("ascii", "replace")
            self.s.charge(None, -len(self.pending))
            self.pending = b""
            cur.hits.append(protocol_hit("tcp-gap", ["protocol"], f"{n} bytes missing"))
            self._finish_current()
            return
        if self.parser is None or self.gave_up:
            self._drop_hunt()
            return
        if (cur is not None and cur.headers_complete and not cur.chunked and cur.content_length is not None
                and 0 < n <= cur.content_length - cur.body_len):
            # the hole lies inside a Content-Length body: keep framing by feeding filler that is not stored
            cur.body_gap = True
            if not any(h.rule == "tcp-gap" for h in cur.hits):
                cur.hits.append(protocol_hit("tcp-gap", ["body"], f"{n} bytes missing"))
            self.filling = True
            try:
                filler = bytes(min(n, 1 << 16))   # in pieces: a long hole must not become one big allocation
                while n > 0 and self.cur is cur:
                    self.feed(filler if n >= len(filler) else filler[:n], self.ts)
                    n -= len(filler)
            finally:
                self.filling = False
            return
        if cur is not None:
            cur.body_gap = True
            cur.hits.append(protocol_hit("tcp-gap", ["protocol"], f"{n} bytes missing"))
            self._finish_current()
        self.parser = None
        self._drop_hunt()

    def _drop_hunt(self) -> None:
        if self.hunt:
            self.s.charge(None, -len(self.hunt))
            self.hunt = b""

    # -- shared callbacks -------------------------------------------------------------------------
    def on_header(self, name: bytes, value: bytes) -> None:
        # the hottest callback (one per header line): the header count is checked at the end of the head;
        # the head's size is bounded before llhttp sees the bytes (feed)
        self.names.append(name)
        self.values.append(value)

    def on_body(self, body: bytes) -> None:
        cur = self.cur
        n = len(body)
        cur.body_len += n
        if self.filling:
            return
        if cur.sha is None:   # nothing dropped so far
            room = self.body_limit - cur.kept
            if room >= n:
                s = self.s
                acct = s.acct
                if acct.room() - self.body_reserve >= n:
                    # within the body limit and the memcap nothing is hashed yet: the digest is taken once, only if
                    # an event asks for it (responses never do), over the kept parts
                    cur.body_parts.append(body)
                    cur.kept += n
                    cur.mem += n
                    s.held += n
                    acct.http_held += n
                    return
            self._cut_body(cur, body, room)
        else:
            cur.sha.update(body)

    def _cut_body(self, cur: Message, body: bytes, room: int) -> None:
        """The first body bytes that cannot all be kept (body limit or memcap): keep what fits, hash everything
        from here on, mark the body truncated; nothing is kept after a cut, so a kept body never has a hole."""
        s = self.s
        mem_room = s.acct.room() - self.body_reserve
        if mem_room < min(room, len(body)):
            self.stats.memcap_truncations += 1   # the memcap, not the body limit, cut this body
        keep = max(min(room, mem_room), 0)
        cur.sha = hashlib.sha256(cur.raw_body)
        cur.sha.update(body)
        cur.truncated = True
        if keep:
            cur.body_parts.append(body[:keep])
            cur.kept += keep
            s.charge(cur, keep)

    def _analyse_headers(self, msg: Message, is_request: bool) -> None:
        names = msg.names
        if not names:
            self.s.charge(msg, MSG_OVERHEAD - msg.mem)   # (a head without header lines: nothing to cut or evict)
            return
        values = msg.values
        # decode all names and all values with one call each (llhttp rejects NUL inside headers); bytes that are
        # not UTF-8 anywhere in the head make the whole head latin-1, as `text` would
        nj = b"\0".join(names)
        vj = b"\0".join(values)
        # the head is held twice (raw and decoded): charge that, replacing the charge of the head while it grew
        head = MSG_OVERHEAD + 2 * (len(nj) + len(vj)) + HEADER_OVERHEAD * len(names)
        s = self.s
        acct = s.acct
        d = head - msg.mem     # (s.charge inlined: once per message)
        msg.mem = head
        s.held += d
        acct.http_held += d
        if acct.room() < 0:
            acct.reclaim(s.flow)   # a head cannot be cut: make room by evicting other flows
        try:
            hn = nj.decode()
            hv = vj.decode()
        except UnicodeDecodeError:
            hn = nj.decode("latin-1")
            hv = vj.decode("latin-1")
        msg.headers = headers = list(zip(hn.split("\0"), hv.split("\0")))
        if not hn.isascii():
            # lower-casing non-ASCII text could make names match that servers (comparing bytes) never match
            self._analyse_slow(msg, is_request, nj.lower().split(b"\0"), values)
            return
        # ASCII names: search the decoded str — `in` on bytes first tries the needle as an int and builds a
        # TypeError each time (~6x slower), which made these few checks a visible share of every message
        lowered = hn.lower()
        if not ("transfer" in lowered or "content-encoding" in lowered or "length" in lowered
                and (lowered.count("length") > 1 or lowered.count("content-length") != 1)):
            # common case: at most one Content-Length, no Transfer-/Content-Encoding, no disguised names.
            # Names are located by counting separators before them instead of splitting the joined names.
            wrapped = "\0" + lowered + "\0"
            if "length" in lowered:
                i = wrapped.find("\0content-length\0")
                if i >= 0:
                    v = values[wrapped.count("\0", 0, i)].strip()
                    if v.isdigit():
                        msg.content_length = int(v)
                    else:
                        msg.hits.append(protocol_hit("invalid-cl", ["header", "CONTENT-LENGTH"], text(v)))
                else:
                    return self._analyse_slow(msg, is_request, nj.lower().split(b"\0"), values)
            if is_request:
                i = wrapped.find("\0host\0")
                if i >= 0:
                    msg.host = headers[wrapped.count("\0", 0, i)][1].strip()
            return
        self._analyse_slow(msg, is_request, nj.lower().split(b"\0"), values)

    def _analyse_slow(self, msg: Message, is_request: bool, ll: list[bytes], values: list[bytes]) -> None:
        cls: list[bytes] = []
        tes: list[bytes] = []
        special = _SPECIAL
        for ln, value in zip(ll, values):
            kind = special.get(ln)
            if kind is None:
                # (find, not `in`: see _analyse_headers)
                if (ln.find(b"length") >= 0 or ln.find(b"encoding") >= 0) and _DISGUISED.match(ln):
                    msg.hits.append(protocol_hit("obfuscated-header", ["header", text(ln).upper()], text(value)))
                continue
            if kind == _CL:
                cls.append(value)
            elif kind == _TE:
                tes.append(value)
            elif kind == _HOST and is_request:
                if not msg.host:
                    msg.host = text(value).strip()
            elif kind == _CE:
                msg.encodings = [*msg.encodings, *(t.strip().lower() for t in value.split(b","))]
        if cls:
            v = cls[0].strip()
            if len(cls) > 1:
                same = all(c.strip() == v for c in cls)
                msg.hits.append(protocol_hit("duplicate-cl-same" if same else "duplicate-cl",
                                             ["header", "CONTENT-LENGTH"], text(b", ".join(cls))))
            if not v.isdigit():
                msg.hits.append(protocol_hit("invalid-cl", ["header", "CONTENT-LENGTH"], text(cls[0])))
            else:
                msg.content_length = int(v)
        if tes:
            tokens = [t.strip().lower() for t in b",".join(tes).split(b",")]
            msg.chunked = bool(tokens) and tokens[-1] == b"chunked"
            if len(tes) > 1 or tes[0] != b"chunked" and (
                    b"chunked" in tes[0].lower() or any(t not in _KNOWN_CODINGS for t in tokens)):
                msg.hits.append(protocol_hit("obfuscated-te", ["header", "TRANSFER-ENCODING"], text(b", ".join(tes))))
            if cls and is_request:
                msg.hits.append(protocol_hit("cl-te", ["header", "TRANSFER-ENCODING"],
                                             f"Content-Length: {text(cls[0])}; Transfer-Encoding: {text(tes[0])}"))


def _lenient(parser):
    # we flag these anomalies ourselves and keep parsing the way most servers do
    # a bare LF ends lines for nginx, Apache and most servers (RFC 9112 2.2 allows it), so it does here too: strict,
    # llhttp made every such request a parse error whose contents went uninspected
    parser.set_dangerous_leniencies(lenient_chunked_length=True, lenient_keep_alive=True,
                                    lenient_data_after_close=True, lenient_optional_cr_before_lf=True)
    return parser


class _RequestSide(_Side):
    START, LINE = REQUEST_START, _REQUEST_LINE
    __slots__ = ()

    def _new_parser(self):
        return _lenient(httptools.HttpRequestParser(self))

    def on_message_begin(self) -> None:
        self.begun += 1
        if self.alias is not None and self.cur is not None:
            return    # the same message re-fed with a stand-in method (_with_stand_in): already begun
        req = HttpRequest(self.ts)
        if self.after_close:
            req.hits.append(protocol_hit("data-after-close", ["protocol"], "request after Connection: close"))
        self.cur = req
        self.names = req.names
        self.values = req.values
        self.s._request_begin(req)

    def on_url(self, url: bytes) -> None:
        cur = self.cur
        cur.target = cur.target + url if cur.target else url

    def on_headers_complete(self) -> None:
        p = self.parser
        req = self.cur
        if len(req.names) > 256:
            raise _TooBig()
        alias, self.alias = self.alias, None
        req.method = (alias or p.get_method()).decode("ascii", "replace")
        req.version = p.get_http_version()
        self._analyse_headers(req, True)
        req.headers_complete = True
        req.upgrade = p.should_upgrade()
        s = self.s
        s.any_http = True
        if s.want_headers:
            s.listener.request_headers(s, req)

    def on_message_complete(self) -> None:
        req = self.cur
        req.keep_alive = self.parser.should_keep_alive()
        self.after_close = not req.keep_alive
        self.cur = None
        req.complete = True
        self.s._request_done(req)

    def _completed(self, msg: Message) -> None:
        self.s._request_done(msg)

    def _after_upgrade(self, rest: bytes) -> bytes:
        # CONNECT / Upgrade: what follows is another protocol only if the server agrees; hold it until then
        self.hold = bytearray(rest[: self.cfg.resync_window])
        self.s.charge(None, len(self.hold))
        return b""

    def release(self) -> None:
        held, self.hold = self.hold, None
        self.seen_http = True
        if held is not None:
            self.s.charge(None, -len(held))
        if held:
            self.feed(bytes(held), self.ts)


class _ResponseSide(_Side):
    START = LINE = RESPONSE_START
    __slots__ = ()

    def _new_parser(self):
        return _lenient(httptools.HttpResponseParser(self))

    def _looks_like_start(self, data: bytes) -> bool:
        return data.startswith(b"HTTP/") or len(data) < 5 and b"HTTP/".startswith(data)

    def on_message_begin(self) -> None:
        self.begun += 1
        resp = HttpResponse(self.ts)
        if self.after_close:
            resp.hits.append(protocol_hit("data-after-close", ["protocol"], "response after Connection: close"))
        self.cur = resp
        self.names = resp.names
        self.values = resp.values
        s = self.s
        resp.request = s._next_unanswered()
        if s.want_response_begin:
            s.listener.response_begin(s, resp)

    def on_headers_complete(self) -> None:
        p = self.parser
        resp = self.cur
        if len(resp.names) > 256:
            raise _TooBig()
        resp.status = p.get_status_code()
        resp.version = p.get_http_version()
        self._analyse_headers(resp, False)
        resp.headers_complete = True
        self.s.any_http = True
        req = resp.request
        if req is None or 100 <= resp.status < 200 and resp.status != 101:
            return
        req.resp_assigned = True
        if resp.status == 101 and req.upgrade:
            self.s.h2_upgrade = any(n.lower() == b"upgrade" and v.strip().lower() == b"h2c"
                                    for n, v in zip(resp.names, resp.values))
        if req.upgrade and resp.status != 101 and not (req.method == "CONNECT" and 200 <= resp.status < 300):
            # the server refused the upgrade: what the client sent next is HTTP again (parse it before the
            # responses that follow, so they pair)
            self.s.req.release()
        if req.method == "CONNECT" and 200 <= resp.status < 300:
            raise _Tunnel()
        if req.method == "HEAD":
            raise _NoBody()

    def on_message_complete(self) -> None:
        resp = self.cur
        resp.keep_alive = self.parser.should_keep_alive()
        self.after_close = not resp.keep_alive
        self.cur = None
        resp.complete = True
        self.s._response_done(resp)

    def _completed(self, msg: Message) -> None:
        self.s._response_done(msg)

    def _after_upgrade(self, rest: bytes) -> bytes:
        s = self.s
        if not s.h2_upgrade:
            return super()._after_upgrade(rest)
        # 101 to h2c: both directions go on as HTTP/2; what the client sent after its request was held
        held, s.req.hold = s.req.hold, None
        if held is not None:
            s.charge(None, -len(held))
        s._start_h2(bytes(held or b""), self.ts, upgraded=True, server_bytes=rest)
        return b""


class HttpSession:
    """Both directions of one connection; pairs requests with responses in order and reports them."""

    __slots__ = ("cfg", "stats", "listener", "flow", "req", "resp", "queue", "tunnel", "any_http",
                 "count", "acct", "held", "want_headers", "want_complete", "want_response_begin", "h2", "probe",
                 "early", "h2_upgrade", "midstream", "join", "joins", "trial")

    def __init__(self, cfg: SensorConfig, listener: SessionListener, stats, flow=None, synced: bool = False,
                 acct: Optional[MemoryAccount] = None) -> None:
        self.cfg = cfg
        self.acct = acct if acct is not None else Unbounded()
        self.held = 0      # bytes this session has charged to `acct` and not yet released
        # a listener with nothing to do for these events may switch them off (replay without hooks or detector)
        self.want_headers = self.want_complete = self.want_response_begin = True
        self.stats = stats
        self.listener = listener
        self.flow = flow
        self.req = _RequestSide(self, synced)
        self.resp = _ResponseSide(self, synced)
        self.queue: deque[HttpRequest] = deque()   # requests not yet reported, in wire order
        self.tunnel = False
        self.any_http = False
        self.count = 0
        self.h2 = None          # an H2Connection once the connection turns out to speak HTTP/2 (sensor/http2.py)
        self.probe = b""        # the start of a client preface, cut by a segment edge
        self.early = b""        # a server's HTTP/2 SETTINGS seen before the client's preface
        self.h2_upgrade = False  # a 101 agreed to `Upgrade: h2c`
        self.midstream = not synced  # the connection started before the sensor saw it (the pipeline sets it per flow)
        self.join = b""          # client bytes of a mid-stream connection that may be HTTP/2 frames (bounded)
        self.joins = 0           # times this connection was taken for HTTP/2 on a guess (bounded: _MAX_JOINS)
        self.trial = b""         # client bytes HTTP/2 read on a guess, for HTTP/1 if the guess fails (bounded)

    # -- memory -------------------------------------------------------------------------------------
    def charge(self, msg: Optional[Message], n: int) -> None:
        """Account `n` bytes (negative: freed) held for `msg` (None: the session's own resync buffers)."""
        if msg is not None:
            msg.mem += n
        self.held += n
        self.acct.http_held += n

    def _release(self, msg: Optional[Message]) -> None:
        if msg is not None and msg.mem:
            n = msg.mem
            msg.mem = 0
            self.held -= n
            self.acct.http_held -= n

    def _report(self, req: HttpRequest, resp: Optional[HttpResponse]) -> None:
        self.listener.transaction(self, req, resp)
        # the event copied what it needs: the messages' bytes stop counting against the memcap
        n = req.mem
        req.mem = 0
        other = req.response
        if other is not None:
            n += other.mem
            other.mem = 0
        self.held -= n
        self.acct.http_held -= n

    # -- input --------------------------------------------------------------------------------------
    def client_data(self, data: bytes, ts: float) -> None:
        h2 = self.h2
        if h2 is not None:
            if h2.probation:
                self._keep_trial(data)
            h2.client(data, ts)
            self._settle_trial(ts)
            self._emit_ready()
            return
        if not self.count and (self.probe or data[:3] == _PREFACE[:min(3, len(data))]) and self.req.cur is None:
            # HTTP/2 with prior knowledge starts with the client preface (a segment edge may cut it)
            buf = self.probe + data
            n = min(len(buf), len(_PREFACE))
            if buf[:n] == _PREFACE[:n]:
                self.charge(None, n - len(self.probe) if n < len(_PREFACE) else -len(self.probe))
                if n < len(_PREFACE):
                    self.probe = buf
                    return
                self.probe = b""
                self._start_h2(buf, ts, upgraded=False)
                return
            self.charge(None, -len(self.probe))
            self.probe = b""
            data = buf
        if self.midstream and not self.count and not self.any_http and not self.req.gave_up \
                and self.joins < _MAX_JOINS and self._joined_h2(data, ts):
            return
        self.req.feed(data, ts)

    def _joined_h2(self, data: bytes, ts: float) -> bool:
        """A connection picked up mid-stream has no preface to announce HTTP/2: frames that chain whole, one after
        the other, do (a long-lived h2c connection, a gRPC channel or a proxy's pool, would be unseen otherwise)."""
        from sensor.h2sync import DEFAULT_MAX_FRAME, JOIN_FRAMES, find_boundary   # (mid-stream connections only)

        buf = self.join + data
        at, keep = find_boundary(buf, DEFAULT_MAX_FRAME, JOIN_FRAMES, to_end=False)
        if at < 0:
            kept = buf[keep:] if keep >= 0 else b""
            if len(kept) > self.cfg.resync_window:
                kept = kept[-self.cfg.resync_window:]
            self.charge(None, len(kept) - len(self.join))
            self.join = kept
            return False
        self.charge(None, -len(self.join))
        self.join = b""
        from sensor.http2 import H2Connection

        self.joins += 1
        # (the HTTP/1 side keeps its hunt state and gets `data` back if the guess fails: it saw the bytes before it)
        self._keep_trial(data)
        h2 = self.h2 = H2Connection(self, joined=True)
        h2.client(buf[at:], ts)
        self._settle_trial(ts)
        self._emit_ready()
        return True

    def _keep_trial(self, data: bytes) -> None:
        """Keep client bytes given to a guessed HTTP/2 connection, the latest _TRIAL_MAX of them."""
        trial = self.trial + data
        if len(trial) > _TRIAL_MAX:
            trial = trial[-_TRIAL_MAX:]
            side = self.req
            if side.hunt:   # the HTTP/1 side's partial line no longer joins what follows it: a gap now
                self.charge(None, -len(side.hunt))
                side.hunt = b""
        self.charge(None, len(trial) - len(self.trial))
        self.trial = trial

    def _settle_trial(self, ts: float) -> None:
        """Once the guess is settled: a failed one hands its bytes to HTTP/1; a request that decoded makes the
        connection HTTP/2, and what the HTTP/1 side held is dropped. (Still on probation: nothing yet.)"""
        if not self.trial or self.h2 is not None and self.h2.probation:
            return
        trial, self.trial = self.trial, b""
        self.charge(None, -len(trial))
        if self.h2 is None:
            self.req.feed(trial, ts)
            return
        side = self.req
        if side.hunt:
            self.charge(None, -len(side.hunt))
            side.hunt = b""

    def leave_h2(self) -> None:
        """A connection joined mid-stream that turned out not to be HTTP/2: back to hunting for HTTP/1 messages."""
        h2, self.h2 = self.h2, None
        if h2 is not None:
            h2.close()

    def server_data(self, data: bytes, ts: float) -> None:
        if self.h2 is not None:
            self.h2.server(data, ts)
            self._emit_ready()
            return
        if not self.count and self.req.cur is None and (self.early or is_server_preface(data)):
            # an HTTP/2 server may send its SETTINGS before the client's preface shows up: keep them (bounded)
            room = self.cfg.resync_window - len(self.early)
            if room > 0:
                self.early += data[:room]
                self.charge(None, min(room, len(data)))
            return
        if self.early:
            self.charge(None, -len(self.early))   # HTTP/1 after all: those bytes answered nothing
            self.early = b""
        self.resp.feed(data, ts)

    def _start_h2(self, client_bytes: bytes, ts: float, upgraded: bool, server_bytes: bytes = b"") -> None:
        from sensor.http2 import H2Connection   # (only connections that speak HTTP/2 load it)

        h2 = self.h2 = H2Connection(self, upgraded=upgraded)
        self.stats.h2_connections += 1
        early, self.early = self.early + server_bytes, b""
        if early:
            self.charge(None, -(len(early) - len(server_bytes)))
            h2.server(early, ts)
        h2.client(client_bytes, ts)
        self._emit_ready()

    def gap(self, from_client: bool, nbytes: int) -> None:
        if self.h2 is not None:
            self.h2.gap(from_client, nbytes)
        else:
            (self.req if from_client else self.resp).gap(nbytes)
        self._emit_ready()

    def close(self) -> None:
        """Connection over: complete EOF-delimited responses, report every pending request."""
        if self.h2 is not None:
            self.h2.close()
        resp_side = self.resp
        cur = resp_side.cur
        if isinstance(cur, HttpResponse) and cur.headers_complete:
            resp_side._finish_current()
        if resp_side.cur is not None:
            self._release(resp_side.cur)
            resp_side.cur = None
        req_side = self.req
        if req_side.cur is not None:
            req_side._finish_current()
        while self.queue:
            req = self.queue.popleft()
            resp = req.response
            self._report(req, resp if resp is not None and resp.headers_complete else None)
        # everything else (resync buffers, responses to requests reported earlier) is freed with the session
        self.acct.http_held -= self.held
        self.held = 0
        # break the reference cycles (parser <-> side <-> session) so memory returns at once, without waiting for
        # the cyclic garbage collector (which then has fewer live objects to walk)
        for side in (req_side, resp_side):
            side.parser = None
            side.cur = None
            side.s = None

    # -- pairing ------------------------------------------------------------------------------------
    def _request_begin(self, req: HttpRequest) -> None:
        self.count += 1
        req.flow_no = self.count
        self.queue.append(req)
        # a client pipelining without end: report the oldest unanswered (HTTP/2 runs up to 100 streams at once as a
        # matter of course, so its bound is the stream bound of sensor/http2.py)
        if len(self.queue) > (64 if self.h2 is None else 256):
            old = self.queue.popleft()
            self.stats.unanswered_dropped += 1
            self._report(old, None)

    def _request_done(self, req: HttpRequest) -> None:
        if self.want_complete:
            self.listener.request_complete(self, req)
        self._emit_ready()

    def _next_unanswered(self) -> Optional[HttpRequest]:
        for req in self.queue:
            if not req.resp_assigned:
                return req
        return None

    def _response_done(self, resp: HttpResponse) -> None:
        req = resp.request
        if req is None:
            if not 100 <= resp.status < 200:
                self.stats.unpaired_responses += 1
            self._release(resp)
            return
        if 100 <= resp.status < 200 and resp.status != 101:
            self._release(resp)
            return   # interim (100 Continue, 103 Early Hints): the final response follows
        req.resp_assigned = True
        req.response = resp
        self._emit_ready()

    def _report_now(self, req: HttpRequest) -> None:
        """Report one request out of wire order (an HTTP/2 stream that ended before earlier ones)."""
        try:
            self.queue.remove(req)
        except ValueError:
            self._release(req.response)   # already reported (the queue's bound): its late response is let go
            return
        resp = req.response
        self._report(req, resp if resp is not None and resp.headers_complete else None)
        if resp is not None:
            resp.request = None

    def _emit_ready(self) -> None:
        q = self.queue
        while q and q[0].complete and q[0].response is not None:
            req = q.popleft()
            resp = req.response
            self._report(req, resp)
            resp.request = None   # reported: drop the request <-> response cycle
