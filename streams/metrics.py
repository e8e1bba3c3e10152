"""Per-minute metric rollups (the same dimensions and semantics as ClickHouse metrics_1m)."""
from __future__ import annotations

from collections import defaultdict

from core.events import TransactionEvent

MetricKey = tuple[str, str, str, str, str, int]          # tenant, host, type, verdict, action, status_class
COUNTERS = ("requests", "hits", "req_bytes", "resp_bytes")


def minute_of(ts: float) -> int:
    return int(ts // 60) * 60


def status_class(ev: TransactionEvent) -> int:
    return ev.response.status // 100 if ev.response else 0


class MetricsRollup:
    """Accumulates counters per (partition, minute, key); type '' counts every transaction, type X those with
    an X hit (hits and bytes only in the '' row), exactly like the metrics_1m materialized view."""

    def __init__(self) -> None:
        self.cells: dict[tuple[int, int, MetricKey], list[int]] = defaultdict(lambda: [0, 0, 0, 0])

    def add(self, ev: TransactionEvent, partition: int = 0) -> None:
        minute = minute_of(ev.ts)
        sc = status_class(ev)
        base = (ev.tenant, ev.request.host)
        c = self.cells[(partition, minute, (*base, "", ev.verdict, ev.action, sc))]
        c[0] += 1
        c[1] += len(ev.hits)
        c[2] += max(ev.request.body_len, 0)
        c[3] += ev.response.body_len if ev.response else 0
        for t in {h.type for h in ev.hits}:
            self.cells[(partition, minute, (*base, t, ev.verdict, ev.action, sc))][0] += 1

    def drain(self) -> dict[tuple[int, int, MetricKey], list[int]]:
        out, self.cells = self.cells, defaultdict(lambda: [0, 0, 0, 0])
        return dict(out)


def key_str(key: MetricKey) -> str:
    """Table key of a metric cell: the dimensions joined by '|'."""
    return "|".join(str(k) for k in key)


def add_counts(a: list[int] | None, b: list[int]) -> list[int]:
    return list(b) if a is None else [x + y for x, y in zip(a, b)]
