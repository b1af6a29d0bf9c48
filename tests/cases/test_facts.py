"""An application's facts: what workflow conditions read, recorded with the submission."""

from __future__ import annotations

import pytest

from planning_core.cases import Submit
from planning_core.errors import ValidationError


def test_facts_are_kept_as_sorted_pairs() -> None:
    submit = Submit("c1", "CONSTRUCTION", "某公司", "某楼", facts={"z": "x", "major_project": True})
    assert submit.facts == (("major_project", True), ("z", "x"))


@pytest.mark.parametrize(
    ("facts", "named"), [({"ratio": 1.5}, "ratio"), ({"": True}, "''"), ({"site": {}}, "site")]
)
def test_a_fact_no_condition_can_read_is_refused_by_name(
    facts: dict[str, object], named: str
) -> None:
    with pytest.raises(ValidationError, match=named):
        Submit("c1", "CONSTRUCTION", "某公司", "某楼", facts=facts)
