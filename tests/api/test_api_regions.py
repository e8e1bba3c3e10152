"""Regions share nothing: each API reaches ClickHouse as its region's user, allowed only its own database."""
from __future__ import annotations

import uuid

import pytest
from clickhouse_driver import Client
from clickhouse_driver.errors import ServerException

from api.app import create_app
from api.settings import load_settings
from conftest import Api
from core import schema
from core.clickhouse_users import region_user


@pytest.fixture
def region_databases(stack) -> None:
    """The regional databases as `rampart db migrate` creates them (idempotent)."""
    admin = Client(host="127.0.0.1", port=stack.clickhouse_port)
    for region in ("eu", "us"):
        schema.migrate(admin, schema.database_for(region))
    admin.disconnect()


def _region_api(region: str, tmp_path, stack, **over) -> Api:
    settings = load_settings(region).with_overrides(
        database_url=f"sqlite:///{tmp_path}/{region}-{uuid.uuid4().hex[:6]}.db", clickhouse_port=stack.clickhouse_port,
        mlflow_url=stack.mlflow_url, **over)
    return Api(create_app(settings), region)


def test_region_user_reads_only_its_database(stack, region_databases):
    for region, other in (("eu", "us"), ("us", "eu")):
        user, password = region_user(region)
        cl = Client(host="127.0.0.1", port=stack.clickhouse_port, user=user, password=password)
        assert cl.execute(f"SELECT count() FROM rampart_{region}.hits")[0][0] >= 0
        with pytest.raises(ServerException) as exc:
            cl.execute(f"SELECT count() FROM rampart_{other}.hits")
        assert exc.value.code == 291  # ACCESS_DENIED
        cl.disconnect()


def test_each_api_uses_its_region_user(tmp_path, stack, region_databases):
    for region in ("eu", "us"):
        api = _region_api(region, tmp_path, stack)
        assert api.app.state.rampart.settings.clickhouse_user == f"rampart_{region}"
        assert api.client.get("/ready").json()["checks"]["clickhouse"] == "ok"
        h = api.headers(f"region-{uuid.uuid4().hex[:8]}", "read_only")
        assert api.client.get("/v1/attacks", headers=h).status_code == 200
    # an EU API pointed at the US database (a misconfiguration) is refused by ClickHouse itself
    crossed = _region_api("eu", tmp_path, stack, clickhouse_database="rampart_us")
    assert crossed.client.get("/ready").status_code == 503
    r = crossed.client.get("/v1/attacks", headers=crossed.headers("acme", "read_only"))
    assert r.status_code == 503 and r.headers["content-type"] == "application/problem+json"
    assert "Exception" not in r.text  # no server internals leak to the caller
