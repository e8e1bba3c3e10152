"""Fixtures for the regional API tests: a fresh ClickHouse database and control-plane DB per test, apps, tokens."""
from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterator

import pytest
from clickhouse_driver import Client
from fastapi import FastAPI
from fastapi.testclient import TestClient

from api import tokens
from api.app import create_app
from api.settings import Settings, load_settings
from core import schema


@pytest.fixture
def ch(stack) -> Iterator[tuple[Client, str]]:
    """A ClickHouse client (default user) and a migrated database of our own, dropped afterwards."""
    client = Client(host="127.0.0.1", port=stack.clickhouse_port)
    db = f"api_test_{uuid.uuid4().hex[:12]}"
    schema.migrate(client, db)
    yield client, db
    client.execute(f"DROP DATABASE IF EXISTS {db}")
    client.disconnect()


def settings_for(region: str, tmp: Path, db: str, stack, **over: Any) -> Settings:
    values: dict[str, Any] = dict(
        database_url=f"sqlite:///{tmp}/{region}-control.db", clickhouse_port=stack.clickhouse_port,
        clickhouse_database=db, clickhouse_user="default", clickhouse_password="", mlflow_url=stack.mlflow_url)
    return load_settings(region).with_overrides(**{**values, **over})


@dataclass
class Api:
    """One regional app under test, with a helper to mint tokens."""

    app: FastAPI
    region: str
    client: TestClient = field(init=False)

    def __post_init__(self) -> None:
        self.client = TestClient(self.app, raise_server_exceptions=False)

    def token(self, tenant: str, role: str) -> str:
        with self.app.state.rampart.sessions() as s:
            tok, _ = tokens.create_token(s, self.region, tenant, role)
            s.commit()
        return tok

    def headers(self, tenant: str, role: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token(tenant, role)}"}


@pytest.fixture
def make_api(tmp_path, ch, stack) -> Callable[..., Api]:
    _client, db = ch

    def make(region: str = "eu", **over: Any) -> Api:
        return Api(create_app(settings_for(region, tmp_path, db, stack, **over)), region)

    return make


@pytest.fixture
def api_eu(make_api) -> Api:
    return make_api("eu")
