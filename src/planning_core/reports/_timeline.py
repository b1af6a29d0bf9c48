"""A case's history as reports need it: when things happened, and every clock over its life.

The engine's fold (:func:`planning_core.cases.fold`) keeps only the clocks still running, so
it cannot say how late a step was once the step is done. Reports walk the same events and
keep each clock when it stops, with the instants at which its ledger changed (a pause, a
resumption, an extension): a light can only get worse while a clock's ledger stands still,
so the worst light a clock ever showed is the worst of its lights just before each change
and at its end. The clock rules are the engine's (``cases/_clocks.py``): a suspension pauses
every running clock, an extension lengthens both decision clocks, the decision stops them and
starts the certificate clock; the tests check the walk against the engine's fold.

Limits come from the events (``CaseAccepted.committed``, ``StepActivated.limit`` …), which is
what lets a what-if replay rewrite them and walk again.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import attrs
import pendulum

from planning_core import cases as ev
from planning_core.cases import Outcome, RecordedEvent
from planning_core.timing import Clock, Light, LightPolicy, PauseMode, PauseReason, WorkCalendar

__all__ = [
    "LIGHT_ORDER",
    "CaseTimeline",
    "ClockRun",
    "Extension",
    "PauseSpan",
    "StepRun",
    "rank",
    "walk",
    "worse",
]

#: Lights from best to worst.
LIGHT_ORDER: tuple[Light, ...] = (Light.GREEN, Light.REMINDER, Light.YELLOW, Light.RED)
_RANK = {light: rank for rank, light in enumerate(LIGHT_ORDER)}


def worse(a: Light, b: Light) -> Light:
    """The worse of two lights."""
    return a if _RANK[a] >= _RANK[b] else b


def rank(light: Light) -> int:
    """How bad ``light`` is: 0 for GREEN up to 3 for RED."""
    return _RANK[light]


@attrs.frozen
class ClockRun:
    """One clock over its life, up to the end of the period at the latest.

    :param clock: its value when it stopped, or at the period's end while still running.
    :param ended: when it stopped; None while it still runs at the period's end.
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
        worst = self.clock.light(self.end(horizon), calendar, policy)
        for at, before in self.checkpoints:
            worst = worse(worst, before.light(at, calendar, policy))
        return worst

    def overdue(self, calendar: WorkCalendar, horizon: pendulum.DateTime) -> bool:
        """True when the clock's deadline had passed at its end (or ``horizon``)."""
        return self.clock.is_overdue(self.end(horizon), calendar)

    def used(self, calendar: WorkCalendar, horizon: pendulum.DateTime) -> int:
        """Working days counted against the limit up to its end (pauses not counted)."""
        return self.clock.used(self.end(horizon), calendar)


@attrs.frozen
class StepRun:
    """One token's stay at a workflow step.

    :param how: ``completed``, ``cancelled`` (the other branches of an N-of-M join),
        ``closed`` (the case was decided or closed with the step open), or ``""`` while it
        still runs at the period's end.
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
    """A pause of the case's clocks: a suspension (art. 45), or a supplement in review."""

    reason: str
    started: pendulum.DateTime
    resumed: pendulum.DateTime | None


@attrs.frozen
class Extension:
    """An approved extension (art. 42)."""

    at: pendulum.DateTime
    working_days: int
    reason: str


@attrs.frozen
class CaseTimeline:
    """Everything reports need about one case, up to the end of a period."""

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
    outcome: Outcome | None
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

    @property
    def running(self) -> bool:
        """True when some clock still runs at the end of the walk."""
        runs = [self.committed, self.statutory, self.certificate]
        runs += [s.clock for s in self.steps]
        return any(r is not None and r.ended is None for r in runs)

    def clocks(self) -> list[tuple[str, ClockRun, StepRun | None]]:
        """Every clock with its name (``step:<token>`` for steps) and, for steps, its run."""
        named: list[tuple[str, ClockRun, StepRun | None]] = [
            (name, run, None)
            for name, run in (
                ("committed", self.committed),
                ("statutory", self.statutory),
                ("certificate", self.certificate),
            )
            if run is not None
        ]
        named += [(f"step:{s.token}", s.clock, s) for s in self.steps if s.clock is not None]
        return named


@attrs.define
class _Running:
    """A clock while the walk goes on."""

    clock: Clock
    checkpoints: list[tuple[pendulum.DateTime, Clock]] = attrs.field(factory=list)

    def change(self, at: pendulum.DateTime, changed: Clock) -> None:
        self.checkpoints.append((at, self.clock))
        self.clock = changed

    def stop(self, at: pendulum.DateTime | None) -> ClockRun:
        return ClockRun(self.clock, at, tuple(self.checkpoints))


@attrs.define
class _Step:
    token: str
    step_id: str
    post: str | None
    activated_at: pendulum.DateTime
    clock: _Running | None


class _Walk:
    """The mutable state of one walk; :func:`walk` is its only user."""

    def __init__(self, case_id: str) -> None:
        self.case_id = case_id
        self.case_number = ""
        self.permit_type = ""
        self.workflow_version = 0
        self.township: str | None = None
        self.region = "CN"
        self.at: dict[str, pendulum.DateTime | None] = {}
        self.outcome: Outcome | None = None
        self.case_clocks: dict[str, _Running] = {}
        self.done_clocks: dict[str, ClockRun] = {}
        self.steps: dict[str, _Step] = {}
        self.step_order: list[str] = []
        self.done_steps: dict[str, StepRun] = {}
        self.pauses: list[PauseSpan] = []
        self.extensions: list[Extension] = []
        self.accepted = False
        self.suspended: str | None = None
        self.first_at: pendulum.DateTime | None = None
        self.last_at: pendulum.DateTime | None = None

    # -- clocks -------------------------------------------------------------------------------

    def _all_running(self) -> list[_Running]:
        steps = [s.clock for s in self.steps.values() if s.clock is not None]
        return [*self.case_clocks.values(), *steps]

    def pause(self, at: pendulum.DateTime, reason: str, basis: str, mode: str) -> None:
        why, how = PauseReason.coerce(reason), PauseMode(mode)
        for running in self._all_running():
            if running.clock.open_pause is None:
                running.change(at, running.clock.pause(at, why, basis=basis or None, mode=how))

    def resume(self, at: pendulum.DateTime) -> None:
        for running in self._all_running():
            if running.clock.open_pause is not None:
                running.change(at, running.clock.resume(at))
        if self.pauses and self.pauses[-1].resumed is None:
            self.pauses[-1] = attrs.evolve(self.pauses[-1], resumed=at)

    def stop_case_clock(self, name: str, at: pendulum.DateTime) -> None:
        running = self.case_clocks.pop(name, None)
        if running is not None:
            self.done_clocks[name] = running.stop(at)

    def stop_step(self, token: str, at: pendulum.DateTime, how: str) -> None:
        step = self.steps.pop(token, None)
        if step is None:
            return
        clock = None if step.clock is None else step.clock.stop(at)
        self.done_steps[token] = StepRun(
            step.token, step.step_id, step.post, step.activated_at, at, how, clock
        )

    def close(self, at: pendulum.DateTime) -> None:
        for name in list(self.case_clocks):
            self.stop_case_clock(name, at)
        for token in list(self.steps):
            self.stop_step(token, at, "closed")

    # -- the result ---------------------------------------------------------------------------

    def timeline(self) -> CaseTimeline:
        clocks = dict(self.done_clocks)
        clocks.update({name: r.stop(None) for name, r in self.case_clocks.items()})
        steps = []
        for token in self.step_order:
            if token in self.done_steps:
                steps.append(self.done_steps[token])
                continue
            open_step = self.steps[token]
            clock = None if open_step.clock is None else open_step.clock.stop(None)
            steps.append(
                StepRun(
                    token,
                    open_step.step_id,
                    open_step.post,
                    open_step.activated_at,
                    None,
                    "",
                    clock,
                )
            )
        return CaseTimeline(
            case_id=self.case_id,
            case_number=self.case_number,
            permit_type=self.permit_type,
            workflow_version=self.workflow_version,
            township=self.township,
            region=self.region,
            received_at=self.at.get("received"),
            accepted_at=self.at.get("accepted"),
            refused_at=self.at.get("refused"),
            decided_at=self.at.get("decided"),
            outcome=self.outcome,
            issued_at=self.at.get("issued"),
            delivered_at=self.at.get("delivered"),
            withdrawn_at=self.at.get("withdrawn"),
            committed=clocks.get("committed"),
            statutory=clocks.get("statutory"),
            certificate=clocks.get("certificate"),
            steps=tuple(steps),
            pauses=tuple(self.pauses),
            extensions=tuple(self.extensions),
            first_at=self.first_at,
            last_at=self.last_at,
        )


def walk(case_id: str, events: Iterable[RecordedEvent]) -> CaseTimeline:
    """Walk a case's recorded events (already cut at the period's end) into a timeline."""
    state = _Walk(case_id)
    for recorded in events:
        if state.first_at is None:
            state.first_at = recorded.at
        state.last_at = recorded.at
        handler = _HANDLERS.get(type(recorded.event))
        if handler is not None:
            handler(state, recorded.event, recorded.at, recorded.actor or "")
    return state.timeline()


# -- one handler per event type that matters to the clocks or the counts ------------------------

At = pendulum.DateTime


def _submitted(w: _Walk, e: ev.CaseSubmitted, at: At, actor: str) -> None:
    w.case_number, w.permit_type = e.case_number, e.permit_type
    w.workflow_version, w.township, w.region = e.workflow_version, e.township, e.region
    w.at["received"] = at


def _supplement_requested(w: _Walk, e: ev.SupplementRequested, at: At, actor: str) -> None:
    if w.accepted:
        w.pauses.append(PauseSpan(PauseReason.SUPPLEMENT.value, at, None))
        w.pause(at, PauseReason.SUPPLEMENT.value, "", e.mode)


def _supplement_received(w: _Walk, e: ev.SupplementReceived, at: At, actor: str) -> None:
    if w.accepted:
        w.resume(at)


def _accepted(w: _Walk, e: ev.CaseAccepted, at: At, actor: str) -> None:
    region = w.region
    w.accepted = True
    w.at["accepted"] = at
    w.case_clocks["committed"] = _Running(Clock(e.clock_start, e.committed, region))
    w.case_clocks["statutory"] = _Running(Clock(e.clock_start, e.statutory, region))


def _refused(w: _Walk, e: ev.AcceptanceRefused, at: At, actor: str) -> None:
    w.at["refused"] = at
    w.close(at)


def _activated(w: _Walk, e: ev.StepActivated, at: At, actor: str) -> None:
    clock = None if e.limit is None else _Running(Clock(at, e.limit, w.region))
    w.steps[e.token] = _Step(e.token, e.step_id, e.post, at, clock)
    w.step_order.append(e.token)
    if clock is not None and w.suspended is not None:
        w.pause(at, w.suspended, "", PauseMode.STOP_AND_RESUME.value)


def _completed(w: _Walk, e: ev.StepCompleted | ev.MeetingDecisionRecorded, at: At, _: str) -> None:
    w.stop_step(e.token, at, "completed")


def _cancelled(w: _Walk, e: ev.TokenCancelled, at: At, actor: str) -> None:
    w.stop_step(e.token, at, "cancelled")


def _suspended(w: _Walk, e: ev.CaseSuspended, at: At, actor: str) -> None:
    w.suspended = e.reason
    w.pauses.append(PauseSpan(e.reason, at, None))
    w.pause(at, e.reason, e.basis, e.mode)


def _resumed(w: _Walk, e: ev.CaseResumed, at: At, actor: str) -> None:
    w.suspended = None
    w.resume(at)


def _extended(w: _Walk, e: ev.CaseExtended, at: At, actor: str) -> None:
    w.extensions.append(Extension(at, e.working_days, e.reason))
    for name in ("committed", "statutory"):
        running = w.case_clocks.get(name)
        if running is not None:
            approver = actor or "bureau head"
            longer = running.clock.extend(e.working_days, approver=approver, reason=e.reason, at=at)
            running.change(at, longer)


def _decided(w: _Walk, e: ev.CaseDecided, at: At, actor: str) -> None:
    w.at["decided"] = at
    w.outcome = e.outcome
    w.close(at)
    if e.outcome is Outcome.APPROVED and e.certificate_limit is not None:
        clock = Clock(at, e.certificate_limit, w.region)
        w.case_clocks["certificate"] = _Running(clock)


def _migrated(w: _Walk, e: ev.CaseMigrated, at: At, actor: str) -> None:
    w.workflow_version = e.to_version
    mapping = dict(e.step_map)
    for step in w.steps.values():
        step.step_id = mapping.get(step.step_id, step.step_id)


def _closing(key: str) -> Any:
    def handler(w: _Walk, e: object, at: At, actor: str) -> None:
        w.at.setdefault(key, at)
        w.close(at)

    return handler


_HANDLERS: dict[type[Any], Any] = {
    ev.CaseSubmitted: _submitted,
    ev.SupplementRequested: _supplement_requested,
    ev.SupplementReceived: _supplement_received,
    ev.CaseAccepted: _accepted,
    ev.AcceptanceRefused: _refused,
    ev.StepActivated: _activated,
    ev.StepCompleted: _completed,
    ev.MeetingDecisionRecorded: _completed,
    ev.TokenCancelled: _cancelled,
    ev.CaseSuspended: _suspended,
    ev.CaseResumed: _resumed,
    ev.CaseExtended: _extended,
    ev.CaseDecided: _decided,
    ev.CertificateIssued: _closing("issued"),
    ev.CaseDelivered: _closing("delivered"),
    ev.CaseWithdrawn: _closing("withdrawn"),
    ev.CaseMigrated: _migrated,
}
