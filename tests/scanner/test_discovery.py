"""Discovery without a network: HTML links and forms, OpenAPI operations, inventory rows, request building."""
from __future__ import annotations

import json

import pytest

from scanner.crawl import endpoints_from_inventory, load_openapi, parse_html
from scanner.endpoints import Endpoint, Param

PAGE = """<html><body>
<a href="/search?q=hi#top">s</a> <a href="javascript:void(0)">x</a> <a href="http://other.test/p">o</a>
<script src="/static/app.js"></script>
<form action="/login" method="post"><input name="user" value="bob"><input type="password" name="pw">
<input type="submit" name="go" value="Go"></form>
<form action="/find?cat=2"><select name="sort"></select></form>
</body></html>"""


def test_parse_html_links_and_forms() -> None:
    links, forms = parse_html("http://a.test/dir/page", PAGE)
    assert links == ["http://a.test/search?q=hi", "http://other.test/p", "http://a.test/static/app.js"]
    login, find = forms
    assert login == Endpoint("POST", "http://a.test/login", (Param("form", "user", "bob"), Param("form", "pw", "1")))
    assert find.method == "GET" and {p.label for p in find.params} == {"query:cat", "query:sort"}
    assert parse_html("http://a.test/", "<a href='/x'><form><input name=") [0] == ["http://a.test/x"]


def test_openapi_yaml_with_refs(tmp_path) -> None:
    spec = tmp_path / "api.yaml"
    spec.write_text("""
openapi: 3.0.3
info: {title: t, version: "1"}
servers: [{url: /v1}]
paths:
  /users/{id}:
    parameters: [{name: id, in: path, required: true, schema: {type: integer}}]
    get:
      parameters: [{name: fields, in: query, schema: {type: string, example: name}},
                   {name: X-Trace, in: header, schema: {type: string}}]
  /orders:
    post:
      requestBody:
        content:
          application/json:
            schema: {$ref: '#/components/schemas/Order'}
components:
  schemas:
    Order: {type: object, properties: {item: {type: string}, ship: {type: object, properties: {zip: {type: string, example: "75001"}}}}}
""")
    eps = load_openapi(spec, "http://127.0.0.1:8000/")
    users, orders = eps
    assert users.url == "http://127.0.0.1:8000/v1/users/{id}"
    assert {p.label: p.value for p in users.params} == {"path:id": "1", "query:fields": "name", "header:X-Trace": "test"}
    method, url, headers, body = users.build(Param("path", "id", "1"), "../x")
    assert url == "http://127.0.0.1:8000/v1/users/..%2Fx?fields=name" and ("X-Trace", "test") in headers
    method, url, headers, body = orders.build(Param("json", "ship.zip", "75001"), "'")
    assert method == "POST" and json.loads(body) == {"item": "test", "ship": {"zip": "'"}}
    assert ("Content-Type", "application/json") in headers
    with pytest.raises(ValueError, match="no absolute server URL"):
        load_openapi(spec)
    (tmp_path / "bad.yaml").write_text("just: text")
    with pytest.raises(ValueError, match="not an OpenAPI document"):
        load_openapi(tmp_path / "bad.yaml", "http://h/")


def test_inventory_rows_to_endpoints() -> None:
    rows = [("shop.test:8080", "get", "/users/{id}/orders",
             json.dumps([{"name": "limit", "in": "query", "type": "int"}, {"name": "id", "in": "path"}]),
             "/users/42/orders?limit=5&page=2"),
            ("shop.test", "POST", "/login", json.dumps([{"name": "user", "in": "body"}]), "/login"),
            ("shop.test", "GET", "/broken", "not json", "")]
    users, login, broken = endpoints_from_inventory(rows)
    assert users.method == "GET" and users.url == "http://shop.test:8080/users/{id}/orders"
    assert {p.label: p.value for p in users.params} == {"query:limit": "5", "path:id": "42", "query:page": "2"}
    assert users.build()[1] == "http://shop.test:8080/users/42/orders?limit=5&page=2"
    assert login.params == (Param("form", "user", "test"),)
    assert broken.params == ()
