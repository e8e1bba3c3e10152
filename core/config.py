"""Local-stack configuration: state folder and service ports, with RAMPART_* environment overrides."""
from __future__ import annotations

import os
from dataclasses import dataclass, field, fields, replace
from pathlib import Path

REGIONS: tuple[str, ...] = ("eu", "us")


@dataclass(frozen=True)
class StackConfig:
    """Where the local stack keeps its state and which loopback ports its services use."""

    home: Path = field(default_factory=lambda: Path(".rampart"))
    cache: Path | None = None   # downloaded jars; defaults to <home>/cache, shareable between homes
    kafka_eu_port: int = 19092
    kafka_eu_controller_port: int = 19093
    kafka_us_port: int = 29092
    kafka_us_controller_port: int = 29093
    kafka_heap_mb: int = 512
    clickhouse_port: int = 19000
    clickhouse_http_port: int = 18123
    mlflow_port: int = 15000
    api_eu_port: int = 18080
    api_us_port: int = 18081
    worker_eu_port: int = 18090   # stream worker health page (/health)
    worker_us_port: int = 18091

    @classmethod
    def from_env(cls, **overrides: object) -> "StackConfig":
        """Defaults, then RAMPART_HOME / RAMPART_<FIELD> from the environment, then explicit overrides."""
        values: dict[str, object] = {}
        for f in fields(cls):
            raw = os.environ.get(f"RAMPART_{f.name.upper()}")
            if raw:
                values[f.name] = Path(raw) if f.name in ("home", "cache") else int(raw)
        cfg = cls(**values)  # type: ignore[arg-type]
        clean = {k: v for k, v in overrides.items() if v is not None}
        for key in ("home", "cache"):
            if key in clean:
                clean[key] = Path(clean[key])  # type: ignore[arg-type]
        return replace(cfg, **clean) if clean else cfg

    @property
    def cache_dir(self) -> Path:
        return (self.cache or self.home / "cache").resolve()

    def kafka_bootstrap(self, region: str = "eu") -> str:
        return f"127.0.0.1:{getattr(self, f'kafka_{region}_port')}"

    def api_url(self, region: str = "eu") -> str:
        return f"http://127.0.0.1:{getattr(self, f'api_{region}_port')}"

    @property
    def mlflow_url(self) -> str:
        return f"http://127.0.0.1:{self.mlflow_port}"

    def clickhouse_database(self, region: str) -> str:
        return f"rampart_{region}"
