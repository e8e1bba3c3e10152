"""Read-only analytics from ClickHouse: attacks, hits, transactions, metrics series and top-N, endpoints."""
from __future__ import annotations

import json
from datetime import timedelta
from typing import Literal, Optional

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import JSONResponse
from sqlalchemy import select
from sqlalchemy.orm import Session

from api import analytics
from api.auth import READERS, Principal, db_session, require
from api.models import FpMark
from api.problems import ProblemError, responses
from api.query import CURSOR_QUERY, Filters, Window, decode_cursor, encode_cursor, filters, page_limit, window
from api.schemas import Attack, Endpoint, Hit, Page, Series, Top, Transaction, TransactionDetail

ERRORS = responses(400, 401, 403, 422, 429, 503)
router = APIRouter(prefix="/v1", tags=["analytics"], responses=ERRORS)
MAX_MINUTE_POINTS = 7 * 24 * 60  # a per-minute series covers at most a week


def _ch(request: Request) -> analytics.ClickHousePool:
    return request.app.state.rampart.clickhouse


def _point_filter(point: Optional[str]) -> Optional[str]:
    """Points are stored as compact JSON arrays; accept any JSON spelling and normalise it."""
    if point is None:
        return None
    try:
        value = json.loads(point)
    except ValueError:
        raise ProblemError(400, 'point must be a JSON array, e.g. ["get","id"]', "bad-filter") from None
    if not isinstance(value, list):
        raise ProblemError(400, 'point must be a JSON array, e.g. ["get","id"]', "bad-filter")
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


@router.get("/attacks", response_model=Page[Attack], summary="Attacks: hits grouped by type, point and target")
def list_attacks(request: Request, who: Principal = Depends(require(*READERS)), win: Window = Depends(window),
                 flt: Filters = Depends(filters), limit: int = Depends(page_limit),
                 path: Optional[str] = Query(None, max_length=2048, description="Exact path of the target"),
                 cursor: Optional[str] = CURSOR_QUERY) -> Page[Attack]:
    items, nxt = analytics.attacks(_ch(request), who.tenant, win, flt, limit, decode_cursor(cursor, (float, str)),
                                   path)
    return Page[Attack](items=items, next_cursor=encode_cursor(nxt) if nxt else None)


def _fp_ids(session: Session, tenant_id: int, ids: list[str]) -> set[str]:
    if not ids:
        return set()
    return set(session.scalars(select(FpMark.hit_id).where(FpMark.tenant_id == tenant_id, FpMark.hit_id.in_(ids))))


@router.get("/hits", response_model=Page[Hit], summary="Hits, newest first")
def list_hits(request: Request, who: Principal = Depends(require(*READERS)), session: Session = Depends(db_session),
              win: Window = Depends(window), flt: Filters = Depends(filters), limit: int = Depends(page_limit),
              point: Optional[str] = Query(None, max_length=2048, description='JSON point, e.g. ["get","id"]'),
              path: Optional[str] = Query(None, max_length=2048),
              cursor: Optional[str] = CURSOR_QUERY) -> Page[Hit]:
    items, nxt = analytics.hits(_ch(request), who.tenant, win, flt, limit,
                                decode_cursor(cursor, (float, str, int)), _point_filter(point), path)
    marked = _fp_ids(session, who.tenant_id, [h["id"] for h in items])
    for h in items:
        h["false_positive"] = h["id"] in marked
    return Page[Hit](items=items, next_cursor=encode_cursor(nxt) if nxt else None)


@router.get("/transactions", response_model=Page[Transaction], summary="Search transactions, newest first")
def list_transactions(request: Request, who: Principal = Depends(require(*READERS)), win: Window = Depends(window),
                      flt: Filters = Depends(filters), limit: int = Depends(page_limit),
                      verdict: Optional[Literal["attack", "clean"]] = None,
                      method: Optional[str] = Query(None, max_length=32, examples=["POST"]),
                      status: Optional[int] = Query(None, ge=0, le=999),
                      path_prefix: Optional[str] = Query(None, max_length=2048, examples=["/api/"]),
                      cursor: Optional[str] = CURSOR_QUERY) -> Page[Transaction]:
    items, nxt = analytics.transactions(_ch(request), who.tenant, win, flt, limit, decode_cursor(cursor, (float, str)),
                                        verdict, method, status, path_prefix)
    return Page[Transaction](items=items, next_cursor=encode_cursor(nxt) if nxt else None)


@router.get("/transactions/{transaction_id}", response_model=TransactionDetail, responses=responses(404),
            summary="One transaction with its full event")
def get_transaction(request: Request, transaction_id: str = Path(max_length=128),
                    who: Principal = Depends(require(*READERS))) -> TransactionDetail:
    found = analytics.transaction(_ch(request), who.tenant, transaction_id)
    if found is None:
        raise ProblemError(404, "no such transaction", "not-found")
    return TransactionDetail(**found)


@router.get("/metrics/series", response_model=Series, summary="Requests, attacks, blocked and hits per minute or hour")
def metrics_series(request: Request, who: Principal = Depends(require(*READERS)), win: Window = Depends(window),
                   flt: Filters = Depends(filters),
                   interval: Literal["minute", "hour"] = "hour") -> JSONResponse:
    if interval == "minute" and win.end - win.start > timedelta(minutes=MAX_MINUTE_POINTS):
        raise ProblemError(400, "a per-minute series covers at most 7 days; use interval=hour", "bad-time-range")
    if flt.source_ip is not None:
        raise ProblemError(400, "metrics are not kept per source IP; use /v1/metrics/top?by=sources", "bad-filter")
    points = analytics.series(_ch(request), who.tenant, win, flt, interval)
    # up to 10,080 points: serialised here directly (the documented Series shape) rather than validated one by one
    for p in points:
        p["time"] = p["time"].strftime("%Y-%m-%dT%H:%M:%SZ")
    return JSONResponse({"interval": interval, "points": points})


@router.get("/metrics/top", response_model=Top, summary="Top sources, targets or attack types by hits")
def metrics_top(request: Request, who: Principal = Depends(require(*READERS)), win: Window = Depends(window),
                flt: Filters = Depends(filters), by: Literal["sources", "targets", "types"] = "sources",
                limit: int = Query(10, ge=1, le=100)) -> Top:
    return Top(by=by, items=analytics.top(_ch(request), who.tenant, win, flt, by, limit))


@router.get("/endpoints", response_model=Page[Endpoint], summary="API inventory discovered from traffic")
def list_endpoints(request: Request, who: Principal = Depends(require(*READERS)), limit: int = Depends(page_limit),
                   host: Optional[str] = Query(None, max_length=255),
                   method: Optional[str] = Query(None, max_length=32),
                   cursor: Optional[str] = CURSOR_QUERY) -> Page[Endpoint]:
    items, nxt = analytics.endpoints(_ch(request), who.tenant, host, method, limit,
                                     decode_cursor(cursor, (str, str, str)))
    return Page[Endpoint](items=items, next_cursor=encode_cursor(nxt) if nxt else None)
