"""Per-region API settings: api/config/<region>.toml, then RAMPART_API_* environment overrides."""
from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any

CONFIG_DIR = Path(__file__).parent / "config"
REGIONS: tuple[str, ...] = ("eu", "us")


@dataclass(frozen=True)
class Settings:
    """Everything one regional API process needs; frozen so handlers can share it safely."""

    region: str
    host: str = "127.0.0.1"
    port: int = 18080
    database_url: str = "sqlite://"
    clickhouse_host: str = "127.0.0.1"
    clickhouse_port: int = 19000
    clickhouse_database: str = ""
    clickhouse_user: str = "default"
    clickhouse_password: str = ""
    mlflow_url: str = "http://127.0.0.1:15000"
    model_name: str = "rampart-detector"
    model_cache_seconds: float = 30.0
    auth_fail_limit: int = 20          # failed authentications per source IP ...
    auth_fail_window: float = 60.0     # ... per this many seconds, then 429
    auth_fail_sources: int = 65536     # bound on remembered source IPs
    page_default: int = 100
    page_max: int = 1000
    default_range_hours: int = 24      # time range used when a query names none
    max_range_days: int = 366
    query_timeout: int = 30            # seconds ClickHouse may spend on one API query
    migrate_on_start: bool = True
    metrics_host: str = "127.0.0.1"    # Prometheus /metrics on its own listener, never on the API port ...
    metrics_port: int = 0              # ... 0 = not served
    kafka_bootstrap: str = ""          # the region's Kafka: consume rampart.node-metrics.v1 ('' = off)
    kafka_group: str = ""              # consumer group ('' = rampart-api-<region>)
    node_metrics_topic: str = "rampart.node-metrics.v1"
    packs_dir: str = ""                # virtual-patch packs published to every node ('' = none: nodes keep theirs)

    @property
    def token_prefix(self) -> str:
        """Every token of this region starts with it, so another region's token is recognised at once."""
        return f"rpt_{self.region}_"

    def with_overrides(self, **values: Any) -> "Settings":
        return replace(self, **{k: v for k, v in values.items() if v is not None})


def _coerce(name: str, raw: str) -> Any:
    kind = {f.name: f.type for f in fields(Settings)}[name]
    if kind in ("int", int):
        return int(raw)
    if kind in ("float", float):
        return float(raw)
    if kind in ("bool", bool):
        return raw.strip().lower() in ("1", "true", "yes", "on")
    return raw


def load_settings(region: str, config_file: Path | None = None, env: dict[str, str] | None = None) -> Settings:
    """Read the region's config file, apply RAMPART_API_<FIELD> overrides and expand {home}."""
    if region not in REGIONS:
        raise ValueError(f"unknown region {region!r} (expected one of {', '.join(REGIONS)})")
    env = os.environ if env is None else env
    path = config_file or CONFIG_DIR / f"{region}.toml"
    with open(path, "rb") as fh:
        data = tomllib.load(fh)
    if data.get("region", region) != region:
        raise ValueError(f"{path} is the config of region {data['region']!r}, not {region!r}")
    known = {f.name for f in fields(Settings)}
    unknown = set(data) - known
    if unknown:
        raise ValueError(f"{path}: unknown setting(s) {', '.join(sorted(unknown))}")
    data["region"] = region
    for name in known - {"region"}:
        raw = env.get(f"RAMPART_API_{name.upper()}")
        if raw is None or (raw == "" and not isinstance(data.get(name, ""), str)):
            continue  # an empty string clears a text setting (e.g. a password) but never a number
        try:
            data[name] = _coerce(name, raw)
        except ValueError:
            raise ValueError(f"RAMPART_API_{name.upper()}={raw!r} is not a valid value") from None
    home = Path(env.get("RAMPART_HOME") or ".rampart").resolve()
    if isinstance(data.get("database_url"), str):
        data["database_url"] = data["database_url"].replace("{home}", str(home))
    return Settings(**data)
