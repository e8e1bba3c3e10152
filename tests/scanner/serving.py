"""Lifecycle shared by the scanner tests' loopback servers: start in a thread, address, stop."""
from __future__ import annotations

from typing import Any


class LoopbackServer:
    """Mixin for a class that sets `self.server` (a socketserver on 127.0.0.1) and `self.thread` in __init__."""

    scheme = "http"
    server: Any
    thread: Any

    @property
    def port(self) -> int:
        return self.server.server_address[1]

    @property
    def url(self) -> str:
        return f"{self.scheme}://127.0.0.1:{self.port}"

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()
