"""The endpoint inventory: host, method, path template, typed parameters, first/last seen and counts."""
from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field

from core.events import TransactionEvent
from streams.points import Params, request_params
from streams.rows import when
from streams.templates import infer_type, merge_types, template_path

MAX_PARAMS = 64            # per endpoint
MAX_STATUSES = 32


@dataclass
class Endpoint:
    tenant: str
    host: str
    method: str
    template: str
    sample_target: str
    first_seen: float
    last_seen: float
    requests: int = 0
    attacks: int = 0
    params: dict[tuple[str, str], str] = field(default_factory=dict)   # (in, name) -> type
    statuses: dict[str, int] = field(default_factory=dict)

    def row(self, now: float) -> tuple:
        params = [{"name": n, "in": where, "type": t} for (where, n), t in sorted(self.params.items())]
        return (self.tenant, self.host, self.method, self.template, json.dumps(params, separators=(",", ":")),
                self.sample_target[:2048], when(self.first_seen)[0], when(self.last_seen)[0], self.requests,
                self.attacks, json.dumps(self.statuses, sort_keys=True, separators=(",", ":")), when(now)[0])


class EndpointInventory:
    """Aggregates events into endpoints (bounded: at most `max_endpoints`, least recently seen dropped).

    Responses 404 and requests without a response do not create endpoints: forced browsing and scanners
    must not flood the inventory with paths that do not exist.
    """

    def __init__(self, max_endpoints: int = 50_000) -> None:
        self.max_endpoints = max_endpoints
        self.endpoints: dict[tuple[str, str, str, str], Endpoint] = {}
        self.dirty: set[tuple[str, str, str, str]] = set()

    def __len__(self) -> int:
        return len(self.endpoints)

    def observe(self, ev: TransactionEvent, params: Params | None = None) -> Endpoint | None:
        resp = ev.response
        if resp is None or resp.status == 404 or not ev.request.host:
            return None
        req = ev.request
        tpl, path_ids = template_path(req.target)
        key = (ev.tenant, req.host.lower(), req.method.upper(), tpl)
        ep = self.endpoints.get(key)
        if ep is None:
            if len(self.endpoints) >= self.max_endpoints:
                oldest = min(self.endpoints, key=lambda k: self.endpoints[k].last_seen)
                del self.endpoints[oldest]
                self.dirty.discard(oldest)
            ep = self.endpoints[key] = Endpoint(*key, sample_target=req.target, first_seen=ev.ts,
                                                last_seen=ev.ts)
        ep.first_seen = min(ep.first_seen, ev.ts)
        if ev.ts >= ep.last_seen:
            ep.last_seen = ev.ts
        ep.requests += 1
        if ev.verdict == "attack":
            ep.attacks += 1
        else:
            ep.sample_target = req.target       # prefer a benign example for scanners
        st = str(resp.status)
        if st in ep.statuses or len(ep.statuses) < MAX_STATUSES:
            ep.statuses[st] = ep.statuses.get(st, 0) + 1
        if ev.verdict != "attack":               # attack payloads would widen every type to text
            for idx, kind in path_ids:
                self._param(ep, "path", str(idx), kind)
            query, body = params if params is not None else request_params(ev)
            for k, v in query:
                self._param(ep, "query", k, infer_type(v))
            for _point, k, v in body:
                self._param(ep, "body", k, infer_type(v))
        self.dirty.add(key)
        return ep

    @staticmethod
    def _param(ep: Endpoint, where: str, name: str, kind: str) -> None:
        key = (where, name[:128])
        old = ep.params.get(key)
        if old is None:
            if len(ep.params) < MAX_PARAMS:
                ep.params[key] = kind
        else:
            ep.params[key] = merge_types(old, kind)

    def load(self, ep: Endpoint) -> None:
        """Seed an endpoint from storage so counts continue across restarts."""
        self.endpoints[(ep.tenant, ep.host, ep.method, ep.template)] = ep

    def drain_rows(self, now: float) -> list[tuple]:
        """Rows (core.schema ENDPOINTS_COLUMNS order) of endpoints changed since the last drain."""
        rows = [self.endpoints[k].row(now) for k in sorted(self.dirty) if k in self.endpoints]
        self.dirty.clear()
        return rows


def endpoint_from_row(row: dict) -> Endpoint:
    """An Endpoint back from a `SELECT ... FROM endpoints FINAL` row (as a dict)."""
    params = {(p["in"], p["name"]): p["type"] for p in json.loads(row["params"] or "[]")}
    return Endpoint(row["tenant"], row["host"], row["method"], row["template"], row["sample_target"],
                    _ts(row["first_seen"]),
                    _ts(row["last_seen"]), int(row["requests"]), int(row["attacks"]), params,
                    json.loads(row["statuses"] or "{}"))


def _ts(d: dt.datetime) -> float:
    return d.replace(tzinfo=dt.timezone.utc).timestamp()
