"""Shipped virtual-patch packs: curated rule files (YAML beside this module) that every engine applies by default."""
from __future__ import annotations

from pathlib import Path

from sensor.rules import RuleSet, load_rules

_DIR = Path(__file__).resolve().parent


def available() -> tuple[str, ...]:
    """Names of the shipped packs (file stems, sorted): `kev-apps`, `kev-edge`, ..."""
    return tuple(sorted(p.stem for p in _DIR.glob("*.yaml")))


def parse_names(spec: str) -> tuple[str, ...]:
    """`all`, `none`, or a comma-separated list of pack names (validated); raises ValueError naming the bad one."""
    spec = spec.strip()
    if spec == "all":
        return available()
    if spec in ("none", ""):
        return ()
    names = tuple(n.strip() for n in spec.split(",") if n.strip())
    known = available()
    for n in names:
        if n not in known:
            raise ValueError(f"unknown virtual-patch pack {n!r} (shipped: {', '.join(known) or 'none'})")
    return names


def load(names: tuple[str, ...] | None = None) -> RuleSet:
    """One RuleSet of the named packs in the given order (all shipped packs when None); ids must stay unique."""
    rules = []
    seen: dict[str, str] = {}
    for name in available() if names is None else names:
        rs = load_rules(str(_DIR / f"{name}.yaml"))
        for r in rs.rules:
            if r.id in seen:  # the pack tests keep ids unique across files; a clash would hide which pack fired
                raise ValueError(f"virtual-patch rule {r.id!r} is in both {seen[r.id]} and {name}")
            seen[r.id] = name
        rules.extend(rs.rules)
    return RuleSet(rules, "packs:" + ",".join(names if names is not None else available()))
