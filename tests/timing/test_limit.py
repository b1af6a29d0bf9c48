from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

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
