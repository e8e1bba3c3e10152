"""Attack detection over request points: `Engine(rules, limits).inspect(request) -> list[Hit]`, `verdict(hits)`."""
from __future__ import annotations

from sensor.detect.engine import THRESHOLD, Engine, verdict
from sensor.points import Limits

__all__ = ["Engine", "Limits", "THRESHOLD", "verdict"]
