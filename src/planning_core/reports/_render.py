"""The reports written out: Markdown and HTML documents, and JSON for other programs.

JSON keeps every figure exact (rates and means as decimal strings, as the one converter
writes money) and Chinese text unescaped (``ensure_ascii=False``).
"""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from planning_core.reports._annual import AnnualSummary
from planning_core.reports._document import Heading, to_html, to_markdown
from planning_core.reports._figures import Counts, OnTime, Spread
from planning_core.reports._sections import annual_blocks, statistics_blocks, what_if_blocks
from planning_core.reports._statistics import ApprovalStatistics, LightTally
from planning_core.reports._text_zh import number
from planning_core.reports._whatif import WhatIfReport

__all__ = [
    "statistics_data",
    "statistics_json",
    "statistics_markdown",
    "summary_html",
    "summary_markdown",
    "what_if_json",
    "what_if_markdown",
]


def statistics_markdown(stats: ApprovalStatistics) -> str:
    """The approval statistics as a Markdown page (Chinese headings and sentences)."""
    title = f"审批业务统计（{stats.period.zh}）"
    return to_markdown([Heading(1, title), *statistics_blocks(stats)])


def summary_markdown(summary: AnnualSummary) -> str:
    """The annual work summary as Markdown, without charts: the text a bureau pastes."""
    return to_markdown(annual_blocks(summary, charts=False))


def summary_html(summary: AnnualSummary, *, charts: bool = True) -> str:
    """The annual work summary as one HTML5 page with its charts as inline SVG.

    :param charts: draw the charts (needs matplotlib, the ``charts`` extra).
    :raises ConfigurationError: when charts are asked for and matplotlib is missing.
    """
    title = f"{summary.year}年度工作总结（数据部分）"
    return to_html(annual_blocks(summary, charts=charts), title)


def what_if_markdown(report: WhatIfReport) -> str:
    """The what-if result as Markdown: the sentences and every case that would differ."""
    return to_markdown(what_if_blocks(report))


def _counts(c: Counts) -> dict[str, int]:
    return {
        "received": c.received,
        "accepted": c.accepted,
        "refused": c.refused,
        "decided": c.decided,
        "approved": c.approved,
        "denied": c.denied,
        "issued": c.issued,
        "delivered": c.delivered,
        "withdrawn": c.withdrawn,
    }


def _on_time(o: OnTime) -> dict[str, Any]:
    return {
        "decided": o.decided,
        "committed_on_time": o.committed_on_time,
        "statutory_on_time": o.statutory_on_time,
        "committed_rate": _decimal(o.committed_rate),
        "statutory_rate": _decimal(o.statutory_rate),
    }


def _spread(s: Spread) -> dict[str, Any]:
    return {"count": s.count, "mean": _decimal(s.mean), "p90": s.p90, "longest": s.longest}


def _lights(t: LightTally) -> dict[str, int]:
    return {"clocks": t.clocks, "reminder": t.reminder, "yellow": t.yellow, "red": t.red}


def _decimal(value: Decimal | None) -> str | None:
    return None if value is None else number(value)


def statistics_data(stats: ApprovalStatistics) -> dict[str, Any]:
    """The approval statistics as JSON data."""
    return {
        "period": {"from": stats.period.start.isoformat(), "to": stats.period.end.isoformat()},
        "cases": stats.cases,
        "counts": _counts(stats.counts),
        "on_time": _on_time(stats.on_time),
        "case_days": _spread(stats.case_days),
        "certificates": {
            "issued": stats.certificates.issued,
            "on_time": stats.certificates.on_time,
        },
        "by_month": {
            m: {"counts": _counts(c), "on_time": _on_time(stats.on_time_by_month[m])}
            for m, c in stats.by_month.items()
        },
        "by_permit_type": [
            {
                "code": p.code,
                "name": p.name,
                "counts": _counts(p.counts),
                "by_month": {
                    m: _counts(c) for m, c in stats.by_permit_type_and_month[p.code].items()
                },
                "on_time": _on_time(p.on_time),
                "case_days": _spread(p.case_days),
                "case_lights": _lights(p.case_lights),
            }
            for p in stats.by_permit_type
        ],
        "lights": {
            "cases": _lights(stats.case_lights),
            "steps": _lights(stats.step_lights),
            "by_division": [
                {"division": d.division, "name": d.division_name, **_lights(d.lights)}
                for d in stats.divisions
            ],
            "by_post": [
                {"post": p.post, "name": p.post_name, "division": p.division, **_lights(p.lights)}
                for p in stats.posts
            ],
        },
        "steps": [
            {
                "permit_type": s.permit_type,
                "step": s.step_id,
                "name": s.step_name,
                "post": s.post,
                "post_name": s.post_name,
                "days": _spread(s.days),
                "late": s.late,
            }
            for s in stats.steps
        ],
        "pauses": [
            {"reason": p.reason, "name": p.reason_zh, "pauses": p.pauses, "cases": p.cases}
            for p in stats.pauses
        ],
        "extensions": {
            "extensions": stats.extensions.extensions,
            "working_days": stats.extensions.working_days,
            "by_permit_type": stats.extensions.by_permit_type,
        },
    }


def statistics_json(stats: ApprovalStatistics) -> str:
    """The approval statistics as JSON text (UTF-8, Chinese unescaped)."""
    return json.dumps(statistics_data(stats), ensure_ascii=False, indent=2) + "\n"


def what_if_json(report: WhatIfReport) -> str:
    """The what-if result as JSON text: totals and every case that would differ."""
    data = {
        "period": {"from": report.period.start.isoformat(), "to": report.period.end.isoformat()},
        "changes": list(report.descriptions),
        "cases": report.case_count,
        "turned_red": [c.case_id for c in report.turned_red],
        "turned_yellow": [c.case_id for c in report.turned_yellow],
        "improved": [c.case_id for c in report.improved],
        "on_time_before": _on_time(report.on_time_before),
        "on_time_after": _on_time(report.on_time_after),
        "changed": [
            {
                "case_id": c.case_id,
                "case_number": c.case_number,
                "permit_type": c.permit_type,
                "before": c.before.value,
                "after": c.after.value,
                "committed_on_time": None
                if c.committed_on_time is None
                else list(c.committed_on_time),
                "statutory_on_time": None
                if c.statutory_on_time is None
                else list(c.statutory_on_time),
                "clocks": [
                    {
                        "clock": k.clock,
                        "step": k.step_id,
                        "post": k.post,
                        "before": k.before.value,
                        "after": k.after.value,
                    }
                    for k in c.clocks
                ],
            }
            for c in report.changed
        ],
    }
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
