"""Commands: what someone asks the engine to do to a case.

Commands carry no instant and no actor: ``Engine.execute(command, actor, at)`` takes both, so
time is injected and the same command can be replayed at another instant in a test.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TypeAlias

import attrs
import pendulum

from planning_core.cases._events import Outcome
from planning_core.errors import ValidationError

__all__ = [
    "Accept",
    "Claim",
    "Command",
    "Complete",
    "Decide",
    "Deliver",
    "Extend",
    "IssueCertificate",
    "ReceiveSupplement",
    "RecordMeetingDecision",
    "RecordPreliminaryReview",
    "RefuseAcceptance",
    "RequestSupplement",
    "Resume",
    "Submit",
    "Suspend",
    "Withdraw",
]


def _tuple(value: object) -> tuple[str, ...]:
    if isinstance(value, str):
        return (value,)
    return tuple(str(v) for v in value)  # type: ignore[attr-defined]


#: One fact of the application a workflow condition may read: ``("major_project", True)``.
Fact: TypeAlias = tuple[str, bool | int | str]


def _facts(value: object) -> tuple[Fact, ...]:
    """The facts as sorted pairs; a key or value a condition cannot read is refused."""
    items = value.items() if isinstance(value, Mapping) else value
    facts: dict[str, bool | int | str] = {}
    for pair in items:  # type: ignore[attr-defined]
        key, fact = pair
        if not isinstance(key, str) or not key:
            raise ValidationError(f"an application fact needs a non-empty name, not {key!r}")
        if not isinstance(fact, bool | int | str):
            raise ValidationError(
                f"application fact {key!r} is {fact!r}; give true/false, a whole number or text"
            )
        facts[key] = fact
    return tuple(sorted(facts.items()))


@attrs.frozen
class Submit:
    """Receive an application at the window (收件).

    :param case_number: the public case number; the window takes it from the
        ``planning_core_case_number`` hook. Left None, the engine numbers the case itself.
    :param township: the code of the township (乡镇) the project lies in, where it matters
        (rural construction permits): the rural programme counts its matters by township.
    :param facts: what the application says that workflow conditions read (the form's
        ``major_project`` …), as a mapping or pairs; recorded in the case's history, so the
        route a case took can be replayed and checked.
    """

    case_id: str
    permit_type: str
    applicant: str
    project: str
    materials: tuple[str, ...] = attrs.field(default=(), converter=_tuple)
    contact: str | None = None
    case_number: str | None = None
    township: str | None = None
    facts: tuple[Fact, ...] = attrs.field(default=(), converter=_facts)


@attrs.frozen
class RecordPreliminaryReview:
    """Record the township's preliminary review opinion (行政许可法 art. 43, 城乡规划法
    art. 41), given at the window on the township's behalf: the bureau's acceptance period
    starts from its receipt.

    :param opinion: the opinion as the township wrote it (初步审查意见).
    :param township: the township that reviewed (乡、镇人民政府), as the opinion names it.
    """

    case_id: str
    opinion: str
    township: str = ""


@attrs.frozen
class RequestSupplement:
    """Give the one-time notice of every missing material (补正); pauses the clock."""

    case_id: str
    missing: tuple[str, ...] = attrs.field(converter=_tuple)
    note: str = ""


@attrs.frozen
class ReceiveSupplement:
    """Record the supplement the applicant brought; the clock runs again."""

    case_id: str
    materials: tuple[str, ...] = attrs.field(converter=_tuple)


@attrs.frozen
class Accept:
    """Accept the application (受理): the decision clocks start."""

    case_id: str


@attrs.frozen
class RefuseAcceptance:
    """Refuse acceptance (不予受理), with the reason told to the applicant."""

    case_id: str
    reason: str


@attrs.frozen
class Claim:
    """Take a step's work from the post's inbox."""

    case_id: str
    step_id: str


@attrs.frozen
class Complete:
    """Finish a step with an action (APPROVE, REJECT, RETURN, FORWARD …).

    :param checklist: the answers to the step's business standards, review point → confirmed.
    """

    case_id: str
    step_id: str
    action: str
    opinion: str = ""
    checklist: tuple[tuple[str, bool], ...] = ()


@attrs.frozen
class RecordMeetingDecision:
    """Record a collective decision (处务会 / 局务会) for a MEETING step."""

    case_id: str
    step_id: str
    held_on: pendulum.Date
    attendees: tuple[str, ...] = attrs.field(converter=_tuple)
    resolution: str
    action: str = "APPROVE"


@attrs.frozen
class Suspend:
    """Stop the clocks for a reason of art. 45 (hearing, expert review, inspection …).

    :param expected_working_days: the time the procedure needs, which art. 45 requires the
        bureau to tell the applicant in writing; give it, or ``until``.
    :param until: the day the procedure is expected to end, instead of a number of days.
    """

    case_id: str
    reason: str
    basis: str = ""
    expected_working_days: int | None = None
    until: pendulum.Date | None = None


@attrs.frozen
class Resume:
    """End the suspension."""

    case_id: str


@attrs.frozen
class Extend:
    """Extend the decision limit (art. 42): the bureau head only, once, reason required."""

    case_id: str
    working_days: int
    reason: str


@attrs.frozen
class Decide:
    """Decide the application: approve (准予许可) or deny (不予许可) with reasons.

    :param use_from: for a permit type with a period of use (临时建设, 城乡规划法 art. 44), its
        first day; left None, the application's fact ``use_from`` (ISO date), else the day
        of the decision.
    :param use_until: its last day; left None, the fact ``use_until``, else the longest
        period the permit type allows. Ignored for other permit types.
    """

    case_id: str
    outcome: Outcome
    reasons: str = ""
    use_from: pendulum.Date | None = None
    use_until: pendulum.Date | None = None


@attrs.frozen
class IssueCertificate:
    """Number, register and issue the certificate of an approved case.

    :param certificate_number: given by the window from the ``planning_core_certificate_number``
        hook; left None, the engine numbers it from the store's gap-free sequence.
    """

    case_id: str
    certificate_number: str | None = None


@attrs.frozen
class Deliver:
    """Hand the result to the applicant at the window (出件)."""

    case_id: str
    collected_by: str = ""


@attrs.frozen
class Withdraw:
    """The applicant withdraws the application."""

    case_id: str
    reason: str = ""


Command: TypeAlias = (
    Submit
    | RecordPreliminaryReview
    | RequestSupplement
    | ReceiveSupplement
    | Accept
    | RefuseAcceptance
    | Claim
    | Complete
    | RecordMeetingDecision
    | Suspend
    | Resume
    | Extend
    | Decide
    | IssueCertificate
    | Deliver
    | Withdraw
)
