"""Synthetic transaction events for streams tests and benchmarks (valid `rampart.transaction/1`)."""
from __future__ import annotations

import base64
import random
import time
import uuid

from core.events import Hit, Peer, Request, Response, TransactionEvent, encode_event

PATHS = ["/", "/index.html", "/api/users/{n}", "/api/orders/{u}", "/search", "/static/app.js", "/login"]


def make_event(i: int, tenant: str = "t1", host: str = "shop.example", ts: float | None = None,
               rng: random.Random | None = None, attack_every: int = 10, status: int | None = None,
               path: str | None = None, method: str | None = None, client_ip: str | None = None) -> TransactionEvent:
    rng = rng or random.Random(i)
    p = path or rng.choice(PATHS)
    target = p.replace("{n}", str(rng.randint(1, 10_000))).replace("{u}", str(uuid.UUID(int=rng.getrandbits(128))))
    if p == "/search":
        target += f"?q=item{rng.randint(1, 50)}&page={rng.randint(1, 5)}"
    hits: list[Hit] = []
    verdict = "clean"
    if attack_every and i % attack_every == 0:
        target = "/search?q=1%27%20OR%201%3D1--"
        hits = [Hit(type="sqli", point=["get", "q"], value="1' OR 1=1--", rule="sqli-1", score=0.9)]
        if i % (attack_every * 2) == 0:
            hits.append(Hit(type="xss", point=["get", "q"], value="<script>", rule="xss-1", score=0.8))
        verdict = "attack"
    body = None
    m = method or ("POST" if p == "/login" else "GET")
    if m == "POST":
        body = base64.b64encode(b"user=alice&password=secret").decode()
    return TransactionEvent(
        id=f"ev-{uuid.UUID(int=rng.getrandbits(128)).hex}-{i}", ts=ts if ts is not None else time.time(),
        node="node-1", tenant=tenant,
        client=Peer(ip=client_ip or f"198.18.{rng.randint(0, 3)}.{rng.randint(1, 250)}", port=40000 + i % 20000),
        server=Peer(ip="198.19.0.10", port=80),
        request=Request(method=m, target=target, host=host, headers=[("Host", host), ("User-Agent", "curl/8")],
                body_len=len(base64.b64decode(body)) if body else 0, body_b64=body),
        response=Response(status=status if status is not None else rng.choice([200, 200, 200, 304, 404]),
                          body_len=rng.randint(0, 5000)),
        hits=hits, verdict=verdict, action="reset" if verdict == "attack" else "none")


def encoded(ev: TransactionEvent) -> tuple[bytes, bytes]:
    return f"{ev.tenant}|{ev.request.host}".encode(), encode_event(ev)
