"""Invariants of the ratings' figures (hypothesis)."""

from __future__ import annotations

import pendulum
from hypothesis import given
from hypothesis import strategies as st

from planning_core.timing import Clock, Light, TimeLimit, calendar_for
from planning_core.window import FollowUp, Rating, rating_statistics

CALENDAR = calendar_for("CN")
START = pendulum.datetime(2026, 3, 2, 9, tz="Asia/Shanghai")


@st.composite
def ratings(draw: st.DrawFn) -> Rating:
    score = draw(st.integers(1, 5))
    at = START.add(hours=draw(st.integers(0, 2000)))
    follow = None
    if score <= 2:
        stages = draw(st.integers(0, 3))
        names = ("verify", "rectify", "call_back")[:stages]
        follow = FollowUp(
            "SUPERVISION_INSPECTOR",
            Clock(at, TimeLimit.working_days(15), "CN"),
            tuple(
                (name, at.add(days=draw(st.integers(1, 40))), "zheng.wei", "记录") for name in names
            ),
        )
    return Rating("c", "n", "TEST", score, ("other",), "", at, "web", follow)


@given(st.lists(ratings(), max_size=30), st.sampled_from([None, Light.RED, Light.GREEN]))
def test_the_figures_add_up(chosen: list[Rating], light: Light | None) -> None:
    stats = rating_statistics(chosen, lambda r: light if r.follow_up else None, CALENDAR)
    assert stats.count == len(chosen) == sum(n for _, n in stats.by_score)
    assert stats.bad == sum(1 for r in chosen if r.score <= 2)
    assert stats.on_time <= stats.followed_up <= stats.bad
    assert stats.late <= stats.bad
    if chosen:
        assert stats.satisfaction is not None and 0 <= stats.satisfaction <= 1
        assert stats.average is not None and 1 <= stats.average <= 5
        assert (stats.satisfaction == 1) == (stats.bad == 0)
    else:
        assert stats.satisfaction is None and stats.average is None
