"""Compiled analysers (infra/compile.py) are used only while they match their source; a stale build yields to the source."""
from __future__ import annotations

import importlib.util
import logging
import sys
from pathlib import Path

from core import compiled

COMPILED = ("sqli", "rce")  # the analysers that carry most of the CPU per request (BENCHMARKS.md, stop 17)
log = logging.getLogger(__name__)


def prefer_fresh(pkg_dir: Path, package: str, names: tuple[str, ...]) -> dict[str, str]:
    """For each module: "compiled" (a build matching the source will be imported), "source" (no build), or "stale"
    (a build from other source exists: the source is loaded now, so that editing a module never runs old code)."""
    status: dict[str, str] = {}
    for name in names:
        if not compiled.builds(pkg_dir, name):
            status[name] = "source"
        elif compiled.is_fresh(pkg_dir, name):
            status[name] = "compiled"
        else:
            status[name] = "stale"
            full = f"{package}.{name}"
            if full not in sys.modules:
                spec = importlib.util.spec_from_file_location(full, pkg_dir / f"{name}.py")
                assert spec is not None and spec.loader is not None
                mod = importlib.util.module_from_spec(spec)
                sys.modules[full] = mod
                spec.loader.exec_module(mod)
                setattr(sys.modules[package], name, mod)
            log.warning("%s: compiled build is older than its source, running the source (python -m infra.compile)", full)
    return status


STATUS = prefer_fresh(Path(__file__).parent, __package__ or "sensor.detect", COMPILED)
