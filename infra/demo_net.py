"""The demo network: client, attacker and site namespaces joined by the bridge `rdemo-br0` (the sensor's SPAN view)."""
from __future__ import annotations

import os
import signal
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

BRIDGE = "rdemo-br0"
PREFIX = 24
HOST_IP = "198.18.10.1"        # the root namespace on the bridge: the scanner and the operator reach the site here
SITE_IP = "198.18.10.2"
CLIENT_IP = "198.18.10.3"
ATTACKER_IP = "198.18.10.4"
SITE_PORT = 8080
# (namespace, address, host-side veth); the host side is the bridge port the frames cross
HOSTS: tuple[tuple[str, str, str], ...] = (
    ("rdemo-site", SITE_IP, "rdemo-vsite"),
    ("rdemo-client", CLIENT_IP, "rdemo-vcli"),
    ("rdemo-attacker", ATTACKER_IP, "rdemo-vatk"),
)
SITE_NS, CLIENT_NS, ATTACKER_NS = (h[0] for h in HOSTS)


class NetError(RuntimeError):
    """A network command failed; the message names the command and its error."""


def _ip_ok(addr: str) -> bool:
    """Only 198.18.0.0/15 (benchmarking range, RFC 2544) is ever configured by the demo."""
    import ipaddress
    return ipaddress.ip_address(addr) in ipaddress.ip_network("198.18.0.0/15")


def sh(*args: str, check: bool = True) -> subprocess.CompletedProcess:
    res = subprocess.run(args, capture_output=True, text=True, timeout=30)
    if check and res.returncode != 0:
        raise NetError(f"`{' '.join(args)}` failed: {res.stderr.strip() or res.stdout.strip()}")
    return res


def _exists_ns(ns: str) -> bool:
    return ns in sh("ip", "netns", "list", check=False).stdout.split()


def _exists_link(name: str) -> bool:
    return sh("ip", "link", "show", name, check=False).returncode == 0


def _has_addr(ns: str | None, dev: str, addr: str) -> bool:
    cmd = (["ip", "-n", ns] if ns else ["ip"]) + ["-o", "-4", "addr", "show", "dev", dev]
    return f" {addr}/" in sh(*cmd, check=False).stdout


@dataclass
class DemoNet:
    """Builds (idempotently) and removes the demo network; tracks the processes started inside it."""

    procs: list[subprocess.Popen] = field(default_factory=list)

    def up(self) -> str:
        if os.geteuid() != 0:
            raise NetError("the demo network needs root (network namespaces, a bridge, raw sockets): run as root")
        for addr in (HOST_IP, *(h[1] for h in HOSTS)):
            assert _ip_ok(addr), addr
        created = 0
        if not _exists_link(BRIDGE):
            sh("ip", "link", "add", BRIDGE, "type", "bridge", "stp_state", "0", "forward_delay", "0")
            created += 1
        # bridged frames must not go through the host's iptables (br_netfilter), and no IPv6 chatter
        sh("ip", "link", "set", BRIDGE, "type", "bridge", "nf_call_iptables", "0", check=False)
        sh("sysctl", "-qw", f"net.ipv6.conf.{BRIDGE}.disable_ipv6=1", check=False)
        if not _has_addr(None, BRIDGE, HOST_IP):
            sh("ip", "addr", "add", f"{HOST_IP}/{PREFIX}", "dev", BRIDGE)
        sh("ip", "link", "set", BRIDGE, "up")
        for ns, addr, veth in HOSTS:
            if not _exists_ns(ns):
                sh("ip", "netns", "add", ns)
                created += 1
            if not _exists_link(veth):
                sh("ip", "link", "add", veth, "type", "veth", "peer", "name", "eth0", "netns", ns)
            sh("ip", "link", "set", veth, "master", BRIDGE)
            sh("ip", "link", "set", veth, "up")
            sh("ip", "netns", "exec", ns, "sysctl", "-qw", "net.ipv6.conf.all.disable_ipv6=1", check=False)
            if not _has_addr(ns, "eth0", addr):
                sh("ip", "-n", ns, "addr", "add", f"{addr}/{PREFIX}", "dev", "eth0")
            sh("ip", "-n", ns, "link", "set", "eth0", "up")
            sh("ip", "-n", ns, "link", "set", "lo", "up")
        return f"bridge {BRIDGE} with {len(HOSTS)} namespaces ({'built' if created else 'reused'})"

    def add_address(self, ns: str, addr: str) -> None:
        """A second address on a namespace's eth0 (e.g. a fresh brute-force source per run)."""
        if not _ip_ok(addr):
            raise NetError(f"{addr} is outside 198.18.0.0/15")
        if not _has_addr(ns, "eth0", addr):
            sh("ip", "-n", ns, "addr", "add", f"{addr}/{PREFIX}", "dev", "eth0")

    def spawn(self, ns: str | None, argv: list[str], log: Path, cwd: Path | None = None,
              env: dict[str, str] | None = None) -> subprocess.Popen:
        """Start a background process (in namespace `ns`, or the root one), output to `log`; stopped at teardown."""
        cmd = (["ip", "netns", "exec", ns] if ns else []) + argv
        log.parent.mkdir(parents=True, exist_ok=True)
        with open(log, "ab") as out:
            proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                    cwd=cwd, env={**os.environ, "PYTHONUNBUFFERED": "1", **(env or {})},
                                    start_new_session=True)
        self.procs.append(proc)
        return proc

    def run(self, ns: str | None, argv: list[str], timeout: float) -> subprocess.CompletedProcess:
        """Run a command to completion in namespace `ns` (or the root one)."""
        cmd = (["ip", "netns", "exec", ns] if ns else []) + argv
        return subprocess.run(cmd, capture_output=True, text=True, timeout=timeout,
                              env={**os.environ, "PYTHONUNBUFFERED": "1"})

    def stop(self, proc: subprocess.Popen, timeout: float = 30) -> int:
        """SIGTERM (to the process's own session), wait, SIGKILL if needed; the exit code."""
        if proc.poll() is None:
            try:
                os.killpg(proc.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
            try:
                proc.wait(timeout)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(10)
        return proc.returncode

    def down(self) -> None:
        """Stop our processes, then remove the namespaces and the bridge (deleting a namespace drops its veth)."""
        for proc in reversed(self.procs):
            self.stop(proc, timeout=15)
        self.procs.clear()
        for ns, _addr, veth in HOSTS:
            sh("ip", "netns", "del", ns, check=False)
            if _exists_link(veth):
                sh("ip", "link", "del", veth, check=False)
        if _exists_link(BRIDGE):
            sh("ip", "link", "del", BRIDGE, check=False)


def wait_port(host: str, port: int, timeout: float = 20.0) -> None:
    """Wait until host:port accepts TCP connections from the root namespace (which sits on the bridge)."""
    import socket
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            socket.create_connection((host, port), 1).close()
            return
        except OSError:
            time.sleep(0.2)
    raise NetError(f"{host}:{port} does not accept connections after {timeout:.0f}s")
