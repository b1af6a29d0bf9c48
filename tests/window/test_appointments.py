"""Appointments: slots on working days, capacity per counter and per slot, book, cancel, move."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule
from window._helpers import at, book_last_place, make_window, run_together

from planning_core import InvalidStateError, NotFoundError, ValidationError, open_store
from planning_core.serialization import make_converter
from planning_core.timing import calendar_for
from planning_core.window import (
    APPOINTMENTS,
    SLOTS,
    AppointmentBook,
    AppointmentSettings,
    Counter,
    SlotFullError,
    Window,
    store_settings,
)

NOW = at("2026-03-02 08:00")
TUESDAY_9 = "2026-03-03T09:00:00+08:00"


def _book(window: Window, start: str = TUESDAY_9, **kw: object) -> str:
    card = window.appointments.book(
        start,
        applicant=str(kw.pop("applicant", "李先生")),
        topic="规划咨询",
        at=NOW,
        **kw,  # type: ignore[arg-type]
    )
    return card.number


def test_slots_follow_the_business_hours_on_working_days(window: Window) -> None:
    slots = window.appointments.slots("2026-03-03")
    assert [f"{s.start:%H:%M}" for s in slots[:3]] == ["09:00", "09:30", "10:00"]
    assert len(slots) == 6 + 7  # 09:00-12:00 and 13:30-17:00 in half hours
    assert all(s.places_left == 2 and s.free == (("1", 1), ("2", 1)) for s in slots)
    assert slots[-1].end == at("2026-03-03 17:00")


@pytest.mark.parametrize(
    ("day", "open_"),
    [
        ("2026-02-14", True),  # Saturday, a make-up working day (调休)
        ("2026-02-16", False),  # Spring Festival
        ("2026-03-07", False),  # an ordinary Saturday
        ("2026-10-01", False),  # National Day
        ("2026-10-10", True),  # Saturday, a make-up working day
    ],
)
def test_slots_exist_exactly_on_the_calendars_working_days(
    window: Window, day: str, open_: bool
) -> None:
    assert bool(window.appointments.slots(day)) is open_


def test_booking_fills_counters_then_the_slot(window: Window) -> None:
    first, second = _book(window), _book(window)
    cards = [window.appointments.card(n) for n in (first, second)]
    assert {c.counter for c in cards} == {"1号预约窗口", "2号预约窗口"}
    assert [first, second] == ["A2026-00001", "A2026-00002"]
    with pytest.raises(SlotFullError, match="fully booked"):
        _book(window)
    assert window.appointments.slots("2026-03-03")[0].places_left == 0


def test_a_chosen_counter_is_full_on_its_own(window: Window) -> None:
    _book(window, counter="2")
    with pytest.raises(SlotFullError, match="counter 2"):
        _book(window, counter="2")
    assert window.appointments.get(_book(window)).counter == "1"


def test_capacity_per_counter_and_a_cap_for_the_slot(tmp_path: Path) -> None:
    setup = AppointmentSettings(
        counters=(Counter("A", "综合窗口", capacity=3), Counter("B", "建设工程窗口", capacity=2)),
        slot_capacity=4,
    )
    window = make_window(appointments=setup)
    numbers = [_book(window, applicant=f"访客{i}") for i in range(4)]
    counters = [window.appointments.get(n).counter for n in numbers]
    assert counters.count("A") <= 3 and counters.count("B") <= 2
    with pytest.raises(SlotFullError):
        _book(window)
    assert window.appointments.slots("2026-03-03")[0].places_left == 0


def test_the_card_says_number_time_counter_and_topic(window: Window) -> None:
    card = window.appointments.card(_book(window))
    text = card.render()
    for expected in (
        "预约接待卡",
        card.number,
        "2026年3月3日",
        "09:00–09:30",
        "预约窗口",
        "规划咨询",
    ):
        assert expected in text


def test_cancel_frees_the_place_and_is_kept(window: Window) -> None:
    number = _book(window)
    cancelled = window.appointments.cancel(number, at=NOW.add(minutes=5), reason="行程变更")
    assert cancelled.status == "cancelled" and cancelled.cancel_reason == "行程变更"
    assert window.appointments.slots("2026-03-03")[0].places_left == 2
    assert window.appointments.appointments("2026-03-03") == []
    with pytest.raises(InvalidStateError, match="cancelled"):
        window.appointments.cancel(number, at=NOW.add(minutes=6))
    with pytest.raises(NotFoundError):
        window.appointments.cancel("A2026-99999", at=NOW)


def test_nothing_can_change_once_the_slot_has_begun(window: Window) -> None:
    number = _book(window)
    with pytest.raises(InvalidStateError, match="has begun"):
        window.appointments.cancel(number, at=at("2026-03-03 09:00"))


def test_reschedule_keeps_the_number_and_moves_the_place(window: Window) -> None:
    number = _book(window)
    card = window.appointments.reschedule(number, "2026-03-04T14:00:00+08:00", at=NOW)
    assert card.number == number and card.start == at("2026-03-04 14:00")
    assert window.appointments.slots("2026-03-03")[0].places_left == 2
    moved = window.appointments.get(number)
    assert moved.moved_from == (at("2026-03-03 09:00"),)
    assert [
        s.places_left for s in window.appointments.slots("2026-03-04") if s.start == card.start
    ] == [1]


def test_a_reschedule_into_a_full_slot_changes_nothing(window: Window) -> None:
    target = "2026-03-04T10:00:00+08:00"
    _book(window, target), _book(window, target)
    number = _book(window)
    before = window.engine.store.list_records(SLOTS), window.engine.store.list_records(APPOINTMENTS)
    with pytest.raises(SlotFullError):
        window.appointments.reschedule(number, target, at=NOW)
    after = window.engine.store.list_records(SLOTS), window.engine.store.list_records(APPOINTMENTS)
    assert before == after


def test_a_bad_booking_lists_every_problem(window: Window) -> None:
    with pytest.raises(ValidationError) as info:
        window.appointments.book(
            "2026-03-07T09:10:00+08:00", applicant=" ", topic="", at=NOW, counter="9"
        )
    assert len(info.value.problems) == 4  # applicant, topic, counter, not a working day
    with pytest.raises(ValidationError) as info:
        window.appointments.book("2026-03-03T12:00:00+08:00", applicant="某", topic="某", at=NOW)
    assert "slots start at" in str(info.value)
    with pytest.raises(ValidationError, match="begun or passed"):
        window.appointments.book("2026-03-02T08:00:00+08:00", applicant="某", topic="某", at=NOW)
    with pytest.raises(ValidationError, match="30 days ahead"):
        window.appointments.book("2026-04-08T09:00:00+08:00", applicant="某", topic="某", at=NOW)
    assert window.engine.store.list_records(APPOINTMENTS) == []


def test_a_bad_setup_lists_every_problem() -> None:
    with pytest.raises(ValidationError) as info:
        AppointmentSettings(
            counters=(Counter("1", "一", 0), Counter("1", "二")),
            hours=("9:00-12:00", "14:00-13:00"),
            slot_minutes=2,
            slot_capacity=0,
            horizon_days=0,
        )
    assert len(info.value.problems) == 7
    with pytest.raises(ValidationError, match="overlap"):
        AppointmentSettings(hours=("09:00-12:00", "11:00-13:00"))
    with pytest.raises(ValidationError, match="no 90-minute slot"):
        AppointmentSettings(hours=("09:00-10:00",), slot_minutes=90)


def test_the_setup_can_be_stored_with_the_bureau() -> None:
    store = open_store("memory://")
    converter = make_converter()
    setup = AppointmentSettings(counters=(Counter("5", "5号窗口", 4),), hours=("08:30-11:30",))
    store_settings(store, converter, setup)
    book = AppointmentBook(store, converter, calendar_for("CN"))
    assert book.settings == setup
    assert [f"{s.start:%H:%M}" for s in book.slots("2026-03-03")][:2] == ["08:30", "09:00"]


# -- invariants under random booking, cancelling and moving ---------------------------------------

DAY_SLOTS = [f"2026-03-03T{h}:00+08:00" for h in ("09:00", "09:30", "10:00")]


class Hall(RuleBasedStateMachine):
    """A small hall: two counters (1 and 2 places), a cap of 2 a slot, three slots."""

    def __init__(self) -> None:
        super().__init__()
        setup = AppointmentSettings(
            counters=(Counter("1", "一号", 1), Counter("2", "二号", 2)), slot_capacity=2
        )
        self.window = make_window(appointments=setup)
        self.book = self.window.appointments
        self.live: set[str] = set()

    @rule(slot=st.sampled_from(DAY_SLOTS), counter=st.sampled_from([None, "1", "2"]))
    def book_one(self, slot: str, counter: str | None) -> None:
        before = {s.start.isoformat(): s for s in self.book.slots("2026-03-03")}[slot]
        room = before.places_left > 0 and (counter is None or dict(before.free)[counter] > 0)
        try:
            card = self.book.book(slot, applicant="访客", topic="咨询", at=NOW, counter=counter)
        except SlotFullError:
            assert not room
            return
        assert room
        self.live.add(card.number)

    @precondition(lambda self: bool(self.live))
    @rule(data=st.data())
    def cancel_one(self, data: st.DataObject) -> None:
        number = data.draw(st.sampled_from(sorted(self.live)))
        self.book.cancel(number, at=NOW)
        self.live.discard(number)

    @precondition(lambda self: bool(self.live))
    @rule(data=st.data(), slot=st.sampled_from(DAY_SLOTS))
    def move_one(self, data: st.DataObject, slot: str) -> None:
        number = data.draw(st.sampled_from(sorted(self.live)))
        old = self.book.get(number)
        try:
            self.book.reschedule(number, slot, at=NOW)
        except SlotFullError:
            assert self.book.get(number) == old

    @invariant()
    def never_overbooked_and_records_agree(self) -> None:
        booked = self.book.appointments()
        assert {a.number for a in booked} == self.live
        for slot in self.book.slots("2026-03-03"):
            here = [a for a in booked if a.start == slot.start]
            assert len(here) <= 2
            assert sum(1 for a in here if a.counter == "1") <= 1
            assert slot.places_left == 2 - len(here)
        stored = dict(self.window.engine.store.list_records(SLOTS))
        listed = sorted(n for doc in stored.values() for ns in doc["bookings"].values() for n in ns)
        assert listed == sorted(self.live)


Hall.TestCase.settings = settings(max_examples=40, stateful_step_count=25, deadline=None)
TestHall = Hall.TestCase


# -- several processes ------------------------------------------------------------------------


@pytest.mark.slow
def test_eight_processes_booking_the_last_place_make_one_booking(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'hall.db'}"
    window = make_window(url)
    _book(window, applicant="先到者")  # one of the slot's two places is gone
    window.engine.store.close()
    results = run_together(book_last_place, [(url, TUESDAY_9, w) for w in range(8)])
    winners = [r for r in results if r is not None]
    assert len(winners) == 1
    check = make_window(url)
    booked = check.appointments.appointments("2026-03-03")
    assert len(booked) == 2 and winners[0] in {a.number for a in booked}
    assert check.appointments.slots("2026-03-03")[0].places_left == 0
