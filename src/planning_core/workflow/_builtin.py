"""The built-in workflow conditions, registered like any plugin's."""

from __future__ import annotations

from planning_core.markers import hookimpl
from planning_core.registry import Registry
from planning_core.workflow._conditions import WorkflowCondition, flag_condition

__all__ = ["MAJOR_PROJECT", "planning_core_register_workflow_conditions"]

#: Holds for a major project (重大项目), which the bureau meeting (局务会) decides.
MAJOR_PROJECT = flag_condition(
    "major_project",
    "major_project",
    "重大建设项目：处务会通过后提交局务会集体研究（context['major_project'] is True）",
)


@hookimpl(tryfirst=True)
def planning_core_register_workflow_conditions(registry: Registry[WorkflowCondition]) -> None:
    """Register ``major_project``; a city may replace it or add its own."""
    registry.add(MAJOR_PROJECT.name, MAJOR_PROJECT)
