"""The root command group, its shared context and error handling."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import attrs
import click
import pendulum

from planning_core.bureau import (
    BUREAU_ENV,
    Bureau,
    BureauConfig,
    installed_plugins,
    open_bureau,
    read_bureau_config,
)
from planning_core.errors import PlanningError
from planning_core.plugins import Hooks
from planning_core.serialization import parse_instant
from planning_core.storage import DEFAULT_STORE_URL

if TYPE_CHECKING:
    from planning_core.cases import Engine

__all__ = [
    "ZONE",
    "CliContext",
    "at_option",
    "cli",
    "instant",
    "main",
    "pass_context",
    "region_default",
    "store_option",
]

#: The zone a missing ``--at`` is read in: the command line's only use of the wall clock.
ZONE = "Asia/Shanghai"


def _resolve_store(ctx: click.Context, param: click.Parameter, value: str | None) -> str:
    """``--store`` if given, else the bureau file's store, else the embedded default."""
    if value:
        return value
    obj = ctx.find_object(CliContext)
    configured = obj.config.store if obj is not None else None
    return configured or DEFAULT_STORE_URL


def region_default(ctx: click.Context, param: click.Parameter, value: str | None) -> str:
    """A ``--calendar`` option's value, else the bureau's region."""
    if value:
        return value
    obj = ctx.find_object(CliContext)
    return obj.region if obj is not None else "CN"


#: ``--store URL`` for every command that works on a store (default: the bureau file's
#: store, else the embedded SQLite file).
store_option = click.option(
    "--store",
    "store_url",
    default=None,
    callback=_resolve_store,
    help=f"The store to use (sqlite:///file.db, memory://, …); default: the bureau file's, "
    f"else {DEFAULT_STORE_URL}.",
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
    """What every command shares: the debug flag, the bureau file and the plugin manager.

    The command line is a door like any other: it opens its bureau with ``open_bureau``,
    from the file given by ``--bureau`` (or ``PLANNING_CORE_BUREAU``), with the installed
    plugins.
    """

    debug: bool = False
    bureau_file: Path | None = None
    _hooks: Hooks | None = None
    _config: BureauConfig | None = None

    @property
    def hooks(self) -> Hooks:
        """The plugin manager, built on first use (built-ins plus installed plugins)."""
        if self._hooks is None:
            self._hooks = installed_plugins()
        return self._hooks

    @property
    def config(self) -> BureauConfig:
        """The bureau configuration (empty without a bureau file), read on first use."""
        if self._config is None:
            self._config = (
                BureauConfig() if self.bureau_file is None else read_bureau_config(self.bureau_file)
            )
        return self._config

    @property
    def region(self) -> str:
        """The calendar region key of the bureau (the file's, a plugin's, else ``CN``)."""
        return self.config.region or self.hooks.default_region(self.config.name) or "CN"

    def bureau(self, store_url: str, *, create: bool = True) -> Bureau:
        """The bureau on ``store_url``, wired once by ``open_bureau``.

        :param create: False for a command that only reads (or acts on what must already be
            there): a store that does not exist is then an error, not created empty.
        """
        return open_bureau(self.config, hooks=self.hooks, store=store_url, create=create)

    def engine(self, store_url: str, *, create: bool = True) -> Engine:
        """The engine of :meth:`bureau` (its store stays open for the command's life)."""
        return self.bureau(store_url, create=create).engine


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
        # One error line; the problems below it indented, and so is any line a quoted value
        # broke (a key with a newline in it), so a reader or a script sees one error.
        first, *rest = self.format_message().splitlines() or [""]
        lines = [first, *(line if line.startswith("  ") else f"    {line}" for line in rest)]
        click.echo("planning-core: error: " + "\n".join(lines), err=True)


pass_context = click.make_pass_decorator(CliContext, ensure=True)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--debug", is_flag=True, help="Show the full traceback on errors.")
@click.option(
    "--bureau",
    "bureau_file",
    envvar=BUREAU_ENV,
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help=f"The bureau file (TOML) every command runs (also ${BUREAU_ENV}): its name, "
    f"calendar, organisation, store and light policy.",
)
@click.version_option(package_name="planning-core")
@click.pass_context
def cli(ctx: click.Context, debug: bool, bureau_file: Path | None) -> None:
    """planning-core: the planning bureau SDK's command line (城乡规划局业务工具)."""
    ctx.obj = CliContext(debug=debug, bureau_file=bureau_file)


def main(argv: list[str] | None = None) -> None:
    """Console-script entry point."""
    cli.main(args=argv if argv is not None else sys.argv[1:], prog_name="planning-core")
