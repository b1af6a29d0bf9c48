"""Township matters counted from the approval engine's decided cases."""

from __future__ import annotations

import datetime as dt

from planning_core import make_hooks
from planning_core.bureau import open_bureau
from planning_core.cases import Decide, Engine, Outcome, Submit
from planning_core.rural import MatterKind, decided_matters
from planning_core.workflow import StepKind


def _decide_one(engine: Engine, case_id: str, township: str | None, permit: str) -> None:
    import pendulum

    from planning_core.cases import Accept, Complete, RecordMeetingDecision

    org = engine.organisation
    clerk = org.actor("zhang.min")
    t = pendulum.datetime(2026, 11, 2, 9, tz="Asia/Shanghai")
    materials = tuple(m.code for m in engine.permit_type(permit).required_materials)
    engine.execute(
        Submit(case_id, permit, "村民", "新民居", materials, township=township), clerk, t
    )
    engine.execute(Accept(case_id), clerk, t.add(minutes=5))
    while (state := engine.load(case_id)).status.value == "in_review":
        token = state.tokens[0]
        step = engine.workflow_of(state).step(token.step_id)
        t = t.add(hours=1)
        actor = org.holders(token.post or "")[0]
        if step.kind is StepKind.MEETING:
            engine.execute(
                RecordMeetingDecision(case_id, step.id, t.date(), ("甲", "乙", "丙"), "同意"),
                actor,
                t,
            )
        else:
            answers = tuple((p.code, True) for p in step.standards)
            engine.execute(Complete(case_id, step.id, "APPROVE", "", answers), actor, t)
    engine.execute(Decide(case_id, Outcome.APPROVED), org.actor("ma.zhi"), t.add(hours=1))


def test_decided_rural_cases_count_for_their_township() -> None:
    hooks = make_hooks(entry_points=False)
    engine = open_bureau(hooks=hooks, store="memory://").engine
    _decide_one(engine, "c1", "FR01", "RURAL_CONSTRUCTION")
    _decide_one(engine, "c2", "FR01", "LAND_USE")
    _decide_one(engine, "c3", None, "RURAL_CONSTRUCTION")  # no township: not a township matter
    _decide_one(engine, "c4", "FR02", "CONSTRUCTION")  # not a township matter kind
    matters = decided_matters(engine.store)
    assert sorted((m.township_code, m.kind.value) for m in matters) == [
        ("FR01", MatterKind.LAND_USE_PERMIT.value),
        ("FR01", MatterKind.RURAL_CONSTRUCTION_PERMIT.value),
    ]
    assert all(m.decided_on == dt.date(2026, 11, 2) for m in matters)
