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
