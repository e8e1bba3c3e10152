"""Transaction events to ClickHouse rows (transactions, hits), in core.schema's column order."""
from __future__ import annotations

import datetime as dt
from functools import lru_cache

import msgspec

from core.events import TransactionEvent
from core.schema import HITS_COLUMNS, TRANSACTIONS_COLUMNS
from streams.behaviour import Detection

TRANSACTION_NAMES = [c for c, _ in TRANSACTIONS_COLUMNS]
HIT_NAMES = [c for c, _ in HITS_COLUMNS]
_UTC = dt.timezone.utc
_json = msgspec.json.Encoder()


def _clamp_ts(ts: float) -> float:
    # DateTime is UInt32 seconds; an absurd sensor clock must not break the insert of a whole batch.
    return min(max(ts, 0.0), 4_294_967_295.0)


def when(ts: float) -> tuple[dt.datetime, dt.date]:
    return _when(int(min(max(ts, 0.0), 4_294_967_295.0)))


@lru_cache(maxsize=4096)       # a batch spans few distinct seconds
def _when(sec: int) -> tuple[dt.datetime, dt.date]:
    t = dt.datetime.fromtimestamp(sec, _UTC).replace(tzinfo=None)
    return t, t.date()


_NO_TYPES: list[str] = []      # shared by every event without hits (never mutated)


def path_of(target: str) -> str:
    return target.split("?", 1)[0].split("#", 1)[0]


def transaction_row(ev: TransactionEvent, raw: bytes, partition: int, offset: int,
                    score: float = -1.0, model_version: str = "") -> tuple:
    """One `transactions` row; `raw` is the event JSON as received, stored verbatim (bytes go to the String
    column as they are: no decode and re-encode of the biggest column)."""
    ts = ev.ts
    if not 0.0 <= ts <= 4_294_967_295.0:
        ts = _clamp_ts(ts)
    t, d = _when(int(ts))
    req, resp, hits = ev.request, ev.response, ev.hits
    target = req.target
    return (
        ev.tenant, ev.id, ts, t, d, ev.node,
        ev.client.ip, ev.client.port & 0xFFFF, ev.server.ip, ev.server.port & 0xFFFF,
        req.host, req.method, target, path_of(target) if "?" in target or "#" in target else target,
        (resp.status & 0xFFFF) if resp else 0, ev.verdict, ev.action,
        min(len(hits), 0xFFFF) if hits else 0, sorted({h.type for h in hits}) if hits else _NO_TYPES,
        req.body_len if req.body_len > 0 else 0, (resp.body_len if resp.body_len > 0 else 0) if resp else 0,
        float(score), model_version, raw, partition, offset,
    )


def hit_rows(ev: TransactionEvent) -> list[tuple]:
    """The `hits` rows of a sensor event, one per hit, keyed by its index in the event."""
    if not ev.hits:
        return []
    t, d = when(ev.ts)
    req = ev.request
    status = (ev.response.status & 0xFFFF) if ev.response else 0
    path = path_of(req.target)
    return [
        (ev.tenant, ev.id, i, _clamp_ts(ev.ts), t, d, req.host, ev.client.ip, req.method, path, status,
         h.type, _json.encode(h.point).decode(), h.value[:256], h.rule, float(h.score), ev.verdict, ev.action,
         "sensor")
        for i, h in enumerate(ev.hits[:0xFFFF])
    ]


def behaviour_hit_row(d: Detection) -> tuple:
    """The `hits` row of a behavioural detection (type brute / dirbust)."""
    t, day = when(d.ts)
    value = f"{d.count} {'auth failures' if d.kind == 'brute' else 'not-found responses'} since {d.first_ts:.0f}"
    return (d.tenant, d.hit_id, 0, _clamp_ts(d.ts), t, day, d.host, d.ip, "", d.path, 0, d.kind,
            _json.encode(["behaviour", d.kind]).decode(), value, f"streams.behaviour.{d.kind}", 1.0,
            "attack", "denylisted", "behaviour")
