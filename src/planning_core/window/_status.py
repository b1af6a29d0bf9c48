"""What the applicant may see of a case: a public summary, and the contact's full record.

Two tiers (分级可见):

* :class:`PublicStatus`: for anyone holding the case number and the query password: the
  stage in plain words, the expected pickup date, whether the result is ready and whether
  the case is paused and why. Nothing about who handles it or what they wrote.
* :class:`ContactView`: for the registered contact, whom the host system has
  authenticated: the summary plus every :class:`Notice` the bureau gave the applicant
  (receipt, supplement notices, acceptance, suspensions, extensions with reasons, the
  decision, the certificate). Internal steps, opinions and meetings stay inside.
"""

from __future__ import annotations

import attrs
import pendulum

from planning_core.cases import CaseState, CaseStatus, Engine, RecordedEvent
from planning_core.cases._catalogue import kind_of
from planning_core.cases._notices import material_names
from planning_core.permits import PermitType
from planning_core.timing import Clock, Deadline, PauseReason
from planning_core.window._text import zh_datetime, zh_pickup

__all__ = ["ContactView", "Notice", "PublicStatus", "contact_notices", "public_summary"]

_READY = {CaseStatus.ISSUED, CaseStatus.DENIED}


@attrs.frozen
class PublicStatus:
    """The public summary of a case.

    :param stage: the stage in plain Chinese words (``审查中``).
    :param stage_code: the same as a stable code (``in_review``) for machines.
    :param expected_pickup: when the result can be collected, while that is known: None
        before acceptance, while paused, once ready and once closed.
    :param provisional: the date crosses a year without a published holiday schedule, so it
        may move; :meth:`render` marks it ``（暂定：2027年节假日安排尚未公布）``.
    :param ready_for_collection: the certificate or the decision letter waits at the window.
    :param paused_because: why the clock stands still (missing materials, an expert
        review …), or None when it runs.
    """

    case_number: str
    permit_name: str
    stage: str
    stage_code: str
    expected_pickup: pendulum.Date | None
    provisional: bool
    ready_for_collection: bool
    paused_because: str | None

    @property
    def paused(self) -> bool:
        """Whether the case is waiting on something outside the bureau's time."""
        return self.paused_because is not None

    def render(self) -> str:
        """The summary as the status page or the phone line reads it."""
        lines = [
            f"案件编号：{self.case_number}",
            f"申请事项：{self.permit_name}",
            f"办理阶段：{self.stage}",
        ]
        if self.ready_for_collection:
            lines.append("取件：办理结果已可领取，请携带立案回执到窗口领取")
        elif self.expected_pickup is not None:
            lines.append(f"预取件日期：{zh_pickup(self.expected_pickup, self.provisional)}")
        if self.paused_because is not None:
            lines.append(f"暂停原因：{self.paused_because}")
        return "\n".join(lines)


@attrs.frozen
class Notice:
    """One thing the bureau told or asked the applicant, and when."""

    at: pendulum.DateTime
    kind: str
    title: str
    detail: str = ""


@attrs.frozen
class ContactView:
    """The registered contact's view: the summary and every notice, oldest first."""

    status: PublicStatus
    notices: tuple[Notice, ...]

    def render(self) -> str:
        """The summary followed by the dated notices."""
        lines = [self.status.render(), "办理记录："]
        for notice in self.notices:
            detail = f"：{notice.detail}" if notice.detail else ""
            lines.append(f"  {zh_datetime(notice.at)} {notice.title}{detail}")
        return "\n".join(lines)


def public_summary(engine: Engine, state: CaseState) -> PublicStatus:
    """The public summary of ``state``."""
    permit = engine.permit_type(state.permit_type)
    pickup = _expected_pickup(engine, state)
    return PublicStatus(
        case_number=state.case_number,
        permit_name=permit.name_zh,
        stage=state.status.label_zh,
        stage_code=state.status.value,
        expected_pickup=None if pickup is None else pickup.date,
        provisional=False if pickup is None else pickup.provisional,
        ready_for_collection=state.status in _READY,
        paused_because=_paused_because(permit, state),
    )


def _expected_pickup(engine: Engine, state: CaseState) -> Deadline | None:
    clock: Clock | None = None
    if state.status in (CaseStatus.IN_REVIEW, CaseStatus.AWAITING_DECISION):
        clock = state.clocks.committed
    elif state.status is CaseStatus.APPROVED:
        clock = state.clocks.certificate
    deadline = None if clock is None else clock.deadline(engine.calendar)
    return deadline if isinstance(deadline, Deadline) else None


def _paused_because(permit: PermitType, state: CaseState) -> str | None:
    if state.missing and state.status.is_open:
        return f"待申请人补正材料：{material_names(permit, state.missing)}"
    if state.suspended is not None:
        return f"{PauseReason.coerce(state.suspended).zh}期间不计入办理时限"
    return None


# -- the contact's record ----------------------------------------------------------------------


def contact_notices(permit: PermitType, history: list[RecordedEvent]) -> tuple[Notice, ...]:
    """Every event of ``history`` the applicant was told of, as a dated notice."""
    notices = []
    for recorded in history:
        describe = kind_of(recorded.event).notice
        if describe is None:
            continue
        found = describe(permit, recorded.event)
        if found is not None:
            kind, title, detail = found
            notices.append(Notice(recorded.at, kind, title, detail))
    return tuple(notices)
