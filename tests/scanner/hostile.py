"""Hostile servers on loopback for the scanner's bounds: endless body, slow drips, redirect loop, bad TLS."""
from __future__ import annotations

import socket
import socketserver
import ssl
import subprocess
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from tests.scanner.serving import LoopbackServer

INDEX = (b'<html><body><a href="/endless">e</a><a href="/drip">d</a><a href="/drip-headers">h</a>'
         b'<a href="/loop-a">l</a><a href="/ok?x=1">ok</a></body></html>')


class HostileServer(LoopbackServer):
    """Raw-socket server: each route misbehaves in one way; /ok?x= is a normal page to prove the scan goes on."""

    def __init__(self, max_seconds: float = 30.0) -> None:
        self.paths: list[str] = []
        self.max_seconds = max_seconds
        outer = self

        class Handler(socketserver.StreamRequestHandler):
            def handle(self) -> None:
                try:
                    line = self.rfile.readline(8192).decode("latin-1")
                    while self.rfile.readline(8192) not in (b"\r\n", b"\n", b""):
                        pass
                    path = line.split(" ")[1] if line.count(" ") >= 2 else "/"
                    outer.paths.append(path)
                    outer._serve(self.connection, path)
                except (OSError, IndexError):
                    pass

        self.server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def _serve(self, sock: socket.socket, path: str) -> None:
        end = time.monotonic() + self.max_seconds
        head = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nConnection: close\r\n"
        if path == "/":
            sock.sendall(head + b"Content-Length: %d\r\n\r\n" % len(INDEX) + INDEX)
        elif path == "/endless":                   # no length, body never ends
            sock.sendall(head + b"\r\n")
            chunk = b"A" * 65536
            while time.monotonic() < end:
                sock.sendall(chunk)
        elif path == "/drip":                      # headers fine, then one body byte every 200 ms
            sock.sendall(head + b"Content-Length: 100000\r\n\r\n")
            while time.monotonic() < end:
                sock.sendall(b"x")
                time.sleep(0.2)
        elif path == "/drip-headers":              # the header block itself never finishes
            sock.sendall(b"HTTP/1.1 200 OK\r\nX-Slow: ")
            while time.monotonic() < end:
                sock.sendall(b"y")
                time.sleep(0.2)
        elif path in ("/loop-a", "/loop-b"):
            nxt = b"/loop-b" if path == "/loop-a" else b"/loop-a"
            sock.sendall(b"HTTP/1.1 302 Found\r\nLocation: " + nxt + b"\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
        elif path.startswith("/ok"):
            body = b"<html><body>fine</body></html>"
            sock.sendall(head + b"Content-Length: %d\r\n\r\n" % len(body) + body)
        else:
            sock.sendall(b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")


class SelfSignedTLSServer(LoopbackServer):
    """HTTPS on loopback with a throwaway self-signed certificate (made by the openssl CLI): verification fails."""

    scheme = "https"

    def __init__(self, workdir: Path) -> None:
        key, cert = workdir / "key.pem", workdir / "cert.pem"
        subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", str(key), "-out",
                        str(cert), "-days", "1", "-subj", "/CN=127.0.0.1"], check=True, capture_output=True,
                       timeout=60)
        self.paths: list[str] = []
        paths = self.paths

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                pass

            def do_GET(self) -> None:  # noqa: N802
                paths.append(self.path)
                self.send_response(200)
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"ok")

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(str(cert), str(key))
        self.server.socket = ctx.wrap_socket(self.server.socket, server_side=True)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)



def dead_port() -> int:
    """A loopback port nobody listens on (bound, then closed)."""
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port
