from __future__ import annotations

import attrs
import pytest

from planning_core.errors import ValidationError
from planning_core.permits import check_statutory, reference_permit_types
from planning_core.timing import TimeLimit
from planning_core.workflow import forward_paths

CONSTRUCTION = next(p for p in reference_permit_types() if p.code == "CONSTRUCTION")


def _slower(step_id: str, days: int) -> object:
    steps = [
        attrs.evolve(s, time_limit=TimeLimit.working_days(days)) if s.id == step_id else s
        for s in CONSTRUCTION.workflow.steps
    ]
    return attrs.evolve(CONSTRUCTION.workflow, steps=steps)


def test_a_slow_meeting_breaks_the_committed_limit_and_is_named() -> None:
    workflow = _slower("bureau_meeting", 7)
    result = check_statutory(workflow, CONSTRUCTION)  # type: ignore[arg-type]
    assert result.fits_statutory and not result.fits_committed and not result.fits
    assert result.over_committed[0] == result.worst_case
    assert all("bureau_meeting" in p.steps for p in result.over_committed)
    every = forward_paths(workflow)  # type: ignore[arg-type]
    expected = {p.steps for p in every if p.days > CONSTRUCTION.committed_limit.days}
    assert {p.steps for p in result.over_committed} == expected
    lines = result.problems()
    assert lines[0].startswith("path start → accept → review")
    assert "exceeds the committed limit 15个工作日 by 2" in lines[0]


def test_a_slow_review_breaks_both_limits() -> None:
    workflow = _slower("review", 12)
    result = check_statutory(workflow, CONSTRUCTION)  # type: ignore[arg-type]
    assert not result.fits_statutory and not result.fits_committed
    assert result.worst_case.days == 21
    assert any("statutory limit 20个工作日 by 1" in line for line in result.problems())


def test_the_workflow_must_serve_the_permit_type() -> None:
    other = next(p for p in reference_permit_types() if p.code == "LAND_USE")
    with pytest.raises(ValidationError, match="is for permit type 'LAND_USE'"):
        check_statutory(other.workflow, CONSTRUCTION)


def test_limits_must_be_in_working_days() -> None:
    natural = attrs.evolve(
        CONSTRUCTION,
        statutory_limit=TimeLimit.natural_days(30),
        committed_limit=TimeLimit.natural_days(20),
    )
    with pytest.raises(ValidationError, match="not in working days"):
        check_statutory(natural.workflow, natural)
