"""Custom rules and virtual patches: a validated YAML format that adds `vpatch` hits, disables detectors, sets modes."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Callable

import hyperscan
import yaml

from core.events import Hit
from core.rules_schema import ACTIONS, DETECTORS, MODES, RuleSchemaError, validate_rule  # noqa: F401 (re-exported)
from sensor.points import extract
from sensor.points.decoders import percent_decode

# The path index: every rule's path condition in one hyperscan database, scanned once per request. PREFILTER,
# CASELESS and DOTALL make each pattern match a superset of what Python's `re` matches; `re` then confirms.
_PATH_CACHE = 4096
# Point conditions over "\n"-joined dotted point paths: `^`/`$` at line ends; a superset (PREFILTER, caseless)
_POINT_FLAGS = (hyperscan.HS_FLAG_MULTILINE | hyperscan.HS_FLAG_PREFILTER | hyperscan.HS_FLAG_CASELESS
                | hyperscan.HS_FLAG_SINGLEMATCH | hyperscan.HS_FLAG_ALLOWEMPTY)
_INDEX_FLAGS = (hyperscan.HS_FLAG_PREFILTER | hyperscan.HS_FLAG_CASELESS | hyperscan.HS_FLAG_DOTALL
                | hyperscan.HS_FLAG_SINGLEMATCH | hyperscan.HS_FLAG_ALLOWEMPTY)


class RuleError(ValueError):
    """A rule file problem; `line` is 1-based (0 when unknown)."""

    def __init__(self, path: str, line: int, reason: str) -> None:
        super().__init__(f"{path}:{line}: {reason}")
        self.path, self.line, self.reason = path, line, reason


Matcher = Callable[[str], bool]


def _text_matcher(spec: Any, where: str, err: Callable[[str], RuleError], lower: bool = False) -> Matcher:
    """`"x"` or {exact: x} | {prefix: x} | {regex: x}; a list of those matches any."""
    if isinstance(spec, list):
        ms = [_text_matcher(s, where, err, lower) for s in spec]
        return lambda v: any(m(v) for m in ms)
    if isinstance(spec, str):
        spec = {"exact": spec}
    if not isinstance(spec, dict) or len(spec) != 1:
        raise err(f"{where}: expected a string or one of {{exact|prefix|regex: ...}}")
    (kind, pat), = spec.items()
    if not isinstance(pat, str):
        raise err(f"{where}.{kind}: expected a string")
    if lower:
        pat_l = pat.lower()
    else:
        pat_l = pat
    if kind == "exact":
        return (lambda v: v.lower() == pat_l) if lower else (lambda v: v == pat)
    if kind == "prefix":
        return (lambda v: v.lower().startswith(pat_l)) if lower else (lambda v: v.startswith(pat))
    if kind == "regex":
        try:
            rx = re.compile(pat, re.I if lower else 0)
        except re.error as exc:
            raise err(f"{where}.regex: invalid regular expression: {exc}") from None
        return lambda v: rx.search(v) is not None
    raise err(f"{where}: unknown match kind {kind!r} (use exact, prefix or regex)")


def _path_patterns(spec: Any) -> tuple[str, ...]:
    """The regexes (any of them) a validated text-matcher spec stands for, for the path index."""
    if isinstance(spec, list):
        return tuple(p for s in spec for p in _path_patterns(s))
    if isinstance(spec, str):
        spec = {"exact": spec}
    (kind, pat), = spec.items()
    if kind == "exact":
        return ("^" + re.escape(pat) + "$",)
    if kind == "prefix":
        return ("^" + re.escape(pat),)
    return (pat,)


def _point_probe(spec: Any) -> Callable[[str], bool] | None:
    """A cheap test over all of a request's point paths at once ("\n"-separated dotted forms, with a "\n" at both
    ends) that holds whenever the matcher of `spec` holds for some point (it may hold more often); None: no probe."""
    if isinstance(spec, list):
        spec = {"exact": spec}
    (kind, pat), = spec.items()
    if kind == "exact":
        line = "\n" + ".".join(str(x) for x in pat) + "\n"
        return lambda text: line in text
    if kind == "prefix":
        head = "\n" + ".".join(str(x) for x in pat)
        whole, deeper = head + "\n", head + "."
        return lambda text: whole in text or deeper in text
    if re.search(r"\\[AZz]", str(pat)):
        return None  # string anchors mean something else once the paths are joined
    rx = re.compile(str(pat), re.M)
    return lambda text: rx.search(text) is not None


def _point_matcher(spec: Any, err: Callable[[str], RuleError]) -> Callable[[list], bool]:
    """Points match as lists: {exact: [..]}, {prefix: [..]}, or {regex: "..."} against the dotted form."""
    if isinstance(spec, list) and all(isinstance(x, (str, int)) for x in spec):
        spec = {"exact": spec}
    if not isinstance(spec, dict) or len(spec) != 1:
        raise err("match.point: expected a list or one of {exact|prefix: [..], regex: '..'}")
    (kind, pat), = spec.items()
    if kind in ("exact", "prefix"):
        if not isinstance(pat, list) or not all(isinstance(x, (str, int)) for x in pat):
            raise err(f"match.point.{kind}: expected a list of names and indexes")
        want = [str(x) for x in pat]
        if kind == "exact":
            return lambda p: [str(x) for x in p] == want
        return lambda p: [str(x) for x in p[: len(want)]] == want
    if kind == "regex":
        try:
            rx = re.compile(str(pat))
        except re.error as exc:
            raise err(f"match.point.regex: invalid regular expression: {exc}") from None
        return lambda p: rx.search(".".join(str(x) for x in p)) is not None
    raise err(f"match.point: unknown match kind {kind!r}")


@dataclass
class Rule:
    id: str
    action: str
    line: int
    host: Matcher | None = None
    path: Matcher | None = None
    method: Matcher | None = None
    point: Callable[[list], bool] | None = None
    value: Matcher | None = None
    score: float = 0.9
    detectors: tuple[str, ...] = ()
    rule_ids: frozenset[str] = frozenset()
    mode: str | None = None
    comment: str = ""
    path_patterns: tuple[str, ...] = ()  # the path condition as regexes, for RuleSet's index (empty: no condition)
    point_probe: Callable[[str], bool] | None = None  # see _point_probe
    point_exact: list[str] | None = None  # an exact point path of names only: compared with each point's path directly
    point_regex: str | None = None  # a regex point condition, for RuleSet's point index (one scan of all point paths)
    absent: tuple[tuple[str, ...], ...] = ()  # point paths none of which the request may carry (vpatch only)

    def matches_request(self, host: str, path: str, method: str) -> bool:
        return ((self.host is None or self.host(host)) and (self.path is None or self.path(path))
                and (self.method is None or self.method(method)))


@dataclass
class RuleSet:
    rules: list[Rule] = field(default_factory=list)
    source: str = ""
    # built on first use: (hyperscan db or None, pattern id -> rule index, rule indexes without a path condition)
    _index: tuple[Any, list[int], list[int]] | None = field(default=None, repr=False, compare=False)
    # the regex point conditions in one hyperscan database (MULTILINE over the dotted point paths, one per line):
    # (db or None, pattern id -> rule id, the ids it holds); a rule outside it keeps its own `re` probe
    _point_index: tuple[Any, list[str], frozenset[str]] | None = field(default=None, repr=False, compare=False)
    # candidates by path: a site's traffic asks for the same paths again and again
    _by_path: dict[str, list[Rule]] = field(default_factory=dict, repr=False, compare=False)
    _by_line: dict[tuple[str, str, str], list[Rule]] = field(default_factory=dict, repr=False, compare=False)

    def __len__(self) -> int:
        return len(self.rules)

    def _build_index(self) -> tuple[Any, list[int], list[int]]:
        from sensor.detect.hsdb import compiled  # sensor.detect imports this module (through the packs)

        exprs: list[bytes] = []
        owner: list[int] = []
        always: list[int] = []
        for i, r in enumerate(self.rules):
            # `{,n}` is a quantifier to `re` and a literal to PCRE: such a rule is left to `re` on every request
            if not r.path_patterns or any("{," in p for p in r.path_patterns):
                always.append(i)
                continue
            for pat in r.path_patterns:
                exprs.append(pat.encode("utf-8"))
                owner.append(i)
        db = None
        if exprs:
            try:
                db = compiled(exprs, [_INDEX_FLAGS] * len(exprs), prefix="hsrules")
            except hyperscan.error:
                # a pattern hyperscan cannot take even as a prefilter: its rule is checked by `re` on every request
                bad = {owner[n] for n, e in enumerate(exprs) if not _hs_ok(e)}
                always = sorted(set(always) | bad)
                pairs = [(e, o) for e, o in zip(exprs, owner) if o not in bad]
                exprs, owner = [e for e, _ in pairs], [o for _, o in pairs]
                db = compiled(exprs, [_INDEX_FLAGS] * len(exprs), prefix="hsrules") if exprs else None
        return db, owner, always

    def candidates(self, path: str) -> list[Rule]:
        """The rules whose path condition may hold for `path`, in file order (the index is a superset)."""
        found = self._by_path.get(path)
        if found is None:
            found = self._candidates(path)
            if len(self._by_path) >= _PATH_CACHE:
                self._by_path.clear()
            self._by_path[path] = found
        return found

    def _build_point_index(self) -> tuple[Any, list[str], frozenset[str]]:
        from sensor.detect.hsdb import compiled

        ids = [r.id for r in self.rules]
        pairs = [(r.point_regex.encode("utf-8"), r.id) for r in self.rules
                 if r.point_regex is not None and "{," not in r.point_regex and r.point_regex.isascii()
                 and ids.count(r.id) == 1 and _hs_ok(r.point_regex.encode("utf-8"), _POINT_FLAGS)]
        if not pairs:
            return None, [], frozenset()
        try:
            db = compiled([e for e, _ in pairs], [_POINT_FLAGS] * len(pairs), prefix="hsrules")
        except hyperscan.error:  # a database that will not build only costs the per-rule probes
            return None, [], frozenset()
        return db, [i for _, i in pairs], frozenset(i for _, i in pairs)

    def warm(self) -> None:
        """Build the path and point indexes now rather than on the first request."""
        if self._index is None:
            self._index = self._build_index()
        if self._point_index is None:
            self._point_index = self._build_point_index()

    def _probed(self, names: str) -> set[str]:
        """Ids of the rules whose regex point condition may hold for some point (names: see _dotted_lines)."""
        db, owner, _ = self._point_index
        hit: set[str] = set()
        db.scan(names.encode("ascii"), match_event_handler=lambda id_, frm, to, flags, ctx: hit.add(owner[id_]))
        return hit

    def _candidates(self, path: str) -> list[Rule]:
        if self._index is None:
            self._index = self._build_index()
        db, owner, always = self._index
        if db is None:
            return [self.rules[i] for i in always]
        if not path.isascii():  # byte-wise patterns and multi-byte characters disagree on `.`: let `re` decide
            return [r for r in self.rules]
        matched: list[int] = []
        db.scan(path.encode("ascii"), match_event_handler=lambda id_, frm, to, flags, ctx: matched.append(id_))
        if not matched:
            return [self.rules[i] for i in always]
        idx = set(always)
        idx.update(owner[m] for m in matched)
        return [self.rules[i] for i in sorted(idx)]

    def _for_request(self, host: str, path: str, method: str) -> list[Rule]:
        """The rules whose host, path and method conditions hold, in file order (cached: request lines repeat)."""
        key = (host, path, method)
        found = self._by_line.get(key)
        if found is None:
            found = [r for r in self.candidates(path) if r.matches_request(host, path, method)]
            if len(self._by_line) >= _PATH_CACHE:
                self._by_line.clear()
            self._by_line[key] = found
        return found

    def apply(self, request: Any, hits: list[Hit], points: list | None = None) -> tuple[list[Hit], str | None]:
        """Filter and extend `hits` for `request`; returns (hits, mode override or None). `points` saves extracting
        them again when the caller has them."""
        path = percent_decode((getattr(request, "target", "") or "").split("?", 1)[0])
        host = (getattr(request, "host", "") or "").split(":")[0].lower()
        method = (getattr(request, "method", "") or "").upper()
        rules = self._for_request(host, path, method)
        if not rules:
            return list(hits), None
        mode: str | None = None
        out = list(hits)
        names: str | None = None  # every point path, dotted, one per line: what point probes look at
        probed: set[str] | None = None  # rules the point index lets through for this request
        paths: list[list] | None = None  # every point's path, for the exact point conditions
        if self._point_index is None:
            self._point_index = self._build_point_index()
        indexed = self._point_index[2]
        for r in rules:
            if r.action == "mode":
                if mode is None:
                    mode = r.mode
            elif r.action == "disable":
                out = [h for h in out if not (_disables(r, h) and (r.point is None or r.point(h.point)))]
            elif r.action == "vpatch":
                if r.absent:
                    if points is None:
                        points = extract(request)
                    if any(tuple(p.path[:len(a)]) == a for a in r.absent for p in points):
                        continue
                if r.point is None and r.value is None:
                    out.append(Hit(type="vpatch", point=["request"], value=f"{method} {path}"[:256], rule=r.id, score=r.score))
                    continue
                if points is None:
                    points = extract(request)
                if r.point_exact is not None:
                    if paths is None:
                        paths = [p.path for p in points]
                    if r.point_exact not in paths:  # (list equality, in C: a generator per rule cost more than the rule)
                        continue
                elif r.point_probe is not None:
                    if names is None:
                        names = _dotted_lines(points)
                    # (byte-wise patterns and multi-byte characters disagree on `.`: non-ASCII paths go to `re`)
                    if r.id in indexed and names.isascii():
                        if probed is None:
                            probed = self._probed(names)
                        if r.id not in probed:
                            continue
                    elif not r.point_probe(names):
                        continue
                for p in points:
                    if (r.point is None or r.point(p.path)) and (r.value is None or r.value(p.value)):
                        out.append(Hit(type="vpatch", point=list(p.path), value=p.value[:256], rule=r.id, score=r.score))
                        break
        return out, mode


def _dotted_lines(points: list) -> str:
    """"\n" + each point's dotted path + "\n" (array indexes are ints: the slow join only for those paths)."""
    lines = []
    for p in points:
        try:
            lines.append(".".join(p.path))
        except TypeError:
            lines.append(".".join([str(x) for x in p.path]))
    return "\n" + "\n".join(lines) + "\n"


def _hs_ok(expr: bytes, flags: int = _INDEX_FLAGS) -> bool:
    try:
        hyperscan.Database(mode=hyperscan.HS_MODE_BLOCK).compile(expressions=[expr], ids=[0], elements=1, flags=[flags])
        return True
    except hyperscan.error:
        return False


def _disables(r: Rule, h: Hit) -> bool:
    """Whether disable rule `r` covers hit `h` by type (`detectors`) or by the rule that raised it (`rule_ids`)."""
    if r.rule_ids and h.rule in r.rule_ids:
        return True
    return bool(r.detectors) and ("all" in r.detectors or h.type in r.detectors)


class _LineLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """SafeLoader (libyaml's when built with it: packs load 5x faster) that remembers the line of every mapping."""


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> dict:
    mapping = loader.construct_mapping(node, deep=True)
    mapping["__line__"] = node.start_mark.line + 1
    return mapping


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def _strip(obj: Any) -> Any:
    if isinstance(obj, dict):
        return {k: _strip(v) for k, v in obj.items() if k != "__line__"}
    if isinstance(obj, list):
        return [_strip(v) for v in obj]
    return obj


def parse_rules(text: str, path: str = "<rules>") -> RuleSet:
    """Parse and validate rule YAML; raises RuleError naming the line."""
    try:
        doc = yaml.load(text, Loader=_LineLoader)  # noqa: S506 - SafeLoader subclass
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise RuleError(path, (mark.line + 1) if mark else 0, f"YAML syntax: {getattr(exc, 'problem', exc)}") from None
    if doc is None:
        return RuleSet([], path)
    if not isinstance(doc, dict) or not isinstance(doc.get("rules"), list):
        raise RuleError(path, doc.get("__line__", 1) if isinstance(doc, dict) else 1, "top level must be a mapping with a 'rules' list")
    unknown_top = set(doc) - {"rules", "__line__", "version"}
    if unknown_top:
        raise RuleError(path, doc["__line__"], f"unknown top-level key(s): {', '.join(sorted(unknown_top))}")
    seen: set[str] = set()
    rules: list[Rule] = []
    for item in doc["rules"]:
        line = item.get("__line__", 0) if isinstance(item, dict) else 0

        def err(reason: str, _line: int = line) -> RuleError:
            return RuleError(path, _line, reason)

        if not isinstance(item, dict):
            raise err("each rule must be a mapping")
        rid = item.get("id")
        if isinstance(rid, str) and rid in seen:
            raise err(f"duplicate rule id {rid!r}")
        raw_match = item.get("match")
        mline = raw_match.get("__line__", line) if isinstance(raw_match, dict) else line
        # the grammar is core/rules_schema's, which the regional API checks stored rules with: one validator,
        # so a rule the API accepts is a rule this parser loads; here it only gains the line number
        try:
            validate_rule(_strip(item))
        except RuleSchemaError as exc:
            reason = str(exc)
            where = mline if reason.startswith(("match", "unknown match", "'absent'")) or " rules match on " in reason \
                else line
            raise RuleError(path, where, reason if reason.startswith("missing 'id'") else f"rule {rid!r}: {reason}") \
                from None
        seen.add(rid)
        action = item["action"]
        match = _strip(item.get("match", {}) or {})

        def merr(reason: str, _l: int = mline) -> RuleError:
            return RuleError(path, _l, f"rule {rid!r}: {reason}")

        rule = Rule(id=rid, action=action, line=line, comment=str(item.get("comment") or ""))
        if "host" in match:
            rule.host = _text_matcher(match["host"], "match.host", merr, lower=True)
        if "path" in match:
            rule.path = _text_matcher(match["path"], "match.path", merr)
            rule.path_patterns = _path_patterns(match["path"])
        if "method" in match:
            m = match["method"]
            rule.method = _text_matcher([x.upper() if isinstance(x, str) else x for x in m] if isinstance(m, list)
                                        else (m.upper() if isinstance(m, str) else m), "match.method", merr, lower=True)
        if "point" in match:
            rule.point = _point_matcher(match["point"], merr)
            rule.point_probe = _point_probe(match["point"])
            spec = match["point"]
            exact = spec if isinstance(spec, list) else spec.get("exact") if isinstance(spec, dict) else None
            if isinstance(exact, list) and all(isinstance(x, str) and not x.isdigit() for x in exact):
                rule.point_exact = exact
            elif isinstance(spec, dict) and "regex" in spec and rule.point_probe is not None:
                rule.point_regex = str(spec["regex"])
        if "value" in match:
            rule.value = _text_matcher(match["value"], "match.value", merr)
        if "absent" in match:
            rule.absent = tuple(_absent_path(p) for p in match["absent"])
        if action == "vpatch":
            rule.score = float(item.get("score", 0.9))
        elif action == "disable":
            dets = item.get("detectors")
            rule.detectors = tuple([dets] if isinstance(dets, str) else dets or ())
            rule.rule_ids = frozenset(item.get("rule_ids") or ())
        else:
            rule.mode = item.get("mode")
        rules.append(rule)
    return RuleSet(rules, path)


def _absent_path(p: list) -> tuple[str, ...]:
    """An `absent` point path as points spell it: header names upper-case, the carrier lower-case."""
    head = p[0].lower()
    rest = [p[1].upper()] + p[2:] if head == "header" and len(p) > 1 else p[1:]
    return (head, *rest)


def load_rules(path: str) -> RuleSet:
    """Read and validate a rule file; raises RuleError("FILE:LINE: reason")."""
    try:
        with open(path, encoding="utf-8") as fh:
            text = fh.read()
    except OSError as exc:
        raise RuleError(path, 0, f"cannot read: {exc.strerror}") from None
    except UnicodeDecodeError:
        raise RuleError(path, 0, "not UTF-8 text") from None
    return parse_rules(text, path)
