"""Plan compilation: the kinds of plan, their stages, and a plan's dated stage history.

A plan moves SURVEYING (地形图测量) → COMPILING (编制) → UNDER_APPROVAL (审批) → COMPLETED
(完成). The history keeps every change with its date, so a report for any past date can be
rebuilt and a ledger updated once a year may skip a stage it never saw. It only ever moves
forward: a stage is entered at most once, in that order, on dates that never go back.
"""

from __future__ import annotations

import datetime as dt
import enum
import itertools
from decimal import Decimal

import attrs

from planning_core.errors import InvalidStateError, ValidationError
from planning_core.rural._checks import check_optional_name, to_tuple
from planning_core.rural._money import check_yuan
from planning_core.rural._places import PlaceRef

__all__ = ["Plan", "PlanKind", "Stage", "StageChange", "history_problems"]


class Stage(enum.Enum):
    """A stage of plan compilation, in the order a plan passes through them."""

    SURVEYING = "surveying"
    COMPILING = "compiling"
    UNDER_APPROVAL = "under_approval"
    COMPLETED = "completed"

    @property
    def order(self) -> int:
        """0 for SURVEYING up to 3 for COMPLETED."""
        return list(Stage).index(self)

    @property
    def zh(self) -> str:
        """The stage as a bureau's progress sheet names it."""
        return _STAGE_ZH[self]


_STAGE_ZH = {
    Stage.SURVEYING: "地形图测量",
    Stage.COMPILING: "编制",
    Stage.UNDER_APPROVAL: "审批",
    Stage.COMPLETED: "完成",
}


class PlanKind(enum.Enum):
    """The kinds of plan the rural programme compiles."""

    TOWNSHIP_MASTER_PLAN = "township_master_plan"
    REGULATORY_DETAILED_PLAN = "regulatory_detailed_plan"
    VILLAGE_PLAN = "village_plan"
    GUIDELINE = "guideline"

    @property
    def zh(self) -> str:
        """The kind as plans are titled."""
        return _PLAN_KIND_ZH[self]

    def subject_problem(self, place: PlaceRef) -> str | None:
        """Why ``place`` cannot be this kind's subject, or None when it can.

        A village plan is made for a village; master and regulatory detailed plans for a
        township; a guideline for either.
        """
        if self is PlanKind.VILLAGE_PLAN and not place.is_village:
            return f"a {self.zh} is made for a village; name the village"
        if self in _TOWNSHIP_ONLY and place.is_village:
            return f"a {self.zh} is made for a township, not for village {place.village!r}"
        return None


_TOWNSHIP_ONLY = (PlanKind.TOWNSHIP_MASTER_PLAN, PlanKind.REGULATORY_DETAILED_PLAN)

_PLAN_KIND_ZH = {
    PlanKind.TOWNSHIP_MASTER_PLAN: "乡镇总体规划",
    PlanKind.REGULATORY_DETAILED_PLAN: "控制性详细规划",
    PlanKind.VILLAGE_PLAN: "村庄规划",
    PlanKind.GUIDELINE: "规划导则",
}


@attrs.frozen
class StageChange:
    """The plan entered ``stage`` on ``on``."""

    stage: Stage
    on: dt.date


def history_problems(history: tuple[StageChange, ...]) -> list[str]:
    """Every way ``history`` breaks the forward-only rule (empty when it keeps it)."""
    problems = []
    for before, after in itertools.pairwise(history):
        if after.stage.order <= before.stage.order:
            problems.append(
                f"stage {after.stage.zh} ({after.stage.value}) cannot follow "
                f"{before.stage.zh} ({before.stage.value}); stages only move forward"
            )
        if after.on < before.on:
            problems.append(
                f"{after.stage.zh} on {after.on.isoformat()} is before "
                f"{before.stage.zh} on {before.on.isoformat()}; dates cannot go back"
            )
    return problems


def _check_history(instance: object, _attribute: object, value: tuple[StageChange, ...]) -> None:
    problems = history_problems(value)
    if problems:
        raise ValidationError("the stage history is not in order", problems)


def _check_subject(instance: Plan, _attribute: object, value: PlaceRef) -> None:
    problem = instance.kind.subject_problem(value)
    if problem is not None:
        raise ValidationError(f"plan for {value}: {problem}")


@attrs.frozen
class Plan:
    """One plan of one kind for one township or village, with its dated stage history.

    :param place: the subject: a township, or a village.
    :param kind: master plan, regulatory detailed plan, village plan or guideline.
    :param history: the stage changes, oldest first; empty while the plan is contracted but
        not started.
    :param design_institute: the design institute (设计单位) compiling it, when known.
    :param contract_on: the date the contract with the institute was signed, when known.
    :param invested: money invested in this plan, in yuan (``Decimal``, at most two
        decimal places); None when not recorded for the plan alone.
    """

    kind: PlanKind
    place: PlaceRef = attrs.field(validator=_check_subject)
    history: tuple[StageChange, ...] = attrs.field(
        default=(), converter=to_tuple, validator=_check_history
    )
    design_institute: str | None = attrs.field(default=None, validator=check_optional_name)
    contract_on: dt.date | None = None
    invested: Decimal | None = attrs.field(default=None, validator=check_yuan)

    @property
    def key(self) -> str:
        """The store key: the place's key, ``#``, the kind."""
        return f"{self.place.key}#{self.kind.value}"

    @property
    def stage(self) -> Stage | None:
        """The current stage; None before the first change."""
        return self.history[-1].stage if self.history else None

    def stage_on(self, day: dt.date) -> Stage | None:
        """The stage the plan was in at the end of ``day``."""
        current = None
        for change in self.history:
            if change.on > day:
                break
            current = change.stage
        return current

    def advance(self, stage: Stage, on: dt.date) -> Plan:
        """The plan after entering ``stage`` on ``on``.

        :raises InvalidStateError: when ``stage`` is not after the current stage.
        :raises ValidationError: when ``on`` is before the last change.
        """
        current = self.stage
        if current is not None and stage.order <= current.order:
            raise InvalidStateError(
                f"{self.kind.zh} of {self.place} is at {current.zh} ({current.value}); it "
                f"can only move forward, to a stage after it, not to {stage.value}"
            )
        if self.history and on < self.history[-1].on:
            raise ValidationError(
                f"{self.kind.zh} of {self.place} changed stage on "
                f"{self.history[-1].on.isoformat()}; a later change cannot be dated "
                f"{on.isoformat()}"
            )
        return attrs.evolve(self, history=(*self.history, StageChange(stage, on)))
