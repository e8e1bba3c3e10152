"""Virtual-patch packs the region publishes to its sensors: YAML files in `packs_dir`, validated, re-read on change."""
from __future__ import annotations

import hashlib
import logging
import threading
from dataclasses import dataclass
from pathlib import Path

import yaml

from core.rules_schema import PACK_NAME, RuleSchemaError, validate_rule

log = logging.getLogger("rampart.api.packs")
MAX_PACK_BYTES = 1 << 20   # every node loads every pack: a pack is a curated list, not a data dump


@dataclass(frozen=True)
class Pack:
    name: str
    sha256: str
    yaml: str


def check_pack(text: str) -> int:
    """The number of rules in a pack file; raises ValueError naming the problem (the sensor's grammar, ids unique)."""
    try:
        doc = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise ValueError(f"YAML syntax: {getattr(exc, 'problem', exc)}") from None
    if not isinstance(doc, dict) or not isinstance(doc.get("rules"), list):
        raise ValueError("top level must be a mapping with a 'rules' list")
    seen: set[str] = set()
    for i, rule in enumerate(doc["rules"]):
        try:
            validate_rule(rule)
        except RuleSchemaError as exc:
            raise ValueError(f"rule {i}: {exc}") from None
        if rule["id"] in seen:
            raise ValueError(f"duplicate rule id {rule['id']!r}")
        seen.add(rule["id"])
    return len(doc["rules"])


class PackStore:
    """The packs in a folder as sensors get them (`NAME.yaml`, NAME a plain lower-case name). The folder is stat'ed
    at most once a second; a file that does not validate is not published (and logged once per version), and the
    last good version of it, if any, stays published."""

    def __init__(self, folder: str, recheck: float = 1.0) -> None:
        self.folder = Path(folder) if folder else None
        self.recheck = recheck
        self._lock = threading.Lock()
        self._checked = float("-inf")
        self._stamp: tuple = ()
        self._packs: tuple[Pack, ...] = ()
        self._good: dict[str, Pack] = {}

    def current(self, now: float) -> tuple[Pack, ...]:
        if self.folder is None:
            return ()
        with self._lock:
            if now - self._checked < self.recheck:
                return self._packs
            self._checked = now
            files = sorted(p for p in self.folder.glob("*.yaml") if PACK_NAME.fullmatch(p.stem))
            try:
                stamp = tuple((p.name, (st := p.stat()).st_mtime_ns, st.st_size) for p in files)
            except OSError:
                return self._packs
            if stamp == self._stamp:
                return self._packs
            self._stamp = stamp
            good: dict[str, Pack] = {}
            for p in files:
                try:
                    raw = p.read_bytes()
                    if len(raw) > MAX_PACK_BYTES:
                        raise ValueError(f"larger than {MAX_PACK_BYTES} bytes")
                    text = raw.decode("utf-8")
                    check_pack(text)
                except (OSError, UnicodeDecodeError, ValueError) as exc:
                    log.error("virtual-patch pack %s not published: %s", p, exc)
                    if p.stem in self._good:
                        good[p.stem] = self._good[p.stem]
                    continue
                good[p.stem] = Pack(p.stem, hashlib.sha256(text.encode()).hexdigest(), text)
            self._good = good
            self._packs = tuple(good[n] for n in sorted(good))
            return self._packs
