"""Shared query parameters: time window, filters and opaque cursors for cursor pagination."""
from __future__ import annotations

import base64
import binascii
import ipaddress
import json
import math
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Any, Optional

from fastapi import Query, Request

from api.problems import ProblemError

MAX_FILTER_LEN = 2048


@dataclass(frozen=True)
class Window:
    start: datetime
    end: datetime


@dataclass(frozen=True)
class Filters:
    host: Optional[str] = None
    type: Optional[str] = None
    source_ip: Optional[str] = None


def _aware(value: datetime) -> datetime:
    return value.replace(tzinfo=timezone.utc) if value.tzinfo is None else value.astimezone(timezone.utc)


def window(request: Request,
           start: Optional[datetime] = Query(None, alias="from", description="Start (inclusive), ISO 8601; "
                                             "default: `to` minus 24 hours", examples=["2026-11-25T00:00:00Z"]),
           end: Optional[datetime] = Query(None, alias="to", description="End (exclusive), ISO 8601; default now",
                                           examples=["2026-11-26T00:00:00Z"])) -> Window:
    settings = request.app.state.rampart.settings
    try:
        end_at = _aware(end) if end else datetime.now(timezone.utc)
        start_at = _aware(start) if start else end_at - timedelta(hours=settings.default_range_hours)
        if not datetime(1971, 1, 1, tzinfo=timezone.utc) <= start_at < end_at <= datetime(2105, 1, 1, tzinfo=timezone.utc):
            raise ValueError
    except (ValueError, OverflowError):
        raise ProblemError(400, "`from` must be before `to`, both between 1971 and 2105", "bad-time-range") from None
    if end_at - start_at > timedelta(days=settings.max_range_days):
        raise ProblemError(400, f"time range longer than {settings.max_range_days} days", "bad-time-range")
    return Window(start_at, end_at)


def filters(host: Optional[str] = Query(None, max_length=255, description="Exact host", examples=["shop.example.com"]),
            type: Optional[str] = Query(None, max_length=32, description="Attack type", examples=["sqli"]),
            source_ip: Optional[str] = Query(None, max_length=64, description="Client IP address",
                                             examples=["198.51.100.7"])) -> Filters:
    if source_ip is not None:
        try:
            source_ip = str(ipaddress.ip_address(source_ip))
        except ValueError:
            raise ProblemError(400, f"source_ip {source_ip!r} is not an IP address", "bad-filter") from None
    return Filters(host, type, source_ip)


def page_limit(request: Request, limit: Optional[int] = Query(None, ge=1, le=1000, description="Page size")) -> int:
    settings = request.app.state.rampart.settings
    return min(limit or settings.page_default, settings.page_max)


def encode_cursor(key: list[Any]) -> str:
    return base64.urlsafe_b64encode(json.dumps(key, separators=(",", ":")).encode()).decode().rstrip("=")


def decode_cursor(cursor: Optional[str], shape: tuple[type, ...]) -> Optional[list[Any]]:
    """The sort key stored in a cursor, checked against the expected types; 400 when it was tampered with."""
    if not cursor:
        return None
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        key = json.loads(raw)
        if not isinstance(key, list) or len(key) != len(shape):
            raise ValueError
        out = []
        for value, kind in zip(key, shape):
            if kind is float and isinstance(value, int) and not isinstance(value, bool):
                value = float(value)
            if not isinstance(value, kind) or isinstance(value, bool):
                raise ValueError
            if isinstance(value, float) and not math.isfinite(value):
                raise ValueError
            if isinstance(value, str) and len(value) > MAX_FILTER_LEN:
                raise ValueError
            if isinstance(value, int) and not -(2**62) < value < 2**62:
                raise ValueError
            out.append(value)
        return out
    except (ValueError, binascii.Error, UnicodeDecodeError, RecursionError):
        raise ProblemError(400, "invalid cursor", "bad-cursor") from None


CURSOR_QUERY = Query(None, min_length=1, max_length=MAX_FILTER_LEN, description="`next_cursor` of the previous page")
