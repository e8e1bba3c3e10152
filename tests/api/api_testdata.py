"""Test data for the API tests: events and scanner/discovery rows written as the other components write them."""
from __future__ import annotations

from datetime import datetime, timezone

from clickhouse_driver import Client

from core import schema
from core.events import Hit, Peer, Request, Response, TransactionEvent, encode_event
from streams.rows import HIT_NAMES, TRANSACTION_NAMES, hit_rows, transaction_row


def event(tenant: str, ts: float, ip: str, host: str = "shop.example.com", target: str = "/product?id=1",
          hits: list[tuple[str, list, str]] | None = None, status: int = 200, action: str = "none",
          node: str = "sensor-1") -> TransactionEvent:
    hit_list = [Hit(type=t, point=p, value=v, rule=f"{t}.test", score=0.9) for t, p, v in (hits or [])]
    return TransactionEvent(
        ts=ts, tenant=tenant, node=node, client=Peer(ip=ip, port=40000), server=Peer(ip="198.18.0.2", port=80),
        request=Request(method="GET", target=target, host=host, headers=[("Host", host)]),
        response=Response(status=status), hits=hit_list, verdict="attack" if hit_list else "clean", action=action)


def insert_events(client: Client, db: str, events: list[TransactionEvent]) -> None:
    """Rows exactly as the streams sink writes them (streams/rows.py); metrics_1m follows via its view."""
    tx_rows = [transaction_row(ev, encode_event(ev), 0, 0) for ev in events]
    hit_list = [row for ev in events for row in hit_rows(ev)]
    client.execute(f"INSERT INTO {db}.transactions ({', '.join(TRANSACTION_NAMES)}) VALUES", tx_rows)
    if hit_list:
        client.execute(f"INSERT INTO {db}.hits ({', '.join(HIT_NAMES)}) VALUES", hit_list)


def insert_vulnerability(client: Client, db: str, tenant: str, vuln_id: str, ts: float, status: str = "open") -> None:
    t = datetime.fromtimestamp(ts, timezone.utc).replace(tzinfo=None)
    row = {"tenant": tenant, "id": vuln_id, "ts": ts, "time": t, "host": "shop.example.com",
           "url": "http://shop.example.com/product?id=1", "method": "GET", "param": "id", "type": "sqli",
           "severity": "high", "confidence": 0.9, "title": "SQL injection in id", "evidence": '{"payload": "1\'"}',
           "status": status, "source": "scan", "updated_at": t}
    client.execute(f"INSERT INTO {db}.vulnerabilities ({', '.join(c for c, _ in schema.VULNERABILITIES_COLUMNS)}) "
                   f"VALUES", [tuple(row[c] for c, _ in schema.VULNERABILITIES_COLUMNS)])


def insert_endpoint(client: Client, db: str, tenant: str, template: str, ts: float) -> None:
    t = datetime.fromtimestamp(ts, timezone.utc).replace(tzinfo=None)
    row = {"tenant": tenant, "host": "shop.example.com", "method": "GET", "template": template,
           "params": '[{"name": "id", "in": "query", "type": "int"}]', "sample_target": template,
           "first_seen": t, "last_seen": t, "requests": 5, "attacks": 1, "statuses": '{"200": 5}', "updated_at": t}
    client.execute(f"INSERT INTO {db}.endpoints ({', '.join(c for c, _ in schema.ENDPOINTS_COLUMNS)}) VALUES",
                   [tuple(row[c] for c, _ in schema.ENDPOINTS_COLUMNS)])


def probe_pcap(path, n: int, client_ip: str = "198.18.7.7", host: str = "shop.example", start: float = 1_700_000_000.0):
    """A pcap of n complete HTTP/1.1 exchanges from one client probing missing pages (every answer a 404) —
    forced browsing as a scanner does it — plus one request carrying SQL injection."""
    from scapy.layers.inet import IP, TCP
    from scapy.layers.l2 import Ether
    from scapy.utils import wrpcap

    pkts, t = [], start
    for i in range(n + 1):
        target = f"/backup{i}.zip" if i < n else "/search?q=1%27%20OR%201%3D1--%20x"
        status = b"404 Not Found" if i < n else b"200 OK"
        req = f"GET {target} HTTP/1.1\r\nHost: {host}\r\nUser-Agent: probe\r\n\r\n".encode()
        body = b"nope"
        resp = b"HTTP/1.1 " + status + b"\r\nContent-Length: %d\r\n\r\n" % len(body) + body
        cport, cseq, sseq = 30000 + i, 1000, 9000
        c2s = Ether(src="02:00:00:00:00:01", dst="02:00:00:00:00:02") / IP(src=client_ip, dst="198.19.0.10")
        s2c = Ether(src="02:00:00:00:00:02", dst="02:00:00:00:00:01") / IP(src="198.19.0.10", dst=client_ip)
        for p in (c2s / TCP(sport=cport, dport=80, flags="S", seq=cseq),
                  s2c / TCP(sport=80, dport=cport, flags="SA", seq=sseq, ack=cseq + 1),
                  c2s / TCP(sport=cport, dport=80, flags="A", seq=cseq + 1, ack=sseq + 1),
                  c2s / TCP(sport=cport, dport=80, flags="PA", seq=cseq + 1, ack=sseq + 1) / req,
                  s2c / TCP(sport=80, dport=cport, flags="PA", seq=sseq + 1, ack=cseq + 1 + len(req)) / resp,
                  c2s / TCP(sport=cport, dport=80, flags="FA", seq=cseq + 1 + len(req), ack=sseq + 1 + len(resp)),
                  s2c / TCP(sport=80, dport=cport, flags="FA", seq=sseq + 1 + len(resp), ack=cseq + 2 + len(req)),
                  c2s / TCP(sport=cport, dport=80, flags="A", seq=cseq + 2 + len(req), ack=sseq + 2 + len(resp))):
            t += 0.0005
            p.time = t
            pkts.append(p)
    wrpcap(str(path), pkts)
    return path
