"""Reports as JSON and Markdown, with Chinese names kept as they are (UTF-8)."""

from __future__ import annotations

import json
from decimal import Decimal

from planning_core.conservation._report import MonthReport, ResourceFigures, YearReport
from planning_core.serialization import dump, make_converter

__all__ = ["report_json", "report_markdown"]


def report_json(report: YearReport | MonthReport) -> str:
    """The report as JSON: amounts as strings (exact decimals), Chinese unescaped."""
    data = dump(make_converter(), report)
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def report_markdown(report: YearReport | MonthReport) -> str:
    """The report as a Markdown page for the bureau's annual summary."""
    if isinstance(report, MonthReport):
        return _month_markdown(report)
    return _year_markdown(report)


def _fmt(value: Decimal | int | None, suffix: str = "") -> str:
    if value is None:
        return "—"
    return f"{value:f}{suffix}" if isinstance(value, Decimal) else f"{value}{suffix}"


def _signed(value: Decimal | None) -> str:
    if value is None:
        return "—"
    return f"{value:+f}%"


def _year_markdown(report: YearReport) -> str:
    lines = [
        f"# {report.year} 年度节能统计 / Conservation report {report.year}",
        "",
        f"人数 headcount: {_fmt(report.headcount)}; "
        f"建筑面积 floor area: {_fmt(report.floor_area_m2, ' m²')}",
        "",
        "| 资源 resource | 单位 unit | 月份 months | 本年 this year | 上年 last year | "
        "同比 YoY | 人均 per capita | 每平方米 per m² | 基准年 baseline | 较基准 vs baseline | "
        "目标 target | 达成 attained |",
        "| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | --- | ---: | ---: | --- |",
    ]
    lines += [_year_row(figures) for figures in report.resources]
    if report.retrofits:
        lines += [
            "",
            "## 节能改造 / Retrofits",
            "",
            "| 项目 project | 地点 site | 完工 completed | 费用 cost (元) | 预计年节约 expected "
            "| 实测年节约 measured |",
            "| --- | --- | --- | ---: | ---: | ---: |",
        ]
        for entry in report.retrofits:
            project, measured = entry.project, entry.measured
            lines.append(
                f"| {project.item} | {project.site} | {project.completed_on.isoformat()} | "
                f"{_fmt(project.cost)} | {_fmt(project.expected_annual_saving)} "
                f"{project.resource.unit} | "
                f"{_fmt(measured.annual_saving if measured else None)} {project.resource.unit} |"
            )
    return "\n".join(lines) + "\n"


def _year_row(f: ResourceFigures) -> str:
    months = f"{f.months[0]}–{f.months[-1]}" if f.months else "—"
    target = _fmt(f.target_reduction_percent, "% less")
    attained = {None: "—", True: "是 yes", False: "否 no"}[f.attained]
    return (
        f"| {f.resource.zh} {f.resource.value} | {f.unit} | {months} | {_fmt(f.total)} | "
        f"{_fmt(f.previous_total)} | {_signed(f.change_percent)} | {_fmt(f.per_capita)} | "
        f"{_fmt(f.per_m2)} | {f.baseline_year} | {_signed(f.against_baseline_percent)} | "
        f"{target} | {attained} |"
    )


def _month_markdown(report: MonthReport) -> str:
    lines = [
        f"# {report.year} 年 {report.month} 月节能统计 / Conservation report "
        f"{report.year}-{report.month:02d}",
        "",
        "| 资源 resource | 单位 unit | 本月 this month | 上年同月 same month last year | "
        "同比 YoY | 本年累计 year to date | 上年同期 last year to date | 累计同比 YTD YoY |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for f in report.resources:
        lines.append(
            f"| {f.resource.zh} {f.resource.value} | {f.unit} | {_fmt(f.amount)} | "
            f"{_fmt(f.previous)} | {_signed(f.change_percent)} | {_fmt(f.year_to_date)} | "
            f"{_fmt(f.previous_year_to_date)} | {_signed(f.year_to_date_change_percent)} |"
        )
    return "\n".join(lines) + "\n"
