"""Per-app state shared by the handlers of one API instance (no module-level globals)."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from api.clickhouse import ClickHousePool
from api.metrics import ApiMetrics
from api.modelinfo import ModelCache
from api.ratelimit import FailedAuthLimiter
from api.packs import PackStore
from api.settings import Settings
from api.sync import SyncCache


@dataclass
class AppState:
    settings: Settings
    engine: Engine
    sessions: sessionmaker[Session]
    clickhouse: ClickHousePool
    limiter: FailedAuthLimiter
    models: ModelCache
    syncs: SyncCache
    packs: PackStore
    metrics: ApiMetrics
