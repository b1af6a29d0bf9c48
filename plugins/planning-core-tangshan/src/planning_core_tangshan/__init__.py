"""唐山市 (Tangshan, Hebei): an example city plugin for planning_core.

What a city adds through the library's hooks, each in its own module:

* the rural new-residence permit (农村新民居建设规划许可) with its workflow, and the
  construction-project permit with a committed limit of 10 working days (shorter than the
  statutory 20) reached by shortening post limits (:mod:`._permits`);
* the city's calendar ``CN-tangshan``: the national schedule, a 17:30 close of business
  and local closures (:mod:`._calendar`);
* a conservation rule on reception meals (:mod:`._rules`);
* the construction-project permit under parallel approval (并联审批), consulting five
  departments with their own limits, with the city's receivers for requests for opinions
  and for ratings (好差评) (:mod:`._consultations`);
* case numbers such as ``TS-2026-JS-00001`` (:mod:`._numbers`).

:mod:`planning_core_tangshan.plugin` holds the hook implementations; the entry point
``tangshan`` in the group ``planning_core`` names it.
"""

from planning_core_tangshan._calendar import (
    TANGSHAN_CLOSES_AT,
    TANGSHAN_CLOSURES,
    TANGSHAN_REGION,
    tangshan_calendar,
)
from planning_core_tangshan._consultations import (
    DEPARTMENTS,
    PARALLEL_CONSTRUCTION,
    opinion_letter,
    parallel_construction_permit_type,
    provincial_rating,
    with_departments,
)
from planning_core_tangshan._numbers import PERMIT_ABBREVIATIONS, case_number
from planning_core_tangshan._permits import (
    CONSTRUCTION_COMMITTED_DAYS,
    CONSTRUCTION_STEP_DAYS,
    NEW_RESIDENCE,
    new_residence_permit_type,
    tangshan_construction,
    with_step_days,
)
from planning_core_tangshan._rules import ReceptionMealCostRule

__all__ = [
    "CONSTRUCTION_COMMITTED_DAYS",
    "CONSTRUCTION_STEP_DAYS",
    "DEPARTMENTS",
    "NEW_RESIDENCE",
    "PARALLEL_CONSTRUCTION",
    "PERMIT_ABBREVIATIONS",
    "TANGSHAN_CLOSES_AT",
    "TANGSHAN_CLOSURES",
    "TANGSHAN_REGION",
    "ReceptionMealCostRule",
    "case_number",
    "new_residence_permit_type",
    "opinion_letter",
    "parallel_construction_permit_type",
    "provincial_rating",
    "tangshan_calendar",
    "tangshan_construction",
    "with_departments",
    "with_step_days",
]
