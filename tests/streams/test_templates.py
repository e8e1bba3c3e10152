"""Path templating and parameter type inference."""
import pytest

from streams.templates import infer_type, merge_types, template_path


@pytest.mark.parametrize("path,template,params", [
    ("/users/42/orders", "/users/{id}/orders", [(2, "int")]),
    ("/o/3f2504e0-4f89-11d3-9a0c-0305e82c3301", "/o/{id}", [(2, "uuid")]),
    ("/o/3F2504E04F8911D39A0C0305E82C3301/x", "/o/{id}/x", [(2, "uuid")]),
    ("/obj/507f1f77bcf86cd799439011", "/obj/{id}", [(2, "hex")]),
    ("/api/v2/items", "/api/v2/items", []),
    ("/files/report.pdf?x=1", "/files/report.pdf", []),
    ("/a/%34%32", "/a/{id}", [(2, "int")]),
    ("", "/", []),
    ("/", "/", []),
    ("/t/aB3dE5fG7hJ9kL1mN3pQ5rS7tU9", "/t/{id}", [(2, "token")]),
    ("/users/alice@example.com", "/users/{id}", [(2, "email")]),
])
def test_template_path(path, template, params):
    assert template_path(path) == (template, params)


def test_template_is_bounded():
    tpl, _ = template_path("/a" * 1000)
    assert tpl.count("/") == 32


@pytest.mark.parametrize("value,kind", [
    ("42", "int"), ("-7", "int"), ("3.14", "float"), ("true", "bool"),
    ("3f2504e0-4f89-11d3-9a0c-0305e82c3301", "uuid"), ("bob@example.org", "email"),
    ("2024-05-01", "date"), ("2024-05-01T10:00:00Z", "date"), ("10.0.0.1", "ip"), ("::1", "ip"),
    ("https://example.org/x", "url"), ('{"a": 1}', "json"), ("[1,2]", "json"),
    ("deadbeefdeadbeefdeadbeef", "hex"), ("aGVsbG8gd29ybGQgZnJvbSBiYXNlNjQ=", "base64"),
    ("", "empty"), ("hello world", "text"), ("SELECT * FROM users", "text"), ("administrator", "text"),
    ("{not json", "text"),
])
def test_infer_type(value, kind):
    assert infer_type(value) == kind


def test_merge_types():
    assert merge_types("int", "int") == "int"
    assert merge_types("int", "float") == "float"
    assert merge_types("int", "empty") == "int"
    assert merge_types("empty", "uuid") == "uuid"
    assert merge_types("int", "text") == "text"
    assert merge_types("email", "uuid") == "text"
