"""``planning-core conservation``: record consumption, check requests, report savings."""

from __future__ import annotations

import json
from pathlib import Path

import click

from planning_core.cli._base import CliContext, pass_context
from planning_core.conservation import (
    CHECK_KINDS,
    Assessment,
    CheckRecord,
    ConservationRepository,
    MonthReport,
    RetrofitProject,
    SiteProfile,
    Target,
    YearReport,
    assess,
    build_month_report,
    build_year_report,
    conservation_rules,
    load_check_records,
    read_csv,
    report_json,
    report_markdown,
    year_chart_svg,
)
from planning_core.errors import ValidationError
from planning_core.inputs import load_json, read_text
from planning_core.serialization import make_converter
from planning_core.storage import DEFAULT_STORE_URL, open_store

__all__ = ["conservation"]

_FILE = click.Path(exists=True, dir_okay=False, path_type=Path)
_STORE = click.option(
    "--store",
    "store_url",
    default=DEFAULT_STORE_URL,
    show_default=True,
    help="The store holding the conservation records.",
)


@click.group()
def conservation() -> None:
    """节能 Conservation: record consumption, check requests against the rules, report."""


@conservation.command("record")
@click.argument("file", type=_FILE)
@_STORE
@pass_context
def record(obj: CliContext, file: Path, store_url: str) -> None:
    """Record a CSV of consumption, sites, targets or retrofits (all rows or none).

    The header says which: consumption has month,site,resource,amount,unit.
    """
    kind, records = read_csv(read_text(file), source=file.name)
    with open_store(store_url, obj.hooks) as store:
        count = ConservationRepository(store, make_converter(obj.hooks)).save(records)
        click.echo(f"recorded {count} {kind} row(s) from {file.name} in {store.url}")


@conservation.command("check")
@click.argument("file", type=_FILE)
@click.option("--json", "as_json", is_flag=True, help="Print the verdicts as JSON.")
@pass_context
def check(obj: CliContext, file: Path, as_json: bool) -> None:
    """Print every rule's verdict on a trip, requisition, claim, meal or equipment (JSON)."""
    data = load_json(read_text(file), file.name, expect=(dict, list))
    records = load_check_records(make_converter(obj.hooks), data)
    rules = conservation_rules(obj.hooks).values()
    assessed = [(record, assess(record, rules)) for record in records]
    if as_json:
        click.echo(json.dumps([_as_data(r, a) for r, a in assessed], ensure_ascii=False, indent=2))
        return
    for checked, assessment in assessed:
        _print_assessment(checked, assessment)


@conservation.command("report")
@click.option("--year", type=int, required=True, help="The year to report on.")
@click.option("--month", type=click.IntRange(1, 12), help="Report one month of the year.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["json", "markdown", "svg"]),
    default="markdown",
    show_default=True,
    help="svg draws the year's consumption against the baseline (needs the charts extra).",
)
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), help="Write to FILE.")
@click.option(
    "--baseline-year", type=int, help="Baseline for resources without a target (default Y-1)."
)
@_STORE
@pass_context
def report(
    obj: CliContext,
    year: int,
    month: int | None,
    fmt: str,
    out: Path | None,
    baseline_year: int | None,
    store_url: str,
) -> None:
    """Report a year's (or a month's) consumption as Markdown, JSON or an SVG chart."""
    if month is not None and fmt == "svg":
        raise ValidationError("the SVG chart covers a whole year; leave out --month")
    with open_store(store_url, obj.hooks, create=False) as store:
        repository = ConservationRepository(store, make_converter(obj.hooks))
        records = repository.consumption()
        if month is not None:
            text = _render(build_month_report(year, month, records), fmt)
        else:
            built = build_year_report(
                year,
                records,
                profiles=repository.records(SiteProfile, f"{year:04d}/"),
                targets=repository.records(Target, f"{year:04d}/"),
                retrofits=repository.records(RetrofitProject),
                baseline_year=baseline_year,
            )
            text = year_chart_svg(built) if fmt == "svg" else _render(built, fmt)
    if out is None:
        click.echo(text, nl=False)
    else:
        out.write_text(text, encoding="utf-8")
        click.echo(f"wrote {out}")


def _render(built: YearReport | MonthReport, fmt: str) -> str:
    return report_json(built) if fmt == "json" else report_markdown(built)


def _kind(checked: CheckRecord) -> str:
    return next(name for name, cls in CHECK_KINDS.items() if isinstance(checked, cls))


def _print_assessment(checked: CheckRecord, assessment: Assessment) -> None:
    outcome = assessment.outcome
    click.echo(f"{_kind(checked)} {checked.key}: {outcome.zh} {outcome.value}")
    for result in assessment.results:
        verdict = result.verdict
        tags = f" [{', '.join(verdict.conditions)}]" if verdict.conditions else ""
        click.echo(
            f"  {verdict.outcome.zh} {verdict.outcome.value}{tags}  {result.rule_id} "
            f"({result.description.zh}): {verdict.reason}"
        )


def _as_data(checked: CheckRecord, assessment: Assessment) -> dict[str, object]:
    return {
        "record": _kind(checked),
        "key": checked.key,
        "outcome": assessment.outcome.value,
        "conditions": list(assessment.conditions),
        "verdicts": [
            {
                "rule": result.rule_id,
                "description": result.description.zh,
                "outcome": result.verdict.outcome.value,
                "reason": result.verdict.reason,
                "conditions": list(result.verdict.conditions),
            }
            for result in assessment.results
        ],
    }
