"""``planning-core plugins``: what is registered and which hooks each implements."""

from __future__ import annotations

import json

import attrs
import click

from planning_core.cli._base import CliContext, pass_context


@click.command()
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
@pass_context
def plugins(obj: CliContext, as_json: bool) -> None:
    """List every registered plugin, built-in and installed, with its hooks."""
    infos = obj.hooks.describe()
    if as_json:
        data = [attrs.asdict(info) for info in infos]
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    for info in infos:
        origin = "built-in" if info.builtin else f"{info.distribution or '?'} {info.version or ''}"
        click.echo(f"{info.name}  ({origin.strip()})")
        for hook in info.hooks:
            click.echo(f"    {hook}")
