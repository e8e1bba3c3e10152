"""Sans-IO pieces of the API: settings loading, the failed-auth limiter, cursors, IP entries, ETags, tokens."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from api import iplists, sync, tokens
from api.problems import ProblemError
from api.query import decode_cursor, encode_cursor
from api.ratelimit import FailedAuthLimiter
from api.settings import load_settings


def test_settings_per_region_and_env_overrides(tmp_path):
    eu = load_settings("eu", env={"RAMPART_HOME": str(tmp_path)})
    us = load_settings("us", env={"RAMPART_HOME": str(tmp_path)})
    assert (eu.port, us.port) == (18080, 18081)
    assert (eu.clickhouse_database, us.clickhouse_database) == ("rampart_eu", "rampart_us")
    assert eu.database_url == f"sqlite:///{tmp_path}/api/eu/control.db" != us.database_url
    assert eu.token_prefix == "rpt_eu_"
    over = load_settings("eu", env={"RAMPART_API_PORT": "9999", "RAMPART_API_AUTH_FAIL_WINDOW": "2.5",
                                    "RAMPART_API_MIGRATE_ON_START": "false", "RAMPART_API_CLICKHOUSE_USER": "x"})
    assert (over.port, over.auth_fail_window, over.migrate_on_start, over.clickhouse_user) == (9999, 2.5, False, "x")
    with pytest.raises(ValueError, match="unknown region"):
        load_settings("mars")
    wrong = tmp_path / "wrong.toml"
    wrong.write_text('region = "us"\n')
    with pytest.raises(ValueError, match="not 'eu'"):
        load_settings("eu", wrong)
    typo = tmp_path / "typo.toml"
    typo.write_text('region = "eu"\nprot = 1\n')
    with pytest.raises(ValueError, match="unknown setting"):
        load_settings("eu", typo)


def test_limiter_window_and_bound():
    now = [0.0]
    lim = FailedAuthLimiter(limit=3, window=10, max_sources=2, clock=lambda: now[0])
    for _ in range(3):
        assert lim.retry_after("a") == 0
        lim.failed("a")
    assert lim.retry_after("a") == pytest.approx(10)
    now[0] = 9.0
    assert lim.retry_after("a") == pytest.approx(1)
    now[0] = 10.5
    assert lim.retry_after("a") == 0
    lim.failed("b"), lim.failed("c"), lim.failed("d")
    assert len(lim._fails) <= 2  # memory stays bounded whatever the number of sources


def test_cursor_roundtrip_and_tampering():
    assert decode_cursor(encode_cursor([1.5, "x", 3]), (float, str, int)) == [1.5, "x", 3]
    assert decode_cursor(None, (int,)) is None
    for bad in ("%%%", encode_cursor(["x"]), encode_cursor([1, 2]), encode_cursor([10**30]), encode_cursor([True]),
                "bnVsbA", encode_cursor([float("nan")])):
        with pytest.raises(ProblemError) as exc:
            decode_cursor(bad, (int,))
        assert exc.value.status == 400


def test_ip_entries():
    assert iplists.normalise(" 203.0.113.7 ") == "203.0.113.7/32"
    assert iplists.display("203.0.113.7/32") == "203.0.113.7"
    assert iplists.normalise("2001:db8::5/64") == "2001:db8::/64"
    with pytest.raises(ValueError):
        iplists.normalise("300.1.1.1")
    now = datetime(2026, 1, 1, tzinfo=timezone.utc)
    assert iplists.expiry(None, 60, now) == now + timedelta(seconds=60)
    assert iplists.expiry(None, None, now) is None
    with pytest.raises(ValueError):
        iplists.expiry(now - timedelta(seconds=1), None, now)
    with pytest.raises(ValueError):
        iplists.expiry(now + timedelta(days=1), 5, now)


def test_etag_matching():
    assert sync.etag_matches('"abc"', '"abc"')
    assert sync.etag_matches('W/"abc", "zzz"', '"abc"')
    assert sync.etag_matches("*", '"abc"')
    assert not sync.etag_matches('"abd"', '"abc"')
    assert not sync.etag_matches(None, '"abc"')


def test_tokens_are_random_and_prefixed():
    a, b = tokens.new_token("eu"), tokens.new_token("eu")
    assert a != b and a.startswith("rpt_eu_") and len(a) == len("rpt_eu_") + 43
    assert tokens.hash_token(a) != tokens.hash_token(b) and len(tokens.hash_token(a)) == 64
    assert not tokens.valid_tenant_name("") and not tokens.valid_tenant_name(" x") and tokens.valid_tenant_name("acme")


def test_migrations_upgrade_existing_data(tmp_path):
    from alembic import command
    from sqlalchemy import text

    from api import migrate
    from api.db import make_engine

    engine = make_engine(f"sqlite:///{tmp_path}/old.db")
    cfg = migrate._config(engine)
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0001")
        conn.execute(text("INSERT INTO tenants (name, created_at) VALUES ('old', '2026-01-01 00:00:00')"))
    assert migrate.current_revision(engine) == "0001"
    assert migrate.upgrade(engine) == migrate.head_revision() == migrate.current_revision(engine)
    with engine.connect() as conn:
        assert conn.execute(text("SELECT name, config_rev FROM tenants")).all() == [("old", 0)]


def test_unknown_and_repeated_query_parameters_are_refused(api_eu):
    h = api_eu.headers("acme", "read_only")
    typo = api_eu.client.get("/v1/hits", headers=h, params={"tpye": "sqli"})
    assert typo.status_code == 400 and "tpye" in typo.json()["detail"]
    twice = api_eu.client.get("/v1/hits?type=sqli&type=xss", headers=h)
    assert twice.status_code == 400 and twice.json()["type"].endswith("/repeated-parameter")
    assert api_eu.client.get("/v1/hits", headers=h, params={"type": "sqli"}).status_code == 200
