"""GraphQL parser: string and number arguments of a query document, plus its `variables` via the JSON parser."""
from __future__ import annotations

import re

from sensor.points.extraction import Extraction, PathItem

_LOOKS = re.compile(r"^\s*(?:query|mutation|subscription|fragment|\{)", re.S)
# Tokens: block strings, strings, names, punctuation; enough to pair `name: value` arguments.
_TOKEN = re.compile(r'"""(?:[^"\\]|\\.|"(?!""))*"""|"(?:[^"\\\n]|\\.)*"|[_A-Za-z][_0-9A-Za-z]*|-?\d+(?:\.\d+)?|[{}()\[\]:,=!$@.]|\S')


def looks_like(text: str) -> bool:
    return _LOOKS.match(text) is not None


# What may stand outside strings in an executable document: names, numbers, punctuators, `...` and `$name`.
_OUTSIDE = re.compile(r'"""(?:[^"\\]|\\.|"(?!""))*"""|"(?:[^"\\\n]|\\.)*"|#[^\n]*|\$?[_A-Za-z][_0-9A-Za-z]*|'
                      r'-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?|\.\.\.|[{}()\[\]:,=!@]|[\s,]+')


def is_document(text: str) -> bool:
    """The whole text is a GraphQL executable document by its lexical grammar, braces balanced: its lines are
    selections, not commands (`{\n  id\n}`), and its strings are points of their own."""
    if not looks_like(text) or len(text) > 65536:
        return False
    pos, depth, parens, n, prev = 0, 0, 0, len(text), ""
    match = _OUTSIDE.match
    while pos < n:
        m = match(text, pos)
        if m is None:
            return False  # `;`, `|`, `&`, `<`, `>`, a backtick, `$(`: nothing GraphQL writes outside strings
        t = m.group()
        pos = m.end()
        c = t[0]
        if c.isspace() or c == "," or c == "#":
            continue
        if t == "{":
            depth += 1
        elif t == "}":
            depth -= 1
            if depth < 0:
                return False
        elif t in ("(", ")"):
            parens += 1 if t == "(" else -1
        elif (c.isalpha() or c == "_") and depth == 0 and parens == 0 and t not in _TOP_WORDS \
                and prev not in _TOP_WORDS and prev != "@":
            return False  # between definitions only keywords, operation/fragment names and directives stand
        prev = t
    return depth == 0 and parens == 0


_TOP_WORDS = {"query", "mutation", "subscription", "fragment", "on"}


def parse(ex: Extraction, path: list[PathItem], text: str, depth: int) -> None:
    field = "_"
    last_name = ""
    toks = _TOKEN.findall(text[: ex.limits.max_value])
    for i, t in enumerate(toks):
        if t[0] == '"':
            s = t[3:-3] if t.startswith('"""') else t[1:-1]
            arg = toks[i - 2] if i >= 2 and toks[i - 1] == ":" else "_"
            ex.add(path + [field, arg], s.encode("utf-8", "surrogatepass").decode("unicode_escape", "replace")
                   if "\\" in s else s, depth + 1)
        elif t == "(":
            field = last_name or "_"
        elif t[0].isalpha() or t[0] == "_":
            last_name = t
