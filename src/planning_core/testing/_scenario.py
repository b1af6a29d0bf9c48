"""Scenarios: one case's commands, each with who gives it and when, ready to replay.

The strategy :func:`planning_core.testing.strategies.command_sequences` draws scenarios; a
test replays one on a bureau of its own (memory, SQLite, a backend under test) and checks an
invariant after each command. :func:`next_commands` lists what could be done next to a case,
which is how the strategy finds legal moves: it proposes them to a scratch engine and keeps
what the engine accepts.
"""

from __future__ import annotations

import attrs
import pendulum

from planning_core.cases import (
    Accept,
    CaseState,
    CaseStatus,
    Command,
    Decide,
    Deliver,
    Extend,
    IssueCertificate,
    Outcome,
    ReceiveSupplement,
    RecordedEvent,
    RefuseAcceptance,
    RequestSupplement,
    Resume,
    Submit,
    Suspend,
    Withdraw,
)
from planning_core.permits import PermitType
from planning_core.plugins import Hooks
from planning_core.storage import Store
from planning_core.testing._bureau import Bureau, make_bureau
from planning_core.testing._walk import step_command
from planning_core.workflow import Organisation

__all__ = ["Scenario", "ScriptedCommand", "next_commands"]


@attrs.frozen
class ScriptedCommand:
    """A command, the id of the person who gives it, and the instant."""

    command: Command
    actor_id: str
    at: pendulum.DateTime


@attrs.frozen
class Scenario:
    """One case's life as a script, and what it needs to run: its permit type and an
    organisation whose people hold the posts its workflow names."""

    permit_type: PermitType
    organisation: Organisation
    commands: tuple[ScriptedCommand, ...]

    @property
    def case_id(self) -> str:
        """The case the script is about."""
        return self.commands[0].command.case_id if self.commands else ""

    def bureau(self, store: Store | str = "memory://", *, hooks: Hooks | None = None) -> Bureau:
        """A bureau that can run the scenario: only its permit type, its organisation.

        :param hooks: default: the built-ins only, so installed plugins cannot change it.
        """
        return make_bureau(
            store,
            hooks=hooks,
            organisation=self.organisation,
            permit_types=[self.permit_type],
        )

    def run(self, bureau: Bureau) -> list[RecordedEvent]:
        """Execute every command in order; returns every event recorded."""
        recorded: list[RecordedEvent] = []
        for scripted in self.commands:
            actor = bureau.organisation.actor(scripted.actor_id)
            recorded += bureau.engine.execute(scripted.command, actor, scripted.at)
        return recorded


def next_commands(
    bureau: Bureau, case_id: str, now: pendulum.DateTime, *, permit_type: str
) -> list[Command]:
    """Commands the case's state allows in principle, each once, in a stable order.

    Besides the case's way forward, they include the detours that move its clocks: the
    one-time supplement notice before acceptance or during review, receiving the supplement
    (even while the case is suspended, or after the decision), suspensions and resumptions
    (of the certificate clock too), and the extension.

    Time can still refuse one (a supplement notice after its 5 working days), and so can
    the permit type (no extension allowed); callers try them on the engine.

    :param permit_type: the permit type to submit, when the case does not exist yet.
    """
    state = bureau.engine.load(case_id)
    if state.seq == 0:
        permit = bureau.engine.permit_type(permit_type)
        required = tuple(m.code for m in permit.required_materials)
        return [
            Submit(case_id, permit.code, "申请人", "项目", required),
            Submit(case_id, permit.code, "申请人", "项目", required[:-1]),
        ]
    status = state.status
    if status is CaseStatus.RECEIVED:
        return _received(state)
    if status is CaseStatus.AWAITING_SUPPLEMENT:
        return [ReceiveSupplement(case_id, state.missing or ("site_plan",)), Withdraw(case_id)]
    if status in (CaseStatus.IN_REVIEW, CaseStatus.AWAITING_DECISION):
        return _reviewing(bureau, state, now) + _supplied(state)
    if status is CaseStatus.APPROVED:
        aside: list[Command] = [Resume(case_id)] if state.suspended else [IssueCertificate(case_id)]
        if state.suspended is None:
            aside.append(Suspend(case_id, "expert_review", expected_working_days=10))
        return aside + _supplied(state)
    if status in (CaseStatus.ISSUED, CaseStatus.DENIED):
        return [Deliver(case_id, "申请人"), *_supplied(state)]
    return []


def _supplied(state: CaseState) -> list[Command]:
    """Receiving the supplement, while one asked for after acceptance is outstanding."""
    if not state.missing:
        return []
    return [ReceiveSupplement(state.case_id, state.missing)]


def _received(state: CaseState) -> list[Command]:
    case_id = state.case_id
    options: list[Command] = [Accept(case_id)]
    if not state.supplement_requested:
        options.append(RequestSupplement(case_id, ("site_plan",), "缺总平面图"))
    options += [RefuseAcceptance(case_id, "不属于本机关职权范围"), Withdraw(case_id, "撤回")]
    return options


def _reviewing(bureau: Bureau, state: CaseState, now: pendulum.DateTime) -> list[Command]:
    case_id = state.case_id
    if state.suspended is not None:
        return [Resume(case_id), Withdraw(case_id)]
    options: list[Command] = []
    if state.status is CaseStatus.IN_REVIEW:
        definition = bureau.engine.workflow_of(state)
        for token in state.tokens:
            if token.post is None:
                continue
            step = definition.step(token.step_id)
            options += [step_command(case_id, step, action, now) for action in step.actions]
        if not state.supplement_requested:
            options.append(RequestSupplement(case_id, ("site_plan",), "审查中发现缺总平面图"))
    else:
        options += [
            Decide(case_id, Outcome.APPROVED),
            Decide(case_id, Outcome.DENIED, "不符合规划条件"),
        ]
    options.append(Suspend(case_id, "expert_review", expected_working_days=10))
    if not state.extended:
        options.append(Extend(case_id, 5, "情况复杂，需进一步论证"))
    options.append(Withdraw(case_id, "撤回"))
    return options
