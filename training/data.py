"""Labelled (point, value, label, ts) snapshots from ClickHouse or JSONL files, with their size and sha256."""
from __future__ import annotations

import hashlib
import json
import re
import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Iterator

import msgspec

from core.events import Request, TransactionEvent, decode_event
from core.request_points import request_points as core_request_points

ATTACK_LABELS = frozenset({"attack", "1", "1.0", "true", "malicious", "anom", "anomalous"})
BENIGN_LABELS = frozenset({"benign", "0", "0.0", "false", "clean", "norm", "normal"})
_MAX_VALUE = 4096        # values are cut to this many characters in snapshots (bounded rows)


class DataError(Exception):
    """The labelled data cannot be read or is unusable; the message says why."""


@dataclass
class Snapshot:
    """The files a training run reads, described so the run can be reproduced and compared."""

    files: list[Path]
    rows: int = 0                 # lines in the files (labelled rows before filtering)
    bytes: int = 0
    sha256: str = ""
    sources: list[str] = field(default_factory=list)


def describe(files: list[Path], sources: list[str]) -> Snapshot:
    """Size and one sha256 over the files' bytes, in the given order."""
    h = hashlib.sha256()
    rows = size = 0
    for path in files:
        if not path.is_file():
            raise DataError(f"data file not found: {path}")
        with path.open("rb") as fh:
            for chunk in iter(lambda: fh.read(1 << 20), b""):
                h.update(chunk)
                size += len(chunk)
                rows += chunk.count(b"\n")
    return Snapshot(files=list(files), rows=rows, bytes=size, sha256=h.hexdigest(), sources=sources)


def parse_since(text: str | None, now: float | None = None) -> float | None:
    """'7d', '12h', '30m', an ISO date/time or epoch seconds -> epoch seconds (None = no bound)."""
    if not text:
        return None
    now = time.time() if now is None else now
    m = re.fullmatch(r"(\d+)([dhm])", text.strip())
    if m:
        return now - int(m.group(1)) * {"d": 86400, "h": 3600, "m": 60}[m.group(2)]
    try:
        return float(text)
    except ValueError:
        pass
    try:
        dt = datetime.fromisoformat(text)
    except ValueError as exc:
        raise DataError(f"--since {text!r}: expected 7d/12h/30m, an ISO date or epoch seconds") from exc
    return (dt if dt.tzinfo else dt.replace(tzinfo=timezone.utc)).timestamp()


# --- ClickHouse -------------------------------------------------------------------------------------------

def request_points(event: dict[str, Any] | TransactionEvent) -> Iterator[tuple[list[Any], str]]:
    """Plain points of a transaction (query, form/JSON body, cookies, a few headers), extracted by
    core.request_points exactly as the stream scorer does; a dict event is validated into the contract first
    (an unusable request yields nothing)."""
    if isinstance(event, TransactionEvent):
        req = event.request
    else:
        try:
            req = msgspec.convert(event.get("request") or {}, Request)
        except msgspec.ValidationError:
            return
    yield from core_request_points(req)


def export_clickhouse(client: Any, database: str, out: Path, since: float | None = None,
                      tenant: str | None = None) -> tuple[int, dict[str, int]]:
    """Write labelled rows from a region database to `out` (JSONL); returns (rows, counts by origin).

    attack  = sensor hits (their point and value), unless an analyst marked that hit a false positive;
    benign  = points of clean transactions without hits, and hits marked false positive;
    labels  = table `labels` (core/schema.py; written by the API on false-positive marks) of analyst verdicts,
              which overrides the detection label of the same hit.
    """
    if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", database):
        raise DataError(f"bad database name {database!r}")
    where = ["ts >= %(since)s"] if since is not None else []
    if tenant:
        where.append("tenant = %(tenant)s")
    params = {"since": since or 0.0, "tenant": tenant or ""}
    cond = (" AND " + " AND ".join(where)) if where else ""
    tables = {r[0] for r in client.execute("SELECT name FROM system.tables WHERE database = %(db)s",
                                           {"db": database})}
    missing = {"transactions", "hits"} - tables
    if not tables:
        raise DataError(f"ClickHouse database {database} does not exist or has no tables "
                        "(create it with `rampart db migrate --region REGION`)")
    if missing:
        raise DataError(f"ClickHouse database {database} lacks table(s) {sorted(missing)} (run the migrations)")
    marks: dict[tuple[str, int], int] = {}
    if "labels" in tables:
        for event_id, idx, label in client.execute(
                f"SELECT event_id, idx, argMax(label, ts) FROM {database}.labels GROUP BY event_id, idx"):
            lab = _label(label)
            if lab is not None:
                marks[(event_id, int(idx))] = lab
    counts = {"hits": 0, "marked": 0, "clean_points": 0}
    rows = 0
    with out.open("w", encoding="utf-8") as fh:
        for event_id, idx, ts, point, value in client.execute_iter(
                f"SELECT event_id, idx, any(ts), any(point), any(value) FROM {database}.hits "
                f"WHERE source = 'sensor'{cond} GROUP BY event_id, idx", params):
            label = marks.get((event_id, int(idx)), 1)
            counts["marked" if (event_id, int(idx)) in marks else "hits"] += 1
            fh.write(_line(point, value, label, ts, "hit"))
            rows += 1
        for ts, event in client.execute_iter(
                f"SELECT any(ts), any(event) FROM {database}.transactions "
                f"WHERE verdict = 'clean' AND hit_count = 0{cond} GROUP BY id", params):
            try:
                doc = decode_event(event)
            except (msgspec.DecodeError, msgspec.ValidationError):
                continue
            for point, value in request_points(doc):
                fh.write(_line(json.dumps(point, separators=(",", ":")), value, 0, ts, "clean"))
                counts["clean_points"] += 1
                rows += 1
    return rows, counts


def _line(point: str, value: str, label: int, ts: float, origin: str) -> str:
    return json.dumps({"point": point, "value": value[:_MAX_VALUE], "label": label, "ts": ts,
                       "origin": origin}, ensure_ascii=False) + "\n"


def _label(raw: Any) -> int | None:
    text = str(raw).strip().lower()
    if text in ATTACK_LABELS or text in ("confirmed",):
        return 1
    if text in BENIGN_LABELS or text in ("false_positive", "fp"):
        return 0
    return None
