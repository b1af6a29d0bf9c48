"""planning_core_register_permit_types: the six built-ins, and a city's own on top."""

from __future__ import annotations

import attrs
import pytest

from planning_core import hookimpl
from planning_core.errors import ConfigurationError, PluginError
from planning_core.permits import PermitType, permit_catalogue, reference_permit_types
from planning_core.plugins import Hooks, builtin_plugins
from planning_core.registry import Registry
from planning_core.timing import TimeLimit

SIX = [
    "SITE_SELECTION",
    "LAND_USE",
    "CONSTRUCTION",
    "RURAL_CONSTRUCTION",
    "TEMPORARY_CONSTRUCTION",
    "VERIFICATION",
]


def test_the_six_national_types_are_built_in(hooks: Hooks) -> None:
    assert "planning_core.permits._builtin" in {m.__name__ for m in builtin_plugins()}
    catalogue = permit_catalogue(hooks)
    assert catalogue.keys() == SIX
    assert list(catalogue.values()) == list(reference_permit_types())


def test_a_city_publishes_a_shorter_committed_limit(hooks: Hooks) -> None:
    class City:
        @hookimpl
        def planning_core_register_permit_types(self, registry: Registry[PermitType]) -> None:
            construction = registry.get("CONSTRUCTION")
            faster = attrs.evolve(construction, committed_limit=TimeLimit.working_days(12))
            registry.add("CONSTRUCTION", faster, replace=True)

    hooks.register(City(), name="tangshan")
    catalogue = permit_catalogue(hooks)
    assert catalogue.get("CONSTRUCTION").committed_limit == TimeLimit.working_days(12)
    assert catalogue.keys() == SIX


def test_a_city_adds_and_removes_types(hooks: Hooks) -> None:
    class City:
        @hookimpl
        def planning_core_register_permit_types(self, registry: Registry[PermitType]) -> None:
            base = registry.get("CONSTRUCTION")
            workflow = attrs.evolve(base.workflow, permit_type="PLANNING_CONDITIONS")
            own = attrs.evolve(
                base, code="PLANNING_CONDITIONS", name_zh="规划条件核定", workflow=workflow
            )
            registry.add(own.code, own)
            registry.remove("TEMPORARY_CONSTRUCTION")

    hooks.register(City(), name="city")
    keys = permit_catalogue(hooks).keys()
    assert "PLANNING_CONDITIONS" in keys and "TEMPORARY_CONSTRUCTION" not in keys


def test_a_duplicate_without_replace_names_the_plugin(hooks: Hooks) -> None:
    class Clash:
        @hookimpl
        def planning_core_register_permit_types(self, registry: Registry[PermitType]) -> None:
            registry.add("CONSTRUCTION", registry.get("CONSTRUCTION"))

    hooks.register(Clash(), name="clash")
    with pytest.raises(PluginError) as info:
        permit_catalogue(hooks)
    assert info.value.plugin == "clash"
    assert isinstance(info.value.__cause__, ConfigurationError)


def test_the_key_must_be_the_code(hooks: Hooks) -> None:
    class Misfiled:
        @hookimpl
        def planning_core_register_permit_types(self, registry: Registry[PermitType]) -> None:
            registry.add("BUILDING", registry.get("CONSTRUCTION"))

    hooks.register(Misfiled(), name="misfiled")
    with pytest.raises(ConfigurationError, match="registered under key 'BUILDING'"):
        permit_catalogue(hooks)
