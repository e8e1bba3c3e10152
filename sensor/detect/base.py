"""Shared detector types: a Finding is what a detector says about one value."""
from __future__ import annotations

import re
from typing import NamedTuple

# The words of a parameter name in any casing style: `redirect_uri`, `redirectUri`, `AssertionConsumerServiceURL`.
_PARAM_WORDS = re.compile(r"[A-Z]?[a-z0-9]+|[A-Z]+(?![a-z])")
# Words by which a parameter names a server it connects to (`sftp_host`, `ldapServer`, `upstream`).
SERVER_WORDS = frozenset(("host", "hostname", "server", "remote", "upstream", "mirror"))


def param_words(param: str) -> list[str]:
    """The lower-cased words of a parameter name (`redirectUri` -> ["redirect", "uri"])."""
    return [w.lower() for w in _PARAM_WORDS.findall(param)]


class Finding(NamedTuple):
    type: str
    rule: str
    score: float
