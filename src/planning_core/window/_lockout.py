"""Lockout of the public status query: 5 wrong attempts in 15 minutes lock a number.

Each case number someone tried, known or not, has an :class:`AttemptLog` record. An
attempt is counted as a failure *before* its password is checked (a reservation, in one
locked unit of work), and forgiven afterwards if the password was right. So attempts
racing in parallel can never check more passwords than the policy allows, and the slow
scrypt check runs outside any transaction. Refused attempts are kept, one record each, in
:data:`REFUSALS`: the bureau can see who hammered which number and when.

Unknown case numbers are counted and locked exactly like known ones; otherwise the
lockout itself would tell a caller which numbers exist.
"""

from __future__ import annotations

import attrs
import cattrs
import pendulum

from planning_core.errors import ValidationError
from planning_core.serialization import dump, load
from planning_core.storage import Store, UnitOfWork
from planning_core.window._errors import QueryLockedError

__all__ = ["ATTEMPTS", "REFUSALS", "AttemptLog", "Lockout", "LockoutPolicy", "Refusal"]

#: Collection of attempt logs, by case number as typed.
ATTEMPTS = "window.query_attempts"
#: Collection of refused attempts, by a gap-free sequence number.
REFUSALS = "window.query_refusals"


def _at_least_one(instance: object, attribute: attrs.Attribute[int], value: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ValidationError(
            f"lockout {attribute.name} must be a whole number >= 1, not {value!r}"
        )


@attrs.frozen
class LockoutPolicy:
    """How many wrong attempts, within how long, lock a number, and for how long.

    :param max_failures: wrong attempts that trigger the lockout (5).
    :param window_minutes: the span they must fall in (15).
    :param lock_minutes: how long further attempts are refused, from the last failure (15).
    """

    max_failures: int = attrs.field(default=5, validator=_at_least_one)
    window_minutes: int = attrs.field(default=15, validator=_at_least_one)
    lock_minutes: int = attrs.field(default=15, validator=_at_least_one)


@attrs.frozen
class AttemptLog:
    """The recent wrong attempts on one case number and the lock they caused.

    :param failures: instants of counted wrong attempts within the policy's window.
    :param locked_until: while set and in the future, every attempt is refused.
    """

    failures: tuple[pendulum.DateTime, ...] = ()
    locked_until: pendulum.DateTime | None = None

    def locked(self, at: pendulum.DateTime) -> bool:
        """Whether an attempt at ``at`` is refused."""
        return self.locked_until is not None and at < self.locked_until

    def failed(self, at: pendulum.DateTime, policy: LockoutPolicy) -> AttemptLog:
        """The log after one more wrong attempt at ``at``; the lock starts at the last one.

        A lock that has run out clears the count: the applicant starts afresh.
        """
        expired = self.locked_until is not None and at >= self.locked_until
        earlier = () if expired else self.failures
        since = at.subtract(minutes=policy.window_minutes)
        recent = (*(f for f in earlier if f > since), at)
        if len(recent) >= policy.max_failures:
            return AttemptLog(recent, at.add(minutes=policy.lock_minutes))
        return AttemptLog(recent, None if expired else self.locked_until)

    def forgiven(self, at: pendulum.DateTime, policy: LockoutPolicy) -> AttemptLog:
        """Undo the reservation of an attempt at ``at`` that turned out to be right."""
        failures = list(self.failures)
        if at in failures:
            failures.reverse()
            failures.remove(at)
            failures.reverse()
        locked_until = self.locked_until
        caused_by_it = locked_until == at.add(minutes=policy.lock_minutes)
        if caused_by_it and len(failures) < policy.max_failures:
            locked_until = None
        return AttemptLog(tuple(failures), locked_until)


@attrs.frozen
class Refusal:
    """One attempt refused during a lockout, as recorded."""

    case_number: str
    at: pendulum.DateTime
    locked_until: pendulum.DateTime


class Lockout:
    """Counts attempts per case number in the store, under ``policy``."""

    def __init__(self, store: Store, converter: cattrs.Converter, policy: LockoutPolicy) -> None:
        self.store = store
        self.converter = converter
        self.policy = policy

    def begin(self, case_number: str, at: pendulum.DateTime) -> None:
        """Reserve an attempt (counted as wrong until :meth:`succeeded`).

        :raises QueryLockedError: when the number is locked; the refusal is recorded.
        """
        with self.store.unit_of_work() as uow:
            log = self._read(uow, case_number)
            if log.locked(at):
                assert log.locked_until is not None
                self._refuse(uow, Refusal(case_number, at, log.locked_until))
                uow.commit()
                raise QueryLockedError(case_number, log.locked_until.isoformat())
            self._write(uow, case_number, log.failed(at, self.policy))
            uow.commit()

    def succeeded(self, case_number: str, at: pendulum.DateTime) -> None:
        """The reserved attempt at ``at`` had the right password: it does not count."""
        with self.store.unit_of_work() as uow:
            log = self._read(uow, case_number)
            self._write(uow, case_number, log.forgiven(at, self.policy))
            uow.commit()

    def log(self, case_number: str) -> AttemptLog:
        """The attempt log of ``case_number`` (empty when never tried)."""
        data = self.store.get_record(ATTEMPTS, case_number)
        return AttemptLog() if data is None else load(self.converter, data, AttemptLog)

    def refusals(self, case_number: str | None = None) -> list[Refusal]:
        """Recorded refusals, oldest first, of one number or of all."""
        found = [load(self.converter, d, Refusal) for _, d in self.store.list_records(REFUSALS)]
        return [r for r in found if case_number is None or r.case_number == case_number]

    def _read(self, uow: UnitOfWork, case_number: str) -> AttemptLog:
        data = uow.get_record(ATTEMPTS, case_number)
        return AttemptLog() if data is None else load(self.converter, data, AttemptLog)

    def _write(self, uow: UnitOfWork, case_number: str, log: AttemptLog) -> None:
        uow.put_records(ATTEMPTS, {case_number: dump(self.converter, log)})

    def _refuse(self, uow: UnitOfWork, refusal: Refusal) -> None:
        key = f"{uow.next_sequence(REFUSALS):012d}"
        uow.put_records(REFUSALS, {key: dump(self.converter, refusal)})
