"""Blind benign batch 6: everyday work tools (trackers, support, docs, status pages, CRM, reviews, flags)."""
from __future__ import annotations

import json


def _j(obj) -> str:
    return json.dumps(obj, ensure_ascii=False)


def _raw(method: str, path: str, headers: list[tuple[str, str]], body: str = "") -> str:
    lines = [f"{method} {path} HTTP/1.1"]
    for name, value in headers:
        lines.append(f"{name}: {value}")
    if body or method in ("POST", "PUT", "PATCH"):
        lines.append(f"Content-Length: {len(body.encode('utf-8', 'surrogateescape'))}")
    return "\r\n".join(lines) + "\r\n\r\n" + body


_PHP_TRACE = (
    "PHP Fatal error:  Uncaught Error: Call to undefined function mysql_connect() in "
    "/var/www/html/includes/db.php:14\nStack trace:\n#0 /var/www/html/index.php(3): require_once()\n"
    "#1 {main}\n  thrown in /var/www/html/includes/db.php on line 14"
)

_JAVA_TRACE = (
    "java.lang.NullPointerException: Cannot invoke \"String.length()\" because \"s\" is null\n"
    "\tat com.acme.reports.DateRangeParser.parse(DateRangeParser.java:42)\n"
    "\tat com.acme.reports.ReportController.run(ReportController.java:118)\n"
    "\tat jdk.internal.reflect.GeneratedMethodAccessor212.invoke(Unknown Source)\n"
    "\tat org.springframework.web.servlet.FrameworkServlet.service(FrameworkServlet.java:897)\n"
    "\tat javax.servlet.http.HttpServlet.service(HttpServlet.java:764)\n"
    "\t... 47 common frames omitted"
)

_PY_TRACE = (
    "Traceback (most recent call last):\n"
    "  File \"/srv/app/venv/lib/python3.11/site-packages/django/core/handlers/exception.py\", line 55, in inner\n"
    "    response = get_response(request)\n"
    "  File \"/srv/app/billing/views.py\", line 212, in invoice_pdf\n"
    "    html = render_to_string('billing/invoice.html', ctx)\n"
    "django.template.exceptions.TemplateDoesNotExist: billing/invoice.html"
)

_DOTNET_TRACE = (
    "System.Data.SqlClient.SqlException (0x80131904): Invalid column name 'TenantId'.\r\n"
    "   at System.Data.SqlClient.SqlConnection.OnError(SqlException exception, Boolean breakConnection, "
    "Action`1 wrapCloseInAction)\r\n"
    "   at System.Data.SqlClient.SqlDataReader.TryConsumeMetaData()\r\n"
    "   at Acme.Data.OrderRepository.GetOpenOrders(Int32 customerId) in "
    "C:\\build\\src\\Acme.Data\\OrderRepository.cs:line 87\r\n"
    "   at Acme.Web.Controllers.OrdersController.Index() in C:\\build\\src\\Acme.Web\\Controllers\\OrdersController.cs:line 31"
)

_NODE_TRACE = (
    "Error: connect ECONNREFUSED 127.0.0.1:6379\n"
    "    at TCPConnectWrap.afterConnect [as oncomplete] (node:net:1555:16)\n"
    "    at /app/node_modules/ioredis/built/Redis.js:170:41\n"
    "    at process.processTicksAndRejections (node:internal/process/task_queues:95:5) {\n"
    "  errno: -111,\n  code: 'ECONNREFUSED',\n  syscall: 'connect',\n  address: '127.0.0.1',\n  port: 6379\n}"
)

_RUBY_TRACE = (
    "ActiveRecord::StatementInvalid: PG::UndefinedColumn: ERROR:  column users.deleted_at does not exist\n"
    "LINE 1: SELECT \"users\".* FROM \"users\" WHERE \"users\".\"deleted_at\" IS NULL AND \"users\".\"id\" = $1 LIMIT $2\n"
    "                                           ^\n"
    "app/models/concerns/soft_deletable.rb:12:in `block in <module:SoftDeletable>'\n"
    "app/controllers/users_controller.rb:8:in `show'"
)

_GO_PANIC = (
    "panic: runtime error: invalid memory address or nil pointer dereference\n"
    "[signal SIGSEGV: segmentation violation code=0x1 addr=0x18 pc=0x6b2f1a]\n\n"
    "goroutine 1 [running]:\n"
    "main.(*Server).handle(0x0, {0x7f1c2, 0xc000123})\n"
    "\t/home/ci/go/src/github.com/acme/api/server.go:88 +0x3a\n"
    "exit status 2"
)

_DIFF = (
    "diff --git a/src/db.py b/src/db.py\n"
    "index 3f2a1c9..8b7e4d0 100644\n"
    "--- a/src/db.py\n"
    "+++ b/src/db.py\n"
    "@@ -10,7 +10,7 @@ def get_user(uid):\n"
    "     conn = pool.getconn()\n"
    "     cur = conn.cursor()\n"
    "-    cur.execute(\"SELECT * FROM users WHERE id = '%s'\" % uid)\n"
    "+    cur.execute(\"SELECT * FROM users WHERE id = %s\", (uid,))\n"
    "     row = cur.fetchone()\n"
    "     pool.putconn(conn)\n"
    "     return row\n"
)

_JUNIT = (
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    "<testsuites tests=\"3\" failures=\"1\" time=\"4.211\">\n"
    "  <testsuite name=\"EscapeHelperTest\" tests=\"3\" failures=\"1\" time=\"4.211\">\n"
    "    <testcase classname=\"EscapeHelperTest\" name=\"escapes ampersand\" time=\"0.004\"/>\n"
    "    <testcase classname=\"EscapeHelperTest\" name=\"escapes angle brackets\" time=\"0.003\">\n"
    "      <failure message=\"expected '&lt;b&gt;bold&lt;/b&gt;' to equal '&amp;lt;b&amp;gt;bold&amp;lt;/b&amp;gt;'\" "
    "type=\"AssertionError\">AssertionError: expected '&lt;b&gt;bold&lt;/b&gt;'\n"
    "    at Context.&lt;anonymous&gt; (test/escape.spec.js:22:31)</failure>\n"
    "    </testcase>\n"
    "    <testcase classname=\"EscapeHelperTest\" name=\"leaves plain text alone\" time=\"0.002\"/>\n"
    "  </testsuite>\n"
    "</testsuites>\n"
)

_SENTRY_ENVELOPE = (
    _j({"event_id": "9ec79c33ec9942ab8353589fcb2e04dc", "sent_at": "2024-03-12T10:15:42.118Z",
        "sdk": {"name": "sentry.javascript.react", "version": "7.91.0"},
        "dsn": "https://f3c2a1b0e9d84c7b9a6e5d4c3b2a1f00@o123456.ingest.sentry.io/4505678"}) + "\n"
    + _j({"type": "event"}) + "\n"
    + _j({"exception": {"values": [{"type": "TypeError",
                                    "value": "Cannot read properties of null (reading 'addEventListener')",
                                    "stacktrace": {"frames": [
                                        {"filename": "app:///static/js/main.8f3a1c.js", "function": "initMenu",
                                         "lineno": 1, "colno": 48213, "in_app": True}]}}]},
          "level": "error", "platform": "javascript", "release": "web@2.14.0",
          "request": {"url": "https://app.example.com/projects/42/board?view=kanban",
                      "headers": {"User-Agent": "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) "
                                                "AppleWebKit/537.36 (KHTML, like Gecko) Chrome/122.0.0.0 Safari/537.36"}},
          "breadcrumbs": {"values": [{"category": "ui.click", "message": "div.board-column > button#add-card"},
                                     {"category": "console", "level": "warning",
                                      "message": "Warning: Each child in a list should have a unique \"key\" prop."}]}})
    + "\n"
)

BLIND_BENIGN_6 = [
    # --- issue tracker search boxes (JQL, GitHub-style qualifiers, error text) ---
    ("query", "q", "Warning: mysql_fetch_array() expects parameter 1 to be resource, boolean given"),
    ("query", "jql", "project = WEB AND status != Done AND text ~ \"NullPointerException\" ORDER BY created DESC"),
    ("query", "jql", "assignee = currentUser() AND resolution = Unresolved order by updated DESC"),
    ("query", "jql", "labels in (regression, \"hotfix-2.3\") AND fixVersion = \"2.3.1\" AND priority >= High"),
    ("query", "jql", "project in (OPS, SRE) AND created >= -7d AND summary ~ \"502\" AND component is EMPTY"),
    ("query", "q", "is:issue is:open label:bug \"ORA-00942: table or view does not exist\""),
    ("query", "q", "SQLSTATE[23000]: Integrity constraint violation: 1062 Duplicate entry"),
    ("query", "q", "\"You have an error in your SQL syntax\" near 'ORDER BY position' at line 1"),
    ("query", "q", "TypeError: Cannot read properties of undefined (reading 'map')"),
    ("query", "q", "java.lang.OutOfMemoryError: GC overhead limit exceeded"),
    ("query", "q", "/etc/nginx/conf.d/default.conf"),
    ("query", "q", "Rich text editor strips <iframe> embeds"),
    ("query", "q", "is:pr is:merged author:@me base:release/2.x \"DROP COLUMN\""),
    ("query", "q", "assignee:@me priority:urgent -label:\"won't fix\""),
    ("query", "cql", "text ~ \"SSO\" and space = ENG and type = page order by lastmodified desc"),
    ("query", "query", "type:ticket status<solved tags:vip requester:*@example.org"),
    ("query", "q", "org:acme \"os.system(\" language:Python path:scripts/"),
    ("query", "q", "Uncaught (in promise) SyntaxError: Unexpected token '<', \"<!DOCTYPE \"... is not valid JSON"),
    ("query", "search", "C:\\Windows\\System32\\inetsrv\\config\\applicationHost.config"),
    ("query", "q", "ECONNRESET || ETIMEDOUT webhook"),

    # --- issue titles and descriptions (forms and JSON fields) ---
    ("form", "summary", "Checkout fails with \"Call to a member function getId() on null\" after upgrading to 2.4.6"),
    ("form", "summary", "Login page shows 'Invalid CSRF token' after session timeout"),
    ("form", "summary", "500 on /api/orders?status=pending&sort=-created_at"),
    ("form", "summary", "Search treats O'Brien as a syntax error (500 instead of results)"),
    ("json", "title", "Export to CSV breaks when product name contains a comma or double quote (\")"),
    ("json", "title", "Crash in -[ACMEFeedViewController tableView:cellForRowAtIndexPath:] on iOS 17.4"),
    ("json", "title", "Template shows literal {{ customer.first_name }} instead of the name in reminder emails"),
    ("json", "title", "Markdown preview renders <details> but drops <summary> text"),
    ("json", "title", "`npm run build` fails on Node 20: ERR_OSSL_EVP_UNSUPPORTED"),
    ("form", "description", "Steps to reproduce:\n1. Open /admin/reports\n2. Select date range > 90 days\n3. Click Run\n\n"
                            "Expected: report renders\nActual: blank page, log shows:\n\n{code}\n" + _JAVA_TRACE + "\n{code}"),
    ("json", "description", "Invoice PDF download is broken since yesterday's deploy.\n\n```\n" + _PY_TRACE + "\n```\n\n"
                            "Looks like the template dir moved in #1932."),
    ("json", "body", "Happens on every page load of the orders list for tenant 12:\n\n```\n" + _DOTNET_TRACE
                     + "\n```\n\nMigration `20240311_AddTenantId` was not applied on prod-eu."),
    ("json", "body", "Worker crashes on start in staging:\n\n```\n" + _NODE_TRACE + "\n```\n\nRedis pod was rescheduled; "
                     "`REDIS_URL` still points to localhost."),
    ("form", "description", "Profile page 500s for every user after the soft-delete PR.\n\n<pre>\n" + _RUBY_TRACE
                            + "\n</pre>\n\nNeed to run `bin/rails db:migrate` on prod."),
    ("json", "body", "API container restarts in a loop:\n\n```\n" + _GO_PANIC + "\n```"),
    ("form", "description", "Legacy shop on the old box still uses the mysql_* extension, PHP 7 removed it:\n\n"
                            + _PHP_TRACE),
    ("json", "description", "Customer reports on import:\n\nERROR 1064 (42000): You have an error in your SQL syntax; check "
                            "the manual that corresponds to your MySQL server version for the right syntax to use near "
                            "''' at line 1\n\nTheir CSV has an unescaped apostrophe in row 214 (\"Dunkin' Donuts\")."),
    ("json", "body", "Oracle side error from the nightly sync: ORA-01756: quoted string not properly terminated. "
                     "Source row: NOTE='Customer said \"call after 5\"'"),
    ("form", "comment", "pq: duplicate key value violates unique constraint \"users_email_key\"\nDETAIL:  Key (email)=(j.doe@example.com) already exists."),
    ("json", "body", "Msg 245, Level 16, State 1, Line 3\nConversion failed when converting the varchar value 'N/A' to data type int."),
    ("form", "comment", "Repro'd on 3.8.1. SQLite error: no such column: created_at (table was created before migration 0042)."),
    ("json", "description", "Regression after bumping log4j-core to 2.17.1: our custom `%X{requestId}` in PatternLayout prints "
                            "empty. Config:\n\n<PatternLayout pattern=\"%d{ISO8601} [%t] %-5level %logger{36} %X{requestId} - %msg%n\"/>"),

    # --- support tickets and customer chats ---
    ("form", "message", "Hi, after the update our homepage just shows: Warning: mysql_fetch_array() expects parameter 1 to "
                        "be resource, boolean given in /home/shopuser/public_html/catalog.php on line 57. Can you help?"),
    ("form", "message", "Fatal error: Allowed memory size of 134217728 bytes exhausted (tried to allocate 20480 bytes) in "
                        "/var/www/html/wp-includes/class-wpdb.php on line 2056"),
    ("form", "message", "my site is down!! it says Parse error: syntax error, unexpected '}' in /var/www/html/index.php on line 12"),
    ("json", "message", "Getting this at the top of every page: Deprecated: Function create_function() is deprecated in "
                        "/var/www/html/wp-content/plugins/slider-pro/includes/widget.php on line 88"),
    ("json", "message", "Warning: include(/var/www/html/templates/header.php): failed to open stream: No such file or "
                        "directory in /var/www/html/index.php on line 5"),
    ("json", "message", "Warning: Cannot modify header information - headers already sent by (output started at "
                        "/home/site/public_html/wp-config.php:1) in /home/site/public_html/wp-includes/pluggable.php on line 1435"),
    ("form", "body", "Chrome console shows: Access to fetch at 'https://api.example.com/v2/orders' from origin "
                     "'https://shop.example.com' has been blocked by CORS policy: No 'Access-Control-Allow-Origin' header "
                     "is present on the requested resource."),
    ("json", "text", "Console says: Refused to execute inline script because it violates the following Content Security "
                     "Policy directive: \"script-src 'self'\". Either the 'unsafe-inline' keyword, a hash "
                     "('sha256-...'), or a nonce ('nonce-...') is required to enable inline execution."),
    ("json", "text", "Mixed Content: The page at 'https://store.example.com/checkout' was loaded over HTTPS, but requested "
                     "an insecure script 'http://cdn.example.net/js/widget.js'. This request has been blocked; the content "
                     "must be served over HTTPS."),
    ("json", "text", "Uncaught ReferenceError: jQuery is not defined\n    at (index):45:1"),
    ("form", "message", "Uncaught TypeError: document.getElementById(...) is null  main.js:12:31 -- the Add to cart button does nothing"),
    ("json", "text", "After clicking Pay I get a white page that just says \"403 Forbidden\" and underneath nginx/1.18.0 (Ubuntu)"),
    ("json", "text", "cPanel file manager says: /home/user/public_html/.htaccess: Permission denied, how do I fix it?"),
    ("form", "message", "Windows says the file C:\\Program Files (x86)\\Acme\\Agent\\logs\\agent.log is in use by another process, "
                        "so the updater can't finish"),
    ("json", "text", "the link in the email goes to https://portal.example.com/reset?token=8f1e2d&uid=4821 and says \"expired\""),
    ("form", "message", "Our developer says your API returns <html><body><h1>502 Bad Gateway</h1></body></html> instead of JSON "
                        "around 9am every day"),
    ("json", "text", "Error code 0x80070005 (E_ACCESSDENIED) when the add-in tries to open \\\\fileserver\\shared\\Reports\\Q1.xlsx"),
    ("json", "text", "IIS says: HTTP Error 500.19 - Internal Server Error. Config File \\\\?\\C:\\inetpub\\wwwroot\\web.config. "
                     "Config Error: Cannot read configuration file due to insufficient permissions"),
    ("form", "message", "hi, can i change my username from john_doe\"1 to john.doe? the quote was a typo"),
    ("json", "text", "We're on PHP 8.1.2-1ubuntu2.14 (cli) (built: Aug 18 2023 11:41:11) ( NTS ) and Apache/2.4.57 (Debian) OpenSSL/3.0.11"),
    ("form", "message", "uname -a gives: Linux web01 5.15.0-97-generic #107-Ubuntu SMP Wed Feb 7 13:26:48 UTC 2024 x86_64 GNU/Linux"),
    ("json", "text", "Job for nginx.service failed because the control process exited with error code. See "
                     "\"systemctl status nginx.service\" and \"journalctl -xe\" for details."),
    ("json", "text", "docker: Error response from daemon: driver failed programming external connectivity on endpoint web "
                     "(a1b2c3d4e5): Bind for 0.0.0.0:80 failed: port is already allocated."),
    ("form", "message", "Your browser sent a request that this server could not understand. Size of a request header field "
                        "exceeds server limit. -- happens only when I'm logged in"),
    ("json", "text", "GET https://app.example.com/static/js/chunk-vendors.4f2a.js net::ERR_BLOCKED_BY_CLIENT — "
                     "I do have uBlock Origin, is that it?"),
    ("json", "text", "DOMException: Failed to execute 'postMessage' on 'DOMWindow': The target origin provided "
                     "('https://checkout.example.com') does not match the recipient window's origin ('null')."),
    ("form", "message", "mysql  Ver 8.0.36-0ubuntu0.22.04.1 for Linux on x86_64 ((Ubuntu)) -- is that supported?"),
    ("json", "text", "my password has a ' and a ; in it, the app says \"invalid characters\" — is that expected?"),

    # --- log lines pasted into tickets ---
    ("json", "log", "2024/03/12 10:15:42 [error] 1234#1234: *5678 upstream timed out (110: Connection timed out) while "
                    "reading response header from upstream, client: 203.0.113.7, server: shop.example.com, request: "
                    "\"GET /api/cart HTTP/1.1\", upstream: \"http://127.0.0.1:9000/api/cart\", host: \"shop.example.com\""),
    ("form", "log_excerpt", "203.0.113.7 - - [12/Mar/2024:10:15:42 +0000] \"POST /wp-login.php HTTP/1.1\" 200 4521 \"-\" "
                            "\"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/122.0 Safari/537.36\""),
    ("json", "log", "WARNING: [pool www] child 31337 said into stderr: \"PHP Warning:  file_get_contents(https://api.partner.example/v1/rates): "
                    "Failed to open stream: HTTP request failed! HTTP/1.1 429 Too Many Requests in /var/www/app/src/Rates.php on line 44\""),
    ("form", "log_excerpt", "Back-off restarting failed container api in pod api-7d9f8b6c5-x2kqp_prod(3f1e9a2b-7c1d-4e8a-9b0f-12ab34cd56ef)\n"
                            "Last State: Terminated  Reason: OOMKilled  Exit Code: 137"),
    ("json", "log", "Mar 12 10:15:42 web01 sshd[2211]: Failed password for invalid user admin from 198.51.100.23 port 51422 ssh2"),
    ("json", "log", "Faulting application name: w3wp.exe, version: 10.0.17763.1, time stamp: 0xcfdb13d8\nFaulting module name: "
                    "clr.dll, version: 4.8.4645.0\nException code: 0xc00000fd"),
    ("form", "log_excerpt", "level=error ts=2024-03-12T10:15:42.118Z caller=notifier.go:527 component=notifier "
                            "alertmanager=http://alertmanager:9093/api/v2/alerts msg=\"Error sending alert\" err=\"context deadline exceeded\""),
    ("json", "log", "{\"@timestamp\":\"2024-03-12T10:15:42.118Z\",\"level\":\"ERROR\",\"logger\":\"c.a.p.PaymentService\","
                    "\"message\":\"Refund failed for order 88213\",\"exception\":\"com.stripe.exception.InvalidRequestException: "
                    "Charge ch_3Otx has already been refunded.\"}"),
    ("body:text/plain", "logs", "2024-03-12 10:15:40,002 INFO  [main] o.a.c.c.StandardService - Starting service [Tomcat]\n"
                                "2024-03-12 10:15:41,877 WARN  [main] o.a.c.u.SessionIdGeneratorBase - Creation of SecureRandom "
                                "instance for session ID generation using [SHA1PRNG] took [1,612] milliseconds.\n"
                                "2024-03-12 10:15:42,118 ERROR [http-nio-8080-exec-3] o.a.c.c.C.[.[.[/].[dispatcherServlet] - "
                                "Servlet.service() for servlet [dispatcherServlet] threw exception\n" + _JAVA_TRACE + "\n"),
    ("body:application/x-ndjson", "ingest", _j({"ts": "2024-03-12T10:15:42Z", "svc": "checkout", "msg": "GET /api/cart?coupon=SPRING%2724 400"}) + "\n"
                                            + _j({"ts": "2024-03-12T10:15:43Z", "svc": "checkout", "msg": "validation failed: coupon must match ^[A-Z0-9-]{4,20}$"}) + "\n"),

    # --- config snippets and version strings in tickets / KB ---
    ("json", "body", "Here's our proxy block:\n\nlocation /api/ {\n    proxy_pass http://127.0.0.1:8080;\n    proxy_set_header Host $host;\n"
                     "    proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;\n    proxy_read_timeout 120s;\n}"),
    ("form", "message", "This is my .htaccess:\n\nRewriteEngine On\nRewriteCond %{REQUEST_FILENAME} !-f\nRewriteCond %{REQUEST_FILENAME} !-d\n"
                        "RewriteRule ^(.*)$ index.php?/$1 [L,QSA]"),
    ("form", "message", "Current php.ini on my plan:\nmemory_limit = 256M\nupload_max_filesize = 64M\nmax_execution_time = 60\n"
                        "disable_functions = exec,passthru,shell_exec,system,proc_open,popen\nCan you raise upload_max_filesize?"),
    ("json", "body", "Spring config that works locally:\n\nspring.datasource.url=jdbc:mysql://db:3306/app?useSSL=false&serverTimezone=UTC\n"
                     "spring.jpa.hibernate.ddl-auto=validate\nlogging.level.org.hibernate.SQL=DEBUG"),
    ("json", "body", "resources:\n  limits:\n    memory: \"512Mi\"\n    cpu: \"500m\"\n  requests:\n    memory: \"256Mi\"\n"
                     "livenessProbe:\n  httpGet:\n    path: /healthz\n    port: 8080"),
    ("form", "comment", "Backups run from cron: 0 2 * * * /usr/local/bin/backup.sh >> /var/log/backup.log 2>&1"),
    ("json", "body", "<VirtualHost *:443>\n  ServerName shop.example.com\n  DocumentRoot /var/www/html/public\n"
                     "  <Directory /var/www/html/public>\n    AllowOverride All\n    Require all granted\n  </Directory>\n</VirtualHost>"),
    ("json", "body", "APP_ENV=production\nAPP_DEBUG=false\nLOG_CHANNEL=stack\nQUEUE_CONNECTION=redis\nSESSION_DRIVER=cookie"),
    ("form", "environment", "Java(TM) SE Runtime Environment (build 17.0.9+11-LTS-201); Tomcat 9.0.85; Ubuntu 22.04.4 LTS"),
    ("json", "environment", "Microsoft-IIS/10.0, .NET Framework 4.8 (4.8.4645.0), SQL Server 2019 (15.0.4355.3)"),

    # --- knowledge base and docs pages saved by editors ---
    ("json", "body_html", "<h2>Steps</h2><ol><li>Go to <a href=\"/account/security\">Security</a></li><li>Click <strong>Reset "
                          "password</strong></li><li>Check your inbox (and spam folder)</li></ol>"),
    ("json", "body_html", "<p>Restart the web server and follow the error log:</p><pre><code class=\"language-bash\">sudo systemctl "
                          "restart nginx\nsudo tail -f /var/log/nginx/error.log</code></pre>"),
    ("json", "body_html", "<p>Watch the walkthrough:</p><p><iframe src=\"https://www.youtube-nocookie.com/embed/M7lc1UVf-VE\" "
                          "width=\"560\" height=\"315\" title=\"YouTube video player\" frameborder=\"0\" allow=\"accelerometer; "
                          "clipboard-write; encrypted-media; picture-in-picture\" allowfullscreen></iframe></p>"),
    ("json", "content", "To connect, set `DATABASE_URL=postgres://app:app@db:5432/app?sslmode=require` in your `.env` file, then "
                        "run `npm run migrate`."),
    ("json", "content", "## Troubleshooting\n\nIf you see `Error: EACCES: permission denied, open '/usr/local/lib/node_modules/.package-lock.json'`, "
                        "don't use `sudo npm`; fix the prefix instead:\n\n```sh\nmkdir ~/.npm-global\nnpm config set prefix '~/.npm-global'\n"
                        "echo 'export PATH=~/.npm-global/bin:$PATH' >> ~/.profile\n```"),
    ("json", "content", "### Escaping in templates\n\nUse `{{ value }}` for escaped output and `{{{ value }}}` only for trusted HTML. "
                        "Example: `{{ user.name }}` renders `&lt;b&gt;` for `<b>`."),
    ("form", "article_body", "<p>In Excel, use <code>=VLOOKUP(A2,Sheet2!A:B,2,FALSE)</code> to match order IDs to the export.</p>"),
    ("json", "content", "Windows users: the config lives in `%APPDATA%\\Acme\\settings.json`, on macOS in "
                        "`~/Library/Application Support/Acme/settings.json`, on Linux in `~/.config/acme/settings.json`."),
    ("json", "content", "| Status | Meaning |\n|---|---|\n| `401` | token missing or expired |\n| `403` | token valid but lacks `orders:write` |\n"
                        "| `429` | rate limited; see `Retry-After` |"),
    ("form", "article_body", "<p>Our API accepts <code>filter[status]=open&amp;filter[created_at][gte]=2024-01-01</code> and "
                             "<code>sort=-updated_at</code>.</p>"),
    ("json", "content", "Regex used by the validator: `^[a-zA-Z0-9._%+-]+@[a-zA-Z0-9.-]+\\.[a-zA-Z]{2,}$` (yes, it rejects "
                        "some valid addresses like `\"john doe\"@example.com`)."),
    ("json", "content", "Webhook signatures: compute `HMAC-SHA256(secret, timestamp + \".\" + body)` and compare with the "
                        "`X-Acme-Signature` header using a constant-time compare (e.g. `hmac.compare_digest`)."),
    ("json", "content", "To check the certificate chain: `openssl s_client -connect api.example.com:443 -servername api.example.com "
                        "</dev/null | openssl x509 -noout -dates`"),
    ("json", "body_html", "<blockquote><p>Note: the <code>&lt;script&gt;</code> snippet must go right before <code>&lt;/head&gt;</code>, "
                          "not in the body.</p></blockquote>"),
    ("json", "content", "PowerShell: `Get-ChildItem -Path C:\\inetpub\\logs\\LogFiles -Recurse | Where-Object { $_.LastWriteTime -lt "
                        "(Get-Date).AddDays(-30) } | Remove-Item`"),

    # --- Confluence / Notion / docs API payloads ---
    ("json", "", _j({"type": "page", "title": "Runbook: restoring MySQL from backup", "space": {"key": "OPS"},
                     "body": {"storage": {"representation": "storage", "value":
                         "<p>Run on the replica first:</p><ac:structured-macro ac:name=\"code\"><ac:parameter ac:name=\"language\">sql"
                         "</ac:parameter><ac:plain-text-body><![CDATA[SELECT table_name, ROUND(data_length/1024/1024) AS mb "
                         "FROM information_schema.tables WHERE table_schema = 'shop' ORDER BY mb DESC;]]></ac:plain-text-body>"
                         "</ac:structured-macro>"}},
                     "version": {"number": 7, "message": "add size check"}})),
    ("json", "", _j({"type": "page", "title": "Deploy checklist", "space": {"key": "ENG"},
                     "body": {"storage": {"representation": "storage", "value":
                         "<ac:task-list><ac:task><ac:task-id>1</ac:task-id><ac:task-status>incomplete</ac:task-status>"
                         "<ac:task-body>Run <code>./gradlew flywayMigrate -Penv=prod</code></ac:task-body></ac:task>"
                         "</ac:task-list>"}}})),
    ("json", "", _j({"parent": {"database_id": "d9824bdc-8445-4327-be8b-5b47500af6ce"},
                     "properties": {"Name": {"title": [{"text": {"content": "Postmortem: 2024-03-12 checkout 502s"}}]}},
                     "children": [{"object": "block", "type": "code", "code": {"language": "shell", "rich_text": [
                         {"type": "text", "text": {"content": "kubectl -n prod rollout undo deployment/checkout --to-revision=41"}}]}}]})),
    ("body:text/markdown", "docs/pages/webhooks", "# Webhooks\n\nWe POST JSON to your endpoint:\n\n```http\nPOST /hooks/acme HTTP/1.1\n"
                                                  "Host: your-app.example\nContent-Type: application/json\nX-Acme-Signature: t=1710238542,v1=5257a869...\n\n"
                                                  "{\"event\":\"order.paid\",\"id\":\"evt_123\"}\n```\n\nRespond with `2xx` within 10 seconds.\n"),
    ("body:text/markdown", "docs/pages/cli", "## Install\n\n```bash\ncurl -fsSL https://get.example.com/cli.sh | sh\n# or\nbrew install acme/tap/acme\n```\n\n"
                                             "Then `acme login --profile work`.\n"),

    # --- status page incident updates ---
    ("form", "incident[message]", "Investigating - We are seeing elevated error rates (HTTP 502/503) on api.example.com. Engineers are investigating."),
    ("form", "incident[message]", "Identified - A misconfigured max_connections setting on the primary PostgreSQL cluster caused "
                                  "connection exhaustion. We're rolling back config change #4821."),
    ("json", "body", "Resolved - Between 14:02 and 14:37 UTC, requests to /v1/payments returned `504 Gateway Timeout` for ~12% of "
                     "callers. Root cause: a DNS change for db-primary.internal pointed to a decommissioned host. All systems operational."),
    ("json", "", _j({"incident": {"name": "Degraded performance: EU dashboard", "status": "monitoring", "impact_override": "minor",
                                  "body": "Fix deployed (rollback of release 2024.03.12-1 -> 2024.03.11-3). Monitoring p95 latency; "
                                          "currently < 400ms.", "component_ids": ["8kbf7d35c070"],
                                  "components": {"8kbf7d35c070": "degraded_performance"}}})),
    ("json", "body", "Update: the third-party CDN reports \"ERR_SSL_PROTOCOL_ERROR\" for a subset of edge nodes in APAC; "
                     "users can work around by using https://app-direct.example.com until resolved."),
    ("form", "incident[message]", "Scheduled maintenance: 02:00-04:00 UTC we'll upgrade MySQL 5.7 -> 8.0. Expect read-only mode; writes "
                                  "will return 503 with Retry-After: 120."),

    # --- CRM notes and fields ---
    ("form", "note", "Called Dana re: renewal. They're on v3.2 - IT won't upgrade until Q3 (change freeze). Sent link to "
                     "https://docs.example.com/upgrade#3-2-to-4-0. Follow up 2024-05-14."),
    ("form", "note", "Customer's IT blocks *.example-cdn.net; asked them to allowlist 203.0.113.0/24 & our webhook IP 198.51.100.23"),
    ("json", "contact_name", "O'Connor, Siobhan <siobhan.oconnor@example.ie>"),
    ("json", "note", "Deal stage -> Negotiation; discount 15% (approved by @m.keller); 'net 60' terms requested; legal wants DPA v2"),
    ("form", "company", "Smith & Sons (\"S&S\") Ltd."),
    ("json", "note", "Their admin tried <company>.example.com instead of app.example.com/<company> - sent correct SSO URL."),
    ("form", "note", "Demo went well. Q: do we support SELECT-only DB users for the BI connector? -> yes, read replica + GRANT SELECT only."),
    ("json", "", _j({"properties": {"email": "r.dubois+crm@example.fr", "firstname": "Renée", "lastname": "Dubois-O'Hara",
                                    "company": "Ateliers & Co", "lifecyclestage": "opportunity",
                                    "notes_last_contacted": "Asked about <SSO> and SCIM; wants SAML metadata URL."}})),

    # --- changelog entries and release notes ---
    ("json", "body", "## [2.8.0] - 2024-03-12\n### Fixed\n- `UserRepository.findByEmail()` no longer throws when email contains `+`\n"
                     "- Escape `<` and `>` in notification previews (#1432)\n### Changed\n- Bumped `lodash` from 4.17.20 to 4.17.21 (CVE-2021-23337)"),
    ("json", "body", "### Security\n- Sanitize `redirect_uri` to prevent open redirects (thanks @kw-sec for the report)\n"
                     "- Session cookies now default to `SameSite=Lax; Secure; HttpOnly`"),
    ("form", "release_notes", "Fixed an issue where filenames containing `..` (e.g. `report..final.pdf`) were rejected by the uploader."),
    ("json", "body", "* Dropped support for PHP < 8.1\n* `Config::get('db.host')` now falls back to `DB_HOST` env var\n"
                     "* New `--dry-run` flag for `bin/console app:import`"),
    ("json", "body", "**Breaking:** `GET /api/v1/search?q=` now requires `q` to be at least 2 chars; previously `q=*` returned everything."),
    ("form", "release_notes", "Templates: `{% if user.is_staff %}` blocks in email templates are now evaluated before sending (was literal)."),
    ("json", "", _j({"tag_name": "v2.14.0", "target_commitish": "main", "name": "v2.14.0 (2024-03-12)",
                     "body": "## What's Changed\n* fix(api): return 422 instead of 500 on malformed `If-Match` by @lena in "
                             "https://github.com/acme/web/pull/2210\n* chore(deps): bump express from 4.18.2 to 4.18.3 by "
                             "@dependabot[bot] in https://github.com/acme/web/pull/2215\n\n**Full Changelog**: "
                             "https://github.com/acme/web/compare/v2.13.2...v2.14.0",
                     "draft": False, "prerelease": False})),
    ("json", "body", "Reverted #2188 (\"use `eval` for dynamic import paths in the plugin loader\") - replaced with a static import map."),
    ("form", "release_notes", "Windows installer now installs to %ProgramFiles%\\Acme instead of C:\\Acme; existing installs are migrated."),

    # --- code-review comments ---
    ("json", "body", "Nit: use `subprocess.run([...], check=True)` instead of `os.system()` here - avoids shell quoting issues."),
    ("json", "body", "This should be a parameterized query: `cursor.execute(\"SELECT * FROM orders WHERE id = %s\", (order_id,))` "
                     "rather than f-string formatting."),
    ("json", "body", "Can we drop the `| bash` from the README? `curl -fsSL https://get.example.com | bash` scares people; "
                     "show the download-then-verify steps instead."),
    ("json", "body", "LGTM. Minor: `Object.assign({}, defaults, opts)` could be `{ ...defaults, ...opts }`."),
    ("json", "body", "`innerHTML` will render any markup in `comment.body` - please use `textContent`, or run it through "
                     "`DOMPurify.sanitize()` first."),
    ("json", "body", "Please `git rebase -i HEAD~3` and squash the fixup commits before merging."),
    ("json", "body", "Suggest `rm -rf node_modules && npm ci` in the CI step instead of `npm install` so the lockfile is honoured."),
    ("json", "body", "Should we `SELECT ... FOR UPDATE` here? Otherwise two requests can both pass the balance check before the `UPDATE accounts SET balance = balance - ?`."),
    ("json", "body", "```suggestion\n    if (!user || user.role !== 'admin') return res.status(403).end();\n```"),
    ("json", "body", "Why `../../../shared/utils` here? We have the `@/shared` path alias configured in tsconfig."),
    ("json", "body", "`yaml.load(f)` without a Loader is deprecated and unsafe; use `yaml.safe_load(f)`."),
    ("json", "body", "Careful: `new Function('return ' + expr)` is basically eval. Could we use the existing `parseExpression()` AST walker?"),
    ("json", "body", "The `<%= raw @post.body %>` in show.html.erb bypasses escaping - is the body sanitized on save?"),
    ("json", "body", "I'd rename `getUserById($id)` to `findUser(int $id): ?User` and drop the `@` error suppression on `file_get_contents`."),
    ("json", "body", "Question: does `Runtime.getRuntime().exec(cmd)` here ever get user input? If not, fine, but let's add a comment."),
    ("json", "", _j({"body": "Looks good, but `WHERE name LIKE '%' || :q || '%'` won't use the index - consider pg_trgm.",
                     "commit_id": "6dcb09b5b57875f334f61aebed695e2e4193db5e", "path": "db/queries/search.sql",
                     "line": 14, "side": "RIGHT"})),
    ("body:text/x-diff", "reviews/2210/diffs", _DIFF),
    ("form", "comment", "+1 to @ana's point; also `chmod 777 /var/www/uploads` in the Dockerfile should be 755 with the right owner."),

    # --- monitoring tags, label selectors, log search ---
    ("query", "filter", "alertname=\"HighErrorRate\",severity=~\"critical|warning\",namespace!=\"kube-system\""),
    ("query", "tags", "env:prod,service:web-store,version:1.4.2,team:payments"),
    ("query", "query", "service:checkout status:error @http.status_code:[500 TO 599] -@http.url_details.path:\"/health\""),
    ("query", "labelSelector", "app.kubernetes.io/name=checkout,environment in (prod,staging),tier!=cache"),
    ("query", "query", "is:unresolved level:error release:\"web@2.14.0\" !browser.name:\"Opera\" error.type:TypeError"),
    ("query", "q", "{app=\"nginx\", env=\"prod\"} |= \"upstream timed out\" | json | status >= 500"),
    ("query", "q", "host:web-* AND message:\"Allowed memory size\" AND NOT source:/var/log/php/slow.log"),
    ("query", "selector", "{__name__=~\"http_requests_total|http_request_duration_seconds_count\", job=\"api\"}"),
    ("path", "", "/api/v1/namespaces/prod/pods?labelSelector=app=web,tier in (frontend,edge)&limit=500"),
    ("path", "", "/api/v2/silences?filter=alertname%3D%22DiskFull%22&filter=instance%3D~%22db-.%2A%22"),
    ("json", "", _j({"matchers": [{"name": "alertname", "value": "HighLatency", "isRegex": False, "isEqual": True},
                                  {"name": "instance", "value": "api-[0-9]+\\.prod\\.internal:9100", "isRegex": True, "isEqual": True}],
                     "startsAt": "2024-03-12T10:00:00Z", "endsAt": "2024-03-12T12:00:00Z", "createdBy": "oncall@example.com",
                     "comment": "Planned failover of db-primary; see OPS-311"})),
    ("json", "", _j({"name": "[prod] 5xx rate > 2% on {{service.name}}", "type": "query alert",
                     "query": "sum(last_5m):sum:trace.http.request.errors{env:prod} by {service}.as_count() / "
                              "sum:trace.http.request.hits{env:prod} by {service}.as_count() > 0.02",
                     "message": "{{#is_alert}}5xx rate is {{value}} on {{service.name}} @pagerduty-web{{/is_alert}}",
                     "tags": ["team:web", "env:prod"]})),
    ("form", "tags", "k8s_cluster:eu-1, pod_name:api-7d9f8b6c5-*, kube_container_name:api"),
    ("query", "q", "exception.type:\"System.Data.SqlClient.SqlException\" AND cloud.region:westeurope"),

    # --- feature-flag targeting rules ---
    ("json", "", _j({"key": "new-checkout", "on": True,
                     "rules": [{"clauses": [{"attribute": "email", "op": "endsWith", "values": ["@example.com"], "negate": False}],
                                "variation": 0},
                               {"clauses": [{"attribute": "country", "op": "in", "values": ["DE", "AT", "CH"]}],
                                "rollout": {"variations": [{"variation": 0, "weight": 25000}, {"variation": 1, "weight": 75000}]}}],
                     "fallthrough": {"variation": 1}, "offVariation": 1})),
    ("json", "condition", "{\"$and\":[{\"country\":{\"$in\":[\"US\",\"CA\"]}},{\"loggedIn\":true},{\"plan\":{\"$ne\":\"free\"}}]}"),
    ("json", "", _j({"id": "fr_3kx", "condition": "{\"browser\":{\"$regex\":\"^(Chrome|Edge)$\"},\"appVersion\":{\"$vgte\":\"3.2.0\"}}",
                     "coverage": 0.5, "hashAttribute": "id", "force": True})),
    ("form", "expression", "user.country in [\"DE\",\"AT\",\"CH\"] && user.plan == \"enterprise\" && !(user.id in segment(\"beta-optout\"))"),
    ("json", "", _j({"property": "app_version", "operator": "SEMVER_GREATER_THAN", "value": "3.2.0"})),
    ("json", "", _j({"name": "flexibleRollout", "parameters": {"rollout": "30", "stickiness": "userId", "groupId": "dark-mode"},
                     "constraints": [{"contextName": "email", "operator": "STR_ENDS_WITH", "values": ["@acme.io"], "caseInsensitive": True},
                                     {"contextName": "appName", "operator": "NOT_IN", "values": ["legacy-admin"]}]})),
    ("form", "rule", "request.headers['x-beta'] == 'true' || user.email.matches('.*@example\\\\.com$')"),
    ("cookie", "", "ld_flags={\"new-nav\":true,\"beta-editor\":false,\"pricing-v3\":\"variant-b\"}"),
    ("query", "q", "flag:checkout-v2 env:production -archived"),

    # --- tracker / VCS API payloads (Jira, Linear, GitHub, GitLab, Zendesk) ---
    ("json", "", _j({"fields": {"project": {"key": "WEB"}, "issuetype": {"name": "Bug"}, "priority": {"name": "High"},
                                "summary": "Checkout: 'Call to a member function getId() on null' in CartController",
                                "labels": ["regression", "checkout"],
                                "description": {"type": "doc", "version": 1, "content": [
                                    {"type": "paragraph", "content": [{"type": "text", "text": "Since 2.4.6 the cart page throws:"}]},
                                    {"type": "codeBlock", "attrs": {"language": "php"}, "content": [{"type": "text", "text":
                                        "Fatal error: Uncaught Error: Call to a member function getId() on null in "
                                        "/var/www/app/src/Controller/CartController.php:88"}]}]}}})),
    ("json", "", _j({"query": "mutation IssueCreate($input: IssueCreateInput!) { issueCreate(input: $input) { success issue { id identifier url } } }",
                     "variables": {"input": {"teamId": "9cfb482a-81e3-4154-b5b9-2c805e70a02d", "title": "Webhook retries hammer /hooks/stripe",
                                             "description": "Stripe retries on our `500`; handler should return `200` for already-processed "
                                                            "`evt_` ids.\n\n```ts\nif (await seen(event.id)) return res.sendStatus(200);\n```",
                                             "priority": 2, "labelIds": ["f1a3b6c2-0d3e-4b0a-9a77-3c2b1d0e9f88"]}}})),
    ("json", "", _j({"query": "query($filter: IssueFilter) { issues(filter: $filter, first: 50) { nodes { identifier title state { name } } } }",
                     "variables": {"filter": {"title": {"containsIgnoreCase": "SQLSTATE"}, "state": {"type": {"nin": ["completed", "canceled"]}}}}})),
    ("json", "", _j({"title": "Upload fails for files named like `Q1 report (final).pdf`",
                     "body": "### Steps\n1. Go to `/projects/12/files`\n2. Upload `Q1 report (final).pdf`\n\n### Console\n```\n"
                             "POST https://app.example.com/api/files 413 (Request Entity Too Large)\n```",
                     "labels": ["bug", "uploads"], "assignees": ["lena"]})),
    ("json", "", _j({"body": "Reproduced with `curl -X POST -H 'Content-Type: application/json' -d '{\"name\":\"O\\'Brien\"}' "
                             "http://localhost:3000/api/users` - the server returns 500."})),
    ("json", "", _j({"id": 4821, "iid": 311, "title": "Fix N+1 in /api/projects/:id/members",
                     "description": "Before: 1 + N queries (`SELECT * FROM members WHERE project_id = ?`).\n"
                                    "After: single `JOIN` with `includes(:user)`.",
                     "source_branch": "fix/n-plus-one-members", "target_branch": "main", "remove_source_branch": True})),
    ("json", "", _j({"ticket": {"subject": "Site shows Warning: mysql_fetch_array() on product pages",
                                "comment": {"body": "Customer pasted:\n\nWarning: mysql_fetch_array() expects parameter 1 to be resource, "
                                                    "boolean given in /home/acme/public_html/product.php on line 23", "public": False},
                                "priority": "high", "tags": ["php", "legacy_hosting"],
                                "custom_fields": [{"id": 360012345678, "value": "php_7_4"}]}})),
    ("json", "", _j({"type": "admin", "admin_id": "5120483", "message_type": "comment",
                     "body": "<p>Could you open the browser console (F12 &gt; Console) and paste any red errors? Something like "
                             "<code>Uncaught TypeError: ...</code></p>"})),
    ("json", "", _j({"transition": {"id": "31"}, "update": {"comment": [{"add": {"body": "Deployed in 2.4.7 - `CartController::getItems()` now null-checks the session."}}]},
                     "fields": {"resolution": {"name": "Fixed"}}})),
    ("json", "", _j([{"op": "replace", "path": "/fields/System.State", "value": "Resolved"},
                     {"op": "add", "path": "/fields/System.History", "value": "Root cause: <b>missing index</b> on Orders(CustomerId)."}])),
    ("body:application/json-patch+json", "workitems/4821", _j([{"op": "add", "path": "/fields/System.Title",
                                                               "value": "NullReferenceException in OrdersController.Index()"},
                                                              {"op": "add", "path": "/fields/Microsoft.VSTS.TCM.ReproSteps",
                                                               "value": "<div>1. Log in as tenant 12<br>2. Open /orders<br>3. See YSOD</div>"}])),
    ("body:application/graphql", "graphql", "mutation { addComment(input: {subjectId: \"I_kwDOAbc123\", body: \"Fixed by #2210 - the `WHERE` clause was missing `AND tenant_id = ?`\"}) { clientMutationId } }"),

    # --- webhook-style form bodies and chat-ops ---
    ("body:application/x-www-form-urlencoded", "slack/commands",
     "token=gIkuvaNzQIHg97ATvDxqgjtO&team_id=T0001&team_domain=acme&channel_id=C2147483705&channel_name=incidents"
     "&user_id=U2147483697&user_name=lena&command=%2Fjira&text=create+bug+%22Login+fails+with+%27Invalid+CSRF+token%27%22"
     "&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2F1234%2F5678&trigger_id=13345224609.738474920.8088930838d88f008e0"),
    ("body:application/x-www-form-urlencoded", "slack/commands",
     "token=gIkuvaNzQIHg97ATvDxqgjtO&team_id=T0001&channel_name=ops&user_name=sam&command=%2Fstatus"
     "&text=update+%22Investigating+-+elevated+5xx+on+%2Fv1%2Fpayments%22+--component%3Dapi"),
    ("body:application/x-www-form-urlencoded", "slack/interactive",
     "payload=%7B%22type%22%3A%22block_actions%22%2C%22user%22%3A%7B%22id%22%3A%22U2147483697%22%7D%2C%22actions%22%3A%5B%7B%22action_id%22%3A%22ack%22%2C%22value%22%3A%22OPS-311%22%7D%5D%7D"),
    ("form", "text", "/remind #deploys \"run `./scripts/rollback.sh 2024.03.11-3` if error rate > 2%\" at 14:00"),

    # --- CSP / browser reports and error-tracking SDKs ---
    ("body:application/csp-report", "csp-report", _j({"csp-report": {
        "document-uri": "https://app.example.com/issues/42", "referrer": "https://app.example.com/issues?q=is%3Aopen",
        "violated-directive": "script-src-elem", "effective-directive": "script-src-elem",
        "original-policy": "default-src 'self'; script-src 'self' 'nonce-r4nd0m' https://cdn.example.com; report-uri /csp-report",
        "blocked-uri": "inline", "line-number": 17, "source-file": "https://app.example.com/issues/42",
        "script-sample": "window.dataLayer = window.dataLayer || [];", "status-code": 200}})),
    ("body:application/reports+json", "reports", _j([{"age": 1243, "type": "csp-violation", "url": "https://app.example.com/wiki/ENG/Runbook",
                                                       "user_agent": "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/122.0.0.0 Safari/537.36",
                                                       "body": {"blockedURL": "eval", "disposition": "enforce",
                                                                "effectiveDirective": "script-src",
                                                                "documentURL": "https://app.example.com/wiki/ENG/Runbook",
                                                                "sample": "", "statusCode": 200}}])),
    ("body:application/x-sentry-envelope", "4505678/envelope", _SENTRY_ENVELOPE),
    ("json", "", _j({"message": "Uncaught SyntaxError: Unexpected token '<'", "url": "https://app.example.com/static/js/runtime.js",
                     "line": 1, "column": 1, "stack": "SyntaxError: Unexpected token '<'\n    at <anonymous>:1:1",
                     "userAgent": "Mozilla/5.0 (iPhone; CPU iPhone OS 17_3 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.3 Mobile/15E148 Safari/604.1"})),

    # --- uploads and test reports ---
    ("body:application/xml", "test-runs/9812/junit", _JUNIT),
    ("body:text/plain", "attachments/ifconfig", "eth0: flags=4163<UP,BROADCAST,RUNNING,MULTICAST>  mtu 1500\n        inet 10.0.4.17  "
                                                "netmask 255.255.255.0  broadcast 10.0.4.255\n        ether 02:42:ac:11:00:02  txqueuelen 0  (Ethernet)\n"),
    ("body:text/csv", "imports/tickets", "id,subject,requester,status\n1042,\"Error: \"\"mysql_fetch_array() expects parameter 1\"\"\",ana@example.com,open\n"
                                         "1043,\"Can't log in; says 'account locked'\",bo@example.com,pending\n"
                                         "1044,Export stuck at 99% (job id 7f3a),cy@example.com,solved\n"),
    ("multipart", "attachment", "catalina.out.2024-03-11"),
    ("multipart", "attachment", "error_log"),
    ("multipart", "attachment", "php_errors (2).log"),
    ("multipart", "attachment", ".htaccess"),
    ("multipart", "attachment", "nginx.conf"),
    ("multipart", "attachment", "Invoice #4821 (final) – ACME.pdf"),
    ("multipart", "attachment", "Отчёт об ошибке.docx"),
    ("multipart", "attachment", "crash_report_2024-03-12T10:15:00Z.json"),
    ("multipart", "attachment", "O'Reilly quote & PO.pdf"),
    ("multipart", "attachment", "query_plan (EXPLAIN ANALYZE).txt"),
    ("multipart", "attachment", "app.example.com-1710238542.har"),
    ("multipart", "attachment", "web.config.txt"),

    # --- app paths in trackers, repos, wikis, dashboards ---
    ("path", "", "/issues/?jql=project = OPS AND text ~ \"timeout\" ORDER BY priority DESC"),
    ("path", "", "/acme/web/blob/main/src/app/(auth)/login/page.tsx#L12-L30"),
    ("path", "", "/acme/web/tree/main/app/[locale]/[...slug]"),
    ("path", "", "/acme/api/compare/v2.3.0...v2.4.0-rc.1"),
    ("path", "", "/acme/web/issues?q=is:issue+is:open+label:\"good first issue\""),
    ("path", "", "/acme/infra/-/blob/main/etc/nginx/sites-available/default"),
    ("path", "", "/acme/dotfiles/blob/master/.bashrc"),
    ("path", "", "/acme/docker/blob/main/php/conf.d/php.ini"),
    ("path", "", "/wiki/spaces/ENG/pages/123456789/Runbook+-+Restoring+MySQL+from+backup"),
    ("path", "", "/organizations/acme/issues/?query=is:unresolved TypeError&statsPeriod=14d&project=4505678"),
    ("path", "", "/acme/web/pull/2210/files#diff-5c3f1a9e2b0d4c7a8f6e1d2c3b4a5968R14"),
    ("path", "", "/acme/web/raw/main/scripts/install.sh"),
    ("path", "", "/app/discover?_g=(time:(from:now-15m,to:now))&_a=(query:(language:kuery,query:'service.name:\"checkout\"'))"),
    ("path", "", "/agent/tickets/104288?filter=status<solved"),
    ("path", "", "/api/v2/search.json?query=type:ticket \"Fatal error\" created>2024-03-01"),
    ("path", "", "/rest/api/3/search?jql=issuekey in (WEB-1, WEB-2)&fields=summary,status&maxResults=50"),
    ("path", "", "/repos/acme/web/contents/.github/workflows/ci.yml?ref=main"),
    ("path", "", "/docs/kb/how-to/fix-%22headers-already-sent%22-in-wordpress"),

    # --- cookies set by work tools ---
    ("cookie", "", "atlassian.xsrf.token=BWP3-NZB2-6EDY-6C7K_f1e2d3c4b5a6978812345abcdef0123456789abc_lin"),
    ("cookie", "", "color_mode=%7B%22color_mode%22%3A%22auto%22%2C%22light_theme%22%3A%7B%22name%22%3A%22light%22%2C%22color_mode%22%3A%22light%22%7D%2C%22dark_theme%22%3A%7B%22name%22%3A%22dark_dimmed%22%2C%22color_mode%22%3A%22dark%22%7D%7D"),
    ("cookie", "recent_jql", "project%20%3D%20OPS%20AND%20status%20%3D%20%22In%20Progress%22%20ORDER%20BY%20rank"),
    ("cookie", "", "intercom-session-ab12cd34=TmNVd2ZjK1ZQWmt0d0h5b2JGRWh6Zz09LS1Ca0ZGS2s3dzBhRWJ6M2dBdlE9PQ==--5f1e2a0c9b"),
    ("cookie", "", "sentrysid=\".eJxVjMsKwjAQRf8lawn5mMZm6d5vKJPJjK0PUkgaBBH_3QS6cHvPuefDGqxrgZIw_0gs2L5h2z7-P8.Zfgb3g:1rK3xY\""),
    ("cookie", "", "ajs_user_id=%22usr_2Nf8K%22; ajs_anonymous_id=%2262f3c0b2-9a1d-4e7b-8c3f-0d1e2f3a4b5c%22"),
    ("cookie", "", "board_filters={\"assignee\":[\"me\"],\"labels\":[\"bug\",\"p1\"],\"q\":\"status != done\"}"),
    ("cookie", "last_search", "\"Fatal error\" in:title repo:acme/web"),
    ("cookie", "", "_zendesk_shared_session=-ZmFuZ2xlVGJ2SUZBSGZ5dz09LS1xQlB3dG5vQ2J3PT0%3D--0123abcdef"),
    ("cookie", "wiki_editor_draft", "%3Cp%3EStep%201%3A%20run%20%3Ccode%3Esudo%20systemctl%20restart%20php8.1-fpm%3C%2Fcode%3E%3C%2Fp%3E"),

    # --- request headers from work tools, SDKs and webhooks ---
    ("header:User-Agent", "", "Atlassian Webhook HTTP Client"),
    ("header:User-Agent", "", "GitHub-Hookshot/8a3c9f1"),
    ("header:User-Agent", "", "Jira/9.12.2 (Data Center; build 9120002) Java/17.0.9"),
    ("header:User-Agent", "", "octokit-rest.js/20.0.2 octokit-core.js/5.0.2 Node.js/20"),
    ("header:User-Agent", "", "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Teams/24033.811.2738.2546 Chrome/120.0.6099.291 Electron/28.2.1 Safari/537.36"),
    ("header:Referer", "", "https://acme.atlassian.net/issues/?jql=project%20%3D%20WEB%20AND%20text%20~%20%22%5C%22Fatal%20error%5C%22%22"),
    ("header:Referer", "", "https://github.com/acme/web/issues?q=is%3Aissue+is%3Aopen+%22SQLSTATE%5B23000%5D%22"),
    ("header:X-Atlassian-Token", "", "no-check"),
    ("header:X-GitHub-Event", "", "issue_comment"),
    ("header:X-Hub-Signature-256", "", "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17"),
    ("header:Baggage", "", "userId=alice,serverNode=DF%2028,isProduction=false,sentry-release=web%402.14.0"),
    ("header:X-Sentry-Auth", "", "Sentry sentry_version=7, sentry_client=sentry.javascript.browser/7.91.0, sentry_key=f3c2a1b0e9d84c7b9a6e5d4c3b2a1f00"),
    ("header:Sec-CH-UA", "", "\"Chromium\";v=\"122\", \"Not(A:Brand\";v=\"24\", \"Google Chrome\";v=\"122\""),
    ("header:Link", "", "<https://api.example.com/issues?page=3&per_page=50>; rel=\"next\", <https://api.example.com/issues?page=9>; rel=\"last\""),
    ("header:Content-Disposition", "", "attachment; filename*=UTF-8''Q1%20report%20%28final%29.pdf"),

    # --- full requests from integrations ---
    ("raw", "", _raw("POST", "/hooks/github", [
        ("Host", "ci.example.com"), ("User-Agent", "GitHub-Hookshot/8a3c9f1"), ("Content-Type", "application/json"),
        ("X-GitHub-Event", "issues"), ("X-GitHub-Delivery", "72d3162e-cc78-11e3-81ab-4c9367dc0958"),
        ("X-Hub-Signature-256", "sha256=d57c68ca6f92289e6987922ff26938930f6e66a2d161ef06abdf1859230aa23c")],
        _j({"action": "opened", "issue": {"number": 2231, "title": "Crash: TypeError: Cannot read properties of undefined (reading 'map')",
                                          "body": "```\nTypeError: Cannot read properties of undefined (reading 'map')\n    at ProjectList "
                                                  "(webpack-internal:///./src/components/ProjectList.tsx:23:28)\n```",
                                          "user": {"login": "ana"}},
            "repository": {"full_name": "acme/web"}}))),
    ("raw", "", _raw("POST", "/rest/webhooks/jira", [
        ("Host", "bridge.example.com"), ("User-Agent", "Atlassian Webhook HTTP Client"), ("Content-Type", "application/json; charset=UTF-8"),
        ("X-Atlassian-Webhook-Identifier", "4821-1710238542")],
        _j({"webhookEvent": "comment_created", "issue": {"key": "OPS-311", "fields": {"summary": "ORA-00942 in nightly export"}},
            "comment": {"body": "{noformat}ORA-00942: table or view does not exist\nSQL: SELECT * FROM EXPORT_V WHERE RUN_DATE = :1{noformat}",
                        "author": {"displayName": "Sam O'Neil"}}}))),
    ("raw", "", _raw("PUT", "/rest/api/2/issue/WEB-4821", [
        ("Host", "jira.example.com"), ("Content-Type", "application/json"), ("X-Atlassian-Token", "no-check"),
        ("Authorization", "Basic c3ZjLWJvdDpBVEFUVDN4RmZHRjBhYmNkZWY="), ("Accept", "application/json")],
        _j({"update": {"labels": [{"add": "needs-qa"}]},
            "fields": {"description": "h3. Stack trace\n{code:java}\n" + _JAVA_TRACE + "\n{code}"}}))),
    ("raw", "", _raw("OPTIONS", "/api/v1/issues/42/comments", [
        ("Host", "api.example.com"), ("Origin", "https://app.example.com"), ("Access-Control-Request-Method", "PATCH"),
        ("Access-Control-Request-Headers", "authorization,content-type,x-request-id,sentry-trace,baggage"),
        ("User-Agent", "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.3 Safari/605.1.15")])),
    ("raw", "", _raw("PATCH", "/api/v1/issues/42", [
        ("Host", "api.example.com"), ("Content-Type", "application/merge-patch+json"), ("If-Match", "\"v17\""),
        ("Authorization", "Bearer eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJ1c3JfMk5mOEsiLCJzY29wZSI6Imlzc3Vlczp3cml0ZSJ9.c2lnbmF0dXJl")],
        _j({"title": "Search: O'Brien returns 500", "labels": ["bug", "search"], "estimate": None}))),
    ("raw", "", _raw("DELETE", "/repos/acme/web/issues/2231/labels/needs%20repro", [
        ("Host", "api.github.com"), ("Accept", "application/vnd.github+json"), ("X-GitHub-Api-Version", "2022-11-28"),
        ("User-Agent", "octokit-rest.js/20.0.2")])),
    ("raw", "", _raw("POST", "/api/v2/tickets/104288/comments", [
        ("Host", "support.example.com"), ("Content-Type", "multipart/form-data; boundary=----WebKitFormBoundary7MA4YWxkTrZu0gW"),
        ("Origin", "https://support.example.com"), ("Referer", "https://support.example.com/agent/tickets/104288")],
        "------WebKitFormBoundary7MA4YWxkTrZu0gW\r\nContent-Disposition: form-data; name=\"body\"\r\n\r\n"
        "Attached the php error log. Last line: PHP Fatal error:  Uncaught PDOException: SQLSTATE[HY000] [2002] Connection refused "
        "in /var/www/app/vendor/laravel/framework/src/Illuminate/Database/Connectors/Connector.php:70\r\n"
        "------WebKitFormBoundary7MA4YWxkTrZu0gW\r\nContent-Disposition: form-data; name=\"file\"; filename=\"php-fpm_error (1).log\"\r\n"
        "Content-Type: text/plain\r\n\r\n[12-Mar-2024 10:15:42 UTC] PHP Warning:  Undefined array key \"HTTP_X_FORWARDED_PROTO\" in "
        "/var/www/app/public/index.php on line 9\r\n------WebKitFormBoundary7MA4YWxkTrZu0gW--\r\n")),
    ("raw", "", _raw("GET", "/api/v1/search?q=%22Fatal+error%22+%22on+line%22&type=ticket&sort=-updated&page=2", [
        ("Host", "helpdesk.example.com"), ("Accept", "application/json"), ("X-Requested-With", "XMLHttpRequest"),
        ("Cookie", "hd_session=3b1f9e0a7c2d4e6f; tz=America%2FNew_York; last_view=queue%3Aunassigned"),
        ("Referer", "https://helpdesk.example.com/agent/search?q=%22Fatal%20error%22")])),
    ("raw", "", _raw("POST", "/api/graphql", [
        ("Host", "api.linear.app"), ("Content-Type", "application/json"), ("Authorization", "lin_api_Xy7pQ2cD9fG1hJ3kL5mN7pQ9rS1tV3wX5yZ7"),
        ("User-Agent", "linear-sdk/17.0.0")],
        _j({"query": "mutation { commentCreate(input: { issueId: \"ENG-1204\", body: \"Safari 15 lacks `Array.prototype.at()`; added polyfill in `src/polyfills.ts`.\" }) { success } }"}))),
    ("raw", "", _raw("POST", "/hooks/statuspage", [
        ("Host", "bridge.example.com"), ("Content-Type", "application/json"), ("User-Agent", "Statuspage-Webhook/1.0")],
        _j({"meta": {"unsubscribe": "https://status.example.com/?unsubscribe=j0vqr9kl3513", "documentation": "https://doers.statuspage.io/customer-notifications/webhooks/"},
            "page": {"id": "j2mfxwj97wnj", "status_indicator": "major", "status_description": "Partial System Outage"},
            "incident": {"name": "Elevated 5xx on /v1/payments", "status": "investigating",
                         "incident_updates": [{"body": "We are seeing `504 Gateway Timeout` from the payments API. Investigating.",
                                               "status": "investigating"}]}}))),
    ("raw", "", _raw("POST", "/api/v1/crm/notes", [
        ("Host", "crm.example.com"), ("Content-Type", "application/x-www-form-urlencoded"),
        ("Origin", "https://crm.example.com"), ("Cookie", "crm_sid=9f8e7d6c5b4a; pipeline_view=kanban")],
        "csrf_token=7d1f0e2a9b&contact_id=88213&note=Spoke+with+IT+%28O%27Neil%29%3A+their+proxy+strips+%60Authorization%60+"
        "headers%3B+suggested+%60X-Api-Key%60+instead.+Ticket+%2310442.&pinned=1")),
]
