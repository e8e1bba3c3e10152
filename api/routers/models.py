"""The detection model the region's workers use: MLflow's `champion` version and its metrics."""
from __future__ import annotations

from fastapi import APIRouter, Depends, Request

from api.auth import READERS, Principal, require
from api.modelinfo import ModelUnavailable
from api.problems import ProblemError, responses
from api.schemas import ModelInfo

router = APIRouter(prefix="/v1/models", tags=["models"], responses=responses(401, 403, 404, 429, 503))


@router.get("/current", response_model=ModelInfo, summary="The `champion` version of the detector and its metrics")
def current_model(request: Request, _who: Principal = Depends(require(*READERS))) -> ModelInfo:
    state = request.app.state.rampart
    try:
        info = state.models.get()
    except ModelUnavailable as exc:
        raise ProblemError(503, f"model registry unavailable: {exc}", "registry-unavailable") from None
    if info is None:
        raise ProblemError(404, f"no version of {state.settings.model_name!r} carries the champion alias",
                           "no-champion")
    return ModelInfo(**info)
