"""What each event does to a case's state: one handler per event type.

A handler takes the state before the event, the event, its instant and its actor, and
returns only the fields it changes; :func:`planning_core.cases._state.apply` builds the next
state from them. The table of event types (:mod:`planning_core.cases._catalogue`) names each
event's handler.

Pauses and resumptions ask one rule, :attr:`CaseState.hold`, what holds the clocks: a step
activated while something holds them starts paused, and the clocks run again only when the
last hold ends (a supplement arriving during a suspension leaves them stopped).
"""

from __future__ import annotations

from typing import Any

import attrs
import pendulum

from planning_core.cases import _events as ev
from planning_core.cases._case import CaseState, CaseStatus, Token
from planning_core.cases._clocks import CaseClocks

__all__ = [
    "At",
    "Changes",
    "accepted",
    "activated",
    "cancelled",
    "claimed",
    "completed",
    "decided",
    "delivered",
    "extended",
    "issued",
    "light_changed",
    "meeting",
    "migrated",
    "preliminary_reviewed",
    "refused",
    "resumed",
    "review_finished",
    "revised",
    "submitted",
    "supplement_received",
    "supplement_requested",
    "suspended",
    "withdrawn",
]

At = pendulum.DateTime
#: The fields an event changes, by name.
Changes = dict[str, Any]


def _released(s: CaseState, at: At, **after: Any) -> CaseClocks:
    """The clocks once something stops holding them: running again only when nothing else
    still does (``after`` are the fields the event changes)."""
    if s.hold is None or attrs.evolve(s, **after).hold is not None:
        return s.clocks
    return s.clocks.resumed(at)


def submitted(s: CaseState, e: ev.CaseSubmitted, at: At, actor: str) -> Changes:
    return dict(
        status=CaseStatus.RECEIVED,
        permit_type=e.permit_type,
        workflow_version=e.workflow_version,
        case_number=e.case_number,
        applicant=e.applicant,
        project=e.project,
        contact=e.contact,
        township=e.township,
        facts=e.facts,
        materials=e.materials,
        received_at=at,
        clocks=s.clocks.received(at, e.region, e.notice_limit)
        if e.preliminary_limit is None
        else CaseClocks(region=e.region).preliminary_started(at, e.preliminary_limit),
    )


def preliminary_reviewed(
    s: CaseState, e: ev.PreliminaryReviewRecorded, at: At, actor: str
) -> Changes:
    return dict(
        preliminary_opinion=e.opinion,
        township=s.township or e.township or None,
        clocks=s.clocks.preliminary_done(at, e.notice_limit),
    )


def supplement_requested(s: CaseState, e: ev.SupplementRequested, at: At, actor: str) -> Changes:
    before_acceptance = s.accepted_at is None
    clocks = s.clocks.notice_given()
    held = attrs.evolve(s, missing=e.missing).hold  # None before acceptance
    if held is not None:
        clocks = clocks.paused(at, held, "", e.mode)
    return dict(
        status=CaseStatus.AWAITING_SUPPLEMENT if before_acceptance else s.status,
        supplement_requested=True,
        missing=e.missing,
        clocks=clocks,
    )


def supplement_received(s: CaseState, e: ev.SupplementReceived, at: At, actor: str) -> Changes:
    before_acceptance = s.accepted_at is None
    clocks = _released(s, at, missing=())
    if before_acceptance and e.notice_limit is not None:
        clocks = clocks.notice_restarted(at, e.notice_limit)
    return dict(
        status=CaseStatus.RECEIVED if before_acceptance else s.status,
        missing=(),
        materials=(*s.materials, *e.materials),
        clocks=clocks,
    )


def accepted(s: CaseState, e: ev.CaseAccepted, at: At, actor: str) -> Changes:
    return dict(
        status=CaseStatus.IN_REVIEW,
        accepted_at=e.clock_start,
        deemed_accepted=e.deemed,
        clocks=s.clocks.accepted(e.clock_start, e.committed, e.statutory),
    )


def refused(s: CaseState, e: ev.AcceptanceRefused, at: At, actor: str) -> Changes:
    return dict(status=CaseStatus.REFUSED, tokens=(), clocks=s.clocks.closed())


def activated(s: CaseState, e: ev.StepActivated, at: At, actor: str) -> Changes:
    token = Token(e.token, e.step_id, e.post, at, None, e.branch)
    clocks = s.clocks
    if e.limit is not None:
        clocks = clocks.step_started(e.token, at, e.limit)
        held = s.hold
        if held is not None:
            clocks = clocks.paused(at, held, "", "stop_and_resume")
    return dict(tokens=(*s.tokens, token), tokens_made=s.tokens_made + 1, clocks=clocks)


def claimed(s: CaseState, e: ev.StepClaimed, at: At, actor: str) -> Changes:
    tokens = tuple(attrs.evolve(t, claimed_by=actor) if t.token == e.token else t for t in s.tokens)
    return dict(tokens=tokens)


def completed(s: CaseState, e: ev.StepCompleted, at: At, actor: str) -> Changes:
    done = next((t for t in s.tokens if t.token == e.token), None)
    tokens = tuple(t for t in s.tokens if t.token != e.token)
    decider = done.post if done is not None and done.post is not None else s.last_decider_post
    steps = s.completed_steps
    return dict(
        tokens=tokens,
        completed_steps=steps if e.step_id in steps else (*steps, e.step_id),
        last_decider_post=decider,
        last_action=e.action,
        clocks=s.clocks.step_stopped(e.token),
    )


def cancelled(s: CaseState, e: ev.TokenCancelled, at: At, actor: str) -> Changes:
    tokens = tuple(t for t in s.tokens if t.token != e.token)
    return dict(tokens=tokens, clocks=s.clocks.step_stopped(e.token))


def meeting(s: CaseState, e: ev.MeetingDecisionRecorded, at: At, actor: str) -> Changes:
    done = ev.StepCompleted(e.step_id, e.token, e.action, e.resolution)
    return completed(s, done, at, actor)


def review_finished(s: CaseState, e: ev.ReviewFinished, at: At, actor: str) -> Changes:
    return dict(status=CaseStatus.AWAITING_DECISION, recommendation=e.recommendation)


def suspended(s: CaseState, e: ev.CaseSuspended, at: At, actor: str) -> Changes:
    clocks = s.clocks.paused(at, e.reason, e.basis, e.mode)
    if e.hearing_limit is not None:  # art. 47: the hearing is organised within its period
        clocks = clocks.hearing_started(at, e.hearing_limit)
    return dict(suspended=e.reason, clocks=clocks)


def resumed(s: CaseState, e: ev.CaseResumed, at: At, actor: str) -> Changes:
    return dict(suspended=None, clocks=_released(s, at, suspended=None).hearing_done())


def extended(s: CaseState, e: ev.CaseExtended, at: At, actor: str) -> Changes:
    clocks = s.clocks.extended(e.working_days, actor or "bureau head", e.reason, at)
    return dict(extended=True, clocks=clocks)


def decided(s: CaseState, e: ev.CaseDecided, at: At, actor: str) -> Changes:
    approved = e.outcome is ev.Outcome.APPROVED
    return dict(
        outcome=e.outcome,
        status=CaseStatus.APPROVED if approved else CaseStatus.DENIED,
        # a supplement still asked for lapses: the decision was made on the file as it
        # stood, and nothing of the review is left for the materials to hold
        missing=(),
        tokens=(),
        decided_at=at,
        term=e.term,
        term_from=e.term_from,
        term_until=e.term_until,
        clocks=s.clocks.decided(at, e.certificate_limit if approved else None),
    )


def issued(s: CaseState, e: ev.CertificateIssued, at: At, actor: str) -> Changes:
    return dict(
        status=CaseStatus.ISSUED,
        certificate_number=e.certificate_number,
        # art. 44: 颁发、送达 within the period: the clock runs on until the applicant has it
        clocks=s.clocks,
    )


def delivered(s: CaseState, e: ev.CaseDelivered, at: At, actor: str) -> Changes:
    return dict(status=CaseStatus.DELIVERED, clocks=s.clocks.closed())


def withdrawn(s: CaseState, e: ev.CaseWithdrawn, at: At, actor: str) -> Changes:
    return dict(status=CaseStatus.WITHDRAWN, tokens=(), clocks=s.clocks.closed())


def light_changed(s: CaseState, e: ev.LightChanged, at: At, actor: str) -> Changes:
    lights = dict(s.lights)
    lights[e.clock] = e.new
    return dict(lights=tuple(sorted(lights.items())))


def revised(s: CaseState, e: ev.DeadlineRevised, at: At, actor: str) -> Changes:
    return {}  # the clocks recompute from their ledgers; the event is the record of it


def migrated(s: CaseState, e: ev.CaseMigrated, at: At, actor: str) -> Changes:
    mapping = dict(e.step_map)
    tokens = tuple(attrs.evolve(t, step_id=mapping.get(t.step_id, t.step_id)) for t in s.tokens)
    return dict(workflow_version=e.to_version, tokens=tokens)
