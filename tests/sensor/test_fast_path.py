"""The pipeline's no-`Segment` fast path gives exactly what full decoding + `Reassembler.process` give."""
from __future__ import annotations

from functools import lru_cache

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scapy.all import raw

from netgen import Conv, http_request, http_response
from sensor.config import SensorConfig
from sensor.pipeline import Pipeline

_CONFIGS = [SensorConfig(node="t"), SensorConfig(node="t", memcap=40_000, max_flows=3, flow_buffer_cap=600,
                                                 body_limit=300)]


@lru_cache(maxsize=None)
def _conversations(n: int, seg: int) -> tuple[tuple[float, bytes], ...]:
    """`n` keep-alive connections, interleaved, each with two transactions (one POST) and a close (built once
    per shape: scapy is the slow part)."""
    convs = [Conv(client=(f"10.0.{i}.1", 40000 + i), isn_c=1000 + 77 * i, isn_s=2**32 - 700 + i) for i in range(n)]
    parts = []
    for i, c in enumerate(convs):
        pk = c.handshake()
        pk += c.client(http_request("GET", f"/a?{i}", headers=[("Cookie", "s=1")]), seg)
        pk += c.server(http_response(200, b"x" * (900 + i)), seg)
        pk += c.client(http_request("POST", "/login", body=b"user=a&pw=" + b"b" * 500), seg)
        pk += c.server(http_response(302, b"", headers=[("Location", "/")]), seg)
        pk += c.close()
        parts.append(pk)
    frames = []
    while any(parts):
        for pk in parts:
            if pk:
                p = pk.pop(0)
                frames.append((float(p.time), raw(p)))
    return tuple(frames)


def _run(frames, cfg: SensorConfig, fast: bool, per_frame: bool):
    pipe = Pipeline(cfg)
    if not fast:   # decline every segment: each frame is decoded in full and goes through `process`
        pipe.flows.process_established = lambda *a: False
    events = []
    if per_frame:
        for ts, f in frames:
            events += pipe.feed(ts, f, 1)
    else:
        for out in pipe.feed_frames(frames, 1):
            events += [e for _, e in out]
    events += pipe.flush()
    for e in events:
        e.id = ""
    return events, pipe.stats.as_dict()


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data(), n=st.integers(1, 4), seg=st.sampled_from([1, 7, 200, 1400]))
def test_fast_path_equals_full_decode(data, n, seg):
    frames = list(_conversations(n, seg))
    # damage the capture: drop, duplicate, swap neighbours, cut short, flip header or payload bits
    ops = data.draw(st.lists(st.tuples(st.sampled_from(["drop", "dup", "swap", "cut", "flip"]),
                                       st.integers(0, 10**6), st.integers(0, 10**6)), max_size=12))
    for op, a, b in ops:
        if not frames:
            break
        i = a % len(frames)
        ts, f = frames[i]
        if op == "drop":
            del frames[i]
        elif op == "dup":
            frames.insert(i, (ts, f))
        elif op == "swap" and i + 1 < len(frames):
            frames[i], frames[i + 1] = (frames[i][0], frames[i + 1][1]), (frames[i + 1][0], f)
        elif op == "cut":
            frames[i] = (ts, f[:b % (len(f) + 1)])
        elif op == "flip":
            j = b % len(f) if b % 3 else 12 + b % 42   # often in the Ethernet/IP/TCP headers
            if j < len(f):
                frames[i] = (ts, f[:j] + bytes([f[j] ^ (1 << (b % 8))]) + f[j + 1:])
    cfg = _CONFIGS[data.draw(st.integers(0, 1))]
    full = _run(frames, cfg, fast=False, per_frame=True)
    assert _run(frames, cfg, fast=True, per_frame=False) == full
    assert _run(frames, cfg, fast=True, per_frame=True) == full


def test_fast_path_takes_most_packets_of_a_clean_capture():
    frames = list(_conversations(3, 500))
    declined = []
    pipe = Pipeline(SensorConfig())
    real = pipe.flows.process_established

    def spy(*a):
        ok = real(*a)
        declined.append(not ok)
        return ok
    pipe.flows.process_established = spy
    events = [e for out in pipe.feed_frames(frames, 1) for _, e in out] + pipe.flush()
    assert len(events) == 6 and all(e.response is not None for e in events)
    # handshakes and FINs are decoded in full; every data segment and ACK between them takes the fast path, the
    # last ACK of each connection (on a closed flow: a late packet) is declined and handled by `process`
    assert len(declined) > 20 and sum(declined) == 3 == pipe.stats.late_packets
    assert pipe.stats.packets == len(frames)
