"""The projection's caches belong to the engine: bounded, and one engine's are not
another's."""

from __future__ import annotations

from _support.engine import make_engine, run_to_decision

from planning_core.cases._projection import ProjectionCaches, project


def test_each_engine_keeps_its_own_bounded_projection_caches() -> None:
    first, second = make_engine(), make_engine()
    assert first.projection_caches is not second.projection_caches
    run_to_decision(first)
    assert first.projection_caches.deadline_ts.cache_info().currsize > 0
    assert second.projection_caches.deadline_ts.cache_info().currsize == 0
    assert first.check_projection("c1")


def test_a_row_is_the_same_whichever_caches_computed_it() -> None:
    engine = make_engine()
    run_to_decision(engine)
    state = engine.load("c1")
    policy = engine.policy(state.permit_type)
    tiny = ProjectionCaches(size=1)
    rows = [project(state, engine.calendar, policy, caches) for caches in (None, tiny, tiny)]
    assert rows[0] == rows[1] == rows[2] == engine.case("c1")
    assert tiny.first_worse.cache_info().maxsize == 1
    tiny.clear()
    assert tiny.deadline_ts.cache_info().currsize == 0
