"""Prometheus metrics of one API instance (own registry) and the ASGI middleware that records every request."""
from __future__ import annotations

import time
from typing import Any, Awaitable, Callable, Optional

from prometheus_client import CollectorRegistry, Counter, Histogram
from prometheus_client.exposition import start_wsgi_server

LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.2, 0.3, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)


class ApiMetrics:
    """Counters and histograms of one app instance; served on a separate loopback port, never on the API port."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        r = self.registry
        self.requests = Counter("rampart_api_requests", "HTTP requests by route template, method and status",
                                ["method", "route", "status"], registry=r)
        self.latency = Histogram("rampart_api_request_duration_seconds", "HTTP request latency by route template",
                                 ["method", "route"], buckets=LATENCY_BUCKETS, registry=r)
        self.auth_failures = Counter("rampart_api_auth_failures", "Refused authentications by reason",
                                     ["reason"], registry=r)
        self.clickhouse = Histogram("rampart_api_clickhouse_query_duration_seconds",
                                    "ClickHouse statement latency by outcome", ["outcome"],
                                    buckets=LATENCY_BUCKETS, registry=r)
        self.node_metrics = Counter("rampart_api_node_metrics_messages",
                                    "rampart.node-metrics.v1 messages by result", ["result"], registry=r)
        for reason in ("missing", "other_region", "invalid", "rate_limited"):
            self.auth_failures.labels(reason)           # exported at 0 before the first failure
        for outcome in ("ok", "error"):
            self.clickhouse.labels(outcome)
        for result in ("applied", "unknown_node", "invalid"):
            self.node_metrics.labels(result)
        self._server: Optional[Any] = None

    def observe_clickhouse(self, seconds: float, ok: bool) -> None:
        self.clickhouse.labels("ok" if ok else "error").observe(seconds)

    def serve(self, host: str, port: int) -> int:
        """Start the /metrics HTTP server (a daemon thread); returns the bound port (useful with port 0)."""
        server, _thread = start_wsgi_server(port, addr=host, registry=self.registry)
        self._server = server
        return int(server.server_address[1])

    def close(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None


Scope = dict[str, Any]
Receive = Callable[[], Awaitable[dict[str, Any]]]
Send = Callable[[dict[str, Any]], Awaitable[None]]


class MetricsMiddleware:
    """Times each HTTP request and counts it under its route *template* (`/v1/nodes/{node_id}`), so label
    values stay bounded whatever paths clients send; paths no route matched share the label `unmatched`."""

    def __init__(self, app: Callable[[Scope, Receive, Send], Awaitable[None]], metrics: ApiMetrics) -> None:
        self.app, self.metrics = app, metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = [500]

        async def send_wrapper(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.start":
                status[0] = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, send_wrapper)
        finally:
            route = scope.get("route")
            template = getattr(route, "path", None) or "unmatched"
            method = scope.get("method", "")
            self.metrics.requests.labels(method, template, str(status[0])).inc()
            self.metrics.latency.labels(method, template).observe(time.perf_counter() - started)
