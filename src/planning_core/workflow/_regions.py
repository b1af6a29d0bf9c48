"""Countersign regions (会签): proving that each JOIN closes its SPLIT.

A SPLIT and its JOIN enclose a region when every way from START to the join passes the
split (the split *dominates* the join) and every way from the split to an END passes the
join (the join *post-dominates* the split). Then no branch can leave the countersign early
(the join would wait for ever) and no step outside can slip into it (the join would count
a token that never split). Dominators come from ``networkx.immediate_dominators``; post-
dominators are dominators of the reversed graph from a virtual sink joined to every END.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

import attrs
import networkx as nx

from planning_core.workflow._errors import DefinitionProblem, at_step, on_edge
from planning_core.workflow._model import Edge, EdgeKind, JoinMode, Step, StepKind

__all__ = ["Dominance", "Region", "countersign_regions", "region_problems"]

# Step ids cannot hold control characters, so this node never clashes with a step.
_SINK = "\x00sink"


class Dominance:
    """Dominators and post-dominators of a forward graph whose nodes all lie on a path.

    :param core: the FORWARD graph, restricted to steps reachable from ``start`` and from
        which an END is reachable.
    """

    def __init__(self, core: nx.DiGraph[str], start: str, ends: Sequence[str]) -> None:
        self._idom = nx.immediate_dominators(core, start)
        reverse = core.reverse(copy=True)
        reverse.add_edges_from((_SINK, end) for end in ends if end in core)
        self._ipdom = nx.immediate_dominators(reverse, _SINK)

    def dominates(self, a: str, b: str) -> bool:
        """True when every path from START to ``b`` passes ``a`` (``a == b`` counts)."""
        return _on_chain(self._idom, a, b)

    def post_dominates(self, a: str, b: str) -> bool:
        """True when every path from ``b`` to an END passes ``a`` (``a == b`` counts)."""
        return _on_chain(self._ipdom, a, b)


def _on_chain(idom: dict[str, str], a: str, b: str) -> bool:
    node = b
    while True:
        if node == a:
            return True
        parent = idom.get(node)
        if parent is None or parent == node:
            return False
        node = parent


@attrs.frozen
class Region:
    """A countersign: its SPLIT, its JOIN and the steps strictly between them."""

    split: str
    join: str
    inside: frozenset[str]


def core_graph(forward: nx.DiGraph[str], start: str, ends: Sequence[str]) -> nx.DiGraph[str]:
    """The steps on some path from START to an END, with the FORWARD edges between them."""
    reached = nx.descendants(forward, start) | {start}
    finishing = set(ends).union(*(nx.ancestors(forward, e) for e in ends if e in forward))
    core: nx.DiGraph[str] = forward.subgraph(reached & finishing).copy()
    return core


def countersign_regions(
    forward: nx.DiGraph[str], by_id: dict[str, Step], start: str, ends: Sequence[str]
) -> tuple[Region, ...]:
    """The region of every SPLIT-JOIN pair of a *valid* definition, in step order."""
    core = core_graph(forward, start, ends)
    return tuple(
        _region(core, step.join.split, step.id)
        for step in by_id.values()
        if step.kind is StepKind.JOIN and step.join is not None
    )


def _region(core: nx.DiGraph[str], split: str, join: str) -> Region:
    """The steps between a *matched* pair: those the split reaches without passing the join.

    For an acyclic graph where the split dominates the join and the join post-dominates
    the split, these are exactly the steps the split dominates and the join post-dominates,
    found in time proportional to the region rather than to the whole graph.
    """
    reached: set[str] = set()
    todo = [split]
    while todo:
        for successor in core.successors(todo.pop()):
            if successor != join and successor not in reached:
                reached.add(successor)
                todo.append(successor)
    return Region(split, join, frozenset(reached))


def region_problems(
    forward: nx.DiGraph[str],
    by_id: dict[str, Step],
    known: Sequence[Edge],
    start: str,
    ends: Sequence[str],
) -> list[DefinitionProblem]:
    """Every problem with the countersigns of an acyclic forward graph."""
    core = core_graph(forward, start, ends)
    # Without a way from START to an END nothing can be dominated; that is reported already.
    dominance = Dominance(core, start, ends) if start in core else None
    joins_of: dict[str, list[str]] = defaultdict(list)
    for step in by_id.values():
        if step.kind is StepKind.JOIN and step.join is not None:
            target = by_id.get(step.join.split)
            if target is not None and target.kind is StepKind.SPLIT:
                joins_of[target.id].append(step.id)
    problems: list[DefinitionProblem] = []
    regions: list[Region] = []
    for split in (s for s in by_id.values() if s.kind is StepKind.SPLIT):
        joins = joins_of[split.id]
        if not joins:
            problems.append(
                at_step(split.id, "is a SPLIT that no JOIN closes; add a JOIN naming it")
            )
            continue
        problems += [
            at_step(
                extra,
                f"closes SPLIT {split.id!r}, which JOIN {joins[0]!r} already closes; "
                f"each split has one join",
                split.id,
                joins[0],
            )
            for extra in joins[1:]
        ]
        if dominance is None or split.id not in core or joins[0] not in core:
            continue  # unreachable or a dead end: reported already
        pair = _pair_problems(forward, dominance, split.id, by_id[joins[0]])
        problems += pair
        if not pair:
            regions.append(_region(core, split.id, joins[0]))
    return problems + _nesting_problems(regions) + _crossing_returns(regions, known)


def _pair_problems(
    forward: nx.DiGraph[str], dominance: Dominance, split: str, join: Step
) -> list[DefinitionProblem]:
    problems = []
    if not dominance.dominates(split, join.id):
        problems.append(
            at_step(
                join.id,
                f"is reached without passing its SPLIT {split!r}; every way into a "
                f"countersign must go through its split",
                split,
            )
        )
    if not dominance.post_dominates(join.id, split):
        problems.append(
            at_step(
                join.id,
                f"a branch of its SPLIT {split!r} reaches an END without passing this JOIN; "
                f"lead every branch into the join",
                split,
            )
        )
    opened, awaited = forward.out_degree(split), forward.in_degree(join.id)
    if opened != awaited:
        problems.append(
            at_step(
                join.id,
                f"waits for {awaited} incoming edge(s) but its SPLIT {split!r} opens {opened} "
                f"branch(es); merge alternatives inside a branch before the join",
                split,
            )
        )
    spec = join.join
    if spec is not None and spec.mode is JoinMode.N_OF_M and (spec.n or 0) > opened:
        problems.append(at_step(join.id, f"waits for {spec.n} of only {opened} branch(es)", split))
    return problems


def _nesting_problems(regions: Sequence[Region]) -> list[DefinitionProblem]:
    problems = []
    for i, outer in enumerate(regions):
        for inner in regions[i + 1 :]:
            for a, b in ((outer, inner), (inner, outer)):
                if (b.split in a.inside) != (b.join in a.inside):
                    problems.append(
                        at_step(
                            b.join,
                            f"countersign {b.split!r}…{b.join!r} crosses countersign "
                            f"{a.split!r}…{a.join!r}; nest one inside the other",
                            b.split,
                            a.split,
                            a.join,
                        )
                    )
    return problems


def _crossing_returns(regions: Sequence[Region], known: Sequence[Edge]) -> list[DefinitionProblem]:
    return [
        on_edge(
            e,
            f"this RETURN edge crosses the boundary of countersign {r.split!r}…{r.join!r}; "
            f"return within one branch, or from after the join to before the split",
        )
        for e in known
        if e.kind is EdgeKind.RETURN
        for r in regions
        if (e.source in r.inside) != (e.target in r.inside)
    ]
