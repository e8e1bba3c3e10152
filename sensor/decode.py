"""Frame decoding (Ethernet/802.1Q/Linux cooked/raw IP → IPv4/IPv6 with fragments → TCP) into `Segment`s."""
from __future__ import annotations

import struct
from typing import NamedTuple, Optional

import dpkt

from sensor.config import SensorConfig
from sensor.segments import SegmentList

# pcap link-layer types (https://www.tcpdump.org/linktypes.html)
DLT_NULL, DLT_EN10MB, DLT_RAW, DLT_LOOP, DLT_LINUX_SLL, DLT_IPV4, DLT_IPV6, DLT_LINUX_SLL2 = 0, 1, 101, 108, 113, 228, 229, 276
_RAW_TYPES = frozenset((DLT_RAW, 12, 14, DLT_IPV4, DLT_IPV6))
_VLAN_TYPES = frozenset((0x8100, 0x88A8, 0x9100))
_IPV6_EXT = frozenset((0, 43, 44, 60, 135, 139, 140))  # extension headers that may precede TCP
_AF_INET6 = frozenset((10, 24, 28, 30))

_H = struct.Struct("!H").unpack_from
_TCP = struct.Struct("!HHIIBBH").unpack_from
_IP4 = struct.Struct("!BxHxxHxB").unpack_from      # vihl, total length, flags+fragment offset, protocol
_IP6 = struct.Struct("!HB").unpack_from
_IP4F = struct.Struct("!HxxHxB").unpack_from      # from offset 2 of the IPv4 header: total, frag, protocol           # payload length, next header (at offset 4)

FIN, SYN, RST, PSH, ACK = 0x01, 0x02, 0x04, 0x08, 0x10


class Segment(NamedTuple):
    """One TCP segment as the reassembler needs it; addresses stay packed bytes until a flow is created."""

    src: bytes
    dst: bytes
    sport: int
    dport: int
    seq: int
    ack: int
    flags: int
    win: int
    payload: bytes
    wire_len: int      # payload length on the wire; > len(payload) when the capture truncated the frame
    src_mac: bytes
    dst_mac: bytes
    options: bytes     # TCP options, only filled for SYN segments (window scale)


_new_segment = tuple.__new__   # builds a Segment without the Python-level NamedTuple constructor (hot path)


class _FragSet:
    __slots__ = ("pieces", "total", "first_ts")

    def __init__(self, ts: float) -> None:
        self.pieces = SegmentList()
        self.total: Optional[int] = None
        self.first_ts = ts


class Defragmenter:
    """Bounded IPv4/IPv6 fragment reassembly: first fragment copy wins, limits on sets, bytes and age."""

    def __init__(self, config: SensorConfig, stats) -> None:
        self.cfg = config
        self.stats = stats
        self.sets: dict[tuple, _FragSet] = {}

    def add(self, ts: float, key: tuple, offset: int, more: bool, data: bytes) -> Optional[bytes]:
        st = self.stats
        st.fragments += 1
        self._expire(ts)
        fs = self.sets.get(key)
        if fs is None:
            if len(self.sets) >= self.cfg.max_frag_sets:
                self.sets.pop(next(iter(self.sets)))
                st.frag_dropped += 1
            fs = self.sets[key] = _FragSet(ts)
        end = offset + len(data)
        if end > self.cfg.max_frag_bytes or (fs.total is not None and end > fs.total):
            del self.sets[key]
            st.frag_dropped += 1
            return None
        if not more:
            if fs.total is not None and fs.total != end:
                del self.sets[key]
                st.frag_dropped += 1
                return None
            fs.total = end
        before = fs.pieces.conflicts
        fs.pieces.insert(offset, data)
        if fs.pieces.conflicts != before:
            st.frag_overlaps += 1
        if fs.total is None or fs.pieces.contiguous_from(0) < fs.total:
            return None
        del self.sets[key]
        st.frag_reassembled += 1
        return b"".join(fs.pieces.datas)[: fs.total]

    def _expire(self, ts: float) -> None:
        sets = self.sets
        limit = ts - self.cfg.frag_timeout
        while sets:
            key = next(iter(sets))
            if sets[key].first_ts >= limit:
                break
            del sets[key]
            self.stats.frag_dropped += 1


class Decoder:
    """Turns captured frames into TCP `Segment`s (or None).

    The common shapes (Ethernet/VLAN + IPv4 without fragments or IPv6 without extension headers + TCP)
    are decoded with precompiled structs: profiling showed dpkt's object decoding at ~6 µs/frame, more
    than half the per-packet budget.  Everything else (Linux cooked, IPv6 extension headers, fragments
    bookkeeping input) goes through dpkt, and a differential fuzz test keeps the fast path equal to dpkt.
    """

    def __init__(self, config: SensorConfig, stats) -> None:
        self.stats = stats
        self.defrag = Defragmenter(config, stats)

    def decode(self, ts: float, frame: bytes, linktype: int) -> Optional[Segment]:
        try:
            if linktype == DLT_EN10MB and frame[12] == 8 and frame[13] == 0 and frame[14] == 0x45:
                # hot path, inlined: Ethernet II, IPv4 without options or fragments, TCP
                total, frag, proto = _IP4F(frame, 16)
                if proto == 6 and not frag & 0x3FFF:
                    sport, dport, seq, ack, doff, flags, win = _TCP(frame, 34)
                    start = 34 + ((doff >> 4) << 2)
                    end = 14 + total
                    if doff >= 0x50 and start <= end and start <= len(frame):
                        payload = frame[start:end]
                        wire_len = end - start
                        if len(payload) < wire_len:
                            self.stats.truncated += 1
                        return _new_segment(Segment, (frame[26:30], frame[30:34], sport, dport, seq, ack, flags, win,
                                                      payload, wire_len, frame[6:12], frame[0:6],
                                                      frame[54:start] if flags & SYN else b""))
                return self._ether(ts, frame)
            if linktype == DLT_EN10MB:
                return self._ether(ts, frame)
            return self._other_link(ts, frame, linktype)
        except (struct.error, IndexError, ValueError, dpkt.UnpackError):
            self.stats.decode_errors += 1
            return None

    # -- link layer ------------------------------------------------------------------------------
    def _ether(self, ts: float, frame: bytes) -> Optional[Segment]:
        etype = _H(frame, 12)[0]
        off = 14
        while etype in _VLAN_TYPES:
            etype = _H(frame, off + 2)[0]
            off += 4
        if etype == 0x0800:
            return self._ip4(ts, frame, off, frame[6:12], frame[0:6])
        if etype == 0x86DD:
            return self._ip6(ts, frame, off, frame[6:12], frame[0:6])
        self.stats.non_tcp += 1
        return None

    def _other_link(self, ts: float, frame: bytes, linktype: int) -> Optional[Segment]:
        if linktype in _RAW_TYPES:
            version = frame[0] >> 4
            etype = 0x0800 if version == 4 else 0x86DD if version == 6 else 0
            off, smac = 0, b""
        elif linktype == DLT_LINUX_SLL:
            sll = dpkt.sll.SLL(frame)
            etype, off, smac = sll.ethtype, 16, bytes(sll.hdr[: sll.hlen])
        elif linktype == DLT_LINUX_SLL2:
            sll = dpkt.sll2.SLL2(frame)
            etype, off, smac = sll.ethtype, 20, bytes(sll.hdr[: sll.hlen])
        elif linktype in (DLT_NULL, DLT_LOOP):
            fam = struct.unpack_from("!I" if linktype == DLT_LOOP else "=I", frame, 0)[0]
            etype = 0x0800 if fam == 2 else 0x86DD if fam in _AF_INET6 else 0
            off, smac = 4, b""
        else:
            self.stats.decode_errors += 1
            return None
        while etype in _VLAN_TYPES:  # cooked captures keep 802.1Q tags in the payload
            etype = _H(frame, off + 2)[0]
            off += 4
        if etype == 0x0800:
            return self._ip4(ts, frame, off, smac, b"")
        if etype == 0x86DD:
            return self._ip6(ts, frame, off, smac, b"")
        self.stats.non_tcp += 1
        return None

    # -- network layer ---------------------------------------------------------------------------
    def _ip4(self, ts: float, buf: bytes, off: int, smac: bytes, dmac: bytes) -> Optional[Segment]:
        vihl, total, frag, proto = _IP4(buf, off)
        ihl = (vihl & 15) << 2
        if vihl >> 4 != 4 or ihl < 20 or total < ihl or len(buf) < off + ihl:
            self.stats.decode_errors += 1
            return None
        if proto != 6:
            self.stats.non_tcp += 1
            return None
        if frag & 0x3FFF:
            src, dst = buf[off + 12:off + 16], buf[off + 16:off + 20]
            data = buf[off + ihl:off + total]
            if off + total > len(buf):   # a truncated fragment can never complete the datagram
                self.stats.truncated += 1
                return None
            l4 = self.defrag.add(ts, (src, dst, buf[off + 4:off + 6], proto), (frag & 0x1FFF) << 3,
                                 bool(frag & 0x2000), data)
            if l4 is None:
                return None
            return self._tcp(l4, 0, len(l4), src, dst, smac, dmac)
        return self._tcp(buf, off + ihl, off + total, buf[off + 12:off + 16], buf[off + 16:off + 20], smac, dmac)

    def _ip6(self, ts: float, buf: bytes, off: int, smac: bytes, dmac: bytes) -> Optional[Segment]:
        if buf[off] >> 4 != 6 or len(buf) < off + 40:
            self.stats.decode_errors += 1
            return None
        plen, nxt = _IP6(buf, off + 4)
        src, dst = buf[off + 8:off + 24], buf[off + 24:off + 40]
        end = off + 40 + plen
        if nxt == 6:
            return self._tcp(buf, off + 40, end, src, dst, smac, dmac)
        if nxt not in _IPV6_EXT:
            self.stats.non_tcp += 1
            return None
        # extension headers are rare: let dpkt walk them
        ip6 = dpkt.ip6.IP6(buf[off:end])
        hdr_len = 40 + sum(len(h) for h in ip6.all_extension_headers)
        proto = ip6.all_extension_headers[-1].nxt if ip6.all_extension_headers else ip6.nxt
        frag = ip6.extension_hdrs.get(44)
        if proto != 6:
            self.stats.non_tcp += 1
            return None
        if frag is not None:
            data = buf[off + hdr_len:end]
            if end > len(buf):
                self.stats.truncated += 1
                return None
            l4 = self.defrag.add(ts, (src, dst, frag.id, "v6"), frag.frag_off << 3, bool(frag.m_flag), data)
            if l4 is None:
                return None
            return self._tcp(l4, 0, len(l4), src, dst, smac, dmac)
        return self._tcp(buf, off + hdr_len, end, src, dst, smac, dmac)

    # -- transport layer -------------------------------------------------------------------------
    def _tcp(self, buf: bytes, off: int, end: int, src: bytes, dst: bytes, smac: bytes, dmac: bytes) -> Optional[Segment]:
        sport, dport, seq, ack, doff, flags, win = _TCP(buf, off)
        thl = (doff >> 4) << 2
        if thl < 20 or off + thl > end or off + thl > len(buf):
            self.stats.decode_errors += 1
            return None
        start = off + thl
        payload = buf[start:end]
        wire_len = end - start
        if len(payload) < wire_len:
            self.stats.truncated += 1
        options = buf[off + 20:start] if flags & SYN else b""
        return Segment(src, dst, sport, dport, seq, ack, flags, win, payload, wire_len, smac, dmac, options)


def window_scale(options: bytes) -> int:
    """The TCP window-scale shift from SYN options (0 when absent or malformed)."""
    i = 0
    while i < len(options):
        kind = options[i]
        if kind == 0:
            break
        if kind == 1:
            i += 1
            continue
        if i + 1 >= len(options):
            break
        length = options[i + 1]
        if kind == 3 and length == 3 and i + 2 < len(options):
            return min(options[i + 2], 14)
        if length < 2:
            break
        i += length
    return 0
