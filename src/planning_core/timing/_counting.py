"""The arithmetic of a clock, on day ordinals, so that recomputing is cheap.

:func:`run_of` replays a clock's ledger against a calendar once and yields a :class:`Run`:
where the current run of the limit counts from, the deadline day (or None while an open
pause holds it), and which days are excluded. Every query is then a few ``bisect`` calls.

Rules (docs/timing.md gives their legal basis):

* the start day is not counted; a working-day limit of n ends with the n-th working day
  after the start day (a limit of 0 with the start day, or the next working day); a
  natural-day limit ends n days after it, moved on to the next working day when that is
  not one; extensions add working days after that base deadline;
* a pause from A to B excludes the working days x with A < x <= B; a restart pause makes
  the whole limit count again from B;
* a pause that begins on or after the deadline day changes nothing: the time had run out.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

from planning_core.timing._ledger import Pause, PauseMode
from planning_core.timing._limit import LimitUnit

if TYPE_CHECKING:
    from planning_core.timing._calendar import WorkCalendar
    from planning_core.timing._clock import Clock

__all__ = ["Run", "base_deadline", "counted", "run_of"]


class Run(NamedTuple):
    """A clock's ledger replayed on one calendar (all days as ordinals).

    :param start: the start day.
    :param origin: the day the current run of the limit counts from.
    :param deadline: the deadline day; None while the open pause holds it.
    :param running: the deadline as it stood before the open pause (or the deadline).
    :param stops: the closed stop-and-resume pauses that count, as (A, B).
    :param open_from: A of the open pause that holds the deadline, if any.
    :param open_pause: that pause.
    """

    start: int
    origin: int
    deadline: int | None
    running: int
    stops: tuple[tuple[int, int], ...]
    open_from: int | None
    open_pause: Pause | None


def run_of(clock: Clock, calendar: WorkCalendar) -> Run:
    """Replay ``clock``'s ledger on ``calendar``."""
    start = origin = calendar._ordinal_of_utc(clock._start_utc, clock.started)
    natural = clock.limit.unit is LimitUnit.NATURAL_DAYS
    value = clock.limit.days
    natural_end = start + value
    deadline = base_deadline(calendar, clock, origin, natural_end)
    if not clock.pauses:
        return Run(start, origin, deadline, deadline, (), None, None)
    stops: list[tuple[int, int]] = []
    for pause, (a_utc, b_utc) in zip(clock.pauses, clock._pause_utc, strict=True):
        a = calendar._ordinal_of_utc(a_utc, pause.start)
        if a >= deadline:
            break
        if pause.resumed is None or b_utc is None:
            return Run(start, origin, None, deadline, tuple(stops), a, pause)
        b = calendar._ordinal_of_utc(b_utc, pause.resumed)
        if pause.mode is PauseMode.RESTART:
            origin, natural_end, stops = b, b + value, []
            # A restart gives the whole limit again, so it cannot end sooner; only a limit
            # of 0 (due on its first working day) could, when a pause had already moved it.
            deadline = max(deadline, base_deadline(calendar, clock, origin, natural_end))
        elif natural:
            stops.append((a, b))
            natural_end += b - a
            deadline = base_deadline(calendar, clock, origin, natural_end)
        else:
            stops.append((a, b))
            deadline = calendar._add(deadline, calendar._between(a, b))
    return Run(start, origin, deadline, deadline, tuple(stops), None, None)


def base_deadline(calendar: WorkCalendar, clock: Clock, origin: int, natural_end: int) -> int:
    """The deadline of a run counting from ``origin`` (a natural-day limit: ending on
    ``natural_end``), extensions included, before any stop pause moves it."""
    if clock.limit.unit is LimitUnit.NATURAL_DAYS:
        base = calendar._add(natural_end, 0)
    else:
        base = calendar._add(origin, clock.limit.days)
    return calendar._add(base, clock._extra) if clock._extra else base


def counted(calendar: WorkCalendar, run: Run, high: int, *, with_open: bool = True) -> int:
    """Working days that count against the limit in (origin, high].

    :param with_open: exclude the days held by the open pause too (for "used"); without it,
        the count is the budget the run had when the pause began (for "remaining").
    """
    low = run.origin
    if high <= low:
        return 0
    n = calendar._between(low, high)
    for a, b in run.stops:
        if a < high:
            n -= calendar._between(a, min(b, high))
    if with_open and run.open_from is not None and run.open_from < high:
        n -= calendar._between(run.open_from, high)
    return n
