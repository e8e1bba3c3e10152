"""ClickHouse schema and migrations of a regional database (tables, views, retention), for 18.16 and current servers."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from typing import Any, Callable, Protocol, Sequence

# ---------------------------------------------------------------------------------------------------------
# Contract for readers (API, scanner, training). Every table lives in the region's database (`database_for`).
#
# transactions  one row per HTTP transaction (ReplacingMergeTree keyed by (tenant, time, id): a redelivered
#               event replaces itself; read with FINAL or GROUP BY id to never see a duplicate).
# hits          one row per hit; sensor hits keep their index within the event (idx), behavioural hits from
#               streams (`brute`, `dirbust`) have a deterministic event_id "behaviour:<kind>:<tenant>:<ip>:<t>".
# metrics_1m    per-minute counters (SummingMergeTree, fed by the materialized view metrics_1m_mv on
#               transactions): always read with sum(...) GROUP BY. Row type '' = all transactions of the
#               minute; row type 'sqli' = transactions with at least one sqli hit. status_class = status/100
#               (0 when no response was seen). hits counts hits only in type '' rows.
# vulnerabilities  findings of the scanner (ReplacingMergeTree(updated_at) keyed by (tenant, id)): a status
#               change is a new row with a newer updated_at; read with FINAL.
# endpoints     the API inventory from streams discovery (ReplacingMergeTree(updated_at) keyed by
#               (tenant, host, method, template)); params is JSON [{"name","in","type"}]; read with FINAL.
# schema_migrations  versions applied by `rampart db migrate`.
# retention     days kept per table (set by `rampart db migrate`; TTL where supported, else partition drops).
# ---------------------------------------------------------------------------------------------------------

DEFAULT_DATABASE_PREFIX = "rampart"
REGIONS = ("eu", "us")

TRANSACTIONS_COLUMNS: list[tuple[str, str]] = [
    ("tenant", "String"),
    ("id", "String"),                   # event id (unique per transaction)
    ("ts", "Float64"),                  # seconds since epoch, request's first packet
    ("time", "DateTime"),               # toDateTime(ts), whole seconds (no DateTime64 on 18.16)
    ("date", "Date"),
    ("node", "String"),
    ("client_ip", "String"),
    ("client_port", "UInt16"),
    ("server_ip", "String"),
    ("server_port", "UInt16"),
    ("host", "String"),
    ("method", "String"),
    ("target", "String"),               # as sent, undecoded
    ("path", "String"),                 # target without the query string
    ("status", "UInt16"),               # 0 when no response was seen
    ("verdict", "String"),              # attack | clean
    ("action", "String"),               # none | reset | denylisted
    ("hit_count", "UInt16"),
    ("types", "Array(String)"),         # distinct hit types, sorted
    ("req_body_len", "UInt64"),
    ("resp_body_len", "UInt64"),
    ("score", "Float32"),               # model attack probability, -1 when not scored
    ("model_version", "String"),        # "<name>/<version>" of the scorer, '' when not scored
    ("event", "String"),                # the raw event JSON
    ("src_partition", "Int32"),         # Kafka partition/offset the row came from (exactly-once restarts)
    ("src_offset", "Int64"),
]

HITS_COLUMNS: list[tuple[str, str]] = [
    ("tenant", "String"),
    ("event_id", "String"),
    ("idx", "UInt16"),                  # index of the hit within its event
    ("ts", "Float64"),
    ("time", "DateTime"),
    ("date", "Date"),
    ("host", "String"),
    ("client_ip", "String"),
    ("method", "String"),
    ("path", "String"),
    ("status", "UInt16"),
    ("type", "String"),
    ("point", "String"),                # JSON array, e.g. ["get","id"]
    ("value", "String"),
    ("rule", "String"),
    ("score", "Float32"),
    ("verdict", "String"),
    ("action", "String"),
    ("source", "String"),               # sensor | behaviour
]

METRICS_COLUMNS: list[tuple[str, str]] = [
    ("tenant", "String"),
    ("minute", "DateTime"),
    ("date", "Date"),
    ("host", "String"),
    ("type", "String"),
    ("verdict", "String"),
    ("action", "String"),
    ("status_class", "UInt8"),
    ("requests", "UInt64"),
    ("hits", "UInt64"),
    ("req_bytes", "UInt64"),
    ("resp_bytes", "UInt64"),
]

VULNERABILITIES_COLUMNS: list[tuple[str, str]] = [
    ("tenant", "String"),
    ("id", "String"),
    ("ts", "Float64"),                  # first detection
    ("time", "DateTime"),
    ("host", "String"),
    ("url", "String"),
    ("method", "String"),
    ("param", "String"),
    ("type", "String"),                 # attack type names of design §3 where they fit (sqli, xss, ...)
    ("severity", "String"),             # info | low | medium | high | critical
    ("confidence", "Float32"),          # 0..1
    ("title", "String"),
    ("evidence", "String"),             # JSON
    ("status", "String"),               # open | closed | false_positive
    ("source", "String"),               # scan | passive | replay
    ("updated_at", "DateTime"),         # version: the newest row per (tenant, id) wins
]

# Analyst labels of hits (false-positive marks, confirmed attacks) for training; the newest per hit wins.
LABELS_COLUMNS: list[tuple[str, str]] = [
    ("tenant", "String"),
    ("event_id", "String"),
    ("idx", "UInt16"),                  # the hit's index in the event
    ("label", "String"),                # benign | attack
    ("ts", "Float64"),
    ("source", "String"),               # analyst | replay
    ("date", "Date"),
]

ENDPOINTS_COLUMNS: list[tuple[str, str]] = [
    ("tenant", "String"),
    ("host", "String"),
    ("method", "String"),
    ("template", "String"),             # path with ids folded, e.g. /users/{id}/orders/{uuid}
    ("params", "String"),               # JSON [{"name": "q", "in": "query|body|path|cookie", "type": "int"}]
    ("sample_target", "String"),        # one concrete target seen (for scanners)
    ("first_seen", "DateTime"),
    ("last_seen", "DateTime"),
    ("requests", "UInt64"),
    ("attacks", "UInt64"),
    ("statuses", "String"),             # JSON {"200": n, "404": n}
    ("updated_at", "DateTime"),
]

VULN_STATUSES = ("open", "closed", "false_positive")
VULN_SOURCES = ("scan", "passive", "replay")


def database_for(region: str, prefix: str = DEFAULT_DATABASE_PREFIX) -> str:
    """Name of a region's database, e.g. rampart_eu."""
    if not re.fullmatch(r"[a-z][a-z0-9]*", region):
        raise ValueError(f"bad region name {region!r}")
    if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", prefix):
        raise ValueError(f"bad database prefix {prefix!r}")
    return f"{prefix}_{region}"


def _cols(columns: Sequence[tuple[str, str]]) -> str:
    return ",\n    ".join(f"`{n}` {t}" for n, t in columns)


@dataclass(frozen=True)
class Migration:
    """One schema step; `min_server` marks steps that need a newer server and are skipped (not recorded) below it."""

    version: int
    name: str
    statements: tuple[str, ...]        # with {db} placeholders
    min_server: tuple[int, int] | None = None


_HOUR = "toDateTime(intDiv(toUInt32(time), 3600) * 3600)"   # the UTC hour (toStartOfHour uses the server's zone)
# the one-off copy of a big hits table aggregates on disk past 512 MB instead of failing at the memory limit
_BACKFILL_SETTINGS = "\nSETTINGS max_bytes_before_external_group_by = 536870912"
_ATTACK_HOURS_SELECT = f"""
SELECT tenant, cityHash64(type, point, host, path) AS g, {_HOUR} AS hour, date, type, point, host, path,
       minState(ts) AS first_ts, maxState(ts) AS last_ts, countState() AS hits,
       sumState(toUInt64(action != 'none')) AS blocked, groupUniqArrayState(client_ip) AS sources,
       anyState(value) AS sample_value
FROM {{db}}.hits
GROUP BY tenant, g, hour, date, type, point, host, path"""
_HIT_TOPS_SELECT = f"""
SELECT tenant, date, {_HOUR} AS hour, d.1 AS dim, d.2 AS t, host, d.3 AS k,
       countState() AS hits, sumState(toUInt64(idx = 0)) AS firsts,
       uniqIfState(event_id, toUInt8(d.2 != '')) AS transactions
FROM {{db}}.hits
ARRAY JOIN [('source', '', client_ip), ('source', type, client_ip), ('target', '', path),
            ('target', type, path), ('type', type, '')] AS d
GROUP BY tenant, date, hour, dim, t, host, k"""


MIGRATIONS: tuple[Migration, ...] = (
    Migration(1, "transactions", (f"""
CREATE TABLE IF NOT EXISTS {{db}}.transactions (
    {_cols(TRANSACTIONS_COLUMNS)}
) ENGINE = ReplacingMergeTree()
PARTITION BY date
ORDER BY (tenant, time, id)""",)),
    Migration(2, "hits", (f"""
CREATE TABLE IF NOT EXISTS {{db}}.hits (
    {_cols(HITS_COLUMNS)}
) ENGINE = ReplacingMergeTree()
PARTITION BY date
ORDER BY (tenant, time, event_id, idx)""",)),
    Migration(3, "metrics_1m", (f"""
CREATE TABLE IF NOT EXISTS {{db}}.metrics_1m (
    {_cols(METRICS_COLUMNS)}
) ENGINE = SummingMergeTree((requests, hits, req_bytes, resp_bytes))
PARTITION BY date
ORDER BY (tenant, minute, host, type, verdict, action, status_class)""", """
CREATE MATERIALIZED VIEW IF NOT EXISTS {db}.metrics_1m_mv TO {db}.metrics_1m AS
SELECT tenant, toStartOfMinute(time) AS minute, date, host, mtype AS type, verdict, action,
       toUInt8(intDiv(status, 100)) AS status_class,
       count() AS requests,
       sum(if(mtype = '', toUInt64(hit_count), toUInt64(0))) AS hits,
       sum(if(mtype = '', req_body_len, toUInt64(0))) AS req_bytes,
       sum(if(mtype = '', resp_body_len, toUInt64(0))) AS resp_bytes
FROM {db}.transactions
ARRAY JOIN arrayConcat([''], types) AS mtype
GROUP BY tenant, minute, date, host, type, verdict, action, status_class""")),
    Migration(4, "vulnerabilities", (f"""
CREATE TABLE IF NOT EXISTS {{db}}.vulnerabilities (
    {_cols(VULNERABILITIES_COLUMNS)}
) ENGINE = ReplacingMergeTree(updated_at)
ORDER BY (tenant, id)""",)),
    Migration(5, "endpoints", (f"""
CREATE TABLE IF NOT EXISTS {{db}}.endpoints (
    {_cols(ENDPOINTS_COLUMNS)}
) ENGINE = ReplacingMergeTree(updated_at)
ORDER BY (tenant, host, method, template)""",)),
    # Compression codecs exist from 19.x on; applied only where the server has them.
    Migration(6, "codecs", (
        "ALTER TABLE {db}.transactions MODIFY COLUMN `event` String CODEC(ZSTD(3))",
        "ALTER TABLE {db}.transactions MODIFY COLUMN `target` String CODEC(ZSTD(1))",
        "ALTER TABLE {db}.hits MODIFY COLUMN `value` String CODEC(ZSTD(1))",
    ), min_server=(20, 3)),
    # Retention chosen by `rampart db migrate` (read by the worker's partition sweep on servers without TTL).
    Migration(7, "retention_settings", ("""
CREATE TABLE IF NOT EXISTS {db}.retention (
    `table` String, days UInt32, updated_at DateTime
) ENGINE = ReplacingMergeTree(updated_at)
ORDER BY `table`""",)),
    Migration(8, "labels", (f"""
CREATE TABLE IF NOT EXISTS {{db}}.labels (
    {_cols(LABELS_COLUMNS)}
) ENGINE = MergeTree() PARTITION BY toYYYYMM(date)
ORDER BY (tenant, event_id, idx, ts)""",)),
    # Pre-aggregations read by the API (fed at insert time by materialized views on hits; the existing rows are
    # copied once when the migration runs — run it before the workers insert, or rows inserted during the copy
    # count twice). Buckets are whole UTC hours, so the API answers a window from whole hours plus the raw hits
    # of its partial first and last hour. Both count every stored hit row: the streams sink's exactly-once
    # restarts keep redelivered events out of hits, so this equals counting distinct hits.
    #
    # attack_hours  one row per (tenant, attack group = type+point+host+path, hour): first/last hit, hits,
    #               blocked hits, distinct sources, a sample value (AggregatingMergeTree: read with -Merge
    #               and GROUP BY). Within one hour every gap between two hits is under an hour, so an attack
    #               (gap > 1 h ends it) never splits inside a bucket: sessionising buckets is exact.
    #               Ordered by group first, so the candidate groups of a page are read by primary key; small
    #               granules because every granule read deserialises its rows' IP sets.
    # hit_tops      per (tenant, dim, t, hour, host, k) hits and transactions (AggregatingMergeTree: read with
    #               -Merge and GROUP BY): dim 'source' (k = client_ip) and 'target' (k = path), with t = '' for
    #               all types and t = the hit type; dim 'type' (t = type, k = ''). Transactions: in t = '' rows
    #               `firsts` (hits with idx 0: one per event, and an event has one source, host and path, so
    #               sums over hours, hosts and keys count each transaction once); in typed rows
    #               `transactions` (uniqIf states of event ids, empty in t = '' rows).
    Migration(9, "attack_hours", (f"""
CREATE TABLE IF NOT EXISTS {{db}}.attack_hours (
    tenant String, g UInt64, hour DateTime, date Date, type String, point String, host String, path String,
    first_ts AggregateFunction(min, Float64), last_ts AggregateFunction(max, Float64),
    hits AggregateFunction(count), blocked AggregateFunction(sum, UInt64),
    sources AggregateFunction(groupUniqArray, String), sample_value AggregateFunction(any, String)
) ENGINE = AggregatingMergeTree()
PARTITION BY date
ORDER BY (tenant, g, hour, type, point, host, path)
SETTINGS index_granularity = 32""",
        "CREATE MATERIALIZED VIEW IF NOT EXISTS {db}.attack_hours_mv TO {db}.attack_hours AS" + _ATTACK_HOURS_SELECT,
        "INSERT INTO {db}.attack_hours" + _ATTACK_HOURS_SELECT + _BACKFILL_SETTINGS)),
    Migration(10, "hit_tops", ("""
CREATE TABLE IF NOT EXISTS {db}.hit_tops (
    tenant String, date Date, hour DateTime, dim String, t String, host String, k String,
    hits AggregateFunction(count), firsts AggregateFunction(sum, UInt64),
    transactions AggregateFunction(uniqIf, String, UInt8)
) ENGINE = AggregatingMergeTree()
PARTITION BY date
ORDER BY (tenant, dim, t, hour, host, k)""",
        "CREATE MATERIALIZED VIEW IF NOT EXISTS {db}.hit_tops_mv TO {db}.hit_tops AS" + _HIT_TOPS_SELECT,
        "INSERT INTO {db}.hit_tops" + _HIT_TOPS_SELECT + _BACKFILL_SETTINGS)),
)

RETENTION_TABLES = ("transactions", "hits", "metrics_1m")
# The API's pre-aggregations of hits live exactly as long as the hits they summarise.
DERIVED_RETENTION = {"attack_hours": "hits", "hit_tops": "hits"}
_TTL_COLUMN = {"metrics_1m": "minute", "attack_hours": "hour", "hit_tops": "hour"}   # others: `time`


def _retained(retention: "Retention") -> list[tuple[str, int]]:
    """(table, days) for every table with a retention, derived tables included."""
    out = [(t, retention.days(t)) for t in RETENTION_TABLES]
    return out + [(t, retention.days(base)) for t, base in DERIVED_RETENTION.items()]
TTL_MIN_SERVER = (20, 3)


class ClickHouseClient(Protocol):
    """What migrate() needs: clickhouse_driver.Client's execute()."""

    def execute(self, query: str, params: Any = None, **kwargs: Any) -> Any: ...


def server_version(client: ClickHouseClient) -> tuple[int, int]:
    """(major, minor) of the server, e.g. (18, 16)."""
    text = client.execute("SELECT version()")[0][0]
    major, minor = (int(p) for p in str(text).split(".")[:2])
    return major, minor


@dataclass
class Retention:
    """How many days of data to keep per table (0 = forever)."""

    transactions_days: int = 30
    hits_days: int = 90
    metrics_days: int = 400

    def days(self, table: str) -> int:
        return {"transactions": self.transactions_days, "hits": self.hits_days,
                "metrics_1m": self.metrics_days}[table]


@dataclass
class MigrationReport:
    database: str
    server: tuple[int, int]
    applied: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)    # need a newer server
    retention: list[str] = field(default_factory=list)


def migrate(client: ClickHouseClient, database: str, retention: Retention | None = None,
            log: Callable[[str], None] = lambda _msg: None) -> MigrationReport:
    """Create the database and apply every pending migration. With `retention`, also record it and set TTLs
    where the server supports them (without, retention settings are left as they are)."""
    if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", database):
        raise ValueError(f"bad database name {database!r}")
    ver = server_version(client)
    report = MigrationReport(database, ver)
    client.execute(f"CREATE DATABASE IF NOT EXISTS {database}")
    client.execute(f"""
CREATE TABLE IF NOT EXISTS {database}.schema_migrations (
    version UInt32, name String, applied_at DateTime DEFAULT now()
) ENGINE = MergeTree() ORDER BY version""")
    done = {row[0] for row in client.execute(f"SELECT version FROM {database}.schema_migrations")}
    for mig in MIGRATIONS:
        if mig.version in done:
            continue
        if mig.min_server and ver < mig.min_server:
            report.skipped.append(mig.name)
            continue
        for stmt in mig.statements:
            client.execute(stmt.format(db=database))
        client.execute(f"INSERT INTO {database}.schema_migrations (version, name) VALUES",
                       [(mig.version, mig.name)])
        report.applied.append(mig.name)
        log(f"{database}: applied migration {mig.version} {mig.name}")
    if retention is None:
        return report
    client.execute(f"INSERT INTO {database}.retention (`table`, days, updated_at) VALUES",
                   [(t, retention.days(t), datetime.now(timezone.utc).replace(tzinfo=None))
                    for t in RETENTION_TABLES])
    if ver >= TTL_MIN_SERVER:
        for table, days in _retained(retention):
            if days > 0:
                col = _TTL_COLUMN.get(table, "time")
                client.execute(f"ALTER TABLE {database}.{table} MODIFY TTL {col} + INTERVAL {int(days)} DAY")
                report.retention.append(f"{table}: TTL {days} days")
    else:
        report.retention.append("TTL unsupported by this server: expired partitions are dropped by "
                                "drop_expired_partitions() (run by the streams worker)")
    return report


def load_retention(client: ClickHouseClient, database: str) -> Retention:
    """The retention recorded by the last `migrate(..., retention)`; defaults where none was recorded."""
    days = dict(client.execute(f"SELECT `table`, days FROM {database}.retention FINAL"))
    base = Retention()
    return Retention(int(days.get("transactions", base.transactions_days)), int(days.get("hits", base.hits_days)),
                     int(days.get("metrics_1m", base.metrics_days)))


def applied_versions(client: ClickHouseClient, database: str) -> list[int]:
    return sorted(r[0] for r in client.execute(f"SELECT version FROM {database}.schema_migrations"))


def drop_expired_partitions(client: ClickHouseClient, database: str, retention: Retention,
                            today: date | None = None) -> list[str]:
    """Retention on servers without TTL: drop whole day partitions older than each table's limit."""
    today = today or date.today()
    dropped: list[str] = []
    for table, days in _retained(retention):
        if days <= 0:
            continue
        cutoff = today - timedelta(days=days)
        rows = client.execute(
            "SELECT DISTINCT partition_id FROM system.parts WHERE database = %(db)s AND table = %(t)s "
            "AND active AND max_date < %(cutoff)s", {"db": database, "t": table, "cutoff": cutoff})
        for (pid,) in rows:
            client.execute(f"ALTER TABLE {database}.{table} DROP PARTITION ID '{pid}'")
            dropped.append(f"{table}:{pid}")
    return dropped
