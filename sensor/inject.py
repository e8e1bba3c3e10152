"""TCP RST injection: frames built with struct, sent on one persistent AF_PACKET socket (no per-packet setup)."""
from __future__ import annotations

import socket
import struct
from dataclasses import dataclass
from typing import Optional

from sensor.capture import LINKTYPE_ETHERNET, interface_linktype

RST_ACK = 0x14
_M = 0xFFFFFFFF


def _checksum(data: bytes) -> int:
    if len(data) & 1:
        data += b"\0"
    total = sum(struct.unpack(f"!{len(data) // 2}H", data))
    while total >> 16:
        total = (total & 0xFFFF) + (total >> 16)
    return ~total & 0xFFFF


def build_rst(src_ip: bytes, dst_ip: bytes, sport: int, dport: int, seq: int, ack: int,
              src_mac: bytes = b"", dst_mac: bytes = b"", ethernet: bool = True, ip_id: int = 0) -> bytes:
    """One RST+ACK segment (IPv4 or IPv6 by address length), with an Ethernet header when `ethernet`."""
    tcp = struct.pack("!HHIIBBHHH", sport, dport, seq & _M, ack & _M, 5 << 4, RST_ACK, 0, 0, 0)
    if len(src_ip) == 4:
        pseudo = src_ip + dst_ip + struct.pack("!BBH", 0, 6, len(tcp))
        tcp = tcp[:16] + struct.pack("!H", _checksum(pseudo + tcp)) + tcp[18:]
        ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(tcp), ip_id & 0xFFFF, 0x4000, 64, 6, 0, src_ip, dst_ip)
        ip = ip[:10] + struct.pack("!H", _checksum(ip)) + ip[12:]
        etype = 0x0800
    else:
        pseudo = src_ip + dst_ip + struct.pack("!IxxxB", len(tcp), 6)
        tcp = tcp[:16] + struct.pack("!H", _checksum(pseudo + tcp)) + tcp[18:]
        ip = struct.pack("!IHBB16s16s", 6 << 28, len(tcp), 6, 64, src_ip, dst_ip)
        etype = 0x86DD
    if not ethernet:
        return ip + tcp
    return (dst_mac or b"\xff" * 6) + (src_mac or b"\0" * 6) + struct.pack("!H", etype) + ip + tcp


def rst_seqs(next_seq: int, window_bytes: int, count: int, step: int = 1460) -> list[int]:
    """Sequence numbers for `count` RSTs: the exact next byte first, then steps across the window.

    Linux accepts a RST only at exactly rcv_nxt (RFC 5961); the later ones cover bytes already in flight
    that the sensor has not seen yet (a request body still streaming, a response just leaving).
    """
    step = max(1, min(step, window_bytes // max(count, 1))) if window_bytes else step
    return [(next_seq + i * step) & _M for i in range(count)]


@dataclass
class InjectStats:
    frames: int = 0
    errors: int = 0


class Injector:
    """A raw AF_PACKET socket bound to the inject interface, kept open for the sensor's lifetime."""

    def __init__(self, iface: str, rsts_per_side: int = 3) -> None:
        self.iface = iface
        self.rsts_per_side = rsts_per_side
        _dlt, linktype = interface_linktype(iface)
        self.ethernet = linktype == LINKTYPE_ETHERNET
        self.sock = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, 0)   # send-only: receives nothing
        self.sock.bind((iface, 0))
        self.stats = InjectStats()
        self._ip_id = 0

    def send(self, frame: bytes) -> bool:
        try:
            self.sock.send(frame)
            self.stats.frames += 1
            return True
        except OSError:
            self.stats.errors += 1
            return False

    def reset(self, flow, to_client: bool = True, to_server: bool = True, count: Optional[int] = None) -> int:
        """RSTs to both ends of a live flow from its current sequence numbers; returns frames sent.

        To the server the RST claims to come from the client (seq = client's next byte, ack = server's),
        and the other way round; MAC addresses are those the flow was seen with.
        """
        count = count or self.rsts_per_side
        c, s = flow.client, flow.server
        sent = 0
        plans = []
        if to_server and c.next_seq is not None:
            plans.append((c, s))
        if to_client and s.next_seq is not None:
            plans.append((s, c))
        for snd, rcv in plans:
            ack = rcv.next_seq if rcv.next_seq is not None else 0
            for seq in rst_seqs(snd.next_seq, rcv.window_bytes, count):
                self._ip_id += 1
                frame = build_rst(snd.ip_bytes, rcv.ip_bytes, snd.port, rcv.port, seq, ack,
                                  snd.mac, rcv.mac, self.ethernet, self._ip_id)
                sent += self.send(frame)
        return sent

    def close(self) -> None:
        self.sock.close()
