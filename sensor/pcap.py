"""Reading capture files: classic pcap (µs/ns, either byte order) and pcapng, via dpkt, tolerant of truncation."""
from __future__ import annotations

import mmap
import struct
from typing import Iterator

import dpkt

_LE_MAGICS = {0xA1B2C3D4: False, 0xA1B23C4D: True}   # read little-endian: value -> nanosecond resolution
_BE_MAGICS = {0xD4C3B2A1: False, 0x4D3CB2A1: True}
_PCAPNG_MAGIC = 0x0A0D0D0A


class CaptureError(Exception):
    """The file is not a readable capture (the message says why)."""


class Capture:
    """Frames of one capture file as (timestamp, frame bytes); `truncated` tells if the file ended mid-record."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.truncated = False
        try:
            self._f = open(path, "rb")
        except OSError as exc:
            raise CaptureError(f"{path}: {exc.strerror or exc}") from exc
        head = self._f.read(24)
        self._f.seek(0)
        if len(head) < 4:
            self._f.close()
            raise CaptureError(f"{path}: empty or not a capture file")
        magic = struct.unpack_from("<I", head)[0]
        try:
            if magic == _PCAPNG_MAGIC:
                self.format = "pcapng"
                self._reader = dpkt.pcapng.Reader(self._f)
                self.linktype = self._reader.datalink()
            elif magic in _LE_MAGICS or magic in _BE_MAGICS:
                self.format = "pcap"
                reader = dpkt.pcap.Reader(self._f)    # validates the file header
                self.linktype = reader.datalink()
                self._nano = _LE_MAGICS.get(magic, _BE_MAGICS.get(magic))
                self._endian = "<" if magic in _LE_MAGICS else ">"
            else:
                raise CaptureError(f"{path}: not a pcap or pcapng file (magic {magic:#010x})")
        except (ValueError, dpkt.UnpackError, struct.error) as exc:
            self._f.close()
            raise CaptureError(f"{path}: bad capture header ({exc})") from exc

    def __iter__(self) -> Iterator[tuple[float, bytes]]:
        return self._pcap() if self.format == "pcap" else self._pcapng()

    def _pcap(self) -> Iterator[tuple[float, bytes]]:
        # records are walked with one precompiled struct over an mmap: dpkt builds an object per record header,
        # which costs more than decoding the frame itself
        size = self._f.seek(0, 2)
        if size <= 24:
            return
        mm = mmap.mmap(self._f.fileno(), 0, access=mmap.ACCESS_READ)
        try:
            rec = struct.Struct(self._endian + "IIIxxxx").unpack_from
            div = 1e9 if self._nano else 1e6
            off = 24
            last = size - 16     # the last offset where a whole record header fits
            while off <= last:
                sec, frac, caplen = rec(mm, off)
                start = off + 16
                off = start + caplen
                if off > size or caplen > 0x4000000:
                    self.truncated = True
                    return
                yield sec + frac / div, mm[start:off]
            if off < size:
                self.truncated = True   # a partial record header at the end
        finally:
            mm.close()

    def _pcapng(self) -> Iterator[tuple[float, bytes]]:
        it = iter(self._reader)
        while True:
            try:
                ts, frame = next(it)
            except StopIteration:
                return
            except (dpkt.UnpackError, struct.error, ValueError):
                self.truncated = True
                return
            yield float(ts), bytes(frame)

    def close(self) -> None:
        self._f.close()

    def __enter__(self) -> "Capture":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
