"""A case's history as reports need it: the engine's own replay, in history mode.

The engine's fold keeps only the clocks still running, so it cannot say how late a step was
once the step is done. Reports read each case through :func:`planning_core.cases.chronicle`,
which replays the events with the fold itself and keeps every clock when it stops, with the
instants at which its ledger changed. There are no clock rules in the reports: how a
suspension, a supplement or an extension moves a clock is decided once, in the fold, so the
reports' figures are the engine's.

Limits come from the events (``CaseAccepted.committed``, ``StepActivated.limit`` …), which is
what lets a what-if replay rewrite them and walk again.
"""

from __future__ import annotations

from collections.abc import Iterable

from planning_core.cases import (
    CaseTimeline,
    ClockRun,
    PauseSpan,
    RecordedEvent,
    StepRun,
    chronicle,
)
from planning_core.timing import Light

__all__ = [
    "LIGHT_ORDER",
    "CaseTimeline",
    "ClockRun",
    "PauseSpan",
    "StepRun",
    "rank",
    "walk",
    "worse",
]

#: Lights from best to worst.
LIGHT_ORDER: tuple[Light, ...] = (Light.GREEN, Light.REMINDER, Light.YELLOW, Light.RED)
_RANK = {light: rank for rank, light in enumerate(LIGHT_ORDER)}


def worse(a: Light, b: Light) -> Light:
    """The worse of two lights."""
    return a if _RANK[a] >= _RANK[b] else b


def rank(light: Light) -> int:
    """How bad ``light`` is: 0 for GREEN up to 3 for RED."""
    return _RANK[light]


def walk(case_id: str, events: Iterable[RecordedEvent]) -> CaseTimeline:
    """A case's timeline from its recorded events (already cut at the period's end)."""
    return chronicle(case_id, events)
