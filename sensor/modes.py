"""Filtration modes (off, monitoring, safe_blocking, block), their per-request override, and the act decision."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Optional

MODES = ("off", "monitoring", "safe_blocking", "block")


@dataclass
class ModePolicy:
    """The node's mode; a custom rule's `mode` override (sensor/rules.py) wins for the requests it matches."""

    default: str = "monitoring"
    rules: Optional[Any] = None        # sensor.rules.RuleSet

    def mode_for(self, request: Any) -> str:
        """Mode for one request (anything with host, target, method: a RequestView or an event's request)."""
        if self.rules is not None and len(self.rules):
            _hits, override = self.rules.apply(request, [])
            if override:
                return override
        return self.default


def should_reset(mode: str, attack: bool, ip_class: Optional[str]) -> bool:
    """Whether an attack transaction's connection is reset (denylist handling is separate)."""
    if not attack or ip_class == "allow":
        return False
    if mode == "block":
        return True
    return mode == "safe_blocking" and ip_class == "gray"


def denylist_applies(mode: str, ip_class: Optional[str]) -> bool:
    """Denylisted sources are refused in every mode but off (and never when also allowlisted)."""
    return mode != "off" and ip_class == "deny"
