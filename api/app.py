"""The regional API's FastAPI application factory: `create_app(settings)`."""
from __future__ import annotations

import logging
from contextlib import asynccontextmanager
from typing import AsyncIterator

from fastapi import Depends, FastAPI

from api import migrate, problems
from api.clickhouse import ClickHousePool
from api.metrics import ApiMetrics, MetricsMiddleware
from api.db import make_engine, session_factory
from api.modelinfo import ModelCache
from api.node_metrics import NodeMetricsConsumer
from api.packs import PackStore
from api.ratelimit import FailedAuthLimiter
from api.routers import analytics, fpmarks, health, iplists, models, nodes, rules, vulns
from api.settings import Settings
from api.state import AppState
from api.sync import SyncCache
from api.strict import reject_unknown_query

log = logging.getLogger("rampart.api")

DESCRIPTION = """\
Rampart's regional API: attacks, hits, transactions, metrics and the endpoint inventory from the region's
ClickHouse; rules, virtual patches, IP lists, false-positive marks and vulnerability states in the region's
control-plane database; node registration and sync.

Authenticate with `Authorization: Bearer <token>` (create one with `rampart tokens create`). Tokens of another
region are refused with 401; a role that may not use an endpoint gets 403. Lists use cursor pagination: pass
`next_cursor` back as `cursor`. Errors are RFC 9457 `application/problem+json` documents.
"""


def create_app(settings: Settings) -> FastAPI:
    """Build one region's API; migrations run at start unless settings.migrate_on_start is off."""
    engine = make_engine(settings.database_url)
    if settings.migrate_on_start:
        migrate.upgrade(engine)
    metrics = ApiMetrics()
    state = AppState(
        settings=settings, engine=engine, sessions=session_factory(engine),
        clickhouse=ClickHousePool(settings, observe=metrics.observe_clickhouse),
        limiter=FailedAuthLimiter(settings.auth_fail_limit, settings.auth_fail_window, settings.auth_fail_sources),
        models=ModelCache(settings.mlflow_url, settings.model_name, settings.model_cache_seconds),
        syncs=SyncCache(), metrics=metrics, packs=PackStore(settings.packs_dir),
    )

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        log.info("regional API %s ready (control plane %s, ClickHouse %s:%s/%s)", settings.region,
                 engine.url.render_as_string(hide_password=True), settings.clickhouse_host,
                 settings.clickhouse_port, settings.clickhouse_database)
        consumer = None
        if settings.metrics_port:
            port = metrics.serve(settings.metrics_host, settings.metrics_port)
            log.info("Prometheus metrics on http://%s:%d/metrics", settings.metrics_host, port)
        if settings.kafka_bootstrap:
            consumer = NodeMetricsConsumer(
                settings.kafka_bootstrap, settings.node_metrics_topic,
                settings.kafka_group or f"rampart-api-{settings.region}", state.sessions,
                on_result=lambda result: metrics.node_metrics.labels(result).inc())
            consumer.start()
        try:
            yield
        finally:
            if consumer is not None:
                consumer.stop()
            metrics.close()
            state.clickhouse.close()
            engine.dispose()

    app = FastAPI(title=f"Rampart regional API ({settings.region.upper()})", version="1.0.0",
                  description=DESCRIPTION, lifespan=lifespan, openapi_url="/openapi.json",
                  dependencies=[Depends(reject_unknown_query)])
    app.state.rampart = state
    app.add_middleware(MetricsMiddleware, metrics=metrics)
    problems.install(app)
    for module in (health, analytics, vulns, fpmarks, rules, iplists, nodes, models):
        app.include_router(module.router)
    return app
