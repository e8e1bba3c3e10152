"""The hyperscan pre-check never clears a pattern that `re` would match (so skipping its search changes nothing)."""
from __future__ import annotations

import random
import re

import pytest

from sensor.detect import ptrav
from sensor.detect.corpus import crs_rows, httpparams_rows
from sensor.detect.prefilter import Prefilter
from sensor.detect.rawrequest import parse_raw
from sensor.points.extraction import Limits, extract_all

_PTRAV = [ptrav._DOTS, ptrav._SENSITIVE, ptrav._DOT_RUN, ptrav._BARE_SENSITIVE, ptrav._RESTRICTED]  # noqa: SLF001
_BITS = [ptrav._MAY_DOTS, ptrav._MAY_SENSITIVE, ptrav._MAY_DOT_RUN, ptrav._MAY_BARE_SENSITIVE,  # noqa: SLF001
         ptrav._MAY_RESTRICTED]  # noqa: SLF001


def _texts() -> list[str]:
    """Every corpus value, as `ptrav.analyze` reads it, and steering texts built from the patterns' own words."""
    values = [r["value"] for r in httpparams_rows("all")]
    for r in crs_rows("all"):
        values += [p.value for p in extract_all(parse_raw(r["raw"]), Limits()).points]
    out = []
    for v in values:
        low = ptrav.normalize(v)[0].lower()
        out += [low, re.sub(r"/{2,}|/\./", "/", low)]
    words = sorted({w for p in _PTRAV for w in re.findall(r"[a-z0-9_.\-/]{2,}", p.pattern)})
    rnd = random.Random(7)
    glue = ["", "/", "\\", "../", "..\\", "....", ".", "x", "-", "_", "?", "#", " ", "\n", "$", ":", "::$data", "~"]
    for w in words:
        out += ["/" + w, w, "../" + w, "x/" + w + "/y", w + "x", w + "/", w.upper(), "c:/" + w, w + " file", "." + w]
    for _ in range(20000):
        out.append("".join(rnd.choice(glue) + rnd.choice(words) for _ in range(rnd.randint(1, 4))) + rnd.choice(glue))
    return out


@pytest.fixture(scope="module")
def texts() -> list[str]:
    return _texts()


def test_a_cleared_ptrav_pattern_cannot_match(texts):
    pre = ptrav._costly()  # noqa: SLF001 - the module's own instance, patterns in the order of its bits
    missed = []
    matched = [0] * len(_PTRAV)
    for t in texts:
        may = pre.may_match(t)
        for k, (p, bit) in enumerate(zip(_PTRAV, _BITS)):
            if p.search(t) is not None:
                matched[k] += 1
                if not may & bit:
                    missed.append((p.pattern[:40], t))
    assert not missed, missed[:10]
    assert all(n >= 100 for n in matched), matched  # each pattern was put to the test on texts it matches


def test_the_pre_check_clears_what_holds_none_of_the_words():
    pre = ptrav._costly()  # noqa: SLF001
    assert pre.may_match("/products/running-shoes-men") == 0
    assert pre.may_match("/blog/2024/05/how-to-choose-a-waf.html") == 0
    assert pre.may_match("/../../etc/passwd") & ptrav._MAY_DOTS  # noqa: SLF001
    assert pre.may_match("/etc/passwd") & ptrav._MAY_SENSITIVE  # noqa: SLF001


@pytest.mark.parametrize("text", ["/etc/pass\u00e9wd", "caf\u00e9", "/a\x1c/b", "\u212a", "x\x1fy"])
def test_where_the_regex_dialects_differ_every_pattern_may_match(text):
    # beyond ASCII (Unicode `\w`, case folding: `\u212a` is K to `re.I`) and at \x1c-\x1f (Python's `\s`)
    pre = Prefilter([re.compile(r"\w"), re.compile(r"k", re.I), re.compile(r"\s")], "test")
    assert pre.may_match(text) == pre.every == 0b111


def test_flags_carry_over():
    pre = Prefilter([re.compile(r"^b$", re.M), re.compile(r"a.b", re.S), re.compile(r"abc", re.I), re.compile("abc")],
                    "test")
    assert pre.may_match("x\nb\ny") & 1
    assert pre.may_match("a\nb") & 2
    assert pre.may_match("ABC") == 4
    assert pre.may_match("abc") == 12
