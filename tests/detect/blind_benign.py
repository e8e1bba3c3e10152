"""Blind batch of ordinary benign traffic (dev Q&A, code review, observability, back office, health, mail, chat, BI, learning, travel, CMS, beacons, SSO, mobile, world search)."""
from __future__ import annotations

BLIND_BENIGN: list[tuple[str, str, str]] = [
    # --- developer Q&A site: searches typed into the site's search box
    ("query", "q", "pandas groupby multiple columns sum"),
    ("query", "q", "TypeError: Cannot read properties of undefined (reading 'map')"),
    ("query", "q", "django.db.utils.OperationalError: no such table: auth_user"),
    ("query", "q", "[postgresql] upsert on conflict do nothing returning id"),
    ("query", "q", "std::vector erase while iterating"),
    ("query", "q", "rust borrow checker mutable reference in loop"),
    ("query", "q", "git rebase -i squash last 3 commits"),
    ("query", "q", "is:question [kotlin] viewModelScope vs lifecycleScope"),
    ("query", "q", "why is 0.1 + 0.2 != 0.3"),
    ("query", "q", "swiftui @State vs @Binding"),
    ("query", "q", "ModuleNotFoundError: No module named 'cv2'"),
    ("query", "q", "c# async void vs async Task"),
    # --- developer Q&A site: question titles, tags and bodies (Markdown with code blocks)
    ("form", "title", "Why does my LEFT JOIN return more rows than the left table?"),
    ("form", "title", "How to undo a `git push --force` on a shared branch?"),
    ("form", "title", "React useEffect runs twice in development - is this expected?"),
    ("form", "title", "Segfault when freeing nodes of a linked list in C"),
    ("form", "title", "Bash: how to loop over files with spaces in their names?"),
    ("form", "title", "PHP 8.2: \"Creation of dynamic property is deprecated\" in a Laravel model"),
    ("form", "tags", "sql-server t-sql stored-procedures"),
    ("form", "tags", "c++ pointers segmentation-fault"),
    ("form", "body",
     "I have two tables, `orders` and `customers`. This query returns inflated totals:\n\n"
     "```sql\nSELECT c.name, SUM(o.total) AS spent\nFROM customers c\nLEFT JOIN orders o ON o.customer_id = c.id\n"
     "LEFT JOIN refunds r ON r.order_id = o.id\nGROUP BY c.name;\n```\n\n"
     "The totals are doubled for customers who had a refund. What am I missing?"),
    ("form", "body",
     "My script breaks on filenames with spaces:\n\n```bash\nfor f in $(ls *.mp3); do\n  ffmpeg -i \"$f\" \"${f%.mp3}.ogg\"\n"
     "done\n```\n\nI know parsing `ls` is bad, but what should I use instead?"),
    ("form", "body",
     "In my Dockerfile I have\n\n    RUN apt-get update && apt-get install -y build-essential \\\n"
     "        && rm -rf /var/lib/apt/lists/*\n\nbut the image is still 1.2 GB. Does the `rm -rf` in the same layer "
     "actually save space, or do I need a multi-stage build?"),
    ("form", "body",
     "Getting this when calling our internal API:\n\n```\nTraceback (most recent call last):\n"
     "  File \"/home/dev/reporting/main.py\", line 42, in <module>\n    main()\n"
     "  File \"/home/dev/reporting/main.py\", line 37, in main\n    data = json.loads(resp.text)\n"
     "  File \"/usr/lib/python3.11/json/__init__.py\", line 346, in loads\n    return _default_decoder.decode(s)\n"
     "json.decoder.JSONDecodeError: Expecting value: line 1 column 1 (char 0)\n```\n\n"
     "The endpoint returns 200 but the body is empty. Any idea?"),
    ("form", "body",
     "The button does nothing in Firefox, Chrome is fine:\n\n```html\n<button id=\"save\">Save</button>\n<script>\n"
     "  document.getElementById('save').addEventListener('click', () => {\n"
     "    fetch('/api/notes', { method: 'POST', body: JSON.stringify(note) });\n  });\n</script>\n```\n\n"
     "The console is empty. What am I doing wrong?"),
    ("form", "body",
     "Exception in thread \"main\" java.lang.NullPointerException: Cannot invoke \"String.length()\" because \"name\" is null\n"
     "\tat com.acme.billing.InvoiceService.format(InvoiceService.java:88)\n"
     "\tat com.acme.billing.Main.main(Main.java:14)\n\nHow can `name` be null if the constructor checks it?"),
    ("form", "body",
     "I need a regex for UK postcodes. I have `^[A-Z]{1,2}[0-9][A-Z0-9]? ?[0-9][A-Z]{2}$` and it works for `SW1A 1AA`, "
     "but the form still rejects lower-case input like `ec1a 1bb`. Should I just uppercase first?"),
    ("form", "body",
     "`File.ReadAllText(@\"C:\\ProgramData\\Contoso\\settings.xml\")` throws UnauthorizedAccessException when the "
     "Windows service runs as Local Service, but works from Visual Studio."),
    ("form", "body",
     "Is this enough to be safe from SQL injection, or do I still need to escape the email?\n\n```php\n"
     "$stmt = $pdo->prepare('SELECT id, name FROM users WHERE email = ?');\n$stmt->execute([$_POST['email']]);\n"
     "$user = $stmt->fetch();\n```"),
    ("form", "body",
     "Use `find . -name '*.log' -mtime +7 -delete` instead of piping into `xargs rm`; it copes with spaces "
     "and doesn't spawn a process per file."),
    ("form", "body",
     "You can do it in one statement:\n\n```sql\nINSERT INTO page_views (page_id, views)\nVALUES ($1, 1)\n"
     "ON CONFLICT (page_id) DO UPDATE SET views = page_views.views + 1;\n```"),
    ("form", "comment", "This breaks when `discount` is NULL - wrap it in `COALESCE(discount, 0)`."),
    ("form", "comment", "Have you tried `npm ci` instead of `npm install`? It respects the lockfile."),
    ("form", "comment", "Which Node version are you on? `structuredClone` only exists from 17 onwards."),
    ("form", "comment", "Duplicate of \"How do I iterate over the words of a string?\" - voting to close."),
    ("path", "", "/questions/78123456/why-does-my-left-join-return-more-rows-than-the-left-table"),
    ("path", "", "/questions/tagged/bash+find?sort=votes"),
    ("path", "", "/users/4412093/kasia-wrona?tab=answers"),

    # --- code review tool: review comments, suggestions, patches, code search
    ("json", "",
     '{"path": "src/db/queries.ts", "line": 57, "side": "RIGHT", "body": "Could we pass `id` as a bind parameter here '
     'instead of interpolating it into the `SELECT`? Even if it is a number today, `db.query(sql, [id])` is safer."}'),
    ("json", "",
     '{"path": "cmd/server/main.go", "line": 31, "body": "```suggestion\\n\\tif err != nil {\\n\\t\\treturn '
     'fmt.Errorf(\\"load config: %w\\", err)\\n\\t}\\n```"}'),
    ("json", "", '{"event": "APPROVE", "body": "LGTM :ship: - nit: the migration is called `add_indx_orders`, typo?"}'),
    ("json", "",
     '{"event": "REQUEST_CHANGES", "body": "`rm -rf \\"$BUILD_DIR\\"/*` in deploy.sh wipes the wrong place if '
     'BUILD_DIR is ever empty - please add `set -u` or use `${BUILD_DIR:?}`."}'),
    ("json", "", '{"title": "Bump lodash from 4.17.20 to 4.17.21", "head": "dependabot/npm_and_yarn/lodash-4.17.21", '
                 '"base": "main", "draft": false}'),
    ("form", "commit_message", "fix(auth): refresh the token before expiry (#1182)\n\nThe old check compared seconds "
                               "with milliseconds, so tokens were refreshed 1000x too late."),
    ("form", "comment", "nit: prefer `const` over `let` here, it's never reassigned."),
    ("form", "comment", "Could this be O(n) instead of O(n^2)? We call it on every keystroke."),
    ("form", "comment", "Should `../shared/format.ts` move into `packages/common`? Three apps import it now."),
    ("body:text/x-diff", "reviews/patch",
     "diff --git a/app/models/user.rb b/app/models/user.rb\nindex 3f2a1c9..8b7d4e2 100644\n--- a/app/models/user.rb\n"
     "+++ b/app/models/user.rb\n@@ -12,7 +12,7 @@ class User < ApplicationRecord\n"
     "   validates :email, presence: true, uniqueness: { case_sensitive: false }\n"
     "-  scope :active, -> { where(\"last_seen_at > ?\", 30.days.ago) }\n"
     "+  scope :active, -> { where(last_seen_at: 30.days.ago..) }\n \n   def display_name\n"),
    ("query", "q", "repo:payments/api path:db/migrations \"DROP COLUMN\""),
    ("query", "q", "lang:python \"subprocess.run(\" shell=True"),
    ("path", "", "/payments/api/pull/482/files"),
    ("path", "", "/payments/api/compare/v2.3.0...v2.4.0"),
    ("path", "", "/payments/api/blob/main/db/migrations/20240601_add_index_orders_created_at.sql"),

    # --- observability dashboard: PromQL, LogQL, KQL, Splunk, label selectors, silences, alert rules
    ("query", "query", 'sum by (route) (rate(http_requests_total{job="api",status=~"5.."}[5m]))'),
    ("query", "query",
     'histogram_quantile(0.99, sum by (le) (rate(http_request_duration_seconds_bucket{service="checkout"}[10m])))'),
    ("query", "query", 'up{env="prod"} == 0'),
    ("query", "query", '100 - (avg by (instance) (rate(node_cpu_seconds_total{mode="idle"}[5m])) * 100)'),
    ("query", "query",
     'node_filesystem_avail_bytes{mountpoint="/",fstype!="tmpfs"} / node_filesystem_size_bytes{mountpoint="/"} < 0.1'),
    ("query", "query", 'increase(kube_pod_container_status_restarts_total{namespace="payments"}[1h]) > 3'),
    ("query", "query", 'label_values(up{job=~"$job"}, instance)'),
    ("query", "query", '{app="nginx", env="prod"} |= "upstream timed out" | logfmt | status >= 500'),
    ("query", "query", '{namespace="auth"} |~ "(?i)error|exception" != "healthcheck"'),
    ("query", "query", 'sum by (level) (count_over_time({job="varlogs"} | json [5m]))'),
    ("query", "kuery", 'http.response.status_code >= 500 and url.path : "/api/v1/orders*"'),
    ("query", "kuery", 'kubernetes.namespace : "payments" and not log.level : "debug"'),
    ("json", "",
     '{"query": "requests | where timestamp > ago(1h) | where resultCode startswith \\"5\\" | summarize count() by '
     'bin(timestamp, 5m), cloud_RoleName | render timechart", "timespan": "PT1H"}'),
    ("json", "",
     '{"query": "AppExceptions | where TimeGenerated > ago(24h) | summarize n = count() by ProblemId | top 10 by n"}'),
    ("form", "search", "search index=web sourcetype=access_combined status>=500 | stats count by uri_path | sort -count"),
    ("query", "labelSelector", "app.kubernetes.io/name=checkout,tier in (frontend,backend)"),
    ("query", "fieldSelector", "status.phase!=Running,spec.nodeName=ip-10-0-3-17.eu-west-1.compute.internal"),
    ("query", "q", "avg:system.cpu.user{env:prod,service:web} by {host}"),
    ("json", "",
     '{"query": {"bool": {"must": [{"match_phrase": {"message": "connection refused"}}], "filter": [{"range": '
     '{"@timestamp": {"gte": "now-15m", "lte": "now"}}}, {"term": {"service.name": "inventory"}}]}}, "size": 50, '
     '"sort": [{"@timestamp": "desc"}]}'),
    ("json", "",
     '{"matchers": [{"name": "alertname", "value": "NodeFilesystemAlmostFull", "isRegex": false}, {"name": "instance", '
     '"value": "db-0[1-3]:9100", "isRegex": true}], "startsAt": "2024-06-03T20:00:00Z", "endsAt": "2024-06-03T23:00:00Z", '
     '"createdBy": "kasia", "comment": "Planned resize of /var/lib/postgresql/16/main"}'),
    ("json", "",
     '{"status": "firing", "commonLabels": {"alertname": "W3SVCLogsLarge", "host": "web-win-02"}, "commonAnnotations": '
     '{"description": "C:\\\\inetpub\\\\logs\\\\LogFiles\\\\W3SVC1 is over 20 GB on web-win-02"}}'),
    ("json", "description", "Disk usage on /var/lib/docker/overlay2 is 91% on node-7 (threshold 85%)."),
    ("json", "description", "Certificate for *.ops.example expires in 13 days; renew via cert-manager."),
    ("body:application/yaml", "alert-rules",
     "groups:\n  - name: api\n    rules:\n      - alert: HighErrorRate\n"
     "        expr: sum(rate(http_requests_total{status=~\"5..\"}[5m])) / sum(rate(http_requests_total[5m])) > 0.05\n"
     "        for: 10m\n        labels:\n          severity: page\n        annotations:\n"
     "          summary: \"Error rate above 5% on {{ $labels.instance }}\"\n"
     "          runbook_url: https://runbooks.ops.example/api/high-error-rate\n"),
    ("body:application/yaml", "workloads/apply",
     "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: reporting-web\n  namespace: reporting\nspec:\n"
     "  replicas: 2\n  selector:\n    matchLabels:\n      app: reporting-web\n  template:\n    metadata:\n"
     "      labels:\n        app: reporting-web\n    spec:\n      containers:\n        - name: web\n"
     "          image: registry.ops.example/reporting-web:1.8.2\n"
     "          command: [\"/bin/sh\", \"-c\", \"python manage.py migrate --noinput && gunicorn reporting.wsgi -b 0.0.0.0:8000\"]\n"
     "          ports:\n            - containerPort: 8000\n          volumeMounts:\n            - name: media\n"
     "              mountPath: /srv/media\n"),
    ("form", "schedule", "*/5 * * * *"),
    ("form", "schedule", "0 3 * * 0"),
    ("form", "schedule", "30 2 1 * *"),
    ("form", "schedule", "0 0/15 8-18 ? * MON-FRI"),
    ("form", "schedule", "@daily"),
    ("query", "tags", "http.status_code=500 error=true"),
    ("query", "service", "checkout-api"),
    ("query", "from", "now-6h"),
    ("path", "", "/d/k8s-cluster/kubernetes-cluster-overview?orgId=1&var-namespace=payments&from=now-24h&to=now"),

    # --- e-commerce back office: WYSIWYG product descriptions, CSV imports, admin searches
    ("form", "product[description]",
     '<p><span style="font-family: Arial, sans-serif; font-size: 12pt;">Hand-poured soy candle with notes of fig '
     '&amp; cedar.</span></p>\n<ul>\n<li>Burn time: approx. 45 hours</li>\n<li>Wick: 100% cotton</li>\n</ul>'),
    ("form", "product[description]",
     '<p class="MsoNormal" style="margin-bottom:0cm;line-height:normal"><b><span lang="EN-GB">Care instructions'
     '</span></b><o:p></o:p></p><p class="MsoNormal"><span lang="EN-GB">Trim wick to 5&nbsp;mm before each use.'
     '</span><o:p></o:p></p>'),
    ("form", "product[description]",
     '<table style="border-collapse: collapse; width: 100%;" border="1"><tbody><tr><td style="width: 50%;">Material'
     '</td><td style="width: 50%;">Merino wool</td></tr><tr><td>Weight</td><td>180&nbsp;g/m&sup2;</td></tr></tbody>'
     '</table>'),
    ("json", "body_html",
     '<div style="text-align:center"><img src="https://cdn.hearthandwick.example/products/candle-fig-01.jpg" '
     'alt="Fig &amp; cedar candle" width="480" height="480" loading="lazy"></div>'),
    ("json", "body_html", '<p>Not sure about the fit? <a href="../size-guide/" target="_self">See our size guide</a>.</p>'),
    ("json", "body_html",
     "<h2 style=\"color: #2b2b2b;\">Why you&#39;ll love it</h2><p>Sustainably sourced &ndash; shipped plastic-free.</p>"),
    ("json", "body_html", "<p><strong>Limited edition.</strong> Only 200 made.</p><p><br></p><p><em>Ships from 3 July.</em></p>"),
    ("body:text/csv", "products/import",
     "Handle,Title,Body (HTML),Vendor,Variant SKU,Variant Price,Variant Inventory Qty\n"
     "fig-cedar-candle,Fig & Cedar Candle,\"<p>Hand-poured soy candle, 45h burn.</p>\",Hearth & Wick,HW-FIG-200,24.00,120\n"
     "linen-tea-towel,\"Linen Tea Towel, Set of 2\",<p>Stonewashed linen.</p>,Hearth & Wick,HW-TT-02,18.50,64\n"
     "\"wool-throw-grey\",\"Wool Throw 130\"\" x 170\"\"\",,Hearth & Wick,HW-WT-GRY,89.00,12\n"),
    ("body:text/csv", "inventory/import", "sku;qty;warehouse\nHW-FIG-200;118;LDN-01\nHW-TT-02;60;LDN-01\nHW-WT-GRY;0;MAN-02\n"),
    ("body:text/csv", "inventory/adjustments",
     "sku,adjustment,reason\nHW-FIG-200,-3,damaged in transit\nHW-TT-02,+10,restock PO-4471\n"),
    ("query", "query", "status:unfulfilled tag:'gift wrap' created_at:>2024-05-25"),
    ("query", "query", "email:joanna.w@poczta.example OR name:\"Joanna Wiśniewska\""),
    ("form", "note", "Customer called: parcel left at neighbour's (no. 14). Marked as delivered - KW 03/06"),
    ("form", "refund_reason", "Item arrived broken (glass jar) - photos in ticket #5521; refund incl. shipping."),
    ("json", "",
     '{"discount": {"code": "SUMMER-15", "type": "percentage", "value": 15, "applies_to": {"collections": ["candles", '
     '"home-fragrance"]}, "minimum_subtotal": "40.00", "starts_at": "2024-06-21T00:00:00+01:00", "usage_limit": 500}}'),
    ("multipart", "file", "products_export_2024-06-03.csv"),
    ("multipart", "file", "HW-FIG-200_lifestyle_02 (edited).jpg"),

    # --- healthcare / insurance portal: symptoms, meds, names, addresses, claims
    ("form", "symptoms",
     "Sharp pain in lower right abdomen since Tuesday, worse after eating. Temp 38.2°C last night, no vomiting."),
    ("form", "symptoms", "Allergic to penicillin (rash) & latex. Taking metformin 500 mg 2x/day and lisinopril 10 mg."),
    ("form", "message", "BP was 142/91 this morning and 138/88 yesterday evening - is that OK with the new dose?"),
    ("form", "message",
     "Dear Dr. O'Sullivan,\n\nThank you for seeing me on 12/03. The rash has improved but not gone; should I keep "
     "using the hydrocortisone 1% cream?\n\nKind regards,\nMáire"),
    ("form", "message", "My daughter (age 7) needs a refill of her salbutamol inhaler, 100 mcg/dose. Pharmacy: Boots, High St."),
    ("form", "first_name", "Gráinne"),
    ("form", "last_name", "Ní Mháille"),
    ("form", "last_name", "Nguyễn Thị"),
    ("form", "last_name", "D'Aloisio-Ferreira"),
    ("form", "full_name", "Ruairí Mac Giolla Phádraig"),
    ("form", "full_name", "Kofi Mensah-Bonsu"),
    ("form", "full_name", "Māhina Te Rangi-O'Driscoll"),
    ("form", "full_name", "Ahmad al-Ma'mun"),
    ("form", "address", "Apt 12B, 455 E 14th St, New York, NY 10009"),
    ("form", "address", "Rm 1203, 12/F, Tower 2, 88 Harbour Rd, Wan Chai"),
    ("form", "address", "Hauptstraße 5a, 3. OG links, 04109 Leipzig"),
    ("form", "address", "Lot 7, RR #2, Baie-Sainte-Anne, NB E9A 1B1"),
    ("form", "member_id", "XEH 123456789 01"),
    ("form", "group_number", "GRP-00042/A"),
    ("form", "date_of_birth", "03/11/1958"),
    ("form", "diagnosis_codes", "E11.9; I10; Z79.4"),
    ("form", "claim_description",
     "Dental crown #14 - pre-authorisation ref PA-2024-55812; treating dentist Dr. Ng, DDS. Invoice attached."),
    ("form", "prescription", "Amoxicillin 500 mg - 1 cap PO TID x 7 days"),
    ("query", "q", "ibuprofen 400mg vs naproxen"),
    ("query", "q", "can i take paracetamol & codeine together"),
    ("query", "q", "dermatologist near 02139 accepting new patients"),
    ("json", "",
     '{"claim": {"member_id": "XEH123456789", "provider": {"npi": "1234567893", "name": "Riverside Family Practice, P.C."}, '
     '"service_date": "2024-05-28", "lines": [{"cpt": "99213", "charge": 145.00}, {"cpt": "81003", "charge": 12.50}], '
     '"notes": "Follow-up re: UTI; urinalysis in office."}}'),
    ("multipart", "file", "EOB_May-2024 (Aetna).pdf"),
    ("multipart", "file", "IMG_4471 - rash day 3.HEIC"),

    # --- webmail: subjects, quoted replies, signatures, recipients, mail search
    ("json", "subject", "Re: Re: Fwd: Q3 budget – updated figures (v3)"),
    ("json", "subject", "[EXTERNAL] Invoice #INV-20931 is overdue"),
    ("json", "subject", "Automatic reply: Out of office until 15 July"),
    ("json", "subject", "AW: RE: Termin nächste Woche?"),
    ("json", "subject", "Fw: photos from Saturday 📸"),
    ("json", "body",
     "Sounds good, see you Thursday.\n\nOn Mon, 3 Jun 2024 at 09:14, Priya Raman <priya.raman@northwind.example> wrote:\n"
     "> Can we move the sync to Thursday 2pm?\n>\n> > On Fri, 31 May 2024, Tom wrote:\n> > Works for me.\n>\n> Thanks,\n> Priya"),
    ("json", "body_html",
     '<div dir="ltr">Thanks Tomasz!</div><br><div class="gmail_quote"><div dir="ltr" class="gmail_attr">On Tue, Jun 4, '
     '2024 at 5:02 PM Tomasz Wiśniewski &lt;t.wisniewski@example.pl&gt; wrote:<br></div><blockquote class="gmail_quote" '
     'style="margin:0px 0px 0px 0.8ex;border-left:1px solid rgb(204,204,204);padding-left:1ex">Attached the signed copy.'
     '</blockquote></div>'),
    ("json", "signature",
     "--\nDr. Hannah Schäfer\nHead of Research | Müller & Partner\nTel. +49 89 1234 5678\n"
     "This e-mail may contain confidential information. If you are not the intended recipient, please notify the "
     "sender and delete it."),
    ("json", "to", "\"O'Neill, Patrick\" <patrick.oneill@contoso.example>, Zoë Martin <zoe@fabrikam.example>"),
    ("json", "cc", "finance-team@northwind.example; \"Kowalczyk, Ewa\" <e.kowalczyk@northwind.example>"),
    ("query", "search", "from:hr@northwind.example has:attachment before:2024/05/01"),
    ("query", "search", "subject:\"payslip\" newer_than:30d -in:trash"),
    ("form", "auto_reply",
     "I'm out of the office until Monday 15 July with limited access to e-mail. For urgent matters please contact "
     "Ewa Kowalczyk (e.kowalczyk@northwind.example)."),
    ("multipart", "attachment", "Lebenslauf_Schäfer_2024.pdf"),
    ("multipart", "attachment", "image001.png"),
    ("multipart", "attachment", "Signed NDA – Fabrikam.pdf"),

    # --- chat app: emoji, Markdown, mentions, links, code snippets
    ("json", "text", "@channel standup in 5 :coffee:"),
    ("json", "text", "lgtm :+1: merging"),
    ("json", "text", "```\nkubectl rollout restart deploy/checkout -n payments\n```\nthat fixed it 🙌"),
    ("json", "text", "anyone know why `SELECT count(*) FROM events` takes 40s on the replica? 🤔"),
    ("json", "text", "<@U04ABCD1234> can you review <https://git.ops.example/payments/api/pull/482|#482> when you get a sec?"),
    ("json", "content", "gg <@381937461923528704> <:pepeLaugh:845123456789012345> that clutch was insane"),
    ("json", "content", "||spoiler: the butler did it||"),
    ("json", "text", "haha 😂😂 ok ok you win"),
    ("json", "text", "brb 🍕"),
    ("json", "text", "🎉🎉 congrats on the launch, team!!!"),
    ("json", "text", "is it just me or is the vpn down again"),
    ("json", "text", "~meeting~ cancelled, async update in the doc instead"),
    ("json", "text", "> we ship friday\nwell... about that 😅"),
    ("json", "text", "+1"),
    ("json", "text", "ty!"),
    ("json", "text", "👀"),
    ("json", "text", "Running late, train stuck outside Clapham Jn 🚆 ETA ~9:40"),
    ("json", "text", "Photos from the offsite are up: https://photos.app.goo.gl/AbC123xYz 📷"),
    ("json", "text", "**Reminder:** expenses for May are due *today* - upload receipts to the #finance channel"),
    ("json", "", '{"channel": "C05QWERTY12", "timestamp": "1717412345.001200", "name": "white_check_mark"}'),
    ("query", "q", "this is fine dog"),
    ("path", "", "/archives/C05QWERTY12/p1717412345001200"),

    # --- spreadsheet / BI tool: formulas, filters, native questions
    ("json", "formula", "=INDEX(Sheet2!B:B, MATCH(A2, Sheet2!A:A, 0))"),
    ("json", "formula", '=COUNTIFS(Status,"Open",Owner,"<>")'),
    ("json", "formula", '=ARRAYFORMULA(IF(A2:A="",,B2:B*C2:C))'),
    ("json", "formula", "=QUERY(Data!A1:F, \"select A, sum(F) where C = 'EMEA' group by A\", 1)"),
    ("json", "formula", '=HYPERLINK("https://crm.northwind.example/deals/"&A2, "Open deal")'),
    ("json", "formula", "=FILTER(A2:C100, C2:C100>50)"),
    ("json", "formula", "=NETWORKDAYS(B2, C2, Holidays!A:A)"),
    ("json", "formula", '=REGEXEXTRACT(A2, "\\d{5}")'),
    ("json", "formula", "=LET(net, B2-C2, IF(net<0, 0, net*1.2))"),
    ("json", "",
     '{"measures": ["Orders.revenue"], "dimensions": ["Orders.region"], "filters": [{"member": "Orders.region", '
     '"operator": "equals", "values": ["EMEA", "APAC"]}], "timeDimensions": [{"dimension": "Orders.createdAt", '
     '"granularity": "week", "dateRange": "Last 90 days"}]}'),
    ("json", "",
     '{"database": 2, "type": "native", "native": {"query": "SELECT date_trunc(\'week\', created_at) AS week, count(*) AS '
     'signups\\nFROM signups\\nWHERE created_at >= {{start_date}}\\nGROUP BY 1\\nORDER BY 1", "template-tags": '
     '{"start_date": {"type": "date", "name": "start_date"}}}}'),
    ("query", "f[orders.city]", "%berlin%"),
    ("query", "f[orders.region]", "-EMEA"),
    ("query", "f[orders.total]", ">= 100"),
    ("query", "f[orders.created_date]", "2024/01/01 to 2024/03/31"),
    ("query", "f[customers.email]", "-NULL"),

    # --- learning platform: maths (LaTeX), chemistry, programming exercises, student questions
    ("json", "answer", "\\frac{d}{dx}\\left( x^2 \\sin x \\right) = 2x\\sin x + x^2\\cos x"),
    ("json", "answer", "\\int_0^1 x^2\\,dx = \\tfrac{1}{3}"),
    ("json", "answer", "$$\\sum_{k=1}^{n} k = \\frac{n(n+1)}{2}$$"),
    ("json", "answer", "$\\lim_{x \\to 0} \\frac{\\sin x}{x} = 1$"),
    ("json", "answer", "P(A|B) = P(B|A) * P(A) / P(B) = 0.9 * 0.01 / 0.0585 ≈ 0.154"),
    ("json", "answer", "2H2 + O2 -> 2H2O"),
    ("json", "answer", "CH3COOH + NaHCO3 → CH3COONa + H2O + CO2↑"),
    ("json", "answer", "[Cu(NH3)4]2+"),
    ("json", "answer", "pH = -log[H+] = -log(1.0 × 10^-3) = 3"),
    ("json", "answer", "O(n log n)"),
    ("json", "",
     '{"exercise": "fizzbuzz", "language": "python3", "code": "def fizzbuzz(n):\\n    for i in range(1, n + 1):\\n'
     '        if i % 15 == 0:\\n            print(\'FizzBuzz\')\\n        elif i % 3 == 0:\\n            print(\'Fizz\')\\n'
     '        elif i % 5 == 0:\\n            print(\'Buzz\')\\n        else:\\n            print(i)\\n"}'),
    ("json", "",
     '{"exercise": "sum-to-n", "language": "java", "code": "import java.util.Scanner;\\n\\npublic class Main {\\n    '
     'public static void main(String[] args) {\\n        Scanner sc = new Scanner(System.in);\\n        int n = '
     'sc.nextInt();\\n        System.out.println(n * (n + 1) / 2);\\n    }\\n}\\n"}'),
    ("json", "",
     '{"exercise": "hello-name", "language": "c", "code": "#include <stdio.h>\\n\\nint main(void) {\\n    char name[64];\\n'
     '    if (scanf(\\"%63s\\", name) == 1)\\n        printf(\\"Hello, %s!\\\\n\\", name);\\n    return 0;\\n}\\n"}'),
    ("json", "",
     '{"exercise": "palindrome", "language": "javascript", "code": "function isPalindrome(s) {\\n  const t = '
     's.toLowerCase().replace(/[^a-z0-9]/g, \'\');\\n  return t === [...t].reverse().join(\'\');\\n}\\n"}'),
    ("json", "",
     '{"exercise": "avg-salary-by-dept", "language": "sql", "code": "SELECT department, AVG(salary) AS avg_salary\\n'
     'FROM employees\\nGROUP BY department\\nHAVING AVG(salary) > 50000\\nORDER BY avg_salary DESC;"}'),
    ("json", "",
     '{"exercise": "quicksort", "language": "haskell", "code": "quicksort [] = []\\nquicksort (p:xs) = quicksort '
     '[x | x <- xs, x < p] ++ [p] ++ quicksort [x | x <- xs, x >= p]\\n"}'),
    ("json", "",
     '{"exercise": "count-files", "language": "bash", "code": "#!/bin/bash\\ncount=0\\nfor f in *.txt; do\\n  '
     'count=$((count + 1))\\ndone\\necho \\"$count text files\\"\\n"}'),
    ("form", "question", "Why does `print(0.1 + 0.2)` give 0.30000000000000004 and not 0.3?"),
    ("form", "question", "In exercise 3b, is the answer x = -2 ± √5 or do we have to simplify further?"),
    ("form", "question", "My loop `while (i <= 10)` never ends - I forgot `i++`, right? 🤦"),
    ("query", "q", "mitochondria function gcse"),
    ("query", "q", "photosynthesis equation 6CO2 + 6H2O"),

    # --- maps and travel: places, coordinates, directions, bookings
    ("query", "q", "coffee near me"),
    ("query", "q", "Piazza San Marco, 30124 Venezia VE"),
    ("query", "q", "48.8584, 2.2945"),
    ("query", "q", "48°51'30.2\"N 2°17'40.2\"E"),
    ("query", "q", "Gare de Lyon → Chamonix-Mont-Blanc"),
    ("query", "q", "Dubrovnik old town parking"),
    ("query", "q", "Ko Samui ferry timetable"),
    ("query", "center", "41.3874,2.1686"),
    ("query", "enc_polyline", "_p~iF~ps|U_ulLnnqC_mqNvxq`@"),
    ("path", "", "/maps/place/Sagrada+Fam%C3%ADlia/@41.4036,2.1744,17z"),
    ("path", "", "/maps/dir/Heathrow+Terminal+5/King's+Cross+St.+Pancras/"),
    ("json", "",
     '{"origin": {"location": {"latLng": {"latitude": 51.4700, "longitude": -0.4543}}}, "destination": {"placeId": '
     '"ChIJdd4hrwug2EcRmSrV3Vo6llI"}, "travelMode": "TRANSIT", "departureTime": "2024-06-14T07:30:00Z", '
     '"languageCode": "en-GB"}'),
    ("form", "special_requests",
     "Late check-in ~23:30 (flight lands 22:10). Twin beds if possible; we're travelling with a 2-yr-old."),
    ("form", "review",
     "Loved the rooftop bar & the staff were lovely, but the \"sea view\" was a car park with a sliver of sea. 3/5"),
    ("query", "checkin", "2024-08-12"),

    # --- CMS: shortcodes, blocks and templates written by editors
    ("form", "post_content", '[gallery ids="112,113,118" columns="3" link="file"]'),
    ("form", "post_content", '[contact-form-7 id="42" title="Contact form 1"]'),
    ("form", "post_content",
     '[caption id="attachment_881" align="aligncenter" width="640"]<img src="/wp-content/uploads/2024/05/team.jpg" '
     'alt="Our team" width="640" height="427" class="size-large wp-image-881" /> The team at the spring retreat[/caption]'),
    ("form", "post_content", "[embed]https://vimeo.com/123456789[/embed]"),
    ("form", "post_content",
     '<!-- wp:paragraph {"align":"center"} -->\n<p class="has-text-align-center">Doors open at 7pm.</p>\n'
     '<!-- /wp:paragraph -->'),
    ("form", "post_content",
     '<!-- wp:image {"id":902,"sizeSlug":"large"} -->\n<figure class="wp-block-image size-large"><img '
     'src="/wp-content/uploads/2024/06/poster.jpg" alt="" class="wp-image-902"/></figure>\n<!-- /wp:image -->'),
    ("form", "template",
     '{% if product.available %}<span class="badge">In stock</span>{% else %}<span class="badge badge--sold">Sold out'
     '</span>{% endif %}'),
    ("form", "template", "{{ product.price | money_with_currency }}"),
    ("form", "template", "{% for tag in article.tags limit: 3 %}#{{ tag }} {% endfor %}"),
    ("json", "template",
     "Hi {{customer.first_name}},\n\nYour booking {{#if booking.confirmed}}is confirmed{{else}}is still pending{{/if}}. "
     "See you on {{formatDate booking.date \"D MMM\"}}!"),
    ("form", "body", '{{< youtube w7Ft2ymGmfc >}}\n\n{{< figure src="/img/alps.jpg" title="Alps at dawn" >}}'),
    ("form", "html", "Hi *|FNAME|*,\n*|IF:MEMBER_RATING=5|*Thanks for being one of our best readers!*|END:IF|*"),
    ("form", "pattern", "[node:title] | [site:name]"),
    ("form", "description",
     "h2. Steps to reproduce\n# Open the monthly report\n# Click *Export*\n\n{code}java.lang.IllegalStateException: "
     "stream closed{code}"),

    # --- analytics beacons: GA4, Matomo, pixels, Segment, Sentry, web vitals, CSP reports
    ("query", "dl", "https://www.hearthandwick.example/collections/candles?sort_by=price-ascending&filter.v.availability=1"),
    ("query", "dt", "Candles – Hearth & Wick"),
    ("query", "dr", "https://www.ecosia.org/"),
    ("query", "en", "view_item_list"),
    ("query", "ep.search_term", "fig & cedar"),
    ("query", "action_name", "Blog / Slow mornings & strong coffee"),
    ("query", "_cvar", '{"1":["plan","free"],"2":["lang","de"]}'),
    ("query", "cd[content_name]", "Fig & Cedar Candle (200 g)"),
    ("json", "",
     '{"batch": [{"type": "track", "event": "Product Added", "properties": {"sku": "HW-FIG-200", "price": 24, '
     '"name": "Fig & Cedar Candle"}, "anonymousId": "4d9f2c1e-8b3a-4e7d-a1c0-5f6e7d8c9b0a", "context": {"page": '
     '{"path": "/products/fig-cedar-candle", "search": "?variant=4401"}}}], "sentAt": "2024-06-03T10:12:44.512Z"}'),
    ("body:application/x-sentry-envelope", "4507123/envelope",
     '{"event_id":"9ec79c33ec9942ab8353589fcb2e04dc","sent_at":"2024-06-03T10:12:45.001Z"}\n{"type":"event"}\n'
     '{"exception":{"values":[{"type":"TypeError","value":"Cannot read properties of null (reading \'addEventListener\')",'
     '"stacktrace":{"frames":[{"filename":"https://www.hearthandwick.example/assets/app.3f2a1c.js","function":"initCart",'
     '"lineno":1,"colno":48211}]}}]},"platform":"javascript","request":{"url":"https://www.hearthandwick.example/cart"}}'),
    ("body:text/plain", "vitals",
     '{"name":"LCP","value":2381.4,"rating":"good","id":"v3-1717245296123-4829301827","navigationType":"navigate",'
     '"page":"/blog/slow-mornings"}'),
    ("body:application/csp-report", "csp-report",
     '{"csp-report":{"document-uri":"https://www.hearthandwick.example/checkout","referrer":"","violated-directive":"img-src",'
     '"effective-directive":"img-src","original-policy":"default-src \'self\'; img-src \'self\' '
     'https://cdn.hearthandwick.example; report-uri /csp-report","blocked-uri":"https://px.ads.linkedin.com/collect/?pid=1234&fmt=gif",'
     '"disposition":"enforce","status-code":200}}'),
    ("json", "", '{"n": "pageview", "u": "https://blog.hearthandwick.example/slow-mornings?ref=newsletter", "d": '
                 '"blog.hearthandwick.example", "r": "https://lobste.rs/", "w": 1440}'),

    # --- SSO / OIDC / SAML / WS-Fed flows
    ("query", "id_token_hint",
     "eyJhbGciOiJSUzI1NiIsImtpZCI6IjZmMWUyZCIsInR5cCI6IkpXVCJ9.eyJpc3MiOiJodHRwczovL2xvZ2luLm5vcnRod2luZC1oZWFsdGguZXhh"
     "bXBsZS9yZWFsbXMvbWVtYmVycyIsInN1YiI6ImYzYzFhOWUwLTdiMmQtNGM1NS05YTFlLTJkOGU2ZjRiMWMwNyIsImF1ZCI6ImNsYWltcy1wb3J0YW"
     "wiLCJleHAiOjE3MTcyNDg4OTYsImlhdCI6MTcxNzI0NTI5Niwic2lkIjoiYjFkMmUzZjQiLCJlbWFpbCI6Im1haXJlLm9jb25ub3JAZXhhbXBsZS5p"
     "ZSIsIm5hbWUiOiJNw6FpcmUgTydDb25ub3IifQ.pKvURIxJVi2CgRXROh_M6pJ_UrTVRZKX-LQ-QtqJI4vBNibkPcs43bCCSIkn7JBPtCBXRDmD6IW"
     "FF51QVRr-YqSr1ESMSVYtgoEV0TofzOqSf1K01UWSl_i0PkLaiSOLwTYm5D3LON2wgkiJJ-yQT7QgV0Q5g-iFhRedUFUa_mKkq9REjElWLYKBFdE6H"
     "8zqkn9StNVFkpf4tD5C2okji8E2JuQ9yzjdsIJIiSfskE-0IFdEOYPohYUXnVBVGv5ipKvURIxJVi2CgRXROh_M6pJ_UrTVRZKX-LQ-QtqJI4vBNibk"
     "Pcs43bCCSIkn7JBPtCBXRDmD6IWFF51QVRr-Yg"),
    ("query", "post_logout_redirect_uri", "https://portal.northwind-health.example/signed-out"),
    ("form", "SAMLResponse",
     "PHNhbWxwOlJlc3BvbnNlIHhtbG5zOnNhbWxwPSJ1cm46b2FzaXM6bmFtZXM6dGM6U0FNTDoyLjA6cHJvdG9jb2wiIHhtbG5zOnNhbWw9InVybjpvYXNp"
     "czpuYW1lczp0YzpTQU1MOjIuMDphc3NlcnRpb24iIElEPSJfYTcxYzNmMGU5YjJkNGU1OCIgVmVyc2lvbj0iMi4wIiBJc3N1ZUluc3RhbnQ9IjIwMjQt"
     "MDYtMDNUMDg6MTU6MDJaIiBEZXN0aW5hdGlvbj0iaHR0cHM6Ly9oci5jb250b3NvLWJlbmVmaXRzLmV4YW1wbGUvc2FtbC9hY3MiIEluUmVzcG9uc2VU"
     "bz0iXzRmMmE5MWMwZDciPjxzYW1sOklzc3Vlcj5odHRwczovL3N0cy53aW5kb3dzLm5ldC8wYjFjMmQzZS00ZjUwLTYxNzItODM5NC1hNWI2YzdkOGU5"
     "ZjAvPC9zYW1sOklzc3Vlcj48c2FtbHA6U3RhdHVzPjxzYW1scDpTdGF0dXNDb2RlIFZhbHVlPSJ1cm46b2FzaXM6bmFtZXM6dGM6U0FNTDoyLjA6c3Rh"
     "dHVzOlN1Y2Nlc3MiLz48L3NhbWxwOlN0YXR1cz48c2FtbDpBc3NlcnRpb24gSUQ9Il85YzhiN2E2NSIgVmVyc2lvbj0iMi4wIiBJc3N1ZUluc3RhbnQ9"
     "IjIwMjQtMDYtMDNUMDg6MTU6MDJaIj48c2FtbDpJc3N1ZXI+aHR0cHM6Ly9zdHMud2luZG93cy5uZXQvMGIxYzJkM2UtNGY1MC02MTcyLTgzOTQtYTVi"
     "NmM3ZDhlOWYwLzwvc2FtbDpJc3N1ZXI+PHNhbWw6U3ViamVjdD48c2FtbDpOYW1lSUQgRm9ybWF0PSJ1cm46b2FzaXM6bmFtZXM6dGM6U0FNTDoxLjE6"
     "bmFtZWlkLWZvcm1hdDplbWFpbEFkZHJlc3MiPnIubmFrYW11cmFAY29udG9zby5leGFtcGxlPC9zYW1sOk5hbWVJRD48L3NhbWw6U3ViamVjdD48c2Ft"
     "bDpBdHRyaWJ1dGVTdGF0ZW1lbnQ+PHNhbWw6QXR0cmlidXRlIE5hbWU9Imh0dHA6Ly9zY2hlbWFzLnhtbHNvYXAub3JnL3dzLzIwMDUvMDUvaWRlbnRp"
     "dHkvY2xhaW1zL2dpdmVubmFtZSI+PHNhbWw6QXR0cmlidXRlVmFsdWU+UmVpPC9zYW1sOkF0dHJpYnV0ZVZhbHVlPjwvc2FtbDpBdHRyaWJ1dGU+PC9z"
     "YW1sOkF0dHJpYnV0ZVN0YXRlbWVudD48L3NhbWw6QXNzZXJ0aW9uPjwvc2FtbHA6UmVzcG9uc2U+"),
    ("form", "RelayState", "/benefits/enrolment?plan=dental-plus"),
    ("query", "wa", "wsignin1.0"),
    ("query", "wtrealm", "urn:federation:MicrosoftOnline"),
    ("query", "wctx", "rm=0&id=passive&ru=%2fportal%2fclaims%2fnew"),
    ("form", "grant_type", "urn:ietf:params:oauth:grant-type:device_code"),
    ("form", "client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"),
    ("form", "user_code", "WDJB-MJHT"),
    ("form", "session_state", "8f3c2a7e-1b4d-4c9a-9e0f-6d5b4a3c2b1a"),
    ("path", "",
     "/realms/staff/protocol/openid-connect/auth?client_id=claims-portal&response_type=code&scope=openid%20profile"
     "&redirect_uri=https%3A%2F%2Fclaims.northwind-health.example%2Fcb&kc_idp_hint=azure-ad"),
    ("path", "", "/adfs/ls/?wa=wsignout1.0"),

    # --- mobile app API calls: device headers, telemetry, persisted queries
    ("header:User-Agent", "", "Hearth/3.4.0 (com.hearthandwick.app; build:340; iOS 17.5.1) Alamofire/5.8.0"),
    ("header:User-Agent", "", "RideNow/12.31.1 (Android 13; SM-A536B; en_ZA) okhttp/4.11.0"),
    ("header:X-Device-Id", "", "5B1F9E1C-3A2D-4C8E-9F7A-0D2E4B6C8A1F"),
    ("header:X-Platform", "", "android"),
    ("header:X-App-Build", "", "2024.06.03.1 (12311)"),
    ("header:X-Push-Token", "", "fe6c417d04dc0df26abc3eaf5f95c3cf62984ff74ca43440df7d7df8163879d0"),
    ("header:Accept-Language", "", "en-AU;q=1.0, zh-Hans-AU;q=0.9"),
    ("json", "",
     '{"device": {"model": "iPhone15,3", "os": "iOS 17.5.1", "locale": "en_AU", "timezone": "Australia/Sydney", '
     '"push_token": "fa46832c97377ca0b5296fe7f40b53e4a0370dbc90882ac179dd764bfab46fd4"}, "app_version": "3.4.0"}'),
    ("json", "",
     '{"lat": -33.8688, "lng": 151.2093, "accuracy": 12.5, "speed": 0.0, "heading": null, "battery": 0.41, '
     '"ts": 1717412345123}'),
    ("json", "",
     '{"operationName": "Feed", "variables": {"first": 20, "after": "Y3Vyc29yOjIw"}, "extensions": {"persistedQuery": '
     '{"version": 1, "sha256Hash": "fe6c417d04dc0df26abc3eaf5f95c3cf62984ff74ca43440df7d7df8163879d0"}}}'),
    ("json", "",
     '{"ride": {"pickup": {"address": "Shop 3/120 Crown St, Surry Hills NSW 2010"}, "dropoff": {"address": '
     '"Sydney Airport T1 (International)"}, "note": "I\'m the one with 2 surfboards 🏄"}}'),
    ("json", "rating_comment", "Driver was great but the AC didn't work 🥵"),

    # --- search boxes in many languages and scripts
    ("query", "q", "दिल्ली से मुंबई ट्रेन टिकट"),
    ("query", "q", "ร้านกาแฟใกล้ฉัน"),
    ("query", "q", "phở bò Hà Nội ngon nhất"),
    ("query", "q", "서울 맛집 추천"),
    ("query", "q", "מתכון לחלה"),
    ("query", "q", "თბილისი სასტუმრო"),
    ("query", "q", "የአዲስ አበባ ምግብ ቤቶች"),
    ("query", "q", "சென்னை வானிலை"),
    ("query", "q", "ঢাকা থেকে চট্টগ্রাম বাস"),
    ("query", "q", "بلیط هواپیما تهران مشهد"),
    ("query", "q", "لاہور موسم"),
    ("query", "q", "розклад поїздів Київ – Львів"),
    ("query", "q", "φτηνά ξενοδοχεία Αθήνα"),
    ("query", "q", "jízdní řád Praha – Brno"),
    ("query", "q", "időjárás Budapest holnap"),
    ("query", "q", "resep nasi goreng kampung"),
    ("query", "q", "台北 夜市 推薦"),
    ("query", "q", "ｶﾌｪ 渋谷 ﾗﾝﾁ"),
    ("query", "q", "mămăligă cu brânză rețetă"),
    ("query", "q", "veður í Reykjavík"),
    ("query", "q", "Երևան եղանակ"),
    ("query", "q", "habari za leo Nairobi"),
    # --- cookies, referers and helpdesk tickets from the same tools (dashboards, BI, SSO, webmail)
    ("cookie", "", "grafana_session=9b3e1f0c2d4a5b6c7d8e9f0a1b2c3d4e"),
    ("cookie", "", "metabase.DEVICE=6f1c2d3e-4a5b-4c7d-8e9f-0a1b2c3d4e5f"),
    ("cookie", "", "KEYCLOAK_LOCALE=de"),
    ("cookie", "", "mail_view=threaded%7Cpreview-right"),
    ("header:Referer", "", "https://grafana.ops.example/d/k8s-cluster/kubernetes-cluster-overview?orgId=1&var-namespace=payments"),
    ("header:X-Grafana-Org-Id", "", "1"),
    ("form", "description",
     "Outlook archive is at D:\\Mail\\archive 2019-2023.pst and won't open after the migration: "
     "'archive 2019-2023.pst is not an Outlook data file'."),
    ("form", "description",
     "Printer driver install fails with error 0x80070005 (access denied) on C:\\Windows\\System32\\spool\\drivers\\x64\\3 "
     "- laptop LT-0412, user kwrona."),
    ("form", "post_content", '<p>Looking for older figures? See <a href="../../2023/annual-report/">last year\'s report</a>.</p>'),
]
