"""Durable on-disk FIFO of Kafka records (bounded, fsync'd segment files) for when Kafka is unreachable."""
from __future__ import annotations

import fcntl
import json
import os
import struct
import zlib
from dataclasses import dataclass
from pathlib import Path

# record = header + key + value; crc covers seq, key and value so a torn tail is detected on open
_HDR = struct.Struct("<QIII")   # seq, crc32, key_len, value_len
_MAX_FIELD = 64 << 20


class SpoolError(RuntimeError):
    """The spool folder cannot be used (locked by another sensor, unwritable); message is the reason."""


@dataclass(frozen=True)
class SpoolRecord:
    seq: int
    key: bytes
    value: bytes
    segment: int        # first seq of the segment holding it (= its file name)
    end: int            # file offset just past this record


@dataclass
class _Segment:
    first: int          # file name: first seq written to it
    last: int           # highest seq in it
    size: int
    records: int

    def path(self, root: Path) -> Path:
        return root / f"{self.first:020d}.seg"


class Spool:
    """Append-only segments read in file-name (= seq) order; records are removed only once acknowledged.

    Acknowledgement is by seq: a cursor (segment, offset) marks where the unacknowledged part starts and
    a small set holds seqs acknowledged beyond it (Kafka may confirm partitions out of order). Both are
    persisted atomically, so a restart neither loses nor re-sends what was confirmed.
    """

    def __init__(self, root: Path | str, segment_bytes: int = 8 << 20, max_bytes: int = 1 << 30) -> None:
        self.root = Path(root)
        self.segment_bytes = segment_bytes
        self.max_bytes = max_bytes
        self.dropped = 0
        try:
            self.root.mkdir(parents=True, exist_ok=True)
            self._lock = open(self.root / "lock", "w")
        except OSError as exc:
            raise SpoolError(f"spool folder {self.root}: {exc.strerror}") from None
        try:
            fcntl.flock(self._lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            raise SpoolError(f"spool folder {self.root} is in use by another sensor process") from None
        self._segments: list[_Segment] = []
        self._writer = None
        self._load()

    # ---- state on disk ----
    def _load(self) -> None:
        cur = self._read_cursor()
        self._cursor: tuple[int, int] = (cur.get("segment", 0), cur.get("offset", 0))
        self._acked: set[int] = set(cur.get("acked", []))
        self.max_seq = cur.get("max_seq", 0)
        for path in sorted(self.root.glob("*.seg")):
            first = int(path.stem)
            seg = _Segment(first, first - 1, 0, 0)
            with open(path, "rb") as fh:
                data = fh.read()
            pos = 0
            for rec in _iter_records(data, 0, first):
                seg.last, seg.records, pos = rec.seq, seg.records + 1, rec.end
            if pos < len(data):   # torn or corrupt tail from a crash mid-write: cut it off
                with open(path, "r+b") as fh:
                    fh.truncate(pos)
                    os.fsync(fh.fileno())
            seg.size = pos
            if seg.records == 0 or first < self._cursor[0]:   # empty, or wholly behind the cursor
                path.unlink()
                continue
            self._segments.append(seg)
            self.max_seq = max(self.max_seq, seg.last)
        self.depth = self._count_unacked()
        self._rpos = self._cursor

    def _count_unacked(self) -> int:
        n = 0
        for rec in self._scan(self._cursor):
            if rec.seq not in self._acked:
                n += 1
        return n

    def _read_cursor(self) -> dict:
        try:
            return json.loads((self.root / "cursor.json").read_text())
        except (OSError, ValueError):
            return {}

    def _write_cursor(self) -> None:
        tmp = self.root / "cursor.json.tmp"
        body = json.dumps({"segment": self._cursor[0], "offset": self._cursor[1],
                           "acked": sorted(self._acked), "max_seq": self.max_seq})
        with open(tmp, "w") as fh:
            fh.write(body)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, self.root / "cursor.json")
        _fsync_dir(self.root)

    @property
    def bytes(self) -> int:
        return sum(s.size for s in self._segments)

    # ---- writing ----
    def append(self, records: list[tuple[int, bytes, bytes]]) -> int:
        """Append (seq, key, value) records in seq order and fsync; returns how many fit under max_bytes.

        Records older than the newest segment (direct sends that failed after spooling began) go to a
        segment of their own, named by their first seq, so that file order stays seq order.
        """
        if not records:
            return 0
        room = self.max_bytes - self.bytes
        blob = bytearray()
        kept = 0
        for seq, key, value in records:
            size = _HDR.size + len(key) + len(value)
            if size > room:
                break
            room -= size
            blob += _HDR.pack(seq, zlib.crc32(value, zlib.crc32(key, seq & 0xFFFFFFFF)), len(key), len(value))
            blob += key + value
            kept += 1
        self.dropped += len(records) - kept
        if not kept:
            return 0
        first, last = records[0][0], records[kept - 1][0]
        tail = self._segments[-1] if self._segments else None
        moved = False
        if tail is not None and first > tail.last and tail.size < self.segment_bytes:
            seg = tail
        else:
            seg = _Segment(first, first - 1, 0, 0)
            self._segments.append(seg)
            self._segments.sort(key=lambda s: s.first)
            if self.depth == 0 or seg.first < self._cursor[0]:
                # the unacknowledged part now starts here (only ever before any of the newer one was read)
                self._cursor = self._rpos = (seg.first, 0)
                moved = True
        with open(seg.path(self.root), "ab") as fh:
            fh.write(blob)
            fh.flush()
            os.fsync(fh.fileno())
        if seg.size == 0:
            _fsync_dir(self.root)
        seg.size += len(blob)
        seg.last = max(seg.last, last)
        seg.records += kept
        self.depth += kept
        self.max_seq = max(self.max_seq, last)
        if moved:
            self._write_cursor()
        return kept

    # ---- reading and acknowledging ----
    def _scan(self, start: tuple[int, int]):
        for seg in self._segments:
            if seg.first < start[0]:
                continue
            offset = start[1] if seg.first == start[0] else 0
            with open(seg.path(self.root), "rb") as fh:
                fh.seek(offset)
                data = fh.read(seg.size - offset)
            yield from _iter_records(data, offset, seg.first)

    def read(self, limit: int) -> list[SpoolRecord]:
        """The next `limit` unacknowledged records after the previous read (see `rewind`)."""
        out: list[SpoolRecord] = []
        for rec in self._scan(self._rpos):
            self._rpos = (rec.segment, rec.end)
            if rec.seq in self._acked:
                continue
            out.append(rec)
            if len(out) >= limit:
                break
        return out

    def rewind(self) -> None:
        """Read again from the first unacknowledged record (after a failed send)."""
        self._rpos = self._cursor

    def ack(self, seqs: set[int]) -> None:
        """Mark records delivered; advance the cursor past the acknowledged prefix, delete whole segments."""
        fresh = {s for s in seqs if s not in self._acked}
        self._acked |= fresh
        self.depth -= len(fresh)
        pos = self._cursor
        for rec in self._scan(self._cursor):
            if rec.seq not in self._acked:
                break
            self._acked.discard(rec.seq)
            pos = (rec.segment, rec.end)
        self._cursor = pos
        # drop segments entirely behind the cursor, and the cursor's segment if it is fully consumed
        keep = []
        for seg in self._segments:
            behind = seg.first < pos[0] or (seg.first == pos[0] and pos[1] >= seg.size)
            if behind and (seg is not self._segments[-1] or self.depth == 0):
                seg.path(self.root).unlink(missing_ok=True)
            else:
                keep.append(seg)
        self._segments = keep
        if self._segments and self._cursor[0] < self._segments[0].first:
            self._cursor = (self._segments[0].first, 0)
        if self._rpos < self._cursor:
            self._rpos = self._cursor
        self._write_cursor()

    def close(self) -> None:
        self._write_cursor()
        self._lock.close()


def _iter_records(data: bytes, base: int, segment: int):
    pos, n = 0, len(data)
    while pos + _HDR.size <= n:
        seq, crc, klen, vlen = _HDR.unpack_from(data, pos)
        end = pos + _HDR.size + klen + vlen
        if klen > _MAX_FIELD or vlen > _MAX_FIELD or end > n:
            return
        key = data[pos + _HDR.size: pos + _HDR.size + klen]
        value = data[pos + _HDR.size + klen: end]
        if zlib.crc32(value, zlib.crc32(key, seq & 0xFFFFFFFF)) != crc:
            return
        yield SpoolRecord(seq, bytes(key), bytes(value), segment, base + end)
        pos = end


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
