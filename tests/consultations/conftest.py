"""A bureau that consults three other departments in parallel (征求意见, 并联审批).

The permit type ``PARALLEL``: the window forwards, the construction division reviews, then
the fire brigade (5 working days), civil air defence (5) and the transport bureau (3) are
asked at once; an objection returns the case to the review; the deputy head approves. The
transport bureau's rule on silence is the test's parameter; the other two wait.
"""

from __future__ import annotations

from collections.abc import Iterator

import attrs
import pytest

from planning_core.permits import PermitType
from planning_core.registry import Registry
from planning_core.testing import permit_registry, permit_type_for
from planning_core.workflow import (
    Action,
    Actor,
    Combine,
    Consultee,
    Division,
    Organisation,
    Post,
    Silence,
    WorkflowBuilder,
    WorkflowDefinition,
    consult_step,
    reference_organisation,
)

DEPARTMENTS = (
    ("FIRE", "市消防救援支队", "防火监督科 张科长 0315-1111111", "FIRE_LIAISON", "fire.liaison"),
    ("CIVIL_DEFENCE", "市人防办", "工程科 李工 0315-2222222", "CD_LIAISON", "cd.liaison"),
    ("TRANSPORT", "市交通运输局", "规划科 王工 0315-3333333", "TR_LIAISON", "tr.liaison"),
)


def with_departments(org: Organisation) -> Organisation:
    """The reference bureau and the three departments it consults, each with a liaison."""
    return attrs.evolve(
        org,
        divisions=(
            *org.divisions,
            *(
                Division(code, name, external=True, liaison=who)
                for code, name, who, *_ in DEPARTMENTS
            ),
        ),
        posts=(
            *org.posts,
            *(Post(post, f"{name}联络员", code) for code, name, _, post, _ in DEPARTMENTS),
        ),
        actors=(
            *org.actors,
            *(Actor(actor, f"{name}联络员", (post,)) for _, name, _, post, actor in DEPARTMENTS),
        ),
    )


def parallel_workflow(
    transport: Silence = Silence.DEEMED_CONSENT,
    combine: Combine = Combine.OBJECTION_RETURNS,
) -> WorkflowDefinition:
    """window → review → consult (fire, civil defence, transport) → leader → end."""
    other = Action.RETURN if combine is Combine.OBJECTION_RETURNS else Action.REJECT
    builder = (
        WorkflowBuilder("PARALLEL", 1, "并联审批测试流程")
        .start("start", "开始")
        .task("window", "窗口受理转办", post="WINDOW_CLERK", days=1, actions=[Action.FORWARD])
        .task(
            "review", "承办处室审核", post="CONSTRUCTION_REVIEWER", days=3, actions=[Action.APPROVE]
        )
        .step(
            consult_step(
                "consult",
                "征求相关部门意见",
                post="CONSTRUCTION_REVIEWER",
                departments=[
                    Consultee("FIRE", 5),
                    Consultee("CIVIL_DEFENCE", 5),
                    Consultee("TRANSPORT", 3, transport),
                ],
                silence=Silence.WAIT,
                combine=combine,
            )
        )
        .task(
            "leader",
            "分管副局长审批",
            post="DEPUTY_HEAD",
            days=2,
            actions=[Action.APPROVE, Action.REJECT],
        )
        .end("done", "审查完毕（拟准予许可）")
        .end("denied", "审查完毕（拟不予许可）")
        .flow("start", "window")
        .flow("window", "review")
        .edge("review", "consult", Action.APPROVE)
        .edge("consult", "leader", Action.APPROVE)
        .edge("leader", "done", Action.APPROVE)
        .edge("leader", "denied", Action.REJECT)
    )
    if combine is Combine.OBJECTION_RETURNS:
        builder = builder.back("consult", "review")
    else:
        builder = builder.edge("consult", "denied", other)
    return builder.build()


def parallel_permit(
    transport: Silence = Silence.DEEMED_CONSENT,
    combine: Combine = Combine.OBJECTION_RETURNS,
) -> PermitType:
    return permit_type_for(parallel_workflow(transport, combine), statutory_days=20)


@pytest.fixture
def pc_organisation() -> Organisation:
    return with_departments(reference_organisation())


@pytest.fixture(params=[s.value for s in Silence])
def silence(request: pytest.FixtureRequest) -> Iterator[Silence]:
    yield Silence(request.param)


@pytest.fixture
def pc_permit_types(silence: Silence) -> Registry[PermitType]:
    return permit_registry([parallel_permit(silence)])
