"""LDAP filter injection: closing a filter and opening new (|/&/!) clauses, wildcard probes on attributes."""
from __future__ import annotations

TYPE = "ldapi"
RULES: list[tuple[str, float, str]] = [
    # the attribute may carry an extensible-match rule (`memberOf:1.2.840.113556.1.4.1941:=`, `uid:dn:caseExactMatch:=`)
    ("ldapi:filter_breakout", 0.85, r"^[^()]*\)\s*(?:\(\s*)+[|&!]|^[^()]*\)\s*\(\s*[a-z][\w\-]*(?::[\w.\-]+)*\s*:?[~<>]?=|^\s*\*\s*\)\s*\(|^[^()]*\)\s*\)"),
    # a whole (&…)/(|…) filter closed and a second one opened after it and left open: one filter is one parenthesised
    # expression, so the open tail is written to be closed by the application's own parentheses. Two complete
    # filters side by side (`(a=1)(&(b=2)(c=3))`) are what LDAP admin tools send
    ("ldapi:filter_concatenation", 0.85, r"^\s*\(\s*[&|!]\s*(?:\((?:[^()]|\((?:[^()]|\([^()]*\))*\))*\)\s*)+\)\s*\(\s*(?:[&|!]\s*\(\s*)?[a-z][\w\-]*(?::[\w.\-]+)*\s*:?[~<>]?=[^()]*$"),
    ("ldapi:attribute_probe", 0.8, r"\(\s*(?:objectclass|cn|uid|sn|mail|userpassword|samaccountname|memberof|givenname|ou|dc|objectcategory)\s*=\s*\*?\s*\)"),
]
