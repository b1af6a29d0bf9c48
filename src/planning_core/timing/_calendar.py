"""The working-day calendar: is a day a working day, and working-day arithmetic.

A :class:`WorkCalendar` answers for one region (``"CN"``, a city's own key, any country the
``holidays`` package knows, or a plain Monday-to-Friday week). It is built once from a
:class:`~planning_core.timing.CalendarSpec` and shared (see
:func:`~planning_core.timing.calendar_for`); its day table grows, under a lock, when it is
asked about a year outside the span it has laid out, so callers never see a boundary.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math
import threading
import zoneinfo
from bisect import bisect_left, bisect_right
from importlib.metadata import version

import pendulum

from planning_core.errors import CalendarCoverageError, ConfigurationError, ValidationError
from planning_core.timing._days import DayExplanation, DayKind
from planning_core.timing._results import Deadline
from planning_core.timing._spec import CalendarSpec
from planning_core.timing._table import DayTable, build_table

__all__ = ["WorkCalendar"]

#: The span laid out when a calendar is built; it grows on demand.
_FIRST_YEAR, _LAST_YEAR = 2000, 2040
#: How many years to add beyond the asked-for year when growing, so growth is rare.
_GROWTH_MARGIN = 10
_MIN_ORDINAL, _MAX_ORDINAL = dt.date.min.toordinal(), dt.date.max.toordinal()
#: The ordinal of 1970-01-01, the day UTC seconds count from.
_EPOCH = dt.date(1970, 1, 1).toordinal()


class WorkCalendar:
    """Working days of one region, with O(log n) arithmetic on them.

    Days are counted in the bureau's time zone (``spec.zone``); a day closes at
    ``spec.closes_at``, or at 24:00 when that is None.

    :param region: the key the calendar was resolved under (``"CN"``).
    :param spec: the recipe; see :class:`~planning_core.timing.CalendarSpec`.
    :raises ConfigurationError: when the spec names an unknown time zone.
    """

    def __init__(self, region: str, spec: CalendarSpec) -> None:
        self.region = region
        self.spec = spec
        self.coverage: range = spec.coverage
        self._covered_from = dt.date(max(self.coverage.start, 1), 1, 1).toordinal()
        self._covered_to = dt.date(min(self.coverage.stop - 1, 9999), 12, 31).toordinal()
        try:
            self._zone = pendulum.timezone(spec.zone)
            self._zoneinfo = zoneinfo.ZoneInfo(spec.zone)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError) as exc:
            raise ConfigurationError(
                f"calendar {region!r}: unknown time zone {spec.zone!r} ({exc}); "
                f"use an IANA name such as 'Asia/Shanghai'"
            ) from None
        self._lock = threading.Lock()
        self._deadlines: dict[tuple[int, bool], Deadline] = {}
        self._table = build_table(spec, _FIRST_YEAR, _LAST_YEAR)
        self._first_table = self._table
        self._fingerprint: str | None = None

    def __repr__(self) -> str:
        first, last = self.coverage.start, self.coverage.stop - 1
        return f"WorkCalendar({self.region!r}, coverage={first}-{last})"

    # -- the public questions -------------------------------------------------------------

    @property
    def name(self) -> str:
        """The calendar's human name."""
        return self.spec.name

    @property
    def zone(self) -> str:
        """The IANA time zone days are counted in."""
        return self.spec.zone

    @property
    def fingerprint(self) -> str:
        """A digest of everything this calendar counts with: its recipe, the ``holidays``
        package's version and the working days it lays out.

        Two calendars with the same fingerprint give every clock the same deadline, so a
        deadline stored with the fingerprint of this calendar need not be counted again
        (the engine marks each case's snapshot with it, and a cold load recounts only the
        deadlines of a case whose mark differs). Calendars that differ in any day, any
        setting or any version of the holiday data get different fingerprints.
        """
        if self._fingerprint is None:
            table = self._first_table
            digest = hashlib.sha256()
            for part in (self.region, repr(self.spec), version("holidays")):
                digest.update(part.encode("utf-8") + b"\0")
            digest.update(b",".join(b"%d" % ordinal for ordinal in table.work))
            self._fingerprint = f"sha256:{digest.hexdigest()[:32]}"
        return self._fingerprint

    def is_working_day(self, d: dt.date) -> bool:
        """Whether ``d`` counts against a working-day time limit."""
        ordinal = _ordinal(d)
        table = self._covering(ordinal, ordinal)
        i = bisect_left(table.work, ordinal)
        return i < len(table.work) and table.work[i] == ordinal

    def explain(self, d: dt.date) -> DayExplanation:
        """Why ``d`` is or is not a working day: a holiday's name, a make-up working day, a
        weekend, a local closure; and whether the answer is provisional."""
        ordinal = _ordinal(d)
        table = self._covering(ordinal, ordinal)
        if ordinal in table.notes:
            kind, name = table.notes[ordinal]
        else:
            weekend = (ordinal - 1) % 7 in self.spec.weekend
            kind, name = (DayKind.WEEKEND if weekend else DayKind.WORKDAY), None
        return DayExplanation(self.region, _date(ordinal), kind, name, self.is_provisional(d))

    def add_working_days(self, d: dt.date, n: int) -> pendulum.Date:
        """The n-th working day strictly after ``d`` (n >= 1); for n == 0, ``d`` itself when
        it is a working day, else the next one; for n < 0, the |n|-th working day before."""
        return _date(self._add(_ordinal(d), _count(n)))

    def working_days_between(self, a: dt.date, b: dt.date) -> int:
        """The number of working days x with a < x <= b; negative (the count of b < x <= a)
        when b is before a."""
        return self._between(_ordinal(a), _ordinal(b))

    def is_provisional(self, d: dt.date) -> bool:
        """Whether ``d`` lies in a year without a known official schedule."""
        return d.year not in self.coverage

    def touches_provisional(self, a: dt.date, b: dt.date) -> bool:
        """Whether any day from ``a`` to ``b`` (either order) is provisional."""
        low, high = (a, b) if a <= b else (b, a)
        return low.year not in self.coverage or high.year not in self.coverage

    def local_date(self, instant: dt.datetime) -> pendulum.Date:
        """The bureau's calendar date of ``instant``.

        :raises ValidationError: when ``instant`` is naive.
        """
        return _date(self._local_ordinal(instant))

    def close_of(self, d: dt.date) -> pendulum.DateTime:
        """The instant day ``d`` closes: its closing time, or the next midnight (24:00)."""
        return self._close(_ordinal(d))

    # -- ordinal arithmetic, shared with the clock ----------------------------------------

    def _local_ordinal(self, instant: dt.datetime) -> int:
        if instant.tzinfo is None or instant.utcoffset() is None:
            raise ValidationError(
                f"instant {instant.isoformat()!r} has no time zone; give an offset such as "
                f"+08:00 (naive times cannot be placed on the {self.region} calendar)"
            )
        table = self._table
        if table.fixed_offset is not None:
            ordinal = (math.floor(instant.timestamp()) + table.fixed_offset) // 86400 + _EPOCH
            if table.first <= ordinal <= table.last:
                return ordinal
        return instant.astimezone(self._zone).toordinal()

    def _ordinal_of_utc(self, seconds: int, instant: dt.datetime) -> int:
        """The local day of ``instant``, whose UTC seconds the caller already knows."""
        table = self._table
        if table.fixed_offset is not None:
            ordinal = (seconds + table.fixed_offset) // 86400 + _EPOCH
            if table.first <= ordinal <= table.last:
                return ordinal
        return instant.astimezone(self._zone).toordinal()

    def _deadline(self, ordinal: int, provisional: bool) -> Deadline:
        """The (shared, immutable) deadline result for a day; cached, since open cases'
        deadlines fall on a few hundred working days a year."""
        key = (ordinal, provisional)
        found = self._deadlines.get(key)
        if found is None:
            found = Deadline(_date(ordinal), self._close(ordinal), provisional)
            self._deadlines[key] = found
        return found

    def _touches(self, low: int, high: int) -> bool:
        """Whether a day in [low, high] (ordinals, either order) is provisional."""
        if high < low:
            low, high = high, low
        return low < self._covered_from or high > self._covered_to

    def _close(self, ordinal: int) -> pendulum.DateTime:
        closes_at = self.spec.closes_at
        if closes_at is None:
            day = dt.date.fromordinal(ordinal + 1)
            return pendulum.DateTime(day.year, day.month, day.day, tzinfo=self._zone)
        day = dt.date.fromordinal(ordinal)
        return pendulum.DateTime(
            day.year,
            day.month,
            day.day,
            closes_at.hour,
            closes_at.minute,
            closes_at.second,
            tzinfo=self._zone,
        )

    def _closed_until(self, instant: dt.datetime) -> int:
        """The ordinal of the last day whose close ``instant`` has reached."""
        ordinal = self._local_ordinal(instant)
        return ordinal if instant >= self._close(ordinal) else ordinal - 1

    def _add(self, ordinal: int, n: int) -> int:
        table = self._table
        while True:
            if table.first <= ordinal <= table.last:
                work = table.work
                if n > 0:
                    i = bisect_right(work, ordinal) + n - 1
                elif n == 0:
                    i = bisect_left(work, ordinal)
                else:
                    i = bisect_left(work, ordinal) + n
                if 0 <= i < len(work):
                    return work[i]
            table = self._grow_for(ordinal, n)

    def _between(self, a: int, b: int) -> int:
        table = self._table
        if not (table.first <= a <= table.last and table.first <= b <= table.last):
            table = self._covering(min(a, b), max(a, b))
        return bisect_right(table.work, b) - bisect_right(table.work, a)

    # -- growing the table ----------------------------------------------------------------

    def _covering(self, low: int, high: int) -> DayTable:
        table = self._table
        if table.first <= low and high <= table.last:
            return table
        return self._grow(_year_of(low), _year_of(high))

    def _grow_for(self, ordinal: int, n: int) -> DayTable:
        """Grow towards where the n-th working day from ``ordinal`` must lie."""
        table = self._table
        # Every week has at least one working day in any real calendar; allow for long
        # closures with a generous factor, and grow again if that was not enough.
        reach = 2 * abs(n) + 366
        low = min(ordinal, table.first) - (reach if n < 0 else 0)
        high = max(ordinal, table.last) + (reach if n >= 0 else 0)
        return self._grow(_year_of(low), _year_of(high))

    def _grow(self, low_year: int, high_year: int) -> DayTable:
        with self._lock:
            table = self._table
            first = min(
                table.first_year, low_year - (_GROWTH_MARGIN if low_year < table.first_year else 0)
            )
            last = max(
                table.last_year, high_year + (_GROWTH_MARGIN if high_year > table.last_year else 0)
            )
            first, last = max(first, 1), min(last, 9999)
            if (first, last) == (table.first_year, table.last_year):
                raise CalendarCoverageError(
                    f"calendar {self.region!r} cannot count beyond the years 1-9999; "
                    f"check the date and the number of days"
                )
            self._table = build_table(self.spec, first, last)
            return self._table


def _year_of(ordinal: int) -> int:
    return dt.date.fromordinal(min(max(ordinal, _MIN_ORDINAL), _MAX_ORDINAL)).year


def _ordinal(d: object) -> int:
    if isinstance(d, dt.datetime) or not isinstance(d, dt.date):
        raise ValidationError(
            f"expected a date, got {d!r}; for an instant use calendar.local_date(instant)"
        )
    return d.toordinal()


def _count(n: object) -> int:
    if isinstance(n, bool) or not isinstance(n, int):
        raise ValidationError(f"the number of working days must be a whole number, not {n!r}")
    return n


def _date(ordinal: int) -> pendulum.Date:
    return pendulum.Date.fromordinal(ordinal)
