"""ClickHouse adapter: a small pool of clickhouse-driver clients bound to the region's database and user."""
from __future__ import annotations

import logging
import queue
import threading
import time
from contextlib import contextmanager
from typing import Any, Callable, Iterator

from clickhouse_driver import Client
from clickhouse_driver.errors import Error as ClickHouseError

from api.problems import ProblemError
from api.settings import Settings


log = logging.getLogger("rampart.api")


def _reason(exc: BaseException) -> str:
    """First meaningful words of a ClickHouse error (its messages start with "Code: N." and a stack trace)."""
    lines = [l.strip() for l in str(exc).splitlines() if l.strip()]
    text = " ".join(lines[:2]) if lines and lines[0].startswith("Code:") else (lines[0] if lines else "")
    return (text or type(exc).__name__)[:240]


class ClickHousePool:
    """clickhouse-driver clients are not thread-safe; each request thread borrows one (bounded pool)."""

    def __init__(self, settings: Settings, size: int = 8,
                 observe: Callable[[float, bool], None] = lambda _s, _ok: None) -> None:
        self.settings = settings
        self.observe = observe  # (seconds, ok) of every statement, for the API's metrics
        self._idle: queue.LifoQueue[Client] = queue.LifoQueue()
        self._slots = threading.BoundedSemaphore(size)

    def _new(self) -> Client:
        s = self.settings
        return Client(host=s.clickhouse_host, port=s.clickhouse_port, user=s.clickhouse_user,
                      password=s.clickhouse_password, database=s.clickhouse_database,
                      connect_timeout=5, send_receive_timeout=s.query_timeout + 5,
                      settings={"max_execution_time": s.query_timeout})

    @contextmanager
    def client(self) -> Iterator[Client]:
        self._slots.acquire()
        try:
            try:
                cl = self._idle.get_nowait()
            except queue.Empty:
                cl = self._new()
            try:
                yield cl
            except BaseException:
                cl.disconnect()  # a failed query may leave the connection mid-stream
                raise
            self._idle.put(cl)
        finally:
            self._slots.release()

    def query(self, sql: str, params: dict[str, Any] | None = None) -> list[tuple]:
        """Run one SELECT; any ClickHouse failure becomes a 503 problem (details go to the log, not the caller)."""
        started = time.perf_counter()
        try:
            with self.client() as cl:
                rows = cl.execute(sql, params or {})
            self.observe(time.perf_counter() - started, True)
            return rows
        except (ClickHouseError, OSError, EOFError) as exc:
            self.observe(time.perf_counter() - started, False)
            log.warning("ClickHouse query failed: %s", _reason(exc))
            raise ProblemError(503, "analytics store unavailable", "analytics-unavailable") from None

    def insert(self, sql: str, rows: list[tuple]) -> None:
        """Run one INSERT; a ClickHouse failure becomes a 503 problem, so the caller's transaction rolls back."""
        started = time.perf_counter()
        try:
            with self.client() as cl:
                cl.execute(sql, rows)
            self.observe(time.perf_counter() - started, True)
        except (ClickHouseError, OSError, EOFError) as exc:
            self.observe(time.perf_counter() - started, False)
            log.warning("ClickHouse insert failed: %s", _reason(exc))
            raise ProblemError(503, "analytics store unavailable", "analytics-unavailable") from None

    def ping(self) -> tuple[bool, str]:
        try:
            with self.client() as cl:
                cl.execute("SELECT 1")
            return True, "ok"
        except Exception as exc:  # noqa: BLE001 — any failure means not ready, with its first line
            return False, _reason(exc)

    def close(self) -> None:
        while True:
            try:
                self._idle.get_nowait().disconnect()
            except queue.Empty:
                return
