"""A throw-away test network: client and server namespaces joined by a Linux bridge (the SPAN view)."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[2]
PY = sys.executable
CLIENT_IP = "198.18.0.1"
SERVER_IP = "198.18.0.2"


def sh(*args: str, check: bool = True) -> subprocess.CompletedProcess:
    res = subprocess.run(args, capture_output=True, text=True)
    if check and res.returncode != 0:
        raise RuntimeError(f"{' '.join(args)}: {res.stderr.strip()}")
    return res


@dataclass
class NetLab:
    """Bridge `rb<id>` in the root namespace; `rc<id>` (198.18.0.1) and `rs<id>` (198.18.0.2) on it."""

    tag: str = field(default_factory=lambda: uuid.uuid4().hex[:6])
    procs: list[subprocess.Popen] = field(default_factory=list)

    @property
    def bridge(self) -> str:
        return f"rb{self.tag}"

    @property
    def client_ns(self) -> str:
        return f"rc{self.tag}"

    @property
    def server_ns(self) -> str:
        return f"rs{self.tag}"

    def up(self) -> "NetLab":
        try:
            sh("ip", "link", "add", self.bridge, "type", "bridge", "stp_state", "0", "forward_delay", "0")
            # bridged frames must not be run through the host's iptables (br_netfilter)
            sh("ip", "link", "set", self.bridge, "type", "bridge", "nf_call_iptables", "0", check=False)
            sh("sysctl", "-qw", f"net.ipv6.conf.{self.bridge}.disable_ipv6=1", check=False)
            sh("ip", "link", "set", self.bridge, "up")
            for ns, ip, side in ((self.client_ns, CLIENT_IP, "c"), (self.server_ns, SERVER_IP, "s")):
                host_end = f"v{side}{self.tag}"
                sh("ip", "netns", "add", ns)
                sh("ip", "link", "add", host_end, "type", "veth", "peer", "name", "eth0", "netns", ns)
                sh("ip", "link", "set", host_end, "master", self.bridge)
                sh("ip", "link", "set", host_end, "up")
                sh("ip", "netns", "exec", ns, "sysctl", "-qw", "net.ipv6.conf.all.disable_ipv6=1", check=False)
                sh("ip", "-n", ns, "addr", "add", f"{ip}/24", "dev", "eth0")
                sh("ip", "-n", ns, "link", "set", "eth0", "up")
                sh("ip", "-n", ns, "link", "set", "lo", "up")
        except Exception:
            self.down()
            raise
        return self

    def down(self) -> None:
        for proc in self.procs:
            if proc.poll() is None:
                proc.kill()
                proc.wait(10)
        sh("ip", "netns", "del", self.client_ns, check=False)
        sh("ip", "netns", "del", self.server_ns, check=False)
        sh("ip", "link", "del", self.bridge, check=False)

    def spawn(self, ns: str | None, argv: list[str], **kw) -> subprocess.Popen:
        """Start a process (in namespace `ns`, or the root one); killed at teardown if still running."""
        cmd = (["ip", "netns", "exec", ns] if ns else []) + argv
        env = {**os.environ, "PYTHONUNBUFFERED": "1", "PYTHONPATH": str(ROOT)}
        proc = subprocess.Popen(cmd, env=env, **kw)
        self.procs.append(proc)
        return proc

    def server(self, port: int = 8080, delay_ms: float = 0.0) -> subprocess.Popen:
        proc = self.spawn(self.server_ns, [PY, str(HERE / "httpserver.py"), "--host", SERVER_IP,
                                           "--port", str(port), "--delay-ms", str(delay_ms)],
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        line = proc.stdout.readline()
        if "listening" not in line:
            raise RuntimeError(f"test HTTP server did not start: {line} {proc.stderr.read()[:500]}")
        return proc

    def client(self, *args: str, timeout: float = 120) -> subprocess.CompletedProcess:
        """Run httpclient.py in the client namespace; its JSON report is on stdout."""
        return subprocess.run(["ip", "netns", "exec", self.client_ns, PY, str(HERE / "httpclient.py"), *args],
                              capture_output=True, text=True, timeout=timeout,
                              env={**os.environ, "PYTHONPATH": str(ROOT)})

    def sensor(self, *args: str, events: Path, stderr_path: Path) -> subprocess.Popen:
        """`rampart sensor run` on the bridge (the SPAN view), waiting until it captures."""
        err = open(stderr_path, "w")
        proc = self.spawn(None, [PY, "-m", "rampart", "sensor", "run", "--iface", self.bridge,
                                 "--events", str(events), *args], stderr=err, stdout=subprocess.DEVNULL)
        deadline = time.monotonic() + 180   # compiling the detection database is slow on a busy machine
        while time.monotonic() < deadline:
            text = stderr_path.read_text()
            if "capturing on" in text:
                return proc
            if proc.poll() is not None:
                raise RuntimeError(f"sensor exited {proc.returncode}: {text[-2000:]}")
            time.sleep(0.1)
        raise RuntimeError(f"sensor did not start capturing: {stderr_path.read_text()[-2000:]}")


def stop(proc: subprocess.Popen, timeout: float = 30) -> int:
    """SIGTERM and wait; the exit code."""
    proc.send_signal(signal.SIGTERM)
    return proc.wait(timeout)


def wait_lines(path: Path, n: int, timeout: float = 30) -> list[str]:
    """Wait until `path` holds at least n lines (or the timeout); return its lines."""
    deadline = time.monotonic() + timeout
    lines: list[str] = []
    while time.monotonic() < deadline:
        lines = path.read_text().splitlines() if path.exists() else []
        if len(lines) >= n:
            break
        time.sleep(0.1)
    return lines
