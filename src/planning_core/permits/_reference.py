"""The six national planning permits (城乡规划法) with reference workflows.

Each workflow follows the path a municipal bureau uses: window acceptance (窗口受理) →
review by the undertaking division (承办处室审核) → a countersign (会签) by the divisions
a real bureau would consult → division meeting (处务会) → approval by the deputy head
(分管副局长审批), or the bureau meeting (局务会) for a major project. The workflow ends
where the review ends: the decision itself (``Decide``), the written decision of refusal
(不予许可决定书) and the certificate (制证, 发证: ``IssueCertificate``) follow in the
engine, the certificate on its own clock of 10 working days (行政许可法 art. 44), so their
time is not counted against the decision limit here. Step limits use the reference
organisation's posts, and every worst case fits the committed limit
(``planning-core workflow check`` shows it).

The committed limits are examples in the range cities publish; a city replaces a permit
type through ``planning_core_register_permit_types`` to publish its own.
"""

from __future__ import annotations

from collections.abc import Sequence

import attrs

from planning_core.permits._model import (
    DEFAULT_EXTENSION,
    STATUTORY_LIMIT,
    CertificateKind,
    Material,
    PermitType,
)
from planning_core.timing import TimeLimit
from planning_core.workflow import Action, MeetingBody, WorkflowBuilder

__all__ = ["reference_permit_types"]

_A, _R, _X = Action.APPROVE, Action.RETURN, Action.REJECT


@attrs.frozen
class _Countersign:
    """One branch of a countersign: a division's opinion on one question."""

    id: str
    name: str
    post: str
    days: int
    points: tuple[tuple[str, str], ...]


@attrs.frozen
class _Plan:
    """The parameters that make one permit type's workflow differ from the others'."""

    code: str
    title: str
    reviewer: str
    review_days: int
    review_points: tuple[tuple[str, str], ...]
    head: str
    countersigns: tuple[_Countersign, ...] = ()
    meeting_days: int = 2
    bureau_meeting: bool = True


_ACCEPT_POINTS = (
    ("materials_complete", "申请材料齐全、符合法定形式，缺件已一次告知补正"),
    ("applicant_identity", "申请人身份证明与申请表一致"),
)
_MEETING_POINTS = (("collective_opinion", "处务会集体研究形成明确意见，会议纪要已记录"),)
_LEADER_POINTS = (("within_authority", "审批事项在分管权限内，处室意见明确"),)
_BUREAU_POINTS = (("collective_decision", "重大事项经局务会集体讨论决定，会议纪要已记录"),)


def _workflow(plan: _Plan) -> WorkflowBuilder:
    b = WorkflowBuilder(plan.code, version=1, name=plan.title)
    b.start("start", "收件")
    b.task("accept", "窗口受理", post="WINDOW_CLERK", days=1, standards=_ACCEPT_POINTS)
    b.task(
        "review",
        "承办处室审核",
        post=plan.reviewer,
        days=plan.review_days,
        standards=plan.review_points,
    )
    b.flow("start", "accept")
    b.edge("accept", "review", _A)
    _countersign(b, plan.countersigns)
    b.meeting(
        "division_meeting",
        "处务会",
        body=MeetingBody.DIVISION_MEETING,
        quorum=3,
        post=plan.head,
        days=plan.meeting_days,
        actions=(_A, _R),
        standards=_MEETING_POINTS,
    )
    if plan.countersigns:
        b.edge("countersign_done", "division_meeting")
    else:
        b.edge("review", "division_meeting", _A)
    b.back("division_meeting", "review")
    _decision(b, plan.bureau_meeting)
    b.end("done", "审查完毕（拟准予许可）")
    b.end("denied", "审查完毕（拟不予许可）")
    return b


def _countersign(b: WorkflowBuilder, branches: Sequence[_Countersign]) -> None:
    if not branches:
        return
    b.split("countersign", "会签")
    b.edge("review", "countersign", _A)
    for branch in branches:
        b.task(branch.id, branch.name, post=branch.post, days=branch.days, standards=branch.points)
        b.edge("countersign", branch.id)
    b.join("countersign_done", "会签汇总", split="countersign")
    for branch in branches:
        b.edge(branch.id, "countersign_done", _A)


def _decision(b: WorkflowBuilder, bureau_meeting: bool) -> None:
    b.task(
        "leader",
        "分管副局长审批",
        post="DEPUTY_HEAD",
        days=2,
        actions=(_A, _X, _R),
        standards=_LEADER_POINTS,
    )
    if bureau_meeting:
        b.meeting(
            "bureau_meeting",
            "局务会",
            body=MeetingBody.BUREAU_MEETING,
            quorum=5,
            post="BUREAU_HEAD",
            days=3,
            actions=(_A, _X, _R),
            standards=_BUREAU_POINTS,
        )
        b.edge("division_meeting", "bureau_meeting", _A, condition="major_project")
        b.edge("bureau_meeting", "done", _A)
        b.edge("bureau_meeting", "denied", _X)
        b.back("bureau_meeting", "review")
    b.edge("division_meeting", "leader", _A)
    b.edge("leader", "done", _A)
    b.edge("leader", "denied", _X)
    b.back("leader", "review")


_PLANNING = _Countersign(
    "cs_planning",
    "规划编制处会签",
    "PLANNING_REVIEWER",
    3,
    (("plan_conformity", "项目符合总体规划和控制性详细规划"),),
)
_LEGAL = _Countersign(
    "cs_legal",
    "法规处会签",
    "LEGAL_REVIEWER",
    2,
    (("legal_basis", "许可的法律依据、程序和文书合法"),),
)
_SUPERVISION = _Countersign(
    "cs_supervision",
    "规划监察处现场踏勘",
    "SUPERVISION_INSPECTOR",
    3,
    (("site_checked", "现场踏勘情况与申报一致，无违法建设"),),
)


def _site_selection() -> PermitType:
    plan = _Plan(
        "SITE_SELECTION",
        "选址意见书审批流程",
        "LAND_REVIEWER",
        4,
        (
            ("project_approved", "项目已依法批准、核准或备案，属划拨用地"),
            ("site_conforms", "选址符合国土空间规划和城乡规划"),
        ),
        "LAND_HEAD",
        (_PLANNING, _SUPERVISION),
    )
    return PermitType(
        code="SITE_SELECTION",
        name_zh="选址意见书",
        name_en="site selection opinion",
        legal_basis="《城乡规划法》第三十六条",
        statutory_limit=STATUTORY_LIMIT,
        committed_limit=TimeLimit.working_days(15),
        extension=DEFAULT_EXTENSION,
        materials=(
            Material("application", "建设项目选址申请表"),
            Material("project_approval", "项目批准、核准或备案文件"),
            Material("site_sketch", "拟选址位置示意图（1:500或1:1000地形图）"),
            Material("feasibility", "项目可行性研究报告或项目建议书"),
            Material("agency_letter", "授权委托书（委托代理时）", required=False),
        ),
        certificate=CertificateKind("选字", "建设项目用地预审与选址意见书"),
        workflow=_workflow(plan).build(),
        # 自然资规〔2019〕2号: 用地预审与选址意见书有效期为三年，自批准之日起计算
        validity_years=3,
        # a case with a township counts as that township's 选址意见书 (rural progress)
        township_matter="site_selection_opinion",
    )


def _land_use() -> PermitType:
    plan = _Plan(
        "LAND_USE",
        "建设用地规划许可证审批流程",
        "LAND_REVIEWER",
        4,
        (
            ("conditions_met", "用地位置、面积、范围符合规划条件"),
            ("land_documents", "划拨决定书或国有土地使用权出让合同已附"),
        ),
        "LAND_HEAD",
        (_PLANNING, _LEGAL),
    )
    return PermitType(
        code="LAND_USE",
        name_zh="建设用地规划许可证",
        name_en="construction land use planning permit",
        legal_basis="《城乡规划法》第三十七条、第三十八条",
        statutory_limit=STATUTORY_LIMIT,
        committed_limit=TimeLimit.working_days(15),
        extension=DEFAULT_EXTENSION,
        materials=(
            Material("application", "建设用地规划许可申请表"),
            Material("land_contract", "国有土地使用权出让合同或划拨决定书"),
            Material("planning_conditions", "规划条件"),
            Material("boundary_map", "用地红线图及1:500地形图"),
            Material("agency_letter", "授权委托书（委托代理时）", required=False),
        ),
        certificate=CertificateKind("地字", "建设用地规划许可证"),
        workflow=_workflow(plan).build(),
        township_matter="land_use_permit",
    )


def _construction() -> PermitType:
    plan = _Plan(
        "CONSTRUCTION",
        "建设工程规划许可证审批流程",
        "CONSTRUCTION_REVIEWER",
        4,
        (
            ("plan_conformity", "建设工程设计方案符合控制性详细规划和规划条件"),
            ("site_plan_indicators", "总平面图的退线、间距、高度、容积率、绿地率符合要求"),
            ("site_plan_published", "经审定的总平面图已依法予以公布"),
            ("land_permit", "已取得建设用地规划许可证和土地使用权证明"),
        ),
        "CONSTRUCTION_HEAD",
        (_PLANNING, _LEGAL),
    )
    return PermitType(
        code="CONSTRUCTION",
        name_zh="建设工程规划许可证",
        name_en="construction project planning permit",
        legal_basis="《城乡规划法》第四十条",
        statutory_limit=STATUTORY_LIMIT,
        committed_limit=TimeLimit.working_days(15),
        extension=DEFAULT_EXTENSION,
        materials=(
            Material("application", "建设工程规划许可申请表"),
            Material("land_documents", "土地使用权证明文件"),
            Material("land_permit", "建设用地规划许可证"),
            Material("design_scheme", "建设工程设计方案及总平面图"),
            Material("construction_drawings", "建筑施工图（平、立、剖面图）"),
            Material("agency_letter", "授权委托书（委托代理时）", required=False),
        ),
        certificate=CertificateKind("建字", "建设工程规划许可证"),
        workflow=_workflow(plan).build(),
    )


def _rural() -> PermitType:
    plan = _Plan(
        "RURAL_CONSTRUCTION",
        "乡村建设规划许可证审批流程",
        "RURAL_REVIEWER",
        3,
        (
            ("township_opinion", "乡、镇人民政府已签署审查意见"),
            ("village_plan", "建设位置和规模符合乡规划、村庄规划"),
            ("farmland", "不占用农用地，或已办理农用地转用审批"),
        ),
        "RURAL_HEAD",
        meeting_days=1,
    )
    return PermitType(
        code="RURAL_CONSTRUCTION",
        name_zh="乡村建设规划许可证",
        name_en="rural construction planning permit",
        legal_basis="《城乡规划法》第四十一条",
        statutory_limit=STATUTORY_LIMIT,
        committed_limit=TimeLimit.working_days(10),
        extension=DEFAULT_EXTENSION,
        materials=(
            Material("application", "乡村建设规划许可申请表"),
            Material("township_opinion", "乡、镇人民政府审查意见"),
            Material("site_plan", "建设项目位置图及总平面示意图"),
            Material("village_consent", "村民委员会意见", required=False),
        ),
        certificate=CertificateKind("乡字", "乡村建设规划许可证"),
        workflow=_workflow(plan).build(),
        # The township's preliminary review (行政许可法 art. 43) is opt-in: the reference
        # application brings the township's opinion as a material, so the bureau accepts
        # it directly. A city whose townships forward applications sets
        # preliminary_review=TimeLimit.working_days(20) in its plugin.
        preliminary_review=None,
        township_matter="rural_construction_permit",
    )


def _temporary() -> PermitType:
    supervision = attrs.evolve(_SUPERVISION, days=2)
    plan = _Plan(
        "TEMPORARY_CONSTRUCTION",
        "临时建设工程规划许可审批流程",
        "CONSTRUCTION_REVIEWER",
        2,
        (
            ("use_period", "使用期限明确，一般不超过两年，期满自行拆除"),
            ("no_plan_conflict", "不影响近期建设规划、控制性详细规划的实施"),
        ),
        "CONSTRUCTION_HEAD",
        (supervision, _LEGAL),
        meeting_days=1,
        bureau_meeting=False,
    )
    return PermitType(
        code="TEMPORARY_CONSTRUCTION",
        name_zh="临时建设工程规划许可",
        name_en="temporary construction project planning permit",
        legal_basis="《城乡规划法》第四十四条",
        statutory_limit=STATUTORY_LIMIT,
        committed_limit=TimeLimit.working_days(10),
        extension=DEFAULT_EXTENSION,
        materials=(
            Material("application", "临时建设工程规划许可申请表"),
            Material("land_consent", "土地权属证明或土地使用权人同意临时使用的证明"),
            Material("removal_pledge", "到期自行拆除承诺书"),
            Material("site_plan", "临时建设总平面图"),
        ),
        certificate=CertificateKind("临建字", "临时建设工程规划许可证"),
        workflow=_workflow(plan).build(),
        # 城乡规划法 art. 44 and the provincial rules: a temporary building is approved for
        # a period of use of at most two years (使用期限一般不超过两年)
        use_period_years=2,
    )


def _verification() -> PermitType:
    land = _Countersign(
        "cs_land",
        "用地规划处会签",
        "LAND_REVIEWER",
        2,
        (("boundary_kept", "建设工程未超出用地红线"),),
    )
    site = attrs.evolve(
        _SUPERVISION,
        name="规划监察处现场核实",
        points=(("as_permitted", "现场建设与建设工程规划许可证及附图一致"),),
    )
    plan = _Plan(
        "VERIFICATION",
        "规划条件核实审批流程",
        "CONSTRUCTION_REVIEWER",
        4,
        (
            ("survey_report", "竣工规划测量成果与许可内容一致"),
            ("conditions_kept", "各项规划条件已落实"),
        ),
        "CONSTRUCTION_HEAD",
        (site, land),
    )
    return PermitType(
        code="VERIFICATION",
        name_zh="规划条件核实",
        name_en="planning conditions verification",
        legal_basis="《城乡规划法》第四十五条",
        statutory_limit=STATUTORY_LIMIT,
        committed_limit=TimeLimit.working_days(15),
        extension=DEFAULT_EXTENSION,
        materials=(
            Material("application", "规划条件核实申请表"),
            Material("construction_permit", "建设工程规划许可证及附图"),
            Material("survey_report", "竣工规划测量成果报告"),
            Material("photos", "竣工现场照片"),
        ),
        certificate=CertificateKind("核字", "建设工程规划核实确认书"),
        workflow=_workflow(plan).build(),
    )


def reference_permit_types() -> tuple[PermitType, ...]:
    """The six national permit types, in the order an applicant meets them."""
    return (
        _site_selection(),
        _land_use(),
        _construction(),
        _rural(),
        _temporary(),
        _verification(),
    )
