"""The one table of event types: every event has its row, its fold, its codec round trip,
and the window tells the applicant exactly the events whose row has a notice."""

from __future__ import annotations

import types
import typing
from typing import Any

import attrs
import pendulum
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from planning_core.cases import (
    EVENT_TYPES,
    CaseResumed,
    CaseSuspended,
    DeadlineRevised,
    Event,
    RecordedEvent,
)
from planning_core.cases._catalogue import CATALOGUE, EventKind, kind_of
from planning_core.cases._codec import decode, encode
from planning_core.cases._history import GENESIS
from planning_core.serialization import make_converter
from planning_core.testing import sample_permit_type
from planning_core.testing.strategies import time_limits, working_dates, working_instants
from planning_core.timing import PauseReason, TimeLimit
from planning_core.window._status import contact_notices

EVENT_CLASSES = typing.get_args(Event)
CONVERTER = make_converter()
AT = pendulum.datetime(2026, 3, 2, 9, tz="Asia/Shanghai")

#: The library's own types, which hypothesis cannot infer, by their strategies.
KNOWN: dict[Any, st.SearchStrategy[Any]] = {
    pendulum.DateTime: working_instants(),
    pendulum.Date: working_dates(),
    TimeLimit: time_limits(),
}


def of_type(hint: Any) -> st.SearchStrategy[Any]:
    """Values of a field's type, looking into ``X | None``."""
    if hint in KNOWN:
        return KNOWN[hint]
    if isinstance(hint, types.UnionType):
        return st.one_of([of_type(arg) for arg in typing.get_args(hint)])
    return st.from_type(hint)


def events_of(cls: type, **fields: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    """Any event of ``cls``, each field from ``fields`` or else from its annotation."""
    hints = typing.get_type_hints(cls)
    drawn = {a.name: of_type(hints[a.name]) for a in attrs.fields(cls)}
    return st.builds(cls, **(drawn | fields))


def test_every_event_class_has_exactly_one_row_and_no_row_is_not_an_event() -> None:
    rows = [kind.cls for kind in CATALOGUE]
    assert len(rows) == len(set(rows)), "an event type is in the table twice"
    assert set(rows) == set(EVENT_CLASSES), (
        f"in the Event union, not the table: {set(EVENT_CLASSES) - set(rows)}; "
        f"in the table, not the union: {set(rows) - set(EVENT_CLASSES)}"
    )


def test_every_row_has_a_fold_and_every_stored_name_is_its_class() -> None:
    assert all(callable(kind.fold) for kind in CATALOGUE)
    assert {cls.__name__: cls for cls in EVENT_CLASSES} == EVENT_TYPES
    assert [kind.name for kind in CATALOGUE] == list(EVENT_TYPES)


def test_an_object_that_is_no_event_has_no_row() -> None:
    with pytest.raises(KeyError):
        kind_of(object())


@pytest.mark.parametrize("cls", EVENT_CLASSES, ids=lambda c: c.__name__)
@settings(max_examples=10, deadline=None)
@given(data=st.data())
def test_every_event_type_round_trips_through_the_codec(cls: type, data: st.DataObject) -> None:
    event = data.draw(events_of(cls))
    assert kind_of(event).cls is cls
    doc, recorded = encode(CONVERTER, "c1", 1, AT, "王工", event, GENESIS)
    assert doc["type"] == cls.__name__
    assert decode(CONVERTER, doc) == recorded


@pytest.mark.parametrize("kind", CATALOGUE, ids=lambda k: k.name)
@settings(max_examples=5, deadline=None)
@given(data=st.data())
def test_the_contact_is_told_of_exactly_the_events_whose_row_has_a_notice(
    kind: EventKind, data: st.DataObject
) -> None:
    reasons = st.sampled_from([r.value for r in PauseReason])  # the window words each reason
    told = {"reason": reasons} if kind.cls in (CaseSuspended, CaseResumed) else {}
    event = data.draw(events_of(kind.cls, **told))
    if isinstance(event, DeadlineRevised):  # told only when the committed date moves
        event = DeadlineRevised("committed", AT.add(days=9), AT.add(days=10))
    notices = contact_notices(sample_permit_type(), [RecordedEvent("c1", 1, AT, None, event)])
    assert len(notices) == (kind.notice is not None)
