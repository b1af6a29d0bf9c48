"""Other departments' opinions and the applicant's ratings at the web door.

The board lists late consultations apart from the bureau's own work (a department outside
the bureau is late on its own account) and the follow-ups of bad ratings with their lights;
the case page lists each department asked, its answer and its clock; ``/api/v1`` takes a
department's answer (as the token's actor: its liaison, or the step's post) and the
applicant's rating (with the receipt's number and password, throttled like the query).
"""

from __future__ import annotations

import datetime as dt

import attrs
import pendulum

from planning_core.bureau import Bureau
from planning_core.cases import RecordOpinion
from planning_core.workflow import Actor

__all__ = [
    "OpinionAnswer",
    "OpinionRequest",
    "RatingAnswer",
    "RatingRequest",
    "record_opinion",
]


@attrs.frozen
class OpinionRequest:
    """A department's answer, as ``/api/v1`` takes it (see :class:`RecordOpinion`)."""

    step_id: str
    department: str
    answer: str
    opinion: str = ""
    conditions: tuple[str, ...] = ()
    document: str = ""


@attrs.frozen
class OpinionAnswer:
    """What became of an answer: the departments the step still waits for."""

    case_number: str
    department: str
    answer: str
    waiting: tuple[str, ...]


@attrs.frozen
class RatingRequest:
    """The applicant's rating: the receipt's number and password, 1–5, reasons' codes."""

    case_number: str
    password: str
    score: int
    reasons: tuple[str, ...] = ()
    comment: str = ""


@attrs.frozen
class RatingAnswer:
    """The rating recorded; for a bad one, who follows it up and by when."""

    case_number: str
    score: int
    bad: bool
    follow_up_post: str | None
    follow_up_due: dt.date | None


def record_opinion(
    bureau: Bureau, actor: Actor, case_number: str, data: OpinionRequest, now: pendulum.DateTime
) -> OpinionAnswer:
    """Record a department's answer as ``actor`` (its liaison, or the step's post)."""
    row = bureau.engine.find(case_number)
    command = RecordOpinion(
        row.case_id,
        data.step_id,
        data.department,
        data.answer,
        data.opinion,
        data.conditions,
        data.document,
    )
    bureau.engine.execute(command, actor, now)
    state = bureau.engine.load(row.case_id)
    waiting = tuple(c.department for c in state.open_consultations)
    return OpinionAnswer(state.case_number, data.department, command.answer, waiting)
