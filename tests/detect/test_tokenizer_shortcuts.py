"""Shortcuts on the analysers' hot paths (prose tokenizing, the catalog-name test, globs, variable expansion) answer
exactly as the long way."""
from __future__ import annotations

import fnmatch
import random
import re

import pytest

from sensor.detect import rce, sqli
from sensor.detect.corpus import crs_rows, httpparams_rows


def _shape(toks: list) -> list[tuple[str, str, bool]]:
    return [(t.t, t.v, t.closed) for t in toks]


def _prose() -> list[str]:
    """Words and blanks: every such value (and header line) of the corpus, and sentences of SQL and English words."""
    vals = {r["value"] for r in httpparams_rows()}
    for r in crs_rows():
        vals.update(r["raw"].decode("latin-1").split("\r\n"))
    vals.update([v.lower() for v in vals])
    rnd = random.Random(5)
    vocab = sorted(sqli._WORD_CLASS) + "paid order quantity express street address the of to go".split()
    for n in range(400):
        words = [rnd.choice(vocab) for _ in range(rnd.randint(1, 12))]
        line = rnd.choice(("", " ", "  ")) + rnd.choice((" ", "  ", "   ")).join(words) + rnd.choice(("", " "))
        vals.update((line, line.title()))
    return sorted(v for v in vals if v.replace(" ", "").isascii() and v.replace(" ", "").isalpha())


def test_the_prose_shortcuts_match_the_general_paths():
    prose = _prose()
    assert len(prose) > 1000  # corpus values and generated sentences, not a handful
    assert sum(v.islower() for v in prose) > 500 and sum(not v.islower() for v in prose) > 200
    for v in prose:
        assert _shape(sqli.tokenize(v)) == _shape(sqli.scan_tokens(v)), v
        assert rce.words(v) == rce.scan_words(v), v


@pytest.mark.parametrize("value", ["union select password from users", " or  and ", "x " * 300, "order by",
                                   "Union Select", "union select 1", "union(select)", "o'neil and sons",
                                   "cat /etc/passwd", "ls;id", "Paid Gift zip"])
def test_shortcut_edges(value):
    """Truncation at max_tokens, repeated and outer blanks, and values that must take the general path."""
    for limit in (3, 200):
        assert _shape(sqli.tokenize(value, limit)) == _shape(sqli.scan_tokens(value, limit))
        assert rce.words(value, limit) == rce.scan_words(value, limit)


def test_shortcuts_keep_the_token_limits():
    assert len(sqli.tokenize("x " * 300)) == 200 and len(rce.words("x " * 500)) == 400


def test_catalog_marks_cover_every_catalog_name():
    """sqli._catalog skips the regex unless a mark is in the value: each name the regex knows must hold a mark."""
    names = [re.sub(r"\\(.)", r"\1", alt) for alt in sqli._TABLES.pattern.split("|")]
    assert len(names) > 20
    for name in names:
        assert any(mark in name for mark in sqli._TABLE_MARKS), name
    values = [f"1 union select * from {n}--" for n in names] + [n.upper() for n in names] + _prose()[:2000]
    for v in values:
        assert sqli._catalog(v) == (sqli._TABLES.search(v) is not None), v


def test_exec_option_keys_hold_whatever_the_pattern_matches():
    """rce._EXEC_KEYS gate _EXEC_OPTION: every text the pattern matches holds one of them (each alternative spelled
    out, and corpus values, prose and their options)."""
    values = [v.lower() for v in _prose()[:2000]] + [r["value"].lower() for r in httpparams_rows()]
    values += ["--checkpoint-action=exec=sh x", "x --use-compress-program=sh", "--to-command sh", "--rsh=sh",
               "-oproxycommand=sh", "-o proxycommand sh", "proxycommand=sh", "core.sshcommand=sh", "core.pager=sh",
               "x -exec sh", "-exec sh", "--exec=sh", "--compress-program sh", "x -tt sh", "--unzip-command=sh",
               "--upload-pack=sh", "--receive-pack sh", "ext::sh", "-o localcommand=sh", "rsync -av -e sh",
               "rsync -e sh x"]
    matched = 0
    for v in values:
        if rce._EXEC_OPTION.search(v) is not None:
            matched += 1
            assert any(k in v for k in rce._EXEC_KEYS), v
    assert matched >= 21


def test_metadata_keys_answer_as_the_pattern():
    """ssrf._metadata (keys first) says what ssrf._METADATA.search says: on corpus values, prose, every alternative
    spelled out in mixed case, and non-ASCII case folds (`ſ` is `s` to `re.I`)."""
    from sensor.detect import ssrf
    values = _prose()[:2000] + [r["value"] for r in httpparams_rows()]
    alts = ["169.254.169.254", "169.254.170.2", "metadata.google.internal", "metadata.azure.com", "100.100.100.200",
            "192.0.0.192", "metadata.tencentyun.com", "rancher-metadata", "fd00:ec2::254", "instance-data",
            "metadata.packet.net", "/latest/meta-data", "/computeMetadata/", "/metadata/v1", "/opc/v2/",
            "/metadata/instance"]
    values += [f"http://x/{a}?y" for a in alts] + [a.upper() for a in alts] + ["http://inſtance-data/", "ſ/opc/v1/"]
    matched = 0
    for v in values:
        want = ssrf._METADATA.search(v) is not None
        assert ssrf._metadata(v) == want, v
        matched += want
    assert matched >= 2 * len(alts) + 1


def test_windows_key_test_answers_as_its_regex():
    """rce._win_keys (substring tests) says what the keys' regex alternation said, on prose, corpus values and keys."""
    key_rx = re.compile("|".join(re.escape(k) if k != "%" else "%[a-z_]" for k in rce._WIN_KEYS))
    values = [v.lower() for v in _prose()[:2000]] + [r["value"].lower() for r in httpparams_rows()][:6000]
    values += [f"x {k} y" for k in rce._WIN_KEYS] + ["100%", "%path%", "50% off", "%_x", "cmd.exe /c dir"]
    hits = 0
    for v in values:
        want = key_rx.search(v) is not None
        assert rce._win_keys(v) == want, v
        hits += want
    assert len(values) - hits > 5000 and hits >= len(rce._WIN_KEYS)  # both answers are exercised


_OLD_AT = re.compile(r"@@?\w", re.I | re.S)   # the SQL pre-filter's variable trigger before addresses were left out


def test_values_the_narrowed_variable_trigger_no_longer_wakes_had_no_sql_finding():
    from sensor.detect.rawrequest import parse_raw
    from sensor.points import Limits, extract_all

    triggers = [re.compile(t, re.I | re.S) for t in sqli.TRIGGERS]
    vals = {r["value"] for r in httpparams_rows()}
    for r in crs_rows():
        vals.update(p.value for p in extract_all(parse_raw(r["raw"]), Limits()).points)
    rnd = random.Random(7)
    for _ in range(300):   # addresses as forms and APIs carry them
        local = "".join(rnd.choice("abcdefghij0123456789._+-") for _ in range(rnd.randint(1, 12))).strip(".") or "a"
        vals.add(f"{local}@{rnd.choice(['example.com', 'mail.example.org', 'x.io'])}")
    lost = [v for v in vals if _OLD_AT.search(v) and not any(t.search(v) for t in triggers)]
    assert len(lost) > 1000 and any(v.startswith("halm@") for v in lost)   # the corpus's addresses, not a handful
    for v in lost:
        assert sqli.analyze(v) is None and sqli.analyze(v.lower()) is None, v


@pytest.mark.parametrize("value", ["@var", "1,@a", "(@x:=1)", "@@version", " @x", "1 and @x=1", "x=@y"])
def test_sql_variables_still_wake_the_sql_analyser(value):
    assert any(re.search(t, value, re.I | re.S) for t in sqli.TRIGGERS)


def _first_by_fnmatch(names: list[str], pattern: str) -> str | None:
    """What shellglob.Names.first_match answers, the library's way: fnmatch.fnmatchcase on each name in order."""
    for name in names:
        try:
            if fnmatch.fnmatchcase(name, pattern):
                return name
        except re.error:  # a glob translate makes into a regex that does not compile matches nothing
            return None
    return None


def _globs() -> list[str]:
    """Globs made from known command names (`c?t`, `wh*i`, `[ck]at`, `/???/??t` shapes) and from noise: sets with
    ranges (backwards ones too), negations, `]` first, hyphens at either end, `\\`, `^`, `&`, unclosed `[`."""
    rnd = random.Random(11)
    names = sorted(rce.STRONG)
    out = {"[name]", "__proto__[v-bind:class]=''.constructor", "[!q]asswd", "[]]", "[!]", "[!]]", "[z-a]t", "ca[",
           "*", "?", "[z-ab-c]at", "[!z-a]", "[z-a!b]", "[a-b-c]", "[^-z]", "[!-z]", "[a-]", "[\\-z]", "[&-z]ls",
           "[{\"value\":true,\"key\":\"enabled\"}]", "a[constructor][prototype][onerror]", "c[a-c][s-u]"}
    for _ in range(4000):
        chars = list(rnd.choice(names))
        for _ in range(rnd.randint(1, 3)):
            k = rnd.randrange(len(chars))
            lo, hi = sorted((chars[k], rnd.choice("abcmxz.-_09")))
            chars[k] = rnd.choice(("?", "*", "**", f"[{chars[k]}x]", f"[!{chars[k]}]", "[a-z]", "[", "]", "[!]", "x",
                                   f"[{lo}-{hi}]", f"[{hi}-{lo}]", f"[!{lo}-{hi}]", f"[-{chars[k]}]", f"[{chars[k]}-]"))
        if rnd.random() < 0.3:
            chars.insert(rnd.randrange(len(chars) + 1), "*")
        out.add("".join(chars))
    for _ in range(4000):
        out.add("".join(rnd.choice("abcdefst?*[]!-/^\\.&~|z") for _ in range(rnd.randint(1, 10))))
    return sorted(out)


def test_globs_name_the_commands_fnmatch_names():
    names = sorted(rce.STRONG)
    globs = _globs()
    expected = {g: _first_by_fnmatch(names, g) for g in globs}
    assert sum(v is not None for v in expected.values()) > 1500  # plenty of globs that do name a command
    assert sum(v is None for v in expected.values()) > 1500
    for g in globs:
        assert rce._glob_command.__wrapped__(g) == expected[g], g
    # the bin-directory test of `/???/c?t`-style paths the same way
    for d in ("/???", "/u?r/b??", "/usr/[a-z]in", "/[!x]bin", "/usr/local/?bin", "/et?", "/usr/bi", "/[u]sr/sbi[n]"):
        assert rce._bin_dir(d) == any(fnmatch.fnmatchcase(b, d) for b in rce._BIN_DIRS), d


def _substitute_by_regex(s: str) -> str:
    """rce._substitute as it was: one regex of the value's variable names, longest first."""
    env: dict[str, str] = {}
    for n, m in enumerate(rce._ASSIGN.finditer(s)):
        if n >= 64:
            break
        v = m.group(2)
        v = v[1:-1] if v[:1] in ("'", '"') and len(v) >= 2 else re.sub(r"\\(.)", r"\1", v)
        env[m.group(1)] = v
    if not env:
        return s
    names = sorted(env, key=len, reverse=True)
    rx = re.compile(r"\$\{(" + "|".join(map(re.escape, names)) + r")\}|\$(" + "|".join(map(re.escape, names)) + r")")
    return rx.sub(lambda m: env[m.group(1) or m.group(2)], s)


def test_variable_expansion_matches_the_regex_of_names():
    rnd = random.Random(3)
    names = ["a", "a1", "a10", "c", "cmd", "x_", "_y", "b" * 31, "B", "ab"]
    vals = ["ca", "t", "/etc/passwd", "'who ami'", '"i d"', "a\\;b", "", "$a"]
    cases = ["c4=\\ ;c3=t;c2=a;c1=c;a1=/;a2=e;$c1$c2$c3$c4$a1$a2", "a=nc&&$a -nlvp 555", "x=1 ${x} ${y} $x1 ${x1}"]
    for _ in range(3000):
        parts = []
        for _ in range(rnd.randint(1, 6)):
            if rnd.random() < 0.5:
                parts.append(f"{rnd.choice(names)}={rnd.choice(vals)}")
            else:
                n = rnd.choice(names)
                parts.append(rnd.choice((f"${n}", f"${{{n}}}", f"${n}0", f"${n}x", f"${{{n}0}}", "$", "${", f"{n}$")))
        cases.append(rnd.choice((";", "&&", " ", "|", "")).join(parts))
    changed = 0
    for s in cases:
        expected = _substitute_by_regex(s)
        assert rce._substitute(s) == expected, s
        changed += expected != s
    assert changed > 300  # many cases do expand something


_OLD_BRACE = re.compile(r"([^\s{},;|&]*)\{([^{}\s]*,[^{}]*)\}([^\s{},;|&]*)")


def test_brace_words_are_found_as_the_brace_regex_found_them():
    # the linear scan against the pattern it replaced, over corpus values and random strings dense in the characters
    # that matter (braces, commas, separators, blanks of several kinds), both for expansion (sub) and the first match
    rnd = random.Random(11)
    alphabet = "{{}},,,;|& \t\n\xa0\u2003ab/-$'\"x1"
    vals = [r["value"].lower() for r in httpparams_rows() if "{" in r["value"]]
    vals += [r["raw"].decode("latin-1").lower() for r in crs_rows() if b"{" in r["raw"]]
    vals += ["".join(rnd.choice(alphabet) for _ in range(rnd.randint(1, 40))) for _ in range(6000)]
    vals += ["{,ip,a}", "c{a,oun}t", "x{a,b}y{c,d}z", "a{b,c", "{a b,c}", "{a,b c}", "pre{a,{b,c}}post"]
    found = 0
    for v in vals:
        old = _OLD_BRACE.sub(lambda m: rce._expand_braces(m.group(1), m.group(2), m.group(3)), v)
        assert rce._expand_all_braces(v) == old, v
        m = _OLD_BRACE.search(v)
        spans = rce.brace_spans(v, first_only=True)
        assert (spans[0][:2] if spans else None) == ((m.start(), m.end()) if m else None), v
        found += m is not None
    assert found > 500   # many of the strings hold a brace word: the comparison is not vacuous


_OLD_ELLIPSIS = re.compile(r"(?:^|[\s(])[^\s./\\]*[a-z0-9)!?]\.{3,}(?:\s|$)|^\s*\.{3}\s*$|^\s*\.{3,4}(?=[a-z]+[\s,])")


def test_the_ellipsis_pattern_finds_what_it_found_before_the_word_lost_its_parenthesis():
    # ptrav's ellipsis words no longer run through `(` (each `(` starts one): the same matches, counted the same way
    from sensor.detect import ptrav

    rnd = random.Random(3)
    alphabet = "a(().. .!?/\\1z\t,"
    vals = ["".join(rnd.choice(alphabet) for _ in range(rnd.randint(1, 16))) for _ in range(30000)]
    # and words that end in dots more often than chance gives
    vals += ["".join(rnd.choice(("a", "(", ")", " ", "x(", "...", "....", "!", "/", "(a")) for _ in range(rnd.randint(1, 8)))
             for _ in range(20000)]
    vals += ["f(x)... ok", "wait....", "a(b(c... d", "(see...)", "hmm.... ok", "..."]
    hits = 0
    for v in vals:
        assert len(ptrav._ELLIPSIS.findall(v)) == len(_OLD_ELLIPSIS.findall(v)), v
        hits += bool(_OLD_ELLIPSIS.search(v))
    assert hits > 1000


_OLD_PS_CANDIDATE = re.compile(r"(?:^|[;|&\n`({]|\$\()\s*[\"'(]?\s*([a-z]{2,15})-([a-z]{2,40})\b", re.I)


def test_cmdlet_candidates_are_the_matches_the_old_pattern_found():
    # the linear candidate search against finditer over the pattern it replaced, in order, up to the limit — over
    # corpus values and random strings of separators, blanks, quotes and Verb-Noun
    from sensor.detect.shell_words import ps_candidates

    rnd = random.Random(7)
    pieces = ["\n", " ", "\t", ";", "|", "&", "`", "(", "{", "$(", "$", "'", '"', "-", "--", "Get-Item", "ab-cd",
              "x", "Set-Content", "a", "\n\n", "  ", "((", "Invoke-Expression"]
    vals = [r["value"] for r in httpparams_rows() if "-" in r["value"]]
    vals += ["".join(rnd.choice(pieces) for _ in range(rnd.randint(1, 14))) for _ in range(20000)]
    vals += ["\n" * 300 + "--", "\n" * 50 + "Get-Item", "; \n Get-Process", "$( Get-Date)", "((Get-Item"]
    found = 0
    for v in vals:
        for limit in (32, 3):
            # the same candidates, ending where they ended; one that began at a newline may now begin at a later
            # newline of the same blank run (what the detector reads of the start is that it is a separator)
            old = [(v[m.start()], m.end(), m.groups()) for m in _OLD_PS_CANDIDATE.finditer(v)][:limit]
            assert [(v[m.start()], m.end(), m.groups()) for m in ps_candidates(v, limit)] == old, (v, limit)
        found += bool(_OLD_PS_CANDIDATE.search(v))
    assert found > 3000


_OLD_SQLITE_DOT = re.compile(r"(?:^|[;\n]|\\n|;\s*\d*\s*)\s*\.\\?'?(?:shell|system|databases|tables|dump|import|"
                             r"output|once|load|sh|schema|read)\b")


def test_sqlite_dot_commands_are_found_where_the_old_pattern_found_them():
    rnd = random.Random(13)
    pieces = ["\n", " ", "\t", ";", "\\n", "\\", "'", "1", "23", ".", ".dump", ".shell", "x", ".tables", "a", "\n\n",
              ".dumps", "\r"]
    vals = [rnd.choice(("", "x", ";")) + "".join(rnd.choice(pieces) for _ in range(rnd.randint(1, 10)))
            for _ in range(40000)]
    vals += ["\n" * 300 + "....", ";" + " " * 200 + ".", "; 12 .dump", "x;12.dump", "a\\n .shell", ".read x"]
    found = 0
    for v in vals:
        assert rce._sqlite_dot(v) == bool(_OLD_SQLITE_DOT.search(v)), v
        found += rce._sqlite_dot(v)
    assert found > 5000


_OLD_TRAILING_COMMENT = re.compile(r"\s*(?:--(?:[\s\-+].{0,20})?|#.{0,20}|/\*(?:(?!\*/).){0,20}(?:\*/)?)\s*$", re.S)


def test_trailing_comments_are_cut_where_the_old_pattern_cut_them():
    # the SQL analyser's trailing-comment cut, read back from the end of the value, against the search it replaced
    # (quadratic on blank runs) — over corpus values and random strings of comment marks, blanks and words
    rnd = random.Random(17)
    pieces = ["-", "--", "#", "/*", "*/", "*", "/", " ", "\t", "\n", "\r\n", "\x1c", "\u2003", "+", "1", "=", "a",
              "'", "x" * 9, " " * 5, "--" + "y" * 19, "/*" + "z" * 20]
    vals = [r["value"] for r in httpparams_rows() if "-" in r["value"] or "#" in r["value"] or "/*" in r["value"]]
    vals += ["".join(rnd.choice(pieces) for _ in range(rnd.randint(1, 12))) for _ in range(40000)]
    vals += ["1=1-- -", "<=>#", "a /* b */", "--", "#" + "x" * 20, "#" + "x" * 21, "-- " + "x" * 20 + "\n",
             "/*" + "x" * 20 + "*/ ", "/*" + "x" * 21 + "*/", "x\n", "--x", "-- x\n\n"]
    cut = 0
    for v in vals:
        old = _OLD_TRAILING_COMMENT.sub("", v, count=1)
        assert sqli._strip_trailing_comment(v) == old, v
        cut += old != v
    assert cut > 10000



_OLD_ATTR_BREAKOUT = re.compile(r"[\"'`]\s*/?\s*(?:formaction|srcdoc|xlink:href|dynsrc|lowsrc|onbegin|onend|ontoggle)"
                                r"\s*=", re.I)


def test_attribute_breakouts_are_found_where_the_old_pattern_found_them():
    # one blank run around an optional `/` (the old two runs side by side were quadratic after a quote: a backtick
    # and 32 KB of blanks cost 70 s) — the same first match over corpus values and random strings
    from sensor.detect import xss

    rnd = random.Random(19)
    pieces = ["'", '"', "`", " ", "\t", "\n", "/", "//", "formaction", "srcdoc", "=", " =", "x", "ontoggle", "\u2003"]
    vals = [r["value"].lower() for r in httpparams_rows() if "=" in r["value"]]
    vals += ["".join(rnd.choice(pieces) for _ in range(rnd.randint(1, 10))) for _ in range(30000)]
    found = 0
    for v in vals:
        old, new = _OLD_ATTR_BREAKOUT.search(v), xss._ATTR_BREAKOUT.search(v)
        assert (old.span() if old else None) == (new.span() if new else None), v
        found += old is not None
    assert found > 500


# Patterns that were quadratic on a long run of blanks, separators, dashes or commas, each beside its old spelling:
# (module, name, old pattern, what is compared, the pieces random values are made of). The new spellings keep one
# blank run where two sat side by side, or leave a separator followed through blanks by a newline to that newline
# (the same match from there), so a run costs linear time.
_SEPS = ["\n", " ", "\t", "\r", ";", "|", "&", "`", "(", "{", "$(", "\n\n", "  ", "\x0b"]
_REWRITTEN = [
    ("sqli", "_SHEET_CALL", re.compile(r"^\s*=?\s*([a-z]+)\s*\("), "match",
     [" ", "\t", "=", "==", "sum", "a", "(", "( ", "1", "\n"]),
    ("sqli", "_SELF_KEY_NAME", re.compile(r"^\W*[\w\-]*?(?:pass(?:word|wd|phrase|code)?|pwd|secret|token|user(?:_?name)?"
                                          r"|login|e-?mail|account|otp|pin|api_?key)\W"), "search",
     ["-", "--", "\\", '"', "{", " ", "a", "1", "_", "pass", "user_name", "e-mail", "token", ":", "=", "x-", "pin"]),
    ("rce", "_BRACE_BODY", re.compile(r"\{([^{}\s]*,[^{}]*)\}"), "search",
     ["{", "}", ",", ",,", " ", "\t", "a", "b/", ";", "{a,b}", "\n"]),
    ("rce", "_KV_RECORD", re.compile(r"(?:[ \t]*[a-z][\w .()/\-]{0,40}:[ \t]+[^\n]*(?:\n|$))+"), "fullmatch",
     ["name", ":", " ", "\t", "\n", "a", "x y", "1", "(", "-", "::", "\r", "host: a\n", "user: ", ": \t "]),
    ("rce", "_WIN_PROGRAM", re.compile(r"[;&|\n]\s*[\"']?(?:[a-z]:|\\\\[\w.$\-]+)\\[^;&|\n\"'<>]{0,200}?"
                                       r"\.(?:exe|bat|cmd|com|ps1|vbs|hta|scr)\b"), "search",
     _SEPS + ["c:", "\\", "\\\\srv", "x", ".exe", "'", "windows", ".bat", "a.b", "c:\\w\\x.exe", "\\\\h\\s.bat"]),
    ("rce", "_PS_SCRIPTBLOCK", re.compile(r"(?:^|[;|&\n({`])\s*(?:icm|invoke-command|sajb|start-job|start-threadjob)\s+"
                                          r"(?:-[a-z]+\s+(?!-)[^\s{}]+\s+)*-scriptblock\s*\{\s*[^\s}]"), "search",
     _SEPS + ["icm ", "start-job ", "-scriptblock", " {", "x", "}", "-c ", "localhost ", "icm -scriptblock {x"]),
    ("shell_words", "PS_ALIAS", re.compile(r"(?:^|[;|&\n`(])\s*(?:sal|nal|set-alias|new-alias)\s+(?:-name\s+)?[\w-]+\s+"
                                           r"(?:-value\s+)?['\"]?([a-z][\w.-]*)", re.I), "search",
     _SEPS + ["sal ", "set-alias ", "x ", "-name ", "-value ", "'", "iex", "ls", "a-b "]),
    ("rce", "_QUOTE_SEPS", re.compile(r"(?:[;|&\n`]|\$\()[;|&\s(]*([a-z/\\$][\w./\\$-]*)", re.I), "finditer",
     _SEPS + ["ls", "/bin/id", "$x", "\\", "*", "1", "a.b"]),
    ("xss", "_TAG", re.compile(r"<\s*(/?)\s*([a-z][a-z0-9:_\-]*|!--|!doctype|!\[cdata\[|\?[a-z]*|%)", re.I), "finditer-span",
     ["<", "< ", "/", " ", "\t", "\n", "a", "img", "!--", "%", "?x", ">", "!doctype", "1"]),
    ("rce", "_CMD_SET", re.compile(r"(?:^|[&|\n(])\s*set\s+(?:/[ap]\s+)?\"?([a-z_][\w]{0,30})="), "finditer",
     _SEPS + ["set ", "set /a ", "x=", "a", "=", '"', "set x=1", "/p "]),
    ("rce", "_DOTTED", re.compile(r"\d+\.\d+\.\d+"), "search-any", ["1", "12", ".", "..", "a", "1.2", "v", "-"]),
    ("xss", "_ATTR", re.compile(r"""[\s/"']*([^\s/>"'=]+)(?:\s*=\s*("[^"]*"?|'[^']*'?|`[^`]*`?|[^\s>]*))?""", re.S),
     "finditer", [" ", "/", '"', "'", "`", ">", "=", " = ", "a", "on", "\t", "\n", "x=1", "b='c'", 'd="', "e=`f`"]),
]


@pytest.mark.parametrize("mod, name, old, how, pieces", _REWRITTEN, ids=[r[1] for r in _REWRITTEN])
def test_rewritten_patterns_find_what_their_old_spelling_found(mod, name, old, how, pieces):
    import importlib

    new = getattr(importlib.import_module(f"sensor.detect.{mod}"), name)
    rnd = random.Random(name)
    vals = ["".join(rnd.choice(pieces) for _ in range(rnd.randint(1, 14))) for _ in range(25000)]
    found = 0
    for v in vals:
        if how == "finditer":
            a, b = [m.groups() for m in old.finditer(v)], [m.groups() for m in new.finditer(v)]
        elif how == "finditer-span":
            a, b = [(m.span(), m.groups()) for m in old.finditer(v)], [(m.span(), m.groups()) for m in new.finditer(v)]
        elif how == "search-any":  # (only whether it is found counts)
            a, b = old.search(v) is not None, new.search(v) is not None
        elif how == "fullmatch":
            a, b = old.fullmatch(v) is not None, new.fullmatch(v) is not None
        else:
            ma, mb = getattr(old, how)(v), getattr(new, how)(v)
            # the same groups; the same span where the match starts where the old one did (a brace body, a cut)
            a = ma and (ma.groups(), ma.end() if name in ("_BRACE_BODY", "_SHEET_CALL") else 0)
            b = mb and (mb.groups(), mb.end() if name in ("_BRACE_BODY", "_SHEET_CALL") else 0)
            if name == "_BRACE_BODY" and ma and mb:
                assert ma.start() == mb.start(), v
        assert a == b, (name, v)
        found += bool(a)
    assert found > 300, found   # the values reach the pattern's matches: the comparison is not vacuous


def test_graphql_tokens_are_those_of_the_old_single_pattern():
    # one pattern searched from every quote of a line of `"\` was quadratic (25 KB: 3.4 s); the tokenizer now reads
    # what follows a string that never closes once, and must give the same tokens
    from sensor.points.graphql import tokens

    old = re.compile(r'"""(?:[^"\\]|\\.|"(?!""))*"""|"(?:[^"\\\n]|\\.)*"|[_A-Za-z][_0-9A-Za-z]*|-?\d+(?:\.\d+)?'
                     r'|[{}()\[\]:,=!$@.]|\S')
    rnd = random.Random(7)
    pieces = ['"', '\\', '"""', '\n', "a", " ", "{", "}", "1", "-", ":", "(", '\\"', '""', "x: ", "\\\n", "é", "$v"]
    strings = 0
    for _ in range(40000):
        v = "".join(rnd.choice(pieces) for _ in range(rnd.randint(0, 16)))
        got = tokens(v)
        assert got == old.findall(v), v
        strings += any(t[:1] == '"' and len(t) > 1 for t in got)
    assert strings > 5000, strings   # strings were found, closed and unclosed alike


def test_shell_expansions_are_found_where_the_old_single_search_found_them():
    # the old search ran `[^}]*` / `[^)]*` to the end of the value from every `${name:` or `<(` with no closing
    # character after it (`${jndi:` × 2,000: 60 ms); rce._expansion searches only up to the last `}` / `)`
    from sensor.detect import rce

    old = re.compile(r"\$\{[a-z_][a-z0-9_]*(?::(?![-=?+])|[#%/^,])[^}]*\}|\$\{ifs\}|[<>]\(\s*[a-z/$.~\\'\"][^)]*\)")
    rnd = random.Random(23)
    pieces = ["${", "}", ":", "#", "%", "/", "^", ",", "-", "=", "a", "ifs", "x1", "_", "<(", ">(", ")", " ", "'", "$",
              "{", "(", "\n", "jndi:", "${ifs}", "~"]
    vals = [r["value"].lower() for r in httpparams_rows() if "${" in r["value"] or "(" in r["value"]]
    vals += ["".join(rnd.choice(pieces) for _ in range(rnd.randint(1, 12))) for _ in range(40000)]
    found = 0
    for v in vals:
        a = old.search(v) is not None
        assert rce._expansion(v) == a, v
        found += a
    assert found > 3000, found
