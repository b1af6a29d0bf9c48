"""``WorkflowDefinition``: a frozen, validated graph and the queries the engine runs on it.

The definition is checked when it is built (see :mod:`planning_core.workflow._checks`), so a
``WorkflowDefinition`` that exists is sound: one START, everything reachable, every END
reachable, no FORWARD cycle, countersigns properly closed. Cases refer to a definition by
permit type and version and store only their own tokens (as SpiffWorkflow keeps specs apart
from instances); the content hash tells two graphs stored under one version apart.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable

import attrs
import networkx as nx

from planning_core.errors import InvalidStateError, NotFoundError, ValidationError
from planning_core.registry import Registry
from planning_core.workflow._checks import definition_problems, forward_graph
from planning_core.workflow._conditions import Context, WorkflowCondition
from planning_core.workflow._errors import WorkflowDefinitionError
from planning_core.workflow._hash import content_hash
from planning_core.workflow._model import Action, Edge, EdgeKind, JoinMode, Step, StepKind
from planning_core.workflow._organisation import Organisation
from planning_core.workflow._regions import Region, countersign_regions

__all__ = ["WorkflowDefinition", "validate"]


def _code(instance: object, attribute: attrs.Attribute[str], value: str) -> None:
    if not isinstance(value, str) or not value.strip() or value != value.strip():
        raise ValidationError(
            f"{attribute.name} must be a code such as 'CONSTRUCTION', not {value!r}"
        )


def _version(instance: object, attribute: attrs.Attribute[int], value: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ValidationError(f"a workflow version is a whole number >= 1, not {value!r}")


def _steps(value: Iterable[Step]) -> tuple[Step, ...]:
    return tuple(value)


def _edges(value: Iterable[Edge]) -> tuple[Edge, ...]:
    return tuple(value)


@attrs.define(frozen=True)
class _Index:
    """Lookups computed once from a sound definition."""

    by_id: dict[str, Step]
    out: dict[str, tuple[Edge, ...]]
    into: dict[str, tuple[Edge, ...]]
    graph: nx.DiGraph[str]
    forward: nx.DiGraph[str]
    start: str
    ends: tuple[str, ...]
    regions: dict[str, Region]
    content_hash: str


@attrs.frozen
class WorkflowDefinition:
    """The approval path of one permit type, at one version.

    :param permit_type: the code of the permit type it serves.
    :param version: 1, 2, …; a case keeps the version it started on.
    :param steps: the nodes, in the order they are shown.
    :param edges: the ways between them, in the order conditions are tried.
    :param name: a display name (建设工程规划许可证审批流程).
    :raises WorkflowDefinitionError: listing every problem, each naming its step or edge.
    """

    permit_type: str = attrs.field(validator=_code)
    version: int = attrs.field(validator=_version)
    steps: tuple[Step, ...] = attrs.field(converter=_steps)
    edges: tuple[Edge, ...] = attrs.field(converter=_edges)
    name: str = ""
    _index: _Index = attrs.field(init=False, repr=False, eq=False, hash=False)

    def __attrs_post_init__(self) -> None:
        problems = definition_problems(self.steps, self.edges)
        if problems:
            raise WorkflowDefinitionError(
                f"workflow {self.permit_type!r} version {self.version} has {len(problems)} "
                f"problem(s); fix each one below",
                problems,
            )
        object.__setattr__(self, "_index", _build_index(self.steps, self.edges))

    # -- the graph ----------------------------------------------------------------------

    @property
    def graph(self) -> nx.DiGraph[str]:
        """The whole graph, frozen: node attribute ``step``, edge attribute ``edge``."""
        return self._index.graph

    @property
    def forward_graph(self) -> nx.DiGraph[str]:
        """Only the FORWARD edges (a DAG), frozen; node attribute ``days`` is the limit."""
        return self._index.forward

    @property
    def content_hash(self) -> str:
        """SHA-256 of the steps and edges (not of the permit type, version or name)."""
        return self._index.content_hash

    # -- steps --------------------------------------------------------------------------

    @property
    def start(self) -> str:
        """The id of the START step."""
        return self._index.start

    @property
    def ends(self) -> tuple[str, ...]:
        """The ids of the END steps, in step order."""
        return self._index.ends

    def step(self, step_id: str) -> Step:
        """The step with ``step_id``.

        :raises NotFoundError: naming the known ids.
        """
        step = self._index.by_id.get(step_id)
        if step is None:
            known = ", ".join(self._index.by_id)
            raise NotFoundError(
                f"workflow {self.permit_type!r} v{self.version} has no step {step_id!r}; "
                f"its steps are {known}"
            )
        return step

    def has_step(self, step_id: str) -> bool:
        """True when ``step_id`` is a step of this definition."""
        return step_id in self._index.by_id

    def steps_of_kind(self, kind: StepKind) -> tuple[Step, ...]:
        """The steps of one kind, in step order (for example every MEETING)."""
        return tuple(s for s in self.steps if s.kind is kind)

    # -- edges --------------------------------------------------------------------------

    def outgoing(self, step_id: str, action: Action | None = None) -> tuple[Edge, ...]:
        """Edges leaving ``step_id`` (for ``action`` only, when given), in definition order."""
        self.step(step_id)
        edges = self._index.out.get(step_id, ())
        return edges if action is None else tuple(e for e in edges if e.action is action)

    def incoming(self, step_id: str) -> tuple[Edge, ...]:
        """Edges entering ``step_id``, in definition order."""
        self.step(step_id)
        return self._index.into.get(step_id, ())

    def returns_to(self, step_id: str) -> tuple[str, ...]:
        """Where a RETURN (退回) from ``step_id`` may go: targets of its RETURN edges."""
        return tuple(e.target for e in self.outgoing(step_id) if e.kind is EdgeKind.RETURN)

    def next_steps(
        self,
        step_id: str,
        action: Action,
        context: Context,
        conditions: Registry[WorkflowCondition],
    ) -> tuple[str, ...]:
        """Where a token at ``step_id`` goes when the handler does ``action``.

        A SPLIT sends a token down every branch. Any other step takes one edge, as a BPMN
        exclusive gateway does: the first conditional edge for ``action`` (in definition
        order) whose condition holds on ``context``, else the unconditional default.

        :raises InvalidStateError: when ``action`` is not allowed at the step.
        :raises NotFoundError: when an edge names a condition that is not registered.
        """
        step = self.step(step_id)
        if not step.allows(action):
            allowed = ", ".join(a.name for a in step.actions) or "none (an END)"
            raise InvalidStateError(
                f"{action.name} is not allowed at step {step_id!r} ({step.name}); "
                f"allowed: {allowed}"
            )
        edges = self.outgoing(step_id, action)
        if step.kind is StepKind.SPLIT:
            return tuple(e.target for e in edges)
        for edge in edges:
            if edge.condition is not None and conditions.get(edge.condition).holds(context):
                return (edge.target,)
        return tuple(e.target for e in edges if e.condition is None)

    # -- countersigns -------------------------------------------------------------------

    def join_of(self, split_id: str) -> str:
        """The JOIN that closes the SPLIT ``split_id``."""
        return self._region(split_id).join

    def split_of(self, join_id: str) -> str:
        """The SPLIT that the JOIN ``join_id`` closes."""
        spec = self.step(join_id).join
        if spec is None:
            raise NotFoundError(f"step {join_id!r} is not a JOIN")
        return spec.split

    def branches(self, split_id: str) -> tuple[str, ...]:
        """The first step of each branch the SPLIT ``split_id`` opens."""
        self._region(split_id)
        return tuple(e.target for e in self.outgoing(split_id))

    def awaits(self, join_id: str) -> int:
        """How many branches the JOIN ``join_id`` waits for (M for ALL, n for N-of-M)."""
        spec = self.step(join_id).join
        if spec is None:
            raise NotFoundError(f"step {join_id!r} is not a JOIN")
        if spec.mode is JoinMode.N_OF_M and spec.n is not None:
            return spec.n
        return len(self.branches(spec.split))

    def inside(self, split_id: str) -> frozenset[str]:
        """The steps strictly between the SPLIT ``split_id`` and its JOIN."""
        return self._region(split_id).inside

    def enclosing_splits(self, step_id: str) -> tuple[str, ...]:
        """The SPLITs whose countersign holds ``step_id``, innermost first."""
        self.step(step_id)
        regions = [r for r in self._index.regions.values() if step_id in r.inside]
        return tuple(r.split for r in sorted(regions, key=lambda r: len(r.inside)))

    def _region(self, split_id: str) -> Region:
        region = self._index.regions.get(split_id)
        if region is None:
            self.step(split_id)
            raise NotFoundError(f"step {split_id!r} is not a SPLIT")
        return region


def validate(
    definition: WorkflowDefinition,
    *,
    conditions: Collection[str] | None = None,
    organisation: Organisation | None = None,
) -> None:
    """Check ``definition`` again, also against the registered conditions and the posts.

    A built definition is already sound on its own; what it refers to outside itself
    (condition names, post codes, post limits) can only be checked against a registry and
    an organisation.

    :raises WorkflowDefinitionError: listing every problem, each naming its step or edge.
    """
    problems = definition_problems(
        definition.steps, definition.edges, conditions=conditions, organisation=organisation
    )
    if problems:
        raise WorkflowDefinitionError(
            f"workflow {definition.permit_type!r} version {definition.version} has "
            f"{len(problems)} problem(s); fix each one below",
            problems,
        )


def _build_index(steps: tuple[Step, ...], edges: tuple[Edge, ...]) -> _Index:
    by_id = {s.id: s for s in steps}
    out: dict[str, list[Edge]] = defaultdict(list)
    into: dict[str, list[Edge]] = defaultdict(list)
    graph: nx.DiGraph[str] = nx.DiGraph()
    for step in steps:
        graph.add_node(step.id, step=step, days=step.days)
    for edge in edges:
        out[edge.source].append(edge)
        into[edge.target].append(edge)
        graph.add_edge(edge.source, edge.target, edge=edge)
    forward = forward_graph(by_id, edges)
    nx.set_node_attributes(forward, {s.id: s.days for s in steps}, "days")
    start = next(s.id for s in steps if s.kind is StepKind.START)
    ends = tuple(s.id for s in steps if s.kind is StepKind.END)
    regions = countersign_regions(forward, by_id, start, ends)
    return _Index(
        by_id=by_id,
        out={k: tuple(v) for k, v in out.items()},
        into={k: tuple(v) for k, v in into.items()},
        graph=nx.freeze(graph),
        forward=nx.freeze(forward),
        start=start,
        ends=ends,
        regions={r.split: r for r in regions},
        content_hash=content_hash(steps, edges),
    )
