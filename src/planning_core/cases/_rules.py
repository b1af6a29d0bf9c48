"""The rules: which events a command produces, or why it is refused.

Each ``_<command>`` function looks at the case state and the command and either returns the
events to record or raises: :class:`InvalidStateError` (the state does not allow it; the
message says what it does allow), :class:`PermissionDeniedError` (the actor lacks the post
or authority), :class:`ValidationError` (the command itself is malformed). Nothing here
writes: the engine records what these functions return.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import attrs
import pendulum

from planning_core.cases import _commands as cmd
from planning_core.cases import _events as ev
from planning_core.cases._consulted import Consulted
from planning_core.cases._context import RuleContext
from planning_core.cases._routing import Router
from planning_core.cases._state import CaseState, CaseStatus, Token
from planning_core.errors import (
    InvalidStateError,
    NotFoundError,
    PermissionDeniedError,
    ValidationError,
)
from planning_core.permits import PermitType
from planning_core.timing import Clock, Deadline, PauseModes, PauseReason, TimeLimit
from planning_core.workflow import (
    Action,
    Actor,
    Answer,
    Authority,
    Combine,
    Silence,
    Step,
    StepKind,
    WorkflowDefinition,
)

__all__ = ["decide", "deemed_acceptance_due", "deemed_or_accepted", "silence_due"]


@attrs.frozen
class Ask:
    """Everything a rule may look at: the bureau's context, the case, who asks and when."""

    context: RuleContext
    state: CaseState
    actor: Actor
    at: pendulum.DateTime
    next_number: Callable[[str], int]


def decide(ask: Ask, command: cmd.Command) -> list[ev.Event]:
    """The events ``command`` produces on ``ask.state``, or an error saying why not."""
    rule = _RULES[type(command)]
    events: list[ev.Event] = rule(ask, command)
    return events


# -- intake and acceptance (行政许可法 art. 32) --------------------------------------------------


def _submit(ask: Ask, c: cmd.Submit) -> list[ev.Event]:
    if ask.state.seq:
        raise InvalidStateError(
            f"case {c.case_id!r} exists already (number {ask.state.case_number}); "
            f"submit a new application under a new case id"
        )
    _require_post(ask, ask.context.settings.window_post, "receive applications")
    permit = ask.context.permit_type(c.permit_type)
    if not c.applicant.strip() or not c.project.strip():
        raise ValidationError("an application needs the applicant's and the project's names")
    _known_materials(permit, c.materials, "materials")
    number = c.case_number or ask.context.case_number(c.permit_type, ask.at, ask.next_number)
    definition = ask.context.workflow(c.permit_type)
    return [
        ev.CaseSubmitted(
            permit_type=permit.code,
            workflow_version=definition.version,
            case_number=number,
            applicant=c.applicant,
            project=c.project,
            materials=c.materials,
            notice_limit=ask.context.settings.notice_limit,
            region=ask.context.region,
            contact=c.contact,
            township=c.township,
            facts=c.facts,
            preliminary_limit=permit.preliminary_review,
            files=c.files,
        )
    ]


def _preliminary(ask: Ask, c: cmd.RecordPreliminaryReview) -> list[ev.Event]:
    s = ask.state
    _require_status(s, "record a preliminary review", CaseStatus.RECEIVED)
    if s.clocks.preliminary is None:
        raise InvalidStateError(
            f"case {s.case_number} is not waiting for a preliminary review: its permit type "
            f"{s.permit_type} has none, or the opinion was recorded already"
        )
    _require_post(ask, ask.context.settings.window_post, "record a preliminary review")
    if not c.opinion.strip():
        raise ValidationError("record the township's preliminary review opinion (初步审查意见)")
    return [ev.PreliminaryReviewRecorded(c.opinion, ask.context.settings.notice_limit, c.township)]


def _require_preliminary_done(state: CaseState, doing: str) -> None:
    """行政许可法 art. 43: the bureau acts on the application once the lower authority's
    preliminary opinion has arrived, and not before."""
    if state.clocks.preliminary is not None:
        raise InvalidStateError(
            f"cannot {doing}: case {state.case_number} awaits the township's preliminary "
            f"review (行政许可法 art. 43); record its opinion first (RecordPreliminaryReview)"
        )


def _request_supplement(ask: Ask, c: cmd.RequestSupplement) -> list[ev.Event]:
    s = ask.state
    if s.seq and s.supplement_requested:
        raise InvalidStateError(
            f"case {s.case_number} already had its one-time supplement notice (一次告知); "
            f"list every missing material in that one notice"
        )
    _require_status(s, "request a supplement", CaseStatus.RECEIVED, CaseStatus.IN_REVIEW)
    if not c.missing:
        raise ValidationError("a supplement notice must list the missing materials")
    _known_materials(ask.context.permit_type(s.permit_type), c.missing, "missing")
    _require_preliminary_done(s, "give the supplement notice")
    if s.accepted_at is None:
        _require_post(ask, ask.context.settings.window_post, "give the supplement notice")
        deadline = _notice_deadline(ask)
        if deadline is not None and ask.at > deadline:
            raise InvalidStateError(
                f"the 5 working days for the one-time notice ran out at {deadline.isoformat()}; "
                f"under 行政许可法 art. 32 case {s.case_number} counts as accepted from receipt: "
                f"accept it"
            )
    else:
        _require_any_active_post(ask, "ask for a supplement")
    mode = _pause_modes(ask).mode_for(PauseReason.SUPPLEMENT).value
    return [ev.SupplementRequested(c.missing, c.note, mode)]


def _receive_supplement(ask: Ask, c: cmd.ReceiveSupplement) -> list[ev.Event]:
    s = ask.state
    if not s.missing:
        raise InvalidStateError(f"case {s.case_number} is not waiting for a supplement")
    _require_post(ask, ask.context.settings.window_post, "receive a supplement")
    if not c.materials:
        raise ValidationError("list the materials the applicant brought")
    _known_materials(ask.context.permit_type(s.permit_type), c.materials, "materials")
    again = ask.context.settings.notice_limit if s.accepted_at is None else None
    return [ev.SupplementReceived(c.materials, again, c.files)]


def _accept(ask: Ask, c: cmd.Accept) -> list[ev.Event]:
    s = ask.state
    _require_status(s, "accept", CaseStatus.RECEIVED)
    _require_post(ask, ask.context.settings.window_post, "accept applications")
    _require_preliminary_done(s, "accept")
    return deemed_or_accepted(ask.context, s, ask.at)


def deemed_or_accepted(context: RuleContext, s: CaseState, at: pendulum.DateTime) -> list[ev.Event]:
    """Acceptance at ``at``, or deemed acceptance once the acceptance period has run out.

    行政许可法 art. 32: an application neither refused nor given the one-time notice within
    5 working days counts as accepted from the day of receipt (or, after a supplement, from
    the day the supplement was received), and the decision clocks run from then.
    """
    permit = context.permit_type(s.permit_type)
    notice = s.clocks.notice
    deadline = _deadline_at(notice, context)
    deemed = notice is not None and deadline is not None and at >= deadline
    start = notice.started if deemed and notice is not None else at
    accepted = ev.CaseAccepted(start, permit.committed_limit, permit.statutory_limit, deemed)
    workflow = context.workflow(s.permit_type, s.workflow_version)
    after = attrs.evolve(s, accepted_at=accepted.clock_start, status=CaseStatus.IN_REVIEW)
    routed = Router(after, workflow, _context(s), context.conditions).start()
    return [accepted, *_ask_departments(context, s, workflow, routed)]


def deemed_acceptance_due(
    context: RuleContext, s: CaseState, now: pendulum.DateTime
) -> pendulum.DateTime | None:
    """When a case still waiting for acceptance was accepted by law (art. 32), if by ``now``.

    The instant the acceptance period ran out, for a received case whose period has run out
    by ``now`` with no one-time notice outstanding; None otherwise.
    """
    if s.seq == 0 or s.status is not CaseStatus.RECEIVED or s.suspended is not None:
        return None
    deadline = _deadline_at(s.clocks.notice, context)
    if deadline is None or now < deadline:
        return None
    return max(deadline, s.last_at) if s.last_at is not None else deadline


def _refuse(ask: Ask, c: cmd.RefuseAcceptance) -> list[ev.Event]:
    _require_status(ask.state, "refuse acceptance", CaseStatus.RECEIVED)
    _require_post(ask, ask.context.settings.window_post, "refuse acceptance")
    _require_preliminary_done(ask.state, "refuse acceptance")
    deadline = _notice_deadline(ask)
    if deadline is not None and ask.at >= deadline:
        raise InvalidStateError(
            f"不予受理 must be decided within the acceptance period, which ran out at "
            f"{deadline.isoformat()}; under 行政许可法 art. 32 case {ask.state.case_number} "
            f"counts as accepted: decide on it (准予 or 不予许可) instead"
        )
    if not c.reason.strip():
        raise ValidationError("不予受理 needs the reason told to the applicant")
    return [ev.AcceptanceRefused(c.reason)]


# -- the workflow --------------------------------------------------------------------------------


def _claim(ask: Ask, c: cmd.Claim) -> list[ev.Event]:
    token = _active_token(ask, c.step_id)
    if token.claimed_by is not None:
        holder = "you" if token.claimed_by == ask.actor.id else token.claimed_by
        raise InvalidStateError(f"step {c.step_id!r} is already claimed by {holder}")
    _require_post(ask, token.post, f"work on step {c.step_id!r}")
    return [ev.StepClaimed(c.step_id, token.token)]


def _complete(ask: Ask, c: cmd.Complete) -> list[ev.Event]:
    token = _active_token(ask, c.step_id)
    definition = _workflow_of(ask, ask.state)
    step = definition.step(c.step_id)
    if step.kind is StepKind.MEETING:
        raise InvalidStateError(
            f"step {c.step_id!r} is a {step.meeting.body.zh if step.meeting else 'meeting'}: "
            f"record the meeting's decision instead"
        )
    if step.kind is StepKind.CONSULT:
        waiting = ", ".join(r.department for r in _asked(ask.state, token.token) if r.is_open)
        raise InvalidStateError(
            f"step {c.step_id!r} consults other departments and passes on when every one has "
            f"answered (waiting for: {waiting or 'none'}); record their opinions "
            f"(RecordOpinion) instead"
        )
    _check_claim(ask, token, c.step_id)
    action = _action(c.action, step.actions, c.step_id)
    answers = dict(c.checklist)
    missing = [p.code for p in step.standards if p.code not in answers]
    if missing and action is not Action.RETURN:
        raise ValidationError(f"step {c.step_id!r}: confirm every business standard first", missing)
    claimed = [] if token.claimed_by else [ev.StepClaimed(c.step_id, token.token)]
    done = ev.StepCompleted(c.step_id, token.token, action.value, c.opinion, c.checklist)
    return [*claimed, done, *_route(ask, token, action)]


def _meeting(ask: Ask, c: cmd.RecordMeetingDecision) -> list[ev.Event]:
    token = _active_token(ask, c.step_id)
    step = _workflow_of(ask, ask.state).step(c.step_id)
    if step.kind is not StepKind.MEETING or step.meeting is None:
        raise InvalidStateError(f"step {c.step_id!r} is not a meeting; complete it instead")
    _require_post(ask, token.post, f"record the decision of {step.meeting.body.zh}")
    attendees = tuple(dict.fromkeys(c.attendees))
    if len(attendees) < step.meeting.quorum:
        raise ValidationError(
            f"{step.meeting.body.zh} needs a quorum of {step.meeting.quorum}; "
            f"{len(attendees)} attended ({', '.join(attendees) or 'nobody'})"
        )
    if not c.resolution.strip():
        raise ValidationError("record the meeting's resolution (会议决定)")
    action = _action(c.action, step.actions, c.step_id)
    decision = ev.MeetingDecisionRecorded(
        c.step_id,
        token.token,
        step.meeting.body.value,
        c.held_on,
        attendees,
        c.resolution,
        action.value,
    )
    return [decision, *_route(ask, token, action)]


def _route(ask: Ask, token: Token, action: Action) -> list[ev.Event]:
    return _routed(ask.context, ask.state, token, action)


def _routed(context: RuleContext, state: CaseState, token: Token, action: Action) -> list[ev.Event]:
    workflow = context.workflow(state.permit_type, state.workflow_version)
    router = Router(state, workflow, _context(state), context.conditions)
    events: list[ev.Event] = _ask_departments(
        context, state, workflow, router.complete(token, action)
    )
    if router.finished:
        events.append(ev.ReviewFinished(action.value))
    return events


# -- consulting other departments (征求意见, 并联审批) -------------------------------------------


def _ask_departments(
    context: RuleContext,
    state: CaseState,
    workflow: WorkflowDefinition,
    routed: list[ev.Event],
) -> list[ev.Event]:
    """The routed events with the requests each CONSULT step activated makes.

    A CONSULT step asks every department the first time; when the case comes back to it
    (after an objection returned it for revision), only the departments whose last answer
    there was not a consent are asked again, and all of them if every one had consented.
    """
    events: list[ev.Event] = []
    for event in routed:
        step = workflow.step(event.step_id) if isinstance(event, ev.StepActivated) else None
        if not isinstance(event, ev.StepActivated) or step is None or step.consultation is None:
            events.append(event)
            continue
        events.append(attrs.evolve(event, post=step.post))
        events += _requests(context, state, step, event.token)
    return events


def _requests(
    context: RuleContext, state: CaseState, step: Step, token: str
) -> list[ev.ConsultationRequested]:
    consultation = step.consultation
    if consultation is None:
        return []
    earlier = [c for c in state.consultations if c.step_id == step.id]
    last = {c.department: c for c in earlier}
    asked = [c for c in consultation.departments if not last.get(c.department, _NEVER).agrees]
    requests = []
    for consultee in asked or consultation.departments:
        code = consultee.department
        rule = consultation.silence_of(code) or Silence.WAIT
        limit = consultee.limit or step.time_limit
        if limit is None:  # a definition the checks refuse; never built
            raise ValidationError(f"step {step.id!r} consults {code!r} without a time limit")
        liaison = next((d.liaison for d in context.organisation.divisions if d.code == code), "")
        done = sum(1 for c in earlier if c.department == code)
        requests.append(
            ev.ConsultationRequested(step.id, token, code, limit, rule.value, liaison, done + 1)
        )
    return requests


_NEVER = Consulted("", "", "", pendulum.datetime(1970, 1, 1), TimeLimit.working_days(1), "wait")


def _asked(state: CaseState, token: str) -> list[Consulted]:
    return [c for c in state.consultations if c.token == token]


def _record_opinion(ask: Ask, c: cmd.RecordOpinion) -> list[ev.Event]:
    s = ask.state
    # an answer from outside the bureau is recorded when it comes, a suspension or not
    _require_status(s, "record a department's opinion", CaseStatus.IN_REVIEW, while_suspended=True)
    token = s.token_at(c.step_id)
    step = _workflow_of(ask, s).step(c.step_id) if token is not None else None
    if token is None or step is None or step.consultation is None:
        consulting = ", ".join(dict.fromkeys(r.step_id for r in s.consultations if r.is_open))
        raise InvalidStateError(
            f"step {c.step_id!r} of case {s.case_number} is not consulting anyone now; "
            f"steps waiting for opinions: {consulting or 'none'}"
        )
    mine = [r for r in _asked(s, token.token) if r.department == c.department]
    if not mine:
        asked = ", ".join(r.department for r in _asked(s, token.token)) or "none"
        raise InvalidStateError(
            f"department {c.department!r} was not asked at step {c.step_id!r} of case "
            f"{s.case_number}; asked: {asked}"
        )
    _require_department_or_post(ask, c.department, token.post)
    if c.answer == "agree_with_conditions" and not c.conditions:
        raise ValidationError("有条件同意: list the department's conditions (conditions=)")
    if c.answer == "agree" and c.conditions:
        raise ValidationError(
            f"an answer with conditions ({len(c.conditions)} given) is agree_with_conditions"
        )
    if c.answer == "object" and not c.opinion.strip():
        raise ValidationError("不同意: record the department's reasons (opinion=)")
    recorded = ev.OpinionRecorded(
        c.step_id, token.token, c.department, c.answer, c.opinion, c.conditions, c.document
    )
    return [recorded, *_closing(ask.context, s, step, token, recorded)]


def _require_department_or_post(ask: Ask, department: str, post: str | None) -> None:
    """The department's own liaison answers for it; the step's post records an answer
    that came on paper."""
    org = ask.context.organisation
    own = {p.division for p in org.posts if p.code in ask.actor.posts}
    if department in own or (post is not None and post in ask.actor.posts):
        return
    raise PermissionDeniedError(
        f"{ask.actor.name} ({ask.actor.id}) may not answer for department {department!r}: "
        f"hold a post of that department, or the step's post {post!r}"
    )


def _closing(
    context: RuleContext,
    state: CaseState,
    step: Step,
    token: Token,
    answered: ev.OpinionRecorded,
) -> list[ev.Event]:
    """When ``answered`` is the last answer the step waited for: the step completes with the
    answers combined, and the case moves on (or back)."""
    consultation = step.consultation
    if consultation is None:
        return []
    records = [
        attrs.evolve(r, answer=answered.answer, deemed=answered.deemed)
        if r.department == answered.department
        else r
        for r in _asked(state, token.token)
    ]
    if any(r.is_open for r in records):
        return []
    objected = [r.department for r in records if not r.agrees]
    if not objected:
        action = Action.APPROVE
    elif consultation.combine is Combine.OBJECTION_RETURNS:
        action = Action.RETURN
    else:
        action = Action.REJECT
    summary = "；".join(
        f"{_department_name(context, r.department)}："
        f"{'逾期未回复，视为同意' if r.deemed else Answer(r.answer).zh if r.answer else ''}"
        for r in records
    )
    done = ev.StepCompleted(step.id, token.token, action.value, f"征求意见：{summary}")
    return [done, *_routed(context, state, token, action)]


def _department_name(context: RuleContext, code: str) -> str:
    return next((d.name for d in context.organisation.divisions if d.code == code), code)


def silence_due(
    context: RuleContext, s: CaseState, now: pendulum.DateTime
) -> tuple[pendulum.DateTime, list[ev.Event]] | None:
    """The next thing a department's silence brings about by ``now``, and when.

    For the department whose limit ran out first among those whose rule is to count
    silence as consent (逾期未回复视为同意): its consent, at the instant the limit ran out
    (and the step's completion, when it was the last answer awaited). For one whose rule is
    to escalate: the escalation, once. None when nothing is due; the sweep asks again until
    it is.
    """
    if s.status is not CaseStatus.IN_REVIEW or s.suspended is not None:
        return None
    due: list[tuple[pendulum.DateTime, Consulted]] = []
    for record in s.open_consultations:
        if record.silence == Silence.WAIT.value or (
            record.silence == Silence.ESCALATE.value and record.escalated
        ):
            continue
        deadline = _deadline_at(s.clocks.consultation(record.key), context)
        if deadline is not None and deadline <= now:
            due.append((deadline, record))
    if not due:
        return None
    deadline, record = min(due, key=lambda pair: pair[0])
    when = max(deadline, s.last_at) if s.last_at is not None else deadline
    if record.silence == Silence.ESCALATE.value:
        return when, [ev.ConsultationEscalated(record.step_id, record.token, record.department)]
    token = next((t for t in s.tokens if t.token == record.token), None)
    consent = ev.OpinionRecorded(
        record.step_id,
        record.token,
        record.department,
        "agree",
        f"{_department_name(context, record.department)}逾期未回复，视为同意",
        deemed=True,
    )
    if token is None:
        return when, [consent]
    step = context.workflow(s.permit_type, s.workflow_version).step(record.step_id)
    return when, [consent, *_closing(context, s, step, token, consent)]


# -- time not counted, extensions (arts. 42, 45) -------------------------------------------------


def _suspend(ask: Ask, c: cmd.Suspend) -> list[ev.Event]:
    s = ask.state
    _require_status(
        s,
        "suspend",
        CaseStatus.IN_REVIEW,
        CaseStatus.AWAITING_DECISION,
        CaseStatus.APPROVED,
        while_suspended=True,
    )
    if s.suspended is not None:
        raise InvalidStateError(
            f"case {s.case_number} is already suspended ({s.suspended}); resume it first"
        )
    reason = PauseReason.coerce(c.reason)
    if reason is PauseReason.SUPPLEMENT:
        raise InvalidStateError(
            f"a supplement is asked for once, with the one-time notice (一次告知, 行政许可法 "
            f"art. 32), not by suspending case {s.case_number}; art. 45 does not list it: "
            f"use RequestSupplement"
        )
    _require_any_active_post(ask, "suspend the case")
    days = _expected_days(ask, c)
    mode = _pause_modes(ask).mode_for(reason).value
    # art. 47: a hearing is organised within 20 days of the request; its own clock runs
    hearing = ask.context.settings.hearing_limit if reason is PauseReason.HEARING else None
    basis = c.basis or reason.default_basis
    notice = (
        f"因{reason.zh}，申请的审查暂停计时，预计需要{days}个工作日，"
        f"该期间不计入办理期限（依据：{basis}）"
    )
    return [
        ev.CaseSuspended(
            reason.value,
            basis,
            mode,
            hearing,
            expected_working_days=days,
            notice=notice,
        )
    ]


def _expected_days(ask: Ask, c: cmd.Suspend) -> int:
    """The time a stop needs, in working days: art. 45 has it told in writing."""
    if c.until is not None:
        today = ask.context.calendar.local_date(ask.at)
        if c.until <= today:
            raise ValidationError(
                f"a stop expected to end on {c.until} ends before it starts ({today}); "
                f"give a later day"
            )
        return ask.context.calendar.working_days_between(today, c.until)
    if c.expected_working_days is None or c.expected_working_days < 1:
        raise ValidationError(
            f"行政许可法 art. 45: the applicant is told in writing the time the stop needs; "
            f"give expected_working_days (1 or more) or until, not "
            f"{c.expected_working_days!r}"
        )
    return c.expected_working_days


def _resume(ask: Ask, c: cmd.Resume) -> list[ev.Event]:
    s = ask.state
    if s.suspended is None:
        raise InvalidStateError(f"case {s.case_number} is not suspended")
    _require_any_active_post(ask, "resume the case")
    return [ev.CaseResumed(s.suspended)]


def _extend(ask: Ask, c: cmd.Extend) -> list[ev.Event]:
    s = ask.state
    _require_status(s, "extend", CaseStatus.IN_REVIEW, CaseStatus.AWAITING_DECISION)
    permit = ask.context.permit_type(s.permit_type)
    if permit.joint:
        if not ask.context.holds_authority(ask.actor, Authority.GOVERNMENT_HEAD):
            raise PermissionDeniedError(
                f"{ask.actor.name} ({ask.actor.id}) may not extend the limit of a joint or "
                f"centralised handling: only the head of the people's government "
                f"(本级人民政府负责人) approves it (行政许可法 art. 42 para. 2)"
            )
    elif not ask.context.holds_authority(ask.actor, Authority.BUREAU_HEAD):
        raise PermissionDeniedError(
            f"{ask.actor.name} ({ask.actor.id}) may not extend the limit: only the bureau "
            f"head (局长) approves an extension (行政许可法 art. 42)"
        )
    if s.extended:
        raise InvalidStateError(
            f"case {s.case_number} was extended once already; art. 42 allows one"
        )
    most = permit.extension.days if permit.extension is not None else 0
    if c.working_days < 1 or c.working_days > most:
        raise ValidationError(
            f"an extension of {c.working_days} working days is not allowed for "
            f"{permit.code}; give 1 to {most}"
        )
    if not c.reason.strip():
        raise ValidationError("an extension needs its reason, which is told to the applicant")
    for name in ("committed", "statutory"):
        deadline = _deadline_at(getattr(s.clocks, name), ask.context)
        if deadline is not None and ask.at > deadline:
            raise InvalidStateError(
                f"the {name} limit of case {s.case_number} ran out at {deadline.isoformat()}; "
                f"an extension is approved within the period (行政许可法 art. 42), never "
                f"after it, so the lateness stays on the record"
            )
    return [ev.CaseExtended(c.working_days, c.reason)]


# -- decision, certificate, delivery (arts. 38, 44) ---------------------------------------------


def _decide(ask: Ask, c: cmd.Decide) -> list[ev.Event]:
    s = ask.state
    _require_status(s, "decide", CaseStatus.AWAITING_DECISION)
    needed = ask.context.authority_of_post(s.last_decider_post)
    if not ask.context.holds_authority(ask.actor, needed):
        raise PermissionDeniedError(
            f"{ask.actor.name} ({ask.actor.id}) lacks the authority ({needed.zh}) to decide "
            f"case {s.case_number}"
        )
    if c.outcome is ev.Outcome.DENIED and not c.reasons.strip():
        raise ValidationError("a denial (不予许可) must state its reasons")
    if c.outcome is not ev.Outcome.APPROVED:
        return [ev.CaseDecided(c.outcome, c.reasons)]
    limit = ask.context.settings.certificate_limit
    term, first, last = _term(ask, c)
    conditions = _conditions(ask.context, s)
    return [ev.CaseDecided(c.outcome, c.reasons, limit, term, first, last, conditions)]


def _conditions(context: RuleContext, s: CaseState) -> tuple[str, ...]:
    """The other departments' conditions the approval and its certificate carry."""
    return tuple(
        f"{_department_name(context, department)}：{condition}"
        for department, condition in s.consultation_conditions
    )


def _term(ask: Ask, c: cmd.Decide) -> tuple[str, pendulum.Date | None, pendulum.Date | None]:
    """An approval's period of use (临时建设, 城乡规划法 art. 44) or validity (选址意见书).

    The period of use is the decision's ``use_from``/``use_until``, else the application's
    facts of those names (ISO dates), else from the day of the decision for the longest
    period the permit type allows; it must end after it begins and within that period. The
    validity runs from the day of the decision for the permit type's years.
    """
    permit = ask.context.permit_type(ask.state.permit_type)
    today = ask.context.calendar.local_date(ask.at)
    if permit.use_period_years is not None:
        years = permit.use_period_years
        facts = dict(ask.state.facts)
        first = c.use_from or _fact_date(facts, "use_from") or today
        last = c.use_until or _fact_date(facts, "use_until") or first.add(years=years)
        if last <= first or last > first.add(years=years):
            raise ValidationError(
                f"the period of use {first} to {last} must end after it begins and within "
                f"{years} years (临时建设, 城乡规划法 art. 44)"
            )
        return "use", first, last
    if permit.validity_years is not None:
        return "validity", today, today.add(years=permit.validity_years)
    return "", None, None


def _fact_date(facts: dict[str, bool | int | str], name: str) -> pendulum.Date | None:
    value = facts.get(name)
    if not isinstance(value, str) or not value:
        return None
    try:
        return pendulum.Date.fromisoformat(value)
    except ValueError:
        raise ValidationError(f"application fact {name!r} is {value!r}, not an ISO date") from None


def _issue(ask: Ask, c: cmd.IssueCertificate) -> list[ev.Event]:
    s = ask.state
    _require_status(s, "issue a certificate", CaseStatus.APPROVED)
    _require_post(ask, ask.context.settings.certificate_post, "issue certificates")
    kind = ask.context.permit_type(s.permit_type).certificate.prefix
    number = c.certificate_number or ask.context.certificate_number(kind, ask.at, ask.next_number)
    return [ev.CertificateIssued(number, kind, _conditions(ask.context, s))]


def _deliver(ask: Ask, c: cmd.Deliver) -> list[ev.Event]:
    _require_status(ask.state, "deliver", CaseStatus.ISSUED, CaseStatus.DENIED)
    _require_post(ask, ask.context.settings.window_post, "hand out results")
    return [ev.CaseDelivered(c.collected_by)]


def _withdraw(ask: Ask, c: cmd.Withdraw) -> list[ev.Event]:
    _require_status(
        ask.state,
        "withdraw",
        CaseStatus.RECEIVED,
        CaseStatus.AWAITING_SUPPLEMENT,
        CaseStatus.IN_REVIEW,
        CaseStatus.AWAITING_DECISION,
        while_suspended=True,
    )
    _require_post(ask, ask.context.settings.window_post, "register a withdrawal")
    return [ev.CaseWithdrawn(c.reason)]


# -- helpers -------------------------------------------------------------------------------------


def _known_materials(permit: PermitType, codes: tuple[str, ...], field: str) -> None:
    """Material codes must be on the permit type's published list (the window checks the
    same at intake; the engine checks it for every door, so no case records a material
    nobody can name)."""
    known = {m.code for m in permit.materials}
    unknown = [code for code in dict.fromkeys(codes) if code not in known]
    if unknown:
        raise ValidationError(
            f"{field}: material(s) {', '.join(map(repr, unknown))} are not on the list for "
            f"{permit.code} ({permit.name_zh}); use codes from it: "
            f"{', '.join(m.code for m in permit.materials) or 'none'}"
        )


def _require_status(
    state: CaseState, doing: str, *allowed: CaseStatus, while_suspended: bool = False
) -> None:
    if state.seq == 0:
        raise NotFoundError(f"no case {state.case_id!r}; submit it first")
    if state.status not in allowed:
        can = ", ".join(f"{a.value} ({a.label_zh})" for a in allowed)
        raise InvalidStateError(
            f"cannot {doing}: case {state.case_number} is {state.status.value} "
            f"({state.status.label_zh}); that is possible only when it is {can}"
        )
    if state.suspended is not None and not while_suspended:
        raise InvalidStateError(
            f"cannot {doing}: case {state.case_number} is suspended ({state.suspended}); "
            f"resume it first"
        )


def _require_post(ask: Ask, post: str | None, doing: str) -> None:
    if post is None or post not in ask.actor.posts:
        raise PermissionDeniedError(
            f"{ask.actor.name} ({ask.actor.id}) does not hold post {post!r} needed to {doing}; "
            f"they hold {', '.join(ask.actor.posts) or 'no post'}"
        )


def _require_any_active_post(ask: Ask, doing: str) -> None:
    posts = {t.post for t in ask.state.tokens if t.post}
    if posts & set(ask.actor.posts) or ask.context.holds_authority(
        ask.actor, Authority.DIVISION_HEAD
    ):
        return
    raise PermissionDeniedError(
        f"{ask.actor.name} ({ask.actor.id}) may not {doing}: hold a post with work on the "
        f"case ({', '.join(sorted(p for p in posts if p)) or 'none'}) or be a division head"
    )


def _active_token(ask: Ask, step_id: str) -> Token:
    state = ask.state
    _require_status(state, f"work on step {step_id!r}", CaseStatus.IN_REVIEW)
    token = state.token_at(step_id)
    if token is None or token.post is None:
        active = ", ".join(t.step_id for t in state.tokens if t.post) or "none"
        raise InvalidStateError(
            f"step {step_id!r} of case {state.case_number} has no work waiting; "
            f"active steps: {active}"
        )
    return token


def _check_claim(ask: Ask, token: Token, step_id: str) -> None:
    _require_post(ask, token.post, f"complete step {step_id!r}")
    if token.claimed_by is not None and token.claimed_by != ask.actor.id:
        raise InvalidStateError(
            f"step {step_id!r} is claimed by {token.claimed_by}; only they may complete it"
        )


def _action(value: str, allowed: tuple[Action, ...], step_id: str) -> Action:
    try:
        action = Action(value.lower())
    except ValueError:
        action = None
    if action is None or action not in allowed:
        names = ", ".join(a.value.upper() for a in allowed)
        raise InvalidStateError(f"step {step_id!r} does not allow {value!r}; it allows {names}")
    return action


def _notice_deadline(ask: Ask) -> pendulum.DateTime | None:
    return _deadline_at(ask.state.clocks.notice, ask.context)


def _deadline_at(clock: Clock | None, context: RuleContext) -> pendulum.DateTime | None:
    deadline = None if clock is None else clock.deadline(context.calendar)
    return deadline.at if isinstance(deadline, Deadline) else None


def _workflow_of(ask: Ask, state: CaseState) -> WorkflowDefinition:
    return ask.context.workflow(state.permit_type, state.workflow_version)


def _pause_modes(ask: Ask) -> PauseModes:
    return ask.context.settings.pause_modes.get(ask.state.permit_type, PauseModes())


def _context(state: CaseState) -> dict[str, Any]:
    """What a workflow condition sees: the application's facts, the permit type, the number."""
    return {**dict(state.facts), "permit_type": state.permit_type, "case_number": state.case_number}


_RULES: dict[type[Any], Callable[[Ask, Any], list[ev.Event]]] = {
    cmd.Submit: _submit,
    cmd.RecordPreliminaryReview: _preliminary,
    cmd.RequestSupplement: _request_supplement,
    cmd.ReceiveSupplement: _receive_supplement,
    cmd.Accept: _accept,
    cmd.RefuseAcceptance: _refuse,
    cmd.Claim: _claim,
    cmd.Complete: _complete,
    cmd.RecordMeetingDecision: _meeting,
    cmd.Suspend: _suspend,
    cmd.Resume: _resume,
    cmd.Extend: _extend,
    cmd.Decide: _decide,
    cmd.IssueCertificate: _issue,
    cmd.Deliver: _deliver,
    cmd.Withdraw: _withdraw,
    cmd.RecordOpinion: _record_opinion,
}
