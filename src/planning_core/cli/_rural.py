"""``planning-core rural``: import the bureau's sheets, report progress, list overdue work.

The sheets are the bureau's own (Chinese headers, as the bureau keeps them in its
spreadsheets), so ``export`` writes CSV by default; every other output follows the
convention of ``docs/cli.md`` (``--format``, ``--out``).
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import click

from planning_core.cli._base import CliContext, pass_context, region_default
from planning_core.cli._base import at_option as _at_option
from planning_core.cli._base import instant as _instant
from planning_core.cli._base import store_option as _store_option
from planning_core.cli._output import Output, output_options, progress
from planning_core.rural import (
    SHEETS,
    FollowUp,
    Inspection,
    OverdueRectification,
    RuralRepository,
    export_csv,
    import_csv,
    local_day,
    overdue_rectifications,
    report_json,
    report_markdown,
    rural_progress,
)
from planning_core.rural._summary import zh_date
from planning_core.serialization import dump, make_converter, parse_date
from planning_core.storage import open_store
from planning_core.timing import calendar_for

__all__ = ["rural"]

#: The overdue list as CSV: the bureau's column names, like its sheets.
_OVERDUE_HEADER = (
    "检查编号",
    "示范点",
    "乡镇",
    "地点",
    "检查日期",
    "整改期限",
    "期限暂定",
    "逾期天数",
    "发现问题",
)


#: The record kinds an import stores, as a Chinese sentence counts them (量词 included).
_KINDS_ZH = {
    "sites": "个示范点",
    "townships": "个乡镇",
    "villages": "个村庄",
    "plans": "项规划",
    "committees": "个乡镇规划委员会",
    "matter_counts": "条管理事项统计",
    "funding": "条资金投入记录",
    "regulations": "项规章制度",
    "training_plans": "项培训计划",
    "training_sessions": "期培训",
    "inspections": "次监督检查",
}


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
@output_options()
@_store_option
@pass_context
def import_command(
    obj: CliContext, file: Path, sheet: str | None, output: Output, store_url: str
) -> None:
    """Import FILE.csv (UTF-8, BOM allowed): all rows, or nothing and every problem listed."""
    with progress(obj.say(f"导入 {file.name}", f"importing {file.name}")) as bar:
        bar(0, 2)
        source = file.read_bytes()
        bar(1, 2)
        with open_store(store_url, obj.hooks) as store:
            repository = RuralRepository(store, make_converter(obj.hooks))
            result = import_csv(repository, source, sheet=sheet)
        bar(2, 2)
    title = SHEETS[result.sheet].title

    def text() -> str:
        if obj.lang == "zh":
            stored = "、".join(
                f"{n} {_KINDS_ZH.get(kind, kind)}" for kind, n in result.counts.items()
            )
            return f"已导入 {file.name}：{title}，{result.rows} 行；写入 {stored or '无'}"
        stored = ", ".join(f"{n} {kind}" for kind, n in result.counts.items()) or "nothing"
        return f"imported {file.name}: {result.sheet} sheet, {result.rows} rows; stored {stored}"

    output.emit(
        text=text,
        data=lambda: {
            "file": file.name,
            "sheet": result.sheet,
            "title": title,
            "rows": result.rows,
            "stored": result.counts,
            "store": store_url,
        },
    )


@rural.command("export")
@click.argument("sheet", type=click.Choice(list(SHEETS)))
@click.option("--site", default=None, help="Only this site's rows.")
@output_options(text_name="csv")
@_store_option
@pass_context
def export_command(
    obj: CliContext, sheet: str, site: str | None, output: Output, store_url: str
) -> None:
    """Export SHEET (places, committees, matters, funding) as CSV (or JSON rows).

    The CSV has the sheet's Chinese headers and imports back as it is; written to a file
    it starts with a byte-order mark, so a spreadsheet reads the Chinese.
    """
    with open_store(store_url, obj.hooks, create=False) as store:
        data = RuralRepository(store, make_converter(obj.hooks)).snapshot(site)
    header, *rows = list(csv.reader(io.StringIO(export_csv(data, sheet), newline="")))
    if output.fmt == "json":
        output.json([dict(zip(header, row, strict=True)) for row in rows])
    else:
        output.csv(header, rows)


@rural.command("progress")
@click.option("--site", default=None, help="Report on this site only.")
@output_options(text_name="markdown")
@_at_option
@_store_option
@pass_context
def progress_command(
    obj: CliContext, site: str | None, output: Output, at_text: str | None, store_url: str
) -> None:
    """The progress report, per site and for the whole city, with its Chinese summary."""
    at = _instant(at_text)
    converter = make_converter(obj.hooks)
    with obj.bureau(store_url, create=False) as bureau:
        report = rural_progress(
            bureau.store,
            at,
            converter=converter,
            permit_types=bureau.engine.permit_types.values(),
            site=site,
        )
    if output.fmt == "json":
        output.write(report_json(report, converter))
    else:
        output.write(report_markdown(report))


@rural.group("inspections")
def inspections() -> None:
    """Supervision inspections (监督检查) and their rectifications."""


@inspections.command("overdue")
@_at_option
@output_options(csv=True)
@_store_option
@pass_context
def overdue_command(obj: CliContext, at_text: str | None, output: Output, store_url: str) -> None:
    """Rectifications whose deadline has passed with nothing rectified, longest overdue first."""
    at = _instant(at_text)
    converter = make_converter(obj.hooks)
    with open_store(store_url, obj.hooks, create=False) as store:
        data = RuralRepository(store, converter).snapshot()
    day = local_day(at)
    overdue = overdue_rectifications(data.inspections, day)
    output.emit(
        text=lambda: _overdue_text(zh_date(day), overdue),
        data=lambda: dump(converter, list(overdue)),
        table=lambda: (_OVERDUE_HEADER, [_overdue_row(item) for item in overdue]),
    )


def _overdue_text(day: str, overdue: tuple[OverdueRectification, ...]) -> str:
    """The overdue list in the bureau's words (Chinese, like every sheet of the room)."""
    if not overdue:
        return f"截至{day}没有逾期未完成的整改。"
    lines = [f"截至{day}逾期未完成的整改 {len(overdue)} 项："]
    for item in overdue:
        place = " ".join(p for p in (item.site, item.township, item.location) if p)
        lines.append(
            f"  {item.number}  {place}  检查 {item.inspected_on.isoformat()}  "
            f"期限 {item.deadline.isoformat()}{'（暂定）' if item.deadline_provisional else ''}  "
            f"逾期 {item.days_overdue} 天"
        )
        lines += [f"      - {finding}" for finding in item.findings]
    return "\n".join(lines)


def _overdue_row(item: OverdueRectification) -> list[object]:
    return [
        item.number,
        item.site,
        item.township,
        item.location,
        item.inspected_on.isoformat(),
        item.deadline.isoformat(),
        "是" if item.deadline_provisional else "否",
        item.days_overdue,
        "；".join(item.findings),
    ]


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
@output_options()
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
    output: Output,
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
    converter = make_converter(obj.hooks)
    with open_store(store_url, obj.hooks) as store:
        RuralRepository(store, converter).put(inspection)
    output.emit(
        text=lambda: _recorded_text(obj, inspection), data=lambda: dump(converter, inspection)
    )


def _recorded_text(obj: CliContext, inspection: Inspection) -> str:
    deadline = inspection.rectification_deadline
    provisional = inspection.deadline_provisional
    if obj.lang == "zh":
        due = f"，整改期限 {deadline.isoformat()}" if deadline else ""
        mark = "（暂定：该年节假日安排尚未公布）" if provisional else ""
        return f"已记录检查 {inspection.number}{due}{mark}"
    due = f"; rectify by {deadline.isoformat()}" if deadline else ""
    mark = " (provisional: that year's holidays are not yet published)" if provisional else ""
    return f"recorded inspection {inspection.number}{due}{mark}"


@inspections.command("follow-up")
@click.argument("number")
@click.option("--on", "on_text", required=True, help="The follow-up date, YYYY-MM-DD.")
@click.option("--note", required=True, help="What the follow-up found.")
@click.option("--rectified", is_flag=True, help="The findings have been put right.")
@output_options()
@_store_option
@pass_context
def follow_up_command(
    obj: CliContext,
    number: str,
    on_text: str,
    note: str,
    rectified: bool,
    output: Output,
    store_url: str,
) -> None:
    """Add a follow-up to inspection NUMBER."""
    converter = make_converter(obj.hooks)
    with open_store(store_url, obj.hooks, create=False) as store:
        repository = RuralRepository(store, converter)
        inspection = repository.record_follow_up(
            number, FollowUp(parse_date(on_text), note, rectified)
        )
    text = obj.say(
        f"检查 {number}：已记录复查{'（已整改）' if rectified else ''}",
        f"inspection {number}: follow-up recorded{' (rectified)' if rectified else ''}",
    )
    output.emit(text=lambda: text, data=lambda: dump(converter, inspection))
