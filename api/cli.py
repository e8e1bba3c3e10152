"""`rampart api serve|migrate` and `rampart tokens create|list|revoke`: the regional API and its operators' tools."""
from __future__ import annotations

import json
import signal
import sys
from typing import Optional

import click

from api.models import ROLES
from api.settings import REGIONS, Settings, load_settings

_region = click.option("--region", type=click.Choice(REGIONS), required=True, help="Which regional cloud.")
_config = click.option("--config", "config_file", type=click.Path(dir_okay=False, exists=True), default=None,
                       help="Config file instead of api/config/<region>.toml.")


def _fail(prefix: str, exc: BaseException) -> None:
    reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    click.echo(f"rampart {prefix}: {reason}", err=True)
    sys.exit(1)


def _settings(region: str, config_file: Optional[str], **overrides: object) -> Settings:
    from pathlib import Path

    try:
        return load_settings(region, Path(config_file) if config_file else None).with_overrides(**overrides)
    except (OSError, ValueError) as exc:
        _fail("api", exc)
        raise  # unreachable: _fail exits


@click.group()
def api() -> None:
    """The regional REST API (one process per region)."""


@api.command()
@_region
@_config
@click.option("--host", default=None, help="Bind address (default from config: 127.0.0.1).")
@click.option("--port", type=int, default=None, help="Port (default from config: EU 18080, US 18081).")
@click.option("--log-level", default="info", type=click.Choice(["debug", "info", "warning", "error"]))
def serve(region: str, config_file: Optional[str], host: Optional[str], port: Optional[int], log_level: str) -> None:
    """Serve the region's API with uvicorn (migrates the control-plane database first)."""
    import uvicorn

    from api.app import create_app
    from core.logging import setup

    setup(log_level)
    settings = _settings(region, config_file, host=host, port=port)
    try:
        app = create_app(settings)
    except Exception as exc:  # noqa: BLE001 — any start-up failure is one line on stderr and exit 1
        _fail("api serve", exc)
    if settings.metrics_port:  # the listener starts with the app; a taken port is refused here in one line
        import socket

        with socket.socket() as probe:
            try:
                probe.bind((settings.metrics_host, settings.metrics_port))
            except OSError as exc:
                _fail("api serve", OSError(f"metrics listener {settings.metrics_host}:{settings.metrics_port}: "
                                           f"{exc.strerror or exc}"))
    # uvicorn shuts down gracefully on SIGTERM and then re-raises the signal to the previous handler; a no-op
    # handler there makes a requested stop end with exit code 0 (design §4) instead of death by signal.
    signal.signal(signal.SIGTERM, lambda *_: None)
    uvicorn.run(app, host=settings.host, port=settings.port, log_level=log_level, access_log=False,
                log_config=None, server_header=False)


@api.command()
@_region
@_config
def migrate(region: str, config_file: Optional[str]) -> None:
    """Apply the control-plane database migrations of a region."""
    from api import migrate as migrations
    from api.db import make_engine

    settings = _settings(region, config_file)
    try:
        rev = migrations.upgrade(make_engine(settings.database_url))
    except Exception as exc:  # noqa: BLE001
        _fail("api migrate", exc)
    click.echo(f"{region}: control-plane database at revision {rev}")


def _session(region: str, config_file: Optional[str]):
    from api import migrate as migrations
    from api.db import make_engine, session_factory

    settings = _settings(region, config_file)
    try:
        engine = make_engine(settings.database_url)
        migrations.upgrade(engine)
    except Exception as exc:  # noqa: BLE001
        _fail("tokens", exc)
    return session_factory(engine)()


@click.group()
def tokens() -> None:
    """Create, list and revoke API tokens (shown once, stored only as a hash)."""


@tokens.command()
@_region
@_config
@click.option("--tenant", required=True, help="Tenant name (created if it does not exist).")
@click.option("--role", type=click.Choice(ROLES), required=True, help="What the token may do.")
@click.option("--name", default="", help="A label, e.g. who or what uses the token.")
def create(region: str, config_file: Optional[str], tenant: str, role: str, name: str) -> None:
    """Create a token; it is printed alone on the last line and never shown again."""
    from api import tokens as tok

    with _session(region, config_file) as session:
        try:
            token, row = tok.create_token(session, region, tenant, role, name)
            session.commit()
        except ValueError as exc:
            raise click.BadParameter(str(exc)) from None
        except Exception as exc:  # noqa: BLE001
            _fail("tokens create", exc)
        click.echo(f"created token {row.id} ({role}) for tenant {tenant!r} in region {region}; "
                   f"store it now, it will not be shown again:", err=True)
        click.echo(token)


@tokens.command("list")
@_region
@_config
@click.option("--tenant", default=None, help="Only this tenant's tokens.")
@click.option("--json", "as_json", is_flag=True, help="JSON lines for machines.")
def list_(region: str, config_file: Optional[str], tenant: Optional[str], as_json: bool) -> None:
    """List tokens (never the secrets)."""
    from api import tokens as tok

    with _session(region, config_file) as session:
        for t in tok.list_tokens(session, tenant):
            state = "revoked" if t.revoked_at else "active"
            if as_json:
                click.echo(json.dumps({"id": t.id, "tenant": t.tenant, "role": t.role, "name": t.name,
                                       "display": t.display, "state": state, "created_at": t.created_at.isoformat(),
                                       "last_used_at": t.last_used_at.isoformat() if t.last_used_at else None}))
            else:
                used = t.last_used_at.isoformat(timespec="seconds") if t.last_used_at else "never"
                click.echo(f"{t.id:>5}  {t.tenant:<20} {t.role:<9} {state:<7} {t.display:<18} used {used}  {t.name}")


@tokens.command()
@_region
@_config
@click.argument("token_id", type=int)
def revoke(region: str, config_file: Optional[str], token_id: int) -> None:
    """Revoke a token by its id (see `rampart tokens list`)."""
    from api import tokens as tok

    with _session(region, config_file) as session:
        if not tok.revoke_token(session, token_id):
            click.echo(f"rampart tokens revoke: no active token with id {token_id} in region {region}", err=True)
            sys.exit(1)
        session.commit()
    click.echo(f"revoked token {token_id}")
