"""The statutory clocks, each test named after the article it enforces (行政许可法).

Cases start on Monday 2026-03-02 09:00 (``pc_start``), on the national calendar: the five
working days of the acceptance period (art. 32) are 3–9 March, and the period ends at the
close of Monday 9 March.
"""

from __future__ import annotations

from collections.abc import Callable

import pendulum
import pytest

from planning_core.cases import (
    Accept,
    AcceptanceRefused,
    CaseAccepted,
    CaseStatus,
    CaseSuspended,
    Claim,
    DeadlineRevised,
    Extend,
    ReceiveSupplement,
    RefuseAcceptance,
    RequestSupplement,
    Suspend,
)
from planning_core.errors import InvalidStateError, ValidationError
from planning_core.testing import Bureau, CaseFactory, ManualClock
from planning_core.timing import calendar_for

CLOSE_OF_THE_FIFTH_DAY = pendulum.datetime(2026, 3, 10, 0, 0, tz="Asia/Shanghai")


# -- art. 32: acceptance within 5 working days, or deemed -------------------------------------


def test_art32_an_application_left_alone_is_deemed_accepted_when_the_five_days_pass(
    pc_bureau: Bureau, pc_cases: CaseFactory, pc_clock: ManualClock
) -> None:
    case = pc_cases.submit("TEST")
    pc_clock.advance(working_days=4)  # Friday 6 March: still within the period
    pc_bureau.engine.sweep(pc_clock.now)
    assert pc_bureau.engine.load(case).status is CaseStatus.RECEIVED
    pc_clock.advance(working_days=3)  # Wednesday 11 March
    pc_bureau.engine.sweep(pc_clock.now)
    state = pc_bureau.engine.load(case)
    assert state.status is CaseStatus.IN_REVIEW and state.deemed_accepted
    accepted = [r for r in pc_bureau.engine.history(case) if isinstance(r.event, CaseAccepted)]
    assert len(accepted) == 1
    (record,) = accepted
    assert record.actor is None  # nobody accepted it: the law did
    assert record.at == CLOSE_OF_THE_FIFTH_DAY  # recorded when the period ran out
    assert record.event.clock_start == pc_bureau.engine.load(case).received_at
    assert state.tokens, "the workflow started"


def test_art32_the_sweep_records_deemed_acceptance_once(
    pc_bureau: Bureau, pc_cases: CaseFactory, pc_clock: ManualClock
) -> None:
    case = pc_cases.submit("TEST")
    pc_clock.advance(working_days=6)
    pc_bureau.engine.sweep(pc_clock.now)
    pc_bureau.engine.sweep(pc_clock.now.add(minutes=1))
    accepted = [r for r in pc_bureau.engine.history(case) if isinstance(r.event, CaseAccepted)]
    assert len(accepted) == 1


def test_art32_the_case_row_wakes_the_sweep_when_the_period_ends(
    pc_bureau: Bureau, pc_cases: CaseFactory
) -> None:
    case = pc_cases.submit("TEST")
    row = pc_bureau.store.get_case(case)
    assert row is not None and row.wake_ts is not None
    assert row.wake_ts <= int(CLOSE_OF_THE_FIFTH_DAY.timestamp())


def test_art32_no_refusal_of_acceptance_after_the_period(
    pc_bureau: Bureau, pc_cases: CaseFactory, pc_clock: ManualClock
) -> None:
    late = pc_cases.submit("TEST")
    in_time = pc_cases.submit("TEST")
    pc_clock.advance(working_days=4)
    pc_cases.execute(RefuseAcceptance(in_time, "不属于本机关职权范围"))
    assert pc_bureau.engine.load(in_time).status is CaseStatus.REFUSED
    pc_clock.advance(working_days=21)
    with pytest.raises(InvalidStateError, match=r"art\. 32"):
        pc_cases.execute(RefuseAcceptance(late, "不属于本机关职权范围"))
    refused = [r for r in pc_bureau.engine.history(late) if isinstance(r.event, AcceptanceRefused)]
    assert refused == []


def test_art32_the_acceptance_period_runs_again_from_the_supplement(
    pc_bureau: Bureau, pc_cases: CaseFactory, pc_clock: ManualClock
) -> None:
    case = pc_cases.submit("TEST", missing=("site_plan",))
    pc_cases.execute(RequestSupplement(case, ("site_plan",)))
    assert pc_bureau.engine.load(case).clocks.notice is None  # the notice was given
    pc_clock.advance(working_days=10)
    brought = pc_clock.now
    pc_cases.execute(ReceiveSupplement(case, ("site_plan",)))
    notice = pc_bureau.engine.load(case).clocks.notice
    assert notice is not None and notice.started == brought
    pc_clock.advance(working_days=6)
    pc_bureau.engine.sweep(pc_clock.now)
    state = pc_bureau.engine.load(case)
    assert state.deemed_accepted and state.accepted_at == brought


def test_art32_an_acceptance_in_time_is_not_deemed(
    pc_bureau: Bureau, pc_cases: CaseFactory, pc_clock: ManualClock
) -> None:
    case = pc_cases.submit("TEST")
    pc_clock.advance(working_days=5, at=pendulum.time(17))
    pc_cases.execute(Accept(case))
    state = pc_bureau.engine.load(case)
    assert not state.deemed_accepted and state.accepted_at == pc_clock.now


# -- art. 45 read with art. 32: supplements only through the one-time notice ----------------------


def test_art45_a_supplement_cannot_be_asked_for_by_suspending_the_case(
    pc_bureau: Bureau, pc_cases: CaseFactory, pc_clock: ManualClock
) -> None:
    case = pc_cases.accepted("TEST")
    pc_clock.advance(working_days=2)
    before = pc_bureau.engine.load(case).seq
    with pytest.raises(InvalidStateError, match="一次告知"):
        pc_cases.execute(Suspend(case, "supplement"))
    assert pc_bureau.engine.load(case).seq == before


# -- art. 42: an extension within the period, never after it ---------------------------------------


def test_art42_an_extension_after_the_deadline_is_refused_and_red_stays_red(
    pc_bureau: Bureau, pc_cases: CaseFactory, pc_clock: ManualClock
) -> None:
    case = pc_cases.accepted("TEST")
    pc_clock.advance(working_days=25)
    pc_bureau.engine.sweep(pc_clock.now)
    assert pc_bureau.store.get_case(case).light == "red"  # type: ignore[union-attr]
    with pytest.raises(InvalidStateError, match=r"art\. 42"):
        pc_cases.execute(Extend(case, 10, "需专家论证"))
    assert not pc_bureau.engine.load(case).extended
    assert pc_bureau.store.get_case(case).light == "red"  # type: ignore[union-attr]


def test_art42_an_extension_within_the_period_moves_both_decision_deadlines(
    pc_bureau: Bureau, pc_cases: CaseFactory, pc_clock: ManualClock
) -> None:
    case = pc_cases.accepted("TEST")
    before = pc_bureau.engine.load(case).clocks
    pc_clock.advance(working_days=5)
    pc_cases.execute(Extend(case, 10, "需专家论证"))
    after = pc_bureau.engine.load(case).clocks
    calendar = pc_bureau.calendar
    for name in ("committed", "statutory"):
        old, new = getattr(before, name), getattr(after, name)
        assert new.deadline_date(calendar) == calendar.add_working_days(
            old.deadline_date(calendar), 10
        )


# -- the supervision record: a late step reds the case file; revised deadlines say why ------------


def test_supervision_a_late_step_puts_a_red_light_on_the_case_file(
    pc_bureau: Bureau, pc_cases: CaseFactory, pc_clock: ManualClock
) -> None:
    """The seed's rule (案卷有红灯): the case's own clocks are on time, one step is late."""
    case = pc_cases.accepted("TEST")
    state = pc_bureau.engine.load(case)
    (token,) = state.tokens
    step_clock = state.clocks.step(token.token)
    assert step_clock is not None
    late = pc_bureau.calendar.add_working_days(step_clock.deadline_date(pc_bureau.calendar), 1)
    pc_clock.set(pendulum.datetime(late.year, late.month, late.day, 12, tz="Asia/Shanghai"))
    warnings = pc_bureau.engine.sweep(pc_clock.now)
    row = pc_bureau.store.get_case(case)
    assert row is not None and row.light == "red"
    lights = dict(pc_bureau.engine.load(case).lights)
    assert lights[f"step:{token.token}"] == "red" and lights.get("committed", "green") != "red"
    assert case in {r.case_id for r in pc_bureau.engine.overdue(pc_clock.now)}
    (step_warning,) = [w for w in warnings if w.clock == f"step:{token.token}"]
    holders = tuple(a.name for a in pc_bureau.organisation.holders(token.post or ""))
    assert step_warning.post == token.post and step_warning.people == holders


def test_supervision_the_warning_names_who_claimed_the_step(
    pc_bureau: Bureau, pc_cases: CaseFactory, pc_clock: ManualClock
) -> None:
    case = pc_cases.accepted("TEST")
    (token,) = pc_bureau.engine.load(case).tokens
    pc_cases.execute(Claim(case, token.step_id))
    claimant = pc_bureau.engine.load(case).tokens[0].claimed_by
    assert claimant is not None
    pc_clock.advance(working_days=30)
    warnings = pc_bureau.engine.sweep(pc_clock.now)
    (step_warning,) = [w for w in warnings if w.clock == f"step:{token.token}"]
    assert step_warning.people == (pc_bureau.organisation.actor(claimant).name,)


def test_a_calendar_change_records_its_cause_and_rule(
    pc_bureau: Bureau, pc_cases: CaseFactory, pc_clock: ManualClock
) -> None:
    case = pc_cases.accepted("TEST")
    closed = pc_clock.today.add(days=1)
    city = calendar_for("CN", closures={closed: "市政府统一停止办公"})
    assert pc_bureau.engine.revise_deadlines(pc_clock.now, calendar=city) == 1
    revised = [
        r.event for r in pc_bureau.engine.history(case) if isinstance(r.event, DeadlineRevised)
    ]
    assert revised and {e.cause for e in revised} == {"calendar"}
    assert all(e.old is not None and e.new is not None and e.new > e.old for e in revised)
    assert all(e.basis and e.calendar == city.name for e in revised)


def test_an_engine_on_another_calendar_records_the_revision_instead_of_redating_silently(
    pc_make_bureau: Callable[..., Bureau], pc_clock: ManualClock
) -> None:
    first = pc_make_bureau("memory")
    case = CaseFactory(first, pc_clock).accepted("TEST")
    stored = first.store.get_case(case)
    assert stored is not None
    closed = pc_clock.today.add(days=1)
    city = calendar_for("CN", closures={closed: "市政府统一停止办公"})
    second = pc_make_bureau(first.store, calendar=city)
    (token,) = second.engine.load(case).tokens
    pc_clock.advance(minutes=5)
    CaseFactory(second, pc_clock).execute(Claim(case, token.step_id))
    revised = [r for r in second.engine.history(case) if isinstance(r.event, DeadlineRevised)]
    assert revised, "the changed deadlines were recorded"
    assert {r.event.cause for r in revised} == {"another_calendar"}
    assert all(r.actor is None for r in revised)
    row = second.store.get_case(case)
    assert row is not None
    for record in revised:
        event = record.event
        assert stored.data["deadlines"][event.clock] == int(event.old.timestamp())
        assert row.data["deadlines"][event.clock] == int(event.new.timestamp())


# -- art. 45: time not counted ---------------------------------------------------------------------


def test_art45_a_review_ordered_on_the_last_day_stops_the_clock_before_it_runs_out(
    pc_bureau: Bureau, pc_cases: CaseFactory, pc_clock: ManualClock
) -> None:
    case = pc_cases.accepted("TEST")
    committed = pc_bureau.engine.load(case).clocks.committed
    assert committed is not None
    last_day = committed.deadline_date(pc_bureau.calendar)
    assert last_day is not None
    pc_clock.set(
        pendulum.datetime(last_day.year, last_day.month, last_day.day, 9, tz="Asia/Shanghai")
    )
    pc_cases.execute(Suspend(case, "expert_review", expected_working_days=10), "CONSTRUCTION_HEAD")
    pc_clock.advance(hours=14)  # 23:00 on the last day
    pc_bureau.engine.sweep(pc_clock.now)
    pc_clock.advance(working_days=3)
    pc_bureau.engine.sweep(pc_clock.now)
    state = pc_bureau.engine.load(case)
    assert state.recorded_light("committed") != "red"
    assert state.recorded_light("statutory") != "red"
    row = pc_bureau.store.get_case(case)
    assert row is not None and row.light != "red"


def test_art45_a_stop_tells_the_applicant_the_time_it_needs_in_writing(
    pc_bureau: Bureau, pc_cases: CaseFactory, pc_clock: ManualClock
) -> None:
    case = pc_cases.accepted("TEST")
    pc_clock.advance(working_days=1)
    before = pc_bureau.engine.load(case).seq
    with pytest.raises(ValidationError, match="expected_working_days"):
        pc_cases.execute(Suspend(case, "expert_review"), "CONSTRUCTION_HEAD")
    assert pc_bureau.engine.load(case).seq == before
    head = pc_bureau.actor("CONSTRUCTION_HEAD")
    pc_cases.execute(Suspend(case, "expert_review", expected_working_days=15), head)
    (record,) = [r for r in pc_bureau.engine.history(case) if isinstance(r.event, CaseSuspended)]
    assert record.actor == head.id  # who ordered it
    assert record.event.expected_working_days == 15
    assert "预计需要15个工作日" in record.event.notice and "专家评审" in record.event.notice
    assert record.event.basis  # its legal ground


def test_art45_a_stop_may_name_the_day_it_is_expected_to_end(
    pc_bureau: Bureau, pc_cases: CaseFactory, pc_clock: ManualClock
) -> None:
    case = pc_cases.accepted("TEST")
    until = pc_bureau.calendar.add_working_days(pc_clock.today, 7)
    pc_cases.execute(Suspend(case, "hearing", until=until), "CONSTRUCTION_HEAD")
    (suspended,) = [
        r.event for r in pc_bureau.engine.history(case) if isinstance(r.event, CaseSuspended)
    ]
    assert suspended.expected_working_days == 7
