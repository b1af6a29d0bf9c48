"""Tangshan's permit types: a local one, and a national one with a shorter committed limit.

* 农村新民居建设规划许可 (``RURAL_NEW_RESIDENCE``): the permit the city's opinion on rural
  new residences (农村新民居) implies. The villager applies through the township (its
  opinion is a material, as 城乡规划法 art. 41 has the township receive the application),
  the rural division reviews, the land division and the inspectors countersign after a
  site visit, the division meeting and the deputy head decide. It is a township matter
  (``township_matter="rural_construction_permit"``): its decided cases count in the rural
  progress report and the annual summary as the township's 乡村建设规划许可证.
* 建设工程规划许可证 (``CONSTRUCTION``): the national reference type, but published with a
  committed limit of 10 working days instead of 15. A committed limit is a promise the
  workflow must be able to keep, so the review, countersign and division-meeting posts get
  shorter limits too (version 2 of the workflow), and the statutory check proves that the
  worst case fits.

The figures are an example city's choices, not quotations of Tangshan's published table;
a real bureau puts its own here.
"""

from __future__ import annotations

from collections.abc import Mapping

import attrs

from planning_core.errors import ValidationError
from planning_core.permits import (
    DEFAULT_EXTENSION,
    STATUTORY_LIMIT,
    CertificateKind,
    Material,
    PermitType,
)
from planning_core.timing import TimeLimit
from planning_core.workflow import Action, MeetingBody, WorkflowBuilder, WorkflowDefinition

__all__ = [
    "CONSTRUCTION_COMMITTED_DAYS",
    "CONSTRUCTION_STEP_DAYS",
    "NEW_RESIDENCE",
    "new_residence_permit_type",
    "tangshan_construction",
    "with_step_days",
]

#: The code of the rural new-residence permit.
NEW_RESIDENCE = "RURAL_NEW_RESIDENCE"
#: The committed limit Tangshan publishes for the construction-project permit.
CONSTRUCTION_COMMITTED_DAYS = 10
#: The shortened step limits (working days) that let the construction workflow keep it.
CONSTRUCTION_STEP_DAYS: Mapping[str, int] = {
    "review": 3,
    "cs_planning": 2,
    "division_meeting": 1,
}

_A, _R, _X = Action.APPROVE, Action.RETURN, Action.REJECT


def with_step_days(
    definition: WorkflowDefinition, days: Mapping[str, int], *, version: int
) -> WorkflowDefinition:
    """A new version of ``definition`` whose steps ``days`` names take those working days.

    Cases keep the version they started on, so a changed limit is a new version.

    :raises ValidationError: naming every step id that is not in the definition.
    """
    known = {step.id for step in definition.steps}
    unknown = sorted(set(days) - known)
    if unknown:
        raise ValidationError(
            f"workflow {definition.permit_type!r} has no step(s) {', '.join(unknown)}; "
            f"its steps are {', '.join(sorted(known))}",
            [f"unknown step {step_id!r}" for step_id in unknown],
        )
    steps = tuple(
        attrs.evolve(step, time_limit=TimeLimit.working_days(days[step.id]))
        if step.id in days
        else step
        for step in definition.steps
    )
    return WorkflowDefinition(
        definition.permit_type, version, steps, definition.edges, definition.name
    )


def tangshan_construction(reference: PermitType) -> PermitType:
    """The construction-project permit as Tangshan publishes it: committed 10 working
    days, on version ``reference.workflow.version + 1`` of the workflow with the posts'
    shorter limits (:data:`CONSTRUCTION_STEP_DAYS`)."""
    workflow = with_step_days(
        reference.workflow, CONSTRUCTION_STEP_DAYS, version=reference.workflow.version + 1
    )
    return attrs.evolve(
        reference,
        committed_limit=TimeLimit.working_days(CONSTRUCTION_COMMITTED_DAYS),
        workflow=workflow,
    )


_REVIEW_POINTS = (
    ("village_plan", "建设位置符合村庄规划和农村新民居建设规划"),
    ("one_household", "符合一户一宅，申请人无其他宅基地"),
    ("homestead_area", "宅基地面积和建筑层数、高度符合本市标准"),
    ("design", "采用农村新民居通用图集或经审查的设计图"),
)
_ACCEPT_POINTS = (("materials_complete", "申请材料齐全，乡镇审查意见已签署，缺件已一次告知补正"),)


def _new_residence_workflow() -> WorkflowDefinition:
    b = WorkflowBuilder(NEW_RESIDENCE, 1, "农村新民居建设规划许可审批流程")
    b.start("start", "收件（乡镇转报）")
    b.task("accept", "窗口受理", post="WINDOW_CLERK", days=1, standards=_ACCEPT_POINTS)
    b.task("review", "村镇规划处审核", post="RURAL_REVIEWER", days=2, standards=_REVIEW_POINTS)
    b.split("countersign", "会签")
    b.task(
        "cs_land",
        "用地规划处会签",
        post="LAND_REVIEWER",
        days=2,
        standards=[("no_farmland", "不占用基本农田，农用地已办理转用")],
    )
    b.task(
        "cs_site",
        "规划监察处现场踏勘",
        post="SUPERVISION_INSPECTOR",
        days=2,
        standards=[("site_checked", "现场放线位置与申报一致，无违法建设")],
    )
    b.join("countersign_done", "会签汇总", split="countersign")
    b.meeting(
        "division_meeting",
        "处务会",
        body=MeetingBody.DIVISION_MEETING,
        quorum=3,
        post="RURAL_HEAD",
        days=1,
        actions=(_A, _R),
    )
    b.task("leader", "分管副局长审批", post="DEPUTY_HEAD", days=1, actions=(_A, _X, _R))
    b.end("done", "审查完毕（拟准予许可）")
    b.end("denied", "审查完毕（拟不予许可）")
    b.flow("start", "accept")
    b.edge("accept", "review", _A)
    b.edge("review", "countersign", _A)
    b.fan_out("countersign", "cs_land", "cs_site")
    b.edge("cs_land", "countersign_done", _A)
    b.edge("cs_site", "countersign_done", _A)
    b.flow("countersign_done", "division_meeting")
    b.edge("division_meeting", "leader", _A)
    b.back("division_meeting", "review")
    b.edge("leader", "done", _A)
    b.edge("leader", "denied", _X)
    b.back("leader", "review")
    return b.build()


def new_residence_permit_type() -> PermitType:
    """农村新民居建设规划许可: committed 8 working days, statutory 20 (+10)."""
    return PermitType(
        code=NEW_RESIDENCE,
        name_zh="农村新民居建设规划许可",
        name_en="rural new-residence construction planning permit",
        legal_basis="《城乡规划法》第四十一条；市政府关于推进农村新民居建设的实施意见",
        statutory_limit=STATUTORY_LIMIT,
        committed_limit=TimeLimit.working_days(8),
        extension=DEFAULT_EXTENSION,
        materials=(
            Material("application", "农村新民居建设规划许可申请表"),
            Material("township_opinion", "乡、镇人民政府审查意见"),
            Material("village_consent", "村民委员会同意意见及公示情况"),
            Material("homestead", "宅基地批准文件或村集体经济组织用地证明"),
            Material("house_design", "住宅设计图（农村新民居通用图集选型或设计图）"),
            Material("agency_letter", "授权委托书（委托代理时）", required=False),
        ),
        certificate=CertificateKind("乡字", "乡村建设规划许可证（农村新民居）"),
        workflow=_new_residence_workflow(),
        # it issues a 乡村建设规划许可证: the rural programme counts each decided case as
        # that matter of its township, beside the national RURAL_CONSTRUCTION cases
        township_matter="rural_construction_permit",
    )
