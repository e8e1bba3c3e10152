"""Exposed files: VCS metadata, environment files, backups and directory listings, proven by their content."""
from __future__ import annotations

import re

from scanner.checks.base import Context
from scanner.endpoints import Endpoint
from scanner.finding import Finding, evidence

# (path, content signature, severity, title); signatures keep soft-404 pages from matching.
FILES = (
    ("/.git/HEAD", re.compile(r"^ref: refs/heads/|^[0-9a-f]{40}\s*$"), "high", "Git repository metadata exposed"),
    ("/.git/config", re.compile(r"^\[core\]", re.M), "high", "Git configuration exposed"),
    ("/.env", re.compile(r"^[A-Z][A-Z0-9_]{1,60}=\S*$", re.M), "high", "Environment file (.env) exposed"),
    ("/.svn/entries", re.compile(r"^(\d+\s*$|<\?xml.*wc-entries)", re.M), "high", "Subversion metadata exposed"),
    ("/backup.zip", re.compile(r"^PK\x03\x04"), "high", "Backup archive exposed"),
    ("/backup.tar.gz", re.compile(r"^\x1f\x8b"), "high", "Backup archive exposed"),
    ("/backup.sql", re.compile(r"(CREATE TABLE|INSERT INTO|-- MySQL dump|PostgreSQL database dump)"), "high",
     "Database dump exposed"),
    ("/dump.sql", re.compile(r"(CREATE TABLE|INSERT INTO|-- MySQL dump|PostgreSQL database dump)"), "high",
     "Database dump exposed"),
    ("/config.php.bak", re.compile(r"<\?php"), "high", "Source backup exposed"),
    ("/index.php.bak", re.compile(r"<\?php"), "medium", "Source backup exposed"),
    ("/web.config.bak", re.compile(r"<configuration"), "medium", "Configuration backup exposed"),
    ("/.DS_Store", re.compile(r"^\x00\x00\x00\x01Bud1"), "low", "macOS folder metadata exposed"),
)
LISTING = re.compile(r"<title>\s*(Index of /|Directory listing for /)|<h1>\s*(Index of /|Directory listing for /)",
                     re.I)


def check(ctx: Context, origin: str, dirs: list[str]) -> list[Finding]:
    out: list[Finding] = []
    for path, sig, severity, title in FILES:
        ex = ctx.probe(Endpoint("GET", origin + path, source="exposed"), None, "")
        if ex is None or ex.status != 200:
            continue
        text = ex.body.decode("latin-1")
        m = sig.search(text)
        if m and "<html" not in text[:512].lower():
            out.append(Finding(type="exposed_file", severity=severity, url=origin + path, method="GET", param="",
                               confidence=0.95, technique="content", title=title,
                               evidence=evidence(ex.request_text(), f"HTTP/1.1 200\n{text[:120]!r}")))
    for d in sorted(set(dirs)):
        ex = ctx.probe(Endpoint("GET", origin + d, source="exposed"), None, "")
        if ex is None or ex.status != 200:
            continue
        m = LISTING.search(ex.text)
        if m:
            out.append(Finding(type="dir_listing", severity="low", url=origin + d, method="GET", param="",
                               confidence=0.95, technique="content", title="Directory listing enabled",
                               evidence=evidence(ex.request_text(), ex.excerpt(m.group(0)))))
    return out
