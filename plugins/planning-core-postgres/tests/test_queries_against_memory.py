"""The projection queries answer as the in-memory reference store does, for any set of cases.

The in-memory store is the contract's reference: hypothesis builds cases with any mix of
open and closed, deadlines, wake times and work items (several steps for one post, unknown
due times), writes them to both stores, and every query must agree, for every limit. This is
what checks the inbox's index-head shortcut, which reads further when a page's cases hold
many work items each.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import attrs
import psycopg
import pytest
from _plugins import PLUGINS
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from planning_core_postgres import parse_url

from planning_core import open_store
from planning_core.storage import CaseRow, Store, WorkItem
from planning_core.testing.storage import make_case_row

POSTS = ["窗口", "审查", "审批"]

work_items = st.lists(
    st.builds(
        WorkItem,
        post=st.sampled_from(POSTS),
        step_id=st.sampled_from(["s1", "s2", "s3", "s4"]),
        due_ts=st.none() | st.integers(0, 20),
    ),
    max_size=6,
    unique_by=lambda w: (w.post, w.step_id),
)
case_specs = st.lists(
    st.fixed_dictionaries(
        {
            "is_open": st.booleans(),
            "deadline_ts": st.none() | st.integers(0, 20),
            "wake_ts": st.none() | st.integers(0, 20),
            "light": st.sampled_from(["GREEN", "YELLOW", "RED"]),
            "permit_type": st.sampled_from(["T1", "T2"]),
            "work": work_items.map(tuple),
        }
    ),
    max_size=12,
)


@pytest.fixture
def stores(postgres_schema_url: str) -> Iterator[tuple[Store, Callable[[], None]]]:
    settings_ = parse_url(postgres_schema_url)

    def empty() -> None:
        with psycopg.connect(settings_.conninfo, options=settings_.options) as conn:
            conn.execute("TRUNCATE cases, events, work_items, snapshots")

    with open_store(postgres_schema_url, PLUGINS) as store:
        yield store, empty


def _ids(rows: list[CaseRow]) -> list[str]:
    return [row.case_id for row in rows]


def _same(rows: list[CaseRow]) -> list[CaseRow]:
    """Rows with their work items in one order: the contract leaves their order open."""
    return [attrs.evolve(row, work=tuple(sorted(row.work, key=str))) for row in rows]


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(specs=case_specs, limit=st.integers(1, 5), ts=st.integers(0, 21))
def test_every_query_agrees_with_the_memory_store(
    stores: tuple[Store, Callable[[], None]],
    specs: list[dict[str, Any]],
    limit: int,
    ts: int,
) -> None:
    postgres, empty = stores
    empty()
    with open_store("memory://") as memory:
        for n, spec in enumerate(specs):
            if not spec["is_open"]:  # what a closed case's work is, backends disagree on
                spec = {**spec, "work": ()}
            row = make_case_row(f"case-{n:02}", 1, **spec)
            for store in (memory, postgres):
                with store.unit_of_work() as uow:
                    uow.append(row.case_id, 0, [{"n": 1}], row)
                    uow.commit()
        for post in POSTS:
            for page in (limit, 100):
                assert _ids(postgres.inbox(post, page)) == _ids(memory.inbox(post, page))
        queries: list[Callable[[Store], list[CaseRow]]] = [
            lambda store: store.due_before(ts),
            lambda store: store.overdue(ts, limit),
            lambda store: store.waking(ts, limit),
            lambda store: store.waking(ts, limit, after=(ts // 2, "case-05")),
            lambda store: store.cases(limit=limit, after="case-03"),
            lambda store: store.cases(light="RED", limit=limit),
            lambda store: store.cases(permit_type="T2"),
        ]
        for query in queries:
            assert _same(query(postgres)) == _same(query(memory))
        assert postgres.open_case_ids() == memory.open_case_ids()
        assert postgres.counts_by_type_and_month() == memory.counts_by_type_and_month()
