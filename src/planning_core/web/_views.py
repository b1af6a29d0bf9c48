"""What the staff pages and the API show, as attrs models (the OpenAPI schemas come from
these), and the one mapping from a form or a JSON body to the engine's command.

Reading is authorised here: a person reads a case when one of their posts has a step in its
workflow, when they serve the window (intake, certificates, delivery reach every case), when
they supervise (规划监察), or when they are a division head or above. Acting is authorised by
the engine itself: every action is its command, given with the person and the instant, and
the engine refuses a step of a post the person does not hold or a decision above their
authority. So the web door cannot grant what the organisation does not.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

import attrs
import pendulum

from planning_core.bureau import (
    Bureau,
    ConsultationItem,
    ConsultationLine,
    FollowUpItem,
    consultation_lines,
    late_consultations,
    open_follow_ups,
)
from planning_core.cases import (
    CLOCK_NAMES_ZH,
    CaseState,
    Claim,
    Command,
    Complete,
    Decide,
    Deliver,
    Extend,
    Outcome,
    ReceiveSupplement,
    RecordedEvent,
    RecordMeetingDecision,
    RequestSupplement,
    Resume,
    Suspend,
)
from planning_core.errors import PermissionDeniedError, ValidationError
from planning_core.storage import CaseRow
from planning_core.timing import Deadline, Light
from planning_core.workflow import Actor, Authority, StepKind, to_mermaid

__all__ = [
    "ActionRequest",
    "ActionResult",
    "ActiveStep",
    "BoardItem",
    "BoardView",
    "CaseView",
    "ClockView",
    "HistoryLine",
    "InboxItem",
    "StepView",
    "board_view",
    "case_view",
    "command_for",
    "inbox_of",
    "may_read",
    "may_supervise",
    "perform",
]

_EVENT_ZH = {
    "CaseSubmitted": "收件",
    "PreliminaryReviewRecorded": "乡镇初审",
    "SupplementRequested": "一次告知补正",
    "SupplementReceived": "补正材料已收",
    "CaseAccepted": "受理",
    "AcceptanceRefused": "不予受理",
    "StepActivated": "环节开始",
    "StepClaimed": "认领环节",
    "StepCompleted": "环节办结",
    "MeetingDecisionRecorded": "会议决定",
    "ReviewFinished": "审查完毕，待决定",
    "CaseSuspended": "暂停计时",
    "CaseResumed": "恢复计时",
    "CaseExtended": "延期",
    "CaseDecided": "作出决定",
    "CertificateIssued": "发证",
    "CaseDelivered": "出件，办结",
    "CaseWithdrawn": "申请人撤回",
    "LightChanged": "灯色变化",
    "DeadlineRevised": "期限重算",
    "TokenCancelled": "环节取消",
    "CaseMigrated": "流程迁移",
}
#: The actions a form or a JSON body may ask for (``kind``).
KINDS = (
    "claim",
    "complete",
    "meeting",
    "request_supplement",
    "receive_supplement",
    "suspend",
    "resume",
    "extend",
    "decide",
    "issue",
    "deliver",
)


@attrs.frozen
class ClockView:
    """One running clock: its deadline (``provisional`` when a year's schedule is not out
    yet, marked 暂定) and its light now; ``paused`` while a hold stops it."""

    name: str
    label: str
    deadline: dt.date | None
    provisional: bool
    paused: bool
    light: str


@attrs.frozen
class StepView:
    """One step of the case's workflow for the picture: active ones carry their light."""

    id: str
    name: str
    kind: str
    post: str | None
    post_name: str
    active: bool
    done: bool
    light: str | None


@attrs.frozen
class ActiveStep:
    """A step waiting for work, with what completing it takes."""

    step_id: str
    name: str
    post: str
    post_name: str
    mine: bool
    meeting: bool
    quorum: int
    actions: tuple[str, ...]
    checklist: tuple[tuple[str, str], ...]
    claimed_by: str | None


@attrs.frozen
class HistoryLine:
    """One recorded event: when, who, what."""

    seq: int
    at: dt.datetime
    actor: str | None
    actor_name: str
    kind: str
    label: str
    detail: str


@attrs.frozen
class CaseView:
    """A case as its page shows it."""

    case_id: str
    case_number: str
    permit_type: str
    permit_name: str
    applicant: str
    project: str
    status: str
    status_zh: str
    light: str
    is_open: bool
    suspended: str | None
    missing: tuple[str, ...]
    certificate_number: str | None
    clocks: tuple[ClockView, ...]
    steps: tuple[StepView, ...]
    active: tuple[ActiveStep, ...]
    history: tuple[HistoryLine, ...]
    mermaid: str
    #: each department asked for its opinion (征求意见), its answer and its clock
    consultations: tuple[ConsultationLine, ...] = ()


@attrs.frozen
class InboxItem:
    """One piece of work in a person's inbox."""

    case_number: str
    project: str
    permit_type: str
    step_id: str
    step_name: str
    post: str
    post_name: str
    due: dt.datetime | None
    light: str


@attrs.frozen
class BoardItem:
    """A red or yellow case or step on the supervision board."""

    case_number: str
    project: str
    what: str
    division: str
    division_name: str
    post: str
    post_name: str
    light: str
    due: dt.datetime | None


@attrs.frozen
class BoardView:
    """The supervision board (电子监察) at an instant: red first, then yellow."""

    at: dt.datetime
    red: int
    yellow: int
    items: tuple[BoardItem, ...]
    #: other departments past their limit to answer (征求意见), apart from the bureau's work
    consultations: tuple[ConsultationItem, ...] = ()
    #: follow-ups of bad ratings (差评整改) whose light is red or yellow
    follow_ups: tuple[FollowUpItem, ...] = ()


@attrs.frozen
class ActionRequest:
    """One action on a case, as the API takes it (the staff pages post the same fields).

    :param kind: one of ``claim``, ``complete``, ``meeting``, ``request_supplement``,
        ``receive_supplement``, ``suspend``, ``resume``, ``extend``, ``decide``, ``issue``,
        ``deliver``.
    """

    kind: str
    step_id: str | None = None
    action: str | None = None
    opinion: str = ""
    checklist: tuple[str, ...] = ()
    held_on: dt.date | None = None
    attendees: tuple[str, ...] = ()
    resolution: str = ""
    missing: tuple[str, ...] = ()
    materials: tuple[str, ...] = ()
    note: str = ""
    reason: str = ""
    basis: str = ""
    expected_working_days: int | None = None
    working_days: int | None = None
    outcome: str | None = None
    reasons: str = ""
    collected_by: str = ""


@attrs.frozen
class ActionResult:
    """What an action recorded: the events' numbers and kinds, and the case's status after."""

    case_number: str
    status: str
    status_zh: str
    events: tuple[str, ...]
    last_seq: int
    certificate_number: str | None = None


# -- reading ------------------------------------------------------------------------------------


def may_supervise(bureau: Bureau, actor: Actor) -> bool:
    """Division heads and above, and the supervision division's posts, see the board."""
    org = bureau.organisation
    posts = org.posts_of(actor.id)
    return any(
        p.authority.at_least(Authority.DIVISION_HEAD) or p.division == "SUPERVISION" for p in posts
    )


def may_read(bureau: Bureau, actor: Actor, state: CaseState) -> bool:
    """Whether ``actor``'s role lets them read the case (see the module docstring)."""
    settings = bureau.settings
    if {settings.window_post, settings.certificate_post} & set(actor.posts):
        return True
    if may_supervise(bureau, actor):
        return True
    workflow = bureau.engine.workflow_of(state)
    return any(step.post in actor.posts for step in workflow.steps)


def _readable(bureau: Bureau, actor: Actor, case_number: str) -> CaseState:
    row = bureau.engine.find(case_number)
    state = bureau.engine.load(row.case_id)
    if not may_read(bureau, actor, state):
        raise PermissionDeniedError(
            f"{actor.name} ({actor.id}) holds no post that may read case {case_number}"
        )
    return state


def _deadline(value: object) -> tuple[dt.date | None, bool]:
    if isinstance(value, Deadline):
        return value.date, value.provisional
    return None, bool(getattr(value, "provisional", False))


def case_view(bureau: Bureau, actor: Actor, case_number: str, now: pendulum.DateTime) -> CaseView:
    """The case page's content, for a reader the organisation allows.

    :raises NotFoundError: for an unknown number.
    :raises PermissionDeniedError: when ``actor``'s role may not read the case.
    """
    engine = bureau.engine
    org = bureau.organisation
    state = _readable(bureau, actor, case_number)
    permit = engine.permit_type(state.permit_type)
    policy = engine.policy(state.permit_type)
    workflow = engine.workflow_of(state)
    clocks = []
    tokens = {t.token: t for t in state.tokens}
    step_lights: dict[str, str] = {}
    for name, clock in state.clocks.named():
        date, provisional = _deadline(clock.deadline(engine.calendar))
        light = clock.light(now, engine.calendar, policy).value if state.status.is_open else "green"
        if name.startswith("step:"):
            token = tokens.get(name.removeprefix("step:"))
            if token is None:
                continue
            label = f"环节：{workflow.step(token.step_id).name}"
            step_lights[token.step_id] = light
        else:
            label = CLOCK_NAMES_ZH.get(name, name)
        clocks.append(ClockView(name, label, date, provisional, date is None, light))
    done = set(state.completed_steps)
    active_ids = {t.step_id for t in state.tokens}
    steps = tuple(
        StepView(
            s.id,
            s.name,
            s.kind.value,
            s.post,
            org.post(s.post).name if s.post and org.has_post(s.post) else "",
            s.id in active_ids,
            s.id in done,
            step_lights.get(s.id, "green") if s.id in active_ids else None,
        )
        for s in workflow.steps
    )
    active = []
    for token in state.tokens:
        if token.post is None:
            continue
        step = workflow.step(token.step_id)
        active.append(
            ActiveStep(
                step.id,
                step.name,
                token.post,
                org.post(token.post).name if org.has_post(token.post) else token.post,
                token.post in actor.posts,
                step.kind is StepKind.MEETING,
                step.meeting.quorum if step.meeting else 0,
                tuple(a.value.upper() for a in step.actions) or ("FORWARD",),
                tuple((p.code, p.text) for p in step.standards),
                token.claimed_by,
            )
        )
    names = {a.id: a.name for a in org.actors}
    history = tuple(_line(rec, names) for rec in engine.history(state.case_id))
    lights = {s.id: s.light or "green" for s in steps if s.active}
    return CaseView(
        case_id=state.case_id,
        case_number=state.case_number,
        permit_type=state.permit_type,
        permit_name=permit.name_zh,
        applicant=state.applicant,
        project=state.project,
        status=state.status.value,
        status_zh=state.status.label_zh,
        light=engine.case(state.case_id).light,
        is_open=state.status.is_open,
        suspended=state.suspended,
        missing=state.missing,
        certificate_number=state.certificate_number,
        clocks=tuple(clocks),
        steps=steps,
        active=tuple(active),
        history=history,
        mermaid=to_mermaid(workflow, lights=lights, organisation=org),
        consultations=consultation_lines(bureau, state, now),
    )


def _line(rec: RecordedEvent, names: Mapping[str, str]) -> HistoryLine:
    kind = type(rec.event).__name__
    parts = []
    for field in ("step_id", "action", "opinion", "resolution", "outcome", "reason", "reasons"):
        value = getattr(rec.event, field, None)
        if value:
            parts.append(str(getattr(value, "value", value)))
    for field in ("missing", "materials"):
        value = getattr(rec.event, field, None)
        if value:
            parts.append("、".join(value))
    if kind == "CertificateIssued":
        parts.append(str(getattr(rec.event, "certificate_number", "")))
    if kind == "LightChanged":
        old, new = getattr(rec.event, "old", ""), getattr(rec.event, "new", "")
        parts.append(f"{getattr(rec.event, 'clock', '')} {Light(old).zh}→{Light(new).zh}")
    if kind == "CaseExtended":
        parts.append(f"{getattr(rec.event, 'working_days', '')}个工作日")
    return HistoryLine(
        rec.seq,
        rec.at,
        rec.actor,
        names.get(rec.actor or "", "系统" if rec.actor is None else rec.actor),
        kind,
        _EVENT_ZH.get(kind, kind),
        "；".join(parts),
    )


def inbox_of(bureau: Bureau, actor: Actor) -> list[InboxItem]:
    """The work waiting for the posts ``actor`` holds, soonest due first."""
    org = bureau.organisation
    items: list[InboxItem] = []
    for post in actor.posts:
        for row in bureau.engine.inbox(post):
            for work in row.work:
                if work.post != post:
                    continue
                items.append(_inbox_item(bureau, row, work.step_id, post, work.due_ts))
    far = dt.datetime.max.replace(tzinfo=dt.UTC)
    items.sort(key=lambda i: (i.due or far, i.case_number))
    del org
    return items


def _inbox_item(
    bureau: Bureau, row: CaseRow, step_id: str, post: str, due_ts: int | None
) -> InboxItem:
    org = bureau.organisation
    workflow = bureau.engine.workflow(
        row.permit_type, int(row.data.get("workflow_version") or 0) or None
    )
    tokens = [t for t in row.data.get("tokens", []) if t.get("step_id") == step_id]
    lights = row.data.get("lights", {})
    light = next(
        (lights.get(f"step:{t['token']}") for t in tokens if lights.get(f"step:{t['token']}")), None
    )
    return InboxItem(
        case_number=row.case_number or row.case_id,
        project=str(row.data.get("project", "")),
        permit_type=row.permit_type,
        step_id=step_id,
        step_name=workflow.step(step_id).name
        if step_id in {s.id for s in workflow.steps}
        else step_id,
        post=post,
        post_name=org.post(post).name,
        due=None if due_ts is None else pendulum.from_timestamp(due_ts, tz="Asia/Shanghai"),
        light=str(light or row.light),
    )


def board_view(bureau: Bureau, now: pendulum.DateTime) -> BoardView:
    """Red and yellow cases and steps, by division and post, as recorded by the sweeps."""
    org = bureau.organisation
    items: list[BoardItem] = []
    for light in ("red", "yellow"):
        for row in bureau.store.cases(light=light):
            if not row.is_open:
                continue
            lights = row.data.get("lights", {})
            tokens = {t["token"]: t for t in row.data.get("tokens", [])}
            posts = [t.get("post") for t in tokens.values() if t.get("post")] or [
                bureau.settings.window_post
            ]
            post = str(posts[0])
            division = org.post(post).division if org.has_post(post) else ""
            due = row.deadline_ts
            items.append(
                BoardItem(
                    row.case_number or row.case_id,
                    str(row.data.get("project", "")),
                    "案件",
                    division,
                    org.division(division).name if division else "",
                    post,
                    org.post(post).name if org.has_post(post) else post,
                    light,
                    None if due is None else pendulum.from_timestamp(due, tz="Asia/Shanghai"),
                )
            )
            for name, value in lights.items():
                token = tokens.get(name.removeprefix("step:")) if name.startswith("step:") else None
                if token is None or value not in ("red", "yellow") or not token.get("post"):
                    continue
                step_post = str(token["post"])
                step_division = org.post(step_post).division if org.has_post(step_post) else ""
                items.append(
                    BoardItem(
                        row.case_number or row.case_id,
                        str(row.data.get("project", "")),
                        f"环节：{_step_name(bureau, row, str(token['step_id']))}",
                        step_division,
                        org.division(step_division).name if step_division else "",
                        step_post,
                        org.post(step_post).name if org.has_post(step_post) else step_post,
                        str(value),
                        None,
                    )
                )
    items.sort(key=lambda i: (i.light != "red", i.division, i.post, i.case_number, i.what))
    return BoardView(
        now,
        sum(1 for i in items if i.light == "red" and i.what == "案件"),
        sum(1 for i in items if i.light == "yellow" and i.what == "案件"),
        tuple(items),
        late_consultations(bureau, now),
        open_follow_ups(bureau, now),
    )


def _step_name(bureau: Bureau, row: CaseRow, step_id: str) -> str:
    version = int(row.data.get("workflow_version") or 0) or None
    workflow = bureau.engine.workflow(row.permit_type, version)
    return next((s.name for s in workflow.steps if s.id == step_id), step_id)


# -- acting -------------------------------------------------------------------------------------


def _text(form: Mapping[str, Any], name: str) -> str:
    value = form.get(name, "")
    return value.strip() if isinstance(value, str) else ""


def _int(value: object, name: str) -> int | None:
    if value in (None, ""):
        return None
    try:
        return int(str(value))
    except ValueError:
        raise ValidationError(
            f"{name} must be a whole number of working days, not {value!r}"
        ) from None


def request_from_form(form: Mapping[str, Any], lists: Mapping[str, list[str]]) -> ActionRequest:
    """An :class:`ActionRequest` from a staff page's form (lists: repeated fields)."""
    held = _text(form, "held_on")
    outcome = _text(form, "outcome")
    return ActionRequest(
        kind=_text(form, "kind"),
        step_id=_text(form, "step_id") or None,
        action=_text(form, "action") or None,
        opinion=_text(form, "opinion"),
        checklist=tuple(lists.get("checklist", [])),
        held_on=pendulum.parse(held).date() if held else None,  # type: ignore[union-attr]
        attendees=tuple(
            a.strip() for a in _text(form, "attendees").replace("，", ",").split(",") if a.strip()
        ),
        resolution=_text(form, "resolution"),
        missing=tuple(lists.get("missing", [])),
        materials=tuple(lists.get("materials", [])),
        note=_text(form, "note"),
        reason=_text(form, "reason"),
        basis=_text(form, "basis"),
        expected_working_days=_int(form.get("expected_working_days"), "expected_working_days"),
        working_days=_int(form.get("working_days"), "working_days"),
        outcome=outcome or None,
        reasons=_text(form, "reasons"),
        collected_by=_text(form, "collected_by"),
    )


def command_for(bureau: Bureau, state: CaseState, request: ActionRequest) -> Command:
    """The engine's command for ``request`` on the case ``state``.

    :raises ValidationError: for an unknown kind or a missing field.
    """
    case_id = state.case_id
    kind = request.kind
    if kind not in KINDS or kind == "issue":
        raise ValidationError(f"unknown action {kind!r}; choose one of: {', '.join(KINDS)}")
    if kind in ("claim", "complete", "meeting") and not request.step_id:
        raise ValidationError(f"say which step to {kind} (step_id)")
    step_id = request.step_id or ""
    if kind == "claim":
        return Claim(case_id, step_id)
    if kind == "complete":
        workflow = bureau.engine.workflow_of(state)
        step = workflow.step(step_id)
        ticked = set(request.checklist)
        unknown = ticked - {p.code for p in step.standards}
        if unknown:
            raise ValidationError(f"step {step_id!r} has no review point {sorted(unknown)[0]!r}")
        checklist = tuple((p.code, p.code in ticked) for p in step.standards)
        return Complete(
            case_id, step_id, (request.action or "FORWARD").upper(), request.opinion, checklist
        )
    if kind == "meeting":
        if request.held_on is None:
            raise ValidationError("give the day the meeting was held (held_on)")
        return RecordMeetingDecision(
            case_id,
            step_id,
            pendulum.Date(request.held_on.year, request.held_on.month, request.held_on.day),
            request.attendees,
            request.resolution,
            (request.action or "APPROVE").upper(),
        )
    if kind == "request_supplement":
        return RequestSupplement(case_id, request.missing, request.note)
    if kind == "receive_supplement":
        return ReceiveSupplement(case_id, request.materials)
    if kind == "suspend":
        return Suspend(
            case_id,
            request.reason,
            request.basis,
            expected_working_days=request.expected_working_days,
        )
    if kind == "resume":
        return Resume(case_id)
    if kind == "extend":
        if request.working_days is None:
            raise ValidationError("give the working days of the extension (working_days)")
        return Extend(case_id, request.working_days, request.reason)
    if kind == "decide":
        try:
            outcome = Outcome((request.outcome or "").lower())
        except ValueError:
            raise ValidationError("the outcome is approved or denied") from None
        return Decide(case_id, outcome, request.reasons)
    return Deliver(case_id, request.collected_by)


def perform(
    bureau: Bureau, actor: Actor, case_number: str, request: ActionRequest, at: pendulum.DateTime
) -> ActionResult:
    """Carry out ``request`` on the case as ``actor`` at ``at``: the engine's command (or
    the window's certificate issue), so the history records who did it, and when.

    :raises PermissionDeniedError: the person's role may not read the case, or the engine
        refuses (wrong post, not enough authority).
    """
    state = _readable(bureau, actor, case_number)
    if request.kind == "issue":
        bureau.window.issue_certificate(state.case_number, actor, at)
        recorded_kinds: tuple[str, ...] = ("CertificateIssued",)
    elif request.kind == "receive_supplement" and state.accepted_at is None:
        bureau.window.supplement(state.case_number, request.materials, actor, at)
        recorded_kinds = ("SupplementReceived",)
    else:
        recorded = bureau.engine.execute(command_for(bureau, state, request), actor, at)
        recorded_kinds = tuple(type(r.event).__name__ for r in recorded)
    after = bureau.engine.load(state.case_id)
    return ActionResult(
        after.case_number,
        after.status.value,
        after.status.label_zh,
        recorded_kinds,
        after.seq,
        after.certificate_number,
    )
