"""GraphQL parser: string and number arguments of a query document, plus its `variables` via the JSON parser."""
from __future__ import annotations

import re
from typing import Final

from sensor.points.extraction import Extraction, PathItem

_LOOKS: Final = re.compile(r"^\s*(?:query|mutation|subscription|fragment|\{)", re.S)
# Tokens: block strings, strings, names, punctuation; enough to pair `name: value` arguments.
_STRING: Final = re.compile(r'"""(?:[^"\\]|\\.|"(?!""))*"""|"(?:[^"\\\n]|\\.)*"')
_PLAIN: Final = re.compile(r'[_A-Za-z][_0-9A-Za-z]*|-?\d+(?:\.\d+)?|[{}()\[\]:,=!$@.]|\S')  # (a quote is one `\S`: none spans one)


def tokens(text: str) -> list[str]:
    """The tokens of `text`, as `re.findall` of strings, then `_PLAIN`, would give them, in linear time.

    A string with no closing quote is read to its line's end before it fails; every quote up to there was escaped
    (`\\"`: a bare one would have closed it), so none of them opens a string either, and searching from each anew
    made a line of `"\\` × 25 KB cost 3.4 s. That stretch is read as plain tokens, once."""
    out: list[str] = []
    pos, n = 0, len(text)
    while pos < n:
        q = text.find('"', pos)
        out += _PLAIN.findall(text, pos, n if q < 0 else q)
        if q < 0:
            break
        m = _STRING.match(text, q)
        if m is not None:
            out.append(m.group())
            pos = m.end()
            continue
        out.append('"')
        eol = text.find("\n", q)
        pos = n if eol < 0 else eol
        out += _PLAIN.findall(text, q + 1, pos)
    return out


def looks_like(text: str) -> bool:
    return _LOOKS.match(text) is not None


# What may stand outside strings in an executable document: names, numbers, punctuators, `...` and `$name`.
_OUTSIDE: Final = re.compile(r'"""(?:[^"\\]|\\.|"(?!""))*"""|"(?:[^"\\\n]|\\.)*"|#[^\n]*|\$?[_A-Za-z][_0-9A-Za-z]*|'
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


_TOP_WORDS: Final = {"query", "mutation", "subscription", "fragment", "on"}


def parse(ex: Extraction, path: list[PathItem], text: str, depth: int) -> None:
    field = "_"
    last_name = ""
    toks = tokens(text[: ex.limits.max_value])
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
