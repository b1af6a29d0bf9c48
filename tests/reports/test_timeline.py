"""The reports' walk over a history agrees with the engine's fold, event by event."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pendulum
from _support.engine import DIVISION_HEAD, WINDOW, at, make_engine, sample_workflow, submit
from hypothesis import given, settings
from hypothesis import strategies as st
from reports._year import generate_year

from planning_core.cases import Accept, Complete, fold
from planning_core.reports import Counts, OnTime, Period, Spread, percent
from planning_core.reports._timeline import walk


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
