"""Tangshan's parallel approval (并联审批) and its ratings (好差评).

* The departments the city's planning bureau consults on construction projects, each an
  external division of its organisation with its liaison (:data:`DEPARTMENTS`), and the
  construction-project permit under parallel approval (``CONSTRUCTION_PARALLEL``): after
  the construction division's review, fire protection, civil air defence, transport,
  landscaping and cultural relics are asked at once, each with its own working days. Silence
  past the limit counts as consent (逾期未回复视为同意) for all but cultural relics, whose
  opinion the city escalates instead; an objection returns the case for revision.
* The city's receivers: each request for an opinion is written as the 征求意见函 text and
  each rating in the provincial platform's fields, and both are handed to the logger
  ``planning_core_tangshan`` (a host attaches the handler that sends them: the departments'
  mailbox, the provincial 好差评 system), so the plugin holds no connection of its own.

The figures and names are an example city's choices, not quotations of Tangshan's rules.
"""

from __future__ import annotations

import logging
from typing import Any

import attrs

from planning_core.cases import ConsultationRequest
from planning_core.permits import DEFAULT_EXTENSION, STATUTORY_LIMIT, PermitType
from planning_core.timing import TimeLimit
from planning_core.window import RATING_REASONS, Rating
from planning_core.workflow import (
    Action,
    Actor,
    Combine,
    Consultee,
    Division,
    MeetingBody,
    Organisation,
    Post,
    Silence,
    WorkflowBuilder,
    WorkflowDefinition,
    consult_step,
)

__all__ = [
    "DEPARTMENTS",
    "PARALLEL_CONSTRUCTION",
    "opinion_letter",
    "parallel_construction_permit_type",
    "provincial_rating",
    "with_departments",
]

#: The code of the construction-project permit under parallel approval.
PARALLEL_CONSTRUCTION = "CONSTRUCTION_PARALLEL"

#: ``(code, name, liaison, working days, rule on silence)`` of each consulted department.
DEPARTMENTS: tuple[tuple[str, str, str, int, Silence], ...] = (
    ("TS_FIRE", "唐山市消防救援支队", "防火监督处 联络员 0315-0000001", 5, Silence.DEEMED_CONSENT),
    (
        "TS_CIVIL_DEFENCE",
        "唐山市人民防空办公室",
        "工程管理科 联络员 0315-0000002",
        5,
        Silence.DEEMED_CONSENT,
    ),
    ("TS_TRANSPORT", "唐山市交通运输局", "规划科 联络员 0315-0000003", 5, Silence.DEEMED_CONSENT),
    (
        "TS_LANDSCAPE",
        "唐山市城市管理综合行政执法局（园林）",
        "园林绿化科 联络员 0315-0000004",
        3,
        Silence.DEEMED_CONSENT,
    ),
    ("TS_RELICS", "唐山市文物局", "文物保护科 联络员 0315-0000005", 7, Silence.ESCALATE),
)

_log = logging.getLogger("planning_core_tangshan")


def with_departments(organisation: Organisation) -> Organisation:
    """``organisation`` with the consulted departments: each an external division with its
    liaison, a liaison post (``<code>_LIAISON``) and a liaison who holds it, so the
    department answers through ``/api/v1`` as itself."""
    known = {d.code for d in organisation.divisions}
    missing = [d for d in DEPARTMENTS if d[0] not in known]
    return attrs.evolve(
        organisation,
        divisions=(
            *organisation.divisions,
            *(Division(code, name, external=True, liaison=who) for code, name, who, *_ in missing),
        ),
        posts=(
            *organisation.posts,
            *(Post(f"{code}_LIAISON", f"{name}联络员", code) for code, name, *_ in missing),
        ),
        actors=(
            *organisation.actors,
            *(
                Actor(f"{code.lower()}.liaison", f"{name}联络员", (f"{code}_LIAISON",))
                for code, name, *_ in missing
            ),
        ),
    )


def _parallel_workflow() -> WorkflowDefinition:
    a, r, x = Action.APPROVE, Action.RETURN, Action.REJECT
    b = WorkflowBuilder(PARALLEL_CONSTRUCTION, 1, "建设工程规划许可（并联审批）审批流程")
    b.start("start", "收件")
    b.task("accept", "窗口受理", post="WINDOW_CLERK", days=1)
    b.task("review", "建设工程规划管理处审核", post="CONSTRUCTION_REVIEWER", days=3)
    b.step(
        consult_step(
            "consult",
            "征求相关部门意见（并联审批）",
            post="CONSTRUCTION_REVIEWER",
            departments=[Consultee(code, days, rule) for code, _, _, days, rule in DEPARTMENTS],
            combine=Combine.OBJECTION_RETURNS,
        )
    )
    b.meeting(
        "division_meeting",
        "处务会",
        body=MeetingBody.DIVISION_MEETING,
        quorum=3,
        post="CONSTRUCTION_HEAD",
        days=1,
        actions=(a, r),
    )
    b.task("leader", "分管副局长审批", post="DEPUTY_HEAD", days=2, actions=(a, x, r))
    b.end("done", "审查完毕（拟准予许可）")
    b.end("denied", "审查完毕（拟不予许可）")
    b.flow("start", "accept")
    b.edge("accept", "review", a)
    b.edge("review", "consult", a)
    b.edge("consult", "division_meeting", a)
    b.back("consult", "review")
    b.edge("division_meeting", "leader", a)
    b.back("division_meeting", "review")
    b.edge("leader", "done", a)
    b.edge("leader", "denied", x)
    b.back("leader", "review")
    return b.build()


def parallel_construction_permit_type(construction: PermitType) -> PermitType:
    """The construction-project permit under parallel approval: the national type's
    materials and certificate, committed 15 working days, statutory 20 (+10). The worst
    case, with the slowest department's 7 days, is 1 + 3 + 7 + 1 + 2 = 14."""
    return attrs.evolve(
        construction,
        code=PARALLEL_CONSTRUCTION,
        name_zh="建设工程规划许可证（并联审批）",
        name_en="construction project planning permit (parallel approval)",
        statutory_limit=STATUTORY_LIMIT,
        committed_limit=TimeLimit.working_days(15),
        extension=DEFAULT_EXTENSION,
        workflow=_parallel_workflow(),
    )


def opinion_letter(request: ConsultationRequest) -> str:
    """The request as the 征求意见函 the department's liaison receives."""
    silence = {
        "deemed_consent": "逾期未回复的，视为同意",
        "escalate": "逾期未回复的，将提请市政府协调",
        "wait": "请按期回复",
    }.get(request.silence, "请按期回复")
    deadline = f"（{request.deadline}前）" if request.deadline else ""
    again = f"（第{request.round}次征求意见）" if request.round > 1 else ""
    return (
        f"{request.department_name}：{request.applicant}申请的{request.project}"
        f"（案件编号{request.case_number}）需征求贵单位意见{again}，请于{request.days}个工作日内"
        f"{deadline}回复同意、有条件同意或不同意意见，{silence}。联系人：{request.liaison}。"
    )


def provincial_rating(rating: Rating) -> dict[str, Any]:
    """A rating in the fields the provincial 好差评 system takes (an example's choice)."""
    return {
        "bjbh": rating.case_number,
        "sxbm": rating.permit_type,
        "pjdj": rating.score,
        "pjdjmc": rating.score_zh,
        "pjyy": [RATING_REASONS[r] for r in rating.reasons],
        "wzpj": rating.comment,
        "pjsj": rating.rated_at.isoformat(),
        "pjqd": rating.channel,
        "cp": rating.bad,
    }


def send_opinion_request(request: ConsultationRequest) -> None:
    """Hand the 征求意见函 to the logger ``planning_core_tangshan`` (key as extra)."""
    _log.info(opinion_letter(request), extra={"key": request.key, "to": request.liaison})


def forward_rating(rating: Rating) -> None:
    """Hand the rating in the province's fields to the logger ``planning_core_tangshan``."""
    _log.info("好差评 %s", provincial_rating(rating), extra={"key": rating.case_id})
