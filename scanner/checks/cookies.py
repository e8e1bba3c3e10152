"""Insecure cookies: Set-Cookie without HttpOnly, without SameSite, or without Secure over HTTPS."""
from __future__ import annotations

from urllib.parse import urlsplit

from scanner.client import Exchange
from scanner.finding import Finding, evidence


def check(ex: Exchange) -> list[Finding]:
    """Findings for every cookie one response sets; the engine keeps one per (origin, cookie, flaw)."""
    parts = urlsplit(ex.url)
    origin = f"{parts.scheme}://{parts.netloc}/"
    out: list[Finding] = []
    for raw in ex.header_all("set-cookie"):
        name = raw.split("=", 1)[0].strip()
        attrs = {a.strip().split("=", 1)[0].lower() for a in raw.split(";")[1:]}
        flaws = []
        if "httponly" not in attrs:
            flaws.append(("httponly", "low", f"Cookie {name} readable by scripts (no HttpOnly)"))
        if "samesite" not in attrs:
            flaws.append(("samesite", "low", f"Cookie {name} sent cross-site (no SameSite)"))
        if parts.scheme == "https" and "secure" not in attrs:
            flaws.append(("secure", "low", f"Cookie {name} may travel in clear text (no Secure)"))
        for flaw, sev, title in flaws:
            out.append(Finding(type="insecure_cookie", severity=sev, url=origin, method="GET",
                               param=f"cookie:{name}", confidence=1.0, technique=flaw, title=title,
                               evidence=evidence(ex.request_text(), f"HTTP/1.1 {ex.status}\nSet-Cookie: {raw}"[:512])))
    return out
