"""Event sinks: a tiny protocol (`emit`, `close`) and the JSON Lines file/stdout sink."""
from __future__ import annotations

import sys
from typing import BinaryIO, Protocol, runtime_checkable

from core.events import TransactionEvent, encode_event


@runtime_checkable
class Sink(Protocol):
    """Where transaction events go; the CLI fans every event out to all configured sinks."""

    def emit(self, event: TransactionEvent) -> None: ...

    def close(self) -> None: ...


class JsonlSink:
    """One compact JSON object per line to a file or '-' (stdout); `flush_each` for live capture."""

    def __init__(self, path: str, flush_each: bool = False) -> None:
        self.path = path
        self.flush_each = flush_each
        self._own = path != "-"
        self._fh: BinaryIO = open(path, "wb") if self._own else sys.stdout.buffer
        self.count = 0

    def emit(self, event: TransactionEvent) -> None:
        self.emit_encoded(encode_event(event))

    def emit_encoded(self, line: bytes | memoryview, terminated: bool = False) -> None:
        """Write an already encoded event (the bytes of `core.events.encode_event`, or a line ending in \\n)."""
        write = self._fh.write
        write(line)
        if not terminated:
            write(b"\n")
        self.count += 1
        if self.flush_each:
            self._fh.flush()

    def close(self) -> None:
        if self._own:
            self._fh.close()
        else:
            self._fh.flush()
