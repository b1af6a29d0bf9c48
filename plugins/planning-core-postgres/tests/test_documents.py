"""Documents and keys: what goes in comes out, in Python's order; what PostgreSQL cannot hold
is refused up front, naming the value."""

from __future__ import annotations

import math
from collections.abc import Iterator

import pytest
from _plugins import PLUGINS
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from planning_core import ValidationError, open_store
from planning_core.storage import Store, WorkItem
from planning_core.testing.storage import make_case_row

_SETTINGS = settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(2**63), 2**63)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(), inner, max_size=3),
    max_leaves=10,
)
keys = st.text(min_size=1).filter(lambda k: "\x00" not in k)


@pytest.fixture
def store(postgres_schema_url: str) -> Iterator[Store]:
    with open_store(postgres_schema_url, PLUGINS) as opened:
        yield opened


@_SETTINGS
@given(docs=st.dictionaries(keys, st.dictionaries(st.text(), json_values), max_size=8))
def test_records_round_trip_in_code_point_order(store: Store, docs: dict) -> None:  # type: ignore[type-arg]
    store.delete_records("rt", [k for k, _ in store.list_records("rt")])
    store.put_records("rt", docs)
    listed = store.list_records("rt")
    assert [k for k, _ in listed] == sorted(docs)
    assert dict(listed) == docs
    for key, doc in docs.items():
        assert store.get_record("rt", key) == doc


@_SETTINGS
@given(
    stored=st.lists(st.text(alphabet="a_%\\规划", min_size=1, max_size=4), max_size=8),
    prefix=st.text(alphabet="a_%\\规划", max_size=3),
)
def test_a_prefix_is_taken_literally(store: Store, stored: list[str], prefix: str) -> None:
    store.delete_records("p", [k for k, _ in store.list_records("p")])
    store.put_records("p", {key: {} for key in stored})
    listed = [k for k, _ in store.list_records("p", prefix)]
    assert listed == sorted({k for k in stored if k.startswith(prefix)})


@_SETTINGS
@given(events=st.lists(st.dictionaries(st.text(), json_values), min_size=1, max_size=4))
def test_events_and_projections_round_trip(store: Store, events: list[dict]) -> None:  # type: ignore[type-arg]
    case_id = f"case-{len(store.open_case_ids())}"
    row = make_case_row(case_id, len(events), work=(WorkItem("审查岗", "审查", None),))
    with store.unit_of_work() as uow:
        uow.append(case_id, 0, events, row)
        uow.commit()
    assert [e.data for e in store.load_events(case_id)] == events
    assert store.get_case(case_id) == row


def test_nul_characters_are_refused_naming_the_value(store: Store) -> None:
    with pytest.raises(ValidationError, match="NUL"):
        store.put_records("c", {"a\x00b": {}})
    with store.unit_of_work() as uow, pytest.raises(ValidationError, match="step_id"):
        uow.append("x", 0, [{}], make_case_row("x", 1, work=(WorkItem("p", "s\x00", 1),)))
    with store.unit_of_work() as uow, pytest.raises(ValidationError, match="sequence name"):
        uow.next_sequence("cert\x00")
    assert store.get_record("c", "a\x00b") is None
    assert store.get_case("x\x00") is None
    assert store.inbox("p\x00") == []
    assert store.delete_records("c", ["a\x00b"]) == 0
    store.put_records("c", {"k": {"text": "a\x00b"}})  # inside a document it is escaped
    assert store.get_record("c", "k") == {"text": "a\x00b"}


@pytest.mark.parametrize("number", [math.nan, math.inf, -math.inf])
def test_numbers_json_cannot_write_are_refused(store: Store, number: float) -> None:
    with pytest.raises(ValidationError, match="record c/k"):
        store.put_records("c", {"k": {"area": number}})
    assert store.get_record("c", "k") is None
