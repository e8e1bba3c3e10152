"""Bench baseline: the attacks and top-N SQL that scanned every hit of the window (before the pre-aggregations)."""
import math
from typing import Any
from api.analytics import _where, _point, _dt, ATTACK_GAP_SECONDS

def attacks(ch, tenant, win, flt, limit, after, path=None):  # noqa: ANN001 — as api.analytics.attacks was
    params: dict[str, Any] = {"gap": ATTACK_GAP_SECONDS, "limit": limit + 1}
    where = _where(tenant, win, flt, params)
    if path is not None:
        where.append("path = %(path)s"); params["path"] = path
    cond = " AND ".join(where)
    start, end = win.start.timestamp(), win.end.timestamp()
    hi = end if after is None else min(end, after[0] + 1e-6)
    having = ""
    if after is not None:
        having = "HAVING last_ts < %(c_ts)s OR (last_ts = %(c_ts)s AND attack_id > %(c_id)s)"
        params.update(c_ts=after[0], c_id=after[1])
    span, k = 4.0 * ATTACK_GAP_SECONDS, limit + 1
    while True:
        lo = max(start, hi - span)
        whole = lo <= start
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
        FROM (
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
                     "scan_hi": scan_hi, "hi_t": int(scan_hi) + 1})
        bound = groups[k][1] if len(groups) > k else (-math.inf if whole else lo)
        if (len(groups) <= k and whole) or (len(rows) > limit and rows[limit][5] > bound):
            break
        if len(groups) > k:
            k *= 4
        else:
            span *= 4
    items = [{"id": r[11], "type": r[0], "point": _point(r[1]), "host": r[2], "path": r[3],
              "first_seen": _dt(r[4]), "last_seen": _dt(r[5]), "hits": r[6], "sources": r[7],
              "sample_sources": list(r[8]), "sample_value": r[9], "blocked": r[10]} for r in rows[:limit]]
    nxt = [rows[limit - 1][5], rows[limit - 1][11]] if len(rows) > limit else None
    return items, nxt

_TOP_KEYS = {"sources": "client_ip", "targets": "concat(host, path)", "types": "type"}
def top(ch, tenant, win, flt, by, limit):  # noqa: ANN001 — as api.analytics.top was
    params: dict[str, Any] = {"limit": limit}
    where = _where(tenant, win, flt, params) + ["ts >= %(ts0)s", "ts < %(ts1)s"]
    rows = ch.query(f"SELECT {_TOP_KEYS[by]} AS k, count() AS n, uniq(event_id) AS t FROM hits "
                    f"WHERE {' AND '.join(where)} GROUP BY k ORDER BY n DESC, k ASC LIMIT %(limit)s", params)
    return [{"key": r[0], "hits": r[1], "transactions": r[2]} for r in rows]
