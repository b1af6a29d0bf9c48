"""The throttle of the public query: keyed by the caller, slowing a much-tried number, never
locking an owner out.

The public status query and the contact's view are the only doors open to anyone; the
attacker holds a list of case numbers (they are sequential) and as many tries as we allow.
Two rules, both from :class:`LockoutPolicy`:

* **Per client** (the key the host passes: an address, a session): ``max_failures`` wrong
  attempts within ``window_minutes``, on any numbers, stop that client for
  ``lock_minutes`` from the last one. This bounds how fast one client can guess passwords
  or walk a list of numbers, and it stops *that client*, not the numbers it tried: a
  stranger's wrong tries never lock the owner's client.
* **Per number**: once a number has had ``case_free_failures`` wrong attempts within
  ``case_window_hours`` (from anyone), each client must wait between *its own* tries on
  it, ``case_delay_seconds`` doubling with every further failure up to
  ``case_max_delay_minutes``. A client that has not failed on the number is not held up,
  so the owner's right password from the owner's client is answered however hard others
  try the number; the owner's own typo costs them at most the cap.

Every attempt is counted as wrong *before* its password is checked (a reservation, in one
locked unit of work that reads the client's log and the number's log), and forgiven
afterwards if it was right. So attempts racing in parallel never check more passwords than
the rules allow, and the slow scrypt runs outside any transaction. Unknown numbers are
counted exactly like known ones, or the throttle would tell which numbers exist.

Records stay bounded: one per client and one per number tried, holding at most the
failures that still matter (``max_failures``; the few that set the number's delay, and
the last try of at most 32 clients), and a refused attempt writes nothing (it is refused
on a read, without opening a transaction). What a bureau keeps of who hammered is one
:class:`Refusal` per lock: the client, when, until when and the numbers it failed on.
:meth:`Lockout.prune` deletes what has run out; attempts call it once per
``prune_minutes`` of their own ``at``, so nothing grows without a host job (hosts may
call it too).
"""

from __future__ import annotations

import math
from typing import Any, TypeVar

import attrs
import cattrs
import pendulum

from planning_core.errors import PlanningError, ValidationError
from planning_core.serialization import dump, load, parse_instant
from planning_core.storage import JSON, Store, UnitOfWork
from planning_core.window._errors import QueryLockedError

__all__ = [
    "ATTEMPTS",
    "LOCAL_CLIENT",
    "REFUSALS",
    "AttemptLog",
    "CaseLog",
    "ClientTry",
    "Lockout",
    "LockoutPolicy",
    "Refusal",
    "Reservation",
]

#: Attempt logs: ``client:KEY`` (an :class:`AttemptLog`), ``case:NUMBER`` as typed (a
#: :class:`CaseLog`), and ``~prune`` (when the next prune is due).
ATTEMPTS = "window.query_attempts"
#: One :class:`Refusal` per lock a client brought on itself, by ``EPOCH|CLIENT``.
REFUSALS = "window.query_refusals"
#: The client key of a caller the host cannot tell apart (the command line, a test). Every
#: caller given this key shares one per-client budget: a host serving the public must pass
#: each caller's own key (see docs/window.md, "Threat model of the public query").
LOCAL_CLIENT = "local"

_CLIENT = "client:"
_CASE = "case:"
_PRUNE = "~prune"
#: Clients whose last wrong try a number's log remembers; an evicted client is treated as
#: a new one, which is what a stranger with a fresh key is anyway.
_CLIENTS_KEPT = 32


def _at_least_one(instance: object, attribute: attrs.Attribute[int], value: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ValidationError(
            f"lockout {attribute.name} must be a whole number >= 1, not {value!r}"
        )


def _count(n: int, unit: str) -> str:
    return f"{n} {unit}" if n == 1 else f"{n} {unit}s"


def _seconds(seconds: int) -> str:
    if seconds % 3600 == 0:
        return _count(seconds // 3600, "hour")
    if seconds % 60 == 0:
        return _count(seconds // 60, "minute")
    return _count(seconds, "second")


@attrs.frozen
class LockoutPolicy:
    """The throttle of the public query (see the module docstring for the two rules).

    Positional use keeps its old meaning: ``LockoutPolicy(3, 60, 120)`` is 3 wrong attempts
    within 60 minutes stopping the client for 120 minutes.

    :param max_failures: wrong attempts from one client that stop it (5).
    :param window_minutes: the span they must fall in (15).
    :param lock_minutes: how long the client is then refused, from its last failure (15).
    :param case_free_failures: wrong attempts on one number, from anyone, before each
        client must wait between its own tries on it (5).
    :param case_delay_seconds: the first such wait; it doubles with each further failure
        (60).
    :param case_max_delay_minutes: the cap of that wait: the most a stranger's tries can
        ever delay anyone, the owner included (15).
    :param case_window_hours: how long a failure on a number counts (24).
    :param log_days: how long a :class:`Refusal` is kept (30).
    :param prune_minutes: how often attempts prune what has run out (60).
    """

    max_failures: int = attrs.field(default=5, validator=_at_least_one)
    window_minutes: int = attrs.field(default=15, validator=_at_least_one)
    lock_minutes: int = attrs.field(default=15, validator=_at_least_one)
    case_free_failures: int = attrs.field(default=5, validator=_at_least_one)
    case_delay_seconds: int = attrs.field(default=60, validator=_at_least_one)
    case_max_delay_minutes: int = attrs.field(default=15, validator=_at_least_one)
    case_window_hours: int = attrs.field(default=24, validator=_at_least_one)
    log_days: int = attrs.field(default=30, validator=_at_least_one)
    prune_minutes: int = attrs.field(default=60, validator=_at_least_one)

    @property
    def max_delay(self) -> pendulum.Duration:
        """The cap of a number's wait."""
        return pendulum.duration(minutes=self.case_max_delay_minutes)

    def case_delay(self, failures: int) -> pendulum.Duration:
        """How long a client waits after its own last wrong try on a number that has had
        ``failures`` wrong attempts within ``case_window_hours``."""
        if failures < self.case_free_failures:
            return pendulum.duration()
        steps = min(failures - self.case_free_failures, 62)
        seconds = min(self.case_delay_seconds * 2**steps, self.case_max_delay_minutes * 60)
        return pendulum.duration(seconds=seconds)

    @property
    def case_memory(self) -> int:
        """How many of a number's recent failures are worth keeping: one more than the count
        at which the wait reaches the cap (more would change nothing)."""
        ratio = self.case_max_delay_minutes * 60 / self.case_delay_seconds
        return self.case_free_failures + max(0, math.ceil(math.log2(ratio))) + 1

    def rule(self) -> str:
        """The per-client rule in words, for messages."""
        failures = _count(self.max_failures, "wrong attempt")
        return (
            f"after {failures} within {_seconds(self.window_minutes * 60)} a client's "
            f"queries are refused for {_seconds(self.lock_minutes * 60)}"
        )

    def refused_message(self) -> str:
        """The one message for an unknown number and a wrong password alike."""
        return (
            "the case number or the query password is wrong; check both against the receipt "
            f"(立案回执) and try again ({self.rule()})"
        )

    def contact_refused_message(self, case_number: str, contact: str) -> str:
        """The one message for an unknown number and another contact alike."""
        return (
            f"case {case_number!r} has no registered contact {contact!r}; the record is shown "
            f"only to the contact given at intake ({self.rule()})"
        )

    def client_locked_message(self, until: pendulum.DateTime) -> str:
        """Why a client is refused while it is stopped, and until when."""
        return (
            f"too many wrong attempts from this client "
            f"({self.max_failures} within {_seconds(self.window_minutes * 60)}): its queries "
            f"are refused until {until.isoformat()}; try again then with the case number and "
            f"password on the receipt (立案回执)"
        )

    def case_wait_message(self, case_number: str, until: pendulum.DateTime) -> str:
        """Why a client is asked to wait before its next try on a much-tried number."""
        return (
            f"case number {case_number!r} has had {self.case_free_failures} or more wrong "
            f"attempts within {_seconds(self.case_window_hours * 3600)}, so each client waits "
            f"between its own tries on it ({_seconds(self.case_delay_seconds)}, doubling, at "
            f"most {_seconds(self.case_max_delay_minutes * 60)}); this client may try it again "
            f"from {until.isoformat()}"
        )


@attrs.frozen
class AttemptLog:
    """One client's recent wrong attempts and the lock they caused.

    :param failures: instants of counted wrong attempts within the policy's window.
    :param locked_until: while set and in the future, every attempt is refused.
    :param numbers: the number tried at each of ``failures``, in the same order.
    """

    failures: tuple[pendulum.DateTime, ...] = ()
    locked_until: pendulum.DateTime | None = None
    numbers: tuple[str, ...] = ()

    def locked(self, at: pendulum.DateTime) -> bool:
        """Whether an attempt at ``at`` is refused."""
        return self.locked_until is not None and at < self.locked_until

    def failed(self, at: pendulum.DateTime, policy: LockoutPolicy, number: str = "") -> AttemptLog:
        """The log after one more wrong attempt at ``at``; the lock starts at the last one.

        A lock that has run out clears the count: the client starts afresh.
        """
        expired = self.locked_until is not None and at >= self.locked_until
        pairs = [] if expired else list(zip(self.failures, self._numbers(), strict=True))
        since = at.subtract(minutes=policy.window_minutes)
        recent = [(f, n) for f, n in pairs if f > since] + [(at, number)]
        failures = tuple(f for f, _ in recent)
        numbers = tuple(n for _, n in recent)
        if len(recent) >= policy.max_failures:
            return AttemptLog(failures, at.add(minutes=policy.lock_minutes), numbers)
        return AttemptLog(failures, None if expired else self.locked_until, numbers)

    def forgiven(self, at: pendulum.DateTime, policy: LockoutPolicy) -> AttemptLog:
        """Undo the reservation of an attempt at ``at`` that turned out to be right."""
        pairs = list(zip(self.failures, self._numbers(), strict=True))
        for i in range(len(pairs) - 1, -1, -1):
            if pairs[i][0] == at:
                del pairs[i]
                break
        locked_until = self.locked_until
        caused_by_it = locked_until == at.add(minutes=policy.lock_minutes)
        if caused_by_it and len(pairs) < policy.max_failures:
            locked_until = None
        return AttemptLog(tuple(f for f, _ in pairs), locked_until, tuple(n for _, n in pairs))

    def stale(self, at: pendulum.DateTime, policy: LockoutPolicy) -> bool:
        """Whether the log no longer counts at ``at`` (no lock, no failure in the window)."""
        since = at.subtract(minutes=policy.window_minutes)
        return not self.locked(at) and all(f <= since for f in self.failures)

    def _numbers(self) -> tuple[str, ...]:
        # logs written before the numbers were kept have none: pad, so the pairs line up
        return (*self.numbers, *("" for _ in range(len(self.failures) - len(self.numbers))))


@attrs.frozen
class ClientTry:
    """A client's last wrong try on a number."""

    client: str
    at: pendulum.DateTime


@attrs.frozen
class CaseLog:
    """The recent wrong attempts on one case number (known or not), from anyone.

    :param failures: the most recent failures within ``case_window_hours``, at most
        :attr:`LockoutPolicy.case_memory` of them.
    :param clients: the last wrong try of each recent client, oldest first, at most 32.
    """

    failures: tuple[pendulum.DateTime, ...] = ()
    clients: tuple[ClientTry, ...] = ()

    def count(self, at: pendulum.DateTime, policy: LockoutPolicy) -> int:
        """Failures counted at ``at``."""
        since = at.subtract(hours=policy.case_window_hours)
        return sum(1 for f in self.failures if since < f <= at)

    def last_try(self, client: str) -> pendulum.DateTime | None:
        """The client's last wrong try on the number, while remembered."""
        return next((c.at for c in self.clients if c.client == client), None)

    def ready_at(
        self, client: str, at: pendulum.DateTime, policy: LockoutPolicy
    ) -> pendulum.DateTime | None:
        """When ``client`` may try the number again, if not at ``at``."""
        last = self.last_try(client)
        delay = policy.case_delay(self.count(at, policy))
        if last is None or not delay:
            return None
        ready = last + delay
        return ready if at < ready else None

    def failed(self, client: str, at: pendulum.DateTime, policy: LockoutPolicy) -> CaseLog:
        """The log after a wrong try by ``client`` at ``at`` (expired entries dropped, and
        the oldest failures beyond :attr:`LockoutPolicy.case_memory`)."""
        kept = self.pruned(at, policy)
        failures = (*kept.failures, at)[-policy.case_memory :]
        others = tuple(c for c in kept.clients if c.client != client)
        clients = (*others, ClientTry(client, at))[-_CLIENTS_KEPT:]
        return CaseLog(failures, clients)

    def overflow(
        self, at: pendulum.DateTime, policy: LockoutPolicy
    ) -> tuple[pendulum.DateTime, ...]:
        """The failures :meth:`failed` at ``at`` drops for room, given back if forgiven."""
        kept = self.pruned(at, policy).failures
        return kept[: max(0, len(kept) + 1 - policy.case_memory)]

    def forgiven(
        self,
        client: str,
        at: pendulum.DateTime,
        previous: pendulum.DateTime | None,
        dropped: tuple[pendulum.DateTime, ...] = (),
    ) -> CaseLog:
        """Undo ``client``'s reservation at ``at``: its last try is ``previous`` again, and
        the failures dropped for its room are back (so right answers never erode the
        count)."""
        failures = list(self.failures)
        for i in range(len(failures) - 1, -1, -1):
            if failures[i] == at:
                del failures[i]
                break
        failures = sorted([*dropped, *failures])
        clients = list(self.clients)
        for i, entry in enumerate(clients):
            if entry.client == client and entry.at == at:
                if previous is None:
                    del clients[i]
                else:
                    clients[i] = ClientTry(client, previous)
                break
        return CaseLog(tuple(failures), tuple(clients))

    def pruned(self, at: pendulum.DateTime, policy: LockoutPolicy) -> CaseLog:
        """Without failures past the window and tries past the cap: they restrict nothing."""
        since = at.subtract(hours=policy.case_window_hours)
        cap = at - policy.max_delay
        return CaseLog(
            tuple(f for f in self.failures if f > since),
            tuple(c for c in self.clients if c.at > cap),
        )

    def stale(self, at: pendulum.DateTime, policy: LockoutPolicy) -> bool:
        """Whether nothing in the log counts at ``at`` any more."""
        kept = self.pruned(at, policy)
        return not kept.failures and not kept.clients


@attrs.frozen
class Refusal:
    """A lock one client brought on itself: who, from when, until when, on which numbers."""

    client: str
    at: pendulum.DateTime
    locked_until: pendulum.DateTime
    numbers: tuple[str, ...] = ()


@attrs.frozen
class Reservation:
    """An attempt counted as wrong until :meth:`Lockout.succeeded` forgives it.

    :param previous_try: the client's last try on the number before this one, restored
        when it is forgiven.
    :param refusal: the key of the :class:`Refusal` this attempt started, if it locked the
        client.
    :param dropped: the number's failures dropped to make room for this one.
    """

    case_number: str
    client: str
    at: pendulum.DateTime
    previous_try: pendulum.DateTime | None = None
    refusal: str | None = None
    dropped: tuple[pendulum.DateTime, ...] = ()


_Log = TypeVar("_Log", AttemptLog, CaseLog)


class Lockout:
    """The throttle of the public query, on ``store``, under ``policy``."""

    def __init__(self, store: Store, converter: cattrs.Converter, policy: LockoutPolicy) -> None:
        self.store = store
        self.converter = converter
        self.policy = policy

    def begin(self, case_number: str, client: str, at: pendulum.DateTime) -> Reservation:
        """Reserve an attempt on ``case_number`` by ``client`` (wrong until forgiven).

        A refused attempt is refused on a read and writes nothing, so hammering a closed
        door costs the store no write.

        :raises QueryLockedError: while the client is stopped, or must wait before its next
            try on this number; the message says until when.
        """
        self._maybe_prune(at)
        client_key, case_key = _CLIENT + client, _CASE + case_number
        self._check(
            case_number,
            self._load(self.store.get_record(ATTEMPTS, client_key), AttemptLog),
            self._load(self.store.get_record(ATTEMPTS, case_key), CaseLog),
            client,
            at,
        )
        with self.store.unit_of_work() as uow:
            log = self._load(uow.get_record(ATTEMPTS, client_key), AttemptLog)
            case = self._load(uow.get_record(ATTEMPTS, case_key), CaseLog)
            self._check(case_number, log, case, client, at)
            counted = log.failed(at, self.policy, case_number)
            refusal = None
            if counted.locked(at):
                assert counted.locked_until is not None
                refusal = f"{int(at.timestamp()):012d}|{client}"
                lock = Refusal(client, at, counted.locked_until, counted.numbers)
                uow.put_records(REFUSALS, {refusal: dump(self.converter, lock)})
            uow.put_records(
                ATTEMPTS,
                {
                    client_key: dump(self.converter, counted),
                    case_key: dump(self.converter, case.failed(client, at, self.policy)),
                },
            )
            uow.commit()
        dropped = case.overflow(at, self.policy)
        return Reservation(case_number, client, at, case.last_try(client), refusal, dropped)

    def succeeded(self, reservation: Reservation) -> None:
        """The reserved attempt had the right password (or contact): it does not count."""
        with self.store.unit_of_work() as uow:
            self.forgive(uow, reservation)
            uow.commit()

    def forgive(self, uow: UnitOfWork, reservation: Reservation) -> None:
        """:meth:`succeeded` inside the caller's unit of work (with what else it writes)."""
        client_key, case_key = _CLIENT + reservation.client, _CASE + reservation.case_number
        log = self._load(uow.get_record(ATTEMPTS, client_key), AttemptLog)
        case = self._load(uow.get_record(ATTEMPTS, case_key), CaseLog)
        at = reservation.at
        forgiven = log.forgiven(at, self.policy)
        if reservation.refusal is not None and not forgiven.locked(at):
            uow.delete_records(REFUSALS, [reservation.refusal])
        uow.put_records(
            ATTEMPTS,
            {
                client_key: dump(self.converter, forgiven),
                case_key: dump(
                    self.converter,
                    case.forgiven(
                        reservation.client, at, reservation.previous_try, reservation.dropped
                    ),
                ),
            },
        )

    def client_log(self, client: str) -> AttemptLog:
        """The attempt log of ``client`` (empty when it never failed)."""
        return self._load(self.store.get_record(ATTEMPTS, _CLIENT + client), AttemptLog)

    def case_log(self, case_number: str) -> CaseLog:
        """The attempt log of ``case_number`` as typed (empty when never tried wrongly)."""
        return self._load(self.store.get_record(ATTEMPTS, _CASE + case_number), CaseLog)

    def refusals(self, case_number: str | None = None, client: str | None = None) -> list[Refusal]:
        """The locks kept (``log_days``), oldest first; of one client, or on one number."""
        found = []
        for key, data in self.store.list_records(REFUSALS):
            refusal = self._refusal(key, data)
            if refusal is None:
                continue
            if client is not None and refusal.client != client:
                continue
            if case_number is not None and case_number not in refusal.numbers:
                continue
            found.append(refusal)
        return found

    def prune(self, at: Any) -> int:
        """Delete what has run out at ``at``; returns how many records went.

        Client logs without a lock or a failure in the window, number logs whose failures
        and tries have all expired, refusals older than ``log_days``, and the one record per
        attempt or refusal older versions wrote. Each candidate is re-read under the unit of
        work's lock, so an attempt racing with the prune is never lost.
        """
        moment = parse_instant(at)
        attempts = sorted(  # clients before numbers: the order attempts lock them in
            (
                key
                for key, data in self.store.list_records(ATTEMPTS)
                if self._stale(key, data, moment)
            ),
            key=lambda key: not key.startswith(_CLIENT),
        )
        refusals = [
            key for key, data in self.store.list_records(REFUSALS) if self._old(key, data, moment)
        ]
        with self.store.unit_of_work() as uow:
            gone = [
                key
                for key in attempts
                if not key.startswith((_CLIENT, _CASE))
                or self._stale(key, uow.get_record(ATTEMPTS, key), moment)
            ]
            removed = uow.delete_records(ATTEMPTS, gone) + uow.delete_records(REFUSALS, refusals)
            due = moment.add(minutes=self.policy.prune_minutes)
            uow.put_records(ATTEMPTS, {_PRUNE: {"next": due.isoformat()}})
            uow.commit()
        return removed

    # -- inside -------------------------------------------------------------------------------

    def _check(
        self,
        case_number: str,
        log: AttemptLog,
        case: CaseLog,
        client: str,
        at: pendulum.DateTime,
    ) -> None:
        if log.locked(at):
            assert log.locked_until is not None
            until = log.locked_until
            raise QueryLockedError(until.isoformat(), self.policy.client_locked_message(until))
        ready = case.ready_at(client, at, self.policy)
        if ready is not None:
            raise QueryLockedError(
                ready.isoformat(), self.policy.case_wait_message(case_number, ready)
            )

    def _maybe_prune(self, at: pendulum.DateTime) -> None:
        due = self.store.get_record(ATTEMPTS, _PRUNE)
        if due is None or parse_instant(due["next"]) <= at:
            self.prune(at)

    def _load(self, data: JSON | None, cls: type[_Log]) -> _Log:
        return cls() if data is None else load(self.converter, data, cls)

    def _stale(self, key: str, data: JSON | None, at: pendulum.DateTime) -> bool:
        if data is None or key == _PRUNE:
            return False
        try:
            if key.startswith(_CLIENT):
                return self._load(data, AttemptLog).stale(at, self.policy)
            if key.startswith(_CASE):
                return self._load(data, CaseLog).stale(at, self.policy)
        except PlanningError:
            return True  # unreadable: nothing can count on it
        return True  # a per-number log of an older version, keyed by the bare number

    def _refusal(self, key: str, data: JSON) -> Refusal | None:
        if "|" not in key:
            return None  # one record per refused attempt, as older versions wrote
        try:
            refusal: Refusal = load(self.converter, data, Refusal)
        except PlanningError:
            return None
        return refusal

    def _old(self, key: str, data: JSON, at: pendulum.DateTime) -> bool:
        refusal = self._refusal(key, data)
        return refusal is None or refusal.at <= at.subtract(days=self.policy.log_days)
