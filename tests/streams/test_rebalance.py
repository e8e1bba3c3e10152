"""Two workers share a consumer group: one joins mid-stream, one stops mid-stream; every event lands once."""
from __future__ import annotations

import random
import re
import threading
import time

import pytest

from tests.streams.eventgen import encoded, make_event
from tests.streams.harness import CH, WorkerProc, create_topics, producer, unique

pytestmark = pytest.mark.services
PARTITIONS = 4


def owned(w: WorkerProc) -> set[int]:
    """The transactions partitions a worker owns, as its /ready page says ('' when not ready)."""
    status, _ctype, body = w.get("/ready")
    m = re.search(r"partitions \[([0-9, ]*)\]", body)
    return {int(p) for p in m.group(1).split(",") if p.strip()} if status == 200 and m else set()


def wait_for(what: str, cond, timeout: float, tail=lambda: "") -> float:
    t0 = time.monotonic()
    while not cond():
        assert time.monotonic() - t0 < timeout, f"{what}: not within {timeout}s\n{tail()}"
        time.sleep(0.2)
    return time.monotonic() - t0


def test_worker_joins_and_leaves_mid_stream_every_event_stored_once(stack, tmp_path):
    bootstrap = stack.kafka_bootstrap("eu")
    topic = unique("t.streams.rebalance.")
    create_topics(bootstrap, [topic, f"{topic}.dlq", f"{topic}.scores", f"{topic}.denylist"], PARTITIONS)
    ch = CH(stack.clickhouse_port, unique("rampart_rebalance_"))
    n, per_second = 24000, 800                 # ~30 s of steady load, so both changes happen mid-stream
    rng = random.Random(11)
    start = time.time() - 600
    events = [encoded(make_event(i, rng=rng, ts=start + i * 0.01, host=f"h{i % 8}.example")) for i in range(n)]
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    extra = ["--partitions", str(PARTITIONS), "--batch-size", "1000"]
    w1 = WorkerProc(tmp_path / "a", bootstrap, topic, ch.db, ch_port=stack.clickhouse_port, extra=extra)
    w2 = WorkerProc(tmp_path / "b", bootstrap, topic, ch.db, ch_port=stack.clickhouse_port, extra=extra)
    assert w1.args[w1.args.index("--group") + 1] == w2.args[w2.args.index("--group") + 1]   # one group
    sent = [0]

    def load() -> None:
        p = producer(bootstrap)
        step = per_second // 10
        for k in range(0, n, step):
            for key, value in events[k:k + step]:
                p.produce(topic, value, key)
            sent[0] = k + step
            p.poll(0)
            time.sleep(0.1)
        assert p.flush(60) == 0

    stored = lambda: ch.scalar("SELECT count() FROM {db}.transactions")  # noqa: E731
    t = threading.Thread(target=load)
    try:
        w1.start()
        w1.wait_ready()
        wait_for("worker 1 owns every partition", lambda: owned(w1) == set(range(PARTITIONS)), 90, w1.tail)
        t.start()
        wait_for("a fifth stored", lambda: stored() >= n // 5, 90, w1.tail)

        # a second worker joins: partitions move to it
        joined = time.monotonic()
        w2.start()
        w2.wait_ready()
        wait_for("partitions split between the workers",
                 lambda: owned(w2) and owned(w1) and owned(w1) | owned(w2) == set(range(PARTITIONS))
                 and not owned(w1) & owned(w2), 120, lambda: w1.tail() + "\n---\n" + w2.tail())
        split = time.monotonic() - joined
        at_join = sent[0]
        split_owned = (sorted(owned(w1)), sorted(owned(w2)))

        # the first one stops (SIGTERM) mid-stream: its partitions move back to the second
        wait_for("more stored while both run", lambda: stored() >= at_join + n // 10, 90, w2.tail)
        assert sent[0] < n, "the load ended before the first worker was stopped: not mid-stream"
        left = time.monotonic()
        assert w1.stop() == 0, w1.tail()
        took_over = wait_for("worker 2 owns every partition", lambda: owned(w2) == set(range(PARTITIONS)), 120,
                             w2.tail)
        t.join(120)
        ch.wait_count(n, 120)
        drained = time.monotonic() - left
        time.sleep(2)

        assert ch.scalar("SELECT count() FROM {db}.transactions FINAL") == n
        assert ch.scalar("SELECT uniqExact(id) FROM {db}.transactions") == n
        raw = ch.scalar("SELECT count() FROM {db}.transactions")
        metric_total = ch.scalar("SELECT sum(requests) FROM {db}.metrics_1m WHERE type = ''")
        assert metric_total == n, f"metrics_1m counts {metric_total}, {n} sent ({raw} raw rows)"
        n_hits = sum(e.count(b'"type":') for _k, e in events)
        assert ch.scalar("SELECT sum(hits) FROM {db}.metrics_1m WHERE type = ''") == n_hits
        assert ch.scalar("SELECT count() FROM {db}.hits FINAL WHERE source = 'sensor'") == n_hits
        # rows can all be stored while the new owner still re-reads (and skips) the events the old one stored
        # but had not committed: lag reaches 0 once it has gone past them
        lags: dict = {}

        def caught_up() -> bool:
            lags.clear()
            lags.update({k[1]: v for k, v in w2.metrics().items() if k[0] == "rampart_worker_consumer_lag"})
            return len(lags) == PARTITIONS and set(lags.values()) == {0}
        wait_for("consumer lag 0 on every partition", caught_up, 30, w2.tail)
        print(f"\nsecond worker joined: partitions split {split_owned[0]} / {split_owned[1]} after {split:.1f}s; "
              f"first worker stopped (SIGTERM): second owned all {PARTITIONS} partitions after {took_over:.1f}s, "
              f"all {n} events stored {drained:.1f}s after the stop; raw rows {raw}, metrics_1m total "
              f"{metric_total}")
    finally:
        w1.stop()
        w2.stop()
        if t.is_alive():
            t.join(60)
        ch.drop()
