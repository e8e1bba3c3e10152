"""A real `rampart sensor run` on a bridge: /health, /ready and the Prometheus metrics, memcap cuts included."""
from __future__ import annotations

import json
import subprocess
import time

import pytest

from helpers import free_port, http_get
from netlab import PY, ROOT, NetLab, stop, wait_lines

pytestmark = pytest.mark.netns


def _metric(body: str, name: str) -> float:
    for line in body.splitlines():
        if line.startswith(name + " ") or line.startswith(name + "{"):
            return float(line.rsplit(" ", 1)[1])
    raise AssertionError(f"{name} missing from /metrics:\n{body[-3000:]}")


def test_health_ready_and_metrics_of_a_live_sensor(tmp_path):
    lab = NetLab().up()
    try:
        port = free_port()
        lab.server()
        events = tmp_path / "events.jsonl"
        err_path = tmp_path / "sensor.err"
        # a 96 KiB memcap: 2 KiB per flow leaves room for a few bodies, so 90 KB uploads must be cut (and counted)
        sensor = lab.spawn(None, [PY, "-m", "rampart", "sensor", "run", "--iface", lab.bridge, "--bpf", "tcp port 8080",
                                  "--events", str(events), "--metrics-port", str(port), "--memcap", "96KiB"],
                           stderr=open(err_path, "w"), stdout=subprocess.DEVNULL, cwd=str(ROOT))
        ready_codes: list[int] = []
        health_ok = False
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline:
            if sensor.poll() is not None:
                raise AssertionError(f"sensor exited {sensor.returncode}: {err_path.read_text()[-2000:]}")
            health_ok = health_ok or http_get(port, "/health", timeout=2)[0] == 200
            code = http_get(port, "/ready", timeout=2)[0]
            if code:
                ready_codes.append(code)
            if code == 200 and "capturing on" in err_path.read_text():
                break
            time.sleep(0.05)
        assert health_ok and ready_codes and ready_codes[-1] == 200, (ready_codes[-5:], err_path.read_text()[-2000:])
        # /ready only ever goes from 503 (workers starting) to 200 (capturing)
        first_ok = ready_codes.index(200)
        assert set(ready_codes[:first_ok]) <= {503} and set(ready_codes[first_ok:]) == {200}

        res = lab.client("--count", "20", "--per-conn", "5", "--target", "/page/{i}")
        assert res.returncode == 0, res.stderr[-2000:]
        res = lab.client("--count", "2", "--target", "/q?id=1%27%20OR%201%3D1--")
        assert res.returncode == 0, res.stderr[-2000:]
        res = lab.client("--count", "3", "--per-conn", "3", "--method", "POST", "--target", "/upload/{i}",
                         "--body", "u" * 90_000)
        assert res.returncode == 0, res.stderr[-2000:]
        assert len(wait_lines(events, 25, timeout=60)) == 25

        body = ""
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:   # workers report every second
            body = http_get(port, "/metrics")[1]
            if "rampart_sensor_transactions_total 25.0" in body:
                break
            time.sleep(0.3)
        assert _metric(body, "rampart_sensor_transactions_total") == 25
        assert _metric(body, "rampart_sensor_packets_total") > 50
        assert _metric(body, "rampart_sensor_flows_total") == 4 + 2 + 1
        assert _metric(body, 'rampart_sensor_hits_total{type="sqli"}') >= 2
        assert _metric(body, "rampart_sensor_memcap_truncations_total") >= 1
        for name in ("rampart_sensor_drops_total", "rampart_sensor_kernel_drops_total",
                     "rampart_sensor_evicted_flows_total", "rampart_sensor_resets_sent_total",
                     "rampart_sensor_spool_depth", "rampart_sensor_active_flows", "rampart_sensor_memory_bytes"):
            _metric(body, name)
        assert _metric(body, "rampart_sensor_memory_bytes") <= 96 * 1024
        assert _metric(body, "rampart_sensor_ready") == 1
        assert http_get(port, "/health")[0] == 200

        assert stop(sensor) == 0
        evs = [json.loads(line) for line in events.read_text().splitlines()]
        uploads = [e for e in evs if e["request"]["method"] == "POST"]
        assert len(uploads) == 3 and all(e["request"]["body_len"] == 90_000 for e in uploads)
        assert any(e["request"]["body_truncated"] for e in uploads)
        assert http_get(port, "/health")[0] == 0      # the process is gone: nothing answers
    finally:
        lab.down()
