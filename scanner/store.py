"""Writes findings into the region ClickHouse `vulnerabilities` table (schema and migrations from core.schema)."""
from __future__ import annotations

import hashlib
import json
import time
from datetime import datetime, timezone
from typing import Any, Iterable
from urllib.parse import urlsplit

from core.schema import VULNERABILITIES_COLUMNS, migrate
from scanner.finding import Finding

COLUMNS = [name for name, _ in VULNERABILITIES_COLUMNS]


def finding_id(tenant: str, f: Finding) -> str:
    """Stable id: the same flaw found again replaces its row (ReplacingMergeTree keyed by tenant, id)."""
    return hashlib.sha256("|".join((tenant,) + f.key()).encode()).hexdigest()[:32]


def to_row(f: Finding, tenant: str, now: float) -> dict[str, Any]:
    stamp = datetime.fromtimestamp(int(now), tz=timezone.utc).replace(tzinfo=None)
    doc: dict[str, Any] = dict(f.evidence)
    doc["technique"] = f.technique
    if f.incident:
        doc["incident"] = f.incident
    return {"tenant": tenant, "id": finding_id(tenant, f), "ts": now, "time": stamp,
            "host": urlsplit(f.url).hostname or "", "url": f.url, "method": f.method, "param": f.param,
            "type": f.type, "severity": f.severity, "confidence": f.confidence, "title": f.title,
            "evidence": json.dumps(doc, sort_keys=True), "status": "open", "source": f.source, "updated_at": stamp}


def store(client: Any, database: str, findings: Iterable[Finding], tenant: str = "default",
          ensure_schema: bool = True) -> int:
    """Insert one row per finding; returns the row count. `client` is a clickhouse_driver.Client."""
    if ensure_schema:
        migrate(client, database)
    now = time.time()
    rows = [to_row(f, tenant, now) for f in findings]
    if rows:
        # A flaw seen again keeps its first-detection time and the analyst's status (e.g. false_positive).
        known = {r[0]: (r[1], r[2]) for r in client.execute(
            f"SELECT id, ts, status FROM {database}.vulnerabilities FINAL "
            f"WHERE tenant = %(tenant)s AND id IN %(ids)s", {"tenant": tenant, "ids": tuple(r["id"] for r in rows)})}
        for r in rows:
            if r["id"] in known:
                r["ts"], r["status"] = known[r["id"]]
                r["time"] = datetime.fromtimestamp(int(r["ts"]), tz=timezone.utc).replace(tzinfo=None)
        client.execute(f"INSERT INTO {database}.vulnerabilities ({', '.join(COLUMNS)}) VALUES",
                       [[r[c] for c in COLUMNS] for r in rows])
    return len(rows)
