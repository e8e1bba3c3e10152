"""Sliding windows and the brute-force / forced-browsing detector."""
import msgspec
import pytest

from core.events import Peer, Request, Response, TransactionEvent
from core.denylist import DenylistEntry
from streams.behaviour import BehaviourConfig, BehaviourDetector
from streams.windows import SlidingCounter


def ev(ts, status, target="/login", method="POST", ip="198.18.0.5", tenant="t1", host="h"):
    return TransactionEvent(ts=ts, tenant=tenant, client=Peer(ip=ip, port=1), server=Peer(ip="198.19.0.1", port=80),
                            request=Request(method=method, target=target, host=host),
                            response=Response(status=status))


def test_sliding_counter_window_and_bounds():
    c = SlidingCounter(window=10, threshold=3, max_keys=2)
    assert c.add("a", 0) == 1
    assert c.add("a", 5) == 2
    assert c.add("a", 11) == 2          # t=0 left the window (0 <= 11 - 10)
    assert c.add("a", 12) == 3
    c.add("b", 12)
    c.add("c", 12)                      # evicts the least recently seen key ("a")
    assert len(c) == 2 and c.first("a") is None
    assert c.add("b", 3) == 2           # out-of-order events are accepted and kept sorted
    assert c.expire(100) == 2 and len(c) == 0


def test_sliding_counter_rejects_bad_config():
    with pytest.raises(ValueError):
        SlidingCounter(0, 1)


def test_brute_force_fires_once_per_source_until_expiry():
    d = BehaviourDetector(BehaviourConfig(brute_threshold=5, brute_window=60, deny_seconds=100))
    found = []
    for i in range(12):
        found += d.observe(ev(1000 + i, 401))
    assert len(found) == 1
    f = found[0]
    assert (f.kind, f.ip, f.tenant, f.host, f.path, f.count) == ("brute", "198.18.0.5", "t1", "h", "/login", 5)
    assert f.first_ts == 1000 and f.expires == 1004 + 100
    entry = msgspec.json.decode(f.denylist_value(), type=DenylistEntry)
    assert f.denylist_key() == b"t1|198.18.0.5" and entry.reason == "brute" and entry.expires == 1104
    assert f.hit_id == "behaviour:brute:t1:198.18.0.5:1000.000"
    # after expiry the tombstone list names the source, and a new burst fires again
    assert d.expired(1200) == [("t1", "198.18.0.5")]
    again = [x for i in range(5) for x in d.observe(ev(1300 + i, 401))]
    assert len(again) == 1


def test_brute_force_needs_login_endpoint_failures_in_window():
    d = BehaviourDetector(BehaviourConfig(brute_threshold=3, brute_window=10))
    assert not [x for i in range(10) for x in d.observe(ev(i, 200))]                 # successes
    assert not [x for i in range(10) for x in d.observe(ev(i, 401, target="/api/x"))]  # not a login path
    assert not [x for i in range(10) for x in d.observe(ev(i * 20, 401))]             # too slow
    assert not [x for i in range(10) for x in d.observe(ev(i, 401, ip=f"198.18.1.{i}"))]  # distributed


def test_dirbust_counts_404s_per_source_and_host():
    d = BehaviourDetector(BehaviourConfig(dirbust_threshold=20, dirbust_window=30))
    out = [x for i in range(19) for x in d.observe(ev(i, 404, target=f"/x{i}", method="GET"))]
    assert out == []
    out = d.observe(ev(19, 404, target="/x19", method="GET"))
    assert [o.kind for o in out] == ["dirbust"] and out[0].count == 20
    other = [x for i in range(19) for x in d.observe(ev(i, 404, target=f"/x{i}", method="GET", host="h2"))]
    assert other == []
