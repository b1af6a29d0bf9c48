"""Commands: what someone asks the engine to do to a case.

Commands carry no instant and no actor: ``Engine.execute(command, actor, at)`` takes both, so
time is injected and the same command can be replayed at another instant in a test.

Each command checks its own fields when it is made, so a malformed one never reaches the
rules, the history or the store: ids are non-empty text (at most :data:`MAX_ID_CHARS`),
names and notes are text (at most :data:`MAX_TEXT_CHARS`), material codes, attendees and
checklists are tuples of text (a list is taken as its tuple), working days are whole numbers
of at most :data:`MAX_WORKING_DAYS` (not a bool, not text; the rules say from 1), dates lie
between 1949-10-01 and 2199-12-31. A field that is wrong raises :class:`ValidationError`
naming the command, the field and the value. The engine checks the instant
(:func:`planning_core.serialization.parse_instant`) and what depends on the case and the
permit type (known material codes, the extension's limit).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any, TypeAlias

import attrs
import pendulum

from planning_core.cases._events import Outcome
from planning_core.errors import ValidationError
from planning_core.inputs import check_date, short
from planning_core.materials import MaterialFile

__all__ = [
    "MAX_ID_CHARS",
    "MAX_TEXT_CHARS",
    "MAX_WORKING_DAYS",
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
    "RecordOpinion",
    "RecordPreliminaryReview",
    "RefuseAcceptance",
    "RequestSupplement",
    "Resume",
    "Submit",
    "Suspend",
    "Withdraw",
]

#: The longest id (case id, permit type, step, case or certificate number), in characters.
MAX_ID_CHARS = 200
#: The longest free text (a name, an opinion, a reason), in characters.
MAX_TEXT_CHARS = 100_000
#: The most working days a command may name (an extension, a stop): about ten years.
MAX_WORKING_DAYS = 2_500


def _where(instance: object, attribute: attrs.Attribute[Any]) -> str:
    return f"{type(instance).__name__}.{attribute.name}"


def _id(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """An id: non-empty text without surrounding blanks' being all there is."""
    if not isinstance(value, str) or not value.strip() or len(value) > MAX_ID_CHARS:
        raise ValidationError(
            f"{_where(instance, attribute)} must be a non-empty text of at most "
            f"{MAX_ID_CHARS} characters, not {short(value)}"
        )


def _optional_id(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if value is not None:
        _id(instance, attribute, value)


def _text(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """Free text (it may be empty: the rules say when it must not be)."""
    if not isinstance(value, str) or len(value) > MAX_TEXT_CHARS:
        raise ValidationError(
            f"{_where(instance, attribute)} must be text (at most {MAX_TEXT_CHARS} "
            f"characters), not {short(value)}"
        )


def _optional_text(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if value is not None:
        _text(instance, attribute, value)


def _tuple(value: object) -> object:
    """One code as a one-tuple, a list (or any iterable but a mapping) as a tuple; anything
    else is left for the validator to refuse by name."""
    if isinstance(value, str):
        return (value,)
    if isinstance(value, Iterable) and not isinstance(value, Mapping | bytes):
        return tuple(value)
    return value


def _codes(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """A tuple of ids (material codes, attendees)."""
    if not isinstance(value, tuple) or not all(
        isinstance(v, str) and v.strip() and len(v) <= MAX_ID_CHARS for v in value
    ):
        raise ValidationError(
            f"{_where(instance, attribute)} must be a list of non-empty texts, not {short(value)}"
        )


def _pairs(value: object) -> object:
    """A checklist as ``(review point, confirmed)`` tuples, from a mapping or pairs."""
    items = value.items() if isinstance(value, Mapping) else value
    if isinstance(items, Iterable) and not isinstance(items, str | bytes):
        return tuple(tuple(p) if isinstance(p, list | tuple) else p for p in items)
    return value


def _checklist(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, tuple) or not all(
        isinstance(p, tuple)
        and len(p) == 2
        and isinstance(p[0], str)
        and p[0].strip()
        and isinstance(p[1], bool)
        for p in value
    ):
        raise ValidationError(
            f"{_where(instance, attribute)} must be pairs of (review point, true/false), "
            f"not {short(value)}"
        )


def _days(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """A number of working days: a whole number (not a bool, not text) in range."""
    if isinstance(value, bool) or not isinstance(value, int) or abs(value) > MAX_WORKING_DAYS:
        raise ValidationError(
            f"{_where(instance, attribute)} must be a whole number of working days "
            f"(at most {MAX_WORKING_DAYS}), not {short(value)}"
        )


def _optional_days(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if value is not None:
        _days(instance, attribute, value)


def _day(value: object) -> object:
    """A ``datetime.date`` as a ``pendulum.Date``; anything else left for the validator."""
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime | pendulum.Date):
        return pendulum.Date(value.year, value.month, value.day)
    return value


def _optional_day(value: object) -> object:
    return None if value is None else _day(value)


def _date(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, pendulum.Date) or isinstance(value, dt.datetime):
        raise ValidationError(f"{_where(instance, attribute)} must be a date, not {short(value)}")
    check_date(value, _where(instance, attribute))


def _optional_date(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if value is not None:
        _date(instance, attribute, value)


def _outcome(value: object) -> object:
    """An outcome's value (``"approved"``) as the :class:`Outcome`; else for the validator."""
    if isinstance(value, str) and not isinstance(value, Outcome):
        try:
            return Outcome(value.lower())
        except ValueError:
            return value
    return value


def _is_outcome(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, Outcome):
        known = ", ".join(o.value for o in Outcome)
        raise ValidationError(
            f"{_where(instance, attribute)} must be one of {known}, not {short(value)}"
        )


#: One fact of the application a workflow condition may read: ``("major_project", True)``.
Fact: TypeAlias = tuple[str, bool | int | str]


def _facts(value: object) -> tuple[Fact, ...]:
    """The facts as sorted pairs; a key or value a condition cannot read is refused."""
    items = value.items() if isinstance(value, Mapping) else value
    if not isinstance(items, Iterable) or isinstance(items, str | bytes):
        raise ValidationError(
            f"application facts must be a mapping or (name, value) pairs, not {short(value)}"
        )
    facts: dict[str, bool | int | str] = {}
    for pair in items:
        if not isinstance(pair, tuple | list) or len(pair) != 2:
            raise ValidationError(f"an application fact is a (name, value) pair, not {short(pair)}")
        key, fact = pair
        if not isinstance(key, str) or not key:
            raise ValidationError(f"an application fact needs a non-empty name, not {short(key)}")
        if not isinstance(fact, bool | int | str):
            raise ValidationError(
                f"application fact {key!r} is {short(fact)}; give true/false, a whole number or "
                f"text"
            )
        facts[key] = fact
    return tuple(sorted(facts.items()))


def _files(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """Material files already stored (``materials.store_uploads`` makes them)."""
    if not isinstance(value, tuple) or not all(isinstance(f, MaterialFile) for f in value):
        raise ValidationError(
            f"{_where(instance, attribute)} must be stored material files (MaterialFile, "
            f"from planning_core.materials.store_uploads), not {short(value)}"
        )


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

    case_id: str = attrs.field(validator=_id)
    permit_type: str = attrs.field(validator=_id)
    applicant: str = attrs.field(validator=_text)
    project: str = attrs.field(validator=_text)
    materials: tuple[str, ...] = attrs.field(default=(), converter=_tuple, validator=_codes)
    contact: str | None = attrs.field(default=None, validator=_optional_text)
    case_number: str | None = attrs.field(default=None, validator=_optional_id)
    township: str | None = attrs.field(default=None, validator=_optional_text)
    facts: tuple[Fact, ...] = attrs.field(default=(), converter=_facts)
    #: the material files already stored in the blob store (``materials.store_uploads``)
    files: tuple[MaterialFile, ...] = attrs.field(default=(), converter=_tuple, validator=_files)


@attrs.frozen
class RecordPreliminaryReview:
    """Record the township's preliminary review opinion (行政许可法 art. 43, 城乡规划法
    art. 41), given at the window on the township's behalf: the bureau's acceptance period
    starts from its receipt.

    :param opinion: the opinion as the township wrote it (初步审查意见).
    :param township: the township that reviewed (乡、镇人民政府), as the opinion names it.
    """

    case_id: str = attrs.field(validator=_id)
    opinion: str = attrs.field(validator=_text)
    township: str = attrs.field(default="", validator=_text)


@attrs.frozen
class RequestSupplement:
    """Give the one-time notice of every missing material (补正); pauses the clock."""

    case_id: str = attrs.field(validator=_id)
    missing: tuple[str, ...] = attrs.field(converter=_tuple, validator=_codes)
    note: str = attrs.field(default="", validator=_text)


@attrs.frozen
class ReceiveSupplement:
    """Record the supplement the applicant brought; the clock runs again."""

    case_id: str = attrs.field(validator=_id)
    materials: tuple[str, ...] = attrs.field(converter=_tuple, validator=_codes)
    #: the material files brought, already stored (``materials.store_uploads``)
    files: tuple[MaterialFile, ...] = attrs.field(default=(), converter=_tuple, validator=_files)


@attrs.frozen
class Accept:
    """Accept the application (受理): the decision clocks start."""

    case_id: str = attrs.field(validator=_id)


@attrs.frozen
class RefuseAcceptance:
    """Refuse acceptance (不予受理), with the reason told to the applicant."""

    case_id: str = attrs.field(validator=_id)
    reason: str = attrs.field(validator=_text)


@attrs.frozen
class Claim:
    """Take a step's work from the post's inbox."""

    case_id: str = attrs.field(validator=_id)
    step_id: str = attrs.field(validator=_id)


@attrs.frozen
class Complete:
    """Finish a step with an action (APPROVE, REJECT, RETURN, FORWARD …).

    :param checklist: the answers to the step's business standards, review point → confirmed.
    """

    case_id: str = attrs.field(validator=_id)
    step_id: str = attrs.field(validator=_id)
    action: str = attrs.field(validator=_id)
    opinion: str = attrs.field(default="", validator=_text)
    checklist: tuple[tuple[str, bool], ...] = attrs.field(
        default=(), converter=_pairs, validator=_checklist
    )


@attrs.frozen
class RecordMeetingDecision:
    """Record a collective decision (处务会 / 局务会) for a MEETING step."""

    case_id: str = attrs.field(validator=_id)
    step_id: str = attrs.field(validator=_id)
    held_on: pendulum.Date = attrs.field(converter=_day, validator=_date)
    attendees: tuple[str, ...] = attrs.field(converter=_tuple, validator=_codes)
    resolution: str = attrs.field(validator=_text)
    action: str = attrs.field(default="APPROVE", validator=_id)


@attrs.frozen
class Suspend:
    """Stop the clocks for a reason of art. 45 (hearing, expert review, inspection …).

    :param expected_working_days: the time the procedure needs, which art. 45 requires the
        bureau to tell the applicant in writing; give it, or ``until``.
    :param until: the day the procedure is expected to end, instead of a number of days.
    """

    case_id: str = attrs.field(validator=_id)
    reason: str = attrs.field(validator=_text)
    basis: str = attrs.field(default="", validator=_text)
    expected_working_days: int | None = attrs.field(default=None, validator=_optional_days)
    until: pendulum.Date | None = attrs.field(
        default=None, converter=_optional_day, validator=_optional_date
    )


@attrs.frozen
class Resume:
    """End the suspension."""

    case_id: str = attrs.field(validator=_id)


@attrs.frozen
class Extend:
    """Extend the decision limit (art. 42): the bureau head only, once, reason required."""

    case_id: str = attrs.field(validator=_id)
    working_days: int = attrs.field(validator=_days)
    reason: str = attrs.field(validator=_text)


@attrs.frozen
class Decide:
    """Decide the application: approve (准予许可) or deny (不予许可) with reasons.

    :param use_from: for a permit type with a period of use (临时建设, 城乡规划法 art. 44), its
        first day; left None, the application's fact ``use_from`` (ISO date), else the day
        of the decision.
    :param use_until: its last day; left None, the fact ``use_until``, else the longest
        period the permit type allows. Ignored for other permit types.
    """

    case_id: str = attrs.field(validator=_id)
    outcome: Outcome = attrs.field(converter=_outcome, validator=_is_outcome)
    reasons: str = attrs.field(default="", validator=_text)
    use_from: pendulum.Date | None = attrs.field(
        default=None, converter=_optional_day, validator=_optional_date
    )
    use_until: pendulum.Date | None = attrs.field(
        default=None, converter=_optional_day, validator=_optional_date
    )


@attrs.frozen
class IssueCertificate:
    """Number, register and issue the certificate of an approved case.

    :param certificate_number: given by the window from the ``planning_core_certificate_number``
        hook; left None, the engine numbers it from the store's gap-free sequence.
    """

    case_id: str = attrs.field(validator=_id)
    certificate_number: str | None = attrs.field(default=None, validator=_optional_id)


@attrs.frozen
class Deliver:
    """Hand the result to the applicant at the window (出件)."""

    case_id: str = attrs.field(validator=_id)
    collected_by: str = attrs.field(default="", validator=_text)


@attrs.frozen
class Withdraw:
    """The applicant withdraws the application."""

    case_id: str = attrs.field(validator=_id)
    reason: str = attrs.field(default="", validator=_text)


def _answer(value: object) -> object:
    """An answer (``workflow.Answer.AGREE``, or its value in any case: ``"AGREE"``) as its
    lower-case value."""
    value = getattr(value, "value", value)
    return value.lower() if isinstance(value, str) else value


def _is_answer(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if value not in _ANSWERS:
        raise ValidationError(
            f"{_where(instance, attribute)} must be one of {', '.join(_ANSWERS)}, "
            f"not {short(value)}"
        )


_ANSWERS = ("agree", "agree_with_conditions", "object")


@attrs.frozen
class RecordOpinion:
    """Record a consulted department's answer at a CONSULT step (征求意见的回复).

    Given by the department's liaison (an actor holding a post of that department) or by
    the bureau post that owns the step, for an answer that came on paper. An answer given
    while the step still waits for others replaces the department's earlier one, so an
    objection is withdrawn by answering again.

    :param answer: ``agree`` (同意), ``agree_with_conditions`` (有条件同意, with
        ``conditions``) or ``object`` (不同意, with the reasons in ``opinion``).
    :param conditions: each condition attached to the consent; they flow into the decision
        and the certificate.
    :param document: the reference of the written opinion (文号, or a stored file's hash).
    """

    case_id: str = attrs.field(validator=_id)
    step_id: str = attrs.field(validator=_id)
    department: str = attrs.field(validator=_id)
    answer: str = attrs.field(converter=_answer, validator=_is_answer)
    opinion: str = attrs.field(default="", validator=_text)
    conditions: tuple[str, ...] = attrs.field(default=(), converter=_tuple, validator=_codes)
    document: str = attrs.field(default="", validator=_text)


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
    | RecordOpinion
)
