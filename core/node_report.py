"""The node report (`rampart.node-metrics/1` on rampart.node-metrics.v1): a sensor's counters, as a msgspec struct."""
from __future__ import annotations

import time
from typing import Annotated, Literal, Optional, Union

import msgspec

SCHEMA = "rampart.node-metrics/1"
MAX_COUNTERS = 256
MAX_BYTES = 64 * 1024          # a larger message is refused unread
Mode = Literal["off", "monitoring", "safe_blocking", "block"]
_Name = Annotated[str, msgspec.Meta(min_length=1, max_length=128)]


class NodeReport(msgspec.Struct, kw_only=True):
    """One snapshot of a node's counters; the Kafka key is `tenant|node` (see `key`)."""

    schema: Literal["rampart.node-metrics/1"] = SCHEMA
    tenant: _Name
    node: _Name
    version: Annotated[str, msgspec.Meta(max_length=64)] = ""
    mode: Optional[Mode] = None
    counters: Annotated[dict[str, Union[int, float]], msgspec.Meta(max_length=MAX_COUNTERS)]
    ts: float = msgspec.field(default_factory=time.time)


_decoder = msgspec.json.Decoder(NodeReport)


def key(tenant: str, node: str) -> bytes:
    return f"{tenant}|{node}".encode()


def encode(report: NodeReport) -> tuple[bytes, bytes]:
    """(key, value) of a report as it goes to Kafka."""
    return key(report.tenant, report.node), msgspec.json.encode(report)


def decode(value: bytes) -> NodeReport:
    """Parse and validate a report; raises ValueError with the reason (too large, bad JSON, wrong shape)."""
    if len(value) > MAX_BYTES:
        raise ValueError(f"node report of {len(value)} bytes exceeds {MAX_BYTES}")
    try:
        return _decoder.decode(value)
    except (msgspec.ValidationError, msgspec.DecodeError) as exc:
        raise ValueError(f"invalid node report: {exc}") from None
