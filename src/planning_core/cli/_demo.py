"""``planning-core demo``: a guided tour of what the library does, on a real store."""

from __future__ import annotations

import click

from planning_core.cli._base import CliContext, pass_context
from planning_core.storage import DEFAULT_STORE_URL, open_store


@click.command()
@click.option(
    "--store",
    "store_url",
    default=DEFAULT_STORE_URL,
    show_default=True,
    help="Where to keep the demo's data (memory:// keeps nothing).",
)
@pass_context
def demo(obj: CliContext, store_url: str) -> None:
    """Run the demo on the embedded default store (SQLite in the working directory)."""
    with open_store(store_url, obj.hooks) as store:
        click.echo(
            f"规划局演示 planning_core demo — store {store.url} "
            f"(schema version {store.schema_version()})"
        )
        click.echo("Registered plugins:")
        for info in obj.hooks.describe():
            click.echo(f"  {info.name}: {', '.join(info.hooks)}")
