"""A case's state, and the fold that derives it from the case's events.

The fold is the only place state changes: :func:`apply` takes a state and one recorded event
and returns the next state. The engine decides *which* events to record (it checks rules and
permissions); the fold only records their consequences, so replaying a history always gives
the same state, and the stored projection can be checked against it at any time.
"""

from __future__ import annotations

import enum
import operator
from collections.abc import Iterable
from typing import Any

import attrs
import pendulum

from planning_core.cases import _events as ev
from planning_core.cases._clocks import CaseClocks
from planning_core.cases._history import GENESIS

__all__ = ["CaseState", "CaseStatus", "RecordedEvent", "Token", "apply", "fold"]


class CaseStatus(enum.Enum):
    """Where a case stands (案件状态). The Chinese label is what the window shows."""

    RECEIVED = "received"
    AWAITING_SUPPLEMENT = "awaiting_supplement"
    IN_REVIEW = "in_review"
    AWAITING_DECISION = "awaiting_decision"
    APPROVED = "approved"
    DENIED = "denied"
    ISSUED = "issued"
    DELIVERED = "delivered"
    REFUSED = "refused"
    WITHDRAWN = "withdrawn"

    @property
    def label_zh(self) -> str:
        """The status in plain Chinese words, for the window and the public status page."""
        return _LABELS_ZH[self]

    @property
    def is_open(self) -> bool:
        """Whether work on the case is still going on."""
        return self not in _CLOSED


_LABELS_ZH = {
    CaseStatus.RECEIVED: "已收件，待受理",
    CaseStatus.AWAITING_SUPPLEMENT: "待补正材料",
    CaseStatus.IN_REVIEW: "审查中",
    CaseStatus.AWAITING_DECISION: "待决定",
    CaseStatus.APPROVED: "准予许可，制证中",
    CaseStatus.DENIED: "不予许可，可取决定书",
    CaseStatus.ISSUED: "证件已制发，可取件",
    CaseStatus.DELIVERED: "已取件，办结",
    CaseStatus.REFUSED: "不予受理",
    CaseStatus.WITHDRAWN: "申请人撤回",
}
_CLOSED = {CaseStatus.DELIVERED, CaseStatus.REFUSED, CaseStatus.WITHDRAWN}


@attrs.frozen
class RecordedEvent:
    """An event as recorded: its number in the case, instant, actor, and hash link."""

    case_id: str
    seq: int
    at: pendulum.DateTime
    actor: str | None
    event: ev.Event
    schema: int = ev.EVENT_SCHEMA_VERSION
    prev_hash: str = GENESIS
    hash: str = ""


@attrs.frozen
class Token:
    """One unit of work moving through the workflow (several run at once in a countersign)."""

    token: str
    step_id: str
    post: str | None
    activated_at: pendulum.DateTime
    claimed_by: str | None = None
    branch: str = ""


@attrs.frozen
class CaseState:
    """Everything the engine knows about a case, derived from its events."""

    case_id: str
    seq: int = 0
    head_hash: str = GENESIS
    status: CaseStatus = CaseStatus.RECEIVED
    permit_type: str = ""
    workflow_version: int = 0
    case_number: str = ""
    applicant: str = ""
    project: str = ""
    contact: str | None = None
    township: str | None = None
    materials: tuple[str, ...] = ()
    received_at: pendulum.DateTime | None = None
    supplement_requested: bool = False
    missing: tuple[str, ...] = ()
    accepted_at: pendulum.DateTime | None = None
    deemed_accepted: bool = False
    suspended: str | None = None
    extended: bool = False
    outcome: ev.Outcome | None = None
    certificate_number: str | None = None
    tokens: tuple[Token, ...] = ()
    tokens_made: int = 0
    completed: tuple[tuple[str, str], ...] = ()
    last_decider_post: str | None = None
    last_action: str | None = None
    recommendation: str | None = None
    decided_at: pendulum.DateTime | None = None
    lights: tuple[tuple[str, str], ...] = ()
    last_at: pendulum.DateTime | None = None
    clocks: CaseClocks = attrs.field(factory=CaseClocks)

    def token_at(self, step_id: str) -> Token | None:
        """The active token at ``step_id`` (the first, if several wait at a join)."""
        return next((t for t in self.tokens if t.step_id == step_id), None)

    def recorded_light(self, clock: str) -> str:
        """The light last recorded for ``clock`` by the sweep (GREEN before any)."""
        return dict(self.lights).get(clock, "green")


def fold(case_id: str, events: Iterable[RecordedEvent]) -> CaseState:
    """Replay a history from nothing."""
    state = CaseState(case_id=case_id)
    for recorded in events:
        state = apply(state, recorded)
    return state


def apply(state: CaseState, recorded: RecordedEvent) -> CaseState:
    """The state after one more recorded event."""
    handler = _HANDLERS[type(recorded.event)]
    values = dict(zip(_FIELDS, _READ_FIELDS(state), strict=True))
    values.update(handler(state, recorded.event, recorded.at, recorded.actor or ""))
    values["seq"] = recorded.seq
    values["head_hash"] = recorded.hash
    values["last_at"] = recorded.at
    return CaseState(**values)


#: CaseState's fields, so apply builds each next state in one call (no evolve per handler).
_FIELDS = tuple(a.name for a in attrs.fields(CaseState))
_READ_FIELDS = operator.attrgetter(*_FIELDS)


# -- one handler per event type: (state, event, at, actor) -> the fields it changes -----

At = pendulum.DateTime
Changes = dict[str, Any]


def _submitted(s: CaseState, e: ev.CaseSubmitted, at: At, actor: str) -> Changes:
    return dict(
        status=CaseStatus.RECEIVED,
        permit_type=e.permit_type,
        workflow_version=e.workflow_version,
        case_number=e.case_number,
        applicant=e.applicant,
        project=e.project,
        contact=e.contact,
        township=e.township,
        materials=e.materials,
        received_at=at,
        clocks=s.clocks.received(at, e.region, e.notice_limit),
    )


def _supplement_requested(s: CaseState, e: ev.SupplementRequested, at: At, actor: str) -> Changes:
    before_acceptance = s.accepted_at is None
    clocks = s.clocks.notice_given()
    if not before_acceptance:
        clocks = clocks.paused(at, "supplement", "", e.mode)
    return dict(
        status=CaseStatus.AWAITING_SUPPLEMENT if before_acceptance else s.status,
        supplement_requested=True,
        missing=e.missing,
        clocks=clocks,
    )


def _supplement_received(s: CaseState, e: ev.SupplementReceived, at: At, actor: str) -> Changes:
    before_acceptance = s.accepted_at is None
    return dict(
        status=CaseStatus.RECEIVED if before_acceptance else s.status,
        missing=(),
        materials=(*s.materials, *e.materials),
        # the clocks run again, unless a suspension (art. 45) still holds them
        clocks=s.clocks if before_acceptance or s.suspended else s.clocks.resumed(at),
    )


def _accepted(s: CaseState, e: ev.CaseAccepted, at: At, actor: str) -> Changes:
    return dict(
        status=CaseStatus.IN_REVIEW,
        accepted_at=e.clock_start,
        deemed_accepted=e.deemed,
        clocks=s.clocks.accepted(e.clock_start, e.committed, e.statutory),
    )


def _refused(s: CaseState, e: ev.AcceptanceRefused, at: At, actor: str) -> Changes:
    return dict(status=CaseStatus.REFUSED, tokens=(), clocks=s.clocks.closed())


def _activated(s: CaseState, e: ev.StepActivated, at: At, actor: str) -> Changes:
    token = Token(e.token, e.step_id, e.post, at, None, e.branch)
    clocks = s.clocks
    if e.limit is not None:
        clocks = clocks.step_started(e.token, at, e.limit)
        if s.suspended is not None:
            clocks = clocks.paused(at, s.suspended, "", "stop_and_resume")
        elif s.missing and s.accepted_at is not None:
            clocks = clocks.paused(at, "supplement", "", "stop_and_resume")
    return dict(tokens=(*s.tokens, token), tokens_made=s.tokens_made + 1, clocks=clocks)


def _claimed(s: CaseState, e: ev.StepClaimed, at: At, actor: str) -> Changes:
    tokens = tuple(attrs.evolve(t, claimed_by=actor) if t.token == e.token else t for t in s.tokens)
    return dict(tokens=tokens)


def _completed(s: CaseState, e: ev.StepCompleted, at: At, actor: str) -> Changes:
    done = next((t for t in s.tokens if t.token == e.token), None)
    tokens = tuple(t for t in s.tokens if t.token != e.token)
    decider = done.post if done is not None and done.post is not None else s.last_decider_post
    return dict(
        tokens=tokens,
        completed=(*s.completed, (e.step_id, e.token)),
        last_decider_post=decider,
        last_action=e.action,
        clocks=s.clocks.step_stopped(e.token),
    )


def _cancelled(s: CaseState, e: ev.TokenCancelled, at: At, actor: str) -> Changes:
    tokens = tuple(t for t in s.tokens if t.token != e.token)
    return dict(tokens=tokens, clocks=s.clocks.step_stopped(e.token))


def _meeting(s: CaseState, e: ev.MeetingDecisionRecorded, at: At, actor: str) -> Changes:
    completed = ev.StepCompleted(e.step_id, e.token, e.action, e.resolution)
    return _completed(s, completed, at, actor)


def _review_finished(s: CaseState, e: ev.ReviewFinished, at: At, actor: str) -> Changes:
    return dict(status=CaseStatus.AWAITING_DECISION, recommendation=e.recommendation)


def _suspended(s: CaseState, e: ev.CaseSuspended, at: At, actor: str) -> Changes:
    return dict(suspended=e.reason, clocks=s.clocks.paused(at, e.reason, e.basis, e.mode))


def _resumed(s: CaseState, e: ev.CaseResumed, at: At, actor: str) -> Changes:
    # a supplement still outstanding during review keeps the clocks stopped
    waiting = bool(s.missing) and s.accepted_at is not None
    return dict(suspended=None, clocks=s.clocks if waiting else s.clocks.resumed(at))


def _extended(s: CaseState, e: ev.CaseExtended, at: At, actor: str) -> Changes:
    clocks = s.clocks.extended(e.working_days, actor or "bureau head", e.reason, at)
    return dict(extended=True, clocks=clocks)


def _decided(s: CaseState, e: ev.CaseDecided, at: At, actor: str) -> Changes:
    approved = e.outcome is ev.Outcome.APPROVED
    return dict(
        outcome=e.outcome,
        status=CaseStatus.APPROVED if approved else CaseStatus.DENIED,
        tokens=(),
        decided_at=at,
        clocks=s.clocks.decided(at, e.certificate_limit if approved else None),
    )


def _issued(s: CaseState, e: ev.CertificateIssued, at: At, actor: str) -> Changes:
    return dict(
        status=CaseStatus.ISSUED,
        certificate_number=e.certificate_number,
        clocks=s.clocks.closed(),
    )


def _delivered(s: CaseState, e: ev.CaseDelivered, at: At, actor: str) -> Changes:
    return dict(status=CaseStatus.DELIVERED, clocks=s.clocks.closed())


def _withdrawn(s: CaseState, e: ev.CaseWithdrawn, at: At, actor: str) -> Changes:
    return dict(status=CaseStatus.WITHDRAWN, tokens=(), clocks=s.clocks.closed())


def _light(s: CaseState, e: ev.LightChanged, at: At, actor: str) -> Changes:
    lights = dict(s.lights)
    lights[e.clock] = e.new
    return dict(lights=tuple(sorted(lights.items())))


def _revised(s: CaseState, e: ev.DeadlineRevised, at: At, actor: str) -> Changes:
    return {}  # the clocks recompute from their ledgers; the event is the record of it


def _migrated(s: CaseState, e: ev.CaseMigrated, at: At, actor: str) -> Changes:
    mapping = dict(e.step_map)
    tokens = tuple(attrs.evolve(t, step_id=mapping.get(t.step_id, t.step_id)) for t in s.tokens)
    return dict(workflow_version=e.to_version, tokens=tokens)


_HANDLERS: dict[type[Any], Any] = {
    ev.CaseSubmitted: _submitted,
    ev.SupplementRequested: _supplement_requested,
    ev.SupplementReceived: _supplement_received,
    ev.CaseAccepted: _accepted,
    ev.AcceptanceRefused: _refused,
    ev.StepActivated: _activated,
    ev.StepClaimed: _claimed,
    ev.StepCompleted: _completed,
    ev.TokenCancelled: _cancelled,
    ev.MeetingDecisionRecorded: _meeting,
    ev.ReviewFinished: _review_finished,
    ev.CaseSuspended: _suspended,
    ev.CaseResumed: _resumed,
    ev.CaseExtended: _extended,
    ev.CaseDecided: _decided,
    ev.CertificateIssued: _issued,
    ev.CaseDelivered: _delivered,
    ev.CaseWithdrawn: _withdrawn,
    ev.LightChanged: _light,
    ev.DeadlineRevised: _revised,
    ev.CaseMigrated: _migrated,
}
