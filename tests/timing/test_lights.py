"""The default light policy: YELLOW means "close to the end" for clocks of every length.

``ShareThresholdPolicy()`` lights the last fifth of a clock's working days YELLOW, at least
the last day but never from the start, and RED once the deadline has passed. These tests
name the cases supervisors asked about (a 1-day step, a 5-day step, the 20-day decision of
行政许可法 art. 42) and state the two properties the engine's wake-time search relies on.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from fractions import Fraction

import pendulum
import pytest
from hypothesis import given
from hypothesis import strategies as st

from planning_core.errors import ValidationError
from planning_core.timing import (
    DEFAULT_YELLOW_SHARE,
    Clock,
    Deadline,
    Light,
    LightPolicy,
    ShareThresholdPolicy,
    ThreeLevelPolicy,
    ThresholdPolicy,
    TimeLimit,
    WorkCalendar,
    calendar_for,
    light_policy,
)

from .conftest import at, instants

RANK = {Light.GREEN: 0, Light.REMINDER: 1, Light.YELLOW: 2, Light.RED: 3}


def _hourly(clock: Clock, cn: WorkCalendar, until: pendulum.DateTime) -> list[Light]:
    """The default light every hour from the clock's start to ``until``."""
    lights, moment = [], clock.started
    while moment <= until:
        lights.append(clock.light(moment, cn))
        moment = moment.add(hours=1)
    return lights


def _deadline(clock: Clock, cn: WorkCalendar) -> Deadline:
    deadline = clock.deadline(cn)
    assert isinstance(deadline, Deadline)
    return deadline


# --- the rule, in the cases people asked about -----------------------------------------------


def test_the_default_is_the_share_policy(cn: WorkCalendar) -> None:
    assert light_policy(None) == ShareThresholdPolicy(share=DEFAULT_YELLOW_SHARE, at_least=1)
    assert ShareThresholdPolicy().share == Fraction(1, 5)
    clock = Clock(at("2026-03-04 10:00"), TimeLimit.working_days(5))
    last_day = at("2026-03-11 10:00")
    assert clock.read(last_day, cn).light is Light.YELLOW  # Clock.read's default too
    assert clock.light(last_day, cn, ThresholdPolicy()) is Light.YELLOW
    assert clock.light(at("2026-03-09 10:00"), cn) is Light.GREEN
    assert clock.light(at("2026-03-09 10:00"), cn, ThresholdPolicy()) is Light.YELLOW


def test_a_one_day_step_is_never_yellow_while_it_runs(cn: WorkCalendar) -> None:
    clock = Clock(at("2026-03-04 10:00"), TimeLimit.working_days(1))  # Wednesday
    deadline = _deadline(clock, cn)
    assert deadline.date == dt.date(2026, 3, 5)
    assert set(_hourly(clock, cn, deadline.at)) == {Light.GREEN}
    assert clock.light(deadline.at, cn) is Light.GREEN  # the last instant of its day
    assert clock.light(deadline.at.add(seconds=1), cn) is Light.RED


def test_a_five_day_step_is_yellow_only_on_its_last_day(cn: WorkCalendar) -> None:
    clock = Clock(at("2026-03-04 10:00"), TimeLimit.working_days(5))  # Wed; over a weekend
    deadline = _deadline(clock, cn)
    assert deadline.date == dt.date(2026, 3, 11)
    assert clock.light(at("2026-03-10 23:59"), cn) is Light.GREEN
    assert clock.light(at("2026-03-11 00:00"), cn) is Light.YELLOW
    assert clock.light(at("2026-03-11 23:59"), cn) is Light.YELLOW
    assert clock.light(deadline.at.add(seconds=1), cn) is Light.RED
    hours = _hourly(clock, cn, deadline.at)
    assert hours.count(Light.YELLOW) == 24 + 1  # the last day, and its closing instant
    assert Light.RED not in hours


def test_a_twenty_day_clock_is_yellow_in_its_last_four_working_days(cn: WorkCalendar) -> None:
    # 行政许可法 art. 42: accepted 2026-09-15, due 2026-10-19 across National Day
    clock = Clock(at("2026-09-15 10:00"), TimeLimit.working_days(20))
    deadline = _deadline(clock, cn)
    assert deadline.date == dt.date(2026, 10, 19)
    assert clock.light(at("2026-10-13 23:59"), cn) is Light.GREEN  # 5 working days left
    assert clock.light(at("2026-10-14 00:00"), cn) is Light.YELLOW  # the 17th of 20
    assert clock.light(at("2026-10-17 10:00"), cn) is Light.YELLOW  # Saturday: 1 day left
    assert clock.light(at("2026-10-19 23:59"), cn) is Light.YELLOW
    assert clock.light(at("2026-10-20 00:00:01"), cn) is Light.RED
    yellow_days = {moment.date() for moment in _yellow_hours(clock, cn, deadline)}
    assert sorted(d for d in yellow_days if cn.is_working_day(d)) == [
        dt.date(2026, 10, 14),
        dt.date(2026, 10, 15),
        dt.date(2026, 10, 16),
        dt.date(2026, 10, 19),
    ]


def _yellow_hours(clock: Clock, cn: WorkCalendar, deadline: Deadline) -> list[pendulum.DateTime]:
    moment, found = clock.started, []
    while moment < deadline.at:
        if clock.light(moment, cn) is Light.YELLOW:
            found.append(moment)
        moment = moment.add(hours=1)
    return found


def test_an_extension_widens_the_yellow_days_with_the_limit(cn: WorkCalendar) -> None:
    # art. 42: 20 + 10 working days is a 30-day limit, YELLOW in its last 6
    clock = Clock(at("2026-09-15 10:00"), TimeLimit.working_days(20)).extend(
        10, approver="局长", reason="情况复杂", at=at("2026-10-09 10:00")
    )
    reading = clock.read(at("2026-10-19 10:00"), cn)
    assert (reading.remaining, reading.light) == (11, Light.GREEN)
    last = _deadline(clock, cn).date
    sixth_last = cn.add_working_days(last, -5)
    seventh_last = cn.add_working_days(last, -6)
    assert clock.light(_day_start(seventh_last).add(hours=23, minutes=59), cn) is Light.GREEN
    assert clock.light(_day_start(sixth_last), cn) is Light.YELLOW


def _day_start(day: dt.date) -> pendulum.DateTime:
    return pendulum.datetime(day.year, day.month, day.day, tz="Asia/Shanghai")


@pytest.mark.parametrize(
    ("budget", "yellow"),
    # the table of docs/timing.md#lights
    [(1, 0), (2, 1), (3, 1), (5, 1), (9, 1), (10, 2), (15, 3), (20, 4), (30, 6), (45, 9)],
)
def test_the_yellow_days_of_each_limit(budget: int, yellow: int) -> None:
    assert ShareThresholdPolicy().yellow_days(budget) == yellow


def test_the_old_fixed_threshold_still_lights_a_short_step_from_its_start(
    cn: WorkCalendar,
) -> None:
    clock = Clock(at("2026-03-04 10:00"), TimeLimit.working_days(1))
    assert clock.light(clock.started, cn, ThresholdPolicy(yellow_within=3)) is Light.YELLOW


# --- the policy as a value ---------------------------------------------------------------------


def test_a_share_is_kept_exact_whatever_form_it_was_given_in() -> None:
    forms = [Fraction(1, 4), Decimal("0.25"), "1/4", 0.25, " 1/4 "]
    policies = {ShareThresholdPolicy(share=form) for form in forms}
    assert policies == {ShareThresholdPolicy(share=Fraction(1, 4))}
    assert ShareThresholdPolicy(share=0.2).share == Fraction(1, 5)


@pytest.mark.parametrize(
    ("settings", "named"),
    [
        ({"share": "2"}, "share"),
        ({"share": -0.1}, "share"),
        ({"share": "a fifth"}, "share"),
        ({"share": True}, "share"),
        ({"share": None}, "share"),
        ({"at_least": -1}, "at_least"),
        ({"at_least": 1.5}, "at_least"),
    ],
)
def test_a_bad_share_policy_is_refused_naming_the_setting(
    settings: dict[str, object], named: str
) -> None:
    with pytest.raises(ValidationError, match=named):
        ShareThresholdPolicy(**settings)  # type: ignore[arg-type]


def test_the_budget_a_policy_sees_is_the_limit_in_working_days(cn: WorkCalendar) -> None:
    seen = []

    class Spy:
        def light(self, facts: object) -> Light:
            seen.append(facts)
            return Light.GREEN

    natural = Clock(at("2026-09-28 10:00"), TimeLimit.natural_days(10))  # over National Day
    natural.light(at("2026-09-29 10:00"), cn, Spy())
    extended = Clock(at("2026-03-04 10:00"), TimeLimit.working_days(5)).extend(
        2, approver="局长", reason="复杂", at=at("2026-03-05 10:00")
    )
    extended.light(at("2026-03-05 10:00"), cn, Spy())
    start = cn.local_date(natural.started)
    assert [f.budget for f in seen] == [  # type: ignore[attr-defined]
        cn.working_days_between(start, _deadline(natural, cn).date),
        7,
    ]


# --- properties ------------------------------------------------------------------------------

working_limits = st.integers(min_value=1, max_value=60).map(TimeLimit.working_days)
share_policies = st.builds(
    ShareThresholdPolicy,
    share=st.fractions(min_value=0, max_value=1, max_denominator=20),
    at_least=st.integers(min_value=0, max_value=10),
)


def _later_instants(clock: Clock) -> st.SearchStrategy[list[pendulum.DateTime]]:
    """Instants from the start to well past the deadline (weekends, holidays, midnights)."""
    span = (clock.limit.days * 2 + 20) * 24 * 60
    offsets = st.lists(st.integers(min_value=0, max_value=span), min_size=1, max_size=30)
    return offsets.map(lambda minutes: [clock.started.add(minutes=m) for m in sorted(minutes)])


@given(st.data(), working_limits, instants, st.one_of(st.just(None), share_policies))
def test_a_clock_starts_green_and_its_light_never_gets_better(
    data: st.DataObject,
    limit: TimeLimit,
    started: pendulum.DateTime,
    policy: LightPolicy | None,
) -> None:
    cn = calendar_for("CN")
    clock = Clock(started, limit)
    assert clock.light(started, cn, policy) is Light.GREEN
    ranks = [RANK[clock.light(m, cn, policy)] for m in data.draw(_later_instants(clock))]
    assert ranks == sorted(ranks)


@given(
    st.data(), working_limits, instants, st.sampled_from([ThresholdPolicy(), ThreeLevelPolicy()])
)
def test_the_other_built_in_policies_never_get_better_either(
    data: st.DataObject, limit: TimeLimit, started: pendulum.DateTime, policy: LightPolicy
) -> None:
    cn = calendar_for("CN")
    clock = Clock(started, limit)
    ranks = [RANK[clock.light(m, cn, policy)] for m in data.draw(_later_instants(clock))]
    assert ranks == sorted(ranks)


@given(working_limits, instants)
def test_the_default_is_yellow_exactly_in_the_last_fifth(
    limit: TimeLimit, started: pendulum.DateTime
) -> None:
    """At the start of each working day, YELLOW iff the days left are at most a fifth of the
    limit (at least 1, never all of them)."""
    cn = calendar_for("CN")
    clock = Clock(started, limit)
    first = cn.local_date(started)
    n = limit.days
    for k in range(1, n + 1):
        day = cn.add_working_days(first, k)
        left = n - k + 1
        expected = 0 < left < n and (left <= 1 or 5 * left <= n)
        assert (clock.light(_day_start(day), cn) is Light.YELLOW) is expected, (k, left)
