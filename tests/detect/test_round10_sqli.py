"""Round 10 (SQL analyser): the classes behind blind round 6's sqli false positives and misses.

Entries are (carrier, key, value) for benign values and (carrier, key, value) for attacks, sent the way
tests/detect/wild_benign.py's build_request sends them; each list is one class of the round."""
from __future__ import annotations

import pytest

from sensor.detect import THRESHOLD, verdict
from tests.detect.conftest import req
from tests.detect.wild_benign import build_request

# (a) filter languages: OData $filter, OGC CQL/ECQL, Meilisearch, GROQ, RSQL-like and feature-flag rules join
# `field op value` predicates (word operators, predicate calls over fields, `[…]` lists, `not (…)` groups)
FILTER_BENIGN = [
    ("query", "$filter", "not (Status eq 'Closed') and Priority in ('High','Critical')"),
    ("query", "$filter", "year(BirthDate) eq 1985 and month(BirthDate) ge 6"),
    ("query", "$filter", "Price le 200 and Category/Name eq 'Beverages' or not (Discontinued eq true)"),
    ("query", "$filter", "day(OrderDate) lt 15 and tolower(ShipCity) eq 'seattle'"),
    ("query", "$filter", "Rating gt 3 and (Genre eq 'Drama' or Genre eq 'Comedy')"),
    ("query", "CQL_FILTER", "INTERSECTS(the_geom, POINT(-90 40)) AND name LIKE 'Riv%'"),
    ("query", "CQL_FILTER", "DWITHIN(geom, POINT(12.49 41.89), 500, meters) AND type IN ('cafe','bar')"),
    ("query", "CQL_FILTER", "BBOX(the_geom, -74.1, 40.6, -73.8, 40.9) AND population > 10000"),
    ("query", "cql_filter", "CONTAINS(geom, POINT(2.35 48.85)) OR state_name = 'Oregon'"),
    ("json", "filter", "genres = fantasy AND (rating >= 4 OR release_date > 1577836800) AND NOT status IN [archived, draft]"),
    ("json", "filter", "_geoRadius(48.8566, 2.3522, 2000) AND price_range < 3"),
    ("json", "filter", "brand = apple AND (price < 1000 OR on_sale = true) AND color IN [red, blue]"),
    ("json", "filter", "_geoBoundingBox([45.49, 9.16], [45.44, 9.21]) AND rating >= 3"),
    ("query", "query", '*[_type == "post" && defined(publishedAt) && publishedAt < now()] | order(publishedAt desc)[0...10]{_id, title}'),
    ("query", "query", '*[_type == "author" && count(*[_type == "book" && references(^._id)]) > 2]{name}'),
    ("query", "query", '*[_type == "product" && pt::text(description) match "organic*" && price <= $max]{name, price}'),
    ("query", "query", '*[_type == "movie" && releaseYear >= 1990 && !(slug.current in ["x", "y"])]{title}'),
    ("query", "query", '*[_type == "event" && dateTime(startsAt) > dateTime(now()) && defined(venue)]{title}'),
    ("form", "expression", 'user.country in ["DE","AT","CH"] && user.plan == "enterprise" && !(user.id in segment("beta-optout"))'),
    ("form", "expression", 'user.email endsWith "@acme.com" || user.plan == "pro" && !(user.beta == false)'),
    ("json", "rule", 'device.os == "ios" && app.version >= "4.2.0" && user.country in ["US", "CA"]'),
]
# the same parameters carrying SQL: literal tautologies, self-comparisons, signal and extraction calls, sub-selects
FILTER_ATTACKS = [
    ("query", "$filter", "Name eq 'x' or '1'='1"),
    ("query", "$filter", "Name eq 'x' or 1=1"),
    ("query", "$filter", "Name eq 'x') union select username,password from users--"),
    ("query", "$filter", "year(BirthDate) eq 1985 and sleep(5)"),
    ("query", "$filter", "year(BirthDate) eq 1985 and ascii(substring(password,1,1)) > 64"),
    ("query", "$filter", "Status eq 'a' or extractvalue(1,concat(0x7e,(select user())))"),
    ("query", "CQL_FILTER", "INTERSECTS(the_geom, POINT(-90 40)) AND 1=1"),
    ("query", "CQL_FILTER", "INTERSECTS(the_geom, POINT(-90 40)) AND name LIKE 'Riv%' UNION SELECT password FROM users"),
    ("json", "filter", "genres = fantasy AND 1=1"),
    ("json", "filter", "genres = fantasy AND genres = genres"),
    ("json", "filter", "genres = fantasy OR (select count(*) from users) > 0"),
    ("query", "query", "*[_type == \"post\"] ' or 1=1--"),
    ("form", "expression", 'user.country in ["DE"] && updatexml(1,concat(0x7e,version()),1)'),
    ("query", "filter", "x = 1 and ascii(substring(password,1,1)) > 64"),
    ("query", "filter", "x=1 and length(database())>0"),
    ("query", "q", "pt::text(1) or 1=1"),
]

# (b) values no SQL parser accepts: WKT coordinates (two numbers side by side) and no-code field references (`{Qty}`)
UNPARSEABLE_BENIGN = [
    ("query", "within", "POLYGON((-122.4 37.7, -122.4 37.8, -122.3 37.8, -122.3 37.7, -122.4 37.7))"),
    ("query", "geometry", "MULTIPOLYGON(((30 20, 45 40, 10 40, 30 20)),((15 5, 40 10, 10 20, 5 10, 15 5)))"),
    ("query", "bbox", "LINESTRING(30 10, 10 30, 40 40)"),
    ("query", "$filter", "geo.intersects(location, geography'POLYGON((-122.03 47.57, -122.03 47.67, -122.13 47.67, -122.03 47.57))')"),
    ("query", "filterByFormula", 'OR(FIND("urgent", LOWER({Notes})), {Priority} = "High")'),
    ("json", "formula", "IF({Qty} > 10, {Price} * 0.9, {Price})"),
    ("json", "formula", 'AND({Status} = "Done", {Owner} != "")'),
    ("json", "formula", "ROUND({Hours} * {Rate}, 2)"),
]
UNPARSEABLE_ATTACKS = [
    ("query", "within", "POLYGON((select*from(select*from(select@@version)f)x))"),
    ("query", "geometry", "polygon((select * from users))"),
    ("json", "formula", "IF({Qty} > 10, sleep(5), 1)"),
    ("query", "q", "{x sleep(5)}"),
    ("query", "q", "1 and multipoint((select * from (select * from (select version())a)b))"),
]

# (c) one comparison operator alone as the value of a condition builder's `operator` field (engine.py asks
# sqli.operator_counts)
OPERATOR_BENIGN = [
    ("query", "filter[date-filter][condition][operator]", ">="),
    ("query", "filter[s][condition][operator]", "<>"),
    ("json", "op", "=="),
    ("json", "operator", "!="),
    ("form", "comparison", "<="),
    ("query", "rules[0][op]", "<>"),
    ("json", "conditionOperator", ">="),
]
OPERATOR_ATTACKS = [  # under any other field, and SQL-only operators or runs of them anywhere, they stay probes
    ("query", "id", ">="),
    ("query", "q", "<>"),
    ("form", "username", "!="),
    ("json", "operator", "== ||"),
    ("query", "op", "<=>"),
    ("query", "op", "xor"),
    ("query", "op", "|| &&"),
    ("query", "q", "regexp"),
]

# (d) a quote and `; ` in a sentence about the characters (`my password has a ' and a ; in it`)
QUOTE_PROSE_BENIGN = [
    ("json", "text", "my password has a ' and a ; in it, the app says \"invalid characters\" — is that expected?"),
    ("form", "message", "the name field rejects ' and ; characters, why?"),
    ("json", "comment", "it strips the ' and a ; at the end of my address line"),
]
QUOTE_PROSE_ATTACKS = [
    ("form", "message", "' and a; drop table users"),
    ("form", "message", "x' and 1=1; in it"),
    ("form", "message", "' and sleep(5); in it"),
    ("form", "message", "x' and b;"),
]

# (e) mysqljs object injection: an object keyed by the credential's own name expands to `` `password` = 1 ``
SELF_KEY_ATTACKS = [
    ("json", "login", '{"username":"admin","password":{"password":1}}'),
    ("json", "login", '{"email":"a@b.example","password":{"password":"1"}}'),
    ("json", "login", '{"user":"admin","passwd":{"passwd":1}}'),
]
SELF_KEY_BENIGN = [
    ("json", "login", '{"username":"admin","password":{"current":"x","new":"y"}}'),
    ("json", "profile", '{"comment":{"comment":"nice","rating":5}}'),
    ("json", "settings", '{"password":{"minLength":12}}'),
]

# (f) no statement parses: a logic word right after an operator that wants an operand (`~||`), a placeholder `{}`
# after a clause word, a quoted clause phrase in a pasted error, a quoted symbol with the sentence going on
UNPARSED_BENIGN = [
    ("cookie", "_abck", "9A044163415B96B4EDC2C59E8A617D24~0~YWJjZGVmZ2hpamtsbW5vcHFyc3R1dnd4eXo0NTY3ODkw+/AbCd~-1~||-1||~-1"),
    ("cookie", "bm_sz", "7F3D0A1B2C~YAAQ5XUxcmRkZ2Zm+/Tk8~-1~-1~||~-1"),
    ("json", "msg.$", "States.Format('Order {} ok', $.Payload.id)"),
    ("json", "msg.$", "States.Format('Group {} has {} items', $.group, $.count)"),
    ("query", "q", "\"You have an error in your SQL syntax\" near 'ORDER BY position' at line 1"),
    ("query", "q", "the error is near 'GROUP BY region' at line 3"),
    ("query", "q", "Uncaught (in promise) SyntaxError: Unexpected token '<', \"<!DOCTYPE \"... is not valid JSON"),
    ("form", "message", "the parser chokes on '>', then on everything after it"),
]
UNPARSED_ATTACKS = [
    ("cookie", "session", "abc~-1~||-1 or 1=1; select pg_sleep(5)"),
    ("query", "q", "1 or 1=1 -- ~||"),
    ("query", "q", "x' or 1=1 ~|| '"),
    ("query", "q", "' order by 3-- -"),
    ("query", "q", "' order by position' at line 1 union select 1"),
    ("query", "q", "' order {x sleep(5)}"),
    ("query", "q", "x'<', and 1=1"),
    ("query", "q", "admin'='"),
]

BENIGN = UNPARSED_BENIGN + FILTER_BENIGN + UNPARSEABLE_BENIGN + OPERATOR_BENIGN + QUOTE_PROSE_BENIGN + SELF_KEY_BENIGN
ATTACKS = UNPARSED_ATTACKS + FILTER_ATTACKS + UNPARSEABLE_ATTACKS + OPERATOR_ATTACKS + QUOTE_PROSE_ATTACKS + SELF_KEY_ATTACKS


def _id(e: tuple) -> str:
    return ":".join(str(x) for x in e)[:90]


@pytest.mark.parametrize("entry", BENIGN, ids=[_id(e) for e in BENIGN])
def test_round10_sqli_benign_is_clean(engine, entry):
    carrier, key, value = entry
    hits = engine.inspect(build_request(carrier, value, key))
    assert verdict(hits) == "clean", hits


@pytest.mark.parametrize("entry", ATTACKS, ids=[_id(e) for e in ATTACKS])
def test_round10_sqli_attack_is_caught(engine, entry):
    carrier, key, value = entry
    hits = engine.inspect(build_request(carrier, value, key))
    assert any(h.type == "sqli" and h.score >= THRESHOLD for h in hits), hits


@pytest.mark.parametrize("body", [b"username=admin&password%5Bpassword%5D=1", b"password%5Bpassword%5D=1&user=admin",
                                  b"email=a%40b.example&password[password]=x"])
def test_round10_mysqljs_form_object(engine, body):
    r = req("/login", "POST", [("Content-Type", "application/x-www-form-urlencoded")], body)
    assert any(h.rule == "sqli:object_self_key" and h.score >= THRESHOLD for h in engine.inspect(r))


@pytest.mark.parametrize("body", [b"%21%3D", b"%3C%3E", b"%3E%3D"])
def test_round10_bare_operator_body_stays_a_probe(engine, body):
    r = req("/search", "POST", [("Content-Type", "application/x-www-form-urlencoded")], body)
    assert any(h.rule == "sqli:bare_operator" and h.score >= THRESHOLD for h in engine.inspect(r))


@pytest.mark.parametrize("body", [b"user%5Bpassword%5D=x&user%5Bemail%5D=a%40b.example", b"comment%5Bcomment%5D=hello",
                                  b"shipping%5Bshipping%5D=express"])
def test_round10_nested_form_names_are_clean(engine, body):
    r = req("/signup", "POST", [("Content-Type", "application/x-www-form-urlencoded")], body)
    assert verdict(engine.inspect(r)) == "clean"


def test_round10_sizes():
    assert len({_id(e) for e in ATTACKS}) == len(ATTACKS)
    assert len({_id(e) for e in BENIGN}) == len(BENIGN)
    assert not set(ATTACKS) & set(BENIGN)
