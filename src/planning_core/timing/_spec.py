"""Calendar recipes: what a :class:`~planning_core.timing.WorkCalendar` is built from.

A :class:`CalendarSpec` is a plain, hashable value. Plugins register specs (not built
calendars) through ``planning_core_register_calendars``, so a city can take the built-in
``CN`` spec and add its own closures or next year's official schedule with one ``evolve``;
building the day tables is left to :func:`~planning_core.timing.calendar_for`, which caches
one calendar per distinct spec.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping

import attrs
import holidays

from planning_core.errors import ConfigurationError, NotFoundError, ValidationError
from planning_core.timing._schedule import NamedDay, OfficialSchedule

__all__ = ["ALL_YEARS", "CalendarSpec", "holidays_spec", "named_days"]

#: Coverage of a calendar with nothing to publish (Monday to Friday): every year.
ALL_YEARS = range(1, 10000)

#: The first year the ``holidays`` package checked against the State Council's notices.
_CN_FIRST_OFFICIAL_YEAR = 2001


@attrs.frozen
class CalendarSpec:
    """How to build one region's working-day calendar.

    :param name: a human name, shown by ``planning-core calendar``.
    :param country: a country code the ``holidays`` package knows, or None for a plain
        Monday-to-Friday week.
    :param subdivision: the ``holidays`` subdivision (a province or state), if any.
    :param language: the language of holiday names (``zh_CN`` for China).
    :param official_years: the years in which the ``holidays`` data is the official
        schedule; other years are projected from statutory rules and are provisional.
    :param weekend: weekday numbers (Monday = 0) that are rest days.
    :param schedules: official schedules registered on top; each replaces its year.
    :param closures: local days the bureau is closed (a city's extra holiday).
    :param extra_working_days: local days the bureau works although they are rest days.
    :param zone: the IANA time zone the bureau's days are counted in.
    :param closes_at: the bureau's closing time; None means a day closes at 24:00.
    """

    name: str
    country: str | None = None
    subdivision: str | None = None
    language: str | None = None
    official_years: range = ALL_YEARS
    weekend: frozenset[int] = frozenset({5, 6})
    schedules: tuple[OfficialSchedule, ...] = ()
    closures: tuple[NamedDay, ...] = ()
    extra_working_days: tuple[NamedDay, ...] = ()
    zone: str = "Asia/Shanghai"
    closes_at: dt.time | None = None

    @property
    def coverage(self) -> range:
        """The years whose official schedule is known: built in plus registered ones."""
        first, stop = self.official_years.start, self.official_years.stop
        for year in sorted({s.year for s in self.schedules}):
            if first <= year < stop:
                continue
            if year == stop:
                stop += 1
            elif year == first - 1:
                first -= 1
            else:
                raise ConfigurationError(
                    f"{self.name}: an official schedule for {year} leaves a gap after the "
                    f"known years {first}-{stop - 1}; register the years in between first"
                )
        return range(first, stop)

    def with_schedule(self, schedule: OfficialSchedule) -> CalendarSpec:
        """This spec plus one more official schedule (a later one for the same year wins)."""
        kept = tuple(s for s in self.schedules if s.year != schedule.year)
        return attrs.evolve(self, schedules=(*kept, schedule))


def holidays_spec(country: str, subdivision: str | None = None) -> CalendarSpec:
    """A spec for any country (and subdivision) the ``holidays`` package knows.

    For China, only the years the State Council has published are official; for every
    other country the package's rules are taken as the law over the years it supports.

    :raises NotFoundError: when the package does not know the code.
    """
    try:
        sample = holidays.country_holidays(country, subdiv=subdivision)
    except (NotImplementedError, KeyError) as exc:
        raise NotFoundError(
            f"the holidays package knows no calendar {country!r}"
            f"{f' with subdivision {subdivision!r}' if subdivision else ''}: {exc}"
        ) from None
    if country == "CN":
        last = max(sample.special_public_holidays)
        official = range(_CN_FIRST_OFFICIAL_YEAR, last + 1)
        language: str | None = "zh_CN"
        name = "中国（国务院节假日安排）"
    else:
        official = range(sample.start_year, sample.end_year + 1)
        language = None
        name = f"{country}{f'-{subdivision}' if subdivision else ''} (holidays package)"
    return CalendarSpec(
        name=name,
        country=country,
        subdivision=subdivision,
        language=language,
        official_years=official,
        weekend=frozenset(sample.weekend),
    )


def named_days(
    days: Mapping[dt.date, str] | Iterable[dt.date | NamedDay], default: str
) -> tuple[NamedDay, ...]:
    """Normalise the ways a caller may give local days into a tuple of :class:`NamedDay`.

    :param default: the name for days given without one.
    """
    if isinstance(days, Mapping):
        return tuple(NamedDay(_plain(d), name) for d, name in days.items())
    result = []
    for day in days:
        if isinstance(day, NamedDay):
            result.append(day)
        else:
            result.append(NamedDay(_plain(day), default))
    return tuple(result)


def _plain(day: object) -> dt.date:
    if isinstance(day, dt.datetime) or not isinstance(day, dt.date):
        raise ValidationError(f"expected a date (YYYY-MM-DD), got {day!r}")
    return dt.date(day.year, day.month, day.day)
