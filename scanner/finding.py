"""A scanner finding (one vulnerability or exposure) and its severity scale."""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Optional

SEVERITIES: tuple[str, ...] = ("critical", "high", "medium", "low", "info")
SEVERITY_RANK = {s: i for i, s in enumerate(SEVERITIES)}


@dataclass
class Finding:
    """What the report and the `vulnerabilities` table carry for each vulnerability found."""

    type: str                  # sqli, xss, rce, ptrav, ssti, open_redirect, crlf, ssrf, exposed_file, ...
    severity: str              # one of SEVERITIES
    url: str                   # endpoint URL without the probe (query stripped for active findings)
    method: str
    param: str                 # "query:id", "form:comment", "json:user.id", "header:Referer", "" for none
    evidence: dict[str, str]   # {"request": ..., "response_excerpt": ...}
    confidence: float          # 0..1
    technique: str = ""        # how it was proven: error, boolean, time, echo, reflection, ...
    title: str = ""
    source: str = "scan"       # scan (active probe) | passive | replay
    incident: Optional[dict[str, Any]] = field(default=None)   # replay: the attack it confirms

    def __post_init__(self) -> None:
        if self.severity not in SEVERITY_RANK:
            raise ValueError(f"unknown severity {self.severity!r}")
        self.confidence = round(min(1.0, max(0.0, float(self.confidence))), 2)

    def key(self) -> tuple[str, str, str, str, str]:
        """Identity used to de-duplicate: the same flaw found twice is one finding."""
        return (self.type, self.url, self.method, self.param, self.technique)

    def sort_key(self) -> tuple:
        return (SEVERITY_RANK[self.severity], self.type, self.url, self.method, self.param, self.technique,
                self.source, self.evidence.get("request", ""))

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        if data["incident"] is None:
            del data["incident"]
        return data


def evidence(request: str, response_excerpt: str) -> dict[str, str]:
    return {"request": request[:4096], "response_excerpt": response_excerpt[:2048]}
