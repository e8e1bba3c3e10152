"""Request and response bodies of the API (pydantic), with the examples shown in /openapi.json."""
from __future__ import annotations

from datetime import datetime
from typing import Any, Generic, Literal, Optional, TypeVar, Union

from pydantic import BaseModel, ConfigDict, Field, StrictFloat, StrictInt

T = TypeVar("T")
PointPath = list[Union[str, int]]
ListName = Literal["deny", "gray", "allow"]
VulnState = Literal["open", "closed", "false_positive"]
Mode = Literal["off", "monitoring", "safe_blocking", "block"]


class Page(BaseModel, Generic[T]):
    """One page of a list; pass `next_cursor` back as `cursor` for the next page (null: no more)."""

    items: list[T]
    next_cursor: Optional[str] = Field(None, examples=["WzE3NjQwMDAwMDAuMCwiYWJjIl0"])


class Attack(BaseModel):
    """Hits of one type on one point of one target, each within an hour of the previous one."""

    id: str = Field(examples=["9f2c41d0a8b3e117"])
    type: str = Field(examples=["sqli"])
    point: PointPath = Field(examples=[["get", "id"]])
    host: str = Field(examples=["shop.example.com"])
    path: str = Field(examples=["/product"])
    first_seen: datetime
    last_seen: datetime
    hits: int = Field(examples=[42])
    sources: int = Field(description="Distinct source IPs", examples=[3])
    sample_sources: list[str] = Field(examples=[["198.51.100.7"]])
    sample_value: str = Field(examples=["1' OR '1'='1"])
    blocked: int = Field(description="Hits whose transaction was reset or denylisted", examples=[40])


class Hit(BaseModel):
    id: str = Field(description="`<transaction id>:<index>`", examples=["4be0c7f6a1d24e3f9c1b0a7d8e6f5a4b:0"])
    transaction_id: str
    ts: float = Field(examples=[1764000000.25])
    time: datetime
    host: str
    client_ip: str = Field(examples=["198.51.100.7"])
    method: str = Field(examples=["GET"])
    path: str = Field(examples=["/product"])
    status: int = Field(examples=[200])
    type: str = Field(examples=["sqli"])
    point: PointPath = Field(examples=[["get", "id"]])
    value: str = Field(examples=["1' OR '1'='1"])
    rule: str = Field(examples=["sqli.tautology"])
    score: float = Field(examples=[0.97])
    verdict: str = Field(examples=["attack"])
    action: str = Field(examples=["reset"])
    source: str = Field(examples=["sensor"])
    false_positive: bool = False


class Transaction(BaseModel):
    id: str
    ts: float
    time: datetime
    node: str = Field(examples=["sensor-1"])
    client_ip: str
    server_ip: str
    host: str
    method: str
    target: str = Field(examples=["/product?id=1%27+OR+1%3D1"])
    status: int
    verdict: str
    action: str
    types: list[str] = Field(examples=[["sqli"]])
    score: float = Field(description="Model attack probability, -1 when not scored", examples=[0.91])


class TransactionDetail(Transaction):
    event: dict[str, Any] = Field(description="The full `rampart.transaction/1` event")


class SeriesPoint(BaseModel):
    time: datetime
    requests: int = Field(examples=[1200])
    attacks: int = Field(examples=[14])
    blocked: int = Field(examples=[12])
    hits: Optional[int] = Field(None, description="Hits (null when filtered by type)", examples=[19])


class Series(BaseModel):
    interval: Literal["minute", "hour"]
    points: list[SeriesPoint]


class TopEntry(BaseModel):
    key: str = Field(examples=["198.51.100.7"])
    hits: int = Field(examples=[512])
    transactions: int = Field(examples=[300])


class Top(BaseModel):
    by: Literal["sources", "targets", "types"]
    items: list[TopEntry]


class Endpoint(BaseModel):
    host: str
    method: str
    template: str = Field(examples=["/users/{id}/orders"])
    params: list[dict[str, Any]] = Field(examples=[[{"name": "q", "in": "query", "type": "free text"}]])
    sample_target: str
    first_seen: datetime
    last_seen: datetime
    requests: int
    attacks: int
    statuses: dict[str, int] = Field(examples=[{"200": 10, "404": 1}])


class Vulnerability(BaseModel):
    id: str
    first_seen: datetime
    host: str
    url: str
    method: str
    param: str
    type: str = Field(examples=["sqli"])
    severity: str = Field(examples=["high"])
    confidence: float
    title: str
    evidence: Any = None
    status: VulnState
    source: str = Field(examples=["scan"])
    comment: str = ""


class VulnerabilityUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"status": "closed", "comment": "fixed in 2.3"}]})
    status: VulnState
    comment: str = Field("", max_length=1024)


class RuleIn(BaseModel):
    """A custom rule or virtual patch; `spec` is one rule of the detection rule format (docs/api.md).

    The rule's `name` is its id on the sensors; `kind` is `vpatch` for a `vpatch` action, else `rule`."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{
        "name": "block-old-admin", "kind": "vpatch", "enabled": True, "description": "CVE-2024-0001",
        "spec": {"match": {"path": {"prefix": "/old-admin"}, "method": ["POST"]}, "action": "vpatch",
                 "score": 0.95, "comment": "block the legacy admin until it is removed"}}]})
    name: str = Field(min_length=1, max_length=128, pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
    kind: Literal["rule", "vpatch"] = "rule"
    enabled: bool = True
    description: str = Field("", max_length=4096)
    spec: dict[str, Any]


class RulePatch(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"enabled": False}]})
    enabled: Optional[bool] = None
    description: Optional[str] = Field(None, max_length=4096)
    spec: Optional[dict[str, Any]] = None


class RuleOut(BaseModel):
    id: int
    name: str
    kind: str
    enabled: bool
    description: str
    spec: dict[str, Any]
    created_at: datetime
    updated_at: datetime


class IpEntryIn(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [
        {"list": "deny", "ip": "203.0.113.0/24", "reason": "credential stuffing", "ttl_seconds": 3600}]})
    list: ListName
    ip: str = Field(min_length=2, max_length=64, description="An IPv4/IPv6 address or CIDR network")
    reason: str = Field("", max_length=512)
    expires_at: Optional[datetime] = Field(None, description="Absolute expiry (UTC); or use ttl_seconds")
    ttl_seconds: Optional[int] = Field(None, ge=1, le=10 * 365 * 86400)


class IpEntryPatch(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"ttl_seconds": 600}]})
    reason: Optional[str] = Field(None, max_length=512)
    expires_at: Optional[datetime] = None
    ttl_seconds: Optional[int] = Field(None, ge=1, le=10 * 365 * 86400)
    permanent: bool = Field(False, description="Remove the expiry")


class IpEntryOut(BaseModel):
    id: int
    list: ListName
    ip: str = Field(examples=["203.0.113.0/24"])
    reason: str
    expires_at: Optional[datetime]
    created_at: datetime
    active: bool


class FpMarkIn(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"comment": "search box, not SQL"}]})
    comment: str = Field("", max_length=1024)


class FpMarkOut(BaseModel):
    hit_id: str
    transaction_id: str
    comment: str
    created_at: datetime


class ModelInfo(BaseModel):
    name: str = Field(examples=["rampart-detector"])
    alias: str = Field(examples=["champion"])
    version: str = Field(examples=["3"])
    run_id: Optional[str] = None
    created_at: Optional[datetime] = None
    metrics: dict[str, float] = Field(default_factory=dict, examples=[{"f1": 0.981, "recall": 0.975}])


class NodeRegister(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [
        {"name": "sensor-1", "version": "0.1.0", "mode": "block"}]})
    name: str = Field(min_length=1, max_length=128, pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
    version: str = Field("", max_length=64)
    mode: Mode = "monitoring"


class NodeOut(BaseModel):
    id: int
    name: str
    version: str
    mode: str
    registered_at: datetime
    last_sync_at: Optional[datetime]
    metrics: Optional[dict[str, Any]]
    metrics_at: Optional[datetime]


class NodeMetricsIn(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"metrics": {
        "packets": 120000, "transactions": 3400, "resets_sent": 12, "resets_lost_race": 1}}]})
    metrics: dict[str, Union[StrictInt, StrictFloat]] = Field(max_length=256)
    mode: Optional[Mode] = None
    version: Optional[str] = Field(None, max_length=64)


class SyncIpEntry(BaseModel):
    list: ListName
    ip: str
    expires_at: Optional[datetime]


class SyncRule(BaseModel):
    id: int
    name: str
    kind: str
    spec: dict[str, Any]


class SyncPack(BaseModel):
    """A virtual-patch pack the region publishes (docs/rules.md format); it replaces the node's shipped pack of
    the same name."""

    name: str = Field(examples=["kev-edge"])
    sha256: str
    yaml: str


class SyncPayload(BaseModel):
    """Everything a sensor needs, versioned by the ETag header."""

    etag: str = Field(examples=['"5d41402abc4b2a76"'])
    generated_at: datetime
    rules: list[SyncRule]
    ip_lists: list[SyncIpEntry]
    model: Optional[ModelInfo] = None
    packs: list[SyncPack] = []


class Health(BaseModel):
    status: str = Field(examples=["ok"])
    region: str = Field(examples=["eu"])


class Ready(BaseModel):
    status: str = Field(examples=["ready"])
    region: str
    checks: dict[str, str] = Field(examples=[{"database": "ok", "clickhouse": "ok"}])
