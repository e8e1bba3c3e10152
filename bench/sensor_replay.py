"""Benchmark: `rampart sensor replay` (1 and 2 workers, HTTP/1.1 and h2c) vs scapy TCPSession+HTTP and `tshark -Y http`."""
from __future__ import annotations

import argparse
import os
import random
import re
import resource
import statistics
import struct
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
RAMPART = os.path.join(ROOT, ".venv", "bin", "rampart")
PY = os.path.join(ROOT, ".venv", "bin", "python")

_PATHS = ["/", "/index.html", "/api/v1/users", "/search", "/static/app.js", "/login", "/products/42"]
_UAS = ["Mozilla/5.0 (X11; Linux x86_64) Gecko/20100101 Firefox/128.0", "curl/8.5.0",
        "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_0) AppleWebKit/605.1.15 Safari/605.1.15"]


def _ip_csum(hdr: bytes) -> int:
    s = sum(struct.unpack("!10H", hdr))
    s = (s >> 16) + (s & 0xFFFF)
    s += s >> 16
    return ~s & 0xFFFF


def _frame(src: bytes, dst: bytes, sport: int, dport: int, seq: int, ack: int, flags: int, data: bytes) -> bytes:
    tcp = struct.pack("!HHIIBBHHH", sport, dport, seq & 0xFFFFFFFF, ack & 0xFFFFFFFF, 5 << 4, flags, 65535, 0, 0)
    total = 20 + len(tcp) + len(data)
    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, total, 0, 0x4000, 64, 6, 0, src, dst)
    ip = ip[:10] + struct.pack("!H", _ip_csum(ip)) + ip[12:]
    return b"\x02\x00\x00\x00\x00\x02\x02\x00\x00\x00\x00\x01\x08\x00" + ip + tcp + data


class _H2:
    """The same exchanges as HTTP/2 cleartext with prior knowledge: one real client and server (the h2 library)."""

    def __init__(self) -> None:
        import h2.config
        import h2.connection

        self.c = h2.connection.H2Connection(h2.config.H2Configuration(client_side=True, header_encoding=None))
        self.s = h2.connection.H2Connection(h2.config.H2Configuration(client_side=False, header_encoding=None))
        self.c.initiate_connection()
        self.s.initiate_connection()
        self.s.receive_data(self.c.data_to_send(0))   # (the preface and SETTINGS go out with the first request)

    def request(self, method: str, target: str, headers: list[tuple[str, str]], body: bytes) -> bytes:
        import h2.events

        sid = self.c.get_next_available_stream_id()
        hs = [(":method", method), (":path", target), (":authority", "shop.example.test"), (":scheme", "http")]
        self.c.send_headers(sid, hs + [(k.lower(), v) for k, v in headers], end_stream=not body)
        if body:
            self.c.send_data(sid, body, end_stream=True)
        out = self.c.data_to_send()
        for e in self.s.receive_data(out):
            if isinstance(e, h2.events.DataReceived):
                self.s.acknowledge_received_data(e.flow_controlled_length, e.stream_id)
        self.sid = sid
        return out

    def response(self, headers: list[tuple[str, str]], body: bytes) -> bytes:
        import h2.events

        self.s.send_headers(self.sid, [(":status", "200")] + [(k.lower(), v) for k, v in headers])
        self.s.send_data(self.sid, body, end_stream=True)
        out = self.s.data_to_send()
        for e in self.c.receive_data(out):
            if isinstance(e, h2.events.DataReceived):
                self.c.acknowledge_received_data(e.flow_controlled_length, e.stream_id)
        return out


def generate(path: str, transactions: int, per_conn: int = 4, seed: int = 7, h2: bool = False,
             joined: bool = False) -> int:
    """A pcap of keep-alive HTTP/1.1 connections with realistic headers (or, with `h2`, the same requests and
    responses as HTTP/2 cleartext streams); `joined` leaves out each connection's handshake and first exchange, as
    a sensor started while the connections were open meets them. Returns the packet count."""
    rnd = random.Random(seed)
    recs = []
    t = 1_700_000_000.0
    server = bytes([10, 1, 0, 1])
    conns = (transactions + per_conn - 1) // per_conn
    done = 0
    for c in range(conns):
        client = bytes([10, 2, (c >> 8) & 255, c & 255])
        sport = 20000 + c % 40000
        cs, ss = rnd.getrandbits(32), rnd.getrandbits(32)
        A, B = (client, server, sport, 80), (server, client, 80, sport)

        hidden = joined   # (the handshake and the first exchange happen before the capture starts)

        def pkt(d, seq, ack, flags, data=b""):
            nonlocal t
            t += 0.00001
            if not hidden:
                recs.append((t, _frame(*d, seq, ack, flags, data)))
        pkt(A, cs, 0, 0x02)
        pkt(B, ss, cs + 1, 0x12)
        cs += 1
        ss += 1
        pkt(A, cs, ss, 0x10)
        conv = _H2() if h2 else None
        for _ in range(min(per_conn, transactions - done)):
            done += 1
            post = rnd.random() < 0.3
            body = (b"user=alice&q=" + str(rnd.random()).encode() * 8) if post else b""
            method, target = 'POST' if post else 'GET', f"{rnd.choice(_PATHS)}?id={rnd.randint(1, 10**6)}"
            headers = [("User-Agent", rnd.choice(_UAS)), ("Accept", "*/*"), ("Accept-Language", "en-US,en;q=0.5"),
                       ("Cookie", f"sid={rnd.getrandbits(64):x}")]
            if post:
                headers += [("Content-Type", "application/x-www-form-urlencoded"), ("Content-Length", str(len(body)))]
            if conv is not None:
                req = conv.request(method, target, headers, body)
            else:
                req = (f"{method} {target} HTTP/1.1\r\nHost: shop.example.test\r\n"
                       + "".join(f"{k}: {v}\r\n" for k, v in headers) + "\r\n").encode() + body
            pkt(A, cs, ss, 0x18, req)
            cs += len(req)
            size = rnd.choice((300, 1200, 4000))
            rbody = (b"<html><body>" + b"x" * size + b"</body></html>")
            if conv is not None:
                resp = conv.response([("Server", "nginx"), ("Content-Type", "text/html"),
                                      ("Content-Length", str(len(rbody)))], rbody)
            else:
                resp = (f"HTTP/1.1 200 OK\r\nServer: nginx\r\nContent-Type: text/html\r\n"
                        f"Content-Length: {len(rbody)}\r\nConnection: keep-alive\r\n\r\n").encode() + rbody
            for i in range(0, len(resp), 1448):
                chunk = resp[i:i + 1448]
                pkt(B, ss, cs, 0x18 if i + 1448 >= len(resp) else 0x10, chunk)
                ss += len(chunk)
            pkt(A, cs, ss, 0x10)
            hidden = False
        pkt(A, cs, ss, 0x11)
        pkt(B, ss, cs + 1, 0x11)
        pkt(A, cs + 1, ss + 1, 0x10)
    with open(path, "wb") as fh:
        fh.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, 1))
        for ts, frame in recs:
            sec = int(ts)
            fh.write(struct.pack("<IIII", sec, int((ts - sec) * 1e6), len(frame), len(frame)) + frame)
    return len(recs)


def _child_cpu() -> float:
    ru = resource.getrusage(resource.RUSAGE_CHILDREN)
    return ru.ru_utime + ru.ru_stime


def run_rampart(pcap: str, workers: int, detect: bool = False, tree: str | None = None) -> dict:
    """`rampart sensor replay` of this checkout, or of the copy of the code in `tree` (its sensor/, core/ and
    rampart/ shadow this checkout's; everything else is this checkout's)."""
    cmd = [RAMPART] if tree is None else [PY, "-c", f"import sys; sys.path.insert(0, {tree!r}); "
                                                    "from rampart.cli import main; sys.argv[0] = 'rampart'; main()"]
    t0 = time.perf_counter()
    res = subprocess.run(cmd + ["sensor", "replay", pcap, "--events", os.devnull, "--workers", str(workers),
                                "--detect" if detect else "--no-detect"], capture_output=True, text=True, check=True)
    wall = time.perf_counter() - t0
    summary = dict(re.findall(r"(\S+)=(\S+)", res.stderr.strip().splitlines()[-1]))
    return {"wall": wall, "elapsed": float(summary["elapsed"].rstrip("s")), "own_cpu": float(summary["cpu"].rstrip("s")),
            "packets": int(summary["packets"]), "transactions": int(summary["transactions"])}


_SCAPY = r"""
import sys, time
from scapy.all import sniff, load_layer
from scapy.sessions import TCPSession
load_layer("http")
from scapy.layers.http import HTTPRequest, HTTPResponse
n = {"pkts": 0, "req": 0, "resp": 0}
def cb(p):
    n["pkts"] += 1
    if p.haslayer(HTTPRequest): n["req"] += 1
    if p.haslayer(HTTPResponse): n["resp"] += 1
t0, c0 = time.perf_counter(), time.process_time()
sniff(offline=sys.argv[1], session=TCPSession, prn=cb, store=False)
print(time.perf_counter() - t0, n["req"], n["resp"], time.process_time() - c0)
"""


def run_scapy(pcap: str) -> dict:
    out = subprocess.run([PY, "-c", _SCAPY, pcap], capture_output=True, text=True, check=True).stdout.split()
    return {"elapsed": float(out[0]), "transactions": int(out[1]), "responses": int(out[2]), "own_cpu": float(out[3])}


def run_tshark(pcap: str) -> dict:
    t0 = time.perf_counter()
    res = subprocess.run(["tshark", "-n", "-r", pcap, "-Y", "http.request", "-T", "fields", "-e", "http.request.method"],
                         capture_output=True, text=True, check=True)
    return {"elapsed": time.perf_counter() - t0, "transactions": len(res.stdout.split())}


def _measure(fn) -> dict:
    before = _child_cpu()
    r = fn()
    # CPU seconds of the work itself where the tool reports it (no interpreter start-up), else of the whole
    # child process (tshark)
    r["cpu"] = r.get("own_cpu", _child_cpu() - before)
    return r


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--transactions", type=int, default=20000)
    ap.add_argument("--scapy-transactions", type=int, default=2000,
                    help="scapy runs on a prefix pcap this big (it is ~100x slower); rates are per second")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--baseline-tree", default=None, metavar="DIR",
                    help="also run a copy of the code (DIR/sensor, DIR/core, DIR/rampart) with 1 worker, its runs "
                         "alternating with this checkout's, and print the ratio")
    ap.add_argument("--only-rampart", action="store_true", help="skip 2 workers, detection, tshark and scapy")
    ap.add_argument("--detect", action="store_true",
                    help="the paired 1-worker runs (this checkout, --baseline-tree) with detection on")
    ap.add_argument("--h2", action="store_true",
                    help="also replay the same transactions as HTTP/2 cleartext (h2c) streams, 1 worker")
    ap.add_argument("--h2-join", action="store_true",
                    help="also replay the h2c connections met mid-stream (no handshake, no preface, first exchange "
                         "unseen), 1 worker, and with --baseline-tree the baseline on the same pcap")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        pcap = os.path.join(tmp, "bench.pcap")
        small = os.path.join(tmp, "bench-small.pcap")
        npk = generate(pcap, args.transactions)
        nsmall = generate(small, args.scapy_transactions)
        print(f"pcap: {args.transactions} transactions, {npk} packets, {os.path.getsize(pcap) / 1e6:.1f} MB; "
              f"scapy pcap: {args.scapy_transactions} transactions, {nsmall} packets", flush=True)
        rows = {}
        tools = [("rampart 1 worker", lambda: run_rampart(pcap, 1, args.detect), npk)]
        if args.baseline_tree:
            tools.append(("baseline 1 worker", lambda: run_rampart(pcap, 1, args.detect, tree=args.baseline_tree), npk))
        if args.h2:
            h2pcap = os.path.join(tmp, "bench-h2.pcap")
            nh2 = generate(h2pcap, args.transactions, h2=True)
            print(f"h2c pcap: {args.transactions} transactions, {nh2} packets, {os.path.getsize(h2pcap) / 1e6:.1f} MB",
                  flush=True)
            tools.append(("rampart 1 worker, h2c", lambda: run_rampart(h2pcap, 1), nh2))
        if args.h2_join:
            jpcap = os.path.join(tmp, "bench-h2-joined.pcap")
            nj = generate(jpcap, args.transactions, h2=True, joined=True)
            print(f"h2c joined pcap: {args.transactions} transactions of which the sensor can see "
                  f"{args.transactions - (args.transactions + 3) // 4}, {nj} packets", flush=True)
            tools.append(("rampart 1 worker, h2c joined", lambda: run_rampart(jpcap, 1), nj))
            if args.baseline_tree:
                tools.append(("baseline 1 worker, h2c joined",
                              lambda: run_rampart(jpcap, 1, tree=args.baseline_tree), nj))
        # this checkout and the baseline (and the h2c replays) alternate, run by run
        paired = len(tools)
        if not args.only_rampart:
            tools += [("rampart 2 workers", lambda: run_rampart(pcap, 2), npk),
                      ("rampart 1 worker, detection on", lambda: run_rampart(pcap, 1, True), npk),
                      ("tshark -Y http", lambda: run_tshark(pcap), npk),
                      ("scapy TCPSession+HTTP", lambda: run_scapy(small), nsmall)]
        runs: dict[str, list[dict]] = {name: [] for name, _, _ in tools}
        for _ in range(args.repeat):
            for name, fn, _n in tools[:paired]:
                runs[name].append(_measure(fn))
        for name, fn, _n in tools[paired:]:
            for _ in range(args.repeat):
                runs[name].append(_measure(fn))
        for name, _fn, n in tools:
            rs = runs[name]
            el = statistics.median(r["elapsed"] for r in rs)
            cpu = statistics.median(r["cpu"] for r in rs)
            txn = rs[0]["transactions"]
            rows[name] = (n / el, txn / el, n / cpu, txn / cpu if cpu else 0.0, txn)
            print(f"{name:24s} median wall {el:7.3f} s ({n / el:9.0f} pkt/s, {txn / el:8.0f} txn/s)  "
                  f"cpu {cpu:7.3f} s ({n / cpu:9.0f} pkt/cpu-s, {txn / cpu:8.0f} txn/cpu-s)  {txn} txns  "
                  f"cpu runs: {' '.join(format(r['cpu'], '.3f') for r in rs)}", flush=True)
        print(f"load average after the runs: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
        if args.baseline_tree:
            new, old = rows["rampart 1 worker"], rows["baseline 1 worker"]
            print(f"1 worker, this checkout / baseline: {new[2] / old[2]:.3f}x packets per CPU-second, "
                  f"{new[0] / old[0]:.3f}x packets/s (wall)")
        if args.h2:
            h1, h2r = rows["rampart 1 worker"], rows["rampart 1 worker, h2c"]
            print(f"h2c / HTTP/1.1, same transactions: {h2r[3] / h1[3]:.3f}x transactions per CPU-second "
                  f"({h2r[4]} of {h1[4]} transactions)")
        if args.h2_join:
            j = rows["rampart 1 worker, h2c joined"]
            line = f"h2c joined mid-stream: {j[4]} transactions read"
            if args.h2:
                line += f", {j[3] / rows['rampart 1 worker, h2c'][3]:.3f}x the transactions per CPU-second of h2c " \
                        "read from the preface"
            if args.baseline_tree:
                line += f"; baseline: {rows['baseline 1 worker, h2c joined'][4]} transactions"
            print(line)
        if "scapy TCPSession+HTTP" not in rows:
            return
        base_wall, base_cpu = rows["scapy TCPSession+HTTP"][0], rows["scapy TCPSession+HTTP"][2]
        print("\n| tool | packets/s (wall) | transactions/s (wall) | packets per CPU-second | transactions per "
              "CPU-second | × scapy (wall pkt/s) | × scapy (pkt per CPU-s) |\n|---|---:|---:|---:|---:|---:|---:|")
        for name, (pps, tps, cpps, ctps, txn) in rows.items():
            print(f"| {name} | {pps:,.0f} | {tps:,.0f} | {cpps:,.0f} | {ctps:,.0f} | {pps / base_wall:.1f} | "
                  f"{cpps / base_cpu:.1f} |")


if __name__ == "__main__":
    sys.exit(main())
