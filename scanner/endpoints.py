"""Endpoints and their injection points, and how to build a request with one point set to a probe value."""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from urllib.parse import quote, urlencode, urlsplit, urlunsplit

LOCATIONS = ("query", "form", "json", "path", "header", "cookie")


@dataclass(frozen=True)
class Param:
    location: str        # one of LOCATIONS
    name: str            # json: dotted path; path: the template name, e.g. "id" for /users/{id}
    value: str = "1"     # benign default used when another point is probed

    @property
    def label(self) -> str:
        return f"{self.location}:{self.name}"


@dataclass(frozen=True)
class Endpoint:
    """`url` is scheme://host[:port]/path, possibly with {name} templates for path params; no query."""

    method: str
    url: str
    params: tuple[Param, ...] = field(default=())
    source: str = "crawl"   # crawl | openapi | inventory | replay

    def key(self) -> tuple[str, str, tuple[str, ...]]:
        return (self.method, self.url, tuple(sorted(p.label for p in self.params)))

    @property
    def display_url(self) -> str:
        return self.url

    def build(self, probe: Param | None = None, value: str = "") -> tuple[str, str, list[tuple[str, str]], bytes]:
        """(method, url, headers, body) with `probe` set to `value` and every other point at its default."""
        def val(p: Param) -> str:
            return value if probe is not None and p == probe else p.value

        path_url = self.url
        for p in self.params:
            if p.location == "path":
                path_url = path_url.replace("{" + p.name + "}", quote(val(p), safe=""))
        parts = urlsplit(path_url)
        query = "&".join(f"{quote(p.name, safe='')}={quote(val(p), safe='')}"
                         for p in self.params if p.location == "query")
        url = urlunsplit((parts.scheme, parts.netloc, parts.path or "/", query, ""))
        headers = [(p.name, val(p)) for p in self.params if p.location == "header"]
        cookies = [f"{p.name}={val(p)}" for p in self.params if p.location == "cookie"]
        if cookies:
            headers.append(("Cookie", "; ".join(cookies)))
        body = b""
        form = [(p.name, val(p)) for p in self.params if p.location == "form"]
        jparams = [p for p in self.params if p.location == "json"]
        if form:
            body = urlencode(form).encode()
            headers.append(("Content-Type", "application/x-www-form-urlencoded"))
        elif jparams:
            doc: dict = {}
            for p in jparams:
                _set_dotted(doc, p.name, val(p))
            body = json.dumps(doc, sort_keys=True).encode()
            headers.append(("Content-Type", "application/json"))
        return self.method, url, headers, body


def _set_dotted(doc: dict, path: str, value: str) -> None:
    keys = path.split(".")
    for k in keys[:-1]:
        doc = doc.setdefault(k, {})
    doc[keys[-1]] = value
