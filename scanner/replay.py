"""Attack replay: for hits the sensor recorded against in-scope hosts, probe the same point with safe payloads."""
from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass, field
from typing import Iterable, Optional
from urllib.parse import parse_qsl, urlsplit

from core.events import Hit, TransactionEvent
from scanner.checks import BY_TYPE
from scanner.checks.base import Context
from scanner.endpoints import Endpoint, Param
from scanner.finding import Finding
from scanner.passive import event_url
from scanner.scope import Scope

# Sensor hit types mapped to the active check that can confirm them (others are not replayable).
HIT_TO_CHECK = {"sqli": "sqli", "xss": "xss", "rce": "rce", "ptrav": "ptrav", "ssti": "ssti", "crlf": "crlf",
                "ssrf": "ssrf", "rfi": "ssrf"}


@dataclass
class ReplayStats:
    hits: int = 0
    replayed: int = 0
    confirmed: int = 0
    skipped: dict[str, int] = field(default_factory=dict)   # reason -> count

    def skip(self, reason: str) -> None:
        self.skipped[reason] = self.skipped.get(reason, 0) + 1


def _body(ev: TransactionEvent) -> bytes:
    if not ev.request.body_b64:
        return b""
    try:
        return base64.b64decode(ev.request.body_b64)
    except (binascii.Error, ValueError):
        return b""


def _flatten(doc: object, prefix: str = "") -> list[tuple[str, str]]:
    if isinstance(doc, dict):
        out: list[tuple[str, str]] = []
        for k, v in doc.items():
            out += _flatten(v, f"{prefix}{k}.")
        return out
    return [(prefix[:-1], "" if doc is None else str(doc))] if prefix else []


def endpoint_for_hit(ev: TransactionEvent, hit: Hit) -> Optional[tuple[Endpoint, Param]]:
    """The endpoint of the attacked request, with every point at its recorded value except the attacked one.

    The attacked point gets a benign value: the scanner's own safe probes replace the attacker's payload.
    """
    url = event_url(ev)
    parts = urlsplit(ev.request.target)
    params: list[Param] = [Param("query", k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)]
    ctype = next((v for k, v in ev.request.headers if k.lower() == "content-type"), "").lower()
    body = _body(ev)
    if body and "x-www-form-urlencoded" in ctype:
        params += [Param("form", k, v) for k, v in parse_qsl(body.decode("utf-8", "replace"), keep_blank_values=True)]
    elif body and "json" in ctype:
        try:
            params += [Param("json", k, v) for k, v in _flatten(json.loads(body))]
        except ValueError:
            pass
    point = [str(p) for p in hit.point]
    target: Optional[Param] = None
    if len(point) >= 2 and point[0] == "get":
        target = Param("query", point[1], "1")
    elif len(point) >= 3 and point[0] == "post" and point[1] == "form_urlencoded":
        target = Param("form", point[2], "1")
    elif len(point) >= 3 and point[0] == "post" and point[1] == "json_doc":
        names = [p for p in point[2:] if p not in ("hash", "array") and not p.isdigit()]
        target = Param("json", ".".join(names), "1") if names else None
    elif len(point) >= 2 and point[0] == "header":
        target = Param("header", point[1], "1")
    elif len(point) >= 2 and point[0] == "cookie":
        target = Param("cookie", point[1], "1")
    elif len(point) >= 2 and point[0] == "path" and point[1].isdigit():
        segs = urlsplit(url).path.split("/")
        idx = int(point[1]) + 1                        # ["path", 0] is the first segment after "/"
        if idx < len(segs):
            segs[idx] = "{p%d}" % idx
            scheme_host = url[: len(url) - len(urlsplit(url).path)]
            url = scheme_host + "/".join(segs)
            target = Param("path", f"p{idx}", "1")
    if target is None:
        return None
    params = [p for p in params if not (p.location == target.location and p.name == target.name)] + [target]
    method = ev.request.method.upper() if ev.request.method.upper() in ("GET", "POST", "PUT", "PATCH") else "GET"
    return Endpoint(method, url, tuple(params), "replay"), target


def replay(ctx: Context, scope: Scope, events: Iterable[TransactionEvent], stats: ReplayStats,
           max_replays: int = 500) -> list[Finding]:
    """Confirm recorded attacks; each confirmed one comes back as a finding carrying its `incident`."""
    out: list[Finding] = []
    done: set[tuple] = set()
    for ev in events:
        for hit in ev.hits:
            stats.hits += 1
            check_name = HIT_TO_CHECK.get(hit.type)
            if check_name is None:
                stats.skip(f"hit type {hit.type} not replayable")
                continue
            built = endpoint_for_hit(ev, hit)
            if built is None:
                stats.skip("attacked point not replayable")
                continue
            ep, param = built
            if not scope.allows_url(ep.url.replace("{", "").replace("}", "")):
                stats.skip("host outside the scope")
                continue
            key = (check_name, ep.method, ep.url, param.label)
            if key in done:
                stats.skip("same point already replayed")
                continue
            if len(done) >= max_replays:
                stats.skip("replay limit reached")
                continue
            done.add(key)
            base = ctx.probe(ep, None, "")
            if base is None:
                stats.skip("target unreachable")
                continue
            stats.replayed += 1
            ctx.log(f"replay: {hit.type} on {ep.method} {ep.url} {param.label} (event {ev.id})")
            for f in BY_TYPE[check_name].check(ctx, ep, param, base):
                f.source = "replay"
                f.incident = {"event_id": ev.id, "ts": ev.ts, "tenant": ev.tenant, "client_ip": ev.client.ip,
                              "hit": {"type": hit.type, "point": list(hit.point), "rule": hit.rule,
                                      "value": hit.value[:256]}}
                out.append(f)
                stats.confirmed += 1
    return out
