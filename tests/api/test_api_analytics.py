"""Analytics endpoints over real ClickHouse rows: attack grouping, hits, transactions, metrics, cursors, filters."""
from __future__ import annotations

import time

from api_testdata import event, insert_events

SQLI = ("sqli", ["get", "id"], "1' or 1=1")
XSS = ("xss", ["get", "q"], "<script>alert(1)</script>")


def _pages(client, path, headers, params, limit):
    items, cursor, pages = [], None, 0
    while True:
        r = client.get(path, headers=headers, params={**params, "limit": limit, **({"cursor": cursor} if cursor else {})})
        assert r.status_code == 200, r.text
        body = r.json()
        items += body["items"]
        pages += 1
        cursor = body["next_cursor"]
        if not cursor:
            return items, pages


def test_attacks_grouped_by_type_point_target_and_hour_gap(api_eu, ch):
    client, db = ch
    base = time.time() - 20 * 3600
    evs = [
        # one attack: three sqli hits on /p id, each within an hour of the previous (spans 100 minutes)
        event("acme", base, "198.51.100.1", target="/p?id=1", hits=[SQLI]),
        event("acme", base + 50 * 60, "198.51.100.2", target="/p?id=2", hits=[SQLI], action="reset"),
        event("acme", base + 100 * 60, "198.51.100.1", target="/p?id=3", hits=[SQLI]),
        # more than an hour later: a new attack on the same type/point/target
        event("acme", base + 100 * 60 + 3601, "198.51.100.3", target="/p?id=4", hits=[SQLI]),
        # another point, another type, another target: separate attacks
        event("acme", base + 10, "198.51.100.1", target="/p?q=x", hits=[XSS]),
        event("acme", base + 20, "198.51.100.1", target="/other?id=1", hits=[SQLI]),
        event("acme", base + 30, "198.51.100.1", target="/p?id=1", host="other.example", hits=[SQLI]),
    ]
    insert_events(client, db, evs)
    h = api_eu.headers("acme", "read_only")
    r = api_eu.client.get("/v1/attacks", headers=h)
    assert r.status_code == 200, r.text
    attacks = r.json()["items"]
    assert len(attacks) == 5
    main = [a for a in attacks if a["path"] == "/p" and a["type"] == "sqli" and a["host"] == "shop.example.com"]
    assert sorted(a["hits"] for a in main) == [1, 3]
    big = next(a for a in main if a["hits"] == 3)
    assert big["sources"] == 2 and big["blocked"] == 1 and big["point"] == ["get", "id"]
    assert sorted(big["sample_sources"]) == ["198.51.100.1", "198.51.100.2"]
    # newest first, and paging one by one yields the same attacks without repeats
    lasts = [a["last_seen"] for a in attacks]
    assert lasts == sorted(lasts, reverse=True)
    paged, pages = _pages(api_eu.client, "/v1/attacks", h, {}, 1)
    assert [a["id"] for a in paged] == [a["id"] for a in attacks] and pages == 5
    # filters
    only_xss = api_eu.client.get("/v1/attacks", headers=h, params={"type": "xss"}).json()["items"]
    assert [a["type"] for a in only_xss] == ["xss"]
    by_ip = api_eu.client.get("/v1/attacks", headers=h, params={"source_ip": "198.51.100.3"}).json()["items"]
    assert [a["hits"] for a in by_ip] == [1]
    other = api_eu.client.get("/v1/attacks", headers=h, params={"host": "other.example"}).json()["items"]
    assert [a["host"] for a in other] == ["other.example"]
    # the time window bounds what is grouped
    narrow = api_eu.client.get("/v1/attacks", headers=h, params={
        "from": _iso(base - 1), "to": _iso(base + 60)}).json()["items"]
    assert sum(a["hits"] for a in narrow) == 4


def _iso(epoch: float) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(epoch))


def test_hits_transactions_cursor_and_duplicates(api_eu, ch):
    client, db = ch
    now = time.time()
    evs = [event("acme", now - 100 - i, f"198.51.100.{i % 4}", target=f"/p?id={i}", hits=[SQLI, XSS])
           for i in range(9)]
    evs += [event("acme", now - 300 - i, "198.51.100.9", target="/clean") for i in range(3)]
    insert_events(client, db, evs)
    insert_events(client, db, evs[:3])  # a redelivery: the API must not show duplicates
    h = api_eu.headers("acme", "analyst")
    hits, pages = _pages(api_eu.client, "/v1/hits", h, {}, 4)
    assert len(hits) == 18 and len({x["id"] for x in hits}) == 18 and pages == 5
    assert [x["ts"] for x in hits] == sorted((x["ts"] for x in hits), reverse=True)
    one = api_eu.client.get("/v1/hits", headers=h, params={"point": '["get", "q"]', "type": "xss"}).json()["items"]
    assert len(one) == 9 and all(x["point"] == ["get", "q"] for x in one)
    txs, _ = _pages(api_eu.client, "/v1/transactions", h, {}, 5)
    assert len(txs) == 12 and len({t["id"] for t in txs}) == 12
    attacks = api_eu.client.get("/v1/transactions", headers=h, params={"verdict": "attack", "type": "xss"}).json()
    assert len(attacks["items"]) == 9
    clean = api_eu.client.get("/v1/transactions", headers=h, params={"path_prefix": "/cle"}).json()["items"]
    assert len(clean) == 3 and all(t["verdict"] == "clean" for t in clean)
    detail = api_eu.client.get(f"/v1/transactions/{evs[0].id}", headers=h).json()
    assert detail["event"]["schema"] == "rampart.transaction/1" and detail["event"]["id"] == evs[0].id
    assert api_eu.client.get("/v1/transactions/nope", headers=h).status_code == 404
    bad = api_eu.client.get("/v1/hits", headers=h, params={"cursor": "not-a-cursor"})
    assert bad.status_code == 400 and bad.headers["content-type"] == "application/problem+json"


def test_metrics_series_and_top(api_eu, ch):
    client, db = ch
    start = (int(time.time()) // 3600 - 5) * 3600  # on an hour boundary, five hours ago
    evs = [event("acme", start + 30, "198.51.100.1", hits=[SQLI]),
           event("acme", start + 90, "198.51.100.1", hits=[SQLI, XSS], action="reset"),
           event("acme", start + 95, "198.51.100.2"),
           event("acme", start + 3600 + 5, "198.51.100.2", hits=[XSS]),
           event("acme", start + 3600 + 6, "198.51.100.3", host="other.example")]
    insert_events(client, db, evs)
    h = api_eu.headers("acme", "read_only")
    win = {"from": _iso(start), "to": _iso(start + 2 * 3600)}
    mins = api_eu.client.get("/v1/metrics/series", headers=h, params={**win, "interval": "minute"}).json()
    assert len(mins["points"]) == 120
    assert [(p["requests"], p["attacks"], p["blocked"], p["hits"]) for p in mins["points"][:2]] == \
        [(1, 1, 0, 1), (2, 1, 1, 2)]
    hours = api_eu.client.get("/v1/metrics/series", headers=h, params={**win, "interval": "hour"}).json()["points"]
    assert [(p["requests"], p["attacks"], p["hits"]) for p in hours] == [(3, 2, 3), (2, 1, 1)]
    typed = api_eu.client.get("/v1/metrics/series", headers=h, params={**win, "type": "xss"}).json()["points"]
    assert [(p["requests"], p["hits"]) for p in typed] == [(1, None), (1, None)]
    host = api_eu.client.get("/v1/metrics/series", headers=h, params={**win, "host": "other.example"}).json()
    assert sum(p["requests"] for p in host["points"]) == 1
    top = api_eu.client.get("/v1/metrics/top", headers=h, params={**win, "by": "sources"}).json()["items"]
    assert top[0] == {"key": "198.51.100.1", "hits": 3, "transactions": 2}
    types = api_eu.client.get("/v1/metrics/top", headers=h, params={**win, "by": "types"}).json()["items"]
    assert {t["key"]: t["hits"] for t in types} == {"sqli": 2, "xss": 2}
    targets = api_eu.client.get("/v1/metrics/top", headers=h, params={**win, "by": "targets", "limit": 1}).json()
    assert targets["items"] == [{"key": "shop.example.com/product", "hits": 4, "transactions": 3}]
    too_long = api_eu.client.get("/v1/metrics/series", headers=h, params={
        "from": "2026-01-01T00:00:00Z", "to": "2026-02-01T00:00:00Z", "interval": "minute"})
    assert too_long.status_code == 400


def _reference_attacks(hits: list[tuple[float, str, str, str]]) -> list[tuple[str, str, float, float, int]]:
    """Plain-Python grouping: (type, path) groups split where the gap to the previous hit exceeds an hour."""
    out = []
    by_group: dict[tuple[str, str], list[float]] = {}
    for ts, typ, path, _ip in hits:
        by_group.setdefault((typ, path), []).append(ts)
    for (typ, path), times in by_group.items():
        times.sort()
        start = prev = times[0]
        count = 0
        for t in times:
            if t - prev > 3600:
                out.append((typ, path, start, prev, count))
                start, count = t, 0
            prev = t
            count += 1
        out.append((typ, path, start, prev, count))
    return sorted(out, key=lambda a: -a[3])


def test_attack_pages_match_a_reference_grouping(api_eu, ch):
    import random

    client, db = ch
    rng = random.Random(11)
    base = time.time() - 22 * 3600
    hits = []
    for _ in range(120):
        typ = rng.choice(["sqli", "xss", "rce"])
        path = f"/r{rng.randrange(6)}"
        hits.append((round(base + rng.random() * 20 * 3600, 3), typ, path, f"198.51.100.{rng.randrange(9)}"))
    insert_events(client, db, [event("acme", ts, ip, target=f"{path}?id=1", hits=[(typ, ["get", "id"], "x")])
                               for ts, typ, path, ip in hits])
    want = _reference_attacks(hits)
    h = api_eu.headers("acme", "read_only")
    whole = api_eu.client.get("/v1/attacks", headers=h, params={"limit": 1000}).json()["items"]
    got = [(a["type"], a["path"], a["hits"]) for a in whole]
    assert got == [(t, p, n) for t, p, _s, _e, n in want]
    for a, (_t, _p, start, end, _n) in zip(whole, want):
        assert abs(_epoch(a["first_seen"]) - start) < 0.01 and abs(_epoch(a["last_seen"]) - end) < 0.01
    for size in (1, 2, 7):
        paged, _ = _pages(api_eu.client, "/v1/attacks", h, {}, size)
        assert [a["id"] for a in paged] == [a["id"] for a in whole], size


def _epoch(iso: str) -> float:
    from datetime import datetime

    return datetime.fromisoformat(iso.replace("Z", "+00:00")).timestamp()


def test_preaggregated_hours_give_the_raw_answer_for_any_window(api_eu, ch):
    """Attacks and top-N read whole hours from attack_hours/hit_tops and the window's edges from raw hits:
    for windows cut at odd seconds (and filters), the answers equal a plain-Python pass over every hit."""
    import random
    from collections import Counter

    client, db = ch
    rng = random.Random(5)
    base = (int(time.time()) // 3600 - 20) * 3600
    hits = []
    for _ in range(150):
        typ = rng.choice(["sqli", "xss"])
        path = f"/r{rng.randrange(3)}"
        hits.append((round(base + rng.random() * 18 * 3600, 3), typ, path, f"198.51.100.{rng.randrange(5)}"))
    # two hits 88 minutes apart inside a window shorter than two hours: the raw edges must split them
    hits += [(base + 19 * 3600 + 60, "rce", "/gap", "198.51.100.9"), (base + 19 * 3600 + 60 + 88 * 60, "rce", "/gap",
                                                                       "198.51.100.9")]
    insert_events(client, db, [event("acme", ts, ip, target=f"{path}?id=1", hits=[(typ, ["get", "id"], "x")])
                               for ts, typ, path, ip in hits])
    h = api_eu.headers("acme", "read_only")
    windows = [(base + 1234.5, base + 17 * 3600 + 77.25), (base + 3 * 3600 + 10, base + 4 * 3600 - 10),
               (base + 19 * 3600 + 30, base + 20 * 3600 + 50 * 60), (base - 3600, base + 21 * 3600)]
    for lo, hi in windows:
        inside = [x for x in hits if lo <= x[0] < hi]
        params = {"from": _iso_exact(lo), "to": _iso_exact(hi)}
        got = api_eu.client.get("/v1/attacks", headers=h, params={**params, "limit": 1000}).json()["items"]
        want = _reference_attacks(inside)
        assert [(a["type"], a["path"], a["hits"]) for a in got] == [(t, p, n) for t, p, _s, _e, n in want], (lo, hi)
        for by, key in (("sources", lambda x: x[3]), ("types", lambda x: x[1]),
                        ("targets", lambda x: "shop.example.com" + x[2])):
            top = api_eu.client.get("/v1/metrics/top", headers=h, params={**params, "by": by, "limit": 100}).json()
            counts = Counter(key(x) for x in inside)
            assert {t["key"]: t["hits"] for t in top["items"]} == dict(counts), (by, lo, hi)
            assert all(t["transactions"] == t["hits"] for t in top["items"])  # one hit per event here
        only = api_eu.client.get("/v1/metrics/top", headers=h, params={
            **params, "by": "targets", "type": "sqli", "source_ip": "198.51.100.1"}).json()["items"]
        want_only = Counter("shop.example.com" + x[2] for x in inside if x[1] == "sqli" and x[3] == "198.51.100.1")
        assert {t["key"]: t["hits"] for t in only} == dict(want_only)
        by_ip = api_eu.client.get("/v1/attacks", headers=h, params={**params, "source_ip": "198.51.100.2",
                                                                    "limit": 1000}).json()["items"]
        want_ip = _reference_attacks([x for x in inside if x[3] == "198.51.100.2"])
        assert [(a["type"], a["path"], a["hits"]) for a in by_ip] == [(t, p, n) for t, p, _s, _e, n in want_ip]


def _iso_exact(epoch: float) -> str:
    from datetime import datetime, timezone

    return datetime.fromtimestamp(epoch, timezone.utc).isoformat().replace("+00:00", "Z")
