"""Compiled builds of the sensor's hot modules (mypyc, one group): which files they are and whether they are current."""
from __future__ import annotations

import hashlib
import importlib.abc
import importlib.machinery
import importlib.util
import json
import logging
import os
import sys
from pathlib import Path

log = logging.getLogger(__name__)

# One mypyc group, built by infra/compile.py: the analysers that carry most of the CPU of an attack-like value, and
# the point parsers, protocol checks and engine glue that every request pays for, attack or not (BENCHMARKS.md,
# stops 17 and 22). One group, because calls between its modules then stay native C calls; built apart, every call
# from the engine into the point parsers would go through Python again.
# In these modules a constant bound once is declared `Final`: mypyc keeps it in a C static, where a plain module
# global is a dict lookup at every use (BENCHMARKS.md, stop 32).
GROUP = "sensor.native"  # mypyc's shared library for the group: sensor/native__mypyc.*.so
MODULES = ("sensor/detect/sqli.py", "sensor/detect/rce.py", "sensor/detect/shellglob.py", "sensor/detect/xss.py",
           "sensor/detect/ptrav.py", "sensor/detect/ssrf.py", "sensor/detect/rfi.py", "sensor/detect/protocol.py",
           "sensor/detect/engine.py",
           "sensor/points/decoders.py", "sensor/points/query.py", "sensor/points/headers.py", "sensor/points/cookie.py",
           "sensor/points/path.py", "sensor/points/body.py", "sensor/points/extraction.py", "sensor/points/json.py",
           "sensor/points/multipart.py", "sensor/points/xml.py", "sensor/points/graphql.py")
MANIFEST = ".compiled.json"  # in the group's package: {module path: sha256 of the source the group was built from}


def extensions(stem: Path) -> list[Path]:
    """The extension files for the module path `stem` (without suffix) that exist."""
    return [stem.with_name(stem.name + sfx) for sfx in importlib.machinery.EXTENSION_SUFFIXES
            if stem.with_name(stem.name + sfx).exists()]


def _library(root: Path, group: str) -> Path:
    """Where mypyc puts a group's shared library (without suffix): `sensor.native` -> sensor/native__mypyc."""
    return root.joinpath(*group.split(".")[:-1], group.rsplit(".", 1)[-1] + "__mypyc")


def builds(root: Path, modules: tuple[str, ...] = MODULES, group: str = GROUP) -> list[Path]:
    """The extension files of a build under `root`: the group's shared library and one small module per source."""
    found = extensions(_library(root, group))
    for rel in modules:
        found += extensions(root / rel[: -len(".py")])
    return found


def source_hash(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _manifest(root: Path, group: str) -> Path:
    return root.joinpath(*group.split(".")[:-1], MANIFEST)


def recorded(root: Path, group: str = GROUP) -> dict[str, str]:
    try:
        data = json.loads(_manifest(root, group).read_text())
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def record(root: Path, digests: dict[str, str], group: str = GROUP) -> None:
    """Write the manifest whole (a reader never sees half of one); an empty dict means no current build."""
    path = _manifest(root, group)
    tmp = path.with_name(f"{path.name}.{os.getpid()}")
    tmp.write_text(json.dumps(digests, indent=1, sort_keys=True) + "\n")
    tmp.replace(path)


def digests(root: Path, modules: tuple[str, ...] = MODULES) -> dict[str, str]:
    return {rel: source_hash(root / rel) for rel in modules}


def is_fresh(root: Path, modules: tuple[str, ...] = MODULES, group: str = GROUP) -> bool:
    """A whole build exists and every module of it was built from its source as it is now."""
    try:
        return bool(extensions(_library(root, group))) and all(extensions(root / rel[: -len(".py")]) for rel in modules) \
            and recorded(root, group) == digests(root, modules)
    except OSError:  # a source that cannot be read is no source the build can be checked against
        return False


class _SourceFirst(importlib.abc.MetaPathFinder):
    """Imports the listed modules from their source files, whichever module imports them first."""

    def __init__(self, sources: dict[str, Path]) -> None:
        self.sources = sources

    def find_spec(self, fullname: str, path: object = None, target: object = None) -> importlib.machinery.ModuleSpec | None:
        src = self.sources.get(fullname)
        return importlib.util.spec_from_file_location(fullname, src) if src is not None else None


def prefer_fresh(root: Path, modules: tuple[str, ...] = MODULES, group: str = GROUP) -> str:
    """Decide, before any of `modules` is imported, whether the compiled group or the sources run: "compiled" (a
    build of the current sources), "source" (no build), "disabled" (a current build, but RAMPART_NATIVE=0 in the
    environment) or "stale" (a build of other sources: then every module of
    the group is imported from source, since compiled modules call one another natively and one edited module would
    still run its old code through them). A finder ahead of the path finder does that, in any import order."""
    if not builds(root, modules, group):
        return "source"
    fresh = is_fresh(root, modules, group)
    if fresh and os.environ.get("RAMPART_NATIVE", "1") != "0":
        return "compiled"
    sources = {rel[: -len(".py")].replace("/", "."): root / rel for rel in modules}
    sys.meta_path.insert(0, _SourceFirst(sources))
    if fresh:
        return "disabled"  # RAMPART_NATIVE=0: the sources run although the build is current (to compare, or to rule it out)
    log.warning("the compiled detection modules are older than their source, running the source "
                "(python -m infra.compile builds them again)")
    return "stale"
