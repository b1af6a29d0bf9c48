from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from _support.engine import WINDOW, at, make_engine, sample_permit, submit
from hypothesis import given
from hypothesis import strategies as st

from planning_core.cases import Accept, Complete
from planning_core.errors import ValidationError
from planning_core.serialization import dump, load, make_converter
from planning_core.timing import LimitUnit, TimeLimit

limits = st.builds(
    TimeLimit, st.integers(min_value=0, max_value=10_000), st.sampled_from(LimitUnit)
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("20 working days", TimeLimit(20, LimitUnit.WORKING_DAYS)),
        ("20wd", TimeLimit(20, LimitUnit.WORKING_DAYS)),
        ("20 WD", TimeLimit(20, LimitUnit.WORKING_DAYS)),
        ("1 working day", TimeLimit(1, LimitUnit.WORKING_DAYS)),
        ("30 days", TimeLimit(30, LimitUnit.NATURAL_DAYS)),
        ("30 natural days", TimeLimit(30, LimitUnit.NATURAL_DAYS)),
        ("20个工作日", TimeLimit(20, LimitUnit.WORKING_DAYS)),
        ("30日", TimeLimit(30, LimitUnit.NATURAL_DAYS)),
        ("30天", TimeLimit(30, LimitUnit.NATURAL_DAYS)),
        ("30个自然日", TimeLimit(30, LimitUnit.NATURAL_DAYS)),
    ],
)
def test_parse_accepts_the_usual_spellings(text: str, expected: TimeLimit) -> None:
    assert TimeLimit.parse(text) == expected


@pytest.mark.parametrize(
    "text", ["", "soon", "20", "working days", "-3 days", "2.5 days", "20 weeks"]
)
def test_parse_rejects_other_text_quoting_it(text: str) -> None:
    with pytest.raises(ValidationError) as info:
        TimeLimit.parse(text)
    assert repr(text) in str(info.value)


def test_negative_limit_is_refused() -> None:
    with pytest.raises(ValidationError, match="-1"):
        TimeLimit(-1)


def test_constructors_and_text_forms() -> None:
    assert TimeLimit.working_days(20) == TimeLimit(20)
    assert str(TimeLimit.working_days(20)) == "20 working days"
    assert str(TimeLimit.natural_days(30)) == "30 natural days"
    assert TimeLimit.working_days(20).zh == "20个工作日"
    assert TimeLimit.natural_days(30).zh == "30日"


@given(limits)
def test_text_forms_parse_back(limit: TimeLimit) -> None:
    assert TimeLimit.parse(str(limit)) == limit
    assert TimeLimit.parse(limit.zh) == limit


@given(limits)
def test_round_trips_through_the_converter(limit: TimeLimit) -> None:
    converter = make_converter()
    assert load(converter, dump(converter, limit), TimeLimit) == limit


def test_converter_refuses_a_negative_value() -> None:
    converter = make_converter()
    with pytest.raises(ValidationError):
        load(converter, {"value": -2, "unit": "working_days"}, TimeLimit)


def test_the_json_shape_is_days_and_unit() -> None:
    converter = make_converter()
    assert dump(converter, TimeLimit.working_days(20)) == {"days": 20, "unit": "working_days"}
    assert dump(converter, TimeLimit.natural_days(30)) == {"days": 30, "unit": "natural_days"}


@given(limits)
def test_data_written_before_the_rename_still_loads(limit: TimeLimit) -> None:
    old = {"value": limit.days, "unit": limit.unit.value}
    assert load(make_converter(), old, TimeLimit) == limit


def test_both_names_at_once_are_refused_naming_them() -> None:
    with pytest.raises(ValidationError, match="'days' only; 'value' is its former name"):
        load(make_converter(), {"days": 2, "value": 3}, TimeLimit)


def test_value_is_a_deprecated_alias_of_days() -> None:
    with pytest.warns(DeprecationWarning, match="TimeLimit.days"):
        assert TimeLimit.natural_days(7).value == 7


def test_a_store_written_before_the_rename_still_loads_and_verifies(tmp_path: Path) -> None:
    """Events recorded with ``{"value": …}`` limits (as before the rename) are read back,
    their hash chain still verifies, and the case goes on."""
    url = f"sqlite:///{tmp_path / 'old.db'}"
    engine = make_engine(url)
    engine.converter.register_unstructure_hook(
        TimeLimit, lambda limit: {"value": limit.days, "unit": limit.unit.value}
    )
    submit(engine)
    engine.execute(Accept("c1"), WINDOW, at("2026-03-02 10:00"))
    engine.store.close()
    raw = sqlite3.connect(tmp_path / "old.db")
    docs = [row[0] for row in raw.execute("SELECT doc FROM events ORDER BY seq")]
    raw.close()
    assert any('"value":' in doc for doc in docs) and not any('"days":' in d for d in docs)

    again = make_engine(url)
    assert again.verify_history("c1").ok
    state = again.load("c1")
    assert state.clocks.committed is not None
    assert state.clocks.committed.limit == sample_permit().committed_limit
    again.execute(Complete("c1", "window", "FORWARD"), WINDOW, at("2026-03-02 11:00"))
    assert again.verify_history("c1").ok
