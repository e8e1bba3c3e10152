"""Joining an HTTP/2 byte stream part-way: finding frame boundaries, and an HPACK table that knows what it missed."""
from __future__ import annotations

from typing import Iterator

from hpack.table import HeaderTable

# a name or value compressed against HPACK state the sensor never saw (a NUL is no valid field name; a reader treats
# it so only for a table joined part-way)
UNKNOWN = b"\x00"
JOIN_FRAMES = 2           # whole frames in a row that make bytes of unknown framing HTTP/2 again
DEFAULT_MAX_FRAME = 16384  # SETTINGS_MAX_FRAME_SIZE until a peer's SETTINGS (unseen on a join) raise it

# type -> (flags the type defines, stream 0 required (True) / forbidden (False), fixed length or None)
_FRAMES: dict[int, tuple[int, bool | None, int | None]] = {
    0x0: (0x01 | 0x08, False, None),               # DATA: END_STREAM, PADDED
    0x1: (0x01 | 0x04 | 0x08 | 0x20, False, None),  # HEADERS: END_STREAM, END_HEADERS, PADDED, PRIORITY
    0x2: (0x00, False, 5),                         # PRIORITY
    0x3: (0x00, False, 4),                         # RST_STREAM
    0x4: (0x01, True, None),                       # SETTINGS: ACK (length: a multiple of 6, 0 with ACK)
    0x5: (0x04 | 0x08, False, None),               # PUSH_PROMISE: END_HEADERS, PADDED
    0x6: (0x01, True, 8),                          # PING: ACK
    0x7: (0x00, True, None),                       # GOAWAY (8 bytes or more)
    0x8: (0x00, None, 4),                          # WINDOW_UPDATE (either)
    0x9: (0x04, False, None),                      # CONTINUATION: END_HEADERS
}


def plausible(buf: bytes | bytearray, pos: int, max_frame: int) -> bool:
    """Whether the 9 bytes at `pos` read as a frame header RFC 9113 allows (extension types are not guessed at)."""
    kind = buf[pos + 3]
    spec = _FRAMES.get(kind)
    if spec is None:
        return False
    flags, stream0, fixed = spec
    length = (buf[pos] << 16) | (buf[pos + 1] << 8) | buf[pos + 2]
    if length > max_frame or buf[pos + 4] & ~flags or buf[pos + 5] & 0x80:
        return False
    sid = int.from_bytes(buf[pos + 5:pos + 9], "big")
    if stream0 is not None and (sid == 0) != stream0:
        return False
    if fixed is not None and length != fixed:
        return False
    if kind == 0x4:
        return length % 6 == 0 and not (buf[pos + 4] & 0x01 and length)
    return kind != 0x7 or length >= 8


def _candidates(buf: bytes | bytearray, max_frame: int) -> Iterator[int]:
    """Offsets worth a closer look: where a length's high byte is within the bound. Under 64 KiB that byte is 0, and
    `find` skips text (which has no NUL) and most binary noise at C speed."""
    top = min(max_frame >> 16, 0xFF)
    end = len(buf) - 8
    if top == 0:
        i = buf.find(b"\x00", 0, end)
        while i >= 0:
            yield i
            i = buf.find(b"\x00", i + 1, end)
    else:
        for i in range(end):
            if buf[i] <= top:
                yield i


def find_boundary(buf: bytes | bytearray, max_frame: int, need: int, to_end: bool) -> tuple[int, int]:
    """Where frames start again in `buf`: (offset, -1) once `need` whole frames chain from that offset (or, with
    `to_end`, one or more chain exactly to the end of `buf`); else (-1, offset of the earliest candidate whose chain
    runs past the end: keep the bytes from there), or (-1, -1) when no byte can start a frame."""
    end = len(buf)
    pending = -1
    for i in _candidates(buf, max_frame):
        pos, frames = i, 0
        while end - pos >= 9 and plausible(buf, pos, max_frame):
            nxt = pos + 9 + ((buf[pos] << 16) | (buf[pos + 1] << 8) | buf[pos + 2])
            if nxt > end:
                break
            frames += 1
            pos = nxt
            if frames >= need:
                return i, -1
        if pos == end and to_end:
            return i, -1
        if pending < 0 and (end - pos < 9 or plausible(buf, pos, max_frame)):
            pending = i     # the chain is cut by the end of what arrived so far
    if pending < 0 and end:
        pending = max(end - 8, 0)   # the last bytes may begin a frame header cut by the segment edge
    return -1, pending


class LossyTable(HeaderTable):
    """A dynamic table joined part-way: entries added since are known (they are the newest, so their indexes are
    right); an index past them names an entry added before, which resolves to UNKNOWN instead of failing."""

    def get_by_index(self, index: int) -> tuple[bytes, bytes]:
        if index > HeaderTable.STATIC_TABLE_LENGTH + len(self.dynamic_entries):
            return UNKNOWN, UNKNOWN
        return super().get_by_index(index)
