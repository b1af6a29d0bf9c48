"""The root command group, its shared context and error handling."""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import attrs
import click

from planning_core._defaults import BUREAU_ENV, DEFAULT_STORE_URL
from planning_core.errors import PlanningError

if TYPE_CHECKING:
    import pendulum

    from planning_core.bureau import Bureau, BureauConfig
    from planning_core.cases import Engine
    from planning_core.plugins import Hooks

__all__ = [
    "LANG_ENV",
    "ZONE",
    "CliContext",
    "LazyCommand",
    "at_option",
    "cli",
    "instant",
    "locale_language",
    "main",
    "pass_context",
    "region_default",
    "store_option",
]

#: The environment variable choosing the command line's language (``zh`` or ``en``).
LANG_ENV = "PLANNING_CORE_LANG"


def locale_language(environ: Mapping[str, str] | None = None) -> str:
    """``zh`` when the locale (``LC_ALL``, ``LC_MESSAGES``, ``LANG``) is Chinese, else ``en``."""
    env = os.environ if environ is None else environ
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = env.get(name)
        if value:
            return "zh" if value.lower().startswith("zh") else "en"
    return "en"


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
    import pendulum

    from planning_core.serialization import parse_instant

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
    #: The language of the command line's own messages: ``zh`` or ``en``.
    lang: str = "en"
    _hooks: Hooks | None = None
    _config: BureauConfig | None = None

    @property
    def hooks(self) -> Hooks:
        """The plugin manager, built on first use (built-ins plus installed plugins)."""
        if self._hooks is None:
            from planning_core.bureau import installed_plugins

            self._hooks = installed_plugins()
        return self._hooks

    @property
    def config(self) -> BureauConfig:
        """The bureau configuration (empty without a bureau file), read on first use."""
        if self._config is None:
            from planning_core.bureau import BureauConfig, read_bureau_config

            self._config = (
                BureauConfig() if self.bureau_file is None else read_bureau_config(self.bureau_file)
            )
        return self._config

    @property
    def region(self) -> str:
        """The calendar region key of the bureau (the file's, a plugin's, else ``CN``)."""
        return self.config.region or self.hooks.default_region(self.config.name) or "CN"

    def say(self, zh: str, en: str) -> str:
        """The command line's own message in the chosen language (``--lang``)."""
        return zh if self.lang == "zh" else en

    def bureau(self, store_url: str, *, create: bool = True) -> Bureau:
        """The bureau on ``store_url``, wired once by ``open_bureau``.

        :param create: False for a command that only reads (or acts on what must already be
            there): a store that does not exist is then an error, not created empty.
        """
        from planning_core.bureau import open_bureau

        return open_bureau(self.config, hooks=self.hooks, store=store_url, create=create)

    def engine(self, store_url: str, *, create: bool = True) -> Engine:
        """The engine of :meth:`bureau` (its store stays open for the command's life)."""
        return self.bureau(store_url, create=create).engine


@attrs.frozen
class LazyCommand:
    """Where a top-level command lives, and its one-line help for ``--help``.

    The root group imports a command's module only when that command runs (or its own
    ``--help`` is asked for), so ``planning-core --help`` and every command's start stay
    fast: networkx, cattrs, the engine and the optional extras are loaded by the commands
    that use them. ``tests/test_cli_lazy.py`` checks each ``short_help`` here is the
    command's own.
    """

    module: str
    attribute: str
    short_help: str


class _Group(click.Group):
    """A group that turns library errors into one clear line and exit status 2.

    Its commands may be registered lazily (:class:`LazyCommand`), by name.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.lazy_commands: dict[str, LazyCommand] = {}

    def add_lazy_command(self, name: str, command: LazyCommand) -> None:
        """Register ``command`` under ``name`` without importing it."""
        self.lazy_commands[name] = command

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *self.lazy_commands})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        lazy = self.lazy_commands.get(cmd_name)
        if lazy is not None and cmd_name not in self.commands:
            import importlib

            command = getattr(importlib.import_module(lazy.module), lazy.attribute)
            self.add_command(command, cmd_name)
        return super().get_command(ctx, cmd_name)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        # The listing reads the registered one-liners: asking for help loads no command.
        rows = [
            (name, self.lazy_commands[name].short_help)
            if name in self.lazy_commands and name not in self.commands
            else (name, self.commands[name].get_short_help_str(formatter.width))
            for name in self.list_commands(ctx)
        ]
        if rows:
            with formatter.section("Commands"):
                formatter.write_dl(rows)

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
@click.option(
    "--lang",
    type=click.Choice(["zh", "en"]),
    envvar=LANG_ENV,
    default=None,
    help=f"The language of the command line's own messages (also ${LANG_ENV}); default: "
    "the locale's (zh for a zh_* locale, else en). Bureau output (receipts, notices, "
    "reports) is always Chinese.",
)
@click.version_option(package_name="planning-core")
@click.pass_context
def cli(ctx: click.Context, debug: bool, bureau_file: Path | None, lang: str | None) -> None:
    """planning-core: the planning bureau SDK's command line (城乡规划局业务工具)."""
    ctx.obj = CliContext(debug=debug, bureau_file=bureau_file, lang=lang or locale_language())


def main(argv: list[str] | None = None) -> None:
    """Console-script entry point."""
    cli.main(args=argv if argv is not None else sys.argv[1:], prog_name="planning-core")
