from __future__ import annotations

import attrs
import pytest

from planning_core.errors import ValidationError
from planning_core.permits import (
    DEFAULT_EXTENSION,
    STATUTORY_LIMIT,
    Material,
    PermitType,
    reference_permit_types,
)
from planning_core.timing import TimeLimit


@pytest.fixture
def construction() -> PermitType:
    return next(p for p in reference_permit_types() if p.code == "CONSTRUCTION")


def test_statutory_and_extension_follow_article_42() -> None:
    assert TimeLimit.working_days(20) == STATUTORY_LIMIT
    assert TimeLimit.working_days(10) == DEFAULT_EXTENSION


def test_committed_limit_may_not_exceed_the_statutory_one(construction: PermitType) -> None:
    with pytest.raises(ValidationError, match="exceeds the statutory limit 20个工作日"):
        attrs.evolve(construction, committed_limit=TimeLimit.working_days(21))
    same = attrs.evolve(construction, committed_limit=STATUTORY_LIMIT)
    assert same.committed_limit == same.statutory_limit


def test_limits_in_different_units_are_refused(construction: PermitType) -> None:
    with pytest.raises(ValidationError, match="different units"):
        attrs.evolve(construction, committed_limit=TimeLimit.natural_days(10))


def test_every_permit_problem_is_listed(construction: PermitType) -> None:
    with pytest.raises(ValidationError) as info:
        attrs.evolve(
            construction,
            code="OTHER",
            committed_limit=TimeLimit.working_days(0),
            materials=[Material("a", "甲"), Material("a", "乙")],
        )
    problems = "\n".join(info.value.problems)
    assert len(info.value.problems) == 3
    assert "at least one working day" in problems
    assert "not 'OTHER'" in problems
    assert "material 'a' is listed 2 times" in problems


def test_extension_and_required_materials(construction: PermitType) -> None:
    assert construction.extension_allowed
    assert not attrs.evolve(construction, extension=None).extension_allowed
    optional = {m.code for m in construction.materials if not m.required}
    assert optional == {"agency_letter"}
    assert set(construction.required_materials) == {
        m for m in construction.materials if m.code not in optional
    }


def test_the_township_matter_is_one_of_the_known_matters_or_none() -> None:
    import attrs

    from planning_core.errors import ValidationError
    from planning_core.permits import reference_permit_types

    reference = {p.code: p.township_matter for p in reference_permit_types()}
    assert reference["RURAL_CONSTRUCTION"] == "rural_construction_permit"
    assert reference["LAND_USE"] == "land_use_permit"
    assert reference["SITE_SELECTION"] == "site_selection_opinion"
    assert reference["CONSTRUCTION"] is None
    rural = next(p for p in reference_permit_types() if p.code == "RURAL_CONSTRUCTION")
    with pytest.raises(ValidationError, match=r"'rural_permit'.*rural_construction_permit"):
        attrs.evolve(rural, township_matter="rural_permit")
