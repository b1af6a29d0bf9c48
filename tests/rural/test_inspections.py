"""Inspections: rectification deadlines counted by planning_core.timing, overdue until rectified."""

from __future__ import annotations

import datetime as dt

import pendulum
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from planning_core.errors import ValidationError
from planning_core.rural import FollowUp, Inspection, rectification_deadline
from planning_core.timing import TimeLimit, calendar_for

CN = calendar_for("CN")
DAYS = st.dates(dt.date(2005, 1, 1), dt.date(2026, 11, 30))


def _record(on: dt.date, limit: str | None = "10个工作日") -> Inspection:
    return Inspection.record(
        number="JC-1",
        site="丰润",
        inspected_on=on,
        location="乡镇01 村庄001",
        findings=["未批先建"],
        rectification_limit=limit,
    )


def test_national_day_and_its_make_up_saturday_from_the_2026_schedule() -> None:
    # 1-7 Oct 2026 are off and Saturday 10 Oct is a working day (State Council notice).
    inspection = _record(dt.date(2026, 9, 30), "5个工作日")
    assert inspection.rectification_deadline == dt.date(2026, 10, 13)
    assert inspection.rectification_limit == TimeLimit.working_days(5)
    assert not inspection.deadline_provisional


def test_a_natural_day_limit_ending_on_a_holiday_moves_to_the_next_working_day() -> None:
    assert _record(dt.date(2026, 9, 25), "10日").rectification_deadline == dt.date(2026, 10, 8)


@settings(deadline=None)
@given(DAYS, st.integers(0, 60))
def test_working_day_deadlines_are_working_days_n_after_the_inspection(on: dt.date, n: int) -> None:
    deadline = rectification_deadline(on, TimeLimit.working_days(n), CN)
    assert CN.is_working_day(deadline)
    assert CN.working_days_between(on, deadline) == max(n, 1 if not CN.is_working_day(on) else 0)


@settings(deadline=None)
@given(DAYS, st.integers(1, 60))
def test_natural_day_deadlines_are_the_first_working_day_from_the_nth_day(
    on: dt.date, n: int
) -> None:
    deadline = rectification_deadline(on, TimeLimit.natural_days(n), CN)
    last = on + dt.timedelta(days=n)
    assert deadline >= last and CN.is_working_day(deadline)
    one = dt.timedelta(days=1)
    assert CN.working_days_between(last - one, deadline - one) == 0  # none skipped over


def test_a_deadline_in_a_year_without_a_schedule_is_provisional_until_redated() -> None:
    inspection = _record(dt.date(2026, 12, 28), "10个工作日")
    assert inspection.deadline_provisional
    assert inspection.redated(calendar_for("weekdays")).deadline_provisional is False


@settings(deadline=None)
@given(DAYS, st.integers(0, 30), st.integers(0, 90), st.none() | st.integers(0, 90))
def test_overdue_exactly_after_the_deadline_until_the_rectifying_follow_up(
    on: dt.date, n: int, later: int, fixed_after: int | None
) -> None:
    inspection = _record(on, f"{n}个工作日")
    if fixed_after is not None:
        fixed_on = on + dt.timedelta(days=fixed_after)
        inspection = inspection.followed_up(FollowUp(fixed_on, "已整改", rectified=True))
    day = on + dt.timedelta(days=later)
    deadline = inspection.rectification_deadline
    assert deadline is not None
    rectified = inspection.rectified_on
    expected = day > deadline and (rectified is None or rectified > day)
    assert inspection.is_overdue(day) is expected


def test_overdue_at_counts_the_day_in_the_bureaus_zone() -> None:
    inspection = _record(dt.date(2026, 9, 30), "5个工作日")  # deadline 2026-10-13
    assert not inspection.overdue_at(pendulum.datetime(2026, 10, 13, 23, 59, tz="Asia/Shanghai"))
    assert inspection.overdue_at(pendulum.datetime(2026, 10, 13, 16, 0, tz="UTC"))  # 00:00 +08
    with pytest.raises(ValidationError, match="time zone"):
        inspection.overdue_at(dt.datetime(2026, 10, 20))


def test_no_limit_means_no_deadline_and_never_overdue() -> None:
    inspection = _record(dt.date(2026, 3, 2), None)
    assert inspection.rectification_deadline is None
    assert not inspection.is_overdue(dt.date(2030, 1, 1))


def test_bad_limits_and_follow_ups_are_refused() -> None:
    with pytest.raises(ValidationError, match="十天"):
        _record(dt.date(2026, 3, 2), "十天")
    with pytest.raises(ValidationError, match="before"):
        _record(dt.date(2026, 3, 2)).followed_up(FollowUp(dt.date(2026, 3, 1), "复查"))
    with pytest.raises(ValidationError, match="both"):
        Inspection("JC-2", "丰润", dt.date(2026, 3, 2), "村庄", rectification_limit=TimeLimit(5))
