"""Compiles the hot detection analysers with mypyc, in place, and records the source each build was made from."""
from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from core import compiled

ROOT = Path(__file__).resolve().parents[1]
# Kept in step with sensor/detect/native.py COMPILED (infra does not import sensor: design §2 floors).
MODULES = ("sensor/detect/sqli.py", "sensor/detect/rce.py")


def build(rel: str, root: Path = ROOT) -> str:
    """Compile one module unless a build from the current source is there; returns what was done."""
    src = root / rel
    pkg, name = src.parent, src.stem
    if compiled.is_fresh(pkg, name):
        return "fresh"
    for old in compiled.builds(pkg, name):
        old.unlink()
    compiled.record(pkg, name, None)
    digest = compiled.source_hash(src)
    mypyc = Path(sys.executable).with_name("mypyc")
    # mypyc writes C sources and objects under ./build and copies the extension next to the module; a temporary
    # build folder keeps the work tree clean and two builds from sharing objects
    with tempfile.TemporaryDirectory(prefix="rampart-mypyc-") as tmp:
        work = Path(tmp)
        shutil.copytree(root / "sensor", work / "sensor", ignore=shutil.ignore_patterns("__pycache__", "*.so"))
        shutil.copytree(root / "core", work / "core", ignore=shutil.ignore_patterns("__pycache__", "*.so"))
        done = subprocess.run([str(mypyc) if mypyc.exists() else "mypyc", rel], cwd=work, capture_output=True,
                              text=True)
        if done.returncode != 0:
            tail = "\n".join((done.stdout + done.stderr).strip().splitlines()[-15:])
            raise RuntimeError(f"mypyc {rel} failed:\n{tail}")
        made = compiled.builds(work / rel.rsplit("/", 1)[0], name)
        if not made:
            raise RuntimeError(f"mypyc {rel}: no extension module was written")
        for so in made:
            shutil.copy2(so, pkg / so.name)
    if compiled.source_hash(src) != digest:
        raise RuntimeError(f"{rel} changed while it was compiled; run again")
    compiled.record(pkg, name, digest)
    return "compiled"


def main() -> int:
    for rel in MODULES:
        try:
            what = build(rel)
        except (RuntimeError, OSError) as exc:
            print(f"compile: {exc}", file=sys.stderr)
            return 1
        print(f"compile: {rel} {what}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
