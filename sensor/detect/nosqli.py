"""NoSQL (MongoDB-style) injection: query operators in keys or values, server-side JavaScript."""
from __future__ import annotations

TYPE = "nosqli"
_PRIV = (r"(?:(?:(?:is|user|account)_?)?(?:roles?|admin|superuser|staff|permissions?|privileges?|groups?|scopes?|authorities"
         r"|access_?level|acl)|(?:user|account)_?type)")
RULES: list[tuple[str, float, str]] = [
    # a JSON member naming a secret with a non-string value (`"password":true`, `"otp":0`, `"csrf_token":[]`): the JSON
    # parser emits these only for secret-named keys in a submitted object (sensor/points/json.py), and loose
    # comparison (PHP `==`, `strcmp(array)`, PHP < 8 `"abc" == 0`) lets them through
    ("nosqli:typed_credential", 0.8, r'^"[^"]{1,64}":(?:true|-?0(?:\.0+)?|\[.*\]|\{\})$'),
    # the same through PHP's form syntax: `password[]=x` makes the field an array (`strcmp(array, …)` is NULL, which
    # `== 0` accepts); a parameter name, so it reaches the `#key` point. Only empty or numeric brackets: named ones are
    # nested forms (`form[password][first]`, Rails `user[password]`)
    ("nosqli:array_credential", 0.8, r"^(?:[\w\-]+\[)?(?:[\w\-]{0,20}(?:password|passwd|pwd|passphrase|passcode)|pass)\]?\[\d{0,3}\]$"),
    # a privilege member given twice with different values in one object (the JSON parser reports these, see
    # sensor/points/json.py): parsers disagree on which one wins (CouchDB CVE-2017-12635 `"roles":["_admin"],"roles":[]`)
    ("nosqli:duplicate_privilege", 0.85, r'^"' + _PRIV + r'":[^\r\n]{0,70},"' + _PRIV + r'":'),
    # bracketed, also the Strapi operators (`filters[password][$startsWith]=`, its private-field filter leak)
    ("nosqli:operator_key", 0.9, r"^\$(?:ne|eq|gt|gte|lt|lte|in|nin|regex|where|exists|or|and|not|nor|expr|elemmatch|type|mod|all|size|text|function|accumulator|lookup|jsonschema)$|\[\s*\$(?:ne|eq|gt|gte|lt|lte|in|nin|regex|where|exists|or|and|not|nor|expr|elemmatch|function|(?:not)?containsi?|(?:starts|ends)withi?|eqi|nei|(?:not)?null|between)\s*\]"),
    ("nosqli:operator_json", 0.9, r"\{\s*['\"]?\$(?:ne|eq|gt|gte|lt|lte|in|nin|regex|where|exists|or|and|not|nor|expr|elemmatch|function|accumulator)['\"]?\s*:"),
    ("nosqli:orm_traversal", 0.75, r"\w+__\w+__(?:startswith|istartswith|icontains|contains|regex|iregex|has_keys?|has_any_keys|endswith|iendswith|iexact|exact|gte?|lte?|in|isnull|range|search)\b"),
    ("nosqli:where_js", 0.85, r"\$where\b|\bthis\s*\.\s*\w+\s*\.\s*match\s*\(|\bdb\s*\.\s*\w+\s*\.\s*(?:find|drop|insert|update|remove)\s*\(|;\s*return\s+(?:true|1|this)\b|\|\|\s*['\"]?1['\"]?\s*==\s*['\"]?1|\bsleep\s*\(\s*\d+\s*\)\s*;?\s*(?://|$)"),
]

# --- query-builder filters (engine.py asks `counts()` before an operator finding is kept)
# Strapi (`filters[$and][0][title][$contains]=`), Parse (`where={"score":{"$gte":1000}}`), the MongoDB Atlas Data API
# (`"filter":{"qty":{"$lt":30}}`) and GrowthBook conditions (`{"$and":[{"country":{"$in":[…]}}]}`) take Mongo-style
# operators by design, under a member that names a query structure. What stays an injection there: an operator on a
# secret or a privilege/ownership field (`where[password][$regex]=^a`, Strapi's private-field filter leak
# `filters[updatedBy][password][$startsWith]`, `{"$or":[{"public":true},{"owner":{"$exists":true}}]}`), server-side
# JavaScript (`$where`, `$function`, `$accumulator`), stages reaching other collections or writing (`$lookup` from
# `users`, `$unionWith`, `$out`), and an operator on the document key `_id` (`"selector":{"_id":{"$gt":null}}`,
# `{"_id":{"$exists":true}}`: the match-everything tautologies; Strapi filters by `id`, Parse by `objectId`). A body
# whose own root is a logical operator is a whole query document; there an operator on an identity
# (`{"$or":[{"username":{"$ne":""}}]}`) stays one too. Only query-string and body members count as roots.
# Operators outside such a structure (`password[$ne]=`, `{"username":"admin","password":{"$gt":""}}`) are unchanged.
import re as _re

from sensor.detect.base import param_words as _param_words

# (not `query`: the member an application most often passes on whole, `{"query": req.body.query}`)
_FILTER_ROOTS = frozenset("filter filters where condition conditions criteria selector match pipeline targeting constraint "
                          "constraints".split())
_LOGICAL = frozenset(("$and", "$or", "$nor"))
_JS_OPS = _re.compile(r"\$(?:where|function|accumulator|lookup|graphlookup|unionwith|out|merge)\b", _re.I)
_SECRET_WORDS = frozenset("password passwd pwd passphrase passcode pass secret secrets token tokens otp totp hotp apikey "
                          "hash hashed salt pin credential credentials session nonce signature mfa".split())
# privilege and ownership fields: `{"role":{"$ne":"guest"}}`, `{"$or":[{"public":true},{"owner":{"$exists":true}}]}`
# widen what a caller may see or be, whatever the root
_ACCESS_WORDS = frozenset("role roles admin superuser staff permission permissions privilege privileges scope scopes acl "
                          "owner owners tenant".split())
_IDENTITY_WORDS = frozenset("user username login email mail account uid userid identifier handle phone".split())
_MARKERS = frozenset(("get", "post", "cookie", "header", "path", "json_doc", "hash", "array", "#key", "percent", "html",
                      "js", "base64", "gzip", "form_urlencoded", "multipart", "jwt", "xml", "="))
_BRACKETS = _re.compile(r"[^\[\]]+")
_JSON_KEY = _re.compile(r"[\"']([^\"'\\]{1,64})[\"']\s*:")
_FILTER_RULES = frozenset(("nosqli:operator_key", "nosqli:operator_json"))


def _segments(path: list) -> list[str]:
    """The member names along a point's path, bracket names split (`filters[slug][$in][1]` -> filters, slug, $in, 1)."""
    out: list[str] = []
    for x in path:
        if isinstance(x, str) and x not in _MARKERS:
            out.extend(_BRACKETS.findall(x) if "[" in x else (x,))
    return out


def _words(names: list[str]) -> set[str]:
    ws: set[str] = set()
    for n in names:
        if not n.startswith("$"):
            ws.update(_param_words(n))
            ws.add(n.lower().replace("_", "").replace("-", ""))
    return ws


def _query_root(segs: list[str], path: list, value: str) -> str:
    """'named' when a member names a query structure, 'logical' when a JSON body's root is $and/$or/$nor over an
    array of clauses (its own key point, or a point inside the array), else ''."""
    if path[:1] not in (["get"], ["post"]):
        return ""  # a header (`X-User-Filter`) or cookie is no documented query structure
    for s in segs:
        if not s.startswith("$") and (_param_words(s)[-1:] or [""])[0] in _FILTER_ROOTS:
            return "named"
    if path[:3] == ["post", "json_doc", "hash"] and len(path) > 4 and str(path[3]).lower() in _LOGICAL:
        # points/json.py names the operator alone only when its value is an array; `{"$nor": "foo"}` shows the pair
        if path[4] == "array" or path[4] == "#key" and value == path[3]:
            return "logical"
    return ""


def _filter_ok(rule: str, path: list, value: str) -> bool:
    """True when an operator finding sits inside a query-builder filter and touches no secret (see above)."""
    if _JS_OPS.search(value):
        return False
    segs = _segments(path)
    names = list(segs)
    if rule == "nosqli:operator_json":
        names += _JSON_KEY.findall(value)
    root = _query_root(segs, path, value)
    if not root:
        if rule != "nosqli:operator_json" or path[:1] not in (["get"], ["post"]) or not value.lstrip().startswith("{"):
            return False
        # a query document as the value itself (`{"$and":[…]}` in a `rules` member is no named root): its root key
        first = _JSON_KEY.search(value)
        if (first is None or first.group(1).lower() not in _LOGICAL or value.lstrip()[1:first.start()].strip()
                or value[first.end():].lstrip()[:1] != "["):
            return False   # (an operand that is no array of clauses is no query: `{"$nor": "foo"}`)
        root = "logical"
    if any(n.lower() == "_id" for n in names):
        return False
    ws = _words(names)
    if ws & _SECRET_WORDS or ws & _ACCESS_WORDS:
        return False
    if root == "logical" and ws & _IDENTITY_WORDS:
        return False
    return True


# GraphQL variables named `$where` (`query T($where: tasks_bool_exp!) { tasks(where: $where) { id } }`, Hasura):
# a definition `($where: Type` and a use `: $where)`; the document's strings are points of their own.
_GQL_WHERE = _re.compile(r"[(,]\s*\$where\s*:\s*\[?\s*[A-Za-z_]\w*\s*!?\s*\]?\s*!?(?=\s*[,)=])|:\s*\$where(?=\s*[,)}\]])")
_WHERE_JS = _re.compile(next(rx for name, _, rx in RULES if name == "nosqli:where_js"), _re.I | _re.S)


def counts(rule: str, path: list, value: str) -> bool:
    """Whether a nosqli finding on this point stands (the engine drops it otherwise)."""
    if rule in _FILTER_RULES:
        return not _filter_ok(rule, path, value)
    if rule == "nosqli:where_js" and "$where" in value.lower():
        from sensor.points import graphql
        if graphql.is_document(value):
            return _WHERE_JS.search(_GQL_WHERE.sub(" ", value)) is not None
    return True
