"""Validation of a stored rule's `spec`: the shared rule format (core/rules_schema.py) plus the API's own limits."""
from __future__ import annotations

import json
from typing import Any

from core.rules_schema import RuleSchemaError, validate_rule

MAX_SPEC_BYTES = 64 * 1024


class RuleSpecError(ValueError):
    """The spec is not a valid rule; the message says where and why."""


def validate_spec(spec: dict[str, Any], kind: str, name: str) -> dict[str, Any]:
    """Check `spec` (one rule) and return it with its id set to the rule's name.

    Sensors load a tenant's rules as one list in which ids must be unique, so a rule's id is its (unique) name.
    `kind` must agree with the action: a virtual patch is a `vpatch` action, any other action is a `rule`.
    """
    if len(json.dumps(spec)) > MAX_SPEC_BYTES:
        raise RuleSpecError(f"spec larger than {MAX_SPEC_BYTES} bytes")
    if spec.get("id", name) != name:
        raise RuleSpecError(f"spec.id {spec.get('id')!r} must equal the rule name {name!r} (or be left out)")
    spec = {**spec, "id": name}
    try:
        validate_rule(spec)
    except RuleSchemaError as exc:
        raise RuleSpecError(str(exc)) from None
    if (spec["action"] == "vpatch") != (kind == "vpatch"):
        raise RuleSpecError(f"kind {kind!r} does not fit action {spec['action']!r} (vpatch ⇔ action vpatch)")
    return spec
