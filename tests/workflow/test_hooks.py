"""planning_core_register_workflow_conditions: built-ins first, a city may add or replace."""

from __future__ import annotations

import pytest

from planning_core import hookimpl
from planning_core.errors import ConfigurationError, PluginError
from planning_core.permits import permit_catalogue
from planning_core.plugins import Hooks, builtin_plugins
from planning_core.registry import Registry
from planning_core.workflow import (
    Action,
    WorkflowCondition,
    flag_condition,
    workflow_conditions,
)


def test_builtin_condition_is_registered(hooks: Hooks) -> None:
    assert "planning_core.workflow._builtin" in {m.__name__ for m in builtin_plugins()}
    conditions = workflow_conditions(hooks)
    assert conditions.keys() == ["major_project"]
    major = conditions.get("major_project")
    assert major.holds({"major_project": True}) and not major.holds({})


def test_a_city_adds_its_own_condition(hooks: Hooks) -> None:
    class City:
        @hookimpl
        def planning_core_register_workflow_conditions(
            self, registry: Registry[WorkflowCondition]
        ) -> None:
            registry.add(
                "historic_district",
                flag_condition("historic_district", "historic", "历史文化街区内的项目"),
            )

    hooks.register(City(), name="city")
    conditions = workflow_conditions(hooks)
    assert conditions.keys() == ["major_project", "historic_district"]
    assert conditions.get("historic_district").holds({"historic": True})


def test_a_city_replaces_the_builtin_and_routing_follows(hooks: Hooks) -> None:
    def over_budget(context: object) -> bool:
        assert isinstance(context, dict)
        return int(context.get("investment_wan", 0)) >= 5000

    class City:
        @hookimpl
        def planning_core_register_workflow_conditions(
            self, registry: Registry[WorkflowCondition]
        ) -> None:
            replacement = WorkflowCondition("major_project", "投资五千万元以上", over_budget)
            registry.add("major_project", replacement, replace=True)

    hooks.register(City(), name="city")
    conditions = workflow_conditions(hooks)
    definition = permit_catalogue(hooks).get("CONSTRUCTION").workflow
    step = "division_meeting"
    big = {"investment_wan": 8000}
    assert definition.next_steps(step, Action.APPROVE, big, conditions) == ("bureau_meeting",)
    assert definition.next_steps(step, Action.APPROVE, {"major_project": True}, conditions) == (
        "leader",
    )


def test_a_condition_must_answer_a_bool() -> None:
    sloppy = WorkflowCondition("sloppy", "回答不是布尔值", lambda context: "no")  # type: ignore[arg-type,return-value]
    with pytest.raises(ConfigurationError, match="answered 'no'"):
        sloppy.holds({})


def test_removing_a_condition_a_workflow_needs_is_refused(hooks: Hooks) -> None:
    class City:
        @hookimpl
        def planning_core_register_workflow_conditions(
            self, registry: Registry[WorkflowCondition]
        ) -> None:
            registry.remove("major_project")

    hooks.register(City(), name="city")
    with pytest.raises(ConfigurationError, match="'major_project' is not registered"):
        permit_catalogue(hooks)


def test_a_failing_condition_plugin_is_named(hooks: Hooks) -> None:
    class Broken:
        @hookimpl
        def planning_core_register_workflow_conditions(
            self, registry: Registry[WorkflowCondition]
        ) -> None:
            raise RuntimeError("rules file missing")

    hooks.register(Broken(), name="broken-city")
    with pytest.raises(PluginError) as info:
        workflow_conditions(hooks)
    assert info.value.plugin == "broken-city"
