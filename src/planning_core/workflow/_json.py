"""Definitions as JSON, in networkx's node-link format with step attributes.

::

    {"directed": true, "multigraph": false,
     "graph": {"permit_type": "CONSTRUCTION", "version": 1, "name": "…"},
     "nodes": [{"id": "review", "name": "承办处室审核", "kind": "task", "post": "…",
                "time_limit": {"days": 4, "unit": "working_days"}, "actions": ["approve"],
                "standards": [{"code": "…", "text": "…"}], "meeting": null, "join": null}],
     "edges": [{"source": "review", "target": "split", "action": "approve",
                "kind": "forward", "condition": null}]}

``networkx.node_link_graph(data, edges="edges")`` reads the same document. Fields are
structured by the one cattrs converter, so a bad field is reported with its JSON path;
the graph rules are then checked by :class:`WorkflowDefinition` itself.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import attrs
import cattrs

from planning_core.errors import ValidationError
from planning_core.inputs import load_json, read_text
from planning_core.serialization import dump, load, make_converter
from planning_core.workflow._definition import WorkflowDefinition
from planning_core.workflow._model import Edge, Step

__all__ = ["definition_from_json", "definition_to_json", "read_definition"]


def _true(instance: object, attribute: attrs.Attribute[bool], value: bool) -> None:
    if value is not True:
        raise ValidationError('a workflow is a directed graph; set "directed": true')


def _false(instance: object, attribute: attrs.Attribute[bool], value: bool) -> None:
    if value is not False:
        raise ValidationError(
            'a workflow holds one edge per pair of steps; set "multigraph": false'
        )


@attrs.frozen
class _GraphAttributes:
    permit_type: str
    version: int
    name: str = ""


@attrs.frozen(kw_only=True)
class _NodeLinkDocument:
    directed: bool = attrs.field(default=True, validator=_true)
    multigraph: bool = attrs.field(default=False, validator=_false)
    graph: _GraphAttributes
    nodes: tuple[Step, ...]
    edges: tuple[Edge, ...]


def definition_from_json(
    data: object, converter: cattrs.Converter | None = None
) -> WorkflowDefinition:
    """Build a definition from node-link JSON data (already parsed).

    :raises ValidationError: listing every malformed field as ``description @ $.path``.
    :raises WorkflowDefinitionError: listing every graph problem, naming steps and edges.
    """
    document = load(converter or make_converter(), data, _NodeLinkDocument)
    return WorkflowDefinition(
        document.graph.permit_type,
        document.graph.version,
        document.nodes,
        document.edges,
        document.graph.name,
    )


def definition_to_json(
    definition: WorkflowDefinition, converter: cattrs.Converter | None = None
) -> dict[str, Any]:
    """The definition as node-link JSON data; :func:`definition_from_json` reads it back."""
    document = _NodeLinkDocument(
        graph=_GraphAttributes(definition.permit_type, definition.version, definition.name),
        nodes=definition.steps,
        edges=definition.edges,
    )
    data: dict[str, Any] = dump(converter or make_converter(), document)
    return data


def read_definition(path: Path, converter: cattrs.Converter | None = None) -> WorkflowDefinition:
    """Read a node-link JSON file (UTF-8, one object; see :mod:`planning_core.inputs`).

    :raises NotFoundError: when there is no file at ``path``.
    :raises ValidationError: when the file is not UTF-8 JSON (naming the line and column,
        or the encoding it looks like), nests too deep, or is not one object.
    """
    data = load_json(read_text(path, str(path)), str(path), expect=dict)
    return definition_from_json(data, converter)
