"""URI path parser: the decoded path `["path"]` plus each segment `["path", i]` and matrix parameters."""
from __future__ import annotations

from sensor.points.extraction import Extraction
from sensor.points.decoders import percent_decode


def parse(ex: Extraction, raw_path: str) -> None:
    """Points of the raw (still percent-encoded) path; memoised per path when the caller allows."""
    ex.piece(("p", raw_path), len(raw_path), _parse, ex, raw_path)


def _parse(ex: Extraction, raw_path: str) -> None:
    if not raw_path.startswith("/") and "://" in raw_path[:16]:
        # absolute-form target (`http://host/x`): drop scheme://authority; `/proxy/http://…` is a path that carries a URL
        rest = raw_path.split("://", 1)[1]
        raw_path = "/" + rest.split("/", 1)[1] if "/" in rest else "/"
    decoded = percent_decode(raw_path)
    if decoded not in ("", "/"):
        ex.add(["path"], decoded, 1)
    segs = raw_path.split("/")
    n = 0
    for seg in segs:
        if not seg:
            continue
        name, semi, params = seg.partition(";")
        dec = percent_decode(name)
        # plain segments are already visible in ["path"]; only odd ones become their own point
        if not dec.replace("-", "").replace("_", "").replace(".", "").isalnum():
            ex.add(["path", n], dec, 1)
        if semi:
            ex.add(["path", n, "params"], percent_decode(params), 1)
        n += 1
