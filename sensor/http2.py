"""HTTP/2 cleartext (h2c) seen from a mirror port: both directions' frames and header blocks become HTTP messages."""
from __future__ import annotations

from typing import TYPE_CHECKING, Optional

import hpack
from hpack.exceptions import HPACKError
from hyperframe.exceptions import HyperframeError
from hyperframe.frame import (ContinuationFrame, Frame, HeadersFrame, PushPromiseFrame, RstStreamFrame,
                              SettingsFrame)

from sensor.h2sync import DEFAULT_MAX_FRAME, JOIN_FRAMES, UNKNOWN, LossyTable, find_boundary
from sensor.http import _PREFACE as PREFACE, HttpRequest, HttpResponse, Message, protocol_hit

if TYPE_CHECKING:
    from sensor.http import HttpSession

_DATA, _HEADERS = 0x0, 0x1
_END_STREAM, _PADDED = 0x1, 0x8
_MAX_STREAMS = 256        # open streams tracked per connection; past it the oldest is reported as it stands
_TABLE_CAP = 1 << 16      # the largest HPACK table a peer's SETTINGS may make us keep
# fields that only mean something on an HTTP/1.1 connection: in an HTTP/2 request they are malformed (RFC 9113
# 8.2.2), and a proxy that downgrades to HTTP/1.1 and passes them on can be made to smuggle (H2.TE, H2.CL)
_CONNECTION_FIELDS = frozenset((b"connection", b"transfer-encoding", b"keep-alive", b"proxy-connection", b"upgrade"))
UNRESOLVED_NAME = b"rampart-unresolved-name"   # a new value whose field name was indexed before the join
_MAX_REHUNTS = 8       # boundaries found in a row that did not decode: the direction stops (not HTTP/2 after all)
_PROBATION_BYTES = 64 << 10   # client bytes a joined connection may hunt through before its first request decodes


class _Direction:
    """One direction's frame reader: a bounded buffer, its HPACK decoder and the header block being assembled."""

    __slots__ = ("buf", "decoder", "block", "block_sid", "block_flags", "block_push", "data_sid", "data_left",
                 "pad_left", "data_end", "max_frame", "broken", "limit", "hunting", "lossy", "rehunts")

    def __init__(self, max_header_bytes: int) -> None:
        self.buf = bytearray()
        self.decoder = hpack.Decoder(max_header_list_size=max_header_bytes)
        self.block: Optional[bytearray] = None
        self.block_sid = 0
        self.block_flags = 0
        self.block_push = False
        self.data_sid = 0
        self.data_left = 0      # payload bytes of the DATA frame being read, passed on as they come
        self.pad_left = 0
        self.data_end = False
        # a larger non-DATA frame is not buffered: the reader stops
        self.max_frame = max(DEFAULT_MAX_FRAME, max_header_bytes)
        self.broken = False
        self.limit = max_header_bytes
        self.hunting = False    # looking for the next frame boundary (after a gap, or joined part-way)
        self.lossy = False      # HPACK state from before the join is unknown: the decoder resolves what it can
        self.rehunts = 0

    def hunt(self) -> None:
        """Lose sync on purpose: find the next frame boundary, and decode header blocks from there with a table
        that starts empty. What was inserted into the peer's table before is unknown; what it inserts from the
        next block on is seen in order, so those entries sit at their right indexes."""
        self.hunting = self.lossy = True
        self.block = None
        self.data_left = self.pad_left = 0
        self.decoder = hpack.Decoder(max_header_list_size=self.limit)
        self.decoder.header_table = LossyTable()
        # the table size the peer's SETTINGS allowed may have been sent before the join: accept up to the cap (a
        # larger table here only keeps entries longer, which never moves an index the encoder uses)
        self.decoder.max_allowed_table_size = _TABLE_CAP
        self.decoder.header_table.maxsize = _TABLE_CAP


class H2Connection:
    """Pairs the streams of one HTTP/2 connection into the session's requests and responses.

    DATA payloads stream straight into message bodies (bounded as HTTP/1 bodies are); other frames are buffered
    whole up to a bound. After a gap, or on a connection joined part-way, a direction is read on from the next frame
    boundary with an HPACK table that knows what it missed (sensor/h2sync.py); its open streams end as they stand.
    An undecodable header block or an oversized frame ends parsing of that direction."""

    def __init__(self, session: "HttpSession", upgraded: bool = False, joined: bool = False) -> None:
        self.s = session
        limit = session.cfg.max_header_bytes
        self.dirs = (_Direction(limit), _Direction(limit))    # [0] server -> client, [1] client -> server
        # client preface bytes still to skip (sent after an Upgrade too); a connection joined part-way has none
        self.preface_left = 0 if joined else len(PREFACE)
        # a connection joined part-way is HTTP/2 on probation, taken on two frames that chain: until a client header
        # block decodes into a request, a frame or block that does not parse, or 64 KiB hunted through, hands it back
        # to HTTP/1 (an upload of a file holding HTTP/2 frames must not blind the sensor to the requests after it)
        self.probation = joined
        self.hunted = 0
        if joined:
            for d in self.dirs:
                d.hunt()
        self.reqs: dict[int, HttpRequest] = {}
        self.resps: dict[int, HttpResponse] = {}
        # after an HTTP/1.1 Upgrade, stream 1 answers the request that asked for it, already reported with the 101
        self.ignored = {1} if upgraded else set()

    # -- input ---------------------------------------------------------------------------------------
    def client(self, data: bytes, ts: float) -> None:
        if self.preface_left:
            n = min(self.preface_left, len(data))
            start = len(PREFACE) - self.preface_left
            if data[:n] != PREFACE[start:start + n]:
                self._fail(True, "bad HTTP/2 client preface")
                return
            self.preface_left -= n
            data = data[n:]
        self._feed(True, data, ts)

    def server(self, data: bytes, ts: float) -> None:
        self._feed(False, data, ts)

    def gap(self, from_client: bool, n: int) -> None:
        """Bytes lost: the open streams of that direction end as they stand, then reading goes on from the next
        frame boundary (a lost segment would otherwise blind the sensor for the rest of the connection)."""
        for msg in self._open(from_client):
            msg.body_gap = True
            msg.hits.append(protocol_hit("tcp-gap", ["protocol"], f"{n} bytes missing"))
        if self.dirs[from_client].broken:
            return
        self._stop(from_client)
        d = self.dirs[from_client]
        d.broken = False
        d.rehunts = 0
        d.hunt()

    def close(self) -> None:
        """Connection over: every open stream is finished as it stands (the session reports its queue)."""
        s = self.s
        for sid, resp in list(self.resps.items()):
            self._finish_response(sid, resp, partial=True)
        for req in list(self.reqs.values()):
            if not req.complete:
                req.complete = req.partial = True
                s._request_done(req)     # detection runs on what arrived, as for an HTTP/1 request cut by the close
        self.reqs.clear()
        for d in self.dirs:
            if d.buf:
                s.charge(None, -len(d.buf))
                d.buf = bytearray()

    # -- frames --------------------------------------------------------------------------------------
    def _feed(self, from_client: bool, data: bytes, ts: float) -> None:
        d = self.dirs[from_client]
        if d.broken or not data:
            return
        s = self.s
        buf = d.buf
        buf += data
        s.charge(None, len(data))    # (released as frames are consumed, or all at once when the direction stops)
        if d.hunting and not self._found(d, from_client):
            return
        buf = d.buf
        pos = 0
        end = len(buf)
        while pos < end:
            if d.data_left or d.pad_left:
                take = min(d.data_left, end - pos)
                if take:
                    self._body(from_client, d.data_sid, bytes(buf[pos:pos + take]))
                    pos += take
                    d.data_left -= take
                skip = min(d.pad_left, end - pos)
                pos += skip
                d.pad_left -= skip
                if d.data_left or d.pad_left:
                    break
                if d.data_end:
                    self._end_stream(from_client, d.data_sid)
                continue
            if end - pos < 9:
                break
            length = int.from_bytes(buf[pos:pos + 3], "big")
            kind, flags = buf[pos + 3], buf[pos + 4]
            sid = int.from_bytes(buf[pos + 5:pos + 9], "big") & 0x7FFFFFFF
            if kind == _DATA:
                pad = 0
                if flags & _PADDED:
                    if end - pos < 10:
                        break
                    pad = buf[pos + 9]
                    if pad >= length:
                        self._fail(from_client, "DATA padding exceeds the frame")
                        return
                    pos += 1
                    length -= 1
                pos += 9
                d.data_sid, d.data_left, d.pad_left, d.data_end = sid, length - pad, pad, bool(flags & _END_STREAM)
                if not length and d.data_end:
                    self._end_stream(from_client, sid)
                continue
            if length > d.max_frame:
                self._fail(from_client, f"HTTP/2 frame of {length} bytes (type {kind})", too_big=kind == _HEADERS)
                return
            if end - pos < 9 + length:
                break
            try:
                frame, _ = Frame.parse_frame_header(memoryview(buf[pos:pos + 9]))
                frame.parse_body(memoryview(buf[pos + 9:pos + 9 + length]))
            except HyperframeError as exc:
                self._fail(from_client, f"bad HTTP/2 frame: {exc}")
                return
            pos += 9 + length
            if not self._frame(from_client, frame, ts):
                return
        del buf[:pos]
        s.charge(None, -pos)

    def _found(self, d: _Direction, from_client: bool) -> bool:
        """Hunting: drop the bytes before the next frame boundary; False while none is certain yet (the bytes that
        may hold it are kept, within the resync window and one frame of up to 64 KiB)."""
        buf = d.buf
        at, keep = find_boundary(buf, d.max_frame, JOIN_FRAMES, to_end=True)
        drop = at if at >= 0 else (keep if keep >= 0 else len(buf))
        if at < 0:
            # (a frame larger than the bound is hunted past, not held: a peer may have allowed 16 MiB frames)
            drop = max(drop, len(buf) - max(self.s.cfg.resync_window, min(d.max_frame, 1 << 16) + 9))
        if drop:
            del buf[:drop]
            self.s.charge(None, -drop)
            self.s.stats.resync_bytes += drop
            if self.probation and from_client:
                self.hunted += drop
                if self.hunted > _PROBATION_BYTES:
                    self.s.leave_h2()
                    return False
        if at < 0:
            return False
        d.hunting = False
        self.s.stats.h2_resyncs += 1
        return True

    def _frame(self, from_client: bool, frame, ts: float) -> bool:
        d = self.dirs[from_client]
        if d.block is not None and not isinstance(frame, ContinuationFrame):
            self._fail(from_client, "header block interrupted by another frame")
            return False
        if isinstance(frame, (HeadersFrame, PushPromiseFrame, ContinuationFrame)):
            if isinstance(frame, ContinuationFrame):
                if d.block is None and d.lossy:
                    return True    # the rest of a header block whose start came before the join
                if d.block is None or frame.stream_id != d.block_sid:
                    self._fail(from_client, "CONTINUATION without a header block")
                    return False
                d.block += frame.data
            else:
                d.block = bytearray(frame.data)
                d.block_sid = frame.stream_id
                d.block_flags = _END_STREAM if "END_STREAM" in frame.flags else 0
                d.block_push = isinstance(frame, PushPromiseFrame)
            if len(d.block) > self.s.cfg.max_header_bytes:
                self._fail(from_client, "header section too large", too_big=True)
                return False
            if "END_HEADERS" in frame.flags:
                block, d.block = bytes(d.block), None
                try:
                    fields = d.decoder.decode(block, raw=True)
                except HPACKError as exc:
                    self._fail(from_client, f"undecodable header block: {exc.__class__.__name__}")
                    return False
                d.rehunts = 0
                if not d.block_push:   # a promised request's fields are decoded only to keep HPACK state in step
                    self._headers(from_client, d.block_sid, fields, bool(d.block_flags), ts)
        elif isinstance(frame, SettingsFrame):
            # the peer's settings bound what the other direction may send
            other = self.dirs[not from_client]
            size = frame.settings.get(SettingsFrame.HEADER_TABLE_SIZE)
            if size is not None:
                other.decoder.max_allowed_table_size = min(max(size, 4096), _TABLE_CAP)
            fsize = frame.settings.get(SettingsFrame.MAX_FRAME_SIZE)
            if fsize is not None:
                other.max_frame = max(other.max_frame, min(fsize, 1 << 20))
        elif isinstance(frame, RstStreamFrame):
            self._reset(frame.stream_id)
        return True

    # -- streams -------------------------------------------------------------------------------------
    def _headers(self, from_client: bool, sid: int, fields: list, end: bool, ts: float) -> None:
        if sid in self.ignored:
            if end and not from_client:
                self.ignored.discard(sid)
            return
        s = self.s
        if from_client:
            req = self.reqs.get(sid)
            if req is None:
                req = self._request(sid, fields, ts)
            if end:
                self._end_stream(True, sid)
            return
        status, names, values = _split(fields, self.dirs[False].lossy)
        if not status.isdigit():
            return
        resp = HttpResponse(ts)
        resp.status = int(status)
        resp.version = "2"
        resp.names, resp.values = names, values
        s.resp._analyse_headers(resp, False)
        resp.headers_complete = True
        req = self.reqs.get(sid)
        resp.request = req
        if s.want_response_begin:
            s.listener.response_begin(s, resp)
        if 100 <= resp.status < 200:
            s._response_done(resp)     # interim: the final response follows on the same stream
            return
        if req is None and sid in self.resps:
            return   # trailers of a response whose request is gone
        if sid in self.resps:
            # trailers: the stream's response is already here
            if end:
                self._finish_response(sid, self.resps[sid])
            return
        if req is not None:
            req.resp_assigned = True
        self.resps[sid] = resp
        if end:
            self._finish_response(sid, resp)

    def _request(self, sid: int, fields: list, ts: float) -> HttpRequest:
        s = self.s
        if len(self.reqs) >= _MAX_STREAMS:
            oldest = next(iter(self.reqs))
            self._reset(oldest)
        req = HttpRequest(ts)
        req.version = "2"
        pseudo: dict[bytes, bytes] = {}
        names: list[bytes] = []
        values: list[bytes] = []
        cookies: list[bytes] = []
        odd: list[str] = []
        unresolved: list[bytes] = []
        dropped = 0
        lossy = self.dirs[True].lossy    # (only a joined table yields UNKNOWN: elsewhere a NUL name is the client's)
        for name, value in fields:
            if lossy and name == UNKNOWN:
                # compressed against a table entry made before the sensor joined: a whole field is one sent earlier,
                # a new value under such a name is kept (under a name of ours, after the others: it may have been a
                # pseudo-header) so detectors still see it
                if value == UNKNOWN:
                    dropped += 1
                else:
                    unresolved.append(value)
                continue
            if name[:1] == b":":
                if names or name in pseudo:
                    odd.append(f"pseudo-header {name.decode('latin-1')} misplaced or repeated")
                pseudo[name] = value
            elif name == b"cookie":
                cookies.append(value)    # crumbs are one Cookie header on HTTP/1.1 (RFC 9113 8.2.3)
            else:
                if name != name.lower():
                    odd.append(f"upper-case field name {name.decode('latin-1')}")
                if name in _CONNECTION_FIELDS or name == b"te" and value.strip().lower() != b"trailers":
                    req.hits.append(protocol_hit("h2-connection-header", ["header", name.decode("latin-1").upper()],
                                                 value.decode("latin-1")))
                names.append(name)
                values.append(value)
        if cookies:
            names.append(b"cookie")
            values.append(b"; ".join(cookies))
        for value in unresolved:
            names.append(UNRESOLVED_NAME)
            values.append(value)
        authority = pseudo.get(b":authority", b"")
        if authority and b"host" not in names:
            names.insert(0, b"host")
            values.insert(0, authority)
        req.method = pseudo.get(b":method", b"").decode("ascii", "replace")
        req.target = pseudo.get(b":path", b"") or (authority if req.method == "CONNECT" else b"")
        if dropped or unresolved:
            # (each field left out was sent, byte for byte, in a request before the join, and each new value is kept:
            # everything new in this request is inspected)
            req.unresolved = dropped + len(unresolved)
            req.hits.append(protocol_hit("h2-unresolved", ["protocol"], f"{req.unresolved} header fields refer to "
                                         "HPACK state from before the sensor joined"))
        elif not req.method or not req.target:
            odd.append("a request without :method or :path")
        for why in odd:
            req.hits.append(protocol_hit("h2-malformed", ["protocol"], why))
        if self.probation:
            self.probation = False
            s.stats.h2_connections += 1    # (counted once a joined connection shows a request)
        req.names, req.values = names, values
        s.req._analyse_headers(req, True)
        req.headers_complete = True
        self.reqs[sid] = req
        s._request_begin(req)
        s.any_http = True
        if s.want_headers:
            s.listener.request_headers(s, req)
        return req

    def _body(self, from_client: bool, sid: int, chunk: bytes) -> None:
        msg: Optional[Message] = self.reqs.get(sid) if from_client else self.resps.get(sid)
        if msg is None or msg.complete:
            return
        side = self.s.req if from_client else self.s.resp
        side.cur = msg      # the idle HTTP/1 side keeps the body within the body limit and the memcap
        try:
            side.on_body(chunk)
        finally:
            side.cur = None

    def _end_stream(self, from_client: bool, sid: int) -> None:
        if not from_client:
            resp = self.resps.get(sid)
            if resp is not None:
                self._finish_response(sid, resp)
            elif sid in self.ignored:
                self.ignored.discard(sid)
            return
        req = self.reqs.get(sid)
        if req is None or req.complete:
            return
        if req.content_length is not None and req.content_length != req.body_len:
            # the length a downgrading proxy would frame the HTTP/1.1 request by is not what was sent (H2.CL)
            req.hits.append(protocol_hit("h2-content-length", ["header", "CONTENT-LENGTH"],
                                         f"content-length {req.content_length}, DATA {req.body_len} bytes"))
        req.complete = True
        s = self.s
        s._request_done(req)
        self._done(sid)

    def _finish_response(self, sid: int, resp: HttpResponse, partial: bool = False) -> None:
        resp.complete = True
        resp.partial = partial
        self.resps.pop(sid, None)
        self.s._response_done(resp)
        self._done(sid)

    def _done(self, sid: int) -> None:
        """Report a stream as soon as both its messages are whole: streams end in any order."""
        req = self.reqs.get(sid)
        if req is None or not req.complete or sid in self.resps or req.response is None:
            return
        del self.reqs[sid]
        self.s._report_now(req)

    def _reset(self, sid: int) -> None:
        req = self.reqs.get(sid)
        if req is not None and not req.complete:
            req.complete = req.partial = True
            self.s._request_done(req)
        resp = self.resps.get(sid)
        if resp is not None:
            self._finish_response(sid, resp, partial=True)
        req = self.reqs.pop(sid, None)
        if req is not None:
            self.s._report_now(req)

    def _open(self, from_client: bool) -> list[Message]:
        return [m for m in (self.reqs if from_client else self.resps).values() if not m.complete]

    def _fail(self, from_client: bool, reason: str, too_big: bool = False) -> None:
        """This direction cannot be read on: report the reason on its open messages (or the connection's last
        request) and stop reading it. A direction read from a guessed boundary hunts again instead (up to
        _MAX_REHUNTS times in a row), without a hit."""
        if self.probation and from_client:
            self.s.leave_h2()   # joined on a guess that the next frames did not bear out: not HTTP/2, no hit
            return
        d = self.dirs[from_client]
        if d.lossy and d.rehunts < _MAX_REHUNTS:
            # a boundary found by guessing, or a block that names fields from before the join in a way the lossy
            # table cannot follow: not the client's doing, so no hit; hunt again from the next boundary
            d.rehunts += 1
            self.s.stats.resync_bytes += len(d.buf)
            self._stop(from_client)
            d.broken = False
            d.hunt()
            return
        rule = "header-too-large" if too_big else "http-parse-error"
        self.s.stats.parse_errors += 1
        targets = self._open(from_client) or [m for m in list(self.reqs.values())[-1:]]
        for msg in targets:
            msg.hits.append(protocol_hit(rule, ["protocol"], reason))
        if not targets and from_client:
            # nothing to hang it on: the client broke HTTP/2 before any request (a bad preface, a junk frame)
            req = HttpRequest(0.0)
            req.method, req.target, req.version = "PRI", b"*", "2"
            req.headers_complete = req.complete = req.partial = True
            req.hits.append(protocol_hit(rule, ["protocol"], reason))
            self.s._request_begin(req)
            self.s._request_done(req)
        self._stop(from_client)

    def _stop(self, from_client: bool) -> None:
        d = self.dirs[from_client]
        d.broken = True
        if d.buf:
            self.s.charge(None, -len(d.buf))
            d.buf = bytearray()
        for sid, msg in list((self.reqs if from_client else self.resps).items()):
            if not msg.complete:
                if from_client:
                    self._reset(sid)
                else:
                    self._finish_response(sid, msg, partial=True)


def _split(fields: list, lossy: bool = False) -> tuple[str, list[bytes], list[bytes]]:
    """A response's :status and its regular fields (without those a joined table could not name)."""
    status = ""
    names: list[bytes] = []
    values: list[bytes] = []
    for name, value in fields:
        if name == b":status":
            status = value.decode("ascii", "replace")
        elif name[:1] != b":" and not (lossy and name == UNKNOWN):
            names.append(name)
            values.append(value)
    return status, names, values
