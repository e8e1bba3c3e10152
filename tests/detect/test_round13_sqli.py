"""Round 13 (SQL analyser): the classes behind blind batches w/x/y's sqli misses.

Entries are (carrier, key, value), sent the way tests/detect/wild_benign.py's build_request sends them. Benign
entries must carry no blocking sqli finding (other detectors are judged in their own files); attacks must carry one."""
from __future__ import annotations

import pytest

from sensor.detect import THRESHOLD, Engine
from tests.detect.wild_benign import build_request

# (a) a stacked recon statement (DESC/DESCRIBE/EXPLAIN t, SHOW TABLES, USE db) right after a lone value
RECON_ATTACKS = [
    ("form", "tbl", "1;desc [users]"),
    ("query", "id", "1;describe users"),
    ("query", "id", "1; desc `users`"),
    ("query", "id", "7;describe shop.users"),
    ("query", "id", "1;explain users"),
    ("query", "id", "1;show tables"),
    ("query", "id", "1; show full tables"),
    ("query", "id", "1;show databases;"),
    ("query", "id", "1;show tables from mysql"),
    ("query", "id", "1;show grants"),
    ("query", "id", "1;use master"),
    ("query", "id", "1;use app_db"),
    ("json", "tbl", "5;desc [users]"),
]
RECON_BENIGN = [
    ("query", "q", "serves 4; use fresh basil"),
    ("query", "q", "3; use butter"),
    ("query", "q", "4; use the rest"),
    ("query", "q", "1; show up early"),
    ("query", "q", "1; show status of order"),
    ("query", "q", "2; describe yourself"),
    ("query", "q", "2; describe the problem"),
    ("query", "sort", "name;desc"),
    ("query", "sort", "1;desc"),
    ("form", "notes", "Step 2; show the tables to guests"),
    ("form", "notes", "room 5; use side door"),
]

# (b) a JSON extraction (`col->>'$.path'`, `col->'a'->>'b'`) as the left side of a condition after a logic word
JSON_PATH_ATTACKS = [
    ("form", "filter", "1 or attrs->>'$.role'='admin'"),
    ("form", "filter", "1 or data->'a'->>'b'='x'"),
    ("query", "id", "1 and doc->>'$.x'=doc->>'$.x'"),
    ("query", "id", "0 or profile->>'is_admin'='true'-- -"),
]
JSON_PATH_BENIGN = [
    ("query", "q", "use attrs->>'name' to read it"),
    ("query", "q", "cats or data->>'a' to read"),
    ("form", "comment", "attrs->>'$.role' returns text"),
    ("query", "q", "postgres ->> operator or json_extract"),
    ("query", "q", "a -> b or c -> d"),
]

# (c) a number XORed/ORed/ANDed bitwise with a quoted self-comparison: MySQL's `^`, `|`, `&` bind tighter than `=`
BITWISE_ATTACKS = [
    ("form", "id", "0^'1'='1"),
    ("form", "id", "0|'a'='a'"),
    ("query", "id", "1&'x'<=>'x"),
    ("query", "id", "0 ^ 'abc' like 'abc'"),
    ("query", "id", "0^'1'='1';"),
]
BITWISE_BENIGN = [
    ("query", "q", "2^3=8"),
    ("query", "q", "2^'3'='4"),
    ("query", "q", "x^'2'='2'"),
    ("query", "q", "5|'a'='b'"),
    ("query", "q", "a|b=c"),
    ("form", "formula", "f^'(x)=0"),
]

# (d) SQL inside an optimizer-hint comment (`/*+ and 1=2 */`): no hint holds a condition; read as a probe (0.7 cap)
HINT_ATTACKS = [
    ("query", "sort", "1 /*+ and 1=2 */"),
    ("query", "id", "1/*+ or 1=1*/"),
    ("query", "id", "1 /*+ union select password from users */"),
    ("cookie", "sort", "1 /*+ and 1=2 */"),  # cut at its `=` by the harness: the name `1 /*+ and 1` still reads
    ("query", "id", "1 /*+ and 1=2"),
]
HINT_BENIGN = [
    ("query", "q", "/*+ parallel(4) */"),
    ("query", "q", "x /*+ and more */"),
    ("query", "q", "1 /*+ and 2 more */"),
    ("query", "q", "/*+ and"),
    ("form", "css", "a { color: red } /*+ or blue */"),
]

# (e) a number then a double quote (`id=5"`) is left as known: `12"` is inches, and test_wild_sqli pins it clean
# under the very name `id` (its query carrier sends every value as `id=`); only the value's shape would tell, and
# it cannot. The single-quote probe (`5'`) and the leading double quote (`"5`) stay caught.
ID_QUOTE_ATTACKS = [
    ("query", "id", "5'"),
    ("query", "id", '"5'),
    ("query", "id", "5\"'"),
]
ID_QUOTE_BENIGN = [
    ("query", "size", '5"'),
    ("query", "screen", '27"'),
    ("query", "q", '5"'),
    ("form", "height", '6"'),
    ("query", "id", '12"'),
]

# (f) a parameter *name* that is a backtick-quoted identifier
BACKTICK_NAME_ATTACKS = [
    ("path", "", "/api/search?`password`=1"),
    ("path", "", "/api/users?`u`.`role`=admin"),
    ("path", "", "/api/items?`is_admin`=1&page=2"),
]
BACKTICK_NAME_BENIGN = [
    ("query", "q", "`password`"),
    ("query", "q", "`npm install`"),
    ("form", "comment", "use `password`=1 in the config"),
    ("path", "", "/api/search?password=1"),
]

ATTACKS = RECON_ATTACKS + JSON_PATH_ATTACKS + BITWISE_ATTACKS + HINT_ATTACKS + ID_QUOTE_ATTACKS
BENIGN = RECON_BENIGN + JSON_PATH_BENIGN + BITWISE_BENIGN + HINT_BENIGN + ID_QUOTE_BENIGN + BACKTICK_NAME_BENIGN


@pytest.mark.parametrize("entry", BACKTICK_NAME_ATTACKS, ids=lambda e: e[2])
def test_round13_backtick_names_are_reported_not_blocked(engine, entry):
    # a backticked parameter name is reported (sqli:backtick_name 0.45): a name alone carries no payload
    hits = _sqli(engine, entry)
    assert any(h.rule == "sqli:backtick_name" for h in hits) and all(h.score < THRESHOLD for h in hits), hits


def _id(e: tuple[str, str, str]) -> str:
    return f"{e[0]}:{e[1]}:{e[2]}"



def _sqli(engine: Engine, entry: tuple[str, str, str]) -> list:
    carrier, key, value = entry
    return [h for h in engine.inspect(build_request(carrier, value, key)) if h.type == "sqli"]


@pytest.mark.parametrize("entry", ATTACKS, ids=_id)
def test_round13_attacks(engine, entry):
    hits = _sqli(engine, entry)
    assert any(h.score >= THRESHOLD for h in hits), hits


@pytest.mark.parametrize("entry", BENIGN, ids=_id)
def test_round13_benign(engine, entry):
    hits = _sqli(engine, entry)
    assert not any(h.score >= THRESHOLD for h in hits), hits


def test_round13_hint_is_a_probe_not_a_statement(engine):
    # the SQL inside `/*+ … */` is not run by the database: it blocks as a probe, capped at 0.7
    hits = _sqli(engine, ("query", "id", "1 /*+ union select password from users */"))
    assert hits and max(h.score for h in hits) <= 0.7, hits


def test_round13_known_cookie_limits(engine):
    # the harness sends a cookie value holding `=` as a whole `name=value` pair: the name `9 and 1337` is a range
    # in prose (reported, not blocked) -- left as known. The same condition as a cookie *value* is caught.
    r = build_request("query", "9 and 1337=1337", "item")
    assert any(h.type == "sqli" and h.score >= THRESHOLD for h in Engine().inspect(r))


def test_round13_sizes():
    assert len({_id(e) for e in ATTACKS}) == len(ATTACKS)
    assert len({_id(e) for e in BENIGN}) == len(BENIGN)
    assert not set(ATTACKS) & set(BENIGN)
