"""Rule changes a bureau may want to try on last year's cases before adopting them.

Each change says how a recorded event would have read under the new rule, or which light
policy would have judged the clocks:

* :class:`PostLimit`: every step of a post gets a new time limit (``StepActivated.limit``);
* :class:`CommittedLimit`: a permit type's committed limit (``CaseAccepted.committed``);
* :class:`WorkflowVersion`: a permit type's steps take their limits from another workflow
  version, step by step id (a step the version lacks keeps its recorded limit: the replay
  cannot invent how people would have worked through steps that did not exist);
* :class:`LightPolicyChange`: another light policy, for one permit type or all.

A change file is JSON: one change object or a list of them, each with a ``kind``::

    [{"kind": "post_limit", "post": "CONSTRUCTION_REVIEWER", "limit": "3个工作日"},
     {"kind": "committed_limit", "permit_type": "CONSTRUCTION", "limit": "8 working days"},
     {"kind": "workflow_version", "permit_type": "CONSTRUCTION", "version": 2},
     {"kind": "workflow_version", "permit_type": "CONSTRUCTION", "definition": "v3.json"},
     {"kind": "light_policy", "policy": "share", "share": "1/4", "at_least": 2},
     {"kind": "light_policy", "policy": "threshold", "yellow_within": 1},
     {"kind": "light_policy", "policy": "three_level", "remind_within": 3,
      "follow_up_days": 5, "permit_type": "LAND_USE"}]
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, TypeAlias

import attrs

from planning_core.cases import Engine
from planning_core.errors import PlanningError, ValidationError
from planning_core.inputs import load_json, read_text
from planning_core.timing import (
    LightPolicy,
    ShareThresholdPolicy,
    ThreeLevelPolicy,
    ThresholdPolicy,
    TimeLimit,
)
from planning_core.workflow import WorkflowDefinition, read_definition

__all__ = [
    "CommittedLimit",
    "LightPolicyChange",
    "PostLimit",
    "RuleChange",
    "WorkflowVersion",
    "describe",
    "parse_changes",
    "read_changes",
]


@attrs.frozen
class PostLimit:
    """Every step owned by ``post`` is given ``limit``."""

    post: str
    limit: TimeLimit

    def step_limit(
        self, permit_type: str, step_id: str, post: str | None, limit: TimeLimit | None
    ) -> TimeLimit | None:
        """The limit the step would have had."""
        return self.limit if post == self.post and limit is not None else limit


@attrs.frozen
class CommittedLimit:
    """Cases of ``permit_type`` are accepted with the committed limit ``limit``."""

    permit_type: str
    limit: TimeLimit


@attrs.frozen
class WorkflowVersion:
    """Steps of ``permit_type`` take their limits from ``definition`` (by step id)."""

    permit_type: str
    definition: WorkflowDefinition

    def step_limit(
        self, permit_type: str, step_id: str, post: str | None, limit: TimeLimit | None
    ) -> TimeLimit | None:
        """The limit the step would have had (its recorded one when the version lacks it)."""
        if permit_type != self.permit_type or not self.definition.has_step(step_id):
            return limit
        return self.definition.step(step_id).time_limit


@attrs.frozen
class LightPolicyChange:
    """Clocks are judged by ``policy`` (for ``permit_type`` only, or for every type)."""

    policy: LightPolicy
    permit_type: str | None = None


RuleChange: TypeAlias = PostLimit | CommittedLimit | WorkflowVersion | LightPolicyChange


def describe(change: RuleChange, engine: Engine) -> str:
    """The change in the words of a meeting's minutes, with the bureau's names."""
    if isinstance(change, PostLimit):
        post = change.post
        name = engine.organisation.post(post).name if engine.organisation.has_post(post) else post
        return f"{name}岗位的办理时限改为{change.limit.zh}"
    if isinstance(change, CommittedLimit):
        return f"{_permit_name(change.permit_type, engine)}的承诺时限改为{change.limit.zh}"
    if isinstance(change, WorkflowVersion):
        name = _permit_name(change.permit_type, engine)
        return f"{name}按第{change.definition.version}版流程的环节时限计时"
    where = _permit_name(change.permit_type, engine) if change.permit_type else ""
    return f"{where}亮灯规则改为{_policy_zh(change.policy)}"


def _permit_name(code: str, engine: Engine) -> str:
    return engine.permit_types.get(code).name_zh if code in engine.permit_types else code


def _policy_zh(policy: LightPolicy) -> str:
    if isinstance(policy, ShareThresholdPolicy):
        return (
            f"剩余时限不超过总时限的{policy.share}（至少{policy.at_least}个工作日）亮黄灯、"
            f"超期亮红灯"
        )
    if isinstance(policy, ThresholdPolicy):
        return f"剩余{policy.yellow_within}个工作日亮黄灯、超期亮红灯"
    if isinstance(policy, ThreeLevelPolicy):
        return (
            f"剩余{policy.remind_within}个工作日预警、超期亮黄牌、"
            f"超期{policy.follow_up_days}个工作日仍未办结亮红牌"
        )
    return repr(policy)


def read_changes(path: Path, engine: Engine) -> list[RuleChange]:
    """The changes in the JSON file ``path`` (a workflow ``definition`` path is relative to it),
    read through :mod:`planning_core.inputs` (UTF-8, one object or a list).

    :raises ValidationError: listing every problem in the file; nothing is replayed then.
    """
    what = f"the change file {path}"
    data = load_json(read_text(path, what), what, expect=(dict, list))
    return parse_changes(data, engine, base=path.parent)


def parse_changes(data: Any, engine: Engine, base: Path | None = None) -> list[RuleChange]:
    """Changes from JSON data: one change object or a list of them.

    :param engine: knows the permit types, posts and registered workflow versions.
    :raises ValidationError: listing every problem, each with its position in the list.
    """
    items = data if isinstance(data, list) else [data]
    changes: list[RuleChange] = []
    problems: list[str] = []
    if not items:
        problems.append("the change file lists no change; give at least one")
    for index, item in enumerate(items):
        where = f"change {index + 1}"
        if not isinstance(item, dict):
            problems.append(f"{where}: must be an object with a 'kind', not {item!r}")
            continue
        parse = _PARSERS.get(str(item.get("kind")))
        if parse is None:
            problems.append(
                f"{where}: unknown kind {item.get('kind')!r}; use one of {', '.join(_PARSERS)}"
            )
            continue
        try:
            changes.append(parse(item, engine, base))
        except PlanningError as exc:
            details = getattr(exc, "problems", None) or []
            problems.append(f"{where} ({item['kind']}): {exc}")
            problems.extend(f"{where}: {p}" for p in details)
    if problems:
        raise ValidationError(
            f"the what-if change has {len(problems)} problem(s); fix each one below", problems
        )
    return changes


def _limit(item: Mapping[str, Any]) -> TimeLimit:
    value = item.get("limit")
    if isinstance(value, int) and not isinstance(value, bool):
        return TimeLimit.working_days(value)
    if isinstance(value, str):
        return TimeLimit.parse(value)
    raise ValidationError(
        f"'limit' must be a number of working days or text such as '3个工作日', not {value!r}"
    )


def _text(item: Mapping[str, Any], key: str) -> str:
    value = item.get(key)
    if not isinstance(value, str) or not value:
        raise ValidationError(f"{key!r} must be a non-empty text, not {value!r}")
    return value


def _permit_type(item: Mapping[str, Any], engine: Engine) -> str:
    code = _text(item, "permit_type")
    engine.permit_type(code)  # an unknown code names the known ones
    return code


def _post_limit(item: Mapping[str, Any], engine: Engine, base: Path | None) -> RuleChange:
    post = _text(item, "post")
    engine.organisation.post(post)  # an unknown post is an error, not an empty replay
    limit = _limit(item)
    if limit.days == 0:
        raise ValidationError("a post's limit of 0 days would make every step late; give >= 1")
    return PostLimit(post, limit)


def _committed_limit(item: Mapping[str, Any], engine: Engine, base: Path | None) -> RuleChange:
    code = _permit_type(item, engine)
    limit = _limit(item)
    statutory = engine.permit_type(code).statutory_limit
    if limit.days == 0 or limit.days > statutory.days:
        raise ValidationError(
            f"a committed limit of {limit.zh} is not allowed for {code}; give 1 to "
            f"{statutory.days} working days (the statutory limit)"
        )
    return CommittedLimit(code, limit)


def _workflow_version(item: Mapping[str, Any], engine: Engine, base: Path | None) -> RuleChange:
    code = _permit_type(item, engine)
    if "definition" in item:
        path = Path(_text(item, "definition"))
        definition = read_definition(path if base is None else base / path)
        if definition.permit_type != code:
            raise ValidationError(
                f"the definition {path} is for {definition.permit_type!r}, not {code!r}"
            )
        return WorkflowVersion(code, definition)
    version = item.get("version")
    if not isinstance(version, int) or isinstance(version, bool):
        raise ValidationError(
            f"give 'version' (a registered version number) or 'definition' (a workflow JSON "
            f"file), not {version!r}"
        )
    return WorkflowVersion(code, engine.workflow(code, version))


def _light_policy(item: Mapping[str, Any], engine: Engine, base: Path | None) -> RuleChange:
    name = item.get("policy")
    numbers = {k: v for k, v in item.items() if k not in ("kind", "policy", "permit_type")}
    permit_type = _permit_type(item, engine) if "permit_type" in item else None
    policy: LightPolicy
    try:
        if name == "share":
            policy = ShareThresholdPolicy(**numbers)
        elif name == "threshold":
            policy = ThresholdPolicy(**numbers)
        elif name == "three_level":
            policy = ThreeLevelPolicy(**numbers)
        else:
            raise ValidationError(
                f"'policy' must be 'share', 'threshold' or 'three_level', not {name!r}"
            )
    except TypeError as exc:
        raise ValidationError(f"the {name} policy takes other settings: {exc}") from None
    return LightPolicyChange(policy, permit_type)


_PARSERS: dict[str, Callable[[Mapping[str, Any], Engine, Path | None], RuleChange]] = {
    "post_limit": _post_limit,
    "committed_limit": _committed_limit,
    "workflow_version": _workflow_version,
    "light_policy": _light_policy,
}
