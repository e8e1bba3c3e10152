"""RFC 9457 problem details: every API error is `application/problem+json` with type, title, status, detail."""
from __future__ import annotations

import logging
from http import HTTPStatus
from typing import Any, Optional

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException as StarletteHTTPException

PROBLEM_MEDIA = "application/problem+json"
log = logging.getLogger("rampart.api")


class Problem(BaseModel):
    """An error, as RFC 9457 problem details."""

    type: str = Field("about:blank", examples=["https://rampart.dev/problems/unauthorized"])
    title: str = Field(examples=["Unauthorized"])
    status: int = Field(examples=[401])
    detail: str = Field("", examples=["missing bearer token"])
    instance: str = Field("", examples=["/v1/attacks"])
    errors: Optional[list[dict[str, Any]]] = Field(None, description="Field errors of a 422 response")


class ProblemError(Exception):
    """Raise from a handler to answer with a problem document."""

    def __init__(self, status: int, detail: str, kind: str = "", headers: Optional[dict[str, str]] = None) -> None:
        super().__init__(detail)
        self.status, self.detail, self.kind, self.headers = status, detail, kind, headers or {}


def _problem_type(status: int, kind: str) -> str:
    slug = kind or HTTPStatus(status).phrase.lower().replace(" ", "-")
    return f"https://rampart.dev/problems/{slug}"


def problem_response(request: Request, status: int, detail: str, kind: str = "",
                     headers: Optional[dict[str, str]] = None, errors: Optional[list[dict[str, Any]]] = None
                     ) -> JSONResponse:
    body: dict[str, Any] = {"type": _problem_type(status, kind), "title": HTTPStatus(status).phrase,
                            "status": status, "detail": detail, "instance": request.url.path}
    if errors is not None:
        body["errors"] = errors
    return JSONResponse(body, status_code=status, media_type=PROBLEM_MEDIA, headers=headers)


def _clean_errors(errors: list[Any]) -> list[dict[str, Any]]:
    """Validation errors without the raw input echoed back (it may be huge or hold secrets)."""
    return [{"loc": [str(p) for p in e.get("loc", ())], "msg": str(e.get("msg", "")), "type": str(e.get("type", ""))}
            for e in errors[:50]]


def install(app: FastAPI) -> None:
    @app.exception_handler(ProblemError)
    async def _problem(request: Request, exc: ProblemError) -> JSONResponse:
        return problem_response(request, exc.status, exc.detail, exc.kind, exc.headers)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        return problem_response(request, exc.status_code, str(exc.detail), headers=getattr(exc, "headers", None))

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        errors = _clean_errors(list(exc.errors()))
        first = errors[0] if errors else {"loc": [], "msg": "invalid request"}
        return problem_response(request, 422, f"{'.'.join(first['loc'])}: {first['msg']}", "validation-error",
                                errors=errors)

    @app.exception_handler(Exception)
    async def _crash(request: Request, exc: Exception) -> JSONResponse:
        log.exception("unhandled error on %s %s", request.method, request.url.path)
        return problem_response(request, 500, "internal error; see the API log", "internal-error")


def responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI `responses=` entries documenting the problem documents a route may return."""
    return {s: {"model": Problem, "description": HTTPStatus(s).phrase, "content": {PROBLEM_MEDIA: {}}}
            for s in statuses}
