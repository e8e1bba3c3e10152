"""Analytics over the region's ClickHouse (core/schema.py tables): attacks, hits, transactions, metrics, inventory."""
from __future__ import annotations

import json
import math
from datetime import datetime, timezone
from typing import Any, Optional

from api.clickhouse import ClickHousePool
from api.query import Filters, Window

ATTACK_GAP_SECONDS = 3600  # a hit joins an attack when it comes within an hour of the attack's previous hit


def _dt(epoch: float) -> datetime:
    return datetime.fromtimestamp(epoch, timezone.utc)


def _point(text: str) -> list[Any]:
    try:
        value = json.loads(text)
    except ValueError:
        return [text]
    return value if isinstance(value, list) else [value]


def _where(tenant: str, win: Window, flt: Filters, params: dict[str, Any], ip_column: str = "client_ip",
           type_column: Optional[str] = "type", time_column: str = "time") -> list[str]:
    """Conditions every analytics query starts with: the caller's tenant first, then window and filters."""
    params.update(tenant=tenant, t0=int(win.start.timestamp()), t1=int(win.end.timestamp()) + 1,
                  ts0=win.start.timestamp(), ts1=win.end.timestamp(),
                  d0=win.start.date(), d1=win.end.date())
    where = ["tenant = %(tenant)s", "date >= %(d0)s", "date <= %(d1)s",
             f"{time_column} >= toDateTime(%(t0)s)", f"{time_column} < toDateTime(%(t1)s)"]
    if flt.host is not None:
        where.append("host = %(host)s")
        params["host"] = flt.host
    if flt.source_ip is not None:
        where.append(f"{ip_column} = %(ip)s")
        params["ip"] = flt.source_ip
    if flt.type is not None and type_column:
        where.append(f"{type_column} = %(type)s" if type_column == "type" else f"has({type_column}, %(type)s)")
        params["type"] = flt.type
    return where


def attacks(ch: ClickHousePool, tenant: str, win: Window, flt: Filters, limit: int,
            after: Optional[list[Any]], path: Optional[str] = None) -> tuple[list[dict[str, Any]], Optional[list[Any]]]:
    """Hits grouped Wallarm-style: same type, point and target (host+path), each within an hour of the previous.

    Grouping runs inside ClickHouse (array functions: it works on 18.16, which has no window functions); an
    attack that began before the window starts at its first hit inside it. Sessionising every group of a busy
    day costs seconds, so only candidate groups are: a group's attacks all end at or before its newest hit, so
    when the page's last attack ends after the newest hit of every group left out, no other group can
    contribute. Candidates are ranked on a recent slice of the window that grows until that holds (dense groups
    make day-long attacks, so the candidates themselves are always sessionised over the whole window).
    `after` is the cursor (last_seen, id) of the previous page.
    """
    params: dict[str, Any] = {"gap": ATTACK_GAP_SECONDS, "limit": limit + 1}
    where = _where(tenant, win, flt, params)
    if path is not None:
        where.append("path = %(path)s")
        params["path"] = path
    cond = " AND ".join(where)
    start, end = win.start.timestamp(), win.end.timestamp()
    hi = end if after is None else min(end, after[0] + 1e-6)  # candidates end at or before the cursor
    having = ""
    if after is not None:
        having = "HAVING last_ts < %(c_ts)s OR (last_ts = %(c_ts)s AND attack_id > %(c_id)s)"
        params.update(c_ts=after[0], c_id=after[1])
    span, k = 4.0 * ATTACK_GAP_SECONDS, limit + 1
    while True:
        lo = max(start, hi - span)
        whole = lo <= start
        # groups by their newest hit in [lo, hi): duplicates cannot change a max, so no FINAL here
        groups = ch.query(f"SELECT cityHash64(type, point, host, path) AS g, max(ts) AS u FROM hits WHERE {cond} "
                          f"AND ts >= %(lo)s AND ts < %(hi)s AND time >= toDateTime(%(lo_t)s) AND time <= toDateTime(%(hi_t)s) "
                          f"GROUP BY g ORDER BY u DESC LIMIT %(k1)s",
                          {**params, "lo": lo, "hi": hi, "k1": k + 1, "lo_t": int(lo), "hi_t": int(hi) + 1})
        if not groups:
            if whole:
                return [], None
            span *= 4
            continue
        scan_hi = end if after is None else min(end, hi + ATTACK_GAP_SECONDS + 1)
        rows = ch.query(f"""
SELECT type, point, host, path, min(hit.1) AS first_ts, max(hit.1) AS last_ts, count() AS hits,
       uniqExact(hit.2) AS sources, arraySlice(groupUniqArray(hit.2), 1, 5) AS sample_sources,
       any(hit.3) AS sample_value, countIf(hit.4 != 'none') AS blocked,
       lower(hex(cityHash64(type, point, host, path, first_ts))) AS attack_id
FROM (
    SELECT type, point, host, path, h,
           arrayCumSum(arrayMap((d, i) -> toUInt32(i = 1 OR d > %(gap)s),
                                arrayDifference(arrayMap(x -> x.1, h)), arrayEnumerate(h))) AS sess
    FROM (
        SELECT type, point, host, path, arraySort(groupArray((h_ts, h_ip, h_value, h_action))) AS h
        FROM (  -- one row per hit even before ClickHouse merges a redelivered duplicate away
            SELECT type, point, host, path, any(ts) AS h_ts, any(client_ip) AS h_ip, any(value) AS h_value,
                   any(action) AS h_action
            FROM hits
            WHERE {cond} AND ts >= %(start)s AND ts < %(scan_hi)s AND time <= toDateTime(%(hi_t)s)
              AND cityHash64(type, point, host, path) IN %(groups)s
            GROUP BY type, point, host, path, event_id, idx
        )
        GROUP BY type, point, host, path
    )
)
ARRAY JOIN h AS hit, sess AS s
GROUP BY type, point, host, path, s
{having}
ORDER BY last_ts DESC, attack_id ASC
LIMIT %(limit)s""", {**params, "start": start, "groups": tuple(g for g, _u in groups[:k]),
                     # hits just after the cursor tell whether an attack continues past it (then it is not ours)
                     "scan_hi": scan_hi, "hi_t": int(scan_hi) + 1})
        bound = groups[k][1] if len(groups) > k else (-math.inf if whole else lo)
        if (len(groups) <= k and whole) or (len(rows) > limit and rows[limit][5] > bound):
            break
        if len(groups) > k:
            k *= 4      # the slice has more groups: take more candidates
        else:
            span *= 4   # the slice ran out of groups: look further back
    items = [{"id": r[11], "type": r[0], "point": _point(r[1]), "host": r[2], "path": r[3],
              "first_seen": _dt(r[4]), "last_seen": _dt(r[5]), "hits": r[6], "sources": r[7],
              "sample_sources": list(r[8]), "sample_value": r[9], "blocked": r[10]} for r in rows[:limit]]
    nxt = [rows[limit - 1][5], rows[limit - 1][11]] if len(rows) > limit else None
    return items, nxt


HIT_COLUMNS = "event_id, idx, ts, host, client_ip, method, path, status, type, point, value, rule, score, " \
              "verdict, action, source"


def _hit(r: tuple) -> dict[str, Any]:
    return {"id": f"{r[0]}:{r[1]}", "transaction_id": r[0], "ts": r[2], "time": _dt(r[2]), "host": r[3],
            "client_ip": r[4], "method": r[5], "path": r[6], "status": r[7], "type": r[8], "point": _point(r[9]),
            "value": r[10], "rule": r[11], "score": round(float(r[12]), 6), "verdict": r[13], "action": r[14],
            "source": r[15]}


def hits(ch: ClickHousePool, tenant: str, win: Window, flt: Filters, limit: int, after: Optional[list[Any]],
         point: Optional[str] = None, path: Optional[str] = None) -> tuple[list[dict[str, Any]], Optional[list[Any]]]:
    params: dict[str, Any] = {"limit": limit + 1}
    where = _where(tenant, win, flt, params) + ["ts >= %(ts0)s", "ts < %(ts1)s"]
    if point is not None:
        where.append("point = %(point)s")
        params["point"] = point
    if path is not None:
        where.append("path = %(path)s")
        params["path"] = path
    if after is not None:  # keyset: (ts, event_id, idx) strictly after the cursor in descending order
        where.append("(ts < %(c_ts)s OR (ts = %(c_ts)s AND (event_id < %(c_ev)s OR "
                     "(event_id = %(c_ev)s AND idx < %(c_idx)s))))")
        params.update(c_ts=after[0], c_ev=after[1], c_idx=after[2])
    # the page's keys first (three narrow columns, duplicates folded by LIMIT 1 BY), then only those rows
    keys = ch.query(f"SELECT ts, event_id, idx FROM hits WHERE {' AND '.join(where)} "
                    f"ORDER BY ts DESC, event_id DESC, idx DESC LIMIT 1 BY event_id, idx LIMIT %(limit)s", params)
    if not keys:
        return [], None
    rows = ch.query(f"SELECT {HIT_COLUMNS} FROM hits WHERE tenant = %(tenant)s AND date >= %(d0)s AND date <= %(d1)s "
                    f"AND time >= toDateTime(%(k0)s) AND time <= toDateTime(%(k1)s) AND (event_id, idx) IN %(keys)s "
                    f"ORDER BY ts DESC, event_id DESC, idx DESC LIMIT 1 BY event_id, idx",
                    {**params, "k0": int(keys[-1][0]), "k1": int(keys[0][0]) + 1,
                     "keys": tuple((e, i) for _t, e, i in keys)})
    items = [_hit(r) for r in rows[:limit]]
    nxt = [rows[limit - 1][2], rows[limit - 1][0], rows[limit - 1][1]] if len(rows) > limit else None
    return items, nxt


def hit(ch: ClickHousePool, tenant: str, event_id: str, idx: int) -> Optional[dict[str, Any]]:
    rows = ch.query(f"SELECT {HIT_COLUMNS} FROM hits FINAL WHERE tenant = %(tenant)s AND event_id = %(ev)s "
                    f"AND idx = %(idx)s LIMIT 1", {"tenant": tenant, "ev": event_id, "idx": idx})
    return _hit(rows[0]) if rows else None


TX_COLUMNS = "id, ts, node, client_ip, server_ip, host, method, target, status, verdict, action, types, score"


def _tx(r: tuple) -> dict[str, Any]:
    return {"id": r[0], "ts": r[1], "time": _dt(r[1]), "node": r[2], "client_ip": r[3], "server_ip": r[4],
            "host": r[5], "method": r[6], "target": r[7], "status": r[8], "verdict": r[9], "action": r[10],
            "types": list(r[11]), "score": round(float(r[12]), 6)}


def transactions(ch: ClickHousePool, tenant: str, win: Window, flt: Filters, limit: int,
                 after: Optional[list[Any]], verdict: Optional[str] = None, method: Optional[str] = None,
                 status: Optional[int] = None, path_prefix: Optional[str] = None
                 ) -> tuple[list[dict[str, Any]], Optional[list[Any]]]:
    params: dict[str, Any] = {"limit": limit + 1}
    where = _where(tenant, win, flt, params, type_column="types") + ["ts >= %(ts0)s", "ts < %(ts1)s"]
    for column, value in (("verdict", verdict), ("method", method), ("status", status)):
        if value is not None:
            where.append(f"{column} = %({column})s")
            params[column] = value
    if path_prefix is not None:
        where.append("startsWith(path, %(prefix)s)")
        params["prefix"] = path_prefix
    if after is not None:
        where.append("(ts < %(c_ts)s OR (ts = %(c_ts)s AND id < %(c_id)s))")
        params.update(c_ts=after[0], c_id=after[1])
    keys = ch.query(f"SELECT ts, id FROM transactions WHERE {' AND '.join(where)} "
                    f"ORDER BY ts DESC, id DESC LIMIT 1 BY id LIMIT %(limit)s", params)
    if not keys:
        return [], None
    rows = ch.query(f"SELECT {TX_COLUMNS} FROM transactions WHERE tenant = %(tenant)s AND date >= %(d0)s "
                    f"AND date <= %(d1)s AND time >= toDateTime(%(k0)s) AND time <= toDateTime(%(k1)s) "
                    f"AND id IN %(keys)s ORDER BY ts DESC, id DESC LIMIT 1 BY id",
                    {**params, "k0": int(keys[-1][0]), "k1": int(keys[0][0]) + 1, "keys": tuple(i for _t, i in keys)})
    items = [_tx(r) for r in rows[:limit]]
    nxt = [rows[limit - 1][1], rows[limit - 1][0]] if len(rows) > limit else None
    return items, nxt


def transaction(ch: ClickHousePool, tenant: str, tx_id: str) -> Optional[dict[str, Any]]:
    rows = ch.query(f"SELECT {TX_COLUMNS}, event FROM transactions FINAL WHERE tenant = %(tenant)s "
                    f"AND id = %(id)s LIMIT 1", {"tenant": tenant, "id": tx_id})
    if not rows:
        return None
    out = _tx(rows[0])
    try:
        event = json.loads(rows[0][13])
    except ValueError:
        event = {"raw": rows[0][13][:4096]}
    out["event"] = event if isinstance(event, dict) else {"raw": event}
    return out


def series(ch: ClickHousePool, tenant: str, win: Window, flt: Filters, interval: str) -> list[dict[str, Any]]:
    """Per-minute or per-hour counters from metrics_1m (SummingMergeTree: always summed), gaps filled with 0."""
    params: dict[str, Any] = {}
    where = _where(tenant, win, Filters(flt.host, None, None), params, time_column="minute")
    bucket = "minute" if interval == "minute" else "toStartOfHour(minute)"
    if flt.type is None:
        where.append("type = ''")
        cols = "sum(requests), sumIf(requests, verdict = 'attack'), sumIf(requests, action != 'none'), sum(hits)"
    else:
        where.append("type = %(type)s")
        params["type"] = flt.type
        cols = "sum(requests), sumIf(requests, verdict = 'attack'), sumIf(requests, action != 'none'), 0"
    rows = ch.query(f"SELECT toUInt32({bucket}) AS b, {cols} FROM metrics_1m WHERE {' AND '.join(where)} "
                    f"GROUP BY b ORDER BY b", params)
    step = 60 if interval == "minute" else 3600
    by_bucket = {r[0]: r for r in rows}
    first = int(win.start.timestamp()) // step * step
    last = int(win.end.timestamp() - 1e-6) // step * step
    if (last - first) // step > 50_000:  # bound the response; the router also caps the window for minutes
        first = last - 50_000 * step
    points = []
    for b in range(first, last + 1, step):
        r = by_bucket.get(b)
        points.append({"time": _dt(b), "requests": r[1] if r else 0, "attacks": r[2] if r else 0,
                       "blocked": r[3] if r else 0, "hits": (r[4] if r else 0) if flt.type is None else None})
    return points


_TOP_KEYS = {"sources": "client_ip", "targets": "concat(host, path)", "types": "type"}


def top(ch: ClickHousePool, tenant: str, win: Window, flt: Filters, by: str, limit: int) -> list[dict[str, Any]]:
    params: dict[str, Any] = {"limit": limit}
    where = _where(tenant, win, flt, params) + ["ts >= %(ts0)s", "ts < %(ts1)s"]
    # count() without FINAL: a redelivered hit not merged away yet counts twice until ClickHouse merges it
    # (FINAL costs ~10x on a busy day); `transactions` is uniq(): exact for small sets, within ~1% for large
    rows = ch.query(f"SELECT {_TOP_KEYS[by]} AS k, count() AS n, uniq(event_id) AS t FROM hits "
                    f"WHERE {' AND '.join(where)} GROUP BY k ORDER BY n DESC, k ASC LIMIT %(limit)s", params)
    return [{"key": r[0], "hits": r[1], "transactions": r[2]} for r in rows]


def _json(text: str, default: Any) -> Any:
    try:
        return json.loads(text) if text else default
    except ValueError:
        return default


def endpoints(ch: ClickHousePool, tenant: str, host: Optional[str], method: Optional[str], limit: int,
              after: Optional[list[Any]]) -> tuple[list[dict[str, Any]], Optional[list[Any]]]:
    params: dict[str, Any] = {"tenant": tenant, "limit": limit + 1}
    where = ["tenant = %(tenant)s"]
    if host is not None:
        where.append("host = %(host)s")
        params["host"] = host
    if method is not None:
        where.append("method = %(method)s")
        params["method"] = method
    if after is not None:
        where.append("(host > %(c_h)s OR (host = %(c_h)s AND (method > %(c_m)s OR "
                     "(method = %(c_m)s AND template > %(c_t)s))))")
        params.update(c_h=after[0], c_m=after[1], c_t=after[2])
    rows = ch.query("SELECT host, method, template, params, sample_target, toUInt32(first_seen), "
                    "toUInt32(last_seen), requests, attacks, statuses FROM endpoints FINAL "
                    f"WHERE {' AND '.join(where)} ORDER BY host, method, template LIMIT %(limit)s", params)
    items = []
    for r in rows[:limit]:
        p = _json(r[3], [])
        st = _json(r[9], {})
        items.append({"host": r[0], "method": r[1], "template": r[2],
                      "params": [x for x in p if isinstance(x, dict)] if isinstance(p, list) else [],
                      "sample_target": r[4], "first_seen": _dt(r[5]), "last_seen": _dt(r[6]), "requests": r[7],
                      "attacks": r[8], "statuses": {str(k): int(v) for k, v in st.items()
                                                    if isinstance(v, (int, float))} if isinstance(st, dict) else {}})
    nxt = list(rows[limit - 1][:3]) if len(rows) > limit else None
    return items, nxt


VULN_COLUMNS = ("id, ts, host, url, method, param, type, severity, confidence, title, evidence, status, source, "
                "toUInt32(updated_at)")


def _vuln(r: tuple) -> dict[str, Any]:
    return {"id": r[0], "first_seen": _dt(r[1]), "host": r[2], "url": r[3], "method": r[4], "param": r[5],
            "type": r[6], "severity": r[7], "confidence": round(float(r[8]), 6), "title": r[9],
            "evidence": _json(r[10], r[10]), "status": r[11] if r[11] in ("open", "closed", "false_positive")
            else "open", "source": r[12], "comment": "", "updated_at": _dt(r[13])}


def vulnerabilities(ch: ClickHousePool, tenant: str, host: Optional[str], limit: int, after: Optional[list[Any]]
                    ) -> tuple[list[dict[str, Any]], Optional[list[Any]]]:
    params: dict[str, Any] = {"tenant": tenant, "limit": limit + 1}
    where = ["tenant = %(tenant)s"]
    if host is not None:
        where.append("host = %(host)s")
        params["host"] = host
    if after is not None:
        where.append("id > %(c_id)s")
        params["c_id"] = after[0]
    rows = ch.query(f"SELECT {VULN_COLUMNS} FROM vulnerabilities FINAL WHERE {' AND '.join(where)} "
                    f"ORDER BY id LIMIT %(limit)s", params)
    items = [_vuln(r) for r in rows[:limit]]
    nxt = [rows[limit - 1][0]] if len(rows) > limit else None
    return items, nxt


def vulnerability(ch: ClickHousePool, tenant: str, vuln_id: str) -> Optional[dict[str, Any]]:
    rows = ch.query(f"SELECT {VULN_COLUMNS} FROM vulnerabilities FINAL WHERE tenant = %(tenant)s AND id = %(id)s "
                    f"LIMIT 1", {"tenant": tenant, "id": vuln_id})
    return _vuln(rows[0]) if rows else None
