"""One request for an external department's opinion, as a case's state holds it.

A value of its own (the case state holds a tuple of them) so that the state, the fold and
the reports share one shape; what the requests do is in
:mod:`planning_core.cases._consultations`.
"""

from __future__ import annotations

import attrs
import pendulum

from planning_core.timing import TimeLimit

__all__ = ["Consulted"]


@attrs.frozen
class Consulted:
    """A department asked for its opinion at a CONSULT step, and what it answered.

    :param answer: None while it has not answered, else ``agree``,
        ``agree_with_conditions`` or ``object``.
    :param deemed: its silence past the limit was taken as consent.
    :param escalated: its silence past the limit was escalated (it may still answer).
    """

    step_id: str
    token: str
    department: str
    requested_at: pendulum.DateTime
    limit: TimeLimit
    silence: str
    round: int = 1
    liaison: str = ""
    answer: str | None = None
    opinion: str = ""
    conditions: tuple[str, ...] = ()
    document: str = ""
    answered_at: pendulum.DateTime | None = None
    deemed: bool = False
    escalated: bool = False

    @property
    def clock(self) -> str:
        """The name of its clock among the case's clocks: ``consult:<token>/<department>``."""
        return f"consult:{self.key}"

    @property
    def key(self) -> str:
        """``<token>/<department>``: its clock's key in :class:`CaseClocks`."""
        return f"{self.token}/{self.department}"

    @property
    def is_open(self) -> bool:
        """True while the department has not answered."""
        return self.answer is None

    @property
    def agrees(self) -> bool:
        """True for an answer of agreement, with or without conditions, deemed or given."""
        return self.answer is not None and self.answer != "object"
