"""Sensor configuration: limits, timeouts and identity of one filter node (a plain dataclass)."""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field

from sensor.points import Limits


@dataclass(frozen=True, slots=True)
class SensorConfig:
    """Every bound the sans-IO pipeline enforces; defaults suit a busy SPAN port on a small host."""

    node: str = ""
    tenant: str = "default"
    # HTTP bodies
    body_limit: int = 1 << 20             # de-chunked body bytes kept per message (detection, events)
    event_body_limit: int = 64 << 10      # bytes of (decoded) body copied into the event as base64; 0 = none
    decompress_limit: int = 1 << 20       # max decompressed bytes of a gzip/deflate body
    decompress_ratio: int = 200           # max decompressed/compressed ratio before it counts as a bomb
    max_header_bytes: int = 64 << 10      # request/response head larger than this is a parse error
    resync_window: int = 16 << 10         # bytes kept while hunting for a message start after a gap
    # TCP reassembly
    max_flows: int = 262_144              # flows tracked at once; oldest half-open first, then oldest
    flow_buffer_cap: int = 1 << 20        # out-of-order bytes buffered per direction before forcing a gap
    memcap: int = 512 << 20               # global estimate: per-flow overhead + buffered bytes
    flow_overhead: int = 2048             # bytes charged per tracked flow against the memcap (measured
                                          # 1.3-1.6 KiB RSS per half-open flow with churn: sensor_synflood.py)
    idle_timeout: float = 120.0           # established flow with no packets (capture time, seconds)
    embryonic_timeout: float = 30.0       # flow with only a handshake / no payload yet
    closed_timeout: float = 5.0           # flow kept after FIN/RST so late retransmissions are not new flows
    reset_timeout: float = 1.0            # a flow this sensor reset is closed (events out) after this quiet time;
                                          # its own RSTs are not captured, so no FIN/RST would ever close it
    # IP fragments
    max_frag_sets: int = 1024             # IPv4/IPv6 datagrams being reassembled at once
    max_frag_bytes: int = 65_535          # bytes per datagram
    frag_timeout: float = 30.0
    # detection: points and CPU per request (sensor/points.Limits; `--detect-limit NAME=VALUE`)
    detect_limits: Limits = field(default_factory=Limits)
    # shipped virtual-patch packs applied before the site's rules (sensor/vpatches; None = all, () = none)
    vpatch_packs: tuple[str, ...] | None = None
    # newer packs the regional API published (node sync writes them there); they replace shipped ones by name
    vpatch_dir: str | None = None

    def replace(self, **changes: object) -> "SensorConfig":
        return dataclasses.replace(self, **changes)
