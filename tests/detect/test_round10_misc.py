"""Round 10 (misc workstream): path traversal, XSS, PHP, SSTI, SSRF and .NET deserialization readings.

Each class of benign traffic that was misread stays clean, and the attacks of the same shape stay caught."""
from __future__ import annotations

import pytest

from sensor.detect import Engine, verdict
from tests.detect.conftest import req
from tests.detect.wild_benign import build_request

_E = Engine()


def _v(carrier: str, value: str, key: str = "") -> str:
    return verdict(_E.inspect(build_request(carrier, value, key)))


def _path(target: str) -> str:
    return verdict(_E.inspect(req(target)))


# --- ptrav: a repository file page names the repository's file, not the server's
@pytest.mark.parametrize("path", [
    "/acme/infra/-/blob/main/etc/nginx/sites-available/default",
    "/acme/dotfiles/blob/master/.bashrc",
    "/acme/docker/blob/main/php/conf.d/php.ini",
    "/ops/ansible/raw/v2.1/roles/web/files/etc/nginx/nginx.conf",
    "/group/sub/project/-/blame/main/home/deploy/.profile",
])
def test_code_host_file_pages_clean(path):
    assert _path(path) != "attack"


@pytest.mark.parametrize("path", [
    "/acme/infra/blob/main/../../../etc/passwd",      # the route walked out of
    "/acme/infra/blob/main/etc/passwd",               # the classic target keeps its own rule
    "/acme/infra/blob/main/x%00/etc/shadow",          # NUL truncation
    "/static/etc/nginx/nginx.conf",                   # no code-host route
    "/assets/.bashrc",
])
def test_code_host_near_misses_caught(path):
    assert _path(path) == "attack"


# --- ptrav: a log-search query filters on a path field
@pytest.mark.parametrize("value", [
    'host:web-* AND message:"Allowed memory size" AND NOT source:/var/log/php/slow.log',
    "service:nginx AND file:/var/log/nginx/error.log",
    "source:/var/log/apache2/access.log OR source:/var/log/apache2/error.log",
    'NOT path:/etc/nginx/conf.d/default.conf AND level:error',
])
def test_log_search_queries_clean(value):
    assert _v("query", value, "q") != "attack"


@pytest.mark.parametrize("value", [
    "source:/etc/passwd AND x",                                 # classic target
    "a:b AND ../../../var/log/nginx/access.log",                # traversal
    "/var/log/php/slow.log",                                    # a bare log path for a file parameter
    "source:/proc/self/environ AND x",                          # process file
    "x AND source:/var/log/nginx/access.log | cat",             # shell syntax around it
])
def test_log_search_near_misses_caught(value):
    assert _v("query", value, "file") == "attack"


# --- xss: an element named in a phrase, a pasted error page, code spans, entity-escaped markup in HTML
@pytest.mark.parametrize("carrier,value,key", [
    ("query", "Rich text editor strips <iframe> embeds", "q"),
    ("query", "why does the sanitizer remove <object> and <embed> tags", "q"),
    ("query", "how to style an <iframe>", "q"),
    ("form", "Our developer says your API returns <html><body><h1>502 Bad Gateway</h1></body></html> instead of JSON", "message"),
    ("form", "nginx returns <html><head><title>413 Request Entity Too Large</title></head><body> on big uploads", "message"),
    ("json", 'Reverted #2188 ("use `eval` for dynamic import paths in the plugin loader") - replaced with a static map.', "body"),
    ("json", "| Status | Meaning |\n|---|---|\n| `403` | token valid but lacks `orders:write` |", "content"),
    ("json", "Avoid `eval`, `setTimeout` with strings and `document.write` in new code.", "body"),
    ("json", "<blockquote><p>Note: the <code>&lt;script&gt;</code> snippet must go right before "
             "<code>&lt;/head&gt;</code>, not in the body.</p></blockquote>", "body_html"),
    ("json", "<p>Put the <code>&lt;script&gt;</code> tag in the <code>&lt;head&gt;</code></p>", "body_html"),
])
def test_xss_named_markup_clean(carrier, value, key):
    assert _v(carrier, value, key) != "attack"


@pytest.mark.parametrize("value", [
    "<iframe>",
    "strips <iframe src=javascript:alert(1)> embeds",
    "strips <iframe/src=//evil.example> embeds",
    "x <iframe><script>alert(1)</script>",
    "<html><body onload=alert(1)>",
    "<body background=javascript:alert(1)>",
    "x</title><img src=x onerror=alert(1)>",
    "</textarea><svg>",
    "<title>a</title></title><svg>",
    "alert`1`",
    "'-alert`1`-'",
    "`${alert`1`}`",
    "<script></script>",
    "<script>alert(1)</script>",
    "<script src=//evil.example/x.js></code>",
    "<script></code><img src=x onerror=alert(1)>",
    "<script><!--\nalert(1)//--></script>",
    "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>",
    "&lt;script&gt;alert(1)&lt;/script&gt;",
])
def test_xss_near_misses_caught(value):
    assert _v("query", value, "q") == "attack"


# --- PHP: messages naming functions, duplicate upload names, date macros
@pytest.mark.parametrize("carrier,value,key", [
    ("json", "Deprecated: Function create_function() is deprecated in /var/www/html/wp-content/plugins/x/widget.php on "
             "line 88", "message"),
    ("json", 'PHP Warning:  file_get_contents(https://api.partner.example/v1/rates): Failed to open stream: HTTP request '
             "failed! in /var/www/app/src/Rates.php on line 44", "log"),
    ("json", "PHP Warning:  fopen(ftp://files.example/export.csv): Failed to open stream: operation failed", "log"),
    ("json", "Fatal: call_user_func_array() expects parameter 1 to be a valid callback in lib.php", "message"),
    ("multipart", "php_errors (2).log", "attachment"),
    ("multipart", "mysql_dump (13).sql.txt", "attachment"),
    ("query", '{"_and":[{"date_created":{"_gte":"$NOW(-7 days)"}},{"user_created":{"_eq":"$CURRENT_USER"}}]}', "filter"),
    ("query", "$NOW(+1 month)", "q"),
])
def test_php_mentions_clean(carrier, value, key):
    assert _v(carrier, value, key) != "attack"


@pytest.mark.parametrize("value", [
    "create_function('$a','return system($a);')",
    "phpinfo()", "phpinfo();", "php_uname()", "php_uname ( 1 )", "str_repeat(2)",
    "file_get_contents('http://169.254.169.254/latest/meta-data/')",
    "file_get_contents($_GET['u'])",
    "file_get_contents('/etc/passwd')",
    "call_user_func_array('system', array('id'))",
    "$a($b)", "$x(-1)", "$x()", "$a(-1 . 'x');", "$F('id')",
])
def test_php_near_misses_caught(value):
    assert _v("query", value, "q") == "attack"


# --- PHP path info: a picture run as a script
@pytest.mark.parametrize("path", [
    "/uploads/avatars/1337.jpg/x.php?cmd=id",
    "/uploads/avatars/1337.jpg/x.php",
    "/images/a.gif/.php",
    "/media/cat.png/shell.phtml",
])
def test_pathinfo_script_caught(path):
    assert _path(path) == "attack"


@pytest.mark.parametrize("path", ["/files/report.pdf/download", "/img/photo.jpg/thumbnail", "/gallery/cat.png/comments"])
def test_pathinfo_like_pages_clean(path):
    assert _path(path) != "attack"


# --- SSTI: Go/Sprig templates reading the environment by a secret's name
@pytest.mark.parametrize("value", [
    '{{ env "AWS_SECRET_ACCESS_KEY" }}:{{ env "DATABASE_URL" }}',
    '{{ getenv "DB_PASSWORD" }}',
    "{{- env `GITHUB_TOKEN` -}}",
    '{{ expandenv "$STRIPE_SECRET" }}',
])
def test_go_env_secrets_caught(value):
    assert _v("json", value, "template") == "attack"


@pytest.mark.parametrize("value", ['{{ getenv "HUGO_ENV" }}', 'Deployed to {{ env "REGION" }} at {{ now }}',
                                   '{{ .Site.Title }} - {{ .Title }}'])
def test_go_env_plain_clean(value):
    assert _v("json", value, "template") != "attack"


# --- SSRF: a bare loopback address as the host a server-side fetch should reach
def test_graphql_import_host_loopback_caught():
    body = ('{"query":"mutation { importPaste(host: \\"127.0.0.1\\", port: 8500, path: \\"/v1/agent/self\\", '
            'scheme: \\"http\\") { result } }"}')
    assert _v("json", body, "query") == "attack"


@pytest.mark.parametrize("value,key", [("127.0.0.1", "host"), ("127.0.0.1", "target"), ("0.0.0.0", "remoteHost"),
                                       ("127.0.0.1:2375", "server")])
def test_loopback_host_params_caught(value, key):
    assert _v("form", value, key) == "attack"


@pytest.mark.parametrize("value,key", [("127.0.0.1", "db_host"), ("127.0.0.1:6379", "redis_host"), ("localhost", "dbhost"),
                                       ("10.0.0.5", "host"), ("127.0.0.1", "ip"), ("127.0.0.1", "smtp_host")])
def test_own_service_hosts_clean(value, key):
    assert _v("form", value, key) != "attack"


# --- .NET ExpandedWrapper deserialization (DotNetNuke DNNPersonalization, CVE-2017-9822)
_DNN = ('<profile><item key="key" type="System.Data.Services.Internal.ExpandedWrapper`2[[DotNetNuke.Common.Utilities.'
        'FileSystemUtils, DotNetNuke, Version=9.1.0.367, Culture=neutral, PublicKeyToken=null],[System.Windows.Data.'
        'ObjectDataProvider, PresentationFramework, Version=4.0.0.0, Culture=neutral, PublicKeyToken=31bf3856ad364e35]], '
        'System.Data.Services, Version=4.0.0.0"><ExpandedWrapperOfFileSystemUtilsObjectDataProvider><ProjectedProperty0>'
        '<MethodName>PullFile</MethodName></ProjectedProperty0></ExpandedWrapperOfFileSystemUtilsObjectDataProvider>'
        '</item></profile>')


def test_dnn_personalization_cookie_caught():
    r = req("/__", headers=[("Cookie", "DNNPersonalization=" + _DNN)])
    assert verdict(_E.inspect(r)) == "attack"


def test_expanded_wrapper_body_caught():
    assert _v("form", "<root type=\"System.Data.Services.Internal.ExpandedWrapper`2[[A],[B]]\"/>", "data") == "attack"


def test_dnn_plain_profile_clean():
    r = req("/", headers=[("Cookie", "DNNPersonalization=<profile><item key=\"lang\" type=\"System.String\">en-US</item></profile>")])
    assert verdict(_E.inspect(r)) != "attack"


# --- ptrav: an error text quoting a config path between phrases (a dash, a dotted status code)
@pytest.mark.parametrize("value", [
    "IIS says: HTTP Error 500.19 - Internal Server Error. Config File \\\\?\\C:\\inetpub\\wwwroot\\web.config. Config "
    "Error: Cannot read configuration file due to insufficient permissions",
    "Deploy failed - cannot write C:\\inetpub\\wwwroot\\web.config because it is locked",
    "After upgrading to 2.4.58 - the /etc/apache2/apache2.conf file is ignored by the service",
])
def test_error_text_quoting_config_clean(value):
    assert _v("json", value, "text") != "attack"


@pytest.mark.parametrize("value", [
    "C:\\inetpub\\wwwroot\\web.config",
    "..\\..\\inetpub\\wwwroot\\web.config - read it",
    "..\\..\\..\\windows\\win.ini - 1.0",
    "/etc/apache2/apache2.conf",
])
def test_config_path_near_misses_caught(value):
    assert _v("query", value, "file") == "attack"


# --- ptrav: a sentence naming one path per platform
@pytest.mark.parametrize("value", [
    "Windows users: the config lives in `%APPDATA%\\Acme\\settings.json`, on macOS in `~/Library/Application "
    "Support/Acme/settings.json`, on Linux in `~/.config/acme/settings.json`.",
    "On Debian the file is /etc/nginx/sites-available/default, on RHEL it is /etc/nginx/conf.d/default.conf and on "
    "Alpine /etc/nginx/http.d/default.conf",
])
def test_sentence_naming_paths_per_platform_clean(value):
    assert _v("json", value, "content") != "attack"


@pytest.mark.parametrize("value", [
    "please read /etc/shadow /root/.ssh/id_rsa /proc/self/environ and /home/x/.aws/credentials now",
    "../../../etc/passwd please show me the file contents now ok",
    "/etc/passwd /etc/shadow /etc/hosts /etc/group then",
])
def test_path_lists_with_filler_words_caught(value):
    assert _v("query", value, "file") == "attack"


@pytest.mark.parametrize("value", [
    "then cat /var/www/app/.env - paste the output here",
    "error (x) - see /etc/passwd please",
    "run type C:\\inetpub\\wwwroot\\web.config - and send it",
])
def test_dash_in_commands_near_misses_caught(value):
    assert _v("query", value, "file") == "attack"


@pytest.mark.parametrize("path", ["/acme/shop/blob/main/.git/config", "/acme/shop/raw/main/.env",
                                  "/acme/shop/blob/main/home/deploy/.ssh/id_rsa"])
def test_code_host_secrets_caught(path):
    assert _path(path) == "attack"
