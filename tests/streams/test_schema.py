"""core.schema on the local ClickHouse: migrations, views, deduplication and retention."""
from __future__ import annotations

import datetime as dt

import pytest
from clickhouse_driver import Client

from core import schema
from tests.streams.harness import unique

pytestmark = pytest.mark.services


@pytest.fixture
def db(stack):
    client = Client("127.0.0.1", port=stack.clickhouse_port)
    name = unique("rampart_schema_")
    yield client, name
    client.execute(f"DROP DATABASE IF EXISTS {name}")
    client.disconnect()


def tx(i, when, types=(), status=200, verdict="clean"):
    return dict(tenant="t", id=f"e{i}", ts=when.timestamp(), time=when, date=when.date(), node="n",
                client_ip="198.18.0.1", client_port=1, server_ip="198.19.0.1", server_port=80, host="h",
                method="GET", target="/a?b=1", path="/a", status=status, verdict=verdict, action="none",
                hit_count=len(types), types=list(types), req_body_len=5, resp_body_len=7, score=-1.0,
                model_version="", event="{}", src_partition=0, src_offset=i)


def test_migrate_is_idempotent_and_version_aware(db):
    client, name = db
    first = schema.migrate(client, name)
    assert first.applied[:5] == ["transactions", "hits", "metrics_1m", "vulnerabilities", "endpoints"]
    old = first.server < schema.TTL_MIN_SERVER
    assert ("codecs" in first.skipped) == old and ("codecs" in first.applied) == (not old)
    again = schema.migrate(client, name)
    assert again.applied == []
    assert schema.applied_versions(client, name) == [m.version for m in schema.MIGRATIONS
                                                     if not (m.min_server and first.server < m.min_server)]
    tables = {r[0] for r in client.execute(f"SHOW TABLES FROM {name}")}
    assert {"transactions", "hits", "metrics_1m", "metrics_1m_mv", "vulnerabilities", "endpoints",
            "schema_migrations"} <= tables
    cols = client.execute(f"SELECT name, type FROM system.columns WHERE database = '{name}' "
                          "AND table = 'vulnerabilities'")
    assert [tuple(c) for c in cols] == schema.VULNERABILITIES_COLUMNS


def test_views_dedup_and_retention(db):
    client, name = db
    schema.migrate(client, name)
    old = dt.datetime(2020, 1, 1, 10, 0, 5)
    now = dt.datetime(2026, 11, 25, 10, 0, 5)
    rows = [tx(1, now, ["sqli", "xss"], verdict="attack"), tx(2, now, status=404), tx(3, now), tx(4, old)]
    client.execute(f"INSERT INTO {name}.transactions VALUES", rows)
    client.execute(f"INSERT INTO {name}.transactions VALUES", rows[:1])          # a redelivery
    assert client.execute(f"SELECT count() FROM {name}.transactions FINAL")[0][0] == 4
    m = dict(((t, v, s), (r, h)) for t, v, s, r, h in client.execute(
        f"SELECT type, verdict, status_class, sum(requests), sum(hits) FROM {name}.metrics_1m "
        f"WHERE minute = toDateTime('2026-11-25 10:00:00') GROUP BY type, verdict, status_class"))
    assert m[("", "clean", 4)] == (1, 0) and m[("", "clean", 2)] == (1, 0)
    assert m[("sqli", "attack", 2)][0] >= 1 and m[("xss", "attack", 2)][0] >= 1
    # vulnerabilities: a status change is a newer row; FINAL shows the newest only
    v = dict(tenant="t", id="v1", ts=1.0, time=now, host="h", url="http://h/a", method="GET", param="b",
             type="sqli", severity="high", confidence=0.9, title="SQL injection", evidence="{}", status="open",
             source="scan", updated_at=now)
    client.execute(f"INSERT INTO {name}.vulnerabilities VALUES", [v, dict(v, status="false_positive",
                                                                             updated_at=now + dt.timedelta(1))])
    assert client.execute(f"SELECT status FROM {name}.vulnerabilities FINAL")[0][0] == "false_positive"
    # retention is recorded by migrate(retention=...) and left alone by a plain migrate (the worker's)
    schema.migrate(client, name, schema.Retention(30, 31, 32))
    schema.migrate(client, name)
    assert schema.load_retention(client, name) == schema.Retention(30, 31, 32)
    # retention without TTL: only the old day partition goes
    old_hit = dict(zip([c for c, _ in schema.HITS_COLUMNS],
                       ["t", "e-old", 0, 1.0, old, old.date(), "h", "10.0.0.1", "GET", "/a", 200, "sqli",
                        '["get","id"]', "1 or 1=1", "sqli", 0.9, "attack", "reset", "sensor"]))
    client.execute(f"INSERT INTO {name}.hits VALUES", [old_hit])
    dropped = schema.drop_expired_partitions(client, name, schema.Retention(30, 30, 30), today=now.date())
    assert dropped and all("20200101" in d for d in dropped)
    # the API's pre-aggregations of hits expire with the hits they summarise
    assert {d.split(":")[0] for d in dropped} >= {"transactions", "hits", "attack_hours", "hit_tops"}
    assert client.execute(f"SELECT count() FROM {name}.attack_hours WHERE date < '2026-01-01'")[0][0] == 0
    assert client.execute(f"SELECT count() FROM {name}.transactions FINAL")[0][0] == 3


def test_database_names_are_validated():
    assert schema.database_for("eu") == "rampart_eu"
    with pytest.raises(ValueError):
        schema.database_for("eu; DROP")
