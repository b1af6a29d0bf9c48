"""Official schedules (放假安排): one year's days off and make-up working days for a region.

The State Council publishes the next year's schedule late in the year. Until the ``holidays``
package releases it, a bureau registers it itself: either as a TOML file (the format below,
read by :func:`load_schedule`) or from a plugin through ``planning_core_register_calendars``.
A registered year replaces whatever the calendar knew about that year, and its results stop
being provisional.

The file format, one file per region and year::

    region = "CN"
    year = 2027
    source = "国务院办公厅关于2027年部分节假日安排的通知"

    [[days_off]]
    from = 2027-02-05      # TOML date literals; `date = …` for a single day
    to = 2027-02-12
    name = "春节"

    [[working_days]]       # weekend days that are worked (调休上班)
    date = 2027-02-20
    name = "春节调休上班"
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

import attrs

from planning_core.errors import NotFoundError, ValidationError
from planning_core.inputs import (
    EARLIEST_DAY,
    LATEST_DAY,
    MAX_CONFIG_BYTES,
    load_toml,
    read_text,
)

__all__ = ["NamedDay", "OfficialSchedule", "load_schedule", "parse_schedule"]


@attrs.frozen
class NamedDay:
    """A date with the reason it is special (a holiday's name, a local closure's cause)."""

    date: dt.date
    name: str


@attrs.frozen
class OfficialSchedule:
    """One year's official schedule for a region.

    :param region: the calendar key it belongs to (``"CN"``).
    :param year: the year the notice is for; its dates lie in that year, or, for a make-up
        working day before New Year, in the December before.
    :param source: the notice it was copied from, so a reader can check it.
    :param days_off: every day off the notice lists (weekends inside a break may be listed
        too; they are rest days either way).
    :param working_days: weekend days the notice makes working days (调休上班).
    """

    region: str
    year: int
    source: str
    days_off: tuple[NamedDay, ...] = ()
    working_days: tuple[NamedDay, ...] = ()

    def __attrs_post_init__(self) -> None:
        problems = list(_date_problems(self))
        if problems:
            raise ValidationError(
                f"the {self.region} schedule for {self.year} has {len(problems)} problem(s); "
                f"correct them and load it again",
                problems,
            )


def load_schedule(path: str | Path) -> OfficialSchedule:
    """Read an official schedule from a TOML file (format in this module's docstring).

    :raises ValidationError: naming the file and listing every problem in it.
    """
    file = Path(path)
    try:
        text = read_text(file, f"the schedule file {str(file)!r}", max_bytes=MAX_CONFIG_BYTES)
    except NotFoundError as exc:
        raise ValidationError(f"cannot read the schedule file {str(file)!r}: {exc}") from None
    return parse_schedule(text, origin=str(file))


def parse_schedule(text: str, *, origin: str = "<text>") -> OfficialSchedule:
    """Read an official schedule from TOML text.

    :param origin: where the text came from, for error messages.
    :raises ValidationError: listing every problem found.
    """
    data = load_toml(text, origin)
    problems: list[str] = []
    region = _required(data, "region", str, problems)
    year = _required(data, "year", int, problems)
    source = _required(data, "source", str, problems)
    days_off = tuple(_entries(data, "days_off", problems))
    working = tuple(_entries(data, "working_days", problems))
    problems += [f"unknown key {key!r}" for key in data if key not in _TOP_KEYS]
    if problems:
        raise ValidationError(
            f"{origin} is not an official schedule ({len(problems)} problem(s)); "
            f"fix each one below",
            problems,
        )
    assert isinstance(region, str) and isinstance(year, int) and isinstance(source, str)
    try:
        return OfficialSchedule(region, year, source, days_off, working)
    except ValidationError as exc:
        first_line = str(exc).split("\n", 1)[0]
        raise ValidationError(f"{origin}: {first_line}", exc.problems) from None


_TOP_KEYS = frozenset({"region", "year", "source", "days_off", "working_days"})
_ENTRY_KEYS = frozenset({"date", "from", "to", "name"})


def _required(data: Mapping[str, Any], key: str, kind: type, problems: list[str]) -> object:
    value = data.get(key)
    if not isinstance(value, kind) or isinstance(value, bool) or value == "":
        problems.append(f"{key}: expected a {kind.__name__}, got {value!r}")
        return None
    return value


def _entries(data: Mapping[str, Any], key: str, problems: list[str]) -> Iterator[NamedDay]:
    entries = data.get(key, [])
    if not isinstance(entries, list):
        problems.append(f"{key}: expected a list of [[{key}]] tables, got {entries!r}")
        return
    for index, entry in enumerate(entries):
        where = f"{key}[{index}]"
        if not isinstance(entry, dict):
            problems.append(f"{where}: expected a table, got {entry!r}")
            continue
        yield from _entry_days(entry, where, problems)


def _entry_days(entry: Mapping[str, Any], where: str, problems: list[str]) -> Iterator[NamedDay]:
    problems += [f"{where}: unknown key {key!r}" for key in entry if key not in _ENTRY_KEYS]
    name = entry.get("name")
    if not isinstance(name, str) or not name:
        problems.append(f"{where}.name: give the holiday's name, got {name!r}")
        return
    if "date" in entry:
        first = last = entry["date"]
    else:
        first, last = entry.get("from"), entry.get("to")
    if not (_is_date(first) and _is_date(last)):
        problems.append(
            f"{where}: give `date = YYYY-MM-DD` or `from` and `to` dates, got {first!r} to {last!r}"
        )
        return
    if last < first:
        problems.append(f"{where}: `to` {last} is before `from` {first}")
        return
    for offset in range((last - first).days + 1):
        yield NamedDay(first + dt.timedelta(days=offset), name)


def _is_date(value: object) -> bool:
    return isinstance(value, dt.date) and not isinstance(value, dt.datetime)


def _date_problems(schedule: OfficialSchedule) -> Iterable[str]:
    """A year out of range; dates outside the schedule's year (bar the December before) or
    listed both ways."""
    if not EARLIEST_DAY.year < schedule.year <= LATEST_DAY.year:
        yield f"year {schedule.year} is outside {EARLIEST_DAY.year + 1} to {LATEST_DAY.year}"
        return
    first_allowed = dt.date(schedule.year - 1, 12, 1)
    last_allowed = dt.date(schedule.year, 12, 31)
    for label, days in (("days_off", schedule.days_off), ("working_days", schedule.working_days)):
        for day in days:
            if not first_allowed <= day.date <= last_allowed:
                yield (
                    f"{label}: {day.date} ({day.name}) is outside {schedule.year}; "
                    f"a schedule lists its own year's days (or the December before)"
                )
    both = {d.date for d in schedule.days_off} & {d.date for d in schedule.working_days}
    yield from (f"{day} is listed both as a day off and as a working day" for day in sorted(both))
