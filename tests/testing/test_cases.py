"""The bureau, the case factory and the path walker, on the reference permit types."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from planning_core import NotFoundError, ValidationError
from planning_core.cases import (
    Accept,
    CaseStatus,
    Decide,
    Extend,
    IssueCertificate,
    Outcome,
    RequestSupplement,
    Suspend,
)
from planning_core.testing import (
    Bureau,
    CaseFactory,
    ManualClock,
    Walk,
    make_bureau,
    organisation_for,
    permit_type_for,
    sample_permit_type,
    sample_workflow,
)
from planning_core.workflow import Action, Authority, reference_organisation

Walker = Callable[..., Walk]


@pytest.mark.parametrize(
    ("stage", "status"),
    [
        ("submit", CaseStatus.RECEIVED),
        ("accepted", CaseStatus.IN_REVIEW),
        ("reviewed", CaseStatus.AWAITING_DECISION),
        ("decided", CaseStatus.APPROVED),
        ("issued", CaseStatus.ISSUED),
        ("delivered", CaseStatus.DELIVERED),
    ],
)
def test_each_stage_of_every_reference_permit_type(
    pc_cases: CaseFactory, stage: str, status: CaseStatus
) -> None:
    for code in pc_cases.bureau.permit_types:
        case_id = getattr(pc_cases, stage)(code)
        state = pc_cases.state(case_id)
        assert (state.permit_type, state.status) == (code, status)
        assert pc_cases.bureau.engine.verify_history(case_id).ok
        assert pc_cases.bureau.engine.check_projection(case_id)


def test_a_submission_missing_a_material_can_get_the_one_time_notice(
    pc_cases: CaseFactory,
) -> None:
    case_id = pc_cases.submit("LAND_USE", missing=["boundary_map"])
    assert "boundary_map" not in pc_cases.state(case_id).materials
    pc_cases.execute(RequestSupplement(case_id, ("boundary_map",), "缺用地红线图"))
    assert pc_cases.state(case_id).status is CaseStatus.AWAITING_SUPPLEMENT


def test_a_denial_states_its_reasons(pc_cases: CaseFactory) -> None:
    case_id = pc_cases.decided("CONSTRUCTION", Outcome.DENIED, {"leader": "REJECT"})
    state = pc_cases.state(case_id)
    assert state.status is CaseStatus.DENIED and state.recommendation == "reject"


def test_the_walk_follows_returns_visit_by_visit(pc_cases: CaseFactory, pc_walk: Walker) -> None:
    case_id = pc_cases.accepted("CONSTRUCTION")
    walk = pc_walk(case_id, {"division_meeting": ["RETURN", "RETURN", "APPROVE"]})
    assert walk.steps.count("division_meeting") == 3
    assert walk.steps.count("review") == 3
    assert [v.action for v in walk.visits if v.step_id == "division_meeting"] == [
        Action.RETURN,
        Action.RETURN,
        Action.APPROVE,
    ]
    assert walk.state.status is CaseStatus.AWAITING_DECISION


def test_the_walk_can_stop_before_a_step(pc_cases: CaseFactory, pc_walk: Walker) -> None:
    case_id = pc_cases.accepted("CONSTRUCTION")
    walk = pc_walk(case_id, until="division_meeting")
    assert "division_meeting" not in walk.steps
    assert [t.step_id for t in walk.state.tokens] == ["division_meeting"]
    assert pc_walk(case_id).steps[0] == "division_meeting"


def test_a_chooser_function_decides_at_each_step(pc_cases: CaseFactory, pc_walk: Walker) -> None:
    case_id = pc_cases.accepted("CONSTRUCTION")
    seen: list[str] = []

    def choose(state: object, step: object) -> str:
        seen.append(step.id)  # type: ignore[attr-defined]
        return "REJECT" if step.id == "leader" else "APPROVE"  # type: ignore[attr-defined]

    walk = pc_walk(case_id, choose)
    assert seen == list(walk.steps) and walk.state.recommendation == "reject"


def test_the_walk_moves_the_clock_in_working_days(
    pc_cases: CaseFactory, pc_walk: Walker, pc_clock: ManualClock
) -> None:
    case_id = pc_cases.accepted("RURAL_CONSTRUCTION")
    start = pc_clock.now
    walk = pc_walk(case_id, working_days_per_step=2)
    days = pc_clock.calendar.working_days_between(start.date(), pc_clock.today)
    assert days == 2 * len(walk.visits)
    assert [v.at for v in walk.visits] == sorted(v.at for v in walk.visits)


def test_an_action_the_step_does_not_allow_is_refused(
    pc_cases: CaseFactory, pc_walk: Walker
) -> None:
    case_id = pc_cases.accepted("CONSTRUCTION")
    before = pc_cases.bureau.store.get_case(case_id)
    with pytest.raises(ValidationError, match=r"'FLY' at step 'accept'.*APPROVE"):
        pc_walk(case_id, {"accept": "FLY"})
    assert pc_cases.bureau.store.get_case(case_id) == before


def test_a_path_that_returns_forever_is_stopped(pc_cases: CaseFactory, pc_walk: Walker) -> None:
    case_id = pc_cases.accepted("CONSTRUCTION")
    with pytest.raises(ValidationError, match="does the path loop"):
        pc_walk(case_id, {"division_meeting": "RETURN"}, max_visits=30)


def test_who_gives_which_command(pc_cases: CaseFactory, pc_bureau: Bureau) -> None:
    case_id = pc_cases.reviewed("CONSTRUCTION")
    assert pc_bureau.actor_for(Accept(case_id)).id == "zhang.min"
    assert pc_bureau.actor_for(Extend(case_id, 5, "x")).id == "gao.ming"
    assert pc_bureau.actor_for(Decide(case_id, Outcome.APPROVED)).id == "ma.zhi"
    assert pc_bureau.actor_for(IssueCertificate(case_id)).id == "liu.yang"
    suspender = pc_bureau.actor_for(Suspend(case_id, "hearing", expected_working_days=10))
    assert pc_bureau.engine.holds_authority(suspender, Authority.DIVISION_HEAD)
    assert pc_bureau.actor_with(Authority.DEPUTY_HEAD).id == "ma.zhi"


def test_an_unheld_post_is_named(pc_bureau: Bureau) -> None:
    with pytest.raises(NotFoundError, match="NO_SUCH_POST"):
        pc_bureau.actor("NO_SUCH_POST")


def test_any_workflow_runs_with_an_organisation_made_for_it() -> None:
    definition = sample_workflow(version=3)
    permit = permit_type_for(definition)
    bureau = make_bureau(organisation=organisation_for(definition), permit_types=[permit])
    clock = ManualClock("2026-03-02T09:00:00+08:00", bureau.calendar)
    case_id = CaseFactory(bureau, clock).delivered("TEST")
    assert bureau.engine.load(case_id).workflow_version == 3
    assert permit.committed_limit.days >= 1


def test_organisation_for_adds_only_what_the_base_lacks() -> None:
    base = reference_organisation()
    grown = organisation_for(sample_permit_type().workflow, base=base)
    added = {p.code for p in grown.posts} - {p.code for p in base.posts}
    assert added == {"DIVISION_HEAD"}
    assert grown.holders("DIVISION_HEAD")[0].id == "holder.DIVISION_HEAD"
