"""Tangshan's construction permit under parallel approval, and its ratings (好差评)."""

from __future__ import annotations

import logging

import pytest
from planning_core_tangshan import (
    DEPARTMENTS,
    PARALLEL_CONSTRUCTION,
    opinion_letter,
    provincial_rating,
    with_departments,
)

from planning_core.cases import (
    Complete,
    ConsultationRequest,
    Decide,
    Deliver,
    IssueCertificate,
    Outcome,
    RecordMeetingDecision,
    RecordOpinion,
)
from planning_core.permits import PermitType, check_statutory
from planning_core.plugins import Hooks
from planning_core.registry import Registry
from planning_core.testing import Bureau, CaseFactory, ManualClock
from planning_core.window import Application, RatingBook
from planning_core.workflow import Organisation, reference_organisation, validate


@pytest.fixture
def pc_organisation() -> Organisation:
    return with_departments(reference_organisation())


def test_the_parallel_permit_fits_its_limits_and_its_organisation(
    pc_permit_types: Registry[PermitType], pc_organisation: Organisation
) -> None:
    permit = pc_permit_types.get(PARALLEL_CONSTRUCTION)
    check = check_statutory(permit.workflow, permit)
    assert check.fits and check.worst_case.days == 14
    validate(permit.workflow, organisation=pc_organisation)
    with pytest.raises(ValueError, match="not in the organisation"):
        validate(permit.workflow, organisation=reference_organisation())


def test_the_plugin_supplies_the_departments_with_their_liaisons(pc_hooks: Hooks) -> None:
    organisation = pc_hooks.organisation("唐山市城乡规划局")
    assert organisation is not None
    external = {d.code: d.liaison for d in organisation.external()}
    assert set(external) == {code for code, *_ in DEPARTMENTS}
    assert all(external.values())


def test_a_parallel_case_with_four_silent_departments_and_a_bad_rating(
    pc_bureau: Bureau,
    pc_cases: CaseFactory,
    pc_clock: ManualClock,
    pc_hooks: Hooks,
    caplog: pytest.LogCaptureFixture,
) -> None:
    engine = pc_bureau.engine
    permit = engine.permit_type(PARALLEL_CONSTRUCTION)
    receipt = pc_bureau.window.intake(
        Application(
            PARALLEL_CONSTRUCTION,
            "唐山某置业有限公司",
            "凤凰新城三期",
            tuple(m.code for m in permit.required_materials),
            "13800000000",
        ),
        pc_bureau.actor("WINDOW_CLERK"),
        pc_clock.now,
    )
    case = engine.find(receipt.case_number).case_id
    pc_cases.execute(Complete(case, "accept", "APPROVE"))
    pc_cases.execute(Complete(case, "review", "APPROVE"))
    assert len(engine.load(case).open_consultations) == 5
    pc_clock.advance(hours=3)
    pc_cases.execute(
        RecordOpinion(case, "consult", "TS_RELICS", "agree", "项目用地范围内无已知文物"),
        "TS_RELICS_LIAISON",
    )
    # the other four say nothing: silence past 5 (and 3) working days counts as consent
    pc_clock.advance(working_days=6)
    engine.sweep(pc_clock.now)
    state = engine.load(case)
    assert not state.open_consultations and state.tokens[0].step_id == "division_meeting"
    assert sum(c.deemed for c in state.consultations) == 4
    pc_cases.execute(
        RecordMeetingDecision(case, "division_meeting", pc_clock.today, ("甲", "乙", "丙"), "同意")
    )
    pc_cases.execute(Complete(case, "leader", "APPROVE"))
    pc_cases.execute(Decide(case, Outcome.APPROVED))
    pc_cases.execute(IssueCertificate(case))
    pc_cases.execute(Deliver(case))

    book = RatingBook(pc_bureau.window, forward=pc_hooks.forward_rating)
    rating = book.rate(receipt.case_number, receipt.password, 2, ("overdue",), at=pc_clock.now)
    with caplog.at_level(logging.INFO, logger="planning_core_tangshan"):
        assert len(book.deliver(pc_clock.now).delivered) == 1
    assert "好差评" in caplog.text and receipt.case_number in caplog.text
    assert provincial_rating(rating)["cp"] is True
    assert book.statistics(at=pc_clock.now).bad == 1


def test_the_request_reads_as_a_letter() -> None:
    import pendulum

    request = ConsultationRequest(
        key="c/00000007/consultation",
        case_id="c",
        case_number="TS-2026-JS-00001",
        permit_type=PARALLEL_CONSTRUCTION,
        applicant="唐山某置业有限公司",
        project="凤凰新城三期",
        step_id="consult",
        department="TS_RELICS",
        department_name="唐山市文物局",
        liaison="文物保护科 联络员 0315-0000005",
        days=7,
        deadline="2026-12-08",
        silence="escalate",
        round=2,
        at=pendulum.datetime(2026, 11, 27, 9, tz="Asia/Shanghai"),
    )
    letter = opinion_letter(request)
    assert letter.startswith("唐山市文物局：") and "7个工作日内（2026-12-08前）" in letter
    assert "第2次征求意见" in letter and "提请市政府协调" in letter
