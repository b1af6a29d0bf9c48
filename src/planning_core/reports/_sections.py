"""The sections of the reports, as blocks (see :mod:`planning_core.reports._document`)."""

from __future__ import annotations

from planning_core.conservation import YearReport, year_chart_svg
from planning_core.reports._annual import AnnualSummary
from planning_core.reports._charts import cases_per_month_svg, on_time_svg
from planning_core.reports._consultations import consultation_blocks, rating_blocks
from planning_core.reports._document import Block, Figure, Heading, Paragraph, Table
from planning_core.reports._figures import Counts, OnTime, Spread
from planning_core.reports._statistics import ApprovalStatistics, LightTally
from planning_core.reports._text_zh import (
    approval_zh,
    conservation_zh,
    number,
    unit_zh,
    what_if_zh,
)
from planning_core.reports._whatif import ClockWhatIf, WhatIfReport
from planning_core.rural import CITY, ProgressReport, summary_zh

__all__ = ["annual_blocks", "statistics_blocks", "what_if_blocks"]


def _rate(on_time: OnTime, which: str) -> str:
    rate = on_time.committed_rate if which == "committed" else on_time.statutory_rate
    return "—" if rate is None else f"{rate:f}%"


def _spread(days: Spread) -> tuple[str, str, str]:
    return number(days.mean), number(days.p90), number(days.longest)


def _count_cells(c: Counts) -> tuple[str, ...]:
    values = (
        c.received,
        c.accepted,
        c.refused,
        c.decided,
        c.approved,
        c.denied,
        c.issued,
        c.withdrawn,
    )
    return tuple(str(v) for v in values)


_COUNT_HEADERS = ("收件", "受理", "不予受理", "决定", "准予", "不予许可", "发证", "撤回")


def statistics_blocks(
    stats: ApprovalStatistics, level: int = 2, lead: str | None = None
) -> list[Block]:
    """The approval statistics: the paragraph, then the tables, headings from ``level``."""
    opening = f"{stats.period.zh}，" if lead is None else lead
    blocks: list[Block] = [
        Paragraph(approval_zh(stats, opening)),
        Heading(level, "分业务类型办理情况"),
        _permit_table(stats),
        Heading(level, "分月办理情况"),
        _month_table(stats),
        Heading(level, "电子监察：分处室亮灯情况"),
        _division_table(stats),
        Heading(level, "电子监察：分岗位亮灯情况"),
        _post_table(stats),
        Heading(level, "各环节办理用时（工作日）"),
        _step_table(stats),
    ]
    if stats.pauses:
        blocks += [
            Heading(level, "计时中止（不计入办理时限）"),
            Table(
                ("原因", "次数", "案件数"),
                tuple((p.reason_zh, str(p.pauses), str(p.cases)) for p in stats.pauses),
            ),
        ]
    return blocks


def _summary_cells(counts: Counts, on_time: OnTime, days: Spread) -> tuple[str, ...]:
    return (
        *_count_cells(counts),
        _rate(on_time, "committed"),
        _rate(on_time, "statutory"),
        *_spread(days),
    )


def _permit_table(stats: ApprovalStatistics) -> Table:
    headers = ("业务类型", *_COUNT_HEADERS, "承诺时限办结率", "法定时限办结率")
    rows = [
        (
            p.name,
            *_summary_cells(p.counts, p.on_time, p.case_days),
        )
        for p in stats.by_permit_type
    ]
    rows.append(("合计", *_summary_cells(stats.counts, stats.on_time, stats.case_days)))
    return Table((*headers, "平均工作日", "90%分位", "最长"), tuple(rows))


def _month_table(stats: ApprovalStatistics) -> Table:
    return Table(
        ("月份", *_COUNT_HEADERS, "承诺时限办结率", "法定时限办结率"),
        tuple(
            (
                month,
                *_count_cells(counts),
                _rate(stats.on_time_by_month[month], "committed"),
                _rate(stats.on_time_by_month[month], "statutory"),
            )
            for month, counts in stats.by_month.items()
        ),
    )


def _light_cells(lights: LightTally) -> tuple[str, ...]:
    return str(lights.clocks), str(lights.reminder), str(lights.yellow), str(lights.red)


def _division_table(stats: ApprovalStatistics) -> Table:
    return Table(
        ("处室", "计时环节", "预警提醒", "黄灯", "红灯"),
        tuple((d.division_name, *_light_cells(d.lights)) for d in stats.divisions),
    )


def _post_table(stats: ApprovalStatistics) -> Table:
    return Table(
        ("岗位", "处室", "计时环节", "预警提醒", "黄灯", "红灯"),
        tuple((p.post_name, p.division_name, *_light_cells(p.lights)) for p in stats.posts),
        numeric_from=2,
    )


def _step_table(stats: ApprovalStatistics) -> Table:
    # the permit type by its Chinese name, as in the table above (a code means nothing here)
    names = {p.code: p.name for p in stats.by_permit_type}
    return Table(
        ("业务类型", "环节", "岗位", "完成次数", "平均", "90%分位", "最长", "超时"),
        tuple(
            (
                names.get(s.permit_type, s.permit_type),
                s.step_name,
                s.post_name,
                str(s.days.count),
                *_spread(s.days),
                str(s.late),
            )
            for s in stats.steps
        ),
        numeric_from=3,
    )


def _conservation_blocks(report: YearReport | None, charts: bool) -> list[Block]:
    if report is None:
        return [Paragraph("本年度未登记能耗数据。")]
    blocks: list[Block] = [
        Paragraph(conservation_zh(report)),
        Table(
            (
                "资源",
                "单位",
                "本年",
                "上年同期",
                "同比",
                "基准年",
                "较基准",
                "目标降幅",
                "是否完成",
            ),
            tuple(
                (
                    f.resource.zh,
                    unit_zh(f.resource),
                    number(f.total),
                    number(f.previous_total),
                    _signed(f.change_percent),
                    str(f.baseline_year),
                    _signed(f.against_baseline_percent),
                    "—"
                    if f.target_reduction_percent is None
                    else f"{f.target_reduction_percent:f}%",
                    {None: "—", True: "是", False: "否"}[f.attained],
                )
                for f in report.resources
            ),
            numeric_from=2,
        ),
    ]
    if charts:
        blocks.append(Figure(year_chart_svg(report), f"{report.year}年能耗与基准年对比"))
    return blocks


def _signed(value: object) -> str:
    return "—" if value is None else f"{value:+f}%"


def _rural_blocks(report: ProgressReport | None) -> list[Block]:
    if report is None:
        return [Paragraph("本年度未登记乡村规划数据。")]
    blocks: list[Block] = [Paragraph(p) for p in summary_zh(report).split("\n\n") if p]
    sites = [*report.sites, *([report.city] if report.city is not None else [])]
    blocks.append(
        Table(
            (
                "示范点",
                "乡镇",
                "总体规划完成",
                "村庄",
                "村庄规划完成",
                "规划委员会",
                "乡镇办理事项",
                "监督检查",
                "逾期整改",
            ),
            tuple(
                (
                    s.site if s.site != CITY else "合计",
                    str(s.townships.total),
                    str(s.townships.completed),
                    str(s.villages.total),
                    str(s.villages.completed),
                    str(s.committees_formed),
                    str(s.matters_total),
                    str(s.inspections),
                    str(len(s.overdue)),
                )
                for s in sites
            ),
        )
    )
    return blocks


def annual_blocks(summary: AnnualSummary, *, charts: bool) -> list[Block]:
    """The annual work summary in the seed's order: conservation, rural, approval."""
    year = summary.year
    approval = summary.approval
    blocks: list[Block] = [
        Heading(1, f"{year}年度工作总结（数据部分）"),
        Paragraph(
            f"本文各项数字由城乡规划管理信息系统根据{approval.period.zh}的业务记录自动生成，"
            "可直接引用。"
        ),
        Heading(2, "工作进展及成效"),
        Heading(3, "（一）政府机构节能示范模式"),
        *_conservation_blocks(summary.conservation, charts),
        Heading(3, "（二）乡村综合规划管理模式"),
        *_rural_blocks(summary.rural),
        Heading(3, "（三）城乡规划电子政务审批管理模式"),
        *statistics_blocks(approval, level=4, lead=f"{year}年，"),
    ]
    if charts:
        blocks += [
            Figure(cases_per_month_svg(approval), f"{year}年每月收件与决定件数"),
            Figure(on_time_svg(approval), f"{year}年每月按时办结率"),
        ]
    if summary.consultations is not None:  # 并联审批: other departments' opinions
        blocks += consultation_blocks(summary.consultations)
    if summary.ratings is not None:  # 好差评
        blocks += rating_blocks(summary.ratings, approval.period)
    return blocks


def what_if_blocks(report: WhatIfReport) -> list[Block]:
    """The what-if result: the sentences, then every case that would have differed."""
    rows = []
    for case in report.changed:
        clocks = "；".join(f"{_clock_zh(c)}：{c.before.zh}→{c.after.zh}" for c in case.clocks)
        on_time = case.committed_on_time
        rows.append(
            (
                case.case_number or case.case_id,
                case.permit_type,
                case.before.zh,
                case.after.zh,
                "—" if on_time is None else f"{_yes(on_time[0])}→{_yes(on_time[1])}",
                clocks or "—",
            )
        )
    return [
        Heading(1, "规则变更模拟（what-if）"),
        Paragraph(what_if_zh(report)),
        Heading(2, "受影响的案件"),
        Table(
            ("案件编号", "业务类型", "原亮灯", "变更后", "承诺时限内办结", "变化的计时"),
            tuple(rows),
            numeric_from=99,
        ),
    ]


_CLOCK_ZH = {"committed": "承诺时限", "statutory": "法定时限", "certificate": "发证时限"}


def _clock_zh(clock: ClockWhatIf) -> str:
    if clock.step_id is None:
        return _CLOCK_ZH.get(clock.clock, clock.clock)
    return f"{clock.step_id}（{clock.post}）" if clock.post else clock.step_id


def _yes(value: bool) -> str:
    return "是" if value else "否"
