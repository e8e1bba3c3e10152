"""Compiled hot modules: used after set-up, built from the current source, and never run when the source has moved on."""
from __future__ import annotations

import importlib.machinery
import json
import os
import subprocess
import sys
from pathlib import Path

import sensor
from core import compiled
from infra import compile as compile_step

ROOT = Path(__file__).resolve().parents[2]


def test_setup_compiled_the_hot_modules():
    # `make setup` (infra/setup.sh) runs `python -m infra.compile`; a stale or missing build is named here
    # ("compiled" needs a build whose manifest matches every module of core/compiled.MODULES as it is now)
    assert sensor.NATIVE == "compiled", f"{sensor.NATIVE}: run `.venv/bin/python -m infra.compile`"
    for rel in compiled.MODULES:
        name = rel[: -len(".py")].replace("/", ".")
        assert sys.modules.get(name) is None or sys.modules[name].__file__.endswith(".so"), name
    import sensor.detect.engine as engine
    import sensor.points.extraction as extraction
    assert engine.__file__.endswith(".so") and extraction.__file__.endswith(".so")


def _fake_tree(tmp_path: Path, pkg: str) -> tuple[Path, tuple[str, ...]]:
    """A package with two modules and files where their build would be (which would fail to load if imported)."""
    (tmp_path / pkg).mkdir()
    (tmp_path / pkg / "__init__.py").write_text("")
    (tmp_path / pkg / "a.py").write_text('WHO = "source a"\n')
    (tmp_path / pkg / "b.py").write_text('from {0} import a\nWHO = "source b"\n'.format(pkg))
    sfx = importlib.machinery.EXTENSION_SUFFIXES[0]
    for stem in ("a", "b", "native__mypyc"):
        (tmp_path / pkg / f"{stem}{sfx}").write_bytes(b"not an ELF file")
    return tmp_path, (f"{pkg}/a.py", f"{pkg}/b.py")


def test_a_stale_build_yields_to_the_source_for_the_whole_group(tmp_path, monkeypatch):
    root, mods = _fake_tree(tmp_path, "rampart_fake_stale")
    compiled.record(root, compiled.digests(root, mods), "rampart_fake_stale.native")
    (root / "rampart_fake_stale" / "a.py").write_text('WHO = "edited a"\n')  # one module moved on
    monkeypatch.syspath_prepend(str(root))
    try:
        assert compiled.prefer_fresh(root, mods, "rampart_fake_stale.native") == "stale"
        import rampart_fake_stale.b as b  # type: ignore[import-not-found]  (b was not edited: still its source)
        assert b.WHO == "source b" and b.__file__.endswith("b.py")
        assert b.a.WHO == "edited a" and b.a.__file__.endswith("a.py")
    finally:
        for k in [k for k in sys.modules if k.startswith("rampart_fake_stale")]:
            del sys.modules[k]


def test_fresh_missing_and_partial_builds_are_told_apart(tmp_path):
    root, mods = _fake_tree(tmp_path, "rampart_fake_fresh")
    group = "rampart_fake_fresh.native"
    compiled.record(root, compiled.digests(root, mods), group)
    assert compiled.prefer_fresh(root, mods, group) == "compiled"
    (root / "rampart_fake_fresh" / "b.py").write_text('WHO = "edited"\n')
    assert not compiled.is_fresh(root, mods, group)
    compiled.record(root, compiled.digests(root, mods), group)
    lib = compiled.extensions(root / "rampart_fake_fresh" / "native__mypyc")
    lib[0].unlink()  # the modules' files without the group's library are no build to run
    assert not compiled.is_fresh(root, mods, group)
    for so in compiled.builds(root, mods, group):
        so.unlink()
    assert compiled.prefer_fresh(root, mods, group) == "source"


def test_compile_step_builds_once_and_the_build_runs(tmp_path):
    (tmp_path / "core").mkdir()
    (tmp_path / "core" / "__init__.py").write_text("")
    (tmp_path / "sensor").mkdir()
    (tmp_path / "sensor" / "__init__.py").write_text("")
    (tmp_path / "sensor" / "tiny.py").write_text("def twice(x: int) -> int:\n    return x * 2\n")
    (tmp_path / "sensor" / "user.py").write_text("from sensor.tiny import twice\n\ndef four(x: int) -> int:\n"
                                                "    return twice(twice(x))\n")
    mods = ("sensor/tiny.py", "sensor/user.py")
    assert compile_step.build(tmp_path, mods, "sensor.native") == "compiled"
    assert compiled.is_fresh(tmp_path, mods, "sensor.native")
    assert compile_step.build(tmp_path, mods, "sensor.native") == "fresh"
    out = subprocess.run([sys.executable, "-c", "import sensor.user as u; print(u.__file__.endswith('.so'), u.four(5))"],
                         cwd=tmp_path, capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["True", "20"]


def _verdicts_in_subprocess(env_native: str, rows: int) -> tuple[str, list]:
    code = f"""
import json, sensor
from sensor.detect import Engine, verdict
from sensor.detect.corpus import crs_rows
from sensor.detect.rawrequest import parse_raw
e = Engine()
out = []
for i, r in enumerate(crs_rows("tune")):
    if i % 7 == 0 and len(out) < {rows}:
        hits = e.inspect(parse_raw(r["raw"]))
        out.append([r["id"], verdict(hits), sorted((h.rule, h.score, tuple(map(str, h.point))) for h in hits)])
print(json.dumps([sensor.NATIVE, out]))
"""
    env = dict(os.environ, RAMPART_NATIVE=env_native)
    done = subprocess.run([sys.executable, "-X", "dev", "-c", code], cwd=ROOT, env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr[-2000:]
    mode, out = json.loads(done.stdout.splitlines()[-1])
    return mode, out


def test_compiled_and_source_give_the_same_hits_under_the_debug_allocator():
    # `-X dev` fills freed memory: a miscompiled construct that frees what is still in use (see infra/compile.py)
    # fails loudly here instead of corrupting a sensor now and then
    mode_c, compiled_hits = _verdicts_in_subprocess("1", 300)
    mode_s, source_hits = _verdicts_in_subprocess("0", 300)
    assert (mode_c, mode_s) == ("compiled", "disabled")
    assert len(compiled_hits) == 300 and compiled_hits == source_hits
    assert sum(v == "attack" for _, v, _ in compiled_hits) > 200


def test_the_compiled_engine_leaves_the_interpreter_whole():
    # the reproduction of the `__call__ = inspect` miscompilation: after the CLI's imports and an engine, pathlib
    # lookups failed under the debug allocator
    code = ("import rampart.cli\nfrom pathlib import Path\nfrom sensor.detect import Engine\n"
            "for _ in range(3):\n    e = Engine()\n    assert e(__import__('sensor.detect.rawrequest', fromlist=['x'])"
            ".parse_raw(b'GET /?q=1 HTTP/1.1\\r\\nHost: a\\r\\n\\r\\n')) == []\n"
            "    assert list(Path('sensor/vpatches').glob('*.yaml'))\nprint('whole')")
    for seed in ("1", "2", "3"):
        done = subprocess.run([sys.executable, "-X", "dev", "-c", code], cwd=ROOT, capture_output=True, text=True,
                              env=dict(os.environ, PYTHONHASHSEED=seed))
        assert done.stdout.strip().endswith("whole"), done.stderr[-2000:]


def _constants_not_final(source: str) -> list[str]:
    """Module-level names of `source` bound by one plain assignment, never rebound, not declared Final, and no type
    alias: what mypyc would look up in the module's dict at every use."""
    import ast
    tree = ast.parse(source)
    rebound = {n for node in ast.walk(tree) if isinstance(node, ast.Global) for n in node.names}
    bindings: dict[str, int] = {}
    for stmt in tree.body:
        names = [stmt.name] if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) else [
            n.id for n in ast.walk(stmt) if isinstance(n, ast.Name) and isinstance(n.ctx, (ast.Store, ast.Del))] + [
            (a.asname or a.name).split(".")[0] for n in ast.walk(stmt) if isinstance(n, (ast.Import, ast.ImportFrom))
            for a in n.names]
        for name in names:
            bindings[name] = bindings.get(name, 0) + 1
    in_annotations = {n.id for node in ast.walk(tree) if isinstance(node, (ast.arg, ast.AnnAssign, ast.FunctionDef))
                      for a in ([node.annotation] if not isinstance(node, ast.FunctionDef) else [node.returns])
                      if a is not None for n in ast.walk(a) if isinstance(n, ast.Name)}
    out = []
    for stmt in tree.body:
        if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1 and isinstance(stmt.targets[0], ast.Name):
            name = stmt.targets[0].id
        elif isinstance(stmt, ast.AnnAssign) and isinstance(stmt.target, ast.Name) and stmt.value is not None \
                and "Final" not in ast.unparse(stmt.annotation):
            name = stmt.target.id
        else:
            continue
        alias = isinstance(stmt.value, ast.Subscript) and ast.unparse(stmt.value).split("[")[0] in (
            "Callable", "Union", "Optional", "Literal", "dict", "list", "tuple", "set", "frozenset", "type")
        if not name.startswith("__") and bindings.get(name) == 1 and name not in rebound and name not in in_annotations \
                and not alias:
            out.append(f"{name} (line {stmt.lineno})")
    return out


def test_compiled_modules_declare_their_constants_final():
    # a plain module global costs compiled code a dict lookup at every use; Final puts it in a C static
    # (BENCHMARKS.md, stop 32: 3 % of the instructions of a request, 8 % of the SQL analyser's)
    missing = {rel: _constants_not_final((ROOT / rel).read_text()) for rel in compiled.MODULES}
    missing = {rel: names for rel, names in missing.items() if names}
    assert not missing, f"declare these `Final` (from typing import Final): {missing}"
    # the check itself finds one
    assert _constants_not_final("import re\n_X = re.compile('a')\n_Y: Final = 1\nT = dict[str, int]\n") == ["_X (line 2)"]
