"""A clock a test moves by hand, in hours or in working days.

The library never reads the wall clock: every command carries its instant. A host keeps a
clock of its own and passes ``clock.now``; in tests that clock is a :class:`ManualClock`, so
"three working days later, at nine" is one call and a test never sleeps. Time only moves
forward, as it does for the engine (commands on a case must come in time order).
"""

from __future__ import annotations

import datetime as dt

import pendulum

from planning_core.errors import ValidationError
from planning_core.serialization import parse_instant
from planning_core.timing import WorkCalendar, calendar_for

__all__ = ["ManualClock"]


class ManualClock:
    """The current instant, moved only by :meth:`advance` and :meth:`set`.

    :param start: the first instant; timezone-aware (a ``datetime`` or an ISO 8601 text
        with an offset).
    :param calendar: the calendar working days are counted on (default ``CN``); its zone is
        the clock's local zone.
    :raises ValidationError: for a naive or malformed ``start``.
    """

    def __init__(self, start: dt.datetime | str, calendar: WorkCalendar | None = None) -> None:
        self.calendar = calendar if calendar is not None else calendar_for("CN")
        self._now = parse_instant(start).in_timezone(self.calendar.zone)

    def __repr__(self) -> str:
        return f"ManualClock({self._now.isoformat()}, {self.calendar.region!r})"

    def __call__(self) -> pendulum.DateTime:
        """The current instant, so the clock can be passed where a ``now()`` is expected."""
        return self._now

    @property
    def now(self) -> pendulum.DateTime:
        """The current instant, in the calendar's zone."""
        return self._now

    @property
    def today(self) -> pendulum.Date:
        """The current local date."""
        return self._now.date()

    @property
    def is_working_day(self) -> bool:
        """True when today is a working day on the clock's calendar."""
        return self.calendar.is_working_day(self.today)

    def advance(
        self,
        *,
        working_days: int = 0,
        days: int = 0,
        hours: int = 0,
        minutes: int = 0,
        seconds: int = 0,
        at: dt.time | None = None,
    ) -> pendulum.DateTime:
        """Move forward and return the new instant.

        ``working_days=n`` moves to the n-th working day after today, keeping the local
        time of day; the other amounts are then added as elapsed time; ``at`` finally sets
        the local time of day (``advance(working_days=1, at=time(9))``: the next working
        morning).

        :raises ValidationError: for a negative amount, or when ``at`` would move the clock
            back; nothing moves then.
        """
        amounts = {
            "working_days": working_days,
            "days": days,
            "hours": hours,
            "minutes": minutes,
            "seconds": seconds,
        }
        negative = [f"{name}={value}" for name, value in amounts.items() if value < 0]
        if negative:
            raise ValidationError(
                f"a clock only moves forward; got {', '.join(negative)}; give amounts >= 0",
                negative,
            )
        moved = self._now
        if working_days:
            day = self.calendar.add_working_days(self.today, working_days)
            moved = moved.on(day.year, day.month, day.day)
        moved = moved.add(days=days, hours=hours, minutes=minutes, seconds=seconds)
        if at is not None:
            moved = moved.at(at.hour, at.minute, at.second)
        return self.set(moved)

    def next_working_day(self, at: dt.time = dt.time(9)) -> pendulum.DateTime:
        """Move to ``at`` on the next working day after today."""
        return self.advance(working_days=1, at=at)

    def set(self, instant: dt.datetime | str) -> pendulum.DateTime:
        """Move to ``instant`` (not earlier than now) and return it.

        :raises ValidationError: for a naive instant or one before now.
        """
        target = parse_instant(instant).in_timezone(self.calendar.zone)
        if target < self._now:
            raise ValidationError(
                f"cannot move the clock back from {self._now.isoformat()} to "
                f"{target.isoformat()}; time only moves forward"
            )
        self._now = target
        return target
