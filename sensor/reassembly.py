"""Sans-IO TCP reassembly: flows in both directions, out-of-order, overlaps, gaps, timeouts, memory caps (policy: README)."""
from __future__ import annotations

import itertools
import socket
import struct
from collections import OrderedDict
from typing import Optional, Protocol

from sensor.config import SensorConfig
from sensor.decode import ACK, FIN, RST, SYN, Segment, window_scale
from sensor.segments import SegmentList

_M = 0xFFFFFFFF
_HTTP_METHOD_PREFIXES = (b"GET ", b"POST ", b"PUT ", b"HEAD ", b"DELETE ", b"OPTIONS ", b"PATCH ", b"TRACE ",
                         b"CONNECT ", b"PROPFIND ", b"PROPPATCH ", b"MKCOL ", b"COPY ", b"MOVE ", b"LOCK ", b"UNLOCK ")
_REFRESH = 1.0  # seconds between moves of an active flow to the LRU tail

ACTIVE, CLOSED = 0, 1
# shared by every direction that holds no out-of-order data (most of them): it is never inserted into (a direction
# gets its own SegmentList before its first insert), so it stays empty; saves ~350 bytes per half-open flow
NO_PENDING = SegmentList()


class HalfStream:
    """What one endpoint sends: its address, sequence space and the bytes not yet delivered in order."""

    # kept small on purpose: a SYN flood makes a million of these (bench/sensor_synflood.py)
    __slots__ = ("_ip", "port", "mac", "next_seq", "base", "window", "wscale", "ack", "seen", "syn",
                 "fin_off", "finished", "pending", "ip_bytes", "hole_acks")

    def __init__(self, ip_bytes: bytes, port: int) -> None:
        self.ip_bytes = ip_bytes
        self._ip: Optional[str] = None       # text form, made on first use (half-open flows never need it)
        self.port = port
        self.mac = b""
        self.next_seq: Optional[int] = None  # next expected sequence number (uint32), None until synced
        self.base = 0                        # stream offset of next_seq: bytes delivered + gap bytes skipped
        self.window = 0                      # last advertised window (raw field)
        self.wscale = 0                      # window-scale shift from this side's SYN
        self.ack: Optional[int] = None       # last acknowledgement number this side sent
        self.seen = False
        self.syn = False
        self.fin_off: Optional[int] = None   # stream offset of this side's FIN
        self.finished = False                # FIN reached in order
        self.pending = NO_PENDING            # out-of-order data by stream offset (own list on first use)
        self.hole_acks = 0                   # ACKs from the peer past the first hole

    @property
    def ip(self) -> str:
        ip = self._ip
        if ip is None:
            b = self.ip_bytes
            ip = self._ip = socket.inet_ntop(socket.AF_INET if len(b) == 4 else socket.AF_INET6, b)
        return ip

    @property
    def window_bytes(self) -> int:
        return self.window << self.wscale


class Flow:
    """A TCP connection as seen on the wire; `app` belongs to the consumer (the HTTP session)."""

    __slots__ = ("id", "client", "server", "state", "first_ts", "last_ts", "pos_ts", "app", "action", "ignored",
                 "midstream", "created_index", "had_payload", "closed_ts", "peers")

    def __init__(self, fid: int, client: HalfStream, server: HalfStream, ts: float, created_index: int) -> None:
        self.id = fid
        self.client = client
        self.server = server
        self.state = ACTIVE
        self.first_ts = ts
        self.last_ts = ts
        self.pos_ts = ts
        self.app = None
        self.action = "none"
        self.ignored = False
        self.midstream = False
        self.created_index = created_index
        self.had_payload = False
        self.closed_ts = 0.0
        self.peers = None   # (client, server) core.events.Peer, built once for all events of the flow

    @property
    def both_seen(self) -> bool:
        return self.client.seen and self.server.seen

    def mark_reset(self) -> None:
        """The sensor reset this connection: its transactions carry action="reset"."""
        self.action = "reset"

    def ignore(self) -> None:
        """Stop parsing this flow (e.g. after a reset); packets are still counted."""
        self.ignored = True

    def __repr__(self) -> str:
        return (f"Flow({self.client.ip}:{self.client.port} -> {self.server.ip}:{self.server.port}, "
                f"state={self.state})")


class StreamConsumer(Protocol):
    def stream_syn(self, flow: Flow) -> None: ...
    def stream_data(self, flow: Flow, from_client: bool, data: bytes, ts: float) -> None: ...
    def stream_gap(self, flow: Flow, from_client: bool, nbytes: int, ts: float) -> None: ...
    def stream_closed(self, flow: Flow, ts: float) -> None: ...


_PORTS = struct.Struct("!HH").pack
_KEY4 = struct.Struct("!4s4sHH").pack


def flow_key(src: bytes, dst: bytes, sport: int, dport: int) -> bytes:
    """The flow-table key of one direction: addresses then ports, as in an IPv4 header followed by TCP's.

    For IPv4 it equals the frame bytes from the source address to the destination port, so the pipeline's fast
    path takes it with one slice; one short bytes object hashes faster than a 4-tuple of bytes and ints, and
    takes less memory (two per flow)."""
    return _KEY4(src, dst, sport, dport) if len(src) == 4 else src + dst + _PORTS(sport, dport)


def _sdiff(a: int, b: int) -> int:
    """Signed distance a - b in 32-bit sequence space."""
    d = (a - b) & _M
    return d - 0x100000000 if d & 0x80000000 else d


class Reassembler:
    """The flow table and per-direction stream reassembly; feeds in-order bytes and gaps to a consumer."""

    def __init__(self, config: SensorConfig, consumer: StreamConsumer, stats) -> None:
        self.cfg = config
        self.consumer = consumer
        self.stats = stats
        self.index: dict[bytes, tuple[Flow, bool]] = {}   # flow_key() -> (flow, sender is client)
        # OrderedDicts, not dicts: a plain dict leaves a tombstone per deletion that every new iterator walks
        # again, so evicting or expiring from the front became O(n) per flow (~8k SYN/s under a flood)
        self.flows: OrderedDict[int, Flow] = OrderedDict()      # LRU order (lazy refresh)
        self.resetting: dict[int, Flow] = {}       # flows this sensor reset, closed after reset_timeout
        self.embryonic: OrderedDict[int, Flow] = OrderedDict()  # flows that never carried payload, creation order
        self.buffered = 0                                 # out-of-order bytes held by all flows
        self.http_held = 0                                # bytes HTTP sessions hold (sensor.http.MemoryAccount)
        self._reclaiming = False
        self._ids = itertools.count(1)
        self.packet_index = 0                             # set by the pipeline: global index of the packet
        self._shared: dict[bytes, bytes] = {}             # interned server addresses and MACs (bounded)

    # -- memory ---------------------------------------------------------------------------------------
    @property
    def mem_used(self) -> int:
        """What the memcap bounds: per-flow overhead, out-of-order bytes, and the HTTP layer's heads and bodies."""
        return len(self.flows) * self.cfg.flow_overhead + self.buffered + self.http_held

    def room(self) -> int:
        """Bytes that may still be held before the memcap (negative when above it)."""
        return self.cfg.memcap - len(self.flows) * self.cfg.flow_overhead - self.buffered - self.http_held

    def reclaim(self, keep: Optional[Flow]) -> None:
        """Called by the HTTP layer for bytes it cannot cut (a message head): evict other flows as for
        out-of-order data until the memcap holds. Not re-entered, and not while `keep` itself is closing."""
        if self._reclaiming or keep is None or keep.state == CLOSED:
            return
        self._reclaiming = True
        try:
            while self.mem_used > self.cfg.memcap and self._evict_one(keep.last_ts, keep):
                pass
        finally:
            self._reclaiming = False

    # -- per segment ----------------------------------------------------------------------------------
    def process(self, ts: float, seg: Segment) -> Optional[Flow]:
        src, dst, sport, dport, seq, ack, flags, win, payload, wire_len, smac, dmac, options = seg
        key = flow_key(src, dst, sport, dport)
        entry = self.index.get(key)
        if entry is None:
            flow = self._create(ts, seg, key)
            if flow is None:
                return None
            from_client = flow.client.ip_bytes == src and flow.client.port == sport
        else:
            flow, from_client = entry
            if flow.state == CLOSED:
                if flags & (SYN | ACK) != SYN:
                    self.stats.late_packets += 1
                    return flow
                # a new connection reusing the 4-tuple of a closed one
                self._remove(flow)
                flow = self._create(ts, seg, key)
                if flow is None:
                    return None
                from_client = True
        flow.last_ts = ts
        if ts - flow.pos_ts > _REFRESH:
            self.flows.move_to_end(flow.id)
            flow.pos_ts = ts
        if from_client:
            snd, rcv = flow.client, flow.server
        else:
            snd, rcv = flow.server, flow.client
        snd.seen = True
        snd.window = win
        if not snd.mac and smac:
            snd.mac = self._intern(smac)
            if not rcv.mac:
                rcv.mac = self._intern(dmac)
        if flags & ACK:
            snd.ack = ack
            if flags == ACK and not wire_len:
                # pure ACK (half of all packets): only the lost-data check below applies
                if rcv.pending.starts and rcv.next_seq is not None and _sdiff(ack, rcv.next_seq) > 0:
                    self._acked_hole(flow, rcv, not from_client, ack, ts)
                return flow
        if flags & RST:
            if snd.next_seq is None or rcv.window == 0 or 0 <= _sdiff(seq, snd.next_seq) <= max(rcv.window_bytes, 1):
                self._close(flow, ts)
            else:
                self.stats.rst_ignored += 1
            return flow
        if flags & SYN:
            if snd.next_seq is None or not snd.syn:
                snd.syn = True
                snd.next_seq = (seq + 1) & _M
                snd.wscale = window_scale(options)
                if from_client and not flags & ACK:
                    self.consumer.stream_syn(flow)
            seq = (seq + 1) & _M
        if wire_len and snd.next_seq is None:
            snd.next_seq = seq
            flow.midstream = True
        if flags & FIN and snd.next_seq is not None and snd.fin_off is None:
            snd.fin_off = snd.base + _sdiff(seq, snd.next_seq) + wire_len
        if wire_len:
            self._segment(flow, snd, from_client, seq, payload, wire_len, ts)
        if flags & FIN:
            self._check_fin(flow, snd, ts)
        if flags & ACK and rcv.pending.starts and rcv.next_seq is not None and _sdiff(ack, rcv.next_seq) > 0:
            self._acked_hole(flow, rcv, not from_client, ack, ts)
        return flow

    def process_established(self, ts: float, key: bytes, seq: int, ack: int, win: int, payload: bytes) -> bool:
        """`process` for the most common segments, without a `Segment`: ACK set, no SYN/FIN/RST, the whole
        payload captured, on an active flow whose sender's MAC is known.  Returns False, having changed nothing,
        for anything else — the caller then decodes the frame fully and calls `process`.

        The steps are `process`'s for that case in the same order (tests/sensor compare both paths)."""
        entry = self.index.get(key)
        if entry is None:
            return False
        flow, from_client = entry
        if from_client:
            snd, rcv = flow.client, flow.server
        else:
            snd, rcv = flow.server, flow.client
        if flow.state == CLOSED or not snd.mac:
            return False
        flow.last_ts = ts
        if ts - flow.pos_ts > _REFRESH:
            self.flows.move_to_end(flow.id)
            flow.pos_ts = ts
        snd.seen = True
        snd.window = win
        snd.ack = ack
        if payload:
            if snd.next_seq is None:
                snd.next_seq = seq
                flow.midstream = True
            self._segment(flow, snd, from_client, seq, payload, len(payload), ts)
        if rcv.pending.starts and rcv.next_seq is not None and _sdiff(ack, rcv.next_seq) > 0:
            self._acked_hole(flow, rcv, not from_client, ack, ts)
        return True

    def _segment(self, flow: Flow, snd: HalfStream, from_client: bool, seq: int, payload: bytes, wire_len: int,
                 ts: float) -> None:
        """A data segment of `wire_len` bytes on the wire (`payload`: what was captured of it) from `snd`."""
        if not flow.had_payload:
            flow.had_payload = True
            self.embryonic.pop(flow.id, None)
        if seq == snd.next_seq and not snd.pending.starts and len(payload) == wire_len:
            # the next in-order segment (most data packets): `_data`'s fast path, inlined
            snd.next_seq = (seq + wire_len) & _M
            snd.base += wire_len
            if not flow.ignored:
                self.consumer.stream_data(flow, from_client, payload, ts)
        else:
            self._data(flow, snd, from_client, seq, payload, wire_len, ts)

    def _acked_hole(self, flow: Flow, rcv: HalfStream, rcv_is_client: bool, ack: int, ts: float) -> None:
        # the receiver acknowledged bytes the capture never showed: they are lost for good
        if flow.state == CLOSED:
            return
        # one ACK past a hole can be mirror reordering (the data is just late); a second one means it is lost
        rcv.hole_acks += 1
        if rcv.hole_acks < 2:
            return
        rcv.hole_acks = 0
        upto = rcv.base + _sdiff(ack, rcv.next_seq)
        self._skip_to(flow, rcv, rcv_is_client, min(upto, rcv.pending.first_start()), ts)
        self._drain(flow, rcv, rcv_is_client, ts)
        self._check_fin(flow, rcv, ts)

    def _intern(self, b: bytes) -> bytes:
        shared = self._shared
        got = shared.get(b)
        if got is None:
            got = b
            if len(shared) < 4096:
                shared[b] = b
        return got

    def _create(self, ts: float, seg: Segment, key: bytes) -> Optional[Flow]:
        flags = seg.flags
        if flags & RST or not (flags & SYN or seg.wire_len):
            return None
        if flags & SYN:
            sender_is_client = not flags & ACK
        else:
            p = seg.payload
            if p.startswith(_HTTP_METHOD_PREFIXES):
                sender_is_client = True
            elif p.startswith(b"HTTP/"):
                sender_is_client = False
            else:
                sender_is_client = seg.sport > seg.dport
        # addresses and MACs repeat across flows (servers, routers): share one bytes object each, so a SYN flood
        # from random sources costs one new address per flow, not four objects (the cache is bounded)
        src = self._shared.get(seg.src, seg.src)
        dst = self._intern(seg.dst)
        a = HalfStream(src, seg.sport)
        b = HalfStream(dst, seg.dport)
        client, server = (a, b) if sender_is_client else (b, a)
        cfg = self.cfg
        while (len(self.flows) >= cfg.max_flows
               or (len(self.flows) + 1) * cfg.flow_overhead + self.buffered + self.http_held > cfg.memcap):
            if not self._evict_one(ts, None):
                break
        flow = Flow(next(self._ids), client, server, ts, self.packet_index)
        rkey = flow_key(dst, src, seg.dport, seg.sport)
        self.index[key] = (flow, sender_is_client)
        self.index[rkey] = (flow, not sender_is_client)
        self.flows[flow.id] = flow
        self.embryonic[flow.id] = flow
        self.stats.flows += 1
        return flow

    def _data(self, flow: Flow, snd: HalfStream, from_client: bool, seq: int, payload: bytes, wire_len: int,
              ts: float) -> None:
        d = _sdiff(seq, snd.next_seq)
        if d == 0 and not snd.pending.starts and len(payload) == wire_len:
            # fast path: the next in-order segment
            snd.next_seq = (seq + wire_len) & _M
            snd.base += wire_len
            if not flow.ignored:
                self.consumer.stream_data(flow, from_client, payload, ts)
            return
        if d < 0:
            if d + wire_len <= 0:
                self.stats.retransmissions += 1
                return
            # partial overlap with delivered bytes: those already delivered win
            payload = payload[-d:]
            wire_len += d
            d = 0
        start = snd.base + d
        if snd.fin_off is not None and start >= snd.fin_off:
            return
        if d == 0 and not snd.pending:
            self._deliver(flow, snd, from_client, payload, ts)
            if len(payload) < wire_len:
                self._skip_to(flow, snd, from_client, snd.base + wire_len - len(payload), ts)
            return
        if snd.pending.size + len(payload) > self.cfg.flow_buffer_cap:
            self.stats.buffer_cap_hits += 1
            # buffer full: give up on the oldest hole so memory stays bounded
            if snd.pending:
                self._skip_to(flow, snd, from_client, snd.pending.first_start(), ts)
                self._drain(flow, snd, from_client, ts)
            if start > snd.base and snd.pending.size + len(payload) > self.cfg.flow_buffer_cap:
                self._skip_to(flow, snd, from_client, start, ts)
        before = snd.pending.conflicts
        if start <= snd.base and not snd.pending:
            self._deliver(flow, snd, from_client, payload[snd.base - start:], ts)
        else:
            if snd.pending is NO_PENDING:
                snd.pending = SegmentList()
            self.buffered += snd.pending.insert(start, payload)
            if self.mem_used > self.cfg.memcap:
                self._shed(ts, flow)
        if snd.pending.conflicts != before:
            self.stats.overlap_conflicts += 1
        self.stats.out_of_order += 1
        self._drain(flow, snd, from_client, ts)
        self._check_fin(flow, snd, ts)

    def _deliver(self, flow: Flow, snd: HalfStream, from_client: bool, data: bytes, ts: float) -> None:
        if not data:
            return
        snd.base += len(data)
        snd.next_seq = (snd.next_seq + len(data)) & _M
        if not flow.ignored:
            self.consumer.stream_data(flow, from_client, data, ts)

    def _drain(self, flow: Flow, snd: HalfStream, from_client: bool, ts: float) -> None:
        pending = snd.pending
        while pending and pending.starts[0] <= snd.base:
            start, data = pending.pop_front()
            self.buffered -= len(data)
            if start + len(data) > snd.base:
                self._deliver(flow, snd, from_client, data[snd.base - start:], ts)

    def _skip_to(self, flow: Flow, snd: HalfStream, from_client: bool, offset: int, ts: float) -> None:
        n = offset - snd.base
        if n <= 0:
            return
        snd.base = offset
        snd.next_seq = (snd.next_seq + n) & _M
        self.stats.gaps += 1
        self.stats.gap_bytes += n
        if not flow.ignored:
            self.consumer.stream_gap(flow, from_client, n, ts)

    def _check_fin(self, flow: Flow, snd: HalfStream, ts: float) -> None:
        if snd.fin_off is not None and not snd.finished and snd.base >= snd.fin_off:
            snd.finished = True
            self.buffered -= snd.pending.clear()
            if flow.client.finished and flow.server.finished:
                self._close(flow, ts)

    def _flush_holes(self, flow: Flow, snd: HalfStream, from_client: bool, ts: float) -> None:
        while snd.pending:
            self._skip_to(flow, snd, from_client, snd.pending.first_start(), ts)
            self._drain(flow, snd, from_client, ts)

    def _close(self, flow: Flow, ts: float) -> None:
        if flow.state == CLOSED:
            return
        self._flush_holes(flow, flow.client, True, ts)
        self._flush_holes(flow, flow.server, False, ts)
        flow.state = CLOSED
        flow.closed_ts = ts
        self.embryonic.pop(flow.id, None)
        self.stats.flows_closed += 1
        self.consumer.stream_closed(flow, ts)

    def _remove(self, flow: Flow) -> None:
        c, sv = flow.client, flow.server
        index = self.index
        index.pop(flow_key(c.ip_bytes, sv.ip_bytes, c.port, sv.port), None)
        index.pop(flow_key(sv.ip_bytes, c.ip_bytes, sv.port, c.port), None)
        self.flows.pop(flow.id, None)
        self.embryonic.pop(flow.id, None)
        self.buffered -= flow.client.pending.clear() + flow.server.pending.clear()

    # -- eviction and timeouts ----------------------------------------------------------------------
    def _evict_one(self, ts: float, keep: Optional[Flow]) -> bool:
        for table in (self.embryonic, self.flows):
            for fid, victim in table.items():
                if victim is not keep:
                    break
            else:
                continue
            dropped = victim.client.pending.size + victim.server.pending.size
            if victim.state != CLOSED:
                self.stats.flows_evicted += 1
                self.stats.bytes_evicted += dropped
                self._close(victim, ts)
            self._remove(victim)
            return True
        return False

    def _shed(self, ts: float, current: Flow) -> None:
        while self.mem_used > self.cfg.memcap:
            if not self._evict_one(ts, current):
                # only the current flow is left: drop its buffered data
                for snd, fc in ((current.client, True), (current.server, False)):
                    self.stats.bytes_evicted += snd.pending.size
                    self._flush_holes(current, snd, fc, ts)
                break

    def expire(self, now: float) -> None:
        """Close and forget flows whose idle/embryonic/closed timeout passed (capture time)."""
        cfg = self.cfg
        horizon = min(cfg.closed_timeout, cfg.embryonic_timeout, cfg.idle_timeout)
        self._close_reset(now)
        expired: list[Flow] = []
        flows = self.flows
        while flows:
            fid = next(iter(flows))
            flow = flows[fid]
            if flow.pos_ts > now - horizon:
                break
            if flow.state == CLOSED:
                limit = cfg.closed_timeout
            elif flow.had_payload:
                limit = cfg.idle_timeout
            else:
                limit = cfg.embryonic_timeout
            if now - flow.last_ts >= limit:
                del flows[fid]
                expired.append(flow)
            else:
                flows.move_to_end(fid)
                flow.pos_ts = now
        for flow in sorted(expired, key=lambda f: f.created_index):
            if flow.state != CLOSED:
                self.stats.flows_timed_out += 1
                self._close(flow, now)
            self._remove(flow)

    def close_after_reset(self, flow: Flow) -> None:
        """The sensor reset `flow`: close it (reporting its transactions) once it has been quiet for
        `reset_timeout`. Its own RSTs are not captured, so no FIN/RST would close it before the idle timeout."""
        self.resetting[flow.id] = flow

    def _close_reset(self, now: float) -> None:
        if not self.resetting:
            return
        limit = self.cfg.reset_timeout
        for fid, flow in list(self.resetting.items()):
            if flow.state == CLOSED or self.flows.get(fid) is not flow:
                del self.resetting[fid]
            elif now - flow.last_ts >= limit:
                del self.resetting[fid]
                self._close(flow, now)

    def close_all(self, ts: float) -> None:
        """End of input: close every flow in creation order, delivering what is pending."""
        for flow in sorted(self.flows.values(), key=lambda f: f.created_index):
            self._close(flow, ts)
            self._remove(flow)
