"""The clocks of one case, as one immutable value the fold carries along.

A case has up to four kinds of clock, each a :class:`planning_core.timing.Clock`:

* ``notice``: 5 working days from receipt to give the one-time supplement notice
  (行政许可法 art. 32); it stops when the notice is given or the case is accepted;
* ``committed`` and ``statutory``: the decision limits from acceptance (承诺时限 and
  法定时限, art. 42), both extended by an approved extension;
* ``step:<token>``: each active workflow step, with its post's limit;
* ``consult:<token>/<department>``: each external department asked for its opinion at a
  CONSULT step (征求意见), with its own limit, until it answers;
* ``certificate``: 10 working days from an approval to issue *and serve* the certificate
  (行政许可法 art. 44, 颁发、送达): it stops when the applicant has it (``CaseDelivered``).

Suspensions (art. 45) pause every running clock but the notice clock; meetings (处务会,
局务会) pause nothing. The limits come from the events, so a case keeps the limits it was
accepted under even when the permit type's published limits change later.
"""

from __future__ import annotations

from collections.abc import Iterator

import attrs
import pendulum

from planning_core.timing import Clock, PauseMode, PauseReason, TimeLimit

__all__ = ["CASE_CLOCKS", "CaseClocks"]

#: The clocks that measure the case as a whole (as opposed to one step): besides the
#: decision and certificate clocks, ``preliminary`` (a lower authority's preliminary review
#: before the acceptance period, 行政许可法 art. 43) and ``hearing`` (the time to organise a
#: hearing, art. 47, which runs while the hearing stops the other clocks).
CASE_CLOCKS = ("preliminary", "committed", "statutory", "certificate", "hearing")


@attrs.frozen
class CaseClocks:
    """The running clocks of a case, by name."""

    region: str = "CN"
    notice: Clock | None = None
    committed: Clock | None = None
    statutory: Clock | None = None
    certificate: Clock | None = None
    steps: tuple[tuple[str, Clock], ...] = ()
    preliminary: Clock | None = None
    hearing: Clock | None = None
    #: each consulted department's clock (征求意见), by ``<token>/<department>``
    consultations: tuple[tuple[str, Clock], ...] = ()

    def named(self) -> Iterator[tuple[str, Clock]]:
        """Every running clock with its name (``step:<token>`` for steps)."""
        for name in ("notice", *CASE_CLOCKS):
            clock = getattr(self, name)
            if clock is not None:
                yield name, clock
        for token, clock in self.steps:
            yield f"step:{token}", clock
        for key, clock in self.consultations:
            yield f"consult:{key}", clock

    def step(self, token: str) -> Clock | None:
        """The clock of the step holding ``token``."""
        return dict(self.steps).get(token)

    def _with_steps(self, steps: tuple[tuple[str, Clock], ...]) -> CaseClocks:
        # what attrs.evolve does, without looking the fields up on every step of every case
        return CaseClocks(
            self.region,
            self.notice,
            self.committed,
            self.statutory,
            self.certificate,
            steps,
            self.preliminary,
            self.hearing,
            self.consultations,
        )

    # -- transitions ----------------------------------------------------------------------

    def received(self, at: pendulum.DateTime, region: str, notice: TimeLimit) -> CaseClocks:
        """Receipt: the notice clock starts."""
        return CaseClocks(region=region, notice=Clock(at, notice, region))

    def accepted(
        self, start: pendulum.DateTime, committed: TimeLimit, statutory: TimeLimit
    ) -> CaseClocks:
        """Acceptance: the decision clocks start from ``start``; the notice clock is done."""
        return attrs.evolve(
            self,
            notice=None,
            committed=Clock(start, committed, self.region),
            statutory=Clock(start, statutory, self.region),
        )

    def preliminary_started(self, at: pendulum.DateTime, limit: TimeLimit) -> CaseClocks:
        """Receipt of an application a lower authority reviews first (art. 43): the
        ``preliminary`` clock runs instead of the acceptance period."""
        return CaseClocks(region=self.region, preliminary=Clock(at, limit, self.region))

    def preliminary_done(self, at: pendulum.DateTime, notice: TimeLimit) -> CaseClocks:
        """The preliminary opinion arrived: the acceptance period starts from its receipt."""
        return attrs.evolve(self, preliminary=None, notice=Clock(at, notice, self.region))

    def hearing_started(self, at: pendulum.DateTime, limit: TimeLimit) -> CaseClocks:
        """A hearing was asked for (art. 47): the time to organise it runs."""
        return attrs.evolve(self, hearing=Clock(at, limit, self.region))

    def hearing_done(self) -> CaseClocks:
        """The hearing was held (the case resumed): its clock is done."""
        return attrs.evolve(self, hearing=None)

    def notice_restarted(self, at: pendulum.DateTime, notice: TimeLimit) -> CaseClocks:
        """A supplement received before acceptance: the acceptance period starts again."""
        return attrs.evolve(self, notice=Clock(at, notice, self.region))

    def notice_given(self) -> CaseClocks:
        """The one-time notice was given: its clock is done."""
        return attrs.evolve(self, notice=None)

    def step_started(self, token: str, at: pendulum.DateTime, limit: TimeLimit) -> CaseClocks:
        """A step was activated with its post's limit."""
        clock = Clock(at, limit, self.region)
        return self._with_steps((*self.steps, (token, clock)))

    def step_stopped(self, token: str) -> CaseClocks:
        """A step was completed or cancelled."""
        return self._with_steps(tuple((t, c) for t, c in self.steps if t != token))

    def consultation_started(self, key: str, at: pendulum.DateTime, limit: TimeLimit) -> CaseClocks:
        """A department was asked for its opinion: its own clock runs with its limit."""
        clock = Clock(at, limit, self.region)
        rest = tuple((k, c) for k, c in self.consultations if k != key)
        return attrs.evolve(self, consultations=(*rest, (key, clock)))

    def consultation_stopped(self, key: str) -> CaseClocks:
        """The department answered (or its silence was taken as consent)."""
        return attrs.evolve(
            self, consultations=tuple((k, c) for k, c in self.consultations if k != key)
        )

    def consultation(self, key: str) -> Clock | None:
        """The clock of the consultation ``<token>/<department>``."""
        return dict(self.consultations).get(key)

    def restarted_step(self, token: str, at: pendulum.DateTime) -> CaseClocks:
        """A step's clock begins again from ``at`` with the same limit (after a RETURN)."""
        clock = self.step(token)
        if clock is None:
            return self
        fresh = Clock(at, clock.limit, self.region)
        return attrs.evolve(
            self, steps=tuple((t, fresh if t == token else c) for t, c in self.steps)
        )

    def paused(self, at: pendulum.DateTime, reason: str, basis: str, mode: str) -> CaseClocks:
        """Stop every running clock but the notice clock."""
        why = PauseReason.coerce(reason)
        how = PauseMode(mode)

        def pause(clock: Clock | None) -> Clock | None:
            if clock is None or clock.open_pause is not None:
                return clock
            return clock.pause(at, why, basis=basis or None, mode=how)

        return attrs.evolve(
            self,
            committed=pause(self.committed),
            statutory=pause(self.statutory),
            certificate=pause(self.certificate),
            steps=tuple((t, pause(c) or c) for t, c in self.steps),
            consultations=tuple((k, pause(c) or c) for k, c in self.consultations),
        )

    def resumed(self, at: pendulum.DateTime) -> CaseClocks:
        """Start every paused clock again."""

        def resume(clock: Clock | None) -> Clock | None:
            if clock is None or clock.open_pause is None:
                return clock
            return clock.resume(at)

        return attrs.evolve(
            self,
            committed=resume(self.committed),
            statutory=resume(self.statutory),
            certificate=resume(self.certificate),
            steps=tuple((t, resume(c) or c) for t, c in self.steps),
            consultations=tuple((k, resume(c) or c) for k, c in self.consultations),
        )

    def extended(self, days: int, approver: str, reason: str, at: pendulum.DateTime) -> CaseClocks:
        """An approved extension adds ``days`` to both decision limits."""

        def extend(clock: Clock | None) -> Clock | None:
            return (
                None
                if clock is None
                else clock.extend(days, approver=approver, reason=reason, at=at)
            )

        return attrs.evolve(
            self, committed=extend(self.committed), statutory=extend(self.statutory)
        )

    def decided(self, at: pendulum.DateTime, certificate: TimeLimit | None) -> CaseClocks:
        """The decision stops the decision clocks; an approval starts the certificate clock."""
        return CaseClocks(
            region=self.region,
            certificate=None if certificate is None else Clock(at, certificate, self.region),
        )

    def closed(self) -> CaseClocks:
        """Nothing runs on a closed case."""
        return CaseClocks(region=self.region)
