"""Request points: every value a detector can see, each with the path of parsers it came through."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol, Sequence, Union

from sensor.points import decoders

PathItem = Union[str, int]


class RequestLike(Protocol):
    method: str
    target: str
    version: str
    host: str
    headers: Sequence[tuple[str, str]]
    body: bytes


@dataclass(slots=True)
class Point:
    path: list[PathItem]
    value: str


@dataclass(slots=True)
class Limits:
    """Bounds on the work one request may cause; exceeding one is reported as a `protocol`/`overlimit` hit."""
    max_depth: int = 12            # nesting of parsers/decoders (JSON depth included)
    max_params: int = 2048         # points per request
    max_decoded: int = 4 << 20     # characters produced by all parsers and decoders together
    max_value: int = 64 << 10      # characters of one value handed to detectors
    max_body: int = 8 << 20        # body bytes parsed
    cpu_budget_ms: float = 50.0    # CPU time for points + detection of one request


@dataclass(slots=True)
class Extraction:
    """Mutable collector for one request's points; parsers call `add`, limits are enforced here."""
    limits: Limits
    points: list[Point] = field(default_factory=list)
    overlimits: list[str] = field(default_factory=list)
    decoded: int = 0

    def over(self, what: str) -> None:
        if what not in self.overlimits:
            self.overlimits.append(what)

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
        if len(value) >= 12 and value[0] != "{":
            jwt = decoders.jwt_parts(value) if value.startswith("eyJ") else None
            if jwt is not None:
                from sensor.points import json as jsonp
                for i, part in enumerate(jwt):
                    jsonp.parse(self, path + ["jwt", i], part, depth + 1)
                return
            dec = decoders.base64_text(value)
            if dec is not None:
                self.add(path + ["base64"], dec, depth + 1)
        c = value.lstrip()[:1]
        if c in ("{", "[") and value.rstrip()[-1:] in ("}", "]") and depth < self.limits.max_depth:
            from sensor.points import json as jsonp
            jsonp.parse(self, path + ["json_doc"], value, depth + 1, raw_on_error=False)


def header_value(headers: Sequence[tuple[str, str]], name: str) -> str | None:
    lname = name.lower()
    for k, v in headers:
        if k.lower() == lname:
            return v
    return None


def extract_all(request: Any, limits: Limits | None = None, headers_only: bool = False) -> Extraction:
    """Points of a request plus the limits it exceeded. Never raises on malformed input."""
    from sensor.points import body as bodyp, cookie, headers as hdrs, path as pathp, query

    ex = Extraction(limits or Limits())
    target = getattr(request, "target", "") or ""
    headers = list(getattr(request, "headers", None) or [])
    path_part, _, qs = target.partition("?")
    pathp.parse(ex, path_part)
    if qs:
        query.parse(ex, ["get"], qs)
    hdrs.parse(ex, headers)
    cookie.parse_headers(ex, headers)
    if not headers_only:
        body = getattr(request, "body", b"") or b""
        if isinstance(body, str):
            body = body.encode("utf-8", "surrogateescape")
        if body:
            bodyp.parse(ex, headers, body, target)
    return ex


def extract(request: Any, limits: Limits | None = None) -> list[Point]:
    """Every point of `request` (see design §3 for the path vocabulary)."""
    return extract_all(request, limits).points
