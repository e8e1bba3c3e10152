"""A scan over hostile and broken targets finishes in bounded time, names each failure, and scans the rest."""
from __future__ import annotations

import json
import time

from tests.scanner.hostile import HostileServer, SelfSignedTLSServer, dead_port
from tests.scanner.vulnapp import VulnApp


def test_scan_survives_hostile_targets(run_scan, tmp_path) -> None:
    dead = dead_port()
    with HostileServer() as hostile, SelfSignedTLSServer(tmp_path) as tls, VulnApp() as app:
        tls_port = tls.url.rsplit(":", 1)[1]
        scope = f"127.0.0.1:{hostile.port},127.0.0.1:{tls_port},127.0.0.1:{dead},127.0.0.1:{app.port}"
        report = tmp_path / "r.json"
        t = time.monotonic()
        proc = run_scan("--target", f"http://127.0.0.1:{dead}/", "--target", tls.url + "/",
                        "--target", hostile.url + "/", "--target", app.url + "/search?q=x",
                        "--scope", scope, "--rate", "0", "--timeout", "3", "--time-delay", "0.5",
                        "--max-body", "64KiB", "--max-redirects", "3", "--max-pages", "20", "--report", str(report),
                        timeout=240)
        wall = time.monotonic() - t
        err = proc.stderr.decode()
        assert proc.returncode == 0, err[-2000:]
        assert "connection refused" in err
        assert "TLS error" in err and "CERTIFICATE_VERIFY_FAILED" in err
        assert "more than 3 redirects" in err
        assert "/drip: timed out" in err and "/drip-headers: timed out" in err
        # The endless body was cut at the cap and the scan went on to probe the normal page and the app.
        assert any(p.startswith("/ok?x=") and p != "/ok?x=1" for p in hostile.paths)
        findings = json.loads(report.read_text())
        assert any(f["type"] == "xss" and f["url"] == app.url + "/search" for f in findings)
        assert tls.paths == []          # nothing was sent over the unverified TLS connection
        assert wall < 180


def test_all_targets_unreachable_exits_1(run_scan, tmp_path) -> None:
    dead = dead_port()
    proc = run_scan("--target", f"http://127.0.0.1:{dead}/", "--scope", f"127.0.0.1:{dead}",
                    "--report", str(tmp_path / "r.json"), timeout=60)
    assert proc.returncode == 1
    last = proc.stderr.decode().strip().splitlines()[-1]
    assert last.startswith("error: no target could be scanned") and "refused" in last
    assert json.loads((tmp_path / "r.json").read_text()) == []


def test_bad_usage_exits_2(run_scan, tmp_path) -> None:
    assert run_scan("--target", "http://127.0.0.1:1/").returncode == 2                       # no --scope
    p = run_scan("--target", "http://127.0.0.1:1/", "--scope", "127.0.0.2", "--report", "x.json")
    assert p.returncode == 2 and b"outside the scope" in p.stderr
    assert run_scan("--target", "http://127.0.0.1:1/", "--scope", "127.0.0.1", "--rate", "fast").returncode == 2
    p = run_scan("--openapi", str(tmp_path / "missing.yaml"), "--scope", "127.0.0.1", "--report", "x.json")
    assert p.returncode == 2 and b"cannot read OpenAPI spec" in p.stderr


def test_rate_limit_is_kept(run_scan, tmp_path) -> None:
    from tests.scanner.vulnapp import RecordingServer

    with RecordingServer() as site:
        port = site.url.rsplit(":", 1)[1]
        t = time.monotonic()
        proc = run_scan("--target", site.url + "/", "--scope", f"127.0.0.1:{port}", "--rate", "8/s",
                        "--report", str(tmp_path / "r.json"), timeout=120)
        wall = time.monotonic() - t
        assert proc.returncode == 0, proc.stderr.decode()
        n = len(site.requests)
    assert n >= 10                              # the page plus the exposed-file probes
    assert wall >= (n - 1) / 8
