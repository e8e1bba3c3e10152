"""The filter node: capture, reassembly, HTTP parsing, request points, detection, blocking and reporting."""
from __future__ import annotations

from pathlib import Path

from core import compiled

# Decided before any hot module is imported: their mypyc build (infra/compile.py) runs only while it matches the
# source ("compiled"); a stale build yields to the source ("stale"), no build means the source ("source").
NATIVE = compiled.prefer_fresh(Path(__file__).resolve().parent.parent)
