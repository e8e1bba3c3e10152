"""Compiles the sensor's hot modules with mypyc as one group, in place, and records the sources it was built from."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from core import compiled

ROOT = Path(__file__).resolve().parents[1]

# Run by a fresh interpreter inside a copy of the tree: mypyc's setuptools entry point, with the group named so its
# shared library lands in the package (sensor/native__mypyc.*.so). (multi_file=True, which would let the C compiler
# work in parallel, cannot find its own header for a dotted group name in mypy 2.4.)
_SETUP = """
import sys
from setuptools import setup
from mypyc.build import mypycify
modules, group, jobs = sys.argv[1].split(","), sys.argv[2], sys.argv[3]
# (imported modules outside the group are type-checked silently: only the group's own code must satisfy mypyc)
setup(name="rampart-native", ext_modules=mypycify(["--follow-imports=silent"] + modules, group_name=group),
      script_args=["build_ext", "--inplace", "--parallel", jobs])
"""


def _legacy(root: Path, modules: tuple[str, ...]) -> list[Path]:
    """Builds of the layout before stop 22 (one group per module, a manifest per package): removed on rebuild."""
    old = [p for rel in modules for p in compiled.extensions(root / (rel[: -len(".py")] + "__mypyc"))]
    return old + [p for d in {Path(rel).parent for rel in modules} if (p := root / d / ".compiled.json").exists()]


def build(root: Path = ROOT, modules: tuple[str, ...] = compiled.MODULES, group: str = compiled.GROUP) -> str:
    """Compile the group unless a build of the current sources is there; returns what was done."""
    if compiled.is_fresh(root, modules, group):
        return "fresh"
    for old in compiled.builds(root, modules, group) + _legacy(root, modules):
        old.unlink()
    compiled.record(root, {}, group)
    before = compiled.digests(root, modules)
    jobs = str(max(1, os.cpu_count() or 1))
    with tempfile.TemporaryDirectory(prefix="rampart-mypyc-") as tmp:
        # a copy keeps build/ and the C sources out of the work tree (and the project's pyproject out of setuptools)
        work = Path(tmp)
        for top in {rel.split("/", 1)[0] for rel in modules} | {"core"}:
            shutil.copytree(root / top, work / top, ignore=shutil.ignore_patterns("__pycache__", "*.so"))
        done = subprocess.run([sys.executable, "-c", _SETUP, ",".join(modules), group, jobs], cwd=work,
                              capture_output=True, text=True)
        if done.returncode != 0:
            tail = "\n".join((done.stdout + done.stderr).strip().splitlines()[-15:])
            raise RuntimeError(f"mypyc failed:\n{tail}")
        # mypyc compiles some constructs it only warns about into wrong code: `__call__ = inspect` in a class body
        # ("Unsupported default attribute value") freed memory still in use, and pathlib lookups failed later
        warned = [line for line in (done.stdout + done.stderr).splitlines() if ": warning: " in line]
        if warned:
            raise RuntimeError("mypyc warned (fix the source, a warning can mean miscompiled code):\n"
                               + "\n".join(warned[:15]))
        made = compiled.builds(work, modules, group)
        if len(made) <= len(modules):
            raise RuntimeError(f"mypyc wrote {len(made)} extension files for {len(modules)} modules and their library")
        for so in made:
            dest = root / so.relative_to(work)
            shutil.copy2(so, dest)
    if compiled.digests(root, modules) != before:
        raise RuntimeError("a module changed while the group was compiled; run again")
    compiled.record(root, before, group)
    return "compiled"


def main() -> int:
    try:
        what = build()
    except (RuntimeError, OSError) as exc:
        print(f"compile: {exc}", file=sys.stderr)
        return 1
    print(f"compile: {len(compiled.MODULES)} modules as {compiled.GROUP}: {what}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
