"""The six reference permit types: sound workflows that fit their limits."""

from __future__ import annotations

import pytest

from planning_core.permits import PermitType, check_statutory, reference_permit_types
from planning_core.workflow import (
    MeetingBody,
    StepKind,
    reference_organisation,
    validate,
    worst_case,
)

TYPES = {p.code: p for p in reference_permit_types()}
PREFIXES = {
    "SITE_SELECTION": "选字",
    "LAND_USE": "地字",
    "CONSTRUCTION": "建字",
    "RURAL_CONSTRUCTION": "乡字",
    "TEMPORARY_CONSTRUCTION": "临建字",
    "VERIFICATION": "核字",
}


@pytest.mark.parametrize("code", sorted(TYPES))
def test_workflow_is_valid_against_the_reference_bureau(code: str) -> None:
    permit = TYPES[code]
    validate(permit.workflow, conditions={"major_project"}, organisation=reference_organisation())
    assert permit.workflow.permit_type == code


@pytest.mark.parametrize("code", sorted(TYPES))
def test_worst_case_fits_statutory_and_committed_limits(code: str) -> None:
    permit = TYPES[code]
    result = check_statutory(permit.workflow, permit)
    assert result.fits, result.problems()
    assert result.worst_case.days <= permit.committed_limit.days <= 20


@pytest.mark.parametrize("code", sorted(TYPES))
def test_the_reference_path(code: str) -> None:
    permit = TYPES[code]
    definition = permit.workflow
    names = [definition.step(s).name for s in worst_case(definition).steps]
    assert names[:3] == ["收件", "窗口受理", "承办处室审核"]
    decider = "局务会" if definition.has_step("bureau_meeting") else "分管副局长审批"
    assert names[-3:] == ["处务会", decider, "审查完毕（拟准予许可）"]
    assert {e.target for e in definition.outgoing("leader")} == {"done", "denied", "review"}
    bodies = {s.meeting.body for s in definition.steps_of_kind(StepKind.MEETING) if s.meeting}
    assert MeetingBody.DIVISION_MEETING in bodies
    assert definition.has_step("leader") and definition.returns_to("leader") == ("review",)


def test_countersigns_where_a_bureau_would_have_them() -> None:
    with_countersign = {c for c, p in TYPES.items() if p.workflow.steps_of_kind(StepKind.SPLIT)}
    assert with_countersign == set(TYPES) - {"RURAL_CONSTRUCTION"}


@pytest.mark.parametrize("code", sorted(TYPES))
def test_certificate_and_materials(code: str) -> None:
    permit: PermitType = TYPES[code]
    assert permit.certificate.prefix == PREFIXES[code]
    assert permit.required_materials and permit.materials[0].code == "application"
    assert permit.legal_basis.startswith("《城乡规划法》")
    assert permit.name_zh and permit.name_en
