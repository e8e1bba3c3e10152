"""Helpers for the scanner tests: run the real `rampart scan` command line."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

RAMPART = str(Path(sys.executable).parent / "rampart")


@pytest.fixture
def run_scan():
    def run(*args: str, timeout: float = 300, input: bytes | None = None) -> subprocess.CompletedProcess:
        return subprocess.run([RAMPART, "scan", *args], capture_output=True, timeout=timeout, input=input)
    return run
