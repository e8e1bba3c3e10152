"""The custom-rule format (one rule of a `rules:` YAML list, see sensor/rules.py) as a pure validator both sides share.

sensor/rules.py compiles rule files for the detection engine; the regional API stores rules one at a time and
ships them to sensors, which feed them to that same parser. This module checks one rule against the same
grammar without compiling matchers, so a rule the API accepts is a rule the sensor loads (tests/api asserts
the two agree on a table of valid and invalid rules).
"""
from __future__ import annotations

import re
from typing import Any

MODES = ("off", "monitoring", "safe_blocking", "block")
ACTIONS = ("vpatch", "disable", "mode")
DETECTORS = ("sqli", "xss", "rce", "ptrav", "rfi", "ssti", "ssi", "xxe", "ssrf", "crlf", "ldapi", "nosqli",
             "mail_injection", "scanner", "protocol", "vpatch")
RULE_KEYS = ("id", "match", "action", "score", "detectors", "rule_ids", "mode", "comment", "type")
MATCH_KEYS = ("host", "path", "method", "point", "value", "absent")
PACK_NAME = re.compile(r"[a-z0-9][a-z0-9-]{0,63}")  # a virtual-patch pack's name (its file is NAME.yaml)
MAX_PATTERN = 1024  # a stored rule runs on every request of every node: keep patterns small


class RuleSchemaError(ValueError):
    """The rule breaks the format; the message names the field and the reason."""


def _regex(pat: Any, where: str, flags: int = 0) -> None:
    text = str(pat)
    if len(text) > MAX_PATTERN:
        raise RuleSchemaError(f"{where}: pattern longer than {MAX_PATTERN} characters")
    try:
        re.compile(text, flags)
    except re.error as exc:
        raise RuleSchemaError(f"{where}: invalid regular expression: {exc}") from None


def _text(spec: Any, where: str) -> None:
    """`"x"`, {exact|prefix|regex: "x"}, or a list of those."""
    if isinstance(spec, list):
        for i, item in enumerate(spec):
            _text(item, f"{where}[{i}]")
        return
    if isinstance(spec, str):
        return
    if not isinstance(spec, dict) or len(spec) != 1:
        raise RuleSchemaError(f"{where}: expected a string or one of {{exact|prefix|regex: ...}}")
    (kind, pat), = spec.items()
    if not isinstance(pat, str):
        raise RuleSchemaError(f"{where}.{kind}: expected a string")
    if kind == "regex":
        _regex(pat, f"{where}.regex")
    elif kind not in ("exact", "prefix"):
        raise RuleSchemaError(f"{where}: unknown match kind {kind!r} (use exact, prefix or regex)")


def _point(spec: Any) -> None:
    def names(value: Any) -> bool:
        return isinstance(value, list) and all(isinstance(x, (str, int)) and not isinstance(x, bool) for x in value)

    if names(spec):
        return
    if not isinstance(spec, dict) or len(spec) != 1:
        raise RuleSchemaError("match.point: expected a list or one of {exact|prefix: [..], regex: '..'}")
    (kind, pat), = spec.items()
    if kind in ("exact", "prefix"):
        if not names(pat):
            raise RuleSchemaError(f"match.point.{kind}: expected a list of names and indexes")
    elif kind == "regex":
        _regex(pat, "match.point.regex")
    else:
        raise RuleSchemaError(f"match.point: unknown match kind {kind!r}")


def _absent(spec: Any) -> None:
    """A list of point paths of names (`[header, AUTHORIZATION]`, `[cookie, session]`) none of which may be sent."""
    if not isinstance(spec, list) or not spec or not all(
            isinstance(p, list) and p and all(isinstance(x, str) and x for x in p) for p in spec):
        raise RuleSchemaError("match.absent: expected a list of point paths (lists of names), e.g. [[header, AUTHORIZATION]]")


def validate_rule(rule: Any) -> dict[str, Any]:
    """Check one rule mapping; returns it unchanged or raises RuleSchemaError."""
    if not isinstance(rule, dict):
        raise RuleSchemaError("a rule must be a mapping")
    unknown = set(rule) - set(RULE_KEYS)
    if unknown:
        raise RuleSchemaError(f"unknown key(s): {', '.join(sorted(map(str, unknown)))}")
    rid = rule.get("id")
    if not isinstance(rid, str) or not rid.strip():
        raise RuleSchemaError("missing 'id' (a non-empty string)")
    action = rule.get("action")
    if action not in ACTIONS:
        raise RuleSchemaError(f"'action' must be one of {', '.join(ACTIONS)}")
    match = rule.get("match", {}) or {}
    if not isinstance(match, dict):
        raise RuleSchemaError("'match' must be a mapping")
    bad = set(match) - set(MATCH_KEYS)
    if bad:
        raise RuleSchemaError(f"unknown match key(s): {', '.join(sorted(map(str, bad)))}")
    for key in ("host", "path", "value"):
        if key in match:
            _text(match[key], f"match.{key}")
    if "method" in match:
        m = match["method"]
        if isinstance(m, list) and not all(isinstance(x, (str, dict)) for x in m):
            raise RuleSchemaError("match.method: expected strings")
        _text(m, "match.method")
    if "point" in match:
        _point(match["point"])
    if "absent" in match:
        _absent(match["absent"])
        if action != "vpatch":
            raise RuleSchemaError("'absent' is a vpatch condition")
    if action == "vpatch":
        score = rule.get("score", 0.9)
        if not isinstance(score, (int, float)) or isinstance(score, bool) or not 0 <= score <= 1:
            raise RuleSchemaError("'score' must be a number between 0 and 1")
        if not match:
            raise RuleSchemaError("a vpatch needs at least one match condition")
    elif action == "disable":
        dets = rule.get("detectors")
        ids = rule.get("rule_ids")
        if isinstance(dets, str):
            dets = [dets]
        if dets is None and ids is None:
            raise RuleSchemaError("'detectors' must list attack types (or 'all'), or 'rule_ids' the rules to silence")
        if dets is not None:
            if not isinstance(dets, list) or not dets:
                raise RuleSchemaError("'detectors' must list attack types (or 'all')")
            for d in dets:
                if d != "all" and d not in DETECTORS:
                    raise RuleSchemaError(f"unknown detector {d!r}")
        if ids is not None and (not isinstance(ids, list) or not ids or not all(isinstance(x, str) and x for x in ids)):
            raise RuleSchemaError("'rule_ids' must list rule ids (strings)")
        if "value" in match:
            raise RuleSchemaError("'disable' rules match on host/path/method/point, not value")
    else:
        if rule.get("mode") not in MODES:
            raise RuleSchemaError(f"'mode' must be one of {', '.join(MODES)}")
        if "point" in match or "value" in match:
            raise RuleSchemaError("'mode' rules match on host/path/method only")
    return rule
