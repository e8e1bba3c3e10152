"""Batching, metric rollups, rows, scoring points and the endpoint inventory (no services)."""
import base64
import datetime as dt
import json

import pytest

from core.events import Hit, Peer, Request, Response, TransactionEvent, encode_event
from core.schema import HITS_COLUMNS, TRANSACTIONS_COLUMNS
from streams.batching import Batcher
from streams.discovery import EndpointInventory
from streams.metrics import MetricsRollup, minute_of
from streams.points import event_points
from streams.rows import hit_rows, transaction_row


def ev(i=0, ts=120.5, status=200, target="/a?x=1", hits=(), verdict="clean", method="GET", body=None,
       ctype=None, host="h"):
    headers = [("Host", host)] + ([("Content-Type", ctype)] if ctype else [])
    return TransactionEvent(
        id=f"e{i}", ts=ts, tenant="t", client=Peer(ip="198.18.0.1", port=1000), server=Peer(ip="198.19.0.1", port=80),
        request=Request(method=method, target=target, host=host, headers=headers, body_len=len(body or b""),
                        body_b64=base64.b64encode(body).decode() if body else None),
        response=Response(status=status, body_len=10) if status else None, hits=list(hits), verdict=verdict)


def test_batcher_size_and_age():
    b = Batcher(3, 1.0)
    assert not b.due(0)
    assert b.add("a", 10.0) is False
    assert not b.due(10.5) and b.wait_time(10.5) == pytest.approx(0.5)
    assert b.due(11.0)
    b.add("b", 11.0)
    assert b.add("c", 11.0) is True and b.take() == ["a", "b", "c"] and len(b) == 0
    with pytest.raises(ValueError):
        Batcher(0, 1)


def test_metrics_rollup_semantics():
    r = MetricsRollup()
    sqli = Hit(type="sqli", point=["get", "x"], value="'", rule="r", score=1)
    xss = Hit(type="xss", point=["get", "x"], value="<", rule="r", score=1)
    r.add(ev(1, hits=[sqli, sqli, xss], verdict="attack"), partition=1)
    r.add(ev(2), partition=1)
    r.add(ev(3, ts=200, status=None), partition=2)
    cells = r.drain()
    assert cells[(1, 120, ("t", "h", "", "attack", "none", 2))] == [1, 3, 0, 10]
    assert cells[(1, 120, ("t", "h", "sqli", "attack", "none", 2))] == [1, 0, 0, 0]
    assert cells[(1, 120, ("t", "h", "", "clean", "none", 2))] == [1, 0, 0, 10]
    assert cells[(2, 180, ("t", "h", "", "clean", "none", 0))] == [1, 0, 0, 0]
    assert sum(v[0] for (_p, _m, k), v in cells.items() if k[2] == "") == 3
    assert r.drain() == {} and minute_of(59.9) == 0


def test_rows_follow_schema_columns():
    e = ev(7, hits=[Hit(type="xss", point=["get", "x", 0], value="v" * 300, rule="r1", score=0.5)], verdict="attack")
    raw = encode_event(e)
    row = transaction_row(e, raw, 2, 99, 0.25, "m/3")
    assert len(row) == len(TRANSACTIONS_COLUMNS)
    d = dict(zip([c for c, _ in TRANSACTIONS_COLUMNS], row))
    assert d["path"] == "/a" and d["types"] == ["xss"] and d["status"] == 200 and d["hit_count"] == 1
    assert d["time"] == dt.datetime(1970, 1, 1, 0, 2) and d["src_partition"] == 2 and d["src_offset"] == 99
    assert json.loads(d["event"])["id"] == "e7" and d["score"] == 0.25
    hits = hit_rows(e)
    assert len(hits) == 1 and len(hits[0]) == len(HITS_COLUMNS)
    h = dict(zip([c for c, _ in HITS_COLUMNS], hits[0]))
    assert h["point"] == '["get","x",0]' and len(h["value"]) == 256 and h["source"] == "sensor"


def test_absurd_timestamps_are_clamped():
    row = transaction_row(ev(ts=1e12), b"{}", 0, 0)
    assert row[3] == dt.datetime(2106, 2, 7, 6, 28, 15)


def test_event_points():
    e = ev(target="/s?q=abc&n=1", method="POST", body=b'{"user":"bob","age":3}', ctype="application/json",
           hits=[Hit(type="sqli", point=["get", "q"], value="abc", rule="r", score=1)])
    pts = event_points(e)
    assert ('["get","q"]', "abc") in pts and ('["get","n"]', "1") in pts
    assert ('["post","json_doc","hash","user"]', "bob") in pts and ('["post","json_doc","hash","age"]', "3") in pts
    assert len(pts) == len(set(pts))
    form = ev(method="POST", body=b"a=1&b=x%20y", ctype="application/x-www-form-urlencoded")
    assert ('["post","form_urlencoded","b"]', "x y") in event_points(form)


def test_inventory_templates_types_and_bounds():
    inv = EndpointInventory(max_endpoints=3)
    inv.observe(ev(1, ts=10, target="/users/1?page=2&email=a@b.io"))
    inv.observe(ev(2, ts=20, target="/users/2?page=x"))
    inv.observe(ev(3, ts=5, target="/users/3", status=404))               # 404: not an endpoint
    inv.observe(ev(4, ts=30, target="/users/4?page=1' or 1=1", verdict="attack"))
    ep = inv.endpoints[("t", "h", "GET", "/users/{id}")]
    assert (ep.requests, ep.attacks, ep.first_seen, ep.last_seen) == (3, 1, 10, 30)
    assert ep.params == {("path", "2"): "int", ("query", "page"): "text", ("query", "email"): "email"}
    assert ep.sample_target == "/users/2?page=x"
    rows = inv.drain_rows(100)
    assert len(rows) == 1 and json.loads(rows[0][4])[0] == {"name": "2", "in": "path", "type": "int"}
    assert inv.drain_rows(100) == []
    for i in range(5):
        inv.observe(ev(10 + i, ts=40 + i, target=f"/p{i}"))
    assert len(inv) == 3


@pytest.mark.parametrize("stopping", [False, True])
def test_a_batch_stored_while_the_worker_stops_is_left_uncommitted_without_touching_the_table(stopping):
    # Faust flushes its producer buffer when the worker begins to stop; a metrics-changelog write after that reaches
    # a stopping producer and Faust crashes the worker (exit 1 on SIGTERM). Pipeline.store checks after its I/O:
    # stopping, the table is left alone and the batch stays uncommitted (redelivered to the next owner).
    import asyncio
    import types

    from streams.app import Pipeline

    calls = []

    async def nothing() -> None:
        return None

    fake = types.SimpleNamespace(
        cfg=None, stats=types.SimpleNamespace(stored=0), stopping=lambda: stopping, deliver=nothing,
        insert=lambda *a, **k: nothing(), _transactions_insert=lambda rows: None,
        _update_metrics_table=lambda cells: calls.append(cells))
    batch = types.SimpleNamespace(good=[], dead=[], scores=[], label="", tx_rows=[("row",)], h_rows=[],
                                  detections=[], cells={"cell": 1}, stored_seconds=0.0)
    if stopping:
        with pytest.raises(asyncio.CancelledError):
            asyncio.run(Pipeline.store(fake, batch))
        assert calls == []
    else:
        asyncio.run(Pipeline.store(fake, batch))
        assert calls == [{"cell": 1}] and batch.stored_seconds > 0
    assert fake.stats.stored == 1     # the rows were stored either way (a redelivery finds them)
