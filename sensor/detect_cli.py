"""CLI: `rampart detect` (raw HTTP requests → hits as JSON) and `rampart rules check|packs|kev`."""
from __future__ import annotations

import base64
import json
import sys
from typing import Any

import click

from sensor.cli import detect_limit_option, vpatch_packs_option


def _requests_from(data: bytes) -> list[tuple[str, bytes]]:
    """One raw request, or JSON Lines with `raw_request_b64` (the corpus format) / `raw` fields."""
    stripped = data.lstrip()
    if stripped[:1] == b"{":
        out = []
        for n, line in enumerate(data.splitlines(), 1):
            if not line.strip():
                continue
            try:
                obj = json.loads(line)
                raw = base64.b64decode(obj["raw_request_b64"]) if "raw_request_b64" in obj else obj["raw"].encode()
            except (ValueError, KeyError, TypeError, AttributeError) as exc:
                raise click.ClickException(f"line {n}: not a request record ({exc.__class__.__name__})") from None
            out.append((str(obj.get("id", n)), raw))
        return out
    return [("1", data)]


@click.command("detect")
@click.argument("file", default="-", type=click.File("rb"))
@click.option("--rules", "rules_path", type=click.Path(dir_okay=False), help="Custom rules YAML to apply.")
@click.option("--all-hits", is_flag=True, help="Also print hits below the verdict threshold.")
@detect_limit_option()
@vpatch_packs_option()
def detect(file, rules_path: str | None, all_hits: bool, detect_limits, vpatch_packs) -> None:
    """Read raw HTTP request(s) from FILE (or stdin) and print each one's hits and verdict as JSON."""
    from sensor.detect import THRESHOLD, Engine, verdict
    from sensor.detect.rawrequest import parse_raw
    from sensor.rules import RuleError, load_rules

    rules = None
    if rules_path:
        try:
            rules = load_rules(rules_path)
        except RuleError as exc:
            raise click.ClickException(str(exc)) from None
    engine = Engine(rules=rules, limits=detect_limits, packs=vpatch_packs)
    for rid, raw in _requests_from(file.read()):
        req = parse_raw(raw)
        hits, mode = engine.evaluate(req)
        shown = hits if all_hits else [h for h in hits if h.score >= THRESHOLD]
        out = {"id": rid, "method": req.method, "target": req.target, "verdict": verdict(hits),
               "hits": [{"type": h.type, "point": h.point, "value": h.value, "rule": h.rule, "score": h.score}
                        for h in shown]}
        if mode is not None:
            out["mode"] = mode
        click.echo(json.dumps(out, ensure_ascii=False))
    sys.stdout.flush()


@click.group("rules")
def rules() -> None:
    """Custom rules and virtual patches."""


@rules.command("check")
@click.argument("file", type=click.Path(dir_okay=False))
def check(file: str) -> None:
    """Validate a rule FILE: prints `ok: N rules`, or `FILE:LINE: reason` and exits 1."""
    from sensor.rules import RuleError, load_rules

    try:
        rs = load_rules(file)
    except RuleError as exc:
        click.echo(str(exc), err=True)
        sys.exit(1)
    click.echo(f"ok: {len(rs)} rules")


@rules.command("packs")
@click.option("--rules", "show_rules", is_flag=True, help="Also list each rule: id and comment.")
def packs(show_rules: bool) -> None:
    """List the shipped virtual-patch packs (sensor/vpatches) and their rule counts."""
    from sensor import vpatches

    for name in vpatches.available():
        rs = vpatches.load((name,))
        click.echo(f"{name}\t{len(rs)} rules")
        if show_rules:
            for r in rs.rules:
                click.echo(f"  {r.id}\t{r.comment}")


@rules.command("kev")
@click.argument("catalog", type=click.Path(dir_okay=False))
@click.option("--packs", "pack_spec", default="all", show_default=True,
              help="Packs to measure: all, none, or a comma-separated list of names.")
@click.option("--since", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
              help="Only list (and fail on) missing entries added to the catalog on or after this day.")
@click.option("--fail-on-missing", is_flag=True,
              help="Exit 1 when a request-borne entry (after --since) has no pack rule: for a scheduled job.")
@click.option("--json", "as_json", is_flag=True, help="One JSON object instead of the text report.")
def kev(catalog: str, pack_spec: str, since: Any, fail_on_missing: bool, as_json: bool) -> None:
    """Which CISA KEV entries the virtual-patch packs answer (CATALOG: CISA's known_exploited_vulnerabilities.json).

    Lists the request-borne entries (by CWE, or the catalog's description) that no pack rule names, newest first,
    and pack rules naming a CVE the catalog does not hold. Exit 2 on a catalog that cannot be read."""
    from sensor import vpatches
    from sensor.vpatches.kev import CatalogError, coverage, read_catalog

    try:
        names = vpatches.parse_names(pack_spec)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--packs")
    try:
        cov = coverage(read_catalog(catalog), vpatches.load(names).rules if names else [], source=catalog)
    except CatalogError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(2)
    day = since.date() if since is not None else None
    missing = cov.missing(day)
    web = sum(e.web for e in cov.entries)
    if as_json:
        click.echo(json.dumps({
            "catalog_version": cov.version, "entries": len(cov.entries), "request_borne": web,
            "covered": [{"cve": e.cve, "rules": list(e.rules)} for e in cov.covered],
            "missing": [{"cve": e.cve, "added": e.added.isoformat(), "vendor": e.vendor, "product": e.product,
                         "name": e.name, "cwes": list(e.cwes)} for e in missing],
            "stray_rules": {cve: list(ids) for cve, ids in cov.stray.items()}}, ensure_ascii=False))
    else:
        covered_web = sum(1 for e in cov.covered if e.web)
        click.echo(f"KEV catalog {cov.version or '(no version)'}: {len(cov.entries)} entries, {web} request-borne; "
                   f"packs {','.join(names) or 'none'} answer {len(cov.covered)} ({covered_web} request-borne)")
        click.echo(f"request-borne without a pack rule{f' (added since {day})' if day else ''}: {len(missing)}")
        for e in missing:
            cwes = f" [{', '.join(e.cwes)}]" if e.cwes else ""
            click.echo(f"  {e.added}  {e.cve}  {e.vendor} {e.product}: {e.name}{cwes}")
        if cov.stray:
            click.echo(f"pack rules naming a CVE not in this catalog: {len(cov.stray)}")
            for cve, ids in cov.stray.items():
                click.echo(f"  {cve}  {', '.join(ids)}")
    if fail_on_missing and missing:
        sys.exit(1)
