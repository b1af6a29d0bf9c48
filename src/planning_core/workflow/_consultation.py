"""Consulting other departments (征求意见, 并联审批): who is asked, for how long, and what
silence means.

Since the reform of construction-project approval (工程建设项目审批制度改革) the planning
bureau asks other departments for their opinions in parallel (fire protection, civil air
defence, transport, landscaping, cultural relics …), and each must answer within a fixed
number of working days. A CONSULT step of a workflow names them: each department is a
division of the organisation marked ``external`` (with its liaison's contact), with its own
limit and its own rule on silence, and the step says how the answers combine. The engine
gives every department its own clock and light (:mod:`planning_core.cases`).

These are plain values checked field by field; whether a CONSULT step is complete (a limit
and a silence rule for every department, an edge for the combined outcome) is checked with
the rest of the definition (:mod:`planning_core.workflow._checks`), so a missing limit is a
definition problem naming the step and the department, not an exception at the first field.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from typing import TYPE_CHECKING

import attrs

from planning_core.errors import ValidationError
from planning_core.timing import TimeLimit

if TYPE_CHECKING:
    from planning_core.workflow._model import Step

__all__ = [
    "Answer",
    "Combine",
    "Consultation",
    "Consultee",
    "Silence",
    "consult_step",
]


class Silence(enum.Enum):
    """What a department's silence past its limit means.

    ``DEEMED_CONSENT``: 逾期未回复视为同意, where the city's rules say so: the sweep records
    the department's consent at the instant its limit ran out, with no actor. ``ESCALATE``:
    the sweep records the escalation once (the bureau's leadership takes it up with the
    department) and the consultation waits on. ``WAIT``: nothing happens but the red light;
    the case waits for the answer.
    """

    DEEMED_CONSENT = "deemed_consent"
    ESCALATE = "escalate"
    WAIT = "wait"

    @property
    def zh(self) -> str:
        """The rule as the bureau writes it."""
        return _SILENCE_ZH[self]


_SILENCE_ZH = {
    Silence.DEEMED_CONSENT: "逾期未回复视为同意",
    Silence.ESCALATE: "逾期未回复提请协调",
    Silence.WAIT: "等待回复",
}


class Combine(enum.Enum):
    """How the departments' answers decide the step once every one is in.

    ``ALL_MUST_AGREE``: the step passes (APPROVE) only when every department agrees (with or
    without conditions); an objection leads the case to the step's REJECT edge (an opinion
    to refuse). ``OBJECTION_RETURNS``: an objection sends the case back by the step's RETURN
    edge for revision; when it comes back, only the departments that objected are asked
    again, and their withdrawal of the objection (an agreement) lets it pass.
    """

    ALL_MUST_AGREE = "all_must_agree"
    OBJECTION_RETURNS = "objection_returns"


class Answer(enum.Enum):
    """A department's answer: 同意, 有条件同意, 不同意."""

    AGREE = "agree"
    AGREE_WITH_CONDITIONS = "agree_with_conditions"
    OBJECT = "object"

    @property
    def agrees(self) -> bool:
        """True for an agreement, with or without conditions."""
        return self is not Answer.OBJECT

    @property
    def zh(self) -> str:
        """The answer as the opinion form has it."""
        return _ANSWER_ZH[self]


_ANSWER_ZH = {
    Answer.AGREE: "同意",
    Answer.AGREE_WITH_CONDITIONS: "有条件同意",
    Answer.OBJECT: "不同意",
}


def _code(instance: object, attribute: attrs.Attribute[str], value: object) -> None:
    if not isinstance(value, str) or not value.strip() or value != value.strip():
        raise ValidationError(
            f"{attribute.name} must be a division code without surrounding blanks, not {value!r}"
        )


def _optional_days(instance: object, attribute: attrs.Attribute[int | None], value: object) -> None:
    if value is None:
        return
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ValidationError(
            f"{attribute.name} of a consulted department must be a whole number of working "
            f"days >= 1, not {value!r}"
        )


@attrs.frozen
class Consultee:
    """One consulted department.

    :param department: the code of a division of the organisation marked ``external``.
    :param days: the working days it has to answer; None is a definition problem (named by
        the checks, so an editor sees every missing limit at once).
    :param silence: what its silence past the limit means; None takes the consultation's.
    """

    department: str = attrs.field(validator=_code)
    days: int | None = attrs.field(default=None, validator=_optional_days)
    silence: Silence | None = None

    @property
    def limit(self) -> TimeLimit | None:
        """The department's limit in working days."""
        return None if self.days is None else TimeLimit.working_days(self.days)


def _consultees(value: Iterable[Consultee]) -> tuple[Consultee, ...]:
    return tuple(value)


@attrs.frozen
class Consultation:
    """Who a CONSULT step asks and how their answers combine.

    :param departments: the departments asked, in parallel.
    :param silence: the rule on silence for every department that has none of its own.
    :param combine: how the answers decide the step.
    """

    departments: tuple[Consultee, ...] = attrs.field(converter=_consultees)
    silence: Silence | None = None
    combine: Combine = Combine.OBJECTION_RETURNS

    def silence_of(self, department: str) -> Silence | None:
        """The rule on ``department``'s silence (its own, else the consultation's)."""
        for consultee in self.departments:
            if consultee.department == department:
                return consultee.silence or self.silence
        return None

    def consultee(self, department: str) -> Consultee:
        """The consulted department with code ``department``."""
        for consultee in self.departments:
            if consultee.department == department:
                return consultee
        known = ", ".join(c.department for c in self.departments) or "none"
        raise ValidationError(
            f"department {department!r} is not consulted at this step; consulted: {known}"
        )

    @property
    def longest(self) -> int:
        """The longest department limit in working days (0 when none has one): the step's
        own limit, which the worst-case analysis counts."""
        return max((c.days or 0 for c in self.departments), default=0)


def consult_step(
    step_id: str,
    name: str,
    *,
    post: str,
    departments: Iterable[Consultee | tuple[str, int] | tuple[str, int, Silence | str]],
    silence: Silence | str | None = None,
    combine: Combine | str = Combine.OBJECTION_RETURNS,
) -> Step:
    """A CONSULT step for :meth:`WorkflowBuilder.step`, its limit the longest department's.

    :param post: the bureau's post that sends the requests and records the answers brought
        back on paper (its inbox shows the step).
    :param departments: :class:`Consultee` values or ``(division, days[, silence])``.
    :returns: the :class:`~planning_core.workflow.Step`.
    """
    from planning_core.workflow._model import Action, Step, StepKind  # it imports this module

    made: list[Consultee] = []
    for item in departments:
        if isinstance(item, Consultee):
            made.append(item)
            continue
        code, days, *rest = item
        rule = Silence(rest[0]) if rest else None
        made.append(Consultee(code, days, rule))
    rule = Silence(silence) if silence is not None else None
    how = Combine(combine)
    consultation = Consultation(tuple(made), rule, how)
    longest = consultation.longest
    other = Action.RETURN if how is Combine.OBJECTION_RETURNS else Action.REJECT
    return Step(
        step_id,
        name,
        StepKind.CONSULT,
        post=post,
        time_limit=TimeLimit.working_days(longest) if longest else None,
        actions=(Action.APPROVE, other),
        consultation=consultation,
    )
