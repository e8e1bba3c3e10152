"""Request points: every value a detector can see, each with the path of parsers it came through."""
from __future__ import annotations

from sensor.points.extraction import (
    Extraction, Limits, PathItem, Point, PointMemo, RequestLike, extract, extract_all, header_value)

__all__ = ["Extraction", "Limits", "PathItem", "Point", "PointMemo", "RequestLike", "extract", "extract_all",
           "header_value"]
