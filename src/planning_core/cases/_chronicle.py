"""The fold in history mode: a case's whole life, with every clock kept when it stops.

:func:`~planning_core.cases.fold` keeps what is true now: a clock that stopped is gone, so
the state cannot tell how late a step was once it is done. :func:`chronicle` replays the
same events with the same :func:`~planning_core.cases._state.apply` and keeps what each
state forgets, by comparing it with the next:

* a clock present before an event and absent after it stopped at the event's instant;
* a clock present in both but different (paused, resumed, extended) gives a checkpoint:
  the instant and the clock just before it. A light only gets worse while a clock's ledger
  stands still, so the worst light a clock showed is the worst of its lights at its
  checkpoints and at its end;
* a token gone ended its step: ``completed`` when the event completed that token,
  ``cancelled`` when it cancelled it, else ``closed`` with the case;
* a reason that joins the state's :attr:`~planning_core.cases.CaseState.holds` starts a
  pause, and the pause ends when that reason leaves them;
* an entry new in a decision clock's ledger is an extension.

There are no clock rules here: how an event moves a clock is the fold's business alone, so
what reports say about a case cannot drift from what the engine said at the time.
"""

from __future__ import annotations

from collections.abc import Iterable

import attrs
import pendulum

from planning_core.cases import _events as ev
from planning_core.cases._case import CaseState, CaseStatus, RecordedEvent, Token
from planning_core.cases._projection import worst
from planning_core.cases._state import apply
from planning_core.timing import Clock, Extension, Light, LightPolicy, WorkCalendar

__all__ = ["CaseTimeline", "ClockRun", "PauseSpan", "StepRun", "chronicle"]

At = pendulum.DateTime

#: The statuses that close a case, by the milestone they mark.
_CLOSINGS = {
    CaseStatus.REFUSED: "refused",
    CaseStatus.ISSUED: "issued",
    CaseStatus.DELIVERED: "delivered",
    CaseStatus.WITHDRAWN: "withdrawn",
}


@attrs.frozen
class ClockRun:
    """One clock over its life, up to the end of the history at the latest.

    :param clock: its value when it stopped, or at the end of the history while it runs.
    :param ended: when it stopped; None while it still runs at the end of the history.
    :param checkpoints: each instant its ledger changed, with the clock just before.
    """

    clock: Clock
    ended: pendulum.DateTime | None
    checkpoints: tuple[tuple[pendulum.DateTime, Clock], ...] = ()

    def end(self, horizon: pendulum.DateTime) -> pendulum.DateTime:
        """When the clock is read last: its stop, or ``horizon`` while it runs."""
        return self.ended if self.ended is not None else horizon

    def light(
        self, calendar: WorkCalendar, policy: LightPolicy, horizon: pendulum.DateTime
    ) -> Light:
        """The worst light the clock showed up to its end (or ``horizon``)."""
        readings = [before.light(at, calendar, policy) for at, before in self.checkpoints]
        return worst([*readings, self.clock.light(self.end(horizon), calendar, policy)])

    def overdue(self, calendar: WorkCalendar, horizon: pendulum.DateTime) -> bool:
        """True when the clock's deadline had passed at its end (or ``horizon``)."""
        return self.clock.is_overdue(self.end(horizon), calendar)

    def used(self, calendar: WorkCalendar, horizon: pendulum.DateTime) -> int:
        """Working days counted against the limit up to its end (pauses not counted)."""
        return self.clock.used(self.end(horizon), calendar)


@attrs.frozen
class StepRun:
    """One token's stay at a workflow step.

    :param step_id: the step it was at last (a migration may have renamed it).
    :param how: ``completed``, ``cancelled`` (the other branches of an N-of-M join),
        ``closed`` (the case was decided or closed with the step open), or ``""`` while it
        still runs at the end of the history.
    :param clock: its clock, when the step has a time limit.
    """

    token: str
    step_id: str
    post: str | None
    activated_at: pendulum.DateTime
    ended_at: pendulum.DateTime | None
    how: str
    clock: ClockRun | None


@attrs.frozen
class PauseSpan:
    """A while during which one reason held the case's clocks (:attr:`CaseState.holds`):
    a suspension (art. 45), or a supplement asked for after acceptance.

    Two may overlap (a suspension during a supplement): the clocks ran again only when both
    had ended.

    :param resumed: when the reason stopped holding the clocks; None while it still does.
    """

    reason: str
    started: pendulum.DateTime
    resumed: pendulum.DateTime | None


@attrs.frozen
class CaseTimeline:
    """A case's whole history as the fold saw it, event by event, up to its last event.

    Instants of milestones are those of the events that reached them (``accepted_at`` is
    when acceptance was recorded, even when it is deemed from receipt).
    """

    case_id: str
    case_number: str
    permit_type: str
    workflow_version: int
    township: str | None
    region: str
    received_at: pendulum.DateTime | None
    accepted_at: pendulum.DateTime | None
    refused_at: pendulum.DateTime | None
    decided_at: pendulum.DateTime | None
    outcome: ev.Outcome | None
    issued_at: pendulum.DateTime | None
    delivered_at: pendulum.DateTime | None
    withdrawn_at: pendulum.DateTime | None
    committed: ClockRun | None
    statutory: ClockRun | None
    certificate: ClockRun | None
    steps: tuple[StepRun, ...]
    pauses: tuple[PauseSpan, ...]
    extensions: tuple[Extension, ...]
    first_at: pendulum.DateTime | None
    last_at: pendulum.DateTime | None
    #: the township's preliminary review (行政许可法 art. 43) and the last hearing's time to
    #: be organised (art. 47), for cases that had them
    preliminary: ClockRun | None = None
    hearing: ClockRun | None = None

    @property
    def running(self) -> bool:
        """True when some clock still runs at the end of the history."""
        runs = [self.preliminary, self.committed, self.statutory, self.certificate, self.hearing]
        runs += [s.clock for s in self.steps]
        return any(r is not None and r.ended is None for r in runs)

    def clocks(self) -> list[tuple[str, ClockRun, StepRun | None]]:
        """Every clock with its name (``step:<token>`` for steps) and, for steps, its run."""
        named: list[tuple[str, ClockRun, StepRun | None]] = [
            (name, run, None)
            for name, run in (
                ("preliminary", self.preliminary),
                ("committed", self.committed),
                ("statutory", self.statutory),
                ("certificate", self.certificate),
                ("hearing", self.hearing),
            )
            if run is not None
        ]
        named += [(f"step:{s.token}", s.clock, s) for s in self.steps if s.clock is not None]
        return named


def chronicle(case_id: str, events: Iterable[RecordedEvent]) -> CaseTimeline:
    """Replay a history with the fold, keeping every clock, step and pause over its life.

    :param events: the case's recorded events in order (cut where the reader wants the
        history to end, such as a period's end).
    """
    book = _Book()
    state = CaseState(case_id=case_id)
    for recorded in events:
        after = apply(state, recorded)
        book.note(state, after, recorded)
        state = after
    return book.timeline(state)


@attrs.define
class _Stay:
    """A token's stay while the replay goes on."""

    token: Token
    step_id: str
    ended_at: pendulum.DateTime | None = None
    how: str = ""


class _Book:
    """What the replay keeps that the state forgets; :func:`chronicle` is its only user."""

    def __init__(self) -> None:
        self.first_at: At | None = None
        self.last_at: At | None = None
        self.milestones: dict[str, At] = {}
        self.clocks: dict[str, Clock] = {}  # the running clocks, as of the last state
        self.checkpoints: dict[str, list[tuple[At, Clock]]] = {}
        self.stopped: dict[str, ClockRun] = {}
        self.stays: dict[str, _Stay] = {}
        self.pauses: list[PauseSpan] = []
        self.extensions: list[Extension] = []
        self.held: tuple[str, ...] = ()  # the holds of the last state

    def note(self, before: CaseState, after: CaseState, recorded: RecordedEvent) -> None:
        at = recorded.at
        if self.first_at is None:
            self.first_at = at
        self.last_at = at
        self._milestones(before, after, at)
        if after.clocks is not before.clocks:
            self._clocks(after, at)
        if after.tokens is not before.tokens:
            self._tokens(before, after, recorded)
        holds = after.holds
        if holds != self.held:
            self._holds(self.held, holds, at)
            self.held = holds

    def _milestones(self, before: CaseState, after: CaseState, at: At) -> None:
        if before.received_at is None and after.received_at is not None:
            self.milestones.setdefault("received", at)
        if before.accepted_at is None and after.accepted_at is not None:
            self.milestones.setdefault("accepted", at)
        if before.decided_at is None and after.decided_at is not None:
            self.milestones.setdefault("decided", at)
        closing = _CLOSINGS.get(after.status)
        if closing is not None and after.status is not before.status:
            self.milestones.setdefault(closing, at)

    def _clocks(self, after: CaseState, at: At) -> None:
        now = {name: clock for name, clock in after.clocks.named() if name != "notice"}
        extended = False
        for name, clock in self.clocks.items():
            changed = now.get(name)
            if changed is None:
                self.stopped[name] = ClockRun(clock, at, tuple(self.checkpoints.pop(name, ())))
            elif changed is not clock and changed != clock:
                self.checkpoints.setdefault(name, []).append((at, clock))
                granted = changed.extensions[len(clock.extensions) :]
                if granted and not extended:  # both decision clocks carry each extension
                    self.extensions += granted
                    extended = True
        self.clocks = now

    def _tokens(self, before: CaseState, after: CaseState, recorded: RecordedEvent) -> None:
        now = {t.token: t for t in after.tokens}
        for token in after.tokens:
            stay = self.stays.get(token.token)
            if stay is None:
                self.stays[token.token] = _Stay(token, token.step_id)
            else:
                stay.step_id = token.step_id
        for token in before.tokens:
            if token.token not in now:
                stay = self.stays[token.token]
                stay.ended_at, stay.how = recorded.at, _how(recorded.event, token.token)

    def _holds(self, held: tuple[str, ...], holds: tuple[str, ...], at: At) -> None:
        ending = list(held)
        for reason in holds:
            if reason in ending:
                ending.remove(reason)
            else:
                self.pauses.append(PauseSpan(reason, at, None))
        for reason in ending:
            last = max(
                i for i, p in enumerate(self.pauses) if p.reason == reason and p.resumed is None
            )
            self.pauses[last] = attrs.evolve(self.pauses[last], resumed=at)

    def timeline(self, state: CaseState) -> CaseTimeline:
        runs = dict(self.stopped)
        runs.update(
            (name, ClockRun(clock, None, tuple(self.checkpoints.get(name, ()))))
            for name, clock in self.clocks.items()
        )
        steps = tuple(
            StepRun(
                s.token.token,
                s.step_id,
                s.token.post,
                s.token.activated_at,
                s.ended_at,
                s.how,
                runs.get(f"step:{s.token.token}"),
            )
            for s in self.stays.values()
        )
        when = self.milestones.get
        return CaseTimeline(
            case_id=state.case_id,
            case_number=state.case_number,
            permit_type=state.permit_type,
            workflow_version=state.workflow_version,
            township=state.township,
            region=state.clocks.region,
            received_at=when("received"),
            accepted_at=when("accepted"),
            refused_at=when("refused"),
            decided_at=when("decided"),
            outcome=state.outcome,
            issued_at=when("issued"),
            delivered_at=when("delivered"),
            withdrawn_at=when("withdrawn"),
            committed=runs.get("committed"),
            statutory=runs.get("statutory"),
            certificate=runs.get("certificate"),
            steps=steps,
            pauses=tuple(self.pauses),
            extensions=tuple(self.extensions),
            first_at=self.first_at,
            last_at=self.last_at,
            preliminary=runs.get("preliminary"),
            hearing=runs.get("hearing"),
        )


def _how(event: ev.Event, token: str) -> str:
    """How the event that removed ``token`` ended its step."""
    if isinstance(event, ev.StepCompleted | ev.MeetingDecisionRecorded) and event.token == token:
        return "completed"
    if isinstance(event, ev.TokenCancelled) and event.token == token:
        return "cancelled"
    return "closed"
