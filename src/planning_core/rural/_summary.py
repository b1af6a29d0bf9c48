"""The Chinese summary: sentences a bureau can paste into its annual work summary.

The wording follows the way such summaries are written (the seed's own paragraph on the rural
programme): counts in Arabic numerals with their measure words, money in 万元 with the hedge
it was recorded with, and only what is non-zero, so no sentence says "0 townships".
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from planning_core.rural._money import FundingRecord, format_wan
from planning_core.rural._places import ChairRole
from planning_core.rural._plans import PlanKind, Stage
from planning_core.rural._report import (
    CITY,
    ProgressReport,
    SiteProgress,
    StageTally,
    TrainingSummary,
)
from planning_core.rural._systems import Regulation, RegulationStatus

__all__ = ["funding_zh", "site_summary", "summary_zh", "zh_date"]

# How each stage is said of townships, of villages, and of plans in general.
_TOWNSHIP_PHRASES = {
    Stage.COMPLETED: "已经编制完成{n}个乡镇的总体规划",
    Stage.UNDER_APPROVAL: "{n}个乡镇的总体规划正在审批",
    Stage.COMPILING: "{n}个乡镇正进行规划编制",
    Stage.SURVEYING: "{n}个乡镇正在进行地形图测量",
}
_VILLAGE_PHRASES = {
    Stage.COMPLETED: "已经编制完成村庄规划{n}个",
    Stage.UNDER_APPROVAL: "{n}个村庄规划正在审批",
    Stage.COMPILING: "{n}个村庄正在进行规划编制",
    Stage.SURVEYING: "{n}个村庄正进行地形图测量",
}
_PLAN_PHRASES = {
    Stage.COMPLETED: "已完成{n}个",
    Stage.UNDER_APPROVAL: "正在审批{n}个",
    Stage.COMPILING: "正在编制{n}个",
    Stage.SURVEYING: "正在进行地形图测量{n}个",
}
_STAGES_REPORTED = (Stage.COMPLETED, Stage.UNDER_APPROVAL, Stage.COMPILING, Stage.SURVEYING)


def zh_date(day: dt.date) -> str:
    """``2022年1月13日``."""
    return f"{day.year}年{day.month}月{day.day}日"


def funding_zh(record: FundingRecord, *, with_site: bool = False) -> str:
    """A recorded sum as prose: ``响嘡镇投入资金30余万元``; with the site for city-wide text."""
    site = record.site if with_site else ""
    return f"{site}{record.township or ''}{record.zh}"


def summary_zh(report: ProgressReport) -> str:
    """The whole summary: the city first (when there is one), then each site, one paragraph each."""
    paragraphs = []
    if report.city is not None:
        paragraphs.append(_city_paragraph(report, report.city))
    paragraphs += [site_summary(site, report.day) for site in report.sites]
    return "\n\n".join(p for p in paragraphs if p)


def site_summary(site: SiteProgress, day: dt.date) -> str:
    """One site's paragraph (also used for the city's figures)."""
    sentences = [
        _places_sentence(site),
        _stage_sentence(site.townships, _TOWNSHIP_PHRASES, "个乡镇", "乡镇总体规划"),
        _stage_sentence(site.villages, _VILLAGE_PHRASES, "个村庄", "村庄规划"),
        _other_plans_sentence(site),
        _committee_sentence(site),
        _money_sentence(site),
        _matters_sentence(site),
        _inspection_sentence(site, day),
    ]
    return "".join(s for s in sentences if s)


def _places_sentence(site: SiteProgress) -> str:
    if site.townships.total == 0:
        return ""
    villages = f"、{site.villages.total}个村庄" if site.villages.total else ""
    return f"{site.site}共有{site.townships.total}个乡镇{villages}需要编制规划。"


def _stage_sentence(tally: StageTally, phrases: dict[Stage, str], unit: str, plan_name: str) -> str:
    parts = [phrases[s].format(n=tally.by_stage[s]) for s in _STAGES_REPORTED if tally.by_stage[s]]
    if tally.not_recorded and parts:
        parts.append(f"{tally.not_recorded}{unit}尚无进度记录")
    if not parts:
        return ""
    percent = tally.completion_percent
    rate = f"，{plan_name}完成率{percent}%" if percent is not None else ""
    return "，".join(parts) + rate + "。"


def _other_plans_sentence(site: SiteProgress) -> str:
    parts = []
    for kind, tally in site.plans.items():
        if kind in (PlanKind.TOWNSHIP_MASTER_PLAN, PlanKind.VILLAGE_PLAN):
            continue
        counts = [
            _PLAN_PHRASES[s].format(n=tally.by_stage[s])
            for s in _STAGES_REPORTED
            if tally.by_stage[s]
        ]
        if counts:
            parts.append(f"{kind.zh}{'、'.join(counts)}")
    return "；".join(parts) + "。" if parts else ""


def _committee_sentence(site: SiteProgress) -> str:
    formed, total = site.committees_formed, site.townships.total
    if formed == 0:
        return ""
    chairs = _chairs(site.committee_chairs)
    office = ""
    if site.planning_offices == formed:
        office = "，并下设规划办公室，承担辖区内的规划管理工作"
    elif site.planning_offices:
        office = f"，其中{site.planning_offices}个下设规划办公室"
    if formed == total:
        return f"各乡镇全部成立了{chairs}规划委员会{office}。"
    return f"{formed}个乡镇成立了{chairs}规划委员会{office}。"


def _chairs(chairs: dict[ChairRole, int]) -> str:
    if not chairs:
        return ""
    if len(chairs) == 2:
        return "以书记或乡镇长为主任的"
    role = next(iter(chairs))
    return f"以{'书记' if role is ChairRole.PARTY_SECRETARY else '乡镇长'}为主任的"


def _money_sentence(site: SiteProgress) -> str:
    parts = [funding_zh(f, with_site=site.site == CITY) for f in site.recorded_sums]
    if site.plan_investment:
        parts.append(f"按规划登记的资金投入合计{format_wan(site.plan_investment)}")
    return "资金方面，" + "；".join(parts) + "。" if parts else ""


def _matters_sentence(site: SiteProgress) -> str:
    parts = [f"{kind.zh_phrase}{n}件" for kind, n in site.matters.items() if n]
    return f"乡镇目前共{'、'.join(parts)}。" if parts else ""


def _inspection_sentence(site: SiteProgress, day: dt.date) -> str:
    if site.inspections == 0:
        return ""
    overdue = len(site.overdue)
    state = f"有{overdue}项整改逾期未完成" if overdue else "没有逾期未完成的整改"
    return f"开展监督检查{site.inspections}次，截至{zh_date(day)}{state}。"


def _city_paragraph(report: ProgressReport, city: SiteProgress) -> str:
    opening = f"截至{zh_date(report.day)}，全市{len(report.sites)}个示范点的乡村规划进展如下。"
    parts = [opening, _regulations_sentence(report.regulations)]
    if report.training is not None and (report.training.plans or report.training.sessions):
        parts.append(_training_sentence(report.training))
    parts.append(site_summary(city, report.day))
    return "".join(p for p in parts if p)


def _regulations_sentence(regulations: Iterable[Regulation]) -> str:
    groups: dict[str, list[Regulation]] = {}
    # The most advanced first: promulgated, passed in principle, first draft, compiling.
    for regulation in sorted(regulations, key=lambda r: -list(RegulationStatus).index(r.status)):
        groups.setdefault(regulation.status.zh, []).append(regulation)
    parts = []
    for status, docs in groups.items():
        titles = "和".join(f"《{d.title}》" for d in docs)
        extra = "".join(_partner(d) for d in docs)
        parts.append(f"{titles}{status}{extra}")
    return "乡村规划法规体系方面，" + "；".join(parts) + "。" if parts else ""


def _partner(regulation: Regulation) -> str:
    if regulation.partner is None and regulation.budget is None:
        return ""
    budget = f"投入{regulation.budget.zh}" if regulation.budget else ""
    partner = f"与{regulation.partner}共同编制" if regulation.partner else ""
    return f"（{'，'.join(p for p in (budget, partner) if p)}）"


def _training_sentence(training: TrainingSummary) -> str:
    parts = [f"拟定{t.year}年{t.scale.zh}{t.title}" for t in training.plans]
    if training.sessions:
        parts.append(f"已举办培训{training.sessions}期、培训{training.attendees}人次")
    return "人才体系方面，" + "，".join(parts) + "。"
