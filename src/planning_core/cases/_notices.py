"""What the applicant is told of each event: the notice the window shows the contact.

Each function words one event type as ``(kind, title, detail)``: ``kind`` a stable code for
machines, ``title`` and ``detail`` in the words of the bureau's notices; None when this
particular event is not worth telling (a revision of an internal clock's deadline). The
table of event types (:mod:`planning_core.cases._catalogue`) puts each beside its event, and
an event without one (a step, a meeting, a light) stays inside the bureau. The window turns
them into :class:`planning_core.window.Notice` values.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any, TypeAlias

import pendulum

from planning_core.cases import _events as ev
from planning_core.permits import PermitType
from planning_core.timing import PauseReason

__all__ = [
    "CLOCK_NAMES_ZH",
    "Describe",
    "Described",
    "accepted",
    "decided",
    "delivered",
    "extended",
    "issued",
    "material_names",
    "preliminary_reviewed",
    "refused",
    "resumed",
    "revised",
    "submitted",
    "supplement_received",
    "supplement_requested",
    "suspended",
    "withdrawn",
    "zh_date",
    "zh_provisional",
]

#: A notice as ``(kind, title, detail)``, or None when the event is not told.
Described: TypeAlias = tuple[str, str, str] | None
#: Words one event of a permit type's case as a notice.
Describe: TypeAlias = Callable[[PermitType, Any], Described]

_WEEKDAYS = "一二三四五六日"

#: What the bureau calls each case clock in its notices, pages and messages.
CLOCK_NAMES_ZH = {
    "notice": "受理期限（5个工作日内受理或一次告知）",
    "preliminary": "初审期限",
    "committed": "承诺办结期限",
    "statutory": "法定办结期限",
    "certificate": "制证期限",
    "hearing": "听证组织期限",
}


def zh_date(day: dt.date) -> str:
    """``2026年3月20日（星期五）``: the form of a Chinese notice, with the weekday."""
    return f"{day.year}年{day.month}月{day.day}日（星期{_WEEKDAYS[day.weekday()]}）"


def zh_provisional(day: dt.date) -> str:
    """``（暂定：2027年节假日安排尚未公布）``: the mark after a date counted over a year whose
    official holiday schedule is not published yet (``Deadline.provisional``).

    Coverage runs without a gap up to the last published year, so a provisional date's own
    year is one without a schedule: the clause names it.
    """
    return f"（暂定：{day.year}年节假日安排尚未公布）"


def material_names(permit: PermitType, codes: tuple[str, ...]) -> str:
    """The materials' names joined with 、 (a code the permit type does not know as is)."""
    names = {m.code: m.name for m in permit.materials}
    return "、".join(names.get(code, code) for code in codes)


def submitted(permit: PermitType, e: ev.CaseSubmitted) -> Described:
    return "received", "收件", f"已收材料：{material_names(permit, e.materials) or '无'}"


def preliminary_reviewed(permit: PermitType, e: ev.PreliminaryReviewRecorded) -> Described:
    who = f"{e.township}人民政府" if e.township else "乡、镇人民政府"
    detail = f"{who}已报送初步审查意见（行政许可法第四十三条）"
    return "preliminary_reviewed", "收到初步审查意见", detail


def supplement_requested(permit: PermitType, e: ev.SupplementRequested) -> Described:
    note = f"（{e.note}）" if e.note else ""
    return "supplement_requested", "补正材料一次性告知", material_names(permit, e.missing) + note


def supplement_received(permit: PermitType, e: ev.SupplementReceived) -> Described:
    return "supplement_received", "收到补正材料", material_names(permit, e.materials)


def accepted(permit: PermitType, e: ev.CaseAccepted) -> Described:
    if e.deemed:
        detail = "未在五个工作日内告知补正，自收件之日起视为受理（行政许可法第三十二条）"
        return "deemed_accepted", "受理", detail
    return "accepted", "受理", f"承诺时限{e.committed.zh}，法定时限{e.statutory.zh}"


def refused(permit: PermitType, e: ev.AcceptanceRefused) -> Described:
    return "refused", "不予受理", e.reason


def suspended(permit: PermitType, e: ev.CaseSuspended) -> Described:
    if e.notice:  # the written notice of art. 45, with the time needed
        return "suspended", "暂停计时", e.notice
    reason = PauseReason.coerce(e.reason).zh
    basis = f"（依据：{e.basis}）" if e.basis else ""
    return "suspended", "暂停计时", f"{reason}期间不计入办理时限{basis}"


def resumed(permit: PermitType, e: ev.CaseResumed) -> Described:
    return "resumed", "恢复计时", f"{PauseReason.coerce(e.reason).zh}结束"


def extended(permit: PermitType, e: ev.CaseExtended) -> Described:
    return "extended", "延长办理期限", f"经局长批准延长{e.working_days}个工作日。理由：{e.reason}"


def decided(permit: PermitType, e: ev.CaseDecided) -> Described:
    if e.outcome is ev.Outcome.APPROVED:
        term = _TERM_ZH.get(e.term)
        if term is not None and e.term_from is not None and e.term_until is not None:
            span = f"{term}：{zh_date(e.term_from)}至{zh_date(e.term_until)}"
            return "decided", "准予许可", f"{e.reasons}（{span}）" if e.reasons else span
        return "decided", "准予许可", e.reasons
    return "decided", "不予许可", e.reasons


_TERM_ZH = {"use": "使用期限", "validity": "有效期"}


def issued(permit: PermitType, e: ev.CertificateIssued) -> Described:
    return (
        "certificate_issued",
        "证件已制发，可取件",
        f"{permit.certificate.name} {e.certificate_number}",
    )


def delivered(permit: PermitType, e: ev.CaseDelivered) -> Described:
    return "delivered", "已取件", e.collected_by


def withdrawn(permit: PermitType, e: ev.CaseWithdrawn) -> Described:
    return "withdrawn", "撤回申请", e.reason


def revised(permit: PermitType, e: ev.DeadlineRevised) -> Described:
    if e.clock != "committed" or e.old is None or e.new is None:
        return None
    change = f"{zh_date(_last_day(e.old))} → {zh_date(_last_day(e.new))}"
    return "deadline_revised", "预计办结日期调整", change


def _last_day(close: pendulum.DateTime) -> pendulum.Date:
    """The deadline day of a stored deadline instant, which is that day's close (24:00 is
    the next midnight, so step back a second)."""
    return close.subtract(seconds=1).date()
