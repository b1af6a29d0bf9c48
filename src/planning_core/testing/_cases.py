"""Cases in the state a test needs, in one line each.

A test of the decision should not restate intake; a test of the certificate should not
restate the review. :class:`CaseFactory` brings a new case to a named point (received,
accepted, reviewed, decided, issued, delivered) with plausible data, at the factory's
clock, through the engine's public commands only: what it builds is what a host's bureau
would have built.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from planning_core.cases import (
    Accept,
    CaseState,
    Command,
    Decide,
    Deliver,
    IssueCertificate,
    Outcome,
    RecordedEvent,
    Submit,
)
from planning_core.testing._bureau import Bureau
from planning_core.testing._clock import ManualClock
from planning_core.testing._walk import Path, Walk, walk_case
from planning_core.workflow import Actor

__all__ = ["CaseFactory"]


class CaseFactory:
    """Makes cases on one bureau, at one clock.

    Every command runs at ``clock.now`` by the person who would normally give it
    (:meth:`Bureau.actor_for`); the factory moves the clock only while walking steps.

    :param bureau: where the cases are made.
    :param clock: when; shared with the test, which may move it between calls.
    :param applicant: the default applicant's name.
    :param project: the default project's name.
    """

    def __init__(
        self,
        bureau: Bureau,
        clock: ManualClock,
        *,
        applicant: str = "唐山市某置业有限公司",
        project: str = "某小区住宅楼",
    ) -> None:
        self.bureau = bureau
        self.clock = clock
        self.applicant = applicant
        self.project = project
        self._made = 0

    def execute(
        self, command: Command, actor: Actor | str | None = None, **kwargs: Any
    ) -> list[RecordedEvent]:
        """Carry out ``command`` at ``clock.now``.

        :param actor: an actor, a post code (its first holder), or None for whoever would
            normally give the command.
        :param kwargs: passed to :meth:`Engine.execute` (``records=``).
        """
        if actor is None:
            who = self.bureau.actor_for(command)
        elif isinstance(actor, str):
            who = self.bureau.actor(actor)
        else:
            who = actor
        return self.bureau.engine.execute(command, who, self.clock.now, **kwargs)

    def new_case_id(self) -> str:
        """The next case id (``case-1``, ``case-2`` …) that the store does not hold yet."""
        while True:
            self._made += 1
            case_id = f"case-{self._made}"
            if self.bureau.store.get_case(case_id) is None:
                return case_id

    def submit(
        self,
        permit_type: str,
        *,
        missing: Sequence[str] = (),
        case_id: str | None = None,
        applicant: str | None = None,
        project: str | None = None,
        contact: str | None = None,
    ) -> str:
        """Receive an application with every required material except ``missing``.

        :returns: the new case's id.
        """
        case_id = case_id or self.new_case_id()
        permit = self.bureau.engine.permit_type(permit_type)
        materials = tuple(m.code for m in permit.required_materials if m.code not in missing)
        self.execute(
            Submit(
                case_id,
                permit.code,
                applicant or self.applicant,
                project or self.project,
                materials,
                contact,
            )
        )
        return case_id

    def accepted(self, permit_type: str, **kwargs: Any) -> str:
        """Receive and accept an application (its clocks start now)."""
        case_id = self.submit(permit_type, **kwargs)
        self.execute(Accept(case_id))
        return case_id

    def walk(self, case_id: str, path: Path | None = None, **kwargs: Any) -> Walk:
        """Do the case's waiting steps along ``path`` (see :func:`walk_case`)."""
        return walk_case(self.bureau, self.clock, case_id, path, **kwargs)

    def reviewed(self, permit_type: str, path: Path | None = None, **kwargs: Any) -> str:
        """Accept an application and walk its review along ``path`` to its end."""
        case_id = self.accepted(permit_type, **kwargs)
        self.walk(case_id, path)
        return case_id

    def decided(
        self,
        permit_type: str,
        outcome: Outcome = Outcome.APPROVED,
        path: Path | None = None,
        **kwargs: Any,
    ) -> str:
        """A reviewed case, decided with ``outcome`` (a denial gives its reasons)."""
        case_id = self.reviewed(permit_type, path, **kwargs)
        reasons = "" if outcome is Outcome.APPROVED else "不符合控制性详细规划"
        self.execute(Decide(case_id, outcome, reasons))
        return case_id

    def issued(self, permit_type: str, path: Path | None = None, **kwargs: Any) -> str:
        """An approved case whose certificate has been issued."""
        case_id = self.decided(permit_type, Outcome.APPROVED, path, **kwargs)
        self.execute(IssueCertificate(case_id))
        return case_id

    def delivered(self, permit_type: str, path: Path | None = None, **kwargs: Any) -> str:
        """An approved case, certificate issued and handed out: closed."""
        case_id = self.issued(permit_type, path, **kwargs)
        self.execute(Deliver(case_id, "申请人"))
        return case_id

    def state(self, case_id: str) -> CaseState:
        """The case's current state."""
        return self.bureau.engine.load(case_id)
