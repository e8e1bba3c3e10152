"""Shell globs (`c?t`, `[ck]at`, `wh*i`) matched against a fixed set of names as fnmatch reads them."""
from __future__ import annotations

import bisect
from collections.abc import Iterable

# Why not fnmatch: it compiles every new glob into a regex with the pure-Python sre compiler, 100-800 µs a glob (a
# long bracket set costs the most), and every word of a request holding `?`, `*` or `[` is such a glob, so each new
# one made a request pay that (`a[constructor][prototype]`, `[{"key":"enabled"}]`). The names are short and few, so a
# glob is read once into atoms and walked over them; tests/detect/test_tokenizer_shortcuts.py checks the answers
# against fnmatch.fnmatchcase on thousands of globs.
_LITERAL, _ANY, _SET, _STAR = 0, 1, 2, 3


class Names:
    """A fixed set of names (known commands) and the first of them, in sorted order, a glob matches."""

    def __init__(self, names: Iterable[str]) -> None:
        self.ordered = sorted(set(names))
        self.alphabet = "".join(sorted({c for n in self.ordered for c in n}))
        self.joined = "\n".join(self.ordered)
        self.by_len: dict[int, list[str]] = {}
        for n in self.ordered:
            self.by_len.setdefault(len(n), []).append(n)

    def first_match(self, pattern: str) -> str | None:
        kinds, vals = atoms(pattern, self.alphabet)
        fixed = len(kinds) - kinds.count(_STAR)
        if fixed == len(kinds):
            # no star: only names of that length (sorted among themselves, so the first is the first overall)
            for name in self.by_len.get(fixed, []):
                if match(kinds, vals, name):
                    return name
            return None
        # A star makes every name a candidate, and a leading one makes each try walk the whole name: first the
        # literal runs (`comment` of `*comment*`) must occur among the names at all, and in the name
        runs = _literal_runs(kinds, vals)
        for run in runs:
            if run not in self.joined:
                return None
        start, prefix = 0, ""
        if kinds[0] == _LITERAL:
            prefix = runs[0]  # (the names starting with it are one slice of the sorted list)
            start = bisect.bisect_left(self.ordered, prefix)
        for k in range(start, len(self.ordered)):
            name = self.ordered[k]
            if prefix and not name.startswith(prefix):
                break
            if len(name) >= fixed and all(run in name for run in runs) and match(kinds, vals, name):
                return name
        return None


def _literal_runs(kinds: list[int], vals: list[str]) -> list[str]:
    """The glob's runs of literal characters, in order."""
    runs: list[str] = []
    cur: list[str] = []
    for k in range(len(kinds)):
        if kinds[k] == _LITERAL:
            cur.append(vals[k])
        elif cur:
            runs.append("".join(cur))
            cur = []
    if cur:
        runs.append("".join(cur))
    return runs


def atoms(pattern: str, alphabet: str) -> tuple[list[int], list[str]]:
    """The glob as fnmatch.translate reads it: per atom its kind and value (the literal character, or the characters
    of `alphabet` a bracket set admits). A run of stars is one star; a `[` without its `]` is itself."""
    kinds: list[int] = []
    vals: list[str] = []
    i, n = 0, len(pattern)
    while i < n:
        c = pattern[i]
        i += 1
        if c == "*":
            if not kinds or kinds[-1] != _STAR:
                kinds.append(_STAR)
                vals.append("")
        elif c == "?":
            kinds.append(_ANY)
            vals.append("")
        elif c == "[":
            j = i  # translate's scan for the set's end: `[!]…]` and `[]…]` hold their `]`
            if j < n and pattern[j] == "!":
                j += 1
            if j < n and pattern[j] == "]":
                j += 1
            while j < n and pattern[j] != "]":
                j += 1
            if j >= n:
                kinds.append(_LITERAL)
                vals.append("[")
            else:
                members = _bracket(pattern, i, j, alphabet)
                kinds.append(_ANY if members is None else _SET)
                vals.append(members or "")
                i = j + 1
        else:
            kinds.append(_LITERAL)
            vals.append(c)
    return kinds, vals


def _bracket(pattern: str, i: int, j: int, alphabet: str) -> str | None:
    """The characters of `alphabet` the set `pattern[i:j]` admits; None when it admits any character (`[!]`).

    translate's own reading: `!` first negates; `-` between two characters is a range, except right after the
    opening (or its `!`), and a range's end cannot start the next one; a range running backwards (`z-a`) is dropped
    with its ends; every other character, `\\`, `^`, `[`, `&`, `~`, `|` and a last `-` included, stands for itself."""
    if "-" not in pattern[i:j]:
        chunks = [pattern[i:j]]
    else:
        chunks = []
        k = i + 2 if pattern[i] == "!" else i + 1
        while True:
            k = pattern.find("-", k, j)
            if k < 0:
                break
            chunks.append(pattern[i:k])
            i = k + 1
            k = k + 3
        last = pattern[i:j]
        if last:
            chunks.append(last)
        else:
            chunks[-1] += "-"
        for k in range(len(chunks) - 1, 0, -1):
            if chunks[k - 1][-1] > chunks[k][0]:
                chunks[k - 1] = chunks[k - 1][:-1] + chunks[k][1:]
                del chunks[k]
    if len(chunks) == 1 and chunks[0] == "!":
        return None
    negate = chunks[0][:1] == "!"
    if negate:
        chunks[0] = chunks[0][1:]
    admitted: set[str] = set()
    for idx in range(len(chunks)):
        chunk = chunks[idx]
        for pos in range(len(chunk)):  # (a chunk after the first starts with the end of the range before it)
            c = chunk[pos]
            if pos == len(chunk) - 1 and idx < len(chunks) - 1:
                hi = chunks[idx + 1][0]
                admitted.update(a for a in alphabet if c <= a <= hi)
            else:
                admitted.add(c)
    return "".join(a for a in alphabet if (a in admitted) != negate)


def match(kinds: list[int], vals: list[str], name: str) -> bool:
    """Whether the atoms match the whole of `name` (a star backtracks to the last star only: atoms are one
    character wide, so that is enough)."""
    m, n = len(kinds), len(name)
    i = k = 0
    star_k, star_i = -1, 0
    while i < n:
        if k < m and kinds[k] == _STAR:
            star_k, star_i = k, i
            k += 1
        elif k < m and (kinds[k] == _ANY or kinds[k] == _LITERAL and vals[k] == name[i]
                        or kinds[k] == _SET and name[i] in vals[k]):
            i += 1
            k += 1
        elif star_k >= 0:
            star_i += 1
            i, k = star_i, star_k + 1
        else:
            return False
    while k < m and kinds[k] == _STAR:
        k += 1
    return k == m
