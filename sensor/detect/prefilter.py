"""Hyperscan as a pre-check for costly `re` patterns: which of a set may match a text, all of them in one scan."""
from __future__ import annotations

import re
import threading
from typing import Any, Sequence

import hyperscan

from sensor.detect.hsdb import compiled

# Where Python's `re` and hyperscan read a pattern differently: Python's `\s` also takes \x1c-\x1f, and beyond ASCII
# its `\w`, `\b`, `\d`, `\s` and case folding are Unicode's. A text holding such a character may match anything.
_DIALECTS_DIFFER = re.compile(r"[^\x00-\x1b\x20-\x7f]")
_BASE = hyperscan.HS_FLAG_PREFILTER | hyperscan.HS_FLAG_SINGLEMATCH | hyperscan.HS_FLAG_ALLOWEMPTY


class Prefilter:
    """Which of `patterns` may match a text, as a bit set (bit i: pattern i). Hyperscan's prefilter mode matches a
    superset of what a pattern matches (it widens lookarounds), so a pattern whose bit is clear cannot match and its
    `re` search can be skipped: a big alternation costs `re` microseconds at every position of a text that holds none
    of its words (`ptrav._SENSITIVE`, 2.5 KB of file names: ~10 µs on a 40-character URL path), one scan of the
    whole set about one."""

    def __init__(self, patterns: Sequence[re.Pattern[str]], prefix: str) -> None:
        flags = [_BASE | (hyperscan.HS_FLAG_CASELESS if p.flags & re.I else 0)
                 | (hyperscan.HS_FLAG_DOTALL if p.flags & re.S else 0)
                 | (hyperscan.HS_FLAG_MULTILINE if p.flags & re.M else 0) for p in patterns]
        self._db = compiled([p.pattern.encode() for p in patterns], flags, prefix)
        self.every = (1 << len(patterns)) - 1
        self._local = threading.local()  # a scratch per thread: one scratch cannot serve two scans at once

    def may_match(self, text: str) -> int:
        if _DIALECTS_DIFFER.search(text) is not None:
            return self.every
        scratch = getattr(self._local, "scratch", None)
        if scratch is None:
            scratch = self._local.scratch = hyperscan.Scratch(self._db)
        found = [0]
        self._db.scan(text.encode("ascii"), match_event_handler=_mark, context=found, scratch=scratch)
        return found[0]


def _mark(id_: int, start: int, end: int, flags: int, found: Any) -> None:
    found[0] |= 1 << id_
