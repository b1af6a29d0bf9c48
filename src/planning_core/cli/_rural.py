"""``planning-core rural``: import the bureau's sheets, report progress, list overdue work."""

from __future__ import annotations

import json
from pathlib import Path

import click

from planning_core.cli._base import CliContext, pass_context, region_default
from planning_core.cli._base import at_option as _at_option
from planning_core.cli._base import instant as _instant
from planning_core.cli._base import store_option as _store_option
from planning_core.rural import (
    SHEETS,
    FollowUp,
    Inspection,
    RuralRepository,
    export_csv,
    import_csv,
    local_day,
    overdue_rectifications,
    progress_report,
    report_json,
    report_markdown,
)
from planning_core.rural._summary import zh_date
from planning_core.serialization import dump, make_converter, parse_date
from planning_core.storage import open_store
from planning_core.timing import calendar_for


@click.group()
def rural() -> None:
    """Rural planning management (乡村规划管理): sheets, progress reports, inspections."""


@rural.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--sheet",
    type=click.Choice(list(SHEETS)),
    default=None,
    help="The sheet the file is (default: recognised from its header row).",
)
@_store_option
@pass_context
def import_command(obj: CliContext, file: Path, sheet: str | None, store_url: str) -> None:
    """Import FILE.csv (UTF-8, BOM allowed): all rows, or nothing and every problem listed."""
    with open_store(store_url, obj.hooks) as store:
        repository = RuralRepository(store, make_converter(obj.hooks))
        result = import_csv(repository, file.read_bytes(), sheet=sheet)
    stored = ", ".join(f"{n} {kind}" for kind, n in result.counts.items()) or "nothing"
    title = SHEETS[result.sheet].title
    click.echo(f"导入 {file.name}: {title} ({result.sheet}), {result.rows} rows; stored {stored}")


@rural.command("export")
@click.argument("sheet", type=click.Choice(list(SHEETS)))
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Write to this file (UTF-8 with BOM, for spreadsheets) instead of standard output.",
)
@click.option("--site", default=None, help="Only this site's rows.")
@_store_option
@pass_context
def export_command(
    obj: CliContext, sheet: str, output: Path | None, site: str | None, store_url: str
) -> None:
    """Export SHEET (places, committees, matters, funding) as CSV."""
    with open_store(store_url, obj.hooks, create=False) as store:
        data = RuralRepository(store, make_converter(obj.hooks)).snapshot(site)
    text = export_csv(data, sheet)
    if output is None:
        click.echo(text, nl=False)
    else:
        output.write_text(text, encoding="utf-8-sig", newline="")


@rural.command("progress")
@click.option("--site", default=None, help="Report on this site only.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["markdown", "json"]),
    default="markdown",
    show_default=True,
)
@_at_option
@_store_option
@pass_context
def progress_command(
    obj: CliContext, site: str | None, fmt: str, at_text: str | None, store_url: str
) -> None:
    """The progress report, per site and for the whole city, with its Chinese summary."""
    at = _instant(at_text)
    converter = make_converter(obj.hooks)
    with open_store(store_url, obj.hooks, create=False) as store:
        data = RuralRepository(store, converter).snapshot()
    report = progress_report(data, at, site=site)
    if fmt == "json":
        click.echo(report_json(report, converter))
    else:
        click.echo(report_markdown(report), nl=False)


@rural.group("inspections")
def inspections() -> None:
    """Supervision inspections (监督检查) and their rectifications."""


@inspections.command("overdue")
@_at_option
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of lines.")
@_store_option
@pass_context
def overdue_command(obj: CliContext, at_text: str | None, as_json: bool, store_url: str) -> None:
    """Rectifications whose deadline has passed with nothing rectified, longest overdue first."""
    at = _instant(at_text)
    converter = make_converter(obj.hooks)
    with open_store(store_url, obj.hooks, create=False) as store:
        data = RuralRepository(store, converter).snapshot()
    day = local_day(at)
    overdue = overdue_rectifications(data.inspections, day)
    if as_json:
        click.echo(json.dumps(dump(converter, list(overdue)), ensure_ascii=False, indent=2))
        return
    if not overdue:
        click.echo(f"截至{zh_date(day)}没有逾期未完成的整改。")
        return
    click.echo(f"截至{zh_date(day)}逾期未完成的整改 {len(overdue)} 项:")
    for item in overdue:
        place = " ".join(p for p in (item.site, item.township, item.location) if p)
        click.echo(
            f"  {item.number}  {place}  检查 {item.inspected_on.isoformat()}  "
            f"期限 {item.deadline.isoformat()}{'（暂定）' if item.deadline_provisional else ''}  "
            f"逾期 {item.days_overdue} 天"
        )
        for finding in item.findings:
            click.echo(f"      - {finding}")


@inspections.command("record")
@click.option("--number", required=True, help="The inspection's number (检查编号).")
@click.option("--site", required=True, help="The site inspected.")
@click.option("--township", default=None, help="The township, when the place is in one.")
@click.option("--on", "on_text", required=True, help="The inspection date, YYYY-MM-DD.")
@click.option("--location", required=True, help="The place inspected (地点).")
@click.option("--finding", "findings", multiple=True, help="A problem found (repeatable).")
@click.option("--limit", default=None, help="Time allowed to rectify, e.g. 10个工作日 or 30日.")
@click.option(
    "--calendar",
    "region",
    default=None,
    callback=region_default,
    help="Calendar region (default: the bureau's, else CN).",
)
@_store_option
@pass_context
def record_command(
    obj: CliContext,
    number: str,
    site: str,
    township: str | None,
    on_text: str,
    location: str,
    findings: tuple[str, ...],
    limit: str | None,
    region: str,
    store_url: str,
) -> None:
    """Record an inspection; its rectification deadline is counted in working days."""
    inspection = Inspection.record(
        number=number,
        site=site,
        inspected_on=parse_date(on_text),
        location=location,
        findings=findings,
        township=township,
        rectification_limit=limit,
        calendar=calendar_for(region, hooks=obj.hooks),
    )
    with open_store(store_url, obj.hooks) as store:
        RuralRepository(store, make_converter(obj.hooks)).put(inspection)
    deadline = inspection.rectification_deadline
    due = f"; rectify by {deadline.isoformat()}" if deadline else ""
    provisional = " (provisional: that year's holidays are not yet published)"
    click.echo(
        f"recorded inspection {number}{due}{provisional if inspection.deadline_provisional else ''}"
    )


@inspections.command("follow-up")
@click.argument("number")
@click.option("--on", "on_text", required=True, help="The follow-up date, YYYY-MM-DD.")
@click.option("--note", required=True, help="What the follow-up found.")
@click.option("--rectified", is_flag=True, help="The findings have been put right.")
@_store_option
@pass_context
def follow_up_command(
    obj: CliContext, number: str, on_text: str, note: str, rectified: bool, store_url: str
) -> None:
    """Add a follow-up to inspection NUMBER."""
    with open_store(store_url, obj.hooks, create=False) as store:
        repository = RuralRepository(store, make_converter(obj.hooks))
        repository.record_follow_up(number, FollowUp(parse_date(on_text), note, rectified))
    click.echo(f"inspection {number}: follow-up recorded{' (rectified)' if rectified else ''}")
