"""Funds: reception companions, the travel standard table, no sightseeing."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from fractions import Fraction
from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from planning_core.conservation import (
    ConservationRule,
    NoSightseeingRule,
    Outcome,
    Rank,
    ReceptionCompanionsRule,
    ReceptionMeal,
    ReturnedItem,
    TravelClaim,
    TravelStandard,
    TravelStandardRule,
    assess,
)
from planning_core.errors import ValidationError

MakeMeal = Callable[..., ReceptionMeal]


def test_twelve_guests_with_five_companions_is_refused(
    make_meal: MakeMeal, rules: list[ConservationRule]
) -> None:
    assessment = assess(make_meal(guests=12, companions=5), rules)
    assert assessment.outcome is Outcome.REFUSED
    assert "at most 4" in assessment.result("funds.reception-companions").verdict.reason


def test_twelve_guests_with_four_companions_is_allowed(
    make_meal: MakeMeal, rules: list[ConservationRule]
) -> None:
    assert assess(make_meal(guests=12, companions=4), rules).outcome is Outcome.ALLOWED


@pytest.mark.parametrize(
    ("guests", "limit"),
    # up to 10 guests: 3; above: guests / 3 rounded down (11 → 3, 13 → 4, 14 → 4, 15 → 5)
    [(1, 3), (10, 3), (11, 3), (12, 4), (13, 4), (14, 4), (15, 5), (30, 10)],
)
def test_companion_limit_by_hand(make_meal: MakeMeal, guests: int, limit: int) -> None:
    rule = ReceptionCompanionsRule()
    assert rule.allowed_companions(guests) == limit
    assert rule.check(make_meal(guests, limit)).outcome is Outcome.ALLOWED
    assert rule.check(make_meal(guests, limit + 1)).outcome is Outcome.REFUSED


@given(guests=st.integers(1, 500), companions=st.integers(0, 500))
def test_companion_rule_is_monotonic_in_companions(guests: int, companions: int) -> None:
    rule = ReceptionCompanionsRule()
    meal = ReceptionMeal(
        meal_id="J", host="办公室", on="2026-05-12", guests=guests, companions=companions, cost=0
    )
    fewer = attrs.evolve(meal, companions=max(companions - 1, 0))
    more = attrs.evolve(meal, companions=companions + 1)
    if rule.check(meal).outcome is Outcome.ALLOWED:
        assert rule.check(fewer).outcome is Outcome.ALLOWED
    else:
        assert rule.check(more).outcome is Outcome.REFUSED


@given(guests=st.integers(1, 500))
def test_more_guests_never_allow_fewer_companions(guests: int) -> None:
    rule = ReceptionCompanionsRule()
    assert rule.allowed_companions(guests + 1) >= rule.allowed_companions(guests)
    # "at most one third" in whole people: 3 × limit never exceeds the guests above 10.
    if guests > 10:
        limit = rule.allowed_companions(guests)
        assert 3 * limit <= guests < 3 * (limit + 1)


def test_a_city_can_change_the_ratio(make_meal: MakeMeal) -> None:
    quarter = ReceptionCompanionsRule(large_group_ratio="1/4")
    assert quarter.large_group_ratio == Fraction(1, 4)
    assert quarter.check(make_meal(12, 4)).outcome is Outcome.REFUSED
    assert quarter.check(make_meal(12, 3)).outcome is Outcome.ALLOWED


def test_ratio_as_float_is_refused() -> None:
    with pytest.raises(ValidationError, match="1/3"):
        ReceptionCompanionsRule(large_group_ratio=0.33)  # type: ignore[arg-type]


def test_items_returned_are_kept_on_the_meal() -> None:
    meal = ReceptionMeal(
        meal_id="J-2",
        host="办公室",
        on="2026-05-12",
        guests=4,
        companions=2,
        cost="640",
        items_returned=[
            ReturnedItem(
                description="土特产礼盒",
                value="200",
                returned_to="某开发公司",
                returned_on="2026-05-13",
            )
        ],
    )
    assert meal.items_returned[0].value == Decimal(200)


# -- travel -------------------------------------------------------------------------------------


def _claim(**changes: Any) -> TravelClaim:
    fields: dict[str, Any] = {
        "claim_id": "C-1",
        "claimant": "王科员",
        "rank": Rank.STAFF,
        "destination": "石家庄",
        "region": "河北",
        "start": "2026-06-01",
        "end": "2026-06-03",
        "lodging": "700",
        "meals": "300",
        "transport_class": "二等座",
        "fares": "186",
    }
    fields.update(changes)
    return TravelClaim(**fields)


def test_a_claim_within_the_standard_is_allowed(rules: list[ConservationRule]) -> None:
    # 3 days, 2 nights: lodging cap 2 × 350 = 700, meals cap 3 × 100 = 300.
    assert _claim().days == 3
    assert _claim().nights == 2
    assert assess(_claim(), rules).outcome is Outcome.ALLOWED


def test_every_amount_above_the_standard_is_named() -> None:
    verdict = TravelStandardRule().check(
        _claim(lodging="760", meals="320", transport_class="一等座")
    )
    assert verdict.outcome is Outcome.REFUSED
    assert "lodging 760" in verdict.reason
    assert "meals 320" in verdict.reason
    assert "一等座" in verdict.reason


def test_a_region_row_wins_over_the_default_row() -> None:
    beijing = TravelStandard(
        rank=Rank.STAFF,
        region="北京",
        lodging_per_night="500",
        meals_per_day="100",
        transport_classes=["二等座"],
    )
    rule = TravelStandardRule(standards=[*TravelStandardRule().standards, beijing])
    in_beijing = _claim(region="北京", destination="北京", lodging="1000")
    assert rule.check(in_beijing).outcome is Outcome.ALLOWED
    assert rule.check(_claim(lodging="1000")).outcome is Outcome.REFUSED


def test_no_row_for_the_rank_needs_approval() -> None:
    rule = TravelStandardRule(standards=[])
    assert rule.check(_claim()).outcome is Outcome.NEEDS_APPROVAL


def test_sightseeing_is_refused(rules: list[ConservationRule]) -> None:
    assert NoSightseeingRule().check(_claim(sightseeing=True)).outcome is Outcome.REFUSED
    assert assess(_claim(sightseeing=True), rules).outcome is Outcome.REFUSED


def test_return_before_departure_is_refused() -> None:
    with pytest.raises(ValidationError, match="before departure"):
        _claim(start="2026-06-03", end="2026-06-01")


def test_float_amounts_are_refused() -> None:
    with pytest.raises(ValidationError, match="string or an integer"):
        _claim(lodging=700.5)
