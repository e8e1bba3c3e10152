"""Two workers share a consumer group: one joins mid-stream, one stops mid-stream; every event lands once."""
from __future__ import annotations

import random
import re
import time

import pytest

from tests.streams.eventgen import encoded, make_event
from tests.streams.harness import CH, Load, WorkerProc, create_topics, unique, wait_for

pytestmark = pytest.mark.services
PARTITIONS = 4


def owned(w: WorkerProc) -> set[int]:
    """The transactions partitions a worker owns, as its /ready page says ('' when not ready)."""
    status, _ctype, body = w.get("/ready")
    m = re.search(r"partitions \[([0-9, ]*)\]", body)
    return {int(p) for p in m.group(1).split(",") if p.strip()} if status == 200 and m else set()


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
    load = Load(bootstrap, topic, events, per_second)
    try:
        w1.start()
        w1.wait_ready()
        wait_for("worker 1 owns every partition", lambda: owned(w1) == set(range(PARTITIONS)), 90, w1.tail)
        load.start()
        ch.wait_count(n // 5, 90, final=False, tail=w1.tail)          # a fifth stored

        # a second worker joins: partitions move to it
        joined = time.monotonic()
        w2.start()
        w2.wait_ready()
        wait_for("partitions split between the workers",
                 lambda: owned(w2) and owned(w1) and owned(w1) | owned(w2) == set(range(PARTITIONS))
                 and not owned(w1) & owned(w2), 120, lambda: w1.tail() + "\n---\n" + w2.tail())
        split = time.monotonic() - joined
        at_join = load.sent
        split_owned = (sorted(owned(w1)), sorted(owned(w2)))

        # the first one stops (SIGTERM) mid-stream: its partitions move back to the second
        ch.wait_count(at_join + n // 10, 90, final=False, tail=w2.tail)   # more stored while both run
        assert load.sent < n, "the load ended before the first worker was stopped: not mid-stream"
        left = time.monotonic()
        assert w1.stop() == 0, w1.tail()
        took_over = wait_for("worker 2 owns every partition", lambda: owned(w2) == set(range(PARTITIONS)), 120,
                             w2.tail)
        load.finish(120)
        ch.wait_count(n, 120)
        drained = time.monotonic() - left
        time.sleep(2)

        raw = ch.assert_stored_once(n)
        n_hits = sum(e.count(b'"type":') for _k, e in events)
        assert ch.scalar("SELECT sum(hits) FROM {db}.metrics_1m WHERE type = ''") == n_hits
        assert ch.scalar("SELECT count() FROM {db}.hits FINAL WHERE source = 'sensor'") == n_hits
        # rows can all be stored while the new owner still re-reads (and skips) the events the old one stored
        # but had not committed: lag reaches 0 once it has gone past them
        w2.wait_caught_up(PARTITIONS, 30)
        print(f"\nsecond worker joined: partitions split {split_owned[0]} / {split_owned[1]} after {split:.1f}s; "
              f"first worker stopped (SIGTERM): second owned all {PARTITIONS} partitions after {took_over:.1f}s, "
              f"all {n} events stored {drained:.1f}s after the stop; raw rows {raw}, metrics_1m total {n}")
    finally:
        w1.stop()
        w2.stop()
        load.halt()
        ch.drop()
