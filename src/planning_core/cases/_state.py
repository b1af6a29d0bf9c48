"""The fold: a case's state from its events.

The fold is the only place state changes: :func:`apply` takes a state and one recorded event
and returns the next state, by the event's handler in the table of event types
(:mod:`planning_core.cases._catalogue`). The engine decides *which* events to record (it
checks rules and permissions); the fold only records their consequences, so replaying a
history always gives the same state, and the stored projection can be checked against it at
any time. The reports replay the same way, keeping what the state forgets
(:func:`planning_core.cases.chronicle`).

The values (:class:`CaseState` and the rest) live in :mod:`planning_core.cases._case` and
are named here too, where the engine has always found them.
"""

from __future__ import annotations

import operator
from collections.abc import Iterable
from typing import Any

import attrs

from planning_core.cases._case import CaseState, CaseStatus, RecordedEvent, Token
from planning_core.cases._catalogue import CATALOGUE, Fold
from planning_core.cases._clocks import CaseClocks

__all__ = ["CaseState", "CaseStatus", "RecordedEvent", "Token", "apply", "fold"]


def fold(case_id: str, events: Iterable[RecordedEvent]) -> CaseState:
    """Replay a history from nothing."""
    state = CaseState(case_id=case_id)
    for recorded in events:
        state = apply(state, recorded)
    return state


def apply(state: CaseState, recorded: RecordedEvent) -> CaseState:
    """The state after one more recorded event."""
    handler = _FOLDS[type(recorded.event)]
    values = dict(zip(_FIELDS, _READ_FIELDS(state), strict=True))
    changes = handler(state, recorded.event, recorded.at, recorded.actor or "")
    values.update(changes)
    if "clocks" in changes and values["lights"]:
        values["lights"] = _running_lights(values["lights"], values["clocks"])
    values["seq"] = recorded.seq
    values["head_hash"] = recorded.hash
    values["last_at"] = recorded.at
    return CaseState(**values)


#: A case's recorded lights, ``(clock name, light)`` pairs.
Lights = tuple[tuple[str, str], ...]
#: The prefixes of the clocks started once per step token and per department asked.
_PER_TOKEN = ("step:", "consult:")


def _running_lights(lights: Lights, clocks: CaseClocks) -> Lights:
    """``lights`` without those of the step and department clocks that no longer run.

    A case starts such a clock for every step token and every department asked, again on
    each round of a loop; a light outliving its clock would make the state grow with the
    case's age. A case clock's light stays (the closed case still shows its last one).
    """
    if not any(name.startswith(_PER_TOKEN) for name, _ in lights):
        return lights
    running = {name for name, _ in clocks.named()}
    return tuple(
        (name, light)
        for name, light in lights
        if not name.startswith(_PER_TOKEN) or name in running
    )


#: Each event class's handler, from the one table, for a lookup per event.
_FOLDS: dict[type[Any], Fold] = {kind.cls: kind.fold for kind in CATALOGUE}

#: CaseState's fields, so apply builds each next state in one call (no evolve per handler).
_FIELDS = tuple(a.name for a in attrs.fields(CaseState))
_READ_FIELDS = operator.attrgetter(*_FIELDS)
