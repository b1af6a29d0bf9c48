"""The city's reception-meal rule beside the national ones."""

from __future__ import annotations

from decimal import Decimal

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st
from planning_core_tangshan import ReceptionMealCostRule

from planning_core import ValidationError
from planning_core.conservation import Outcome, ReceptionMeal, assess, conservation_rules
from planning_core.plugins import Hooks

RULE = ReceptionMealCostRule()


def _meal(guests: int, companions: int, cost: Decimal) -> ReceptionMeal:
    return ReceptionMeal(
        meal_id="m1",
        host="办公室",
        on="2026-05-12",
        guests=guests,
        companions=companions,
        cost=cost,
    )


def test_the_rule_joins_the_national_ones(pc_hooks: Hooks) -> None:
    rules = conservation_rules(pc_hooks)
    assert RULE.id in rules and "funds.reception-companions" in rules
    meal = _meal(guests=8, companions=3, cost=Decimal("1500"))
    results = {r.rule_id: r.verdict.outcome for r in assess(meal, rules.values()).results}
    assert results == {
        "funds.reception-companions": Outcome.ALLOWED,
        RULE.id: Outcome.REFUSED,
    }


@given(
    guests=st.integers(1, 30),
    companions=st.integers(0, 10),
    cost=st.decimals(min_value=0, max_value=5000, places=2),
)
def test_refused_exactly_above_the_cap_per_head(
    guests: int, companions: int, cost: Decimal
) -> None:
    verdict = RULE.check(_meal(guests, companions, cost))
    over = cost > RULE.max_per_head * (guests + companions)
    assert (verdict.outcome is Outcome.REFUSED) == over
    assert (verdict.outcome is Outcome.ALLOWED) == (not over)


def test_a_city_sets_its_own_cap() -> None:
    meal = _meal(guests=4, companions=2, cost=Decimal("720"))
    assert RULE.check(meal).outcome is Outcome.REFUSED
    assert attrs.evolve(RULE, max_per_head=Decimal("120")).check(meal).outcome is Outcome.ALLOWED
    with pytest.raises(ValidationError, match="positive Decimal"):
        attrs.evolve(RULE, max_per_head=Decimal("0"))
