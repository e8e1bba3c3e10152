"""Shared detector types: a Finding is what a detector says about one value."""
from __future__ import annotations

from typing import NamedTuple


class Finding(NamedTuple):
    type: str
    rule: str
    score: float
