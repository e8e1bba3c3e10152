"""A small, deliberately vulnerable shop for the demo (run inside the site namespace): `python -m infra.demo_site`."""
from __future__ import annotations

import argparse
import html
import json
import os
import re
import shutil
import signal
import sqlite3
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from jinja2.sandbox import SandboxedEnvironment

PRODUCTS = [(i, name, 5 + i * 3) for i, name in enumerate(
    ["Trail shoes", "Rain jacket", "Wool socks", "Day pack", "Headlamp", "Water bottle", "Camp stove",
     "Sleeping bag", "Tent", "Trekking poles", "Sun hat", "Gloves"], start=1)]
USERS = {"alice": "correct horse battery staple"}
# What the scanner is expected to find: reflected XSS, error-based SQL injection, path traversal, SSTI,
# an exposed .env, missing security headers and a session cookie without HttpOnly/SameSite.
FLAWS = ("xss /search q", "sqli /item id", "ptrav /file name", "ssti /hello name", "exposed_file /.env",
         "missing_header /", "insecure_cookie /")


def _db() -> sqlite3.Connection:
    db = sqlite3.connect(":memory:")
    db.execute("CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT, price INTEGER)")
    db.executemany("INSERT INTO items VALUES (?, ?, ?)", PRODUCTS)
    return db


def _fake_root() -> Path:
    """The file tree /file serves from: a throw-away folder, so path traversal only ever reaches fake files."""
    root = Path(tempfile.mkdtemp(prefix="rampart-demo-site-"))
    (root / "srv/docs").mkdir(parents=True)
    (root / "srv/docs/shipping.txt").write_text("We ship within two days.\n")
    (root / "srv/docs/returns.txt").write_text("Returns are free for 30 days.\n")
    (root / "etc").mkdir()
    (root / "etc/passwd").write_text("root:x:0:0:root:/root:/bin/bash\nwww-data:x:33:33:www-data:/var/www:"
                                     "/usr/sbin/nologin\n")
    return root


class Shop:
    """Routes of the demo shop; `delay` stands in for an application's own work before it answers."""

    def __init__(self, delay: float) -> None:
        self.delay = delay
        self.root = _fake_root()
        self.templates = SandboxedEnvironment()
        self.lock = threading.Lock()
        self.requests = 0

    def page(self, title: str, body: str) -> str:
        nav = " | ".join(f'<a href="{u}">{t}</a>' for u, t in (
            ("/", "Home"), ("/products", "Products"), ("/search?q=tent", "Search"), ("/docs/shipping.txt", "Shipping"),
            ("/hello?name=guest", "Greeting"), ("/login", "Sign in")))
        return (f"<!doctype html><html><head><title>{title} - Demo Outdoor Shop</title>"
                f'<link rel="stylesheet" href="/static/app.css"></head><body><nav>{nav}</nav>'
                f"<h1>{title}</h1>{body}<script src=\"/static/app.js\"></script></body></html>")

    def handle(self, h: BaseHTTPRequestHandler, method: str, body: bytes) -> tuple[int, str, str | bytes, list]:
        with self.lock:
            self.requests += 1
        parts = urlsplit(h.path)
        q = {k: v[0] for k, v in parse_qs(parts.query, keep_blank_values=True).items()}
        path = parts.path
        if path == "/":
            items = "".join(f'<li><a href="/products/{i}">{html.escape(n)}</a> <a href="/item?id={i}">details</a>'
                            f"</li>" for i, n, _ in PRODUCTS[:6])
            form = '<form action="/search"><input name="q"><button>Search</button></form>'
            return 200, "text/html", self.page("Welcome", f"{form}<ul>{items}</ul>"), [
                ("Set-Cookie", "session=demo-session-4f1a; Path=/")]            # flaw: no HttpOnly, SameSite
        if path == "/products":
            rows = "".join(f'<li><a href="/products/{i}">{html.escape(n)}</a> €{p}</li>' for i, n, p in PRODUCTS)
            return 200, "text/html", self.page("Products", f"<ul>{rows}</ul>"), []
        m = re.fullmatch(r"/products/(\d+)", path)
        if m:
            found = [p for p in PRODUCTS if p[0] == int(m.group(1))]
            if not found:
                return 404, "text/html", self.page("Not found", "<p>No such product</p>"), []
            i, name, price = found[0]
            return 200, "text/html", self.page(html.escape(name), f"<p>€{price}</p><form method=post "
                                               f'action="/api/cart"><input name=id value={i}></form>'), []
        if path == "/search":                                                   # flaw: reflected XSS
            term = q.get("q", "")
            hits = [n for _, n, _ in PRODUCTS if term.lower() in n.lower()]
            return 200, "text/html", self.page("Search", f"<p>Results for {term}: {len(hits)}</p>"), []
        if path == "/item":                                                     # flaw: SQL injection
            db = _db()
            try:
                rows = db.execute(f"SELECT name, price FROM items WHERE id = {q.get('id', '1')}").fetchall()
            except sqlite3.Error as exc:
                return 500, "text/html", self.page("Error", f"<pre>sqlite3.OperationalError: {html.escape(str(exc))}"
                                                   "</pre>"), []
            finally:
                db.close()
            text = f"{html.escape(rows[0][0])}: €{rows[0][1]}" if rows else "none"
            return 200, "text/html", self.page("Item", f"<p>{text}</p>"), []
        if path.startswith("/docs/") or path == "/file":                        # flaw: path traversal on /file
            name = q.get("name", "shipping.txt") if path == "/file" else path[len("/docs/"):]
            if path != "/file":
                name = Path(name).name
            target = os.path.normpath(os.path.join("/srv/docs", name))
            try:
                data = (self.root / target.lstrip("/")).read_bytes()[:65536]
            except OSError:
                return 404, "text/html", self.page("Not found", "<p>No such document</p>"), []
            return 200, "text/plain", data, []
        if path == "/hello":                                                    # flaw: SSTI (sandboxed jinja2)
            try:
                text = self.templates.from_string("<p>Hello " + q.get("name", "guest") + "</p>").render()
            except Exception:  # noqa: BLE001 - a template error is what a broken page shows
                return 400, "text/html", self.page("Hello", "<p>template error</p>"), []
            return 200, "text/html", self.page("Hello", text), []
        if path == "/login":
            if method != "POST":
                form = ('<form method="post" action="/login"><input name="user"><input name="password" '
                        'type="password"><button>Sign in</button></form>')
                return 200, "text/html", self.page("Sign in", form), []
            fields = {k: v[0] for k, v in parse_qs(body.decode("utf-8", "replace")).items()}
            if USERS.get(fields.get("user", "")) == fields.get("password"):
                return 302, "text/plain", b"", [("Location", "/"), ("Set-Cookie", "session=ok-7b2e; Path=/")]
            return 401, "text/html", self.page("Sign in", "<p>Wrong user name or password</p>"), []
        if path == "/api/products":
            page = max(1, int(q.get("page", "1")) if q.get("page", "1").isdigit() else 1)
            items = [{"id": i, "name": n, "price": p} for i, n, p in PRODUCTS[(page - 1) * 5: page * 5]]
            return 200, "application/json", json.dumps({"page": page, "items": items}), []
        if path == "/api/cart" and method == "POST":
            try:
                doc = json.loads(body or b"{}")
                count = len(doc.get("items", [])) if isinstance(doc, dict) else 0
            except ValueError:
                return 400, "application/json", json.dumps({"error": "bad json"}), []
            return 200, "application/json", json.dumps({"ok": True, "items": count}), []
        if path == "/.env":                                                     # flaw: exposed secrets file
            return 200, "text/plain", b"DB_PASSWORD=demo-not-a-secret\nAPP_KEY=base64:ZGVtbw==\n", []
        if path == "/static/app.css":
            return 200, "text/css", b"body{font-family:sans-serif;margin:2em}nav a{margin-right:1em}\n", []
        if path == "/static/app.js":
            return 200, "application/javascript", b"document.title += ' \\u2014 open';\n", []
        if path == "/robots.txt":
            return 200, "text/plain", b"User-agent: *\nDisallow: /admin\n", []
        if path == "/favicon.ico":
            return 204, "image/x-icon", b"", []
        return 404, "text/html", self.page("Not found", "<p>Not found</p>"), []


def make_server(host: str, port: int, delay: float) -> ThreadingHTTPServer:
    shop = Shop(delay)

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"          # keep-alive, as browsers use it
        server_version = "DemoShop/1.0"
        disable_nagle_algorithm = True

        def log_message(self, fmt: str, *args: object) -> None:
            pass

        def _serve(self, method: str) -> None:
            n = self.headers.get("Content-Length") or "0"
            body = self.rfile.read(min(int(n), 1 << 20)) if n.isdigit() else b""
            time.sleep(shop.delay)
            status, ctype, payload, extra = shop.handle(self, method, body)
            data = payload.encode() if isinstance(payload, str) else payload
            try:
                self.send_response(status)
                self.send_header("Content-Type", f"{ctype}; charset=utf-8" if ctype.startswith("text/") else ctype)
                self.send_header("Content-Length", str(len(data)))
                for k, v in extra:
                    self.send_header(k, v)
                self.end_headers()
                if method != "HEAD":
                    self.wfile.write(data)
            except (BrokenPipeError, ConnectionResetError):
                self.close_connection = True

        def do_GET(self) -> None:  # noqa: N802 - http.server's naming
            self._serve("GET")

        def do_HEAD(self) -> None:  # noqa: N802
            self._serve("HEAD")

        def do_POST(self) -> None:  # noqa: N802
            self._serve("POST")

        def do_PUT(self) -> None:  # noqa: N802
            self._serve("PUT")

    server = ThreadingHTTPServer((host, port), Handler)
    server.daemon_threads = True
    server.shop_root = shop.root       # type: ignore[attr-defined]  # removed by close_server()
    return server


def close_server(server: ThreadingHTTPServer) -> None:
    """Close the socket and remove the site's throw-away file tree."""
    server.server_close()
    shutil.rmtree(getattr(server, "shop_root", ""), ignore_errors=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--host", default="198.18.10.2")
    ap.add_argument("--port", type=int, default=8080)
    ap.add_argument("--delay-ms", type=float, default=20.0, help="Work time before each answer.")
    args = ap.parse_args()
    server = make_server(args.host, args.port, args.delay_ms / 1000)
    print(f"demo site listening on http://{args.host}:{args.port}/", flush=True)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))    # the demo stops the site with SIGTERM
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        close_server(server)


if __name__ == "__main__":
    main()
