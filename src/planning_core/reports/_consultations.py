"""External consultations and ratings in the reports: who answered late, by how much, how
often silence was taken as consent; satisfaction, bad ratings and their follow-ups.

The lateness of an answer is the department's own clock read when it answered, by the
engine's clock rules (``Clock.overdue_by``) on the state the engine's fold gives just before
the answer, so these figures cannot drift from the lights the board showed. Consultations
are counted apart from the bureau's own steps: a department outside the bureau is late on
its own account.
"""

from __future__ import annotations

from collections.abc import Iterable

import attrs

from planning_core.cases import (
    ConsultationEscalated,
    ConsultationRequested,
    Engine,
    OpinionRecorded,
    fold,
)
from planning_core.reports._document import Block, Heading, Paragraph, Table
from planning_core.reports._histories import CaseHistory
from planning_core.reports._period import Period
from planning_core.window import RatingStatistics

__all__ = [
    "ConsultationFigures",
    "DepartmentFigures",
    "consultation_blocks",
    "consultation_figures",
    "rating_blocks",
]


@attrs.frozen
class DepartmentFigures:
    """One consulted department over a period.

    :param asked: requests made to it in the period.
    :param late: answers given after its limit ran out (a silence taken as consent is
        counted in ``deemed``, not here); ``late_days`` their working days past the limit in
        total, ``most_late`` the longest.
    :param deemed: silences taken as consent (逾期未回复视为同意).
    :param open_late: requests still unanswered past their limit at the period's end.
    """

    department: str
    name: str
    asked: int = 0
    answered: int = 0
    objected: int = 0
    late: int = 0
    late_days: int = 0
    most_late: int = 0
    deemed: int = 0
    escalated: int = 0
    open: int = 0
    open_late: int = 0


@attrs.frozen
class ConsultationFigures:
    """Every consulted department's figures over a period, by department code."""

    period: Period
    departments: tuple[DepartmentFigures, ...]

    @property
    def asked(self) -> int:
        """Requests made in the period."""
        return sum(d.asked for d in self.departments)

    @property
    def deemed(self) -> int:
        """Silences taken as consent."""
        return sum(d.deemed for d in self.departments)


def consultation_figures(
    engine: Engine, histories: Iterable[CaseHistory], period: Period
) -> ConsultationFigures:
    """The consultations of ``period`` in ``histories`` (each cut at the period's end)."""
    calendar = engine.calendar
    names = {d.code: d.name for d in engine.organisation.divisions}
    counts: dict[str, dict[str, int]] = {}
    horizon = period.closes.subtract(seconds=1)

    def row(code: str) -> dict[str, int]:
        return counts.setdefault(code, {f.name: 0 for f in attrs.fields(DepartmentFigures)[2:]})

    for history in histories:
        events = history.events
        if not any(isinstance(r.event, ConsultationRequested) for r in events):
            continue
        for i, rec in enumerate(events):
            event = rec.event
            if not period.opens <= rec.at < period.closes:
                continue
            if isinstance(event, ConsultationRequested):
                row(event.department)["asked"] += 1
            elif isinstance(event, ConsultationEscalated):
                row(event.department)["escalated"] += 1
            elif isinstance(event, OpinionRecorded):
                figures = row(event.department)
                before = fold(history.case_id, events[:i])
                clock = before.clocks.consultation(f"{event.token}/{event.department}")
                if clock is None:
                    continue  # a second answer while the step waited: counted once
                figures["answered"] += 1
                figures["deemed"] += event.deemed
                figures["objected"] += event.answer == "object"
                late = 0 if event.deemed else clock.overdue_by(rec.at, calendar)
                if late:
                    figures["late"] += 1
                    figures["late_days"] += late
                    figures["most_late"] = max(figures["most_late"], late)
        state = fold(history.case_id, events)
        for record in state.open_consultations:
            figures = row(record.department)
            figures["open"] += 1
            clock = state.clocks.consultation(record.key)
            if clock is not None and clock.is_overdue(horizon, calendar):
                figures["open_late"] += 1
    departments = tuple(
        DepartmentFigures(code, names.get(code, code), **values)
        for code, values in sorted(counts.items())
    )
    return ConsultationFigures(period, departments)


def consultation_blocks(figures: ConsultationFigures, level: int = 4) -> list[Block]:
    """The consultations as a paragraph and a table (征求意见情况)."""
    if not figures.departments:
        return []
    late = sum(d.late for d in figures.departments)
    text = (
        f"{figures.period.zh}共向{len(figures.departments)}个部门征求意见{figures.asked}次，"
        f"逾期回复{late}次，逾期未回复视为同意{figures.deemed}次。"
    )
    rows = tuple(
        (
            d.name,
            str(d.asked),
            str(d.answered),
            str(d.objected),
            str(d.late),
            str(d.most_late),
            str(d.deemed),
            str(d.escalated),
            str(d.open_late),
        )
        for d in figures.departments
    )
    headers = (
        "部门",
        "征求意见",
        "已回复",
        "不同意",
        "逾期回复",
        "最长逾期（工作日）",
        "视为同意",
        "提请协调",
        "逾期未回复",
    )
    return [Heading(level, "征求相关部门意见"), Paragraph(text), Table(headers, rows)]


def rating_blocks(stats: RatingStatistics, period: Period, level: int = 4) -> list[Block]:
    """Satisfaction, bad ratings and their follow-ups (好差评)."""
    if not stats.count:
        return []
    satisfied = f"{(stats.satisfaction or 0) * 100:.1f}%"
    text = (
        f"{period.zh}申请人评价{stats.count}次，平均{stats.average or 0:.2f}分，满意率{satisfied}；"
        f"差评{stats.bad}件，已整改回访{stats.followed_up}件（按时{stats.on_time}件），"
        f"逾期未办结{stats.late}件。"
    )
    labels = {1: "非常不满意", 2: "不满意", 3: "基本满意", 4: "满意", 5: "非常满意"}
    rows = tuple((labels[score], str(n)) for score, n in reversed(stats.by_score))
    return [
        Heading(level, "政务服务好差评"),
        Paragraph(text),
        Table(("评价", "件数"), rows),
    ]
