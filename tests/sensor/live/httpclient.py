"""HTTP client for the network-namespace tests: N requests over keep-alive or fresh connections, JSON report."""
from __future__ import annotations

import argparse
import http.client
import json
import socket
import time


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--host", default="198.18.0.2")
    ap.add_argument("--port", type=int, default=8080)
    ap.add_argument("--count", type=int, default=1)
    ap.add_argument("--per-conn", type=int, default=1, help="requests per connection (1 = no keep-alive)")
    ap.add_argument("--target", default="/item/{i}", help="request target; {i} is the request number")
    ap.add_argument("--method", default="GET")
    ap.add_argument("--body", default=None)
    ap.add_argument("--header", action="append", default=[])
    ap.add_argument("--timeout", type=float, default=5.0)
    ap.add_argument("--pause-ms", type=float, default=0.0, help="pause between requests")
    ap.add_argument("--body-delay-ms", type=float, default=0.0,
                    help="send the body this long after the headers (a slow upload)")
    a = ap.parse_args()
    headers = dict(h.split(": ", 1) for h in a.header)
    results = []
    conn = None
    t0 = time.monotonic()
    for i in range(a.count):
        if conn is None or i % a.per_conn == 0:
            if conn is not None:
                conn.close()
            conn = http.client.HTTPConnection(a.host, a.port, timeout=a.timeout)
        last = (i % a.per_conn == a.per_conn - 1) or i == a.count - 1
        hdrs = dict(headers)
        if a.per_conn == 1 or last:
            hdrs["Connection"] = "close"
        body = a.body.format(i=i).encode() if a.body is not None else None
        res = {"i": i, "status": None, "error": None, "body": None}
        try:
            if body is not None and a.body_delay_ms:
                conn.putrequest(a.method, a.target.format(i=i), skip_accept_encoding=True)
                for k, v in {**hdrs, "Content-Length": str(len(body))}.items():
                    conn.putheader(k, v)
                conn.endheaders()
                time.sleep(a.body_delay_ms / 1000)
                conn.send(body)
            else:
                conn.request(a.method, a.target.format(i=i), body=body, headers=hdrs)
            resp = conn.getresponse()
            res["body"] = resp.read().decode(errors="replace")[:200]
            res["status"] = resp.status
        except (OSError, http.client.HTTPException) as exc:
            res["error"] = type(exc).__name__
            conn.close()
            conn = None
        results.append(res)
        if a.pause_ms:
            time.sleep(a.pause_ms / 1000)
    if conn is not None:
        conn.close()
    print(json.dumps({"results": results, "seconds": time.monotonic() - t0}))


if __name__ == "__main__":
    socket.setdefaulttimeout(10)
    main()
