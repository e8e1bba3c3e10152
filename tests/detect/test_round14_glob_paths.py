"""Round 14, shell globs hiding a system path: `/e??/shadow`, `/[e]tc/passwd`, `/[p]roc/self/environ` read as the shell
expands them. Beside them, globs that name no system path or every path (`/*/*`, `/api/v?/items`, `/images/*.png`),
which stay clean."""
from __future__ import annotations

import pytest

from sensor.detect import Engine
from tests.detect.conftest import hits_for, strong

ATTACKS = [
    ("query", "file", "/e??/shadow"),
    ("query", "path", "/[e]tc/passwd"),
    ("query", "path", "/[e///]tc"),                 # CRS 932130-37: a bracket of `e` and slashes
    ("query", "f", "/[p]roc/self/environ"),
    ("form", "cmd", "x /e?c/p?sswd"),
    ("cookie", "f", "/et[c]/sh*dow"),
    ("json", "path", "/r??t/.ssh/id_rsa"),
    # plain paths before it do not use up the globs read per value
    ("form", "files", " ".join(f"/srv/a{i}/b" for i in range(12)) + " /e??/shadow"),
]
BENIGN = [
    ("query", "pattern", "/*/*"),
    ("query", "route", "/api/v?/items"),
    ("query", "glob", "/images/*.png"),
    ("form", "include", "/home/*/docs/*.md"),
    ("query", "q", "/search?q=a*"),
    ("form", "paths", "/static/js/*.js /static/css/*.css"),
    ("json", "ignore", "/node_modules/**"),
    ("query", "match", "/[a-z]*/[0-9]*"),
]


@pytest.mark.parametrize("carrier,key,value", ATTACKS, ids=[f"{c}:{k}:{v}" for c, k, v in ATTACKS])
def test_a_glob_naming_a_system_path_is_caught(engine: Engine, carrier: str, key: str, value: str) -> None:
    hits = hits_for(engine, carrier, value, key)
    assert strong(hits), [(h.rule, h.score) for h in hits]


@pytest.mark.parametrize("carrier,key,value", BENIGN, ids=[f"{c}:{k}:{v}" for c, k, v in BENIGN])
def test_a_glob_naming_no_system_path_stays_clean(engine: Engine, carrier: str, key: str, value: str) -> None:
    assert not strong(hits_for(engine, carrier, value, key))


def test_the_glob_is_what_is_caught_not_the_path():
    # the same values written plainly are found by the traversal analyser; written as globs only this rule reads them
    e = Engine()
    assert "rce:glob_path" in [h.rule for h in e.inspect_value("/e??/shadow", ["get", "file"])]
    assert "rce:glob_path" not in [h.rule for h in e.inspect_value("/etc/shadow", ["get", "file"])]
