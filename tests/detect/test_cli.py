"""`rampart detect`: raw requests or corpus-style JSON Lines in, one JSON verdict per request out."""
from __future__ import annotations

import base64
import json

from click.testing import CliRunner

from rampart.cli import main

RAW = b"GET /search?q=%3Cscript%3Ealert(1)%3C/script%3E HTTP/1.1\r\nHost: shop.example\r\n\r\n"


def test_detect_raw_request_from_stdin():
    r = CliRunner().invoke(main, ["detect", "-"], input=RAW)
    assert r.exit_code == 0, r.output
    out = json.loads(r.output)
    assert out["verdict"] == "attack"
    assert out["hits"][0]["type"] == "xss" and out["hits"][0]["point"] == ["get", "q"]


def test_detect_jsonl_file(tmp_path):
    f = tmp_path / "reqs.jsonl"
    rows = [{"id": "a", "raw_request_b64": base64.b64encode(RAW).decode()},
            {"id": "b", "raw_request_b64": base64.b64encode(b"GET /?q=shoes HTTP/1.1\r\nHost: x\r\n\r\n").decode()}]
    f.write_text("\n".join(json.dumps(r) for r in rows) + "\n")
    r = CliRunner().invoke(main, ["detect", str(f)])
    assert r.exit_code == 0, r.output
    outs = [json.loads(line) for line in r.output.splitlines()]
    assert [(o["id"], o["verdict"]) for o in outs] == [("a", "attack"), ("b", "clean")]


def test_detect_bad_jsonl_is_a_clear_failure(tmp_path):
    f = tmp_path / "bad.jsonl"
    f.write_text('{"nothing": 1}\n')
    r = CliRunner().invoke(main, ["detect", str(f)])
    assert r.exit_code == 1 and "line 1: not a request record" in r.output


def test_detect_limits_from_the_command_line():
    many = b"GET /?" + b"&".join(b"p%d=%d" % (i, i) for i in range(30)) + b" HTTP/1.1\r\nHost: x\r\n\r\n"
    assert json.loads(CliRunner().invoke(main, ["detect", "-"], input=many).output)["verdict"] == "clean"
    r = CliRunner().invoke(main, ["detect", "-", "--detect-limit", "max_params=10"], input=many)
    out = json.loads(r.output)
    assert out["verdict"] == "attack" and [h["value"] for h in out["hits"] if h["rule"] == "overlimit"] == ["params"]
    r = CliRunner().invoke(main, ["detect", "-", "--detect-limit", "max_params=1k"], input=many)
    assert r.exit_code == 2 and "max_params is a count, not a size" in r.output
