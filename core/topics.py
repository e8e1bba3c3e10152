"""Kafka topic names shared by producers and consumers (design §4)."""

TRANSACTIONS = "rampart.transactions.v1"   # key: tenant|host
SCORES = "rampart.scores.v1"
DENYLIST = "rampart.denylist.v1"           # compacted, key tenant|ip, tombstone = removal
NODE_METRICS = "rampart.node-metrics.v1"
DEAD_LETTER = "rampart.dead-letter.v1"     # malformed events, with the reason in a header

PRODUCER_DEFAULTS = {"enable.idempotence": True, "acks": "all"}
