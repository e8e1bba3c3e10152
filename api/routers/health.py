"""Public liveness and readiness probes."""
from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from sqlalchemy import text

from api import migrate
from api.schemas import Health, Ready

router = APIRouter(tags=["health"])


@router.get("/health", response_model=Health, summary="Liveness: the process answers")
def health(request: Request) -> Health:
    return Health(status="ok", region=request.app.state.rampart.settings.region)


@router.get("/ready", response_model=Ready, summary="Readiness: control-plane database and ClickHouse reachable",
            responses={503: {"model": Ready, "description": "Not ready"}})
def ready(request: Request) -> JSONResponse:
    state = request.app.state.rampart
    checks: dict[str, str] = {}
    try:
        with state.engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        current = migrate.current_revision(state.engine)
        checks["database"] = "ok" if current == migrate.head_revision() else f"schema at {current or 'none'}"
    except Exception as exc:  # noqa: BLE001 — report, never raise, from a probe
        checks["database"] = type(exc).__name__
    ok, why = state.clickhouse.ping()
    checks["clickhouse"] = "ok" if ok else why
    good = all(v == "ok" for v in checks.values())
    body = Ready(status="ready" if good else "not ready", region=state.settings.region, checks=checks)
    return JSONResponse(body.model_dump(), status_code=200 if good else 503)
