"""Worker settings (one regional worker: Kafka, ClickHouse, MLflow, batching, thresholds, retention)."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from core import topics
from core.schema import database_for
from streams.behaviour import BehaviourConfig


@dataclass
class WorkerConfig:
    region: str = "eu"
    kafka_bootstrap: str = "127.0.0.1:19092"
    clickhouse_host: str = "127.0.0.1"
    clickhouse_port: int = 19000
    database: str = ""                       # defaults to rampart_<region>
    mlflow_url: str = ""                     # '' = scoring off
    model_name: str = "rampart-detector"
    model_alias: str = "champion"
    model_poll_seconds: float = 10.0
    app_id: str = ""                         # Kafka consumer group; defaults to rampart-streams-<region>
    topic: str = topics.TRANSACTIONS
    scores_topic: str = topics.SCORES
    denylist_topic: str = topics.DENYLIST
    dead_letter_topic: str = topics.DEAD_LETTER
    partitions: int = 3                      # of the transactions topic (tables are co-partitioned)
    batch_size: int = 20000                  # an upper bound: light streams hand over batches much sooner
    batch_seconds: float = 0.25
    endpoint_flush_seconds: float = 5.0
    denylist_check_seconds: float = 30.0     # how often expired entries get their tombstone
    retry_initial: float = 0.5
    retry_max: float = 10.0
    web_port: int = 0                        # 0 = no web server (health page)
    web_host: str = "127.0.0.1"              # 0.0.0.0 in a container, for probes and Prometheus
    datadir: Path = field(default_factory=lambda: Path(".rampart/streams"))
    behaviour: BehaviourConfig = field(default_factory=BehaviourConfig)
    migrate: bool = True                     # apply pending migrations at start-up
    revoke_wait_seconds: float = 30.0        # on rebalance, how long to let an in-flight batch finish

    def __post_init__(self) -> None:
        self.database = self.database or database_for(self.region)
        self.app_id = self.app_id or f"rampart-streams-{self.region}"

    @property
    def faust_id(self) -> str:
        """Faust app id (its own consumer group, table changelogs). The transactions offsets are committed in
        the group `app_id` by the bulk reader, which never joins a group: Kafka refuses such commits in a group
        with live members, so Faust's group is a different one."""
        return f"{self.app_id}-faust"
