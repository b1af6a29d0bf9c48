"""The day table behind a calendar: sorted working-day ordinals and the named days.

Every question a clock asks (the n-th working day after d; how many working days lie
between a and b) is two ``bisect`` calls on one sorted list of ordinals, so answering never
walks day by day. A table covers a span of whole years; the calendar grows it when asked
about a day outside.
"""

from __future__ import annotations

import datetime as dt
import re
import zoneinfo
from collections.abc import Iterable

import attrs
import holidays

from planning_core.timing._days import DayKind
from planning_core.timing._schedule import NamedDay
from planning_core.timing._spec import CalendarSpec

__all__ = ["DayTable", "build_table"]


@attrs.frozen(eq=False)
class DayTable:
    """Working days of the years ``first_year`` to ``last_year``.

    :param first: ordinal of 1 January of ``first_year``.
    :param last: ordinal of 31 December of ``last_year``.
    :param work: the ordinals of every working day in the span, ascending.
    :param notes: for each day that is not an ordinary weekday or weekend day, why.
    :param fixed_offset: the zone's UTC offset in seconds when it is the same all over the
        span (no daylight saving, no change of standard time), else None. With it, the
        local day of an instant is integer arithmetic on its UTC seconds.
    """

    first_year: int
    last_year: int
    first: int
    last: int
    work: list[int]
    notes: dict[int, tuple[DayKind, str]]
    fixed_offset: int | None


def build_table(spec: CalendarSpec, first_year: int, last_year: int) -> DayTable:
    """Lay out the working days of ``first_year``..``last_year`` from ``spec``.

    Precedence, lowest first: the ordinary week; the ``holidays`` data (its make-up
    working days only for official years); each registered official schedule, which
    replaces its year; local closures and extra working days.
    """
    first = dt.date(first_year, 1, 1).toordinal()
    last = dt.date(last_year, 12, 31).toordinal()
    scheduled = {s.year for s in spec.schedules}
    notes: dict[int, tuple[DayKind, str]] = {}
    if spec.country is not None:
        _add_holidays(notes, spec, first_year, last_year, scheduled)
    for schedule in sorted(spec.schedules, key=lambda s: s.year):
        _note(notes, schedule.days_off, DayKind.HOLIDAY, first, last)
        _note(notes, schedule.working_days, DayKind.MAKEUP_WORKDAY, first, last)
    _note(notes, spec.closures, DayKind.LOCAL_CLOSURE, first, last)
    _note(notes, spec.extra_working_days, DayKind.LOCAL_WORKDAY, first, last)
    weekend = spec.weekend
    work = [
        ordinal
        for ordinal in range(first, last + 1)
        if (
            notes[ordinal][0].working
            if ordinal in notes
            else (ordinal - 1) % 7 not in weekend  # ordinal 1 (0001-01-01) is a Monday
        )
    ]
    offset = _fixed_offset(spec.zone, first_year, last_year)
    return DayTable(first_year, last_year, first, last, work, notes, offset)


def _fixed_offset(zone: str, first_year: int, last_year: int) -> int | None:
    """The zone's one UTC offset over the years, sampled on the first of every month and on
    the span's last day; None when any two samples differ."""
    tz = zoneinfo.ZoneInfo(zone)
    samples = [
        dt.datetime(year, month, 1, tzinfo=tz)
        for year in range(first_year, last_year + 1)
        for month in range(1, 13)
    ]
    samples.append(dt.datetime(last_year, 12, 31, 23, 59, tzinfo=tz))
    offsets = {sample.utcoffset() for sample in samples}
    if len(offsets) != 1:
        return None
    (offset,) = offsets
    return None if offset is None else int(offset.total_seconds())


def _add_holidays(
    notes: dict[int, tuple[DayKind, str]],
    spec: CalendarSpec,
    first_year: int,
    last_year: int,
    scheduled: set[int],
) -> None:
    """Days off and make-up working days from the ``holidays`` package.

    A year with a registered schedule is skipped (the schedule replaces it). Make-up working
    days are taken only in official years: a projected year must never invent one.
    """
    assert spec.country is not None
    years = range(max(first_year, 1), min(last_year + 1, 9999) + 1)
    data = holidays.country_holidays(
        spec.country, subdiv=spec.subdivision, years=years, language=spec.language
    )
    for day, name in data.items():
        if first_year <= day.year <= last_year and day.year not in scheduled:
            notes[day.toordinal()] = (DayKind.HOLIDAY, name)
    official = spec.official_years
    swapped = _swapped_days(data)
    for day in getattr(data, "weekend_workdays", ()):
        year = day.year
        if first_year <= year <= last_year and year in official and year not in scheduled:
            other = swapped.get(day.isoformat())
            name = f"调休上班（换 {other} 休息）" if other else "调休上班"
            notes[day.toordinal()] = (DayKind.MAKEUP_WORKDAY, name)


def _swapped_days(data: holidays.HolidayBase) -> dict[str, str]:
    """Map each make-up working day (ISO text) to the day off it was swapped for.

    The ``holidays`` package names a swapped day off after its working day
    ("休息日（由 2026-09-20 调休）"), which is the only link between the two.
    """
    swapped: dict[str, str] = {}
    for other, name in data.items():
        for iso in _ISO_DATE.findall(name):
            swapped[iso] = other.isoformat()
    return swapped


_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _note(
    notes: dict[int, tuple[DayKind, str]],
    days: Iterable[NamedDay],
    kind: DayKind,
    first: int,
    last: int,
) -> None:
    for day in days:
        ordinal = day.date.toordinal()
        if first <= ordinal <= last:
            notes[ordinal] = (kind, day.name)
