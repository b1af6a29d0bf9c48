"""Events: what happened to a case, immutable, in the words of the bureau.

A case's state is a fold of its events (:mod:`planning_core.cases._state`). Each event is a
frozen attrs class; the stored document is an envelope::

    {"schema": 1, "type": "StepCompleted", "seq": 7, "at": "…+08:00", "actor": "王工",
     "data": {...}, "prev_hash": "…", "hash": "…"}

``schema`` is the event schema version. When an event's fields change, the version goes up
and a named upcaster (``_upcast_<type>_<n>``) lifts old documents, so stored histories never
break and their hashes (computed over the stored document) stay valid.

Every class here has its row in the one table of event types
(:mod:`planning_core.cases._catalogue`), which the fold, the codec and the window read; the
:data:`Event` union below is the same list for the type checker, and a test keeps the two
equal.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from typing import Any, TypeAlias

import attrs
import pendulum

from planning_core.materials import MaterialFile
from planning_core.timing import TimeLimit

__all__ = [
    "EVENT_SCHEMA_VERSION",
    "UPCASTERS",
    "AcceptanceRefused",
    "CaseAccepted",
    "CaseDecided",
    "CaseDelivered",
    "CaseExtended",
    "CaseMigrated",
    "CaseResumed",
    "CaseSubmitted",
    "CaseSuspended",
    "CaseWithdrawn",
    "CertificateIssued",
    "ConsultationEscalated",
    "ConsultationRequested",
    "DeadlineRevised",
    "Event",
    "LightChanged",
    "MeetingDecisionRecorded",
    "OpinionRecorded",
    "Outcome",
    "PreliminaryReviewRecorded",
    "ReviewFinished",
    "StepActivated",
    "StepClaimed",
    "StepCompleted",
    "SupplementReceived",
    "SupplementRequested",
    "TokenCancelled",
]

#: The version of the event documents this code writes.
EVENT_SCHEMA_VERSION = 1


class Outcome(enum.Enum):
    """The decision on an application (准予 / 不予许可)."""

    APPROVED = "approved"
    DENIED = "denied"


@attrs.frozen
class CaseSubmitted:
    """The application was received at the window (收件); the acceptance clock starts."""

    permit_type: str
    workflow_version: int
    case_number: str
    applicant: str
    project: str
    materials: tuple[str, ...]
    notice_limit: TimeLimit
    region: str = "CN"
    contact: str | None = None
    township: str | None = None
    facts: tuple[tuple[str, bool | int | str], ...] = ()
    #: the lower authority's preliminary review period (行政许可法 art. 43), when the permit
    #: type has one: the ``preliminary`` clock runs instead of the acceptance period
    preliminary_limit: TimeLimit | None = None
    #: the files handed in with the materials (code, name, SHA-256, size, type, version): the
    #: event's hash covers each file's hash, so the chain covers the files
    files: tuple[MaterialFile, ...] = ()


@attrs.frozen
class PreliminaryReviewRecorded:
    """The lower authority's preliminary review opinion arrived (行政许可法 art. 43, 城乡规划法
    art. 41: 乡、镇人民政府审查意见); the bureau's acceptance period starts from its receipt.

    :param township: who reviewed (the township's name or code), as the opinion says.
    :param notice_limit: the acceptance period counted from this receipt (art. 32).
    """

    opinion: str
    notice_limit: TimeLimit
    township: str = ""


@attrs.frozen
class SupplementRequested:
    """The one-time notice of every missing material (补正, 一次告知); the clock pauses."""

    missing: tuple[str, ...]
    note: str = ""
    mode: str = "stop_and_resume"


@attrs.frozen
class SupplementReceived:
    """The applicant brought what was missing; the clock resumes.

    :param notice_limit: before acceptance, the period the bureau has again to accept,
        refuse or give notice, counted from this receipt (行政许可法 art. 32 read with the
        bureau's setting ``EngineSettings.notice_limit``); None after acceptance.
    """

    materials: tuple[str, ...]
    notice_limit: TimeLimit | None = None
    #: the files brought with the supplement; a file brought again is a new version
    files: tuple[MaterialFile, ...] = ()


@attrs.frozen
class CaseAccepted:
    """Accepted (受理): the decision clocks start.

    :param deemed: True when acceptance is deemed from the day of receipt because the
        supplement notice was not given within 5 working days (行政许可法 art. 32).
    :param clock_start: the instant the decision clocks start from.
    """

    clock_start: pendulum.DateTime
    committed: TimeLimit
    statutory: TimeLimit
    deemed: bool = False


@attrs.frozen
class AcceptanceRefused:
    """Not accepted (不予受理), with the reason told to the applicant; the case closes."""

    reason: str


@attrs.frozen
class StepActivated:
    """A workflow step received a token: its post's inbox shows it and its clock starts."""

    step_id: str
    token: str
    post: str | None
    limit: TimeLimit | None = None
    branch: str = ""


@attrs.frozen
class StepClaimed:
    """A person holding the step's post took the work."""

    step_id: str
    token: str


@attrs.frozen
class StepCompleted:
    """The handler finished a step with an action, an opinion and the checklist answers."""

    step_id: str
    token: str
    action: str
    opinion: str = ""
    checklist: tuple[tuple[str, bool], ...] = ()


@attrs.frozen
class MeetingDecisionRecorded:
    """A collective decision (处务会 / 局务会) on the case: the meeting step's resolution."""

    step_id: str
    token: str
    body: str
    held_on: pendulum.Date
    attendees: tuple[str, ...]
    resolution: str
    action: str


@attrs.frozen
class ReviewFinished:
    """Every token reached the end of the workflow: the case awaits the decision.

    :param recommendation: the action that closed the last step (APPROVE or REJECT), which
        the decision usually follows.
    """

    recommendation: str


@attrs.frozen
class CaseSuspended:
    """Time not counted (行政许可法 art. 45): hearing, expert review, inspection …"""

    reason: str
    basis: str = ""
    mode: str = "stop_and_resume"
    #: for a hearing, the time to organise it (行政许可法 art. 47: 20 days), timed by the
    #: ``hearing`` clock while the decision clocks stand still
    hearing_limit: TimeLimit | None = None
    #: art. 45: the time the procedure needs, told to the applicant in writing
    expected_working_days: int | None = None
    #: the written notice (不计入期限告知) as the applicant receives it
    notice: str = ""


@attrs.frozen
class CaseResumed:
    """The suspension ended; the clocks run again (or restart, by the reason's mode)."""

    reason: str


@attrs.frozen
class CaseExtended:
    """The bureau head extended the decision limit (art. 42), reason told to the applicant."""

    working_days: int
    reason: str


@attrs.frozen
class CaseDecided:
    """The decision; an approval starts the certificate clock (art. 44)."""

    outcome: Outcome
    reasons: str = ""
    certificate_limit: TimeLimit | None = None
    #: ``use`` (临时建设的使用期限, 城乡规划法 art. 44) or ``validity`` (选址意见书的有效期)
    #: for an approval of a permit type that has one, with its first and last day
    term: str = ""
    term_from: pendulum.Date | None = None
    term_until: pendulum.Date | None = None
    #: the conditions other departments attached to their consent (有条件同意), which the
    #: approval and its certificate carry: ``"消防救援支队：…"`` one per condition
    conditions: tuple[str, ...] = ()


@attrs.frozen
class CertificateIssued:
    """The certificate (证件) was numbered, registered and issued."""

    certificate_number: str
    kind: str
    #: the conditions other departments attached to their consent (有条件同意), which the
    #: certificate carries, as in :attr:`CaseDecided.conditions`
    conditions: tuple[str, ...] = ()


@attrs.frozen
class CaseDelivered:
    """The applicant collected the result at the window (出件); the case closes."""

    collected_by: str = ""


@attrs.frozen
class CaseWithdrawn:
    """The applicant withdrew the application; the case closes."""

    reason: str = ""


@attrs.frozen
class LightChanged:
    """A clock crossed a light boundary (recorded once per crossing by the sweep)."""

    clock: str
    old: str
    new: str


@attrs.frozen
class DeadlineRevised:
    """A clock's deadline moved without a step of the case: old and new, and why.

    :param cause: ``calendar`` (an official schedule published, a closure added: the
        calendar the deadline counts on changed) or ``another_calendar`` (the stored
        deadline was counted by an engine on another calendar).
    :param calendar: the name of the calendar the new deadline counts on.
    :param basis: the rule the new date follows, as told to the applicant.
    """

    clock: str
    old: pendulum.DateTime | None
    new: pendulum.DateTime | None
    cause: str = "calendar"
    calendar: str = ""
    basis: str = ""


@attrs.frozen
class TokenCancelled:
    """A token was withdrawn without completing (the other branches of an N-of-M join)."""

    step_id: str
    token: str


@attrs.frozen
class CaseMigrated:
    """The case was moved on purpose to another version of its workflow."""

    from_version: int
    to_version: int
    step_map: tuple[tuple[str, str], ...]


@attrs.frozen
class ConsultationRequested:
    """An external department was asked for its opinion (征求意见) at a CONSULT step: its own
    clock starts with its limit, and the outbox carries the request to its liaison.

    :param silence: what its silence past the limit means (``deemed_consent``,
        ``escalate``, ``wait``), as the workflow said when it was asked.
    :param round: 1 for the first request at this step, 2 after a revision, and so on.
    """

    step_id: str
    token: str
    department: str
    limit: TimeLimit
    silence: str
    liaison: str = ""
    round: int = 1


@attrs.frozen
class OpinionRecorded:
    """A consulted department's answer (同意, 有条件同意, 不同意), its written opinion and the
    document it came in; its clock stops. A later answer at the same step replaces it (an
    objection withdrawn).

    :param deemed: True when no answer came within the limit and the workflow's rule on
        silence counts it as consent (逾期未回复视为同意), recorded by the sweep at the instant
        the limit ran out.
    :param document: the reference of the written opinion (文号, or a stored file's hash).
    """

    step_id: str
    token: str
    department: str
    answer: str
    opinion: str = ""
    conditions: tuple[str, ...] = ()
    document: str = ""
    deemed: bool = False


@attrs.frozen
class ConsultationEscalated:
    """A department stayed silent past its limit where the rule is to escalate: the bureau's
    leadership takes it up with the department (提请协调); the consultation waits on."""

    step_id: str
    token: str
    department: str


#: Any event, for the type checker.
Event: TypeAlias = (
    CaseSubmitted
    | PreliminaryReviewRecorded
    | SupplementRequested
    | SupplementReceived
    | CaseAccepted
    | AcceptanceRefused
    | StepActivated
    | StepClaimed
    | StepCompleted
    | TokenCancelled
    | MeetingDecisionRecorded
    | ReviewFinished
    | CaseSuspended
    | CaseResumed
    | CaseExtended
    | CaseDecided
    | CertificateIssued
    | CaseDelivered
    | CaseWithdrawn
    | LightChanged
    | DeadlineRevised
    | CaseMigrated
    | ConsultationRequested
    | OpinionRecorded
    | ConsultationEscalated
)

#: Upcasters by (type, schema version): each lifts a document's ``data`` one version up.
UPCASTERS: dict[tuple[str, int], Callable[[dict[str, Any]], dict[str, Any]]] = {}
