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

from collections.abc import Callable
from typing import Any

import attrs
import pendulum

from planning_core.cases import CaseState, CaseStatus, Engine, RecordedEvent
from planning_core.cases import _events as ev
from planning_core.permits import PermitType
from planning_core.timing import Clock, Deadline, PauseReason
from planning_core.window._text import zh_date, zh_datetime

__all__ = ["ContactView", "Notice", "PublicStatus", "contact_notices", "public_summary"]

_READY = {CaseStatus.ISSUED, CaseStatus.DENIED}


@attrs.frozen
class PublicStatus:
    """The public summary of a case.

    :param stage: the stage in plain Chinese words (``审查中``).
    :param stage_code: the same as a stable code (``in_review``) for machines.
    :param expected_pickup: when the result can be collected, while that is known: None
        before acceptance, while paused, once ready and once closed.
    :param provisional: the date crosses a year without a published holiday schedule.
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
            note = "（暂定，节假日安排公布后可能调整）" if self.provisional else ""
            lines.append(f"预取件日期：{zh_date(self.expected_pickup)}{note}")
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
        return f"待申请人补正材料：{_material_names(permit, state.missing)}"
    if state.suspended is not None:
        return f"{PauseReason.coerce(state.suspended).zh}期间不计入办理时限"
    return None


def _material_names(permit: PermitType, codes: tuple[str, ...]) -> str:
    names = {m.code: m.name for m in permit.materials}
    return "、".join(names.get(code, code) for code in codes)


# -- the contact's record ----------------------------------------------------------------------


def contact_notices(permit: PermitType, history: list[RecordedEvent]) -> tuple[Notice, ...]:
    """Every event of ``history`` the applicant was told of, as a dated notice."""
    notices = []
    for recorded in history:
        describe = _NOTICES.get(type(recorded.event))
        if describe is None:
            continue
        found = describe(permit, recorded.event)
        if found is not None:
            kind, title, detail = found
            notices.append(Notice(recorded.at, kind, title, detail))
    return tuple(notices)


_Described = tuple[str, str, str] | None


def _submitted(permit: PermitType, e: ev.CaseSubmitted) -> _Described:
    return "received", "收件", f"已收材料：{_material_names(permit, e.materials) or '无'}"


def _supplement(permit: PermitType, e: ev.SupplementRequested) -> _Described:
    note = f"（{e.note}）" if e.note else ""
    return "supplement_requested", "补正材料一次性告知", _material_names(permit, e.missing) + note


def _supplied(permit: PermitType, e: ev.SupplementReceived) -> _Described:
    return "supplement_received", "收到补正材料", _material_names(permit, e.materials)


def _accepted(permit: PermitType, e: ev.CaseAccepted) -> _Described:
    if e.deemed:
        detail = "未在五个工作日内告知补正，自收件之日起视为受理（行政许可法第三十二条）"
    else:
        detail = f"承诺时限{e.committed.zh}，法定时限{e.statutory.zh}"
    return "accepted", "受理", detail


def _refused(permit: PermitType, e: ev.AcceptanceRefused) -> _Described:
    return "refused", "不予受理", e.reason


def _suspended(permit: PermitType, e: ev.CaseSuspended) -> _Described:
    reason = PauseReason.coerce(e.reason).zh
    basis = f"（依据：{e.basis}）" if e.basis else ""
    return "suspended", "暂停计时", f"{reason}期间不计入办理时限{basis}"


def _resumed(permit: PermitType, e: ev.CaseResumed) -> _Described:
    return "resumed", "恢复计时", f"{PauseReason.coerce(e.reason).zh}结束"


def _extended(permit: PermitType, e: ev.CaseExtended) -> _Described:
    return "extended", "延长办理期限", f"经局长批准延长{e.working_days}个工作日。理由：{e.reason}"


def _decided(permit: PermitType, e: ev.CaseDecided) -> _Described:
    if e.outcome is ev.Outcome.APPROVED:
        return "decided", "准予许可", e.reasons
    return "decided", "不予许可", e.reasons


def _issued(permit: PermitType, e: ev.CertificateIssued) -> _Described:
    return (
        "certificate_issued",
        "证件已制发，可取件",
        f"{permit.certificate.name} {e.certificate_number}",
    )


def _delivered(permit: PermitType, e: ev.CaseDelivered) -> _Described:
    return "delivered", "已取件", e.collected_by


def _withdrawn(permit: PermitType, e: ev.CaseWithdrawn) -> _Described:
    return "withdrawn", "撤回申请", e.reason


def _revised(permit: PermitType, e: ev.DeadlineRevised) -> _Described:
    if e.clock != "committed" or e.old is None or e.new is None:
        return None
    change = f"{zh_date(_last_day(e.old))} → {zh_date(_last_day(e.new))}"
    return "deadline_revised", "预计办结日期调整", change


def _last_day(close: pendulum.DateTime) -> pendulum.Date:
    """The deadline day of a stored deadline instant, which is that day's close (24:00 is
    the next midnight, so step back a second)."""
    return close.subtract(seconds=1).date()


_NOTICES: dict[type[Any], Callable[[PermitType, Any], _Described]] = {
    ev.CaseSubmitted: _submitted,
    ev.SupplementRequested: _supplement,
    ev.SupplementReceived: _supplied,
    ev.CaseAccepted: _accepted,
    ev.AcceptanceRefused: _refused,
    ev.CaseSuspended: _suspended,
    ev.CaseResumed: _resumed,
    ev.CaseExtended: _extended,
    ev.CaseDecided: _decided,
    ev.CertificateIssued: _issued,
    ev.CaseDelivered: _delivered,
    ev.CaseWithdrawn: _withdrawn,
    ev.DeadlineRevised: _revised,
}
