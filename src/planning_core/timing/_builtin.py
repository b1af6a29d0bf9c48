"""The timing room's built-in plugin: the CN and Monday-to-Friday calendars and the
default light policy, registered through the same hooks a city's plugin uses."""

from __future__ import annotations

import functools
from importlib import resources

from planning_core.markers import hookimpl
from planning_core.registry import Registry
from planning_core.timing._light import LightPolicy, ShareThresholdPolicy
from planning_core.timing._schedule import OfficialSchedule, parse_schedule
from planning_core.timing._spec import ALL_YEARS, CalendarSpec, holidays_spec

__all__ = [
    "WEEKDAYS",
    "builtin_cn_spec",
    "packaged_schedules",
    "planning_core_light_policy",
    "planning_core_register_calendars",
]

#: A plain Monday-to-Friday week with no holidays: for tests and for bodies that keep no
#: holidays; never provisional.
WEEKDAYS = CalendarSpec(name="Monday to Friday", official_years=ALL_YEARS)


@hookimpl(tryfirst=True)
def planning_core_register_calendars(registry: Registry[CalendarSpec]) -> None:
    """``CN`` (State Council schedule) and ``weekdays`` (Monday to Friday)."""
    registry.add("CN", builtin_cn_spec())
    registry.add("weekdays", WEEKDAYS)


@hookimpl(trylast=True)
def planning_core_light_policy(region: str, permit_type: str | None) -> LightPolicy:
    """The fallback: :class:`ShareThresholdPolicy`, YELLOW in the last fifth of a limit."""
    return ShareThresholdPolicy()


@functools.cache
def builtin_cn_spec() -> CalendarSpec:
    """China: the ``holidays`` package's official schedule plus the packaged schedules."""
    spec = holidays_spec("CN")
    for schedule in packaged_schedules("CN"):
        spec = spec.with_schedule(schedule)
    return spec


def packaged_schedules(region: str) -> tuple[OfficialSchedule, ...]:
    """The official schedules shipped in ``planning_core/timing/schedules/<REGION>-<YEAR>.toml``."""
    folder = resources.files("planning_core.timing") / "schedules"
    found = []
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.name.startswith(f"{region}-") and entry.name.endswith(".toml"):
            text = entry.read_text(encoding="utf-8")
            found.append(
                parse_schedule(text, origin=f"planning_core/timing/schedules/{entry.name}")
            )
    return tuple(found)
