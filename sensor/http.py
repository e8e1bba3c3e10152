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
REQUEST_START = re.compile(rb"(?:" + _METHODS + rb") [^\s]+ HTTP/\d\.\d\r?\n")
RESPONSE_START = re.compile(rb"HTTP/\d\.\d \d{3}(?: [^\r\n]*)?\r?\n")
_LOOKS_REQUEST = re.compile(rb"[A-Z][A-Z-]{2,15} ")

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


class _NoBody(Exception):
    """Raised from on_headers_complete to stop llhttp at the end of a bodiless response head (HEAD)."""


class _Tunnel(Exception):
    """Raised from on_headers_complete when a CONNECT succeeded: the rest is not HTTP."""


class _TooBig(Exception):
    pass


class _TooBigError(httptools.HttpParserError):
    """Head larger than max_header_bytes, detected before llhttp saw the bytes."""


class Message:
    """State shared by requests and responses while and after they are parsed."""

    __slots__ = ("ts", "names", "values", "headers", "version", "body_parts", "kept", "body_len", "sha", "truncated",
                 "headers_complete", "complete", "hits", "content_length", "chunked", "encodings", "body_gap",
                 "head_size", "_decoded", "keep_alive", "partial")

    def __init__(self, ts: float) -> None:
        self.ts = ts
        self.names: list[bytes] = []      # raw header names and values as sent, in order
        self.values: list[bytes] = []
        self.headers: list[tuple[str, str]] = []
        self.version = "1.1"
        self.body_parts: list[bytes] = []
        self.kept = 0
        self.body_len = 0
        self.sha = None
        self.truncated = False
        self.headers_complete = False
        self.complete = False
        self.hits: list[Hit] = []
        self.content_length: Optional[int] = None
        self.chunked = False
        self.encodings: list[bytes] = []
        self.body_gap = False
        self.head_size = 0
        self._decoded: Optional[bytes] = None
        self.keep_alive = True
        self.partial = False      # ended by a parse error, a gap or the connection closing, not by framing

    def add_body(self, data: bytes, limit: int) -> None:
        n = len(data)
        self.body_len += n
        room = limit - self.kept
        if room >= n:
            # within the limit nothing is hashed yet: the digest is taken once, only if an event asks for it
            # (responses never do), over the kept parts
            self.body_parts.append(data)
            self.kept += n
            return
        if self.sha is None:
            # past the limit: bytes are dropped, so from here on they are hashed as they pass
            self.sha = hashlib.sha256(self.raw_body)
        self.sha.update(data)
        if room > 0:
            self.body_parts.append(data[:room])
            self.kept += room
        self.truncated = True

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

    def decoded_body(self, cfg: SensorConfig) -> bytes:
        """The body with Content-Encoding gzip/deflate undone, bounded by size and ratio (flags anomalies)."""
        if self._decoded is not None:
            return self._decoded
        data = self.raw_body
        for coding in reversed(self.encodings[-2:]):
            if coding in (b"gzip", b"x-gzip", b"deflate") and data:
                data = self._inflate(coding, data, cfg)
            elif coding not in (b"identity", b""):
                break
        self._decoded = data
        return data

    def _inflate(self, coding: bytes, data: bytes, cfg: SensorConfig) -> bytes:
        limit = min(cfg.decompress_limit, max(cfg.decompress_ratio * len(data), 1024))
        attempts = (47,) if coding != b"deflate" else (15, -15)   # 47 = gzip or zlib header, -15 = raw deflate
        for wbits in attempts:
            try:
                d = zlib.decompressobj(wbits)
                out = d.decompress(data, limit)
            except zlib.error:
                continue
            if d.unconsumed_tail:
                consumed = len(data) - len(d.unconsumed_tail)
                if len(out) > cfg.decompress_ratio * max(consumed, 1):
                    self.hits.append(protocol_hit("decompression-bomb", ["body"],
                                                  f"{len(data)} bytes inflate beyond {len(out)}"))
                self.truncated = True
            return out
        self.hits.append(protocol_hit("bad-content-encoding", ["header", "CONTENT-ENCODING"], coding.decode("latin-1")))
        return data


class HttpRequest(Message):
    __slots__ = ("method", "target", "host", "response", "resp_assigned", "upgrade", "flow_no")

    def __init__(self, ts: float) -> None:
        super().__init__(ts)
        self.method = ""
        self.target = b""
        self.host = ""
        self.response: Optional[HttpResponse] = None
        self.resp_assigned = False
        self.upgrade = False
        self.flow_no = 0


class HttpResponse(Message):
    __slots__ = ("status", "request")

    def __init__(self, ts: float) -> None:
        super().__init__(ts)
        self.status = 0
        self.request: Optional[HttpRequest] = None


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
    __slots__ = ("s", "cfg", "stats", "parser", "cur", "ts", "begun", "hunt", "hunted", "seen_http",
                 "after_close", "hold", "nobody", "tunnel_exc", "tail", "filling", "gave_up", "names", "values")

    def __init__(self, session: "HttpSession", synced: bool) -> None:
        self.s = session
        self.cfg = session.cfg
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

    @abstractmethod
    def _new_parser(self):
        """A fresh llhttp parser for this direction (request or response) bound to this side's callbacks."""

    def feed(self, data: bytes, ts: float) -> None:
        self.ts = ts
        while data:
            if self.s.tunnel or self.gave_up:
                return
            if self.hold is not None:
                room = self.cfg.resync_window - len(self.hold)
                self.hold += data[:max(room, 0)]
                return
            if self.parser is None:
                data = self._hunt(data)
                if not data:
                    return
                self.parser = self._new_parser()
            self.begun = 0
            cur = self.cur
            if cur is not None and not cur.headers_complete:
                # bound the head: llhttp itself has no size limit
                cur.head_size += len(data)
                if cur.head_size > self.cfg.max_header_bytes:
                    data = self._failed(data, _TooBigError())
                    continue
            try:
                self.parser.feed_data(data)
                self.tail = data
                return
            except httptools.HttpParserUpgrade as exc:
                data = self._upgraded(data, exc.args[0])
            except httptools.HttpParserError as exc:
                data = self._failed(data, exc)

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
            self.hunt = keep
            if self.hunted > (1 << 20) and not self.s.any_http:
                self.gave_up = True    # a megabyte without any HTTP: not an HTTP connection
                self.stats.non_http_flows += 1
            return b""
        self.stats.resync_bytes += m.start()
        self.hunt = b""
        return buf[m.start():]

    def _looks_like_start(self, data: bytes) -> bool:
        return _LOOKS_REQUEST.match(data) is not None or len(data) < 4

    # -- failures and recovery -----------------------------------------------------------------------
    def _start_of_current(self, data: bytes) -> int:
        """Offset in `data` where the message being parsed began (0 if it began in an earlier chunk)."""
        if self.begun == 0:
            return -1
        starts = [m.start() for m in self.START.finditer(data)]
        idx = self.begun - 1
        return starts[idx] if idx < len(starts) else (starts[-1] if starts else 0)

    def _failed(self, data: bytes, exc: Exception) -> bytes:
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
        self.parser = None
        start = self._start_of_current(data)
        self.s.any_http = True
        return data[start + 1:] if start >= 0 else data

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
                    cur.method = self.parser.get_method().decode("ascii", "replace")
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
        if self.parser is None or self.gave_up:
            self.hunt = b""
            return
        if (cur is not None and cur.headers_complete and not cur.chunked and cur.content_length is not None
                and 0 < n <= cur.content_length - cur.body_len):
            # the hole lies inside a Content-Length body: keep framing by feeding filler that is not stored
            cur.body_gap = True
            if not any(h.rule == "tcp-gap" for h in cur.hits):
                cur.hits.append(protocol_hit("tcp-gap", ["body"], f"{n} bytes missing"))
            self.filling = True
            try:
                self.feed(bytes(n), self.ts)
            finally:
                self.filling = False
            return
        if cur is not None:
            cur.body_gap = True
            cur.hits.append(protocol_hit("tcp-gap", ["protocol"], f"{n} bytes missing"))
            self._finish_current()
        self.parser = None
        self.hunt = b""

    # -- shared callbacks -------------------------------------------------------------------------
    def on_header(self, name: bytes, value: bytes) -> None:
        # the hottest callback (one per header line): the header count is checked at the end of the head;
        # the head's size is bounded before llhttp sees the bytes (feed)
        self.names.append(name)
        self.values.append(value)

    def on_body(self, body: bytes) -> None:
        if self.filling:
            self.cur.body_len += len(body)
            return
        self.cur.add_body(body, self.cfg.body_limit)

    def _analyse_headers(self, msg: Message, is_request: bool) -> None:
        names = msg.names
        if not names:
            return
        values = msg.values
        # decode all names and all values with one call each (llhttp rejects NUL inside headers); bytes that are
        # not UTF-8 anywhere in the head make the whole head latin-1, as `text` would
        nj = b"\0".join(names)
        vj = b"\0".join(values)
        try:
            hn = nj.decode()
            hv = vj.decode()
        except UnicodeDecodeError:
            hn = nj.decode("latin-1")
            hv = vj.decode("latin-1")
        msg.headers = headers = list(zip(hn.split("\0"), hv.split("\0")))
        lowered = nj.lower()
        if not (b"transfer" in lowered or b"content-encoding" in lowered or b"length" in lowered
                and (lowered.count(b"length") > 1 or lowered.count(b"content-length") != 1)):
            # common case: at most one Content-Length, no Transfer-/Content-Encoding, no disguised names.
            # Names are located by counting separators before them instead of splitting the joined names.
            wrapped = b"\0" + lowered + b"\0"
            if b"length" in lowered:
                i = wrapped.find(b"\0content-length\0")
                if i >= 0:
                    v = values[wrapped.count(b"\0", 0, i)].strip()
                    if v.isdigit():
                        msg.content_length = int(v)
                    else:
                        msg.hits.append(protocol_hit("invalid-cl", ["header", "CONTENT-LENGTH"], text(v)))
                else:
                    return self._analyse_slow(msg, is_request, lowered.split(b"\0"), values)
            if is_request:
                i = wrapped.find(b"\0host\0")
                if i >= 0:
                    msg.host = headers[wrapped.count(b"\0", 0, i)][1].strip()
            return
        self._analyse_slow(msg, is_request, lowered.split(b"\0"), values)

    def _analyse_slow(self, msg: Message, is_request: bool, ll: list[bytes], values: list[bytes]) -> None:
        cls: list[bytes] = []
        tes: list[bytes] = []
        special = _SPECIAL
        for ln, value in zip(ll, values):
            kind = special.get(ln)
            if kind is None:
                if (b"length" in ln or b"encoding" in ln) and _DISGUISED.match(ln):
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
                msg.encodings.extend(t.strip().lower() for t in value.split(b","))
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
    parser.set_dangerous_leniencies(lenient_chunked_length=True, lenient_keep_alive=True,
                                    lenient_data_after_close=True)
    return parser


class _RequestSide(_Side):
    START = REQUEST_START
    __slots__ = ()

    def _new_parser(self):
        return _lenient(httptools.HttpRequestParser(self))

    def on_message_begin(self) -> None:
        self.begun += 1
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
        req.method = p.get_method().decode("ascii", "replace")
        req.version = p.get_http_version()
        self._analyse_headers(req, True)
        req.headers_complete = True
        req.upgrade = p.should_upgrade()
        self.s.any_http = True
        self.s.listener.request_headers(self.s, req)

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
        return b""

    def release(self) -> None:
        held, self.hold = self.hold, None
        self.seen_http = True
        if held:
            self.feed(bytes(held), self.ts)


class _ResponseSide(_Side):
    START = RESPONSE_START
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
        resp.request = self.s._next_unanswered()
        self.s.listener.response_begin(self.s, resp)

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


class HttpSession:
    """Both directions of one connection; pairs requests with responses in order and reports them."""

    __slots__ = ("cfg", "stats", "listener", "flow", "req", "resp", "queue", "tunnel", "any_http",
                 "count")

    def __init__(self, cfg: SensorConfig, listener: SessionListener, stats, flow=None, synced: bool = False) -> None:
        self.cfg = cfg
        self.stats = stats
        self.listener = listener
        self.flow = flow
        self.req = _RequestSide(self, synced)
        self.resp = _ResponseSide(self, synced)
        self.queue: deque[HttpRequest] = deque()   # requests not yet reported, in wire order
        self.tunnel = False
        self.any_http = False
        self.count = 0

    # -- input --------------------------------------------------------------------------------------
    def client_data(self, data: bytes, ts: float) -> None:
        self.req.feed(data, ts)

    def server_data(self, data: bytes, ts: float) -> None:
        self.resp.feed(data, ts)

    def gap(self, from_client: bool, nbytes: int) -> None:
        (self.req if from_client else self.resp).gap(nbytes)
        self._emit_ready()

    def close(self) -> None:
        """Connection over: complete EOF-delimited responses, report every pending request."""
        resp_side = self.resp
        cur = resp_side.cur
        if isinstance(cur, HttpResponse) and cur.headers_complete:
            resp_side._finish_current()
        resp_side.cur = None
        req_side = self.req
        if req_side.cur is not None:
            req_side._finish_current()
        while self.queue:
            req = self.queue.popleft()
            resp = req.response
            self.listener.transaction(self, req, resp if resp is not None and resp.headers_complete else None)
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
        if len(self.queue) > 64:   # a client pipelining without end: report the oldest unanswered
            old = self.queue.popleft()
            self.stats.unanswered_dropped += 1
            self.listener.transaction(self, old, None)

    def _request_done(self, req: HttpRequest) -> None:
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
            return
        if 100 <= resp.status < 200 and resp.status != 101:
            return   # interim (100 Continue, 103 Early Hints): the final response follows
        req.resp_assigned = True
        req.response = resp
        self._emit_ready()

    def _emit_ready(self) -> None:
        q = self.queue
        while q and q[0].complete and q[0].response is not None:
            req = q.popleft()
            resp = req.response
            self.listener.transaction(self, req, resp)
            resp.request = None   # reported: drop the request <-> response cycle
