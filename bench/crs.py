"""ModSecurity v3 + OWASP CRS baselines for the benches: Debian's CRS 3.3.4 and CRS 4.25 from the Go module proxy."""
from __future__ import annotations

import glob
import hashlib
import io
import os
import re
import urllib.request
import zipfile
from pathlib import Path

DEBIAN_RULES = "/usr/share/modsecurity-crs/rules"
DEBIAN_SETUP = "/etc/modsecurity/crs/crs-setup.conf"
# CRS 4 is not packaged for Debian 12; the unmodified rules ship inside the Go module coraza-coreruleset (the Go
# proxy is one of the registries these machines reach). The corpus tests were written for CRS v4.28.
CRS4_VERSION = "v4.25.0"
CRS4_URL = f"https://proxy.golang.org/github.com/corazawaf/coraza-coreruleset/v4/@v/{CRS4_VERSION}.zip"
CRS4_SHA256 = "ca9f35410c39be69d0b2cb9536c2b19212295886e9f5709fce0b4bbbb2c43981"
# CRS 4 writes two chained rules without an action list (REQUEST-949); libmodsecurity 3.0.15's parser wants one
_BARE_CHAINED = re.compile(r'(?m)^(\s+SecRule\s+\S+\s+"(?:[^"\\]|\\.)*")\s*$')


def crs4_dir(cache: Path | None = None) -> Path:
    """The CRS 4 rules (`rules/*.conf`, `*.data`) and `crs-setup.conf`, fetched once and checked by sha256."""
    root = (cache or Path(os.environ.get("RAMPART_CACHE_DIR", Path.home() / ".cache" / "rampart"))) / f"crs-{CRS4_VERSION}"
    if (root / "crs-setup.conf").exists():
        return root
    with urllib.request.urlopen(CRS4_URL, timeout=60) as resp:
        data = resp.read()
    digest = hashlib.sha256(data).hexdigest()
    if digest != CRS4_SHA256:
        raise RuntimeError(f"{CRS4_URL}: sha256 {digest}, expected {CRS4_SHA256}")
    tmp = root.with_name(root.name + ".tmp")
    (tmp / "rules").mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        for name in zf.namelist():
            base = name.rsplit("/", 1)[-1]
            if "/rules/@owasp_crs/" in name and base.endswith((".conf", ".data")):
                text = zf.read(name).decode()
                (tmp / "rules" / base).write_text(_BARE_CHAINED.sub(r'\1 "t:none"', text) if base.endswith(".conf") else text)
            elif name.endswith("/rules/@crs-setup.conf.example"):
                (tmp / "crs-setup.conf").write_bytes(zf.read(name))
    tmp.rename(root)
    return root


class CRS:
    """ModSecurity v3 in process with CRS at one paranoia level, anomaly-scoring blocking mode (threshold 5).

    `version` "3.3.4" is Debian's `modsecurity-crs`; "4.25" is fetched by `crs4_dir`."""

    def __init__(self, pl: int, version: str = "3.3.4") -> None:
        import libmodsecurity as ms

        if version == "3.3.4":
            rules_dir, setup, pl_var = DEBIAN_RULES, DEBIAN_SETUP, "paranoia_level"
        elif version == "4.25":
            root = crs4_dir()
            rules_dir, setup, pl_var = str(root / "rules"), str(root / "crs-setup.conf"), "blocking_paranoia_level"
        else:
            raise ValueError(f"unknown CRS version {version!r}")
        self.ms = ms
        self.engine = ms.ModSecurity()
        self.engine.set_log_callback(lambda _msg: None)
        rs = ms.RulesSet()
        conf = f"""
SecRuleEngine On
SecRequestBodyAccess On
SecRequestBodyLimit 13107200
SecRequestBodyNoFilesLimit 1048576
SecRequestBodyLimitAction ProcessPartial
SecRule REQUEST_HEADERS:Content-Type "^(?:application(?:/soap\\+|/)|text/)xml" "id:200000,phase:1,t:none,t:lowercase,pass,nolog,ctl:requestBodyProcessor=XML"
SecRule REQUEST_HEADERS:Content-Type "^application/json" "id:200001,phase:1,t:none,t:lowercase,pass,nolog,ctl:requestBodyProcessor=JSON"
Include {setup}
SecAction "id:900000,phase:1,nolog,pass,t:none,setvar:tx.{pl_var}={pl}"
"""
        if rs.load(conf) < 0:
            raise RuntimeError(rs.get_parser_error())
        for f in sorted(glob.glob(f"{rules_dir}/REQUEST-*.conf")):
            if "REQUEST-910" in f:  # IP reputation needs GeoIP, irrelevant here (CRS 4 has no 910)
                continue
            if rs.load_from_uri(f) < 0:
                raise RuntimeError(rs.get_parser_error())
        self.rules = rs

    def blocks(self, req) -> bool:
        tx = self.ms.Transaction(self.engine, self.rules)
        tx.process_connection("127.0.0.1", 40000, "127.0.0.1", 80)
        # bytes, not str: a request byte that is not UTF-8 (a surrogate escape here) goes to ModSecurity as sent
        tx.process_uri(_raw(req.target), req.method, req.version or "1.1")
        for k, v in req.headers:
            tx.add_request_header(_raw(k), _raw(v))
        tx.process_request_headers()
        iv = tx.intervention()
        if iv is None or not iv.disruptive:
            if req.body:
                tx.append_request_body(req.body)
            tx.process_request_body()
            iv = tx.intervention()
        return bool(iv is not None and iv.disruptive)


def _raw(text: str) -> bytes:
    return text.encode("utf-8", "surrogateescape")


def baselines(with_crs4: bool) -> dict[str, CRS]:
    """Systems by name: crs-pl1/2 (3.3.4) and, when asked, crs4-pl1/2."""
    out = {f"crs-pl{pl}": CRS(pl) for pl in (1, 2)}
    if with_crs4:
        out.update({f"crs4-pl{pl}": CRS(pl, "4.25") for pl in (1, 2)})
    return out
