"""Bounded HTTP client for the scanner: scope gate at the socket, timeouts, body cap, redirect cap, rate limit."""
from __future__ import annotations

import ssl
import time
import zlib
from dataclasses import dataclass, field
from typing import Callable, Optional
from urllib.parse import urljoin, urlsplit

import httpcore
import httpx

from scanner.scope import OutOfScope, Scope

USER_AGENT = "rampart-scanner/0.1 (+authorised scan)"


@dataclass(frozen=True)
class Limits:
    """Hard bounds on every request the scanner makes."""

    connect_timeout: float = 5.0
    read_timeout: float = 10.0      # per socket read
    total_timeout: float = 20.0     # whole exchange, headers and body: stops slow drips
    max_body: int = 1 << 20         # bytes kept per response (raw and decoded)
    max_redirects: int = 5
    rate: float = 20.0              # requests per second; 0 = unbounded


class FetchError(Exception):
    """A request that produced no usable response; `reason` is one line for humans."""

    def __init__(self, url: str, reason: str) -> None:
        super().__init__(f"{url}: {reason}")
        self.url = url
        self.reason = reason


@dataclass
class Exchange:
    """One request and the (bounded) response it got."""

    method: str
    url: str
    request_headers: list[tuple[str, str]]
    request_body: bytes
    status: int
    headers: list[tuple[str, str]]
    body: bytes
    truncated: bool
    elapsed: float
    redirects: list[str] = field(default_factory=list)   # URLs of the hops followed before this one

    def header(self, name: str) -> Optional[str]:
        name = name.lower()
        return next((v for k, v in self.headers if k.lower() == name), None)

    def header_all(self, name: str) -> list[str]:
        name = name.lower()
        return [v for k, v in self.headers if k.lower() == name]

    @property
    def content_type(self) -> str:
        return (self.header("content-type") or "").split(";")[0].strip().lower()

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", errors="replace")

    def request_text(self, limit: int = 2048) -> str:
        """The request as evidence: request line, headers that matter, body excerpt."""
        parts = urlsplit(self.url)
        target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        lines = [f"{self.method} {target} HTTP/1.1", f"Host: {parts.netloc}"]
        lines += [f"{k}: {v}" for k, v in self.request_headers if k.lower() not in ("host", "user-agent")]
        text = "\n".join(lines)
        if self.request_body:
            text += "\n\n" + self.request_body.decode("utf-8", errors="replace")
        return text[:limit]

    def excerpt(self, needle: str | None = None, width: int = 160) -> str:
        """Status line, then the body around `needle` (or its start): the part that proves a finding."""
        head = f"HTTP/1.1 {self.status}"
        text = self.text
        if needle and needle in text:
            at = text.index(needle)
            start = max(0, at - width // 2)
            return f"{head}\n...{text[start:at + len(needle) + width // 2]}..."
        return f"{head}\n{text[:width]}"


class _DeadlineStream(httpcore.NetworkStream):
    """Clamps every socket read/write to the current request's deadline (slow drips cannot stall us)."""

    def __init__(self, inner: httpcore.NetworkStream, backend: "_GuardedBackend") -> None:
        self._inner = inner
        self._backend = backend

    def _budget(self, timeout: Optional[float]) -> Optional[float]:
        left = self._backend.deadline - time.monotonic()
        if left <= 0:
            raise httpcore.ReadTimeout("total time budget of the request exhausted")
        return left if timeout is None else min(timeout, left)

    def read(self, max_bytes: int, timeout: Optional[float] = None) -> bytes:
        return self._inner.read(max_bytes, self._budget(timeout))

    def write(self, buffer: bytes, timeout: Optional[float] = None) -> None:
        self._inner.write(buffer, self._budget(timeout))

    def close(self) -> None:
        self._inner.close()

    def start_tls(self, ssl_context: ssl.SSLContext, server_hostname: Optional[str] = None,
                  timeout: Optional[float] = None) -> httpcore.NetworkStream:
        return _DeadlineStream(self._inner.start_tls(ssl_context, server_hostname, self._budget(timeout)),
                               self._backend)

    def get_extra_info(self, info: str):  # noqa: ANN201 - mirrors httpcore
        return self._inner.get_extra_info(info)


class _GuardedBackend(httpcore.NetworkBackend):
    """The last gate: refuses to open a socket to anything outside the scope."""

    def __init__(self, scope: Scope) -> None:
        self._scope = scope
        self._inner = httpcore.SyncBackend()
        self.deadline = float("inf")

    def connect_tcp(self, host: str, port: int, timeout: Optional[float] = None,
                    local_address: Optional[str] = None, socket_options=None) -> httpcore.NetworkStream:
        if not self._scope.allows(host, port):
            raise OutOfScope(f"refused to connect to {host}:{port}: outside the scope {self._scope}")
        return _DeadlineStream(self._inner.connect_tcp(host, port, timeout, local_address, socket_options), self)

    def connect_unix_socket(self, path: str, timeout: Optional[float] = None,
                            socket_options=None) -> httpcore.NetworkStream:
        raise OutOfScope("unix sockets are never in scope")

    def sleep(self, seconds: float) -> None:
        self._inner.sleep(seconds)


class _GuardedTransport(httpx.HTTPTransport):
    def __init__(self, backend: _GuardedBackend, verify: bool) -> None:
        super().__init__(verify=verify, trust_env=False, retries=0)
        # Same pool httpx would build, but over the guarded backend (httpx has no public knob for it).
        self._pool = httpcore.ConnectionPool(
            ssl_context=httpx.create_ssl_context(verify=verify, trust_env=False),
            max_connections=8, max_keepalive_connections=8, keepalive_expiry=5.0,
            http1=True, http2=False, retries=0, network_backend=backend)


class RateLimiter:
    """Spaces requests at most `rate` per second (0 = no limit)."""

    def __init__(self, rate: float, clock: Callable[[], float] = time.monotonic,
                 sleep: Callable[[float], None] = time.sleep) -> None:
        self._interval = 1.0 / rate if rate > 0 else 0.0
        self._next = 0.0
        self._clock, self._sleep = clock, sleep

    def wait(self) -> None:
        if not self._interval:
            return
        now = self._clock()
        if now < self._next:
            self._sleep(self._next - now)
            now = self._next
        self._next = now + self._interval


class ScanClient:
    """Sends scanner requests; every URL, redirect hop and socket is checked against the scope."""

    def __init__(self, scope: Scope, limits: Limits = Limits(), verify: bool = True,
                 user_agent: str = USER_AGENT) -> None:
        self.scope = scope
        self.limits = limits
        self.sent = 0            # requests that reached the wire
        self.refused = 0         # requests refused by the scope
        self._rate = RateLimiter(limits.rate)
        self._backend = _GuardedBackend(scope)
        timeout = httpx.Timeout(connect=limits.connect_timeout, read=limits.read_timeout,
                                write=limits.read_timeout, pool=limits.connect_timeout)
        self._http = httpx.Client(transport=_GuardedTransport(self._backend, verify), timeout=timeout,
                                  follow_redirects=False, trust_env=False,
                                  headers={"User-Agent": user_agent, "Accept-Encoding": "identity"},
                                  event_hooks={"request": [self._hook]})

    def _hook(self, request: httpx.Request) -> None:
        self.scope.check_url(str(request.url))   # second gate, before the transport is even asked

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> "ScanClient":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def request(self, method: str, url: str, *, headers: Optional[list[tuple[str, str]]] = None,
                body: bytes = b"", follow: bool = False) -> Exchange:
        """One bounded exchange; with `follow`, in-scope redirects are followed up to the limit.

        A redirect that leaves the scope is not followed: the 3xx response is returned as is.
        Raises OutOfScope for an out-of-scope `url`, FetchError when no response could be had.
        """
        hops: list[str] = []
        first = url
        while True:
            ex = self._once(method, url, headers or [], body)
            ex.redirects = hops
            location = ex.header("location")
            if not follow or ex.status not in (301, 302, 303, 307, 308) or not location:
                return ex
            nxt = urljoin(url, location.strip())
            if not self.scope.allows_url(nxt):
                self.refused += 1
                return ex
            if len(hops) >= self.limits.max_redirects:
                raise FetchError(first, f"more than {self.limits.max_redirects} redirects (loop?)")
            hops = hops + [url]
            if ex.status == 303 or (ex.status in (301, 302) and method == "POST"):
                method, body = "GET", b""
            url = nxt

    def _once(self, method: str, url: str, headers: list[tuple[str, str]], body: bytes) -> Exchange:
        try:
            self.scope.check_url(url)     # first gate: before rate limiting, before any I/O
        except OutOfScope:
            self.refused += 1
            raise
        self._rate.wait()
        start = time.monotonic()
        self._backend.deadline = start + self.limits.total_timeout
        try:
            req = self._http.build_request(method, url, headers=headers, content=body or None)
            resp = self._http.send(req, stream=True)
            self.sent += 1
            try:
                data, truncated = self._read_body(resp)
            finally:
                resp.close()
        except OutOfScope:
            self.refused += 1
            raise
        except httpx.TimeoutException as exc:
            raise FetchError(url, f"timed out ({type(exc).__name__})") from None
        except httpx.ConnectError as exc:
            raise FetchError(url, _connect_reason(exc)) from None
        except (httpx.HTTPError, httpcore.ProtocolError, ssl.SSLError, OSError, zlib.error) as exc:
            raise FetchError(url, f"{type(exc).__name__}: {exc}".strip()[:200]) from None
        finally:
            self._backend.deadline = float("inf")
        return Exchange(method=method, url=url, request_headers=list(headers), request_body=body,
                        status=resp.status_code,
                        headers=[(k.decode("latin-1"), v.decode("latin-1")) for k, v in resp.headers.raw],
                        body=data, truncated=truncated, elapsed=time.monotonic() - start)

    def _read_body(self, resp: httpx.Response) -> tuple[bytes, bool]:
        cap = self.limits.max_body
        encoding = resp.headers.get("content-encoding", "").lower().strip()
        # wbits 47: zlib or gzip header autodetected; max_length keeps decompression bombs bounded.
        inflater = zlib.decompressobj(47) if encoding in ("gzip", "x-gzip", "deflate") else None
        out = bytearray()
        raw_seen = 0
        for chunk in resp.iter_raw(65536):
            raw_seen += len(chunk)
            if inflater is not None:
                chunk = inflater.decompress(chunk, max(1, cap + 1 - len(out)))
            out += chunk
            if len(out) > cap or raw_seen > cap:
                return bytes(out[:cap]), True
        return bytes(out), False


def _connect_reason(exc: Exception) -> str:
    text = str(exc)
    if "CERTIFICATE_VERIFY_FAILED" in text or "SSL" in text or "TLS" in text:
        return f"TLS error: {text[:160]}"
    if "refused" in text.lower():
        return "connection refused (unreachable)"
    return f"cannot connect: {text[:160]}"
