"""API observability: Prometheus metrics on a separate loopback listener (never the API port), by route template."""
from __future__ import annotations

import httpx
from fastapi.testclient import TestClient
from prometheus_client.parser import text_string_to_metric_families

from api.app import create_app
from conftest import settings_for
from tests.streams.harness import free_port


def _samples(text: str) -> dict[tuple[str, tuple], float]:
    return {(s.name, tuple(sorted(s.labels.items()))): s.value
            for fam in text_string_to_metric_families(text) for s in fam.samples}


def test_metrics_listener_counts_routes_auth_failures_and_clickhouse(tmp_path, ch, stack):
    port = free_port()
    settings = settings_for("eu", tmp_path, ch[1], stack, metrics_port=port, auth_fail_limit=3)
    app = create_app(settings)
    with TestClient(app, raise_server_exceptions=False) as client:   # runs the lifespan: the listener starts
        with app.state.rampart.sessions() as s:
            from api import tokens
            token, _ = tokens.create_token(s, "eu", "acme", "analyst")
            s.commit()
        ok = {"Authorization": f"Bearer {token}"}
        assert client.get("/v1/attacks", headers=ok).status_code == 200
        assert client.get("/v1/nodes/12345", headers=ok).status_code == 404
        assert client.get("/v1/attacks").status_code == 401                                   # missing
        assert client.get("/v1/attacks", headers={"Authorization": "Bearer rpt_us_x"}).status_code == 401
        for _ in range(2):
            assert client.get("/v1/attacks", headers={"Authorization": "Bearer rpt_eu_nope"}).status_code == 401
        assert client.get("/v1/attacks", headers={"Authorization": "Bearer rpt_eu_nope"}).status_code == 429
        assert client.get("/no/such/path/123").status_code == 404
        assert client.get("/metrics").status_code == 404          # nothing unauthenticated on the API port

        page = httpx.get(f"http://127.0.0.1:{port}/metrics").text
        m = _samples(page)
        req = "rampart_api_requests_total"
        assert m[(req, (("method", "GET"), ("route", "/v1/attacks"), ("status", "200")))] == 1
        assert m[(req, (("method", "GET"), ("route", "/v1/attacks"), ("status", "401")))] == 4
        assert m[(req, (("method", "GET"), ("route", "/v1/attacks"), ("status", "429")))] == 1
        # a path parameter is reported by its template, unknown paths share one label
        assert m[(req, (("method", "GET"), ("route", "/v1/nodes/{node_id}"), ("status", "404")))] == 1
        assert m[(req, (("method", "GET"), ("route", "unmatched"), ("status", "404")))] == 2
        assert not any("/no/such" in line for line in page.splitlines())
        fail = "rampart_api_auth_failures_total"
        assert m[(fail, (("reason", "missing"),))] == 1
        assert m[(fail, (("reason", "other_region"),))] == 1
        assert m[(fail, (("reason", "invalid"),))] == 2
        assert m[(fail, (("reason", "rate_limited"),))] == 1
        assert m[("rampart_api_clickhouse_query_duration_seconds_count", (("outcome", "ok"),))] >= 1
        assert m[("rampart_api_request_duration_seconds_count", (("method", "GET"), ("route", "/v1/attacks")))] == 6
        # the listener is bound to loopback only
        import socket
        with socket.socket() as probe:
            probe.settimeout(1)
            other = [a for a in {i[4][0] for i in socket.getaddrinfo(socket.gethostname(), None, socket.AF_INET)}
                     if not a.startswith("127.")]
            if other:
                assert probe.connect_ex((other[0], port)) != 0
    # the lifespan's end closes the listener
    try:
        httpx.get(f"http://127.0.0.1:{port}/metrics", timeout=1)
        raise AssertionError("metrics listener still up after shutdown")
    except httpx.HTTPError:
        pass
