"""Failed-authentication limiter per source IP: a bounded sliding window, owned by one app instance."""
from __future__ import annotations

import threading
import time
from collections import OrderedDict, deque
from typing import Callable


class FailedAuthLimiter:
    """Counts failed authentications per source; a source over `limit` in `window` seconds is refused (429)."""

    def __init__(self, limit: int, window: float, max_sources: int = 65536,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.limit, self.window, self.max_sources, self.clock = limit, window, max_sources, clock
        self._fails: OrderedDict[str, deque[float]] = OrderedDict()
        self._lock = threading.Lock()

    def _recent(self, source: str, now: float) -> deque[float] | None:
        q = self._fails.get(source)
        if q is None:
            return None
        while q and q[0] <= now - self.window:
            q.popleft()
        if not q:
            del self._fails[source]
            return None
        return q

    def retry_after(self, source: str) -> float:
        """Seconds until `source` may try again; 0 when it is not blocked."""
        with self._lock:
            now = self.clock()
            q = self._recent(source, now)
            if q is None or len(q) < self.limit:
                return 0.0
            return max(q[len(q) - self.limit] + self.window - now, 0.001)

    def failed(self, source: str) -> None:
        with self._lock:
            now = self.clock()
            q = self._recent(source, now)
            if q is None:
                q = self._fails[source] = deque(maxlen=self.limit)
                while len(self._fails) > self.max_sources:  # bound memory: forget the stalest source
                    self._fails.popitem(last=False)
            else:
                self._fails.move_to_end(source)
            q.append(now)
