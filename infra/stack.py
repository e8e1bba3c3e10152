"""The local stack: which services run, in which order; up, down and status over all of them."""
from __future__ import annotations

from dataclasses import dataclass

from core.config import REGIONS, StackConfig
from infra.process import StackError
from infra.services import ClickHouseService, KafkaService, MlflowService, PythonService, Service


def build_services(cfg: StackConfig) -> list[Service]:
    """Every service of the local stack, in start order (later entries may depend on earlier ones)."""
    return [
        KafkaService("kafka eu", cfg, region="eu"),
        KafkaService("kafka us", cfg, region="us"),
        ClickHouseService("clickhouse", cfg),
        MlflowService("mlflow", cfg),
        *(_api(cfg, r) for r in REGIONS),
        *(_worker(cfg, r) for r in REGIONS),
    ]


def _api(cfg: StackConfig, region: str) -> PythonService:
    port = getattr(cfg, f"api_{region}_port")
    # the API reads RAMPART_API_* overrides: point it at this stack's ClickHouse and MLflow
    return PythonService(f"api {region}", cfg, args=["api", "serve", "--region", region, "--port", str(port)],
                         health_url=f"{cfg.api_url(region)}/health", url=cfg.api_url(region), port=port,
                         extra_env={"RAMPART_API_CLICKHOUSE_PORT": str(cfg.clickhouse_port),
                                    "RAMPART_API_MLFLOW_URL": cfg.mlflow_url,
                                    # node reports: the region's own rampart.node-metrics.v1
                                    "RAMPART_API_KAFKA_BOOTSTRAP": cfg.kafka_bootstrap(region),
                                    # Prometheus on loopback beside the API port (EU 18082, US 18083)
                                    "RAMPART_API_METRICS_PORT": str(port + 2)})


def _worker(cfg: StackConfig, region: str) -> PythonService:
    port = getattr(cfg, f"worker_{region}_port")
    url = f"http://127.0.0.1:{port}"
    return PythonService(f"worker {region}", cfg, port=port, health_url=f"{url}/health", url=url,
                         args=["streams", "worker", "--region", region, "--web-port", str(port),
                               "--kafka", cfg.kafka_bootstrap(region),
                               "--clickhouse", f"127.0.0.1:{cfg.clickhouse_port}", "--mlflow", cfg.mlflow_url])


@dataclass
class ServiceStatus:
    name: str
    address: str
    healthy: bool
    detail: str
    running: bool

    def line(self) -> str:
        state = "healthy" if self.healthy else ("unhealthy" if self.running else "stopped")
        return f"{self.name:<12} {self.address:<28} {state:<9} {self.detail}"


class Stack:
    """The services of one state folder (`cfg.home`)."""

    def __init__(self, cfg: StackConfig, only: list[str] | None = None) -> None:
        self.cfg = cfg
        services = build_services(cfg)
        if only:
            unknown = set(only) - {s.name for s in services}
            if unknown:
                raise StackError(f"unknown service(s): {', '.join(sorted(unknown))}")
            services = [s for s in services if s.name in only]
        self.services = services

    def up(self, echo=print) -> None:
        self.cfg.home.mkdir(parents=True, exist_ok=True)
        for svc in self.services:
            echo(f"{svc.name}: {svc.up()} at {svc.address()}")

    def down(self, echo=print) -> None:
        for svc in reversed(self.services):
            echo(f"{svc.name}: {'stopped' if svc.down() else 'not running'}")

    def status(self) -> list[ServiceStatus]:
        out = []
        for svc in self.services:
            running = svc.running()
            healthy, detail = svc.health() if running else (False, "not running")
            out.append(ServiceStatus(svc.name, svc.address(), healthy, detail, running))
        return out
