"""Timing analysis on the FORWARD graph, in working days.

RETURN edges are left out: a return restarts work the statutory clock already counts, so
the worst case a workflow can promise is the longest START-to-END path of its FORWARD DAG,
weighting each step by its time limit. A countersign's join waits for its slowest branch,
which the longest path already takes; for an N-of-M join this is an upper bound.
"""

from __future__ import annotations

import itertools

import attrs
import networkx as nx

from planning_core.workflow._definition import WorkflowDefinition

__all__ = ["TimedPath", "critical_path", "forward_paths", "worst_case"]


@attrs.frozen
class TimedPath:
    """A START-to-END path and the sum of its steps' limits in working days."""

    steps: tuple[str, ...]
    days: int

    def __str__(self) -> str:
        return f"{' → '.join(self.steps)} ({self.days}个工作日)"


def worst_case(definition: WorkflowDefinition) -> TimedPath:
    """The longest START-to-END path (the critical path) and its working days.

    Ties go to the predecessor whose edge comes first in the definition, so the answer is
    the same every time.
    """
    dag = definition.forward_graph
    best: dict[str, tuple[int, str | None]] = {}
    for node in nx.topological_sort(dag):
        days = int(dag.nodes[node]["days"])
        if node == definition.start:
            best[node] = (days, None)
            continue
        previous = [(best[p][0], p) for p in _predecessors(definition, node) if p in best]
        if previous:
            top = max(total for total, _ in previous)
            chosen = next(p for total, p in previous if total == top)
            best[node] = (top + days, chosen)
    end = max(definition.ends, key=lambda e: best[e][0])
    return TimedPath(_walk_back(best, end), best[end][0])


def critical_path(definition: WorkflowDefinition) -> tuple[str, ...]:
    """The steps of :func:`worst_case`."""
    return worst_case(definition).steps


def forward_paths(definition: WorkflowDefinition, limit: int = 256) -> tuple[TimedPath, ...]:
    """START-to-END FORWARD paths, longest first; at most ``limit`` of them are enumerated.

    The number of paths can grow exponentially with alternatives, so the enumeration is cut
    at ``limit``; use :func:`worst_case` for the exact longest one.
    """
    dag = definition.forward_graph
    found = itertools.islice(nx.all_simple_paths(dag, definition.start, definition.ends), limit)
    paths = [TimedPath(tuple(p), sum(int(dag.nodes[s]["days"]) for s in p)) for p in found]
    return tuple(sorted(paths, key=lambda p: -p.days))


def _predecessors(definition: WorkflowDefinition, node: str) -> list[str]:
    dag = definition.forward_graph
    ordered = [e.source for e in definition.incoming(node) if dag.has_edge(e.source, node)]
    return list(dict.fromkeys(ordered))


def _walk_back(best: dict[str, tuple[int, str | None]], end: str) -> tuple[str, ...]:
    path = [end]
    previous = best[end][1]
    while previous is not None:
        path.append(previous)
        previous = best[previous][1]
    return tuple(reversed(path))
