"""The root command group, its shared context and error handling."""

from __future__ import annotations

import sys
from typing import Any

import attrs
import click
import pendulum

from planning_core.errors import PlanningError
from planning_core.plugins import Hooks, make_hooks
from planning_core.serialization import parse_instant
from planning_core.storage import DEFAULT_STORE_URL

__all__ = [
    "ZONE",
    "CliContext",
    "at_option",
    "cli",
    "instant",
    "main",
    "pass_context",
    "store_option",
]

#: The zone a missing ``--at`` is read in: the command line's only use of the wall clock.
ZONE = "Asia/Shanghai"

#: ``--store URL`` for every command that works on a store (default: the embedded SQLite file).
store_option = click.option(
    "--store",
    "store_url",
    default=DEFAULT_STORE_URL,
    show_default=True,
    help="The store to use (sqlite:///file.db, memory://, …).",
)

#: ``--at T`` for every command that acts or reports at an instant.
at_option = click.option(
    "--at",
    "at_text",
    default=None,
    help="The instant, ISO 8601 with offset (default: now, Asia/Shanghai).",
)


def instant(at_text: str | None) -> pendulum.DateTime:
    """``--at`` as an instant; the current time when it is not given."""
    return pendulum.now(ZONE) if at_text is None else parse_instant(at_text)


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
