"""A progress report as JSON (for systems) and Markdown (for people), both with the summary."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from decimal import Decimal

import cattrs

from planning_core.rural._matters import MatterKind
from planning_core.rural._money import format_wan
from planning_core.rural._plans import Stage
from planning_core.rural._report import CITY, ProgressReport, SiteProgress, StageTally
from planning_core.rural._summary import funding_zh, summary_zh, zh_date
from planning_core.serialization import dump, make_converter

__all__ = ["report_json", "report_markdown"]

_STAGE_ORDER = (Stage.COMPLETED, Stage.UNDER_APPROVAL, Stage.COMPILING, Stage.SURVEYING)


def report_json(report: ProgressReport, converter: cattrs.Converter | None = None) -> str:
    """The report as JSON: ``summary`` (the Chinese text) and every figure, Chinese kept as is."""
    data = dump(converter or make_converter(), report)
    return json.dumps({"summary": summary_zh(report), **data}, ensure_ascii=False, indent=2)


def report_markdown(report: ProgressReport) -> str:
    """The report as a Markdown page: the summary first, then the tables behind it."""
    rows = [*report.sites, *([report.city] if report.city else [])]
    parts = [
        "# 乡村规划进度报告",
        f"截至{zh_date(report.day)}（报告时间 {report.at.isoformat()}）",
        "## 摘要",
        summary_zh(report),
        "## 乡镇与村庄规划进度",
        "乡镇按乡镇总体规划的阶段计，村庄按村庄规划的阶段计。",
        _table(_progress_header(), [_progress_row(s) for s in rows]),
        "## 规划委员会与资金",
        _table(
            ["示范点", "规划委员会", "规划办公室", "按规划登记的投入", "记录的资金"],
            [_committee_row(s) for s in rows],
        ),
        "## 乡镇规划管理事项",
        _table(
            ["示范点", *(k.zh for k in MatterKind), "合计"],
            [
                [s.site, *(str(s.matters[k]) for k in MatterKind), str(s.matters_total)]
                for s in rows
            ],
        ),
        "## 监督检查",
        _table(
            ["示范点", "检查次数", "逾期未完成整改"],
            [[s.site, str(s.inspections), str(len(s.overdue))] for s in rows],
        ),
        *_overdue_section(report),
    ]
    return "\n\n".join(parts) + "\n"


def _progress_header() -> list[str]:
    stages = [s.zh for s in _STAGE_ORDER]
    return ["示范点", "乡镇", *stages, "无记录", "完成率", "村庄", *stages, "无记录", "完成率"]


def _progress_row(site: SiteProgress) -> list[str]:
    return [site.site, *_tally_cells(site.townships), *_tally_cells(site.villages)]


def _tally_cells(tally: StageTally) -> list[str]:
    return [
        str(tally.total),
        *(str(tally.by_stage[s]) for s in _STAGE_ORDER),
        str(tally.not_recorded),
        _percent(tally.completion_percent),
    ]


def _percent(value: Decimal | None) -> str:
    return "—" if value is None else f"{value}%"


def _committee_row(site: SiteProgress) -> list[str]:
    city = site.site == CITY
    sums = "；".join(funding_zh(f, with_site=city) for f in site.recorded_sums) or "—"
    invested = format_wan(site.plan_investment) if site.plan_investment else "—"
    return [site.site, str(site.committees_formed), str(site.planning_offices), invested, sums]


def _overdue_section(report: ProgressReport) -> list[str]:
    overdue = [o for s in report.sites for o in s.overdue]
    if not overdue:
        return []
    rows = [
        [
            o.number,
            o.site,
            o.township or "",
            o.location,
            o.inspected_on.isoformat(),
            o.deadline.isoformat(),
            str(o.days_overdue),
        ]
        for o in sorted(overdue, key=lambda o: (o.deadline, o.number))
    ]
    header = ["编号", "示范点", "乡镇", "地点", "检查日期", "整改期限", "逾期天数"]
    return ["### 逾期未完成的整改", _table(header, rows)]


def _table(header: Sequence[str], rows: Iterable[Sequence[str]]) -> str:
    lines = [_line(header), _line(["---"] * len(header))]
    lines += [_line(row) for row in rows]
    return "\n".join(lines)


def _line(cells: Iterable[str]) -> str:
    return "| " + " | ".join(cell.replace("|", "\\|") for cell in cells) + " |"
