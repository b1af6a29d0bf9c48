"""CONSULT steps in workflow definitions: what a sound one needs, JSON, the worst case."""

from __future__ import annotations

import attrs
import pytest

from planning_core.errors import ValidationError
from planning_core.permits import check_statutory
from planning_core.testing import permit_type_for
from planning_core.timing import TimeLimit
from planning_core.workflow import (
    Action,
    Combine,
    Consultation,
    Consultee,
    Division,
    Silence,
    Step,
    StepKind,
    WorkflowDefinitionError,
    consult_step,
    definition_from_json,
    definition_to_json,
    reference_organisation,
    validate,
    worst_case,
)

from .conftest import parallel_workflow, with_departments


def _with_consult(step: Step) -> list[str]:
    """The problems of the sample workflow with its CONSULT step replaced by ``step``."""
    definition = parallel_workflow()
    steps = tuple(step if s.id == "consult" else s for s in definition.steps)
    with pytest.raises(WorkflowDefinitionError) as raised:
        attrs.evolve(definition, steps=steps)
    return [str(p) for p in raised.value.problems]


def test_a_consultation_without_a_limit_or_a_silence_rule_is_named() -> None:
    step = consult_step(
        "consult",
        "征求意见",
        post="CONSTRUCTION_REVIEWER",
        departments=[Consultee("FIRE", 5), Consultee("CIVIL_DEFENCE"), Consultee("TRANSPORT", 3)],
    )
    problems = _with_consult(step)
    assert any("'CIVIL_DEFENCE' without a time limit" in p for p in problems)
    silent = [p for p in problems if "without a rule on silence" in p]
    assert len(silent) == 3 and all("deemed_consent" in p for p in silent)
    assert all("consult" in p for p in problems)


def test_a_consult_step_needs_departments_an_edge_per_outcome_and_its_longest_limit() -> None:
    empty = Step("consult", "征求意见", StepKind.CONSULT, post="CONSTRUCTION_REVIEWER")
    assert any("consults no department" in p for p in _with_consult(empty))
    good = parallel_workflow().step("consult")
    short = attrs.evolve(good, time_limit=TimeLimit.working_days(2))
    assert any("shorter than its slowest department's 5" in p for p in _with_consult(short))
    approve_only = attrs.evolve(good, actions=(Action.APPROVE,))
    assert any("allow RETURN" in p for p in _with_consult(approve_only))
    twice = attrs.evolve(
        good,
        consultation=Consultation((Consultee("FIRE", 5), Consultee("FIRE", 4)), Silence.WAIT),
    )
    assert any("'FIRE' 2 times" in p for p in _with_consult(twice))


def test_consulted_departments_are_external_divisions_of_the_organisation() -> None:
    definition = parallel_workflow()
    with pytest.raises(WorkflowDefinitionError) as raised:
        validate(definition, organisation=reference_organisation())
    assert len([p for p in raised.value.problems if "not in the organisation" in str(p)]) == 3
    validate(definition, organisation=with_departments(reference_organisation()))
    internal = attrs.evolve(
        with_departments(reference_organisation()),
        divisions=tuple(
            attrs.evolve(d, external=False) if d.code == "FIRE" else d
            for d in with_departments(reference_organisation()).divisions
        ),
    )
    with pytest.raises(WorkflowDefinitionError, match="problem") as raised:
        validate(definition, organisation=internal)
    assert any("会签" in str(p) for p in raised.value.problems)


def test_an_external_department_needs_its_liaison() -> None:
    org = reference_organisation()
    with pytest.raises(ValidationError, match="'FIRE' is external but has no liaison"):
        attrs.evolve(org, divisions=(*org.divisions, Division("FIRE", "消防", external=True)))


def test_the_consultation_survives_json() -> None:
    definition = parallel_workflow(Silence.ESCALATE, Combine.ALL_MUST_AGREE)
    again = definition_from_json(definition_to_json(definition))
    assert again == definition and again.content_hash == definition.content_hash
    consultation = again.step("consult").consultation
    assert consultation is not None and consultation.combine is Combine.ALL_MUST_AGREE
    assert consultation.silence_of("TRANSPORT") is Silence.ESCALATE
    assert consultation.silence_of("FIRE") is Silence.WAIT


def test_the_worst_case_counts_the_slowest_department_against_the_limits() -> None:
    definition = parallel_workflow()
    # window 1 + review 3 + consultation 5 (its slowest department) + leader 2
    assert worst_case(definition).days == 11
    assert check_statutory(definition, permit_type_for(definition, statutory_days=11)).fits
    slower = parallel_workflow()
    step = slower.step("consult")
    assert step.consultation is not None
    longer = consult_step(
        "consult",
        "征求意见",
        post="CONSTRUCTION_REVIEWER",
        departments=[*step.consultation.departments[:2], Consultee("TRANSPORT", 15)],
        silence=Silence.WAIT,
    )
    slower = attrs.evolve(
        slower, steps=tuple(longer if s.id == "consult" else s for s in slower.steps)
    )
    check = check_statutory(
        slower, permit_type_for(definition, statutory_days=20, committed_days=11)
    )
    assert not check.fits_statutory and not check.fits_committed
    assert any("consult" in p and "statutory" in p for p in check.problems())
