"""Points extraction: the point and limit types, the per-request collector and `extract_all`, the parsers' entry."""
from __future__ import annotations

import re
from dataclasses import dataclass, fields, replace
from typing import Any, Callable, Final, Protocol, Sequence, Union

from sensor.points import decoders

PathItem = Union[str, int]


class RequestLike(Protocol):
    method: str
    target: str
    version: str
    host: str
    headers: Sequence[tuple[str, str]]
    body: bytes


class Point:
    """One value a detector sees, with its path (`["get", "q"]`, `["post", "json_doc", "hash", "user"]`)."""

    # A plain class with its own __init__, not a dataclass: mypyc builds a native class either way, but constructs a
    # dataclass through the decorator's generated Python __init__ (0.55 µs, against 0.14 for this); a JSON body makes
    # dozens of points per request.
    __slots__ = ("path", "value")

    def __init__(self, path: list[PathItem], value: str) -> None:
        self.path = path
        self.value = value

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Point) and self.path == other.path and self.value == other.value

    def __repr__(self) -> str:
        return f"Point(path={self.path!r}, value={self.value!r})"


@dataclass
class Limits:
    """Bounds on the work one request may cause; exceeding one is reported as a `protocol`/`overlimit` hit."""
    max_depth: int = 12            # nesting of parsers/decoders (JSON depth included)
    max_params: int = 2048         # points per request
    max_decoded: int = 4 << 20     # characters produced by all parsers and decoders together
    max_value: int = 64 << 10      # characters of one value handed to detectors
    max_body: int = 8 << 20        # body bytes parsed
    cpu_budget_ms: float = 50.0    # CPU time for points + detection of one request

    def with_setting(self, setting: str) -> "Limits":
        """A copy with one `name=value` applied (`max_params=500`, `max_decoded=8MiB`, `cpu_budget_ms=20`).

        Raises ValueError naming the setting and what is allowed."""
        name, eq, raw = setting.partition("=")
        name, raw = name.strip(), raw.strip()
        names = [f.name for f in fields(self)]
        if not eq or name not in names:
            raise ValueError(f"{setting!r}: expected NAME=VALUE with NAME one of {', '.join(names)}")
        if name == "cpu_budget_ms":
            try:
                value: float = float(raw)
            except ValueError:
                value = -1.0
            if not 0 < value < 60_000:
                raise ValueError(f"{setting!r}: cpu_budget_ms must be milliseconds between 0 and 60000")
            return replace(self, cpu_budget_ms=value)
        m = _SIZE.match(raw)
        if not m or int(m.group(1)) < 1:
            raise ValueError(f"{setting!r}: {name} must be a positive whole number"
                             + (" or a size like 64KiB" if name in _SIZES else ""))
        if m.group(2) and name not in _SIZES:
            raise ValueError(f"{setting!r}: {name} is a count, not a size")
        return replace(self, **{name: int(m.group(1)) << {"": 0, "k": 10, "m": 20, "g": 30}[m.group(2).lower()]})


_SIZES: Final = ("max_decoded", "max_value", "max_body")
_SIZE: Final = re.compile(r"^(\d+)\s*([kmg]?)(?:i?b)?$", re.I)


class PointMemo:
    """Bounded memo of the points one raw piece (a header, a cookie line, a URL path, a query pair) yields.

    Owned by a long-lived caller (the detection engine): headers, paths and parameters repeat across requests, and
    their points are a pure function of the raw text and the limits, so parsing and decoding them again is waste."""

    __slots__ = ("limits", "max_entries", "max_key", "_d")

    def __init__(self, max_entries: int = 4096, max_key: int = 1024) -> None:
        self.limits: Limits | None = None
        self.max_entries = max_entries
        self.max_key = max_key      # longer pieces are parsed every time (rarely repeated, costly to keep)
        self._d: dict[Any, tuple[tuple[tuple[list[PathItem], str], ...], int]] = {}

    def __len__(self) -> int:
        return len(self._d)

    def get(self, key: Any) -> tuple[tuple[tuple[list[PathItem], str], ...], int] | None:
        return self._d.get(key)

    def put(self, key: Any, items: tuple[tuple[list[PathItem], str], ...], decoded: int) -> None:
        if len(self._d) >= self.max_entries:
            self._d.clear()
        self._d[key] = (items, decoded)

    def clear(self) -> None:
        self._d.clear()


class Extraction:
    """Mutable collector for one request's points; parsers call `add`, limits are enforced here."""

    # (a plain class for the reason Point is one: one is made per request, on the hot path)
    __slots__ = ("limits", "points", "overlimits", "decoded", "memo", "n_over", "clock", "spent")

    def __init__(self, limits: Limits, memo: PointMemo | None = None,
                 clock: Callable[[], float] | None = None) -> None:
        self.limits = limits
        self.points: list[Point] = []
        self.overlimits: list[str] = []
        self.decoded = 0
        self.memo = memo
        self.n_over = 0  # every limit event, repeated ones included (a memoised piece must have caused none)
        # CPU seconds this request has cost so far (None: no time limit); read before every piece, so it must be
        # cheap (the engine's clock reads the wall clock until that passes the budget: a CPU clock read is a system call)
        self.clock = clock
        self.spent = False  # the CPU budget ran out while parsing: every parser stops reading pieces

    def over(self, what: str) -> None:
        self.n_over += 1
        if what not in self.overlimits:
            self.overlimits.append(what)

    def full(self) -> bool:
        """True (and `params` reported) once the request has max_params points, or (`cpu_budget` reported) once
        parsing has spent the request's CPU budget. Parsers ask before each piece and stop reading pieces then:
        every later point would be refused, and a 4 MB form of `a=1&` is otherwise a million refusals (seconds);
        pieces that make no point (numbers of a huge JSON object, elements past the depth limit) cost time too."""
        if len(self.points) >= self.limits.max_params:
            self.over("params")
            return True
        if self.clock is None:
            return False
        if self.spent:
            return True
        if self.clock() > self.limits.cpu_budget_ms / 1000.0:
            self.spent = True
            self.over("cpu_budget")
            return True
        return False

    def piece(self, key: Any, size: int, fill: Callable[..., None], *args: Any) -> None:
        """Run `fill(*args)` (which adds the points of one raw piece) or replay its memoised points.

        `key` must determine everything `fill` adds; `size` is the raw piece's length (long ones are not kept).
        A replay that would cross a limit falls back to `fill`, so limits are reported exactly as without memo."""
        memo = self.memo
        if memo is None or size > memo.max_key:
            fill(*args)
            return
        got = memo.get(key)
        if got is not None:
            items, dec = got
            points = self.points
            lim = self.limits
            if len(points) + len(items) <= lim.max_params and self.decoded + dec <= lim.max_decoded:
                self.decoded += dec
                points.extend([Point(path, value) for path, value in items])
                return
        start, n_over, dec0 = len(self.points), self.n_over, self.decoded
        fill(*args)
        if self.n_over == n_over:
            memo.put(key, tuple((p.path, p.value) for p in self.points[start:]), self.decoded - dec0)

    def add(self, path: list[PathItem], value: str, depth: int = 0, decode: bool = True) -> None:
        """Record a point and recursively the values its decoders reveal."""
        if len(self.points) >= self.limits.max_params:
            self.over("params")
            return
        if depth > self.limits.max_depth:
            self.over("depth")
            return
        self.decoded += len(value)
        if self.decoded > self.limits.max_decoded:
            self.over("decoded_size")
            return
        if len(value) > self.limits.max_value:
            self.over("value_size")
            value = value[: self.limits.max_value]
        self.points.append(Point(path, value))
        if decode and len(value) >= 4:
            self._decode(path, value, depth)

    def _decode(self, path: list[PathItem], value: str, depth: int) -> None:
        if decoders.has_percent(value):
            dec = decoders.percent_decode(value)
            if dec != value:
                self.add(path + ["percent"], dec, depth + 1)
        if decoders.has_entities(value):
            dec = decoders.html_decode(value)
            if dec != value:
                self.add(path + ["html"], dec, depth + 1)
        if decoders.has_js_escapes(value):
            dec = decoders.js_decode(value)
            if dec != value:
                self.add(path + ["js"], dec, depth + 1)
        if len(value) >= 8 and value[0] != "{":
            jwt = decoders.jwt_parts(value) if value.startswith("eyJ") else None
            if jwt is not None:
                from sensor.points import json as jsonp
                for i, part in enumerate(jwt):
                    jsonp.parse(self, path + ["jwt", i], part, depth + 1)
                return
            b64 = decoders.base64_text(value)
            if b64 is not None:
                self.add(path + ["base64"], b64, depth + 1)
            else:
                # compressed state is inspected inflated, within what is left of the decoded-size budget
                unz = decoders.base64_inflate(value, min(self.limits.max_value, self.limits.max_decoded - self.decoded))
                if unz is not None:
                    self.add(path + ["base64", "gzip"], decoders.bytes_to_text(unz), depth + 1)
        c = value.lstrip()[:1]
        if c in ("{", "[") and value.rstrip()[-1:] in ("}", "]") and depth < self.limits.max_depth:
            from sensor.points import json as jsonp
            jsonp.parse(self, path + ["json_doc"], value, depth + 1, raw_on_error=False)
        elif c == "<" and value.lstrip()[:5] == "<?xml" and depth < self.limits.max_depth:
            # a whole XML document inside a value (a CDATA section of a device's config call, a SOAP message in a
            # form field): its attributes and texts are values of their own (`<NTP Server="$(wget …)"/>`)
            from sensor.points import xml as xmlp
            xmlp.parse(self, path + ["xml_doc"], value.encode("utf-8", "surrogateescape"), depth + 1)


def header_value(headers: Sequence[tuple[str, str]], name: str) -> str | None:
    lname = name.lower()
    for k, v in headers:
        if k.lower() == lname:
            return v
    return None


def extract_all(request: Any, limits: Limits | None = None, headers_only: bool = False,
                memo: PointMemo | None = None, clock: Callable[[], float] | None = None) -> Extraction:
    """Points of a request plus the limits it exceeded. Never raises on malformed input.

    `memo` (optional, owned by the caller) remembers the points of repeated headers, paths and query pairs; the
    result is the same with or without it. `clock` (optional) returns the CPU seconds the request has cost so far:
    parsing stops, and `cpu_budget` is reported, once it passes the limits' budget."""
    limits = limits or Limits()
    if memo is not None and memo.limits != limits:
        memo.clear()  # memoised points were cut by other limits
        memo.limits = replace(limits)  # a copy: the caller may change its own later
    ex = Extraction(limits, memo=memo, clock=clock)
    target = getattr(request, "target", "") or ""
    headers = list(getattr(request, "headers", None) or [])
    path_part, _, qs = target.partition("?")
    _pathp.parse(ex, path_part)
    if qs:
        _query.parse(ex, ["get"], qs)
    _hdrs.parse(ex, headers)
    _cookie.parse_headers(ex, headers)
    if not headers_only:
        body = getattr(request, "body", b"") or b""
        if isinstance(body, str):
            body = body.encode("utf-8", "surrogateescape")
        if body:
            _bodyp.parse(ex, headers, body, target)
    return ex


def extract(request: Any, limits: Limits | None = None) -> list[Point]:
    """Every point of `request` (see design §3 for the path vocabulary)."""
    return extract_all(request, limits).points


# The parsers import the names above; importing them here, once, keeps an import statement out of every request.
from sensor.points import body as _bodyp, cookie as _cookie, headers as _hdrs, path as _pathp, query as _query  # noqa: E402
