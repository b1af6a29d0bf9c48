"""The reports' timeline of a case is the engine's fold, event by event.

The timeline comes from :func:`planning_core.cases.chronicle`, which replays a history with
the fold; these tests read the same history with the fold alone and check that every figure
a report shows (clocks, working days used, lateness, deadlines, worst lights, steps, pauses,
extensions, milestones) is what the engine's state said at each event.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from decimal import Decimal

import attrs
import pendulum
from _support.engine import (
    CHECKLIST,
    DIVISION_HEAD,
    REVIEWER,
    WINDOW,
    at,
    make_engine,
    sample_workflow,
    submit,
)
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from reports._year import generate_year

from planning_core.cases import (
    Accept,
    AcceptanceRefused,
    CaseAccepted,
    CaseDelivered,
    CaseExtended,
    CaseState,
    CaseSubmitted,
    CaseTimeline,
    CaseWithdrawn,
    CertificateIssued,
    Complete,
    Engine,
    MeetingDecisionRecorded,
    ReceiveSupplement,
    RecordedEvent,
    RequestSupplement,
    Resume,
    StepActivated,
    StepCompleted,
    SupplementReceived,
    SupplementRequested,
    Suspend,
    TokenCancelled,
    fold,
)
from planning_core.reports import Counts, OnTime, Period, Spread, percent
from planning_core.reports._timeline import walk, worse
from planning_core.testing import Scenario
from planning_core.testing.strategies import command_sequences
from planning_core.timing import Clock, Light, LightPolicy
from planning_core.workflow import Authority, WorkflowDefinition


@settings(max_examples=15, deadline=None)
@given(seed=st.integers(min_value=0, max_value=2**32 - 1))
def test_the_walk_keeps_the_same_clocks_as_the_fold_at_every_event(seed: int) -> None:
    engine = make_engine()
    generate_year(engine, 4, seed=seed)
    for row in engine.store.cases():
        events = engine.history(row.case_id)
        for k in range(1, len(events) + 1):
            state = fold(row.case_id, events[:k])
            expected = {name: c for name, c in state.clocks.named() if name != "notice"}
            timeline = walk(row.case_id, events[:k])
            running = {name: run.clock for name, run, _ in timeline.clocks() if run.ended is None}
            assert running == expected, (row.case_id, k, type(events[k - 1].event).__name__)


@given(st.lists(st.integers(min_value=0, max_value=60), min_size=1, max_size=200))
def test_a_spread_is_made_of_values_that_occurred(values: list[int]) -> None:
    spread = Spread.of(values)
    assert spread.count == len(values)
    assert spread.p90 in values and spread.longest == max(values)
    assert min(values) <= spread.mean <= max(values)  # type: ignore[operator]
    # the nearest rank: at least 90% of the values are at most p90, and fewer are below it
    at_most = sum(1 for v in values if v <= spread.p90)  # type: ignore[operator]
    below = sum(1 for v in values if v < spread.p90)  # type: ignore[operator]
    assert at_most * 10 >= 9 * len(values) > below * 10


def test_an_empty_spread_and_rate_say_nothing() -> None:
    assert Spread.of([]) == Spread(0, None, None, None)
    assert percent(0, 0) is None
    assert OnTime().committed_rate is None
    assert percent(2, 3) == Decimal("66.7") and percent(1, 8) == Decimal("12.5")


@given(
    st.lists(st.integers(min_value=0, max_value=9), min_size=9, max_size=9),
    st.lists(st.integers(min_value=0, max_value=9), min_size=9, max_size=9),
)
def test_counts_add_field_by_field(a: list[int], b: list[int]) -> None:
    assert Counts(*a) + Counts(*b) == Counts(*(x + y for x, y in zip(a, b, strict=True)))


@given(st.dates(dt.date(2024, 1, 1), dt.date(2027, 12, 31)), st.integers(0, 400))
def test_a_period_holds_its_days_and_no_other(start: dt.date, length: int) -> None:
    end = start + dt.timedelta(days=length)
    period = Period(start, end)
    first = pendulum.datetime(start.year, start.month, start.day, tz="Asia/Shanghai")
    assert period.contains(first) and not period.contains(first.subtract(microseconds=1))
    assert period.contains(period.closes.subtract(microseconds=1))
    assert not period.contains(period.closes)
    assert period.months[0] == f"{start:%Y-%m}" and period.months[-1] == f"{end:%Y-%m}"
    assert len(set(period.months)) == len(period.months)


def test_a_migrated_case_is_walked_on_its_new_version() -> None:
    engine = make_engine()
    engine.add_workflow(sample_workflow(version=2))
    submit(engine, "c1", "2026-03-02 09:00")
    engine.execute(Accept("c1"), WINDOW, at("2026-03-02 10:00"))
    engine.migrate("c1", 2, DIVISION_HEAD, at("2026-03-03 10:00"))
    engine.execute(Complete("c1", "window", "FORWARD"), WINDOW, at("2026-03-03 11:00"))
    events = engine.history("c1")
    timeline = walk("c1", events)
    assert timeline.workflow_version == 2
    running = {name: run.clock for name, run, _ in timeline.clocks() if run.ended is None}
    state = fold("c1", events)
    assert running == {name: c for name, c in state.clocks.named() if name != "notice"}
    assert [s.step_id for s in timeline.steps if s.ended_at is None] == ["review"]


def _renamed(
    definition: WorkflowDefinition, old: str, new: str, version: int
) -> WorkflowDefinition:
    """``definition`` at ``version`` with step ``old`` called ``new``."""

    def name(step_id: str) -> str:
        return new if step_id == old else step_id

    return WorkflowDefinition(
        definition.permit_type,
        version,
        [attrs.evolve(s, id=name(s.id)) for s in definition.steps],
        [attrs.evolve(e, source=name(e.source), target=name(e.target)) for e in definition.edges],
        definition.name,
    )


def test_a_step_renamed_by_a_migration_keeps_its_stay_under_the_new_name() -> None:
    engine = make_engine()
    engine.add_workflow(_renamed(sample_workflow(), "review", "technical_review", 2))
    submit(engine, "c1", "2026-03-02 09:00")
    engine.execute(Accept("c1"), WINDOW, at("2026-03-02 10:00"))
    engine.execute(Complete("c1", "window", "FORWARD"), WINDOW, at("2026-03-02 11:00"))
    engine.migrate("c1", 2, DIVISION_HEAD, at("2026-03-03 10:00"), {"review": "technical_review"})
    engine.execute(
        Complete("c1", "technical_review", "APPROVE", "", CHECKLIST),
        REVIEWER,
        at("2026-03-04 10:00"),
    )
    timeline = walk("c1", engine.history("c1"))
    assert timeline.workflow_version == 2
    assert [(s.step_id, s.how) for s in timeline.steps[:2]] == [
        ("window", "completed"),
        ("technical_review", "completed"),
    ]
    assert _running(timeline) == _engine_clocks(engine.load("c1"))


# -- the two ways the reports' own walk once drifted from the engine ---------------------------


def _in_review_with_a_supplement_outstanding(engine: Engine) -> None:
    """Accepted Monday 10:00; the window clerk, whose step is open, asks for a supplement."""
    submit(engine, "c1", "2026-03-02 09:00")
    engine.execute(Accept("c1"), WINDOW, at("2026-03-02 10:00"))
    engine.execute(
        RequestSupplement("c1", ("site_plan",), "缺总平面图"), WINDOW, at("2026-03-02 11:00")
    )


def _running(timeline: CaseTimeline) -> dict[str, Clock]:
    return {name: run.clock for name, run, _ in timeline.clocks() if run.ended is None}


def _engine_clocks(state: CaseState) -> dict[str, Clock]:
    return {name: clock for name, clock in state.clocks.named() if name != "notice"}


def test_step_activated_during_supplement_is_paused_like_the_engine() -> None:
    engine = make_engine()
    _in_review_with_a_supplement_outstanding(engine)
    # Monday 12:00 the review step starts while the supplement is still outstanding
    engine.execute(Complete("c1", "window", "FORWARD"), WINDOW, at("2026-03-02 12:00"))
    review = engine.load("c1").token_at("review")
    assert review is not None
    assert engine.load("c1").clocks.step(review.token).open_pause is not None  # type: ignore[union-attr]
    # the supplement arrives Tuesday 10:00; the review is done Friday 16:00
    engine.execute(ReceiveSupplement("c1", ("site_plan",)), WINDOW, at("2026-03-03 10:00"))
    before_done = engine.load("c1")
    engine.execute(
        Complete("c1", "review", "APPROVE", "", CHECKLIST), REVIEWER, at("2026-03-06 16:00")
    )

    timeline = walk("c1", engine.history("c1"))
    [step] = [s for s in timeline.steps if s.step_id == "review"]
    assert step.how == "completed" and step.clock is not None
    assert step.clock.clock == before_done.clocks.step(review.token)
    # the days after the supplement arrived: Wednesday and Thursday (not Monday, Tuesday)
    assert step.clock.used(engine.calendar, at("2026-03-06 16:00")) == 2


def test_supplement_received_while_suspended_keeps_clocks_paused() -> None:
    engine = make_engine()
    _in_review_with_a_supplement_outstanding(engine)
    engine.execute(
        Suspend("c1", "expert_review", expected_working_days=10),
        DIVISION_HEAD,
        at("2026-03-03 10:00"),
    )
    engine.execute(ReceiveSupplement("c1", ("site_plan",)), WINDOW, at("2026-03-04 10:00"))
    received = walk("c1", engine.history("c1"))
    assert _running(received) == _engine_clocks(engine.load("c1"))
    assert all(clock.open_pause is not None for clock in _running(received).values())

    engine.execute(Resume("c1"), DIVISION_HEAD, at("2026-03-10 10:00"))
    resumed = walk("c1", engine.history("c1"))
    assert _running(resumed) == _engine_clocks(engine.load("c1"))
    assert resumed.committed is not None
    # nothing counted from the supplement notice (Monday 11:00) to the resumption (the next
    # Tuesday 10:00): by Thursday morning only Wednesday 11 March is used
    assert resumed.committed.used(engine.calendar, at("2026-03-12 09:00")) == 1
    assert [(p.reason, p.started, p.resumed) for p in resumed.pauses] == [
        ("supplement", at("2026-03-02 11:00"), at("2026-03-04 10:00")),
        ("expert_review", at("2026-03-03 10:00"), at("2026-03-10 10:00")),
    ]


# -- every figure, at every event, on random lives of random workflows -------------------------


def _migrated_copies(definition: WorkflowDefinition, count: int) -> list[WorkflowDefinition]:
    """The next ``count`` versions of ``definition``, step for step the same."""
    return [
        WorkflowDefinition(
            definition.permit_type,
            definition.version + n,
            definition.steps,
            definition.edges,
            definition.name,
        )
        for n in range(1, count + 1)
    ]


def _live(scenario: Scenario, migrate_before: set[int]) -> tuple[Engine, list[RecordedEvent]]:
    """Run the scenario, moving the case to its workflow's next version before the commands
    numbered in ``migrate_before`` (the versions are copies, so every command stays legal)."""
    bureau = scenario.bureau()
    engine = bureau.engine
    for definition in _migrated_copies(scenario.permit_type.workflow, len(migrate_before)):
        engine.add_workflow(definition)
    head = bureau.actor_with(Authority.DIVISION_HEAD)
    for number, scripted in enumerate(scenario.commands):
        state = engine.load(scenario.case_id)
        if number in migrate_before and state.seq and state.status.is_open:
            engine.migrate(scenario.case_id, state.workflow_version + 1, head, scripted.at)
        engine.execute(scripted.command, bureau.organisation.actor(scripted.actor_id), scripted.at)
    events = engine.history(scenario.case_id)
    bureau.close()
    return engine, events


class _Engine:
    """What the engine's states said, event by event, read with the fold alone."""

    def __init__(self, engine: Engine, case_id: str) -> None:
        self.calendar = engine.calendar
        self.policy: LightPolicy | None = None
        self.policy_of = engine.policy
        self.state = CaseState(case_id)
        self.worst: dict[str, Light] = {}  # the worst light each clock showed before an event
        self.ended: dict[str, tuple[Clock, pendulum.DateTime]] = {}
        self.pauses: Counter[str] = Counter()  # how often each reason began to hold the clocks
        self.milestones: dict[type, pendulum.DateTime] = {}

    def after(self, events: list[RecordedEvent]) -> None:
        recorded = events[-1]
        before, self.state = self.state, fold(self.state.case_id, events)
        if self.policy is None:
            self.policy = self.policy_of(self.state.permit_type)
        now = _engine_clocks(self.state)
        for name, clock in _engine_clocks(before).items():
            light = clock.light(recorded.at, self.calendar, self.policy)
            self.worst[name] = worse(self.worst.get(name, Light.GREEN), light)
            if name not in now:
                self.ended[name] = (clock, recorded.at)
        self.pauses.update(Counter(self.state.holds) - Counter(before.holds))
        self.milestones.setdefault(type(recorded.event), recorded.at)


def _figures_agree(timeline: CaseTimeline, seen: _Engine, events: list[RecordedEvent]) -> None:
    state, calendar, policy = seen.state, seen.calendar, seen.policy
    assert policy is not None
    horizon = events[-1].at
    runs = {name: run for name, run, _ in timeline.clocks()}
    now = _engine_clocks(state)
    assert set(runs) == set(now) | set(seen.ended)
    for name, run in runs.items():
        clock, end = (now[name], horizon) if name in now else seen.ended[name]
        assert run.ended == (None if name in now else end), name
        assert run.clock == clock, name
        assert run.clock.deadline(calendar) == clock.deadline(calendar), name
        assert run.used(calendar, horizon) == clock.used(end, calendar), name
        assert run.overdue(calendar, horizon) == clock.is_overdue(end, calendar), name
        shown = seen.worst.get(name, Light.GREEN)
        if name in now:
            shown = worse(shown, clock.light(horizon, calendar, policy))
        assert run.light(calendar, policy, horizon) is shown, name

    # steps: every token in the order activated; open ones as the state has them
    activated = [e.event.token for e in events if isinstance(e.event, StepActivated)]
    assert [s.token for s in timeline.steps] == activated
    open_tokens = {t.token: t for t in state.tokens}
    cancelled = {e.event.token for e in events if isinstance(e.event, TokenCancelled)}
    completed = {
        e.event.token
        for e in events
        if isinstance(e.event, StepCompleted | MeetingDecisionRecorded)
    }
    assert set(state.completed_steps) == {s.step_id for s in timeline.steps if s.token in completed}
    for step in timeline.steps:
        token = open_tokens.get(step.token)
        if token is not None:
            assert (step.step_id, step.post, step.how, step.ended_at) == (
                token.step_id,
                token.post,
                "",
                None,
            )
            assert step.activated_at == token.activated_at
        else:
            assert step.ended_at is not None
            if step.token in completed:
                assert step.how == "completed"
            else:
                assert step.how == ("cancelled" if step.token in cancelled else "closed")

    # pauses: what holds the clocks now, and each time a reason began to hold them
    open_spans = sorted(p.reason for p in timeline.pauses if p.resumed is None)
    assert open_spans == sorted(state.holds)
    assert Counter(p.reason for p in timeline.pauses) == seen.pauses
    if state.hold is None:
        assert not any(clock.open_pause for clock in now.values())
    if state.suspended is not None:
        assert all(clock.open_pause for clock in now.values())

    # milestones, extensions, the case itself
    when = seen.milestones.get
    assert (timeline.received_at, timeline.accepted_at) == (when(CaseSubmitted), when(CaseAccepted))
    assert (timeline.decided_at, timeline.outcome) == (state.decided_at, state.outcome)
    assert timeline.refused_at == when(AcceptanceRefused)
    assert (timeline.issued_at, timeline.delivered_at) == (
        when(CertificateIssued),
        when(CaseDelivered),
    )
    assert timeline.withdrawn_at == when(CaseWithdrawn)
    granted = [(r.at, r.event) for r in events if isinstance(r.event, CaseExtended)]
    assert [(x.at, x.days, x.reason) for x in timeline.extensions] == [
        (at_, e.working_days, e.reason) for at_, e in granted
    ]
    assert (timeline.workflow_version, timeline.permit_type, timeline.case_number) == (
        state.workflow_version,
        state.permit_type,
        state.case_number,
    )
    assert timeline.running == bool(now)


def _what_happened(events: list[RecordedEvent]) -> list[str]:
    """The detours a history took, for ``--hypothesis-show-statistics``."""
    found = []
    for k, recorded in enumerate(events):
        before = fold(recorded.case_id, events[:k])
        e = recorded.event
        if isinstance(e, StepActivated) and before.hold == "supplement":
            found.append("a step activated during a supplement in review")
        if isinstance(e, SupplementRequested) and before.accepted_at is not None:
            found.append("a supplement requested during review")
        if isinstance(e, SupplementReceived) and before.suspended is not None:
            found.append("a supplement received while suspended")
        if isinstance(e, StepCompleted) and e.action == "return":
            found.append("a RETURN")
        found.append(type(e).__name__)
    return sorted(set(found))


@settings(
    max_examples=200,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(
    scenario=command_sequences(min_commands=4, max_commands=40),
    migrate_before=st.sets(st.integers(1, 15), max_size=2),
)
def test_every_figure_of_a_timeline_is_the_engines_at_every_event(
    scenario: Scenario, migrate_before: set[int]
) -> None:
    engine, events = _live(scenario, migrate_before)
    for label in _what_happened(events):
        event(label)
    seen = _Engine(engine, scenario.case_id)
    for k in range(1, len(events) + 1):
        seen.after(events[:k])
        _figures_agree(walk(scenario.case_id, events[:k]), seen, events[:k])
