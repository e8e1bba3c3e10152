"""A deliberately vulnerable web app (one of each flaw the scanner looks for) and its patched twin, on loopback."""
from __future__ import annotations

import html
import json
import os
import re
import sqlite3
import subprocess
import tempfile
import threading
import time
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

from jinja2.sandbox import SandboxedEnvironment

from tests.scanner.serving import LoopbackServer

SAFE_HEADERS = (("Content-Security-Policy", "default-src 'self'; frame-ancestors 'none'"),
                ("X-Frame-Options", "DENY"), ("X-Content-Type-Options", "nosniff"),
                ("Referrer-Policy", "no-referrer"))

# What the vulnerable app seeds, as (type, path, param) the scanner must report; param "" = none.
SEEDED = (
    ("xss", "/search", "query:q"),
    ("xss", "/comment", "form:text"),
    ("sqli", "/item", "query:id"),          # error-based
    ("sqli", "/product", "query:id"),       # boolean-based
    ("sqli", "/track", "query:id"),         # time-based
    ("sqli", "/api/user", "json:id"),       # error-based, JSON body (OpenAPI)
    ("ptrav", "/file", "query:name"),
    ("rce", "/ping", "query:host"),         # output echoed
    ("rce", "/notify", "query:to"),         # blind, time-based
    ("ssti", "/hello", "query:name"),
    ("open_redirect", "/redirect", "query:next"),
    ("crlf", "/lang", "query:l"),
    ("ssrf", "/fetch", "query:url"),
    ("exposed_file", "/.git/HEAD", ""),
    ("exposed_file", "/.git/config", ""),
    ("exposed_file", "/.env", ""),
    ("exposed_file", "/backup.sql", ""),
    ("dir_listing", "/static/", ""),
    ("missing_header", "/", "header:Content-Security-Policy"),
    ("missing_header", "/", "header:X-Frame-Options"),
    ("missing_header", "/", "header:X-Content-Type-Options"),
    ("insecure_cookie", "/", "cookie:session"),
)
SEEDED_TECHNIQUES = {"/item": "error", "/product": "boolean", "/track": "time", "/ping": "echo", "/notify": "time"}


def _db(sleep_ok: bool = False) -> sqlite3.Connection:
    db = sqlite3.connect(":memory:")
    db.execute("CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT)")
    db.executemany("INSERT INTO items VALUES (?, ?)", [(1, "Widget"), (2, "Gadget"), (3, "Gizmo")])
    if sleep_ok:
        # Stands in for MySQL's SLEEP(): a backend whose SQL can wait (sqlite has no such function).
        db.create_function("SLEEP", 1, lambda s: time.sleep(min(float(s or 0), 5)) or 0)
    return db


class VulnApp(LoopbackServer):
    """`patched=False`: every seeded flaw present; `patched=True`: the same pages, each flaw fixed."""

    def __init__(self, patched: bool = False, outside_url: str = "") -> None:
        self.patched = patched
        self.outside_url = outside_url
        self.access_log: list[tuple[str, str, str]] = []     # (client ip, method, target)
        self._lock = threading.Lock()
        self._files = tempfile.mkdtemp(prefix="vulnapp-")
        with open(os.path.join(self._files, "readme.txt"), "w") as fh:
            fh.write("Welcome to the docs.\n")
        app = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            disable_nagle_algorithm = True    # headers and body go out in two writes: no 40 ms stalls
            server_version = "app" if patched else "BaseHTTP/0.6"
            sys_version = "" if patched else "Python/3.11"

            def log_message(self, *args: object) -> None:
                pass

            def do_GET(self) -> None:  # noqa: N802
                app._route(self, "GET", b"")

            def do_POST(self) -> None:  # noqa: N802
                n = min(int(self.headers.get("Content-Length") or 0), 1 << 20)
                app._route(self, "POST", self.rfile.read(n))

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    # ------------------------------------------------------------------ responses
    def _send(self, h: BaseHTTPRequestHandler, status: int, body: str | bytes, ctype: str = "text/html",
              headers: tuple[tuple[str, str], ...] = ()) -> None:
        data = body.encode() if isinstance(body, str) else body
        h.send_response(status)
        h.send_header("Content-Type", f"{ctype}; charset=utf-8" if ctype.startswith("text/") else ctype)
        h.send_header("Content-Length", str(len(data)))
        if self.patched and ctype == "text/html":
            for k, v in SAFE_HEADERS:
                h.send_header(k, v)
        for k, v in headers:
            h.send_header(k, v)
        h.end_headers()
        h.wfile.write(data)

    def _page(self, title: str, body: str) -> str:
        return f"<!doctype html><html><head><title>{title}</title></head><body>{body}</body></html>"

    # ------------------------------------------------------------------ routes
    def _route(self, h: BaseHTTPRequestHandler, method: str, body: bytes) -> None:
        with self._lock:
            self.access_log.append((h.client_address[0], method, h.path))
        parts = urlsplit(h.path)
        q = {k: v[0] for k, v in parse_qs(parts.query, keep_blank_values=True).items()}
        path = parts.path
        fn = getattr(self, "r_" + re.sub(r"\W", "_", path.strip("/")) or "r_", None) if path != "/" else self.r_
        if fn is None:
            return self._send(h, 404, self._page("Not found", "<p>Not found</p>"))
        try:
            fn(h, method, q, body)
        except (BrokenPipeError, ConnectionResetError):
            pass

    def r_(self, h, method, q, body) -> None:
        links = ["/search?q=hello", "/item?id=1", "/product?id=1", "/track?id=1", "/file?name=readme.txt",
                 "/ping?host=localhost", "/notify?to=admin", "/hello?name=world", "/redirect?next=/",
                 "/lang?l=en", "/fetch?url=none", "/static/app.js", "/away", "/logout"]
        items = "".join(f'<li><a href="{u}">{u}</a></li>' for u in links)
        if self.outside_url:
            items += f'<li><a href="{self.outside_url}/partner?id=1">partner</a></li>'
        form = '<form method="post" action="/comment"><textarea name="text"></textarea><input type="submit"></form>'
        cookie = "session=s3cr3tsession; Path=/" + ("; HttpOnly; SameSite=Lax" if self.patched else "")
        self._send(h, 200, self._page("Shop", f"<ul>{items}</ul>{form}"), headers=(("Set-Cookie", cookie),))

    def r_search(self, h, method, q, body) -> None:
        term = q.get("q", "")
        shown = html.escape(term) if self.patched else term
        self._send(h, 200, self._page("Search", f"<p>Results for {shown}</p>"))

    def r_comment(self, h, method, q, body) -> None:
        text = parse_qs(body.decode("utf-8", "replace")).get("text", [""])[0]
        shown = html.escape(text) if self.patched else text
        self._send(h, 200, self._page("Comment", f"<p>Thanks for: {shown}</p>"))

    def _query(self, ident: str, sleep_ok: bool = False) -> list:
        db = _db(sleep_ok)
        try:
            if self.patched:
                return db.execute("SELECT name FROM items WHERE id = ?", (ident,)).fetchall()
            return db.execute(f"SELECT name FROM items WHERE id = {ident}").fetchall()
        finally:
            db.close()

    def r_item(self, h, method, q, body) -> None:     # error-based: the error is shown
        try:
            rows = self._query(q.get("id", "1"))
        except sqlite3.Error as exc:
            msg = "Internal error" if self.patched else f"sqlite3.OperationalError: {exc}"
            return self._send(h, 500, self._page("Error", f"<pre>{html.escape(msg)}</pre>"))
        self._send(h, 200, self._page("Item", f"<p>Item: {html.escape(rows[0][0]) if rows else 'none'}</p>"))

    def r_product(self, h, method, q, body) -> None:  # boolean-blind: errors hidden, content differs
        try:
            rows = self._query(q.get("id", "1"))
        except sqlite3.Error:
            rows = []
        text = f"Product: {html.escape(rows[0][0])} - in stock" if rows else "Product not found"
        # A long shared page: the true/false difference is a small part of it, as on real sites.
        about = "<div class='about'>" + "Our shop ships worldwide within two days. " * 80 + "</div>"
        self._send(h, 200, self._page("Product", f"<p>{text}</p>{about}"))

    def r_track(self, h, method, q, body) -> None:    # time-blind: same answer whatever happens
        try:
            self._query(q.get("id", "1"), sleep_ok=True)
        except sqlite3.Error:
            pass
        self._send(h, 200, self._page("Track", "<p>tracked</p>"))

    def r_api_user(self, h, method, q, body) -> None:
        if method != "POST":
            return self._send(h, 405, "method not allowed", "text/plain")
        try:
            ident = str(json.loads(body or b"{}").get("id", "1"))
            rows = self._query(ident)
            out = {"name": rows[0][0] if rows else None}
            status = 200
        except (ValueError, AttributeError):
            out, status = {"error": "bad json"}, 400
        except sqlite3.Error as exc:
            out, status = {"error": "internal" if self.patched else f"sqlite3.OperationalError: {exc}"}, 500
        self._send(h, status, json.dumps(out), "application/json")

    def r_openapi_json(self, h, method, q, body) -> None:
        self._send(h, 200, json.dumps(openapi_spec(self.url)), "application/json")

    def r_file(self, h, method, q, body) -> None:
        name = q.get("name", "readme.txt")
        path = os.path.join(self._files, name)
        if self.patched:
            path = os.path.join(self._files, os.path.basename(name))
        try:
            with open(path, "rb") as fh:
                data = fh.read(65536)
        except OSError:
            return self._send(h, 404, self._page("File", "<p>no such file</p>"))
        self._send(h, 200, data, "text/plain")

    def _sh(self, cmd: list[str] | str) -> str:
        out = subprocess.run(cmd, shell=isinstance(cmd, str), capture_output=True, timeout=10, text=True)
        return out.stdout

    def r_ping(self, h, method, q, body) -> None:     # command output echoed
        host = q.get("host", "localhost")
        if self.patched:
            out = self._sh(["echo", "PING", host]) if re.fullmatch(r"[A-Za-z0-9.-]{1,64}", host) else "bad host"
        else:
            out = self._sh(f"echo PING {host}")
        self._send(h, 200, self._page("Ping", f"<pre>{html.escape(out)}</pre>"))

    def r_notify(self, h, method, q, body) -> None:   # blind: output discarded
        to = q.get("to", "admin")
        if self.patched:
            if re.fullmatch(r"[A-Za-z0-9_.@-]{1,64}", to):
                self._sh(["echo", "notify", to])
        else:
            self._sh(f"echo notify {to} >/dev/null")
        self._send(h, 200, self._page("Notify", "<p>queued</p>"))

    def r_hello(self, h, method, q, body) -> None:
        name = q.get("name", "world")
        env = SandboxedEnvironment(autoescape=self.patched)
        try:
            if self.patched:
                text = env.from_string("<p>Hello {{ n }}</p>").render(n=name)
            else:
                text = env.from_string("<p>Hello " + name + "</p>").render()
        except Exception:  # noqa: BLE001 - template syntax errors of the vulnerable twin
            return self._send(h, 400, self._page("Hello", "<p>template error</p>"))
        self._send(h, 200, self._page("Hello", text))

    def r_redirect(self, h, method, q, body) -> None:
        nxt = q.get("next", "/")
        if self.patched and (not nxt.startswith("/") or nxt.startswith(("//", "/\\")) or re.search(r"[\r\n]", nxt)):
            nxt = "/"
        self._send(h, 302, "", "text/plain", headers=(("Location", nxt),))

    def r_away(self, h, method, q, body) -> None:     # an in-app redirect that leaves the scope
        self._send(h, 302, "", "text/plain", headers=(("Location", (self.outside_url or "/") + "/landing"),))

    def r_logout(self, h, method, q, body) -> None:
        self._send(h, 200, self._page("Bye", "<p>logged out</p>"))

    def r_lang(self, h, method, q, body) -> None:
        lang = q.get("l", "en")
        if self.patched:
            lang = re.sub(r"[^A-Za-z-]", "", lang)[:8]
            cookie = f"lang={lang}; Path=/; HttpOnly; SameSite=Lax"
        else:
            cookie = f"lang={lang}; Path=/; HttpOnly; SameSite=Lax"   # the flaw here is the raw CR LF only
        try:
            self._send(h, 200, self._page("Lang", "<p>ok</p>"), headers=(("Set-Cookie", cookie),))
        except UnicodeEncodeError:
            self._send(h, 400, self._page("Lang", "<p>bad</p>"))

    def r_fetch(self, h, method, q, body) -> None:
        url = q.get("url", "")
        if not url.startswith(("http://", "https://")) or (self.patched and urlsplit(url).hostname != "cdn.example"):
            return self._send(h, 200, self._page("Fetch", "<p>nothing fetched</p>"))
        opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))   # never an env proxy
        try:
            with opener.open(url, timeout=3) as resp:
                n = len(resp.read(4096))
            text = f"fetched {n} bytes"
        except Exception as exc:  # noqa: BLE001
            text = f"fetch failed: {type(exc).__name__}"
        self._send(h, 200, self._page("Fetch", f"<p>{html.escape(text)}</p>"))

    def _secret(self, h, status_body: tuple[str, str]) -> None:
        if self.patched:
            return self._send(h, 404, self._page("Not found", "<p>Not found</p>"))
        self._send(h, 200, status_body[1], status_body[0])

    def r__git_HEAD(self, h, method, q, body) -> None:
        self._secret(h, ("text/plain", "ref: refs/heads/main\n"))

    def r__git_config(self, h, method, q, body) -> None:
        self._secret(h, ("text/plain", "[core]\n\trepositoryformatversion = 0\n\tbare = false\n"))

    def r__env(self, h, method, q, body) -> None:
        self._secret(h, ("text/plain", "APP_ENV=production\nDB_PASSWORD=not-a-real-password\n"))

    def r_backup_sql(self, h, method, q, body) -> None:
        self._secret(h, ("application/sql", "-- MySQL dump 10.13\nCREATE TABLE users (id int);\n"))

    def r_static(self, h, method, q, body) -> None:
        if self.patched:
            return self._send(h, 403, self._page("Forbidden", "<p>Forbidden</p>"))
        listing = '<h1>Directory listing for /static/</h1><ul><li><a href="app.js">app.js</a></li></ul>'
        self._send(h, 200, f"<html><head><title>Directory listing for /static/</title></head><body>{listing}</body>"
                           "</html>")

    def r_static_app_js(self, h, method, q, body) -> None:
        self._send(h, 200, "console.log('app');", "application/javascript")


def openapi_spec(base_url: str) -> dict:
    return {
        "openapi": "3.0.3", "info": {"title": "shop api", "version": "1"}, "servers": [{"url": base_url}],
        "paths": {"/api/user": {"post": {
            "requestBody": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Q"}}}},
            "responses": {"200": {"description": "ok"}}}}},
        "components": {"schemas": {"Q": {"type": "object", "properties": {"id": {"type": "integer", "example": 1}}}}},
    }


class RecordingServer(LoopbackServer):
    """The out-of-scope server: answers everything and records every request it ever receives."""

    def __init__(self) -> None:
        self.requests: list[tuple[str, str]] = []
        log = self.requests

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                pass

            def do_GET(self) -> None:  # noqa: N802
                log.append((self.command, self.path))
                self.send_response(200)
                self.send_header("Content-Type", "text/html")
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"hi")

            do_POST = do_HEAD = do_GET  # noqa: N815

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

