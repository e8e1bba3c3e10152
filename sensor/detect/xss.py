"""Cross-site scripting: an HTML tag/attribute tokenizer plus JavaScript-URI and JS-context breakout checks."""
from __future__ import annotations

import re

from sensor.detect.base import Finding
from sensor.points.decoders import html_decode

TYPE = "xss"

TRIGGERS = [
    r"<\s*/?\s*[a-z!?%]", r"\bon[a-z]{3,}\s*=", r"(?:java|vb|live|ecma|moz-?)script\s*:", r"j\s*a\s*v\s*a\s*s", r"data\s*:[^,]*(?:html|svg|xml|javascript|base64)",
    r"\b(?:alert|prompt|confirm|eval|settimeout|setinterval|execscript|fromcharcode|atob|import)\b", r"\bdocument\s*\.", r"\bwindow\s*\.",
    r"expression\s*\(", r"-moz-binding", r"behavior\s*:", r"\+ad[w0-9]-", r"&#", r"\\u00", r"\\x3c", r"\{\{", r"\blocation\s*[.=]",
    r"\b(?:innerhtml|outerhtml|srcdoc|formaction|xlink:href|constructor|__proto__)\b", r"@import", r"`",
    r"\bself\s*\[", r"\btop\s*\[", r"\bthis\s*\[", r"<\s*!\[cdata", r"\bfetch\s*\(", r"\bdocument\b",
    r"&(?:tab|newline|colon|lpar|rpar|lt|gt|quot|apos|grave|sol|bsol|period);", r"!\s*\[\s*\]", r"\.\s*(?:call|apply|bind)\s*`",
    r"\bimport\s*\{", r"^\s*--!?>\s*$", r"[\xbc\xbe]", r"\xed\xb2[\xbc\xbe]", r"\xd0[\xbc\xbe]", r"url\s*\(",
]

_DANGER_TAGS = {"script", "iframe", "frame", "frameset", "object", "embed", "applet", "svg", "math", "base", "link",
                "meta", "style", "form", "isindex", "xss", "import", "template", "portal", "xml", "animate", "set",
                "handler", "listener", "vmlframe", "layer", "ilayer", "bgsound", "html", "body", "img", "image", "video",
                "audio", "source", "input", "button", "details", "marquee", "textarea", "select", "keygen", "a", "div",
                "table", "td", "x", "math", "maction", "foreignobject", "use", "animatetransform", "animatemotion",
                "feimage", "xmp", "plaintext", "noscript", "noembed", "title", "picture", "track", "map", "area", "svg:svg"}
_URL_ATTRS = {"src", "href", "action", "formaction", "data", "background", "dynsrc", "lowsrc", "code", "codebase",
              "xlink:href", "to", "from", "values", "poster", "srcdoc", "content", "style", "ping", "value", "by",
              "attributename", "folder", "sandbox", "classid", "archive", "profile", "longdesc", "usemap", "cite",
              "manifest", "icon", "srcset", "imagesrcset", "xmlns", "datasrc", "dataformatas", "datafld"}
_TAG = re.compile(r"<\s*(/?)\s*([a-z][a-z0-9:_\-]*|!--|!doctype|!\[cdata\[|\?[a-z]*|%)", re.I)
_ATTR = re.compile(r"""[\s/"']*([^\s/>"'=]+)(?:\s*=\s*("[^"]*"?|'[^']*'?|`[^`]*`?|[^\s>]*))?""", re.S)
_EVENT_ATTR = re.compile(r"""(?:^|[\s"'`/;])on[a-z]{3,48}\s*=\s*[^\s=]|(?:^|[\s"'`;])on[a-z]{3,48}\s*=\s*$""", re.I)
_JS_URI = re.compile(r"^\W*(?:java|vb|live|ecma|moz-?)script:|^\W*data:[^,]*(?:text/html|image/svg|application/xhtml|text/xml|javascript|text/javascript)", re.I)
_JS_SINK = re.compile(
    r"\b(?:alert|prompt|confirm|eval|settimeout|setinterval|execscript|function|fetch|open|importscripts|write|writeln)\s*(?:\(|`)|"
    r"\bstring\s*\.\s*fromcharcode|document\s*\.\s*(?:cookie|write|writeln|location|domain|body|createelement|forms)|"
    r"\bwindow\s*\.\s*(?:location|open|name|eval)|\blocation\s*\.\s*(?:href|hash|replace|assign)|\blocation\s*=|"
    r"\.\s*(?:innerhtml|outerhtml)\s*=|\b(?:top|self|parent|window|this|globalthis|frames)\s*\[\s*['\"`]|"
    r"\bconstructor\s*\.\s*constructor\s*\(|\bconstructor\s*\(|\bnew\s+function\b|\batob\s*\(|\bimport\s*\(|"
    r"\$\.(?:getscript|globaleval|ajax)|document\s*\)?\s*\[\s*['\"`](?:cookie|write|location|domain)|\.\s*(?:call|apply|bind)\s*`|\$\{\s*(?:alert|prompt|confirm|eval)\s*\}|\bxmlhttprequest\b|\bnavigator\s*\.\s*sendbeacon", re.I)
_CSS = re.compile(r"expression\s*\(|-moz-binding\s*:|behaviou?r\s*:\s*url|(?:^|[\s;\"'])binding\s*:\s*url|@import\s*['\"u(]|url\s*\(\s*['\"]?\s*(?:java|vb)script\b", re.I)
_KNOWN_EVENT = re.compile(r"on(?:load|unload|error|click|dblclick|mouse\w+|pointer\w+|focus\w*|blur|key\w+|change|submit|reset|"
                          r"select|input|invalid|abort|drag\w*|drop|scroll|resize|wheel|copy|cut|paste|toggle|begin|end|"
                          r"animation\w+|transition\w+|hashchange|popstate|message|pageshow|pagehide|beforeunload|"
                          r"contextmenu|touch\w+|play\w*|pause|seek\w*|canplay\w*|ended|loadstart|progress|show|"
                          r"afterprint|beforeprint|readystatechange|start|finish|bounce|auxclick|beforeinput|search|"
                          r"formdata|securitypolicyviolation|activate|deactivate|beforeactivate|filterchange|zoom)$")
_SPACED_TAG = re.compile(r"<\s*((?:[a-z]\s+){2,}[a-z])\b", re.I)
_JSFUCK = re.compile(r"!\s*!\s*\[\s*\]|\(\s*!\s*\[\s*\]\s*\+?\s*\[\s*\]\s*\)|\[\s*\]\s*\[\s*\(\s*!\s*\[")
_ES_IMPORT = re.compile(r"\bimport\s*(?:\{[^}]*\}|\*\s*as\s+\w+|\w+)\s*from\s*['\"`]")
_ATTR_BREAKOUT = re.compile(r"[\"'`]\s*/?\s*(?:formaction|srcdoc|xlink:href|dynsrc|lowsrc|onbegin|onend|ontoggle)\s*=", re.I)
_COMMENT_CLOSE = re.compile(r"^\s*--!?>\s*$")
# Non-ASCII characters whose low 7 bits are `<` or `>` (BMP; the same test the 7-bit fold below applies).
_HIGHBIT_ANGLE = re.compile("[" + "".join(chr(b + c) for b in range(0x80, 0x10000, 0x80) for c in (0x3C, 0x3E)
                                          if not 0xD800 <= b + c < 0xE000) + "]")
_HIGHBIT = {0xBC: "<", 0xBE: ">", 0xA2: '"', 0xA7: "'"}
_LOOSE_ENTITIES = re.compile(r"&(tab|newline|colon|lpar|rpar|sol|period);", re.I)
_LOOSE_MAP = {"tab": "\t", "newline": "\n", "colon": ":", "lpar": "(", "rpar": ")", "sol": "/", "period": "."}
_JS_COMMENT = re.compile(r"/\*.*?\*/", re.S)
_UTF7 = re.compile(r"\+ad[w0-9]-", re.I)
_CTRL = re.compile(r"[\x00-\x20\x7f]+")
_TEMPLATE = re.compile(r"\{\{.*(?:constructor|\$on|\$eval|alert|\[\s*['\"]|\bthis\b|\bdocument\b|\bwindow\b).*\}\}", re.I | re.S)


def _uri_is_script(v: str) -> bool:
    if "&" in v:
        v = _LOOSE_ENTITIES.sub(lambda m: _LOOSE_MAP[m.group(1).lower()], v)
    v = html_decode(v)
    v = _CTRL.sub("", v)
    return _JS_URI.search(v) is not None


_ATTR_BUDGET = 64 << 10


def _scan_tags(s: str) -> tuple[float, str]:
    best = (0.0, "")
    budget = _ATTR_BUDGET  # characters of attribute text parsed per value: `<a <a <a …` must not cost n² time
    for m in _TAG.finditer(s):
        closing, name = m.group(1), m.group(2).lower()
        if name == "!--":
            continue
        if name.startswith("!doctype") or name.startswith("![cdata["):
            if s.find("<", m.end()) >= 0 and ("script" in s or "on" in s):
                best = max(best, (0.6, "xss:cdata"))
            continue
        if name in ("?import", "?xml:namespace") or name.startswith("?xml") and "namespace" in s[m.end():m.end() + 20]:
            best = max(best, (0.8, "xss:html_component"))
            continue
        if name.startswith("?") or name == "%":
            continue
        if closing:
            if name in ("html", "body", "head", "script", "iframe", "frameset", "svg", "xml", "object", "style") and s.find(">", m.end()) >= 0:
                best = max(best, (0.55, "xss:html_tag"))
            if name in ("script", "style", "title", "textarea", "iframe", "noscript", "xmp", "svg") and s.find("<", m.end()) >= 0:
                best = max(best, (0.85, "xss:close_tag_breakout"))
            continue
        end = s.find(">", m.end())
        attrs_txt = s[m.end(): min(end if end >= 0 else len(s), m.end() + 2000, m.end() + max(budget, 0))]
        budget -= len(attrs_txt)
        if name == "script":
            best = max(best, (0.97, "xss:script_tag"))
            continue
        known = name in _DANGER_TAGS or name.split(":")[-1] in _DANGER_TAGS
        has_event = False
        for am in _ATTR.finditer(attrs_txt):
            an = am.group(1).lower()
            av = am.group(2) or ""
            if av[:1] in ("'", '"', "`"):
                av = av[1:-1] if len(av) > 1 and av[-1] == av[0] else av[1:]
            if an.startswith("on") and len(an) > 4 and am.group(2) is not None:
                has_event = True
            elif an in _URL_ATTRS or an.endswith(":href"):
                if _uri_is_script(av):
                    best = max(best, (0.95, "xss:script_uri_attr"))
                if an == "style" and _CSS.search(av):
                    best = max(best, (0.9, "xss:css_expression"))
                if an == "srcdoc" and "<" in html_decode(av):
                    best = max(best, (0.9, "xss:srcdoc"))
                if an == "content" and name == "meta" and "url" in av.lower():
                    best = max(best, (0.8, "xss:meta_refresh"))
            elif an in ("datasrc", "datafld", "dataformatas"):
                best = max(best, (0.8, "xss:data_binding"))
            elif an == "style" and _CSS.search(av):
                best = max(best, (0.9, "xss:css_expression"))
        if has_event:
            best = max(best, (0.95 if known or end >= 0 else 0.85, "xss:event_handler"))
        elif name.split(":")[-1] in ("iframe", "frame", "frameset", "object", "embed", "applet", "base", "isindex", "vmlframe",
                      "portal", "import", "handler", "layer", "ilayer", "bgsound"):
            best = max(best, (0.85, "xss:dangerous_tag"))
        elif name in ("svg", "math", "meta", "link", "style", "form", "xss", "template", "set", "animate") and (end >= 0 or attrs_txt.strip()):
            best = max(best, (0.75 if name != "style" else 0.8, "xss:dangerous_tag"))
        elif known and end >= 0 and name in ("img", "image", "video", "audio", "body", "input", "details", "marquee", "xmp",
                                             "plaintext", "textarea", "select", "button", "keygen", "source") and attrs_txt.strip():
            best = max(best, (0.55, "xss:html_tag"))
        elif end >= 0 and name in ("html", "body", "head", "xml", "title"):
            best = max(best, (0.55, "xss:html_tag"))
        elif end >= 0 and name in ("a", "div", "img", "table", "td", "p", "b", "i", "u", "h1", "span", "font") and not attrs_txt.strip():
            best = max(best, (0.4, "xss:html_tag"))
    return best


# A script scheme followed only by English words: no call, assignment, quote, operator or member access.
_PROSE_URI = re.compile(r"^\s*(?:java|vb)script:\s+[a-z]+(?:[ ,]+[a-z]+)+[.!?]?\s*$")
# `Confirm (yes/no)`: a sink name, a space, then a parenthesised label of words: a call needs code as its argument.
_PROSE_CALL = re.compile(r"[a-z]+\s+\(\s*[a-z]+(?:\s*[/ ]\s*[a-z]+)*\s*\)\s*[.!?]?\s*$")
_WORD_AFTER = re.compile(r"\s+[a-z]{2,}\b(?!\s*[(=.\[`])")
_WORD_BEFORE = re.compile(r"\b[a-z]{2,}\s+$")


def _close_call(low: str, start: int) -> int:
    """Index after the `)` closing the call whose `(` is just before `start`, or -1."""
    depth = 1
    for k in range(start, min(len(low), start + 512)):
        c = low[k]
        if c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
            if depth == 0:
                return k + 1
    return -1


def _prose_around(low: str, m: re.Match) -> bool:
    """A sink in running text: an English word follows it (after the call's `)` for a call) with no code syntax
    around (`window.location.href` ends the value; `eval(uate) this proposal` continues as a sentence)."""
    end = m.end()
    if low[end - 1:end] == "(":
        end = _close_call(low, end)
        if end < 0:
            return False
    else:
        while end < len(low) and (low[end].isalnum() or low[end] in "._"):
            end += 1  # `window.location.href`: the rest of the member chain
    tail = low[end:]
    if any(c in tail for c in "();=+{}[]`"):
        return False
    return bool(_WORD_AFTER.match(tail)) or bool(_WORD_BEFORE.search(low[:m.start()])) and (not tail.strip() or tail[:1] in " .,!?")


def analyze(value: str, in_path: bool = False) -> Finding | None:
    """`in_path`: the value is a URL path, which reaches a page as text or an href; a JS sink there needs markup, a
    quote or a script URI around it to run."""
    s = value
    low = s.lower()
    best = (0.0, "")
    if "<" in s:
        best = max(best, _scan_tags(s))
        if best[0] < 0.8 and _SPACED_TAG.search(s):
            name = re.sub(r"\s+", "", _SPACED_TAG.search(s).group(1)).lower()
            if name in _DANGER_TAGS or name in ("form", "dialog", "script"):
                best = max(best, (0.8, "xss:spaced_tag"))
    if "&" in s and "<" in html_decode(s) and best[0] < 0.9:
        dec = html_decode(s)
        best = max(best, _scan_tags(dec))
    if _uri_is_script(s):
        if not _PROSE_URI.match(low):  # `javascript: the good parts` is a book title, not a URI with code
            best = max(best, (0.9, "xss:script_uri"))
    elif ":" in low and "script" in _CTRL.sub("", html_decode(low)) and _uri_is_script(html_decode(low)):
        best = max(best, (0.9, "xss:script_uri"))
    if "on" in low and _EVENT_ATTR.search(low):
        # attribute breakout: a quote or tag end before an event handler
        m = _EVENT_ATTR.search(low)
        pre = low[: m.start() + 1]
        name = re.match(r"[\s\"'`/;]*(on[a-z]+)", low[m.start():]).group(1)
        known = _KNOWN_EVENT.match(name) is not None or name.startswith("onwebkit")
        if any(q in pre for q in ('"', "'", "`", "/", ">")) and (known or "=" in low[m.end():] or "(" in low[m.end():]):
            best = max(best, (0.9, "xss:attribute_breakout"))
        elif known:
            best = max(best, (0.75, "xss:event_attr"))
        elif any(q in pre for q in ('"', "'", "`")):
            best = max(best, (0.6, "xss:event_attr"))
    if best[0] < 0.55 and "-->" in low and _COMMENT_CLOSE.match(low):
        best = (0.55, "xss:comment_breakout")  # a bare `-->`: probing for an HTML comment context to leave
    if best[0] < 0.8 and _ATTR_BREAKOUT.search(low):
        best = max(best, (0.8, "xss:attribute_breakout"))  # '" formaction=' : leave the value, add a script-bearing attribute
    if "/*" in low:
        low = _JS_COMMENT.sub("", low)
    sink = _JS_SINK.search(low) if best[0] < 0.85 else None
    if sink:
        pre = low[: sink.start()]
        context = any(c in pre for c in "'\";`") or "<" in low or "javascript" in low
        if not context and (in_path or _prose_around(low, sink) or _PROSE_CALL.match(low, sink.start())):
            pass  # `document.cookie explained`, `/docs/document.cookie`: naming the API, not calling it
        elif context or sink.start() == 0:
            best = max(best, (0.85, "xss:js_sink"))
        else:
            best = max(best, (0.6, "xss:js_sink"))
    if _CSS.search(low):
        best = max(best, (0.8, "xss:css_expression"))
    if _UTF7.search(low):
        best = max(best, (0.85, "xss:utf7"))
    if "[]" in low.replace(" ", "") and _JSFUCK.search(low):
        best = max(best, (0.85, "xss:jsfuck"))
    if "import" in low and _ES_IMPORT.search(low):
        best = max(best, (0.7, "xss:module_import"))
    if best[0] < 0.9 and not s.isascii() and _HIGHBIT_ANGLE.search(s):
        # 7-bit truncation: ¼script¾ is <script> to a filter that drops the high bit
        folded = "".join(chr(ord(c) & 0x7F) if ord(c) > 0x7F and (ord(c) & 0x7F) in (0x3C, 0x3E, 0x22, 0x27) else c for c in s)
        if folded != s:
            best = max(best, _scan_tags(folded))
    if "{{" in low and _TEMPLATE.search(low):
        best = max(best, (0.85, "xss:template_injection"))
    if best[0] <= 0:
        return None
    return Finding(TYPE, best[1], best[0])
