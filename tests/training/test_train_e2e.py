"""End to end on the real stack: ClickHouse rows -> `rampart train` -> MLflow run + version -> champion -> scoring."""
from __future__ import annotations

import json
import subprocess
import sys
import uuid
from datetime import datetime, timezone
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from clickhouse_driver import Client

from core.schema import migrate

ROOT = Path(__file__).resolve().parents[2]
RAMPART = [sys.executable, "-m", "rampart.cli"] if not (ROOT / ".venv/bin/rampart").exists() \
    else [str(ROOT / ".venv/bin/rampart")]
SQLI = "1' OR '1'='1' --"


def _rows(corpus_dir: Path, n_attack: int = 260, n_benign: int = 520) -> tuple[list[str], list[str]]:
    attacks, benign = [], []
    for line in (corpus_dir / "httpparams.jsonl").read_text().splitlines()[::7]:
        row = json.loads(line)
        (attacks if row["label"] == "attack" else benign).append(row["value"])
    return attacks[:n_attack], benign[:n_benign]


def _load(client: Client, db: str, attacks: list[str], benign: list[str]) -> list[str]:
    """Attacks as sensor hits, benign values as clean transactions' query args; times interleaved."""
    t0 = 1_764_000_000.0
    hits, txs, hit_ids = [], [], []
    for i, v in enumerate(attacks):
        ts = t0 + i * 2.0
        dt = datetime.fromtimestamp(ts, timezone.utc).replace(tzinfo=None)
        eid = f"a{i}"
        hit_ids.append(eid)
        hits.append(dict(tenant="t1", event_id=eid, idx=0, ts=ts, time=dt, date=dt.date(), host="shop",
                         type="sqli", point='["get","id"]', value=v[:256], rule="test", score=1.0,
                         verdict="attack", action="none", source="sensor"))
    for i, v in enumerate(benign):
        ts = t0 + i * 1.0 + 0.5
        dt = datetime.fromtimestamp(ts, timezone.utc).replace(tzinfo=None)
        from urllib.parse import quote
        event = {"request": {"method": "GET", "target": f"/search?q={quote(v)}", "headers": []}}
        txs.append(dict(tenant="t1", id=f"b{i}", ts=ts, time=dt, date=dt.date(), host="shop", verdict="clean",
                        hit_count=0, event=json.dumps(event)))
    client.execute(f"INSERT INTO {db}.hits ({', '.join(hits[0])}) VALUES", hits)
    client.execute(f"INSERT INTO {db}.transactions ({', '.join(txs[0])}) VALUES", txs)
    return hit_ids


def _train(stack, db: str, exp: str, name: str, *extra: str) -> subprocess.CompletedProcess:
    cmd = RAMPART + ["train", "--region", "eu", "--database", db, "--clickhouse-port", str(stack.clickhouse_port),
                     "--tracking-uri", stack.mlflow_url, "--experiment", exp, "--register", name,
                     "--master", "local[2]", "--lr-iter", "20", "--gbt-iter", "5", "--gbt-depth", "3", *extra]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=900, cwd=ROOT)


@pytest.mark.services
def test_clickhouse_to_champion_to_worker(stack, corpus_dir: Path) -> None:
    import mlflow
    import mlflow.pyfunc
    from mlflow import MlflowClient

    tag = uuid.uuid4().hex[:10]
    db, exp, name = f"rampart_ttrain_{tag}", f"ttrain-{tag}", f"ttrain-detector-{tag}"
    ch = Client(host="127.0.0.1", port=stack.clickhouse_port)
    migrate(ch, db)
    try:
        attacks, benign = _rows(corpus_dir)
        hit_ids = _load(ch, db, attacks, benign)
        # An analyst marked two hits false positives (rows as the API writes them): they must be trained as benign.
        ch.execute(f"INSERT INTO {db}.labels (tenant, event_id, idx, label, ts, source, date) VALUES",
                   [("t1", hit_ids[0], 0, "benign", 1.0, "analyst", datetime(2026, 1, 1).date()),
                    ("t1", hit_ids[1], 0, "benign", 1.0, "analyst", datetime(2026, 1, 1).date())])

        proc = _train(stack, db, exp, name)
        assert proc.returncode == 0, proc.stderr[-3000:]
        assert f"registered {name} version 1" in proc.stdout

        client = MlflowClient(tracking_uri=stack.mlflow_url, registry_uri=stack.mlflow_url)
        mlflow.set_tracking_uri(stack.mlflow_url)
        mlflow.set_registry_uri(stack.mlflow_url)
        experiment = client.get_experiment_by_name(exp)
        runs = client.search_runs([experiment.experiment_id])
        assert len(runs) == 1
        run = runs[0]
        m = run.data.metrics
        for key in ("precision", "recall", "f1", "roc_auc", "fpr", "lr_roc_auc", "gbt_roc_auc"):
            assert 0.0 <= m[key] <= 1.0, key
        assert m["roc_auc"] > 0.9 and m["parity_max_abs_diff"] <= 1e-9
        assert m["eval_attacks"] > 0 and m["eval_rows"] > m["eval_attacks"]
        p = run.data.params
        assert len(p["data_sha256"]) == 64 and int(p["data_rows"]) == len(attacks) + len(benign)
        assert p["split"].startswith("time>=")
        arts = {a.path for a in client.list_artifacts(run.info.run_id, "plots")}
        assert {"plots/roc.png", "plots/pr.png", "plots/confusion.png"} <= arts
        local = client.download_artifacts(run.info.run_id, "plots/roc.png")
        assert Path(local).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        snap = client.download_artifacts(run.info.run_id, "data_snapshot.json")
        assert json.loads(Path(snap).read_text())["sha256"] == p["data_sha256"]

        versions = client.search_model_versions(f"name='{name}'")
        assert [v.version for v in versions] == ["1"] and versions[0].run_id == run.info.run_id
        assert not client.get_registered_model(name).aliases          # never promoted by itself

        # The ML engineer promotes version 1 in the UI (same client call the UI makes).
        client.set_registered_model_alias(name, "champion", "1")
        model = mlflow.pyfunc.load_model(f"models:/{name}@champion")
        probs = np.asarray(model.predict(pd.DataFrame({"point": ['["get","id"]', '["get","q"]'],
                                                       "value": [SQLI, benign[3]]})))
        assert probs[0] > 0.5 > probs[1]

        # A stream worker follows the alias and scores with it.
        from streams.scoring import ModelWatcher
        watcher = ModelWatcher(stack.mlflow_url, name)
        assert watcher.poll() is True
        scores, label = watcher.score_events([[('["get","id"]', SQLI)], [('["get","q"]', benign[3])]])
        assert label == f"{name}/1" and scores[0] > 0.5 > scores[1]

        # Retrain with --promote-if-better: version 2 always registered, champion moves only if it wins.
        proc = _train(stack, db, exp, name, "--promote-if-better", "--learners", "lr")
        assert proc.returncode == 0, proc.stderr[-3000:]
        run2 = [r for r in client.search_runs([experiment.experiment_id]) if r.info.run_id != run.info.run_id][0]
        champ_auc, new_auc = run2.data.metrics["champion_roc_auc"], run2.data.metrics["roc_auc"]
        expected = "2" if new_auc > champ_auc else "1"
        assert client.get_model_version_by_alias(name, "champion").version == expected
        assert run2.data.tags["rampart.promoted"] == str(expected == "2").lower()
    finally:
        ch.execute(f"DROP DATABASE IF EXISTS {db}")
