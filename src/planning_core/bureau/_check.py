"""Checks of a bureau against its workflows: is every step's post held by someone?

A workflow step owned by a post that nobody in the organisation holds would leave a case
stuck the day it reaches that step; :func:`staffing_problems` finds every such step before
the bureau opens, naming the permit type, the step and the post.
"""

from __future__ import annotations

from planning_core.cases import EngineSettings
from planning_core.permits import PermitType
from planning_core.registry import Registry
from planning_core.workflow import Organisation

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
    return [p for p in dict.fromkeys(problems) if p]


def _unstaffed(organisation: Organisation, post: str, where: str) -> str:
    if not organisation.has_post(post):
        return f"{where}: post {post!r} is not in the organisation; add it or fix the code"
    if not organisation.holders(post):
        return f"{where}: nobody holds post {post!r}; give it to someone"
    return ""
