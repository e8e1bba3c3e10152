"""Scorer input of an event: core.request_points' pairs plus the sensor's hits, memoised per repeated request."""
from __future__ import annotations

from typing import Any

import msgspec

from core.events import Request, TransactionEvent
from core.request_points import MAX_POINTS, BodyParams, QueryPairs, body_params, query_pairs, request_points

MAX_VALUE = 1024
_enc = msgspec.json.Encoder().encode
Params = tuple[QueryPairs, BodyParams]
ScorePoint = tuple[str, str]                     # (point as JSON, value cut to MAX_VALUE)


class RequestInfo:
    """What scoring and discovery need of one distinct request, computed once: its parameters, its distinct
    scorer points and (per loaded model) its score."""

    __slots__ = ("params", "points", "score", "model")

    def __init__(self, params: Params, points: tuple[ScorePoint, ...]) -> None:
        self.params = params
        self.points = points
        self.score = 0.0
        self.model: Any = None                   # the model `score` was computed with (None: not yet)


def _distinct(pairs: list[tuple[list[Any], str]], out: list[ScorePoint], seen: set[ScorePoint]) -> None:
    for point, value in pairs:
        if len(out) >= MAX_POINTS:
            return
        item = (_enc(point).decode(), value[:MAX_VALUE])
        if item not in seen:
            seen.add(item)
            out.append(item)


def request_info(req: Request) -> RequestInfo:
    query, body = query_pairs(req.target), body_params(req)
    pts: list[ScorePoint] = []
    _distinct(request_points(req, query, body), pts, set())
    return RequestInfo((query, body), tuple(pts))


class RequestCache:
    """Bounded memo of RequestInfo keyed by what the points depend on (target, body, headers): in real traffic
    the same requests (pages, assets, searches) repeat, so parsing and scoring run once per distinct request."""

    def __init__(self, max_items: int = 50_000) -> None:
        self.max_items = max_items
        self._items: dict[tuple, RequestInfo] = {}

    def __len__(self) -> int:
        return len(self._items)

    def get(self, req: Request) -> RequestInfo:
        key = (req.target, req.body_b64, tuple(req.headers))
        info = self._items.get(key)
        if info is None:
            if len(self._items) >= self.max_items:
                self._items.clear()              # simple bound: a new working set refills it
            info = self._items[key] = request_info(req)
        return info


def request_params(ev: TransactionEvent) -> Params:
    """(query pairs, body params) of an event."""
    return query_pairs(ev.request.target), body_params(ev.request)


def event_points(ev: TransactionEvent, info: RequestInfo | None = None) -> list[ScorePoint]:
    """Distinct (point JSON, value) pairs to score — the sensor's hits first, then the request's — at most
    MAX_POINTS, values cut to MAX_VALUE chars."""
    info = info or request_info(ev.request)
    if not ev.hits:
        return list(info.points)
    pts: list[ScorePoint] = []
    seen: set[ScorePoint] = set()
    _distinct([(list(h.point), h.value) for h in ev.hits], pts, seen)
    for item in info.points:
        if len(pts) >= MAX_POINTS:
            break
        if item not in seen:
            seen.add(item)
            pts.append(item)
    return pts
