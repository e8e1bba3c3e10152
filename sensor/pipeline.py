"""The sans-IO sensor pipeline: frames in, transaction events out (decode → reassembly → HTTP → detect → event)."""
from __future__ import annotations

import dataclasses
import logging
import os
from dataclasses import dataclass
import struct
from typing import Callable, Iterable, Iterator, Optional

from core.events import Hit, TransactionEvent
from sensor.config import SensorConfig
from sensor.decode import Decoder
from sensor.http import HttpRequest, HttpResponse, HttpSession, RequestView
from sensor.reassembly import Flow, Reassembler
from sensor.shard import frame_shard, shard_of
from sensor.transactions import build_event, request_view

log = logging.getLogger(__name__)

Detector = Callable[[RequestView], list[Hit]]
OrderKey = tuple[int, int, int]   # (packet index that completed it, flow creation packet index, n-th in flow)

# from the EtherType (frame offset 12) to the TCP window: EtherType, IPv4 version+IHL, total length, flags+fragment
# offset, protocol, sequence and acknowledgement numbers, data offset, window (`Pipeline.feed_frames`' fast path)
_ETH_IP4_TCP = struct.Struct("!HBxHxxHxBxx8x4xIIBxH").unpack_from

# counters that every replay worker computes for all packets (fragments are reassembled before sharding)
REPLICATED_STATS = frozenset(("fragments", "frag_reassembled", "frag_dropped", "frag_overlaps"))


@dataclass(slots=True)
class PipelineStats:
    """Counters of one pipeline; nothing is dropped without being counted here."""

    packets: int = 0
    bytes: int = 0
    decode_errors: int = 0
    non_tcp: int = 0
    truncated: int = 0
    fragments: int = 0
    frag_reassembled: int = 0
    frag_dropped: int = 0
    frag_overlaps: int = 0
    flows: int = 0
    flows_closed: int = 0
    flows_timed_out: int = 0
    flows_evicted: int = 0
    bytes_evicted: int = 0
    memcap_truncations: int = 0   # HTTP bodies / inflated bodies cut short because the memcap was reached
    late_packets: int = 0
    retransmissions: int = 0
    out_of_order: int = 0
    overlap_conflicts: int = 0
    buffer_cap_hits: int = 0
    gaps: int = 0
    gap_bytes: int = 0
    rst_ignored: int = 0
    transactions: int = 0
    requests_without_response: int = 0
    unpaired_responses: int = 0
    unanswered_dropped: int = 0
    parse_errors: int = 0
    resync_bytes: int = 0
    non_http_flows: int = 0
    h2_connections: int = 0       # connections read as HTTP/2 cleartext (prior knowledge, Upgrade: h2c, or joined)
    h2_resyncs: int = 0           # HTTP/2 frame boundaries found again (after a gap, on joining, after a bad guess)
    detector_errors: int = 0
    attacks: int = 0

    def as_dict(self) -> dict[str, int]:
        return dataclasses.asdict(self)


@dataclass(slots=True)
class PipelineHooks:
    """Optional callbacks for acting on live traffic (blocking); each gets the live `Flow`."""

    on_syn: Optional[Callable[[Flow], None]] = None
    on_request_headers: Optional[Callable[[Flow, RequestView], None]] = None   # before the body: early detection
    on_response_start: Optional[Callable[[Flow], None]] = None
    on_transaction: Optional[Callable[[Flow, TransactionEvent], None]] = None


class Pipeline:
    """Feed captured frames, get finished `TransactionEvent`s back; all state lives in this object."""

    def __init__(self, config: SensorConfig, detector: Optional[Detector] = None,
                 hooks: Optional[PipelineHooks] = None, shard: Optional[tuple[int, int]] = None) -> None:
        self.config = config
        self.detector = detector
        self.hooks = hooks or PipelineHooks()
        self.stats = PipelineStats()
        self.decoder = Decoder(config, self.stats)
        self.flows = Reassembler(config, self, self.stats)
        self.shard = shard if shard and shard[1] > 1 else None
        self.packet_index = 0
        self.last_ts = 0.0
        self._next_sweep: Optional[float] = None
        self._out: list[tuple[OrderKey, TransactionEvent]] = []
        self._id_prefix = os.urandom(6).hex()
        self._ids = 0

    # -- input --------------------------------------------------------------------------------------
    def feed(self, ts: float, frame: bytes, linktype: int) -> list[TransactionEvent]:
        """One captured frame in; the transactions it completed out."""
        out = self.feed_keyed(ts, frame, linktype)
        return [e for _, e in out] if out else out

    def flush(self, ts: Optional[float] = None) -> list[TransactionEvent]:
        """End of input: close every flow; requests without a response are reported with response=None."""
        return [e for _, e in self.flush_keyed(ts)]

    def feed_keyed(self, ts: float, frame: bytes, linktype: int) -> list[tuple[OrderKey, TransactionEvent]]:
        """Like `feed`, with a sort key that reproduces single-process order when shards are merged."""
        self.packet_index += 1
        self.last_ts = ts
        nxt = self._next_sweep
        if nxt is None:
            self._next_sweep = ts + 1.0
        elif ts >= nxt:
            self._next_sweep = ts + 1.0
            self.flows.expire(ts)
        if self.shard is not None:
            return self._frame(ts, frame, linktype)
        # `feed_frames`' loop body for one frame (without a generator: live capture feeds frame by frame)
        self.flows.packet_index = self.packet_index
        st = self.stats
        n = len(frame)
        st.packets += 1
        st.bytes += n
        if not (linktype == 1 and n >= 54 and frame[47] & 0x17 == 0x10 and self._established(ts, frame, n)):
            seg = self.decoder.decode(ts, frame, linktype)
            if seg is not None:
                self.flows.process(ts, seg)
        if self._out:
            out, self._out = self._out, []
            return out
        return []

    def _established(self, ts: float, frame: bytes, n: int) -> bool:
        """The fast path for one Ethernet frame of `n` bytes with ACK and no SYN/FIN/RST: Ethernet/IPv4 (no
        options, not a fragment)/TCP — data and ACKs of open connections, most packets — goes to the reassembler
        as fields, without building a `Segment`. False when the frame is not of that shape or the reassembler
        declines it; the caller then decodes it in full."""
        etype, vihl, total, frag, proto, seq, ack, doff, win = _ETH_IP4_TCP(frame, 12)
        start = 34 + ((doff >> 4) << 2)
        end = 14 + total
        return (etype == 0x0800 and vihl == 0x45 and proto == 6 and not frag & 0x3FFF and doff >= 0x50
                and start <= end <= n and self.flows.process_established(ts, frame[26:38], seq, ack, win,
                                                                         frame[start:end]))

    def feed_frames(self, frames: Iterable[tuple[float, bytes]],
                    linktype: int) -> Iterator[list[tuple[OrderKey, TransactionEvent]]]:
        """Many frames of one link type in (a capture file): yields the keyed transactions as frames complete
        them, as `feed_keyed` would return them frame by frame.  The per-frame work runs in this one loop with
        its state in locals; the counters in `stats` are brought up to date at every yield and at the end."""
        if self.shard is not None:
            raise ValueError("feed_frames is for an unsharded pipeline; use feed_dispatched")
        st = self.stats
        flows = self.flows
        established = self._established
        process = flows.process
        decode = self.decoder.decode
        nxt = self._next_sweep
        index = self.packet_index
        ts = self.last_ts
        index0 = index
        nbytes = 0
        ether = linktype == 1
        try:
            for ts, frame in frames:
                index += 1
                self.packet_index = flows.packet_index = index
                if nxt is None:
                    nxt = ts + 1.0
                elif ts >= nxt:
                    nxt = ts + 1.0
                    flows.expire(ts)
                n = len(frame)
                nbytes += n
                # the fast path first (`_established`); what it declines is decoded in full
                if not (ether and n >= 54 and frame[47] & 0x17 == 0x10 and established(ts, frame, n)):
                    seg = decode(ts, frame, linktype)
                    if seg is not None:
                        process(ts, seg)
                if self._out:
                    out, self._out = self._out, []
                    st.packets += index - index0
                    st.bytes += nbytes
                    index0 = index
                    nbytes = 0
                    yield out
        finally:
            st.packets += index - index0
            st.bytes += nbytes
            self._next_sweep = nxt
            self.last_ts = ts

    def feed_dispatched(self, index: int, ts: float, frame: Optional[bytes], linktype: int,
                        sweep: bool) -> list[tuple[OrderKey, TransactionEvent]]:
        """A frame handed to this shard by a dispatcher that reads the capture once (sharded replay).

        `index` is the frame's position in the whole capture and `sweep` says whether a single pipeline would
        run its timeout sweep at this frame (the dispatcher sees every timestamp); `frame=None` carries only
        the sweep (another shard's frame).  Events and their order keys equal a single pipeline's."""
        self.packet_index = index
        self.last_ts = ts
        if sweep:
            self.flows.expire(ts)
        if frame is None:
            out, self._out = self._out, []
            return out
        return self._frame(ts, frame, linktype)

    def _frame(self, ts: float, frame: bytes, linktype: int) -> list[tuple[OrderKey, TransactionEvent]]:
        st = self.stats
        shard = self.shard
        if shard is not None:
            mine = frame_shard(frame, linktype, shard[1])
            if mine >= 0 and mine != shard[0]:
                return []   # another worker's flow: skip without decoding
        seg = self.decoder.decode(ts, frame, linktype)
        if seg is None:
            if shard is None or shard[0] == 0:
                st.packets += 1
                st.bytes += len(frame)
        elif shard is None or shard_of(seg.src, seg.sport, seg.dst, seg.dport, shard[1]) == shard[0]:
            st.packets += 1
            st.bytes += len(frame)
            self.flows.packet_index = self.packet_index
            self.flows.process(ts, seg)
        if self._out:
            out, self._out = self._out, []
            return out
        return []

    def flush_keyed(self, ts: Optional[float] = None) -> list[tuple[OrderKey, TransactionEvent]]:
        self.packet_index += 1
        self.flows.close_all(self.last_ts if ts is None else ts)
        out, self._out = self._out, []
        return out

    def expire(self, now: float) -> list[TransactionEvent]:
        """Apply timeouts at `now` without a packet (live capture on a quiet link)."""
        self.flows.expire(now)
        out, self._out = self._out, []
        return [e for _, e in out]

    # -- reassembly consumer ----------------------------------------------------------------------------
    def stream_syn(self, flow: Flow) -> None:
        if self.hooks.on_syn is not None:
            self.hooks.on_syn(flow)

    def stream_data(self, flow: Flow, from_client: bool, data: bytes, ts: float) -> None:
        app = flow.app
        if app is None:
            app = flow.app = HttpSession(self.config, self, self.stats, flow, acct=self.flows)
            app.req.seen_http = flow.client.syn
            app.midstream = not flow.client.syn
            app.resp.seen_http = flow.server.syn
            hooks = self.hooks
            app.want_headers = hooks.on_request_headers is not None
            app.want_complete = self.detector is not None
            app.want_response_begin = hooks.on_response_start is not None
        if app.count and app.h2 is None:   # HTTP/1 under way: straight to its parser (the hot path)
            (app.req if from_client else app.resp).feed(data, ts)
        elif from_client:
            app.client_data(data, ts)     # the connection's start (is it HTTP/2?), or HTTP/2
        else:
            app.server_data(data, ts)

    def stream_gap(self, flow: Flow, from_client: bool, nbytes: int, ts: float) -> None:
        if flow.app is not None:
            flow.app.gap(from_client, nbytes)

    def stream_closed(self, flow: Flow, ts: float) -> None:
        app = flow.app
        if app is not None:
            app.close()        # the session still hangs on the flow while closing: its memory account is used
            flow.app = None

    # -- HTTP session listener --------------------------------------------------------------------------
    def request_headers(self, session: HttpSession, req: HttpRequest) -> None:
        hook = self.hooks.on_request_headers
        if hook is not None:
            hook(session.flow, request_view(self.config, session.flow, req))

    def request_complete(self, session: HttpSession, req: HttpRequest) -> None:
        if self.detector is None:
            return
        try:
            hits = self.detector(request_view(self.config, session.flow, req))
        except Exception:   # a detector bug must not lose the transaction
            self.stats.detector_errors += 1
            log.exception("detector failed on %s %r", req.method, req.target[:200])
            return
        if hits:
            req.hits = req.hits + list(hits)

    def response_begin(self, session: HttpSession, resp: HttpResponse) -> None:
        hook = self.hooks.on_response_start
        if hook is not None:
            hook(session.flow)

    def transaction(self, session: HttpSession, req: HttpRequest, resp: Optional[HttpResponse]) -> None:
        flow = session.flow
        st = self.stats
        st.transactions += 1
        if resp is None:
            st.requests_without_response += 1
        self._ids += 1
        event = build_event(self.config, flow, req, resp, f"{self._id_prefix}-{self._ids:x}")
        if event.verdict == "attack":
            st.attacks += 1
        if self.hooks.on_transaction is not None:
            self.hooks.on_transaction(flow, event)
        self._out.append(((self.packet_index, flow.created_index, req.flow_no), event))
