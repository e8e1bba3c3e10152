"""LDAP filter injection: closing a filter and opening new (|/&/!) clauses, wildcard probes on attributes."""
from __future__ import annotations

TYPE = "ldapi"
RULES: list[tuple[str, float, str]] = [
    ("ldapi:filter_breakout", 0.85, r"^[^()]*\)\s*(?:\(\s*)+[|&!]|^[^()]*\)\s*\(\s*[a-z][\w\-]*\s*[~<>]?=|^\s*\*\s*\)\s*\(|^[^()]*\)\s*\)"),
    ("ldapi:attribute_probe", 0.8, r"\(\s*(?:objectclass|cn|uid|sn|mail|userpassword|samaccountname|memberof|givenname|ou|dc|objectcategory)\s*=\s*\*?\s*\)"),
]
