"""The timing room's hooks, swapped and extended by throwaway plugins."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction

import attrs
import pytest

from planning_core import PluginError, hookimpl
from planning_core.errors import ConfigurationError, NotFoundError
from planning_core.plugins import Hooks, make_hooks
from planning_core.registry import Registry
from planning_core.timing import (
    Calendars,
    CalendarSpec,
    Clock,
    Light,
    NamedDay,
    ShareThresholdPolicy,
    ThreeLevelPolicy,
    ThresholdPolicy,
    TimeLimit,
    calendar_for,
    calendar_registry,
    light_policy,
)

from .conftest import at, day


class _Suzhou:
    @hookimpl
    def planning_core_register_calendars(self, registry: Registry[CalendarSpec]) -> None:
        spec = attrs.evolve(
            registry.get("CN"),
            name="苏州",
            closures=(NamedDay(dt.date(2026, 3, 2), "市政府统一停止办公"),),
            closes_at=dt.time(17, 30),
        )
        registry.add("CN-suzhou", spec)


def test_builtin_calendars_are_registered(hooks: Hooks) -> None:
    assert set(calendar_registry(hooks).keys()) >= {"CN", "weekdays"}
    assert calendar_registry().keys() == ["CN", "weekdays"]
    infos = {info.name: info for info in hooks.describe()}
    assert infos["planning_core.timing._builtin"].hooks == (
        "planning_core_light_policy",
        "planning_core_register_calendars",
    )


def test_a_city_plugin_adds_its_own_calendar(hooks: Hooks) -> None:
    hooks.register(_Suzhou(), name="suzhou")
    suzhou = calendar_for("CN-suzhou", hooks=hooks)
    assert not suzhou.is_working_day(day("2026-03-02"))
    assert suzhou.explain(day("2026-03-02")).name == "市政府统一停止办公"
    assert suzhou.close_of(day("2026-03-03")) == at("2026-03-03 17:30")
    clock = Clock(at("2026-02-27 10:00"), TimeLimit.working_days(1), "CN-suzhou")
    assert clock.deadline_date(Calendars(hooks)["CN-suzhou"]) == day("2026-02-28")
    with pytest.raises(NotFoundError, match="CN-suzhou"):
        calendar_for("CN-suzhou")  # built-ins alone do not know it


def test_a_plugin_may_replace_cn_on_purpose_but_not_by_accident(hooks: Hooks) -> None:
    class Replace:
        @hookimpl
        def planning_core_register_calendars(self, registry: Registry[CalendarSpec]) -> None:
            registry.add("CN", registry.get("weekdays"), replace=True)

    class Clash:
        @hookimpl
        def planning_core_register_calendars(self, registry: Registry[CalendarSpec]) -> None:
            registry.add("CN", registry.get("weekdays"))

    hooks.register(Replace(), name="replace")
    assert calendar_for("CN", hooks=hooks).is_working_day(day("2026-10-01"))
    clashing = make_hooks(entry_points=False)
    clashing.register(Clash(), name="clash")
    with pytest.raises(PluginError) as info:
        calendar_for("CN", hooks=clashing)
    assert info.value.plugin == "clash"
    assert isinstance(info.value.__cause__, ConfigurationError)


def test_the_default_light_policy_is_the_documented_share(hooks: Hooks) -> None:
    assert light_policy(hooks) == ShareThresholdPolicy(share=Fraction(1, 5), at_least=1)
    bare = make_hooks(builtins=False, entry_points=False)
    assert light_policy(bare) == ShareThresholdPolicy()
    assert light_policy(None) == ShareThresholdPolicy()


class _OldThresholdEverywhere:
    @hookimpl
    def planning_core_light_policy(self, region: str, permit_type: str | None) -> ThresholdPolicy:
        return ThresholdPolicy(yellow_within=3)


def test_a_plugin_keeps_the_old_fixed_threshold(hooks: Hooks) -> None:
    hooks.register(_OldThresholdEverywhere(), name="three-days")
    chosen = light_policy(hooks, "CN", "建设工程规划许可证")
    assert chosen == ThresholdPolicy(yellow_within=3)
    cn = calendar_for("CN")
    one_day = Clock(at("2026-03-04 10:00"), TimeLimit.working_days(1))
    assert one_day.light(one_day.started, cn, chosen) is Light.YELLOW


class _ThreeLevelForBuildingPermits:
    @hookimpl
    def planning_core_light_policy(
        self, region: str, permit_type: str | None
    ) -> ThreeLevelPolicy | None:
        if permit_type == "建设工程规划许可证":
            return ThreeLevelPolicy(remind_within=2, follow_up_days=3)
        return None


def test_a_plugin_chooses_the_three_level_model_for_one_permit_type(hooks: Hooks) -> None:
    hooks.register(_ThreeLevelForBuildingPermits(), name="dongguan")
    chosen = light_policy(hooks, "CN", "建设工程规划许可证")
    assert chosen == ThreeLevelPolicy(remind_within=2, follow_up_days=3)
    assert light_policy(hooks, "CN", "乡村建设规划许可证") == ShareThresholdPolicy()
    cn = calendar_for("CN")
    clock = Clock(at("2026-09-15 10:00"), TimeLimit.working_days(20))  # due 2026-10-19
    assert clock.light(at("2026-10-21 10:00"), cn, chosen) is Light.YELLOW
    assert clock.light(at("2026-10-26 10:00"), cn, chosen) is Light.RED


def test_a_failing_light_policy_plugin_is_named(hooks: Hooks) -> None:
    class Broken:
        @hookimpl
        def planning_core_light_policy(self, region: str, permit_type: str | None) -> None:
            raise RuntimeError("policy table missing")

    hooks.register(Broken(), name="broken-policy")
    with pytest.raises(PluginError, match="broken-policy"):
        light_policy(hooks)
