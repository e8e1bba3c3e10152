"""KEV coverage: which entries of CISA's Known Exploited Vulnerabilities catalog the virtual-patch packs answer."""
from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

_CVE = re.compile(r"CVE-\d{4}-\d{4,}")
# Weaknesses an exploit carries in the HTTP request itself, where a request rule can see it: injections, traversal,
# inclusion, deserialisation, SSRF/XXE, uploads, and authentication or access checks skipped by a crafted request.
# Memory corruption, local privilege escalation or a browser bug is not.
WEB_CWES = frozenset({
    "CWE-20", "CWE-22", "CWE-23", "CWE-24", "CWE-29", "CWE-35", "CWE-36", "CWE-73", "CWE-74", "CWE-77", "CWE-78",
    "CWE-79", "CWE-88", "CWE-89", "CWE-90", "CWE-91", "CWE-93", "CWE-94", "CWE-95", "CWE-96", "CWE-97", "CWE-98",
    "CWE-113", "CWE-184", "CWE-200", "CWE-284", "CWE-285", "CWE-287", "CWE-288", "CWE-289", "CWE-290", "CWE-294",
    "CWE-306", "CWE-345", "CWE-352", "CWE-400", "CWE-425", "CWE-434", "CWE-441", "CWE-444", "CWE-470", "CWE-502",
    "CWE-552", "CWE-601", "CWE-611", "CWE-639", "CWE-640", "CWE-668", "CWE-706", "CWE-749", "CWE-776", "CWE-798",
    "CWE-862", "CWE-863", "CWE-913", "CWE-915", "CWE-917", "CWE-918", "CWE-943", "CWE-1236", "CWE-1321",
    "CWE-1336"})
# The same, read from the catalog's own words when it gives no CWE (older entries have none)
_WEB_WORDS = re.compile(
    r"(?i)path traversal|directory traversal|sql injection|(?:os )?command injection|code injection|"
    r"deserializ|server-side request forgery|\bssrf\b|authentication bypass|missing authentication|"
    r"xml external entit|\bxxe\b|file upload|template injection|\bognl\b|\bjndi\b|expression language|"
    r"cross-site scripting|file inclusion|arbitrary file (?:read|download|upload|deletion|write)|"
    r"request smuggling|(?:via|crafted|malicious|specially crafted) (?:http|web|api|url|request)")


class CatalogError(ValueError):
    """The catalog file cannot be read as a KEV catalog; the message says where and why."""


@dataclass(frozen=True, slots=True)
class Entry:
    cve: str
    vendor: str
    product: str
    name: str
    added: dt.date
    cwes: tuple[str, ...]
    web: bool                  # the exploit is carried by a request a rule can see (by CWE, or by the description)
    rules: tuple[str, ...]     # the pack rules that name this CVE


@dataclass(slots=True)
class Coverage:
    version: str
    entries: list[Entry]
    stray: dict[str, tuple[str, ...]] = field(default_factory=dict)   # CVE named by pack rules, not in the catalog

    @property
    def covered(self) -> list[Entry]:
        return [e for e in self.entries if e.rules]

    def missing(self, since: dt.date | None = None) -> list[Entry]:
        """Request-borne entries no pack rule names, newest first (added on or after `since`)."""
        out = [e for e in self.entries if e.web and not e.rules and (since is None or e.added >= since)]
        return sorted(out, key=lambda e: (e.added, e.cve), reverse=True)


def read_catalog(path: str | Path) -> dict:
    """The catalog JSON (as CISA publishes `known_exploited_vulnerabilities.json`); CatalogError on a bad file."""
    try:
        data = json.loads(Path(path).read_bytes())
    except OSError as exc:
        raise CatalogError(f"{path}: cannot read: {exc.strerror or exc}") from None
    except ValueError as exc:
        raise CatalogError(f"{path}: not JSON: {exc}") from None
    if not isinstance(data, dict) or not isinstance(data.get("vulnerabilities"), list):
        raise CatalogError(f"{path}: not a KEV catalog: no \"vulnerabilities\" list")
    return data


def _str(item: dict, key: str, where: str) -> str:
    value = item.get(key)
    if not isinstance(value, str):
        raise CatalogError(f"{where}: \"{key}\" is missing or not a string")
    return value


def rule_cves(rules: Iterable[Any]) -> dict[str, tuple[str, ...]]:
    """CVE -> ids of the rules that name it in their id or comment (`CVE-2024-21887-b` answers CVE-2024-21887)."""
    out: dict[str, list[str]] = {}
    for r in rules:
        for cve in dict.fromkeys(_CVE.findall(f"{r.id} {getattr(r, 'comment', '')}")):
            out.setdefault(cve, []).append(r.id)
    return {k: tuple(v) for k, v in out.items()}


def coverage(catalog: dict, rules: Iterable[Any], source: str = "catalog") -> Coverage:
    """Match the catalog's entries with the rules; CatalogError names the first entry that is not one."""
    named = rule_cves(rules)
    entries: list[Entry] = []
    seen: set[str] = set()
    for i, item in enumerate(catalog.get("vulnerabilities", [])):
        where = f"{source}: vulnerabilities[{i}]"
        if not isinstance(item, dict):
            raise CatalogError(f"{where}: not an object")
        cve = _str(item, "cveID", where).strip().upper()
        if not _CVE.fullmatch(cve):
            raise CatalogError(f"{where}: cveID {cve!r} is not a CVE id")
        try:
            added = dt.date.fromisoformat(_str(item, "dateAdded", where)[:10])
        except ValueError:
            raise CatalogError(f"{where}: dateAdded {item.get('dateAdded')!r} is not a date") from None
        raw_cwes = item.get("cwes") or []
        cwes = tuple(c.strip().upper() for c in raw_cwes if isinstance(c, str)) if isinstance(raw_cwes, list) else ()
        name = str(item.get("vulnerabilityName") or "")
        text = f"{name} {item.get('shortDescription') or ''}"
        web = bool(WEB_CWES.intersection(cwes)) or _WEB_WORDS.search(text) is not None
        if cve in seen:
            continue
        seen.add(cve)
        entries.append(Entry(cve=cve, vendor=str(item.get("vendorProject") or ""), product=str(item.get("product") or ""),
                             name=name, added=added, cwes=cwes, web=web, rules=named.get(cve, ())))
    stray = {cve: ids for cve, ids in sorted(named.items()) if cve not in seen}
    return Coverage(version=str(catalog.get("catalogVersion") or ""), entries=entries, stray=stray)
