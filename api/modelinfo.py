"""The model the workers score with: the `champion` alias of the registered detector in MLflow, cached briefly."""
from __future__ import annotations

import os
import threading
import time
from datetime import datetime, timezone
from typing import Any, Callable, Optional

ALIAS = "champion"


class ModelUnavailable(Exception):
    """MLflow could not be asked (the reason is the message)."""


def fetch_champion(tracking_uri: str, name: str) -> Optional[dict[str, Any]]:
    """Ask MLflow for `name@champion` and its run's metrics; None when no version carries the alias."""
    # Fail fast instead of MLflow's default minutes of retries: the API answers 503 and tries again later.
    os.environ.setdefault("MLFLOW_HTTP_REQUEST_MAX_RETRIES", "0")
    os.environ.setdefault("MLFLOW_HTTP_REQUEST_TIMEOUT", "5")
    from mlflow import MlflowClient  # imported lazily: heavy, and only this endpoint needs it
    from mlflow.exceptions import MlflowException

    client = MlflowClient(tracking_uri=tracking_uri, registry_uri=tracking_uri)
    try:
        mv = client.get_model_version_by_alias(name, ALIAS)
    except MlflowException as exc:
        if getattr(exc, "error_code", "") in ("RESOURCE_DOES_NOT_EXIST", "INVALID_PARAMETER_VALUE", "NOT_FOUND"):
            return None
        raise ModelUnavailable(str(exc).splitlines()[0][:200]) from None
    except Exception as exc:  # noqa: BLE001 — connection errors of any kind mean "unavailable"
        raise ModelUnavailable(str(exc).splitlines()[0][:200] if str(exc) else type(exc).__name__) from None
    metrics: dict[str, float] = {}
    if mv.run_id:
        try:
            metrics = {k: float(v) for k, v in client.get_run(mv.run_id).data.metrics.items()}
        except Exception:  # noqa: BLE001 — the version is still worth reporting without its metrics
            metrics = {}
    created = datetime.fromtimestamp(mv.creation_timestamp / 1000, timezone.utc) if mv.creation_timestamp else None
    return {"name": name, "alias": ALIAS, "version": str(mv.version), "run_id": mv.run_id,
            "created_at": created, "metrics": metrics}


class ModelCache:
    """Caches the champion lookup for `ttl` seconds so node syncs stay cheap; one per app instance."""

    def __init__(self, tracking_uri: str, name: str, ttl: float,
                 fetch: Callable[[str, str], Optional[dict[str, Any]]] = fetch_champion) -> None:
        self.tracking_uri, self.name, self.ttl, self._fetch = tracking_uri, name, ttl, fetch
        self._lock = threading.Lock()
        self._value: Optional[dict[str, Any]] = None
        self._error: Optional[str] = None
        self._at = float("-inf")

    def get(self) -> Optional[dict[str, Any]]:
        """The champion (or None when there is none); raises ModelUnavailable when MLflow cannot be reached."""
        with self._lock:
            if time.monotonic() - self._at > self.ttl:
                try:
                    self._value, self._error = self._fetch(self.tracking_uri, self.name), None
                except ModelUnavailable as exc:
                    self._value, self._error = None, str(exc)
                self._at = time.monotonic()
            if self._error is not None:
                raise ModelUnavailable(self._error)
            return self._value
