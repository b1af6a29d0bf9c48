"""The city's calendar ``CN-tangshan`` against the national one."""

from __future__ import annotations

import datetime as dt

import pendulum
import pytest
from hypothesis import given
from planning_core_tangshan import TANGSHAN_CLOSURES, TANGSHAN_REGION

from planning_core.plugins import Hooks, make_hooks
from planning_core.testing import CaseFactory, ManualClock
from planning_core.testing.strategies import working_dates
from planning_core.timing import Calendars, Deadline, WorkCalendar, calendar_for

CN = calendar_for("CN")
CITY = calendar_for(TANGSHAN_REGION, hooks=make_hooks())
CLOSED = {closure.date for closure in TANGSHAN_CLOSURES}


@pytest.fixture
def pc_region() -> str:
    """The bureau and the clock of this module count on the city's calendar."""
    return TANGSHAN_REGION


def test_the_closure_is_a_day_off_in_the_city_only(pc_calendar: WorkCalendar) -> None:
    closure = TANGSHAN_CLOSURES[0].date
    assert CN.is_working_day(closure) and not pc_calendar.is_working_day(closure)
    assert "停止对外办公" in str(pc_calendar.explain(closure))


def test_the_clock_steps_over_the_closure(pc_clock: ManualClock) -> None:
    pc_clock.set(pendulum.datetime(2026, 7, 27, 9, tz="Asia/Shanghai"))
    assert pc_clock.next_working_day().date() == pendulum.date(2026, 7, 29)


def test_the_last_day_ends_at_the_close_of_business(
    pc_cases: CaseFactory, pc_clock: ManualClock
) -> None:
    case_id = pc_cases.accepted("RURAL_NEW_RESIDENCE")
    committed = pc_cases.state(case_id).clocks.committed
    assert committed is not None
    deadline = committed.deadline(pc_clock.calendar)
    assert isinstance(deadline, Deadline)
    assert (deadline.at.hour, deadline.at.minute) == (17, 30)


@given(day=working_dates(CN))
def test_the_city_works_every_national_working_day_but_its_closures(day: dt.date) -> None:
    assert CITY.is_working_day(day) == (day not in CLOSED)


@given(day=working_dates(CITY))
def test_every_city_working_day_is_a_national_one(day: dt.date) -> None:
    assert CN.is_working_day(day) and day not in CLOSED


def test_the_city_calendar_is_registered(pc_hooks: Hooks) -> None:
    assert Calendars(pc_hooks).keys().count(TANGSHAN_REGION) == 1
