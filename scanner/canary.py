"""The SSRF canary: a tiny HTTP listener on loopback that records which probe tokens a target fetched."""
from __future__ import annotations

import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

MAX_TOKENS = 10_000


class CanaryListener:
    """Listens on 127.0.0.1:<free port>; a GET of /rmp/<token> marks <token> as seen (with the caller's IP)."""

    def __init__(self, host: str = "127.0.0.1") -> None:
        seen: dict[str, str] = {}
        lock = threading.Lock()

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 - http.server API
                token = self.path.split("?")[0].rstrip("/").rsplit("/", 1)[-1]
                if self.path.startswith("/rmp/") and token:
                    with lock:
                        if len(seen) < MAX_TOKENS:
                            seen[token] = self.client_address[0]
                body = b"rampart-canary"
                self.send_response(200)
                self.send_header("Content-Type", "text/plain")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            do_POST = do_GET  # noqa: N815

            def log_message(self, *args: object) -> None:
                pass

        self._seen, self._lock = seen, lock
        self._server = ThreadingHTTPServer((host, 0), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, name="ssrf-canary", daemon=True)
        self._thread.start()

    @property
    def base_url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def url_for(self, token: str) -> str:
        return f"{self.base_url}/rmp/{token}"

    def seen(self, token: str, wait: float = 0.0) -> str | None:
        """The source IP that fetched `token`, waiting up to `wait` seconds for it; None if nobody did."""
        end = time.monotonic() + wait
        while True:
            with self._lock:
                if token in self._seen:
                    return self._seen[token]
            if time.monotonic() >= end:
                return None
            time.sleep(0.02)

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()
