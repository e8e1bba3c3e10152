"""Typed JSON credentials (issue #4 item 1): the point the JSON parser emits and the requests it makes attacks."""
from __future__ import annotations

import json

import pytest

from sensor.detect import verdict
from sensor.points import Limits, extract
from tests.detect.wild_benign import build_request

ATTACKS = [
    {"userName": "admin", "passWord": True},
    {"data": {"type": "session", "attributes": {"email": "a@b.example", "password": True}}},
    {"g-recaptcha-response": True, "email": "a@b.example", "message": "hi"},
    {"login": "bob", "otp": 0},
    {"email": "a@b.example", "totp": True},
    {"username": "a", "current_password": ["x"], "new_password": "y"},
    {"coupon_code": True, "cart": "c1"},
    {"email": "a@b.example", "security_answer": True},
    {"username": "admin", "token": 0},
    {"user": {"email": "x@y.example", "password": True}},
]
BENIGN = [
    {"email": "a@b.example", "password": "hunter2", "returnSecureToken": True},   # Firebase sign-in
    {"code": 0, "message": "ok", "user": "bob"},                                 # a status code beside a user
    {"password": 0, "email": 0},                                                 # a projection at top level
    {"providers": {"password": True, "google": False}},
    {"text": "foo", "code": True, "bold": True},                                 # a rich-text mark
    {"message_id": "m1", "pin": True},
    {"router": {"hash": True}},
    {"name": "x", "password": None},                                             # PATCH: leave unchanged
    {"username": "a", "reset_password": True},
    {"password": {"min_length": 8, "require_digit": True}},                      # a password policy
    {"otp": 123456, "email": "a@b.example"},                                     # a numeric OTP is a value
    {"user": "bob", "token_expires_in": 0},
]


J = "json"
# The same class as whole requests in every carrier, written by the other workstream (wild_benign.build_request form):
# a non-string JSON value where a secret is compared
JUGGLING_ATTACKS = [
    (J, "", '{"username":"admin","password":true}'),
    (J, "", '{"email":"admin@shop.example","password":0}'),
    (J, "", '{"login":"admin","pwd":[]}'),
    (J, "", '{"user":"root","pass":true}'),
    (J, "", '{"username":"admin","password":{}}'),
    (J, "", '{"username":"admin","password":["x"]}'),
    (J, "", '{"username":"admin","password":0.0}'),
    (J, "", '{"token":true}'),
    (J, "", '{"csrf_token":0,"action":"delete_account"}'),
    (J, "", '{"email":"a@b.example","otp":0}'),
    (J, "", '{"phone":"+15550100","verification_code":true}'),
    (J, "", '{"username":"bob","code":[]}'),
    (J, "", '{"card_number":"4111111111111111","pin":0}'),
    (J, "", '{"api_key":true}'),
    (J, "", '{"apiKey":0,"query":"orders"}'),
    (J, "", '{"user":{"name":"admin","currentPassword":true,"newPassword":"n3w-Pass!"}}'),
    (J, "", '{"client_id":"web","client_secret":true,"grant_type":"client_credentials"}'),
    (J, "", '{"email":"x@y.example","hash":0}'),
    (J, "", '{"payload":"eyJ1aWQiOjF9","signature":true}'),
    (J, "", '{"username":"admin","answer":true}'),
    (J, "", '{"username":"admin","password":"x","captcha":true}'),
    (J, "", '{"auth":{"login":"admin","passwd":true}}'),
    (J, "", '{"_token":true,"email":"x@y.example"}'),
    (J, "", '[{"username":"admin","password":true}]'),
    (J, "", '{"user_password":[1]}'),
    (J, "", '{"operationName":"Login","variables":{"username":"admin","password":true},'
            '"query":"mutation Login($username: String!, $password: String!) { login(username: $username, '
            'password: $password) { token } }"}'),
    ("query", "data", '{"username":"admin","password":true}'),
    ("form", "payload", '{"email":"admin@shop.example","secret":true}'),
]

JUGGLING_BENIGN = [
    (J, "", '{"email":"a@b.example","password":"hunter2-Correct","remember_me":true}'),
    (J, "", '{"password_changed":true,"user_id":5}'),
    (J, "", '{"token_count":0,"model":"small"}'),
    (J, "", '{"otp_enabled":false,"email":"a@b.example"}'),
    (J, "", '{"error":{"code":404,"message":"Not found"}}'),
    (J, "", '{"status":"ok","code":0,"data":{"token":"abc"}}'),
    (J, "", '{"address":{"line1":"12 MG Road","city":"Bengaluru","pin_code":560001}}'),
    (J, "", '{"name":"Asha","address":{"city":"Pune","pin_code":0}}'),
    (J, "", '{"post_id":42,"pin":true}'),
    (J, "", '{"question_id":7,"answer":true}'),
    (J, "", '{"question_id":7,"answer":["b","d"]}'),
    (J, "", '{"question_id":8,"answer":0}'),
    (J, "", '{"select":{"id":true,"email":true,"password":true}}'),
    (J, "", '{"filter":{"active":true},"projection":{"password":0,"_id":0}}'),
    ("query", "keys", '{"password":0,"token":0}'),
    (J, "", '{"features":{"password":true,"sso":false,"magic_link":true}}'),
    (J, "", '{"auth_methods":{"password":true,"webauthn":true}}'),
    (J, "", '{"key":"DATABASE_URL","value":"postgres://db/app","secret":true}'),
    (J, "", '{"title":"Garden ideas","secret":true}'),
    (J, "", '{"test":"login works","pass":true,"duration_ms":31}'),
    (J, "", '{"name":"contact","captcha":true,"honeypot":true}'),
    (J, "", '{"show_password":true,"email":"x@y.example"}'),
    (J, "", '{"has_password":false,"password_set":true}'),
    (J, "", '{"require_password":true,"min_length":12}'),
    (J, "", '{"pad_token":null,"eos_token":"</s>","add_bos_token":true}'),
    (J, "", '{"page_token":null,"page_size":50}'),
    (J, "", '{"nonce":0,"gasPrice":"0x09184e72a000","to":"0x7f3a0c0f1bd1f0b11d5e2e2b3c4d5e6f70819203"}'),
    (J, "", '{"password":{"current":"old-pass-1","new":"n3w-pass!"}}'),
    (J, "", '{"touched":{"email":true,"password":true}}'),
    (J, "", '{"errors":{"password":true}}'),
    (J, "", '{"user":{"id":5,"has_2fa":true,"otp_verified":true}}'),
    (J, "", '{"password_reset_required":true,"email":"x@y.example"}'),
    (J, "", '{"email":"x@y.example","code_sent":true}'),
    (J, "", '{"captcha_required":true,"username":"bob"}'),
    (J, "", '{"max_tokens":0,"prompt":"Summarise this"}'),
    (J, "", '{"remember_password":true,"username":"bob","password":"pa55-Word"}'),
    (J, "", '{"email":"x@y.example","verification_code":482913}'),
    (J, "", '{"card_number":"4111111111111111","pin":1234}'),
    (J, "", '{"settings":{"signature":true,"email":"x@y.example"}}'),
    (J, "", '{"username":"bob","password":false}'),
]


@pytest.mark.parametrize("carrier,key,value", JUGGLING_ATTACKS, ids=lambda v: str(v)[:40])
def test_juggling_request_is_caught(engine, carrier, key, value):
    assert "nosqli:typed_credential" in {h.rule for h in engine.inspect(build_request(carrier, value, key)) if h.score >= 0.5}


@pytest.mark.parametrize("carrier,key,value", JUGGLING_BENIGN, ids=lambda v: str(v)[:40])
def test_juggling_lookalike_stays_clean(engine, carrier, key, value):
    assert verdict(engine.inspect(build_request(carrier, value, key))) == "clean"


@pytest.mark.parametrize("doc", ATTACKS, ids=lambda d: json.dumps(d)[:50])
def test_typed_credential_is_caught(engine, doc):
    hits = engine.inspect(build_request("json", json.dumps(doc)))
    assert verdict(hits) == "attack"
    assert "nosqli:typed_credential" in {h.rule for h in hits}


@pytest.mark.parametrize("doc", BENIGN, ids=lambda d: json.dumps(d)[:50])
def test_typed_flag_stays_clean(engine, doc):
    hits = engine.inspect(build_request("json", json.dumps(doc)))
    assert verdict(hits) == "clean", [h.rule for h in hits]


def test_point_is_the_member_at_its_own_path():
    req = build_request("json", '{"username":"admin","password":true,"remember_me":true,"n":7}')
    typed = [p for p in extract(req, Limits()) if p.value.startswith('"')]
    assert [(p.path[-2:], p.value) for p in typed] == [(["hash", "password"], '"password":true')]
