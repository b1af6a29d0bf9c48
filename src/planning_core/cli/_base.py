"""The root command group, its shared context and error handling."""

from __future__ import annotations

import sys
from typing import Any

import attrs
import click

from planning_core.errors import PlanningError
from planning_core.plugins import Hooks, make_hooks

__all__ = ["CliContext", "cli", "main", "pass_context"]


@attrs.define
class CliContext:
    """What every command shares: the debug flag and a lazily built plugin manager."""

    debug: bool = False
    _hooks: Hooks | None = None

    @property
    def hooks(self) -> Hooks:
        """The plugin manager, built on first use (built-ins plus installed plugins)."""
        if self._hooks is None:
            self._hooks = make_hooks()
        return self._hooks


class _Group(click.Group):
    """A group that turns library errors into one clear line and exit status 2."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except PlanningError as exc:
            obj = ctx.find_object(CliContext)
            if obj is not None and obj.debug:
                raise
            raise _UserError(str(exc)) from exc


class _UserError(click.ClickException):
    exit_code = 2

    def show(self, file: Any = None) -> None:
        click.echo(f"planning-core: error: {self.format_message()}", err=True)


pass_context = click.make_pass_decorator(CliContext, ensure=True)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--debug", is_flag=True, help="Show the full traceback on errors.")
@click.version_option(package_name="planning-core")
@click.pass_context
def cli(ctx: click.Context, debug: bool) -> None:
    """planning-core: the planning bureau SDK's command line (城乡规划局业务工具)."""
    ctx.obj = CliContext(debug=debug)


def main(argv: list[str] | None = None) -> None:
    """Console-script entry point."""
    cli.main(args=argv if argv is not None else sys.argv[1:], prog_name="planning-core")
