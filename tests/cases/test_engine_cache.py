"""The engine keeps a bounded number of case states in memory (least recently used go)."""

from __future__ import annotations

import pytest
from _support.engine import WINDOW, at, make_engine
from hypothesis import given, settings
from hypothesis import strategies as st

from planning_core.cases import DEFAULT_CACHE_SIZE, Engine, Submit
from planning_core.errors import ValidationError
from planning_core.storage import CaseRow


def _clone_cases(engine: Engine, count: int) -> list[str]:
    """``count`` copies of one submitted case, appended straight to the store (the engine
    would take minutes to receive 100,000 applications; folding the copies is what the
    cache sees)."""
    engine.execute(
        Submit("c0", "TEST", "某公司", "某项目", ("application",)), WINDOW, at("2026-03-02 09:00")
    )
    events = [r.data for r in engine.store.load_events("c0")]
    row = engine.store.get_case("c0")
    assert row is not None
    ids = [f"c{i:06d}" for i in range(1, count + 1)]
    with engine.store.unit_of_work() as uow:
        for case_id in ids:
            docs = [{**doc, "case_id": case_id} for doc in events]
            copy = CaseRow(
                case_id=case_id,
                permit_type=row.permit_type,
                status=row.status,
                light=row.light,
                is_open=row.is_open,
                month=row.month,
                last_seq=row.last_seq,
                data=row.data,
            )
            uow.append(case_id, 0, docs, copy)
        uow.commit()
    return ids


def test_the_cache_bound_holds_with_100000_cases_touched() -> None:
    engine = make_engine()
    engine.cache_size = 500
    ids = _clone_cases(engine, 100_000)
    for case_id in ids:
        assert engine.load(case_id).case_id == case_id
        assert len(engine._cache) <= 500
    assert list(engine._cache) == ids[-500:]  # the most recently used stay


@settings(max_examples=50, deadline=None)
@given(size=st.integers(0, 6), touches=st.lists(st.integers(1, 12), max_size=40))
def test_the_cache_keeps_exactly_the_most_recently_used(size: int, touches: list[int]) -> None:
    engine = make_engine()
    ids = _clone_cases(engine, 12)
    engine.cache_size = size
    engine._cache.clear()
    for i in touches:
        engine.load(ids[i - 1])
    recent: list[str] = []
    for i in reversed(touches):
        if ids[i - 1] not in recent:
            recent.append(ids[i - 1])
    assert list(engine._cache) == list(reversed(recent[:size]))


def test_the_default_bound_and_a_bad_bound() -> None:
    assert make_engine().cache_size == DEFAULT_CACHE_SIZE
    with pytest.raises(ValidationError, match="cache_size must be a whole number >= 0"):
        Engine(make_engine().store, make_engine().organisation, cache_size=-1)
