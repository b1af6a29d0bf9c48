"""Random command sequences against the engine: only documented errors, invariants hold.

After every step: the stored projection equals a replay of the history, every history
verifies, no token was completed twice, no clock runs while the case is suspended, none is
paused while nothing holds the clocks (``CaseState.hold``), and a refused command changed
nothing.
"""

from __future__ import annotations

import shutil
import tempfile
from collections import Counter

import pendulum
from _support.engine import ORG, make_engine
from hypothesis import HealthCheck, event, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule

from planning_core import (
    InvalidStateError,
    NotFoundError,
    PermissionDeniedError,
    ValidationError,
)
from planning_core.cases import (
    Accept,
    CaseExtended,
    CaseResumed,
    CaseState,
    CaseStatus,
    CaseSuspended,
    Claim,
    Command,
    Complete,
    DeadlineRevised,
    Decide,
    Deliver,
    Extend,
    IssueCertificate,
    MeetingDecisionRecorded,
    Outcome,
    ReceiveSupplement,
    RecordedEvent,
    RecordMeetingDecision,
    RefuseAcceptance,
    RequestSupplement,
    Resume,
    StepCompleted,
    Submit,
    SupplementReceived,
    SupplementRequested,
    Suspend,
    Withdraw,
    fold,
)
from planning_core.timing import WorkCalendar
from planning_core.workflow import Actor

DOCUMENTED = (InvalidStateError, PermissionDeniedError, ValidationError, NotFoundError)
CASES = ("c1", "c2")
STEPS = ("window", "review", "land", "legal", "meeting", "leader")
ACTIONS = ("FORWARD", "APPROVE", "REJECT", "RETURN")
FULL = (("fits_plan", True), ("conditions", True))

case_ids = st.sampled_from(CASES)
actors = st.sampled_from(ORG.actors)
steps = st.sampled_from(STEPS)


def commands() -> st.SearchStrategy[Command]:
    day = pendulum.Date(2026, 3, 3)
    return st.one_of(
        st.builds(Submit, case_ids, st.just("TEST"), st.just("申请人"), st.just("项目")),
        st.builds(Accept, case_ids),
        st.builds(RequestSupplement, case_ids, st.just(("site_plan",))),
        st.builds(ReceiveSupplement, case_ids, st.just(("site_plan",))),
        st.builds(RefuseAcceptance, case_ids, st.sampled_from(["", "不属于本机关职权"])),
        st.builds(Claim, case_ids, steps),
        st.builds(
            Complete,
            case_ids,
            steps,
            st.sampled_from(ACTIONS),
            st.just(""),
            st.sampled_from([FULL, ()]),
        ),
        st.builds(
            RecordMeetingDecision,
            case_ids,
            steps,
            st.just(day),
            st.sampled_from([("甲", "乙"), ("甲", "乙", "丙")]),
            st.just("同意"),
            st.sampled_from(["APPROVE", "RETURN"]),
        ),
        st.builds(
            Suspend,
            case_ids,
            st.sampled_from(["expert_review", "hearing", "nap"]),
            expected_working_days=st.sampled_from([None, 0, 5, 20]),
        ),
        st.builds(Resume, case_ids),
        st.builds(Extend, case_ids, st.integers(0, 12), st.sampled_from(["", "复杂"])),
        st.builds(Decide, case_ids, st.sampled_from(Outcome), st.sampled_from(["", "理由"])),
        st.builds(IssueCertificate, case_ids),
        st.builds(Deliver, case_ids),
        st.builds(Withdraw, case_ids),
    )


class EngineMachine(RuleBasedStateMachine):
    store_kind = "memory"

    def __init__(self) -> None:
        super().__init__()
        self.tmp = tempfile.mkdtemp()
        url = "memory://" if self.store_kind == "memory" else f"sqlite:///{self.tmp}/m.db"
        self.engine = make_engine(url)
        self.now = pendulum.datetime(2026, 3, 2, 9, tz="Asia/Shanghai")
        self.swept_at: pendulum.DateTime | None = None

    def teardown(self) -> None:
        self.engine.store.close()
        shutil.rmtree(self.tmp, ignore_errors=True)

    @rule(command=commands(), actor=actors, hours=st.integers(0, 30))
    def execute(self, command: Command, actor: Actor, hours: int) -> None:
        self.now = self.now.add(hours=hours)
        before = self.engine.store.get_case(command.case_id)
        events_before = len(self.engine.store.load_events(command.case_id))
        try:
            self.engine.execute(command, actor, self.now)
            event(f"ok: {type(command).__name__}")
        except DOCUMENTED:
            assert self.engine.store.get_case(command.case_id) == before
            assert len(self.engine.store.load_events(command.case_id)) == events_before

    @rule(case_id=case_ids, data=st.data(), hours=st.integers(0, 30))
    def advance(self, case_id: str, data: st.DataObject, hours: int) -> None:
        """A legal next command for the case, by an actor who may give it."""
        self.now = self.now.add(hours=hours)
        state = self.engine.load(case_id)
        if state.seq and not state.status.is_open:
            return
        command, actor = self._next_legal(case_id, data)
        self.engine.execute(command, actor, self.now)
        event(f"advanced: {type(command).__name__}")

    def _next_legal(self, case_id: str, data: st.DataObject) -> tuple[Command, Actor]:
        state = self.engine.load(case_id)
        window, deputy = ORG.actor("zhang.min"), ORG.actor("ma.zhi")
        status = state.status.value if state.seq else "new"
        if status == "new":
            return Submit(case_id, "TEST", "申请人", "项目", ("application",)), window
        if status == "received":
            return Accept(case_id), window
        if status == "awaiting_supplement":
            return ReceiveSupplement(case_id, ("site_plan",)), window
        if state.suspended is not None:
            return Resume(case_id), ORG.actor("li.hua")
        if status == "in_review":
            return self._work(case_id, data)
        if status == "awaiting_decision":
            reasons = data.draw(st.sampled_from([(Outcome.APPROVED, ""), (Outcome.DENIED, "理由")]))
            return Decide(case_id, *reasons), deputy
        if status == "approved":
            return IssueCertificate(case_id), ORG.actor("liu.yang")
        return Deliver(case_id), window  # issued or denied

    def _work(self, case_id: str, data: st.DataObject) -> tuple[Command, Actor]:
        state = self.engine.load(case_id)
        token = data.draw(st.sampled_from([t for t in state.tokens if t.post]))
        step = self.engine.workflow_of(state).step(token.step_id)
        holders = [a for a in ORG.actors if token.post in a.posts]
        actor = next((a for a in holders if a.id == token.claimed_by), holders[0])
        action = data.draw(st.sampled_from(step.actions)).value.upper()
        if step.meeting is not None:
            return RecordMeetingDecision(
                case_id, step.id, self.now.date(), ("甲", "乙", "丙"), "决定", action
            ), actor
        return Complete(case_id, step.id, action, "", FULL), actor

    @rule(hours=st.integers(0, 200))
    def sweep(self, hours: int) -> None:
        self.now = self.now.add(hours=hours)
        self.engine.sweep(self.now)
        assert self.engine.sweep(self.now) == []
        self.swept_at = self.now

    @invariant()
    def the_law_holds(self) -> None:
        """行政许可法 arts. 32, 42, 45, replayed event by event over every history."""
        calendar = self.engine.calendar
        for case_id in CASES:
            history = self.engine.history(case_id) if self.engine.store.get_case(case_id) else []
            state = CaseState(case_id=case_id)
            for n, record in enumerate(history, start=1):
                after = fold(case_id, history[:n])
                _deadline_changes_are_explained(state, after, record, calendar)
                state = after
            if not history:
                continue
            # art. 45: no clock but the acceptance period's runs while something holds them,
            # and the hearing's (art. 47), which times the stop itself
            if state.hold is not None:
                for name, clock in state.clocks.named():
                    assert name in _TIMES_A_STOP or clock.open_pause is not None, name
            # art. 47: the hearing clock runs exactly while a hearing stops the others
            assert (state.clocks.hearing is not None) == (state.suspended == "hearing")
            # art. 32: a swept case is never still waiting past its acceptance period
            notice = state.clocks.notice
            due = None if notice is None else notice.deadline_date(calendar)
            if state.status is CaseStatus.RECEIVED and due is not None and self.swept_at:
                assert calendar.close_of(due) > self.swept_at, "not deemed accepted"

    @invariant()
    def histories_hold(self) -> None:
        for case_id in CASES:
            if self.engine.store.get_case(case_id) is None:
                continue
            assert self.engine.verify_history(case_id).ok
            assert self.engine.check_projection(case_id)
            state = self.engine.load(case_id)
            history = self.engine.history(case_id)
            ended = [
                r.event
                for r in history
                if isinstance(r.event, StepCompleted | MeetingDecisionRecorded)
            ]
            completed = Counter(e.token for e in ended)
            assert all(n == 1 for n in completed.values())
            assert state.completed_steps == tuple(dict.fromkeys(e.step_id for e in ended))
            # a step's or a department's light goes with its clock: the state does not grow
            running = {name for name, _ in state.clocks.named()}
            per_token = [n for n, _ in state.lights if n.startswith(("step:", "consult:"))]
            assert set(per_token) <= running
            if state.suspended is not None:
                for name, clock in state.clocks.named():
                    assert name in _TIMES_A_STOP or clock.open_pause is not None, name
            if state.hold is None:  # nothing holds the clocks: none of them is paused
                assert all(clock.open_pause is None for _, clock in state.clocks.named())


class SQLiteEngineMachine(EngineMachine):
    store_kind = "sqlite"


_settings = settings(
    max_examples=40,
    stateful_step_count=50,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
TestEngineMachineMemory = EngineMachine.TestCase
TestEngineMachineMemory.settings = _settings
TestEngineMachineSQLite = SQLiteEngineMachine.TestCase
TestEngineMachineSQLite.settings = settings(_settings, max_examples=15)


#: The clocks that run while something holds the others: the acceptance period (art. 32)
#: and the time to organise a hearing (art. 47).
_TIMES_A_STOP = ("notice", "hearing")

#: The events that may move a running clock's deadline, and why they may.
_MOVES_DEADLINES = (
    CaseSuspended,  # art. 45: time not counted
    CaseResumed,
    SupplementRequested,  # a supplement asked for in review holds the clocks
    SupplementReceived,
    CaseExtended,  # art. 42
    DeadlineRevised,  # a calendar change, recorded with its cause
)


def _deadline_changes_are_explained(
    before: CaseState, after: CaseState, record: RecordedEvent, calendar: WorkCalendar
) -> None:
    old = {name: clock.deadline_date(calendar) for name, clock in before.clocks.named()}
    for name, clock in after.clocks.named():
        if name not in old or (name == "notice" and isinstance(record.event, SupplementReceived)):
            continue
        if clock.deadline_date(calendar) == old[name]:
            continue
        assert isinstance(record.event, _MOVES_DEADLINES), (name, record.event)
        if isinstance(record.event, CaseExtended) and old[name] is not None:
            # art. 42: an extension never moves a deadline that has already passed
            assert calendar.close_of(old[name]) >= record.at, (name, old[name], record.at)
