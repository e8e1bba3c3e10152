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


def _whole_hours(start: float, end: float) -> tuple[float, float]:
    """[h0, h1): the whole UTC hours inside [start, end); empty (h0 == h1 == start) when there are none."""
    h0, h1 = math.ceil(start / 3600) * 3600.0, math.floor(end / 3600) * 3600.0
    return (h0, h1) if h0 < h1 else (start, start)


def _agg_where(params: dict[str, Any], flt: Filters, path: Optional[str] = None) -> list[str]:
    """Conditions on a pre-aggregated table (tenant, date, hour, host, type) for the whole hours [h0, h1)."""
    where = ["tenant = %(tenant)s", "date >= %(d0)s", "date <= %(d1)s",
             "hour >= toDateTime(%(h0_t)s)", "hour < toDateTime(%(h1_t)s)"]
    if flt.host is not None:
        where.append("host = %(host)s")
    if flt.type is not None:
        where.append("type = %(type)s")
    if path is not None:
        where.append("path = %(path)s")
    return where


# Raw hits outside the whole hours, by hour; `time` bounds let the primary key skip the whole hours.
_RAW_EDGES = ("ts >= %(start)s AND ts < %(end)s AND (ts < %(h0)s OR ts >= %(h1)s) "
              "AND (time < toDateTime(%(h0_t)s) OR time >= toDateTime(%(h1_t)s))")

# Buckets: one hour of one candidate group (first/last hit, hits, blocked, sources, sample value) and the attack
# id the bucket would give an attack starting with it. Whole hours from attack_hours, the edges from raw hits.
_BUCKETS_SQL = """
SELECT type, point, host, path, minMerge(first_ts) AS f, maxMerge(last_ts) AS l, countMerge(hits) AS n,
       sumMerge(blocked) AS bl, groupUniqArrayMerge(sources) AS ips, anyMerge(sample_value) AS v,
       lower(hex(cityHash64(type, point, host, path, f))) AS id
FROM attack_hours
WHERE {agg_cond} AND g IN %(groups)s
GROUP BY g, hour, type, point, host, path
UNION ALL
SELECT type, point, host, path, min(ts) AS f, max(ts) AS l, count() AS n, countIf(action != 'none') AS bl,
       groupUniqArray(client_ip) AS ips, any(value) AS v, lower(hex(cityHash64(type, point, host, path, f))) AS id
FROM hits
PREWHERE cityHash64(type, point, host, path) IN %(groups)s
WHERE {raw_cond} AND """ + _RAW_EDGES + """
GROUP BY type, point, host, path, intDiv(toUInt32(time), 3600)"""


def _sessions(buckets: list[tuple], gap: float) -> list[tuple]:
    """Attacks from buckets: per group in time order, a bucket whose first hit comes more than `gap` after the
    previous bucket's last hit starts a new attack. Rows are (type, point, host, path, first, last, hits,
    sources, sample_sources, sample_value, blocked, id); the id is the first bucket's (a hash of group and
    first hit, computed by ClickHouse as before)."""
    groups: dict[tuple, list[tuple]] = {}
    for b in buckets:
        groups.setdefault(b[:4], []).append(b)
    out: list[tuple] = []
    for key, bs in groups.items():
        bs.sort(key=lambda b: b[4])
        cur: Optional[list[Any]] = None
        for _t, _p, _h, _pa, f, l, n, bl, ips, v, ident in bs:
            if cur is not None and f - cur[1] <= gap:
                cur[1] = max(cur[1], l)
                cur[2] += n
                cur[3].update(ips)
                cur[5] += bl
                continue
            if cur is not None:
                out.append(_attack_row(key, cur))
            cur = [f, l, n, set(ips), v, bl, ident]
        if cur is not None:
            out.append(_attack_row(key, cur))
    return out


def _attack_row(key: tuple, cur: list[Any]) -> tuple:
    first, last, hits, ips, value, blocked, ident = cur
    return (*key, first, last, hits, len(ips), sorted(ips)[:5], value, blocked, ident)


def attacks(ch: ClickHousePool, tenant: str, win: Window, flt: Filters, limit: int,
            after: Optional[list[Any]], path: Optional[str] = None) -> tuple[list[dict[str, Any]], Optional[list[Any]]]:
    """Hits grouped Wallarm-style: same type, point and target (host+path), each within an hour of the previous.

    An attack that began before the window starts at its first hit inside it. Sessionising every group of a busy
    day costs seconds, so only candidate groups are: a group's attacks all end at or before its newest hit, so
    when the page's last attack ends after the newest hit of every group left out, no other group can
    contribute. Candidates are ranked on a recent slice of the window that grows until that holds. They are
    sessionised over the whole window from hour buckets: `attack_hours` (core/schema.py, fed at insert time)
    for the window's whole UTC hours, raw hits for its partial first and last hour. No gap inside one hour
    exceeds an hour, so an attack never splits inside a bucket and joining buckets whose gap is at most an
    hour gives exactly the hit-by-hit grouping. `after` is the cursor (last_seen, id) of the previous page.
    """
    params: dict[str, Any] = {}
    where = _where(tenant, win, flt, params)
    if path is not None:
        where.append("path = %(path)s")
        params["path"] = path
    cond = " AND ".join(where)
    start, end = win.start.timestamp(), win.end.timestamp()
    hi = end if after is None else min(end, after[0] + 1e-6)  # candidates end at or before the cursor
    # whole UTC hours come from attack_hours, the partial first and last hour from raw hits; a source-IP filter
    # is not in the aggregate (an attack of one source is sessionised from that source's hits only): raw
    h0, h1 = _whole_hours(start, end) if flt.source_ip is None else (start, start)
    params.update(start=start, end=end, h0=h0, h1=h1, h0_t=int(h0), h1_t=int(h1))
    agg_where = _agg_where(params, flt, path)
    span, k = float(ATTACK_GAP_SECONDS), limit + 1
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
        buckets = ch.query(_BUCKETS_SQL.format(raw_cond=cond, agg_cond=" AND ".join(agg_where)),
                           {**params, "groups": tuple(g for g, _u in groups[:k])})
        # a page of at most limit+1 attacks from a few thousand buckets: sessionised here, not in three more
        # ClickHouse aggregation stages
        rows = [r for r in _sessions(buckets, ATTACK_GAP_SECONDS)
                if after is None or r[5] < after[0] or (r[5] == after[0] and r[11] > after[1])]
        rows.sort(key=lambda r: (-r[5], r[11]))
        rows = rows[:limit + 1]
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
_TOP_DIMS = {"sources": ("source", "k"), "targets": ("target", "concat(host, k)"), "types": ("type", "t")}


def top(ch: ClickHousePool, tenant: str, win: Window, flt: Filters, by: str, limit: int) -> list[dict[str, Any]]:
    """Top-N by hits with their transactions (per type: uniq, exact for small sets, within ~1% for large ones).

    Whole UTC hours come from `hit_tops` (core/schema.py, fed at insert time), the window's partial first and
    last hour from raw hits; their counts and uniq states merge into the same totals a scan of every hit gives.
    Targets and types by one source IP are not pre-aggregated: those read raw hits only.
    """
    params: dict[str, Any] = {"limit": limit}
    where = _where(tenant, win, flt, params) + ["ts >= %(ts0)s", "ts < %(ts1)s"]
    start, end = win.start.timestamp(), win.end.timestamp()
    h0, h1 = _whole_hours(start, end) if (flt.source_ip is None or by == "sources") else (start, start)
    dim, key = _TOP_DIMS[by]
    params.update(start=start, end=end, h0=h0, h1=h1, h0_t=int(h0), h1_t=int(h1), dim=dim, t=flt.type or "")
    agg = ["tenant = %(tenant)s", "dim = %(dim)s", "date >= %(d0)s", "date <= %(d1)s",
           "hour >= toDateTime(%(h0_t)s)", "hour < toDateTime(%(h1_t)s)"]
    if dim != "type" or flt.type is not None:
        agg.append("t = %(t)s")  # '' rows count every type; a type's rows only its hits and transactions
    if flt.host is not None:
        agg.append("host = %(host)s")
    if flt.source_ip is not None:
        agg.append("k = %(ip)s")
    # Counting stored rows, not FINAL: a hit inserted twice counts twice (FINAL costs ~10x on a busy day); the
    # streams sink's exactly-once restarts keep redelivered events out. Without a type, an event's hits share
    # its source and target, so its hit with idx 0 counts it once (additive over hours: cheap); per type, the
    # distinct event ids of that type's hits (uniq states).
    if dim == "type" or flt.type is not None:
        agg_tx, raw_tx, merge = "transactions", "uniqIfState(event_id, toUInt8(1))", "uniqIfMerge"
    else:
        agg_tx, raw_tx, merge = "firsts", "sumState(toUInt64(idx = 0))", "sumMerge"
    rows = ch.query(f"""
SELECT k, countMerge(h) AS n, {merge}(u) AS t FROM (
    SELECT {key} AS k, hits AS h, {agg_tx} AS u FROM hit_tops WHERE {' AND '.join(agg)}
    UNION ALL
    SELECT {_TOP_KEYS[by]} AS k, countState() AS h, {raw_tx} AS u FROM hits
    WHERE {' AND '.join(where)} AND {_RAW_EDGES} GROUP BY k
) GROUP BY k ORDER BY n DESC, k ASC LIMIT %(limit)s""", params)
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
