"""Stage histories: forward only, dated, never going back; and what each plan kind is for."""

from __future__ import annotations

import contextlib
import datetime as dt
import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from planning_core.errors import InvalidStateError, ValidationError
from planning_core.rural import PlaceRef, Plan, PlanKind, Stage, StageChange

VILLAGE = PlaceRef("丰润", "乡镇01", "村庄001")
TOWNSHIP = PlaceRef("丰润", "乡镇01")
DAYS = st.dates(dt.date(2000, 1, 1), dt.date(2030, 12, 31))
MOVES = st.lists(st.tuples(st.sampled_from(Stage), DAYS), max_size=8)


def _apply(plan: Plan, moves: list[tuple[Stage, dt.date]]) -> Plan:
    for stage, day in moves:
        with contextlib.suppress(InvalidStateError, ValidationError):
            plan = plan.advance(stage, day)
    return plan


@given(MOVES)
def test_whatever_is_attempted_the_history_moves_forward_on_nondecreasing_dates(
    moves: list[tuple[Stage, dt.date]],
) -> None:
    history = _apply(Plan(PlanKind.VILLAGE_PLAN, VILLAGE), moves).history
    orders = [c.stage.order for c in history]
    assert orders == sorted(set(orders))
    assert [c.on for c in history] == sorted(c.on for c in history)


@given(MOVES)
def test_a_move_is_accepted_exactly_when_it_goes_forward_and_not_back_in_time(
    moves: list[tuple[Stage, dt.date]],
) -> None:
    plan = Plan(PlanKind.VILLAGE_PLAN, VILLAGE)
    for stage, day in moves:
        forward = plan.stage is None or stage.order > plan.stage.order
        in_time = not plan.history or day >= plan.history[-1].on
        if forward and in_time:
            moved = plan.advance(stage, day)
            assert moved.stage is stage and moved.history[:-1] == plan.history
            plan = moved
        else:
            with pytest.raises((InvalidStateError, ValidationError)):
                plan.advance(stage, day)


@given(MOVES, DAYS, DAYS)
def test_stage_on_a_day_never_goes_back_as_days_go_on(
    moves: list[tuple[Stage, dt.date]], a: dt.date, b: dt.date
) -> None:
    plan = _apply(Plan(PlanKind.VILLAGE_PLAN, VILLAGE), moves)
    early, late = sorted((a, b))
    before, after = plan.stage_on(early), plan.stage_on(late)
    assert before is None or (after is not None and after.order >= before.order)
    if plan.history:
        assert plan.stage_on(plan.history[-1].on) is plan.stage


@given(st.permutations(list(Stage)), DAYS)
def test_a_history_out_of_order_is_refused_with_every_problem(
    stages: list[Stage], day: dt.date
) -> None:
    history = [StageChange(s, day) for s in stages]
    in_order = stages == sorted(stages, key=lambda s: s.order)
    if in_order:
        assert Plan(PlanKind.VILLAGE_PLAN, VILLAGE, history).stage is Stage.COMPLETED
    else:
        with pytest.raises(ValidationError) as caught:
            Plan(PlanKind.VILLAGE_PLAN, VILLAGE, history)
        backwards = sum(1 for x, y in itertools.pairwise(stages) if y.order < x.order)
        assert len(caught.value.problems) == backwards


def test_a_ledger_may_skip_stages_it_never_saw() -> None:
    plan = Plan(PlanKind.TOWNSHIP_MASTER_PLAN, TOWNSHIP).advance(
        Stage.COMPLETED, dt.date(2022, 1, 13)
    )
    assert plan.stage is Stage.COMPLETED
    with pytest.raises(InvalidStateError, match="完成"):
        plan.advance(Stage.UNDER_APPROVAL, dt.date(2022, 2, 1))


@pytest.mark.parametrize(
    ("kind", "place", "ok"),
    [
        (PlanKind.VILLAGE_PLAN, VILLAGE, True),
        (PlanKind.VILLAGE_PLAN, TOWNSHIP, False),
        (PlanKind.TOWNSHIP_MASTER_PLAN, TOWNSHIP, True),
        (PlanKind.TOWNSHIP_MASTER_PLAN, VILLAGE, False),
        (PlanKind.REGULATORY_DETAILED_PLAN, VILLAGE, False),
        (PlanKind.GUIDELINE, VILLAGE, True),
        (PlanKind.GUIDELINE, TOWNSHIP, True),
    ],
)
def test_each_kind_has_its_subject(kind: PlanKind, place: PlaceRef, ok: bool) -> None:
    if ok:
        assert Plan(kind, place).key == f"{place.key}#{kind.value}"
    else:
        with pytest.raises(ValidationError, match=kind.zh):
            Plan(kind, place)


@pytest.mark.parametrize("bad", ["", " 丰润", "丰润/东", "丰#润", "丰\n润"])
def test_names_that_would_break_keys_or_sheets_are_refused(bad: str) -> None:
    with pytest.raises(ValidationError, match="site"):
        PlaceRef(bad, "乡镇01")
