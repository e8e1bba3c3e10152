"""Kafka topic names shared by producers and consumers (design §4)."""

TRANSACTIONS = "rampart.transactions.v1"   # key: tenant|host
SCORES = "rampart.scores.v1"
DENYLIST = "rampart.denylist.v1"           # compacted, key tenant|ip, tombstone = removal
NODE_METRICS = "rampart.node-metrics.v1"
DEAD_LETTER = "rampart.dead-letter.v1"     # malformed events, with the reason in a header

# One produce request in flight per broker. With more, librdkafka (confluent-kafka 2.16) counted a batch the broker
# had refused (NOT_LEADER on a fresh topic) as delivered once the batch sent after it succeeded ("implicitly acked",
# reported without an offset), and those events were never written (the live Kafka test, stops 17 and 33).
PRODUCER_DEFAULTS = {"enable.idempotence": True, "acks": "all", "max.in.flight.requests.per.connection": 1}
