"""CPU time spent in garbage collections, which the per-request CPU budget leaves out (plain Python, never compiled)."""
from __future__ import annotations

import gc
import time
import weakref

# Kept out of the compiled modules (core/compiled.py): the collector calls this object while it collects, and a mypyc
# native class called from there crashed the interpreter (stop 22).


class GcClock:
    """CPU seconds spent in garbage collections since it was registered.

    A collection of a large heap (a long-running sensor, a test process) can take tens of milliseconds inside
    whatever request happens to allocate at that moment; that pause is not the request's doing, so the per-request
    CPU budget does not count it. Collections are rare (allocation minus deallocation must pass a threshold), so
    the callback costs nothing measurable per request."""

    __slots__ = ("spent", "_t0")

    def __init__(self) -> None:
        self.spent = 0.0
        self._t0 = 0.0

    def __call__(self, phase: str, _info: dict) -> None:
        if phase == "start":
            self._t0 = time.thread_time()
        else:
            self.spent += max(0.0, time.thread_time() - self._t0)


class _Owner:
    """What the clock's user keeps: when it is collected, the clock leaves the collector's callbacks."""


def _unregister(clock: GcClock) -> None:
    try:
        gc.callbacks.remove(clock)
    except ValueError:
        pass


def start() -> tuple[GcClock, object]:
    """A clock registered with the collector, and the token to keep for as long as it should run."""
    clock, owner = GcClock(), _Owner()
    gc.callbacks.append(clock)
    weakref.finalize(owner, _unregister, clock)
    return clock, owner
