"""`rampart sensor run` on a bridge (the SPAN view) between two network namespaces: every request once."""
from __future__ import annotations

import json
from collections import Counter

import pytest

from netlab import CLIENT_IP, SERVER_IP, NetLab, stop, wait_lines

pytestmark = pytest.mark.netns


@pytest.fixture
def lab():
    net = NetLab().up()
    try:
        yield net
    finally:
        net.down()


def _client_ok(lab: NetLab, *args: str) -> list[dict]:
    res = lab.client(*args)
    assert res.returncode == 0, res.stderr[-2000:]
    results = json.loads(res.stdout)["results"]
    assert all(r["status"] == 200 for r in results), [r for r in results if r["status"] != 200][:3]
    return results


@pytest.mark.parametrize("workers", [1, 2])
def test_every_request_appears_exactly_once(lab, tmp_path, workers):
    lab.server()
    events = tmp_path / "events.jsonl"
    sensor = lab.sensor("--workers", str(workers), "--bpf", "tcp port 8080", events=events,
                        stderr_path=tmp_path / "sensor.err")
    # 60 requests on 6 keep-alive connections, then 40 on a connection each
    _client_ok(lab, "--count", "60", "--per-conn", "10", "--target", "/ka/{i}?q=keep")
    _client_ok(lab, "--count", "40", "--per-conn", "1", "--target", "/new/{i}", "--method", "POST",
               "--body", "payload-{i}")
    seen = len(wait_lines(events, 100, timeout=60))
    assert stop(sensor) == 0
    err = (tmp_path / "sensor.err").read_text()
    assert seen == 100, f"events before SIGTERM: {seen}; sensor: {err[-1500:]}"
    assert "transactions 100" in err, err[-1000:]
    evs = [json.loads(line) for line in events.read_text().splitlines()]
    targets = Counter(e["request"]["target"] for e in evs)
    expected = [f"/ka/{i}?q=keep" for i in range(60)] + [f"/new/{i}" for i in range(40)]
    assert sorted(targets) == sorted(expected) and set(targets.values()) == {1}
    for e in evs:
        assert e["schema"] == "rampart.transaction/1"
        assert e["client"]["ip"] == CLIENT_IP and e["server"] == {"ip": SERVER_IP, "port": 8080}
        assert e["response"] is not None and e["response"]["status"] == 200
        assert e["action"] == "none"
    posts = [e for e in evs if e["request"]["method"] == "POST"]
    assert all(e["request"]["body_len"] == len(f"payload-{e['request']['target'].split('/')[-1]}") for e in posts)


def test_sigterm_flushes_a_request_still_waiting_for_its_answer(lab, tmp_path):
    """The server is slow (3 s): at SIGTERM the sensor reports the request with response null, exit 0."""
    lab.server(delay_ms=3000)
    events = tmp_path / "events.jsonl"
    sensor = lab.sensor("--bpf", "tcp port 8080", events=events, stderr_path=tmp_path / "sensor.err")
    import subprocess
    import time
    client = subprocess.Popen(["ip", "netns", "exec", lab.client_ns, "python3", "-c",
                               "import socket,time;s=socket.create_connection(('198.18.0.2',8080));"
                               "s.sendall(b'GET /slow HTTP/1.1\\r\\nHost: x\\r\\n\\r\\n');"
                               "print('sent',flush=True);time.sleep(5)"], stdout=subprocess.PIPE, text=True)
    lab.procs.append(client)
    assert client.stdout.readline().strip() == "sent"
    time.sleep(0.3)
    assert stop(sensor) == 0
    evs = [json.loads(line) for line in events.read_text().splitlines()]
    assert [(e["request"]["target"], e["response"]) for e in evs] == [("/slow", None)]


def test_run_with_kafka_and_metrics(lab, tmp_path):
    """`run --kafka --metrics-port`: the topic gets the same events as the file; counters match."""
    import socket
    import sys
    import urllib.request
    import uuid

    from confluent_kafka import OFFSET_BEGINNING, Consumer, TopicPartition

    from pathlib import Path
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))   # tests/sensor: the private broker helper
    from private_kafka import PORT, private_broker

    broker = private_broker(tmp_path / "kafka")
    try:
        broker.up()
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            mport = s.getsockname()[1]
        lab.server()
        events = tmp_path / "events.jsonl"
        tenant = f"t{uuid.uuid4().hex[:6]}"
        sensor = lab.sensor("--bpf", "tcp port 8080", "--kafka", f"127.0.0.1:{PORT}", "--spool-dir",
                            str(tmp_path / "spool"), "--metrics-port", str(mport), "--tenant", tenant,
                            "--mode", "monitoring", events=events, stderr_path=tmp_path / "sensor.err")
        _client_ok(lab, "--count", "30", "--per-conn", "10", "--target", "/m/{i}")
        _client_ok(lab, "--count", "2", "--target", "/x?q=1%27%20OR%201%3D1--")
        assert len(wait_lines(events, 32)) == 32
        import time
        deadline = time.monotonic() + 10
        body = ""
        while time.monotonic() < deadline:   # workers report every second
            body = urllib.request.urlopen(f"http://127.0.0.1:{mport}/metrics", timeout=5).read().decode()
            # (the spool drains once the broker confirms; when it never did, the Kafka sink thread had died: stop 34)
            if "rampart_sensor_transactions_total 32.0" in body and "rampart_sensor_spool_depth 0.0" in body:
                break
            time.sleep(0.5)
        assert "rampart_sensor_transactions_total 32.0" in body, body[-2000:]
        assert "rampart_sensor_attacks_total 2.0" in body
        assert 'rampart_sensor_hits_total{type="sqli"}' in body
        assert "rampart_sensor_spool_depth 0.0" in body, (tmp_path / "sensor.err").read_text()[-3000:]
        assert stop(sensor) == 0
        ids = {json.loads(line)["id"] for line in events.read_text().splitlines()}
        consumer = Consumer({"bootstrap.servers": f"127.0.0.1:{PORT}", "group.id": uuid.uuid4().hex,
                             "auto.offset.reset": "earliest", "enable.auto.commit": False})
        # every partition from its first offset, assigned directly: a group subscription on a fresh broker waits for
        # the coordinator and a rebalance, and once left a partition unread within the deadline (CI, stop 17)
        topic = "rampart.transactions.v1"
        parts = consumer.list_topics(topic, timeout=10).topics[topic].partitions
        consumer.assign([TopicPartition(topic, p, OFFSET_BEGINNING) for p in parts])
        got, errors = [], []
        deadline = time.monotonic() + 30
        while len(got) < 32 and time.monotonic() < deadline:
            for m in consumer.consume(100, timeout=1.0):
                (errors if m.error() else got).append(m)
        # what the broker holds per partition, for the failure message: twice in CI (stop 17) the first batch the
        # sensor counted as delivered was not read back; this tells a log without it from a reader that missed it
        marks = {p: consumer.get_watermark_offsets(TopicPartition(topic, p), timeout=10) for p in parts}
        consumer.close()
        where = (f"watermarks {marks}, read (partition, offset) {sorted((m.partition(), m.offset()) for m in got)}, "
                 f"consumer errors {[str(m.error()) for m in errors][:5]}")
        # What Kafka had not confirmed within the sink's close timeout (a slow private broker under load)
        # is spooled for the next start, not lost: the file's events are Kafka's plus the spool's.
        from sensor.spool import Spool
        spool = Spool(tmp_path / "spool")
        try:
            spooled = spool.read(1000)
        finally:
            spool.close()
        # the spans of offsets the broker confirmed (the sensor's summary line) lie inside what the topic holds:
        # when this fails the broker lost confirmed records; when the set check below fails alone, the reader did
        import re
        err_text = (tmp_path / "sensor.err").read_text()
        spans = re.search(r"kafka delivered \d+ spooled \d+ \(offsets ([^)]*)\)", err_text)
        assert spans, err_text[-2000:]
        for part, first, last in re.findall(r"p(\d+) (\d+)-(\d+)", spans.group(1)):
            low, high = marks[int(part)]
            assert low <= int(first) and int(last) < high, f"confirmed offsets {spans.group(1)}; {where}"
        in_kafka = [json.loads(m.value())["id"] for m in got]
        assert len(in_kafka) == len(set(in_kafka)), "an event reached Kafka twice"
        assert set(in_kafka) | {json.loads(r.value)["id"] for r in spooled} == ids, \
            (tmp_path / "sensor.err").read_text()[-2000:] + "\n" + where
        assert len(in_kafka) >= 16, f"only {len(in_kafka)} of 32 events reached Kafka"
        assert {m.key().decode() for m in got} | {r.key.decode() for r in spooled} == {f"{tenant}|{SERVER_IP}:8080"}
    finally:
        broker.down()


def test_sighup_reloads_the_rules_in_every_worker_without_losing_traffic(lab, tmp_path):
    """The rules file is rewritten with the same size and mtime, so only SIGHUP (not the change watch) can make
    the two workers pick up the new virtual patch; capture goes on throughout."""
    import os
    import signal
    import socket
    import time
    import urllib.request

    rules = tmp_path / "rules.yaml"
    text = "rules:\n  - id: vp-legacy\n    match: {path: {prefix: /zz/}}\n    action: vpatch\n    score: 0.95\n"
    rules.write_text(text)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        mport = s.getsockname()[1]
    lab.server()
    events = tmp_path / "events.jsonl"
    sensor = lab.sensor("--workers", "2", "--bpf", "tcp port 8080", "--mode", "monitoring", "--rules", str(rules),
                        "--metrics-port", str(mport), events=events, stderr_path=tmp_path / "sensor.err")
    _client_ok(lab, "--count", "10", "--per-conn", "1", "--target", "/vp/{i}")
    assert len(wait_lines(events, 10)) == 10
    st = rules.stat()
    rules.write_text(text.replace("/zz/", "/vp/"))
    assert rules.stat().st_size == st.st_size
    os.utime(rules, ns=(st.st_atime_ns, st.st_mtime_ns))
    time.sleep(2.5)                                     # the change watch (every second) sees the same stamp
    _client_ok(lab, "--count", "4", "--per-conn", "1", "--target", "/vp/{i}?before=hup")
    sensor.send_signal(signal.SIGHUP)
    deadline, body = time.monotonic() + 20, ""
    while time.monotonic() < deadline:                  # workers report their counters every second
        body = urllib.request.urlopen(f"http://127.0.0.1:{mport}/metrics", timeout=5).read().decode()
        if "rampart_sensor_rules_reloads_total 2.0" in body:
            break
        time.sleep(0.3)
    assert "rampart_sensor_rules_reloads_total 2.0" in body, body[-1500:]
    assert sensor.poll() is None, "SIGHUP stopped the sensor"
    _client_ok(lab, "--count", "10", "--per-conn", "1", "--target", "/vp/{i}?after=hup")
    assert len(wait_lines(events, 24)) == 24
    assert stop(sensor) == 0
    evs = [json.loads(line) for line in events.read_text().splitlines()]
    patched = {e["request"]["target"]: any(h["rule"] == "vp-legacy" for h in e["hits"]) for e in evs}
    assert len(patched) == 24
    assert not any(v for t, v in patched.items() if "after=hup" not in t), "patched before SIGHUP"
    assert all(v for t, v in patched.items() if "after=hup" in t), "a worker kept the old rules"
    assert {e["verdict"] for e in evs if "after=hup" in e["request"]["target"]} == {"attack"}
    err = (tmp_path / "sensor.err").read_text()
    assert err.count("rules reloaded from") == 2 and "rampart_sensor_config_rejects_total 0.0" in body, err[-1500:]
