"""A size- and time-bound batch buffer (sans-IO: the caller supplies the clock)."""
from __future__ import annotations

from typing import Generic, TypeVar

T = TypeVar("T")


class Batcher(Generic[T]):
    """Collects items; a batch is due when it holds `max_items` or its oldest item is `max_age` seconds old."""

    def __init__(self, max_items: int, max_age: float) -> None:
        if max_items < 1 or max_age <= 0:
            raise ValueError("max_items >= 1 and max_age > 0 are required")
        self.max_items = max_items
        self.max_age = max_age
        self.items: list[T] = []
        self.started: float | None = None

    def __len__(self) -> int:
        return len(self.items)

    def add(self, item: T, now: float) -> bool:
        """Append one item; returns True when the batch is due (full)."""
        if self.started is None:
            self.started = now
        self.items.append(item)
        return len(self.items) >= self.max_items

    def full(self) -> bool:
        return len(self.items) >= self.max_items

    def due(self, now: float) -> bool:
        return bool(self.items) and (self.full() or now - (self.started or now) >= self.max_age)

    def wait_time(self, now: float) -> float:
        """Seconds until the current batch is due by age (max_age when empty)."""
        if not self.items or self.started is None:
            return self.max_age
        return max(0.0, self.started + self.max_age - now)

    def take(self) -> list[T]:
        out, self.items, self.started = self.items, [], None
        return out
