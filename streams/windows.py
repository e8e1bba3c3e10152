"""Sliding-window counters per key with bounded memory (for behavioural detection)."""
from __future__ import annotations

from collections import OrderedDict, deque


class SlidingCounter:
    """Counts events per key in the last `window` seconds and reports when a key reaches `threshold`.

    Only the newest `threshold` timestamps of a key are kept (enough to decide), and at most `max_keys`
    keys: the least recently seen key is forgotten first, so memory is bounded whatever the traffic.
    """

    def __init__(self, window: float, threshold: int, max_keys: int = 100_000) -> None:
        if window <= 0 or threshold < 1 or max_keys < 1:
            raise ValueError("window > 0, threshold >= 1 and max_keys >= 1 are required")
        self.window = window
        self.threshold = threshold
        self.max_keys = max_keys
        self._keys: OrderedDict[object, deque[float]] = OrderedDict()

    def __len__(self) -> int:
        return len(self._keys)

    def add(self, key: object, ts: float) -> int:
        """Record one event at `ts`; returns how many events of `key` fall in the window ending at `ts`."""
        q = self._keys.get(key)
        if q is None:
            q = self._keys[key] = deque(maxlen=self.threshold)
            if len(self._keys) > self.max_keys:
                self._keys.popitem(last=False)
        else:
            self._keys.move_to_end(key)
        if q and ts < q[-1]:
            # Out-of-order event (several sensors, clock skew): keep the deque sorted.
            items = sorted([*q, ts])[-self.threshold:]
            q.clear()
            q.extend(items)
        else:
            q.append(ts)
        newest = q[-1]
        while q and q[0] <= newest - self.window:
            q.popleft()
        return len(q)

    def first(self, key: object) -> float | None:
        """Timestamp of the oldest event of `key` still in its window."""
        q = self._keys.get(key)
        return q[0] if q else None

    def reset(self, key: object) -> None:
        self._keys.pop(key, None)

    def expire(self, now: float) -> int:
        """Forget keys whose newest event left the window; returns how many were dropped."""
        stale = [k for k, q in self._keys.items() if not q or q[-1] <= now - self.window]
        for k in stale:
            del self._keys[k]
        return len(stale)
