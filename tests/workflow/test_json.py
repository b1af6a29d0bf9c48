from __future__ import annotations

import json
from pathlib import Path

import networkx as nx
import pytest

from planning_core.errors import ValidationError
from planning_core.permits import permit_catalogue
from planning_core.plugins import Hooks
from planning_core.serialization import make_converter
from planning_core.workflow import (
    WorkflowDefinitionError,
    definition_from_json,
    definition_to_json,
    read_definition,
)


def test_reference_workflows_round_trip(hooks: Hooks) -> None:
    converter = make_converter(hooks)
    for permit in permit_catalogue(hooks).values():
        data = definition_to_json(permit.workflow, converter)
        text = json.dumps(data, ensure_ascii=False)
        again = definition_from_json(json.loads(text), converter)
        assert again == permit.workflow
        assert again.content_hash == permit.workflow.content_hash


def test_networkx_reads_the_same_document(hooks: Hooks) -> None:
    definition = permit_catalogue(hooks).get("CONSTRUCTION").workflow
    data = definition_to_json(definition)
    graph = nx.node_link_graph(data, edges="edges")
    assert set(graph.nodes) == {s.id for s in definition.steps}
    assert set(graph.edges) == {e.key for e in definition.edges}
    assert graph.nodes["division_meeting"]["kind"] == "meeting"
    assert graph.graph["permit_type"] == "CONSTRUCTION"
    assert graph.edges["leader", "review"]["kind"] == "return"


def test_field_errors_name_their_json_path(hooks: Hooks) -> None:
    data = definition_to_json(permit_catalogue(hooks).get("CONSTRUCTION").workflow)
    data["nodes"][1]["kind"] = "banquet"
    data["edges"][2]["action"] = "shrug"
    with pytest.raises(ValidationError) as info:
        definition_from_json(data)
    problems = "\n".join(info.value.problems)
    assert "$.nodes[1].kind" in problems
    assert "$.edges[2].action" in problems


@pytest.mark.parametrize(("key", "word"), [("directed", "directed"), ("multigraph", "one edge")])
def test_only_a_simple_directed_graph_is_a_workflow(hooks: Hooks, key: str, word: str) -> None:
    data = definition_to_json(permit_catalogue(hooks).get("CONSTRUCTION").workflow)
    data[key] = not data[key]
    with pytest.raises(ValidationError, match=word):
        definition_from_json(data)


def test_graph_errors_come_after_the_fields_are_sound(hooks: Hooks) -> None:
    data = definition_to_json(permit_catalogue(hooks).get("CONSTRUCTION").workflow)
    data["edges"] = [e for e in data["edges"] if e["target"] != "done"]
    with pytest.raises(WorkflowDefinitionError) as info:
        definition_from_json(data)
    assert {"leader", "bureau_meeting", "done"} <= info.value.nodes


def test_read_definition_reports_bad_json_with_its_position(tmp_path: Path) -> None:
    path = tmp_path / "broken.json"
    path.write_text('{"nodes": [\n  oops]}', encoding="utf-8")
    with pytest.raises(ValidationError, match="line 2, column 3"):
        read_definition(path)
