"""Builds TCP conversations as scapy packets (and pcaps) for the sensor tests."""
from __future__ import annotations

import itertools

from scapy.all import IP, TCP, Dot1Q, Ether, IPv6, Raw, wrpcap  # noqa: F401

_clock = itertools.count()


class Conv:
    """One TCP connection; methods return the packets of each step with increasing timestamps."""

    def __init__(self, client=("10.0.0.1", 40000), server=("10.0.0.2", 80), isn_c=1000, isn_s=500000,
                 v6=False, vlan=None, t0=1_700_000_000.0, step=0.001):
        self.c, self.s = client, server
        self.cseq, self.sseq = isn_c, isn_s
        self.v6, self.vlan = v6, vlan
        self.t = t0
        self.step = step

    def _pkt(self, from_client, flags, seq, ack, data=b""):
        src, dst = (self.c, self.s) if from_client else (self.s, self.c)
        l2 = Ether(src="02:00:00:00:00:01" if from_client else "02:00:00:00:00:02",
                   dst="02:00:00:00:00:02" if from_client else "02:00:00:00:00:01")
        if self.vlan is not None:
            l2 = l2 / Dot1Q(vlan=self.vlan)
        l3 = IPv6(src=src[0], dst=dst[0]) if self.v6 else IP(src=src[0], dst=dst[0])
        p = l2 / l3 / TCP(sport=src[1], dport=dst[1], flags=flags, seq=seq & 0xFFFFFFFF, ack=ack & 0xFFFFFFFF,
                          window=65535)
        if data:
            p = p / Raw(data)
        self.t += self.step
        p.time = self.t
        return p

    def handshake(self):
        pk = [self._pkt(True, "S", self.cseq, 0)]
        pk.append(self._pkt(False, "SA", self.sseq, self.cseq + 1))
        self.cseq += 1
        self.sseq += 1
        pk.append(self._pkt(True, "A", self.cseq, self.sseq))
        return pk

    def send(self, from_client, data, seg=None):
        seg = seg or 1400
        out = []
        for i in range(0, len(data), seg):
            chunk = data[i:i + seg]
            if from_client:
                out.append(self._pkt(True, "PA", self.cseq, self.sseq, chunk))
                self.cseq += len(chunk)
            else:
                out.append(self._pkt(False, "PA", self.sseq, self.cseq, chunk))
                self.sseq += len(chunk)
        out.append(self._pkt(not from_client, "A", self.sseq if from_client else self.cseq,
                             self.cseq if from_client else self.sseq))
        return out

    def client(self, data, seg=None):
        return self.send(True, data, seg)

    def server(self, data, seg=None):
        return self.send(False, data, seg)

    def close(self):
        pk = [self._pkt(True, "FA", self.cseq, self.sseq)]
        self.cseq += 1
        pk.append(self._pkt(False, "FA", self.sseq, self.cseq))
        self.sseq += 1
        pk.append(self._pkt(True, "A", self.cseq, self.sseq))
        return pk


def retime(packets, t0=1_700_000_000.0, step=0.001):
    """Give packets increasing timestamps in list order (after reordering them)."""
    for i, p in enumerate(packets):
        p.time = t0 + i * step
    return packets


def http_request(method="GET", target="/", host="example.test", headers=(), body=b""):
    lines = [f"{method} {target} HTTP/1.1", f"Host: {host}"]
    lines += [f"{k}: {v}" for k, v in headers]
    if body and not any(k.lower() in ("content-length", "transfer-encoding") for k, _ in headers):
        lines.append(f"Content-Length: {len(body)}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + body


def http_response(status=200, body=b"", headers=(), reason="OK"):
    lines = [f"HTTP/1.1 {status} {reason}"] + [f"{k}: {v}" for k, v in headers]
    if not any(k.lower() in ("content-length", "transfer-encoding") for k, _ in headers):
        lines.append(f"Content-Length: {len(body)}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + body
