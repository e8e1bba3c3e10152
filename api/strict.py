"""Refuses query parameters a route does not declare or that come twice, so a filter never silently widens or
changes a query (every parameter of this API is a single value)."""
from __future__ import annotations

from typing import Any

from fastapi import Request

from api.problems import ProblemError


def _query_names(dependant: Any) -> set[str]:
    names = {p.alias for p in dependant.query_params}
    for sub in dependant.dependencies:
        names |= _query_names(sub)
    return names


async def reject_unknown_query(request: Request) -> None:  # async: no thread hop for a pure check
    if not request.query_params or not request.url.path.startswith("/v1/"):
        return
    dependant = getattr(request.scope.get("route"), "dependant", None)
    if dependant is None:
        return
    keys = [k for k, _v in request.query_params.multi_items()]
    unknown = sorted(set(keys) - _query_names(dependant))
    if unknown:
        shown = ", ".join(repr(u[:40]) for u in unknown[:5])
        raise ProblemError(400, f"unknown query parameter(s): {shown}", "unknown-parameter")
    repeated = sorted({k for k in keys if keys.count(k) > 1})
    if repeated:
        shown = ", ".join(repr(r[:40]) for r in repeated[:5])
        raise ProblemError(400, f"query parameter(s) given more than once: {shown}", "repeated-parameter")
