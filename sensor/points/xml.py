"""XML parser (expat, no entity resolution): element text, attributes, comments, PIs, DTD and entity declarations."""
from __future__ import annotations

import re
from collections import Counter
from typing import Final
from xml.parsers import expat

from sensor.points.extraction import Extraction, Limits, PathItem


_NAMESPACE_URI: Final = re.compile(r"(?:https?://[\w.-]+(?::\d+)?(?:/[\w.~/#-]*)?|urn:[\w.:-]+|clr-namespace:[\w.;=-]+)$")
_AMPLIFICATION, _AMPLIFIED_FLOOR = 20, 64 << 10
_REF: Final = re.compile(r"&([A-Za-z_:][\w.:-]*);")
# A start tag (no `<` may stand in one, `<!`/`<?` open declarations, comments and CDATA) longer than twice max_value.
# expat hands a tag's attributes over only once it has read them all -- about 0.1 ms per KB of `a1="1" a2="1"…`, which
# no budget check can cut -- and expat 2.5 reads an unfinished tag again at every feed. Element text and comments that
# long are fine: expat passes them on in pieces or as one cheap string.
_TAG_RUN: Final = "<[^!?<>][^<>]{%d}"
_LONGEST: Final = 2 * Limits().max_value
_LONG_TAG: Final = re.compile(_TAG_RUN % _LONGEST)
_LONG_TAG_BYTES: Final = re.compile((_TAG_RUN % _LONGEST).encode())


def expansion_size(entities: dict[str, str], refs: Counter, cap: int) -> int:
    """Characters the referenced internal entities would expand to (at most `cap`), computed without expanding."""
    sizes: dict[str, int] = {}

    def size(name: str, open_: set[str]) -> int:
        if name in sizes:
            return sizes[name]
        value = entities.get(name)
        if value is None:
            return len(name) + 2            # undeclared or predefined: stays as written
        if name in open_:
            return cap                      # a reference loop
        open_.add(name)
        n = len(_REF.sub("", value))
        for m in _REF.finditer(value):
            n = min(cap, n + size(m.group(1), open_))
        open_.discard(name)
        sizes[name] = n
        return n

    try:
        return min(cap, sum(count * size(name, set()) for name, count in refs.items()))
    except RecursionError:
        return cap                          # a chain thousands of entities deep


def _multiplier_chain(entities: dict[str, str]) -> bool:
    """An entity that repeats one reference 3+ times, to an entity that does the same: each level multiplies the next.
    Documents name entities for boilerplate (`&company;`), and one that joins others (`&first; &last;`) repeats none."""
    multiplies: dict[str, str] = {}
    for name, value in entities.items():
        counts = Counter(_REF.findall(value))
        if counts:
            ref, n = counts.most_common(1)[0]
            if n >= 3:
                multiplies[name] = ref
    return any(ref in multiplies for ref in multiplies.values())


# XML spec appendix F: the first bytes of a document without a byte-order mark name its encoding family
_SNIFF: Final = {b"\x00\x00\x00<": "utf-32-be", b"<\x00\x00\x00": "utf-32-le", b"\x00<\x00?": "utf-16-be",
                 b"<\x00?\x00": "utf-16-le", b"Lo\xa7\x94": "cp037"}
_FOREIGN: Final = frozenset((b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff", b"\x00\x00\x00<", b"<\x00\x00\x00", b"Lo\xa7\x94"))
_DECLARED: Final = re.compile(rb"^(?:\xef\xbb\xbf)?\s*<\?xml\s[^>]{0,200}?encoding\s*=\s*[\"']([A-Za-z][\w.:\-]{0,39})[\"']")


def _transcode(data: bytes) -> tuple[str, str] | None:
    """(text, codec) for a document in an encoding expat refuses or misreads (UTF-7, UTF-32, EBCDIC, Shift_JIS…) that
    Python's codecs know, or None."""
    import codecs
    if data[:4] in (b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff"):
        name = "utf-32"
    elif data[:4] in _SNIFF:
        name = _SNIFF[data[:4]]
    else:
        m = _DECLARED.match(data)
        if not m:
            return None
        name = m.group(1).decode("ascii")
    try:
        codec = codecs.lookup(name).name
        text = data.decode(codec, "replace")
    except (LookupError, ValueError):        # unknown, or a bytes-to-bytes codec (`base64`) named as an encoding
        return None
    if codec == "cp037" or codec.startswith("utf-32"):
        # the declaration names the encoding the bytes are already in; the text handed to expat is UTF-8
        text = re.sub(r"^\ufeff?(<\?xml\s[^>]*?)\sencoding\s*=\s*[\"'][^\"']*[\"']", r"\1", text, count=1)
    return text, codec


def parse(ex: Extraction, path: list[PathItem], data: bytes, depth: int = 0) -> bool:
    """Feed `data` to expat; whatever parsed before an error is kept. Returns True when the document was well-formed.
    A document expat cannot decode is decoded with Python's codecs and parsed as text; one in UTF-7 (an encoding no
    XML producer picks, used to hide markup from filters) also yields its declaration as a point."""
    # UTF-32 and EBCDIC documents expat would reject at the first byte go straight to the codecs
    if data[:4] not in _FOREIGN:
        try:
            return _parse(ex, path, data, depth)
        except (ValueError, LookupError):    # "multi-byte encodings are not supported" (expat knows no UTF-7), or
            pass                             # a declared `base64`/`rot13` that pyexpat looks up and cannot use
    decoded = _transcode(data[:ex.limits.max_decoded])
    if decoded is None:
        return False
    text, codec = decoded
    if codec == "utf-7":
        ex.add(path + ["xml_decl"], f'<?xml encoding="{codec}"?>', depth + 1, decode=False)
    try:
        return _parse(ex, path, text, depth)
    except (ValueError, LookupError):
        return False


class _Full(Exception):
    """Raised from a parser callback when the request holds all the points it may (Extraction.full)."""


def _long_tag(data: bytes | str, longest: int) -> int:
    """Where the first start tag longer than `longest` characters begins, or -1."""
    n, span = len(data), longest + 1
    gt: bytes | str = b">" if isinstance(data, bytes) else ">"
    pos = 0
    while pos + span <= n:
        # every run of `span` characters holds a `>`: no tag that long (a memrchr per window, no regex on the document)
        last = data.rfind(gt, pos, pos + span)  # type: ignore[arg-type]
        if last < 0:
            break
        pos = last + 1
    else:
        return -1
    # a run that long without `>` from `pos` on (each window before it held one): a start tag, or element text or a
    # comment, which the pattern tells apart (for another max_value than the default: compiled once, then re's cache)
    if isinstance(data, bytes):
        mb = (_LONG_TAG_BYTES if longest == _LONGEST else re.compile((_TAG_RUN % longest).encode())).search(data, pos)
        return mb.start() if mb is not None else -1
    ms = (_LONG_TAG if longest == _LONGEST else re.compile(_TAG_RUN % longest)).search(data, pos)
    return ms.start() if ms is not None else -1


def _parse(ex: Extraction, path: list[PathItem], data: bytes | str, depth: int = 0) -> bool:
    cut = _long_tag(data, 2 * ex.limits.max_value)
    if cut >= 0:
        # the document is read up to that tag; what follows stays in the raw body point, and the request is reported
        ex.over("value_size")
        data = data[:cut]
    stack: list[str] = []
    entities: dict[str, str] = {}   # internal general entities as declared
    refs: Counter = Counter()        # references to them in element text
    text: list[str] = []
    held = [0]                       # characters in `text` (a sum over it per piece was quadratic in `&amp;` runs)
    p = expat.ParserCreate()
    # text in pieces of up to 8 KB, not one per entity reference or line (a million calls for 4 MB of `&amp;`)
    p.buffer_text = True
    # Never fetch or expand external entities; we only want to *see* their declarations.
    p.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)

    def flush() -> None:
        if text:
            t = "".join(text).strip()
            text.clear()
            held[0] = 0
            if t:
                ex.add(path + ["tag", stack[-1] if stack else "_"], t, depth + 1)

    def start(name: str, attrs: dict) -> None:
        flush()
        if ex.full():
            raise _Full  # (the rest of the document would only be refused point by point)
        stack.append(name)
        if len(stack) > ex.limits.max_depth:
            ex.over("depth")
        if not name.replace("-", "").replace("_", "").replace(":", "").isalnum():
            ex.add(path + ["tag", name, "#key"], name, depth + 1)
        for k, v in attrs.items():
            if ex.full():
                raise _Full
            if (k == "xmlns" or k.startswith("xmlns:")) and _NAMESPACE_URI.match(v):
                continue  # a namespace name: an identifier that is never fetched (schemaLocation, xi:include are)
            ex.add(path + ["attr", name, k], v, depth + 1)
            if not k.replace("-", "").replace("_", "").replace(":", "").isalnum():
                ex.add(path + ["attr", name, k, "#key"], k, depth + 1)

    def end(name: str) -> None:
        flush()
        if stack:
            stack.pop()

    def chars(data: str) -> None:
        if held[0] < ex.limits.max_value:
            text.append(data)
            held[0] += len(data)
        elif data:
            ex.over("value_size")  # the text past the limit is dropped here, so `add` would not see it was longer

    def unexpanded(data: str) -> None:
        # a reference to an internal entity, kept as written: expanding it is how "billion laughs" eats CPU and memory
        if data[:1] == "&" and data[-1:] == ";":
            refs[data[1:-1]] += 1
            chars(data)

    def comment(data: str) -> None:
        if ex.full():
            raise _Full
        ex.add(path + ["comment"], data, depth + 1)

    def pi(target: str, data: str) -> None:
        if ex.full():
            raise _Full
        ex.add(path + ["pi", target], data, depth + 1)

    def doctype(name, sysid, pubid, internal) -> None:
        ex.add(path + ["dtd"], " ".join(x for x in (name, pubid, sysid) if x), depth + 1)

    def entity(name, is_param, value, base, sysid, pubid, notation) -> None:
        if ex.full():
            raise _Full  # (200,000 declarations in 4 MB were 0.5 s of callbacks)
        if value is not None and not is_param:
            entities[name] = value
        ex.add(path + ["dtd_entity", name], " ".join(x for x in (value, pubid, sysid) if x is not None)
               + (" SYSTEM" if sysid else ""), depth + 1)

    p.StartElementHandler = start
    p.EndElementHandler = end
    p.CharacterDataHandler = chars
    p.DefaultHandler = unexpanded  # (setting it turns expat's expansion of internal general entities off)
    p.CommentHandler = comment
    p.ProcessingInstructionHandler = pi
    p.StartDoctypeDeclHandler = doctype
    p.EntityDeclHandler = entity
    try:
        p.Parse(data, True)
        ok = cut < 0
    except expat.ExpatError:
        ok = False
    except _Full:
        # well-formed as far as it was read, and the limit is reported (`params`, `cpu_budget`); a document cut at a
        # long tag still hands its body on as a raw point, as the comment at the cut says
        ok = cut < 0
    except RecursionError:
        ex.over("depth")
        ok = False
    flush()
    # what the document would become in a parser that expands entities: more than the decoded-size budget, or past
    # 64 KiB and 20 times the document (a 5-level billion laughs: 600 bytes to 300 kB; 60 copies of a 2 kB entity);
    # or, whatever the size, the shape of a bomb — an entity multiplying one that multiplies another (a probe)
    if entities and (refs or len(entities) > 1):
        size = expansion_size(entities, refs, ex.limits.max_decoded) if refs else 0
        if size >= ex.limits.max_decoded or size >= max(_AMPLIFIED_FLOOR, _AMPLIFICATION * len(data)) \
                or _multiplier_chain(entities):
            ex.over("entity_expansion")
    return ok
