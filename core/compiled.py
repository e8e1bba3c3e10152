"""Compiled builds of Python modules (mypyc): which files a build is, and whether it was made from the current source."""
from __future__ import annotations

import hashlib
import importlib.machinery
import json
from pathlib import Path

MANIFEST = ".compiled.json"  # beside the modules: {module name: sha256 of the source the build was made from}


def builds(pkg_dir: Path, name: str) -> list[Path]:
    """The extension files of `name` in `pkg_dir` (the module and mypyc's runtime library for it)."""
    return [pkg_dir / f"{stem}{suffix}" for stem in (name, f"{name}__mypyc")
            for suffix in importlib.machinery.EXTENSION_SUFFIXES if (pkg_dir / f"{stem}{suffix}").exists()]


def source_hash(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def recorded(pkg_dir: Path) -> dict[str, str]:
    try:
        data = json.loads((pkg_dir / MANIFEST).read_text())
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def record(pkg_dir: Path, name: str, digest: str | None) -> None:
    data = recorded(pkg_dir)
    if digest is None:
        data.pop(name, None)
    else:
        data[name] = digest
    (pkg_dir / MANIFEST).write_text(json.dumps(data, indent=1, sort_keys=True) + "\n")


def is_fresh(pkg_dir: Path, name: str) -> bool:
    """A build of `name` exists and was made from the source as it is now."""
    return bool(builds(pkg_dir, name)) and recorded(pkg_dir).get(name) == source_hash(pkg_dir / f"{name}.py")
