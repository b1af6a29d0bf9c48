"""Run a case along a chosen path of its workflow, one step at a time.

A test about a RETURN, a refusal or a countersign should not spell out every command of the
steps it does not care about. :func:`walk_case` completes whatever step has work waiting,
as the holder of its post would, choosing the action from a *path*: a mapping from step id
to the action (or the actions of successive visits, for a step a RETURN brings the case back
to), or a function that chooses. Steps the path does not mention take the default action:
APPROVE where allowed, else FORWARD, else the step's first action.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import TypeAlias

import attrs
import pendulum

from planning_core.cases import (
    CaseState,
    CaseStatus,
    Command,
    Complete,
    RecordMeetingDecision,
    RecordOpinion,
)
from planning_core.errors import ValidationError
from planning_core.testing._bureau import Bureau
from planning_core.testing._clock import ManualClock
from planning_core.workflow import Action, Actor, Step, StepKind

__all__ = ["Chooser", "Path", "Visit", "Walk", "default_action", "step_command", "walk_case"]

#: A function choosing the action at a step: ``(state, step) -> action``.
Chooser: TypeAlias = Callable[[CaseState, Step], Action | str]
#: Step id → action, or the actions of successive visits; or a :data:`Chooser`.
Path: TypeAlias = Mapping[str, Action | str | Sequence[Action | str]] | Chooser

_PREFERRED = (Action.APPROVE, Action.FORWARD)


@attrs.frozen
class Visit:
    """One step done on the walk: which, with what action, by whom, when."""

    step_id: str
    action: Action
    actor_id: str
    at: pendulum.DateTime


@attrs.frozen
class Walk:
    """Where a walk went and where it stopped.

    :param visits: the steps done, in order.
    :param state: the case after the last visit.
    """

    case_id: str
    visits: tuple[Visit, ...]
    state: CaseState

    @property
    def steps(self) -> tuple[str, ...]:
        """The ids of the steps done, in order."""
        return tuple(v.step_id for v in self.visits)


def default_action(step: Step) -> Action:
    """APPROVE where the step allows it, else FORWARD, else its first action."""
    return next((a for a in _PREFERRED if step.allows(a)), step.actions[0])


def walk_case(
    bureau: Bureau,
    clock: ManualClock,
    case_id: str,
    path: Path | None = None,
    *,
    until: str | None = None,
    working_days_per_step: int = 0,
    minutes_per_step: int = 10,
    max_visits: int = 200,
) -> Walk:
    """Do the case's waiting steps one by one until the review is over.

    Each step is done at ``clock.now`` by the first holder of its post (or its claimant),
    with every business standard confirmed; a meeting step records a decision with a
    quorum of attendees. After each step the clock moves ``working_days_per_step`` working
    days (keeping the time of day) or else ``minutes_per_step`` minutes.

    :param path: the actions to choose (see the module docstring); default: approve.
    :param until: stop, without doing it, when this step has work waiting.
    :param max_visits: a guard against a path that returns forever.
    :raises ValidationError: when the path names an action the step does not allow, or the
        walk does not finish within ``max_visits`` visits.
    """
    choose = _chooser(path)
    visits: list[Visit] = []
    state = bureau.engine.load(case_id)
    while state.status is CaseStatus.IN_REVIEW and state.suspended is None:
        token = next((t for t in state.tokens if t.post), None)
        if token is None or token.step_id == until:
            break
        if len(visits) >= max_visits:
            raise ValidationError(
                f"case {case_id!r} still in review after {max_visits} steps "
                f"({' → '.join(v.step_id for v in visits[-6:])} …); does the path loop?"
            )
        step = bureau.engine.workflow_of(state).step(token.step_id)
        action = _action(choose(state, step), step)
        if step.kind is StepKind.CONSULT:
            actor = _answer_consultation(bureau, clock, state, step, action)
        else:
            command = step_command(case_id, step, action, clock.now)
            actor = bureau.actor_for(command)
            bureau.engine.execute(command, actor, clock.now)
        visits.append(Visit(step.id, action, actor.id, clock.now))
        if working_days_per_step:
            clock.advance(working_days=working_days_per_step)
        else:
            clock.advance(minutes=minutes_per_step)
        state = bureau.engine.load(case_id)
    return Walk(case_id, tuple(visits), state)


def _chooser(path: Path | None) -> Chooser:
    if path is None:
        return lambda state, step: default_action(step)
    if callable(path):
        return path
    plan = dict(path)
    seen: dict[str, int] = {}

    def choose(state: CaseState, step: Step) -> Action | str:
        wanted = plan.get(step.id)
        visit = seen.get(step.id, 0)
        seen[step.id] = visit + 1
        if wanted is None:
            return default_action(step)
        if isinstance(wanted, Action | str):
            return wanted
        return wanted[visit] if visit < len(wanted) else default_action(step)

    return choose


def _action(choice: Action | str, step: Step) -> Action:
    try:
        action = choice if isinstance(choice, Action) else Action(choice.lower())
    except ValueError:
        action = None
    if action is None or not step.allows(action):
        allowed = ", ".join(a.value.upper() for a in step.actions)
        raise ValidationError(
            f"the path chose {choice!r} at step {step.id!r}, which allows only {allowed}"
        )
    return action


def _answer_consultation(
    bureau: Bureau, clock: ManualClock, state: CaseState, step: Step, action: Action
) -> Actor:
    """Every department still asked at a CONSULT step answers, on paper through the step's
    post: all agree for APPROVE; for any other action the first objects and the rest agree
    (an objection is what returns or refuses the case)."""
    actor = bureau.actor(step.post) if step.post else bureau.actor("WINDOW_CLERK")
    waiting = [c for c in state.open_consultations if c.step_id == step.id]
    for index, consulted in enumerate(waiting):
        objects = action is not Action.APPROVE and index == 0
        command = RecordOpinion(
            state.case_id,
            step.id,
            consulted.department,
            "object" if objects else "agree",
            "不同意（测试路径）" if objects else "",
        )
        bureau.engine.execute(command, actor, clock.now)
    return actor


def step_command(case_id: str, step: Step, action: Action, now: pendulum.DateTime) -> Command:
    """The command that does ``step`` with ``action``: a meeting's decision with a quorum
    of attendees, or a completion with every business standard confirmed."""
    if step.kind is StepKind.MEETING and step.meeting is not None:
        attendees = tuple(f"与会人员{i + 1}" for i in range(step.meeting.quorum))
        return RecordMeetingDecision(
            case_id, step.id, now.date(), attendees, "经集体研究决定", action.value.upper()
        )
    checklist = tuple((point.code, True) for point in step.standards)
    return Complete(case_id, step.id, action.value.upper(), "同意", checklist)
