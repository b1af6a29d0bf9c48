"""Sample definitions for tests: a small permit type with a countersign, and the glue that
lets any workflow definition run on an engine (a permit type and an organisation for it).

The sample permit type ``TEST`` is the one the library's own engine tests run on: short
enough to read in a failure message, yet with every kind of step (a countersign, a division
meeting that may return the case, a leader who may refuse).
"""

from __future__ import annotations

from planning_core.permits import DEFAULT_EXTENSION, CertificateKind, Material, PermitType
from planning_core.timing import TimeLimit
from planning_core.workflow import (
    Action,
    Actor,
    Authority,
    Division,
    MeetingBody,
    Organisation,
    Post,
    WorkflowBuilder,
    WorkflowDefinition,
    worst_case,
)

__all__ = [
    "SAMPLE_CHECKLIST",
    "organisation_for",
    "permit_type_for",
    "sample_permit_type",
    "sample_workflow",
]

#: The answers that confirm every business standard of the sample workflow's review step.
SAMPLE_CHECKLIST: tuple[tuple[str, bool], ...] = (("fits_plan", True), ("conditions", True))

#: The posts an engine needs besides those a workflow names: the window, the certificate
#: clerk, and the leaders who decide and extend.
_ENGINE_POSTS = (
    Post("WINDOW_CLERK", "窗口受理员", "WINDOW"),
    Post("CERTIFICATE_CLERK", "发证员", "WINDOW"),
    Post("DIVISION_HEAD", "处长", "LEADERSHIP", Authority.DIVISION_HEAD),
    Post("DEPUTY_HEAD", "分管副局长", "LEADERSHIP", Authority.DEPUTY_HEAD),
    Post("BUREAU_HEAD", "局长", "LEADERSHIP", Authority.BUREAU_HEAD),
)


def sample_workflow(version: int = 1, join_n: int | None = None) -> WorkflowDefinition:
    """window → review → countersign (land, legal) → division meeting → leader → end.

    :param join_n: make the countersign an N-of-M join (default: all branches).
    """
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


def sample_permit_type(workflow: WorkflowDefinition | None = None) -> PermitType:
    """The sample permit type ``TEST`` (committed 15, statutory 20 working days).

    :param workflow: another version of its workflow (its ``permit_type`` must be ``TEST``).
    """
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


def permit_type_for(
    definition: WorkflowDefinition,
    *,
    statutory_days: int | None = None,
    committed_days: int | None = None,
) -> PermitType:
    """Wrap any workflow definition in a permit type, so an engine can run it.

    The limits default to the definition's worst case (at least 1 working day), so the
    definition fits them exactly; give shorter ones to test what happens when it does not.
    """
    longest = max(worst_case(definition).days, 1)
    statutory = statutory_days if statutory_days is not None else max(longest, 20)
    committed = committed_days if committed_days is not None else min(longest, statutory)
    return PermitType(
        code=definition.permit_type,
        name_zh=definition.name or f"{definition.permit_type}许可",
        name_en=f"{definition.permit_type} permit",
        legal_basis="《城乡规划法》",
        statutory_limit=TimeLimit.working_days(statutory),
        committed_limit=TimeLimit.working_days(committed),
        extension=DEFAULT_EXTENSION,
        materials=(Material("application", "申请表"), Material("site_plan", "总平面图")),
        certificate=CertificateKind("测字", "测试许可证"),
        workflow=definition,
    )


def organisation_for(
    *definitions: WorkflowDefinition, base: Organisation | None = None
) -> Organisation:
    """An organisation that can run ``definitions``: every post they name (as staff posts
    of one division), the window, the certificate clerk and the leaders, each held by one
    person with a readable id (``holder.<POST>``).

    :param base: start from this organisation and add only what it lacks.
    """
    divisions = list(base.divisions) if base else []
    posts = list(base.posts) if base else []
    actors = list(base.actors) if base else []
    known = {p.code for p in posts}
    needed = [p for p in _ENGINE_POSTS if p.code not in known]
    known |= {p.code for p in needed}
    for definition in definitions:
        for step in definition.steps:
            if step.post is not None and step.post not in known:
                needed.append(Post(step.post, step.post, "REVIEW"))
                known.add(step.post)
    have = {d.code for d in divisions}
    for division in (
        Division("WINDOW", "行政审批服务窗口"),
        Division("LEADERSHIP", "局领导"),
        Division("REVIEW", "承办处室"),
    ):
        if division.code not in have and any(p.division == division.code for p in needed):
            divisions.append(division)
    posts += needed
    actors += [Actor(f"holder.{p.code}", f"{p.name}（测试）", (p.code,)) for p in needed]
    return Organisation(divisions, posts, actors)
