"""The worker against real Kafka and ClickHouse: exactly-once storage, metrics, dead letters, denylist, SIGKILL."""
from __future__ import annotations

import random
import signal
import time

import msgspec
import pytest
from confluent_kafka import Consumer
from confluent_kafka.admin import AdminClient, ConfigResource

from core.denylist import DenylistEntry
from tests.streams.eventgen import encoded, make_event
from tests.streams.harness import CH, Load, WorkerProc, consumer_lags, create_topics, produce, unique

pytestmark = pytest.mark.services


@pytest.fixture
def env(stack, tmp_path):
    topic = unique("t.streams.")
    # the denylist topic is left to the worker, which must declare it compacted
    create_topics(stack.kafka_bootstrap("eu"), [topic, f"{topic}.dlq", f"{topic}.scores"])
    ch = CH(stack.clickhouse_port, unique("rampart_test_"))
    workers: list[WorkerProc] = []

    def worker(**kw) -> WorkerProc:
        w = WorkerProc(tmp_path, stack.kafka_bootstrap("eu"), topic, ch.db, ch_port=stack.clickhouse_port, **kw)
        workers.append(w)
        return w

    yield {"topic": topic, "ch": ch, "worker": worker, "bootstrap": stack.kafka_bootstrap("eu")}
    for w in workers:
        w.stop()
    ch.drop()


def consume_all(bootstrap: str, topic: str, expect: int, timeout: float = 30.0) -> list:
    c = Consumer({"bootstrap.servers": bootstrap, "group.id": unique("reader-"), "auto.offset.reset": "earliest",
                  "enable.auto.commit": False})
    c.subscribe([topic])
    out = []
    deadline = time.monotonic() + timeout
    try:
        while len(out) < expect and time.monotonic() < deadline:
            m = c.poll(0.5)
            if m is not None and not m.error():
                out.append(m)
        # a little longer: more than expected would be a bug too
        end = time.monotonic() + 2
        while time.monotonic() < end:
            m = c.poll(0.2)
            if m is not None and not m.error():
                out.append(m)
    finally:
        c.close()
    return out


def test_every_event_stored_once_metrics_match_dead_letters_kept(env):
    n = 3000
    events = [make_event(i, ts=time.time() - 300 + i * 0.1) for i in range(n)]
    bad = [(b"t1|x", b"{not json"), (b"t1|x", b'{"schema":"rampart.transaction/1","id":"x"}'),
           (b"t1|x", b'{"schema":"other/9","id":"y","ts":1,"client":{"ip":"1.1.1.1","port":1},'
                     b'"server":{"ip":"1.1.1.1","port":1},"request":{"method":"GET","target":"/"}}')]
    items = [encoded(e) for e in events]
    items[1500:1500] = bad
    produce(env["bootstrap"], env["topic"], items)
    w = env["worker"]().start()
    w.wait_ready()
    ch = env["ch"]
    took = ch.wait_count(n, 90)
    time.sleep(1.5)
    assert ch.assert_stored_once(n) == n          # not even a hidden duplicate; metrics_1m counts each once
    n_hits = sum(len(e.hits) for e in events)
    assert ch.scalar("SELECT count() FROM {db}.hits FINAL WHERE source = 'sensor'") == n_hits
    # metrics_1m (materialized view) sums to the same totals, per verdict and per type
    assert ch.scalar("SELECT sum(hits) FROM {db}.metrics_1m WHERE type = ''") == n_hits
    attacks = sum(e.verdict == "attack" for e in events)
    assert ch.scalar("SELECT sum(requests) FROM {db}.metrics_1m WHERE type = '' AND verdict = 'attack'") == attacks
    assert ch.scalar("SELECT sum(requests) FROM {db}.metrics_1m WHERE type = 'xss'") == \
        sum(any(h.type == "xss" for h in e.hits) for e in events)
    # the Faust windowed table holds the same per-minute counts
    cells = w.page("/metrics-1m")
    assert sum(v[0] for k, v in cells.items() if k.split("|")[3] == "") == n
    # dead letters: the malformed events, with their reason, nothing else
    dlq = consume_all(env["bootstrap"], f"{env['topic']}.dlq", 3)
    assert sorted(m.value() for m in dlq) == sorted(v for _k, v in bad)
    reasons = [dict(m.headers())["rampart-error"].decode() for m in dlq]
    assert any("unknown schema" in r for r in reasons) and all(r for r in reasons)
    h = w.health()
    assert h["dead_letters"] == 3 and h["stored"] == n and "scoring off" in h["scoring"]
    # Prometheus: events by outcome, lag per partition (all stored: 0), sink latency and batch sizes, model
    m = w.metrics()
    assert m[("rampart_worker_events_total", (("outcome", "stored"),))] == n
    assert m[("rampart_worker_events_total", (("outcome", "dead_letter"),))] == 3
    assert m[("rampart_worker_events_received_total", ())] == n + 3
    assert consumer_lags(m) == {"0": 0, "1": 0, "2": 0}
    assert m[("rampart_worker_sink_batch_rows_sum", (("table", "transactions"),))] == n
    assert m[("rampart_worker_sink_seconds_count", (("table", "transactions"),))] >= 1
    assert m[("rampart_worker_sink_seconds_sum", (("table", "transactions"),))] > 0
    assert m[("rampart_worker_scoring_enabled", ())] == 0
    assert not [k for k in m if k[0] == "rampart_worker_model_info"]
    status, _ctype, body = w.get("/ready")
    assert status == 200 and "partitions [0, 1, 2]" in body, body
    # discovery: templates with folded ids and typed parameters
    deadline = time.monotonic() + 20          # endpoints are flushed on a timer (every 5 s)
    eps: dict = {}
    while ("GET", "/api/orders/{id}") not in eps and time.monotonic() < deadline:
        time.sleep(0.5)
        eps = dict(((m, t), p) for m, t, p in ch.rows("SELECT method, template, params FROM {db}.endpoints FINAL"))
    assert ("GET", "/api/users/{id}") in eps and '"type":"int"' in eps[("GET", "/api/users/{id}")]
    assert ("GET", "/api/orders/{id}") in eps and '"type":"uuid"' in eps[("GET", "/api/orders/{id}")]
    print(f"\n{n} events stored in {took:.1f}s after the worker was ready")


def test_brute_force_burst_produces_denylist_entry_and_hit(env):
    tenant = unique("tenant")
    w = env["worker"](extra=["--brute-threshold", "10", "--deny-seconds", "6", "--denylist-check-seconds", "1"]).start()
    w.wait_ready()
    burst = [make_event(i, tenant=tenant, path="/login", method="POST", status=401, client_ip="198.18.7.7",
                        attack_every=0, ts=time.time() + i * 0.1) for i in range(15)]
    produce(env["bootstrap"], env["topic"], [encoded(e) for e in burst])
    env["ch"].wait_count(15, 60)
    res = ConfigResource(ConfigResource.Type.TOPIC, f"{env['topic']}.denylist")
    admin = AdminClient({"bootstrap.servers": env["bootstrap"]})
    conf = admin.describe_configs([res])[res].result(10)
    assert conf["cleanup.policy"].value == "compact"
    env["ch"].wait_count(1, 20, table="hits")
    rows = env["ch"].rows("SELECT type, client_ip, path, source FROM {db}.hits FINAL WHERE source = 'behaviour'")
    assert rows == [("brute", "198.18.7.7", "/login", "behaviour")]
    # one entry, then (after its 6 s expiry) a tombstone that removes it from the compacted topic
    msgs = consume_all(env["bootstrap"], f"{env['topic']}.denylist", 2, timeout=40)
    assert [(m.key(), m.value() is None) for m in msgs] == [(f"{tenant}|198.18.7.7".encode(), False),
                                                             (f"{tenant}|198.18.7.7".encode(), True)]
    entry = msgspec.json.decode(msgs[0].value(), type=DenylistEntry)
    assert entry.reason == "brute" and entry.count == 10 and entry.expires == pytest.approx(burst[9].ts + 6)


def test_sigkill_mid_stream_then_restart_loses_and_duplicates_nothing(env):
    n = 20000
    rng = random.Random(7)
    items = [encoded(make_event(i, rng=rng, ts=time.time() - 600 + i * 0.01)) for i in range(n)]
    w = env["worker"](extra=["--batch-size", "500"]).start()
    w.wait_ready()
    # keep producing while the worker is killed
    load = Load(env["bootstrap"], env["topic"], items)
    load.start()
    ch = env["ch"]
    try:
        ch.wait_count(n // 4, 60, final=False, tail=w.tail)
        w.kill(signal.SIGKILL)
        at_kill = ch.scalar("SELECT count() FROM {db}.transactions")
        load.finish(120)
    finally:
        load.halt()
    t0 = time.monotonic()
    w2 = env["worker"](extra=["--batch-size", "500"]).start()
    w2.wait_ready()
    ch.wait_count(n, 120)
    recovery = time.monotonic() - t0
    time.sleep(2)
    # The metrics view counts inserts: redeliveries must be skipped, including the killed worker's last
    # INSERT if it was still running on the server when the new worker looked (it waits for it).
    raw = ch.assert_stored_once(n)
    # Redelivered events already stored are skipped (merges may also have folded a duplicate away).
    assert raw == n, f"{raw - n} duplicate rows stored"
    assert ch.scalar("SELECT sum(hits) FROM {db}.metrics_1m WHERE type = ''") == \
        ch.scalar("SELECT count() FROM {db}.hits FINAL WHERE source = 'sensor'")
    skipped = w2.health()["duplicates_skipped"]
    print(f"\nkilled at {at_kill}/{n} stored; restart to all {n} stored: {recovery:.1f}s; "
          f"{skipped} redelivered events recognised as stored; metrics_1m total {n}")
