"""XML parser (expat, no entity resolution): element text, attributes, comments, PIs, DTD and entity declarations."""
from __future__ import annotations

from xml.parsers import expat

from sensor.points import Extraction, PathItem


def parse(ex: Extraction, path: list[PathItem], data: bytes, depth: int = 0) -> bool:
    """Feed `data` to expat; whatever parsed before an error is kept. Returns True when the document was well-formed."""
    stack: list[str] = []
    text: list[str] = []
    p = expat.ParserCreate()
    # Never fetch or expand external entities; we only want to *see* their declarations.
    p.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)

    def flush() -> None:
        if text:
            t = "".join(text).strip()
            text.clear()
            if t:
                ex.add(path + ["tag", stack[-1] if stack else "_"], t, depth + 1)

    def start(name: str, attrs: dict) -> None:
        flush()
        stack.append(name)
        if len(stack) > ex.limits.max_depth:
            ex.over("depth")
        if not name.replace("-", "").replace("_", "").replace(":", "").isalnum():
            ex.add(path + ["tag", name, "#key"], name, depth + 1)
        for k, v in attrs.items():
            ex.add(path + ["attr", name, k], v, depth + 1)
            if not k.replace("-", "").replace("_", "").replace(":", "").isalnum():
                ex.add(path + ["attr", name, k, "#key"], k, depth + 1)

    def end(name: str) -> None:
        flush()
        if stack:
            stack.pop()

    def chars(data: str) -> None:
        if sum(len(t) for t in text) < ex.limits.max_value:
            text.append(data)

    def unexpanded(data: str) -> None:
        # a reference to an internal entity, kept as written: expanding it is how "billion laughs" eats CPU and memory
        if data[:1] == "&" and data[-1:] == ";":
            chars(data)

    def comment(data: str) -> None:
        ex.add(path + ["comment"], data, depth + 1)

    def pi(target: str, data: str) -> None:
        ex.add(path + ["pi", target], data, depth + 1)

    def doctype(name, sysid, pubid, internal) -> None:
        ex.add(path + ["dtd"], " ".join(x for x in (name, pubid, sysid) if x), depth + 1)

    def entity(name, is_param, value, base, sysid, pubid, notation) -> None:
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
        ok = True
    except expat.ExpatError:
        ok = False
    except RecursionError:
        ex.over("depth")
        ok = False
    flush()
    return ok
