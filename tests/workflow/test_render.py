"""Mermaid and DOT: checked by a strict grammar (Mermaid) and a real parser (pydot)."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import attrs
import pydot
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from planning_core.errors import ValidationError
from planning_core.permits import permit_catalogue
from planning_core.plugins import Hooks
from planning_core.registry import Registry
from planning_core.workflow import (
    LIGHT_STYLES,
    EdgeKind,
    StepKind,
    WorkflowDefinition,
    mermaid_ids,
    reference_organisation,
    to_dot,
    to_mermaid,
)

Grammar = Callable[[str], Any]

# pydot 4 still calls pyparsing's old camelCase names.
pytestmark = pytest.mark.filterwarnings("ignore:'\\w+' deprecated - use")


@pytest.fixture
def catalogue(hooks: Hooks) -> list[WorkflowDefinition]:
    return [p.workflow for p in permit_catalogue(hooks).values()]


def _assert_chart_matches(chart: Any, definition: WorkflowDefinition) -> None:
    ids = mermaid_ids(definition)
    assert set(chart.nodes) == set(ids.values())
    for step in definition.steps:
        assert chart.nodes[ids[step.id]][1].split("\n")[0] == step.name
    expected = {
        (ids[e.source], "-.->" if e.kind is EdgeKind.RETURN else "-->", ids[e.target])
        for e in definition.edges
    }
    assert {(a, arrow, b) for a, arrow, _, b in chart.edges} == expected
    meetings = {ids[s.id] for s in definition.steps_of_kind(StepKind.MEETING)}
    assert chart.classes.get("meeting", set()) == meetings


def test_reference_workflows_fit_the_mermaid_grammar(
    catalogue: list[WorkflowDefinition], mermaid_grammar: Grammar
) -> None:
    for definition in catalogue:
        chart = mermaid_grammar(to_mermaid(definition))
        _assert_chart_matches(chart, definition)
        assert chart.direction == "TD"


def test_chinese_labels_and_awkward_names_are_quoted_and_escaped(
    mermaid_grammar: Grammar, hooks: Hooks
) -> None:
    definition = permit_catalogue(hooks).get("CONSTRUCTION").workflow
    awkward = 'a "quoted" #1; <b> & `tick` | end'
    steps = [attrs.evolve(s, name=awkward) if s.id == "review" else s for s in definition.steps]
    chart = mermaid_grammar(to_mermaid(attrs.evolve(definition, steps=steps)))
    assert chart.nodes["s_review"][1].split("\n")[0] == awkward
    text = to_mermaid(definition)
    assert re.search(r'^    s_review\["承办处室审核<br/>', text, re.M)


def test_lights_highlight_active_steps(hooks: Hooks, mermaid_grammar: Grammar) -> None:
    definition = permit_catalogue(hooks).get("CONSTRUCTION").workflow
    lights = {"review": "red", "cs_legal": "yellow", "cs_planning": '紫灯 "x"'}
    chart = mermaid_grammar(to_mermaid(definition, lights=lights))
    assert chart.classes["light_red"] == {"s_review"}
    assert chart.classes["light_yellow"] == {"s_cs_legal"}
    assert chart.classes["light_other0"] == {"s_cs_planning"}
    assert "stroke:#e03131" in chart.class_defs["light_red"]
    assert chart.nodes["s_review"][1].endswith("● 红灯")
    assert chart.nodes["s_cs_planning"][1].endswith('● 紫灯 "x"')


def test_lights_must_name_steps_of_the_workflow(hooks: Hooks) -> None:
    definition = permit_catalogue(hooks).get("CONSTRUCTION").workflow
    with pytest.raises(ValidationError, match="'ghost'"):
        to_mermaid(definition, lights={"ghost": "red"})
    with pytest.raises(ValidationError, match="'ghost'"):
        to_dot(definition, lights={"ghost": "red"})


def test_organisation_turns_post_codes_into_names(hooks: Hooks, mermaid_grammar: Grammar) -> None:
    definition = permit_catalogue(hooks).get("CONSTRUCTION").workflow
    chart = mermaid_grammar(to_mermaid(definition, organisation=reference_organisation()))
    assert chart.nodes["s_review"][1].split("\n")[1] == "建设工程审核员 · 4个工作日"
    # without one, the reference organisation names the posts
    plain = mermaid_grammar(to_mermaid(definition))
    assert plain.nodes["s_review"][1].split("\n")[1] == "建设工程审核员 · 4个工作日"
    # a post the organisation does not know keeps its code
    renamed = attrs.evolve(
        reference_organisation(),
        posts=[p for p in reference_organisation().posts if p.code != "CONSTRUCTION_REVIEWER"],
        actors=[],
    )
    chart = mermaid_grammar(to_mermaid(definition, organisation=renamed))
    assert chart.nodes["s_review"][1].split("\n")[1] == "CONSTRUCTION_REVIEWER · 4个工作日"


def test_conditions_read_as_their_meaning_not_their_key(
    hooks: Hooks, mermaid_grammar: Grammar
) -> None:
    definition = permit_catalogue(hooks).get("CONSTRUCTION").workflow
    text = to_mermaid(definition)
    assert "major_project" not in text
    assert '-->|"同意（重大建设项目）"| s_bureau_meeting' in text
    dot = to_dot(definition)
    assert "major_project" not in dot and "同意（重大建设项目）" in dot
    # a condition nobody registered reads as its name in words
    unregistered = to_mermaid(definition, conditions=Registry("workflow condition"))
    assert '-->|"同意（条件 major project）"| s_bureau_meeting' in unregistered


def test_meetings_are_drawn_in_a_colour_no_light_uses(hooks: Hooks) -> None:
    definition = permit_catalogue(hooks).get("CONSTRUCTION").workflow
    meeting = re.search(r"classDef meeting fill:(#\w+),stroke:(#\w+)", to_mermaid(definition))
    assert meeting is not None
    light_colours = {c for pair in LIGHT_STYLES.values() for c in pair}
    assert {meeting.group(1), meeting.group(2)}.isdisjoint(light_colours)
    node = _parse_dot(to_dot(definition)).get_node('"division_meeting"')[0].get_attributes()
    assert {_unquote(node["fillcolor"]), _unquote(node["color"])}.isdisjoint(light_colours)
    assert set(LIGHT_STYLES) == {"green", "reminder", "yellow", "red"}


def test_direction(hooks: Hooks, mermaid_grammar: Grammar) -> None:
    definition = permit_catalogue(hooks).get("CONSTRUCTION").workflow
    assert mermaid_grammar(to_mermaid(definition, direction="LR")).direction == "LR"
    with pytest.raises(ValidationError, match="direction"):
        to_mermaid(definition, direction="BT")


# -- DOT --------------------------------------------------------------------------------


def _unquote(text: str) -> str:
    assert text.startswith('"') and text.endswith('"'), text
    return re.sub(r"\\(.)", lambda m: "\n" if m.group(1) == "n" else m.group(1), text[1:-1])


def _parse_dot(text: str) -> pydot.Dot:
    graphs = pydot.graph_from_dot_data(text)
    assert graphs is not None and len(graphs) == 1, "pydot could not parse the DOT text"
    return graphs[0]


def _assert_dot_matches(graph: pydot.Dot, definition: WorkflowDefinition) -> None:
    nodes = {
        _unquote(n.get_name()): n
        for n in graph.get_nodes()
        if n.get_name() not in ("graph", "node", "edge")
    }
    assert set(nodes) == {s.id for s in definition.steps}
    for step in definition.steps:
        label = _unquote(nodes[step.id].get_label())
        assert label.split("\n")[0] == step.name
    edges = {
        (_unquote(e.get_source()), _unquote(e.get_destination())): e for e in graph.get_edges()
    }
    assert set(edges) == {e.key for e in definition.edges}
    for edge in definition.edges:
        dashed = edges[edge.key].get_attributes().get("style") == "dashed"
        assert dashed == (edge.kind is EdgeKind.RETURN)


def test_reference_workflows_parse_as_dot(catalogue: list[WorkflowDefinition]) -> None:
    for definition in catalogue:
        graph = _parse_dot(to_dot(definition))
        _assert_dot_matches(graph, definition)
        meeting = graph.get_node('"division_meeting"')[0]
        assert meeting.get_attributes()["shape"] == "hexagon"
        assert _unquote(meeting.get_attributes()["style"]) == "filled,bold"


def test_dot_lights(hooks: Hooks) -> None:
    definition = permit_catalogue(hooks).get("CONSTRUCTION").workflow
    graph = _parse_dot(to_dot(definition, lights={"review": "red"}))
    review = graph.get_node('"review"')[0].get_attributes()
    assert _unquote(review["fillcolor"]) == "#ffc9c9"
    assert _unquote(review["label"]).endswith("● 红灯")


@settings(max_examples=15, deadline=None)  # pydot's parser is slow; 15 graphs of ~15 steps
@given(data=st.data())
def test_dot_of_any_workflow_parses(data: st.DataObject, workflow_strategy: Any) -> None:
    definition = data.draw(workflow_strategy)
    lights = {s.id: "red" for s in definition.steps[:2]}
    _assert_dot_matches(_parse_dot(to_dot(definition, lights=lights)), definition)


@settings(max_examples=40, deadline=None)
@given(data=st.data())
def test_mermaid_of_any_workflow_matches_it(
    data: st.DataObject, workflow_strategy: Any, mermaid_grammar: Grammar
) -> None:
    definition = data.draw(workflow_strategy)
    ids = mermaid_ids(definition)
    assert len(set(ids.values())) == len(ids)
    _assert_chart_matches(mermaid_grammar(to_mermaid(definition)), definition)
