"""Live capture: AF_PACKET socket with a kernel BPF filter, a TPACKET_V3 ring and PACKET_FANOUT sharding."""
from __future__ import annotations

import ctypes
import ctypes.util
import errno
import logging
import mmap
import os
import select
import socket
import struct
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

log = logging.getLogger(__name__)

# <linux/if_packet.h>, <asm-generic/socket.h>
SOL_PACKET = 263
PACKET_ADD_MEMBERSHIP = 1
PACKET_MR_PROMISC = 1
PACKET_RX_RING = 5
PACKET_STATISTICS = 6
PACKET_VERSION = 10
PACKET_FANOUT = 18
PACKET_IGNORE_OUTGOING = 23
TPACKET_V3 = 2
PACKET_FANOUT_HASH = 0
PACKET_FANOUT_FLAG_DEFRAG = 0x8000
SO_ATTACH_FILTER = 26
SO_TIMESTAMPNS = 35
SO_RCVBUFFORCE = 33
ETH_P_ALL = 0x0003
PACKET_OUTGOING = 4
TP_STATUS_KERNEL = 0
TP_STATUS_USER = 1
TP_STATUS_VLAN_VALID = 0x10
TP_STATUS_VLAN_TPID_VALID = 0x40

# pcap LINKTYPE_* values handed to the pipeline with each frame.
LINKTYPE_ETHERNET = 1
LINKTYPE_RAW = 101
# ARPHRD_* (from /sys/class/net/IF/type) -> (libpcap DLT for the filter compiler, LINKTYPE for the decoder)
_ARPHRD = {1: (1, LINKTYPE_ETHERNET), 772: (1, LINKTYPE_ETHERNET), 65534: (12, LINKTYPE_RAW)}

_TPACKET3_HDR = struct.Struct("<IIIIIIHHIIHH")  # next, sec, nsec, snaplen, len, status, mac, net, rxhash, tci, tpid, pad
_SLL_PKTTYPE_OFF = 48 + 10                        # TPACKET_ALIGN(sizeof tpacket3_hdr) + offsetof(sll_pkttype)


class CaptureError(RuntimeError):
    """Capture could not be set up (bad interface, bad filter, no privilege); message is the reason."""


class _BpfInsn(ctypes.Structure):
    _fields_ = [("code", ctypes.c_uint16), ("jt", ctypes.c_uint8), ("jf", ctypes.c_uint8), ("k", ctypes.c_uint32)]


class _BpfProgram(ctypes.Structure):
    _fields_ = [("bf_len", ctypes.c_uint), ("bf_insns", ctypes.POINTER(_BpfInsn))]


class _SockFprog(ctypes.Structure):
    _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.POINTER(_BpfInsn))]


def compile_bpf(expr: str, dlt: int = 1, snaplen: int = 262144) -> list[tuple[int, int, int, int]]:
    """Compile a tcpdump filter expression to classic BPF instructions (libpcap, else `tcpdump -dd`)."""
    lib_name = ctypes.util.find_library("pcap")
    for candidate in filter(None, (lib_name, "libpcap.so.1", "libpcap.so.0.8")):
        try:
            lib = ctypes.CDLL(candidate)
            break
        except OSError:
            continue
    else:
        return _compile_with_tcpdump(expr, dlt)
    lib.pcap_open_dead.restype = ctypes.c_void_p
    lib.pcap_open_dead.argtypes = [ctypes.c_int, ctypes.c_int]
    lib.pcap_compile.argtypes = [ctypes.c_void_p, ctypes.POINTER(_BpfProgram), ctypes.c_char_p, ctypes.c_int,
                                 ctypes.c_uint32]
    lib.pcap_geterr.restype = ctypes.c_char_p
    lib.pcap_geterr.argtypes = [ctypes.c_void_p]
    lib.pcap_freecode.argtypes = [ctypes.POINTER(_BpfProgram)]
    lib.pcap_close.argtypes = [ctypes.c_void_p]
    handle = lib.pcap_open_dead(dlt, snaplen)
    if not handle:
        raise CaptureError("libpcap: pcap_open_dead failed")
    prog = _BpfProgram()
    try:
        if lib.pcap_compile(handle, ctypes.byref(prog), expr.encode(), 1, 0xFFFFFFFF) != 0:
            raise CaptureError(f"bad BPF filter {expr!r}: {lib.pcap_geterr(handle).decode(errors='replace')}")
        insns = [(prog.bf_insns[i].code, prog.bf_insns[i].jt, prog.bf_insns[i].jf, prog.bf_insns[i].k)
                 for i in range(prog.bf_len)]
        lib.pcap_freecode(ctypes.byref(prog))
        return insns
    finally:
        lib.pcap_close(handle)


def _compile_with_tcpdump(expr: str, dlt: int) -> list[tuple[int, int, int, int]]:
    args = ["tcpdump", "-dd"] + (["-y", "RAW"] if dlt == 12 else []) + ["-i", "lo", expr]
    try:
        out = subprocess.run(args, capture_output=True, text=True, timeout=30)
    except FileNotFoundError:
        raise CaptureError("cannot compile BPF: neither libpcap nor tcpdump is installed") from None
    if out.returncode != 0:
        raise CaptureError(f"bad BPF filter {expr!r}: {out.stderr.strip().splitlines()[-1:]}")
    insns = []
    for line in out.stdout.splitlines():
        line = line.strip().strip("{},")
        if line:
            code, jt, jf, k = (int(x.strip(), 0) for x in line.replace("}", "").split(","))
            insns.append((code, jt, jf, k))
    return insns


def attach_bpf(sock: socket.socket, insns: list[tuple[int, int, int, int]]) -> None:
    """SO_ATTACH_FILTER: the kernel drops non-matching packets before they reach the ring."""
    arr = (_BpfInsn * len(insns))(*[_BpfInsn(*i) for i in insns])
    fprog = _SockFprog(len(insns), ctypes.cast(arr, ctypes.POINTER(_BpfInsn)))
    sock.setsockopt(socket.SOL_SOCKET, SO_ATTACH_FILTER, bytes(memoryview(fprog).cast("B")))


def interface_linktype(iface: str) -> tuple[int, int]:
    """(libpcap DLT, pcap LINKTYPE) of an interface, from its ARPHRD type in sysfs."""
    try:
        arphrd = int(Path(f"/sys/class/net/{iface}/type").read_text())
    except (OSError, ValueError):
        raise CaptureError(f"no such network interface: {iface}") from None
    if arphrd not in _ARPHRD:
        raise CaptureError(f"interface {iface} has unsupported link type ARPHRD {arphrd}")
    return _ARPHRD[arphrd]


@dataclass
class CaptureStats:
    packets: int = 0          # frames handed to the pipeline
    bytes: int = 0
    kernel_packets: int = 0   # PACKET_STATISTICS totals (the kernel resets them on every read)
    kernel_drops: int = 0
    freeze_q: int = 0
    link_down: int = 0        # times the capture interface's link went down (capture resumes when it is back)


@dataclass
class LiveCapture:
    """One AF_PACKET capture socket; several with the same `fanout_group` share a flow-hashed load."""

    iface: str
    bpf: str | None = None
    fanout_group: int | None = None
    # Many mid-sized blocks: at low rates each block is retired by the timeout holding a few frames, so the
    # block count (not the byte size) decides how long a stalled reader may pause before the kernel drops.
    block_size: int = 1 << 18
    block_count: int = 256
    block_timeout_ms: int = 2
    promisc: bool = True
    ring: bool = True                  # False: one recv per frame, woken per packet (lowest latency, blocking)
    snaplen: int = 65535
    stats: CaptureStats = field(default_factory=CaptureStats)

    def __post_init__(self) -> None:
        self.dlt, self.linktype = interface_linktype(self.iface)
        insns = compile_bpf(self.bpf, self.dlt) if self.bpf else None
        try:
            # protocol 0 = receive nothing until the filter is attached and the socket is bound
            self.sock = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, 0)
        except PermissionError:
            raise CaptureError("AF_PACKET capture needs root or CAP_NET_RAW") from None
        try:
            self._setup(insns)
        except OSError as exc:
            self.sock.close()
            raise CaptureError(f"capture on {self.iface}: {exc.strerror or exc}") from None

    def _setup(self, insns: list[tuple[int, int, int, int]] | None) -> None:
        s = self.sock
        if insns is not None:
            attach_bpf(s, insns)
        try:   # our own injected RSTs leave through this socket's interface: do not capture them
            s.setsockopt(SOL_PACKET, PACKET_IGNORE_OUTGOING, 1)
        except OSError:
            pass
        if self.ring:
            s.setsockopt(SOL_PACKET, PACKET_VERSION, TPACKET_V3)
            frame_size = 1 << 11
            req = struct.pack("<IIIIIII", self.block_size, self.block_count, frame_size,
                              self.block_size * self.block_count // frame_size, self.block_timeout_ms, 0, 0)
            s.setsockopt(SOL_PACKET, PACKET_RX_RING, req)
            self._map = mmap.mmap(s.fileno(), self.block_size * self.block_count, mmap.MAP_SHARED,
                                  mmap.PROT_READ | mmap.PROT_WRITE)
        else:   # the ring wakes the reader per retired block (≥ 1 jiffy); recv wakes per frame
            try:   # as root, beyond net.core.rmem_max
                s.setsockopt(socket.SOL_SOCKET, SO_RCVBUFFORCE, self.block_size * self.block_count)
            except OSError:
                s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, self.block_size * self.block_count)
            s.setsockopt(socket.SOL_SOCKET, SO_TIMESTAMPNS, 1)   # kernel arrival time with each frame
        s.bind((self.iface, ETH_P_ALL))
        self.ifindex = socket.if_nametoindex(self.iface)
        if self.promisc:  # a SPAN port (or a bridge) only hands up others' frames in promiscuous mode
            s.setsockopt(SOL_PACKET, PACKET_ADD_MEMBERSHIP, struct.pack("<iHH8s", self.ifindex,
                                                                        PACKET_MR_PROMISC, 0, b""))
        if self.fanout_group is not None:
            # PACKET_FANOUT_HASH uses the kernel's symmetric flow hash: both directions -> one socket
            val = (self.fanout_group & 0xFFFF) | ((PACKET_FANOUT_HASH | PACKET_FANOUT_FLAG_DEFRAG) << 16)
            s.setsockopt(SOL_PACKET, PACKET_FANOUT, struct.pack("<I", val))
        self._block = 0

    def read_kernel_stats(self) -> CaptureStats:
        """Fold the kernel's packets/drops counters (reset on read) into the running totals."""
        raw = self.sock.getsockopt(SOL_PACKET, PACKET_STATISTICS, 12)
        # tpacket_stats_v3 with a TPACKET_V3 ring, plain tpacket_stats (no freeze count) without
        packets, drops, freeze = struct.unpack("<III", raw) if len(raw) >= 12 else struct.unpack("<II", raw) + (0,)
        self.stats.kernel_packets += packets
        self.stats.kernel_drops += drops
        self.stats.freeze_q += freeze
        return self.stats

    def batches(self, timeout: float = 0.1) -> Iterator[list[tuple[float, bytes]]]:
        """Yield lists of (timestamp, frame) per retired ring block; an empty list when idle `timeout`."""
        if not self.ring:
            yield from self._recv_batches(timeout)
            return
        ring, bs = self._map, self.block_size
        poller = select.poll()
        poller.register(self.sock.fileno(), select.POLLIN | select.POLLERR)
        while True:
            base = self._block * bs
            status = struct.unpack_from("<I", ring, base + 8)[0]
            if not status & TP_STATUS_USER:
                ready = poller.poll(int(timeout * 1000))
                if not ready:
                    yield []
                elif ready[0][1] & select.POLLERR:
                    self._socket_error()
                    yield []
                continue
            num, first = struct.unpack_from("<II", ring, base + 12)
            off = base + first
            out: list[tuple[float, bytes]] = []
            for _ in range(num):
                nxt, sec, nsec, snap, _len, st, mac, _net, _hash, tci, tpid, _pad = _TPACKET3_HDR.unpack_from(ring, off)
                if ring[off + _SLL_PKTTYPE_OFF] != PACKET_OUTGOING:
                    frame = ring[off + mac: off + mac + snap]
                    if st & TP_STATUS_VLAN_VALID and self.linktype == LINKTYPE_ETHERNET:
                        # the NIC/kernel stripped the 802.1Q tag: put it back so the decoder sees the VLAN
                        tag_type = tpid if st & TP_STATUS_VLAN_TPID_VALID else 0x8100
                        frame = frame[:12] + struct.pack("!HH", tag_type, tci & 0xFFFF) + frame[12:]
                    out.append((sec + nsec / 1e9, frame))
                    self.stats.bytes += snap
                off += nxt
            struct.pack_into("<I", ring, base + 8, TP_STATUS_KERNEL)   # hand the block back
            self._block = (self._block + 1) % self.block_count
            self.stats.packets += len(out)
            yield out

    def _recv_batches(self, timeout: float) -> Iterator[list[tuple[float, bytes]]]:
        sock, snap = self.sock, self.snaplen
        poller = select.poll()
        poller.register(sock.fileno(), select.POLLIN | select.POLLERR)
        while True:
            ready = poller.poll(int(timeout * 1000))
            if not ready:
                yield []
                continue
            if ready[0][1] & select.POLLERR:
                self._socket_error()
                yield []
                continue
            out: list[tuple[float, bytes]] = []
            while len(out) < 256:        # whatever is already queued, then back to the pipeline
                try:
                    frame, anc, _flags, addr = sock.recvmsg(snap, 64, socket.MSG_DONTWAIT)
                except BlockingIOError:
                    break
                except OSError as exc:   # the error poll flagged arrived between the poll and the read
                    self._socket_error(exc.errno)
                    break
                if addr[2] != PACKET_OUTGOING:
                    ts = time.time()
                    for level, kind, data in anc:
                        if level == socket.SOL_SOCKET and kind == SO_TIMESTAMPNS and len(data) >= 16:
                            sec, nsec = struct.unpack_from("qq", data)
                            ts = sec + nsec / 1e9
                    out.append((ts, frame))
                    self.stats.bytes += len(frame)
            self.stats.packets += len(out)
            yield out

    def _socket_error(self, err: int | None = None) -> None:
        """Take the error the socket reports (reading it clears it, so poll does not return at once forever).

        ENETDOWN is the link going down: a SPAN port's cable or switch. Capture resumes on the same socket when the
        link is back. The interface being deleted is the same error, but nothing will come back: that is fatal.
        """
        if err is None:
            err = self.sock.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR)
        if not err:
            return
        try:
            present = socket.if_nametoindex(self.iface) == self.ifindex
        except OSError:
            present = False
        if not present:
            raise CaptureError(f"capture on {self.iface}: the interface is gone")
        if err != errno.ENETDOWN:
            raise CaptureError(f"capture on {self.iface}: {os.strerror(err)}")
        self.stats.link_down += 1
        log.warning("capture on %s: link down; capture resumes when it is back", self.iface)

    def close(self) -> None:
        try:
            self._map.close()
        except (AttributeError, BufferError, ValueError):
            pass
        self.sock.close()


def default_fanout_group() -> int:
    """A fanout id unique to this sensor process tree (the kernel matches groups by id per netns)."""
    return os.getpid() & 0xFFFF
