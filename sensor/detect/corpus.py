"""Loading the labelled tuning corpus (shared/corpus) and its deterministic tune/held-out split."""
from __future__ import annotations

import base64
import hashlib
import json
import os
from pathlib import Path
from typing import Iterator

FAMILIES = ("sqli", "xss", "rce", "lfi", "rfi", "php", "java", "generic")
HELD_OUT_SHARE = 5  # 1 in 5 rows (20%) is held out


def corpus_dir() -> Path:
    """The corpus folder: $RAMPART_CORPUS, else ../shared/corpus next to the work tree."""
    env = os.environ.get("RAMPART_CORPUS")
    if env:
        return Path(env)
    here = Path(__file__).resolve()
    for parent in here.parents:
        cand = parent / "shared" / "corpus"
        if cand.is_dir():
            return cand
        cand = parent.parent / "shared" / "corpus"
        if cand.is_dir():
            return cand
    return Path("/work/shared/corpus")


def is_held_out(key: str) -> bool:
    """Deterministic split on the row's id (CRS) or value (httpparams)."""
    return int(hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()[:8], 16) % HELD_OUT_SHARE == 0


def crs_rows(split: str = "all") -> Iterator[dict]:
    """CRS rows in scope of the acceptance bar: benign rows, and attack rows of FAMILIES with pl <= 2."""
    with open(corpus_dir() / "crs-tests.jsonl", encoding="utf-8") as fh:
        for line in fh:
            r = json.loads(line)
            if r["label"] == "attack" and not (r["family"] in FAMILIES and r["pl"] is not None and r["pl"] <= 2):
                continue
            held = is_held_out(r["id"])
            if split == "all" or (split == "heldout") == held:
                r["raw"] = base64.b64decode(r["raw_request_b64"])
                yield r


def httpparams_rows(split: str = "all") -> Iterator[dict]:
    with open(corpus_dir() / "httpparams.jsonl", encoding="utf-8") as fh:
        for line in fh:
            r = json.loads(line)
            held = is_held_out(r["value"])
            if split == "all" or (split == "heldout") == held:
                yield r
