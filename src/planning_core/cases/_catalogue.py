"""The one table of event types: each event class, its stored name, its fold, its notice.

Everything that dispatches on an event's type reads this table: the fold
(:func:`planning_core.cases._state.apply`) takes the handler, the codec finds the class by
its stored ``type`` name (:data:`EVENT_TYPES`), the window's contact view takes the notice.
So a new event type is its class (``_events.py``), its handler (``_fold.py``), perhaps its
notice (``_notices.py``), and one row here; the tests check that every class of the
:data:`~planning_core.cases.Event` union has its row and that every row round-trips through
the codec.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import attrs

from planning_core.cases import _consultations as consulting
from planning_core.cases import _events as ev
from planning_core.cases import _fold as folds
from planning_core.cases import _notices as told
from planning_core.cases._case import CaseState

__all__ = ["CATALOGUE", "EVENT_TYPES", "EventKind", "Fold", "kind_of"]

#: ``(state, event, at, actor) -> the fields the event changes``.
Fold = Callable[[CaseState, Any, folds.At, str], folds.Changes]


@attrs.frozen
class EventKind:
    """One event type: the class, what it does to a case's state, and what the applicant is
    told of it (None: nothing, it stays inside the bureau).

    The stored ``type`` name is the class's name, so renaming a class is a schema change.
    """

    cls: type[Any]
    fold: Fold
    notice: told.Describe | None = None

    @property
    def name(self) -> str:
        """The ``type`` an event document of this kind carries."""
        return self.cls.__name__


CATALOGUE: tuple[EventKind, ...] = (
    EventKind(ev.CaseSubmitted, folds.submitted, told.submitted),
    EventKind(ev.PreliminaryReviewRecorded, folds.preliminary_reviewed, told.preliminary_reviewed),
    EventKind(ev.SupplementRequested, folds.supplement_requested, told.supplement_requested),
    EventKind(ev.SupplementReceived, folds.supplement_received, told.supplement_received),
    EventKind(ev.CaseAccepted, folds.accepted, told.accepted),
    EventKind(ev.AcceptanceRefused, folds.refused, told.refused),
    EventKind(ev.StepActivated, folds.activated),
    EventKind(ev.StepClaimed, folds.claimed),
    EventKind(ev.StepCompleted, folds.completed),
    EventKind(ev.TokenCancelled, folds.cancelled),
    EventKind(ev.MeetingDecisionRecorded, folds.meeting),
    EventKind(ev.ReviewFinished, folds.review_finished),
    EventKind(ev.CaseSuspended, folds.suspended, told.suspended),
    EventKind(ev.CaseResumed, folds.resumed, told.resumed),
    EventKind(ev.CaseExtended, folds.extended, told.extended),
    EventKind(ev.CaseDecided, folds.decided, told.decided),
    EventKind(ev.CertificateIssued, folds.issued, told.issued),
    EventKind(ev.CaseDelivered, folds.delivered, told.delivered),
    EventKind(ev.CaseWithdrawn, folds.withdrawn, told.withdrawn),
    EventKind(ev.LightChanged, folds.light_changed),
    EventKind(ev.DeadlineRevised, folds.revised, told.revised),
    EventKind(ev.CaseMigrated, folds.migrated),
    EventKind(ev.ConsultationRequested, consulting.requested),
    EventKind(ev.OpinionRecorded, consulting.opinion_recorded),
    EventKind(ev.ConsultationEscalated, consulting.escalated),
)

_BY_CLASS: dict[type[Any], EventKind] = {kind.cls: kind for kind in CATALOGUE}

#: Every event class by its stored ``type`` name.
EVENT_TYPES: dict[str, type[Any]] = {kind.name: kind.cls for kind in CATALOGUE}


def kind_of(event: object) -> EventKind:
    """The row of ``event``'s type.

    :raises KeyError: for an object whose class is not an event type.
    """
    return _BY_CLASS[type(event)]
