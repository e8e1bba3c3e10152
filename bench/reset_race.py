"""Blocking race: share of attacks whose response beat the sensor's RST, and RST latency on the wire.

Builds its own network (client and server namespaces on a bridge, 198.18.0.0/15), runs `rampart sensor run
--mode block` on the bridge, and sends attack requests (SQLi in the query of a POST whose 2 KB body follows
the headers 2 ms later, like an upload) to an instant server and to one that answers after 5 ms, with early
detection on and off. tcpdump on the bridge times each attack's last packet and the first RST after it.
Baseline in the same run: building and sending the same 6 RST frames with scapy's `sendp()`.
Needs root. Usage: .venv/bin/python bench/reset_race.py [--requests 1000]
"""
from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import dpkt

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "sensor" / "live"))
sys.path.insert(0, str(ROOT))

from netlab import NetLab, stop  # noqa: E402

ATTACK = ["--method", "POST", "--target", "/upload?q=1%27%20OR%201%3D1--", "--body", "x" * 2000,
          "--body-delay-ms", "2", "--timeout", "2"]


def wire_latencies(pcap: Path, ports: set[int]) -> dict[int, list[float]]:
    """Per server port: seconds from an attack's last client payload packet to the first RST after it."""
    last_payload: dict[tuple, float] = {}
    first_rst: dict[tuple, float] = {}
    with open(pcap, "rb") as fh:
        for ts, buf in dpkt.pcap.Reader(fh):
            eth = dpkt.ethernet.Ethernet(buf)
            ip = eth.data
            if not isinstance(ip, dpkt.ip.IP) or not isinstance(ip.data, dpkt.tcp.TCP):
                continue
            tcp = ip.data
            if tcp.dport in ports:
                conn = (tcp.sport, tcp.dport)
                if tcp.data and conn not in first_rst:
                    last_payload[conn] = ts
            else:
                conn = (tcp.dport, tcp.sport)
            if tcp.flags & dpkt.tcp.TH_RST and conn in last_payload and conn not in first_rst:
                first_rst[conn] = ts
    out: dict[int, list[float]] = {p: [] for p in ports}
    for conn, t in first_rst.items():
        out[conn[1]].append(t - last_payload[conn])
    return out


def pct(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(q * len(values)))] if values else float("nan")


def sendp_baseline(lab: NetLab, n: int = 200) -> tuple[float, float]:
    """Median µs per 6-RST reset: our persistent raw socket vs scapy sendp (same frames, same interface)."""
    from scapy.all import Ether, sendp

    from sensor.inject import Injector, build_rst
    frames = [build_rst(bytes([198, 18, 0, 1]), bytes([198, 18, 0, 2]), 40000 + i, 9, 1000 + i, 1, b"\x02" * 6,
                        b"\x02\x00\x00\x00\x00\x99") for i in range(6)]
    inj = Injector(lab.bridge)
    ours, theirs = [], []
    for _ in range(n):
        t = time.perf_counter()
        for f in frames:
            inj.send(f)
        ours.append(time.perf_counter() - t)
    pkts = [Ether(f) for f in frames]
    for _ in range(max(n // 10, 10)):
        t = time.perf_counter()
        for p in pkts:
            sendp(p, iface=lab.bridge, verbose=False)
        theirs.append(time.perf_counter() - t)
    inj.close()
    return statistics.median(ours) * 1e6, statistics.median(theirs) * 1e6


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--requests", type=int, default=1000, help="attack requests per configuration")
    a = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="reset-race-"))
    lab = NetLab().up()
    rows = []
    try:
        lab.server(8080, delay_ms=0)
        lab.server(8081, delay_ms=5)
        for early in (True, False):
            tag = "on" if early else "off"
            sensor = lab.sensor("--mode", "block", "--bpf", "tcp port 8080 or tcp port 8081",
                                "--early-detection" if early else "--no-early-detection",
                                events=work / f"ev-{tag}.jsonl", stderr_path=work / f"sensor-{tag}.err")
            pcap = work / f"wire-{tag}.pcap"
            dump = subprocess.Popen(["tcpdump", "-i", lab.bridge, "-w", str(pcap), "-U", "-s", "128",
                                     "tcp port 8080 or tcp port 8081"], stderr=subprocess.DEVNULL)
            time.sleep(1.0)
            results = {}
            for port in (8080, 8081):
                t0 = time.monotonic()
                res = lab.client("--port", str(port), "--count", str(a.requests), *ATTACK, timeout=1800)
                rep = json.loads(res.stdout)["results"]
                results[port] = (sum(1 for r in rep if r["status"] is not None), time.monotonic() - t0)
            time.sleep(1.0)
            dump.terminate()
            dump.wait(10)
            assert stop(sensor) == 0
            lat = wire_latencies(pcap, {8080, 8081})
            summary = (work / f"sensor-{tag}.err").read_text().strip().splitlines()[-1]
            for port, delay in ((8080, 0), (8081, 5)):
                lost, secs = results[port]
                ms = [x * 1e3 for x in lat[port]]
                rows.append((tag, delay, lost, len(ms), statistics.median(ms) if ms else float("nan"),
                             pct(ms, 0.99)))
            print(f"early {tag}: {summary}", file=sys.stderr)
        ours, scapy_us = sendp_baseline(lab)
    finally:
        lab.down()
    n = a.requests
    print("## Blocking\n")
    print(f"Command (as root): `.venv/bin/python bench/reset_race.py --requests {n}` ({time.strftime('%Y-%m-%d')}; "
          "2 cores shared with other work, so absolute latencies are noisy).")
    print("Network: client and server namespaces on a Linux bridge; the sensor (`--mode block`, one worker) "
          "captures on the bridge and injects there. Attack: POST with SQLi in the query, 2 KB body sent 2 ms "
          "after the headers. *Response first* = the client read an HTTP status before the reset.\n")
    print("| early detection | server answers after | attacks | response first | share | RSTs timed | "
          "RST latency p50 | p99 |")
    print("|---|---|---|---|---|---|---|---|")
    for tag, delay, lost, timed, p50, p99 in rows:
        print(f"| {tag} | {delay} ms | {n} | {lost} | {lost / n:.1%} | {timed} | {p50:.2f} ms | {p99:.2f} ms |")
    print(f"\nInjection cost (6 RST frames, median): persistent AF_PACKET socket {ours:.0f} µs vs scapy "
          f"`sendp()` per frame {scapy_us:.0f} µs ({scapy_us / ours:.0f}x).")


if __name__ == "__main__":
    main()
