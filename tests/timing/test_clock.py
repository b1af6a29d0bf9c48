from __future__ import annotations

import datetime as dt
import json

import pendulum
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from planning_core.errors import InvalidStateError, ValidationError
from planning_core.serialization import dump, load, make_converter
from planning_core.timing import (
    Clock,
    Deadline,
    DeadlineUnknown,
    Light,
    LimitUnit,
    PauseMode,
    PauseModes,
    PauseReason,
    ThreeLevelPolicy,
    TimeLimit,
    WorkCalendar,
    calendar_for,
)

from .conftest import at, clocks, day, instants

TWENTY = TimeLimit.working_days(20)


def _known(deadline: Deadline | DeadlineUnknown) -> Deadline:
    assert isinstance(deadline, Deadline), deadline
    return deadline


# --- deadlines -----------------------------------------------------------------------------


def test_twenty_working_days_across_national_day(cn: WorkCalendar) -> None:
    clock = Clock(at("2026-09-15 10:00"), TWENTY)
    deadline = _known(clock.deadline(cn))
    # Sep 16-18, 20 (Sunday, worked), 21-24, 28-30, Oct 8-10 (Saturday, worked), 12-16, 19
    assert deadline.date == day("2026-10-19")
    assert deadline.at == pendulum.datetime(2026, 10, 20, tz="Asia/Shanghai")  # 24:00
    assert deadline.at.isoformat() == "2026-10-20T00:00:00+08:00"
    assert clock.deadline_date(cn) == day("2026-10-19")
    assert deadline.provisional is False


def test_the_start_day_is_not_counted_even_on_a_working_day(cn: WorkCalendar) -> None:
    monday = Clock(at("2026-10-12 08:00"), TimeLimit.working_days(1))
    assert monday.deadline_date(cn) == day("2026-10-13")
    holiday = Clock(at("2026-10-03 08:00"), TimeLimit.working_days(1))
    assert holiday.deadline_date(cn) == day("2026-10-08")


def test_natural_days_ending_on_a_holiday_move_to_the_next_working_day(cn: WorkCalendar) -> None:
    clock = Clock(at("2026-09-01 09:00"), TimeLimit.natural_days(30))  # day 30 is 1 October
    assert clock.deadline_date(cn) == day("2026-10-08")
    plain = Clock(at("2026-09-01 09:00"), TimeLimit.natural_days(29))  # 30 September
    assert plain.deadline_date(cn) == day("2026-09-30")


def test_a_bureau_closing_time_ends_the_day_early() -> None:
    office = calendar_for("CN", closes_at=dt.time(17, 30))
    clock = Clock(at("2026-09-15 10:00"), TWENTY)
    assert _known(clock.deadline(office)).at == at("2026-10-19 17:30")
    assert not clock.is_overdue(at("2026-10-19 17:00"), office)
    assert clock.is_overdue(at("2026-10-19 18:00"), office)
    assert clock.remaining(at("2026-10-19 17:00"), office) == 1
    assert clock.remaining(at("2026-10-19 18:00"), office) == 0


def test_the_start_instant_is_placed_in_the_bureau_zone(cn: WorkCalendar) -> None:
    # 23:30 UTC on 2026-10-11 is 07:30 on Monday 12 October in Shanghai
    clock = Clock(pendulum.datetime(2026, 10, 11, 23, 30, tz="UTC"), TimeLimit.working_days(1))
    assert clock.deadline_date(cn) == day("2026-10-13")


# --- pauses and extensions -----------------------------------------------------------------


def test_a_pause_excludes_the_days_after_it_begins_up_to_resumption(cn: WorkCalendar) -> None:
    clock = Clock(at("2026-09-15 10:00"), TWENTY).pause(
        at("2026-09-18 10:00"), PauseReason.EXPERT_REVIEW
    )
    pending = clock.deadline(cn)
    assert isinstance(pending, DeadlineUnknown)
    assert pending.reason is PauseReason.EXPERT_REVIEW
    assert pending.remaining == 17  # Sep 16, 17, 18 were used
    assert clock.deadline_date(cn) is None
    assert clock.paused(at("2026-10-30 12:00"))
    reading = clock.read(at("2026-10-30 12:00"), cn)
    assert (reading.used, reading.remaining, reading.overdue, reading.deadline_at) == (
        3,
        17,
        False,
        None,
    )
    resumed = clock.resume(at("2026-09-25 10:00"))
    # excluded: Sep 20 (worked Sunday) and 21-24; 25 is a holiday anyway
    assert resumed.deadline_date(cn) == cn.add_working_days(day("2026-10-19"), 5)
    assert resumed.deadline_date(cn) == day("2026-10-26")
    assert resumed.pauses[0].basis == "《中华人民共和国行政许可法》第四十五条（专家评审）"


def test_a_restart_pause_counts_the_whole_limit_again(cn: WorkCalendar) -> None:
    modes = PauseModes(restart=frozenset({PauseReason.SUPPLEMENT}))
    clock = (
        Clock(at("2026-09-15 10:00"), TWENTY)
        .pause(at("2026-09-18 10:00"), "supplement", modes=modes)
        .resume(at("2026-10-09 15:00"))
    )
    assert clock.pauses[0].mode is PauseMode.RESTART
    assert clock.deadline_date(cn) == cn.add_working_days(day("2026-10-09"), 20)
    other = Clock(at("2026-09-15 10:00"), TWENTY).pause(
        at("2026-09-18 10:00"), "hearing", modes=modes
    )
    assert other.pauses[0].mode is PauseMode.STOP_AND_RESUME


def test_a_pause_on_or_after_the_deadline_day_changes_nothing(cn: WorkCalendar) -> None:
    clock = Clock(at("2026-09-15 10:00"), TWENTY)
    late = clock.pause(at("2026-10-22 10:00"), "hearing")
    assert late.deadline_date(cn) == day("2026-10-19")
    assert late.light(at("2026-11-30 10:00"), cn) is Light.RED
    last_day = clock.pause(at("2026-10-19 10:00"), "hearing").resume(at("2026-10-30 10:00"))
    assert last_day.deadline_date(cn) == day("2026-10-19")


def test_an_extension_adds_working_days_and_records_who_and_why(cn: WorkCalendar) -> None:
    clock = Clock(at("2026-09-15 10:00"), TWENTY).extend(
        10, approver="王局长", reason="需要现场踏勘", at=at("2026-10-14 09:00")
    )
    assert clock.deadline_date(cn) == cn.add_working_days(day("2026-10-19"), 10)
    assert clock.extended_by == 10
    assert clock.extensions[0].approver == "王局长"


def test_results_past_the_official_schedule_are_provisional(cn: WorkCalendar) -> None:
    clock = Clock(at("2026-12-10 09:00"), TWENTY)
    deadline = _known(clock.deadline(cn))
    assert deadline.date.year == 2027
    assert deadline.provisional
    assert clock.read(at("2026-12-11 09:00"), cn).provisional
    inside = Clock(at("2026-09-15 10:00"), TWENTY)
    assert not inside.read(at("2026-10-01 09:00"), cn).provisional
    assert inside.read(at("2027-01-05 09:00"), cn).provisional  # `at` is in 2027


# --- used, remaining, overdue, lights ------------------------------------------------------


def test_readings_through_the_last_days(cn: WorkCalendar) -> None:
    clock = Clock(at("2026-09-15 10:00"), TWENTY)
    before = clock.read(at("2026-10-16 10:00"), cn)
    assert (before.used, before.remaining, before.light) == (18, 2, Light.YELLOW)
    early = clock.read(at("2026-09-21 10:00"), cn)
    assert (early.used, early.remaining, early.light) == (4, 16, Light.GREEN)
    last_day = clock.read(at("2026-10-19 23:59"), cn)
    assert (last_day.remaining, last_day.overdue, last_day.light) == (1, False, Light.YELLOW)
    saturday = clock.read(at("2026-10-24 10:00"), cn)
    assert (saturday.overdue, saturday.overdue_by, saturday.light) == (True, 4, Light.RED)
    assert (saturday.used, saturday.remaining) == (24, 0)
    assert clock.overdue_by(at("2026-10-20 08:00"), cn) == 1
    assert clock.used(at("2026-10-16 10:00"), cn) == 18
    assert clock.remaining(at("2026-10-16 10:00"), cn) == 2


def test_three_level_policy_reminds_then_yellow_then_red(cn: WorkCalendar) -> None:
    policy = ThreeLevelPolicy(remind_within=2, follow_up_days=3)
    clock = Clock(at("2026-09-15 10:00"), TWENTY)  # due 2026-10-19; follow-up 2026-10-22
    assert clock.light(at("2026-10-12 10:00"), cn, policy) is Light.GREEN
    assert clock.light(at("2026-10-16 10:00"), cn, policy) is Light.REMINDER
    assert clock.light(at("2026-10-20 10:00"), cn, policy) is Light.YELLOW
    assert clock.light(at("2026-10-22 23:00"), cn, policy) is Light.YELLOW
    assert clock.light(at("2026-10-23 00:01"), cn, policy) is Light.RED


# --- ledger errors -------------------------------------------------------------------------


def test_pausing_twice_or_resuming_a_running_clock_is_refused() -> None:
    clock = Clock(at("2026-09-15 10:00"), TWENTY)
    with pytest.raises(InvalidStateError, match="nothing to resume"):
        clock.resume(at("2026-09-16 10:00"))
    paused = clock.pause(at("2026-09-16 10:00"), "inspection")
    with pytest.raises(InvalidStateError, match="already paused since 2026-09-16"):
        paused.pause(at("2026-09-17 10:00"), "hearing")


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda c: c.pause(at("2026-09-14 10:00"), "hearing"), "before"),
        (lambda c: c.pause(at("2026-09-16 10:00"), "vacation"), "unknown pause reason"),
        (lambda c: c.pause(at("2026-09-16 10:00"), "hearing", basis=" "), "non-empty"),
        (lambda c: c.pause(dt.datetime(2026, 9, 16, 10), "hearing"), "no time zone"),
        (lambda c: c.pause(at("2026-09-16"), "hearing").resume(at("2026-09-15 12:00")), "before"),
        (lambda c: c.extend(0, approver="a", reason="b", at=at("2026-09-16")), ">= 1"),
        (lambda c: c.extend(5, approver="", reason="b", at=at("2026-09-16")), "approver"),
        (lambda c: c.extend(5, approver="a", reason="b", at=at("2026-09-01")), "before"),
    ],
)
def test_bad_ledger_changes_are_refused(change: object, message: str) -> None:
    clock = Clock(at("2026-09-15 10:00"), TWENTY)
    with pytest.raises(ValidationError, match=message):
        change(clock)  # type: ignore[operator]


def test_a_loaded_ledger_reports_every_problem_at_once() -> None:
    data = {
        "started": "2026-09-15T10:00:00+08:00",
        "limit": {"value": 20, "unit": "working_days"},
        "region": "CN",
        "pauses": [
            {"start": "2026-09-14T10:00:00+08:00", "reason": "hearing", "basis": "x"},
            {"start": "2026-09-16T10:00:00+08:00", "reason": "hearing", "basis": "x"},
        ],
        "extensions": [
            {"days": 3, "approver": "a", "reason": "b", "at": "2026-09-01T10:00:00+08:00"}
        ],
    }
    with pytest.raises(ValidationError) as info:
        load(make_converter(), data, Clock)
    text = str(info.value)
    assert "pauses[0]: starts 2026-09-14" in text
    assert "pauses[0]: is still open" in text
    assert "extensions[0]: granted 2026-09-01" in text


def test_a_naive_start_is_refused() -> None:
    with pytest.raises(ValidationError, match="no time zone"):
        Clock(dt.datetime(2026, 9, 15, 10), TWENTY)


def test_a_clock_refuses_another_regions_calendar(weekdays: WorkCalendar) -> None:
    with pytest.raises(ValidationError, match="'CN' calendar, not 'weekdays'"):
        Clock(at("2026-09-15 10:00"), TWENTY).deadline(weekdays)


# --- round trips and properties ------------------------------------------------------------


@given(clocks())
def test_clocks_round_trip_through_the_converter_and_json(clock: Clock) -> None:
    converter = make_converter()
    text = json.dumps(dump(converter, clock), ensure_ascii=False)
    again = load(converter, json.loads(text), Clock)
    assert again == clock
    cn = calendar_for("CN")
    assert again.deadline(cn) == clock.deadline(cn)


def _naive_deadline(calendar: WorkCalendar, clock: Clock) -> dt.date:
    """Walk day by day: the oracle for stop-and-resume working-day clocks."""
    start = calendar.local_date(clock.started)
    excluded = [
        (calendar.local_date(p.start), calendar.local_date(p.resumed))
        for p in clock.pauses
        if p.resumed is not None
    ]
    budget = clock.limit.days + clock.extended_by
    d, count = start, 0
    while count < budget:
        d += dt.timedelta(days=1)
        if calendar.is_working_day(d) and not any(a < d <= b for a, b in excluded):
            count += 1
    return d


@given(clocks(units=("working_days",), modes=("stop_and_resume",), allow_open=False))
def test_deadline_matches_a_day_by_day_walk(clock: Clock) -> None:
    assume(clock.limit.days >= 1)
    cn = calendar_for("CN")
    deadline = _known(clock.deadline(cn))
    assert deadline.date == _naive_deadline(cn, clock)
    assert cn.is_working_day(deadline.date)


@given(clocks(allow_open=False), st.integers(0, 40 * 24 * 60), st.integers(0, 40 * 24 * 60))
def test_a_pause_never_shortens_a_deadline(clock: Clock, gap: int, length: int) -> None:
    cn = calendar_for("CN")
    last = clock.pauses[-1].resumed if clock.pauses else clock.started
    assert last is not None
    begin = last.add(minutes=gap)
    for mode in PauseMode:
        paused = clock.pause(begin, "hearing", mode=mode).resume(begin.add(minutes=length))
        assert _known(paused.deadline(cn)).date >= _known(clock.deadline(cn)).date


@given(clocks(allow_open=False), st.integers(min_value=1, max_value=30))
def test_an_extension_moves_the_deadline_by_exactly_n_working_days(clock: Clock, n: int) -> None:
    cn = calendar_for("CN")
    before = _known(clock.deadline(cn)).date
    # a pause that began after the old deadline but before the new one would now count too
    assume(all(cn.local_date(p.start) < before for p in clock.pauses))
    extended = clock.extend(n, approver="局长", reason="复杂", at=clock.started)
    after = _known(extended.deadline(cn)).date
    assert cn.working_days_between(before, after) == n


@given(clocks(), instants, instants, st.sampled_from([None, ThreeLevelPolicy()]))
def test_the_light_never_goes_back_from_red(
    clock: Clock, first: pendulum.DateTime, second: pendulum.DateTime, policy: object
) -> None:
    cn = calendar_for("CN")
    earlier, later = sorted((first, second))
    if clock.light(earlier, cn, policy) is Light.RED:  # type: ignore[arg-type]
        assert clock.light(later, cn, policy) is Light.RED  # type: ignore[arg-type]


@given(clocks(), instants, instants)
def test_used_grows_and_remaining_shrinks_with_time(
    clock: Clock, first: pendulum.DateTime, second: pendulum.DateTime
) -> None:
    cn = calendar_for("CN")
    earlier, later = sorted((first, second))
    assert 0 <= clock.used(earlier, cn) <= clock.used(later, cn)
    assert clock.remaining(earlier, cn) >= clock.remaining(later, cn) >= 0
    reading = clock.read(later, cn)
    restarted = any(p.mode is PauseMode.RESTART for p in clock.pauses)
    working = clock.limit.unit is LimitUnit.WORKING_DAYS and clock.limit.days >= 1
    if isinstance(reading.deadline, Deadline) and working and not (restarted or reading.overdue):
        # a working-day budget is split exactly between used and remaining days
        assert reading.used + reading.remaining == clock.limit.days + clock.extended_by
