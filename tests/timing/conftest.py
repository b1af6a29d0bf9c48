"""Shared calendars for the timing tests (built once; calendars are immutable to callers)."""

from __future__ import annotations

import datetime as dt

import pendulum
import pytest
from hypothesis import strategies as st

from planning_core.timing import (
    Clock,
    Extension,
    LimitUnit,
    Pause,
    PauseMode,
    PauseReason,
    TimeLimit,
    WorkCalendar,
    calendar_for,
)

SHANGHAI = pendulum.timezone("Asia/Shanghai")


@pytest.fixture(scope="session")
def cn() -> WorkCalendar:
    return calendar_for("CN")


@pytest.fixture(scope="session")
def weekdays() -> WorkCalendar:
    return calendar_for("weekdays")


def at(text: str) -> pendulum.DateTime:
    """An instant in Shanghai from 'YYYY-MM-DD' or 'YYYY-MM-DD HH:MM'."""
    parsed = dt.datetime.fromisoformat(text)
    return pendulum.instance(parsed.replace(tzinfo=None), tz=SHANGHAI)


def day(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


dates = st.dates(min_value=dt.date(2001, 1, 1), max_value=dt.date(2030, 12, 31))
instants = st.builds(
    lambda d, minute: pendulum.datetime(d.year, d.month, d.day, tz=SHANGHAI).add(minutes=minute),
    st.dates(min_value=dt.date(2019, 1, 1), max_value=dt.date(2027, 6, 30)),
    st.integers(min_value=0, max_value=24 * 60 - 1),
)


@st.composite
def clocks(
    draw: st.DrawFn,
    *,
    units: tuple[str, ...] = ("working_days", "natural_days"),
    modes: tuple[str, ...] = ("stop_and_resume", "restart"),
    allow_open: bool = True,
    max_pauses: int = 3,
) -> Clock:
    """A clock with a consistent random ledger (pauses in order, at most the last open)."""
    started = draw(instants)
    unit = LimitUnit(draw(st.sampled_from(units)))
    limit = TimeLimit(draw(st.integers(min_value=0, max_value=60)), unit)
    pauses = []
    cursor = started
    count = draw(st.integers(min_value=0, max_value=max_pauses))
    for index in range(count):
        begin = cursor.add(minutes=draw(st.integers(min_value=0, max_value=40 * 24 * 60)))
        reason = draw(st.sampled_from(PauseReason))
        mode = PauseMode(draw(st.sampled_from(modes)))
        is_last = index == count - 1
        if allow_open and is_last and draw(st.booleans()):
            pauses.append(Pause(begin, reason, reason.default_basis, mode))
            break
        end = begin.add(minutes=draw(st.integers(min_value=0, max_value=30 * 24 * 60)))
        pauses.append(Pause(begin, reason, reason.default_basis, mode, end))
        cursor = end
    extensions = tuple(
        Extension(days, "局长", "情况复杂", started.add(days=1))
        for days in draw(st.lists(st.integers(min_value=1, max_value=15), max_size=2))
    )
    return Clock(started, limit, "CN", tuple(pauses), extensions)
