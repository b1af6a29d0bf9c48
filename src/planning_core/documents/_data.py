"""What a written act prints, as a typed value apart from its layout.

行政许可法 makes the bureau's acts written ones: acceptance or refusal and the one-time
list of missing materials (art. 32), the extension and its reason (art. 42), the time not
counted (art. 45), the decision with reasons and remedies (arts. 37–38), the certificate
(art. 39). :func:`case_documents` reads them off a case's events; a template
(:mod:`planning_core.documents._template`) lays a :class:`DocumentData` out, and a host can
render the same value its own way.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Iterable, Sequence

import attrs
import pendulum

from planning_core.cases import (
    AcceptanceRefused,
    CaseAccepted,
    CaseDecided,
    CaseExtended,
    CaseSubmitted,
    CaseSuspended,
    CertificateIssued,
    Outcome,
    RecordedEvent,
    SupplementRequested,
)
from planning_core.errors import NotFoundError, PlanningError
from planning_core.permits import PermitType
from planning_core.timing import LimitUnit, PauseReason, TimeLimit

__all__ = [
    "DOCUMENT_KINDS",
    "DocumentData",
    "case_documents",
    "verification_code",
]

#: Every kind of document, with its title.
DOCUMENT_KINDS: dict[str, str] = {
    "acceptance_notice": "受理通知书",
    "acceptance_refusal": "不予受理决定书",
    "supplement_notice": "补正材料通知书",
    "extension_notice": "延长期限告知书",
    "suspension_notice": "不计入期限告知书",
    "approval_decision": "准予行政许可决定书",
    "denial_decision": "不予行政许可决定书",
    "certificate": "",  # the permit type's own name (建设工程规划许可证 …)
}

_ABBREVIATION = {
    "acceptance_notice": "受",
    "acceptance_refusal": "不受",
    "supplement_notice": "补",
    "extension_notice": "延",
    "suspension_notice": "停",
    "approval_decision": "准",
    "denial_decision": "不准",
}

_REMEDIES = (
    "申请人如不服本决定，可以自收到本决定书之日起六十日内依法申请行政复议，"
    "或者自收到本决定书之日起六个月内依法向人民法院提起行政诉讼。"
)


@attrs.frozen
class DocumentData:
    """One written act as printed: every value a layout needs, none of the layout.

    :param kind: a key of :data:`DOCUMENT_KINDS`.
    :param number: the document's number (文号); a certificate's is its certificate number.
    :param issued_on: the date it bears, in the bureau's time zone.
    :param legal_basis: the articles it rests on, as cited to the applicant.
    :param fields: labelled values (项目名称 …), in order.
    :param paragraphs: the body, in order.
    :param remedies: for a refusal, the right to reconsideration or litigation.
    :param verification_code: the short code printed beside the QR code: derived from the
        hash of the event the document records, so it can be checked against the history.
    :param verification_url: what the QR code holds (the code alone when no URL is set).
    :param event_hash: the hash of that event in the case's chain.
    """

    kind: str
    title: str
    bureau: str
    number: str
    issued_on: pendulum.Date
    case_number: str
    case_id: str
    applicant: str
    project: str
    permit_name: str
    legal_basis: str
    fields: tuple[tuple[str, str], ...]
    paragraphs: tuple[str, ...]
    verification_code: str
    verification_url: str
    event_hash: str
    remedies: str = ""


def verification_code(event_hash: str, kind: str) -> str:
    """The short code of a document: 12 base32 characters of SHA-256(kind, event hash)."""
    digest = hashlib.sha256(f"{kind}:{event_hash}".encode()).digest()
    code = base64.b32encode(digest).decode("ascii")[:12]
    return f"{code[:4]}-{code[4:8]}-{code[8:]}"


def _date(at: pendulum.DateTime, zone: str) -> pendulum.Date:
    return at.in_timezone(zone).date()


def _limit(limit: TimeLimit) -> str:
    unit = "个工作日" if limit.unit is LimitUnit.WORKING_DAYS else "日"
    return f"{limit.days}{unit}"


def _pause(reason: str) -> str:
    """A pause reason's code (``expert_review``) in the applicant's words (专家评审)."""
    try:
        return PauseReason.coerce(reason).zh
    except PlanningError:
        return reason


def _conditions_paragraph(conditions: tuple[str, ...]) -> tuple[str, ...]:
    """The conditions other departments attached to their consent (有条件同意), numbered,
    as the decision and the certificate carry them; nothing when there are none."""
    if not conditions:
        return ()
    listed = "；".join(f"（{i}）{text}" for i, text in enumerate(conditions, 1))
    return (f"附加条件（相关部门意见）：{listed}。",)


def _zh(day: pendulum.Date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def case_documents(
    history: Sequence[RecordedEvent],
    permit: PermitType,
    *,
    bureau: str,
    zone: str = "Asia/Shanghai",
    verify_url: str = "",
    material_names: dict[str, str] | None = None,
) -> list[DocumentData]:
    """Every written act the case's events call for, in the order they were made.

    :param permit: the case's permit type (its names, legal basis and certificate).
    :param bureau: the bureau's name as printed (``BureauConfig.name``).
    :param zone: the bureau's time zone (the calendar's), for the dates printed.
    :param verify_url: where the QR code points (``https://…/verify``); the code is
        appended as ``?code=``. Empty: the QR code holds the short code alone.
    :raises NotFoundError: for an empty history.
    """
    if not history:
        raise NotFoundError("the case has no history; give the events of a submitted case")
    names = {m.code: m.name for m in permit.materials} | (material_names or {})
    submitted = next((r.event for r in history if isinstance(r.event, CaseSubmitted)), None)
    if submitted is None:
        raise NotFoundError("the history has no submission (CaseSubmitted); nothing to print")
    documents: list[DocumentData] = []

    def make(
        rec: RecordedEvent,
        kind: str,
        legal_basis: str,
        paragraphs: Iterable[str],
        fields: Iterable[tuple[str, str]] = (),
        *,
        number: str | None = None,
        title: str | None = None,
        remedies: str = "",
    ) -> DocumentData:
        day = _date(rec.at, zone)
        code = verification_code(rec.hash, kind)
        return DocumentData(
            kind=kind,
            title=title or DOCUMENT_KINDS[kind],
            bureau=bureau,
            number=number or f"{_ABBREVIATION[kind]}〔{day.year}〕{submitted.case_number}号",
            issued_on=day,
            case_number=submitted.case_number,
            case_id=rec.case_id,
            applicant=submitted.applicant,
            project=submitted.project,
            permit_name=permit.name_zh,
            legal_basis=legal_basis,
            fields=(
                ("申请人", submitted.applicant),
                ("项目名称", submitted.project),
                ("申请事项", permit.name_zh),
                ("案件编号", submitted.case_number),
                *fields,
            ),
            paragraphs=tuple(paragraphs),
            verification_code=code,
            verification_url=f"{verify_url}?code={code}" if verify_url else code,
            event_hash=rec.hash,
            remedies=remedies,
        )

    received = _zh(_date(history[0].at, zone))
    for rec in history:
        e = rec.event
        if isinstance(e, CaseAccepted):
            documents.append(
                make(
                    rec,
                    "acceptance_notice",
                    "《中华人民共和国行政许可法》第三十二条",
                    [
                        f"你（单位）于{received}提出的{permit.name_zh}申请，申请材料齐全、"
                        f"符合法定形式，本机关决定予以受理。",
                        f"本机关将自受理之日起{_limit(e.committed)}内作出决定"
                        f"（法定期限{_limit(e.statutory)}）。",
                    ],
                    [("受理日期", _zh(_date(e.clock_start, zone)))],
                )
            )
        elif isinstance(e, AcceptanceRefused):
            documents.append(
                make(
                    rec,
                    "acceptance_refusal",
                    "《中华人民共和国行政许可法》第三十二条",
                    [
                        f"你（单位）于{received}提出的{permit.name_zh}申请，"
                        f"本机关决定不予受理。理由：{e.reason}",
                    ],
                    remedies=_REMEDIES,
                )
            )
        elif isinstance(e, SupplementRequested):
            listed = [f"{i}. {names.get(code, code)}" for i, code in enumerate(e.missing, 1)]
            documents.append(
                make(
                    rec,
                    "supplement_notice",
                    "《中华人民共和国行政许可法》第三十二条第一款第（四）项",
                    [
                        f"你（单位）于{received}提出的{permit.name_zh}申请，申请材料不齐全，"
                        f"现一次告知需要补正的全部内容如下：",
                        *listed,
                        "请补正后提交。补正期间不计入审批期限。" + (e.note and f"（{e.note}）"),
                    ],
                )
            )
        elif isinstance(e, CaseExtended):
            documents.append(
                make(
                    rec,
                    "extension_notice",
                    "《中华人民共和国行政许可法》第四十二条",
                    [
                        f"因{e.reason}，经本机关负责人批准，{permit.name_zh}申请的审查期限"
                        f"延长{e.working_days}个工作日。",
                    ],
                    [("延长期限", f"{e.working_days}个工作日"), ("延长理由", e.reason)],
                )
            )
        elif isinstance(e, CaseSuspended):
            need = (
                f"所需时间约{e.expected_working_days}个工作日。" if e.expected_working_days else ""
            )
            documents.append(
                make(
                    rec,
                    "suspension_notice",
                    "《中华人民共和国行政许可法》第四十五条" + (f"；{e.basis}" if e.basis else ""),
                    [
                        f"因{_pause(e.reason)}，该程序所需时间不计入审批期限。{need}",
                        *((e.notice,) if e.notice else ()),
                    ],
                    [("事由", _pause(e.reason))],
                )
            )
        elif isinstance(e, CaseDecided):
            approved = e.outcome is Outcome.APPROVED
            term = []
            if e.term_from is not None and e.term_until is not None:
                label = "使用期限" if e.term == "use" else "有效期"
                term = [(label, f"{_zh(e.term_from)}至{_zh(e.term_until)}")]
            documents.append(
                make(
                    rec,
                    "approval_decision" if approved else "denial_decision",
                    f"《中华人民共和国行政许可法》第三十七条、第三十八条；{permit.legal_basis}",
                    [
                        f"你（单位）申请的{permit.name_zh}，经审查，"
                        + (
                            "符合法定条件、标准，本机关决定准予行政许可。"
                            if approved
                            else "不符合法定条件、标准，本机关决定不予行政许可。"
                        ),
                        *((f"理由：{e.reasons}",) if e.reasons else ()),
                        *_conditions_paragraph(e.conditions),
                    ],
                    term,
                    remedies="" if approved else _REMEDIES,
                )
            )
        elif isinstance(e, CertificateIssued):
            decided = next((r.event for r in history if isinstance(r.event, CaseDecided)), None)
            term = []
            if decided is not None and decided.term_from and decided.term_until:
                label = "使用期限" if decided.term == "use" else "有效期"
                term = [(label, f"{_zh(decided.term_from)}至{_zh(decided.term_until)}")]
            documents.append(
                make(
                    rec,
                    "certificate",
                    f"《中华人民共和国行政许可法》第三十九条；{permit.legal_basis}",
                    [
                        f"经审核，本建设项目符合国土空间规划和规划管理要求，"
                        f"颁发此{permit.certificate.name}。",
                        "本证是经城乡规划主管部门依法审核，建设项目符合城乡规划要求的法律凭证。",
                        *_conditions_paragraph(e.conditions),
                    ],
                    [
                        ("证书编号", e.certificate_number),
                        ("发证日期", _zh(_date(rec.at, zone))),
                        *term,
                    ],
                    number=e.certificate_number,
                    title=permit.certificate.name,
                )
            )
    return documents
