"""`make demo`: the main job end to end on the local stack, one named step at a time."""
from __future__ import annotations

import json
import os
import random
import re
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Callable

from core.config import StackConfig
from infra import demo_net as net
from infra.demo_traffic import ATTACK_TYPES
from infra.stack import Stack

TENANT = "demo"
REGION = "eu"
MODEL = "rampart-detector"
NODE = "demo-sensor"
SITE = f"{net.SITE_IP}:{net.SITE_PORT}"
VPATCH_RULE = {"name": "vp-legacy-upload", "kind": "vpatch", "enabled": True,
               "description": "demo: the legacy upload form is vulnerable; block every request to it",
               "spec": {"action": "vpatch", "match": {"path": {"prefix": "/legacy/"}}, "score": 0.95}}
BROWSE_REQUESTS = 300      # benign requests of the shopper (10 per keep-alive connection)
BRUTE_REQUESTS = 30        # failed logins of the brute-force burst (the workers' threshold is 10 a minute)
CORPUS_SAMPLE = 3000       # labelled corpus rows added to the stored traffic for training


class StepError(RuntimeError):
    """A step cannot complete; the message is the one-line reason shown to the user."""


def _iso(ts: float) -> str:
    return datetime.fromtimestamp(ts, timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass
class Demo:
    """Runs named steps in order; a failing step names itself and the log to read, then exits 1."""

    cfg: StackConfig
    summary: list[str] = field(default_factory=list)
    net: net.DemoNet = field(default_factory=net.DemoNet)
    facts: dict[str, Any] = field(default_factory=dict)        # what the steps found, written to summary.json
    tokens: dict[str, str] = field(default_factory=dict)       # in memory only, never printed or written
    token_ids: list[str] = field(default_factory=list)         # revoked at the end: every run mints its own
    sensor: subprocess.Popen | None = None
    sensor_starts: int = 0
    events: Path | None = None
    started: float = 0.0
    report: dict = field(default_factory=dict)

    def step(self, title: str, fn: Callable[[], str], log_hint: str = "") -> None:
        print(f"==> {title}", file=sys.stderr, flush=True)
        t0 = time.monotonic()
        try:
            result = fn()
        except Exception as exc:  # noqa: BLE001 - the demo reports any failure with its step
            where = f" (see {log_hint})" if log_hint else ""
            print(f"demo failed at step '{title}': {exc}{where}", file=sys.stderr)
            sys.exit(1)
        print(f"    {result}  [{time.monotonic() - t0:.1f}s]", file=sys.stderr, flush=True)

    # --- plumbing ---------------------------------------------------------------------------------
    @property
    def dir(self) -> Path:
        return (self.cfg.home / "demo").resolve()

    def log(self, name: str) -> Path:
        return self.dir / name

    def rampart(self, *args: str, timeout: float, log: str | None = None) -> subprocess.CompletedProcess:
        """Run a `rampart` subcommand; its output goes to `log` (appended) when given."""
        env = {**os.environ, "RAMPART_HOME": str(self.cfg.home.resolve()), "PYTHONUNBUFFERED": "1"}
        try:
            res = subprocess.run([sys.executable, "-m", "rampart", *args], capture_output=True, text=True,
                                 timeout=timeout, env=env)
        except subprocess.TimeoutExpired as exc:
            raise StepError(f"`rampart {' '.join(args[:2])}` did not finish within {timeout:.0f}s") from exc
        if log:
            with open(self.log(log), "a") as fh:
                fh.write(f"$ rampart {' '.join(a if not a.startswith('rpt_') else '***' for a in args)}\n")
                fh.write(res.stdout + res.stderr)
        return res

    def help_text(self, *cmd: str) -> str | None:
        """`rampart CMD --help`, or None when the command does not exist."""
        res = self.rampart(*cmd, "--help", timeout=60)
        return res.stdout if res.returncode == 0 else None

    def api(self, method: str, path: str, token: str = "admin", params: dict | None = None,
            body: dict | None = None, ok: tuple[int, ...] = (200,)) -> tuple[int, Any]:
        url = self.cfg.api_url(REGION) + path + ("?" + urllib.parse.urlencode(params) if params else "")
        req = urllib.request.Request(url, method=method, data=json.dumps(body).encode() if body is not None else None,
                                     headers={"Authorization": f"Bearer {self.tokens[token]}",
                                              "Content-Type": "application/json", "Accept": "application/json"})
        try:
            with urllib.request.urlopen(req, timeout=30) as resp:
                status, raw = resp.status, resp.read()
        except urllib.error.HTTPError as exc:
            status, raw = exc.code, exc.read()
        except OSError as exc:
            raise StepError(f"EU API {method} {path}: {exc}") from exc
        doc = json.loads(raw) if raw else None
        if status not in ok:
            detail = doc.get("detail") if isinstance(doc, dict) else raw[:200]
            raise StepError(f"EU API {method} {path} answered {status}: {detail}")
        return status, doc

    def api_all(self, path: str, params: dict) -> list[dict]:
        """Every item of a paged list (bounded to 20 pages)."""
        out: list[dict] = []
        cursor = None
        for _ in range(20):
            _, doc = self.api("GET", path, params={**params, "limit": 1000, **({"cursor": cursor} if cursor else {})})
            out += doc["items"]
            cursor = doc.get("next_cursor")
            if not cursor:
                break
        return out

    def clickhouse(self):
        from clickhouse_driver import Client
        return Client(host="127.0.0.1", port=self.cfg.clickhouse_port, connect_timeout=5, send_receive_timeout=60)

    @property
    def db(self) -> str:
        return self.cfg.clickhouse_database(REGION)

    # --- 1. stack ----------------------------------------------------------------------------------
    def stack_health(self) -> str:
        rows = Stack(self.cfg).status()
        bad = [f"{r.name} ({r.detail})" for r in rows if not r.healthy]
        if bad:
            raise StepError(f"unhealthy: {', '.join(bad)}; run `rampart stack up`")
        for r in rows:
            self.summary.append(f"{r.name:<12} {r.address}")
        return f"{len(rows)} services healthy"

    def migrate(self) -> str:
        if self.help_text("db", "migrate") is None:
            raise StepError("`rampart db migrate` does not exist")
        res = self.rampart("db", "migrate", "--region", REGION, timeout=120, log="migrate.log")
        if res.returncode != 0:
            raise StepError(f"`rampart db migrate --region {REGION}` failed: {_last(res)}")
        if self.help_text("api", "migrate") is None:
            raise StepError("`rampart api migrate` does not exist")
        res = self.rampart("api", "migrate", "--region", REGION, timeout=120, log="migrate.log")
        if res.returncode != 0:
            raise StepError(f"`rampart api migrate --region {REGION}` failed: {_last(res)}")
        _, ready = self._ready()
        return f"ClickHouse {self.db} and the EU control plane at the latest schema; API {ready}"

    def _ready(self) -> tuple[int, str]:
        deadline = time.monotonic() + 30
        status, text = 0, ""
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(self.cfg.api_url(REGION) + "/ready", timeout=5) as resp:
                    return resp.status, "ready"
            except urllib.error.HTTPError as exc:
                status, text = exc.code, exc.read().decode(errors="replace")[:200]
            except OSError as exc:
                text = str(exc)
            time.sleep(1)
        raise StepError(f"EU API /ready: {status} {text}")

    # --- 2. tokens ---------------------------------------------------------------------------------
    def create_tokens(self) -> str:
        for role in ("admin", "node"):
            res = self.rampart("tokens", "create", "--region", REGION, "--tenant", TENANT, "--role", role,
                               "--name", f"demo-{role}", timeout=60)
            lines = res.stdout.strip().splitlines()
            if res.returncode != 0 or not lines:
                raise StepError(f"`rampart tokens create --role {role}` failed: {_last(res)}")
            self.tokens[role] = lines[-1].strip()
            m = re.search(r"created token (\d+)", res.stdout + res.stderr)
            if m:
                self.token_ids.append(m.group(1))
        # every run mints a new node token: forget the node an earlier run's (revoked) token registered
        for node in self.api_all("/v1/nodes", {}):
            if node.get("name") == NODE:
                self.api("DELETE", f"/v1/nodes/{node['id']}", ok=(204, 404))
        # the analyst's virtual patch for the legacy upload form (kept if it exists from an earlier run)
        status, _ = self.api("POST", "/v1/rules", body=VPATCH_RULE, ok=(201, 409))
        return (f"admin and node tokens for tenant {TENANT!r} in {REGION.upper()} (not shown); virtual patch "
                f"{VPATCH_RULE['name']} {'created' if status == 201 else 'already there'} through the API")

    # --- 3. network and site -----------------------------------------------------------------------
    def build_network(self) -> str:
        what = self.net.up()
        n = _next_run(self.dir / "run-counter")
        self.facts["run"] = n
        # a fresh brute-force source per run: the workers keep a source denylisted for an hour
        self.facts["brute_ip"] = brute_ip = f"198.18.10.{100 + n % 150}"
        self.net.add_address(net.ATTACKER_NS, brute_ip)
        self.net.spawn(net.SITE_NS, [sys.executable, "-m", "infra.demo_site", "--host", net.SITE_IP,
                                     "--port", str(net.SITE_PORT)], log=self.log("site.log"), cwd=_root())
        net.wait_port(net.SITE_IP, net.SITE_PORT)
        return f"{what}; demo shop on http://{SITE}/ (site {net.SITE_IP}, client {net.CLIENT_IP}, attacker " \
               f"{net.ATTACKER_IP}, brute-force source {brute_ip})"

    # --- 4. sensor ---------------------------------------------------------------------------------
    def start_sensor(self, events_name: str = "events.jsonl") -> str:
        help_ = self.help_text("sensor", "run")
        if help_ is None:
            raise StepError("`rampart sensor run` does not exist")
        self.events = events = self.log(events_name)
        events.unlink(missing_ok=True)
        argv = [sys.executable, "-m", "rampart", "sensor", "run", "--iface", net.BRIDGE, "--mode", "block",
                "--bpf", f"tcp port {net.SITE_PORT}", "--kafka", self.cfg.kafka_bootstrap(REGION),
                "--events", str(events), "--tenant", TENANT, "--node", NODE]
        extras = []
        if "--api" in help_ and "--node-token" in help_:      # the sensor keeps itself in step with the API
            argv += ["--api", self.cfg.api_url(REGION)]       # the token goes by environment, not argv (ps)
            extras.append("node sync")
        if "--denylist-kafka" in help_:      # sources the workers denylist (brute force) are refused at once
            argv += ["--denylist-kafka", self.cfg.kafka_bootstrap(REGION)]
            extras.append("workers' denylist topic")
        if "node sync" in extras:
            pass
        else:                                                 # else the operator exports the API's state to files
            if "--rules" in help_:
                argv += ["--rules", str(self.export_rules())]
                extras.append("rules from the API")
            if "--ip-lists" in help_:
                argv += ["--ip-lists", str(self.export_ip_lists())]
                extras.append("IP lists from the API")
        self.facts["sensor_features"] = extras
        log = self.log("sensor.log")
        if events_name == "events.jsonl":
            log.write_text("")
        env = {"RAMPART_HOME": str(self.cfg.home.resolve())}
        if "node sync" in extras:
            env["RAMPART_NODE_TOKEN"] = self.tokens["node"]
        self.sensor = self.net.spawn(None, argv, log=log, cwd=_root(), env=env)
        deadline = time.monotonic() + 180      # compiling the detection database takes a while on a busy machine
        while time.monotonic() < deadline:
            text = log.read_text(errors="replace")
            if text.count("capturing on") > self.sensor_starts:
                self.sensor_starts += 1
                return f"sensor capturing on {net.BRIDGE} in block mode, events to Kafka {REGION.upper()} and " \
                       f"{events.name}" + (f" ({', '.join(extras)})" if extras else "")
            if self.sensor.poll() is not None:
                raise StepError(f"sensor exited with code {self.sensor.returncode}: {_tail(text)}")
            time.sleep(0.2)
        raise StepError("sensor did not start capturing within 180s")

    def export_rules(self) -> Path:
        """The tenant's enabled rules, read through the API, in the sensor's rule-file format (JSON is YAML)."""
        specs = []
        for r in self.api_all("/v1/rules", {}):
            if r["enabled"]:
                specs.append({**r["spec"], "id": r["name"]})
        path = self.log("rules.yaml")
        path.write_text(json.dumps({"rules": specs}, indent=1) + "\n")
        return path

    def export_ip_lists(self) -> Path:
        """The tenant's live IP list entries, read through the API, in the sensor's list-file format."""
        lines = ["# exported from the EU API by the demo"]
        for e in self.api_all("/v1/ip-lists", {}):
            until = f" until={_utc(e['expires_at'])}" if e.get("expires_at") else ""
            lines.append(f"{e['list']} {e['ip']}{until}")
        path = self.log("ip-lists.txt")
        path.write_text("\n".join(lines) + "\n")
        return path

    # --- 5. traffic --------------------------------------------------------------------------------
    def drive_traffic(self) -> str:
        self.started = self.facts["started"] = self.window_start()
        roles = [("browse", net.CLIENT_NS, ["--count", str(BROWSE_REQUESTS), "--per-conn", "10"]),
                 ("attack", net.ATTACKER_NS, ["--count", "1", "--per-conn", "2"]),
                 ("brute", net.ATTACKER_NS, ["--count", str(BRUTE_REQUESTS), "--per-conn", "10",
                                             "--source", self.facts["brute_ip"]])]
        procs = {}
        for role, ns, args in roles:
            out = open(self.log(f"traffic-{role}.json"), "w")
            procs[role] = (subprocess.Popen(["ip", "netns", "exec", ns, sys.executable, "-m", "infra.demo_traffic",
                                             role, "--host", net.SITE_IP, "--port", str(net.SITE_PORT),
                                             "--budget", "150", *args],
                                            stdout=out, stderr=subprocess.PIPE, text=True, cwd=_root()), out)
        results: dict[str, list[dict]] = {}
        for role, (proc, out) in procs.items():
            try:
                _, err = proc.communicate(timeout=200)
            except subprocess.TimeoutExpired as exc:
                proc.kill()
                raise StepError(f"traffic ({role}) did not finish within 200s") from exc
            out.close()
            if proc.returncode != 0:
                raise StepError(f"traffic ({role}) failed: {_tail(err)}")
            results[role] = json.loads(self.log(f"traffic-{role}.json").read_text())["results"]
        every = [r for v in results.values() for r in v]
        sent = len(every)
        benign = [r for r in every if r["kind"] == "browse"]
        browse_ok = sum(r["outcome"] == "ok" and r["status"] is not None and r["status"] < 400 for r in benign)
        attacks = [r for r in results["attack"] if r["kind"] == "attack"]
        reset = [r for r in attacks if r["outcome"] == "reset"]
        answered = [r for r in attacks if r["status"] is not None]
        by_type: dict[str, list[int]] = {}
        for r in attacks:
            row = by_type.setdefault(r["type"], [0, 0, 0])      # reset, answered, other (closed, timeout)
            row[0 if r["outcome"] == "reset" else 1 if r["status"] is not None else 2] += 1
        brute_401 = sum(r["status"] == 401 for r in results["brute"])
        self.facts["traffic"] = {"sent": sent, "browse": len(benign), "browse_ok": browse_ok,
                                 "attacks": len(attacks), "attacks_reset": len(reset),
                                 "attacks_answered": len(answered), "brute": len(results["brute"]),
                                 "brute_401": brute_401, "by_type": by_type}
        for t, (r, a, o) in sorted(by_type.items()):
            print(f"      {t:<15} reset {r}  answered {a}" + (f"  other {o}" if o else ""), file=sys.stderr)
        self.wait_events(every, answered_only=True)
        if browse_ok < 0.99 * len(benign):
            raise StepError(f"only {browse_ok}/{len(benign)} benign requests succeeded")
        if brute_401 < 10:
            raise StepError(f"the brute-force burst got only {brute_401} answers (401)")
        # out of band, a reset can lose the race against a fast answer (docs: blocking); a type is enforced when
        # the client saw at least one of its attacks reset, and every race lost is reported
        unblocked = sorted(t for t, (r, _a, _o) in by_type.items() if r == 0)
        feats = self.facts["sensor_features"]
        failing = [t for t in unblocked if t != "vpatch" or "rules from the API" in feats or "node sync" in feats]
        if failing:
            raise StepError(f"no attack of type {', '.join(failing)} was reset")
        self.facts["unenforced"] = unblocked
        races = [f"{r['type']} {r['method']} {r['target'][:40]}" for r in answered]
        self.facts["races_lost"] = races
        self.sent = every
        return (f"{browse_ok}/{len(benign)} benign requests answered; {len(reset)}/{len(attacks)} attack "
                f"connections reset ({len(by_type) - len(unblocked)}/{len(ATTACK_TYPES)} types); "
                f"{brute_401} failed logins from {self.facts['brute_ip']}"
                + (f" ({cut} more refused once the workers denylisted it)" if (cut := len(results["brute"]) - brute_401)
                   else "")
                + (f"; NOT enforced: {', '.join(unblocked)} (the sensor cannot load the API's rules)" if unblocked
                   else "")
                + (f"; WARNING: {len(races)} attack(s) answered before the reset (race lost): {races}" if races
                   else ""))

    def window_start(self) -> float:
        """This run's window starts on a whole minute (the API's per-minute metrics are bucketed so); if an earlier
        run's transactions fall in the current minute, wait for the next one so the window holds this run only."""
        now = time.time()
        minute = now // 60 * 60
        earlier = self.clickhouse().execute(f"SELECT count() FROM {self.db}.transactions WHERE tenant = %(t)s "
                                            f"AND ts >= %(m)s", {"t": TENANT, "m": minute})[0][0]
        if earlier:
            time.sleep(minute + 60.5 - now)
            minute += 60
        return float(minute)

    def wait_events(self, results: list[dict], answered_only: bool = False, timeout: float = 30.0) -> int:
        """The sensor writes each event when its transaction ends: wait until every answered request has one and
        the file stops growing (a request cut by a reset may or may not have reached the wire)."""
        path = self.events
        # a reset flow's transaction is reported when the flow ends (at the latest when the sensor stops)
        answered = sum(r["status"] is not None or (not answered_only and r["kind"] == "attack"
                                                   and r["outcome"] == "reset") for r in results)
        deadline = time.monotonic() + timeout
        n, last, stable = 0, -1, 0.0
        while time.monotonic() < deadline:
            n = _count_lines(path)
            stable = stable + 0.3 if n == last else 0.0
            last = n
            if n >= answered and stable >= 2.0:
                break
            time.sleep(0.3)
        self.facts["events"] = n
        if n < answered:
            raise StepError(f"the sensor wrote {n} events for {answered} requests answered or reset")
        return n

    # --- 6. storage --------------------------------------------------------------------------------
    def wait_stored(self) -> str:
        events = [json.loads(line) for line in self.events.read_text().splitlines() if line.strip()]
        ids = tuple({e["id"] for e in events})
        if not ids:
            return f"no events in {self.events.name}"
        ch = self.clickhouse()
        deadline = time.monotonic() + 120
        stored = 0
        while time.monotonic() < deadline:
            stored = ch.execute(f"SELECT uniqExact(id) FROM {self.db}.transactions WHERE tenant = %(t)s "
                                f"AND id IN %(ids)s", {"t": TENANT, "ids": ids})[0][0]
            if stored >= len(ids):
                break
            time.sleep(1)
        if stored < len(ids):
            raise StepError(f"the EU worker stored {stored}/{len(ids)} transactions within 120s")
        if "kafka_denylist" in self.facts:
            return f"{stored} transactions in ClickHouse {self.db}"
        brute = []
        while time.monotonic() < deadline + 30:
            brute = ch.execute(f"SELECT count() FROM {self.db}.hits WHERE tenant = %(t)s AND type = 'brute' "
                               f"AND client_ip = %(ip)s AND ts >= %(s)s",
                               {"t": TENANT, "ip": self.facts["brute_ip"], "s": self.started})
            if brute[0][0]:
                break
            time.sleep(1)
        if not brute or not brute[0][0]:
            raise StepError(f"the EU worker raised no `brute` hit for {self.facts['brute_ip']}")
        deny = _denylisted(self.cfg.kafka_bootstrap(REGION), TENANT, self.facts["brute_ip"])
        self.facts["kafka_denylist"] = deny
        if "workers' denylist topic" in self.facts.get("sensor_features", []):
            return (f"{stored} transactions in ClickHouse {self.db}; brute force from {self.facts['brute_ip']} "
                    f"detected{' and denylisted on rampart.denylist.v1' if deny else ' (NOT on the denylist topic)'}")
        self.analyst_denylists()
        return (f"{stored} transactions in ClickHouse {self.db}; brute force from {self.facts['brute_ip']} detected"
                f"{' and denylisted on rampart.denylist.v1' if deny else ''}; added to the API denylist")

    def analyst_denylists(self) -> None:
        """The analyst, seeing the brute force, puts its source on the tenant's denylist for an hour (API)."""
        self.api("POST", "/v1/ip-lists", body={"list": "deny", "ip": self.facts["brute_ip"], "ttl_seconds": 3600,
                                                "reason": "brute force on /login (demo)"}, ok=(201, 409))
        self.facts["api_denylisted"] = True

    # --- 7. model ----------------------------------------------------------------------------------
    def train(self) -> str:
        if self.help_text("train") is None:
            raise StepError("`rampart train` does not exist")
        sample = self.corpus_sample()
        res = self.rampart("train", "--region", REGION, "--tenant", TENANT, "--since", str(int(self.started) - 3600),
                           "--data", str(sample), "--clickhouse", "--learners", "lr", "--select", "lr",
                           "--register", MODEL, "--driver-memory", "1g", "--num-features", "16384",
                           "--experiment", "rampart-demo", timeout=600, log="train.log")
        if res.returncode != 0:
            raise StepError(f"`rampart train` failed: {_last(res)}")
        m = re.search(r"registered \S+ version (\d+)", res.stdout + res.stderr)
        if not m:
            raise StepError("`rampart train` did not say which version it registered")
        self.facts["model_version"] = m.group(1)
        sel = re.search(r"selected \w+: (roc_auc=\S+ f1=\S+)", res.stdout)
        return f"{MODEL} version {m.group(1)} registered in MLflow" + (f" ({sel.group(1)})" if sel else "")

    def corpus_sample(self) -> Path:
        """A fixed sample of the labelled corpus (httpparams values, every attack family) so training is quick."""
        src = _corpus_dir() / "httpparams.jsonl"
        if not src.is_file():
            raise StepError(f"labelled corpus not found at {src} (set RAMPART_CORPUS)")
        rows = [json.loads(line) for line in src.read_text().splitlines() if line.strip()]
        rnd = random.Random(42)
        rnd.shuffle(rows)
        per_family: dict[str, list[dict]] = {}
        for r in rows:
            per_family.setdefault(r.get("attack_type", r["label"]), []).append(r)
        share = CORPUS_SAMPLE // 2
        benign = [r for r in rows if r["label"] == "benign"][:share]
        families = [f for f in per_family if f != "norm"]
        attack = [r for f in families for r in per_family[f][:share // len(families)]]
        path = self.log("corpus-sample.jsonl")
        path.write_text("".join(json.dumps({"value": r["value"], "label": r["label"]}) + "\n"
                                for r in benign + attack))
        return path

    def promote(self) -> str:
        from mlflow import MlflowClient

        client = MlflowClient(tracking_uri=self.cfg.mlflow_url, registry_uri=self.cfg.mlflow_url)
        try:
            before = client.get_model_version_by_alias(MODEL, "champion").version
        except Exception:  # noqa: BLE001 - no champion yet
            before = None
        version = self.facts["model_version"]
        # what a person does in the MLflow UI: move the `champion` alias to the new version
        client.set_registered_model_alias(MODEL, "champion", version)
        self.facts["champion_before"] = before
        self.facts["promoted_at"] = time.time()
        return f"alias champion: {before or 'none'} -> {version}"

    def scores_change(self) -> str:
        """With the sensor back on the bridge, browse and attack again until the worker scores with the new champion."""
        label = f"{MODEL}/{self.facts['model_version']}"
        self.start_sensor("events-2.jsonl")
        ch = self.clickhouse()
        deadline = time.monotonic() + 150
        sent: list[dict] = []
        scored: dict[str, int] = {}
        while time.monotonic() < deadline:
            for role, ns, args in (("browse", net.CLIENT_NS, ["--count", "20", "--seed", str(int(time.time()))]),
                                   ("attack", net.ATTACKER_NS, ["--count", "1", "--per-conn", "2"])):
                res = self.net.run(ns, [sys.executable, "-m", "infra.demo_traffic", role, "--host", net.SITE_IP,
                                        "--port", str(net.SITE_PORT), "--budget", "60", *args], timeout=90)
                if res.returncode != 0:
                    raise StepError(f"traffic ({role}) failed: {_tail(res.stderr)}")
                sent += json.loads(res.stdout)["results"]
            time.sleep(2)
            # both kinds must be scored by the new version (the swap can land between browsing and attacks)
            scored = dict(ch.execute(f"SELECT verdict, count() FROM {self.db}.transactions WHERE tenant = %(t)s "
                                     f"AND model_version = %(m)s AND ts >= %(s)s GROUP BY verdict",
                                     {"t": TENANT, "m": label, "s": self.facts["promoted_at"] - 5}))
            if scored.get("clean") and scored.get("attack"):
                break
        self.sent = sent
        self.stop_sensor()
        if not (scored.get("clean") and scored.get("attack")):
            raise StepError(f"clean and attack transactions not both scored by {label} within 150s (scored: "
                            f"{scored or 'none'}; the worker says: {_worker_scoring(self.cfg)})")
        self.wait_stored()
        rows = ch.execute(f"SELECT verdict, count(), avg(score), max(score) FROM {self.db}.transactions FINAL "
                          f"WHERE tenant = %(t)s AND model_version = %(m)s AND ts >= %(s)s GROUP BY verdict",
                          {"t": TENANT, "m": label, "s": self.facts["promoted_at"] - 5})
        before = ch.execute(f"SELECT model_version, count() FROM {self.db}.transactions FINAL WHERE tenant = %(t)s "
                            f"AND ts >= %(s)s AND ts < %(p)s GROUP BY model_version",
                            {"t": TENANT, "s": self.started, "p": self.facts["promoted_at"]})
        self.facts["scores"] = {v: {"n": n, "avg": round(a, 4), "max": round(m, 4)} for v, n, a, m in rows}
        self.facts["scored_before"] = {mv or "not scored": n for mv, n in before}
        parts = [f"{v}: {n} rows, mean score {a:.3f}" for v, n, a, _m in sorted(rows)]
        was = ", ".join(f"{k} {n}" for k, n in sorted(self.facts["scored_before"].items()))
        return f"before: {was}; now scored by {label} — " + "; ".join(parts)

    # --- 8. scanner --------------------------------------------------------------------------------
    def stop_sensor(self) -> str:
        """SIGTERM: the sensor flushes (reset flows' transactions included), closes Kafka and exits 0."""
        if self.sensor is None or self.sensor.poll() is not None:
            raise StepError("the sensor is not running")
        code = self.net.stop(self.sensor, timeout=60)
        text = self.log("sensor.log").read_text(errors="replace")
        last = [l for l in text.splitlines() if l.startswith("sensor:")]
        if code != 0:
            raise StepError(f"sensor exited with code {code} on SIGTERM: {_tail(text)}")
        m = re.search(r"resets sent (\d+)", last[-1] if last else "")
        self.facts["resets_sent"] = self.facts.get("resets_sent", 0) + (int(m.group(1)) if m else 0)
        n = _count_lines(self.events)
        self.facts.setdefault("event_files", {})[self.events.name] = n
        missing = _without_event(self.sent, self.events)
        if missing:
            self.facts.setdefault("events_missing", []).extend(missing)
        want = sum(r["status"] is not None or (r["kind"] == "attack" and r["outcome"] == "reset") for r in self.sent)
        if len(missing) > max(2, want // 20):
            raise StepError(f"{len(missing)} of {want} requests answered or reset have no event, e.g. {missing[:3]}")
        return ((last[-1] if last else "sensor stopped") + f"; {n} events in {self.events.name}"
                + (f"; WARNING: {len(missing)} reset requests without an event: {missing}" if missing else ""))

    def scan(self) -> str:
        if self.help_text("scan") is None:
            raise StepError("`rampart scan` does not exist")
        res = self.rampart("scan", "--target", f"http://{SITE}/", "--scope", SITE, "--region", REGION,
                           "--tenant", TENANT, "--rate", "100/s", "--max-pages", "40", "--time-delay", "1",
                           "--timeout", "10", timeout=600, log="scan.log")
        if res.returncode != 0:
            raise StepError(f"`rampart scan` failed: {_last(res)}")
        items = self.api_all("/v1/vulnerabilities", {"host": SITE})
        if not items:
            items = self.api_all("/v1/vulnerabilities", {"host": net.SITE_IP})
        if not items:
            raise StepError("the scan stored no vulnerability readable through the EU API")
        kinds = sorted({v["type"] for v in items})
        return f"{len(items)} vulnerabilities stored in {self.db}: {', '.join(kinds)}"

    # --- 9. summary --------------------------------------------------------------------------------
    def read_summary(self) -> str:
        win = {"from": _iso(self.started), "to": _iso(time.time() + 60)}
        _, types = self.api("GET", "/v1/metrics/top", params={**win, "by": "types", "limit": 100})
        _, sources = self.api("GET", "/v1/metrics/top", params={**win, "by": "sources", "limit": 5})
        _, series = self.api("GET", "/v1/metrics/series", params={**win, "interval": "hour"})
        attacks = self.api_all("/v1/attacks", win)
        brute = self.api_all("/v1/hits", {**win, "type": "brute"})
        deny = self.api_all("/v1/ip-lists", {"list": "deny"})
        vulns = self.api_all("/v1/vulnerabilities", {"host": SITE}) or \
            self.api_all("/v1/vulnerabilities", {"host": net.SITE_IP})
        status, model = self.api("GET", "/v1/models/current", ok=(200, 404))
        pts = series["points"]
        blocked_by_type = {}
        for e in types["items"]:
            _, ser = self.api("GET", "/v1/metrics/series", params={**win, "interval": "hour", "type": e["key"]})
            blocked_by_type[e["key"]] = sum(p["blocked"] for p in ser["points"])
        out = {
            "window": win, "tenant": TENANT, "region": REGION,
            "requests": sum(p["requests"] for p in pts),
            "attack_transactions": sum(p["attacks"] for p in pts),
            "blocked": sum(p["blocked"] for p in pts),
            "hits_by_type": {e["key"]: e["hits"] for e in types["items"]},
            "transactions_by_type": {e["key"]: e["transactions"] for e in types["items"]},
            "blocked_by_type": blocked_by_type,
            "attacks": len(attacks), "attacks_blocked_hits": sum(a["blocked"] for a in attacks),
            "top_sources": [[e["key"], e["hits"]] for e in sources["items"]],
            "brute_sources": sorted({h["client_ip"] for h in brute}),
            "denylist_api": sorted(e["ip"] for e in deny),
            "denylist_kafka": [self.facts["brute_ip"]] if self.facts.get("kafka_denylist") else [],
            "vulnerabilities": len(vulns),
            "vulnerabilities_by_type": _count(v["type"] for v in vulns),
            "vulnerabilities_by_severity": _count(v["severity"] for v in vulns),
            "model": {"name": model["name"], "version": model["version"], "metrics": model.get("metrics", {})}
            if status == 200 else None,
            "facts": self.facts,
        }
        (self.dir / "summary.json").write_text(json.dumps(out, indent=1, default=str))
        self.report = out
        return f"{out['requests']} transactions, {out['attack_transactions']} attacks, {out['blocked']} blocked"

    def print_summary(self) -> None:
        s = self.report
        p = print
        p("\nRampart demo summary (read back through the EU API, tenant demo, this run)")
        p(f"  window          {s['window']['from']} .. now")
        p(f"  transactions    {s['requests']}   attacks {s['attack_transactions']}   blocked {s['blocked']} "
          f"(reset or denylisted)")
        t = self.facts.get("traffic", {})
        p(f"  client view     {t.get('browse_ok')}/{t.get('browse')} benign requests answered, "
          f"{t.get('attacks_reset')}/{t.get('attacks')} attack connections reset, "
          f"sensor sent {self.facts.get('resets_sent', 0)} RSTs")
        p("  attacks by type " + ", ".join(f"{k} {v}" + (f" ({s['blocked_by_type'].get(k, 0)} blocked)"
                                                         if k != "brute" else "")
                                           for k, v in sorted(s["transactions_by_type"].items())))
        if self.facts.get("races_lost"):
            p(f"  races lost      {len(self.facts['races_lost'])}: {', '.join(self.facts['races_lost'])}")
        p(f"  grouped attacks {s['attacks']}")
        p("  top sources     " + ", ".join(f"{ip} ({n} hits)" for ip, n in s["top_sources"]))
        p("  brute force     " + (", ".join(s["brute_sources"]) or "none")
          + (" — denylisted by the EU worker (rampart.denylist.v1)" if s["denylist_kafka"] else ""))
        p("  denylist (API)  " + (", ".join(s["denylist_api"]) or "empty"))
        p(f"  vulnerabilities {s['vulnerabilities']}: "
          + ", ".join(f"{k} {v}" for k, v in sorted(s["vulnerabilities_by_type"].items())))
        m = s["model"]
        p(f"  model           {MODEL} champion version {m['version'] if m else 'none'}"
          + (f" (was {self.facts.get('champion_before') or 'none'})" if m else ""))
        if self.facts.get("unenforced"):
            p(f"  NOT enforced    {', '.join(self.facts['unenforced'])}: `rampart sensor run` cannot load rules")
        if not (self.facts.get("sensor_features") and "node sync" in self.facts["sensor_features"]):
            p("  node sync       not available in `rampart sensor run`: rules and IP lists exported from the API to "
              "its files")
        p("")
        for line in self.summary:
            p(f"  {line}")
        p(f"  API docs:  {self.cfg.api_url(REGION)}/docs  (US: {self.cfg.api_url('us')}/docs)")
        p(f"  MLflow UI: {self.cfg.mlflow_url}/#/models/{MODEL}")
        p(f"  Logs:      {self.dir}")

    def api_lists_enforced(self) -> str:
        """What the analyst set through the API holds on the wire: the virtual patch reset its requests (step 5),
        and the source denylisted after the brute force is refused at connection set-up."""
        feats = self.facts.get("sensor_features", [])
        if "rules from the API" not in feats and "node sync" not in feats:
            raise StepError("`rampart sensor run` takes no rules (--rules or node sync): the virtual patch "
                            f"{VPATCH_RULE['name']} set through the EU API cannot reach the sensor")
        if self.facts.get("unenforced"):
            raise StepError(f"attacks of type {', '.join(self.facts['unenforced'])} were answered, not reset")
        via_topic = "workers' denylist topic" in feats and not self.facts.get("api_denylisted")
        if not via_topic and "IP lists from the API" not in feats and "node sync" not in feats:
            raise StepError("`rampart sensor run` takes no IP lists (--ip-lists or node sync): the denylist entry for "
                            f"{self.facts['brute_ip']} set through the EU API cannot reach the sensor")
        self.sent = []
        self.start_sensor("events-3.jsonl")
        try:
            if "node sync" in feats or via_topic:
                # the sensor says "capturing" before its denylist feed (a fresh consumer group reading the
                # compacted topic from the start) or its first sync has caught up: give it a few seconds
                time.sleep(8)
            res = self.net.run(net.ATTACKER_NS, [sys.executable, "-m", "infra.demo_traffic", "brute", "--host",
                                                 net.SITE_IP, "--port", str(net.SITE_PORT), "--count", "3",
                                                 "--per-conn", "1", "--source", self.facts["brute_ip"]], timeout=60)
            results = self.sent = json.loads(res.stdout)["results"]
        finally:
            self.stop_sensor()
        self.wait_stored()
        answered = [r for r in results if r["status"] is not None]
        if answered:
            raise StepError(f"{len(answered)}/{len(results)} logins from the denylisted {self.facts['brute_ip']} "
                            "were answered")
        outcomes = ", ".join(sorted({r["outcome"] for r in results}))
        how = "by the EU worker (rampart.denylist.v1)" if via_topic else "through the API"
        if via_topic:
            self.analyst_denylists()        # and the analyst keeps it on the tenant's list for an hour
        return (f"virtual patch {VPATCH_RULE['name']} reset its requests; {len(results)} logins from "
                f"{self.facts['brute_ip']}, denylisted {how}, refused ({outcomes})")

    def node_sync(self) -> str:
        """The sensor itself keeps its rules and lists in step with the API (register, poll /v1/nodes/sync)."""
        help_ = self.help_text("sensor", "run") or ""
        if not ("--api" in help_ and "--node-token" in help_):
            # the brief runs the sensor with node sync only "if supported": say so loudly, do not fail
            self.facts["node_sync"] = False
            return ("NOT AVAILABLE: `rampart sensor run` has no --api/--node-token, so it neither registers with "
                    "the EU API nor polls /v1/nodes/sync; the demo exported the API's rules and IP lists to its "
                    "--rules/--ip-lists files instead (checked on the wire in step 8)")
        self.facts["node_sync"] = True
        _, doc = self.api("GET", "/v1/nodes", params={"limit": 100})
        mine = [n for n in doc["items"] if n.get("name") == NODE]
        if not mine:
            raise StepError(f"the sensor ran with node sync but node {NODE!r} is not registered in the EU API")
        return f"node {NODE} registered; last sync {mine[0].get('last_sync_at')}"

    def teardown(self) -> None:
        self.net.down()
        for tid in self.token_ids:
            res = self.rampart("tokens", "revoke", "--region", REGION, tid, timeout=60)
            if res.returncode != 0:
                print(f"warning: could not revoke demo token {tid}: {_last(res)}", file=sys.stderr)


def _root() -> Path:
    return Path(__file__).resolve().parents[1]


def _utc(iso: str) -> str:
    """An API time (ISO 8601, UTC when no zone is given) as the sensor's list files want it."""
    dt = datetime.fromisoformat(iso.replace("Z", "+00:00"))
    dt = dt if dt.tzinfo else dt.replace(tzinfo=timezone.utc)
    return dt.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def _corpus_dir() -> Path:
    """The labelled corpus: $RAMPART_CORPUS, else shared/corpus next to (or above) the work tree."""
    env = os.environ.get("RAMPART_CORPUS")
    if env:
        return Path(env)
    for parent in Path(__file__).resolve().parents:
        for cand in (parent / "shared" / "corpus", parent.parent / "shared" / "corpus"):
            if cand.is_dir():
                return cand
    return Path("/work/shared/corpus")


def _last(res: subprocess.CompletedProcess) -> str:
    lines = (res.stderr.strip() or res.stdout.strip()).splitlines()
    return lines[-1][:300] if lines else f"exit code {res.returncode}"


def _tail(text: str) -> str:
    lines = [l for l in (text or "").strip().splitlines() if l.strip()]
    return lines[-1][:300] if lines else "no output"


def _count(items) -> dict[str, int]:
    out: dict[str, int] = {}
    for i in items:
        out[i] = out.get(i, 0) + 1
    return out


def _without_event(sent: list[dict], events: Path) -> list[str]:
    """Requests the client saw answered (or an attack the client saw reset) that have no event from the sensor,
    matched on (client port, method, target)."""
    seen: dict[tuple, int] = {}
    for line in events.read_text().splitlines():
        if line.strip():
            e = json.loads(line)
            k = (e["client"]["port"], e["request"]["method"], e["request"]["target"])
            seen[k] = seen.get(k, 0) + 1
    out = []
    for r in sent:
        if r["status"] is None and not (r["kind"] == "attack" and r["outcome"] == "reset"):
            continue
        k = (r.get("port", 0), r["method"], r["target"])
        if seen.get(k, 0) > 0:
            seen[k] -= 1
        else:
            out.append(f"{r['method']} {r['target'][:60]} ({r['type'] or r['kind']}, port {r.get('port')})")
    return out


def _count_lines(path: Path) -> int:
    try:
        with open(path, "rb") as fh:
            return sum(1 for line in fh if line.endswith(b"\n"))
    except FileNotFoundError:
        return 0


def _next_run(path: Path) -> int:
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        n = int(path.read_text().strip()) + 1
    except (OSError, ValueError):
        n = random.Random().randint(0, 149)
    path.write_text(str(n))
    return n


def _denylisted(bootstrap: str, tenant: str, ip: str, timeout: float = 30.0) -> bool:
    """Whether rampart.denylist.v1 holds a live entry for tenant|ip (read from the start, bounded)."""
    from confluent_kafka import Consumer, TopicPartition

    from core import topics

    c = Consumer({"bootstrap.servers": bootstrap, "group.id": f"rampart-demo-{os.getpid()}",
                  "enable.auto.commit": False, "auto.offset.reset": "earliest"})
    try:
        name = topics.DENYLIST
        md = c.list_topics(name, timeout=10)
        parts = md.topics[name].partitions
        if not parts:
            return False
        ends = {p: c.get_watermark_offsets(TopicPartition(name, p), timeout=10)[1] for p in parts}
        c.assign([TopicPartition(name, p, 0) for p in parts])
        key = f"{tenant}|{ip}".encode()
        found = False
        done: set[int] = {p for p, end in ends.items() if end == 0}
        deadline = time.monotonic() + timeout
        while len(done) < len(parts) and time.monotonic() < deadline:
            msg = c.poll(0.5)
            if msg is None or msg.error():
                continue
            if msg.key() == key:
                found = msg.value() is not None
            if msg.offset() + 1 >= ends[msg.partition()]:
                done.add(msg.partition())
        return found
    finally:
        c.close()


def _worker_scoring(cfg: StackConfig) -> str:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{cfg.worker_eu_port}/health", timeout=5) as resp:
            return json.loads(resp.read()).get("scoring", "?")
    except (OSError, ValueError) as exc:
        return f"unreachable: {exc}"


def main() -> None:
    cfg = StackConfig.from_env()
    demo = Demo(cfg)
    demo.dir.mkdir(parents=True, exist_ok=True)
    logs = (cfg.home / "logs").resolve()
    d = demo.dir
    t0 = time.monotonic()
    try:
        demo.step("1/9 local stack is healthy", demo.stack_health, str(logs))
        demo.step("1/9 ClickHouse schema migrated", demo.migrate, f"{d}/migrate.log and {logs}/api-eu.log")
        demo.step("2/9 tokens for tenant demo (EU)", demo.create_tokens, f"{logs}/api-eu.log")
        demo.step("3/9 demo network and vulnerable site", demo.build_network, f"{d}/site.log")
        demo.step("4/9 sensor on the bridge, block mode", demo.start_sensor, f"{d}/sensor.log")
        demo.step("5/9 browsing, attacks of every type, brute force", demo.drive_traffic,
                  f"{d}/traffic-*.json and {d}/sensor.log")
        demo.step("5/9 stop the sensor (SIGTERM flushes every transaction)", demo.stop_sensor, f"{d}/sensor.log")
        demo.step("6/9 EU worker stores the transactions, detects the brute force", demo.wait_stored,
                  f"{logs}/worker-eu.log")
        demo.step("7/9 train a model with Spark and register it", demo.train, f"{d}/train.log")
        demo.step("7/9 promote it: move alias champion (as in the MLflow UI)", demo.promote, f"{logs}/mlflow.log")
        demo.step("7/9 scores from the new champion", demo.scores_change, f"{logs}/worker-eu.log and {d}/sensor.log")
        demo.step("8/9 scan the demo site, findings to EU ClickHouse", demo.scan, f"{d}/scan.log")
        demo.step("8/9 the API's virtual patch and denylist hold on the wire", demo.api_lists_enforced,
                  f"{d}/sensor.log, {d}/rules.yaml, {d}/ip-lists.txt")
        demo.step("8/9 node sync between the sensor and the EU API", demo.node_sync, f"{d}/sensor.log")
        demo.step("9/9 summary through the EU API", demo.read_summary, f"{logs}/api-eu.log")
        demo.print_summary()
    finally:
        demo.teardown()
    print(f"\ndemo finished in {time.monotonic() - t0:.0f}s", file=sys.stderr)


if __name__ == "__main__":
    main()
