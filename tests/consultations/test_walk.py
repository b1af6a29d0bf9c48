"""A case consulted three departments, under each rule on silence (并联审批, 征求意见).

The fire brigade agrees with a condition, civil air defence objects and withdraws its
objection after the revision, the transport bureau stays silent past its 3 working days;
what the silence brings about is the workflow's rule.
"""

from __future__ import annotations

import pytest

from planning_core.cases import (
    CaseDecided,
    CertificateIssued,
    Complete,
    ConsultationEscalated,
    ConsultationRequested,
    Decide,
    IssueCertificate,
    OpinionRecorded,
    Outcome,
    RecordOpinion,
    StepCompleted,
)
from planning_core.errors import InvalidStateError, PermissionDeniedError, ValidationError
from planning_core.testing import Bureau, CaseFactory, ManualClock
from planning_core.workflow import Answer, Silence


def _to_consultation(cases: CaseFactory) -> str:
    case = cases.accepted("PARALLEL")
    cases.execute(Complete(case, "window", "FORWARD"))
    cases.execute(Complete(case, "review", "APPROVE", "拟同意，征求相关部门意见"))
    return case


def _events(bureau: Bureau, case: str, kind: type) -> list:
    return [r for r in bureau.engine.history(case) if isinstance(r.event, kind)]


def test_each_department_is_asked_with_its_own_clock_and_liaison(
    pc_bureau: Bureau, pc_cases: CaseFactory
) -> None:
    case = _to_consultation(pc_cases)
    state = pc_bureau.engine.load(case)
    asked = {c.department: c for c in state.open_consultations}
    assert set(asked) == {"FIRE", "CIVIL_DEFENCE", "TRANSPORT"}
    assert asked["TRANSPORT"].limit.days == 3 and asked["FIRE"].limit.days == 5
    assert asked["FIRE"].liaison.startswith("防火监督科")
    names = {name for name, _ in state.clocks.named()}
    assert {c.clock for c in asked.values()} <= names
    # the step waits at the bureau's post, whose inbox shows it
    assert [t.post for t in state.tokens] == ["CONSTRUCTION_REVIEWER"]
    requests = _events(pc_bureau, case, ConsultationRequested)
    assert [r.event.round for r in requests] == [1, 1, 1]


def test_the_step_cannot_be_completed_by_hand_nor_answered_by_a_stranger(
    pc_cases: CaseFactory,
) -> None:
    case = _to_consultation(pc_cases)
    with pytest.raises(InvalidStateError, match="RecordOpinion"):
        pc_cases.execute(Complete(case, "consult", "APPROVE"), "CONSTRUCTION_REVIEWER")
    with pytest.raises(PermissionDeniedError, match="FIRE"):
        pc_cases.execute(RecordOpinion(case, "consult", "FIRE", "agree"), "TR_LIAISON")
    with pytest.raises(ValidationError, match="conditions"):
        pc_cases.execute(
            RecordOpinion(case, "consult", "FIRE", "agree_with_conditions"), "FIRE_LIAISON"
        )
    with pytest.raises(ValidationError, match="reasons"):
        pc_cases.execute(RecordOpinion(case, "consult", "FIRE", "object"), "FIRE_LIAISON")
    with pytest.raises(ValidationError, match="answer"):
        RecordOpinion(case, "consult", "FIRE", "maybe")
    assert RecordOpinion(case, "consult", "FIRE", Answer.OBJECT, "x").answer == "object"
    assert RecordOpinion(case, "consult", "FIRE", "AGREE").answer == "agree"
    with pytest.raises(InvalidStateError, match="not asked"):
        pc_cases.execute(RecordOpinion(case, "consult", "LAND", "agree"), "CONSTRUCTION_REVIEWER")


def test_three_departments_one_with_conditions_one_objecting_one_silent(
    pc_bureau: Bureau, pc_cases: CaseFactory, pc_clock: ManualClock, silence: Silence
) -> None:
    engine = pc_bureau.engine
    case = _to_consultation(pc_cases)
    pc_clock.advance(hours=2)
    pc_cases.execute(
        RecordOpinion(
            case,
            "consult",
            "FIRE",
            "agree_with_conditions",
            "原则同意",
            ("设置环形消防车道",),
            "消支审〔2026〕12号",
        ),
        "FIRE_LIAISON",
    )
    pc_cases.execute(
        RecordOpinion(case, "consult", "CIVIL_DEFENCE", "object", "未按规定配建防空地下室"),
        "CD_LIAISON",
    )
    # the transport bureau says nothing; its 3 working days run out
    pc_clock.advance(working_days=4)
    engine.sweep(pc_clock.now)
    engine.sweep(pc_clock.now)  # a second sweep records nothing more
    state = engine.load(case)
    transport = next(c for c in state.consultations if c.department == "TRANSPORT")

    if silence is Silence.DEEMED_CONSENT:
        # 逾期未回复视为同意: consent at the instant the limit ran out, then the objection
        # returns the case for revision
        (deemed,) = _events(pc_bureau, case, OpinionRecorded)[2:]
        assert deemed.actor is None and deemed.event.deemed and deemed.event.answer == "agree"
        assert deemed.at < pc_clock.now
        assert transport.deemed and transport.answer == "agree"
        assert [t.step_id for t in state.tokens] == ["review"]
        (done,) = [
            r for r in _events(pc_bureau, case, StepCompleted) if r.event.step_id == "consult"
        ]
        assert done.event.action == "return" and "视为同意" in done.event.opinion
    else:
        assert transport.is_open and state.tokens[0].step_id == "consult"
        assert state.recorded_light(transport.clock) == "red"
        escalations = _events(pc_bureau, case, ConsultationEscalated)
        assert len(escalations) == (1 if silence is Silence.ESCALATE else 0)
        assert transport.escalated is (silence is Silence.ESCALATE)
        # the case cannot be decided while the consultation is open
        with pytest.raises(InvalidStateError):
            pc_cases.execute(Decide(case, Outcome.APPROVED), "DEPUTY_HEAD")
        pc_cases.execute(RecordOpinion(case, "consult", "TRANSPORT", "agree", "同意"), "TR_LIAISON")
        assert engine.load(case).tokens[0].step_id == "review"

    # the revision: the review again, and only the objecting department is asked again
    pc_clock.advance(hours=2)
    pc_cases.execute(Complete(case, "review", "APPROVE", "已按人防意见修改"))
    again = [r.event for r in _events(pc_bureau, case, ConsultationRequested)][3:]
    assert [(r.department, r.round) for r in again] == [("CIVIL_DEFENCE", 2)]
    pc_cases.execute(
        RecordOpinion(case, "consult", "CIVIL_DEFENCE", "agree", "已配建，同意"), "CD_LIAISON"
    )
    assert engine.load(case).tokens[0].step_id == "leader"
    pc_cases.execute(Complete(case, "leader", "APPROVE", "同意"))
    (decided,) = pc_cases.execute(Decide(case, Outcome.APPROVED))
    assert isinstance(decided.event, CaseDecided)
    assert decided.event.conditions == ("市消防救援支队：设置环形消防车道",)
    (issued,) = pc_cases.execute(IssueCertificate(case))
    assert isinstance(issued.event, CertificateIssued)
    assert issued.event.conditions == decided.event.conditions
    assert engine.verify_history(case).ok
    assert engine.check_projection(case)


def test_the_last_answer_closes_the_step_and_all_consents_pass_it(
    pc_bureau: Bureau, pc_cases: CaseFactory, pc_clock: ManualClock
) -> None:
    case = _to_consultation(pc_cases)
    for department, post in (("FIRE", "FIRE_LIAISON"), ("CIVIL_DEFENCE", "CD_LIAISON")):
        pc_cases.execute(RecordOpinion(case, "consult", department, "agree"), post)
        assert pc_bureau.engine.load(case).tokens[0].step_id == "consult"
    # the bureau's post records an answer that came on paper
    pc_cases.execute(
        RecordOpinion(case, "consult", "TRANSPORT", "agree", document="交规函〔2026〕3号"),
        "CONSTRUCTION_REVIEWER",
    )
    state = pc_bureau.engine.load(case)
    assert state.tokens[0].step_id == "leader"
    assert not state.open_consultations
    assert not any(name.startswith("consult:") for name, _ in state.clocks.named())


def test_an_objection_withdrawn_before_the_others_answer_is_replaced(
    pc_bureau: Bureau, pc_cases: CaseFactory
) -> None:
    case = _to_consultation(pc_cases)
    pc_cases.execute(
        RecordOpinion(case, "consult", "FIRE", "object", "消防车道不足"), "FIRE_LIAISON"
    )
    pc_cases.execute(RecordOpinion(case, "consult", "FIRE", "agree", "撤回异议"), "FIRE_LIAISON")
    pc_cases.execute(RecordOpinion(case, "consult", "CIVIL_DEFENCE", "agree"), "CD_LIAISON")
    pc_cases.execute(RecordOpinion(case, "consult", "TRANSPORT", "agree"), "TR_LIAISON")
    assert pc_bureau.engine.load(case).tokens[0].step_id == "leader"


def test_a_suspension_stops_the_departments_clocks_and_their_silence(
    pc_bureau: Bureau, pc_cases: CaseFactory, pc_clock: ManualClock, silence: Silence
) -> None:
    from planning_core.cases import Resume, Suspend

    case = _to_consultation(pc_cases)
    pc_cases.execute(Suspend(case, "expert_review", expected_working_days=10), "CONSTRUCTION_HEAD")
    state = pc_bureau.engine.load(case)
    assert all(
        clock.open_pause is not None
        for name, clock in state.clocks.named()
        if name.startswith("consult:")
    )
    pc_clock.advance(working_days=8)
    pc_bureau.engine.sweep(pc_clock.now)
    assert len(pc_bureau.engine.load(case).open_consultations) == 3  # nothing deemed
    # an answer that comes during the suspension is recorded all the same
    pc_cases.execute(RecordOpinion(case, "consult", "FIRE", "agree"), "FIRE_LIAISON")
    pc_cases.execute(Resume(case), "CONSTRUCTION_HEAD")
    pc_clock.advance(working_days=4)
    pc_bureau.engine.sweep(pc_clock.now)
    still = {c.department for c in pc_bureau.engine.load(case).open_consultations}
    expected = {"CIVIL_DEFENCE"} | (set() if silence is Silence.DEEMED_CONSENT else {"TRANSPORT"})
    assert still == expected
    assert pc_bureau.engine.check_projection(case)
