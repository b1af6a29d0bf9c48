"""A small bureau for the engine's tests: its own permit type with a countersign.

Imported by test modules as ``from _support.engine import …`` (tests/ is on pytest's path).
"""

from __future__ import annotations

from collections.abc import Callable

import pendulum

from planning_core import open_store
from planning_core.cases import (
    Accept,
    Claim,
    Complete,
    Decide,
    Engine,
    EngineSettings,
    Outcome,
    RecordMeetingDecision,
    Submit,
)
from planning_core.permits import CertificateKind, Material, PermitType
from planning_core.plugins import Hooks, make_hooks
from planning_core.registry import Registry
from planning_core.timing import TimeLimit
from planning_core.workflow import (
    Action,
    Actor,
    MeetingBody,
    WorkflowBuilder,
    WorkflowDefinition,
    reference_organisation,
)

TZ = "Asia/Shanghai"


def at(text: str) -> pendulum.DateTime:
    """An instant in the bureau's zone: ``at("2026-03-02 09:00")``."""
    return pendulum.parse(text, tz=TZ)  # type: ignore[return-value]


def sample_workflow(version: int = 1, join_n: int | None = None) -> WorkflowDefinition:
    """window → review → countersign (land, legal) → division meeting → leader → end."""
    return (
        WorkflowBuilder("TEST", version, "测试许可审批流程")
        .start("start", "开始")
        .task("window", "窗口受理转办", post="WINDOW_CLERK", days=1, actions=[Action.FORWARD])
        .task(
            "review",
            "承办处室审核",
            post="CONSTRUCTION_REVIEWER",
            days=5,
            actions=[Action.APPROVE],
            standards=[("fits_plan", "符合控制性详细规划"), ("conditions", "符合规划条件")],
        )
        .split("countersign", "会签")
        .task("land", "用地处会签", post="LAND_REVIEWER", days=3, actions=[Action.APPROVE])
        .task("legal", "法规处会签", post="LEGAL_REVIEWER", days=3, actions=[Action.APPROVE])
        .join("joined", "会签汇总", split="countersign", n=join_n)
        .meeting(
            "meeting",
            "处务会",
            body=MeetingBody.DIVISION_MEETING,
            quorum=3,
            post="CONSTRUCTION_HEAD",
            days=2,
            actions=[Action.APPROVE, Action.RETURN],
        )
        .task(
            "leader",
            "分管局长审批",
            post="DEPUTY_HEAD",
            days=3,
            actions=[Action.APPROVE, Action.REJECT],
        )
        .end("done", "办结")
        .end("rejected", "不予许可")
        .flow("start", "window")
        .flow("window", "review", action=Action.FORWARD)
        .edge("review", "countersign", Action.APPROVE)
        .fan_out("countersign", "land", "legal")
        .edge("land", "joined", Action.APPROVE)
        .edge("legal", "joined", Action.APPROVE)
        .flow("joined", "meeting")
        .edge("meeting", "leader", Action.APPROVE)
        .back("meeting", "review")
        .edge("leader", "done", Action.APPROVE)
        .edge("leader", "rejected", Action.REJECT)
        .build()
    )


def sample_permit(workflow: WorkflowDefinition | None = None) -> PermitType:
    return PermitType(
        code="TEST",
        name_zh="测试规划许可证",
        name_en="test planning permit",
        legal_basis="《中华人民共和国城乡规划法》第四十条",
        statutory_limit=TimeLimit.working_days(20),
        committed_limit=TimeLimit.working_days(15),
        extension=TimeLimit.working_days(10),
        materials=(Material("application", "申请表"), Material("site_plan", "总平面图")),
        certificate=CertificateKind("建字", "建设工程规划许可证"),
        workflow=workflow or sample_workflow(),
    )


ORG = reference_organisation()
WINDOW = ORG.actor("zhang.min")
CERT = ORG.actor("liu.yang")
REVIEWER = ORG.actor("wang.jianguo")
DIVISION_HEAD = ORG.actor("li.hua")
LAND = ORG.actor("zhao.lei")
LEGAL = ORG.actor("wu.tao")
DEPUTY = ORG.actor("ma.zhi")
HEAD = ORG.actor("gao.ming")
CHECKLIST = (("fits_plan", True), ("conditions", True))


def make_engine(
    store_url: str = "memory://",
    hooks: Hooks | None = None,
    permit: PermitType | None = None,
    settings: EngineSettings | None = None,
) -> Engine:
    hooks = hooks or make_hooks(entry_points=False)
    permits: Registry[PermitType] = Registry("permit type")
    permits.add("TEST", permit or sample_permit())
    return Engine(
        open_store(store_url, hooks), ORG, hooks=hooks, permit_types=permits, settings=settings
    )


def submit(engine: Engine, case_id: str = "c1", when: str = "2026-03-02 09:00") -> None:
    engine.execute(
        Submit(
            case_id, "TEST", "唐山市某置业有限公司", "某小区住宅楼", ("application", "site_plan")
        ),
        WINDOW,
        at(when),
    )


def run_to_decision(
    engine: Engine, case_id: str = "c1", start: str = "2026-03-02 09:00"
) -> pendulum.DateTime:
    """Submit and accept on ``start``, then walk every step on following days."""
    submit(engine, case_id, start)
    t = at(start).add(hours=1)
    engine.execute(Accept(case_id), WINDOW, t)
    step: list[tuple[Actor, Callable[[], object]]] = [
        (WINDOW, lambda: Complete(case_id, "window", "FORWARD")),
        (REVIEWER, lambda: Complete(case_id, "review", "APPROVE", "同意", CHECKLIST)),
        (LAND, lambda: Complete(case_id, "land", "APPROVE")),
        (LEGAL, lambda: Complete(case_id, "legal", "APPROVE")),
        (
            DIVISION_HEAD,
            lambda: RecordMeetingDecision(
                case_id, "meeting", t.date(), ("李华", "王建国", "赵磊"), "同意上报", "APPROVE"
            ),
        ),
        (DEPUTY, lambda: Complete(case_id, "leader", "APPROVE", "同意")),
    ]
    for actor, make in step:
        t = t.add(hours=1)
        engine.execute(make(), actor, t)  # type: ignore[arg-type]
    return t


__all__ = [
    "CERT",
    "CHECKLIST",
    "DEPUTY",
    "DIVISION_HEAD",
    "HEAD",
    "LAND",
    "LEGAL",
    "REVIEWER",
    "WINDOW",
    "Claim",
    "Decide",
    "Outcome",
    "at",
    "make_engine",
    "run_to_decision",
    "sample_permit",
    "sample_workflow",
    "submit",
]
