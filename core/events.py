"""The transaction event (contract `rampart.transaction/1`, design §4) and its parts, as msgspec structs."""
from __future__ import annotations

import hashlib
import uuid
from typing import Literal, Optional, Union

import msgspec

SCHEMA = "rampart.transaction/1"
EMPTY_SHA256 = hashlib.sha256(b"").hexdigest()

AttackType = Literal[
    "sqli", "xss", "rce", "ptrav", "rfi", "ssti", "ssi", "xxe", "ssrf", "crlf", "ldapi",
    "nosqli", "mail_injection", "scanner", "protocol", "vpatch", "brute", "dirbust",
]
ATTACK_TYPES: tuple[str, ...] = AttackType.__args__  # type: ignore[attr-defined]
Verdict = Literal["attack", "clean"]
Action = Literal["none", "reset", "denylisted"]
PointPath = list[Union[str, int]]


class Peer(msgspec.Struct, frozen=True):
    ip: str
    port: int


class Request(msgspec.Struct, kw_only=True):
    method: str
    target: str                      # as sent on the wire, undecoded
    host: str = ""
    version: str = "1.1"
    headers: list[tuple[str, str]] = []
    body_len: int = 0
    body_sha256: str = EMPTY_SHA256  # of the de-chunked, not decompressed, body
    body_truncated: bool = False     # extra: body longer than the sensor's body limit
    body_b64: Optional[str] = None   # extra: (decoded) body up to the event body limit, base64


class Response(msgspec.Struct, kw_only=True):
    status: int
    headers: list[tuple[str, str]] = []
    body_len: int = 0
    body_truncated: bool = False
    body_b64: Optional[str] = None


class Hit(msgspec.Struct, kw_only=True):
    type: str
    point: PointPath
    value: str       # at most 256 characters
    rule: str
    score: float     # 0..1

    def __post_init__(self) -> None:
        if len(self.value) > 256:
            self.value = self.value[:256]


class TransactionEvent(msgspec.Struct, kw_only=True):
    schema: str = SCHEMA
    id: str = msgspec.field(default_factory=lambda: uuid.uuid4().hex)
    ts: float
    node: str = ""
    tenant: str = "default"
    client: Peer
    server: Peer
    request: Request
    response: Optional[Response] = None
    hits: list[Hit] = []
    verdict: Verdict = "clean"
    action: Action = "none"


_encoder = msgspec.json.Encoder()
_decoder = msgspec.json.Decoder(TransactionEvent)


def encode_event(event: TransactionEvent) -> bytes:
    """Serialise one event to compact JSON bytes (the same bytes go to JSONL and Kafka)."""
    return _encoder.encode(event)


def decode_event(data: bytes | str) -> TransactionEvent:
    """Parse and validate one event; raises msgspec.ValidationError / DecodeError with the reason."""
    return _decoder.decode(data)


def kafka_key(event: TransactionEvent) -> bytes:
    """Partition key of `rampart.transactions.v1`: `tenant|host`."""
    return f"{event.tenant}|{event.request.host}".encode()
