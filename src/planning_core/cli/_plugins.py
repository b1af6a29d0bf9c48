"""``planning-core plugins``: what is registered and which hooks each implements."""

from __future__ import annotations

import click

from planning_core.cli._base import CliContext, pass_context
from planning_core.cli._output import Output, output_options
from planning_core.serialization import dump, make_converter


@click.command()
@output_options()
@pass_context
def plugins(obj: CliContext, output: Output) -> None:
    """List every registered plugin, built-in and installed, with its hooks."""
    infos = obj.hooks.describe()

    def text() -> str:
        lines = []
        for info in infos:
            origin = (
                obj.say("内置", "built-in")
                if info.builtin
                else f"{info.distribution or '?'} {info.version or ''}"
            )
            lines.append(f"{info.name}  ({origin.strip()})")
            lines += [f"    {hook}" for hook in info.hooks]
        return "\n".join(lines)

    output.emit(text=text, data=lambda: dump(make_converter(), list(infos)))
