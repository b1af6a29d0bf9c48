"""A case as the engine knows it: its status, its tokens, its recorded events, its state.

These are the values the fold (:mod:`planning_core.cases._state`) produces and the rules
read. One property is a rule of its own, written here once: what holds a case's clocks
(:attr:`CaseState.holds`). Every fold handler that pauses or resumes clocks asks it, and the
history mode of the fold (:mod:`planning_core.cases._chronicle`) reads pauses from it.
"""

from __future__ import annotations

import enum

import attrs
import pendulum

from planning_core.cases import _events as ev
from planning_core.cases._clocks import CaseClocks
from planning_core.cases._consulted import Consulted
from planning_core.cases._history import GENESIS
from planning_core.timing import PauseReason

__all__ = ["CaseState", "CaseStatus", "RecordedEvent", "Token"]


class CaseStatus(enum.Enum):
    """Where a case stands (案件状态). The Chinese label is what the window shows."""

    RECEIVED = "received"
    AWAITING_SUPPLEMENT = "awaiting_supplement"
    IN_REVIEW = "in_review"
    AWAITING_DECISION = "awaiting_decision"
    APPROVED = "approved"
    DENIED = "denied"
    ISSUED = "issued"
    DELIVERED = "delivered"
    REFUSED = "refused"
    WITHDRAWN = "withdrawn"

    @property
    def label_zh(self) -> str:
        """The status in plain Chinese words, for the window and the public status page."""
        return _LABELS_ZH[self]

    @property
    def is_open(self) -> bool:
        """Whether work on the case is still going on."""
        return self not in _CLOSED


_LABELS_ZH = {
    CaseStatus.RECEIVED: "已收件，待受理",
    CaseStatus.AWAITING_SUPPLEMENT: "待补正材料",
    CaseStatus.IN_REVIEW: "审查中",
    CaseStatus.AWAITING_DECISION: "待决定",
    CaseStatus.APPROVED: "准予许可，制证中",
    CaseStatus.DENIED: "不予许可，可取决定书",
    CaseStatus.ISSUED: "证件已制发，可取件",
    CaseStatus.DELIVERED: "已取件，办结",
    CaseStatus.REFUSED: "不予受理",
    CaseStatus.WITHDRAWN: "申请人撤回",
}
_CLOSED = {CaseStatus.DELIVERED, CaseStatus.REFUSED, CaseStatus.WITHDRAWN}


@attrs.frozen
class RecordedEvent:
    """An event as recorded: its number in the case, instant, actor, and hash link."""

    case_id: str
    seq: int
    at: pendulum.DateTime
    actor: str | None
    event: ev.Event
    schema: int = ev.EVENT_SCHEMA_VERSION
    prev_hash: str = GENESIS
    hash: str = ""


@attrs.frozen
class Token:
    """One unit of work moving through the workflow (several run at once in a countersign)."""

    token: str
    step_id: str
    post: str | None
    activated_at: pendulum.DateTime
    claimed_by: str | None = None
    branch: str = ""


@attrs.frozen
class CaseState:
    """Everything the engine knows about a case, derived from its events."""

    case_id: str
    seq: int = 0
    head_hash: str = GENESIS
    status: CaseStatus = CaseStatus.RECEIVED
    permit_type: str = ""
    workflow_version: int = 0
    case_number: str = ""
    applicant: str = ""
    project: str = ""
    contact: str | None = None
    township: str | None = None
    facts: tuple[tuple[str, bool | int | str], ...] = ()
    materials: tuple[str, ...] = ()
    received_at: pendulum.DateTime | None = None
    supplement_requested: bool = False
    missing: tuple[str, ...] = ()
    accepted_at: pendulum.DateTime | None = None
    deemed_accepted: bool = False
    suspended: str | None = None
    extended: bool = False
    outcome: ev.Outcome | None = None
    #: the township's preliminary review opinion (行政许可法 art. 43), once recorded
    preliminary_opinion: str | None = None
    #: an approval's period of use (``use``) or validity (``validity``), first and last day
    term: str = ""
    term_from: pendulum.Date | None = None
    term_until: pendulum.Date | None = None
    certificate_number: str | None = None
    tokens: tuple[Token, ...] = ()
    tokens_made: int = 0
    #: the steps completed at least once, in the order each was first completed (which
    #: token completed them, and how often, is in the history: the state stays the same
    #: size however many times a case goes round its review loop)
    completed_steps: tuple[str, ...] = ()
    last_decider_post: str | None = None
    last_action: str | None = None
    recommendation: str | None = None
    decided_at: pendulum.DateTime | None = None
    #: the light last recorded by the sweep for each running clock (a step's or a
    #: department's is forgotten when its clock stops, as the clock is)
    lights: tuple[tuple[str, str], ...] = ()
    last_at: pendulum.DateTime | None = None
    clocks: CaseClocks = attrs.field(factory=CaseClocks)
    #: every request for an external department's opinion (征求意见), in the order asked
    consultations: tuple[Consulted, ...] = ()

    def token_at(self, step_id: str) -> Token | None:
        """The active token at ``step_id`` (the first, if several wait at a join)."""
        return next((t for t in self.tokens if t.step_id == step_id), None)

    @property
    def open_consultations(self) -> tuple[Consulted, ...]:
        """The departments asked and not answered yet."""
        return tuple(c for c in self.consultations if c.is_open)

    @property
    def consultation_conditions(self) -> tuple[tuple[str, str], ...]:
        """``(department, condition)`` for every condition attached to the consents that
        stand (each department's latest answer at each CONSULT step): what the approval and
        its certificate carry."""
        latest: dict[tuple[str, str], Consulted] = {}
        for c in self.consultations:
            if c.answer is not None:
                latest[(c.step_id, c.department)] = c
        return tuple(
            (c.department, condition)
            for c in latest.values()
            if c.agrees
            for condition in c.conditions
        )

    def recorded_light(self, clock: str) -> str:
        """The light last recorded for ``clock`` by the sweep (GREEN before any)."""
        return dict(self.lights).get(clock, "green")

    @property
    def holds(self) -> tuple[str, ...]:
        """Every reason holding the case's clocks now, the one that stops them first.

        A suspension (art. 45) holds them until the case is resumed; a supplement asked for
        after acceptance holds them until it arrives (one asked for before acceptance does
        not: no decision clock runs yet). Both may hold at once, and the clocks run again
        only when neither does. Empty while the clocks run.
        """
        held: tuple[str, ...] = () if self.suspended is None else (self.suspended,)
        if self.missing and self.accepted_at is not None:
            held += (PauseReason.SUPPLEMENT.value,)
        return held

    @property
    def hold(self) -> str | None:
        """The reason the case's clocks stand still (the first of :attr:`holds`), or None."""
        held = self.holds
        return held[0] if held else None
