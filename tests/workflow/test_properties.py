"""Invariants over random valid workflows and single random mutations of them."""

from __future__ import annotations

import json
from collections.abc import Callable

import attrs
import networkx as nx
from hypothesis import given, settings
from hypothesis import strategies as st

from planning_core.workflow import (
    Action,
    Edge,
    Join,
    StepKind,
    WorkflowDefinition,
    WorkflowDefinitionError,
    definition_from_json,
    definition_to_json,
    forward_paths,
    to_mermaid,
    validate,
    worst_case,
)
from planning_core.workflow._regions import Dominance, core_graph

Strategy = st.SearchStrategy[WorkflowDefinition]


def _rebuilt(definition: WorkflowDefinition, steps: object = None, edges: object = None) -> None:
    WorkflowDefinition(
        definition.permit_type,
        definition.version,
        definition.steps if steps is None else steps,  # type: ignore[arg-type]
        definition.edges if edges is None else edges,  # type: ignore[arg-type]
    )


def _caught(build: Callable[[], None]) -> WorkflowDefinitionError:
    try:
        build()
    except WorkflowDefinitionError as exc:
        return exc
    raise AssertionError("the mutation was not caught")


@settings(deadline=None)
@given(data=st.data())
def test_random_valid_workflows_validate(data: st.DataObject, workflow_strategy: Strategy) -> None:
    definition = data.draw(workflow_strategy)
    validate(definition, conditions={"major_project"})
    assert nx.is_directed_acyclic_graph(definition.forward_graph)
    for split in definition.steps_of_kind(StepKind.SPLIT):
        join = definition.join_of(split.id)
        assert definition.split_of(join) == split.id
        assert 1 <= definition.awaits(join) <= len(definition.branches(split.id))
        for inner in definition.inside(split.id):
            assert split.id in definition.enclosing_splits(inner)


@settings(deadline=None)
@given(data=st.data())
def test_a_countersign_holds_what_its_split_dominates_and_its_join_post_dominates(
    data: st.DataObject, workflow_strategy: Strategy
) -> None:
    definition = data.draw(workflow_strategy)
    core = core_graph(definition.forward_graph, definition.start, definition.ends)
    dominance = Dominance(core, definition.start, definition.ends)
    for split in definition.steps_of_kind(StepKind.SPLIT):
        join = definition.join_of(split.id)
        between = {
            v
            for v in core
            if v not in (split.id, join)
            and dominance.dominates(split.id, v)
            and dominance.post_dominates(join, v)
        }
        assert definition.inside(split.id) == between


@settings(deadline=None)
@given(data=st.data())
def test_json_round_trip(data: st.DataObject, workflow_strategy: Strategy) -> None:
    definition = data.draw(workflow_strategy)
    text = json.dumps(definition_to_json(definition), ensure_ascii=False)
    again = definition_from_json(json.loads(text))
    assert again == definition
    assert again.content_hash == definition.content_hash


@settings(deadline=None)
@given(data=st.data())
def test_worst_case_is_the_longest_forward_path(
    data: st.DataObject, workflow_strategy: Strategy
) -> None:
    definition = data.draw(workflow_strategy)
    every = forward_paths(definition, limit=100_000)
    result = worst_case(definition)
    assert result.days == max(p.days for p in every)
    assert result.steps in {p.steps for p in every}
    assert result.days == sum(definition.step(s).days for s in result.steps)


@settings(deadline=None)
@given(data=st.data())
def test_dropping_any_edge_is_caught_naming_one_of_its_ends(
    data: st.DataObject, workflow_strategy: Strategy
) -> None:
    definition = data.draw(workflow_strategy)
    dropped = data.draw(st.sampled_from(definition.edges))
    edges = [e for e in definition.edges if e != dropped]
    error = _caught(lambda: _rebuilt(definition, edges=edges))
    assert {dropped.source, dropped.target} & error.nodes


@settings(deadline=None)
@given(data=st.data())
def test_dropping_a_post_is_caught_naming_the_step(
    data: st.DataObject, workflow_strategy: Strategy
) -> None:
    definition = data.draw(workflow_strategy)
    timed = [s for s in definition.steps if s.post is not None]
    victim = data.draw(st.sampled_from(timed))
    steps = [attrs.evolve(s, post=None) if s == victim else s for s in definition.steps]
    error = _caught(lambda: _rebuilt(definition, steps=steps))
    assert any("without a post" in d.message and d.nodes == (victim.id,) for d in error.details)


@settings(deadline=None)
@given(data=st.data())
def test_a_forward_back_edge_is_caught_as_a_cycle(
    data: st.DataObject, workflow_strategy: Strategy
) -> None:
    definition = data.draw(workflow_strategy)
    forward = definition.forward_graph
    pairs = [
        (step.id, earlier)
        for step in definition.steps
        if step.kind in (StepKind.TASK, StepKind.MEETING)
        for earlier in sorted(nx.ancestors(forward, step.id) | {step.id})
        if not definition.graph.has_edge(step.id, earlier)
    ]
    source, target = data.draw(st.sampled_from(pairs))
    edge = Edge(source, target, Action.APPROVE, condition="major_project")
    error = _caught(lambda: _rebuilt(definition, edges=[*definition.edges, edge]))
    cycles = [d for d in error.details if d.subject.startswith("forward cycle")]
    assert cycles and {source, target} <= set(cycles[0].nodes)


@settings(deadline=None)
@given(data=st.data())
def test_unmatching_a_join_is_caught_naming_the_join(
    data: st.DataObject, workflow_strategy: Strategy
) -> None:
    definition = data.draw(workflow_strategy.filter(lambda d: d.steps_of_kind(StepKind.JOIN)))
    join = data.draw(st.sampled_from(definition.steps_of_kind(StepKind.JOIN)))
    assert join.join is not None
    how = data.draw(st.sampled_from(["rewire", "renamed"]))
    if how == "rewire":
        # One branch skips the join and goes straight to the step after it.
        branch_end = data.draw(st.sampled_from(definition.incoming(join.id)))
        (after,) = definition.outgoing(join.id)
        edges = [
            attrs.evolve(e, target=after.target) if e == branch_end else e for e in definition.edges
        ]
        error = _caught(lambda: _rebuilt(definition, edges=edges))
    else:
        other = data.draw(
            st.sampled_from([s.id for s in definition.steps if s.id != join.join.split])
        )
        spec = Join(other)
        steps = [attrs.evolve(s, join=spec) if s == join else s for s in definition.steps]
        error = _caught(lambda: _rebuilt(definition, steps=steps))
    assert join.id in error.nodes


@settings(max_examples=50, deadline=None)
@given(data=st.data())
def test_mermaid_of_any_workflow_fits_the_grammar(
    data: st.DataObject,
    workflow_strategy: Strategy,
    mermaid_grammar: Callable[[str], object],
) -> None:
    definition = data.draw(workflow_strategy)
    chart = mermaid_grammar(to_mermaid(definition))
    assert len(chart.nodes) == len(definition.steps)  # type: ignore[attr-defined]
    assert len(chart.edges) == len(definition.edges)  # type: ignore[attr-defined]
