"""`rampart train profiles` (offline inputs, real Spark): learned rules load in the sensor and catch anomalies."""
from __future__ import annotations

import json
import random
import subprocess
from pathlib import Path

import yaml

from core.events import Request
from sensor.rules import parse_rules

ROOT = Path(__file__).resolve().parents[2]


def _event(method: str, target: str, host: str = "shop.example") -> dict:
    return {"request": {"method": method, "target": target, "host": host, "headers": []}}


def test_profiles_to_rules(tmp_path: Path) -> None:
    rnd = random.Random(3)
    events = []
    for i in range(150):
        events.append(_event("GET", f"/items/{rnd.randint(1, 999)}?page={rnd.randint(1, 50)}&sort=price_asc"))
        events.append(_event("GET", f"/search?q={'+'.join(rnd.choice(['red', 'shoe', 'big', 'x']) for _ in range(3))}"))
    events.append(_event("GET", "/items/5?page=2&sort=name"))
    traffic = tmp_path / "traffic.jsonl"
    traffic.write_text("".join(json.dumps(e) + "\n" for e in events))
    endpoints = tmp_path / "endpoints.json"
    endpoints.write_text(json.dumps([{"host": "shop.example", "method": "GET", "template": "/items/{id}"},
                                     {"host": "shop.example", "method": "GET", "template": "/search"}]))
    out = tmp_path / "rules.yaml"
    proc = subprocess.run([str(ROOT / ".venv/bin/rampart"), "train", "profiles", "--traffic", str(traffic),
                           "--endpoints", str(endpoints), "--out", str(out), "--master", "local[1]"],
                          capture_output=True, text=True, timeout=600, cwd=ROOT)
    assert proc.returncode == 0, proc.stderr[-2000:]
    doc = yaml.safe_load(out.read_text())
    by_point = {tuple(r["match"]["point"]): r for r in doc["rules"]}
    assert by_point[("get", "page")]["match"]["value"] == {"regex": "[^0-9]"}
    assert by_point[("get", "sort")]["match"]["value"] == {"regex": "[^A-Za-z0-9_.-]"}
    assert ("get", "q") in by_point and "chars" in by_point[("get", "q")]["comment"]   # length profile

    rules = parse_rules(out.read_text(), str(out))                  # the sensor loads them as they are
    attack = Request(method="GET", target="/items/7?page=1%27%20or%20%271%27=%271&sort=price", host="shop.example")
    hits, _ = rules.apply(attack, [])
    assert [h.point for h in hits if h.type == "vpatch"] == [["get", "page"]]
    normal = Request(method="GET", target="/items/7?page=3&sort=price_desc", host="shop.example")
    assert rules.apply(normal, [])[0] == []
    other_host = Request(method="GET", target="/items/7?page=x", host="other.example")
    assert rules.apply(other_host, [])[0] == []


def test_profiles_usage_errors(tmp_path: Path) -> None:
    proc = subprocess.run([str(ROOT / ".venv/bin/rampart"), "train", "profiles", "--traffic", "x.jsonl"],
                          capture_output=True, text=True, timeout=60, cwd=ROOT)
    assert proc.returncode == 2 and "go together" in proc.stderr
