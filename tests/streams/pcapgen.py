"""Write a pcap of complete HTTP/1.1 exchanges with scapy (test input for `rampart sensor replay`)."""
from __future__ import annotations

from pathlib import Path

from scapy.layers.inet import IP, TCP
from scapy.layers.l2 import Ether
from scapy.utils import wrpcap


def http_pcap(path: Path, n: int, attack_every: int = 5, host: str = "shop.example") -> Path:
    """n TCP connections (handshake, one request, one response, FIN) from 198.18.0.0/16 to 198.19.0.10:80."""
    pkts = []
    t = 1_700_000_000.0
    for i in range(n):
        cip, sip = f"198.18.{i // 250}.{i % 250 + 1}", "198.19.0.10"
        cport, sport = 20000 + i, 80
        cseq, sseq = 1000, 5000
        target = f"/api/users/{i}?q=item{i}"
        if attack_every and i % attack_every == 0:
            target = f"/search?q=1%27%20OR%201%3D1--%20{i}"
        req = f"GET {target} HTTP/1.1\r\nHost: {host}\r\nUser-Agent: pcapgen\r\n\r\n".encode()
        body = b"hello" * 10
        resp = b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\nContent-Type: text/plain\r\n\r\n" % len(body) + body
        e = Ether(src="02:00:00:00:00:01", dst="02:00:00:00:00:02")
        c2s = e / IP(src=cip, dst=sip)
        s2c = Ether(src="02:00:00:00:00:02", dst="02:00:00:00:00:01") / IP(src=sip, dst=cip)
        seq = [
            c2s / TCP(sport=cport, dport=sport, flags="S", seq=cseq),
            s2c / TCP(sport=sport, dport=cport, flags="SA", seq=sseq, ack=cseq + 1),
            c2s / TCP(sport=cport, dport=sport, flags="A", seq=cseq + 1, ack=sseq + 1),
            c2s / TCP(sport=cport, dport=sport, flags="PA", seq=cseq + 1, ack=sseq + 1) / req,
            s2c / TCP(sport=sport, dport=cport, flags="PA", seq=sseq + 1, ack=cseq + 1 + len(req)) / resp,
            c2s / TCP(sport=cport, dport=sport, flags="FA", seq=cseq + 1 + len(req), ack=sseq + 1 + len(resp)),
            s2c / TCP(sport=sport, dport=cport, flags="FA", seq=sseq + 1 + len(resp), ack=cseq + 2 + len(req)),
            c2s / TCP(sport=cport, dport=sport, flags="A", seq=cseq + 2 + len(req), ack=sseq + 2 + len(resp)),
        ]
        for p in seq:
            t += 0.0005
            p.time = t
            pkts.append(p)
    wrpcap(str(path), pkts)
    return path
