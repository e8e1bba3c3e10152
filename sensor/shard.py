"""Symmetric flow hashing: both directions of a TCP connection land on the same worker."""
from __future__ import annotations

import struct

_V4 = struct.Struct("!IIHH").unpack_from   # src, dst, sport, dport from IPv4 header offset 12 (ports follow)
_M64 = 0xFFFFFFFFFFFFFFFF


def _sym(a: int, b: int) -> int:
    """Order-free mix of two endpoints (ip << 16 | port): process-independent, unlike Python's salted hash()."""
    if a > b:
        a, b = b, a
    return ((((a * 0x9E3779B97F4A7C15) & _M64) ^ b) * 0xC2B2AE3D27D4EB4F & _M64) >> 40


def flow_hash(src: bytes, sport: int, dst: bytes, dport: int) -> int:
    return _sym(int.from_bytes(src, "big") << 16 | sport, int.from_bytes(dst, "big") << 16 | dport)


def shard_of(src: bytes, sport: int, dst: bytes, dport: int, shards: int) -> int:
    return flow_hash(src, sport, dst, dport) % shards


def frame_shard(frame: bytes, linktype: int, shards: int) -> int:
    """Shard of an Ethernet/IPv4/TCP frame straight from its bytes (same value as `shard_of`), or -1 when the
    frame has another shape and must be decoded first."""
    if (linktype == 1 and len(frame) >= 38 and frame[12] == 8 and frame[13] == 0 and frame[14] == 0x45
            and frame[23] == 6 and not (frame[20] & 0x3F or frame[21])):
        src, dst, sport, dport = _V4(frame, 26)
        return _sym(src << 16 | sport, dst << 16 | dport) % shards
    return -1
