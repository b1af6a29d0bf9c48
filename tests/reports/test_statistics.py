"""Approval statistics against the hand-written reference, on the demo and a generated year."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from fractions import Fraction

import pytest
from _support.engine import ORG
from hypothesis import given, settings
from hypothesis import strategies as st
from reports._reference import Reference, YearReference, mean, p90, reference

from planning_core.cases import CERTIFICATE_REGISTER, Engine
from planning_core.reports import ApprovalStatistics, approval_statistics
from planning_core.reports._figures import COUNT_FIELDS, Spread
from planning_core.reports._histories import Histories, timelines
from planning_core.reports._period import Period
from planning_core.reports._statistics import _spread, statistics_of
from planning_core.workflow import Organisation


def _assert_matches(stats: ApprovalStatistics, ref: Reference, org: Organisation) -> None:
    assert stats.cases == ref.cases
    counted = {
        (pt, month, f): getattr(counts, f)
        for pt, months in stats.by_permit_type_and_month.items()
        for month, counts in months.items()
        for f in COUNT_FIELDS
        if getattr(counts, f)
    }
    assert counted == {k: v for k, v in ref.counts.items() if v}
    for f in COUNT_FIELDS:
        assert getattr(stats.counts, f) == sum(v for (_, _, ff), v in ref.counts.items() if ff == f)
    for figures in stats.by_permit_type:
        pt = figures.code
        on_time = figures.on_time
        assert on_time.decided == sum(
            v for (p, _, k), v in ref.on_time.items() if (p, k) == (pt, "decided")
        )
        assert on_time.committed_on_time == sum(
            v for (p, _, k), v in ref.on_time.items() if (p, k) == (pt, "committed")
        )
        assert on_time.statutory_on_time == sum(
            v for (p, _, k), v in ref.on_time.items() if (p, k) == (pt, "statutory")
        )
        assert figures.case_days.count == len(ref.case_days.get(pt, []))
        lights = {k: v for (p, k), v in ref.case_lights.items() if p == pt}
        assert figures.case_lights.clocks == sum(lights.values())
        assert figures.case_lights.red == lights.get("red", 0)
        assert figures.case_lights.yellow == lights.get("yellow", 0)
    for month, on_time in stats.on_time_by_month.items():
        assert on_time.decided == sum(
            v for (_, m, k), v in ref.on_time.items() if (m, k) == (month, "decided")
        )
        assert on_time.committed_on_time == sum(
            v for (_, m, k), v in ref.on_time.items() if (m, k) == (month, "committed")
        )
    decided = sum(v for (_, _, k), v in ref.on_time.items() if k == "decided")
    committed = sum(v for (_, _, k), v in ref.on_time.items() if k == "committed")
    if decided:
        rate = Fraction(committed * 100, decided)
        assert abs(Fraction(stats.on_time.committed_rate) - rate) <= Fraction(1, 20)  # type: ignore[arg-type]

    by_post = {
        (row.post, light): n
        for row in stats.posts
        for light, n in (
            ("green", row.lights.clocks - row.lights.reminder - row.lights.yellow - row.lights.red),
            ("reminder", row.lights.reminder),
            ("yellow", row.lights.yellow),
            ("red", row.lights.red),
        )
        if n
    }
    assert by_post == {k: v for k, v in ref.post_lights.items() if v}
    divisions: Counter[tuple[str, str]] = Counter()
    for (post, light), n in ref.post_lights.items():
        divisions[(org.post(post).division, light)] += n
    for row in stats.divisions:
        assert row.division_name == org.division(row.division).name
        assert row.lights.red == divisions[(row.division, "red")]
        assert row.lights.yellow == divisions[(row.division, "yellow")]
        assert row.lights.clocks == sum(v for (d, _), v in divisions.items() if d == row.division)

    steps = {(s.permit_type, s.step_id): s for s in stats.steps}
    assert set(steps) == set(ref.step_days)
    for key, days in ref.step_days.items():
        spread = steps[key].days
        assert (spread.count, spread.p90, spread.longest) == (len(days), p90(days), max(days))
        assert abs(Fraction(spread.mean) - mean(days)) <= Fraction(1, 20)  # type: ignore[arg-type]
        assert steps[key].late == ref.step_late[key]
    all_days = [d for days in ref.case_days.values() for d in days]
    if all_days:
        assert (stats.case_days.count, stats.case_days.p90) == (len(all_days), p90(all_days))
        assert abs(Fraction(stats.case_days.mean) - mean(all_days)) <= Fraction(1, 20)  # type: ignore[arg-type]

    assert {p.reason: (p.pauses, p.cases) for p in stats.pauses} == {
        r: (n, len(ref.paused_cases[r])) for r, n in ref.pauses.items()
    }
    assert stats.extensions.extensions == sum(ref.extensions.values())
    assert stats.extensions.working_days == ref.extension_days
    assert stats.extensions.by_permit_type == dict(ref.extensions)
    assert stats.certificates.issued == ref.certificates["issued"]
    assert stats.certificates.on_time == ref.certificates["on_time"]


@pytest.mark.parametrize(
    ("start", "end"),
    [
        (dt.date(2026, 10, 1), dt.date(2026, 11, 30)),  # the whole demo
        (dt.date(2026, 11, 1), dt.date(2026, 11, 25)),  # cut before the demo's day
        (dt.date(2026, 11, 26), dt.date(2026, 11, 26)),  # the day alone
    ],
)
def test_the_demo_statistics_match_the_reference(
    demo: Engine, start: dt.date, end: dt.date
) -> None:
    stats = approval_statistics(demo, start, end)
    _assert_matches(stats, reference(demo, start, end), demo.organisation)


def test_the_demo_figures_agree_with_the_register_and_the_sweep(demo: Engine) -> None:
    day = dt.date(2026, 11, 26)
    stats = approval_statistics(demo, day, day)
    register = demo.store.list_records(CERTIFICATE_REGISTER)
    issued = [doc for _, doc in register if doc["issued_at"].startswith(day.isoformat())]
    assert stats.counts.issued == stats.certificates.issued == len(issued) > 0
    # every case the sweep left red at the day's close is red in the statistics of the day
    swept_red = demo.store.cases(light="red")
    assert swept_red and stats.case_lights.red >= len(swept_red)


def test_a_bare_store_is_read_with_the_reference_organisation(demo: Engine) -> None:
    start, end = dt.date(2026, 10, 1), dt.date(2026, 11, 30)
    assert approval_statistics(demo.store, start, end) == approval_statistics(demo, start, end)


@pytest.mark.slow
def test_a_generated_year_matches_the_reference(
    year_engine: Engine, year_reference: YearReference
) -> None:
    stats = approval_statistics(year_engine, dt.date(2025, 1, 1), dt.date(2025, 12, 31))
    ref = year_reference.figures
    # the year exercises what the statistics are about, or the comparison proves little
    assert stats.counts.received == sum(v for (_, _, k), v in ref.counts.items() if k == "received")
    assert stats.counts.refused and stats.counts.withdrawn and stats.counts.denied
    assert stats.step_lights.red and stats.case_lights.red and stats.extensions.extensions
    assert {p.reason for p in stats.pauses} >= {"expert_review", "hearing", "public_notice"}
    assert any(row.lights.clocks for row in stats.posts if row.post == "CONSTRUCTION_HEAD")
    _assert_matches(stats, ref, ORG)


# -- streaming --------------------------------------------------------------------------------


@settings(max_examples=200, deadline=None)
@given(values=st.lists(st.integers(0, 400), max_size=60))
def test_a_spread_from_counts_of_days_is_the_spread_of_the_days(values: list[int]) -> None:

    assert _spread(Counter(values)) == Spread.of(values)


def test_statistics_read_page_by_page_are_those_of_every_case_at_once(
    year_engine: Engine,
) -> None:

    period = Period(dt.date(2025, 1, 1), dt.date(2025, 12, 31), year_engine.calendar.zone)
    seen: list[tuple[int, int]] = []
    paged = Histories(year_engine, period, lambda done, total: seen.append((done, total)), 7)
    whole = list(Histories(year_engine, period, batch=100_000))
    assert [h.case_id for h in paged] == [h.case_id for h in whole]
    assert seen and seen[-1][0] == seen[-1][1] == len(paged)
    assert [done for done, _ in seen] == list(range(1, len(seen) + 1))
    streamed = statistics_of(
        timelines(Histories(year_engine, period, batch=7), period), period, year_engine
    )
    listed = statistics_of(list(timelines(whole, period)), period, year_engine)
    assert streamed == listed
    assert streamed == approval_statistics(year_engine, dt.date(2025, 1, 1), dt.date(2025, 12, 31))
