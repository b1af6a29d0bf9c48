"""Finding a region's calendar: the registry of specs, adjustments, and the cache.

Building a calendar lays out decades of days, so it happens once per distinct spec: the
cache is keyed by the (hashable) spec itself, which makes it safe to share between plugin
managers and threads. Which spec a region key means is decided by the
``planning_core_register_calendars`` hook; a key no plugin registered falls back to the
``holidays`` package (``"DE"``, ``"US-CA"``).
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterable, Mapping
from typing import Protocol

import attrs

from planning_core.errors import NotFoundError
from planning_core.registry import Registry
from planning_core.timing._builtin import planning_core_register_calendars
from planning_core.timing._calendar import WorkCalendar
from planning_core.timing._schedule import NamedDay, OfficialSchedule
from planning_core.timing._spec import CalendarSpec, holidays_spec, named_days

__all__ = ["Calendars", "calendar_for", "calendar_registry", "resolve_spec"]


class _CalendarHooks(Protocol):
    """What this module needs of a plugin manager (``planning_core.plugins.Hooks`` has it)."""

    def register_calendars(self, registry: Registry[CalendarSpec]) -> None: ...


def calendar_for(
    region: str = "CN",
    *,
    hooks: _CalendarHooks | None = None,
    closures: Mapping[dt.date, str] | Iterable[dt.date | NamedDay] = (),
    extra_working_days: Mapping[dt.date, str] | Iterable[dt.date | NamedDay] = (),
    schedules: Iterable[OfficialSchedule] = (),
    zone: str | None = None,
    closes_at: dt.time | None = None,
) -> WorkCalendar:
    """The working-day calendar of ``region``, built once and cached.

    :param hooks: resolve ``region`` through these plugins' calendars; default: the
        built-in ones only.
    :param closures: local days off (a date, a ``{date: reason}`` mapping, or NamedDays).
    :param extra_working_days: local working days on rest days, given the same ways.
    :param schedules: official schedules to add (see :func:`load_schedule`).
    :param zone: the bureau's IANA time zone (default Asia/Shanghai).
    :param closes_at: the bureau's closing time (default: days close at 24:00).
    :raises NotFoundError: when neither a plugin nor the ``holidays`` package knows ``region``.
    """
    spec = resolve_spec(region, calendar_registry(hooks))
    spec = _adjusted(spec, closures, extra_working_days, schedules, zone, closes_at)
    return _build(region, spec)


class Calendars:
    """The calendars of one plugin manager, each resolved once: what an engine keeps to
    answer "which calendar does this clock count on" (``calendars[clock.region]``).

    :param hooks: the plugin manager; default: built-in calendars only.
    """

    def __init__(self, hooks: _CalendarHooks | None = None) -> None:
        self._registry = calendar_registry(hooks)
        self._calendars: dict[str, WorkCalendar] = {}

    def get(self, region: str) -> WorkCalendar:
        """The calendar for ``region``.

        :raises NotFoundError: for a region nobody knows.
        """
        calendar = self._calendars.get(region)
        if calendar is None:
            calendar = _build(region, resolve_spec(region, self._registry))
            self._calendars[region] = calendar
        return calendar

    __getitem__ = get

    def keys(self) -> list[str]:
        """The registered region keys (the ``holidays`` fallback is not listed)."""
        return self._registry.keys()


def calendar_registry(hooks: _CalendarHooks | None = None) -> Registry[CalendarSpec]:
    """A registry filled by every plugin's ``planning_core_register_calendars``."""
    registry: Registry[CalendarSpec] = Registry("calendar")
    if hooks is None:
        planning_core_register_calendars(registry)
    else:
        hooks.register_calendars(registry)
    return registry


def resolve_spec(region: str, registry: Registry[CalendarSpec]) -> CalendarSpec:
    """The spec registered for ``region``, else the ``holidays`` package's calendar."""
    if region in registry:
        return registry.get(region)
    country, _, subdivision = region.partition("-")
    try:
        return holidays_spec(country, subdivision or None)
    except NotFoundError:
        known = ", ".join(registry.keys()) or "none"
        raise NotFoundError(
            f"unknown calendar {region!r}; registered: {known}; or give a country code the "
            f"holidays package knows, such as 'HK' or 'DE-BY'"
        ) from None


@functools.lru_cache(maxsize=64)
def _build(region: str, spec: CalendarSpec) -> WorkCalendar:
    return WorkCalendar(region, spec)


def _adjusted(
    spec: CalendarSpec,
    closures: Mapping[dt.date, str] | Iterable[dt.date | NamedDay],
    extra_working_days: Mapping[dt.date, str] | Iterable[dt.date | NamedDay],
    schedules: Iterable[OfficialSchedule],
    zone: str | None,
    closes_at: dt.time | None,
) -> CalendarSpec:
    for schedule in schedules:
        spec = spec.with_schedule(schedule)
    return attrs.evolve(
        spec,
        closures=(*spec.closures, *named_days(closures, "本地停止办公")),
        extra_working_days=(
            *spec.extra_working_days,
            *named_days(extra_working_days, "本地工作日"),
        ),
        zone=spec.zone if zone is None else zone,
        closes_at=spec.closes_at if closes_at is None else closes_at,
    )
