"""The clock: a start instant, a time limit, and a ledger of pauses and extensions.

A :class:`Clock` is an immutable value that round-trips through the one converter. It
refers to its calendar by region key and never embeds it, so the same stored clock gives the
revised deadline the day a new official schedule is registered. Every change returns a new
clock; every query takes the :class:`~planning_core.timing.WorkCalendar` to count on.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterator

import attrs
import pendulum

from planning_core.errors import InvalidStateError, ValidationError
from planning_core.timing._calendar import WorkCalendar
from planning_core.timing._counting import Run, base_deadline, counted, run_of
from planning_core.timing._ledger import (
    Extension,
    Pause,
    PauseMode,
    PauseModes,
    PauseReason,
    instant,
)
from planning_core.timing._light import Light, LightFacts, LightPolicy, ShareThresholdPolicy
from planning_core.timing._limit import TimeLimit
from planning_core.timing._results import Deadline, DeadlineUnknown

__all__ = ["Clock", "ClockReading"]


@attrs.frozen
class ClockReading:
    """Everything about a clock at one instant, computed in one pass.

    :param provisional: some day between the start and the later of the deadline and ``at``
        lies in a year without an official schedule.
    """

    at: pendulum.DateTime
    deadline: Deadline | DeadlineUnknown
    used: int
    remaining: int
    paused: bool
    overdue: bool
    overdue_by: int
    light: Light
    provisional: bool

    @property
    def deadline_at(self) -> pendulum.DateTime | None:
        """The deadline instant, or None while a pause holds it."""
        return self.deadline.at if isinstance(self.deadline, Deadline) else None

    @property
    def deadline_date(self) -> pendulum.Date | None:
        """The deadline day, or None while a pause holds it."""
        return self.deadline.date if isinstance(self.deadline, Deadline) else None


@attrs.frozen(cache_hash=True)  # clocks key the engine's caches; a case keeps its clocks
class Clock:
    """A time limit running from ``started`` on the ``region`` calendar.

    :param started: when the clock started (acceptance, 受理); timezone-aware.
    :param limit: the budget; extensions add to it.
    :param region: the key of the calendar it counts on.
    :param pauses: the pauses, oldest first; only the last may be open.
    :param extensions: the extensions, oldest first.
    :raises ValidationError: listing every inconsistency in the ledger.
    """

    started: pendulum.DateTime = attrs.field(converter=instant)
    limit: TimeLimit
    region: str = "CN"
    pauses: tuple[Pause, ...] = ()
    extensions: tuple[Extension, ...] = ()
    # Derived once, so recomputing a deadline is integer arithmetic: the UTC seconds of
    # the start and of each pause's start and resumption, and the extension total.
    _start_utc: int = attrs.field(init=False, eq=False, repr=False)
    _pause_utc: tuple[tuple[int, int | None], ...] = attrs.field(init=False, eq=False, repr=False)
    _extra: int = attrs.field(init=False, eq=False, repr=False)

    def __attrs_post_init__(self) -> None:
        problems = list(_ledger_problems(self))
        if problems:
            raise ValidationError(
                f"the clock started {self.started.isoformat()} has an inconsistent ledger; "
                f"correct these entries",
                problems,
            )
        pause_utc = tuple(
            (_utc(p.start), None if p.resumed is None else _utc(p.resumed)) for p in self.pauses
        )
        object.__setattr__(self, "_start_utc", _utc(self.started))
        object.__setattr__(self, "_pause_utc", pause_utc)
        object.__setattr__(self, "_extra", sum(e.days for e in self.extensions))

    # -- the ledger -----------------------------------------------------------------------

    @property
    def open_pause(self) -> Pause | None:
        """The pause the clock is in now, if any."""
        last = self.pauses[-1] if self.pauses else None
        return last if last is not None and last.resumed is None else None

    @property
    def extended_by(self) -> int:
        """Working days added by all extensions."""
        return sum(e.days for e in self.extensions)

    def pause(
        self,
        at: str | dt.datetime,
        reason: PauseReason | str,
        *,
        basis: str | None = None,
        mode: PauseMode | None = None,
        modes: PauseModes | None = None,
    ) -> Clock:
        """Stop the clock at ``at``.

        :param basis: the legal basis; default: the reason's usual one.
        :param mode: stop-and-resume or restart; default: ``modes.mode_for(reason)``.
        :param modes: the permit type's pause modes; default: nothing restarts.
        :raises InvalidStateError: when the clock is already paused.
        :raises ValidationError: when ``at`` is before the start or the last resumption.
        """
        current = self.open_pause
        if current is not None:
            raise InvalidStateError(
                f"the clock is already paused since {current.start.isoformat()} "
                f"({current.reason.zh}); resume it before pausing again"
            )
        why = PauseReason.coerce(reason)
        chosen = mode if mode is not None else (modes or PauseModes()).mode_for(why)
        entry = Pause(at, why, basis if basis is not None else why.default_basis, chosen)
        return attrs.evolve(self, pauses=(*self.pauses, entry))

    def resume(self, at: str | dt.datetime) -> Clock:
        """Start the clock again after the open pause.

        :raises InvalidStateError: when the clock is not paused.
        :raises ValidationError: when ``at`` is before the pause began.
        """
        current = self.open_pause
        if current is None:
            raise InvalidStateError("the clock is not paused; there is nothing to resume")
        resumed = attrs.evolve(current, resumed=at)
        return attrs.evolve(self, pauses=(*self.pauses[:-1], resumed))

    def extend(self, days: int, *, approver: str, reason: str, at: str | dt.datetime) -> Clock:
        """Add ``days`` working days to the limit, recording who approved it and why.

        :raises ValidationError: for days < 1, empty approver or reason, or ``at`` before
            the start.
        """
        entry = Extension(days, approver, reason, at)
        return attrs.evolve(self, extensions=(*self.extensions, entry))

    # -- queries --------------------------------------------------------------------------

    def deadline(self, calendar: WorkCalendar) -> Deadline | DeadlineUnknown:
        """The deadline, or :class:`DeadlineUnknown` while a pause holds it."""
        if not self.pauses and calendar.region == self.region:
            # the common case, kept to a few integer operations: see benchmarks/
            start = calendar._ordinal_of_utc(self._start_utc, self.started)
            end = base_deadline(calendar, self, start, start + self.limit.days)
            return calendar._deadline(end, calendar._touches(start, end))
        return _deadline(calendar, self._run(calendar))

    def deadline_date(self, calendar: WorkCalendar) -> pendulum.Date | None:
        """The deadline day, or None while a pause holds it."""
        deadline = self.deadline(calendar)
        return deadline.date if isinstance(deadline, Deadline) else None

    def used(self, at: dt.datetime, calendar: WorkCalendar) -> int:
        """Working days used up by ``at``: counted days whose close ``at`` has reached."""
        run = self._run(calendar)
        return counted(calendar, run, calendar._closed_until(at))

    def remaining(self, at: dt.datetime, calendar: WorkCalendar) -> int:
        """Working days left at ``at`` (the current day counts while it is open); while
        paused, the days that will be left on resumption."""
        run = self._run(calendar)
        return _remaining(calendar, run, calendar._closed_until(at))

    def paused(self, at: dt.datetime) -> bool:
        """Whether a pause of the ledger is in force at ``at``."""
        moment = instant(at)
        return any(
            p.start <= moment and (p.resumed is None or moment < p.resumed) for p in self.pauses
        )

    def is_overdue(self, at: dt.datetime, calendar: WorkCalendar) -> bool:
        """Whether the deadline has passed at ``at`` (never while a pause holds it)."""
        run = self._run(calendar)
        return run.deadline is not None and instant(at) > calendar._close(run.deadline)

    def overdue_by(self, at: dt.datetime, calendar: WorkCalendar) -> int:
        """Working days after the deadline day up to ``at``'s day; 0 when not overdue."""
        return self.read(at, calendar).overdue_by

    def light(
        self, at: dt.datetime, calendar: WorkCalendar, policy: LightPolicy | None = None
    ) -> Light:
        """The light at ``at`` under ``policy`` (default: :class:`ShareThresholdPolicy`)."""
        return self.read(at, calendar, policy).light

    def read(
        self, at: dt.datetime, calendar: WorkCalendar, policy: LightPolicy | None = None
    ) -> ClockReading:
        """Every answer about the clock at ``at`` at once."""
        moment = instant(at)
        run = self._run(calendar)
        deadline = _deadline(calendar, run)
        closed = calendar._closed_until(moment)
        overdue = isinstance(deadline, Deadline) and moment > deadline.at
        today = calendar._local_ordinal(moment)
        late = calendar._between(run.deadline, today) if overdue and run.deadline else 0
        budget = _budget(calendar, run)
        remaining = max(0, budget - counted(calendar, run, closed))
        paused = self.paused(moment)
        facts = LightFacts(
            moment,
            deadline,
            remaining,
            overdue,
            max(late, 0),
            paused,
            self.limit,
            calendar,
            budget,
        )
        light = (policy or ShareThresholdPolicy()).light(facts)
        return ClockReading(
            at=moment,
            deadline=deadline,
            used=counted(calendar, run, closed),
            remaining=remaining,
            paused=paused,
            overdue=overdue,
            overdue_by=max(late, 0),
            light=light,
            provisional=deadline.provisional or calendar._touches(run.start, today),
        )

    def _run(self, calendar: WorkCalendar) -> Run:
        if calendar.region != self.region:
            raise ValidationError(
                f"this clock counts on the {self.region!r} calendar, not {calendar.region!r}; "
                f"pass calendar_for({self.region!r})"
            )
        return run_of(self, calendar)


def _utc(moment: dt.datetime) -> int:
    return math.floor(moment.timestamp())


def _deadline(calendar: WorkCalendar, run: Run) -> Deadline | DeadlineUnknown:
    if run.deadline is None:
        assert run.open_pause is not None and run.open_from is not None
        return DeadlineUnknown(
            paused_since=run.open_pause.start,
            reason=run.open_pause.reason,
            remaining=_remaining(calendar, run, run.open_from),
            provisional=calendar._touches(run.start, run.open_from),
        )
    return calendar._deadline(run.deadline, calendar._touches(run.start, run.deadline))


def _budget(calendar: WorkCalendar, run: Run) -> int:
    """The working days the current run has in all: up to its deadline (before an open
    pause moved it), extensions included, closed pauses excluded."""
    return counted(calendar, run, run.running, with_open=False)


def _remaining(calendar: WorkCalendar, run: Run, closed: int) -> int:
    return max(0, _budget(calendar, run) - counted(calendar, run, closed))


def _ledger_problems(clock: Clock) -> Iterator[str]:
    """Every way the ledger contradicts itself, so one error can list them all."""
    started = clock.started
    previous: pendulum.DateTime = started
    for index, pause in enumerate(clock.pauses):
        where = f"pauses[{index}]"
        if pause.start < previous:
            yield f"{where}: starts {pause.start.isoformat()}, before {previous.isoformat()}"
        if pause.resumed is not None and pause.resumed < pause.start:
            yield f"{where}: resumes {pause.resumed.isoformat()}, before it starts"
        if pause.resumed is None and index != len(clock.pauses) - 1:
            yield f"{where}: is still open but a later pause follows it; resume it first"
        previous = pause.resumed or pause.start
    for index, extension in enumerate(clock.extensions):
        if extension.at < started:
            yield (
                f"extensions[{index}]: granted {extension.at.isoformat()}, before the clock "
                f"started {started.isoformat()}"
            )
