"""The outbox: every notification is written with its events, then delivered at least once.

A notification sent straight from the code that records an event is lost when the sender
fails after the commit, and sent for nothing when the commit fails after the send. So the
engine writes each notification as a record of :data:`OUTBOX` *in the unit of work that
records its event*, and :meth:`planning_core.cases.Engine.deliver_notifications` hands the
waiting ones to their receivers afterwards:

* a message delivered is moved to :data:`OUTBOX_SENT` (kept, with when and after how many
  attempts), in a transaction of its own;
* a receiver that raises leaves its message waiting, with the error, the number of attempts
  and the instant of the next attempt (:class:`RetryPolicy`: exponential backoff); the other
  messages are delivered all the same;
* after ``max_attempts`` a message is *parked*: only ``planning-core outbox retry`` (or
  :meth:`~planning_core.cases.Engine.retry_notifications`) sends it again.

Delivery is at least once: a deliverer that crashes after a receiver accepted a message and
before it was marked sent delivers it again. Every message carries an idempotency key
(``<case id>/<event number>/<channel>``), the same on every attempt, with which a receiver
makes it exactly once. Two deliverers running at once each claim a message for
``lease_seconds`` before sending it, so they rarely send the same one twice.

Two channels: ``staff`` carries :class:`LightWarning` (a light changed; the
``planning_core_notify`` hook), ``applicant`` carries :class:`ApplicantNotice` (what the
applicant is told of the case, to the contact on the receipt; the
``planning_core_notify_applicant`` hook). An engine without a receiver for a channel writes
nothing for it: there is nobody to deliver to.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING, Any

import attrs
import pendulum

from planning_core.cases import _events as ev
from planning_core.errors import NotFoundError
from planning_core.serialization import parse_instant
from planning_core.storage import JSON, Store

if TYPE_CHECKING:
    from planning_core.cases._case import CaseState, RecordedEvent
    from planning_core.timing import WorkCalendar
    from planning_core.workflow import Organisation

__all__ = [
    "CONSULTATION_CHANNEL",
    "OUTBOX",
    "OUTBOX_SENT",
    "ApplicantNotice",
    "ConsultationRequest",
    "DeliveryReport",
    "FailedDelivery",
    "LightWarning",
    "OutboxMessage",
    "RetryPolicy",
]

#: Notifications waiting to be delivered, keyed by idempotency key.
OUTBOX = "cases.outbox"
#: Notifications delivered, keyed by idempotency key (never deleted by the library).
OUTBOX_SENT = "cases.outbox.sent"

_log = logging.getLogger("planning_core.outbox")


@attrs.frozen
class LightWarning:
    """What the ``planning_core_notify`` hook receives when a light changes.

    :param clock: ``notice``, ``committed``, ``statutory``, ``certificate`` or
        ``step:<token>``.
    :param post: for a step clock, the post whose work it is.
    :param people: for a step clock, who holds the work: the person who claimed the step,
        else everyone holding its post (names, as the supervisor calls them).
    :param key: the idempotency key, the same on every delivery attempt (empty on a
        warning made by hand).
    """

    case_id: str
    case_number: str
    permit_type: str
    clock: str
    old: str
    new: str
    at: pendulum.DateTime
    step_id: str | None = None
    post: str | None = None
    people: tuple[str, ...] = ()
    key: str = ""


@attrs.frozen
class ApplicantNotice:
    """What the ``planning_core_notify_applicant`` hook receives: news for the applicant.

    :param key: the idempotency key, the same on every delivery attempt: a receiver that
        has seen it already drops the message.
    :param kind: a stable code: ``received``, ``supplement_requested``, ``accepted``,
        ``deemed_accepted``, ``extended``, ``suspended``, ``decided``,
        ``certificate_issued`` (ready to collect) …
    :param title: the notice's title, as the window shows it (``受理``).
    :param detail: what it says (the time limits, the missing materials, the reasons).
    :param contact: the contact given on the receipt (a mobile number, an e-mail), or
        None when the applicant gave none.
    """

    key: str
    case_id: str
    case_number: str
    permit_type: str
    applicant: str
    contact: str | None
    kind: str
    title: str
    detail: str
    at: pendulum.DateTime

    @property
    def text(self) -> str:
        """The notice as one short message (an SMS): ``【受理】案件2026-000001：…``."""
        detail = f"：{self.detail}" if self.detail else ""
        return f"【{self.title}】案件{self.case_number}{detail}"


#: The outbox channel of requests for another department's opinion (征求意见函).
CONSULTATION_CHANNEL = "consultation"


@attrs.frozen
class ConsultationRequest:
    """What the ``planning_core_request_opinion`` hook receives: a request for a consulted
    department's opinion, to send to its liaison (征求意见函).

    :param key: the idempotency key (``<case>/<event number>/consultation``), the same on
        every attempt.
    :param department: the consulted division's code; ``department_name`` its name.
    :param liaison: the liaison's contact, from the organisation.
    :param days: the working days it has to answer; ``deadline`` the day they end (ISO
        date), None when unknown (a paused clock).
    :param silence: what its silence past the limit means: ``deemed_consent``,
        ``escalate`` or ``wait``.
    :param round: 1 for the first request, 2 after a revision …
    """

    key: str
    case_id: str
    case_number: str
    permit_type: str
    applicant: str
    project: str
    step_id: str
    department: str
    department_name: str
    liaison: str
    days: int
    deadline: str | None
    silence: str
    round: int
    at: pendulum.DateTime


def consultation_messages(
    state: CaseState,
    recorded: Iterable[RecordedEvent],
    organisation: Organisation,
    calendar: WorkCalendar,
    unstructure: Callable[[Any], Any],
) -> dict[str, JSON]:
    """The outbox records of the consultation requests among ``recorded`` (after which the
    case is ``state``), one per department asked."""
    names = {d.code: d.name for d in organisation.divisions}
    messages: dict[str, JSON] = {}
    for rec in recorded:
        event = rec.event
        if not isinstance(event, ev.ConsultationRequested):
            continue
        key = message_key(state.case_id, rec.seq, CONSULTATION_CHANNEL)
        clock = state.clocks.consultation(f"{event.token}/{event.department}")
        day = None if clock is None else clock.deadline_date(calendar)
        request = ConsultationRequest(
            key=key,
            case_id=state.case_id,
            case_number=state.case_number,
            permit_type=state.permit_type,
            applicant=state.applicant,
            project=state.project,
            step_id=event.step_id,
            department=event.department,
            department_name=names.get(event.department, event.department),
            liaison=event.liaison,
            days=event.limit.days,
            deadline=None if day is None else day.isoformat(),
            silence=event.silence,
            round=event.round,
            at=rec.at,
        )
        messages[key] = message_record(
            key, CONSULTATION_CHANNEL, state.case_id, rec.at, unstructure(request)
        )
    return messages


@attrs.frozen
class RetryPolicy:
    """When a failed delivery is tried again: ``first_delay`` seconds after the first
    failure, multiplied by ``factor`` after each one, at most ``max_delay``; after
    ``max_attempts`` the message is parked until retried by hand."""

    first_delay: int = 60
    factor: int = 2
    max_delay: int = 6 * 3600
    max_attempts: int = 10
    lease_seconds: int = 300

    def delay(self, attempts: int) -> int:
        """Seconds to wait after the ``attempts``-th failure."""
        return int(min(self.max_delay, self.first_delay * self.factor ** max(0, attempts - 1)))


@attrs.frozen
class OutboxMessage:
    """One notification in the outbox.

    :param channel: ``staff`` or ``applicant``.
    :param payload: the warning or notice, as stored.
    :param next_at: the earliest instant of the next attempt.
    :param parked: True after ``max_attempts`` failures: waits for a retry by hand.
    :param delivered_at: set once delivered (in :data:`OUTBOX_SENT`).
    """

    key: str
    channel: str
    case_id: str
    created_at: pendulum.DateTime
    next_at: pendulum.DateTime
    payload: JSON
    attempts: int = 0
    last_error: str | None = None
    parked: bool = False
    leased_until: pendulum.DateTime | None = None
    delivered_at: pendulum.DateTime | None = None

    @property
    def summary(self) -> str:
        """The payload in a few words, for ``planning-core outbox list``."""
        number = self.payload.get("case_number", self.case_id)
        if self.channel == "applicant":
            return f"{number} {self.payload.get('title', '')} → {self.payload.get('contact')}"
        return (
            f"{number} {self.payload.get('clock', '')}: "
            f"{self.payload.get('old', '')} → {self.payload.get('new', '')}"
        )


@attrs.frozen
class FailedDelivery:
    """A delivery attempt that failed: the message, the error, and what happens next."""

    key: str
    error: str
    attempts: int
    next_at: pendulum.DateTime | None


@attrs.frozen
class DeliveryReport:
    """What one run of delivery did.

    :param delivered: the keys delivered in this run.
    :param failed: the attempts that failed (each waits for its next attempt, or is parked
        when ``next_at`` is None).
    :param waiting: messages left in the outbox after the run (not yet due, parked, or
        failed just now).
    """

    delivered: tuple[str, ...] = ()
    failed: tuple[FailedDelivery, ...] = ()
    waiting: int = 0


#: A receiver of one channel: called with the structured warning or notice.
Receiver = Callable[[Any], None]


def message_record(
    key: str, channel: str, case_id: str, at: pendulum.DateTime, payload: JSON
) -> JSON:
    """A new outbox record: due at once, never tried."""
    stamp = at.isoformat()
    return {
        "key": key,
        "channel": channel,
        "case_id": case_id,
        "created_at": stamp,
        "next_at": stamp,
        "payload": payload,
        "attempts": 0,
        "last_error": None,
        "parked": False,
        "leased_until": None,
        "delivered_at": None,
    }


def message_key(case_id: str, seq: int, channel: str) -> str:
    """The idempotency key: the case, the event's number (zero-padded, so keys sort in the
    order the events happened), the channel."""
    return f"{case_id}/{seq:08d}/{channel}"


def read_message(record: JSON) -> OutboxMessage:
    """An outbox record as a message."""
    return OutboxMessage(
        key=record["key"],
        channel=record["channel"],
        case_id=record["case_id"],
        created_at=_instant(record["created_at"]),
        next_at=_instant(record["next_at"]),
        payload=record["payload"],
        attempts=int(record.get("attempts", 0)),
        last_error=record.get("last_error"),
        parked=bool(record.get("parked", False)),
        leased_until=_maybe_instant(record.get("leased_until")),
        delivered_at=_maybe_instant(record.get("delivered_at")),
    )


def pending(store: Store) -> list[OutboxMessage]:
    """Every message waiting in the outbox, oldest first."""
    found = [read_message(doc) for _, doc in store.list_records(OUTBOX)]
    return sorted(found, key=lambda m: (m.created_at, m.key))


def sent(store: Store) -> list[OutboxMessage]:
    """Every message delivered, oldest first."""
    found = [read_message(doc) for _, doc in store.list_records(OUTBOX_SENT)]
    return sorted(found, key=lambda m: (m.created_at, m.key))


def deliver(
    store: Store,
    now: pendulum.DateTime,
    receivers: Mapping[str, Receiver | None],
    decode: Callable[[str, JSON], Any],
    policy: RetryPolicy,
    limit: int | None = None,
) -> DeliveryReport:
    """Deliver every due message whose channel has a receiver; see the module docstring."""
    due = [
        m
        for m in pending(store)
        if receivers.get(m.channel) is not None
        and not m.parked
        and m.next_at <= now
        and (m.leased_until is None or m.leased_until <= now)
    ][:limit]
    claimed = _claim(store, [m.key for m in due], now, policy)
    delivered: list[str] = []
    failed: list[FailedDelivery] = []
    for message in claimed:
        receiver = receivers[message.channel]
        assert receiver is not None
        try:
            receiver(decode(message.channel, message.payload))
        except Exception as exc:  # a failing receiver blocks nothing else
            failed.append(_failed(store, message, exc, now, policy))
            continue
        _mark_sent(store, message, now)
        delivered.append(message.key)
    return DeliveryReport(tuple(delivered), tuple(failed), len(store.list_records(OUTBOX)))


def retry(store: Store, keys: Iterable[str] | None, now: pendulum.DateTime) -> int:
    """Make messages due at ``now`` again, parked ones included; returns how many.

    :param keys: the messages to retry; None for every waiting message.
    :raises NotFoundError: a key that is not waiting in the outbox (named).
    """
    with store.unit_of_work() as uow:
        wanted = [m.key for m in pending(store)] if keys is None else list(keys)
        records: dict[str, JSON] = {}
        for key in wanted:
            record = uow.get_record(OUTBOX, key)
            if record is None:
                raise NotFoundError(
                    f"no notification {key!r} waits in the outbox; "
                    f"`planning-core outbox list` shows the waiting ones"
                )
            records[key] = {
                **record,
                "next_at": now.isoformat(),
                "parked": False,
                "leased_until": None,
            }
        uow.put_records(OUTBOX, records)
        uow.commit()
    return len(records)


def _claim(
    store: Store, keys: list[str], now: pendulum.DateTime, policy: RetryPolicy
) -> list[OutboxMessage]:
    """Lease the due messages to this deliverer (another one skips them meanwhile)."""
    if not keys:
        return []
    until = now.add(seconds=policy.lease_seconds).isoformat()
    claimed: list[OutboxMessage] = []
    with store.unit_of_work() as uow:
        for key in keys:
            record = uow.get_record(OUTBOX, key)
            if record is None:  # delivered meanwhile by another deliverer
                continue
            message = read_message(record)
            if message.leased_until is not None and message.leased_until > now:
                continue
            uow.put_records(OUTBOX, {key: {**record, "leased_until": until}})
            claimed.append(message)
        uow.commit()
    return claimed


def _mark_sent(store: Store, message: OutboxMessage, now: pendulum.DateTime) -> None:
    with store.unit_of_work() as uow:
        record = uow.get_record(OUTBOX, message.key)
        if record is not None:
            done = {
                **record,
                "attempts": message.attempts + 1,
                "leased_until": None,
                "delivered_at": now.isoformat(),
            }
            uow.put_records(OUTBOX_SENT, {message.key: done})
            uow.delete_records(OUTBOX, [message.key])
        uow.commit()


def _failed(
    store: Store,
    message: OutboxMessage,
    exc: BaseException,
    now: pendulum.DateTime,
    policy: RetryPolicy,
) -> FailedDelivery:
    attempts = message.attempts + 1
    parked = attempts >= policy.max_attempts
    next_at = None if parked else now.add(seconds=policy.delay(attempts))
    error = f"{type(exc).__name__}: {exc}"
    _log.warning("notification %s failed (attempt %d): %s", message.key, attempts, error)
    with store.unit_of_work() as uow:
        record = uow.get_record(OUTBOX, message.key)
        if record is not None:
            uow.put_records(
                OUTBOX,
                {
                    message.key: {
                        **record,
                        "attempts": attempts,
                        "last_error": error,
                        "parked": parked,
                        "leased_until": None,
                        "next_at": (next_at or now).isoformat(),
                    }
                },
            )
        uow.commit()
    return FailedDelivery(message.key, error, attempts, next_at)


def _instant(text: str) -> pendulum.DateTime:
    return parse_instant(text)


def _maybe_instant(text: str | None) -> pendulum.DateTime | None:
    return None if text is None else _instant(text)
