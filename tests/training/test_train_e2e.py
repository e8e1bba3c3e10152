"""End to end on the real stack: ClickHouse rows -> `rampart train` -> MLflow run + version -> champion -> scoring."""
from __future__ import annotations

import json
import subprocess
import sys
import time
import uuid
from datetime import datetime, timezone
from pathlib import Path
from urllib.parse import quote

import numpy as np
import pandas as pd
import pytest
from clickhouse_driver import Client

from core.events import Peer, Request, Response, TransactionEvent, encode_event
from core.schema import migrate

ROOT = Path(__file__).resolve().parents[2]
RAMPART = [sys.executable, "-m", "rampart.cli"] if not (ROOT / ".venv/bin/rampart").exists() \
    else [str(ROOT / ".venv/bin/rampart")]
SQLI = "1' OR '1'='1' --"
POINTS = ('["get","id"]', '["get","q"]')


def _rows(corpus_dir: Path, n_attack: int = 260, n_benign: int = 520) -> tuple[list[str], list[str]]:
    attacks, benign = [], []
    for line in (corpus_dir / "httpparams.jsonl").read_text().splitlines()[::7]:
        row = json.loads(line)
        (attacks if row["label"] == "attack" else benign).append(row["value"])
    return attacks[:n_attack], benign[:n_benign]


def _load(client: Client, db: str, attacks: list[str], benign: list[str]) -> list[str]:
    """Attacks as sensor hits, benign values as clean transactions' query args; times interleaved. Both
    classes use the same two points (`q`, `id`), so the model has to learn from the values."""
    t0 = 1_764_000_000.0
    hits, txs, hit_ids = [], [], []
    for i, v in enumerate(attacks):
        ts = t0 + i * 2.0
        dt = datetime.fromtimestamp(ts, timezone.utc).replace(tzinfo=None)
        eid = f"a{i}"
        hit_ids.append(eid)
        hits.append(dict(tenant="t1", event_id=eid, idx=0, ts=ts, time=dt, date=dt.date(), host="shop",
                         type="sqli", point=POINTS[i % 2], value=v[:256], rule="test", score=1.0,
                         verdict="attack", action="none", source="sensor"))
    for i, v in enumerate(benign):
        ts = t0 + i * 1.0 + 0.5
        dt = datetime.fromtimestamp(ts, timezone.utc).replace(tzinfo=None)
        target = f"/search?q={quote(v)}" if i % 2 else f"/item?id={quote(v)}"
        event = TransactionEvent(id=f"b{i}", ts=ts, node="node-1", tenant="t1",
                                 client=Peer(ip="198.18.0.7", port=40000 + i), server=Peer(ip="198.19.0.10", port=80),
                                 request=Request(method="GET", target=target, host="shop", headers=[]),
                                 response=Response(status=200))
        txs.append(dict(tenant="t1", id=f"b{i}", ts=ts, time=dt, date=dt.date(), host="shop", verdict="clean",
                        hit_count=0, event=encode_event(event).decode()))
    client.execute(f"INSERT INTO {db}.hits ({', '.join(hits[0])}) VALUES", hits)
    client.execute(f"INSERT INTO {db}.transactions ({', '.join(txs[0])}) VALUES", txs)
    return hit_ids


def _train(stack, db: str, exp: str, name: str, *extra: str) -> subprocess.CompletedProcess:
    cmd = RAMPART + ["train", "--region", "eu", "--database", db, "--clickhouse-port", str(stack.clickhouse_port),
                     "--tracking-uri", stack.mlflow_url, "--experiment", exp, "--register", name,
                     "--master", "local[2]", "--lr-iter", "20", "--gbt-iter", "5", "--gbt-depth", "3", *extra]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=900, cwd=ROOT)


@pytest.mark.services
@pytest.mark.timeout(1800)          # two Spark trainings and a worker; minutes each on a loaded 2-core box
def test_clickhouse_to_champion_to_worker(stack, corpus_dir: Path, tmp_path: Path) -> None:
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
        probs = np.asarray(model.predict(pd.DataFrame({"point": ['["get","q"]'] * 2, "value": [SQLI, benign[3]]})))
        assert probs[0] > 0.5 > probs[1]

        # A real stream worker (`rampart streams worker`) follows the alias, scores events from Kafka with the
        # promoted version and writes the scores to ClickHouse.
        _worker_scores_with(stack, tmp_path, name, "1", benign[3])

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


def _worker_scores_with(stack, tmp_path: Path, name: str, version: str, benign: str) -> None:
    import msgspec

    from tests.streams.eventgen import encoded, make_event
    from tests.streams.harness import CH, WorkerProc, create_topics, produce, unique

    bootstrap = stack.kafka_bootstrap("eu")
    topic = unique("t.train.e2e.")
    create_topics(bootstrap, [topic, f"{topic}.dlq", f"{topic}.scores", f"{topic}.denylist"])
    ch = CH(stack.clickhouse_port, unique("rampart_ttrainw_"))
    ch.migrate()
    worker = WorkerProc(tmp_path, bootstrap, topic, ch.db, ch_port=stack.clickhouse_port, mlflow=stack.mlflow_url,
                        extra=["--model-name", name, "--model-poll-seconds", "1"]).start()
    try:
        worker.wait_ready()
        deadline = time.monotonic() + 60
        while worker.health()["scoring"] != f"scoring with {name}/{version}":
            assert time.monotonic() < deadline, f"champion not loaded: {worker.health()}\n{worker.tail()}"
            time.sleep(0.5)
        events = {}
        for i, value in enumerate((SQLI, benign)):
            ev = make_event(i, attack_every=0, path="/")
            req = msgspec.structs.replace(ev.request, target=f"/search?q={quote(value)}",
                                          headers=[("Host", ev.request.host)])
            events[value] = msgspec.structs.replace(ev, request=req)
        produce(bootstrap, topic, [encoded(ev) for ev in events.values()])
        ch.wait_count(2, 60)
        got = {i: (score, mv) for i, score, mv in
               ch.rows("SELECT id, score, model_version FROM {db}.transactions FINAL")}
        attack, clean = got[events[SQLI].id], got[events[benign].id]
        assert attack[1] == clean[1] == f"{name}/{version}"
        assert attack[0] > 0.5 > clean[0], (attack, clean)
    finally:
        worker.stop()
        ch.drop()
