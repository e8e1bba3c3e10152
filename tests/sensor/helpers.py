"""Shared helpers of the sensor tests: write scapy packets to a pcap and replay it through the pipeline."""
from __future__ import annotations

import base64
import hashlib
import socket
import urllib.error
import urllib.request

from scapy.all import wrpcap

from sensor.config import SensorConfig
from sensor.pcap import Capture
from sensor.pipeline import Pipeline


def replay_packets(tmp_path, packets, name="t.pcap", config=None, linktype=None, **kw):
    path = str(tmp_path / name)
    if linktype is None:
        wrpcap(path, packets)
    else:
        wrpcap(path, packets, linktype=linktype)
    return replay_file(path, config, **kw)


def replay_file(path, config=None, **kw):
    pipe = Pipeline(config or SensorConfig(), **kw)
    events = []
    with Capture(path) as cap:
        for ts, frame in cap:
            events += pipe.feed(ts, frame, cap.linktype)
    events += pipe.flush()
    return events, pipe


def body_of(msg) -> bytes:
    return base64.b64decode(msg.body_b64) if msg.body_b64 else b""


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def rules(event) -> set[str]:
    return {h.rule for h in event.hits}


def feed_packets(packets, config=None, **kw):
    """Feed scapy packets straight into a pipeline (no file); returns (events, pipeline)."""
    from scapy.all import raw

    pipe = Pipeline(config or SensorConfig(), **kw)
    events = []
    for p in packets:
        events += pipe.feed(float(p.time), raw(p), 1)
    events += pipe.flush()
    return events, pipe


class RecordingListener:
    """An HttpSession listener that keeps every (request, response) it is handed (for tests of the HTTP layer)."""

    def __init__(self):
        self.txns = []

    def request_headers(self, s, req):
        pass

    def request_complete(self, s, req):
        pass

    def response_begin(self, s, resp):
        pass

    def transaction(self, s, req, resp):
        self.txns.append((req, resp))


def feed_interleaved(session, streams, data, max_chunk, gap_one_in, check=lambda: None):
    """Feed a session both directions' bytes (`streams[True]` client, `[False]` server) in chunks and an order a
    hypothesis `data` draws, turning some chunks into gaps; `check()` runs after each step."""
    from hypothesis import strategies as st

    pos = {True: 0, False: 0}
    while pos[True] < len(streams[True]) or pos[False] < len(streams[False]):
        side = data.draw(st.booleans())
        if pos[side] >= len(streams[side]):
            side = not side
        n = data.draw(st.integers(1, max_chunk))
        chunk = bytes(streams[side][pos[side]:pos[side] + n])
        pos[side] += n
        if data.draw(st.integers(0, gap_one_in - 1)) == 0:
            session.gap(side, len(chunk))
        elif side:
            session.client_data(chunk, 1.0)
        else:
            session.server_data(chunk, 1.0)
        check()


def exchange(pairs, close=True, conv=None, seg=None):
    """Packets of one connection sending (request bytes, response bytes) pairs in turn."""
    from netgen import Conv

    c = conv or Conv()
    pk = c.handshake()
    for req, resp in pairs:
        if req:
            pk += c.client(req, seg)
        if resp:
            pk += c.server(resp, seg)
    if close:
        pk += c.close()
    return pk


def free_port() -> int:
    """A free TCP port on 127.0.0.1 (for a sensor's metrics listener)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def http_get(port: int, path: str, timeout: float = 5.0) -> tuple[int, str]:
    """(status, body) of GET http://127.0.0.1:port/path, error statuses included; (0, "") when nothing listens."""
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=timeout) as res:
            return res.status, res.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode()
    except OSError:
        return 0, ""
