"""The `rampart` command line: the one place that wires the components together."""
from __future__ import annotations

import importlib

import click

# (module, attribute) of each working subcommand; a component adds its line once the command works.
COMMANDS: list[tuple[str, str]] = [
    ("infra.cli", "stack"),
    ("sensor.detect_cli", "detect"),
    ("sensor.detect_cli", "rules"),
    ("sensor.cli", "sensor"),
    ("api.cli", "api"),
    ("api.cli", "tokens"),
    ("streams.cli", "streams"),
    ("streams.cli", "db"),
    ("scanner.cli", "scan"),
    ("training.cli", "train"),
]


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="rampart")
def main() -> None:
    """Rampart: an open web application firewall — filter node on a SPAN port plus a regional cloud."""


for _module, _attr in COMMANDS:
    main.add_command(getattr(importlib.import_module(_module), _attr))
