"""The local stack: which services run, in which order; up, down and status over all of them."""
from __future__ import annotations

from dataclasses import dataclass

from core.config import StackConfig
from infra.process import StackError
from infra.services import ClickHouseService, KafkaService, MlflowService, PythonService, Service


def build_services(cfg: StackConfig) -> list[Service]:
    """Every service of the local stack, in start order (later entries may depend on earlier ones)."""
    return [
        KafkaService("kafka eu", cfg, region="eu"),
        KafkaService("kafka us", cfg, region="us"),
        ClickHouseService("clickhouse", cfg),
        MlflowService("mlflow", cfg),
        *(PythonService(f"api {r}", cfg, args=["api", "serve", "--region", r, "--port", str(getattr(cfg, f"api_{r}_port"))],
                        health_url=f"{cfg.api_url(r)}/health", url=cfg.api_url(r)) for r in ("eu", "us")),
        *(PythonService(f"worker {r}", cfg, args=["streams", "worker", "--region", r, "--web-port",
                                                  str(getattr(cfg, f"worker_{r}_port"))],
                        health_url=f"http://127.0.0.1:{getattr(cfg, f'worker_{r}_port')}/health",
                        url=f"http://127.0.0.1:{getattr(cfg, f'worker_{r}_port')}") for r in ("eu", "us")),
    ]


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
