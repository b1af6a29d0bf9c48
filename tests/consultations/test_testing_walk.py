"""``walk_case`` (planning_core.testing) passes a CONSULT step: the departments answer."""

from __future__ import annotations

from planning_core.cases import CaseStatus, OpinionRecorded
from planning_core.testing import Bureau, CaseFactory


def _answers(bureau: Bureau, case: str) -> list[tuple[str, str]]:
    return [
        (r.event.department, r.event.answer)
        for r in bureau.engine.history(case)
        if isinstance(r.event, OpinionRecorded)
    ]


def test_a_walk_has_every_department_agree(pc_bureau: Bureau, pc_cases: CaseFactory) -> None:
    case = pc_cases.accepted("PARALLEL")
    walk = pc_cases.walk(case)
    assert walk.state.status is not CaseStatus.IN_REVIEW
    assert "consult" in walk.steps and walk.steps[-1] == "leader"
    assert sorted(_answers(pc_bureau, case)) == [
        ("CIVIL_DEFENCE", "agree"),
        ("FIRE", "agree"),
        ("TRANSPORT", "agree"),
    ]
    assert not walk.state.open_consultations


def test_a_walk_that_returns_at_the_consultation_asks_the_objector_again(
    pc_bureau: Bureau, pc_cases: CaseFactory
) -> None:
    case = pc_cases.accepted("PARALLEL")
    walk = pc_cases.walk(case, {"consult": ["RETURN"]})
    assert walk.steps.count("review") == 2 and walk.steps.count("consult") == 2
    answers = _answers(pc_bureau, case)
    objected = [department for department, answer in answers if answer == "object"]
    assert len(objected) == 1
    assert answers[-1] == (objected[0], "agree")  # asked again after the revision, agrees


def test_a_departments_conditions_are_printed_on_the_decision_and_the_certificate(
    pc_bureau: Bureau, pc_cases: CaseFactory
) -> None:
    from planning_core.cases import Decide, IssueCertificate, Outcome, RecordOpinion
    from planning_core.documents import case_documents

    case = pc_cases.accepted("PARALLEL")
    pc_cases.walk(case, until="consult")
    pc_cases.execute(
        RecordOpinion(case, "consult", "FIRE", "agree_with_conditions", "", ("设置环形消防车道",)),
        "FIRE_LIAISON",
    )
    pc_cases.walk(case)
    pc_cases.execute(Decide(case, Outcome.APPROVED))
    pc_cases.execute(IssueCertificate(case))
    history = pc_bureau.engine.history(case)
    permit = pc_bureau.engine.permit_type("PARALLEL")
    printed = {d.kind: d for d in case_documents(history, permit, bureau="某市自然资源和规划局")}
    for kind in ("approval_decision", "certificate"):
        text = "".join(printed[kind].paragraphs)
        assert "附加条件（相关部门意见）：（1）市消防救援支队：设置环形消防车道。" in text, kind
