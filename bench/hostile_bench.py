"""Hostile input: the CPU one request costs when a form field repeats one or two characters for kilobytes, or a body
repeats one structure (a part, an entity, a key) for hundreds.

Usage: .venv/bin/python bench/hostile_bench.py [--baseline-tree DIR] [--top N] [--bodies | --words] [--strict]
A value is a fill (one character, or two, of those that steer the analysers: quotes, brackets, dots, separators)
repeated to a size, after a head or before a tail that wakes an analyser (`--`, `....`, `'`, `(`, `*/`…), sent as
`POST /` with `x=<value>` form-encoded. Every (fill, tail) and (head, fill) pair is measured at 2 KB; the slowest are
measured again at 8 KB and 32 KB. A word case repeats one unit of an analyser's vocabulary (a tag, `</body>`,
`${jndi:`, `union select `, `../`…), which the character fills cannot spell: every word is measured at 2 KB and 8 KB,
and the `--top` that grow most at 32 KB too (`--words`: those only). A body is one structure of a parser repeated
(multipart parts, XML entity references, JSON keys, GraphQL selections…), measured at 64 KB, 1 MB and 4 MB
(`--bodies`: those only). CPU time
grows linearly with the size for a linear detector (×4 from one size to the next); a growth of ×16 means the work is
quadratic, and a client can make one request cost seconds. A body that spends the request's CPU budget (50 ms) is cut
there (`cpu_budget`), except inside one library call (the JSON decoder, expat) that cannot be interrupted.
`--baseline-tree DIR` measures the same cases with another checkout's engine, same run: one process per request,
stopped after 20 s (shown as `> 20000`).
"""
from __future__ import annotations

import argparse
import itertools
import json
import os
import subprocess
import sys
import time
import urllib.parse
from pathlib import Path
from typing import Callable

ROOT = Path(__file__).resolve().parents[1]
CHARS = list("a1 (.)/\\'\"=<>-_:;,&%$#{}[]!?*+|@~\t\n\r`")
FILLS = CHARS + [a + b for a, b in itertools.combinations(CHARS, 2)]
TAILS = ["", "....", " ...", "'", "(", ")", ">", "*/", "--", "\n", "/..", "x=1", "${a}", "<a", "{a,b"]
HEADS = ["--", "#", "/*", "'", "\"", "<", "(", "$(", "{", "\\", ";", "`", "x="]
SIZES = (2048, 8192, 32768)
BODY_SIZES = (65536, 1 << 20, 4 << 20)  # (4 MB: half of max_body, what one request may make the parsers read)
# value cases (head, fill, tail) that were super-linear once (stops 26 and 27), measured whatever the scan ranks first
KNOWN = [("", "\n", "--"), ("", " \n", "--"), ("", "a(", " ...."), ("", "a", "{a,b"), ("--", "\r\n", ""),
         ("`", " ", "")]
# Word units: what the analysers branch on, each repeated to a size (found this way, stop 29: `</body>`, `<html>`,
# `<meta>`, `<!doctype>`, `${jndi:` and `%pipe%` lines were quadratic, 17 s for `</body>` × 9,000)
_TAG_NAMES = ("a abbr applet area audio b base bgsound body br button details div embed font foreignobject form frame "
              "frameset h1 handler head html i iframe ilayer image img import input isindex keygen layer link marquee "
              "math meta noscript object p plaintext portal select set source span style svg table td template textarea "
              "title u video vmlframe x xml xmp xss animate !doctype ![cdata[ ?xml ?import !-- %").split()
WORDS = [w for t in _TAG_NAMES for w in (f"<{t}>", f"</{t}>", f"<{t} ", f"<{t} a=1>", f"<{t} onload=x>")] + [
    # markup and script
    "<a href=javascript:x>", "javascript:", "&#60;", "&lt;a&gt;", "alert(1)", "document.cookie ", "eval(", "`x`",
    "-->", "<!--", "< a>", "<a/", "<a\n", "\"><a>", "'><a>", "<?xml-stylesheet ", "<head><meta>", "<svg><path/>",
    "expression(", "url(", "@import ",
    # SQL
    "union select ", "select ", "from ", " or ", " and ", "' or '", "/**/", "/*!", "-- ", "#", ";", "0x41 ", "char(",
    "(select ", "case when ", "'||'", "1=1 ", "sleep(", "order by ", "' ", "\" ", "`a` ", "in (", "waitfor ", "exec ",
    "::int ", "regexp ", "->", "@@version ", "information_schema ", "having ", "limit 1 ", "into outfile ",
    "values (", "insert into ", "drop table ", "like '", "null ", "is not ", "between ", "?", "'?'", "$1 ",
    "a eq 1 and ", "count(*) ", "x(y) ", "Traceback (most recent call last):\n", "go\n", "1.e(", "' collate x ",
    # shell and Windows
    ";id ", "|cat ", "$(", "`id`", "${IFS}", "&&ls ", "\ncat ", "{,ip,a}", "c'a't ", "$'\\x41' ", "a=ca;", "$a$b ",
    "/???/c?t ", "~+ ", "!-2 ", "ex +!id ", "sh -c ", "eval ", "trap ", "pip install x ", "%a%%b% ", "set a=b& ",
    "for /f ", "if exist ", "powershell ", "$env:", "`ls -la` ", "    at f (/a.js:1:2)\n", "PHP Warning: ", "#0 ",
    "=cmd|' /C calc'!A0 ", "=WEBSERVICE(", "rsync -e ", "%pipe%", "%pipe%\n", "$[?(@.a)] ", "C:\\Windows\\ ",
    "Label: value\n", "{% if %}", "{{ $t('a') }}", "/e??/shadow ", "/[e]tc/ ", "<(a", "${a#",
    # paths and URLs
    "../", "..\\", "%2e%2e/", "/etc/passwd ", "..%c0%af", "/./", "//", "/.git/", "source:/var/log/x AND ",
    "dest: /etc/x\n", "- /etc/x\n", "/blob/main/etc/passwd ", "http://127.0.0.1/ ", "@", "http://", "//x/",
    "http://a@b/ ", "gopher://", "[::1] ", "10.0.0.1 ", "0.9,", "localhost ", "file://", "hthttp://tp://",
    "http://a.example%2f@b/ ", "/@a.b/",
    # code and templates
    "<?php ", "${", "{{", "#{", "<%", "$_GET[", "${jndi:", "#set(", "<!--#exec ", "__proto__", "constructor.prototype ",
    'O:8:"x":0:{}', 'a:1:{s:1:"a";}', "eyJ", "${{", "{{7*7}}", "T(java.lang.Runtime)", "%{", "\\u0027", "\\x41",
    "&#x41;", "%u0041",
]
# word cases that were super-linear once (stop 29), measured whatever the scan ranks first
KNOWN_WORDS = ["</body>", "<html>", "<body>", "</head>", "<meta>", "<!doctype>", "<![cdata[>", "<?xml-stylesheet ",
               "${jndi:", "<(a", "%pipe%\n"]
BASELINE_TIMEOUT_S = 20.0
_BOUNDARY = b"XyZbound"


def _rep(piece: bytes, n: int) -> bytes:
    return (piece * (n // len(piece) + 1))[:n]


# body cases: name -> (content type, body of about n bytes); each repeats one thing a parser reads piece by piece
BODIES: dict[str, Callable[[int], tuple[bytes, bytes]]] = {
    "form: `a=1&` pairs": lambda n: (b"application/x-www-form-urlencoded", _rep(b"a=1&", n)),
    "form: `%25` escapes": lambda n: (b"application/x-www-form-urlencoded", b"a=" + _rep(b"%25", n)),
    "json: keys": lambda n: (b"application/json",
                             b"{" + b",".join(b'"k%d":1' % i for i in range(n // 8)) + b"}"),
    "json: array of numbers": lambda n: (b"application/json", b"[" + _rep(b"1,", n) + b"1]"),
    # a string past the parser's chunk (yajl lexes it again at every chunk), then members
    # not JSON: yajl refuses it, the document is read again with null in its place
    "json: NaN, then keys": lambda n: (b"application/json", b'{"x":NaN,' + b",".join(b'"k%d":1' % i for i in range(n // 8))
                                       + b"}"),
    "json: a long string, then keys": lambda n: (b"application/json", b'{"s":"' + _rep(b"x", n // 2) + b'",'
                                                 + b",".join(b'"k%d":1' % i for i in range(n // 16)) + b"}"),
    "json: `\\u0041` escapes": lambda n: (b"application/json", b'{"a":"' + _rep(b"\\u0041", n) + b'"}'),
    "json: unclosed `{\"a\":[`": lambda n: (b"application/json", _rep(b'{"a":[', n)),
    "xml: nested `<a>`": lambda n: (b"application/xml", b"<?xml version='1.0'?>" + _rep(b"<a>", n)),
    "xml: attributes": lambda n: (b"application/xml", b"<?xml version='1.0'?><r "
                                  + b" ".join(b'a%d="1"' % i for i in range(n // 8)) + b"/>"),
    "xml: entity declarations": lambda n: (b"application/xml", b"<?xml version='1.0'?><!DOCTYPE r ["
                                           + b"".join(b'<!ENTITY e%d "1">' % i for i in range(n // 20)) + b"]><r/>"),
    "xml: comments": lambda n: (b"application/xml", b"<?xml version='1.0'?><r>" + _rep(b"<!--c-->", n) + b"</r>"),
    "xml: processing instructions": lambda n: (b"application/xml", b"<?xml version='1.0'?><r>" + _rep(b"<?p d?>", n)
                                               + b"</r>"),
    "xml: a long text, then attributes": lambda n: (b"application/xml", b"<?xml version='1.0'?><r><t>" + _rep(b"x", n // 2)
                                                    + b"</t><a " + b" ".join(b'a%d="1"' % i for i in range(n // 16))
                                                    + b"/></r>"),
    "xml: `&amp;` in text": lambda n: (b"application/xml",
                                      b"<?xml version='1.0'?><r>" + _rep(b"&amp;", n) + b"</r>"),
    "multipart: parts": lambda n: (b"multipart/form-data; boundary=" + _BOUNDARY, _rep(
        b"--" + _BOUNDARY + b'\r\nContent-Disposition: form-data; name="a"\r\n\r\n1\r\n', n) + b"--" + _BOUNDARY + b"--\r\n"),
    "multipart: CRLFs after the boundary": lambda n: (b"multipart/form-data; boundary=" + _BOUNDARY,
                                                     b"--" + _BOUNDARY + b"\r\n" + _rep(b"\r\n", n)),
    "multipart: part headers": lambda n: (b"multipart/form-data; boundary=" + _BOUNDARY, b"--" + _BOUNDARY + b"\r\n"
                                          + _rep(b"X: y\r\n", n) + b"\r\n1\r\n--" + _BOUNDARY + b"--\r\n"),
    "graphql: nested selections": lambda n: (b"application/json", json.dumps(
        {"query": "{" + "a{" * (n // 4) + "}" * (n // 4) + "}"}).encode()),
    "graphql: strings that never close": lambda n: (b"application/json", json.dumps(
        {"query": "{" + '"\\' * (n // 4)}).encode()),
}


def _request(case: list, size: int):
    """The request of a case: ["value", head, fill, tail] or ["word", unit] as a form field of about `size`
    characters, or ["body", name] as that body of about `size` bytes."""
    from sensor.detect.rawrequest import parse_raw

    if case[0] in ("value", "word"):
        head, fill, tail = case[1:] if case[0] == "value" else ("", case[1], "")
        body = b"x=" + urllib.parse.quote(head + fill * (size // len(fill)) + tail, safe="").encode()
        ctype = b"application/x-www-form-urlencoded"
    else:
        ctype, body = BODIES[case[1]](size)
    return parse_raw(b"POST / HTTP/1.1\r\nHost: shop.test\r\nContent-Type: " + ctype + b"\r\n"
                     b"Content-Length: %d\r\n\r\n" % len(body) + body)


def _cpu_meter() -> Callable[[list, int], float]:
    """A function (case, size) -> CPU ms of one request, over one engine built here."""
    from sensor.detect import Engine

    engine = Engine()

    def cpu(case: list, size: int) -> float:
        req = _request(case, size)
        t0 = time.thread_time_ns()
        engine.inspect(req)
        return (time.thread_time_ns() - t0) / 1e6
    return cpu


def measure(top: int, values: bool = True, words: bool = True, bodies: bool = True) -> dict:
    """CPU ms per request: every value case at 2 KB, then KNOWN and the `top` slowest others at every size; every
    word at 2 and 8 KB, then KNOWN_WORDS and the `top` others that grew most at 32 KB too; every body at every body
    size."""
    cpu = _cpu_meter()
    cases = [["value", "", f, t] for f in FILLS for t in TAILS] + [["value", h, f, ""] for h in HEADS for f in FILLS]
    first = sorted(((cpu(c, SIZES[0]), c) for c in cases), reverse=True) if values else []
    known = [["value", *k] for k in KNOWN] if values else []
    picked = known + [c for _, c in first if c not in known][:top]
    rows = [{"case": c, "sizes": SIZES, "ms": [cpu(c, s) for s in SIZES]} for c in picked]
    grown = []
    for w in WORDS if words else []:
        ms = [cpu(["word", w], s) for s in SIZES[:2]]
        grown.append((ms[1] / max(ms[0], 0.05), ms, w))
    grown.sort(reverse=True)
    chosen = [g for g in grown if g[2] in KNOWN_WORDS] + [g for g in grown if g[2] not in KNOWN_WORDS][:top]
    rows += [{"case": ["word", w], "sizes": SIZES, "ms": ms + [cpu(["word", w], SIZES[2])]} for _, ms, w in chosen]
    rows += [{"case": ["body", name], "sizes": BODY_SIZES, "ms": [cpu(["body", name], s) for s in BODY_SIZES]}
             for name in BODIES if bodies]
    return {"rows": rows, "all_2k": [ms for ms, _ in first], "words_8k": sorted(ms[1] for _, ms, _ in grown)}


def _baseline(tree: Path, case: list, size: int) -> float | None:
    """CPU ms of one request in another checkout (its own process); None when it ran past BASELINE_TIMEOUT_S."""
    py = tree / ".venv" / "bin" / "python"
    # (this script, run against the other tree's modules: an older checkout may not have it)
    try:
        out = subprocess.run([str(py if py.exists() else sys.executable), str(Path(__file__).resolve()),
                              "--one", json.dumps([case, size])], cwd=tree, capture_output=True, text=True,
                             env={**os.environ, "PYTHONPATH": str(tree)}, check=True, timeout=BASELINE_TIMEOUT_S)
    except subprocess.TimeoutExpired:
        return None
    return float(out.stdout.strip().splitlines()[-1])


def _label(case: list) -> str:
    if case[0] == "body":
        return case[1]
    if case[0] == "word":
        return f"`{case[1]!r}` × n"
    head, fill, tail = case[1:]
    return " + ".join(f"`{x!r}`" for x in (head, fill + "…", tail) if x)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--baseline-tree", help="another checkout whose engine is measured on the same cases")
    ap.add_argument("--top", type=int, default=12)
    ap.add_argument("--bodies", action="store_true", help="measure the bodies only")
    ap.add_argument("--words", action="store_true", help="measure the word cases only")
    ap.add_argument("--strict", action="store_true", help="exit 1 when a case grows x10 or more on its last step")
    ap.add_argument("--one", help=argparse.SUPPRESS)   # (JSON [case, size]: the baseline child)
    args = ap.parse_args()
    if args.one is not None:
        import sensor
        assert Path(sensor.__file__).resolve().parents[1] == Path.cwd().resolve(), sensor.__file__
        case, size = json.loads(args.one)
        print(_cpu_meter()(case, size))
        return 0
    only = args.bodies or args.words
    here = measure(args.top, values=not only, words=args.words or not only, bodies=args.bodies or not only)
    base = None
    if args.baseline_tree:
        tree = Path(args.baseline_tree).resolve()
        base = [[_baseline(tree, r["case"], size) for size in r["sizes"]] for r in here["rows"]]
    a = sorted(here["all_2k"])
    if a:
        print(f"{len(a)} value cases at 2 KB: median {a[len(a) // 2]:.2f} ms, max {a[-1]:.2f} ms per request")
    w = here["words_8k"]
    if w:
        print(f"{len(w)} word cases at 8 KB: median {w[len(w) // 2]:.2f} ms, max {w[-1]:.2f} ms per request")
    head = "| case | sizes (KB) | ms at each size | growth, last step |"
    if base:
        head += " baseline ms | baseline growth |"
    print(head)
    print("|" + "---|" * (head.count("|") - 1))
    for i, r in enumerate(here["rows"]):
        ms = r["ms"]
        line = (f"| {_label(r['case'])} | {' / '.join(str(s // 1024) for s in r['sizes'])} | "
                + " / ".join(f"{x:.1f}" for x in ms) + f" | ×{ms[2] / ms[1]:.1f} |")
        if base:
            b = base[i]
            line += " " + " / ".join(f"{x:.1f}" if x is not None else f"> {BASELINE_TIMEOUT_S * 1000:.0f}"
                                     for x in b)
            line += f" | ×{b[2] / b[1]:.1f} |" if b[1] and b[2] else " | - |"
        print(line)
    steep = [_label(r["case"]) for r in here["rows"] if r["ms"][2] >= 5 and r["ms"][2] / max(r["ms"][1], 0.05) >= 10]
    if args.strict and steep:
        print("grew x10 or more on the last step: " + ", ".join(steep), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
