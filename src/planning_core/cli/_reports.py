"""``planning-core report``: approval statistics, the annual work summary, what-if replay.

Reading every history of a year takes a while on a large store, so the long work draws a
progress bar on stderr (with rich, only when stderr is a terminal); the report itself goes
to stdout or ``--out``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

import click
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)

from planning_core.cli._base import CliContext, pass_context
from planning_core.cli._cases import open_engine
from planning_core.reports import (
    annual_summary,
    approval_statistics,
    read_changes,
    statistics_json,
    statistics_markdown,
    summary_html,
    summary_markdown,
    what_if,
    what_if_json,
    what_if_markdown,
)
from planning_core.storage import DEFAULT_STORE_URL

__all__ = ["report"]

F = TypeVar("F", bound=Callable[..., Any])

_STORE = click.option(
    "--store", "store_url", default=DEFAULT_STORE_URL, show_default=True, help="Store URL."
)
_DATE = click.DateTime(formats=["%Y-%m-%d"])
_OUT = click.option(
    "--out", type=click.Path(dir_okay=False, path_type=Path), help="Write to FILE (UTF-8)."
)


def _period_options(function: F) -> F:
    """``--from`` and ``--to``: the first and the last day of the period."""
    to = click.option("--to", "end", type=_DATE, required=True, help="Last day, YYYY-MM-DD.")
    since = click.option(
        "--from", "start", type=_DATE, required=True, help="First day, YYYY-MM-DD."
    )
    return since(to(function))


class _Bar:
    """A progress callback drawing one bar per phase (reading, then replaying)."""

    def __init__(self, progress: Progress, phases: tuple[str, ...]) -> None:
        self.progress = progress
        self.phases = list(phases)
        self.task: TaskID | None = None
        self.last = 0

    def __call__(self, done: int, total: int) -> None:
        if self.task is None or done < self.last:
            label = self.phases.pop(0) if self.phases else "working"
            self.task = self.progress.add_task(label, total=total)
        self.progress.update(self.task, completed=done, total=total)
        self.last = done


@contextmanager
def _progress(*phases: str) -> Iterator[_Bar]:
    console = Console(stderr=True)
    columns = (
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
    )
    with Progress(
        *columns, console=console, transient=True, disable=not console.is_terminal
    ) as bar:
        yield _Bar(bar, phases)


def _emit(text: str, out: Path | None) -> None:
    if out is None:
        click.echo(text, nl=False)
    else:
        out.write_text(text, encoding="utf-8")
        click.echo(f"wrote {out}")


@click.group()
def report() -> None:
    """报表 Reports: approval statistics, the annual work summary, what-if replay."""


@report.command("stats")
@_period_options
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["markdown", "json"]),
    default="markdown",
    show_default=True,
)
@_OUT
@_STORE
@pass_context
def stats_command(
    obj: CliContext,
    start: dt.datetime,
    end: dt.datetime,
    fmt: str,
    out: Path | None,
    store_url: str,
) -> None:
    """Approval statistics from --from to --to (both days included)."""
    engine = open_engine(obj, store_url, create=False)
    try:
        with _progress("读取案件 reading histories") as bar:
            stats = approval_statistics(engine, start.date(), end.date(), progress=bar)
    finally:
        engine.store.close()
    _emit(statistics_json(stats) if fmt == "json" else statistics_markdown(stats), out)


@report.command("annual")
@click.option("--year", type=int, required=True, help="The year to summarise.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["markdown", "html"]),
    default="markdown",
    show_default=True,
    help="html embeds the charts as SVG (needs the charts extra).",
)
@_OUT
@_STORE
@pass_context
def annual_command(obj: CliContext, year: int, fmt: str, out: Path | None, store_url: str) -> None:
    """The annual work summary in the seed's three programmes, every figure from the store."""
    engine = open_engine(obj, store_url, create=False)
    try:
        with _progress("读取案件 reading histories") as bar:
            summary = annual_summary(engine, year, progress=bar)
    finally:
        engine.store.close()
    _emit(summary_html(summary) if fmt == "html" else summary_markdown(summary), out)


@report.command("what-if")
@click.option(
    "--change",
    "change_file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    required=True,
    help="A JSON file of rule changes (see docs/reports.md).",
)
@_period_options
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["markdown", "json"]),
    default="markdown",
    show_default=True,
)
@_OUT
@_STORE
@pass_context
def what_if_command(
    obj: CliContext,
    change_file: Path,
    start: dt.datetime,
    end: dt.datetime,
    fmt: str,
    out: Path | None,
    store_url: str,
) -> None:
    """Replay the cases of a period under changed rules; nothing in the store changes."""
    engine = open_engine(obj, store_url, create=False)
    try:
        changes = read_changes(change_file, engine)
        with _progress("读取案件 reading histories", "模拟 replaying") as bar:
            result = what_if(engine, changes, start.date(), end.date(), progress=bar)
    finally:
        engine.store.close()
    _emit(what_if_json(result) if fmt == "json" else what_if_markdown(result), out)
