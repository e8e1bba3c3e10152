"""`rampart train profiles`: per-endpoint parameter profiles from inventory + clean traffic -> virtual-patch rules."""
from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable

import pandas as pd
import yaml

from core.rules_schema import validate_rule
from training.data import DataError, request_points

_INT = re.compile(r"[0-9]+")
_TOKEN = re.compile(r"[A-Za-z0-9_.-]+")
PROFILED_TYPES = ("get", "post", "cookie")   # header values are too free-form to profile


@dataclass(frozen=True)
class Endpoint:
    host: str
    method: str
    template: str                              # /users/{id}/orders

    @property
    def path_regex(self) -> str:
        parts = [re.escape(p) if p != "{id}" else "[^/]+" for p in self.template.split("/")]
        return "^" + "/".join(parts) + "$"


@dataclass
class ProfileOptions:
    min_samples: int = 100         # fewer observations: no rule (not a strong enough profile)
    length_factor: int = 4         # length anomaly: longer than factor * max seen + slack
    length_slack: int = 16
    max_profiled_len: int = 64     # only short parameters get a length rule
    score: float = 0.9


def traffic_rows(events: Iterable[dict[str, Any]]) -> Iterable[dict[str, Any]]:
    """(host, method, path, point, value) of the profiled points of clean transaction events."""
    for ev in events:
        req = ev.get("request") or {}
        host = str(req.get("host") or "").split(":")[0].lower()
        path = str(req.get("target") or "/").split("?", 1)[0] or "/"
        for point, value in request_points(ev):
            if point and point[0] in PROFILED_TYPES:
                yield {"host": host, "method": str(req.get("method") or "GET").upper(), "path": path,
                       "point": json.dumps(point, separators=(",", ":")), "value": value}


def export_clickhouse(client: Any, database: str, traffic_out: Path, since: float | None = None,
                      tenant: str | None = None) -> list[Endpoint]:
    """Endpoints (FINAL) and the clean traffic's points of a region database; traffic goes to JSONL."""
    if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", database):
        raise DataError(f"bad database name {database!r}")
    cond = ""
    params = {"since": since or 0.0, "tenant": tenant or ""}
    if since is not None:
        cond += " AND ts >= %(since)s"
    if tenant:
        cond += " AND tenant = %(tenant)s"
    endpoints = [Endpoint(h.lower(), m.upper(), t) for h, m, t in client.execute(
        f"SELECT host, method, template FROM {database}.endpoints FINAL"
        + (" WHERE tenant = %(tenant)s" if tenant else ""), params)]
    with traffic_out.open("w", encoding="utf-8") as fh:
        events = (json.loads(e) for (e,) in client.execute_iter(
            f"SELECT any(event) FROM {database}.transactions WHERE verdict = 'clean' AND hit_count = 0{cond} "
            "GROUP BY id", params))
        for row in traffic_rows(events):
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")
    return endpoints


def profile(spark: Any, traffic_files: list[Path], endpoints: list[Endpoint], opts: ProfileOptions) -> list[dict]:
    """Spark: map traffic to endpoint templates, aggregate per (endpoint, point); return profile rows."""
    from pyspark.sql import functions as F
    from pyspark.sql.functions import pandas_udf

    compiled: dict[tuple[str, str], list[tuple[re.Pattern[str], str]]] = {}
    for ep in endpoints:
        compiled.setdefault((ep.host, ep.method), []).append((re.compile(ep.path_regex), ep.template))

    @pandas_udf("string")
    def template_of(host: pd.Series, method: pd.Series, path: pd.Series) -> pd.Series:
        out = []
        for h, m, p in zip(host, method, path):
            tpl = None
            for rx, t in compiled.get((h, m), ()):
                if rx.match(p):
                    tpl = t
                    break
            out.append(tpl)
        return pd.Series(out, dtype=object)

    df = spark.read.json([str(p) for p in traffic_files],
                         schema="host string, method string, path string, point string, value string")
    df = df.filter(F.col("value").isNotNull()).withColumn("template", template_of("host", "method", "path"))
    df = df.filter(F.col("template").isNotNull())
    agg = df.groupBy("host", "method", "template", "point").agg(
        F.count(F.lit(1)).alias("n"),
        F.sum(F.col("value").rlike(r"^[0-9]+$").cast("int")).alias("n_int"),
        F.sum(F.col("value").rlike(r"^[A-Za-z0-9_.-]+$").cast("int")).alias("n_token"),
        F.max(F.length("value")).alias("max_len"),
        F.min(F.length("value")).alias("min_len"),
    )
    return [r.asDict() for r in agg.orderBy("host", "method", "template", "point").collect()]


def rules_from_profiles(profiles: list[dict], opts: ProfileOptions) -> list[dict]:
    """One virtual patch per strongly-typed parameter: digits only, token charset, or short and bounded."""
    rules = []
    for p in profiles:
        n = int(p["n"])
        if n < opts.min_samples:
            continue
        if p["n_int"] == n:
            value, why = r"[^0-9]", f"always digits in {n} requests"
        elif p["n_token"] == n:
            value, why = r"[^A-Za-z0-9_.-]", f"always [A-Za-z0-9_.-] in {n} requests"
        elif p["max_len"] <= opts.max_profiled_len:
            limit = opts.length_factor * int(p["max_len"]) + opts.length_slack
            value, why = rf"^[\s\S]{{{limit},}}", f"at most {p['max_len']} chars in {n} requests"
        else:
            continue
        point = json.loads(p["point"])
        key = f"{p['host']}|{p['method']}|{p['template']}|{p['point']}"
        rule = {
            "id": "profile-" + hashlib.sha256(key.encode()).hexdigest()[:12],
            "action": "vpatch",
            "score": opts.score,
            "match": {"host": p["host"], "method": p["method"], "path": {"regex": Endpoint(
                p["host"], p["method"], p["template"]).path_regex}, "point": point, "value": {"regex": value}},
            "comment": f"learned profile: {p['method']} {p['template']} {'.'.join(map(str, point))} {why}",
        }
        validate_rule(rule)
        rules.append(rule)
    return rules


def dump_rules(rules: list[dict]) -> str:
    return yaml.safe_dump({"rules": rules}, sort_keys=False, allow_unicode=True, width=120)


def read_endpoints(path: Path) -> list[Endpoint]:
    """Endpoints from a JSON list/JSONL file of {host, method, template} (offline runs and tests)."""
    text = path.read_text()
    items = json.loads(text) if text.lstrip().startswith("[") else [json.loads(x) for x in text.splitlines()
                                                                      if x.strip()]
    return [Endpoint(str(i["host"]).lower(), str(i["method"]).upper(), str(i["template"])) for i in items]
