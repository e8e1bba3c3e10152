"""Round 10, API back ends: Mongo-style operators inside query-builder filters (Strapi, Parse, Atlas Data API,
GrowthBook), GraphQL `$where` variables; forged JWTs (alg none, embedded jwk), LDAP NUL truncation, XPath unions."""
from __future__ import annotations

import base64
import json

import pytest

from sensor.detect import Engine, verdict
from tests.detect.wild_benign import build_request


@pytest.fixture(scope="module")
def engine() -> Engine:
    return Engine()


def _b64(d: dict) -> str:
    return base64.urlsafe_b64encode(json.dumps(d, separators=(",", ":")).encode()).rstrip(b"=").decode()


def _jwt(header: dict, payload: dict, sig: str = "") -> str:
    return f"{_b64(header)}.{_b64(payload)}.{sig}"


_SIG = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"
_RSA = {"kty": "RSA", "kid": "k9", "e": "AQAB", "n": "0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1R"}
_EC = {"kty": "EC", "crv": "P-256", "x": "l8tFrhx-34tV3hRICRDY9zCkDlpBhF42UQUfWVAWBFs", "y": "9VE4jf_Ok_o64zbTTlcuNJajHmt6v9TDVrU0CdvGRDA"}

# (carrier, key, value)
BENIGN = [
    # Strapi v4/v5 REST filters: operators under `filters[...]`, any nesting, logical groups, Strapi-only operators
    ("query", "filters[$and][0][title][$contains]", "graphql"),
    ("query", "filters[$or][1][author][name][$eqi]", "kai doe"),
    ("query", "filters[slug][$in][1]", "why-we-moved-to-postgres"),
    ("query", "filters[chef][restaurants][stars][$gte]", "4"),
    ("query", "filters[publishedAt][$notNull]", "true"),
    ("query", "filters[price][$between][0]", "10"),
    ("query", "filters[category][name][$ne]", "archived"),
    ("query", "populate[author][filters][name][$startsWith]", "Ka"),
    ("path", "", "/api/articles?filters[$or][0][date][$eq]=2020-01-20&filters[$or][1][date][$eq]=2020-01-21&populate=*"),
    # Parse REST `where=` (JSON), its own operators and sub-queries
    ("query", "where", '{"score":{"$gte":1000,"$lte":3000},"playerName":{"$regex":"^Sean","$options":"i"}}'),
    ("query", "where", '{"$or":[{"wins":{"$gt":150}},{"wins":{"$lt":5}}]}'),
    ("query", "where", '{"post":{"$inQuery":{"where":{"image":{"$exists":true}},"className":"Post"}}}'),
    ("query", "where", '{"tags":{"$all":["red","blue"]},"createdAt":{"$gt":{"__type":"Date","iso":"2024-01-01T00:00:00Z"}}}'),
    # MongoDB Atlas Data API / Realm bodies: `filter`, `pipeline` with `$match`
    ("json", "", '{"dataSource":"Cluster0","database":"shop","collection":"orders","filter":{"status":"A","qty":{"$lt":30},'
                 '"tags":{"$all":["red","blank"]}},"sort":{"date":-1},"limit":20}'),
    ("json", "", '{"dataSource":"Cluster0","database":"shop","collection":"orders","pipeline":[{"$match":{"qty":{"$gte":5},'
                 '"status":{"$in":["A","D"]}}},{"$group":{"_id":"$status","n":{"$sum":1}}}]}'),
    ("json", "", '{"collection":"events","filter":{"$and":[{"ts":{"$gte":1700000000}},{"kind":{"$nin":["debug"]}}]}}'),
    # GrowthBook / feature-flag targeting conditions: a body that is a whole query document, or a JSON string member
    ("json", "", '{"$and":[{"country":{"$in":["US","CA"]}},{"loggedIn":true},{"plan":{"$ne":"free"}}]}'),
    ("json", "", '{"$or":[{"browser":{"$regex":"^Firefox"}},{"deviceType":{"$eq":"tablet"}}]}'),
    ("json", "", '{"id":"fr_3kx","condition":"{\\"browser\\":{\\"$regex\\":\\"^(Chrome|Edge)$\\"},\\"appVersion\\":'
                 '{\\"$vgte\\":\\"3.2.0\\"}}","coverage":0.5,"hashAttribute":"id"}'),
    ("json", "", '{"feature":"new-checkout","rules":[{"condition":{"country":{"$in":["DE","AT"]},"age":{"$gt":18}},"force":true}]}'),
    # GraphQL documents declaring and passing a variable named `$where` (Hasura bool_exp)
    ("json", "", '{"query":"query Tasks($where: tasks_bool_exp!) { tasks(where: $where) { id title due_at } }",'
                 '"variables":{"where":{"_or":[{"assignee_id":{"_is_null":true}}]}}}'),
    ("json", "", '{"query":"query Q($limit: Int, $where: users_bool_exp) { users(limit: $limit, where: $where) { id } }"}'),
    ("json", "", '{"query":"subscription S($where: [orders_bool_exp!]!) { orders(where: {_and: $where}) { id } }"}'),
    # JWTs: ordinary signed tokens, an algorithm word in the claims, a DPoP proof carrying its key by design
    ("header:Authorization", "", "Bearer " + _jwt({"alg": "RS256", "typ": "JWT", "kid": "k1"}, {"sub": "42", "scope": "read"}, _SIG)),
    ("cookie", "session", _jwt({"alg": "HS256"}, {"u": "none", "alg": "none"}, _SIG)),
    ("query", "id_token", _jwt({"alg": "ES256", "typ": "JWT"}, {"sub": "a@b.c", "nonce": "none"}, _SIG)),
    ("header:DPoP", "", _jwt({"typ": "dpop+jwt", "alg": "ES256", "jwk": _EC},
                             {"jti": "-BwC3ESc6acc2lTc", "htm": "POST", "htu": "https://server.example.com/token", "iat": 1562262616}, _SIG)),
    # LDAP/XPath neighbours: closing parentheses and brackets in ordinary text, a NUL without a closed filter
    ("form", "login", "admin\x00"),
    ("form", "name", "O'Brien (Jr.)"),
    ("query", "q", "x | //a"),
    ("query", "q", "array['key'] is empty"),
]

ATTACKS = [
    # operators against credentials and identifiers, outside any query structure (unchanged)
    ("query", "password[$ne]", "x"),
    ("query", "username[$regex]", "^adm"),
    ("form", "user[password][$ne]", "1"),
    ("json", "", '{"username":"admin","password":{"$gt":""}}'),
    ("json", "", '{"username":{"$ne":null},"password":{"$ne":null}}'),
    ("json", "", '{"email":{"$regex":"^a"},"pass":{"$exists":true}}'),
    # the same filter shapes aimed at secrets (Strapi private-field filter leak, Parse regex on a password hash)
    ("query", "filters[password][$startsWith]", "$2a$10$"),
    ("query", "filters[updatedBy][resetPasswordToken][$ne]", "x"),
    ("query", "filters[$or][0][apiToken][$containsi]", "a"),
    ("query", "where", '{"password":{"$regex":"^a"}}'),
    ("query", "where", '{"$or":[{"sessionToken":{"$exists":true}}]}'),
    ("json", "", '{"collection":"users","filter":{"username":"admin","password":{"$ne":""}}}'),
    # a whole-document body rooted in a logical operator, aimed at an identity or a secret
    ("json", "", '{"$or":[{"username":{"$ne":""}}]}'),
    ("json", "", '{"$and":[{"email":{"$regex":".*"}},{"password":{"$exists":true}}]}'),
    # a logical operator over no array of clauses is no query document (MongoDB rejects it): an operator probe
    ("json", "", '{"$nor": "foo"}'),
    ("json", "", '{"$or": {"status": "active"}}'),
    ("json", "", '{"$AND": 1}'),
    ("query", "rules", '{"$and": "x"}'),
    # server-side JavaScript stays an injection under any root
    ("json", "", '{"filter":{"$where":"sleep(5000)"}}'),
    ("query", "where", '{"$where":"this.password.match(/^a/)"}'),
    ("query", "filters[$where]", "sleep(5000)"),
    ("json", "", '{"pipeline":[{"$match":{"$expr":{"$function":{"body":"function(){sleep(5000)}","args":[],"lang":"js"}}}}]}'),
    # a GraphQL document passing a real `$where` operator in a string, or carrying JavaScript
    ("json", "", '{"query":"query T($where: String) { t(where: $where) { id } }","variables":{"where":"{\\"$where\\":\\"sleep(5000)\\"}"}}'),
    ("json", "", '{"query":"{ users(filter: \\"{\\\\\\"$where\\\\\\": \\\\\\"sleep(5000)\\\\\\"}\\") { id } }"}'),
    # forged JWTs: alg none in any casing, with or without a signature left on; a header embedding its own key
    ("header:Authorization", "", "Bearer " + _jwt({"alg": "none", "typ": "JWT"}, {"sub": "1", "role": "admin"})),
    ("cookie", "token", _jwt({"alg": "NoNe", "typ": "JWT"}, {"user": "administrator", "admin": True})),
    ("query", "access_token", _jwt({"typ": "JWT", "alg": "NONE"}, {"sub": "admin@example.com"})),
    ("query", "access_token", _jwt({"alg": "none"}, {"sub": "admin"}, _SIG)),
    ("header:Authorization", "", "Bearer " + _jwt({"alg": "RS256", "typ": "JWT", "jwk": _RSA}, {"sub": "admin"}, _SIG)),
    ("cookie", "jwt", _jwt({"alg": "ES256", "jwk": _EC}, {"role": "admin"}, _SIG)),
    # a dpop typ on a token without the DPoP request binding is still a key injection
    ("header:Authorization", "", "Bearer " + _jwt({"alg": "RS256", "typ": "dpop+jwt", "jwk": _RSA}, {"sub": "admin"}, _SIG)),
    # LDAP: a filter closed and the rest cut with a NUL; XPath: predicate closed and a union opened
    ("form", "login", "admin)\x00"),
    ("form", "login", "*)\x00"),
    ("query", "user", "admin))\x00"),
    ("query", "category", "'] | //user/* | //*['"),
    ("query", "name", "x\"] | //*[@role='admin'] | //x[\""),
    ("form", "username", "admin'] | /users/user/password | /x['"),
]


@pytest.mark.parametrize("carrier,key,value", BENIGN)
def test_round10_api_benign(engine: Engine, carrier: str, key: str, value: str) -> None:
    hits = engine.inspect(build_request(carrier, value, key))
    assert verdict(hits) == "clean", [(h.rule, h.point, h.value) for h in hits if h.score >= 0.5]


@pytest.mark.parametrize("carrier,key,value", ATTACKS)
def test_round10_api_attacks(engine: Engine, carrier: str, key: str, value: str) -> None:
    assert verdict(engine.inspect(build_request(carrier, value, key))) == "attack"


# operators under a filter root that still read as injections: match-everything on `_id`, stages reaching other
# collections (the blind batch's CouchDB/Atlas shapes, written anew)
NEAR_FILTERS = [
    ("json", "", '{"selector":{"_id":{"$gt":null}},"fields":["_id","email"]}'),
    ("json", "", '{"filter":{"$or":[{"role":"admin"},{"_id":{"$exists":true}}]}}'),
    ("query", "where", '{"_id":{"$ne":""}}'),
    # privilege and ownership fields, a header named like a filter, `query` (passed on whole by applications)
    ("header:X-User-Filter", "", '{"role":{"$ne":"guest"}}'),
    ("header:X-Filter", "", '{"$and":[{"status":{"$ne":"x"}}]}'),
    ("json", "", '{"filter":{"$or":[{"public":true},{"owner":{"$exists":true}}]}}'),
    ("json", "", '{"query":{"$or":[{"public":true},{"visibility":{"$ne":"private"}}]}}'),
    ("query", "filters[roles][$in][0]", "admin"),
    ("query", "where", '{"isAdmin":{"$ne":false}}'),
    ("query", "filters[tenant][id][$ne]", "1"),
    ("json", "", '{"pipeline":[{"$match":{"public":true}},{"$lookup":{"from":"users","localField":"ownerId",'
                 '"foreignField":"_id","as":"owner"}}]}'),
]
NEAR_FILTERS_BENIGN = [
    ("query", "filters[id][$in][0]", "12"),
    ("json", "", '{"dataSource":"Cluster0","database":"shop","collection":"orders","filter":{"_id":{"$oid":"65f1c0a2e4b0d1a2b3c4d5e6"}}}'),
]


@pytest.mark.parametrize("carrier,key,value", NEAR_FILTERS)
def test_round10_api_filter_near_miss(engine: Engine, carrier: str, key: str, value: str) -> None:
    assert verdict(engine.inspect(build_request(carrier, value, key))) == "attack"


@pytest.mark.parametrize("carrier,key,value", NEAR_FILTERS_BENIGN)
def test_round10_api_filter_ids_benign(engine: Engine, carrier: str, key: str, value: str) -> None:
    hits = engine.inspect(build_request(carrier, value, key))
    assert verdict(hits) == "clean", [(h.rule, h.point, h.value) for h in hits if h.score >= 0.5]
