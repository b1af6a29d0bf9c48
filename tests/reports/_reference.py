"""A hand-written reference for the approval statistics, written apart from the library's.

It reads the raw recorded events and works each clock out by itself, as intervals between
event positions: a clock runs from the event that starts it to the one that stops it (its
completion, the decision, a closing event), every suspension (or, after acceptance, a
supplement) recorded in between pauses it, every resumption restarts it, every extension in
between lengthens the decision clocks. Lights are read with the engine's policy just before
each such change and at the clock's end. The figures are kept as plain counters, so the
tests compare two independent computations.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from fractions import Fraction

import pendulum

from planning_core import cases as ev
from planning_core.cases import Engine, Outcome, RecordedEvent
from planning_core.timing import Clock, Light, LightPolicy, PauseMode, PauseReason

ZONE = "Asia/Shanghai"
CLOSING = (ev.AcceptanceRefused, ev.CaseWithdrawn, ev.CertificateIssued, ev.CaseDelivered)
ORDER = [Light.GREEN, Light.REMINDER, Light.YELLOW, Light.RED]


@dataclass
class ClockFacts:
    """One clock worked out: its value at its end, when it ended, and its worst light."""

    clock: Clock
    end: pendulum.DateTime | None
    light: Light


@dataclass
class Reference:
    """The figures, as plain counters keyed by tuples."""

    cases: int = 0
    counts: Counter[tuple[str, str, str]] = field(default_factory=Counter)
    on_time: Counter[tuple[str, str, str]] = field(default_factory=Counter)
    post_lights: Counter[tuple[str, str]] = field(default_factory=Counter)
    case_lights: Counter[tuple[str, str]] = field(default_factory=Counter)
    step_days: dict[tuple[str, str], list[int]] = field(default_factory=lambda: defaultdict(list))
    step_late: Counter[tuple[str, str]] = field(default_factory=Counter)
    case_days: dict[str, list[int]] = field(default_factory=lambda: defaultdict(list))
    pauses: Counter[str] = field(default_factory=Counter)
    paused_cases: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    extensions: Counter[str] = field(default_factory=Counter)
    extension_days: int = 0
    certificates: Counter[str] = field(default_factory=Counter)
    red_cases: set[str] = field(default_factory=set)
    relevant: set[str] = field(default_factory=set)


@dataclass(frozen=True)
class YearReference:
    """A recorded year as the reference reads it: its histories and its figures."""

    closes: pendulum.DateTime
    histories: dict[str, list[RecordedEvent]]
    figures: Reference


def local_month(at: dt.datetime) -> str:
    return pendulum.instance(at).in_timezone(ZONE).strftime("%Y-%m")


def p90(values: list[int]) -> int:
    ordered = sorted(values)
    return ordered[math.ceil(len(ordered) * 0.9) - 1]


def mean(values: list[int]) -> Fraction:
    return Fraction(sum(values), len(values))


class CaseFacts:
    """One case's clocks, worked out from its events by position."""

    def __init__(self, events: list[RecordedEvent], engine: Engine, closes: pendulum.DateTime):
        self.events = events
        self.engine = engine
        self.closes = closes
        first = events[0].event
        assert isinstance(first, ev.CaseSubmitted)
        self.permit_type = first.permit_type
        self.region = first.region
        self.policy: LightPolicy = engine.policy(first.permit_type)
        self.accepted = next(
            (i for i, r in enumerate(events) if isinstance(r.event, ev.CaseAccepted)), None
        )

    def closing_after(self, start: int, extra: tuple[type, ...] = ()) -> int | None:
        kinds = (*CLOSING, *extra)
        return next(
            (
                i
                for i in range(start + 1, len(self.events))
                if isinstance(self.events[i].event, kinds)
            ),
            None,
        )

    def pauses(self, start: int, end: int | None) -> list[tuple[int, str, str, str]]:
        """(position, 'pause'|'resume', reason, mode) of the changes between two positions."""
        stop = len(self.events) if end is None else end
        changes = []
        for i in range(start + 1, stop):
            e = self.events[i].event
            if isinstance(e, ev.CaseSuspended):
                changes.append((i, "pause", e.reason, e.mode))
            elif isinstance(e, ev.CaseResumed):
                changes.append((i, "resume", "", ""))
            elif (
                isinstance(e, ev.SupplementRequested)
                and self.accepted is not None
                and i > self.accepted
            ):
                changes.append((i, "pause", "supplement", e.mode))
            elif (
                isinstance(e, ev.SupplementReceived)
                and self.accepted is not None
                and i > self.accepted
            ):
                changes.append((i, "resume", "", ""))
        return changes

    def suspended_at(self, position: int) -> str | None:
        reason = None
        for r in self.events[:position]:
            if isinstance(r.event, ev.CaseSuspended):
                reason = r.event.reason
            elif isinstance(r.event, ev.CaseResumed):
                reason = None
        return reason

    def clock(
        self,
        start_at: pendulum.DateTime,
        limit: object,
        start: int,
        end: int | None,
        *,
        extensions: bool,
        paused_from_start: str | None = None,
    ) -> ClockFacts:
        clock = Clock(start_at, limit, self.region)  # type: ignore[arg-type]
        calendar = self.engine.calendar
        readings = []
        if paused_from_start is not None:
            clock = clock.pause(start_at, paused_from_start, mode=PauseMode.STOP_AND_RESUME)
        stop = len(self.events) if end is None else end
        changes = {p: (kind, reason, mode) for p, kind, reason, mode in self.pauses(start, end)}
        for i in range(start + 1, stop):
            r = self.events[i]
            e = r.event
            change = None
            kind, reason, mode = changes.get(i, ("", "", ""))
            if kind == "pause" and clock.open_pause is None:
                basis = getattr(e, "basis", "") or None
                change = clock.pause(r.at, PauseReason(reason), basis=basis, mode=PauseMode(mode))
            elif kind == "resume" and clock.open_pause is not None:
                change = clock.resume(r.at)
            elif extensions and isinstance(e, ev.CaseExtended):
                approver = r.actor or "bureau head"
                change = clock.extend(e.working_days, approver=approver, reason=e.reason, at=r.at)
            if change is not None:
                readings.append(clock.light(r.at, calendar, self.policy))
                clock = change
        end_at = self.events[end].at if end is not None else self.closes
        readings.append(clock.light(end_at, calendar, self.policy))
        worst = max(readings, key=ORDER.index)
        return ClockFacts(clock, None if end is None else end_at, worst)


def step_stop(events: list[RecordedEvent], i: int, token: str) -> int | None:
    """The position of the event that stops the step activated at ``i``, if any."""
    for j in range(i + 1, len(events)):
        e = events[j].event
        done = ev.StepCompleted | ev.MeetingDecisionRecorded | ev.TokenCancelled
        if (isinstance(e, done) and e.token == token) or isinstance(e, (*CLOSING, ev.CaseDecided)):
            return j
    return None


def cut(engine: Engine, end: dt.date) -> tuple[pendulum.DateTime, dict[str, list[RecordedEvent]]]:
    """The instant after ``end`` and every case's history before it."""
    after = end + dt.timedelta(days=1)
    closes = pendulum.datetime(after.year, after.month, after.day, tz=ZONE)
    histories = {}
    for row in engine.store.cases():
        events = [r for r in engine.history(row.case_id) if r.at < closes]
        if events:
            histories[row.case_id] = events
    return closes, histories


def reference(engine: Engine, start: dt.date, end: dt.date) -> Reference:
    """The reference figures of the days ``start`` to ``end``."""
    closes, histories = cut(engine, end)
    return reference_of(engine, histories, start, closes)


def reference_of(
    engine: Engine,
    histories: dict[str, list[RecordedEvent]],
    start: dt.date,
    closes: pendulum.DateTime,
) -> Reference:
    """The reference figures of histories already cut at ``closes``."""
    opens = pendulum.datetime(start.year, start.month, start.day, tz=ZONE)
    ref = Reference()
    for case_id, events in histories.items():
        _case(ref, case_id, events, engine, opens, closes)
    return ref


def _case(
    ref: Reference,
    case_id: str,
    events: list[RecordedEvent],
    engine: Engine,
    opens: pendulum.DateTime,
    closes: pendulum.DateTime,
) -> None:
    facts = CaseFacts(events, engine, closes)
    pt = facts.permit_type
    calendar = engine.calendar

    def inside(at: dt.datetime | None) -> bool:
        return at is not None and opens <= at < closes

    # counts
    words = {
        ev.CaseSubmitted: "received",
        ev.CaseAccepted: "accepted",
        ev.AcceptanceRefused: "refused",
        ev.CertificateIssued: "issued",
        ev.CaseDelivered: "delivered",
        ev.CaseWithdrawn: "withdrawn",
    }
    for r in events:
        if not inside(r.at):
            continue
        word = words.get(type(r.event))
        if word:
            ref.counts[(pt, local_month(r.at), word)] += 1
        if isinstance(r.event, ev.CaseDecided):
            ref.counts[(pt, local_month(r.at), "decided")] += 1
            kind = "approved" if r.event.outcome is Outcome.APPROVED else "denied"
            ref.counts[(pt, local_month(r.at), kind)] += 1
        if isinstance(r.event, ev.CaseExtended):
            ref.extensions[pt] += 1
            ref.extension_days += r.event.working_days
        if isinstance(r.event, ev.CaseSuspended):
            ref.pauses[r.event.reason] += 1
            ref.paused_cases[r.event.reason].add(case_id)
        if (
            isinstance(r.event, ev.SupplementRequested)
            and facts.accepted is not None
            and events.index(r) > facts.accepted
        ):
            ref.pauses["supplement"] += 1
            ref.paused_cases["supplement"].add(case_id)

    clocks: list[ClockFacts] = []
    in_view = []  # (facts, kind, post)
    # decision clocks
    if facts.accepted is not None:
        accepted = events[facts.accepted].event
        assert isinstance(accepted, ev.CaseAccepted)
        stop = facts.closing_after(facts.accepted, (ev.CaseDecided,))
        committed = facts.clock(
            accepted.clock_start, accepted.committed, facts.accepted, stop, extensions=True
        )
        statutory = facts.clock(
            accepted.clock_start, accepted.statutory, facts.accepted, stop, extensions=True
        )
        clocks += [committed, statutory]
        in_view += [(committed, "case", None), (statutory, "case", None)]
        decided = stop is not None and isinstance(events[stop].event, ev.CaseDecided)
        if decided and inside(events[stop].at):
            at = events[stop].at
            ok_c = not committed.clock.is_overdue(at, calendar)
            ok_s = not statutory.clock.is_overdue(at, calendar)
            month = local_month(at)
            ref.on_time[(pt, month, "decided")] += 1
            ref.on_time[(pt, month, "committed")] += ok_c
            ref.on_time[(pt, month, "statutory")] += ok_s
            ref.case_days[pt].append(committed.clock.used(at, calendar))
    # the certificate clock
    for i, r in enumerate(events):
        if isinstance(r.event, ev.CaseDecided) and r.event.outcome is Outcome.APPROVED:
            # art. 44 (颁发、送达): the clock runs from the decision until the applicant has
            # the certificate; the count is of certificates issued in the period, judged at
            # the clock's end (delivery, or the period's end)
            issued = next(
                (j for j in range(i + 1, len(events)) if isinstance(events[j].event, CLOSING)),
                None,
            )
            after_issue = issued is not None and isinstance(
                events[issued].event, ev.CertificateIssued
            )
            stop = facts.closing_after(issued) if after_issue and issued is not None else issued
            cert = facts.clock(r.at, r.event.certificate_limit, i, stop, extensions=False)
            clocks.append(cert)
            in_view.append((cert, "case", None))
            if after_issue and issued is not None and inside(events[issued].at):
                end = events[stop].at if stop is not None else facts.closes
                ref.certificates["issued"] += 1
                ref.certificates["on_time"] += not cert.clock.is_overdue(end, calendar)
    # hearing clocks (art. 47): from a hearing suspension to the resumption, never paused
    for i, r in enumerate(events):
        e = r.event
        if not isinstance(e, ev.CaseSuspended) or e.hearing_limit is None:
            continue
        stop = facts.closing_after(i, (ev.CaseResumed, ev.CaseWithdrawn))
        hearing = Clock(r.at, e.hearing_limit, facts.region)
        end_at = events[stop].at if stop is not None else facts.closes
        light = hearing.light(end_at, calendar, facts.policy)
        facts_ = ClockFacts(hearing, None if stop is None else end_at, light)
        clocks.append(facts_)
        in_view.append((facts_, "case", None))
    # step clocks
    for i, r in enumerate(events):
        e = r.event
        if not isinstance(e, ev.StepActivated) or e.limit is None:
            continue
        stop = step_stop(events, i, e.token)
        step = facts.clock(
            r.at, e.limit, i, stop, extensions=False, paused_from_start=facts.suspended_at(i)
        )
        clocks.append(step)
        in_view.append((step, "step", e.post))
        completed = (
            stop is not None
            and isinstance(events[stop].event, ev.StepCompleted | ev.MeetingDecisionRecorded)
            and events[stop].event.token == e.token
        )  # type: ignore[union-attr]
        if completed and inside(events[stop].at):  # type: ignore[index]
            key = (pt, e.step_id)
            at = events[stop].at  # type: ignore[index]
            ref.step_days[key].append(step.clock.used(at, calendar))
            ref.step_late[key] += step.clock.is_overdue(at, calendar)

    # lights: clocks that ended in the period or still run at its end
    case_worst = None
    for clock, kind, post in in_view:
        if clock.end is not None and not inside(clock.end):
            continue
        if kind == "step" and post is not None:
            ref.post_lights[(post, clock.light.value)] += 1
        elif kind == "case":
            case_worst = (
                clock.light if case_worst is None else max(case_worst, clock.light, key=ORDER.index)
            )
    if case_worst is not None:
        ref.case_lights[(pt, case_worst.value)] += 1
    if any(c.light is Light.RED for c in clocks):
        ref.red_cases.add(case_id)
    running = any(c.end is None for c in clocks)
    if events[-1].at >= opens or running:
        ref.cases += 1
        ref.relevant.add(case_id)
