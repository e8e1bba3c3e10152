"""`rampart stack up|down|status`: the local stack of real services."""
from __future__ import annotations

import json
import sys

import click

from core.config import StackConfig
from infra.process import StackError
from infra.stack import Stack


def _stack(home: str | None, services: tuple[str, ...]) -> Stack:
    try:
        return Stack(StackConfig.from_env(home=home), only=list(services) or None)
    except StackError as exc:
        raise click.UsageError(str(exc)) from None


_home = click.option("--home", type=click.Path(file_okay=False), default=None,
                     help="State folder (default .rampart, or $RAMPART_HOME). Ports: $RAMPART_<SERVICE>_PORT.")
_only = click.option("--service", "services", multiple=True, help="Only this service (repeatable), e.g. 'kafka eu'.")


@click.group()
def stack() -> None:
    """Start, stop and inspect the local stack (Kafka per region, ClickHouse, MLflow, APIs, workers)."""


@stack.command()
@_home
@_only
def up(home: str | None, services: tuple[str, ...]) -> None:
    """Start every service that is not already healthy (idempotent)."""
    st = _stack(home, services)
    try:
        st.up(echo=lambda m: click.echo(m, err=True))
    except StackError as exc:
        click.echo(f"rampart stack up: {exc}", err=True)
        sys.exit(1)


@stack.command()
@_home
@_only
def down(home: str | None, services: tuple[str, ...]) -> None:
    """Stop every service of the stack; no process is left behind."""
    try:
        _stack(home, services).down(echo=lambda m: click.echo(m, err=True))
    except StackError as exc:
        click.echo(f"rampart stack down: {exc}", err=True)
        sys.exit(1)


@stack.command()
@_home
@_only
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
def status(home: str | None, services: tuple[str, ...], as_json: bool) -> None:
    """One line per service: name, address, health. Exit 0 only when all are healthy."""
    rows = _stack(home, services).status()
    if as_json:
        click.echo(json.dumps([r.__dict__ for r in rows], indent=2))
    else:
        for r in rows:
            click.echo(r.line())
    sys.exit(0 if all(r.healthy for r in rows) else 1)
