"""The global memcap covers HTTP bytes too: many concurrent large bodies stay under it, cuts are counted."""
from __future__ import annotations

import gzip
import random
import struct

from sensor.config import SensorConfig
from sensor.pipeline import Pipeline

_ETH = b"\x02\0\0\0\0\x02\x02\0\0\0\0\x01\x08\x00"


def _frame(src: int, dst: int, sport: int, dport: int, seq: int, ack: int, flags: int, data: bytes = b"") -> bytes:
    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 40 + len(data), 0, 0x4000, 64, 6, 0,
                     struct.pack("!I", src), struct.pack("!I", dst))
    tcp = struct.pack("!HHIIBBHHH", sport, dport, seq & 0xFFFFFFFF, ack & 0xFFFFFFFF, 0x50, flags, 65535, 0, 0)
    return _ETH + ip + tcp + data


SERVER = 0xC6120050          # 198.18.0.80


def _upload_flood(flows: int, body: int, seg: int = 1400):
    """`flows` connections open at once, each uploading a `body`-byte POST in `seg`-byte segments, the segments
    of all flows interleaved (so every body is in flight together), then each answered and closed. Frames are made
    on the fly: the generator holds nothing."""
    t = 1_700_000_000.0
    conns = []
    for i in range(flows):
        cli, sport = 0xC6130000 + i, 30000 + i
        cs, ss = i * 7919, i * 104729
        conns.append([cli, sport, cs + 1, ss + 1])
        yield t, _frame(cli, SERVER, sport, 80, cs, 0, 0x02)
        yield t, _frame(SERVER, cli, 80, sport, ss, cs + 1, 0x12)
        yield t, _frame(cli, SERVER, sport, 80, cs + 1, ss + 1, 0x10)
    for c in conns:
        head = (f"POST /upload/{c[1]} HTTP/1.1\r\nHost: files.test\r\nContent-Type: application/octet-stream\r\n"
                f"Content-Length: {body}\r\n\r\n").encode()
        yield t, _frame(c[0], SERVER, c[1], 80, c[2], c[3], 0x18, head)
        c[2] += len(head)
    chunk = bytes(range(256)) * (seg // 256 + 1)
    for off in range(0, body, seg):
        t += 0.001
        n = min(seg, body - off)
        for c in conns:
            yield t, _frame(c[0], SERVER, c[1], 80, c[2], c[3], 0x18, chunk[:n])
            c[2] += n
    resp = b"HTTP/1.1 201 Created\r\nContent-Length: 2\r\n\r\nok"
    for c in conns:
        yield t, _frame(SERVER, c[0], 80, c[1], c[3], c[2], 0x18, resp)
        c[3] += len(resp)
        yield t, _frame(c[0], SERVER, c[1], 80, c[2], c[3], 0x11)
        yield t, _frame(SERVER, c[0], 80, c[1], c[3], c[2] + 1, 0x11)
        yield t, _frame(c[0], SERVER, c[1], 80, c[2] + 1, c[3] + 1, 0x10)


def _rss_kib() -> int:
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def test_concurrent_large_bodies_stay_under_the_memcap_and_cuts_are_reported():
    flows, body = 300, 256 << 10          # 75 MiB of request bodies in flight together
    cfg = SensorConfig(memcap=8 << 20, body_limit=1 << 20, event_body_limit=0)
    pipe = Pipeline(cfg)
    rss0 = _rss_kib()
    peak_rss = peak_used = peak_http = 0
    events = []
    for n, (ts, frame) in enumerate(_upload_flood(flows, body)):
        events += pipe.feed(ts, frame, 1)
        used = pipe.flows.mem_used
        assert used <= cfg.memcap, (n, used, pipe.flows.http_held)
        peak_used = max(peak_used, used)
        peak_http = max(peak_http, pipe.flows.http_held)
        if not n & 0x3FF:
            peak_rss = max(peak_rss, _rss_kib())
    events += pipe.flush()
    st = pipe.stats
    # the HTTP layer's bytes are what filled the cap (not just flow overhead), and they are all released
    assert peak_http > cfg.memcap // 2 and peak_used > cfg.memcap * 0.9
    assert pipe.flows.http_held == 0 and pipe.flows.mem_used == 0
    # RSS grew by about the memcap, not by the 75 MiB that keeping every body would take
    assert (peak_rss - rss0) * 1024 < 3 * cfg.memcap, (peak_rss - rss0)
    # every upload is reported, complete and answered; cut bodies say so, and every cut is counted
    assert len(events) == flows and st.flows_evicted == 0
    assert all(e.request.body_len == body and e.response.status == 201 for e in events)
    cut = sum(e.request.body_truncated for e in events) + sum(e.response.body_truncated for e in events)
    assert cut == st.memcap_truncations > 0
    # the bodies grow together (segments interleaved), so each was cut at roughly its share of the cap
    assert sum(e.request.body_truncated for e in events) > flows // 2


def test_new_flows_evict_old_ones_when_http_bytes_fill_the_memcap():
    """Bodies fill the cap, then new connections arrive: the oldest flows are evicted (counted), their
    transactions still reported, and the cap holds throughout."""
    cfg = SensorConfig(memcap=1 << 20, event_body_limit=0)
    pipe = Pipeline(cfg)
    events = []
    frames = list(_upload_flood(6, 160 << 10))
    # stop before the answers: six bodies (~960 KiB) are held
    cut = next(i for i, (_, f) in enumerate(frames) if b"201 Created" in f)
    for ts, frame in frames[:cut]:
        events += pipe.feed(ts, frame, 1)
    held = pipe.flows.http_held
    assert held > 900_000 and not events
    # new connections carrying data (half-open ones would only evict each other: SYN-flood policy); each costs
    # flow_overhead and a request, so old flows must go
    req = b"GET /new HTTP/1.1\r\nHost: files.test\r\n\r\n"
    for i in range(200):
        events += pipe.feed(1_700_000_100.0, _frame(0x0A000000 + i, SERVER, 5000, 80, i, 7, 0x18, req), 1)
        assert pipe.flows.mem_used <= cfg.memcap
    assert pipe.stats.flows_evicted >= 1
    assert pipe.flows.http_held < held
    # evicted uploads are reported (without response), with the body seen so far
    uploads = [e for e in events if e.request.method == "POST"]
    assert uploads and all(e.response is None and e.request.body_len > 0 for e in uploads)


def test_inflated_bodies_count_against_the_memcap():
    rnd = random.Random(3)
    plain = bytes(rnd.choice(b"ab") for _ in range(400_000))
    packed = gzip.compress(plain)
    assert len(packed) < 100_000
    cfg = SensorConfig(memcap=256 << 10, event_body_limit=1 << 20)
    seen = []
    pipe = Pipeline(cfg, detector=lambda view: seen.append(len(view.body)) or [])
    head = (f"POST /in HTTP/1.1\r\nHost: z.test\r\nContent-Encoding: gzip\r\nContent-Length: {len(packed)}\r\n\r\n"
            ).encode()
    cli, sport, cs, ss = 0xC6130001, 40000, 100, 900
    frames = [_frame(cli, SERVER, sport, 80, cs, 0, 0x02), _frame(SERVER, cli, 80, sport, ss, cs + 1, 0x12)]
    cs, ss = cs + 1, ss + 1
    data = head + packed
    for off in range(0, len(data), 1400):
        frames.append(_frame(cli, SERVER, sport, 80, cs + off, ss, 0x18, data[off:off + 1400]))
    cs += len(data)
    frames.append(_frame(SERVER, cli, 80, sport, ss, cs, 0x18, b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"))
    events = []
    for f in frames:
        events += pipe.feed(1.0, f, 1)
        assert pipe.flows.mem_used <= cfg.memcap
    events += pipe.flush()
    assert len(events) == 1 and events[0].request.body_truncated
    # the detector saw the inflated body only up to what the memcap had room for, and the cut was counted
    assert 0 < seen[0] < cfg.memcap < len(plain)
    assert pipe.stats.memcap_truncations >= 1
    assert pipe.flows.http_held == 0


def test_replay_summary_reports_memcap_cuts(tmp_path):
    from sensor.replay import replay_files

    path = tmp_path / "uploads.pcap"
    with open(path, "wb") as fh:
        fh.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, 1))
        for ts, frame in _upload_flood(20, 64 << 10):
            fh.write(struct.pack("<IIII", int(ts), 0, len(frame), len(frame)) + frame)

    class Collect:
        def __init__(self):
            self.events = []

        def emit(self, ev):
            self.events.append(ev)

        def close(self):
            pass

    sink = Collect()
    summary = replay_files([str(path)], SensorConfig(memcap=256 << 10, event_body_limit=0), [sink])
    n = summary.stats["memcap_truncations"]
    assert n > 0 and f"memcap_truncations={n}" in summary.line()
    cut = sum(e.request.body_truncated + e.response.body_truncated for e in sink.events)
    assert len(sink.events) == 20 and cut == n
