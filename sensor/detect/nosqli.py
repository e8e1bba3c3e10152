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
    ("nosqli:operator_key", 0.9, r"^\$(?:ne|eq|gt|gte|lt|lte|in|nin|regex|where|exists|or|and|not|nor|expr|elemmatch|type|mod|all|size|text|function|accumulator|lookup|jsonschema)$|\[\s*\$(?:ne|eq|gt|gte|lt|lte|in|nin|regex|where|exists|or|and|not|nor|expr|elemmatch|function)\s*\]"),
    ("nosqli:operator_json", 0.9, r"\{\s*['\"]?\$(?:ne|eq|gt|gte|lt|lte|in|nin|regex|where|exists|or|and|not|nor|expr|elemmatch|function|accumulator)['\"]?\s*:"),
    ("nosqli:orm_traversal", 0.75, r"\w+__\w+__(?:startswith|istartswith|icontains|contains|regex|iregex|has_keys?|has_any_keys|endswith|iendswith|iexact|exact|gte?|lte?|in|isnull|range|search)\b"),
    ("nosqli:where_js", 0.85, r"\$where\b|\bthis\s*\.\s*\w+\s*\.\s*match\s*\(|\bdb\s*\.\s*\w+\s*\.\s*(?:find|drop|insert|update|remove)\s*\(|;\s*return\s+(?:true|1|this)\b|\|\|\s*['\"]?1['\"]?\s*==\s*['\"]?1|\bsleep\s*\(\s*\d+\s*\)\s*;?\s*(?://|$)"),
]
