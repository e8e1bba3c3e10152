"""Production deployment files are valid: compose against the Compose spec, Kubernetes against its schemas,
the systemd unit by systemd itself, and every Rampart command they run exists in the CLI."""
from __future__ import annotations

import json
import shlex
import shutil
import subprocess
from pathlib import Path

import jsonschema
import kubernetes_validate
import pytest
import yaml
from click.testing import CliRunner

from rampart.cli import main as cli

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "infra" / "deploy"
K8S_VERSION = "1.33.0"


def _cli_accepts(args: list[str]) -> None:
    """Resolve a rampart argv down to its command and check every option it names is declared there."""
    ctx_cmd = cli
    rest = list(args)
    while rest and hasattr(ctx_cmd, "commands") and rest[0] in ctx_cmd.commands:
        ctx_cmd = ctx_cmd.commands[rest.pop(0)]
    assert not hasattr(ctx_cmd, "commands"), f"`rampart {' '.join(args)}` does not name a command"
    declared = {opt for p in ctx_cmd.params for opt in getattr(p, "opts", [])}
    used = {a for a in rest if a.startswith("--")}
    assert used <= declared, f"`rampart {' '.join(args)}`: unknown options {sorted(used - declared)}"
    assert CliRunner().invoke(cli, [*args[: len(args) - len(rest)], "--help"]).exit_code == 0


def test_compose_file_matches_compose_spec():
    doc = yaml.safe_load((DEPLOY / "docker-compose.yml").read_text())
    schema = json.loads((ROOT / "tests" / "deploy" / "schemas" / "compose-spec.json").read_text())
    jsonschema.validate(doc, schema)
    services = doc["services"]
    assert {"kafka-eu", "kafka-us", "clickhouse", "mlflow", "api-eu", "api-us", "worker-eu", "worker-us",
            "sensor"} <= set(services)
    assert services["sensor"]["network_mode"] == "host"
    for name, svc in services.items():
        if svc.get("image") == "rampart:latest":
            _cli_accepts(svc["command"])


def test_compose_regions_share_nothing():
    services = yaml.safe_load((DEPLOY / "docker-compose.yml").read_text())["services"]
    for region, other in (("eu", "us"), ("us", "eu")):
        for kind in ("api", "worker"):
            env = json.dumps(services[f"{kind}-{region}"].get("environment", {}))
            assert f"kafka-{region}" in env and f"kafka-{other}" not in env


def _k8s_docs() -> list[tuple[Path, dict]]:
    docs = []
    for path in sorted((DEPLOY / "k8s").rglob("*.yaml")):
        if path.name == "kustomization.yaml":
            continue
        docs += [(path, d) for d in yaml.safe_load_all(path.read_text()) if d]
    return docs


@pytest.mark.parametrize("path,doc", _k8s_docs(), ids=lambda v: v.name if isinstance(v, Path) else v["kind"])
def test_kubernetes_manifest_is_valid(path, doc):
    kubernetes_validate.validate(doc, K8S_VERSION, strict=True)


def test_kubernetes_commands_exist_and_kustomizations_resolve():
    for path, doc in _k8s_docs():
        if doc["kind"] == "Deployment":
            for c in doc["spec"]["template"]["spec"]["containers"]:
                _cli_accepts([a.replace("$(RAMPART_REGION)", "eu") for a in c["args"]])
    for kust in (DEPLOY / "k8s").rglob("kustomization.yaml"):
        k = yaml.safe_load(kust.read_text())
        for res in k["resources"]:
            assert (kust.parent / res).is_file(), f"{kust}: missing {res}"


def test_systemd_unit_verifies_and_runs_a_real_command(tmp_path):
    unit = DEPLOY / "systemd" / "rampart-sensor.service"
    exec_start = next(l.split("=", 1)[1] for l in unit.read_text().splitlines() if l.startswith("ExecStart="))
    argv = shlex.split(exec_start)
    assert argv[0].endswith("/rampart")
    _cli_accepts(argv[1:])
    if shutil.which("systemd-analyze"):
        # Verify the unit with systemd's own parser; the binary path need not exist on this machine.
        local = tmp_path / unit.name
        local.write_text(unit.read_text().replace(argv[0], shutil.which("true") or "/bin/true"))
        res = subprocess.run(["systemd-analyze", "verify", "--man=no", str(local)], capture_output=True, text=True)
        problems = [l for l in res.stderr.splitlines() if unit.name in l and "ignoring" not in l.lower()]
        assert not problems, res.stderr
