"""Turns paired HTTP messages into `core.events.TransactionEvent`s and `RequestView`s for detectors."""
from __future__ import annotations

from typing import Optional
from urllib.parse import urlsplit

import pybase64

from core.events import EMPTY_SHA256, Peer, Request, Response, TransactionEvent
from sensor.config import SensorConfig
from sensor.http import HttpRequest, HttpResponse, RequestView, text
from sensor.reassembly import Flow

ATTACK_SCORE = 0.5   # verdict is "attack" when any hit (protocol or detector) scores at least this


def host_of(req: HttpRequest) -> str:
    if req.host:
        return req.host
    if req.target[:4].lower() == b"http":   # absolute-form target carries the authority
        try:
            return urlsplit(text(req.target)).netloc
        except ValueError:
            return ""
    return ""


def request_view(cfg: SensorConfig, flow: Flow, req: HttpRequest) -> RequestView:
    complete = req.complete and not req.partial
    body = req.decoded_body(cfg, flow.app) if req.complete else req.raw_body
    return RequestView(
        method=req.method, target=text(req.target), version=req.version, headers=req.headers, body=body,
        raw_body_len=req.body_len, host=host_of(req),
        client_ip=flow.client.ip, client_port=flow.client.port, server_ip=flow.server.ip, server_port=flow.server.port,
        headers_complete=req.headers_complete and not req.unresolved, body_complete=complete, body_truncated=req.truncated,
    )


def _body_b64(cfg: SensorConfig, msg, session) -> Optional[str]:
    # inflating also raises the encoding hits, so it happens whatever the event body limit; a body without
    # Content-Encoding is its kept bytes (the common case: no decoded_body bookkeeping)
    body = msg.decoded_body(cfg, session) if msg.encodings else msg.raw_body
    limit = cfg.event_body_limit
    if limit <= 0 or not body:
        return None
    # pybase64 (SIMD): binascii's base64 was ~8% of the replay's instructions (bodies of every event)
    return pybase64.b64encode_as_string(body[:limit])


def build_event(cfg: SensorConfig, flow: Flow, req: HttpRequest, resp: Optional[HttpResponse],
                event_id: str) -> TransactionEvent:
    hits = req.hits
    target = req.target
    try:
        target_s = target.decode()
    except UnicodeDecodeError:
        target_s = target.decode("latin-1")
    request = Request(
        method=req.method, target=target_s, host=req.host or host_of(req), version=req.version,
        headers=req.headers, body_len=req.body_len,
        body_sha256=req.body_sha256 if req.kept or req.sha is not None else EMPTY_SHA256,
        body_truncated=req.truncated, body_b64=_body_b64(cfg, req, flow.app) if req.body_len else None,
    )
    response = None
    if resp is not None:
        response = Response(
            status=resp.status, headers=resp.headers, body_len=resp.body_len, body_truncated=resp.truncated,
            body_b64=_body_b64(cfg, resp, flow.app) if resp.body_len else None,
        )
        if resp.hits:
            hits = hits + resp.hits
    attack = False
    for h in hits:
        if h.score >= ATTACK_SCORE:
            attack = True
            break
    peers = flow.peers
    if peers is None:
        peers = flow.peers = (Peer(flow.client.ip, flow.client.port), Peer(flow.server.ip, flow.server.port))
    return TransactionEvent(
        id=event_id, ts=req.ts, node=cfg.node, tenant=cfg.tenant, client=peers[0], server=peers[1],
        request=request, response=response, hits=hits, verdict="attack" if attack else "clean",
        action=flow.action,
    )
