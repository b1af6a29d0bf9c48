"""Tangshan's hook implementations: what the entry point ``tangshan`` registers.

Each hook runs after the library's built-ins (theirs are ``tryfirst``), so it sees the
national defaults in the registry and adds to them or replaces one on purpose.
"""

from __future__ import annotations

from planning_core import hookimpl
from planning_core.conservation import ConservationRule
from planning_core.permits import PermitType
from planning_core.registry import Registry
from planning_core.timing import CalendarSpec
from planning_core_tangshan._calendar import TANGSHAN_REGION, tangshan_calendar
from planning_core_tangshan._numbers import case_number
from planning_core_tangshan._permits import new_residence_permit_type, tangshan_construction
from planning_core_tangshan._rules import ReceptionMealCostRule

__all__ = [
    "planning_core_case_number",
    "planning_core_default_region",
    "planning_core_register_calendars",
    "planning_core_register_conservation_rules",
    "planning_core_register_permit_types",
]


@hookimpl
def planning_core_register_permit_types(registry: Registry[PermitType]) -> None:
    """Add 农村新民居建设规划许可; publish the construction permit at 10 working days."""
    local = new_residence_permit_type()
    registry.add(local.code, local)
    registry.add("CONSTRUCTION", tangshan_construction(registry.get("CONSTRUCTION")), replace=True)


@hookimpl
def planning_core_register_calendars(registry: Registry[CalendarSpec]) -> None:
    """Add the city's calendar ``CN-tangshan`` beside the national ``CN``."""
    registry.add(TANGSHAN_REGION, tangshan_calendar(registry.get("CN")))


@hookimpl
def planning_core_default_region(bureau: str) -> str:
    """A bureau opened with this plugin and no region of its own counts on the city's days."""
    return TANGSHAN_REGION


@hookimpl
def planning_core_register_conservation_rules(registry: Registry[ConservationRule]) -> None:
    """Add the cap on reception meals per head."""
    rule = ReceptionMealCostRule()
    registry.add(rule.id, rule)


@hookimpl
def planning_core_case_number(permit_type: str, year: int, sequence: int) -> str:
    """Number cases ``TS-2026-JS-00001``."""
    return case_number(permit_type, year, sequence)
