"""Sorted, non-overlapping byte ranges with first-arrival-wins inserts (TCP out-of-order data, IP fragments)."""
from __future__ import annotations

from bisect import bisect_right


class SegmentList:
    """Holds data pieces keyed by absolute offset; bytes already present always win over later copies.

    First-arrival-wins is the overlap policy of Linux and of Suricata's default, so the sensor sees the
    same bytes as the usual server.  `conflicts` counts overlaps whose bytes differed (an evasion signal).
    """

    __slots__ = ("starts", "datas", "size", "conflicts")

    def __init__(self) -> None:
        self.starts: list[int] = []
        self.datas: list[bytes] = []
        self.size = 0
        self.conflicts = 0

    def __bool__(self) -> bool:
        return bool(self.starts)

    def first_start(self) -> int:
        return self.starts[0]

    def end(self) -> int:
        return self.starts[-1] + len(self.datas[-1]) if self.starts else 0

    def insert(self, start: int, data: bytes) -> int:
        """Add `data` at `start`, keeping existing bytes where they overlap; returns bytes added."""
        if not data:
            return 0
        starts, datas = self.starts, self.datas
        end = start + len(data)
        i = bisect_right(starts, start) - 1
        if i < 0:
            i = 0
        added = 0
        pos = start
        # walk existing pieces that may overlap [start, end) and fill only the holes between them
        while pos < end:
            if i < len(starts) and starts[i] + len(datas[i]) <= pos:
                i += 1
                continue
            if i < len(starts) and starts[i] <= pos:
                s, d = starts[i], datas[i]
                e = min(end, s + len(d))
                if d[pos - s:e - s] != data[pos - start:e - start]:
                    self.conflicts += 1
                pos = e
                i += 1
                continue
            hole_end = min(end, starts[i]) if i < len(starts) else end
            piece = data[pos - start:hole_end - start]
            starts.insert(i, pos)
            datas.insert(i, piece)
            added += len(piece)
            i += 1
            pos = hole_end
        self.size += added
        return added

    def pop_front(self) -> tuple[int, bytes]:
        start = self.starts.pop(0)
        data = self.datas.pop(0)
        self.size -= len(data)
        return start, data

    def clear(self) -> int:
        dropped = self.size
        self.starts.clear()
        self.datas.clear()
        self.size = 0
        return dropped

    def contiguous_from(self, start: int) -> int:
        """Length of the gap-free run beginning exactly at `start` (0 if nothing starts there)."""
        pos = start
        for s, d in zip(self.starts, self.datas):
            if s > pos:
                break
            pos = max(pos, s + len(d))
        return pos - start
