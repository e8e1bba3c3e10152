"""ML scoring: follows the MLflow `champion` alias, loads the pyfunc scorer, scores points in batches with a cache."""
from __future__ import annotations

import logging
import os
import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any, Callable

import numpy as np

log = logging.getLogger("rampart.streams.scoring")

NOT_SCORED = -1.0


@dataclass(frozen=True)
class LoadedModel:
    name: str
    version: str
    model: Any                      # mlflow.pyfunc.PyFuncModel: predict(DataFrame[point, value]) -> probabilities
    # A rampart pyfunc's own score_many(points, values): the same numbers as predict without building a
    # DataFrame and without MLflow's per-call input checks (fixed costs per batch). None: use predict.
    direct: Callable[[list[Any], list[Any]], Any] | None = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "direct", _direct_scorer(self.model))

    @property
    def label(self) -> str:
        return f"{self.name}/{self.version}"


def _direct_scorer(model: Any) -> Callable[[list[Any], list[Any]], Any] | None:
    unwrap = getattr(model, "unwrap_python_model", None)
    try:
        inner = unwrap() if unwrap is not None else None
    except Exception:  # noqa: BLE001 - not a python-function flavour: predict it is
        return None
    fn = getattr(inner, "score_many", None)
    return fn if callable(fn) else None


class ModelWatcher:
    """Holds the current champion model; poll() (blocking, run it off the event loop) swaps it when the alias
    moves. `status` says in words whether scoring is on and why not."""

    def __init__(self, tracking_uri: str, name: str, alias: str = "champion", cache_size: int = 200_000) -> None:
        self.tracking_uri = tracking_uri
        self.name = name
        self.alias = alias
        self.current: LoadedModel | None = None
        self.status = "scoring off: not polled yet" if tracking_uri else "scoring off: no MLflow URL configured"
        self.cache_size = cache_size
        self._cache: OrderedDict[tuple[str, str], float] = OrderedDict()
        self._lock = threading.Lock()

    def poll(self) -> bool:
        """Check the alias; load and swap in a new version. Returns True when the model changed."""
        if not self.tracking_uri:
            return False
        # An unreachable MLflow must not stall the worker for minutes of client retries.
        os.environ.setdefault("MLFLOW_HTTP_REQUEST_MAX_RETRIES", "1")
        os.environ.setdefault("MLFLOW_HTTP_REQUEST_TIMEOUT", "10")
        from mlflow import MlflowClient
        from mlflow.exceptions import MlflowException
        import mlflow.pyfunc
        try:
            client = MlflowClient(tracking_uri=self.tracking_uri, registry_uri=self.tracking_uri)
            mv = client.get_model_version_by_alias(self.name, self.alias)
        except MlflowException as exc:
            msg = str(exc).splitlines()[0][:200]
            if self.current is None:
                self.status = f"scoring off: no model {self.name!r} with alias {self.alias!r} ({msg})"
            else:
                self.status = f"scoring with {self.current.label} (alias lookup failed: {msg})"
            return False
        except Exception as exc:  # noqa: BLE001 - MLflow unreachable: keep the current model
            msg = f"{type(exc).__name__}: {str(exc).splitlines()[0][:200] if str(exc) else ''}"
            self.status = (f"scoring with {self.current.label} (MLflow unreachable: {msg})" if self.current
                           else f"scoring off: MLflow unreachable at {self.tracking_uri} ({msg})")
            return False
        version = str(mv.version)
        if self.current is not None and self.current.version == version:
            self.status = f"scoring with {self.current.label}"
            return False
        import mlflow
        mlflow.set_tracking_uri(self.tracking_uri)
        mlflow.set_registry_uri(self.tracking_uri)
        try:
            model = mlflow.pyfunc.load_model(f"models:/{self.name}/{version}")
        except Exception as exc:  # noqa: BLE001 - a broken version must not stop scoring with the old one
            msg = str(exc).splitlines()[0][:200] if str(exc) else type(exc).__name__
            log.error("cannot load %s/%s: %s", self.name, version, msg)
            self.status = (f"scoring with {self.current.label} (version {version} failed to load: {msg})"
                           if self.current else f"scoring off: version {version} failed to load: {msg}")
            return False
        with self._lock:
            old = self.current
            self.current = LoadedModel(self.name, version, model)
            self._cache = OrderedDict()        # a batch scoring meanwhile keeps its own (old) cache
        self.status = f"scoring with {self.current.label}"
        log.info("model %s: now %s (was %s)", self.alias, self.current.label, old.label if old else "none")
        return True

    def score_events(self, items: list[Any]) -> tuple[list[float], str]:
        """Attack probability per event (max over its points; 0.0 without points) and the model label;
        NOT_SCORED for every event when no model is loaded. An item is a points list or a
        `streams.points.RequestInfo`, whose score is kept on it for the model (a repeated request costs a
        lookup). The points no cached score covers are scored together in one vectorised predict call."""
        with self._lock:                             # the model and its cache, as one pair
            loaded, cache = self.current, self._cache
        if loaded is None:
            return [NOT_SCORED] * len(items), ""
        todo: dict[tuple[str, str], None] = {}
        for item in items:
            if isinstance(item, list):
                pts = item
            elif item.model is loaded:
                continue
            else:
                pts = item.points
            for p in pts:
                if p not in cache:
                    todo[p] = None
        if todo:
            keys = list(todo)
            pts, vals = [k[0] for k in keys], [k[1] for k in keys]
            if loaded.direct is not None:
                probs = np.asarray(loaded.direct(pts, vals), dtype=np.float64).reshape(-1)
            else:
                import pandas as pd
                probs = np.asarray(loaded.model.predict(pd.DataFrame({"point": pts, "value": vals})),
                                   dtype=np.float64).reshape(-1)
            with self._lock:
                if self.current is not loaded:       # swapped meanwhile: these scores belong to the old model
                    return self.score_events(items)
                cache.update(zip(keys, probs.tolist()))
        get = cache.get
        out = []
        for item in items:
            if isinstance(item, list):
                out.append(max([get(p, 0.0) for p in item], default=0.0))
            elif item.model is loaded:
                out.append(item.score)
            else:
                item.score = max([get(p, 0.0) for p in item.points], default=0.0)
                item.model = loaded
                out.append(item.score)
        while len(cache) > self.cache_size:          # bounded, evicted only once this batch has its scores
            cache.popitem(last=False)
        return out, loaded.label
