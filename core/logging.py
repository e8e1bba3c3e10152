"""Logging set-up shared by every component; redacts secrets so they never land in logs."""
from __future__ import annotations

import logging
import re
import sys

_SECRET = re.compile(r"(?i)(bearer\s+|token[=:]\s*|password[=:]\s*|rpt_[a-z]+_)[A-Za-z0-9._\-]{6,}")


class RedactingFormatter(logging.Formatter):
    """Formats a record, then masks anything that looks like a bearer token or password."""

    def format(self, record: logging.LogRecord) -> str:
        return redact(super().format(record))


def redact(text: str) -> str:
    return _SECRET.sub(lambda m: m.group(1) + "***", text)


def setup(level: str = "INFO", stream=None) -> None:
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(RedactingFormatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
