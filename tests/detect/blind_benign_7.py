"""Blind benign batch 7: opaque machine tokens in every carrier, and multilingual / multi-script user text."""
from __future__ import annotations

import base64
import hashlib
import json
import struct
import urllib.parse
import uuid
import zlib


# ---------------------------------------------------------------------------
# Small deterministic helpers: every "random" value is derived from a seed so
# the batch is reproducible and looks like what real services emit.
# ---------------------------------------------------------------------------
def _rb(seed: str, n: int) -> bytes:
    return hashlib.shake_256(seed.encode()).digest(n)


def _hex(seed: str, n: int) -> str:
    return _rb(seed, (n + 1) // 2).hex()[:n]


def _b64(seed: str, n: int) -> str:
    return base64.b64encode(_rb(seed, n)).decode()


def _b64u(seed: str, n: int) -> str:
    return base64.urlsafe_b64encode(_rb(seed, n)).decode().rstrip("=")


def _bb64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def _bb64u(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def _chars(seed: str, n: int, alphabet: str = "abcdefghijklmnopqrstuvwxyz0123456789") -> str:
    return "".join(alphabet[b % len(alphabet)] for b in _rb(seed, n))


_ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
_CROCK = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


def _uuid(seed: str) -> str:
    return str(uuid.UUID(bytes=_rb(seed, 16), version=4))


def _ulid(seed: str, ms: int = 1705312951123) -> str:
    n = (ms << 80) | int.from_bytes(_rb(seed, 10), "big")
    return "".join(_CROCK[(n >> (5 * i)) & 31] for i in range(25, -1, -1))


def _j64(obj) -> str:
    return _bb64u(json.dumps(obj, separators=(",", ":"), ensure_ascii=False).encode())


def _jwt(header: dict, payload: dict, seed: str, siglen: int = 256) -> str:
    return _j64(header) + "." + _j64(payload) + "." + _b64u(seed, siglen)


def _jwe(header: dict, seed: str, ctlen: int = 220, keylen: int = 256) -> str:
    key = _b64u(seed + "/k", keylen) if keylen else ""
    return ".".join([_j64(header), key, _b64u(seed + "/iv", 12), _b64u(seed + "/ct", ctlen), _b64u(seed + "/tag", 16)])


def _pct(s: str) -> str:
    return urllib.parse.quote(s, safe="")


def _form(pairs, encoding: str = "utf-8") -> str:
    return "&".join(urllib.parse.quote_plus(k) + "=" + urllib.parse.quote_plus(v, encoding=encoding) for k, v in pairs)


def _browser_form(pairs, encoding: str) -> str:
    # Browsers replace characters the page charset cannot represent with numeric character references.
    return _form([(k, v.encode(encoding, "xmlcharrefreplace").decode(encoding)) for k, v in pairs], encoding)


def _deflate(data: bytes) -> bytes:
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    return c.compress(data) + c.flush()


def _raw(method: str, target: str, headers, body: str = "") -> str:
    lines = [f"{method} {target} HTTP/1.1"] + [f"{k}: {v}" for k, v in headers]
    if body or method in ("POST", "PUT", "PATCH"):
        lines.append(f"Content-Length: {len(body.encode('utf-8', 'surrogateescape'))}")
    return "\r\n".join(lines) + "\r\n\r\n" + body


def _png(w: int, h: int, seed: str) -> bytes:
    def chunk(t: bytes, d: bytes) -> bytes:
        return struct.pack(">I", len(d)) + t + d + struct.pack(">I", zlib.crc32(t + d) & 0xFFFFFFFF)
    rows = b"".join(b"\x00" + _rb(f"{seed}/{y}", w * 4) for y in range(h))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 6, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows, 9)) + chunk(b"IEND", b""))


def _varint(n: int) -> bytes:
    out = bytearray()
    while True:
        b = n & 0x7F
        n >>= 7
        if n:
            out.append(b | 0x80)
        else:
            out.append(b)
            return bytes(out)


def _pb(fields) -> bytes:
    out = b""
    for num, val in fields:
        if isinstance(val, int):
            out += _varint(num << 3) + _varint(val)
        else:
            raw = val.encode() if isinstance(val, str) else val
            out += _varint((num << 3) | 2) + _varint(len(raw)) + raw
    return out


def _msgpack(obj) -> bytes:
    if isinstance(obj, bool):
        return b"\xc3" if obj else b"\xc2"
    if isinstance(obj, int):
        if 0 <= obj < 128:
            return bytes([obj])
        return b"\xce" + struct.pack(">I", obj)
    if isinstance(obj, float):
        return b"\xcb" + struct.pack(">d", obj)
    if isinstance(obj, str):
        raw = obj.encode()
        return (bytes([0xA0 | len(raw)]) if len(raw) < 32 else b"\xd9" + bytes([len(raw)])) + raw
    if isinstance(obj, list):
        return bytes([0x90 | len(obj)]) + b"".join(_msgpack(x) for x in obj)
    if isinstance(obj, dict):
        return bytes([0x80 | len(obj)]) + b"".join(_msgpack(k) + _msgpack(v) for k, v in obj.items())
    raise TypeError(obj)


# ---------------------------------------------------------------------------
# Pre-built composite values
# ---------------------------------------------------------------------------
_UA_CHROME = ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
              "Chrome/120.0.0.0 Safari/537.36")
_UA_SAFARI_IOS = ("Mozilla/5.0 (iPhone; CPU iPhone OS 17_2_1 like Mac OS X) AppleWebKit/605.1.15 "
                  "(KHTML, like Gecko) Version/17.2 Mobile/15E148 Safari/604.1")

_JWT_AUTH0 = _jwt(
    {"alg": "RS256", "typ": "JWT", "kid": "qDk3bX1VnQm8f2ZcJ0hY7"},
    {"iss": "https://dev-4k2x9wq.us.auth0.com/", "sub": "auth0|65a4f3c2b1e0d9a8f7c6b5a4",
     "aud": ["https://api.shopfront.io", "https://dev-4k2x9wq.us.auth0.com/userinfo"],
     "iat": 1705312951, "exp": 1705399351, "azp": "Yp3XwK8f0rQvA1nL2bC9dE7gH5jM4sT6",
     "scope": "openid profile email offline_access", "permissions": ["read:orders", "write:cart"]},
    "auth0-access")

_JWT_AZURE = _jwt(
    {"typ": "JWT", "alg": "RS256", "x5t": "5B3nRxtQ7ji8eNDc3Fy05Kf97ZE", "kid": "5B3nRxtQ7ji8eNDc3Fy05Kf97ZE"},
    {"aud": "api://7f3c2a91-4b5d-4e8f-9a1b-2c3d4e5f6a7b", "iss": "https://sts.windows.net/72f988bf-86f1-41af-91ab-2d7cd011db47/",
     "iat": 1705312951, "nbf": 1705312951, "exp": 1705317451, "acr": "1", "amr": ["pwd", "mfa"],
     "appid": "04b07795-8ddb-461a-bbee-02f9e1bf7b46", "family_name": "Müller", "given_name": "Jürgen",
     "name": "Müller, Jürgen", "oid": _uuid("az-oid"), "scp": "user_impersonation",
     "tid": "72f988bf-86f1-41af-91ab-2d7cd011db47", "unique_name": "juergen.mueller@contoso.de",
     "upn": "juergen.mueller@contoso.de", "ver": "1.0"},
    "azure-ad")

_JWT_KEYCLOAK = _jwt(
    {"alg": "RS256", "typ": "JWT", "kid": "x9Fh2LkQwPz7RtYv3NbMc8JdSa1UeGo4"},
    {"exp": 1705313251, "iat": 1705312951, "auth_time": 1705312940, "jti": _uuid("kc-jti"),
     "iss": "https://sso.uni-krakow.pl/realms/studenci", "aud": "account", "sub": _uuid("kc-sub"),
     "typ": "Bearer", "azp": "portal-studenta", "session_state": _uuid("kc-ss"),
     "realm_access": {"roles": ["offline_access", "uma_authorization", "student"]},
     "scope": "openid email profile", "email_verified": True, "name": "Łukasz Żółkiewski",
     "preferred_username": "l.zolkiewski", "given_name": "Łukasz", "family_name": "Żółkiewski",
     "email": "l.zolkiewski@student.uni-krakow.pl"},
    "keycloak")

_JWT_FIREBASE = _jwt(
    {"alg": "RS256", "kid": _hex("fb-kid", 40), "typ": "JWT"},
    {"name": "山田 花子", "picture": "https://lh3.googleusercontent.com/a/ACg8ocK" + _b64u("pic", 40) + "=s96-c",
     "iss": "https://securetoken.google.com/recipe-app-7c2f1", "aud": "recipe-app-7c2f1", "auth_time": 1705312900,
     "user_id": _b64u("fb-uid", 21), "sub": _b64u("fb-uid", 21), "iat": 1705312951, "exp": 1705316551,
     "email": "hanako.yamada@gmail.com", "email_verified": True,
     "firebase": {"identities": {"google.com": ["10849302918273645"], "email": ["hanako.yamada@gmail.com"]},
                  "sign_in_provider": "google.com"}},
    "firebase")

_JWT_GOOGLE_ID = _jwt(
    {"alg": "RS256", "kid": _hex("g-kid", 40), "typ": "JWT"},
    {"iss": "https://accounts.google.com", "azp": "918273645012-" + _chars("g-client", 32) + ".apps.googleusercontent.com",
     "aud": "918273645012-" + _chars("g-client", 32) + ".apps.googleusercontent.com", "sub": "109876543210987654321",
     "email": "minh.nguyen@gmail.com", "email_verified": True, "nbf": 1705312651, "name": "Nguyễn Văn Minh",
     "picture": "https://lh3.googleusercontent.com/a/ACg8ocJ" + _b64u("gpic", 40) + "=s96-c",
     "given_name": "Minh", "family_name": "Nguyễn Văn", "locale": "vi", "iat": 1705312951, "exp": 1705316551,
     "jti": _hex("g-jti", 40)},
    "google-id")

_JWE_NEXTAUTH = _jwe({"alg": "dir", "enc": "A256GCM"}, "nextauth", 380, 0)
_JWE_RSA = _jwe({"alg": "RSA-OAEP-256", "enc": "A256GCM", "kid": "enc-2024-01", "cty": "JWT"}, "rsa-jwe", 520)

_DPOP = _jwt(
    {"typ": "dpop+jwt", "alg": "ES256",
     "jwk": {"kty": "EC", "crv": "P-256", "x": _b64u("dpop-x", 32), "y": _b64u("dpop-y", 32)}},
    {"jti": _uuid("dpop-jti"), "htm": "POST", "htu": "https://api.bank.example/v1/transfers", "iat": 1705312951,
     "ath": _b64u("dpop-ath", 32)},
    "dpop", 64)

_SAML_XML = (
    '<?xml version="1.0" encoding="UTF-8"?><samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" '
    'xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="_' + _hex("saml-id", 40) + '" Version="2.0" '
    'IssueInstant="2024-01-15T10:02:31Z" Destination="https://app.hrportal.io/saml/acs" '
    'InResponseTo="ONELOGIN_' + _hex("saml-irt", 40) + '"><saml:Issuer>http://www.okta.com/exk1fxphq8KdPS3Ev0h8'
    '</saml:Issuer><samlp:Status><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success"/></samlp:Status>'
    '<saml:Assertion ID="id' + _hex("saml-aid", 32) + '" IssueInstant="2024-01-15T10:02:31Z" Version="2.0">'
    '<saml:Issuer>http://www.okta.com/exk1fxphq8KdPS3Ev0h8</saml:Issuer>'
    '<ds:Signature xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><ds:SignedInfo>'
    '<ds:CanonicalizationMethod Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"/>'
    '<ds:SignatureMethod Algorithm="http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"/>'
    '<ds:Reference URI="#id' + _hex("saml-aid", 32) + '"><ds:Transforms>'
    '<ds:Transform Algorithm="http://www.w3.org/2000/09/xmldsig#enveloped-signature"/>'
    '<ds:Transform Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"/></ds:Transforms>'
    '<ds:DigestMethod Algorithm="http://www.w3.org/2001/04/xmlenc#sha256"/>'
    '<ds:DigestValue>' + _b64("saml-dig", 32) + '</ds:DigestValue></ds:Reference></ds:SignedInfo>'
    '<ds:SignatureValue>' + _b64("saml-sig", 256) + '</ds:SignatureValue><ds:KeyInfo><ds:X509Data>'
    '<ds:X509Certificate>' + _b64("saml-cert", 900) + '</ds:X509Certificate></ds:X509Data></ds:KeyInfo>'
    '</ds:Signature><saml:Subject><saml:NameID Format="urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress">'
    'ayse.yilmaz@acme-corp.com.tr</saml:NameID><saml:SubjectConfirmation Method="urn:oasis:names:tc:SAML:2.0:cm:bearer">'
    '<saml:SubjectConfirmationData NotOnOrAfter="2024-01-15T10:07:31Z" Recipient="https://app.hrportal.io/saml/acs"/>'
    '</saml:SubjectConfirmation></saml:Subject><saml:Conditions NotBefore="2024-01-15T09:57:31Z" '
    'NotOnOrAfter="2024-01-15T10:07:31Z"><saml:AudienceRestriction><saml:Audience>https://app.hrportal.io/saml/metadata'
    '</saml:Audience></saml:AudienceRestriction></saml:Conditions><saml:AuthnStatement AuthnInstant="2024-01-15T10:02:30Z" '
    'SessionIndex="id' + _hex("saml-si", 32) + '"><saml:AuthnContext><saml:AuthnContextClassRef>'
    'urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport</saml:AuthnContextClassRef></saml:AuthnContext>'
    '</saml:AuthnStatement><saml:AttributeStatement><saml:Attribute Name="firstName">'
    '<saml:AttributeValue>Ayşe</saml:AttributeValue></saml:Attribute><saml:Attribute Name="lastName">'
    '<saml:AttributeValue>Yılmaz</saml:AttributeValue></saml:Attribute></saml:AttributeStatement>'
    '</saml:Assertion></samlp:Response>')
_SAML_RESPONSE = _bb64(_SAML_XML.encode())

_SAML_AUTHN_REQ = (
    '<samlp:AuthnRequest xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" '
    'ID="ONELOGIN_' + _hex("authnreq", 40) + '" Version="2.0" IssueInstant="2024-01-15T10:02:20Z" '
    'Destination="https://login.microsoftonline.com/72f988bf-86f1-41af-91ab-2d7cd011db47/saml2" '
    'ProtocolBinding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" AssertionConsumerServiceURL="https://wiki.example.org/saml/acs">'
    '<saml:Issuer>https://wiki.example.org/saml/metadata</saml:Issuer><samlp:NameIDPolicy '
    'Format="urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified" AllowCreate="true"/></samlp:AuthnRequest>')
_SAML_REQUEST_Q = _pct(_bb64(_deflate(_SAML_AUTHN_REQ.encode())))

_VIEWSTATE = _bb64(
    b"\xff\x01\x0f\x0f\x05\x0b-1868328451\x0fd\x16\x02f\x0fd\x16\x02\x02\x03\x0fd\x16\x06\x02\x01\x0f\x0f\x16\x02\x1e\x04Text"
    b"\x05\x17Welcome back, Ms. Ortiz\x1e\x07Visible\x0fhdd\x02\x05\x0f<+\x00\x0d\x00\x01\x00\x00\x00\xff\xff\xff\xff\x01"
    + _rb("viewstate-body", 1400) + _rb("viewstate-mac", 32))
_EVENTVALIDATION = _bb64(b"\xff\x01\x1d\x00\x0c" + _rb("eventvalidation", 260))

_ASPNETCORE_COOKIE = _bb64u(b"\x09\xf0\xc9\xf0" + _rb("aspnetcore-keyid", 16) + _rb("aspnetcore-cookie", 720))
_ASPNETCORE_ANTIFORGERY = _bb64u(b"\x09\xf0\xc9\xf0" + _rb("af-keyid", 16) + _rb("af-cookie", 96))
_ASPNETCORE_RVT = _bb64u(b"\x09\xf0\xc9\xf0" + _rb("af-keyid", 16) + _rb("af-form", 112))

_LARAVEL_JSON = json.dumps({"iv": _b64("lv-iv", 16), "value": _b64("lv-val", 240), "mac": _hex("lv-mac", 64), "tag": ""},
                           separators=(",", ":")).replace("/", "\\/")
_LARAVEL_COOKIE = _bb64(_LARAVEL_JSON.encode())
_LARAVEL_XSRF_JSON = json.dumps({"iv": _b64("lx-iv", 16), "value": _b64("lx-val", 112), "mac": _hex("lx-mac", 64), "tag": ""},
                                separators=(",", ":")).replace("/", "\\/")
_LARAVEL_XSRF = _bb64(_LARAVEL_XSRF_JSON.encode())

_RAILS_ENC = _b64("rails-data", 420) + "--" + _b64("rails-iv", 12) + "--" + _b64("rails-tag", 16)
_RAILS_SIGNED = _bb64(json.dumps({"_rails": {"message": _b64("rails-msg", 60), "exp": "2024-02-14T10:02:31.000Z",
                                             "pur": "cookie.remember_user_token"}}).encode()) + "--" + _hex("rails-sig", 40)

_DJANGO_SIGNED = "." + _bb64u(zlib.compress(json.dumps(
    {"_auth_user_id": "4817", "_auth_user_backend": "django.contrib.auth.backends.ModelBackend",
     "_auth_user_hash": _hex("dj-hash", 64), "cart": {"sku-2291": 2}}).encode())) + ":1rPqXz:" + _b64u("dj-sig", 32)
_FLASK_SESSION = _j64({"_fresh": True, "_id": _hex("fl-id", 128), "_user_id": "218", "csrf_token": _hex("fl-csrf", 40)}) \
    + ".ZaT9Kw." + _b64u("fl-sig", 20)
_FLASK_COMPRESSED = "." + _bb64u(zlib.compress(json.dumps(
    {"lang": "uk", "cart": [{"id": 17, "qty": 1, "name": "Вишиванка «Полтава»"}], "_flashes": [["message", "Товар додано до кошика"]]},
    ensure_ascii=True).encode())) + ".ZaT9Lg." + _b64u("fl-sig2", 20)

_EXPRESS_SID = "s%3A" + _chars("ex-sid", 32, _ALNUM + "-_") + "." + _pct(base64.b64encode(_rb("ex-sig", 32)).decode().rstrip("="))

_SIGV4_AUTH = ("AWS4-HMAC-SHA256 Credential=ASIA" + _chars("aws-ak", 16, "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567")
               + "/20240115/eu-central-1/s3/aws4_request, SignedHeaders=host;x-amz-content-sha256;x-amz-date;"
               "x-amz-security-token;x-amz-user-agent, Signature=" + _hex("aws-sig", 64))
_AWS_STS_TOKEN = "IQoJb3JpZ2luX2VjE" + _b64("aws-sts", 780)

_PROTO_EVENT = _pb([(1, _uuid("pb-evt")), (2, 1705312951123), (3, "checkout_started"),
                    (4, _pb([(1, "sku-88213"), (2, 2), (3, "EUR")])), (5, "de-DE")])
_MSGPACK_EVENT = _msgpack({"t": "pageview", "ts": 1705312951, "u": "/ko/상품/12345", "ref": "https://search.naver.com/",
                           "vw": 390, "vh": 844, "dpr": 3.0, "bot": False})

_PNG_DATA = _bb64(_png(4, 4, "avatar-png"))
_SVG_ICON = ('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24" width="24" height="24">'
             '<path fill="#1a73e8" d="M12 2C6.48 2 2 6.48 2 12s4.48 10 10 10 10-4.48 10-10S17.52 2 12 2z"/></svg>')

_WEBAUTHN_CDJ = _j64({"type": "webauthn.get", "challenge": _b64u("wa-chal", 32), "origin": "https://accounts.example.com",
                      "crossOrigin": False})

_MASTODON_BODY = json.dumps({
    "@context": ["https://www.w3.org/ns/activitystreams", {"ostatus": "http://ostatus.org#", "sensitive": "as:sensitive"}],
    "id": "https://mastodon.social/users/kaito/statuses/111764091233449102/activity", "type": "Create",
    "actor": "https://mastodon.social/users/kaito", "published": "2024-01-15T10:02:31Z",
    "to": ["https://www.w3.org/ns/activitystreams#Public"], "cc": ["https://mastodon.social/users/kaito/followers"],
    "object": {"id": "https://mastodon.social/users/kaito/statuses/111764091233449102", "type": "Note",
               "attributedTo": "https://mastodon.social/users/kaito", "sensitive": False,
               "content": "<p><span class=\"h-card\" translate=\"no\"><a href=\"https://social.example.jp/@sakura\" "
                          "class=\"u-url mention\">@<span>sakura</span></a></span> おはよう！☕ 今日は「オープンソース"
                          "の日」ですね 🎉 <a href=\"https://mastodon.social/tags/OSS\" class=\"mention hashtag\" "
                          "rel=\"tag\">#<span>OSS</span></a></p>",
               "contentMap": {"ja": "<p>おはよう！☕</p>"}}}, ensure_ascii=False, separators=(",", ":"))


def _sjis_form(pairs) -> str:
    return _form(pairs, "shift_jis")


# ---------------------------------------------------------------------------
BLIND_BENIGN_7 = [
    # --- JWT / JWE bearer tokens and OIDC tokens ---
    ("header:Authorization", "", "Bearer " + _JWT_AUTH0),
    ("header:Authorization", "", "Bearer " + _JWT_AZURE),
    ("header:Authorization", "", "Bearer " + _JWT_KEYCLOAK),
    ("header:Authorization", "", "Bearer " + _JWT_FIREBASE),
    ("header:Authorization", "", "Bearer " + _JWE_RSA),
    ("header:DPoP", "", _DPOP),
    ("cookie", "", "__Secure-next-auth.session-token=" + _JWE_NEXTAUTH),
    ("cookie", "", "id_token=" + _JWT_GOOGLE_ID),
    ("cookie", "", "CognitoIdentityServiceProvider.5ks6p0f3q9r2t1u8v7w4x3y2z1.a3c9e2f1-7b6d-4e5a-9c8b-0d1e2f3a4b5c.accessToken="
     + _jwt({"kid": _b64("cog-kid", 32), "alg": "RS256"},
            {"sub": "a3c9e2f1-7b6d-4e5a-9c8b-0d1e2f3a4b5c", "iss": "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Ab12Cd34E",
             "client_id": "5ks6p0f3q9r2t1u8v7w4x3y2z1", "origin_jti": _uuid("cog-ojti"), "event_id": _uuid("cog-ev"),
             "token_use": "access", "scope": "aws.cognito.signin.user.admin", "auth_time": 1705312951,
             "exp": 1705316551, "iat": 1705312951, "jti": _uuid("cog-jti"), "username": "a3c9e2f1-7b6d-4e5a-9c8b-0d1e2f3a4b5c"},
            "cognito")),
    ("form", "credential", _JWT_GOOGLE_ID),
    ("json", "", json.dumps({"grant_type": "refresh_token", "client_id": "Yp3XwK8f0rQvA1nL2bC9dE7gH5jM4sT6",
                             "refresh_token": "v1." + _b64u("rt-auth0", 96)})),

    # --- OAuth 2.0 / OIDC flows ---
    ("path", "", "/oauth2/callback?state=" + _b64u("oauth-state", 24) + "&code=4%2F0AfJohXn" + _b64u("g-code", 54)
     + "&scope=email+profile+openid+https%3A%2F%2Fwww.googleapis.com%2Fauth%2Fuserinfo.email+"
       "https%3A%2F%2Fwww.googleapis.com%2Fauth%2Fuserinfo.profile&authuser=0&prompt=consent"),
    ("path", "", "/auth/github/callback?code=" + _hex("gh-code", 20) + "&state=" + _hex("gh-state", 32)),
    ("path", "", "/signin-oidc?code=0.AXEAv4j5cvGGr0GRqy180BHbR" + _b64u("ms-code", 300)
     + "&state=" + _pct("CfDJ8" + _b64u("ms-state", 400)) + "&session_state=" + _uuid("ms-ss")),
    ("path", "", "/authorize?response_type=code&client_id=" + _chars("cid", 24, _ALNUM)
     + "&redirect_uri=https%3A%2F%2Fapp.example.com%2Fauth%2Fcallback&scope=openid%20profile%20email%20offline_access"
       "&state=" + _b64u("pkce-state", 32) + "&nonce=" + _b64u("pkce-nonce", 16)
     + "&code_challenge=" + _b64u("pkce-chal", 32) + "&code_challenge_method=S256&response_mode=query"),
    ("query", "state", _j64({"returnTo": "/dashboard/reports?range=30d", "nonce": _hex("st-n", 16)})),
    ("body:application/x-www-form-urlencoded", "oauth-token",
     _form([("grant_type", "authorization_code"), ("code", _b64u("tok-code", 32)),
            ("redirect_uri", "https://app.example.com/auth/callback"), ("client_id", "mobile-ios"),
            ("code_verifier", _b64u("pkce-verifier", 48))])),
    ("raw", "", _raw("POST", "/auth/apple/callback", [
        ("Host", "www.example-store.com"), ("Origin", "https://appleid.apple.com"),
        ("Content-Type", "application/x-www-form-urlencoded"), ("User-Agent", _UA_SAFARI_IOS),
        ("Referer", "https://appleid.apple.com/")],
        _form([("state", _hex("apple-state", 32)), ("code", "c" + _hex("apple-code", 32) + ".0.rrwx." + _b64u("apple-c2", 16)),
               ("id_token", _jwt({"kid": "W6WcOKB", "alg": "RS256"},
                                 {"iss": "https://appleid.apple.com", "aud": "com.example.store.web", "exp": 1705399351,
                                  "iat": 1705312951, "sub": "001234.5f3c" + _hex("apple-sub", 28) + ".1042",
                                  "c_hash": _b64u("apple-ch", 16), "email": "q8x7r2m9kd@privaterelay.appleid.com",
                                  "email_verified": True, "is_private_email": True, "auth_time": 1705312950,
                                  "nonce_supported": True}, "apple-idt")),
               ("user", json.dumps({"name": {"firstName": "Zoë", "lastName": "O'Neill"},
                                    "email": "q8x7r2m9kd@privaterelay.appleid.com"}, ensure_ascii=False, separators=(",", ":")))]))),

    # --- SAML ---
    ("form", "SAMLResponse", _SAML_RESPONSE),
    ("form", "RelayState", "https://app.hrportal.io/employees/4471/timesheet?week=2024-W03"),
    ("raw", "", _raw("POST", "/saml/acs", [
        ("Host", "app.hrportal.io"), ("Origin", "https://acme-corp.okta.com"), ("User-Agent", _UA_CHROME),
        ("Content-Type", "application/x-www-form-urlencoded"), ("Referer", "https://acme-corp.okta.com/")],
        _form([("SAMLResponse", _SAML_RESPONSE), ("RelayState", "ss:mem:" + _hex("relay", 64))]))),
    ("path", "", "/adfs/ls/?SAMLRequest=" + _SAML_REQUEST_Q + "&RelayState=%2Fspaces%2FENG%2Fpages%2F4411"
     + "&SigAlg=http%3A%2F%2Fwww.w3.org%2F2001%2F04%2Fxmldsig-more%23rsa-sha256&Signature=" + _pct(_b64("saml-rsig", 256))),

    # --- ASP.NET WebForms and ASP.NET Core ---
    ("form", "__VIEWSTATE", _VIEWSTATE),
    ("form", "__EVENTVALIDATION", _EVENTVALIDATION),
    ("raw", "", _raw("POST", "/Account/Orders.aspx?tab=history", [
        ("Host", "portal.contoso-insurance.com"), ("User-Agent", _UA_CHROME),
        ("Content-Type", "application/x-www-form-urlencoded"), ("Origin", "https://portal.contoso-insurance.com"),
        ("Referer", "https://portal.contoso-insurance.com/Account/Orders.aspx?tab=history"),
        ("Cookie", "ASP.NET_SessionId=" + _chars("aspsid", 24, "abcdefghijklmnopqrstuvwxyz012345")
         + "; .ASPXAUTH=" + _hex("aspxauth", 320).upper())],
        _form([("__EVENTTARGET", "ctl00$MainContent$gvOrders"), ("__EVENTARGUMENT", "Sort$OrderDate"),
               ("__LASTFOCUS", ""), ("__VIEWSTATE", _VIEWSTATE), ("__VIEWSTATEGENERATOR", "A4F7C1B3"),
               ("__EVENTVALIDATION", _EVENTVALIDATION), ("ctl00$MainContent$txtSearch", "Schadensmeldung Nr. 2023/118-B"),
               ("ctl00$MainContent$ddlStatus", "Offen")]))),
    ("cookie", "", ".AspNetCore.Cookies=" + _ASPNETCORE_COOKIE),
    ("cookie", "", ".AspNetCore.Antiforgery.9fXoN5jHCXs=" + _ASPNETCORE_ANTIFORGERY),
    ("form", "__RequestVerificationToken", _ASPNETCORE_RVT),
    ("header:RequestVerificationToken", "", _ASPNETCORE_RVT + ":" + _bb64u(b"\x09\xf0\xc9\xf0" + _rb("af-h", 80))),

    # --- Rails / Laravel / Django / Flask / Express / PHP sessions and CSRF tokens ---
    ("cookie", "", "_shopapp_session=" + _pct(_RAILS_ENC)),
    ("cookie", "", "remember_user_token=" + _pct(_RAILS_SIGNED)),
    ("form", "authenticity_token", _b64("rails-csrf", 64)),
    ("cookie", "", "laravel_session=" + _pct(_LARAVEL_COOKIE)),
    ("cookie", "", "XSRF-TOKEN=" + _pct(_LARAVEL_XSRF)),
    ("header:X-XSRF-TOKEN", "", _LARAVEL_XSRF),
    ("cookie", "", "csrftoken=" + _chars("dj-csrf", 32, _ALNUM) + "; sessionid=" + _chars("dj-sid", 32)),
    ("cookie", "", "sessionid=" + _DJANGO_SIGNED),
    ("path", "", "/accounts/reset/MTg0Nw/bz8k5t-" + _hex("dj-reset", 32) + "/"),
    ("cookie", "", "session=" + _FLASK_SESSION),
    ("cookie", "", "session=" + _FLASK_COMPRESSED),
    ("cookie", "", "connect.sid=" + _EXPRESS_SID),
    ("cookie", "", "PHPSESSID=" + _chars("phpsess", 26, "0123456789abcdefghijklmnopqrstuv")),
    ("cookie", "", "wordpress_logged_in_" + _hex("wp-site", 32) + "=" + _pct("maria.ortiz|1706522551|" + _b64u("wp-tok", 32)
     + "|" + _hex("wp-hmac", 64))),

    # --- webhook signatures and signed deliveries ---
    ("header:Stripe-Signature", "", "t=1705312951,v1=" + _hex("stripe-v1", 64) + ",v0=" + _hex("stripe-v0", 64)),
    ("raw", "", _raw("POST", "/webhooks/stripe", [
        ("Host", "api.example-saas.com"), ("User-Agent", "Stripe/1.0 (+https://stripe.com/docs/webhooks)"),
        ("Content-Type", "application/json; charset=utf-8"), ("Cache-Control", "no-cache"), ("Accept", "*/*; q=0.5, application/xml"),
        ("Stripe-Signature", "t=1705312955,v1=" + _hex("stripe-v1b", 64))],
        json.dumps({"id": "evt_1OYqL2" + _chars("evt", 18, _ALNUM), "object": "event", "api_version": "2023-10-16",
                    "created": 1705312955, "type": "payment_intent.succeeded", "livemode": False, "pending_webhooks": 1,
                    "data": {"object": {"id": "pi_3OYqL1" + _chars("pi", 18, _ALNUM), "object": "payment_intent",
                                        "amount": 4999, "currency": "eur", "status": "succeeded",
                                        "client_secret": "pi_3OYqL1" + _chars("pi", 18, _ALNUM) + "_secret_" + _chars("pisec", 25, _ALNUM),
                                        "customer": "cus_P" + _chars("cus", 13, _ALNUM),
                                        "description": "Bestellung #10482 – Kaffeemühle „Classic“",
                                        "metadata": {"order_id": "10482", "cart": "[\"sku-2291\",\"sku-88\"]"},
                                        "payment_method": "pm_1OYqL0" + _chars("pm", 18, _ALNUM)}},
                    "request": {"id": "req_" + _chars("req", 14, _ALNUM), "idempotency_key": _uuid("idem")}},
                   ensure_ascii=False, indent=2))),
    ("header:X-Hub-Signature-256", "", "sha256=" + _hex("gh-hook", 64)),
    ("raw", "", _raw("POST", "/hooks/github", [
        ("Host", "ci.example.dev"), ("User-Agent", "GitHub-Hookshot/7c1d8e4"), ("Accept", "*/*"),
        ("X-GitHub-Delivery", _uuid("gh-deliv")), ("X-GitHub-Event", "push"), ("X-GitHub-Hook-ID", "448213377"),
        ("X-GitHub-Hook-Installation-Target-ID", "709182736"), ("X-GitHub-Hook-Installation-Target-Type", "repository"),
        ("X-Hub-Signature", "sha1=" + _hex("gh-s1", 40)), ("X-Hub-Signature-256", "sha256=" + _hex("gh-s256", 64)),
        ("Content-Type", "application/json")],
        json.dumps({"ref": "refs/heads/main", "before": _hex("gh-before", 40), "after": _hex("gh-after", 40),
                    "repository": {"id": 709182736, "full_name": "acme/storefront", "private": True},
                    "pusher": {"name": "dependabot[bot]", "email": "49699333+dependabot[bot]@users.noreply.github.com"},
                    "head_commit": {"id": _hex("gh-after", 40), "tree_id": _hex("gh-tree", 40),
                                    "message": "Bump follow-redirects from 1.15.3 to 1.15.4 (#2291)\n\n"
                                               "Bumps [follow-redirects](https://github.com/follow-redirects/follow-redirects) "
                                               "from 1.15.3 to 1.15.4.\n- [Release notes](https://github.com/follow-redirects/"
                                               "follow-redirects/releases)\n\n---\nupdated-dependencies:\n"
                                               "- dependency-name: follow-redirects\n  dependency-type: indirect\n...\n\n"
                                               "Signed-off-by: dependabot[bot] <support@github.com>",
                                    "timestamp": "2024-01-15T11:02:31+01:00",
                                    "modified": ["package-lock.json"], "added": [], "removed": []}}))),
    ("raw", "", _raw("POST", "/webhooks/shopify/orders-create", [
        ("Host", "fulfil.example-3pl.com"), ("User-Agent", "Shopify-Captain-Hook"), ("Accept", "*/*"),
        ("Content-Type", "application/json"), ("X-Shopify-Topic", "orders/create"),
        ("X-Shopify-Hmac-Sha256", _b64("shopify-hmac2", 32)), ("X-Shopify-Shop-Domain", "kawaii-zakka.myshopify.com"),
        ("X-Shopify-Webhook-Id", _uuid("shop-wh")), ("X-Shopify-Triggered-At", "2024-01-15T10:02:31.123456789Z"),
        ("X-Shopify-API-Version", "2024-01")],
        json.dumps({"id": 5482913374221, "name": "#1042", "email": "siobhan.oconnor@example.ie", "currency": "JPY",
                    "total_price": "4980", "note": "プレゼント用にラッピングお願いします🎁（のし不要）",
                    "shipping_address": {"first_name": "Siobhán", "last_name": "O'Connor-Murphy",
                                         "address1": "12 Sráid an Droichid", "city": "Gaillimh", "zip": "H91 XK2T",
                                         "country_code": "IE"},
                    "line_items": [{"title": "招き猫 マグカップ (白)", "quantity": 2, "sku": "MNK-MUG-W"}]},
                   ensure_ascii=False))),
    ("raw", "", _raw("POST", "/slack/commands", [
        ("Host", "bot.example.io"), ("User-Agent", "Slackbot 1.0 (+https://api.slack.com/robots)"),
        ("Content-Type", "application/x-www-form-urlencoded"), ("X-Slack-Request-Timestamp", "1705312951"),
        ("X-Slack-Signature", "v0=" + _hex("slack-sig", 64)), ("Accept", "application/json,*/*")],
        _form([("token", _chars("slack-vt", 24, _ALNUM)), ("team_id", "T0" + _chars("slt", 9, _CROCK)),
               ("team_domain", "acme-eng"), ("channel_id", "C0" + _chars("slc", 9, _CROCK)), ("channel_name", "deploys"),
               ("user_id", "U0" + _chars("slu", 9, _CROCK)), ("user_name", "renee.dubois"), ("command", "/deploy"),
               ("text", "storefront@v2.14.1 --env=staging --notify=#qa"), ("api_app_id", "A0" + _chars("sla", 9, _CROCK)),
               ("is_enterprise_install", "false"),
               ("response_url", "https://hooks.slack.com/commands/T0" + _chars("slt", 9, _CROCK) + "/6482913374221/"
                + _chars("slr", 24, _ALNUM)),
               ("trigger_id", "6482913374221.1234567890123." + _hex("sltrig", 32))]))),
    ("raw", "", _raw("POST", "/twilio/sms", [
        ("Host", "sms.example-clinic.com"), ("User-Agent", "TwilioProxy/1.1"),
        ("Content-Type", "application/x-www-form-urlencoded; charset=UTF-8"), ("Accept", "*/*"),
        ("X-Twilio-Signature", _b64("twilio-sig", 20)), ("I-Twilio-Idempotency-Token", _uuid("tw-idem"))],
        _form([("ToCountry", "US"), ("ToState", "TX"), ("SmsMessageSid", "SM" + _hex("tw-sm", 32)), ("NumMedia", "0"),
               ("FromCity", "SAN ANTONIO"), ("Body", "¿Puedo cambiar mi cita del jueves a las 3:30? Gracias 😊"),
               ("FromCountry", "US"), ("To", "+12105550142"), ("From", "+12105550199"),
               ("MessageSid", "SM" + _hex("tw-sm", 32)), ("AccountSid", "AC" + _hex("tw-ac", 32)), ("ApiVersion", "2010-04-01")]))),
    ("header:webhook-signature", "", "v1," + _b64("svix-sig", 32) + " v1," + _b64("svix-sig-old", 32)),

    # --- cloud request signing: SigV4, presigned URLs, SAS, GCS, CloudFront ---
    ("header:Authorization", "", _SIGV4_AUTH),
    ("raw", "", _raw("GET", "/?list-type=2&prefix=uploads%2F2024%2F01%2F&delimiter=%2F&encoding-type=url", [
        ("Host", "media-eu-prod.s3.eu-central-1.amazonaws.com"), ("amz-sdk-invocation-id", _uuid("sdk-inv")),
        ("amz-sdk-request", "attempt=1; max=3"), ("x-amz-content-sha256", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
        ("x-amz-date", "20240115T100231Z"), ("x-amz-security-token", _AWS_STS_TOKEN),
        ("x-amz-user-agent", "aws-sdk-js/3.490.0"), ("Authorization", _SIGV4_AUTH),
        ("User-Agent", "aws-sdk-js/3.490.0 ua/2.0 os/linux#6.1.0 lang/js md/nodejs#20.11.0 api/s3#3.490.0")])),
    ("path", "", "/uploads/2024/01/IMG_4471.HEIC?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Content-Sha256=UNSIGNED-PAYLOAD"
     "&X-Amz-Credential=ASIA" + _chars("aws-ak2", 16, "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567") + "%2F20240115%2Feu-central-1%2Fs3%2Faws4_request"
     "&X-Amz-Date=20240115T100231Z&X-Amz-Expires=900&X-Amz-Security-Token=" + _pct(_AWS_STS_TOKEN)
     + "&X-Amz-Signature=" + _hex("presign", 64) + "&X-Amz-SignedHeaders=host&x-id=GetObject"),
    ("json", "", json.dumps({"uploadUrl": "https://media-eu-prod.s3.eu-central-1.amazonaws.com/tmp/" + _uuid("up") +
                             "?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIA" + _chars("aws-ak3", 16, "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567")
                             + "%2F20240115%2Feu-central-1%2Fs3%2Faws4_request&X-Amz-Date=20240115T100231Z&X-Amz-Expires=3600"
                             "&X-Amz-Signature=" + _hex("presign2", 64) + "&X-Amz-SignedHeaders=content-type%3Bhost",
                             "fields": {"Content-Type": "image/jpeg"}, "key": "tmp/" + _uuid("up")})),
    ("path", "", "/invoices/2024/RE-2024-00118.pdf?sv=2022-11-02&ss=b&srt=o&sp=r&se=2024-01-15T18:02:31Z"
     "&st=2024-01-15T10:02:31Z&spr=https&sig=" + _pct(_b64("azure-sas", 32))),
    ("query", "sasUrl", "https://stcontosodocs.blob.core.windows.net/scans/" + _uuid("blob") + ".pdf?sp=racwd&st=2024-01-15T10:00:00Z"
     "&se=2024-01-16T10:00:00Z&spr=https&sv=2022-11-02&sr=b&sig=" + _pct(_b64("azure-sas2", 32))),
    ("path", "", "/exports/report-q4.csv?X-Goog-Algorithm=GOOG4-RSA-SHA256&X-Goog-Credential=exporter%40analytics-prod-4471"
     ".iam.gserviceaccount.com%2F20240115%2Fauto%2Fstorage%2Fgoog4_request&X-Goog-Date=20240115T100231Z&X-Goog-Expires=3600"
     "&X-Goog-SignedHeaders=host&X-Goog-Signature=" + _hex("gcs-sig", 512)),
    ("path", "", "/videos/course-12/lesson-04.m3u8?Expires=1705399351&Signature="
     + _b64("cf-sig", 128).replace("+", "-").replace("=", "_").replace("/", "~") + "&Key-Pair-Id=K2JCJMDEHXQW5F"),
    ("cookie", "", "CloudFront-Policy=" + _bb64(json.dumps({"Statement": [{"Resource": "https://d1x2y3z4.cloudfront.net/videos/*",
                                                                           "Condition": {"DateLessThan": {"AWS:EpochTime": 1705399351}}}]},
                                                          separators=(",", ":")).encode()).replace("+", "-").replace("=", "_").replace("/", "~")
     + "; CloudFront-Signature=" + _b64("cf-sig2", 128).replace("+", "-").replace("=", "_").replace("/", "~")
     + "; CloudFront-Key-Pair-Id=K2JCJMDEHXQW5F"),

    # --- API keys and other Authorization schemes ---
    ("header:Authorization", "", "Bearer sk_test_51OYqL0" + _chars("stripe-sk", 93, _ALNUM)),
    ("header:Authorization", "", "token ghp_" + _chars("ghp", 36, _ALNUM)),
    ("header:X-Goog-Api-Key", "", "AIzaSy" + _chars("gkey", 33, _ALNUM + "-_")),
    ("query", "key", "AIzaSy" + _chars("gkey2", 33, _ALNUM + "-_")),
    ("header:Authorization", "", "Basic " + _bb64(b"svc-reporting:Qz7#vL!p2$Wm9&kR")),
    ("header:Authorization", "", 'Digest username="mwilson", realm="Camera Web Admin", nonce="' + _hex("dg-n", 32)
     + '", uri="/cgi-bin/snapshot.cgi?channel=1", algorithm=MD5, response="' + _hex("dg-r", 32)
     + '", opaque="' + _hex("dg-o", 32) + '", qop=auth, nc=00000001, cnonce="' + _hex("dg-c", 16) + '"'),
    ("header:Authorization", "", 'OAuth oauth_consumer_key="' + _chars("tw-ck", 25, _ALNUM) + '", oauth_nonce="'
     + _chars("tw-n", 32, _ALNUM) + '", oauth_signature="' + _pct(_b64("tw-sig", 20))
     + '", oauth_signature_method="HMAC-SHA1", oauth_timestamp="1705312951", oauth_token="1480247720-'
     + _chars("tw-tok", 40, _ALNUM) + '", oauth_version="1.0"'),
    ("header:Authorization", "", "NTLM TlRMTVNTUAABAAAAB4IIogAAAAAAAAAAAAAAAAAAAAAKAGFKAAAADw=="),
    ("header:Authorization", "", "Negotiate " + _bb64(b"\x60\x82\x07\xc6\x06\x06\x2b\x06\x01\x05\x05\x02\xa0\x82\x07\xba"
                                                         + _rb("spnego", 1400))),
    ("header:Signature-Input", "", 'sig1=("@method" "@target-uri" "content-digest" "content-type");created=1705312951;'
     'keyid="partner-key-2024";alg="ecdsa-p256-sha256"'),
    ("header:Signature", "", "sig1=:" + _b64("rfc9421", 64) + ":"),
    ("raw", "", _raw("POST", "/users/sakura/inbox", [
        ("Host", "social.example.jp"), ("User-Agent", "http.rb/5.1.1 (Mastodon/4.2.4; +https://mastodon.social/)"),
        ("Date", "Mon, 15 Jan 2024 10:02:31 GMT"), ("Accept-Encoding", "gzip"),
        ("Digest", "SHA-256=" + _bb64(hashlib.sha256(_MASTODON_BODY.encode()).digest())),
        ("Content-Type", "application/activity+json"),
        ("Signature", 'keyId="https://mastodon.social/users/kaito#main-key",algorithm="rsa-sha256",'
                      'headers="(request-target) host date digest content-type",signature="' + _b64("masto-sig", 256) + '"')],
        _MASTODON_BODY)),

    # --- hashes, ids, integrity values, ETags, Range ---
    ("path", "", "/api/v2/orders/" + _uuid("order") + "/items/" + _ulid("item")),
    ("path", "", "/_next/static/chunks/pages/_app-" + _hex("next-app", 16) + ".js"),
    ("path", "", "/ipfs/bafybei" + _chars("cid", 52, "abcdefghijklmnopqrstuvwxyz234567") + "/metadata/4471.json"),
    ("path", "", "/acme/storefront/commit/" + _hex("commit", 40) + "?diff=split&w=1"),
    ("header:Idempotency-Key", "", _uuid("idem2")),
    ("json", "", json.dumps({"ids": [_ulid(f"bulk{i}", 1705312951123 + i * 37) for i in range(8)], "action": "archive"})),
    ("json", "", json.dumps({"name": "left-pad", "version": "1.3.0",
                             "integrity": "sha512-" + _b64("npm-int", 64),
                             "resolved": "https://registry.npmjs.org/left-pad/-/left-pad-1.3.0.tgz",
                             "shasum": _hex("npm-sha1", 40)})),
    ("query", "sha256", _hex("dl-sha256", 64)),
    ("header:If-None-Match", "", '"' + _hex("etag1", 40) + '"'),
    ("header:If-None-Match", "", 'W/"5e1-' + _b64("etag2", 20).rstrip("=").replace("+", "").replace("/", "") + '", W/"0815"'),
    ("header:Range", "", "bytes=500-999,7000-7999,-512"),
    ("raw", "", _raw("GET", "/media/webinar-2024-01.mp4", [
        ("Host", "cdn.example-learning.com"), ("User-Agent", _UA_SAFARI_IOS), ("Accept", "*/*"),
        ("Accept-Encoding", "identity"), ("Range", "bytes=31457280-"),
        ("If-Range", '"' + _hex("etag-vid", 32) + '"'), ("X-Playback-Session-Id", _uuid("pbs").upper()),
        ("Referer", "https://www.example-learning.com/kurs/webinar?lang=pl")])),
    ("header:Content-Digest", "", "sha-256=:" + _b64("cdigest", 32) + ":"),

    # --- analytics, ad click ids and consent cookies ---
    ("cookie", "", "_ga=GA1.1.1873629104.1705312951; _ga_7XQ2K9PLMD=GS1.1.1705312951.14.1.1705313377.0.0.1128475932"),
    ("cookie", "", "_fbp=fb.1.1705312951123.1283746501; _fbc=fb.1.1705312951125.IwAR" + _chars("fbc", 58, _ALNUM + "_-")),
    ("path", "", "/landing/winter-sale?utm_source=facebook&utm_medium=paid_social&utm_campaign=ws24_de_retarget"
     "&utm_content=carousel_v3&fbclid=IwAR" + _chars("fbclid", 58, _ALNUM + "_-")),
    ("path", "", "/?gclid=Cj0KCQiA" + _chars("gclid", 72, _ALNUM + "_-") + "_BwE&gad_source=1"),
    ("query", "msclkid", _hex("msclkid", 32)),
    ("cookie", "", "ajs_anonymous_id=%22" + _uuid("ajs") + "%22; ajs_user_id=%22usr_" + _chars("ajsu", 20, _ALNUM) + "%22"),
    ("cookie", "", "mp_" + _hex("mp", 32) + "_mixpanel=" + _pct(json.dumps(
        {"distinct_id": "$device:18d0c" + _hex("mpd", 10), "$device_id": "18d0c" + _hex("mpd", 10),
         "$initial_referrer": "https://www.google.com/", "$initial_referring_domain": "www.google.com",
         "__mps": {}, "__mpso": {"$initial_referrer": "https://www.google.com/"}, "__mpus": {}, "__mpa": {},
         "__mpu": {}, "__mpr": [], "__mpap": []}, separators=(",", ":")))),
    ("cookie", "", "_hjSessionUser_3817264=" + _j64({"id": _uuid("hj"), "created": 1705312951123, "existing": True})),
    ("cookie", "", "_clck=1x9k2pb%7C2%7Cfie%7C0%7C1475; _clsk=1m3q8zr%7C1705313377123%7C4%7C1%7Cq.clarity.ms%2Fcollect"),
    ("cookie", "", "OptanonConsent=isGpcEnabled=0&datestamp=Mon+Jan+15+2024+11%3A02%3A31+GMT%2B0100+(Mitteleurop%C3%A4ische"
     "+Normalzeit)&version=202310.1.0&browserGpcFlag=0&isIABGlobal=false&hosts=&consentId=" + _uuid("onetrust")
     + "&interactionCount=1&landingPath=NotLandingPage&groups=C0001%3A1%2CC0002%3A1%2CC0003%3A1%2CC0004%3A0"
       "&geolocation=DE%3BBY&AwaitingReconsent=false; OptanonAlertBoxClosed=2024-01-15T10:02:31.123Z"),
    ("cookie", "", "CookieConsent={stamp:%27" + _pct(_b64("cookiebot", 42)) + "%27%2Cnecessary:true%2Cpreferences:true"
     "%2Cstatistics:true%2Cmarketing:false%2Cmethod:%27explicit%27%2Cver:1%2Cutc:1705312951123%2Cregion:%27pl%27}"),
    ("cookie", "", "euconsent-v2=CP4" + _chars("tcf", 120, _ALNUM + "_-") + ".YAAAAAAAAAAA"),
    ("cookie", "", "_pin_unauth=" + _bb64(("{\"id\":\"" + _uuid("pin") + "\"}").encode()) + "; _tt_enable_cookie=1; _ttp="
     + _chars("ttp", 27, _ALNUM)),
    ("json", "", json.dumps([{"event": "gtm.js", "gtm.start": 1705312951123},
                             {"event": "view_item", "ecommerce": {"currency": "TRY", "value": 1249.9,
                                                                  "items": [{"item_id": "SKU_8841", "item_name": "Çay Bardağı Seti (6'lı)",
                                                                             "item_brand": "Paşabahçe", "price": 1249.9}]},
                              "gtm.uniqueEventId": 7}], ensure_ascii=False)),

    # --- CDN, bot manager and load-balancer cookies ---
    ("cookie", "", "__cf_bm=" + _b64u("cfbm", 33) + "-1705312951-1.0.1.1-" + _b64u("cfbm2", 66)),
    ("cookie", "", "cf_clearance=" + _b64u("cfcl", 33) + "-1705312951-0-1-" + _hex("cfcl-a", 8) + "." + _hex("cfcl-b", 8)
     + "." + _hex("cfcl-c", 8) + "-160.0.0"),
    ("cookie", "", "_abck=" + _hex("abck", 32).upper() + "~0~" + _b64("abck-b", 300) + "~-1~||-1||~-1"),
    ("cookie", "", "bm_sz=" + _hex("bmsz", 32).upper() + "~YAAQ" + _b64("bmsz-b", 260) + "~" + "4408642~3486001"),
    ("cookie", "", "_px3=" + _hex("px3", 64) + ":" + _b64("px3-b", 90) + ":1000:" + _b64("px3-c", 180)
     + "; _pxvid=" + _uuid("pxvid") + "; pxcts=" + _uuid("pxcts")),
    ("cookie", "", "datadome=" + _chars("dd", 40, _ALNUM + "~_") + "~" + _chars("dd2", 80, _ALNUM + "_")),
    ("cookie", "", "visid_incap_2291844=" + _b64("incap-v", 48) + "; incap_ses_1180_2291844=" + _b64("incap-s", 40)
     + "; nlbi_2291844=" + _b64("incap-n", 34)),
    ("cookie", "", "AWSALB=" + _b64("alb", 96) + "; AWSALBCORS=" + _b64("alb", 96)),
    ("cookie", "", "BIGipServer~DMZ~pool_www_443=rd5o00000000000000000000ffff0a0a1e21o443; TS01a9f3c2="
     + "01" + _hex("f5ts", 180)),

    # --- tracing and client-hint headers ---
    ("header:traceparent", "", "00-" + _hex("trace", 32) + "-" + _hex("span", 16) + "-01"),
    ("header:tracestate", "", "congo=t61rcWkgMzE,rojo=00f067aa0ba902b7,dd=s:1;o:rum;t.dm:-1"),
    ("header:b3", "", _hex("b3t", 32) + "-" + _hex("b3s", 16) + "-1-" + _hex("b3p", 16)),
    ("header:X-Amzn-Trace-Id", "", "Root=1-65a4f3c7-" + _hex("xray", 24) + ";Parent=" + _hex("xrayp", 16) + ";Sampled=1;Lineage=a87bd80c:0"),
    ("header:baggage", "", "sentry-environment=production,sentry-release=web%402024.01.15-3f2a1c,sentry-public_key="
     + _hex("sentry-pk", 32) + ",sentry-trace_id=" + _hex("sentry-t", 32) + ",sentry-sample_rate=0.1,sentry-sampled=false"),
    ("header:sentry-trace", "", _hex("sentry-t", 32) + "-" + _hex("sentry-s", 16) + "-0"),
    ("header:newrelic", "", _bb64(json.dumps({"v": [0, 1], "d": {"ty": "Browser", "ac": "3847261", "ap": "1120384756",
                                                                 "id": _hex("nr-id", 16), "tr": _hex("nr-tr", 32),
                                                                 "ti": 1705312951123}}, separators=(",", ":")).encode())),
    ("header:Sec-CH-UA", "", '"Not_A Brand";v="8", "Chromium";v="120", "Google Chrome";v="120"'),
    ("header:Next-Router-State-Tree", "", _pct(json.dumps(["", {"children": ["(shop)", {"children": [["slug", "ao-thun-nam", "d"],
                                                                                                       {"children": ["__PAGE__", {}]}]}]},
                                                            None, None, True], separators=(",", ":"), ensure_ascii=False))),
    ("header:Next-Action", "", _hex("next-action", 40)),

    # --- binary payloads as base64 in JSON: protobuf, msgpack, images, push, WebAuthn, captchas ---
    ("json", "", json.dumps({"events": [{"type": "proto", "payload": _bb64(_PROTO_EVENT)}], "sdk": "android-4.11.2"})),
    ("json", "blob", _bb64(_MSGPACK_EVENT)),
    ("body:application/grpc-web-text", "grpc.Inventory", _bb64(b"\x00" + struct.pack(">I", len(_PROTO_EVENT)) + _PROTO_EVENT)),
    ("json", "", json.dumps({"displayName": "Ayşe Yılmaz", "avatar": "data:image/png;base64," + _PNG_DATA})),
    ("json", "", json.dumps({"pixel": "data:image/gif;base64,R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7"})),
    ("json", "", json.dumps({"theme": {"primary": "#1a73e8", "icon": "data:image/svg+xml;base64," + _bb64(_SVG_ICON.encode())}})),
    ("json", "", json.dumps({"signature": "data:image/jpeg;base64,/9j/4AAQSkZJRgABAQAAAQABAAD/2wBDAA" + _b64("jpeg", 600)
                             + "/9k=", "signedAt": "2024-01-15T10:02:31+09:00", "signer": "佐藤 健"}, ensure_ascii=False)),
    ("json", "", json.dumps({"endpoint": "https://fcm.googleapis.com/fcm/send/" + _b64u("push-ep", 12) + ":APA91b"
                             + _b64u("push-ep2", 105), "expirationTime": None,
                             "keys": {"p256dh": "B" + _b64u("p256dh", 64), "auth": _b64u("push-auth", 16)}})),
    ("json", "", json.dumps({"id": _b64u("wa-id", 32), "rawId": _b64u("wa-id", 32), "type": "public-key",
                             "authenticatorAttachment": "platform",
                             "response": {"clientDataJSON": _WEBAUTHN_CDJ,
                                          "authenticatorData": _b64u("wa-ad", 37), "signature": "MEUCI" + _b64u("wa-sig", 66),
                                          "userHandle": _b64u("wa-uh", 16)}, "clientExtensionResults": {}})),
    ("form", "g-recaptcha-response", "03AFcWeA" + _chars("recap", 1400, _ALNUM + "-_")),
    ("form", "h-captcha-response", "P1_" + _jwt({"typ": "JWT", "alg": "HS256"},
                                                {"exp": 1705313071, "shard_id": 339510303, "kr": "2a9c4f1e", "pd": 0,
                                                 "cdata": _b64("hc-cdata", 300)}, "hcaptcha", 32)),
    ("form", "cf-turnstile-response", "0." + _b64u("turnstile", 600) + "." + _hex("turnstile2", 64)),
    ("json", "", json.dumps({"paymentData": {"data": _b64("applepay-d", 400), "signature": "MIAGCSqGSIb3DQEHAqCAMIACAQEx"
                                             + _b64("applepay-s", 900), "header": {"publicKeyHash": _b64("applepay-pkh", 32),
                                                                                   "ephemeralPublicKey": "MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE"
                                                                                   + _b64("applepay-epk", 64),
                                                                                   "transactionId": _hex("applepay-tx", 64)},
                                             "version": "EC_v1"},
                             "paymentMethod": {"displayName": "Visa 4242", "network": "Visa", "type": "debit"},
                             "transactionIdentifier": _hex("applepay-tx", 64).upper()})),

    # --- reports, signed media URLs, e-mail links ---
    ("body:application/csp-report", "csp-report", json.dumps({"csp-report": {
        "document-uri": "https://shop.example.com/checkout", "referrer": "https://shop.example.com/cart",
        "violated-directive": "script-src-elem", "effective-directive": "script-src-elem",
        "original-policy": "default-src 'self'; script-src 'nonce-" + _b64("csp-nonce", 16) + "' 'strict-dynamic' https: "
                           "'unsafe-inline'; object-src 'none'; base-uri 'none'; frame-ancestors 'self'; report-uri /csp-report",
        "disposition": "enforce", "blocked-uri": "inline", "line-number": 14, "column-number": 9,
        "source-file": "https://shop.example.com/checkout", "status-code": 200,
        "script-sample": "(function(w,d,s,l,i){w[l]=w[l]||[];w[l].pu"}})),
    ("body:application/reports+json", "reports", json.dumps([{
        "age": 12, "type": "csp-violation", "url": "https://news.example.org/artikel/2024/01/15/wahl",
        "user_agent": _UA_CHROME,
        "body": {"blockedURL": "https://connect.facebook.net/de_DE/fbevents.js", "disposition": "report",
                 "documentURL": "https://news.example.org/artikel/2024/01/15/wahl", "effectiveDirective": "script-src-elem",
                 "originalPolicy": "script-src 'self' 'nonce-" + _b64("csp-nonce2", 16) + "' https://www.googletagmanager.com; "
                                   "report-to csp-endpoint", "referrer": "https://www.google.de/", "sample": "",
                 "statusCode": 200}}])),
    ("path", "", "/image/upload/s--" + _b64u("cld", 6) + "--/c_fill,g_face,h_400,w_400/q_auto,f_auto/v1705312951/users/avatars/"
     + _hex("cld-id", 20) + ".jpg"),
    ("path", "", "/" + _b64u("imgproxy-sig", 32) + "/rs:fit:1200:0/q:82/" + _b64u("imgproxy-src", 60) + ".avif"),
    ("path", "", "/ls/click?upn=u001." + _b64("sg-click", 220).replace("+", "-2B").replace("/", "-2F").replace("=", "-3D")
     + "_" + _b64("sg-click2", 90).replace("+", "-2B").replace("/", "-2F").replace("=", "-3D")),
    ("path", "", "/unsubscribe?u=" + _hex("mc-u", 25) + "&id=" + _hex("mc-id", 10) + "&e=" + _hex("mc-e", 10)
     + "&c=" + _hex("mc-c", 10)),
    ("path", "", "/auth/magic?token=" + _b64u("magic", 48) + "&email=kowalska.anna%40wp.pl&redirect=%2Fkonto%2Fzamowienia"),
    ("path", "", "/checkout/paypal/return?token=EC-" + _chars("ppec", 17, "ABCDEFGHJKLMNPRSTUVWXYZ0123456789") + "&PayerID="
     + _chars("pppid", 13, "ABCDEFGHJKLMNPRSTUVWXYZ0123456789")),

    # --- search queries in many scripts ---
    ("query", "q", "如何用Python读取Excel文件？"),
    ("query", "q", "台北101附近有什麼好吃的？「必比登」推薦"),
    ("query", "q", "東京 ラーメン おすすめ 「一蘭」と「一風堂」どっち？"),
    ("query", "q", "ＵＳＢ－Ｃ　ケーブル　２ｍ　急速充電"),
    ("query", "keyword", "ｶﾞﾝﾀﾞﾑ ﾌﾟﾗﾓﾃﾞﾙ 1/144"),
    ("query", "q", "서울 맛집 추천 (강남역 근처)"),
    ("query", "q", "삼성 갤럭시 S24 울트라 vs 아이폰 15 — 카메라 비교"),
    ("query", "q", "أفضل مطاعم في دبي؟"),
    ("query", "q", "\u200fמה השעה בתל אביב?"),
    ("query", "q", "צה״ל שירות מילואים 2024 ״זכויות״"),
    ("query", "q", "قیمت دلار امروز در بازار آزاد تهران ۱۴۰۲"),
    ("query", "q", "می\u200cخواهم فارسی یاد بگیرم"),
    ("query", "q", "दिल्ली में सबसे अच्छी बिरयानी कहाँ मिलेगी?"),
    ("query", "q", "ร้านกาแฟใกล้ฉัน เปิด 24 ชั่วโมง"),
    ("query", "q", "«Война и мир» Толстой купить — издание 1978 г."),
    ("query", "q", "как удалить папку в linux через терминал"),
    ("query", "q", "Київ — Львів квиток на потяг, ціна"),
    ("query", "q", "рецепт борщу з м'ясом і квасолею"),
    ("query", "q", "Πού είναι το πλησιέστερο φαρμακείο;"),
    ("query", "q", "İstanbul'da en iyi kebapçı hangisi?"),
    ("query", "q", "Phở bò ở đâu ngon nhất Hà Nội?"),
    ("query", "q", "Zażółć gęślą jaźń – co to znaczy?"),
    ("query", "q", "„Pan Tadeusz” streszczenie księga I"),
    ("query", "q", "'s-Hertogenbosch hotels"),
    ("query", "q", "L'Aquila – Côte-d'Ivoire vol aller-retour « pas cher »"),
    ("query", "q", "【重要】＜年末年始の営業について＞≪新商品≫"),

    # --- names with apostrophes, hyphens, diacritics and non-Latin scripts ---
    ("form", "name", "Siobhán O'Connor-Murphy"),
    ("form", "last_name", "D'Souza-Fernandes"),
    ("form", "full_name", "Jean-Luc N'Diaye"),
    ("form", "author", "Ngũgĩ wa Thiong'o"),
    ("json", "", json.dumps({"firstName": "Mary-Kate", "lastName": "O'Neil", "nickname": "MK 🎸"}, ensure_ascii=False)),
    ("json", "", json.dumps({"given_name": "Björk", "family_name": "Guðmundsdóttir", "country": "IS"}, ensure_ascii=False)),
    ("form", "name", "Đorđe Petrović"),
    ("form", "name", "عبد الله بن محمد آل سعود"),
    ("form", "name", "יוסף בן-דוד"),
    ("json", "", json.dumps({"name": "山田 太郎（やまだ たろう）", "kana": "ヤマダ タロウ"}, ensure_ascii=False)),
    ("form", "name", "श्रीनिवास रामानुजन"),
    ("form", "name", "Пётр Ильич Чайковский"),
    ("form", "name", "В'ячеслав Ковальчук-Сім'я"),
    ("json", "", '{"first_name":"Chlo\\u00e9","last_name":"de l\'Estang","city":"Saint-\\u00c9tienne"}'),

    # --- addresses ---
    ("json", "", json.dumps({"postal_code": "〒100-0005", "prefecture": "東京都", "city": "千代田区",
                             "address1": "丸の内１丁目９−１", "address2": "グラントウキョウノースタワー ３Ｆ",
                             "name": "佐藤 花子", "phone": "03-1234-5678"}, ensure_ascii=False)),
    ("form", "address", "广东省深圳市南山区科技园南区（高新南七道）12号#3栋-1201室"),
    ("form", "address", "서울특별시 강남구 테헤란로 152 (역삼동, 강남파이낸스센터) 12층"),
    ("form", "address", "شارع الملك فهد، حي العليا، الرياض ١٢٢١١"),
    ("form", "address", "רח׳ הרצל 12/3, תל אביב-יפו \u200e+972-3-555-1234\u200e"),
    ("json", "", json.dumps({"street": "вул. Хрещатик, 22", "city": "м. Київ", "zip": "01001", "country": "UA"}, ensure_ascii=False)),
    ("form", "address", "ul. Marszałkowska 84/92 lok. 5, 00-514 Warszawa"),
    ("form", "address", "Atatürk Cad. No:15/3 D:7 Kadıköy/İstanbul"),
    ("form", "address", "Số 12 Ngõ 34/5 Phố Huế, P. Phố Huế, Q. Hai Bà Trưng, Hà Nội"),
    ("form", "address", "99/123 ซอยสุขุมวิท 21 (อโศก) แขวงคลองเตยเหนือ เขตวัฒนา กรุงเทพฯ 10110"),
    ("form", "address", "फ्लैट नं. 4-B, शांति निवास, एम.जी. रोड, पुणे – 411001"),
    ("form", "address", "تهران، خیابان ولیعصر، کوچه ۱۲، پلاک ۳۴، واحد ۵"),

    # --- product reviews, comments and chat messages ---
    ("form", "review", "质量很好！！！物流也快～五星好评👍👍 就是包装有点简陋（盒子压坏了）……"),
    ("form", "review", "サイズ感はピッタリでした😊 ただ、色が写真より少し暗めかな…？ ★★★★☆"),
    ("form", "review", "배송 빨라요!! ㅋㅋㅋ 근데 사이즈가 좀 작아요ㅠㅠ 한 치수 크게 주문하세요~"),
    ("form", "review", "منتج رائع 👌 لكن التوصيل تأخر ٣ أيام… أنصح به ١٠٠٪"),
    ("form", "comment", "המוצר הגיע אחרי שבוע, האיכות \u200fמעולה\u200f! ממליץ בחום 👍 (קניתי מידה L)"),
    ("json", "review", "Товар — огонь 🔥! Но доставка «Почтой России» заняла 3 недели :( Ставлю 4/5"),
    ("json", "review", "Дуже задоволена! Пʼять зірок ⭐⭐⭐⭐⭐ Продавець — молодець, все прийшло цілим"),
    ("form", "review", "Ürün çok güzel ama kargo 5 gün sürdü :/ Satıcıya teşekkürler 🙏🏽"),
    ("form", "review", "Polecam! Buty są wygodne, ale rozmiar 42 to raczej 41½ — zamówcie o numer większy ;)"),
    ("form", "review", "ของดีมากค่ะ ส่งไวมาก 555+ จะกลับมาซื้ออีกนะคะ 🥰"),
    ("json", "", json.dumps({"rating": 4, "title": "„Solide Qualität“", "body": "Passt gut, die Nähte sind sauber – "
                             "nur die Größenangabe (\"M\" = eher S) ist verwirrend.", "lang": "de"}, ensure_ascii=False)),
    ("json", "", json.dumps({"message": "明天下午3点在「星巴克」见？我带上合同（第2版）📄", "conversation_id": _uuid("conv1"),
                             "client_msg_id": _ulid("cmsg1")}, ensure_ascii=False)),
    ("json", "", json.dumps({"text": "ok 👍 I'll be there at 7 — بحبك يا أمي ❤️", "reply_to": _uuid("conv2")}, ensure_ascii=False)),
    ("json", "", '{"comment":"\\u3053\\u306e\\u5546\\u54c1\\u306f\\u6700\\u9ad8\\uff01 \\ud83d\\ude0d","rating":5}'),
    ("form", "message", "Bonjour, j'ai commandé le 12/01 (commande n° 10482) mais je n'ai rien reçu… Pouvez-vous vérifier ?"),

    # --- emoji sequences: ZWJ, skin tones, flags, keycaps, tag sequences ---
    ("form", "status", "👨‍👩‍👧‍👦 family trip 🇯🇵🇰🇷🇺🇦"),
    ("json", "bio", "🧑🏽‍💻 dev | 🏳️‍🌈 | she/her | 👋🏿 hi"),
    ("query", "q", "❤️‍🔥 emoji meaning"),
    ("form", "caption", "World Cup 2026 🏴󠁧󠁢󠁳󠁣󠁴󠁿 vs 🏴󠁧󠁢󠁷󠁬󠁳󠁿 1️⃣-0️⃣ ⚽"),
    ("json", "reaction", "🫶🏻"),
    ("form", "nickname", "ꜱᴀᴋᴜʀᴀ🌸ちゃん"),
    ("query", "q", "👩🏾‍🦱 hair care"),
    ("json", "", json.dumps({"reactions": {"👍🏼": 12, "😂": 4, "🇵🇸": 1, "🏳️‍⚧️": 2}, "post": 88213}, ensure_ascii=False)),

    # --- localized paths ---
    ("path", "", "/wiki/東京都"),
    ("path", "", "/каталог/смартфоны/apple-iphone-15?цвет=чёрный"),
    ("path", "", "/ar/منتجات/عطور?sort=الأحدث"),
    ("path", "", "/users/O'Brien/posts"),
    ("path", "", "/gezi/İstanbul'da-gezilecek-yerler"),
    ("path", "", "/produkt/żółta-sukienka-w-kropki-rozm.-38"),
    ("path", "", "/recipes/phở-bò-hà-nội"),
    ("path", "", "/th/สินค้า/เสื้อยืด?size=L"),
    ("path", "", "/he/מוצרים/ספרים?sort=new"),
    ("path", "", "/fa/مقاله/برنامه\u200cنویسی-پایتون"),
    ("path", "", "/search/%E6%96%B0%E5%AE%BF%20%E5%B1%85%E9%85%92%E5%B1%8B?page=2"),

    # --- cookies and headers carrying localized text ---
    ("cookie", "", "recent_searches=" + _pct(json.dumps(["東京 ラーメン", "大阪 たこ焼き", "京都 抹茶"], ensure_ascii=False))),
    ("cookie", "", "city=Kraków"),
    ("cookie", "", "prefs=" + _pct(json.dumps({"lang": "zh-Hant-TW", "currency": "TWD", "region": "台灣"}, ensure_ascii=False))),
    ("cookie", "", "last_viewed=" + _pct("Çay Bardağı Seti (6'lı)")),
    ("header:Accept-Language", "", "zh-CN,zh;q=0.9,zh-TW;q=0.8,en-US;q=0.7,en;q=0.6,ja;q=0.5"),
    ("header:Referer", "", "https://www.google.com/search?q=%E5%8C%97%E4%BA%AC+%E9%85%92%E5%BA%97&oq=%E5%8C%97%E4%BA%AC&sourceid=chrome&ie=UTF-8"),
    ("header:User-Agent", "", "Mozilla/5.0 (iPhone; CPU iPhone OS 17_2 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
     "Mobile/15E148 MicroMessenger/8.0.44(0x18002c2f) NetType/WIFI Language/zh_CN"),
    ("header:User-Agent", "", "%E5%B0%8F%E7%BA%A2%E4%B9%A6/8.15.1 CFNetwork/1490.0.4 Darwin/23.2.0"),
    ("header:User-Agent", "", "Mozilla/5.0 (Linux; Android 14; SM-S918N Build/UP1A.231005.007; wv) AppleWebKit/537.36 "
     "(KHTML, like Gecko) Version/4.0 Chrome/120.0.6099.210 Mobile Safari/537.36;KAKAOTALK 2410440"),
    ("header:X-File-Name", "", _pct("Счёт-фактура №118 от 15.01.2024.pdf")),

    # --- uploaded file names ---
    ("multipart", "file", "履歴書_山田太郎.pdf"),
    ("multipart", "file", "Отчёт за 2023 г. (финал).xlsx"),
    ("multipart", "file", "صورة الهوية.jpg"),
    ("multipart", "file", "IMG_20240115_ảnh cưới.jpg"),
    ("multipart", "file", "Faktura nr 12/2024 – Żółć sp. z o.o..pdf"),
    ("multipart", "file", "제안서_최종_v2 (1).docx"),
    ("multipart", "file", "O'Connor's CV – 2024.docx"),
    ("multipart", "file", "😀 party pics.zip"),
    ("multipart", "file", "スクリーンショット 2024-01-15 10.02.31.png"),

    # --- legacy charsets: Latin-1, Shift_JIS, EUC-JP, GBK, Big5, cp1251, cp1256 ---
    ("raw", "", _raw("POST", "/kontakt/senden.php", [
        ("Host", "www.baeckerei-mueller.de"), ("User-Agent", _UA_CHROME), ("Origin", "http://www.baeckerei-mueller.de"),
        ("Content-Type", "application/x-www-form-urlencoded; charset=ISO-8859-1"), ("Accept-Charset", "ISO-8859-1"),
        ("Referer", "http://www.baeckerei-mueller.de/kontakt.html")],
        _browser_form([("name", "François Müller"), ("ort", "Köln"), ("nachricht", "Grüße! Haben Sie am Sonntag geöffnet? "
                                                                         "Ich möchte 3× Brötchen & 1 Sahnetorte (ca. 25 €) bestellen."),
               ("absenden", "Absenden")], "latin-1"))),
    ("raw", "", _raw("POST", "/bbs/write.cgi", [
        ("Host", "www.example-shop.co.jp"), ("User-Agent", _UA_CHROME),
        ("Content-Type", "application/x-www-form-urlencoded; charset=Shift_JIS"),
        ("Origin", "http://www.example-shop.co.jp"), ("Referer", "http://www.example-shop.co.jp/bbs/index.html")],
        _sjis_form([("name", "ソフト開発部　表"), ("mail", "sage"),
                    ("body", "能力表示のソフトについて質問です。申し込み方法を教えてください。"), ("submit", "書き込む")]))),
    ("path", "", "/search.php?kw=" + urllib.parse.quote_plus("ソフトウェア 表計算", encoding="shift_jis") + "&ie=sjis"),
    ("path", "", "/cgi-bin/search.cgi?word=" + urllib.parse.quote_plus("予約 表示", encoding="euc_jp") + "&enc=euc-jp"),
    ("path", "", "/s?wd=" + urllib.parse.quote_plus("你好 北京天气", encoding="gbk") + "&ie=gbk"),
    ("raw", "", _raw("POST", "/forum/post.php", [
        ("Host", "bbs.example.com.tw"), ("User-Agent", _UA_CHROME),
        ("Content-Type", "application/x-www-form-urlencoded; charset=Big5")],
        _form([("subject", "許功蓋 測試"), ("content", "請問這個「表格」怎麼下載？謝謝！")], "big5"))),
    ("raw", "", _raw("POST", "/feedback.php", [
        ("Host", "shop.example.ru"), ("User-Agent", _UA_CHROME),
        ("Content-Type", "application/x-www-form-urlencoded; charset=windows-1251")],
        _form([("fio", "Иванова Мария Сергеевна"), ("msg", "Здравствуйте! Где мой заказ №5512? Спасибо.")], "cp1251"))),
    ("path", "", "/search?q=" + urllib.parse.quote_plus("كتب عربية", encoding="cp1256") + "&charset=windows-1256"),
    ("path", "", "/szukaj?fraza=" + urllib.parse.quote_plus("żółw łódź", encoding="iso-8859-2")),
]
