"""A private single-node Kafka broker (ports 30092/30093) for tests that stop and restart it."""
from __future__ import annotations

import os
from pathlib import Path

from core.config import StackConfig
from infra.services import KafkaService

ROOT = Path(__file__).resolve().parents[2]
PORT, CONTROLLER_PORT = 30092, 30093  # below the ephemeral range (32768-60999): never a client's local port


def private_broker(home: Path) -> KafkaService:
    """Kafka from the lead's infra code, on its own ports and state folder; jars from the shared cache."""
    shared = StackConfig.from_env(home=os.environ.get("RAMPART_HOME") or str(ROOT / ".rampart"))
    cfg = StackConfig(home=home, cache=shared.cache_dir, kafka_eu_port=PORT,
                      kafka_eu_controller_port=CONTROLLER_PORT, kafka_heap_mb=256)
    return KafkaService("kafka sensortest", cfg, region="eu", start_timeout=120)
