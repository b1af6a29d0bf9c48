"""Tangshan's hook implementations: what the entry point ``tangshan`` registers.

Each hook runs after the library's built-ins (theirs are ``tryfirst``), so it sees the
national defaults in the registry and adds to them or replaces one on purpose.
"""

from __future__ import annotations

from planning_core import hookimpl
from planning_core.cases import ConsultationRequest
from planning_core.conservation import ConservationRule
from planning_core.permits import PermitType
from planning_core.registry import Registry
from planning_core.timing import CalendarSpec
from planning_core.window import Rating
from planning_core.workflow import Organisation, reference_organisation
from planning_core_tangshan._calendar import TANGSHAN_REGION, tangshan_calendar
from planning_core_tangshan._consultations import (
    forward_rating,
    parallel_construction_permit_type,
    send_opinion_request,
    with_departments,
)
from planning_core_tangshan._numbers import case_number
from planning_core_tangshan._permits import new_residence_permit_type, tangshan_construction
from planning_core_tangshan._rules import ReceptionMealCostRule

__all__ = [
    "planning_core_case_number",
    "planning_core_default_region",
    "planning_core_forward_rating",
    "planning_core_organisation",
    "planning_core_register_calendars",
    "planning_core_register_conservation_rules",
    "planning_core_register_permit_types",
    "planning_core_request_opinion",
]


@hookimpl
def planning_core_register_permit_types(registry: Registry[PermitType]) -> None:
    """Add 农村新民居建设规划许可; publish the construction permit at 10 working days."""
    local = new_residence_permit_type()
    registry.add(local.code, local)
    registry.add("CONSTRUCTION", tangshan_construction(registry.get("CONSTRUCTION")), replace=True)
    parallel = parallel_construction_permit_type(registry.get("CONSTRUCTION"))
    registry.add(parallel.code, parallel)


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


@hookimpl
def planning_core_organisation(bureau: str) -> Organisation:
    """The reference bureau and the departments it consults (并联审批), each with its
    liaison; a bureau file's organisation replaces it."""
    return with_departments(reference_organisation())


@hookimpl
def planning_core_request_opinion(request: ConsultationRequest) -> None:
    """Send the 征求意见函 to the department's liaison (through the city's logger)."""
    send_opinion_request(request)


@hookimpl
def planning_core_forward_rating(rating: Rating) -> None:
    """Forward the rating to the provincial 好差评 system (through the city's logger)."""
    forward_rating(rating)
