"""ClickHouse writer: batched inserts with retry and back-off, and the rows already stored (exactly-once restarts)."""
from __future__ import annotations

import asyncio
import logging
import time
from typing import Callable, Sequence

from clickhouse_driver import Client

log = logging.getLogger("rampart.streams.sink")


class Backoff:
    """Exponential back-off delays: initial, x2 each failure, capped; reset on success."""

    def __init__(self, initial: float = 0.5, cap: float = 10.0) -> None:
        self.initial, self.cap = initial, cap
        self.delay = initial

    def next(self) -> float:
        d = self.delay
        self.delay = min(self.cap, self.delay * 2)
        return d

    def reset(self) -> None:
        self.delay = self.initial


class ClickHouseSink:
    """Thin adapter over clickhouse-driver; every call may raise, the caller decides to retry."""

    def __init__(self, host: str, port: int, database: str, connect_timeout: float = 3.0,
                 send_receive_timeout: float = 30.0) -> None:
        self.database = database
        self.client = Client(host, port=port, connect_timeout=connect_timeout,
                             send_receive_timeout=send_receive_timeout, settings={"insert_block_size": 1_048_576})

    def insert(self, table: str, columns: Sequence[str], rows: list[tuple]) -> int:
        if not rows:
            return 0
        cols = ", ".join(f"`{c}`" for c in columns)
        # Transposed in C (zip) and sent columnar: the driver's own row-to-column step is per-cell Python.
        self.client.execute(f"INSERT INTO {self.database}.{table} ({cols}) VALUES", list(zip(*rows)),
                            types_check=False, columnar=True)
        return len(rows)

    def oldest_insert(self, table: str) -> float:
        """Seconds the oldest INSERT into `table` still executing on the server (of any client) has run; 0 if none."""
        n, oldest = self.client.execute(
            "SELECT count(), max(elapsed) FROM system.processes WHERE query LIKE %(q)s",
            {"q": f"INSERT INTO {self.database}.{table} %"})[0]
        return float(oldest) if n else 0.0

    def stored_since(self, partition: int, offset: int, settle: float = 30.0) -> dict[int, str]:
        """{offset: event id} of rows already stored from `partition` at or after `offset` (the at-risk range
        a restarted consumer is about to see again).

        First waits (at most `settle` s) for INSERTs into the table still running on the server: the last
        batch of a worker killed mid-insert, or an attempt of ours that failed on the client side, can still
        land. Read before it lands, its rows would be inserted again and the metrics view would count them
        twice (FINAL hides the duplicate rows, not the counts)."""
        began = time.monotonic()
        # Only inserts already running when we began matter (a live peer's later ones are for its partitions).
        while time.monotonic() - began < settle:
            oldest = self.oldest_insert("transactions")
            if oldest == 0.0 or oldest < time.monotonic() - began:
                break
            time.sleep(0.1)
        rows = self.client.execute(
            f"SELECT src_offset, id FROM {self.database}.transactions "
            "WHERE src_partition = %(p)s AND src_offset >= %(o)s", {"p": partition, "o": offset})
        return {int(o): i for o, i in rows}

    def query(self, sql: str, params: dict | None = None, with_column_types: bool = False):
        return self.client.execute(sql, params, with_column_types=with_column_types)

    def close(self) -> None:
        self.client.disconnect()


def probe(host: str, port: int, timeout: float = 2.0) -> str:
    """'' when ClickHouse answers a trivial query on a new connection, else the reason (blocking)."""
    client = Client(host, port=port, connect_timeout=timeout, send_receive_timeout=timeout)
    try:
        client.execute("SELECT 1")
        return ""
    except Exception as exc:  # noqa: BLE001 - any failure means not ready; say which
        return f"{type(exc).__name__}: {str(exc).splitlines()[0][:200] if str(exc) else ''}"
    finally:
        client.disconnect()


async def retry_forever(what: str, fn: Callable[[], object], backoff: Backoff,
                        stopping: Callable[[], bool], run=None,
                        on_error: Callable[[str], None] | None = None) -> object:
    """Run blocking `fn` in a thread until it succeeds (back-pressure: the caller holds its offsets meanwhile).

    Returns fn's result; raises asyncio.CancelledError if the worker stops first (nothing is acked then).
    """
    run = run or asyncio.to_thread
    failures = 0
    started = time.monotonic()
    while True:
        try:
            result = await run(fn)
        except Exception as exc:  # noqa: BLE001 - any storage error is retried, never dropped
            failures += 1
            delay = backoff.next()
            reason = f"{type(exc).__name__}: {str(exc).splitlines()[0][:200] if str(exc) else ''}"
            log.warning("%s failed (%s); attempt %d, retrying in %.1fs, offsets held", what, reason, failures, delay)
            if on_error:
                on_error(f"failing: {what}: {reason} (attempt {failures})")
            if stopping():
                raise asyncio.CancelledError(f"{what}: stopping with unsaved batch") from exc
            await asyncio.sleep(delay)
            continue
        if failures:
            log.warning("%s succeeded after %d failures (%.1fs)", what, failures, time.monotonic() - started)
        backoff.reset()
        return result
