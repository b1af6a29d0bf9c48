"""The annual summary reports consultations apart, and the ratings' satisfaction."""

from __future__ import annotations

import pytest

from planning_core.cases import Complete, Decide, Deliver, IssueCertificate, Outcome, RecordOpinion
from planning_core.reports import annual_summary, summary_markdown
from planning_core.testing import Bureau, CaseFactory, ManualClock
from planning_core.window import Application, RatingBook
from planning_core.workflow import Silence


@pytest.fixture
def silence() -> Silence:
    return Silence.DEEMED_CONSENT


def test_the_annual_summary_shows_consultations_and_satisfaction(
    pc_bureau: Bureau, pc_cases: CaseFactory, pc_clock: ManualClock
) -> None:
    engine = pc_bureau.engine
    permit = engine.permit_type("PARALLEL")
    receipt = pc_bureau.window.intake(
        Application(
            "PARALLEL",
            "某置业公司",
            "某小区",
            tuple(m.code for m in permit.required_materials),
            "13800000000",
        ),
        pc_bureau.actor("WINDOW_CLERK"),
        pc_clock.now,
    )
    case = engine.find(receipt.case_number).case_id
    pc_cases.execute(Complete(case, "window", "FORWARD"))
    pc_cases.execute(Complete(case, "review", "APPROVE"))
    pc_clock.advance(working_days=1)
    pc_cases.execute(RecordOpinion(case, "consult", "FIRE", "agree"), "FIRE_LIAISON")
    pc_clock.advance(working_days=6)  # civil defence answers a working day late
    pc_cases.execute(RecordOpinion(case, "consult", "CIVIL_DEFENCE", "agree"), "CD_LIAISON")
    engine.sweep(pc_clock.now)  # the transport bureau's silence: consent
    pc_cases.execute(Complete(case, "leader", "APPROVE"))
    pc_cases.execute(Decide(case, Outcome.APPROVED))
    pc_cases.execute(IssueCertificate(case))
    pc_cases.execute(Deliver(case))
    book = RatingBook(pc_bureau.window)
    book.rate(
        receipt.case_number, receipt.password, 2, ("overdue",), "征求意见太慢", at=pc_clock.now
    )

    summary = annual_summary(engine, pc_clock.now.year)
    assert summary.consultations is not None and summary.ratings is not None
    by = {d.department: d for d in summary.consultations.departments}
    assert (by["TRANSPORT"].deemed, by["TRANSPORT"].late) == (1, 0)
    assert by["CIVIL_DEFENCE"].late == 1 and by["CIVIL_DEFENCE"].most_late >= 1
    assert by["FIRE"].late == 0 and summary.consultations.asked == 3
    assert summary.ratings.bad == 1 and summary.ratings.satisfaction == 0
    text = summary_markdown(summary)
    assert "征求相关部门意见" in text and "逾期未回复视为同意1次" in text
    assert "政务服务好差评" in text and "满意率0.0%" in text and "差评1件" in text
