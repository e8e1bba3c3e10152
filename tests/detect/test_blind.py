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
from tests.detect.blind_benign import BLIND_BENIGN
from tests.detect.blind_benign_2 import BLIND_BENIGN_2
from tests.detect.blind_benign_3 import BLIND_BENIGN_3
from tests.detect.blind_benign_4 import BLIND_BENIGN_4
from tests.detect.blind_benign_5 import BLIND_BENIGN_5
from tests.detect.wild_benign import build_request

# First measurements before any fix they prompted (bench/blind_bench.py, BENCHMARKS.md "Blind batches"): batches a, b
# and benign (15:40 UTC) 427 of 439 attacks caught, 27 of 307 benign values flagged; batches c, d and benign_2 (16:00,
# after round 5) 365 of 401, 32 of 302; batches e, f and benign_3 (stop 17, 18:59 UTC, the session's starting engine)
# 527 of 553, 2 of 337; batches g, h, j and benign_4 (this session's start, engine 7ddeb55) 681 of 689, 13 of 315
# (14 as written: one OData path sent spaces raw in its request line, percent-encoded since as a client sends it);
# batches k, l, m and benign_5 (the same session, engine 7ddeb55) 533 of 571, 26 of 359.
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


def _attacks() -> list[tuple[str, str, str, str]]:
    # round 4's writers added a description after the family: (family, description, carrier, key, value)
    return [*BLIND_ATTACKS_A, *BLIND_ATTACKS_B, *BLIND_ATTACKS_C, *BLIND_ATTACKS_D, *BLIND_ATTACKS_E, *BLIND_ATTACKS_F,
            *((f, c, k, v) for f, _what, c, k, v in (*BLIND_ATTACKS_G, *BLIND_ATTACKS_H, *BLIND_ATTACKS_J,
                                                  *BLIND_ATTACKS_K, *BLIND_ATTACKS_L, *BLIND_ATTACKS_M))]


def _benign() -> list[tuple[str, str, str]]:
    return [*BLIND_BENIGN, *BLIND_BENIGN_2, *BLIND_BENIGN_3, *BLIND_BENIGN_4, *BLIND_BENIGN_5]


def _label(carrier: str, key: str, value: str) -> str:
    return f"{carrier}:{key}:{value}"


def test_batches_and_known_lists():
    # independent writers converge on the classics: 127 attack requests and 36 benign values (the OAuth device-code
    # grant type, common browser headers, `Coeur d'Alene`) are in more than one batch, kept as written
    assert len(_attacks()) == 2653 and len({tuple(a[1:]) for a in _attacks()}) == 2526
    assert len(_benign()) == 1620 and len({tuple(b) for b in _benign()}) == 1584
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
