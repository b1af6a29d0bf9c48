"""Snapshots: a case's folded state kept beside its row, so a cold case is not replayed.

A server that did not handle a case's last command (several servers share one database,
or the case fell out of the engine's cache) must know the case's state before it decides
the next command. Folding the whole history costs in proportion to how long the case has
lived (a case that went round its review loop a hundred times has 1,500 events); reading the
state folded by the last writer, and the events after it, costs the same for every case.

Each append writes the state after it (:func:`take`) in the same unit of work as the events,
so the snapshot is never ahead of the history and never lost without them. Reading
(:func:`restore`) trusts a snapshot only when it was written by code that folds the same
way: its ``version`` must equal :data:`SNAPSHOT_VERSION`, it must decode with this code's
converter into this case's state. Anything else, a snapshot from older (or newer) code
included, is ignored and the history folded from its first event, and the next append
writes a snapshot of this version in its place.

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

from planning_core.cases import _events as ev
from planning_core.cases._state import CaseState, RecordedEvent, apply
from planning_core.errors import PlanningError
from planning_core.serialization import load
from planning_core.storage import CaseSnapshot
from planning_core.timing import Clock, TimeLimit

__all__ = [
    "SNAPSHOT_VERSION",
    "STATE_VERSION",
    "SnapshotCodec",
    "differences",
    "replay",
    "restore",
    "take",
]

#: The version of the fold and of :class:`CaseState`'s shape: bump it with any change to
#: either (see the module's text).
STATE_VERSION = 2

#: The label every snapshot this code writes carries, and the only one it trusts.
SNAPSHOT_VERSION = f"events-{ev.EVENT_SCHEMA_VERSION}.state-{STATE_VERSION}"


def take(converter: cattrs.Converter, state: CaseState) -> CaseSnapshot:
    """The snapshot of ``state`` (as of its last event), to write with that event."""
    data = _compact(converter.unstructure(state))
    return CaseSnapshot(seq=state.seq, version=SNAPSHOT_VERSION, data=data)


def restore(
    converter: cattrs.Converter, case_id: str, snapshot: CaseSnapshot | None
) -> CaseState | None:
    """The state a snapshot holds, or None when it must not be trusted: none stored, another
    version, a document this code cannot read, or the state of another case or event."""
    if snapshot is None or snapshot.version != SNAPSHOT_VERSION:
        return None
    try:
        state = load(converter, _expand(snapshot.data), CaseState)
    except (PlanningError, ValueError):
        return None
    if state.case_id != case_id or state.seq != snapshot.seq:
        return None
    return state


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
        self._reader = converter.copy()
        self._instants: dict[str, pendulum.DateTime] = {}
        self._clocks: dict[tuple[Any, ...], Clock] = {}
        instant = self._reader.get_structure_hook(pendulum.DateTime)
        clock = self._reader.get_structure_hook(Clock)
        self._reader.register_structure_hook(pendulum.DateTime, self._instant_hook(instant))
        self._reader.register_structure_hook(Clock, self._clock_hook(clock))
        # what grows with a case's history (the steps completed, the lights recorded): read
        # without a call per item, still refusing anything but pairs of strings
        self._reader.register_structure_hook_func(_is_pairs, _string_pairs)

    def take(self, state: CaseState) -> CaseSnapshot:
        """The snapshot of ``state`` (see :func:`take`)."""
        return take(self.converter, state)

    def restore(self, case_id: str, snapshot: CaseSnapshot | None) -> CaseState | None:
        """The state a snapshot holds, or None when it must not be trusted (see
        :func:`restore`, which this agrees with)."""
        if snapshot is None or snapshot.version != SNAPSHOT_VERSION:
            return None
        try:
            state = load(self._reader, snapshot.data, CaseState)
        except (PlanningError, ValueError):
            return None
        if state.case_id != case_id or state.seq != snapshot.seq:
            return None
        return state

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
#: The fields of CaseState that grow with a case's history, pairs of short codes (steps and
#: their tokens, clocks and their lights): a snapshot writes each as one string, the pairs
#: joined with these separators (printable, so JSON writes them as they are), which JSON reads
#: in one step instead of one list per pair.
_GROWING = ("completed", "lights")
_PAIR, _ITEM = ";", "|"


def _is_pairs(kind: Any) -> bool:
    return bool(kind == _PAIRS)


def _compact(data: dict[str, Any]) -> dict[str, Any]:
    """``data`` with the growing fields as strings (left as lists when a code holds a
    separator, which no step, token, clock or light code does)."""
    for name in _GROWING:
        pairs = data.get(name)
        if isinstance(pairs, list) and pairs:
            codes = [code for pair in pairs for code in pair]
            if all(type(c) is str and _PAIR not in c and _ITEM not in c for c in codes):
                data[name] = _PAIR.join(f"{a}{_ITEM}{b}" for a, b in pairs)
    return data


def _expand(data: dict[str, Any]) -> dict[str, Any]:
    """``data`` with the growing fields as lists of pairs again (what the converter reads)."""
    found = {name: data[name] for name in _GROWING if isinstance(data.get(name), str)}
    if not found:
        return data
    return {**data, **{name: [list(p) for p in _split(text)] for name, text in found.items()}}


def _split(text: str) -> tuple[tuple[str, str], ...]:
    """The pairs a compact string holds (one split, in C, for them all).

    :raises ValueError: when the string does not hold whole pairs.
    """
    if not text:
        return ()
    codes = text.replace(_PAIR, _ITEM).split(_ITEM)
    if len(codes) % 2 or text.count(_PAIR) != len(codes) // 2 - 1:
        raise ValueError(f"not a string of pairs: {text!r:.80}")
    return tuple(zip(codes[::2], codes[1::2], strict=True))


def _string_pairs(value: Any, _: Any) -> tuple[tuple[str, str], ...]:
    """Pairs of strings, from a snapshot's string or a list of pairs; anything else is
    refused (so the snapshot is not trusted)."""
    if type(value) is str:
        return _split(value)
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
