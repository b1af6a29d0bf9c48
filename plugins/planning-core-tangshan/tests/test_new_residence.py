"""农村新民居建设规划许可 from the window to the certificate, on the library's fixtures."""

from __future__ import annotations

from collections.abc import Callable

from hypothesis import HealthCheck, given, settings
from planning_core_tangshan import NEW_RESIDENCE, new_residence_permit_type

from planning_core.cases import CaseStatus, Outcome
from planning_core.permits import PermitType, check_statutory
from planning_core.plugins import Hooks
from planning_core.registry import Registry
from planning_core.testing import CaseFactory, Scenario, Walk
from planning_core.testing.strategies import command_sequences
from planning_core.workflow import reference_organisation, validate


def test_the_workflow_fits_the_reference_organisation_and_its_limits(
    pc_permit_types: Registry[PermitType],
) -> None:
    permit = pc_permit_types.get(NEW_RESIDENCE)
    validate(permit.workflow, organisation=reference_organisation())
    check = check_statutory(permit.workflow, permit)
    assert check.fits, check.problems()
    assert check.worst_case.days == 7 < permit.committed_limit.days


def test_a_villagers_house_from_intake_to_certificate(pc_cases: CaseFactory) -> None:
    case_id = pc_cases.delivered(NEW_RESIDENCE, applicant="丰润区某村村民", project="农村新民居")
    state = pc_cases.state(case_id)
    assert state.status is CaseStatus.DELIVERED
    assert state.case_number == "TS-2026-XM-00001"
    assert state.certificate_number == "乡字第2026-0001号"
    assert pc_cases.bureau.engine.verify_history(case_id).ok


def test_the_division_meeting_sends_it_back_once(
    pc_cases: CaseFactory, pc_walk: Callable[..., Walk]
) -> None:
    case_id = pc_cases.accepted(NEW_RESIDENCE)
    walk = pc_walk(case_id, {"division_meeting": ["RETURN", "APPROVE"]})
    assert walk.steps.count("review") == 2
    assert walk.steps.count("cs_site") == 2
    assert walk.state.status is CaseStatus.AWAITING_DECISION


def test_a_refusal_by_the_deputy_head(pc_cases: CaseFactory) -> None:
    case_id = pc_cases.decided(NEW_RESIDENCE, Outcome.DENIED, {"leader": "REJECT"})
    assert pc_cases.state(case_id).status is CaseStatus.DENIED


def test_a_missing_township_opinion_is_noticed_at_intake(pc_cases: CaseFactory) -> None:
    case_id = pc_cases.submit(NEW_RESIDENCE, missing=["township_opinion"])
    assert "township_opinion" not in pc_cases.state(case_id).materials


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    scenario=command_sequences(new_residence_permit_type(), organisation=reference_organisation())
)
def test_any_legal_life_of_a_case_keeps_its_history(scenario: Scenario, pc_hooks: Hooks) -> None:
    bureau = scenario.bureau(hooks=pc_hooks)
    try:
        scenario.run(bureau)
        row = bureau.store.get_case(scenario.case_id)
        assert row is not None and row.case_number == "TS-2026-XM-00001"
        assert bureau.engine.verify_history(scenario.case_id).ok
        assert bureau.engine.check_projection(scenario.case_id)
    finally:
        bureau.close()
