"""Fixtures for detection tests: one engine per session (hyperscan compile is the slow part)."""
from __future__ import annotations

import pytest

from sensor.detect import Engine
from sensor.detect.rawrequest import RawRequest


@pytest.fixture(scope="session")
def engine() -> Engine:
    return Engine()


def req(target: str = "/", method: str = "GET", headers: list[tuple[str, str]] | None = None, body: bytes = b"",
        host: str = "shop.example") -> RawRequest:
    hs = [("Host", host)] + list(headers or [])
    if body and not any(k.lower() == "content-length" for k, _ in hs):
        hs.append(("Content-Length", str(len(body))))
    return RawRequest(method=method, target=target, version="1.1", host=host, headers=hs, body=body)


def hits_for(engine: Engine, carrier: str, value: str, key: str = "") -> list:
    """The engine's hits on a value sent the way the blind batches send it (tests/detect/wild_benign.build_request)."""
    from tests.detect.wild_benign import build_request

    return engine.inspect(build_request(carrier, value, key))


def strong(hits: list, pred=lambda h: True) -> list:
    """(rule, score) of the hits that decide a verdict (score >= 0.5) and satisfy `pred`: empty means not blocked."""
    return [(h.rule, h.score) for h in hits if h.score >= 0.5 and pred(h)]
