"""The capture interface's link going down and back, the interface deleted, the sensor process killed."""
from __future__ import annotations

import os
import signal
import socket
import threading
import time
import uuid
from pathlib import Path

import pytest
from scapy.layers.inet import IP, UDP
from scapy.layers.l2 import Ether

from netlab import NetLab, sh
from sensor.capture import CaptureError, LiveCapture

pytestmark = pytest.mark.netns


class Reader:
    """Iterates `capture.batches` on a thread: a reader that never comes back from the generator shows as a thread
    that yields nothing, instead of hanging the test."""

    def __init__(self, capture: LiveCapture) -> None:
        self.capture = capture
        self.yields = 0
        self.frames: list[bytes] = []
        self.error: Exception | None = None
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self) -> None:
        try:
            for batch in self.capture.batches(timeout=0.1):
                self.yields += 1
                self.frames.extend(frame for _, frame in batch)
                if self.stop.is_set():
                    return
        except Exception as exc:  # noqa: BLE001 - the test asserts on it
            self.error = exc

    def wait_for(self, payload: bytes, timeout: float = 5.0) -> bool:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if any(payload in f for f in self.frames):
                return True
            time.sleep(0.05)
        return False


@pytest.fixture
def veth():
    """A veth pair of our own in the root namespace, IPv6 off so the kernel sends nothing on it by itself."""
    tag = uuid.uuid4().hex[:6]
    a, b = f"ka{tag}", f"kb{tag}"
    sh("ip", "link", "add", a, "type", "veth", "peer", "name", b)
    try:
        for end in (a, b):
            sh("sysctl", "-qw", f"net.ipv6.conf.{end}.disable_ipv6=1", check=False)
            sh("ip", "link", "set", end, "up")
        yield a, b
    finally:
        sh("ip", "link", "del", a, check=False)


def _send(iface: str, payload: bytes) -> None:
    frame = bytes(Ether(src="02:00:00:00:00:01", dst="02:00:00:00:00:02") /
                  IP(src="198.18.0.1", dst="198.18.0.2") / UDP(sport=40000, dport=9) / payload)
    with socket.socket(socket.AF_PACKET, socket.SOCK_RAW) as s:
        s.bind((iface, 0))
        s.send(frame)


@pytest.mark.parametrize("ring", [True, False], ids=["ring", "recv"])
def test_link_down_waits_without_spinning_and_capture_resumes_then_a_deleted_interface_is_an_error(veth, ring):
    a, b = veth
    capture = LiveCapture(a, ring=ring)
    reader = Reader(capture)
    try:
        _send(b, b"before-the-flap")
        assert reader.wait_for(b"before-the-flap"), reader.error
        sh("ip", "link", "set", a, "down")
        time.sleep(1.0)
        # the socket reports ENETDOWN once; read and cleared, the reader goes back to waiting: ~10 idle yields a
        # second, not a loop around a poll that returns at once (50 % of a core in an orphaned worker before)
        assert reader.error is None, reader.error
        assert capture.stats.link_down == 1
        assert 3 <= reader.yields <= 40, reader.yields
        sh("ip", "link", "set", a, "up")
        deadline = time.monotonic() + 5
        while not reader.wait_for(b"after-the-flap", timeout=0.3) and time.monotonic() < deadline:
            _send(b, b"after-the-flap")   # the veth carrier takes a moment to come back
        assert any(b"after-the-flap" in f for f in reader.frames), "capture resumes on the same socket"
        sh("ip", "link", "del", a)
        reader.thread.join(3)
        assert not reader.thread.is_alive()
        assert isinstance(reader.error, CaptureError) and "the interface is gone" in str(reader.error)
    finally:
        reader.stop.set()
        reader.thread.join(1)
        capture.close()


def _children(pid: int) -> list[int]:
    return [int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]


def _running(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state not in ("Z", "X")


def test_capture_workers_die_with_a_killed_sensor(tmp_path):
    """SIGKILL leaves the sensor no chance to stop its workers: the kernel does (an orphan captured on, its events
    going nowhere, and spun once the test network was deleted)."""
    lab = NetLab().up()
    try:
        sensor = lab.sensor("--workers", "2", "--bpf", "tcp port 8080", events=tmp_path / "events.jsonl",
                            stderr_path=tmp_path / "sensor.err")
        workers = _children(sensor.pid)
        assert len(workers) >= 2 and all(_running(w) for w in workers), workers
        os.kill(sensor.pid, signal.SIGKILL)
        sensor.wait(10)
        deadline = time.monotonic() + 10
        while any(_running(w) for w in workers) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not any(_running(w) for w in workers), f"workers {workers} outlived the sensor"
    finally:
        lab.down()
