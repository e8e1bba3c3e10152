"""ClickHouse: scan the endpoint inventory, store findings in `vulnerabilities`, keep analyst status on rescan."""
from __future__ import annotations

import json
import time
import uuid
from datetime import datetime

from clickhouse_driver import Client

from core.schema import migrate
from tests.scanner.vulnapp import RecordingServer, VulnApp


def test_inventory_scan_stored_in_clickhouse(stack, run_scan) -> None:
    ch = Client(host="127.0.0.1", port=stack.clickhouse_port)
    db = f"rampart_scantest_{uuid.uuid4().hex[:10]}"
    migrate(ch, db)
    try:
        with RecordingServer() as outside, VulnApp() as app:
            now = datetime.now().replace(microsecond=0)
            host, other = f"127.0.0.1:{app.port}", outside.url.split("//", 1)[1]
            ch.execute(f"INSERT INTO {db}.endpoints (tenant, host, method, template, params, sample_target, "
                       "first_seen, last_seen, requests, attacks, statuses, updated_at) VALUES",
                       [["acme", host, "GET", "/item", json.dumps([{"name": "id", "in": "query", "type": "int"}]),
                         "/item?id=2", now, now, 5, 0, "{}", now],
                        ["acme", other, "GET", "/item", "[]", "/item?id=1", now, now, 1, 0, "{}", now],
                        ["other-tenant", host, "GET", "/search", "[]", "/search?q=a", now, now, 1, 0, "{}", now]])
            args = ("--from-inventory", "--database", db, "--tenant", "acme", "--clickhouse",
                    f"127.0.0.1:{stack.clickhouse_port}", "--scope", host, "--rate", "0", "--time-delay", "1",
                    "--timeout", "6")
            proc = run_scan(*args)
            assert proc.returncode == 0, proc.stderr.decode()[-2000:]
            err = proc.stderr.decode()
            assert "inventory: 2 endpoint(s)" in err and f"skipped (outside scope): GET http://{other}/item" in err
            assert outside.requests == []
            assert not any(t.startswith("/search") for _ip, _m, t in app.access_log)   # other tenant's endpoint
            rows = ch.execute(f"SELECT id, ts, type, url, param, severity, status, source, evidence "
                              f"FROM {db}.vulnerabilities FINAL WHERE tenant = 'acme'")
            sqli = [r for r in rows if r[2] == "sqli"]
            assert len(sqli) == 1 and sqli[0][3] == f"http://{host}/item" and sqli[0][4] == "query:id"
            assert sqli[0][5:8] == ("critical", "open", "scan")
            assert json.loads(sqli[0][8])["technique"] == "error"
            # The analyst marks it a false positive; a rescan must not reopen it or move its first-seen time.
            vid, first_ts = sqli[0][0], sqli[0][1]
            time.sleep(1.1)
            ch.execute(f"INSERT INTO {db}.vulnerabilities SELECT tenant, id, ts, time, host, url, method, param, "
                       f"type, severity, confidence, title, evidence, 'false_positive', source, now() "
                       f"FROM {db}.vulnerabilities FINAL WHERE id = %(id)s", {"id": vid})
            time.sleep(1.1)
            proc = run_scan(*args)
            assert proc.returncode == 0, proc.stderr.decode()[-2000:]
            again = ch.execute(f"SELECT ts, status FROM {db}.vulnerabilities FINAL WHERE id = %(id)s", {"id": vid})
            assert again == [(first_ts, "false_positive")]
    finally:
        ch.execute(f"DROP DATABASE IF EXISTS {db}")
        ch.disconnect()


def test_passive_and_replay_from_clickhouse_transactions(stack, run_scan, tmp_path) -> None:
    import base64

    from core.events import Hit, Peer, Request, Response, TransactionEvent, encode_event

    ch = Client(host="127.0.0.1", port=stack.clickhouse_port)
    db = f"rampart_scantest_{uuid.uuid4().hex[:10]}"
    migrate(ch, db)
    try:
        with VulnApp() as app:
            now = time.time()
            leak = b"<pre>sqlite3.OperationalError: unrecognized token: \"'\"</pre>"
            events = [
                TransactionEvent(ts=now, tenant="acme", client=Peer("127.0.0.1", 1), server=Peer("127.0.0.1", app.port),
                                 request=Request(method="GET", target="/item?id=1'", host=f"127.0.0.1:{app.port}"),
                                 response=Response(status=500, body_len=len(leak),
                                                   body_b64=base64.b64encode(leak).decode()),
                                 hits=[Hit(type="sqli", point=["get", "id"], value="1'", rule="sqli:q", score=0.7)],
                                 verdict="attack")]
            ch.execute(f"INSERT INTO {db}.transactions (tenant, id, ts, time, date, host, method, target, path, "
                       "status, verdict, hit_count, types, event) VALUES",
                       [[e.tenant, e.id, e.ts, datetime.fromtimestamp(int(e.ts)), datetime.fromtimestamp(int(e.ts)).date(),
                         e.request.host, "GET", e.request.target, "/item", 500, e.verdict, len(e.hits),
                         sorted({h.type for h in e.hits}), encode_event(e).decode()] for e in events])
            report = tmp_path / "ch.json"
            proc = run_scan("--passive", "clickhouse", "--replay", "clickhouse", "--since", "10", "--database", db,
                            "--tenant", "acme", "--clickhouse", f"127.0.0.1:{stack.clickhouse_port}",
                            "--scope", f"127.0.0.1:{app.port}", "--rate", "0", "--time-delay", "1",
                            "--timeout", "6", "--report", str(report))
            assert proc.returncode == 0, proc.stderr.decode()[-2000:]
        found = {(f["type"], f["source"]) for f in json.loads(report.read_text())}
        assert ("sql_error", "passive") in found and ("sqli", "replay") in found
        stored = ch.execute(f"SELECT type, source FROM {db}.vulnerabilities FINAL WHERE tenant = 'acme'")
        assert ("sqli", "replay") in stored and ("sql_error", "passive") in stored
    finally:
        ch.execute(f"DROP DATABASE IF EXISTS {db}")
        ch.disconnect()
