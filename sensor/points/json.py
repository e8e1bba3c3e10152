"""JSON parser: strings, numbers and keys at any (bounded) depth, as `json_doc/hash/<key>/array/<i>` paths."""
from __future__ import annotations

import functools
import json as _json
import re
from typing import Any, Final

import ijson  # type: ignore[import-untyped]

from sensor.points.extraction import Extraction, PathItem

_PLAIN_KEY: Final = re.compile(r"^[A-Za-z0-9_\-]{1,40}$")
_LOGICAL_OPS: Final = frozenset(("$and", "$or", "$nor"))


# --- typed credentials (PHP type juggling: `{"user":"admin","password":true}` passes `==` / `strcmp()` checks)
# A secret is a string by nature; `true`, `0`, an array or `{}` in its place only makes sense to defeat a loose
# comparison. Only the few members whose key names a secret become a point (`"password":true`), so a request pays
# nothing per number. Head nouns always naming a secret, whatever qualifies them (`current_password`, `adminPwd`):
_SECRET_NOUNS: Final = frozenset("password passwd pwd passphrase passcode otp totp hotp apikey".split())
# Nouns that name a secret only with one of their qualifiers (`csrf_token`, `client_secret`, `verification_code`);
# bare (`token`, `code`, `secret`, `answer`…) they are also flags and counters (`"code": true` is a rich-text mark,
# `"secret": true` a CI variable flag, `"answer": true` a quiz reply), so bare they count only beside an identity.
_QUALIFIED: Final = {
    "token": frozenset("csrf xsrf auth access api reset verification verify refresh session bearer id invite activation "
                       "confirmation recovery security otp mfa login jwt magic captcha".split()),
    "secret": frozenset("client api app shared totp otp mfa webhook".split()),
    "key": frozenset("api secret private access license licence activation product recovery auth".split()),
    "code": frozenset("verification verify otp mfa totp auth sms email confirmation reset access recovery backup "
                      "activation invite invitation security coupon promo voucher gift login 2fa captcha".split()),
    "answer": frozenset("security secret captcha challenge".split()),
    "response": frozenset("captcha recaptcha hcaptcha challenge".split()),
    "hash": frozenset("password passwd pwd pass".split()),
}
_BARE: Final = frozenset("token secret code answer pin pass hash signature sig captcha nonce".split())
# Qualifiers that turn a secret's name into a setting about it (`require_password`, `showPassword`, `has_pin`)
_FLAG_WORDS: Final = frozenset("return require required show hide has is use allow enable disable force must can needs need "
                               "send generate skip remember save store reset change changed expired expires set no".split())
_TRAILING: Final = frozenset("confirmation confirm again repeat retype".split())
# Identity fields: a bare `code`/`token` beside one (`{"email": "a@b.c", "code": true}`) is a login or 2FA check
# (a card number for its `pin`, the signed `payload` for its `signature`)
_IDENTITY: Final = frozenset("user username login email mail account phone mobile identifier handle uid card payload".split())
# Bare nouns that alone in a top-level object (`{"token": true}` to a verify endpoint) are the value checked; a lone
# `answer`, `pin` or `code` is a quiz reply, a pinned post or a rich-text mark on the resource the URL names
_SOLO: Final = frozenset("token nonce signature sig hash captcha".split())
# Parents whose members are per-field settings, not submitted values (`"projection": {"password": 0}`)
_FIELD_MAPS: Final = frozenset("fields projection select include exclude omit only hidden visible errors error permissions "
                               "rules validation validations required options settings config features flags methods "
                               "providers sort order".split())
_STATUS: Final = frozenset("message msg status error errors detail details description reason success ok result".split())
_FIELD_MAP_TAILS: Final = frozenset((w,) for w in _FIELD_MAPS)
_WORD: Final = re.compile(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])|2[fF][aA]")


@functools.lru_cache(maxsize=4096)
def _words(key: str) -> tuple[str, ...]:
    return tuple(w.lower() for w in _WORD.findall(key[:64]) if len(w) > 1)  # `g-recaptcha-response`


@functools.lru_cache(maxsize=4096)
def _secret_kind(key: str) -> int:
    """2 for a key that names a secret on its own, 1 for a bare ambiguous one (`code`), 0 for anything else."""
    words = list(_words(key))
    while len(words) > 1 and words[-1] in _TRAILING:
        words.pop()
    if not words:
        return 0
    if "".join(words) in _SECRET_NOUNS:
        return 2  # `passWord`, `pass_word`, `api_key`
    head, quals = words[-1], words[:-1]
    if head in _SECRET_NOUNS:
        return 0 if any(q in _FLAG_WORDS for q in quals) else 2
    if head in _QUALIFIED and quals and all(q in _QUALIFIED[head] or q in _SECRET_NOUNS for q in quals):
        return 2
    if head in _BARE and not quals:
        return 1
    return 0


@functools.lru_cache(maxsize=4096)
def password_name(key: str) -> bool:
    """A field name for a password as typed (`password`, `passwd`, `new_password`, `pwd2`, `password_confirmation`),
    not a setting about one (`require_password`) nor its hash."""
    words = list(_words(key))
    while len(words) > 1 and words[-1] in _TRAILING:
        words.pop()
    if not words:
        return False
    if "".join(words) in ("password", "passwd", "passphrase"):
        return True
    return words[-1] in ("password", "passwd", "pwd", "passphrase", "pass") and not any(q in _FLAG_WORDS for q in words[:-1])


def _loose(v: Any) -> bool:
    """A value a loose comparison with a secret string lets through: true, zero, an array, an empty object."""
    if v is True or isinstance(v, list):
        return True
    if isinstance(v, dict):
        return not v  # a non-empty object is structure (`{"current": …, "new": …}`); operators are nosqli keys
    return isinstance(v, (int, float)) and not isinstance(v, bool) and v == 0


def _typed_secrets(ex: Extraction, path: list[PathItem], obj: dict, depth: int, root: bool) -> None:
    # `{"password": {"password": 1}}`: mysqljs expands an object into `` `password` = 1 `` -- a column compared with
    # itself's neighbour, true for every row (an object keyed by its own member's name is never a real value)
    loose: list[str] = []
    for n, (k, v) in enumerate(obj.items()):
        if n & 63 == 63 and ex.full():
            break  # (an object of a million members: the walk below stops there too)
        if isinstance(k, str) and (_loose(v) or isinstance(v, dict) and k in v) and _secret_kind(k):
            loose.append(k)
    if not loose or len(path) >= 2 and path[-2] == "hash" and _words(str(path[-1]))[-1:] in _FIELD_MAP_TAILS:
        return
    strings = [k for k, v in obj.items() if isinstance(v, str)]
    if len(obj) > 1 and not strings:
        return  # every member typed: a map of flags, projections or errors, not a submitted form
    identity = any(w in _IDENTITY for k in strings for w in _words(k))
    # `{"code": 0, "message": "ok"}`: zero beside a message or status is a status code, not a guessed secret
    status = any(k in _STATUS for k in obj)
    for k in loose:
        zero = obj[k] is not True and not isinstance(obj[k], (list, dict))
        solo = root and len(obj) == 1 and k in _SOLO
        if _secret_kind(k) == 2 or solo or identity and not (status and zero):
            v = obj[k]
            # an array is shown by its first items, each cut short, so the value stays small and still ends in `]`
            literal = ("[" + ",".join(_json.dumps(x, separators=(",", ":"))[:32] for x in v[:4])
                       + (",…" if len(v) > 4 else "") + "]") if isinstance(v, list) else _json.dumps(v)
            ex.add(path + ["hash", k], f'"{k[:64]}":{literal}', depth + 1, decode=False)


def _walk(ex: Extraction, path: list[PathItem], obj: Any, depth: int, root: bool = False) -> None:
    if depth > ex.limits.max_depth:
        ex.over("depth")
        return
    if isinstance(obj, dict):
        _typed_secrets(ex, path, obj, depth, root)
        if type(obj) is _Repeats:
            _repeated_privileges(ex, path, obj, depth)
        for k, v in obj.items():
            if ex.full():
                return
            k = str(k)
            p = path + ["hash", k]
            if k.lower() in _LOGICAL_OPS and not isinstance(v, list):
                # `{"$nor": "foo"}`: a logical operator takes an array of clauses, so this is no query document (see
                # detect/nosqli.py); the key point shows the pair, which only a plain `$or` name would not
                operand = "{…}" if isinstance(v, dict) else _json.dumps(v[:64] if isinstance(v, str) else v)
                ex.add(p + ["#key"], "{" + _json.dumps(k[:64]) + ":" + operand + "}", depth + 1, decode=False)
            elif not _PLAIN_KEY.match(k) or k[:3].lower() in ("ro0", "kzt", "cs7") or k[:2] == "__":
                ex.add(p + ["#key"], k, depth + 1)
            elif k == "prototype" and isinstance(v, dict) and path[-2:] == ["hash", "constructor"]:
                # `{"constructor": {"prototype": {…}}}` pollutes Object.prototype when merged: show the member chain
                ex.add(p + ["#key"], "constructor.prototype", depth + 1)
            _walk(ex, p, v, depth + 1)
    elif isinstance(obj, list):
        for i, v in enumerate(obj):
            if ex.full():
                return
            _walk(ex, path + ["array", i], v, depth + 1)
    elif isinstance(obj, str):
        ex.add(path, obj, depth)
        if path and path[-1] == "query":
            from sensor.points import graphql  # (here: an import statement runs on every call, compiled or not)
            if graphql.looks_like(obj):
                graphql.parse(ex, path + ["graphql"], obj, depth + 1)
    elif isinstance(obj, (int, float)) and not isinstance(obj, bool):
        pass  # numbers cannot carry an injection once parsed


# --- duplicated privilege members (CouchDB CVE-2017-12635: `"roles":["_admin"],"roles":[]` passes a validator that
# reads the last member and is stored by a parser that keeps the first). The decoder notes a repeated name while it
# builds each object (about 0.8 µs on a typical body); only an object that repeats one costs more.
_PRIV_NAME: Final = re.compile(r"(?:(?:is|user|account)_?)?(?:roles?|admin|superuser|staff|permissions?|privileges?|groups?"
                               r"|scopes?|authorities|access_?level|acl)|(?:user|account)_?type", re.I)


class _Repeats(dict):
    """A JSON object whose text repeats a member name; `repeated` holds (name, first value, later value)."""
    __slots__ = ("repeated",)
    repeated: list[tuple[str, Any, Any]]


def _object(pairs: list[tuple[str, Any]]) -> dict:
    d = dict(pairs)                          # the last member wins, as with json.loads
    if len(d) == len(pairs):
        return d
    first: dict = {}
    out = _Repeats(d)
    out.repeated = []
    for k, v in pairs:
        if k in first and first[k] != v:
            out.repeated.append((k, first[k], v))
        first.setdefault(k, v)
    return out


_DECODER: Final = _json.JSONDecoder(object_pairs_hook=_object)


def _repeated_privileges(ex: Extraction, path: list[PathItem], obj: _Repeats, depth: int) -> None:
    for k, a, b in obj.repeated[:8]:
        if _PRIV_NAME.fullmatch(k):
            member = ",".join(f'"{k[:64]}":' + _json.dumps(v, separators=(",", ":"))[:64] for v in (a, b))
            ex.add(path + ["hash", k, "#repeated"], member, depth + 1, decode=False)


# A document this long (characters) with this many commas (members and elements: what json's decoder spends its time
# on, ~0.5 µs each) is read by yajl (ijson) a chunk at a time, asking the CPU budget after each: json's decoder is one
# call no budget can stop (4 MB of `"k1":1,` was 0.26 s before any detector). Fewer members cost json under 10 ms, and
# yajl's events cost about twice json's decoding.
_STREAM_FROM: Final = 64 << 10
_STREAM_MEMBERS: Final = 16384
_CHUNK: Final = 64 << 10
_MAX_CHUNK: Final = 1 << 20
_EVENTS_PER_ASK: Final = 1024
_NESTING: Final = 512
# NaN and ±Infinity where a value stands: not JSON, but Python's json writes and reads them (pandas, ML clients); yajl
# refuses them, so a document holding them is read again with `null` there (numbers never become points; a `, NaN,`
# inside a string reads `, null,` too)
_NON_FINITE: Final = re.compile(r"([\[,:]\s*)-?(?:NaN|Infinity)(?=\s*[,\]}])")
_COMPLETE: Final = 0
_MALFORMED: Final = 1
_STOPPED: Final = 2


class _Builder:
    """The document json.loads would return, built from yajl's events; duplicate members noted as _object notes them."""

    __slots__ = ("containers", "is_map", "keys", "root", "done")

    def __init__(self) -> None:
        self.containers: list[list[Any]] = []  # the open objects (lists of members) and arrays, outermost first
        self.is_map: list[bool] = []
        self.keys: list[str] = []              # the name of each open object's member being read
        self.root: Any = None
        self.done = False

    def feed(self, ex: Extraction, events: list[tuple[str, Any]]) -> int:
        """Take a chunk's events: _MALFORMED when the nesting passed _NESTING, _STOPPED when the budget ran out."""
        containers, is_map, keys = self.containers, self.is_map, self.keys
        n = 0
        for event, value in events:
            n += 1
            if n % _EVENTS_PER_ASK == 0 and ex.full():
                return _STOPPED
            if event == "map_key":
                keys.append(value)
                continue
            if event == "start_map" or event == "start_array":
                if len(containers) >= _NESTING:
                    return _MALFORMED  # json's decoder gives up about as deep (RecursionError)
                containers.append([])
                is_map.append(event == "start_map")
                continue
            if event == "end_map":
                is_map.pop()
                value = _object(containers.pop())
            elif event == "end_array":
                is_map.pop()
                value = containers.pop()
            if not containers:
                self.root, self.done = value, True
            elif is_map[-1]:
                containers[-1].append((keys.pop(), value))
            else:
                containers[-1].append(value)
        return _COMPLETE


def _stream(ex: Extraction, text: str) -> tuple[Any, int]:
    """(document, state): _STOPPED when the budget ran out first (no document then). yajl refuses what json refuses
    and NaN, Infinity (see _NON_FINITE) and 1e400; it reads a lone surrogate escape `\\ud800` as `?` where json keeps
    the surrogate."""
    # (bytes: ijson converts text itself, with a warning; a byte that was not UTF-8 becomes `?`, which yajl reads)
    data = memoryview(text.encode("utf-8", "replace"))
    events = ijson.sendable_list()
    build = _Builder()
    try:
        parser = ijson.basic_parse_coro(events, use_float=True)
        pos, size = 0, _CHUNK
        while pos < len(data):
            parser.send(data[pos:pos + size])
            pos += size
            # one token longer than the chunk (a 4 MB string): yajl lexes it again from its start at every send, so
            # the chunks double while it lasts, up to 1 MB (4 MB of `\u0041` in 64 KB chunks: 0.8 s; json's decoder: 6 ms)
            size = _CHUNK if events else min(2 * size, _MAX_CHUNK)
            state = build.feed(ex, events)
            events.clear()
            if state != _COMPLETE:
                return None, state
            if ex.full():
                return None, _STOPPED
        parser.close()
        state = build.feed(ex, events)
        if state != _COMPLETE:
            return None, state
    except (ijson.JSONError, ValueError):
        return None, _MALFORMED
    return (build.root, _COMPLETE) if build.done else (None, _MALFORMED)


def parse(ex: Extraction, path: list[PathItem], text: str, depth: int = 0, raw_on_error: bool = True) -> bool:
    """Parse `text` as JSON; on error optionally keep it as one raw point. Returns success (or a stop at a limit,
    which is reported)."""
    if len(text) >= _STREAM_FROM and text.count(",") >= _STREAM_MEMBERS:
        obj, state = _stream(ex, text)
        if state == _MALFORMED and ("NaN" in text or "Infinity" in text):
            obj, state = _stream(ex, _NON_FINITE.sub(r"\1null", text))
        if state == _STOPPED:
            return True
        # (no second try with json's decoder: a NaN early in 4 MB of members would buy the uncut decoding again)
        ok = state == _COMPLETE
    else:
        try:
            obj = _DECODER.decode(text)
            ok = True
        except (ValueError, RecursionError):
            ok = False
    if not ok:
        if raw_on_error:
            ex.add(path, text, depth)
        return False
    if isinstance(obj, (dict, list)):
        _walk(ex, path, obj, depth, root=True)
    elif isinstance(obj, str):
        ex.add(path, obj, depth)
    return True
