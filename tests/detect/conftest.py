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
