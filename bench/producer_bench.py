"""Kafka producer: events/s with one produce request in flight per broker (Rampart's setting) beside five."""
from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "sensor"))

from confluent_kafka import Producer  # noqa: E402

from core import topics  # noqa: E402
from private_kafka import PORT, private_broker  # noqa: E402


def produce(in_flight: int, n: int, value: bytes) -> float:
    """Events/s for `n` sends with a delivery report each (as the sensor's sink), flushed; all must be confirmed."""
    config = {"bootstrap.servers": f"127.0.0.1:{PORT}", **topics.PRODUCER_DEFAULTS, "linger.ms": 5,
              "max.in.flight.requests.per.connection": in_flight}
    producer = Producer(config)
    confirmed = [0]

    def report(err, _msg) -> None:
        confirmed[0] += err is None

    start = time.perf_counter()
    for i in range(n):
        while True:
            try:
                producer.produce("bench.producer", value, b"tenant|host-%d" % (i % 8), on_delivery=report)
                break
            except BufferError:
                producer.poll(0.01)
        producer.poll(0)
    producer.flush(120)
    rate = n / (time.perf_counter() - start)
    if confirmed[0] != n:
        raise SystemExit(f"only {confirmed[0]} of {n} sends confirmed (in flight {in_flight})")
    return rate


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--events", type=int, default=200_000)
    ap.add_argument("--rounds", type=int, default=5)
    args = ap.parse_args()
    value = b"x" * 850   # a transaction event's typical size
    with tempfile.TemporaryDirectory() as tmp:
        broker = private_broker(Path(tmp) / "kafka")
        broker.up()
        try:
            rates: dict[int, list[float]] = {5: [], 1: []}
            for _ in range(args.rounds):   # interleaved, so drift on a noisy machine hits both alike
                for in_flight in rates:
                    rates[in_flight].append(produce(in_flight, args.events, value))
        finally:
            broker.down()
    base, ours = statistics.median(rates[5]), statistics.median(rates[1])
    print(f"| in flight per broker | median events/s | rounds |\n|---|---|---|\n"
          f"| 5 (librdkafka's default, baseline) | {base:,.0f} | {', '.join(f'{r:,.0f}' for r in rates[5])} |\n"
          f"| 1 (Rampart) | {ours:,.0f} | {', '.join(f'{r:,.0f}' for r in rates[1])} |\n\n"
          f"ratio 1 : 5 = {ours / base:.2f}; {args.events:,} events of {len(value)} bytes per round, 8 keys")


if __name__ == "__main__":
    main()
