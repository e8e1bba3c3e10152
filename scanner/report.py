"""The JSON report: findings de-duplicated and in a deterministic order."""
from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Iterable

from scanner.finding import Finding

SOURCE_RANK = {"replay": 0, "scan": 1, "passive": 2}   # a confirmed incident wins over a plain finding


def merge(findings: Iterable[Finding]) -> list[Finding]:
    """One finding per key (the replayed/most confident copy kept), sorted by severity, type, url, method, param."""
    best: dict[tuple, Finding] = {}
    for f in findings:
        k = f.key()
        cur = best.get(k)
        if cur is None or (SOURCE_RANK.get(f.source, 9), -f.confidence) < (SOURCE_RANK.get(cur.source, 9),
                                                                           -cur.confidence):
            best[k] = f
    return sorted(best.values(), key=Finding.sort_key)


def render(findings: list[Finding]) -> str:
    return json.dumps([f.to_dict() for f in findings], indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def write(path: str | Path, findings: list[Finding]) -> None:
    """Atomically write the report (a reader never sees half a file)."""
    path = Path(path)
    fd, tmp = tempfile.mkstemp(dir=path.parent or Path("."), prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w") as fh:
            fh.write(render(findings))
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
