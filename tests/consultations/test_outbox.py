"""Requests for opinions go out through the outbox, at least once, to each liaison."""

from __future__ import annotations

from planning_core.cases import (
    Accept,
    Complete,
    ConsultationRequest,
    Engine,
    RecordOpinion,
    Submit,
)
from planning_core.testing import Bureau, ManualClock


def test_each_department_gets_its_request_through_the_hook_at_least_once(
    pc_bureau: Bureau, pc_clock: ManualClock
) -> None:
    got: list[ConsultationRequest] = []
    failures = ["civil defence's mail server is down"]

    def request_opinion(request: ConsultationRequest) -> None:
        if request.department == "CIVIL_DEFENCE" and failures:
            raise ConnectionError(failures.pop())
        got.append(request)

    engine = Engine(
        pc_bureau.store,
        pc_bureau.organisation,
        permit_types=pc_bureau.engine.permit_types,
        calendar=pc_bureau.calendar,
        request_opinion=request_opinion,
    )
    org = pc_bureau.organisation
    clerk, reviewer = org.actor("zhang.min"), org.actor("wang.jianguo")
    permit = engine.permit_type("PARALLEL")
    materials = tuple(m.code for m in permit.required_materials)
    t = pc_clock.now
    engine.execute(Submit("c1", "PARALLEL", "某置业公司", "某小区", materials), clerk, t)
    engine.execute(Accept("c1"), clerk, t.add(minutes=5))
    engine.execute(Complete("c1", "window", "FORWARD"), clerk, t.add(minutes=10))
    engine.execute(Complete("c1", "review", "APPROVE"), reviewer, t.add(hours=1))
    first = engine.deliver_notifications(t.add(hours=1))
    assert len(first.delivered) == 2 and len(first.failed) == 1
    assert {r.department for r in got} == {"FIRE", "TRANSPORT"}
    fire = next(r for r in got if r.department == "FIRE")
    assert fire.department_name == "市消防救援支队" and fire.liaison.startswith("防火监督科")
    assert fire.days == 5 and fire.deadline is not None and fire.round == 1
    assert fire.key.startswith("c1/") and fire.key.endswith("/consultation")
    engine.deliver_notifications(t.add(hours=3))
    assert {r.department for r in got} == {"FIRE", "TRANSPORT", "CIVIL_DEFENCE"}
    # an answer writes no request
    liaison = org.actor("fire.liaison")
    engine.execute(RecordOpinion("c1", "consult", "FIRE", "agree"), liaison, t.add(hours=4))
    assert not engine.deliver_notifications(t.add(hours=5)).delivered
