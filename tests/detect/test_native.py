"""Compiled analysers: used after set-up, built from the current source, and never run when the source has moved on."""
from __future__ import annotations

import importlib.machinery
import subprocess
import sys
from pathlib import Path

from core import compiled
from infra import compile as compile_step
from sensor.detect import native


def test_setup_compiled_the_analysers():
    # `make setup` (infra/setup.sh) runs `python -m infra.compile`; a stale or missing build is named here
    assert native.STATUS == {"sqli": "compiled", "rce": "compiled"}, \
        f"{native.STATUS}: run `.venv/bin/python -m infra.compile`"
    assert set(native.COMPILED) == {Path(m).stem for m in compile_step.MODULES}


def _fake_package(tmp_path: Path, name: str) -> Path:
    pkg = tmp_path / name
    pkg.mkdir()
    (pkg / "__init__.py").write_text("")
    (pkg / "mod.py").write_text('WHO = "source"\n')
    # an extension file that would fail to load: the check must decide without importing it
    (pkg / f"mod{importlib.machinery.EXTENSION_SUFFIXES[0]}").write_bytes(b"not an ELF file")
    return pkg


def test_a_stale_build_yields_to_the_source(tmp_path, monkeypatch):
    pkg = _fake_package(tmp_path, "rampart_fake_stale")
    compiled.record(pkg, "mod", "0" * 64)  # made from other source
    monkeypatch.syspath_prepend(str(tmp_path))
    try:
        __import__("rampart_fake_stale")
        assert native.prefer_fresh(pkg, "rampart_fake_stale", ("mod",)) == {"mod": "stale"}
        import rampart_fake_stale.mod as mod  # type: ignore[import-not-found]
        assert mod.WHO == "source" and mod.__file__.endswith("mod.py")
    finally:
        for k in [k for k in sys.modules if k.startswith("rampart_fake_stale")]:
            del sys.modules[k]


def test_fresh_and_missing_builds_are_told_apart(tmp_path):
    pkg = _fake_package(tmp_path, "rampart_fake_fresh")
    compiled.record(pkg, "mod", compiled.source_hash(pkg / "mod.py"))
    assert native.prefer_fresh(pkg, "rampart_fake_fresh", ("mod",)) == {"mod": "compiled"}
    (pkg / "mod.py").write_text('WHO = "edited"\n')
    assert not compiled.is_fresh(pkg, "mod")
    for so in compiled.builds(pkg, "mod"):
        so.unlink()
    assert native.prefer_fresh(pkg, "rampart_fake_fresh", ("mod",)) == {"mod": "source"}


def test_compile_step_builds_once_and_the_build_runs(tmp_path):
    for d in ("sensor", "core"):
        (tmp_path / d).mkdir()
        (tmp_path / d / "__init__.py").write_text("")
    (tmp_path / "sensor" / "tiny.py").write_text("def twice(x: int) -> int:\n    return x * 2\n")
    assert compile_step.build("sensor/tiny.py", root=tmp_path) == "compiled"
    assert compile_step.build("sensor/tiny.py", root=tmp_path) == "fresh"
    out = subprocess.run([sys.executable, "-c", "import sensor.tiny as t; print(t.__file__.endswith('.so'), t.twice(21))"],
                         cwd=tmp_path, capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["True", "42"]
