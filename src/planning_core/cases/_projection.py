"""From a case's state to the row the store indexes: status, lights, deadlines, inboxes.

The projection is a pure function of the folded state, the calendar and the light policy,
computed as of the case's last event; so the stored row can always be checked against a
replay of the history (:meth:`Engine.check_projection`).

``wake_ts`` is the earliest instant at which some running clock's light will differ from
the light last recorded for it; the sweep visits only cases whose wake time has come.
Lights are assumed to get no better while a clock runs (true of both built-in policies);
an extension or a pause may make them better, and then the wake time is "now".
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Hashable
from typing import cast

import pendulum

from planning_core.cases._clocks import CASE_CLOCKS
from planning_core.cases._state import CaseState
from planning_core.storage import CaseRow, WorkItem
from planning_core.timing import Clock, Deadline, Light, LightPolicy, TimeLimit, WorkCalendar

__all__ = ["LIGHT_RANK", "ProjectionCaches", "clock_lights", "deadlines", "project", "worst"]

#: How bad each light is, for picking the worst and for the sweep's search.
LIGHT_RANK = {Light.GREEN: 0, Light.REMINDER: 1, Light.YELLOW: 2, Light.RED: 3}

#: How far past a deadline the sweep still looks for a further change (follow-up cards).
_HORIZON_WORKING_DAYS = 60


def worst(lights: list[Light]) -> Light:
    """The worst of ``lights`` (GREEN for none)."""
    return max(lights, key=LIGHT_RANK.__getitem__, default=Light.GREEN)


def clock_lights(
    state: CaseState, calendar: WorkCalendar, policy: LightPolicy, at: pendulum.DateTime
) -> dict[str, Light]:
    """The light of every running clock at ``at``, the acceptance period's included."""
    return {name: clock.light(at, calendar, policy) for name, clock in state.clocks.named()}


class ProjectionCaches:
    """The projection's caches of pure functions of immutable values (a clock's deadline,
    its day clock, its first worse light, a month of receipt), bounded, for one engine.

    Each engine holds its own, so its memory goes with it and two engines in one process
    (two bureaus, two calendars) do not evict each other's entries; :func:`project` called
    without one uses a cache of the module's.

    :param size: entries kept per function (least recently used dropped first).
    """

    def __init__(self, size: int = 65536) -> None:
        self.size = size
        self.month = functools.lru_cache(maxsize=min(size, 4096))(_month)
        self.deadline_ts = functools.lru_cache(maxsize=size)(_deadline_ts)
        self.day_clock = functools.lru_cache(maxsize=size)(_day_clock)
        self.first_worse = functools.lru_cache(maxsize=size)(_first_worse)
        self.is_provisional = functools.lru_cache(maxsize=size)(_is_provisional)
        self.by_day = functools.lru_cache(maxsize=size)(self._by_day)

    def _by_day(self, clock: Clock, calendar: WorkCalendar) -> Clock:
        return _by_day(clock, calendar, self.day_clock)

    def clear(self) -> None:
        """Empty every cache (what a long-running host may do after a calendar change)."""
        for cached in (
            self.month,
            self.deadline_ts,
            self.day_clock,
            self.first_worse,
            self.is_provisional,
            self.by_day,
        ):
            cached.cache_clear()


def deadlines(
    state: CaseState, calendar: WorkCalendar, caches: ProjectionCaches | None = None
) -> tuple[dict[str, int | None], dict[str, bool]]:
    """The deadlines the row of ``state`` stores (UTC epoch seconds by clock name, None
    while paused) and the clocks whose deadline is provisional: the part of :func:`project`
    an engine compares with a stored row to find deadlines counted on another calendar."""
    c = caches or _SHARED
    found = {
        name: c.deadline_ts(c.by_day(clock, calendar), calendar)
        for name, clock in state.clocks.named()
    }
    return found, _provisional(state, found, calendar, c)


def project(
    state: CaseState,
    calendar: WorkCalendar,
    policy: LightPolicy,
    caches: ProjectionCaches | None = None,
) -> CaseRow:
    """The store row of ``state`` as of its last event.

    :param caches: the engine's caches (default: the module's).
    """
    c = caches or _SHARED
    at = state.last_at
    open_ = state.status.is_open
    by_day = {name: c.by_day(clock, calendar) for name, clock in state.clocks.named()}
    deadlines = {name: c.deadline_ts(clock, calendar) for name, clock in by_day.items()}
    recorded = dict(state.lights)
    case_light = _case_light(recorded, deadlines)
    work = tuple(
        sorted(
            (
                WorkItem(t.post, t.step_id, deadlines.get(f"step:{t.token}"))
                for t in state.tokens
                if t.post is not None
            ),
            key=lambda w: (w.post, w.step_id),
        )
    )
    received = state.received_at or at
    return CaseRow(
        case_id=state.case_id,
        permit_type=state.permit_type,
        status=state.status.value,
        light=case_light.value if open_ else Light.GREEN.value,
        is_open=open_,
        month=c.month(received, calendar) if received else "",
        last_seq=state.seq,
        case_number=state.case_number or None,
        deadline_ts=_due(deadlines),
        wake_ts=_wake(state, by_day, calendar, policy, c) if open_ else None,
        work=work if open_ else (),
        data=_document(state, deadlines, case_light, calendar, c),
    )


def _case_light(recorded: dict[str, str], running: dict[str, int | None]) -> Light:
    """The case file's light: its own clocks' worst, and RED while any step of it is late.

    The seed's supervision rule: a step handled late puts a red light on the case file
    (案卷有红灯), so the supervisor sees it on the board whatever the case's own clocks say.
    """
    own = [Light(recorded.get(n, "green")) for n in ("notice", *CASE_CLOCKS) if n in running]
    late_step = any(
        name.startswith("step:") and recorded.get(name) == Light.RED.value for name in running
    )
    return worst([*own, Light.RED] if late_step else own)


def _due(deadlines: dict[str, int | None]) -> int | None:
    """When the case is next due: the earliest deadline of its decision, certificate and
    step clocks (the acceptance period ends in deemed acceptance, not in lateness)."""
    due = [ts for name, ts in deadlines.items() if name != "notice" and ts is not None]
    return min(due, default=None)


def _month(received: pendulum.DateTime, calendar: WorkCalendar) -> str:
    """``YYYY-MM`` of the bureau's calendar day of receipt."""
    day = calendar.local_date(received)
    return f"{day.year:04d}-{day.month:02d}"


def _deadline_ts(clock: Clock, calendar: WorkCalendar) -> int | None:
    """A clock's deadline as UTC epoch seconds (None while paused); cached, as clocks and
    calendars are immutable and a case's decision clocks stay the same while it moves."""
    deadline = clock.deadline(calendar)
    return int(deadline.at.timestamp()) if isinstance(deadline, Deadline) else None


def _wake(
    state: CaseState,
    by_day: dict[str, Clock],
    calendar: WorkCalendar,
    policy: LightPolicy,
    caches: ProjectionCaches,
) -> int | None:
    at = state.last_at
    if at is None:
        return None
    now = int(at.timestamp())
    recorded_lights = dict(state.lights)
    hashable = cast(Hashable, policy)  # policies are frozen attrs values
    times = []
    for name, clock in state.clocks.named():
        if clock.open_pause is not None:
            continue
        recorded = Light(recorded_lights.get(name, "green"))
        if recorded is not Light.GREEN and clock.light(at, calendar, policy) is not recorded:
            times.append(now)  # better than recorded (an extension, a resume)
            continue
        change = caches.first_worse(by_day[name], calendar, hashable, LIGHT_RANK[recorded])
        if change is not None:
            times.append(max(change, now))  # already worse: wake now
    return min(times, default=None)


def _by_day(
    clock: Clock,
    calendar: WorkCalendar,
    day_clock: Callable[[pendulum.Date, TimeLimit, str, str], Clock],
) -> Clock:
    """The same clock started at the beginning of its start day.

    Counting starts from the start *day* (the start day itself is not counted), so a clock's
    deadline and its lights at every later day's close depend on the day, not the hour: all
    the steps that start on one day with one limit share one search in the cache.
    """
    if clock.pauses or clock.extensions:
        return clock
    return day_clock(calendar.local_date(clock.started), clock.limit, clock.region, calendar.zone)


def _day_clock(day: pendulum.Date, limit: TimeLimit, region: str, zone: str) -> Clock:
    return Clock(pendulum.datetime(day.year, day.month, day.day, tz=zone), limit, region)


def _first_worse(clock: Clock, calendar: WorkCalendar, policy: Hashable, rank: int) -> int | None:
    """The first instant, from the clock's start, whose light is worse than ``rank``.

    A pure function of immutable values, so it is cached: a case's decision clocks stay the
    same while its steps move, and each is searched once.
    """
    deadline = clock.deadline(calendar)
    if not isinstance(deadline, Deadline):
        return None
    first = calendar.local_date(clock.started)
    last = calendar.add_working_days(deadline.date, _HORIZON_WORKING_DAYS)
    span = calendar.working_days_between(first, last)

    def probe(k: int) -> pendulum.DateTime:
        return calendar.close_of(calendar.add_working_days(first, k)).add(seconds=1)

    chosen = cast(LightPolicy, policy)

    def worse(k: int) -> bool:
        return LIGHT_RANK[clock.light(probe(k), calendar, chosen)] > rank

    if LIGHT_RANK[clock.light(clock.started, calendar, chosen)] > rank:
        return int(clock.started.timestamp())
    found = _first_true(0, span, worse)
    return None if found is None else int(probe(found).timestamp()) - 1


def _first_true(low: int, high: int, test: Callable[[int], bool]) -> int | None:
    """The smallest k in [low, high] with test(k), for a test false then true."""
    if high < low or not test(high):
        return None
    while low < high:
        middle = (low + high) // 2
        if test(middle):
            high = middle
        else:
            low = middle + 1
    return low


def _provisional(
    state: CaseState,
    deadlines: dict[str, int | None],
    calendar: WorkCalendar,
    caches: ProjectionCaches,
) -> dict[str, bool]:
    # The clocks whose deadline date was counted over a year without a published official
    # holiday schedule (Deadline.provisional), so readers mark it （暂定） without recounting.
    return {
        name: True
        for name, clock in state.clocks.named()
        if deadlines.get(name) is not None and caches.is_provisional(clock, calendar)
    }


def _is_provisional(clock: Clock, calendar: WorkCalendar) -> bool:
    """Whether the clock's deadline was counted over a year without an official schedule;
    cached like :func:`_deadline_ts`."""
    deadline = clock.deadline(calendar)
    return isinstance(deadline, Deadline) and deadline.provisional


def _document(
    state: CaseState,
    deadlines: dict[str, int | None],
    light: Light,
    calendar: WorkCalendar,
    caches: ProjectionCaches,
) -> dict[str, object]:
    provisional = _provisional(state, deadlines, calendar, caches)
    return {
        "case_number": state.case_number,
        "permit_type": state.permit_type,
        "workflow_version": state.workflow_version,
        "status": state.status.value,
        "status_zh": state.status.label_zh,
        "applicant": state.applicant,
        "project": state.project,
        "township": state.township,
        "decided_at": state.decided_at.isoformat() if state.decided_at else None,
        "received_at": state.received_at.isoformat() if state.received_at else None,
        "accepted_at": state.accepted_at.isoformat() if state.accepted_at else None,
        "deemed_accepted": state.deemed_accepted,
        "suspended": state.suspended,
        "extended": state.extended,
        "missing": list(state.missing),
        "outcome": state.outcome.value if state.outcome else None,
        "certificate_number": state.certificate_number,
        "light": light.value,
        "lights": dict(state.lights),
        "deadlines": deadlines,
        "provisional": provisional,
        "tokens": [
            {"token": t.token, "step_id": t.step_id, "post": t.post, "claimed_by": t.claimed_by}
            for t in state.tokens
        ],
        "head_hash": state.head_hash,
    }


#: The caches of callers that bring none.
_SHARED = ProjectionCaches()
