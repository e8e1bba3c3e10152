"""Session fixtures: the real local stack (reused when already running), started through infra's own code."""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import pytest

from core.config import StackConfig
from infra.process import StackError
from infra.services import KafkaService
from infra.stack import Stack

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpus"


@dataclass(frozen=True)
class StackInfo:
    """Addresses of the running stack's services, for tests."""

    cfg: StackConfig

    def kafka_bootstrap(self, region: str = "eu") -> str:
        return self.cfg.kafka_bootstrap(region)

    @property
    def clickhouse_port(self) -> int:
        return self.cfg.clickhouse_port

    @property
    def clickhouse_http_port(self) -> int:
        return self.cfg.clickhouse_http_port

    @property
    def mlflow_url(self) -> str:
        return self.cfg.mlflow_url

    @property
    def home(self) -> Path:
        return self.cfg.home


def _stack_config() -> StackConfig:
    home = os.environ.get("RAMPART_HOME") or str(ROOT / ".rampart")
    return StackConfig.from_env(home=home)


@pytest.fixture(scope="session")
def stack() -> StackInfo:
    """The local stack's core services (Kafka EU+US, ClickHouse, MLflow): reused if healthy, else started.

    A service that cannot start fails the test with the service's own reason; nothing is skipped.
    Services started here are left running for the next test session (make test stops them at the end).
    """
    cfg = _stack_config()
    st = Stack(cfg, only=["kafka eu", "kafka us", "clickhouse", "mlflow"])
    try:
        st.up(echo=lambda _m: None)
    except StackError as exc:
        pytest.fail(f"local stack could not start: {exc}", pytrace=False)
    return StackInfo(cfg)


@pytest.fixture(scope="session")
def corpus_dir() -> Path:
    if not (CORPUS / "crs-tests.jsonl").exists():
        pytest.fail(f"labelled corpus not found at {CORPUS}", pytrace=False)
    return CORPUS


@pytest.fixture(scope="module")
def private_kafka(tmp_path_factory, stack) -> KafkaService:
    """A Kafka broker of this test module alone (own ports and state), for tests that stop or flood it."""
    home = tmp_path_factory.mktemp("kafka-home")
    # fixed ports below the kernel's ephemeral range (32768-60999): a port from bind(0) may be taken as the local port
    # of an outgoing connection while the broker is down for a restart test, and the restart then fails
    cfg = StackConfig(home=home, cache=stack.cfg.cache_dir, kafka_eu_port=30094,
                      kafka_eu_controller_port=30095, kafka_heap_mb=256)
    svc = KafkaService("kafka eu", cfg, region="eu", start_timeout=120)
    try:
        svc.up()
    except StackError as exc:
        pytest.fail(f"private Kafka could not start: {exc}", pytrace=False)
    yield svc
    svc.down()
