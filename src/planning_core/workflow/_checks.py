"""Every rule a workflow definition must keep, each problem naming its step or edge.

The rules (issue 4, and the engine's needs):

* exactly one START, at least one END; nothing enters START or leaves END;
* every step reachable from START, and an END reachable from every step, by FORWARD edges;
* FORWARD edges form no cycle: loops go back only through RETURN edges, to an earlier step;
* a TASK or MEETING has a post and a time limit in working days; other steps have neither;
* every action a step allows has an edge; an edge's action is allowed at its step; per
  action at most one unconditional edge (the default) and, with conditional edges, exactly
  one; a SPLIT's edges are unconditional branches;
* each JOIN names a SPLIT that dominates it, and post-dominates that SPLIT; the join waits
  for as many edges as the split opens; countersign regions nest; RETURN edges do not cross
  a region's boundary nor enter a JOIN (a token would be left waiting at the join).

The checks are pure functions over the parts, so an editor can show the problems without
building a definition.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Collection, Iterable, Sequence

import networkx as nx

from planning_core.timing import LimitUnit
from planning_core.workflow._consultation import Combine
from planning_core.workflow._errors import DefinitionProblem
from planning_core.workflow._errors import at_step as _at
from planning_core.workflow._errors import on_edge as _on
from planning_core.workflow._model import Action, Edge, EdgeKind, Step, StepKind
from planning_core.workflow._organisation import Organisation
from planning_core.workflow._regions import region_problems

__all__ = ["definition_problems", "forward_graph"]

_TIMED = (StepKind.TASK, StepKind.MEETING, StepKind.CONSULT)


def definition_problems(
    steps: Sequence[Step],
    edges: Sequence[Edge],
    *,
    conditions: Collection[str] | None = None,
    organisation: Organisation | None = None,
) -> list[DefinitionProblem]:
    """Every problem of a definition made of ``steps`` and ``edges``; empty when sound.

    :param conditions: the registered condition names; when given, an edge naming any other
        condition is a problem.
    :param organisation: when given, every post must exist in it and no step's limit may
        exceed its post's own limit.
    """
    by_id: dict[str, Step] = {}
    for step in steps:
        by_id.setdefault(step.id, step)
    known, problems = _edge_problems(edges, by_id)
    problems = _duplicate_steps(steps) + _start_and_end(steps) + problems
    for step in by_id.values():
        problems += _shape_problems(step, by_id)
    problems += _exit_problems(by_id, known)
    if conditions is not None:
        problems += _condition_problems(known, conditions)
    if organisation is not None:
        problems += _organisation_problems(by_id, organisation)
    problems += _graph_problems(by_id, known)
    return problems


def forward_graph(step_ids: Iterable[str], edges: Iterable[Edge]) -> nx.DiGraph[str]:
    """The steps with only their FORWARD edges: the DAG that analysis walks."""
    graph: nx.DiGraph[str] = nx.DiGraph()
    graph.add_nodes_from(step_ids)
    graph.add_edges_from(e.key for e in edges if e.kind is EdgeKind.FORWARD)
    return graph


# -- small helpers ----------------------------------------------------------------------


def _names(ids: Iterable[str]) -> str:
    return ", ".join(repr(i) for i in ids)


# -- steps ------------------------------------------------------------------------------


def _duplicate_steps(steps: Sequence[Step]) -> list[DefinitionProblem]:
    counts = Counter(s.id for s in steps)
    return [
        _at(step_id, f"is defined {n} times; give each step its own id")
        for step_id, n in counts.items()
        if n > 1
    ]


def _start_and_end(steps: Sequence[Step]) -> list[DefinitionProblem]:
    starts = [s.id for s in steps if s.kind is StepKind.START]
    problems: list[DefinitionProblem] = []
    if not starts:
        problems.append(DefinitionProblem("workflow", "has no START step; add exactly one"))
    if len(starts) > 1:
        problems += [
            _at(s, f"is one of {len(starts)} START steps ({_names(starts)}); keep exactly one")
            for s in starts
        ]
    if not any(s.kind is StepKind.END for s in steps):
        problems.append(DefinitionProblem("workflow", "has no END step; add at least one"))
    return problems


def _shape_problems(step: Step, by_id: dict[str, Step]) -> list[DefinitionProblem]:
    problems = _timing_problems(step)
    if step.kind is StepKind.MEETING and step.meeting is None:
        problems.append(_at(step.id, "is a MEETING without its body and quorum; add meeting="))
    if step.kind is not StepKind.MEETING and step.meeting is not None:
        problems.append(_at(step.id, f"is a {step.kind.name}; only a MEETING has a meeting body"))
    problems += _join_shape(step, by_id)
    problems += _action_shape(step)
    problems += _consultation_shape(step)
    codes = Counter(p.code for p in step.standards)
    problems += [
        _at(step.id, f"lists business standard {code!r} {n} times; give each its own code")
        for code, n in codes.items()
        if n > 1
    ]
    return problems


def _timing_problems(step: Step) -> list[DefinitionProblem]:
    if step.kind not in _TIMED:
        if step.post is not None or step.time_limit is not None:
            return [
                _at(
                    step.id,
                    f"is a {step.kind.name}, which passes on at once; remove its post and "
                    f"time limit (only TASK, MEETING and CONSULT steps have them)",
                )
            ]
        return []
    problems = []
    if step.post is None:
        problems.append(_at(step.id, f"is a {step.kind.name} without a post; name its owner"))
    if step.time_limit is None:
        problems.append(
            _at(step.id, f"is a {step.kind.name} without a time limit; give working days")
        )
    elif step.time_limit.unit is not LimitUnit.WORKING_DAYS:
        problems.append(
            _at(
                step.id,
                f"time limit {step.time_limit.zh} is in natural days; give it in working days, "
                f"the unit the statutory limit is counted in",
            )
        )
    return problems


def _join_shape(step: Step, by_id: dict[str, Step]) -> list[DefinitionProblem]:
    if step.kind is not StepKind.JOIN:
        if step.join is not None:
            return [_at(step.id, f"is a {step.kind.name}; only a JOIN names a split")]
        return []
    if step.join is None:
        return [_at(step.id, "is a JOIN that names no SPLIT; add join=Join(split=...)")]
    split = by_id.get(step.join.split)
    if split is None:
        return [_at(step.id, f"names split {step.join.split!r}, which is not a step")]
    if split.kind is not StepKind.SPLIT:
        return [
            _at(
                step.id, f"names {split.id!r} as its split, but it is a {split.kind.name}", split.id
            )
        ]
    return []


def _action_shape(step: Step) -> list[DefinitionProblem]:
    if step.kind is StepKind.END and step.actions:
        return [_at(step.id, "is an END; it takes no action")]
    if step.kind in (StepKind.START, StepKind.SPLIT, StepKind.JOIN) and step.actions != (
        Action.FORWARD,
    ):
        return [_at(step.id, f"is a {step.kind.name}; its only action is FORWARD")]
    return []


def _consultation_shape(step: Step) -> list[DefinitionProblem]:
    """A CONSULT step names its departments, each with a limit and a rule on silence, and
    has an edge for every combined outcome (征求意见)."""
    consultation = step.consultation
    if step.kind is not StepKind.CONSULT:
        if consultation is not None:
            return [_at(step.id, f"is a {step.kind.name}; only a CONSULT step consults")]
        return []
    if consultation is None or not consultation.departments:
        return [
            _at(step.id, "is a CONSULT that consults no department; add consultation= with one")
        ]
    problems = []
    for code, n in Counter(c.department for c in consultation.departments).items():
        if n > 1:
            problems.append(_at(step.id, f"consults department {code!r} {n} times; ask once"))
    for consultee in consultation.departments:
        if consultee.days is None:
            problems.append(
                _at(
                    step.id,
                    f"consults department {consultee.department!r} without a time limit; "
                    f"give the working days it has to answer (days=)",
                )
            )
        if consultation.silence_of(consultee.department) is None:
            problems.append(
                _at(
                    step.id,
                    f"consults department {consultee.department!r} without a rule on silence; "
                    f"give silence= deemed_consent (逾期未回复视为同意), escalate or wait",
                )
            )
    longest = consultation.longest
    if step.time_limit is not None and step.time_limit.days < longest:
        problems.append(
            _at(
                step.id,
                f"time limit {step.time_limit.zh} is shorter than its slowest department's "
                f"{longest} working days; give the step at least {longest}",
            )
        )
    needed = Action.RETURN if consultation.combine is Combine.OBJECTION_RETURNS else Action.REJECT
    for action in (Action.APPROVE, needed):
        if not step.allows(action):
            problems.append(
                _at(
                    step.id,
                    f"is a CONSULT whose answers may combine to {action.name} "
                    f"({consultation.combine.value}); allow {action.name} and give it an edge",
                )
            )
    return problems


def _consulted_problems(step: Step, organisation: Organisation) -> list[DefinitionProblem]:
    """Each consulted department is an external division of the organisation."""
    if step.consultation is None:
        return []
    problems = []
    known = {d.code: d for d in organisation.divisions}
    for consultee in step.consultation.departments:
        division = known.get(consultee.department)
        if division is None:
            problems.append(
                _at(
                    step.id,
                    f"consults department {consultee.department!r}, which is not in the "
                    f"organisation; add it as an external division with its liaison",
                )
            )
        elif not division.external:
            problems.append(
                _at(
                    step.id,
                    f"consults {consultee.department!r} ({division.name}), a division of the "
                    f"bureau; use a countersign (会签) inside the bureau, or mark the "
                    f"department external",
                )
            )
    return problems


# -- edges ------------------------------------------------------------------------------


def _edge_problems(
    edges: Sequence[Edge], by_id: dict[str, Step]
) -> tuple[list[Edge], list[DefinitionProblem]]:
    """Edges between known steps (the first of each pair), and the problems of the rest."""
    problems: list[DefinitionProblem] = []
    known: list[Edge] = []
    counts = Counter(e.key for e in edges)
    seen: set[tuple[str, str]] = set()
    for edge in edges:
        missing = [end for end in (edge.source, edge.target) if end not in by_id]
        problems += [_on(edge, f"{end!r} is not a step") for end in missing]
        if edge.key in seen:
            continue
        seen.add(edge.key)
        if counts[edge.key] > 1:
            problems.append(
                _on(edge, f"is defined {counts[edge.key]} times; keep one edge per pair of steps")
            )
        problems += _edge_kind_problems(edge)
        if not missing:
            problems += _edge_end_problems(edge, by_id[edge.source], by_id[edge.target])
            known.append(edge)
    return known, problems


def _edge_kind_problems(edge: Edge) -> list[DefinitionProblem]:
    is_return = edge.kind is EdgeKind.RETURN
    if is_return != (edge.action is Action.RETURN):
        return [_on(edge, "the RETURN action and a RETURN edge go together; make both match")]
    if is_return and edge.source == edge.target:
        return [_on(edge, "returns a step to itself; return to an earlier step")]
    return []


def _edge_end_problems(edge: Edge, source: Step, target: Step) -> list[DefinitionProblem]:
    problems = []
    if not source.allows(edge.action):
        allowed = ", ".join(a.name for a in source.actions) or "none"
        problems.append(
            _on(
                edge,
                f"action {edge.action.name} is not allowed at step {source.id!r} "
                f"(allowed: {allowed}); allow it there or change the edge",
            )
        )
    if target.kind is StepKind.JOIN and edge.kind is EdgeKind.RETURN:
        problems.append(
            _on(
                edge,
                f"returns into JOIN {target.id!r}, which would wait for branches that never "
                f"come; return to its SPLIT or to a step before it",
            )
        )
    if target.kind is StepKind.START:
        problems.append(_on(edge, f"enters START {target.id!r}; nothing may lead into START"))
    if source.kind is StepKind.END:
        problems.append(_on(edge, f"leaves END {source.id!r}; nothing may leave an END"))
    if source.kind is StepKind.SPLIT and edge.condition is not None:
        problems.append(
            _on(edge, "leaves a SPLIT with a condition; every branch of a countersign starts")
        )
    return problems


def _exit_problems(by_id: dict[str, Step], known: list[Edge]) -> list[DefinitionProblem]:
    out: dict[str, list[Edge]] = defaultdict(list)
    for edge in known:
        out[edge.source].append(edge)
    problems: list[DefinitionProblem] = []
    for step in by_id.values():
        if step.kind is StepKind.SPLIT:
            if len(out[step.id]) < 2:
                problems.append(_at(step.id, "is a SPLIT with fewer than two branches"))
            continue
        for action in step.actions:
            problems += _action_exits(step, action, [e for e in out[step.id] if e.action is action])
    return problems


def _action_exits(step: Step, action: Action, edges: list[Edge]) -> list[DefinitionProblem]:
    if not edges:
        return [
            _at(step.id, f"allows {action.name} but no edge leaves it for {action.name}; add one")
        ]
    defaults = [e.target for e in edges if e.condition is None]
    if len(defaults) > 1:
        return [
            _at(
                step.id,
                f"has {len(defaults)} unconditional {action.name} edges (to {_names(defaults)}); "
                f"keep one and give the others a condition",
                *defaults,
            )
        ]
    if not defaults:
        return [
            _at(
                step.id,
                f"has only conditional {action.name} edges; add an unconditional one, taken "
                f"when no condition holds",
            )
        ]
    return []


def _condition_problems(known: list[Edge], conditions: Collection[str]) -> list[DefinitionProblem]:
    names = ", ".join(sorted(conditions)) or "none"
    return [
        _on(
            e,
            f"condition {e.condition!r} is not registered (registered: {names}); fix the name "
            f"or register it through planning_core_register_workflow_conditions",
        )
        for e in known
        if e.condition is not None and e.condition not in conditions
    ]


def _organisation_problems(
    by_id: dict[str, Step], organisation: Organisation
) -> list[DefinitionProblem]:
    problems = []
    for step in by_id.values():
        problems += _consulted_problems(step, organisation)
        if step.post is None:
            continue
        if not organisation.has_post(step.post):
            problems.append(_at(step.id, f"post {step.post!r} is not in the organisation"))
            continue
        own = organisation.post(step.post).time_limit
        limit = step.time_limit
        if own is None or limit is None or own.unit is not limit.unit:
            continue
        if step.kind is StepKind.CONSULT:
            continue  # the time is the consulted departments', not the post's own work
        if limit.days > own.days:
            problems.append(
                _at(
                    step.id,
                    f"time limit {limit.zh} exceeds post {step.post!r}'s own limit "
                    f"{own.zh}; shorten the step or change the post's limit",
                )
            )
    return problems


# -- the graph --------------------------------------------------------------------------


def _graph_problems(by_id: dict[str, Step], known: list[Edge]) -> list[DefinitionProblem]:
    forward = forward_graph(by_id, known)
    starts = [s for s in by_id.values() if s.kind is StepKind.START]
    ends = [s.id for s in by_id.values() if s.kind is StepKind.END]
    start = starts[0].id if len(starts) == 1 else None
    problems = _reach_problems(forward, by_id, start, ends)
    cycles = _cycle_problems(forward, list(by_id))
    problems += cycles
    if cycles:
        return problems
    problems += _return_problems(forward, known)
    if start is not None and ends:
        problems += region_problems(forward, by_id, known, start, ends)
    return problems


def _reach_problems(
    forward: nx.DiGraph[str], by_id: dict[str, Step], start: str | None, ends: list[str]
) -> list[DefinitionProblem]:
    problems: list[DefinitionProblem] = []
    if start is not None:
        reached = nx.descendants(forward, start) | {start}
        problems += [
            _at(s, f"cannot be reached from START {start!r} by FORWARD edges", start)
            for s in by_id
            if s not in reached
        ]
    if ends:
        finishing = set(ends).union(*(nx.ancestors(forward, e) for e in ends))
        problems += [
            _at(s, "is a dead end: no END can be reached from it by FORWARD edges")
            for s in by_id
            if s not in finishing
        ]
    return problems


def _cycle_problems(forward: nx.DiGraph[str], order: list[str]) -> list[DefinitionProblem]:
    position = {step_id: i for i, step_id in enumerate(order)}
    problems = []
    for component in nx.strongly_connected_components(forward):
        first = min(component, key=position.__getitem__)
        if len(component) == 1 and not forward.has_edge(first, first):
            continue
        cycle = [u for u, _ in nx.find_cycle(forward.subgraph(component), source=first)]
        ring = " -> ".join(repr(s) for s in [*cycle, cycle[0]])
        members = tuple(sorted(component, key=position.__getitem__))
        problems.append(
            DefinitionProblem(
                f"forward cycle {ring}",
                f"FORWARD edges loop among {_names(members)}; loops may only go back through "
                f"a RETURN edge",
                members,
            )
        )
    return problems


def _return_problems(forward: nx.DiGraph[str], known: list[Edge]) -> list[DefinitionProblem]:
    return [
        _on(
            e,
            f"a RETURN edge goes back to an earlier step, but {e.target!r} does not lead to "
            f"{e.source!r} by FORWARD edges",
        )
        for e in known
        if e.kind is EdgeKind.RETURN
        and e.source != e.target
        and e.target not in nx.ancestors(forward, e.source)
    ]
