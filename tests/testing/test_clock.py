"""ManualClock: moves only forward, counts working days on its calendar."""

from __future__ import annotations

import datetime as dt

import pendulum
import pytest
from hypothesis import given
from hypothesis import strategies as st

from planning_core import ValidationError
from planning_core.testing import ManualClock
from planning_core.testing.strategies import working_instants
from planning_core.timing import calendar_for

CN = calendar_for("CN")


@given(start=working_instants(CN), n=st.integers(1, 40))
def test_working_days_land_on_the_nth_working_day_at_the_same_time(
    start: pendulum.DateTime, n: int
) -> None:
    clock = ManualClock(start, CN)
    moved = clock.advance(working_days=n)
    assert CN.is_working_day(moved.date())
    assert CN.working_days_between(start.date(), moved.date()) == n
    assert (moved.hour, moved.minute) == (start.hour, start.minute)
    assert clock.now == moved == clock()


@given(
    start=working_instants(CN),
    amounts=st.fixed_dictionaries(
        {"days": st.integers(0, 9), "hours": st.integers(0, 30), "minutes": st.integers(0, 90)}
    ),
)
def test_elapsed_time_adds_exactly(start: pendulum.DateTime, amounts: dict[str, int]) -> None:
    clock = ManualClock(start, CN)
    clock.advance(**amounts)
    expected = dt.timedelta(**amounts)
    assert clock.now - start == expected


@given(
    start=working_instants(CN),
    bad=st.integers(-50, -1),
    which=st.sampled_from(["days", "hours", "working_days"]),
)
def test_time_never_goes_back(start: pendulum.DateTime, bad: int, which: str) -> None:
    clock = ManualClock(start, CN)
    with pytest.raises(ValidationError, match=f"{which}={bad}"):
        clock.advance(**{which: bad})
    with pytest.raises(ValidationError, match="only moves forward"):
        clock.set(start.subtract(seconds=1))
    assert clock.now == start


def test_next_working_day_skips_the_national_day_holiday() -> None:
    clock = ManualClock("2026-09-30T16:00:00+08:00")
    assert clock.next_working_day() == pendulum.datetime(2026, 10, 8, 9, tz="Asia/Shanghai")
    clock.advance(working_days=1, at=dt.time(17, 30))
    assert clock.now.date() == pendulum.date(2026, 10, 9)
    assert clock.now.hour == 17


def test_a_make_up_working_sunday_counts() -> None:
    clock = ManualClock("2026-09-18T10:00:00+08:00")  # a Friday; Sunday 20 September works
    assert clock.advance(working_days=1).date() == pendulum.date(2026, 9, 20)


def test_a_naive_start_is_refused() -> None:
    with pytest.raises(ValidationError, match="no time zone"):
        ManualClock(dt.datetime(2026, 3, 2, 9))


def test_the_clock_shows_local_time_in_the_calendar_zone() -> None:
    clock = ManualClock("2026-03-02T01:00:00+00:00")
    assert clock.now.timezone_name == "Asia/Shanghai" and clock.now.hour == 9
    assert clock.today == pendulum.date(2026, 3, 2) and "CN" in repr(clock)
