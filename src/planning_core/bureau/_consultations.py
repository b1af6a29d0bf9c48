"""Other departments' opinions and the applicant's ratings, as every door shows them.

The supervision board lists late consultations apart from the bureau's own work (a
department outside the bureau is late on its own account) and the follow-ups of bad
ratings with their lights; the case page and ``planning-core cases show`` list each
department asked, its answer and its clock. The web door and the command line read them
here, so both show the same facts.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

import attrs
import pendulum

from planning_core.cases import CaseState
from planning_core.timing import Light
from planning_core.window import RatingBook

if TYPE_CHECKING:
    from planning_core.bureau._bureau import Bureau

__all__ = [
    "ConsultationItem",
    "ConsultationLine",
    "FollowUpItem",
    "consultation_lines",
    "late_consultations",
    "open_follow_ups",
]


@attrs.frozen
class ConsultationLine:
    """One department asked about a case, as the case page shows it."""

    department: str
    department_name: str
    liaison: str
    round: int
    requested_at: dt.datetime
    deadline: dt.date | None
    light: str
    late_days: int
    silence: str
    answer: str | None
    opinion: str
    conditions: tuple[str, ...]
    document: str
    deemed: bool
    escalated: bool


@attrs.frozen
class ConsultationItem:
    """A consultation past its limit, on the supervision board."""

    case_number: str
    project: str
    department: str
    department_name: str
    liaison: str
    deadline: dt.date | None
    late_days: int
    silence: str
    escalated: bool


@attrs.frozen
class FollowUpItem:
    """An open follow-up of a bad rating, on the supervision board."""

    case_number: str
    score: int
    post: str
    post_name: str
    next_stage: str
    light: str
    due: dt.date | None


def consultation_lines(
    bureau: Bureau, state: CaseState, now: pendulum.DateTime
) -> tuple[ConsultationLine, ...]:
    """Every department asked about the case, oldest request first."""
    engine = bureau.engine
    calendar = engine.calendar
    policy = engine.policy(state.permit_type)
    divisions = {d.code: d for d in bureau.organisation.divisions}
    lines = []
    for c in state.consultations:
        clock = state.clocks.consultation(c.key)
        division = divisions.get(c.department)
        lines.append(
            ConsultationLine(
                department=c.department,
                department_name=division.name if division else c.department,
                liaison=c.liaison,
                round=c.round,
                requested_at=c.requested_at,
                deadline=None if clock is None else clock.deadline_date(calendar),
                light=Light.GREEN.value
                if clock is None
                else clock.light(now, calendar, policy).value,
                late_days=0 if clock is None else clock.overdue_by(now, calendar),
                silence=c.silence,
                answer=c.answer,
                opinion=c.opinion,
                conditions=c.conditions,
                document=c.document,
                deemed=c.deemed,
                escalated=c.escalated,
            )
        )
    return tuple(lines)


def late_consultations(bureau: Bureau, now: pendulum.DateTime) -> tuple[ConsultationItem, ...]:
    """Every consultation past its limit at ``now``, the latest first.

    Only open cases past one of their deadlines can hold one (a consultation's deadline is
    among the row's), so the store's overdue list is where to look.
    """
    items = []
    for row in bureau.store.overdue(int(now.timestamp())):
        state = bureau.engine.load(row.case_id)
        for line in consultation_lines(bureau, state, now):
            if line.answer is None and line.late_days > 0:
                items.append(
                    ConsultationItem(
                        state.case_number,
                        state.project,
                        line.department,
                        line.department_name,
                        line.liaison,
                        line.deadline,
                        line.late_days,
                        line.silence,
                        line.escalated,
                    )
                )
    return tuple(sorted(items, key=lambda i: (-i.late_days, i.case_number, i.department)))


def open_follow_ups(bureau: Bureau, now: pendulum.DateTime) -> tuple[FollowUpItem, ...]:
    """The follow-ups of bad ratings whose light is red or yellow at ``now``."""
    org = bureau.organisation
    calendar = bureau.engine.calendar
    items = []
    for rating, light in RatingBook(bureau.window).open_follow_ups(now):
        follow = rating.follow_up
        if follow is None or light not in (Light.RED, Light.YELLOW):
            continue
        stage = follow.next_stage
        items.append(
            FollowUpItem(
                rating.case_number,
                rating.score,
                follow.post,
                org.post(follow.post).name if org.has_post(follow.post) else follow.post,
                stage.zh if stage else "",
                light.value,
                follow.clock.deadline_date(calendar),
            )
        )
    return tuple(items)
