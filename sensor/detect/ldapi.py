"""LDAP filter injection: closing a filter and opening new (|/&/!) clauses, wildcard probes on attributes; XPath
predicate breakouts."""
from __future__ import annotations

TYPE = "ldapi"
RULES: list[tuple[str, float, str]] = [
    # the attribute may carry an extensible-match rule (`memberOf:1.2.840.113556.1.4.1941:=`, `uid:dn:caseExactMatch:=`)
    ("ldapi:filter_breakout", 0.85, r"^[^()]*\)\s*(?:\(\s*)+[|&!]|^[^()]*\)\s*\(\s*[a-z][\w\-]*(?::[\w.\-]+)*\s*:?[~<>]?=|^\s*\*\s*\)\s*\(|^[^()]*\)\s*\)"),
    # a whole (&…)/(|…) filter closed and a second one opened after it and left open: one filter is one parenthesised
    # expression, so the open tail is written to be closed by the application's own parentheses. Two complete
    # filters side by side (`(a=1)(&(b=2)(c=3))`) are what LDAP admin tools send
    ("ldapi:filter_concatenation", 0.85, r"^\s*\(\s*[&|!]\s*(?:\((?:[^()]|\((?:[^()]|\([^()]*\))*\))*\)\s*)+\)\s*\(\s*(?:[&|!]\s*\(\s*)?[a-z][\w\-]*(?::[\w.\-]+)*\s*:?[~<>]?=[^()]*$"),
    # a filter closed and the rest of the application's filter cut off with a NUL (`admin)\x00`): C-based directory
    # servers and gateways stop at the NUL, leaving `(&(uid=admin)` with the password clause dropped. The engine scans
    # a value with its NULs removed and one NUL appended when it had any, so this reads "one `)` closing, then a NUL"
    ("ldapi:null_truncation", 0.85, r"^[^()\x00]*\)[\s)]*\x00"),
    # XPath: a string and predicate closed and a union with a new location path opened (`'] | //user/* | //*['`), the
    # tail re-opening a predicate for the application's own `']` to close
    ("xpath:predicate_union", 0.85, r"['\"]\s*\]\s*\|\s*/{1,2}\s*(?:[a-z_*@]|\.\.?)|\|\s*//?\*\s*\[\s*['\"]\s*$"),
    ("ldapi:attribute_probe", 0.8, r"\(\s*(?:objectclass|cn|uid|sn|mail|userpassword|samaccountname|memberof|givenname|ou|dc|objectcategory)\s*=\s*\*?\s*\)"),
]
