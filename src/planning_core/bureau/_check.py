"""Checks of a bureau against its workflows: is every step's post held by someone?

A workflow step owned by a post that nobody in the organisation holds would leave a case
stuck the day it reaches that step; :func:`staffing_problems` finds every such step before
the bureau opens, naming the permit type, the step and the post. A permit type handled
jointly or centrally whose limit may be extended needs someone with the authority of the
head of the people's government (本级人民政府负责人, 行政许可法 art. 42 para. 2): who that is
is the host's choice, so an organisation without such a post is a problem too.
"""

from __future__ import annotations

from planning_core.cases import EngineSettings
from planning_core.permits import PermitType
from planning_core.registry import Registry
from planning_core.workflow import Authority, Organisation

__all__ = ["staffing_problems"]


def staffing_problems(
    organisation: Organisation, permit_types: Registry[PermitType], settings: EngineSettings
) -> list[str]:
    """Every step, and every post the engine needs, that nobody in ``organisation`` holds."""
    problems = [
        _unstaffed(organisation, post, f"the engine's {role} post")
        for role, post in (
            ("window", settings.window_post),
            ("certificate", settings.certificate_post),
        )
    ]
    for code, permit in permit_types.items():
        for step in permit.workflow.steps:
            if step.post is not None:
                where = f"permit type {code!r}, step {step.id!r} ({step.name})"
                problems.append(_unstaffed(organisation, step.post, where))
        if permit.joint and permit.extension is not None:
            problems.append(_no_government_head(organisation, code))
    return [p for p in dict.fromkeys(problems) if p]


def _unstaffed(organisation: Organisation, post: str, where: str) -> str:
    if not organisation.has_post(post):
        return f"{where}: post {post!r} is not in the organisation; add it or fix the code"
    if not organisation.holders(post):
        return f"{where}: nobody holds post {post!r}; give it to someone"
    return ""


def _no_government_head(organisation: Organisation, code: str) -> str:
    heads = organisation.posts_with(Authority.GOVERNMENT_HEAD)
    if any(organisation.holders(p.code) for p in heads):
        return ""
    return (
        f"permit type {code!r} is handled jointly and may be extended, which the head of the "
        f"people's government (本级人民政府负责人) approves (行政许可法 art. 42 para. 2); "
        f"give a post authority 'government_head' and someone to hold it"
    )
