"""A strict grammar of list-valued request headers (Accept*, Cache-Control, TE…): a value that fits it carries no code."""
from __future__ import annotations

import re

# RFC 9110's `#element` lists, narrowed to what clients send: elements are tokens (a media range such as `text/html`
# or `*/*` may have one slash), optionally `=value`, then `;name=value` parameters (`q=0.9`, `v=b3`, `charset=utf-8`),
# separated by commas; blanks only around the delimiters. Quoted strings, a second slash, brackets, quotes, blanks
# inside an element: any of them and the value is not this grammar, and the analysers read it as before.
# A `+` only before a media type's structured-syntax suffix (`xhtml+xml`, `ld+json`): `union+select` is SQL with
# plus signs for blanks.
_TOKEN = r"[A-Za-z0-9*][A-Za-z0-9._*-]{0,63}"
_VALUE = r"[A-Za-z0-9._*-]{1,64}"
# Parameters by the names clients use: after a `;`, an SQL statement word (`;select=1`, `;shutdown`) reads as a
# stacked query.
_PARAM = r"(?:q|v|charset|level|version|profile|format|type|encoding|boundary|indent|ext)=" + _VALUE
_ELEMENT = rf"{_TOKEN}(?:/{_TOKEN}(?:\+[A-Za-z0-9-]{{1,16}})?)?(?:={_VALUE})?(?:[ \t]*+;[ \t]*+{_PARAM})*"
_LIST = re.compile(rf"[ \t]*+{_ELEMENT}(?:[ \t]*+,[ \t]*+{_ELEMENT})*[ \t]*+")


def is_plain_list(value: str) -> bool:
    """True when `value` is a plain header list (`text/html,*/*;q=0.8`, `en-US,en;q=0.9`, `gzip, br`, `max-age=0`).

    Such a value has no quote, bracket, blank inside a word nor a second slash: no SQL statement, shell command,
    markup or path can be spelled in it, only words. The engine then skips the analysers (their cold cost on a
    browser's Accept header is ~0.3 ms), unless a word names an SQL catalog (`information_schema`)."""
    return len(value) <= 1024 and _LIST.fullmatch(value) is not None
