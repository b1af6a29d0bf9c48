"""The appointment hall's set-up: counters, business hours, slot length and capacities.

Kept as plain JSON-friendly values (hours as ``"09:00-12:00"`` text) so a bureau can store
its set-up in the store or a file and change it without code.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re

import attrs

from planning_core.errors import ValidationError

__all__ = ["AppointmentSettings", "Counter"]

_PERIOD = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)-([01]\d|2[0-3]):([0-5]\d)$")


@attrs.frozen
class Counter:
    """A counter (窗口) that receives booked visitors.

    :param code: short key, printed on the card (``"2"``).
    :param name: the counter as the hall signs it (``2号窗口（建设工程）``).
    :param capacity: visitors it receives in one slot.
    """

    code: str
    name: str
    capacity: int = 1


def _default_counters() -> tuple[Counter, ...]:
    return (Counter("1", "1号预约窗口"), Counter("2", "2号预约窗口"))


@attrs.frozen
class AppointmentSettings:
    """How appointments are offered.

    :param counters: the counters taking appointments, in the order they are filled.
    :param hours: business hours of a working day, as ``HH:MM-HH:MM`` periods in the
        calendar's zone; slots start at each period's opening and fit wholly inside it.
    :param slot_minutes: the length of one slot.
    :param slot_capacity: the most visitors in one slot over all counters (the hall's
        waiting room); None means the sum of the counters' capacities.
    :param horizon_days: how many calendar days ahead a slot may be booked.
    :param hall: where the visitor goes, printed on the card.
    :raises ValidationError: listing every problem of the set-up.
    """

    counters: tuple[Counter, ...] = attrs.field(factory=_default_counters)
    hours: tuple[str, ...] = ("09:00-12:00", "13:30-17:00")
    slot_minutes: int = 30
    slot_capacity: int | None = None
    horizon_days: int = 30
    hall: str = "政务服务中心城乡规划窗口"

    def __attrs_post_init__(self) -> None:
        problems = _problems(self)
        if problems:
            raise ValidationError(
                f"the appointment set-up has {len(problems)} problem(s); fix each one below",
                problems,
            )

    @property
    def capacity(self) -> int:
        """Visitors one slot can take."""
        total = sum(c.capacity for c in self.counters)
        return total if self.slot_capacity is None else min(total, self.slot_capacity)

    def counter(self, code: str) -> Counter:
        """The counter with ``code``.

        :raises ValidationError: naming the counters there are.
        """
        for counter in self.counters:
            if counter.code == code:
                return counter
        known = ", ".join(c.code for c in self.counters)
        raise ValidationError(f"there is no counter {code!r}; choose one of: {known}")

    def slot_times(self) -> list[tuple[dt.time, dt.time]]:
        """Every slot of a working day as (start, end) local times."""
        times = []
        for opens, closes in _periods(self.hours):
            start = opens
            while start + self.slot_minutes <= closes:
                times.append((_time(start), _time(start + self.slot_minutes)))
                start += self.slot_minutes
        return times


def _periods(hours: tuple[str, ...]) -> list[tuple[int, int]]:
    """Periods as minutes after midnight; malformed ones are left out (reported elsewhere)."""
    found = []
    for text in hours:
        match = _PERIOD.match(text)
        if match:
            h1, m1, h2, m2 = (int(g) for g in match.groups())
            found.append((h1 * 60 + m1, h2 * 60 + m2))
    return found


def _time(minutes: int) -> dt.time:
    return dt.time(minutes // 60, minutes % 60)


def _problems(settings: AppointmentSettings) -> list[str]:
    problems = [f"hours {h!r} is not HH:MM-HH:MM" for h in settings.hours if not _PERIOD.match(h)]
    periods = _periods(settings.hours)
    problems += [
        f"hours period {a // 60:02d}:{a % 60:02d} ends before it starts"
        for a, b in periods
        if b <= a
    ]
    ordered = sorted(periods)
    problems += [
        "hours periods overlap; give them apart and in order"
        for (_, end), (start, _) in itertools.pairwise(ordered)
        if start < end
    ][:1]
    if not settings.counters:
        problems.append("no counters; give at least one counter")
    codes = [c.code for c in settings.counters]
    problems += [
        f"counter code {c!r} is used twice" for c in sorted(set(codes)) if codes.count(c) > 1
    ]
    problems += [
        f"counter {c.code!r} has capacity {c.capacity}; give at least 1"
        for c in settings.counters
        if c.capacity < 1
    ]
    if settings.slot_minutes < 5:
        problems.append(f"slot_minutes {settings.slot_minutes} is too short; give at least 5")
    if settings.slot_capacity is not None and settings.slot_capacity < 1:
        problems.append(f"slot_capacity {settings.slot_capacity} must be at least 1, or None")
    if settings.horizon_days < 1:
        problems.append(f"horizon_days {settings.horizon_days} must be at least 1")
    if not problems and not settings.slot_times():
        problems.append(
            f"no {settings.slot_minutes}-minute slot fits in the hours {settings.hours}"
        )
    return problems
