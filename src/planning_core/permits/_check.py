"""``check_statutory``: does a workflow's worst case fit its permit type's limits?

The worst case is the longest FORWARD path in working days (see
:func:`planning_core.workflow.worst_case`). It must fit the statutory limit (行政许可法
art. 42) without counting on an extension, and the committed limit the bureau publishes;
every path that does not fit is named, the critical path first.
"""

from __future__ import annotations

import attrs

from planning_core.errors import ValidationError
from planning_core.permits._model import PermitType
from planning_core.timing import LimitUnit, TimeLimit
from planning_core.workflow import TimedPath, WorkflowDefinition, forward_paths, worst_case

__all__ = ["StatutoryCheck", "check_statutory"]


@attrs.frozen
class StatutoryCheck:
    """The answer of :func:`check_statutory`.

    :param over_statutory: paths longer than the statutory limit, longest first.
    :param over_committed: paths longer than the committed limit, longest first.
    """

    permit_type: str
    workflow_version: int
    worst_case: TimedPath
    statutory_limit: TimeLimit
    committed_limit: TimeLimit
    over_statutory: tuple[TimedPath, ...]
    over_committed: tuple[TimedPath, ...]

    @property
    def fits_statutory(self) -> bool:
        """True when no path is longer than the statutory limit."""
        return not self.over_statutory

    @property
    def fits_committed(self) -> bool:
        """True when no path is longer than the committed limit."""
        return not self.over_committed

    @property
    def fits(self) -> bool:
        """True when the worst case fits both limits."""
        return self.fits_statutory and self.fits_committed

    def problems(self) -> list[str]:
        """One line per path that does not fit, naming the path and the limit."""
        return [
            f"path {path} exceeds the {which} limit {limit.zh} by {path.days - limit.days}"
            for which, limit, paths in (
                ("statutory", self.statutory_limit, self.over_statutory),
                ("committed", self.committed_limit, self.over_committed),
            )
            for path in paths
        ]


def check_statutory(
    definition: WorkflowDefinition, permit_type: PermitType, *, path_limit: int = 256
) -> StatutoryCheck:
    """Check ``definition``'s worst case against ``permit_type``'s limits.

    :param path_limit: how many forward paths to enumerate when naming the paths that do
        not fit; the critical path is always among them.
    :raises ValidationError: when the definition serves another permit type, or a limit is
        not counted in working days (step limits are).
    """
    if definition.permit_type != permit_type.code:
        raise ValidationError(
            f"workflow is for permit type {definition.permit_type!r}, not {permit_type.code!r}"
        )
    for name, limit in (
        ("statutory", permit_type.statutory_limit),
        ("committed", permit_type.committed_limit),
    ):
        if limit.unit is not LimitUnit.WORKING_DAYS:
            raise ValidationError(
                f"{permit_type.code}: the {name} limit {limit.zh} is not in working days; "
                f"workflow steps are, so the two cannot be compared"
            )
    critical = worst_case(definition)
    paths = _with_critical(critical, forward_paths(definition, path_limit))
    return StatutoryCheck(
        permit_type=permit_type.code,
        workflow_version=definition.version,
        worst_case=critical,
        statutory_limit=permit_type.statutory_limit,
        committed_limit=permit_type.committed_limit,
        over_statutory=tuple(p for p in paths if p.days > permit_type.statutory_limit.days),
        over_committed=tuple(p for p in paths if p.days > permit_type.committed_limit.days),
    )


def _with_critical(critical: TimedPath, paths: tuple[TimedPath, ...]) -> tuple[TimedPath, ...]:
    others = tuple(p for p in paths if p.steps != critical.steps)
    return (critical, *others)
