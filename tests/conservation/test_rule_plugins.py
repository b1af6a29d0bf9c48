"""The hook: built-ins registered like a city's rules; a plugin adds, replaces or removes."""

from __future__ import annotations

from collections.abc import Callable

import attrs
import pytest

from planning_core import PluginError, hookimpl
from planning_core.conservation import (
    ConservationRule,
    Description,
    Outcome,
    ReceptionCompanionsRule,
    ReceptionMeal,
    TripRequest,
    Verdict,
    assess,
    builtin_rules,
    conservation_rules,
)
from planning_core.errors import ConfigurationError
from planning_core.plugins import Hooks
from planning_core.registry import Registry

MakeMeal = Callable[..., ReceptionMeal]


def test_every_builtin_rule_is_registered_under_its_id(hooks: Hooks) -> None:
    registry = conservation_rules(hooks)
    assert registry.keys() == [rule.id for rule in builtin_rules()]
    for rule in registry.values():
        assert isinstance(rule, ConservationRule)
        assert rule.description.zh and rule.description.en and rule.basis


def test_builtin_module_is_listed_with_the_hook(hooks: Hooks) -> None:
    infos = {info.name: info for info in hooks.describe()}
    entry = infos["planning_core.conservation._builtin"]
    assert entry.builtin
    assert entry.hooks == ("planning_core_register_conservation_rules",)


class _StricterReceptions:
    """A city that allows one companion in four guests above ten."""

    @hookimpl
    def planning_core_register_conservation_rules(
        self, registry: Registry[ConservationRule]
    ) -> None:
        rule = registry.get("funds.reception-companions")
        assert isinstance(rule, ReceptionCompanionsRule)
        registry.add(rule.id, attrs.evolve(rule, large_group_ratio="1/4"), replace=True)


def test_a_plugin_replacing_a_rule_by_id_changes_the_verdict(
    hooks: Hooks, make_meal: MakeMeal
) -> None:
    meal = make_meal(guests=12, companions=4)
    assert assess(meal, conservation_rules(hooks).values()).outcome is Outcome.ALLOWED
    hooks.register(_StricterReceptions(), name="stricter-city")
    assessment = assess(meal, conservation_rules(hooks).values())
    assert assessment.outcome is Outcome.REFUSED
    assert "at most 3" in assessment.result("funds.reception-companions").verdict.reason


class _NoWeekendRule:
    @hookimpl
    def planning_core_register_conservation_rules(
        self, registry: Registry[ConservationRule]
    ) -> None:
        registry.remove("vehicles.no-weekend-trips")


def test_a_plugin_can_switch_a_rule_off(
    hooks: Hooks, make_trip: Callable[..., TripRequest]
) -> None:
    saturday = make_trip(departure="2026-05-16T09:00:00+08:00")
    assert assess(saturday, conservation_rules(hooks).values()).outcome is Outcome.REFUSED
    hooks.register(_NoWeekendRule(), name="seven-day-city")
    assessment = assess(saturday, conservation_rules(hooks).values())
    assert assessment.outcome is Outcome.ALLOWED
    assert "vehicles.no-weekend-trips" not in [r.rule_id for r in assessment.results]


_CAP = Description(zh="人均餐费不超过150元", en="At most 150 yuan a head")


@attrs.frozen
class _MealCostCap:
    id: str = "city.meal-cost-cap"
    description: Description = _CAP
    basis: str = "某市公务接待标准"

    def applies(self, record: object) -> bool:
        return isinstance(record, ReceptionMeal)

    def check(self, record: ReceptionMeal) -> Verdict:
        heads = record.guests + record.companions
        if record.cost > 150 * heads:
            return Verdict.refused(f"{record.cost} yuan for {heads} people is above 150 a head")
        return Verdict.allowed("within 150 yuan a head")


class _CityAddsARule:
    @hookimpl
    def planning_core_register_conservation_rules(
        self, registry: Registry[ConservationRule]
    ) -> None:
        registry.add("city.meal-cost-cap", _MealCostCap())


def test_a_plugin_can_add_its_own_rule(hooks: Hooks, make_meal: MakeMeal) -> None:
    hooks.register(_CityAddsARule(), name="city")
    registry = conservation_rules(hooks)
    assert registry.keys()[-1] == "city.meal-cost-cap"
    expensive = attrs.evolve(make_meal(guests=4, companions=2), cost="1200")
    assessment = assess(expensive, registry.values())
    assert assessment.outcome is Outcome.REFUSED
    assert [r.rule_id for r in assessment.results] == [
        "funds.reception-companions",
        "city.meal-cost-cap",
    ]


def test_a_plugin_cannot_silently_overwrite_a_builtin(hooks: Hooks) -> None:
    class Clash:
        @hookimpl
        def planning_core_register_conservation_rules(
            self, registry: Registry[ConservationRule]
        ) -> None:
            registry.add("funds.reception-companions", ReceptionCompanionsRule())

    hooks.register(Clash(), name="clash")
    with pytest.raises(PluginError) as info:
        conservation_rules(hooks)
    assert info.value.plugin == "clash"
    assert isinstance(info.value.__cause__, ConfigurationError)


def test_a_rule_under_a_key_other_than_its_id_is_refused(hooks: Hooks) -> None:
    class Mislabelled:
        @hookimpl
        def planning_core_register_conservation_rules(
            self, registry: Registry[ConservationRule]
        ) -> None:
            registry.add("city.companions", ReceptionCompanionsRule())

    hooks.register(Mislabelled(), name="mislabelled")
    with pytest.raises(ConfigurationError, match=r"'city\.companions' holds rule"):
        conservation_rules(hooks)
