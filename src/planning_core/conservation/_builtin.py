"""The built-in conservation rules, registered through the hook like a city's own.

This module is one of ``planning_core.plugins.builtin_plugins()``; its implementation is
``tryfirst``, so a city's plugin runs after it and can replace a rule
(``registry.add(rule.id, rule, replace=True)``) or switch one off
(``registry.remove(rule_id)``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from planning_core.conservation._consumable_rules import LeaderApprovalRule, QuotaRule
from planning_core.conservation._equipment_rules import NoPrivateAppliancesRule, PhaseOutRule
from planning_core.conservation._funds_rules import (
    NoSightseeingRule,
    ReceptionCompanionsRule,
    TravelStandardRule,
)
from planning_core.conservation._vehicle_rules import (
    BicycleToNearbyOfficesRule,
    LeaderCommuteMonthsRule,
    NoWeekendTripsRule,
    PooledCommuteRule,
)
from planning_core.markers import hookimpl

if TYPE_CHECKING:
    from planning_core.conservation._rules import ConservationRule
    from planning_core.registry import Registry

__all__ = ["builtin_rules", "planning_core_register_conservation_rules"]


def builtin_rules() -> list[ConservationRule]:
    """A fresh instance of every built-in rule, with its default parameters."""
    return [
        LeaderCommuteMonthsRule(),
        PooledCommuteRule(),
        BicycleToNearbyOfficesRule(),
        NoWeekendTripsRule(),
        PhaseOutRule(),
        NoPrivateAppliancesRule(),
        LeaderApprovalRule(),
        QuotaRule(),
        TravelStandardRule(),
        NoSightseeingRule(),
        ReceptionCompanionsRule(),
    ]


@hookimpl(tryfirst=True)
def planning_core_register_conservation_rules(registry: Registry[ConservationRule]) -> None:
    """Register every built-in rule under its id."""
    for rule in builtin_rules():
        registry.add(rule.id, rule)
