"""Sentences a bureau can paste into its work summary, in the way such summaries are written.

Counts in Arabic numerals with their measure words (件, 次, 个工作日), rates to one decimal
with a per cent sign, and only what happened: no sentence says "0 cases were withdrawn".
Amounts of resources are written in Chinese units (千瓦时, 吨, 升, 令, 个; :data:`UNITS_ZH`),
in 万 from ten thousand up (``21.73万千瓦时``), as a work summary writes them; the tables keep
the exact figure.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import ROUND_HALF_UP, Decimal
from types import MappingProxyType

from planning_core.conservation import Resource, ResourceFigures, YearReport
from planning_core.reports._statistics import ApprovalStatistics
from planning_core.reports._whatif import WhatIfReport
from planning_core.timing import Light

__all__ = [
    "UNITS_ZH",
    "amount_zh",
    "approval_zh",
    "conservation_zh",
    "number",
    "unit_zh",
    "what_if_zh",
]

#: The unit each resource is written in in Chinese text (:attr:`Resource.unit_zh`): the
#: records keep kWh, m³, L, reams and cartridges; a work summary says 千瓦时 (度 in speech),
#: 吨 (a cubic metre of water), 升, 令 (500 sheets) and 个.
UNITS_ZH: Mapping[Resource, str] = MappingProxyType({r: r.unit_zh for r in Resource})
_WAN = Decimal(10000)
_HUNDREDTH = Decimal("0.01")


def number(value: Decimal | int | None, none: str = "—") -> str:
    """A figure as printed: exact decimals, no exponent; ``none`` for no figure."""
    if value is None:
        return none
    return f"{value:f}" if isinstance(value, Decimal) else str(value)


def unit_zh(resource: Resource) -> str:
    """The Chinese unit ``resource`` is written in (千瓦时 for electricity …)."""
    return UNITS_ZH[resource]


def amount_zh(value: Decimal, resource: Resource) -> str:
    """An amount with its Chinese unit, as a work summary writes it.

    From ten thousand up in 万 to two decimals, trailing zeros dropped (``21.73万千瓦时``,
    ``3万吨``); below, the exact figure (``464令``).
    """
    unit = unit_zh(resource)
    if abs(value) < _WAN:
        return f"{number(value)}{unit}"
    wan = (value / _WAN).quantize(_HUNDREDTH, rounding=ROUND_HALF_UP).normalize()
    return f"{wan:f}万{unit}"


def _joined(parts: list[str]) -> str:
    return "，".join(p for p in parts if p)


def approval_zh(stats: ApprovalStatistics, lead: str) -> str:
    """The approval system's paragraph; ``lead`` opens it (``2025年，`` or a period)."""
    c = stats.counts
    sentences = [
        lead
        + _joined(
            [
                f"共收件{c.received}件",
                f"受理{c.accepted}件" if c.accepted else "",
                f"不予受理{c.refused}件" if c.refused else "",
            ]
        )
        + "。"
    ]
    if c.decided:
        kinds = "、".join(
            p
            for p in (
                f"准予许可{c.approved}件" if c.approved else "",
                f"不予许可{c.denied}件" if c.denied else "",
            )
            if p
        )
        sentences.append(
            _joined(
                [
                    f"作出许可决定{c.decided}件，其中{kinds}",
                    f"发放证件{c.issued}件" if c.issued else "",
                    f"申请人撤回{c.withdrawn}件" if c.withdrawn else "",
                ]
            )
            + "。"
        )
    elif c.withdrawn:
        sentences.append(f"申请人撤回{c.withdrawn}件。")
    sentences += [_on_time_zh(stats), _days_zh(stats), _lights_zh(stats), _pauses_zh(stats)]
    return "".join(s for s in sentences if s)


def _on_time_zh(stats: ApprovalStatistics) -> str:
    on_time = stats.on_time
    if not on_time.decided:
        return ""
    return (
        f"按承诺时限办结率{number(on_time.committed_rate)}%，"
        f"按法定时限办结率{number(on_time.statutory_rate)}%。"
    )


def _days_zh(stats: ApprovalStatistics) -> str:
    days = stats.case_days
    if not days.count:
        return ""
    return (
        f"案件从受理到作出决定平均用时{number(days.mean)}个工作日（依法中止计时的时间不计入），"
        f"90%的案件在{days.p90}个工作日内作出决定。"
    )


def _lights_zh(stats: ApprovalStatistics) -> str:
    lights = stats.step_lights
    if not lights.clocks:
        return ""
    text = (
        f"电子监察对{lights.clocks}个办理环节自动计时，亮黄灯{lights.yellow}次、红灯{lights.red}次"
    )
    worst = max(stats.divisions, key=lambda d: d.lights.red, default=None)
    if worst is not None and worst.lights.red:
        text += f"，红灯主要集中在{worst.division_name}（{worst.lights.red}次）"
    return text + "。"


def _pauses_zh(stats: ApprovalStatistics) -> str:
    parts = []
    total = sum(p.pauses for p in stats.pauses)
    if total:
        reasons = "、".join(f"{p.reason_zh}{p.pauses}次" for p in stats.pauses)
        parts.append(f"依法中止计时{total}次（{reasons}）")
    if stats.extensions.extensions:
        parts.append(f"经局长批准延期{stats.extensions.extensions}件")
    certificates = stats.certificates
    if certificates.issued:
        parts.append(f"发放的{certificates.issued}件证件中{certificates.on_time}件在发证时限内发放")
    return _joined(parts) + "。" if parts else ""


def conservation_zh(report: YearReport) -> str:
    """The conservation programme's paragraph: each resource, then the retrofits."""
    sentences = [_resource_zh(report.year, f) for f in report.resources]
    done = [r for r in report.retrofits if r.project.completed_on.year == report.year]
    if done:
        items = "；".join(
            f"{r.project.item}（{r.project.site}，{r.project.completed_on.month}月完工"
            + (
                f"，实测年节约{amount_zh(r.measured.annual_saving, r.project.resource)}"
                if r.measured is not None
                else ""
            )
            + "）"
            for r in done
        )
        sentences.append(f"全年完成节能改造{len(done)}项：{items}。")
    return "".join(sentences)


def _change(value: Decimal | None, against: str) -> str:
    if value is None:
        return ""
    if value == 0:
        return f"与{against}持平"
    direction = "下降" if value < 0 else "增长"
    return f"较{against}{direction}{number(abs(value))}%"


def _resource_zh(year: int, f: ResourceFigures) -> str:
    months = f"{f.months[0]}—{f.months[-1]}月" if len(f.months) < 12 and f.months else "全年"
    parts = [
        f"{months}{f.resource.zh}{amount_zh(f.total, f.resource)}",
        _change(f.change_percent, "上年同期"),
        _change(f.against_baseline_percent, f"{f.baseline_year}年基准")
        if f.baseline_year != year - 1
        else "",
    ]
    if f.target_reduction_percent is not None:
        verdict = "完成" if f.attained else "未完成"
        parts.append(f"{verdict}下降{number(f.target_reduction_percent)}%的节能目标")
    return _joined(parts) + "。"


def what_if_zh(report: WhatIfReport) -> str:
    """The what-if result in two sentences a meeting can discuss."""
    changes = "；".join(report.descriptions) or "规则不变"
    red, yellow = len(report.turned_red), len(report.turned_yellow)
    before, after = report.on_time_before, report.on_time_after
    text = (
        f"若{changes}，{report.period.zh}的{report.case_count}件案件中，"
        f"将有{red}件转为红灯、{yellow}件转为黄灯"
    )
    if report.improved:
        text += f"，{len(report.improved)}件亮灯情况好转"
    text += "。"
    if before.decided:
        text += (
            f"按承诺时限办结率由{number(before.committed_rate)}%变为"
            f"{number(after.committed_rate)}%，按法定时限办结率由"
            f"{number(before.statutory_rate)}%变为{number(after.statutory_rate)}%。"
        )
    red_now = report.count(Light.RED, after=True)
    return text + f"变更后共有红灯案件{red_now}件。"
