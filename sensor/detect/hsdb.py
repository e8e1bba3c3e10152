"""Hyperscan databases compiled once per pattern set and cached on disk (compiling a large set takes seconds)."""
from __future__ import annotations

import hashlib
import os
from pathlib import Path

import hyperscan


def cache_dir() -> Path:
    return Path(os.environ.get("RAMPART_CACHE_DIR") or Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "rampart")


def compiled(exprs: list[bytes], flags: list[int], prefix: str = "hs") -> hyperscan.Database:
    """Block-mode database of `exprs` (ids = list positions), reusing a serialized copy keyed by the patterns' hash."""
    key = hashlib.sha256(b"\0".join(exprs) + f"|{flags}|{hyperscan.__version__}".encode()).hexdigest()[:24]
    path = cache_dir() / f"{prefix}-{key}.db"
    try:
        db = hyperscan.loadb(path.read_bytes(), hyperscan.HS_MODE_BLOCK)
        db.scratch = hyperscan.Scratch(db)  # a deserialized database comes without scratch space
        db.scan(b"probe", match_event_handler=lambda *a: None)
        return db
    except (OSError, hyperscan.error, ValueError, TypeError):
        pass
    db = hyperscan.Database(mode=hyperscan.HS_MODE_BLOCK)
    db.compile(expressions=exprs, ids=list(range(len(exprs))), elements=len(exprs), flags=flags)
    try:  # best effort: a read-only home only costs the compile time again
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_bytes(hyperscan.dumpb(db))
        os.replace(tmp, path)
    except OSError:
        pass
    return db
