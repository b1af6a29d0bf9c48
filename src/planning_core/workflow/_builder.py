"""A small fluent builder for writing a workflow in Python.

::

    definition = (
        WorkflowBuilder("CONSTRUCTION", version=1, name="建设工程规划许可证审批流程")
        .start("start", "收件")
        .task("accept", "窗口受理", post="WINDOW_CLERK", days=1)
        .end("end", "办结")
        .flow("start", "accept")
        .flow("accept", "end", action=Action.APPROVE)
        .build()
    )

Each call adds a step or edges and returns the builder; :meth:`WorkflowBuilder.build`
makes the frozen :class:`~planning_core.workflow.WorkflowDefinition`, which is where every
problem is reported at once.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable

from planning_core.timing import TimeLimit
from planning_core.workflow._definition import WorkflowDefinition
from planning_core.workflow._model import (
    Action,
    Edge,
    EdgeKind,
    Join,
    JoinMode,
    Meeting,
    MeetingBody,
    ReviewPoint,
    Step,
    StepKind,
)

__all__ = ["WorkflowBuilder"]

_Limit = TimeLimit | int
_Standards = Iterable[ReviewPoint | tuple[str, str]]


def _limit(value: _Limit) -> TimeLimit:
    return value if isinstance(value, TimeLimit) else TimeLimit.working_days(value)


def _standards(points: _Standards) -> tuple[ReviewPoint, ...]:
    return tuple(p if isinstance(p, ReviewPoint) else ReviewPoint(*p) for p in points)


class WorkflowBuilder:
    """Collects steps and edges; nothing is checked until :meth:`build`.

    :param permit_type: the permit type code the workflow serves.
    :param version: the definition's version (default 1).
    :param name: a display name.
    """

    def __init__(self, permit_type: str, version: int = 1, name: str = "") -> None:
        self._permit_type = permit_type
        self._version = version
        self._name = name
        self._steps: list[Step] = []
        self._edges: list[Edge] = []

    def step(self, step: Step) -> WorkflowBuilder:
        """Add a step made by hand."""
        self._steps.append(step)
        return self

    def start(self, step_id: str, name: str) -> WorkflowBuilder:
        """Add the START step."""
        return self.step(Step(step_id, name, StepKind.START))

    def end(self, step_id: str, name: str) -> WorkflowBuilder:
        """Add an END step."""
        return self.step(Step(step_id, name, StepKind.END))

    def task(
        self,
        step_id: str,
        name: str,
        *,
        post: str,
        days: _Limit,
        actions: Iterable[Action] = (Action.APPROVE,),
        standards: _Standards = (),
    ) -> WorkflowBuilder:
        """Add a TASK owned by ``post`` with ``days`` (an int means working days)."""
        return self.step(
            Step(
                step_id,
                name,
                StepKind.TASK,
                post=post,
                time_limit=_limit(days),
                actions=tuple(actions),
                standards=_standards(standards),
            )
        )

    def meeting(
        self,
        step_id: str,
        name: str,
        *,
        body: MeetingBody,
        quorum: int,
        post: str,
        days: _Limit,
        actions: Iterable[Action] = (Action.APPROVE,),
        standards: _Standards = (),
    ) -> WorkflowBuilder:
        """Add a MEETING of ``body``; ``post`` convenes it and records the decision."""
        return self.step(
            Step(
                step_id,
                name,
                StepKind.MEETING,
                post=post,
                time_limit=_limit(days),
                actions=tuple(actions),
                standards=_standards(standards),
                meeting=Meeting(body, quorum),
            )
        )

    def split(self, step_id: str, name: str) -> WorkflowBuilder:
        """Add a SPLIT that opens a countersign (会签)."""
        return self.step(Step(step_id, name, StepKind.SPLIT))

    def join(self, step_id: str, name: str, *, split: str, n: int | None = None) -> WorkflowBuilder:
        """Add the JOIN that closes ``split``: waits for all branches, or the first ``n``."""
        spec = Join(split) if n is None else Join(split, JoinMode.N_OF_M, n)
        return self.step(Step(step_id, name, StepKind.JOIN, join=spec))

    def edge(
        self,
        source: str,
        target: str,
        action: Action = Action.FORWARD,
        *,
        condition: str | None = None,
    ) -> WorkflowBuilder:
        """Add one edge; an edge taken by RETURN is a RETURN edge, any other FORWARD."""
        kind = EdgeKind.RETURN if action is Action.RETURN else EdgeKind.FORWARD
        self._edges.append(Edge(source, target, action, kind, condition))
        return self

    def flow(self, *step_ids: str, action: Action = Action.FORWARD) -> WorkflowBuilder:
        """Add unconditional edges along ``step_ids``, each taken by ``action``."""
        for source, target in itertools.pairwise(step_ids):
            self.edge(source, target, action)
        return self

    def back(self, source: str, *targets: str) -> WorkflowBuilder:
        """Add RETURN (退回) edges from ``source`` to each earlier step in ``targets``."""
        for target in targets:
            self.edge(source, target, Action.RETURN)
        return self

    def fan_out(self, split: str, *branches: str) -> WorkflowBuilder:
        """Add the edges from a SPLIT to the first step of each branch."""
        for branch in branches:
            self.edge(split, branch)
        return self

    def build(self) -> WorkflowDefinition:
        """The frozen definition.

        :raises WorkflowDefinitionError: listing every problem.
        """
        return WorkflowDefinition(
            self._permit_type, self._version, tuple(self._steps), tuple(self._edges), self._name
        )
