"""``planning-core report``: approval statistics, the annual work summary, what-if replay.

Reading every history of a year takes a while on a large store, so the long work draws a
progress bar on stderr (:func:`planning_core.cli._output.progress`: with rich, only when
stderr is a terminal); the report itself goes to stdout or ``--out``. The reports are
Markdown for people (``--format markdown``, the default), JSON for programs, and the annual
summary also an HTML page with its charts (``--format html``, the ``charts`` extra).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from planning_core.cli._base import CliContext, pass_context, store_option
from planning_core.cli._output import Output, output_options, progress

__all__ = ["report"]

F = TypeVar("F", bound=Callable[..., Any])

_DATE = click.DateTime(formats=["%Y-%m-%d"])


def _period_options(function: F) -> F:
    """``--from`` and ``--to``: the first and the last day of the period."""
    to = click.option("--to", "end", type=_DATE, required=True, help="Last day, YYYY-MM-DD.")
    since = click.option(
        "--from", "start", type=_DATE, required=True, help="First day, YYYY-MM-DD."
    )
    return since(to(function))


@click.group()
def report() -> None:
    """报表 Reports: approval statistics, the annual work summary, what-if replay."""


@report.command("stats")
@_period_options
@output_options(text_name="markdown")
@store_option
@pass_context
def stats_command(
    obj: CliContext, start: dt.datetime, end: dt.datetime, output: Output, store_url: str
) -> None:
    """Approval statistics from --from to --to (both days included)."""
    from planning_core.reports import approval_statistics, statistics_data, statistics_markdown

    engine = obj.engine(store_url, create=False)
    try:
        with progress(obj.say("读取案件", "reading histories")) as bar:
            stats = approval_statistics(engine, start.date(), end.date(), progress=bar)
    finally:
        engine.store.close()
    output.emit(text=lambda: statistics_markdown(stats), data=lambda: statistics_data(stats))


@report.command("annual")
@click.option("--year", type=int, required=True, help="The year to summarise.")
@output_options(text_name="markdown", formats=("html",))
@store_option
@pass_context
def annual_command(obj: CliContext, year: int, output: Output, store_url: str) -> None:
    """The annual work summary in the seed's three programmes, every figure from the store.

    ``--format html`` embeds the charts as SVG (needs the charts extra); ``json`` gives the
    summary's figures.
    """
    from planning_core.reports import annual_summary, summary_html, summary_markdown
    from planning_core.serialization import dump, make_converter

    engine = obj.engine(store_url, create=False)
    try:
        with progress(obj.say("读取案件", "reading histories")) as bar:
            summary = annual_summary(engine, year, progress=bar)
    finally:
        engine.store.close()
    if output.fmt == "html":
        output.write(summary_html(summary))
        return
    output.emit(
        text=lambda: summary_markdown(summary),
        data=lambda: dump(make_converter(obj.hooks), summary),
    )


@report.command("what-if")
@click.option(
    "--change",
    "change_file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    required=True,
    help="A JSON file of rule changes (see docs/reports.md).",
)
@_period_options
@output_options(text_name="markdown")
@store_option
@pass_context
def what_if_command(
    obj: CliContext,
    change_file: Path,
    start: dt.datetime,
    end: dt.datetime,
    output: Output,
    store_url: str,
) -> None:
    """Replay the cases of a period under changed rules; nothing in the store changes."""
    from planning_core.reports import read_changes, what_if, what_if_json, what_if_markdown

    engine = obj.engine(store_url, create=False)
    try:
        changes = read_changes(change_file, engine)
        phases = (obj.say("读取案件", "reading histories"), obj.say("模拟", "replaying"))
        with progress(*phases) as bar:
            result = what_if(engine, changes, start.date(), end.date(), progress=bar)
    finally:
        engine.store.close()
    output.emit(
        text=lambda: what_if_markdown(result), data=lambda: json.loads(what_if_json(result))
    )
