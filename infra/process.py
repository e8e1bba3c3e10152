"""Supervise one background service process: pid file, log file, start, health wait, stop."""
from __future__ import annotations

import os
import signal
import socket
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path


class StackError(RuntimeError):
    """A service could not be prepared, started or stopped; the message is the one-line reason."""


def port_in_use(port: int, host: str = "127.0.0.1") -> bool:
    """True when something already accepts connections (or holds the bind) on host:port."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind((host, port))
        except OSError:
            return True
    return False


def _start_time(pid: int) -> str | None:
    """The kernel's start time of `pid` (guards against a recycled pid in a stale pid file)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = stat.rsplit(")", 1)[1].split()
    if fields[0] == "Z":  # zombie: as good as gone
        return None
    return fields[19]


def log_tail_reason(log: Path, default: str) -> str:
    """The most telling line of a failed service's log: its last error, else its last line."""
    try:
        lines = [l.strip() for l in log.read_text(errors="replace").splitlines() if l.strip()]
    except OSError:
        return default
    for line in reversed(lines):
        if any(w in line for w in ("ERROR", "Error", "Exception", "error:", "Fatal", "FATAL")):
            return line[:400]
    return lines[-1][:400] if lines else default


@dataclass
class Supervisor:
    """Runs one command as a detached process group, remembered in `<run_dir>/<slug>.pid`."""

    slug: str
    run_dir: Path
    log_dir: Path

    @property
    def pid_file(self) -> Path:
        return self.run_dir / f"{self.slug}.pid"

    @property
    def log_file(self) -> Path:
        return self.log_dir / f"{self.slug}.log"

    def pid(self) -> int | None:
        """The pid of our running process, or None (a stale pid file is removed)."""
        try:
            pid_s, started = self.pid_file.read_text().split()
            pid = int(pid_s)
        except (OSError, ValueError):
            return None
        if _start_time(pid) != started:
            self.pid_file.unlink(missing_ok=True)
            return None
        return pid

    def start(self, argv: list[str], env: dict[str, str] | None = None, cwd: Path | None = None) -> subprocess.Popen:
        self.run_dir.mkdir(parents=True, exist_ok=True)
        self.log_dir.mkdir(parents=True, exist_ok=True)
        log = open(self.log_file, "ab")
        log.write(f"\n=== {time.strftime('%Y-%m-%d %H:%M:%S')} start: {' '.join(argv)}\n".encode())
        log.flush()
        try:
            proc = subprocess.Popen(
                argv, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
                env={**os.environ, **(env or {})}, cwd=cwd, start_new_session=True,
            )
        except FileNotFoundError as exc:
            raise StackError(f"{self.slug}: cannot run {argv[0]}: {exc.strerror}") from None
        finally:
            log.close()
        started = None
        for _ in range(50):
            started = _start_time(proc.pid)
            if started:
                break
            time.sleep(0.01)
        self.pid_file.write_text(f"{proc.pid} {started}\n")
        return proc

    def stop(self, timeout: float = 30.0) -> bool:
        """SIGTERM the process group, SIGKILL after `timeout`; True if something was running."""
        pid = self.pid()
        if pid is None:
            self.pid_file.unlink(missing_ok=True)
            return False
        for sig, wait in ((signal.SIGTERM, timeout), (signal.SIGKILL, 10.0)):
            try:
                os.killpg(pid, sig)
            except ProcessLookupError:
                break
            deadline = time.monotonic() + wait
            while time.monotonic() < deadline and self._group_alive(pid):
                _reap(pid)
                time.sleep(0.1)
            if not self._group_alive(pid):
                break
        self.pid_file.unlink(missing_ok=True)
        return True

    @staticmethod
    def _group_alive(pgid: int) -> bool:
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            fields = stat.rsplit(")", 1)[1].split()
            if fields[0] != "Z" and int(fields[2]) == pgid:
                return True
        return False


def _reap(pid: int) -> None:
    try:
        os.waitpid(pid, os.WNOHANG)
    except ChildProcessError:
        pass
