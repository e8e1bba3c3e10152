"""GraphQL parser: string and number arguments of a query document, plus its `variables` via the JSON parser."""
from __future__ import annotations

import re

from sensor.points import Extraction, PathItem

_LOOKS = re.compile(r"^\s*(?:query|mutation|subscription|fragment|\{)", re.S)
# Tokens: block strings, strings, names, punctuation; enough to pair `name: value` arguments.
_TOKEN = re.compile(r'"""(?:[^"\\]|\\.|"(?!""))*"""|"(?:[^"\\\n]|\\.)*"|[_A-Za-z][_0-9A-Za-z]*|-?\d+(?:\.\d+)?|[{}()\[\]:,=!$@.]|\S')


def looks_like(text: str) -> bool:
    return _LOOKS.match(text) is not None


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
