"""Virtual-patch packs: curated rule files shipped beside this module (and newer ones the regional API publishes)."""
from __future__ import annotations

from pathlib import Path

from core.rules_schema import PACK_NAME
from sensor.rules import RuleSet, load_rules

_DIR = Path(__file__).resolve().parent


def _files(regional: str | Path | None) -> dict[str, Path]:
    """Pack name -> file: the shipped packs, each replaced by a regional file of the same name, plus new regional
    ones. Only plain names count (a file named otherwise in the regional folder is not a pack)."""
    out = {p.stem: p for p in _DIR.glob("*.yaml")}
    if regional is not None:
        for p in Path(regional).glob("*.yaml"):
            if PACK_NAME.fullmatch(p.stem):
                out[p.stem] = p
    return dict(sorted(out.items()))


def stamp(regional: str | Path | None) -> tuple:
    """What changes when the regional folder's packs change (names, mtimes, sizes): cheap to poll."""
    if regional is None:
        return ()
    try:
        return tuple(sorted((p.name, (st := p.stat()).st_mtime_ns, st.st_size) for p in Path(regional).glob("*.yaml")))
    except OSError:
        return ()


def available(regional: str | Path | None = None) -> tuple[str, ...]:
    """Names of the packs (file stems, sorted): `kev-apps`, `kev-edge`, ... and any the region published."""
    return tuple(_files(regional))


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


def load(names: tuple[str, ...] | None = None, regional: str | Path | None = None) -> RuleSet:
    """One RuleSet of the named packs in the given order (all packs when None); ids must stay unique. A pack the
    region published (a file in `regional`, written by node sync) replaces the shipped pack of the same name."""
    rules = []
    seen: dict[str, str] = {}
    files = _files(regional)
    for name in files if names is None else names:
        if name not in files:
            raise ValueError(f"unknown virtual-patch pack {name!r}")
        rs = load_rules(str(files[name]))
        for r in rs.rules:
            if r.id in seen:  # the pack tests keep ids unique across files; a clash would hide which pack fired
                raise ValueError(f"virtual-patch rule {r.id!r} is in both {seen[r.id]} and {name}")
            seen[r.id] = name
        rules.extend(rs.rules)
    return RuleSet(rules, "packs:" + ",".join(names if names is not None else files))
