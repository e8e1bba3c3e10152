"""Missing security headers on HTML responses (CSP, framing, MIME sniffing, HSTS on HTTPS, referrer policy)."""
from __future__ import annotations

from urllib.parse import urlsplit

from scanner.client import Exchange
from scanner.finding import Finding, evidence


def check(ex: Exchange) -> list[Finding]:
    """Findings for one HTML response; the engine keeps one per (origin, header)."""
    if ex.status >= 300 or ex.content_type not in ("text/html", "application/xhtml+xml"):
        return []
    parts = urlsplit(ex.url)
    origin = f"{parts.scheme}://{parts.netloc}/"
    csp = (ex.header("content-security-policy") or "").lower()
    missing: list[tuple[str, str, str]] = []
    if not csp:
        missing.append(("Content-Security-Policy", "low", "No Content-Security-Policy"))
    if ex.header("x-frame-options") is None and "frame-ancestors" not in csp:
        missing.append(("X-Frame-Options", "low", "Clickjacking: neither X-Frame-Options nor frame-ancestors"))
    if (ex.header("x-content-type-options") or "").lower().strip() != "nosniff":
        missing.append(("X-Content-Type-Options", "low", "No X-Content-Type-Options: nosniff"))
    if parts.scheme == "https" and ex.header("strict-transport-security") is None:
        missing.append(("Strict-Transport-Security", "low", "No HSTS on an HTTPS site"))
    if ex.header("referrer-policy") is None:
        missing.append(("Referrer-Policy", "info", "No Referrer-Policy"))
    return [Finding(type="missing_header", severity=sev, url=origin, method="GET", param=f"header:{name}",
                    confidence=1.0, technique="header", title=title,
                    evidence=evidence(ex.request_text(), _head(ex)))
            for name, sev, title in missing]


def _head(ex: Exchange) -> str:
    return "\n".join([f"HTTP/1.1 {ex.status}"] + [f"{k}: {v}" for k, v in ex.headers])[:1024]
