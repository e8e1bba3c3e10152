"""The local stack's services: Kafka (KRaft, Maven jars), ClickHouse, MLflow, and Python services."""
from __future__ import annotations

import shutil
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from core.config import StackConfig
from infra.process import StackError, Supervisor, log_tail_reason, port_in_use

POM = Path(__file__).with_name("pom.xml")


def http_ok(url: str, timeout: float = 2.0) -> tuple[bool, str]:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as resp:
            return resp.status == 200, f"HTTP {resp.status}"
    except Exception as exc:  # noqa: BLE001 - any failure means "not healthy", with its reason
        return False, str(getattr(exc, "reason", exc))[:200]


@dataclass
class Service:
    """One background process of the stack. Subclasses say how to prepare, run and probe it."""

    name: str                       # as printed by `stack status`, e.g. "kafka eu"
    cfg: StackConfig
    start_timeout: float = 90.0

    @property
    def slug(self) -> str:
        return self.name.replace(" ", "-")

    @property
    def home(self) -> Path:
        return (self.cfg.home / self.slug).resolve()

    @property
    def supervisor(self) -> Supervisor:
        root = self.cfg.home.resolve()
        return Supervisor(self.slug, root / "run", root / "logs")

    def ports(self) -> list[int]:
        return []

    def address(self) -> str:
        raise NotImplementedError  # every concrete service names its address

    def prepare(self) -> None:
        """Check prerequisites and write config/state; raise StackError with a one-line reason."""

    def argv(self) -> list[str]:
        raise NotImplementedError  # every concrete service has a command line

    def env(self) -> dict[str, str]:
        return {}

    def health(self) -> tuple[bool, str]:
        raise NotImplementedError  # every concrete service has a probe

    # --- lifecycle shared by all services ---
    def running(self) -> bool:
        return self.supervisor.pid() is not None

    def up(self) -> str:
        """Start the service unless it is already healthy; wait until healthy. Returns what was done."""
        sup = self.supervisor
        if sup.pid() is not None:
            ok, _ = self.health()
            if ok:
                return "already running"
            sup.stop()
        for port in self.ports():
            if port_in_use(port):
                raise StackError(f"{self.name}: port {port} on 127.0.0.1 is already in use by another process")
        self.home.mkdir(parents=True, exist_ok=True)
        self.prepare()
        proc = sup.start(self.argv(), env=self.env(), cwd=self.home)
        deadline = time.monotonic() + self.start_timeout
        reason = "no answer"
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                sup.pid_file.unlink(missing_ok=True)
                raise StackError(f"{self.name}: exited with code {proc.returncode}: "
                                 f"{log_tail_reason(sup.log_file, 'no output')} (log: {sup.log_file})")
            ok, reason = self.health()
            if ok:
                return "started"
            time.sleep(0.5)
        sup.stop()
        raise StackError(f"{self.name}: not healthy after {self.start_timeout:.0f}s ({reason}); log: {sup.log_file}")

    def down(self) -> bool:
        return self.supervisor.stop()


@dataclass
class KafkaService(Service):
    """A single-node Apache Kafka 4.x broker+controller in KRaft mode, run from Maven Central jars."""

    region: str = "eu"

    @property
    def port(self) -> int:
        return getattr(self.cfg, f"kafka_{self.region}_port")

    @property
    def controller_port(self) -> int:
        return getattr(self.cfg, f"kafka_{self.region}_controller_port")

    @property
    def libs(self) -> Path:
        return self.cfg.cache_dir / "kafka-libs"

    def ports(self) -> list[int]:
        return [self.port, self.controller_port]

    def address(self) -> str:
        return f"127.0.0.1:{self.port}"

    def java(self) -> str:
        java = shutil.which("java")
        if not java:
            raise StackError(f"{self.name}: java not found on PATH (install OpenJDK 17: apt-get install openjdk-17-jre-headless)")
        return java

    def ensure_jars(self) -> None:
        if any(self.libs.glob("kafka_2.13-*.jar")):
            return
        mvn = shutil.which("mvn")
        if not mvn:
            raise StackError(f"{self.name}: Kafka jars missing in {self.libs} and mvn not found (apt-get install maven)")
        self.libs.mkdir(parents=True, exist_ok=True)
        res = subprocess.run([mvn, "-q", "-B", "-f", str(POM), "dependency:copy-dependencies",
                              f"-DoutputDirectory={self.libs}"], capture_output=True, text=True)
        if res.returncode != 0:
            last = (res.stdout + res.stderr).strip().splitlines()[-1:] or ["no output"]
            raise StackError(f"{self.name}: mvn could not fetch the Kafka jars: {last[0][:300]}")

    def _java_cmd(self, main: str, *args: str, heap: bool = False) -> list[str]:
        cmd = [self.java()]
        if heap:
            mb = self.cfg.kafka_heap_mb
            cmd += [f"-Xms{mb // 2}m", f"-Xmx{mb}m", "-XX:+UseG1GC", "-Djava.awt.headless=true"]
        cmd += [f"-Dlog4j2.configurationFile={self.home / 'log4j2.properties'}",
                "-cp", f"{self.libs}/*", main, *args]
        return cmd

    def prepare(self) -> None:
        self.java()
        self.ensure_jars()
        data = self.home / "data"
        self.home.mkdir(parents=True, exist_ok=True)
        (self.home / "server.properties").write_text(self._properties(data))
        (self.home / "log4j2.properties").write_text(_KAFKA_LOG4J.format(log=self.home / "server.log"))
        meta = data / "meta.properties"
        if data.exists() and any(data.iterdir()):
            props = _read_props(meta)
            if not {"cluster.id", "node.id", "version"} <= props.keys():
                raise StackError(f"{self.name}: data folder {data} is corrupt (meta.properties missing or invalid); "
                                 f"remove it to start afresh")
            return
        cluster = subprocess.run(self._java_cmd("kafka.tools.StorageTool", "random-uuid"),
                                 capture_output=True, text=True, timeout=120)
        if cluster.returncode != 0:
            raise StackError(f"{self.name}: StorageTool random-uuid failed: {cluster.stderr.strip()[-300:]}")
        fmt = subprocess.run(self._java_cmd("kafka.tools.StorageTool", "format", "--standalone", "-t",
                                            cluster.stdout.strip().splitlines()[-1],
                                            "-c", str(self.home / "server.properties")),
                             capture_output=True, text=True, timeout=120)
        if fmt.returncode != 0:
            raise StackError(f"{self.name}: storage format failed: {(fmt.stdout + fmt.stderr).strip()[-300:]}")

    def _properties(self, data: Path) -> str:
        p, c = self.port, self.controller_port
        return "\n".join([
            "process.roles=broker,controller", "node.id=1",
            f"controller.quorum.bootstrap.servers=127.0.0.1:{c}",
            f"listeners=PLAINTEXT://127.0.0.1:{p},CONTROLLER://127.0.0.1:{c}",
            f"advertised.listeners=PLAINTEXT://127.0.0.1:{p},CONTROLLER://127.0.0.1:{c}",
            "controller.listener.names=CONTROLLER", "inter.broker.listener.name=PLAINTEXT",
            "listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT",
            f"log.dirs={data}", "num.partitions=3", "auto.create.topics.enable=true",
            "offsets.topic.replication.factor=1", "offsets.topic.num.partitions=8",
            "transaction.state.log.replication.factor=1", "transaction.state.log.min.isr=1",
            "share.coordinator.state.topic.replication.factor=1", "share.coordinator.state.topic.min.isr=1",
            "group.initial.rebalance.delay.ms=0", "log.retention.hours=168",
            "log.cleaner.dedupe.buffer.size=16777216", "",
        ])

    def argv(self) -> list[str]:
        return self._java_cmd("kafka.Kafka", str(self.home / "server.properties"), heap=True)

    def health(self) -> tuple[bool, str]:
        if not port_in_use(self.port):
            return False, "port closed"
        try:
            from confluent_kafka.admin import AdminClient
            md = AdminClient({"bootstrap.servers": self.address(), "socket.timeout.ms": 2000}).list_topics(timeout=3)
        except Exception as exc:  # noqa: BLE001
            return False, str(exc)[:200]
        return (True, f"{len(md.brokers)} broker") if md.brokers else (False, "no broker in metadata")


def _read_props(path: Path) -> dict[str, str]:
    try:
        lines = path.read_text().splitlines()
    except (OSError, UnicodeDecodeError):
        return {}
    return dict(l.split("=", 1) for l in lines if "=" in l and not l.startswith("#"))


_KAFKA_LOG4J = """\
status = warn
appender.file.type = File
appender.file.name = FILE
appender.file.fileName = {log}
appender.file.layout.type = PatternLayout
appender.file.layout.pattern = [%d] %p %m (%c)%n
appender.out.type = Console
appender.out.name = STDOUT
appender.out.layout.type = PatternLayout
appender.out.layout.pattern = [%d] %p %m (%c)%n
appender.out.filter.threshold.type = ThresholdFilter
appender.out.filter.threshold.level = error
rootLogger.level = info
rootLogger.appenderRef.file.ref = FILE
rootLogger.appenderRef.out.ref = STDOUT
"""


@dataclass
class ClickHouseService(Service):
    """Debian's clickhouse-server on its own data folder and loopback ports, as a plain process."""

    def ports(self) -> list[int]:
        return [self.cfg.clickhouse_port, self.cfg.clickhouse_http_port]

    def address(self) -> str:
        return f"127.0.0.1:{self.cfg.clickhouse_port}"

    def binary(self) -> str:
        for name in ("clickhouse-server", "clickhouse"):
            path = shutil.which(name) or (f"/usr/bin/{name}" if Path(f"/usr/bin/{name}").exists() else None)
            if path:
                return path
        raise StackError(f"{self.name}: clickhouse-server not found (apt-get install clickhouse-server)")

    def prepare(self) -> None:
        self.binary()
        data = self.home / "data"
        for sub in ("tmp", "user_files", "format_schemas"):
            (data / sub).mkdir(parents=True, exist_ok=True)
        (self.home / "users.d").mkdir(exist_ok=True)
        write_region_users(self.home / "users.d")  # per-region API users, each confined to its database
        (self.home / "config.xml").write_text(_CH_CONFIG.format(
            home=self.home, data=data, tcp=self.cfg.clickhouse_port, http=self.cfg.clickhouse_http_port))
        (self.home / "users.xml").write_text(_CH_USERS)

    def argv(self) -> list[str]:
        binary = self.binary()
        prefix = [binary, "server"] if binary.endswith("/clickhouse") else [binary]
        return [*prefix, f"--config-file={self.home / 'config.xml'}"]

    def health(self) -> tuple[bool, str]:
        ok, why = http_ok(f"http://127.0.0.1:{self.cfg.clickhouse_http_port}/ping")
        return (True, "ping Ok") if ok else (False, why)


def write_region_users(users_d: Path) -> Path:
    """Write (or refresh) the per-region users file; ClickHouse reloads users.d by itself while running."""
    from core.clickhouse_users import USERS_D_FILE, users_d_xml

    path = users_d / USERS_D_FILE
    path.write_text(users_d_xml())
    return path


_CH_CONFIG = """<?xml version="1.0"?>
<yandex>
  <logger><level>information</level><log>{home}/server.log</log><errorlog>{home}/server.err.log</errorlog>
    <size>100M</size><count>3</count></logger>
  <listen_host>127.0.0.1</listen_host>
  <tcp_port>{tcp}</tcp_port>
  <http_port>{http}</http_port>
  <path>{data}/</path>
  <tmp_path>{data}/tmp/</tmp_path>
  <user_files_path>{data}/user_files/</user_files_path>
  <format_schema_path>{data}/format_schemas/</format_schema_path>
  <users_config>{home}/users.xml</users_config>
  <default_profile>default</default_profile>
  <default_database>default</default_database>
  <timezone>UTC</timezone>
  <max_connections>1024</max_connections>
  <max_concurrent_queries>100</max_concurrent_queries>
  <mark_cache_size>536870912</mark_cache_size>
  <uncompressed_cache_size>268435456</uncompressed_cache_size>
  <keep_alive_timeout>3</keep_alive_timeout>
  <mlock_executable>false</mlock_executable>
</yandex>
"""

# Local stack only: `default` is reachable from loopback alone. Per-region users go to users.d/.
_CH_USERS = """<?xml version="1.0"?>
<yandex>
  <profiles><default><max_memory_usage>4000000000</max_memory_usage><load_balancing>random</load_balancing></default>
    <readonly><readonly>1</readonly></readonly></profiles>
  <users><default><password></password><networks><ip>::1</ip><ip>127.0.0.1</ip></networks>
    <profile>default</profile><quota>default</quota></default></users>
  <quotas><default><interval><duration>3600</duration><queries>0</queries><errors>0</errors>
    <result_rows>0</result_rows><read_rows>0</read_rows><execution_time>0</execution_time></interval></default></quotas>
</yandex>
"""


@dataclass
class MlflowService(Service):
    """MLflow tracking server: SQLite backend store, proxied artifacts readable by every process."""

    def ports(self) -> list[int]:
        return [self.cfg.mlflow_port]

    def address(self) -> str:
        return self.cfg.mlflow_url

    def prepare(self) -> None:
        (self.home / "artifacts").mkdir(parents=True, exist_ok=True)

    def argv(self) -> list[str]:
        return [sys.executable, "-m", "mlflow", "server",
                "--backend-store-uri", f"sqlite:///{self.home / 'mlflow.db'}",
                "--artifacts-destination", str(self.home / "artifacts"), "--serve-artifacts",
                "--host", "127.0.0.1", "--port", str(self.cfg.mlflow_port), "--workers", "1"]

    def health(self) -> tuple[bool, str]:
        return http_ok(f"{self.cfg.mlflow_url}/health")


@dataclass
class PythonService(Service):
    """A Rampart process of our own (regional API, stream worker), probed by URL or by being alive."""

    args: list[str] = field(default_factory=list)   # the `rampart` CLI arguments
    health_url: str | None = None
    url: str | None = None
    port: int | None = None                          # the port it listens on, checked before start
    extra_env: dict[str, str] = field(default_factory=dict)

    def address(self) -> str:
        return self.url or self.health_url or "-"

    def ports(self) -> list[int]:
        return [self.port] if self.port else []

    def argv(self) -> list[str]:
        return [sys.executable, "-m", "rampart", *self.args]

    def env(self) -> dict[str, str]:
        return {"RAMPART_HOME": str(self.cfg.home.resolve()), **self.extra_env}

    def health(self) -> tuple[bool, str]:
        if self.health_url:
            return http_ok(self.health_url)
        return (True, "process alive") if self.running() else (False, "not running")
