"""Node sync: register with the regional API, pull rules, IP lists and the model version by ETag, write them
to the files the capture workers already watch (so changes apply without dropping traffic)."""
from __future__ import annotations

import logging
import os
import tempfile
import threading
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Optional

import httpx
import yaml

log = logging.getLogger("rampart.sensor.sync")


def render_rules(payload: dict[str, Any]) -> str:
    """The rule file (docs/rules.md) holding the tenant's enabled rules, in the API's order."""
    rules = [{"id": r["spec"].get("id", r["name"]), **r["spec"]} for r in payload.get("rules", [])]
    return yaml.safe_dump({"rules": rules}, sort_keys=False)


def render_lists(payload: dict[str, Any]) -> str:
    """The IP list file (`KIND ADDRESS [until=ISO]` lines, sensor/iplists.py) of the tenant's live entries."""
    lines = ["# written by rampart node sync; edits are overwritten"]
    for e in payload.get("ip_lists", []):
        until = e.get("expires_at")
        if until:
            stamp = datetime.fromisoformat(str(until).replace("Z", "+00:00"))
            if stamp.tzinfo is None:   # the API speaks UTC
                stamp = stamp.replace(tzinfo=timezone.utc)
            lines.append(f"{e['list']} {e['ip']} until={stamp.isoformat()}")
        else:
            lines.append(f"{e['list']} {e['ip']}")
    return "\n".join(lines) + "\n"


def write_atomic(path: Path, text: str) -> bool:
    """Replace `path` by rename so a watcher never reads half a file; False when the content is unchanged."""
    try:
        if path.read_text() == text:
            return False
    except OSError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    with os.fdopen(fd, "w") as f:
        f.write(text)
    os.replace(tmp, path)
    return True


def write_packs(folder: Path, packs: list[dict[str, Any]]) -> bool:
    """Write the virtual-patch packs the region publishes as `folder/NAME.yaml` and remove those it no longer does;
    True when anything changed. A pack whose name is not a plain name or whose text does not hash to its sha256 is
    not written (the API is trusted for content, never for paths)."""
    import hashlib

    from core.rules_schema import PACK_NAME
    from sensor.rules import RuleError, parse_rules

    folder.mkdir(parents=True, exist_ok=True)
    keep: set[str] = set()
    changed = False
    for p in packs:
        name, text = str(p.get("name", "")), str(p.get("yaml", ""))
        if not PACK_NAME.fullmatch(name) or \
                hashlib.sha256(text.encode()).hexdigest() != p.get("sha256"):
            log.warning("node sync: pack %r refused (bad name or digest)", name[:80])
            keep.add(f"{name}.yaml")    # (whatever version is on disk stays)
            continue
        try:
            parse_rules(text, f"{name}.yaml")
        except RuleError as exc:
            log.error("node sync: pack %s refused, the version on disk stays: %s", name, exc)
            keep.add(f"{name}.yaml")
            continue
        keep.add(f"{name}.yaml")
        changed = write_atomic(folder / f"{name}.yaml", text) or changed
    for old in folder.glob("*.yaml"):
        if old.name not in keep:
            old.unlink(missing_ok=True)
            changed = True
    return changed


@dataclass
class NodeSync:
    """Polls `GET /v1/nodes/sync` with If-None-Match; a 304 costs nothing, a 200 rewrites the watched files."""

    api_url: str
    token: str
    state_dir: Path
    name: str
    mode: str = "monitoring"
    version: str = ""
    interval: float = 5.0
    transport: Optional[httpx.BaseTransport] = None
    etag: Optional[str] = None
    model: Optional[dict[str, Any]] = None
    registered: bool = False
    errors: int = 0
    _stop: threading.Event = field(default_factory=threading.Event)
    _wake: threading.Event = field(default_factory=threading.Event)

    @property
    def rules_path(self) -> Path:
        return self.state_dir / "rules.yaml"

    @property
    def lists_path(self) -> Path:
        return self.state_dir / "ip-lists.txt"

    @property
    def packs_dir(self) -> Path:
        return self.state_dir / "packs"

    def _client(self) -> httpx.Client:
        return httpx.Client(base_url=self.api_url.rstrip("/"), transport=self.transport, timeout=10.0,
                            headers={"Authorization": f"Bearer {self.token}"})

    def prepare(self) -> None:
        """Make sure both files exist (empty if the API is not reachable yet) and try one sync."""
        from sensor.iplists import ListFileError, parse_lists
        from sensor.rules import RuleError, load_rules
        try:   # a file left by an older sensor that no longer parses is not kept: start empty instead
            load_rules(str(self.rules_path))
        except (OSError, RuleError):
            write_atomic(self.rules_path, "rules: []\n")
        try:
            parse_lists(self.lists_path.read_text(), str(self.lists_path))
        except (OSError, ListFileError):
            write_atomic(self.lists_path, "# no entries yet\n")
        self.poll_once()

    def poll_once(self) -> bool:
        """One register-if-needed + sync round; True when new rules/lists were written. Never raises."""
        try:
            with self._client() as client:
                if not self.registered:
                    r = client.post("/v1/nodes/register",
                                    json={"name": self.name, "version": self.version, "mode": self.mode})
                    r.raise_for_status()
                    self.registered = True
                headers = {"If-None-Match": self.etag} if self.etag else {}
                r = client.get("/v1/nodes/sync", headers=headers)
                if r.status_code == 304:
                    return False
                r.raise_for_status()
                payload = r.json()
        except (httpx.HTTPError, ValueError) as exc:
            self.errors += 1
            # never log the token: only the API's answer or the transport error
            log.warning("node sync with %s failed: %s", self.api_url, str(exc)[:200])
            return False
        changed = write_packs(self.packs_dir, payload.get("packs") or [])
        changed = write_atomic(self.rules_path, render_rules(payload)) or changed
        changed = write_atomic(self.lists_path, render_lists(payload)) or changed
        self.etag, self.model = r.headers.get("ETag") or payload.get("etag"), payload.get("model")
        log.info("node sync: etag %s, %d rules, %d list entries, %d packs, model %s", self.etag,
                 len(payload.get("rules", [])), len(payload.get("ip_lists", [])), len(payload.get("packs") or []),
                 (self.model or {}).get("version"))
        return changed

    def run(self) -> None:
        while not self._stop.is_set():
            self._wake.wait(self.interval)
            self._wake.clear()
            if not self._stop.is_set():
                self.poll_once()

    def sync_now(self) -> None:
        """Poll at once instead of at the end of the interval (the sensor's SIGHUP)."""
        self._wake.set()

    def start(self) -> threading.Thread:
        t = threading.Thread(target=self.run, name="node-sync", daemon=True)
        t.start()
        return t

    def stop(self) -> None:
        self._stop.set()
        self._wake.set()
