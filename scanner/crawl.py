"""Endpoint discovery: links and forms from in-scope HTML, an OpenAPI spec, or the ClickHouse `endpoints` inventory."""
from __future__ import annotations

import json
import re
from collections import deque
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any, Callable, Iterable, Optional
from urllib.parse import parse_qsl, urljoin, urlsplit, urlunsplit

import yaml

from scanner.client import Exchange, FetchError, ScanClient
from scanner.endpoints import Endpoint, Param
from scanner.scope import OutOfScope, Scope

# Links a crawler must not follow even in scope: they change state for the scanning session.
UNSAFE_LINK = re.compile(r"(?i)(log-?out|sign-?out|delete|remove|destroy|reset)")
STATIC = re.compile(r"(?i)\.(png|jpe?g|gif|svg|ico|css|woff2?|ttf|eot|pdf|zip|gz|mp4|mp3|webp)$")


@dataclass
class Form:
    action: str
    method: str
    fields: list[tuple[str, str]]


class _LinkParser(HTMLParser):
    """Collects href/src/action URLs and forms; bounded by the caller's body cap."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.forms: list[Form] = []
        self._form: Optional[Form] = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, Optional[str]]]) -> None:
        a = {k.lower(): (v or "") for k, v in attrs}
        if tag in ("a", "link", "area") and a.get("href"):
            self.links.append(a["href"])
        elif tag in ("script", "iframe", "frame", "img") and a.get("src"):
            self.links.append(a["src"])
        elif tag == "form":
            self._form = Form(a.get("action", ""), (a.get("method") or "get").upper(), [])
            self.forms.append(self._form)
        elif tag in ("input", "textarea", "select", "button") and self._form is not None and a.get("name"):
            if a.get("type", "").lower() not in ("submit", "image", "reset", "file"):
                self._form.fields.append((a["name"], a.get("value", "")))

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._form = None


def parse_html(base_url: str, html: str) -> tuple[list[str], list[Endpoint]]:
    """Absolute link URLs (fragment dropped) and the forms of a page as endpoints."""
    p = _LinkParser()
    try:
        p.feed(html)
        p.close()
    except Exception:  # noqa: BLE001 - html.parser on hostile markup: keep what was parsed
        pass
    links = [urljoin(base_url, href.strip()).split("#", 1)[0] for href in p.links
             if not href.strip().lower().startswith(("javascript:", "mailto:", "data:", "tel:"))]
    forms = []
    for f in p.forms:
        url = urljoin(base_url, f.action or base_url).split("#", 1)[0]
        parts = urlsplit(url)
        loc = "form" if f.method == "POST" else "query"
        params = [Param("query", k, v or "1") for k, v in parse_qsl(parts.query, keep_blank_values=True)]
        params += [Param(loc, k, v or "1") for k, v in f.fields]
        forms.append(Endpoint(f.method if f.method in ("GET", "POST") else "GET", _strip_query(url),
                              tuple(dict.fromkeys(params)), "crawl"))
    return links, forms


def _strip_query(url: str) -> str:
    p = urlsplit(url)
    return urlunsplit((p.scheme, p.netloc, p.path or "/", "", ""))


def endpoint_from_url(url: str, source: str = "crawl") -> Endpoint:
    parts = urlsplit(url)
    params = tuple(dict.fromkeys(Param("query", k, v or "1")
                                 for k, v in parse_qsl(parts.query, keep_blank_values=True)))
    return Endpoint("GET", _strip_query(url), params, source)


@dataclass
class CrawlResult:
    endpoints: list[Endpoint] = field(default_factory=list)
    fetched: set[str] = field(default_factory=set)               # URLs answered (redirect hops included)
    dirs: dict[str, set[str]] = field(default_factory=dict)     # origin -> directory paths seen
    errors: list[str] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)            # out-of-scope URLs seen and not fetched


def origin_of(url: str) -> str:
    p = urlsplit(url)
    return f"{p.scheme}://{p.netloc}"


class Crawler:
    """Breadth-first crawl of in-scope pages with GET only, bounded in pages and depth."""

    def __init__(self, client: ScanClient, scope: Scope, max_pages: int = 200, max_depth: int = 4,
                 log: Callable[[str], None] = lambda _m: None) -> None:
        self.client, self.scope = client, scope
        self.max_pages, self.max_depth = max_pages, max_depth
        self.log = log

    def crawl(self, targets: Iterable[str], result: Optional[CrawlResult] = None,
              on_response: Callable[[Exchange], None] = lambda _ex: None) -> CrawlResult:
        """Crawl from `targets`; each page is handed to `on_response` and then dropped (memory stays bounded)."""
        res = result or CrawlResult()
        seen_pages: set[str] = set()
        known: dict[tuple, Endpoint] = {e.key(): e for e in res.endpoints}
        queue: deque[tuple[str, int]] = deque((t, 0) for t in targets)
        while queue and len(seen_pages) < self.max_pages:
            url, depth = queue.popleft()
            if url in seen_pages:
                continue
            if not self.scope.allows_url(url):
                res.refused.append(url)
                continue
            seen_pages.add(url)
            self._note(res, known, endpoint_from_url(url))
            if STATIC.search(urlsplit(url).path):
                continue
            try:
                ex = self.client.request("GET", url, follow=True)
            except (FetchError, OutOfScope) as exc:
                res.errors.append(str(exc))
                self.log(f"crawl: {exc}")
                continue
            res.fetched.update([ex.url, *ex.redirects])
            on_response(ex)
            if ex.truncated:
                self.log(f"crawl: {url}: body cut at {len(ex.body)} bytes (--max-body)")
            final = ex.url
            if ex.status in (301, 302, 303, 307, 308) and ex.header("location"):
                nxt = urljoin(final, ex.header("location") or "")
                if not self.scope.allows_url(nxt):
                    res.refused.append(nxt)
            if ex.content_type not in ("text/html", "application/xhtml+xml") or depth >= self.max_depth:
                continue
            links, forms = parse_html(final, ex.text)
            for f in forms:
                if self.scope.allows_url(f.url):
                    self._note(res, known, f)
                else:
                    res.refused.append(f.url)
            for link in links:
                if not self.scope.allows_url(link):
                    res.refused.append(link)
                elif not UNSAFE_LINK.search(link) and link not in seen_pages:
                    queue.append((link, depth + 1))
        res.endpoints = list(known.values())
        return res

    @staticmethod
    def _note(res: CrawlResult, known: dict[tuple, Endpoint], ep: Endpoint) -> None:
        known.setdefault(ep.key(), ep)
        parts = urlsplit(ep.url)
        dirs = res.dirs.setdefault(origin_of(ep.url), set())
        path = parts.path or "/"
        while "/" in path.rstrip("/"):
            path = path.rstrip("/").rsplit("/", 1)[0] + "/"
            if path != "/":
                dirs.add(path)


# ---------------------------------------------------------------------------------------------- OpenAPI

def _example(schema: dict[str, Any]) -> str:
    if "example" in schema:
        return str(schema["example"])
    if "default" in schema:
        return str(schema["default"])
    if schema.get("enum"):
        return str(schema["enum"][0])
    return "1" if schema.get("type") in ("integer", "number") else "test"


def _resolve(spec: dict[str, Any], node: Any, depth: int = 0) -> Any:
    if isinstance(node, dict) and "$ref" in node and depth < 10:
        ref = node["$ref"]
        if not ref.startswith("#/"):
            raise ValueError(f"only local $ref are supported, got {ref!r}")
        target: Any = spec
        for key in ref[2:].split("/"):
            target = target[key.replace("~1", "/").replace("~0", "~")]
        return _resolve(spec, target, depth + 1)
    return node


def _json_params(spec: dict[str, Any], schema: dict[str, Any], prefix: str = "", depth: int = 0) -> list[Param]:
    schema = _resolve(spec, schema)
    if schema.get("type") == "object" or "properties" in schema:
        out: list[Param] = []
        for name, sub in (schema.get("properties") or {}).items():
            sub = _resolve(spec, sub)
            path = f"{prefix}{name}"
            if (sub.get("type") == "object" or "properties" in sub) and depth < 4:
                out += _json_params(spec, sub, path + ".", depth + 1)
            else:
                out.append(Param("json", path, _example(sub)))
        return out
    return []


def load_openapi(path: str | Path, default_base: Optional[str] = None) -> list[Endpoint]:
    """Endpoints of an OpenAPI 3 (or Swagger 2 basics) document in JSON or YAML; raises ValueError if unusable."""
    try:
        text = Path(path).read_text()
        spec = yaml.safe_load(text)
    except (OSError, yaml.YAMLError) as exc:
        raise ValueError(f"cannot read OpenAPI spec {path}: {exc}") from None
    if not isinstance(spec, dict) or not isinstance(spec.get("paths"), dict):
        raise ValueError(f"{path}: not an OpenAPI document (no 'paths')")
    servers = [s.get("url", "") for s in spec.get("servers") or [] if isinstance(s, dict)]
    if not servers and spec.get("host"):
        servers = [f"{(spec.get('schemes') or ['http'])[0]}://{spec['host']}{spec.get('basePath', '')}"]
    base = servers[0] if servers else ""
    if not urlsplit(base).scheme:
        if not default_base:
            raise ValueError(f"{path}: the spec names no absolute server URL; give a --target to anchor it")
        base = urljoin(default_base, base or "/")
    base = base.rstrip("/")
    out: list[Endpoint] = []
    for route, item in spec["paths"].items():
        item = _resolve(spec, item)
        if not isinstance(item, dict):
            continue
        shared = [_resolve(spec, p) for p in item.get("parameters") or []]
        for method in ("get", "post", "put", "patch", "delete"):
            op = item.get(method)
            if not isinstance(op, dict):
                continue
            params: list[Param] = []
            for p in shared + [_resolve(spec, p) for p in op.get("parameters") or []]:
                loc = {"query": "query", "path": "path", "header": "header", "cookie": "cookie",
                       "formData": "form"}.get(p.get("in", ""))
                if loc and p.get("name"):
                    params.append(Param(loc, p["name"], _example(_resolve(spec, p.get("schema") or p))))
            content = (_resolve(spec, op.get("requestBody") or {}).get("content") or {})
            if "application/json" in content:
                params += _json_params(spec, content["application/json"].get("schema") or {})
            elif "application/x-www-form-urlencoded" in content:
                params += [Param("form", p.name, p.value)
                           for p in _json_params(spec, content["application/x-www-form-urlencoded"]
                                                 .get("schema") or {})]
            out.append(Endpoint(method.upper(), base + route, tuple(dict.fromkeys(params)), "openapi"))
    return out


# ---------------------------------------------------------------------------------------------- inventory

_INV_LOC = {"query": "query", "body": "form", "path": "path", "cookie": "cookie", "header": "header"}


def endpoints_from_inventory(rows: Iterable[tuple[str, str, str, str, str]], scheme: str = "http") -> list[Endpoint]:
    """Endpoints from `endpoints` rows (host, method, template, params JSON, sample_target)."""
    out: list[Endpoint] = []
    for host, method, template, params_json, sample in rows:
        try:
            declared = json.loads(params_json or "[]")
        except ValueError:
            declared = []
        sample_parts = urlsplit(sample or template)
        sample_q = dict(parse_qsl(sample_parts.query, keep_blank_values=True))
        t_segs = template.split("/")
        s_segs = sample_parts.path.split("/")
        params: list[Param] = []
        for p in declared if isinstance(declared, list) else []:
            if not isinstance(p, dict) or not p.get("name"):
                continue
            loc = _INV_LOC.get(str(p.get("in", "query")), "query")
            name = str(p["name"])
            value = sample_q.get(name) or ("1" if p.get("type") in ("int", "integer", "number") else "test")
            params.append(Param(loc, name, value))
        for i, seg in enumerate(t_segs):   # template placeholders take the sample's concrete segment
            if seg.startswith("{") and seg.endswith("}"):
                name = seg[1:-1]
                value = s_segs[i] if i < len(s_segs) and len(s_segs) == len(t_segs) else "1"
                params = [p for p in params if not (p.location == "path" and p.name == name)]
                params.append(Param("path", name, value))
        known = {p.name for p in params if p.location == "query"}
        params += [Param("query", k, v or "1") for k, v in sample_q.items() if k not in known]
        out.append(Endpoint(method.upper(), f"{scheme}://{host}{template}", tuple(dict.fromkeys(params)),
                            "inventory"))
    return out


def load_inventory(client: Any, database: str, tenant: Optional[str] = None,
                   scheme: str = "http") -> list[Endpoint]:
    """Read the region's discovered API inventory from ClickHouse (`client` is a clickhouse_driver.Client)."""
    query = (f"SELECT host, method, template, params, sample_target FROM {database}.endpoints FINAL"
             + (" WHERE tenant = %(tenant)s" if tenant else "") + " ORDER BY host, template, method")
    rows = client.execute(query, {"tenant": tenant} if tenant else {})
    return endpoints_from_inventory(rows, scheme)
