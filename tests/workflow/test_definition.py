"""The query API the engine runs cases on."""

from __future__ import annotations

import attrs
import networkx as nx
import pytest

from planning_core.errors import InvalidStateError, NotFoundError, ValidationError
from planning_core.permits import permit_catalogue
from planning_core.plugins import Hooks
from planning_core.registry import Registry
from planning_core.workflow import (
    Action,
    EdgeKind,
    StepKind,
    WorkflowCondition,
    WorkflowDefinition,
    WorkflowDefinitionError,
    workflow_conditions,
)


@pytest.fixture
def construction(hooks: Hooks) -> WorkflowDefinition:
    return permit_catalogue(hooks).get("CONSTRUCTION").workflow


@pytest.fixture
def conditions(hooks: Hooks) -> Registry[WorkflowCondition]:
    return workflow_conditions(hooks)


def test_start_ends_and_steps(construction: WorkflowDefinition) -> None:
    assert construction.step(construction.start).kind is StepKind.START
    assert [construction.step(e).kind for e in construction.ends] == [StepKind.END] * 2
    assert construction.has_step("review") and not construction.has_step("nope")
    meetings = construction.steps_of_kind(StepKind.MEETING)
    assert {m.meeting.body.zh for m in meetings if m.meeting} == {"处务会", "局务会"}
    with pytest.raises(NotFoundError, match=r"no step 'nope'.*review"):
        construction.step("nope")


def test_outgoing_and_incoming_keep_definition_order(construction: WorkflowDefinition) -> None:
    out = construction.outgoing("division_meeting")
    assert out == tuple(e for e in construction.edges if e.source == "division_meeting")
    approve = construction.outgoing("division_meeting", Action.APPROVE)
    assert {e.action for e in approve} == {Action.APPROVE}
    assert {e.source for e in construction.incoming("done")} == {"leader", "bureau_meeting"}
    assert {e.source for e in construction.incoming("denied")} == {"leader", "bureau_meeting"}


def test_next_steps_choose_by_condition(
    construction: WorkflowDefinition, conditions: Registry[WorkflowCondition]
) -> None:
    step = "division_meeting"
    assert construction.next_steps(step, Action.APPROVE, {}, conditions) == ("leader",)
    major = {"major_project": True}
    assert construction.next_steps(step, Action.APPROVE, major, conditions) == ("bureau_meeting",)
    assert construction.next_steps(step, Action.RETURN, {}, conditions) == ("review",)
    with pytest.raises(ValidationError, match="must be True or False"):
        construction.next_steps(step, Action.APPROVE, {"major_project": "yes"}, conditions)


def test_next_steps_from_a_split_opens_every_branch(
    construction: WorkflowDefinition, conditions: Registry[WorkflowCondition]
) -> None:
    branches = construction.next_steps("countersign", Action.FORWARD, {}, conditions)
    assert branches == construction.branches("countersign") == ("cs_planning", "cs_legal")


def test_next_steps_refuses_an_action_the_step_does_not_allow(
    construction: WorkflowDefinition, conditions: Registry[WorkflowCondition]
) -> None:
    with pytest.raises(InvalidStateError, match="REJECT is not allowed at step 'review'"):
        construction.next_steps("review", Action.REJECT, {}, conditions)


def test_next_steps_needs_the_condition_registered(construction: WorkflowDefinition) -> None:
    with pytest.raises(NotFoundError, match="major_project"):
        construction.next_steps("division_meeting", Action.APPROVE, {}, Registry("condition"))


def test_returns_to(construction: WorkflowDefinition) -> None:
    assert construction.returns_to("leader") == ("review",)
    assert construction.returns_to("accept") == ()


def test_countersign_queries(construction: WorkflowDefinition) -> None:
    assert construction.join_of("countersign") == "countersign_done"
    assert construction.split_of("countersign_done") == "countersign"
    assert construction.awaits("countersign_done") == 2
    assert construction.inside("countersign") == {"cs_planning", "cs_legal"}
    assert construction.enclosing_splits("cs_legal") == ("countersign",)
    assert construction.enclosing_splits("review") == ()
    with pytest.raises(NotFoundError, match="not a SPLIT"):
        construction.join_of("review")
    with pytest.raises(NotFoundError, match="not a JOIN"):
        construction.awaits("review")


def test_the_graph_is_frozen_and_complete(construction: WorkflowDefinition) -> None:
    graph = construction.graph
    assert nx.is_frozen(graph) and nx.is_frozen(construction.forward_graph)
    with pytest.raises(nx.NetworkXError):
        graph.add_edge("a", "b")
    assert set(graph.nodes) == {s.id for s in construction.steps}
    assert {(u, v) for u, v in graph.edges} == {e.key for e in construction.edges}
    returns = {e.key for e in construction.edges if e.kind is EdgeKind.RETURN}
    assert set(construction.forward_graph.edges) == {e.key for e in construction.edges} - returns
    assert graph.nodes["review"]["step"] == construction.step("review")
    assert nx.is_directed_acyclic_graph(construction.forward_graph)


def test_content_hash_follows_the_content_not_the_label(construction: WorkflowDefinition) -> None:
    again = WorkflowDefinition(
        construction.permit_type, construction.version, construction.steps, construction.edges
    )
    assert again.content_hash == construction.content_hash and again == attrs.evolve(
        construction, name=""
    )
    assert attrs.evolve(construction, version=9).content_hash == construction.content_hash
    renamed = [
        attrs.evolve(s, name="审核（新）") if s.id == "review" else s for s in construction.steps
    ]
    assert attrs.evolve(construction, steps=renamed).content_hash != construction.content_hash


def test_evolve_validates_again(construction: WorkflowDefinition) -> None:
    with pytest.raises(WorkflowDefinitionError, match="cannot be reached"):
        attrs.evolve(construction, edges=construction.edges[1:])
    with pytest.raises(ValidationError, match="version"):
        attrs.evolve(construction, version=0)
