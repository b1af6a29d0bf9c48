"""Snapshots: a case's folded state kept beside its row, so a cold case is not replayed.

A server that did not handle a case's last command (several servers share one database,
or the case fell out of the engine's cache) must know the case's state before it decides
the next command. Folding the whole history costs in proportion to how long the case has
lived (a case that went round its review loop a hundred times has 1,500 events); reading the
state folded by the last writer, and the events after it, costs the same for every case.

Each append writes the state after it (:meth:`SnapshotCodec.take`) in the same unit of work
as the events, so the snapshot is never ahead of the history and never lost without them.
Reading (:func:`restore`) trusts a snapshot only when it was written by code that folds the
same way: its ``version`` must equal :data:`SNAPSHOT_VERSION`, it must decode with this code's
converter into this case's state. Anything else, a snapshot from older (or newer) code
included, is ignored and the history folded from its first event, and the next append
writes a snapshot of this version in its place.

A snapshot also names the calendar the deadlines of the row written with it were counted on
(its :attr:`~planning_core.timing.WorkCalendar.fingerprint`, :func:`counted_on`). A cold load
whose snapshot covers the row's last event and names this engine's calendar knows the row's
deadlines are already this calendar's and does not count them again; any other load counts
them and revises those that moved (``DeadlineRevised``). What the state keeps does not grow
with a case's age: the steps completed are kept once each, and a step's or a department's
recorded light goes when its clock stops, so a cold load costs the same for a case of twenty
events as for one of two thousand.

**The bump rule.** :data:`SNAPSHOT_VERSION` names the event schema
(:data:`~planning_core.cases.EVENT_SCHEMA_VERSION`) and :data:`STATE_VERSION`. Any change to
what the fold computes (a handler in ``_fold.py``, ``apply``, an upcaster) or to the shape
of :class:`~planning_core.cases.CaseState` and the values in it (a field added, renamed or
given another meaning, the clocks' ledgers) must bump :data:`STATE_VERSION`; a stored
snapshot of the old version is then rebuilt from the history, never trusted.
``Engine.check_projection`` and ``Engine.verify_history`` (``planning-core cases verify``)
compare the stored snapshot with a fold of the history and name the fields that differ, which
is how a forgotten bump shows.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

import attrs
import cattrs
import pendulum
from cattrs.gen import make_dict_unstructure_fn

from planning_core.cases import _events as ev
from planning_core.cases._case import Token
from planning_core.cases._clocks import CaseClocks
from planning_core.cases._consulted import Consulted
from planning_core.cases._state import CaseState, RecordedEvent, apply
from planning_core.errors import PlanningError
from planning_core.serialization import load
from planning_core.storage import CaseSnapshot
from planning_core.timing import Clock, TimeLimit

__all__ = [
    "SNAPSHOT_VERSION",
    "STATE_VERSION",
    "SnapshotCodec",
    "counted_on",
    "differences",
    "replay",
    "restore",
]

#: The version of the fold and of :class:`CaseState`'s shape: bump it with any change to
#: either (see the module's text).
STATE_VERSION = 3

#: The label every snapshot this code writes carries, and the only one it trusts.
SNAPSHOT_VERSION = f"events-{ev.EVENT_SCHEMA_VERSION}.state-{STATE_VERSION}"


def restore(
    converter: cattrs.Converter, case_id: str, snapshot: CaseSnapshot | None
) -> CaseState | None:
    """The state a snapshot holds, or None when it must not be trusted: none stored, another
    version, a document this code cannot read, or the state of another case or event."""
    if snapshot is None or snapshot.version != SNAPSHOT_VERSION:
        return None
    data = snapshot.data
    try:
        if not isinstance(data, dict) or set(data) != {"state", "calendar"}:
            raise ValueError("a snapshot holds its state and its calendar's fingerprint")
        state = load(converter, data["state"], CaseState)
    except (PlanningError, ValueError):
        return None
    if state.case_id != case_id or state.seq != snapshot.seq:
        return None
    return state


def counted_on(snapshot: CaseSnapshot) -> str | None:
    """The fingerprint of the calendar the deadlines of the row written with ``snapshot``
    were counted on (None when the snapshot does not say)."""
    data = snapshot.data
    mark = data.get("calendar") if isinstance(data, dict) else None
    return mark if isinstance(mark, str) else None


class SnapshotCodec:
    """Writes and reads one engine's snapshots; reading is what a cold command waits for.

    It reads with a copy of the engine's converter whose instants and plain clocks (no
    pause, no extension) come from small caches of this engine: the same instant text and
    the same clock recur across a case's snapshots and across the cases received on one
    day, and both are immutable values, so one object serves them all. The caches are
    bounded (``size`` entries each, emptied when full) and belong to the engine, so two
    engines in one process (two bureaus, two calendars) share nothing.
    """

    def __init__(self, converter: cattrs.Converter, size: int = 4096) -> None:
        self.converter = converter
        self.size = size
        # writes a field only when it differs from its default (a missing field reads as
        # its default): a smaller document, decoded and read in less time
        self._writer = converter.copy()
        for cls in (Token, Consulted, CaseClocks, CaseState):
            self._writer.register_unstructure_hook(
                cls, make_dict_unstructure_fn(cls, self._writer, _cattrs_omit_if_default=True)
            )
        self._reader = converter.copy()
        self._instants: dict[str, pendulum.DateTime] = {}
        self._clocks: dict[tuple[Any, ...], Clock] = {}
        instant = self._reader.get_structure_hook(pendulum.DateTime)
        clock = self._reader.get_structure_hook(Clock)
        self._reader.register_structure_hook(pendulum.DateTime, self._instant_hook(instant))
        self._reader.register_structure_hook(Clock, self._clock_hook(clock))
        # the shapes most fields have (optional text, a tuple of texts, the lights' pairs of
        # texts): read without a call per item, still refusing anything else
        self._reader.register_structure_hook_func(_is_pairs, _string_pairs)
        self._reader.register_structure_hook_func(_is_optional_text, _optional_text)
        self._reader.register_structure_hook_func(_is_texts, _texts)

    def take(self, state: CaseState, calendar: str) -> CaseSnapshot:
        """The snapshot of ``state`` (as of its last event), to write with that event and
        the row whose deadlines were counted on the calendar of fingerprint ``calendar``
        (:attr:`~planning_core.timing.WorkCalendar.fingerprint`)."""
        data = {"state": self._writer.unstructure(state), "calendar": calendar}
        return CaseSnapshot(seq=state.seq, version=SNAPSHOT_VERSION, data=data)

    def restore(self, case_id: str, snapshot: CaseSnapshot | None) -> CaseState | None:
        """The state a snapshot holds, or None when it must not be trusted (see
        :func:`restore`, which this agrees with)."""
        return restore(self._reader, case_id, snapshot)

    def _instant_hook(
        self, structure: Callable[[Any, Any], pendulum.DateTime]
    ) -> Callable[[Any, Any], pendulum.DateTime]:
        cache = self._instants

        def instant(value: Any, kind: Any) -> pendulum.DateTime:
            if type(value) is not str:
                return structure(value, kind)
            found = cache.get(value)
            if found is None:
                if len(cache) >= self.size:
                    cache.clear()
                found = cache[value] = structure(value, kind)
            return found

        return instant

    def _clock_hook(self, structure: Callable[[Any, Any], Clock]) -> Callable[[Any, Any], Clock]:
        cache = self._clocks
        limits: dict[tuple[Any, ...], TimeLimit] = {}
        read_instant = self._reader.get_structure_hook(pendulum.DateTime)
        read_limit = self._reader.get_structure_hook(TimeLimit)

        def clock(value: Any, kind: Any) -> Clock:
            try:
                plain = not value["pauses"] and not value["extensions"] and len(value) == 5
                limit_key = tuple(sorted(value["limit"].items()))
                key = (value["started"], limit_key, value["region"])
                found = cache.get(key) if plain else None
            except (KeyError, TypeError, AttributeError):
                return structure(value, kind)
            if not plain:
                return structure(value, kind)
            if found is None:
                # a clock with no pause and no extension, built directly (the same checks
                # run: the instant's and the limit's hooks, the clock's own validation)
                limit = limits.get(limit_key)
                if limit is None:
                    limit = limits[limit_key] = read_limit(value["limit"], TimeLimit)
                region = value["region"]
                if type(region) is not str:
                    raise ValueError(f"a clock's region must be text, not {region!r}")
                found = Clock(read_instant(value["started"], pendulum.DateTime), limit, region)
                if len(cache) >= self.size:
                    cache.clear()
                    limits.clear()
                cache[key] = found
            return found

        return clock


_PAIRS = tuple[tuple[str, str], ...]


def _is_pairs(kind: Any) -> bool:
    return bool(kind == _PAIRS)


def _is_optional_text(kind: Any) -> bool:
    return bool(kind == (str | None))


def _optional_text(value: Any, _: Any) -> str | None:
    if value is None or type(value) is str:
        return value
    raise ValueError(f"expected text or null, got {value!r:.80}")


def _is_texts(kind: Any) -> bool:
    return bool(kind == tuple[str, ...])


def _texts(value: Any, _: Any) -> tuple[str, ...]:
    if type(value) is not list:
        raise ValueError(f"expected a list of texts, got {value!r:.80}")
    texts = tuple(value)
    if not all(type(text) is str for text in texts):
        raise ValueError(f"expected texts, got {value!r:.80}")
    return texts


def _string_pairs(value: Any, _: Any) -> tuple[tuple[str, str], ...]:
    """Pairs of strings (the recorded lights), read without a call per pair; anything else
    is refused (so the snapshot is not trusted)."""
    if type(value) is not list or not all(type(p) is list and len(p) == 2 for p in value):
        raise ValueError(f"expected a list of pairs, got {value!r:.80}")
    pairs = tuple((a, b) for a, b in value)
    if not all(type(a) is str and type(b) is str for a, b in pairs):
        raise ValueError(f"expected pairs of strings, got {value!r:.80}")
    return pairs


def replay(state: CaseState, events: Iterable[RecordedEvent]) -> CaseState:
    """``state`` with ``events`` (those after its last one) applied in order."""
    for recorded in events:
        state = apply(state, recorded)
    return state


def differences(stored: CaseState, folded: CaseState) -> list[str]:
    """The names of the fields in which a restored snapshot differs from the fold."""
    return [
        field.name
        for field in attrs.fields(CaseState)
        if getattr(stored, field.name) != getattr(folded, field.name)
    ]
