"""Acting on live traffic: pipeline hooks that reset attacks and denylisted connections per mode and IP lists."""
from __future__ import annotations

import logging
import os
import socket
import time
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any, Callable, Optional

from core.events import TransactionEvent
from sensor.iplists import IpLists, ListFile
from sensor.reassembly import flow_key
from sensor.modes import ModePolicy, denylist_applies, should_reset
from sensor.reassembly import ACTIVE

log = logging.getLogger(__name__)
_TRACKED = 65_536   # reset flows remembered (for races and re-sends); oldest forgotten first


@dataclass
class BlockStats:
    resets_sent: int = 0          # RST frames injected
    reset_connections: int = 0    # connections reset because of an attack
    reset_races_lost: int = 0     # ... whose response the sensor still saw start
    denylist_refusals: int = 0    # connections from denylisted IPs reset at set-up
    not_both_ways: int = 0        # would have reset, but the flow was not seen in both directions
    allowlisted: int = 0          # attacks from allowlisted IPs, deliberately not reset
    early_resets: int = 0         # resets decided on request line + headers, before the body
    list_errors: int = 0          # list or rules file reloads rejected (the previous version stayed)
    rules_reloads: int = 0        # new rules file versions swapped in (on change or SIGHUP)


class Blocker:
    """Owns the mode policy, IP lists and RST injector of one capture worker; exposes PipelineHooks.

    RSTs go out only for flows seen in both directions (their sequence numbers are then known exactly)
    and never for allowlisted clients.
    """

    def __init__(self, policy: ModePolicy, injector: Any = None, lists: Optional[ListFile] = None,
                 engine: Optional[Callable] = None, early: bool = True) -> None:
        from sensor.pipeline import PipelineHooks

        self.policy = policy
        self.injector = injector
        self.list_file = lists
        self.engine = engine
        self.early = early and engine is not None and hasattr(engine, "inspect_headers")
        self.stats = BlockStats()
        self._pending_deny: dict[int, Any] = {}                   # flow id -> flow awaiting its SYN-ACK
        self._reset: OrderedDict[int, float] = OrderedDict()      # flow id -> when it was reset
        self._raced: set[int] = set()
        self.rules_path: Optional[str] = None
        self.feed: Any = None                                      # sensor.denylist_feed.DenylistFeed
        self._rules_stamp: Optional[tuple[int, int]] = None
        self._packs_stamp: Optional[tuple] = None
        self._rules_checked = 0.0
        self._reload_now = False                                   # SIGHUP: re-read both files, changed or not
        self.hooks = PipelineHooks(on_syn=self.on_syn, on_request_headers=self.on_request_headers,
                                   on_response_start=self.on_response_start, on_transaction=self.on_transaction)

    @classmethod
    def from_options(cls, opts: Any, engine: Optional[Callable] = None) -> "Blocker":
        from sensor.inject import Injector

        lists = ListFile(opts.lists_path) if opts.lists_path else None
        injector = Injector(opts.inject_iface or opts.iface, rsts_per_side=getattr(opts, "rsts_per_side", 3))
        blocker = cls(ModePolicy(opts.mode, getattr(engine, "rules", None)), injector, lists, engine,
                      opts.early_detection)
        blocker.rules_path = getattr(opts, "rules_path", None)
        if getattr(opts, "denylist_kafka", None):
            from sensor.denylist_feed import DenylistFeed
            blocker.feed = DenylistFeed(opts.denylist_kafka, opts.config.tenant)
        return blocker

    # ---- helpers ----
    @property
    def lists(self) -> IpLists:
        return self.list_file.lists if self.list_file else IpLists()

    def ip_class(self, ip: str) -> Optional[str]:
        """allow > deny (list file or denylist topic) > gray > None."""
        cls = self.lists.classify(ip) if self.list_file else None
        if cls not in ("allow", "deny") and self.feed is not None and self.feed.classify(ip) == "deny":
            return "deny"
        return cls

    def counters(self) -> dict[str, int]:
        return {k: v for k, v in vars(self.stats).items()}

    def packet_seen(self, ts: float) -> None:
        """Called after every captured frame: finishes denylist refusals once the SYN-ACK was seen."""
        if self._pending_deny:
            for fid, flow in list(self._pending_deny.items()):
                if flow.state != ACTIVE:                              # closed before the SYN-ACK
                    del self._pending_deny[fid]
                elif flow.both_seen and flow.server.next_seq is not None:
                    del self._pending_deny[fid]
                    if self._send(flow):
                        self.stats.denylist_refusals += 1
        self.idle()

    def request_reload(self) -> None:
        """Re-read the rules and IP-list files at the next housekeeping step even if they look unchanged (SIGHUP)."""
        self._reload_now = True

    def idle(self) -> None:
        """Housekeeping that must also run on a quiet link: pick up a changed list or rules file."""
        forced, self._reload_now = self._reload_now, False
        self._reload_rules(forced)
        if self.list_file is not None:
            old_error = self.list_file.error
            if forced:
                if self.list_file.reload(force=True):
                    log.info("IP lists reloaded from %s", self.list_file.path)
            else:
                self.list_file.maybe_reload()
            if self.list_file.error and (forced or self.list_file.error != old_error):
                self.stats.list_errors += 1
                log.error("IP list file rejected, previous lists stay in force: %s", self.list_file.error)

    def _reload_rules(self, forced: bool = False) -> None:
        now = time.monotonic()
        if not forced and now - self._rules_checked < 1.0:
            return
        self._rules_checked = now
        self._reload_packs(forced)
        if self.rules_path is None:
            return
        from sensor.rules import RuleError, load_rules
        try:
            st = os.stat(self.rules_path)
        except OSError as exc:
            if forced:
                self.stats.list_errors += 1
                log.error("rules file %s: %s; previous rules stay in force", self.rules_path, exc.strerror or exc)
            return
        stamp = (st.st_mtime_ns, st.st_size)
        if self._rules_stamp is None and not forced:
            self._rules_stamp = stamp       # the version loaded at start
            return
        if stamp == self._rules_stamp and not forced:
            return
        self._rules_stamp = stamp
        try:
            rules = load_rules(self.rules_path)
        except RuleError as exc:
            self.stats.list_errors += 1
            log.error("rules file rejected, previous rules stay in force: %s", exc)
            return
        self.policy.rules = rules
        if self.engine is not None and hasattr(self.engine, "rules"):
            self.engine.rules = rules
        self.stats.rules_reloads += 1
        log.info("rules reloaded from %s (%d rules)", self.rules_path, len(rules.rules))

    def _reload_packs(self, forced: bool) -> None:
        """Swap in the virtual-patch packs node sync published when its folder changed (a bad pack: logged,
        counted, the packs in force stay)."""
        pack_dir = getattr(self.engine, "pack_dir", None)
        if pack_dir is None:
            return
        from sensor import vpatches
        from sensor.rules import RuleError
        stamp = vpatches.stamp(pack_dir)
        if self._packs_stamp is None and not forced:
            self._packs_stamp = stamp       # the version loaded at start
            return
        if stamp == self._packs_stamp and not forced:
            return
        self._packs_stamp = stamp
        try:
            self.engine.reload_packs()
        except (RuleError, ValueError, OSError) as exc:
            self.stats.list_errors += 1
            log.error("virtual-patch packs rejected, previous packs stay in force: %s", exc)
            return
        self.stats.rules_reloads += 1
        log.info("virtual-patch packs reloaded from %s (%d rules)", pack_dir, len(self.engine.packs or ()))

    def _send(self, flow: Any) -> bool:
        if not flow.both_seen:
            self.stats.not_both_ways += 1
            return False
        if self.injector is None:
            return False
        self.stats.resets_sent += self.injector.reset(flow)
        self._reset[flow.id] = time.monotonic()
        if len(self._reset) > _TRACKED:
            self._reset.popitem(last=False)
        return True

    def _act(self, flow: Any, early: bool) -> None:
        if flow.id in self._reset:
            return
        if self._send(flow):
            flow.mark_reset()
            if getattr(self, "_pipeline", None) is not None:   # report its transactions soon, not at idle timeout
                self._pipeline.flows.close_after_reset(flow)
            self.stats.reset_connections += 1
            if early:
                self.stats.early_resets += 1

    def attach(self, pipeline: Any) -> None:
        """The pipeline whose flow table `detect` looks flows up in."""
        self._pipeline = pipeline

    def _flow_of(self, view: Any) -> Any:
        try:
            src = socket.inet_pton(socket.AF_INET6 if ":" in view.client_ip else socket.AF_INET, view.client_ip)
            dst = socket.inet_pton(socket.AF_INET6 if ":" in view.server_ip else socket.AF_INET, view.server_ip)
        except OSError:
            return None
        entry = self._pipeline.flows.index.get(flow_key(src, dst, view.client_port, view.server_port))
        return entry[0] if entry else None

    def detect(self, view: Any) -> list:
        """The pipeline's detector: the engine on the complete request, then act at once (before the answer)."""
        hits = list(self.engine(view)) if self.engine is not None else []
        if any(h.score >= 0.5 for h in hits) and getattr(self, "_pipeline", None) is not None:
            flow = self._flow_of(view)
            if flow is not None and flow.action == "none":
                cls = self.ip_class(flow.client.ip)
                if cls == "allow":
                    self.stats.allowlisted += 1
                elif should_reset(self.policy.mode_for(view), True, cls):
                    self._act(flow, early=False)
        return hits

    # ---- pipeline hooks ----
    def on_syn(self, flow: Any) -> None:
        if denylist_applies(self.policy.default, self.ip_class(flow.client.ip)):
            flow.action = "denylisted"
            self._pending_deny[flow.id] = flow

    def on_request_headers(self, flow: Any, view: Any) -> None:
        if flow.action == "denylisted":     # a request on a refused connection: reset again, live numbers
            if flow.id not in self._pending_deny:
                self._send(flow)
            return
        if flow.action == "reset" or not self.early:
            return
        cls = self.ip_class(flow.client.ip)
        if cls == "allow" or not should_reset(self.policy.mode_for(view), True, cls):
            return          # this request could not be blocked whatever it holds: skip the early pass
        hits = self.engine.inspect_headers(view)
        if any(h.score >= 0.5 for h in hits):
            self._act(flow, early=True)

    def on_response_start(self, flow: Any) -> None:
        if flow.id in self._reset and flow.id not in self._raced and flow.action == "reset":
            # the server answered although we reset: the race was lost (at least partly); try again
            self._raced.add(flow.id)
            self.stats.reset_races_lost += 1
            self._send(flow)

    def on_transaction(self, flow: Any, event: TransactionEvent) -> None:
        if flow.action in ("reset", "denylisted"):
            event.action = flow.action
            return
        if event.verdict != "attack":
            return
        cls = self.ip_class(flow.client.ip)
        if cls == "allow":
            return
        if should_reset(self.policy.mode_for(event.request), True, cls):
            self._act(flow, early=False)
            if flow.action == "reset":
                event.action = "reset"
                if event.response is not None:   # detected only once the answer was complete: too late
                    self._raced.add(flow.id)
                    self.stats.reset_races_lost += 1

    def close(self) -> None:
        if self.injector is not None:
            self.injector.close()
        if self.feed is not None:
            self.feed.close()
