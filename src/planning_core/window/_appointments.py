"""Appointments (预约): book, cancel and reschedule consultations at the window.

Each slot has one record listing, per counter, the appointment numbers booked in it. Every
change reads that record with :meth:`UnitOfWork.get_record`, which locks it until the unit
of work ends (SQLite ``BEGIN IMMEDIATE``, row locks in PostgreSQL), checks the capacity and
writes: so two clerks, or eight processes, booking the last place at once give exactly one
booking. The appointment's own record is written in the same unit of work, and a
reschedule moves it from one slot to the other in one transaction.
"""

from __future__ import annotations

import datetime as dt

import attrs
import cattrs
import pendulum

from planning_core.errors import InvalidStateError, NotFoundError, ValidationError
from planning_core.serialization import dump, load, parse_date, parse_instant
from planning_core.storage import JSON, Store, UnitOfWork
from planning_core.timing import WorkCalendar
from planning_core.window._errors import SlotFullError
from planning_core.window._hours import AppointmentSettings, Counter
from planning_core.window._text import zh_date

__all__ = [
    "APPOINTMENTS",
    "SETTINGS",
    "SLOTS",
    "Appointment",
    "AppointmentBook",
    "AppointmentCard",
    "Slot",
    "store_settings",
    "stored_settings",
]

#: Appointment records, by appointment number.
APPOINTMENTS = "window.appointments"
#: Slot records, by the slot's start (ISO 8601 in the calendar's zone).
SLOTS = "window.appointment_slots"
#: The window's stored set-up (key ``appointments``).
SETTINGS = "window.settings"

BOOKED = "booked"
CANCELLED = "cancelled"


@attrs.frozen
class Slot:
    """One bookable period of a working day and the places left in it.

    :param free: places left per counter code, in the counters' order.
    :param places_left: places left in the slot as a whole (the hall's cap applies).
    """

    start: pendulum.DateTime
    end: pendulum.DateTime
    free: tuple[tuple[str, int], ...]
    places_left: int


@attrs.frozen
class Appointment:
    """A booked consultation, as stored."""

    number: str
    start: pendulum.DateTime
    end: pendulum.DateTime
    counter: str
    counter_name: str
    topic: str
    applicant: str
    booked_at: pendulum.DateTime
    contact: str | None = None
    case_number: str | None = None
    status: str = BOOKED
    cancelled_at: pendulum.DateTime | None = None
    cancel_reason: str | None = None
    moved_from: tuple[pendulum.DateTime, ...] = ()


@attrs.frozen
class AppointmentCard:
    """The appointment card (预约接待卡) handed or sent to the visitor."""

    number: str
    start: pendulum.DateTime
    end: pendulum.DateTime
    counter: str
    topic: str
    applicant: str
    hall: str

    def render(self) -> str:
        """The card as Chinese text."""
        return "\n".join(
            [
                "预约接待卡",
                f"预约号：{self.number}",
                f"预约时间：{zh_date(self.start.date())}{self.start:%H:%M}–{self.end:%H:%M}",
                f"接待窗口：{self.counter}",
                f"咨询事项：{self.topic}",
                f"预约人：{self.applicant}",
                f"地点：{self.hall}",
                "  请按预约时间携带本卡和有关材料到窗口；不能按时到达请提前取消或改约。",
            ]
        )


class AppointmentBook:
    """The appointments of one window, on the working-day ``calendar``.

    :param settings: counters, hours, capacities; default: the set-up stored under
        :data:`SETTINGS`, else :class:`AppointmentSettings`'s defaults.
    """

    def __init__(
        self,
        store: Store,
        converter: cattrs.Converter,
        calendar: WorkCalendar,
        settings: AppointmentSettings | None = None,
    ) -> None:
        self.store = store
        self.converter = converter
        self.calendar = calendar
        self.settings = settings or stored_settings(store, converter) or AppointmentSettings()

    # -- reading ------------------------------------------------------------------------------

    def slots(self, day: dt.date | str) -> list[Slot]:
        """Every slot of ``day`` with its places left; none on a day that is not a working day."""
        date = parse_date(day)
        if not self.calendar.is_working_day(date):
            return []
        found = []
        for start, end in self._day_slots(date):
            data = self.store.get_record(SLOTS, _key(start)) or {}
            found.append(self._slot(start, end, _bookings(data)))
        return found

    def get(self, number: str) -> Appointment:
        """The appointment ``number``.

        :raises NotFoundError: for an unknown number.
        """
        data = self.store.get_record(APPOINTMENTS, number)
        if data is None:
            raise _no_appointment(number)
        return load(self.converter, data, Appointment)

    def appointments(self, day: dt.date | str | None = None) -> list[Appointment]:
        """Booked (not cancelled) appointments, by time, of one day or of all."""
        found = [
            load(self.converter, d, Appointment) for _, d in self.store.list_records(APPOINTMENTS)
        ]
        date = None if day is None else parse_date(day)
        kept = [a for a in found if a.status == BOOKED and (date is None or a.start.date() == date)]
        return sorted(kept, key=lambda a: (a.start, a.counter, a.number))

    def card(self, number: str) -> AppointmentCard:
        """The card of appointment ``number``."""
        return self._card(self.get(number))

    # -- changing -----------------------------------------------------------------------------

    def book(
        self,
        start: dt.datetime | str,
        *,
        applicant: str,
        topic: str,
        at: dt.datetime | str,
        contact: str | None = None,
        case_number: str | None = None,
        counter: str | None = None,
    ) -> AppointmentCard:
        """Book the slot starting at ``start`` for ``applicant``.

        :param counter: a counter code; default: the least booked counter with room.
        :raises ValidationError: listing every problem (not a slot, not a working day, in
            the past, beyond the horizon, no applicant or topic, unknown counter).
        :raises SlotFullError: when the slot, or the chosen counter, is full.
        """
        moment, begins, ends = self._check(
            start, at, applicant=applicant, topic=topic, counter=counter
        )
        with self.store.unit_of_work() as uow:
            bookings = _bookings(uow.get_record(SLOTS, _key(begins)) or {})
            chosen = self._choose(bookings, begins, counter)
            year = self.calendar.local_date(moment).year
            number = f"A{year}-{uow.next_sequence(f'appointment:{year}'):05d}"
            appointment = Appointment(
                number=number,
                start=begins,
                end=ends,
                counter=chosen.code,
                counter_name=chosen.name,
                topic=topic.strip(),
                applicant=applicant.strip(),
                booked_at=moment,
                contact=contact,
                case_number=case_number,
            )
            bookings.setdefault(chosen.code, []).append(number)
            self._write(uow, appointment, {_key(begins): bookings})
            uow.commit()
        return self._card(appointment)

    def cancel(self, number: str, *, at: dt.datetime | str, reason: str = "") -> Appointment:
        """Cancel appointment ``number``; its place is free again.

        :raises NotFoundError: for an unknown number.
        :raises InvalidStateError: when it is cancelled already or its time has begun.
        """
        moment = parse_instant(at)
        with self.store.unit_of_work() as uow:
            appointment = self._current(uow, number, moment, "cancel")
            bookings = _bookings(uow.get_record(SLOTS, _key(appointment.start)) or {})
            _remove(bookings, appointment)
            cancelled = attrs.evolve(
                appointment,
                status=CANCELLED,
                cancelled_at=moment,
                cancel_reason=reason.strip() or None,
            )
            self._write(uow, cancelled, {_key(appointment.start): bookings})
            uow.commit()
        return cancelled

    def reschedule(
        self,
        number: str,
        start: dt.datetime | str,
        *,
        at: dt.datetime | str,
        counter: str | None = None,
    ) -> AppointmentCard:
        """Move appointment ``number`` to the slot starting at ``start``, keeping its number.

        Done in one transaction: the old place is freed only if the new one is taken.

        :raises SlotFullError: when the new slot (or counter) is full; nothing changes.
        """
        current = self.get(number)
        moment, begins, ends = self._check(
            start, at, applicant=current.applicant, topic=current.topic, counter=counter
        )
        with self.store.unit_of_work() as uow:
            appointment = self._current(uow, number, moment, "reschedule")
            old_key, new_key = _key(appointment.start), _key(begins)
            old = _bookings(uow.get_record(SLOTS, old_key) or {})
            _remove(old, appointment)
            new = old if new_key == old_key else _bookings(uow.get_record(SLOTS, new_key) or {})
            chosen = self._choose(new, begins, counter)
            new.setdefault(chosen.code, []).append(number)
            moved = attrs.evolve(
                appointment,
                start=begins,
                end=ends,
                counter=chosen.code,
                counter_name=chosen.name,
                moved_from=(*appointment.moved_from, appointment.start),
            )
            self._write(uow, moved, {old_key: old, new_key: new})
            uow.commit()
        return self._card(moved)

    # -- helpers ------------------------------------------------------------------------------

    def _day_slots(self, date: dt.date) -> list[tuple[pendulum.DateTime, pendulum.DateTime]]:
        zone = self.calendar.zone
        return [
            (
                pendulum.datetime(date.year, date.month, date.day, s.hour, s.minute, tz=zone),
                pendulum.datetime(date.year, date.month, date.day, e.hour, e.minute, tz=zone),
            )
            for s, e in self.settings.slot_times()
        ]

    def _check(
        self,
        start: dt.datetime | str,
        at: dt.datetime | str,
        *,
        applicant: str,
        topic: str,
        counter: str | None,
    ) -> tuple[pendulum.DateTime, pendulum.DateTime, pendulum.DateTime]:
        moment = parse_instant(at)
        begins = parse_instant(start).in_timezone(self.calendar.zone)
        problems = []
        if not isinstance(applicant, str) or not applicant.strip():
            problems.append("applicant is empty; give the visitor's name")
        if not isinstance(topic, str) or not topic.strip():
            problems.append("topic is empty; say what the consultation is about")
        if counter is not None and counter not in {c.code for c in self.settings.counters}:
            known = ", ".join(c.code for c in self.settings.counters)
            problems.append(f"there is no counter {counter!r}; choose one of: {known}")
        ends = self._slot_end(begins, problems)
        if begins <= moment:
            problems.append(
                f"slot {begins.isoformat()} has begun or passed at {moment.isoformat()}"
            )
        last_day = self.calendar.local_date(moment).add(days=self.settings.horizon_days)
        if begins.date() > last_day:
            problems.append(
                f"slot {begins.isoformat()} is more than {self.settings.horizon_days} days ahead; "
                f"book on or before {last_day.isoformat()}"
            )
        if problems:
            raise ValidationError(
                f"cannot book {begins.isoformat()}; fix each problem below", problems
            )
        assert ends is not None
        return moment, begins, ends

    def _slot_end(self, begins: pendulum.DateTime, problems: list[str]) -> pendulum.DateTime | None:
        date = begins.date()
        if not self.calendar.is_working_day(date):
            kind = self.calendar.explain(date).kind.value
            problems.append(f"{date.isoformat()} is not a working day ({kind})")
            return None
        for start, end in self._day_slots(date):
            if start == begins:
                return end
        starts = ", ".join(f"{s:%H:%M}" for s, _ in self.settings.slot_times())
        problems.append(f"{begins:%H:%M} is not the start of a slot; slots start at {starts}")
        return None

    def _choose(
        self, bookings: dict[str, list[str]], begins: pendulum.DateTime, wanted: str | None
    ) -> Counter:
        taken = sum(len(v) for v in bookings.values())
        if taken >= self.settings.capacity:
            raise SlotFullError(
                f"slot {begins.isoformat()} is fully booked ({taken} of {self.settings.capacity}); "
                f"choose another slot (planning-core appointments slots DATE lists them)"
            )
        counters = [self.settings.counter(wanted)] if wanted else list(self.settings.counters)
        room = [c for c in counters if len(bookings.get(c.code, [])) < c.capacity]
        if not room:
            raise SlotFullError(
                f"counter {wanted} is fully booked at {begins.isoformat()}; "
                f"choose another counter or slot"
            )
        return min(room, key=lambda c: len(bookings.get(c.code, [])))

    def _current(
        self, uow: UnitOfWork, number: str, moment: pendulum.DateTime, doing: str
    ) -> Appointment:
        data = uow.get_record(APPOINTMENTS, number)
        if data is None:
            raise _no_appointment(number)
        appointment = load(self.converter, data, Appointment)
        if appointment.status != BOOKED:
            raise InvalidStateError(f"appointment {number} is cancelled; book a new one instead")
        if appointment.start <= moment:
            raise InvalidStateError(
                f"cannot {doing} appointment {number}: its time {appointment.start.isoformat()} "
                f"has begun at {moment.isoformat()}"
            )
        return appointment

    def _write(
        self, uow: UnitOfWork, appointment: Appointment, slots: dict[str, dict[str, list[str]]]
    ) -> None:
        uow.put_records(SLOTS, {key: {"bookings": value} for key, value in slots.items()})
        uow.put_records(APPOINTMENTS, {appointment.number: dump(self.converter, appointment)})

    def _slot(
        self, start: pendulum.DateTime, end: pendulum.DateTime, bookings: dict[str, list[str]]
    ) -> Slot:
        free = tuple(
            (c.code, max(0, c.capacity - len(bookings.get(c.code, []))))
            for c in self.settings.counters
        )
        taken = sum(len(v) for v in bookings.values())
        left = min(sum(n for _, n in free), max(0, self.settings.capacity - taken))
        return Slot(start, end, free, left)

    def _card(self, appointment: Appointment) -> AppointmentCard:
        return AppointmentCard(
            number=appointment.number,
            start=appointment.start,
            end=appointment.end,
            counter=appointment.counter_name,
            topic=appointment.topic,
            applicant=appointment.applicant,
            hall=self.settings.hall,
        )


def stored_settings(store: Store, converter: cattrs.Converter) -> AppointmentSettings | None:
    """The appointment set-up stored in ``store``, if any."""
    data = store.get_record(SETTINGS, "appointments")
    return None if data is None else load(converter, data, AppointmentSettings)


def store_settings(
    store: Store, converter: cattrs.Converter, settings: AppointmentSettings
) -> None:
    """Keep ``settings`` as the window's appointment set-up."""
    store.put_records(SETTINGS, {"appointments": dump(converter, settings)})


def _key(start: pendulum.DateTime) -> str:
    return start.isoformat()


def _bookings(data: JSON) -> dict[str, list[str]]:
    return {code: list(numbers) for code, numbers in data.get("bookings", {}).items()}


def _remove(bookings: dict[str, list[str]], appointment: Appointment) -> None:
    numbers = bookings.get(appointment.counter, [])
    if appointment.number in numbers:
        numbers.remove(appointment.number)


def _no_appointment(number: str) -> NotFoundError:
    return NotFoundError(f"no appointment numbered {number!r}; check the number on the card")
