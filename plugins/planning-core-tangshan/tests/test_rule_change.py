"""A rule change tested before it goes live: the construction permit's committed limit.

Tangshan publishes 10 working days for the construction-project permit instead of 15. The
national workflow cannot keep that promise (its worst case is 13 days), so the plugin
shortens three posts' limits in version 2 of the workflow. These tests hold the change
against the statutory check (行政许可法 art. 42 and the committed limit), and show what a
further change would break.
"""

from __future__ import annotations

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st
from planning_core_tangshan import (
    CONSTRUCTION_COMMITTED_DAYS,
    CONSTRUCTION_STEP_DAYS,
    tangshan_construction,
    with_step_days,
)

from planning_core import ValidationError
from planning_core.cases import CaseStatus
from planning_core.permits import PermitType, check_statutory, reference_permit_types
from planning_core.registry import Registry
from planning_core.testing import CaseFactory, ManualClock
from planning_core.timing import Deadline, TimeLimit

REFERENCE = next(p for p in reference_permit_types() if p.code == "CONSTRUCTION")


def test_the_registered_permit_is_the_city_version(pc_permit_types: Registry[PermitType]) -> None:
    permit = pc_permit_types.get("CONSTRUCTION")
    assert permit.committed_limit == TimeLimit.working_days(CONSTRUCTION_COMMITTED_DAYS)
    assert permit.committed_limit.days < permit.statutory_limit.days
    assert permit.workflow.version == REFERENCE.workflow.version + 1
    for step_id, days in CONSTRUCTION_STEP_DAYS.items():
        assert permit.workflow.step(step_id).days == days


def test_the_shorter_post_limits_keep_the_promise(pc_permit_types: Registry[PermitType]) -> None:
    permit = pc_permit_types.get("CONSTRUCTION")
    check = check_statutory(permit.workflow, permit)
    assert check.fits, check.problems()
    assert check.worst_case.days == CONSTRUCTION_COMMITTED_DAYS


def test_the_shorter_promise_on_the_national_workflow_would_be_broken() -> None:
    promised = attrs.evolve(
        REFERENCE, committed_limit=TimeLimit.working_days(CONSTRUCTION_COMMITTED_DAYS)
    )
    check = check_statutory(REFERENCE.workflow, promised)
    assert check.fits_statutory and not check.fits_committed
    assert check.over_committed[0] == check.worst_case
    assert "exceeds the committed limit 10个工作日 by 3" in check.problems()[0]


def test_a_longer_bureau_meeting_would_break_the_promise_but_not_the_law() -> None:
    city = tangshan_construction(REFERENCE)
    proposal = with_step_days(city.workflow, {"bureau_meeting": 5}, version=3)
    check = check_statutory(proposal, city)
    assert check.fits_statutory and not check.fits_committed
    assert "bureau_meeting" in check.over_committed[0].steps


@given(
    shortened=st.dictionaries(
        st.sampled_from(sorted(s.id for s in REFERENCE.workflow.steps if s.post)),
        st.integers(1, 2),
    )
)
def test_shortening_a_post_limit_never_lengthens_the_worst_case(
    shortened: dict[str, int],
) -> None:
    city = tangshan_construction(REFERENCE)
    days = {k: min(v, city.workflow.step(k).days) for k, v in shortened.items()}
    faster = with_step_days(city.workflow, days, version=3)
    before, after = check_statutory(city.workflow, city), check_statutory(faster, city)
    assert after.worst_case.days <= before.worst_case.days
    assert after.fits


def test_a_change_naming_an_unknown_step_is_refused() -> None:
    with pytest.raises(ValidationError, match=r"no step.*window_review"):
        with_step_days(REFERENCE.workflow, {"window_review": 1}, version=2)


def test_a_case_accepted_now_is_due_in_ten_working_days(
    pc_cases: CaseFactory, pc_clock: ManualClock
) -> None:
    case_id = pc_cases.accepted("CONSTRUCTION")
    state = pc_cases.state(case_id)
    assert state.status is CaseStatus.IN_REVIEW
    committed = state.clocks.committed
    assert committed is not None
    deadline = committed.deadline(pc_clock.calendar)
    assert isinstance(deadline, Deadline)
    assert deadline.date == pc_clock.calendar.add_working_days(pc_clock.today, 10)
