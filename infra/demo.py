"""`make demo`: the main job end to end on the local stack, one named step at a time."""
from __future__ import annotations

import sys
import time
from dataclasses import dataclass, field
from typing import Callable

from core.config import StackConfig
from infra.stack import Stack


@dataclass
class Demo:
    """Runs named steps in order; a failing step names itself and the log to read, then exits 1."""

    cfg: StackConfig
    summary: list[str] = field(default_factory=list)

    def step(self, title: str, fn: Callable[[], str], log_hint: str = "") -> None:
        print(f"==> {title}", file=sys.stderr, flush=True)
        t0 = time.monotonic()
        try:
            result = fn()
        except Exception as exc:  # noqa: BLE001 - the demo reports any failure with its step
            where = f" (see {log_hint})" if log_hint else ""
            print(f"demo failed at step '{title}': {exc}{where}", file=sys.stderr)
            sys.exit(1)
        print(f"    {result}  [{time.monotonic() - t0:.1f}s]", file=sys.stderr, flush=True)

    def stack_health(self) -> str:
        rows = Stack(self.cfg).status()
        bad = [r.name for r in rows if not r.healthy]
        if bad:
            raise RuntimeError(f"unhealthy: {', '.join(bad)}")
        for r in rows:
            self.summary.append(f"{r.name:<12} {r.address}")
        return f"{len(rows)} services healthy"


def main() -> None:
    cfg = StackConfig.from_env()
    demo = Demo(cfg)
    logs = cfg.home / "logs"
    demo.step("local stack is healthy", demo.stack_health, str(logs))
    print("\nRampart demo summary", flush=True)
    for line in demo.summary:
        print(f"  {line}")
    print(f"  MLflow UI: {cfg.mlflow_url}")


if __name__ == "__main__":
    main()
