"""Shared test tools of the workflow room, handed out as session fixtures.

* ``workflow_strategy``: a hypothesis strategy for random *valid* workflow definitions,
  built by composing blocks (tasks, meetings, exclusive choices, countersigns nested up to
  two deep) with RETURN edges to earlier steps and REJECT edges to a refusal path. Step ids
  and names are drawn to be awkward for renderers (Chinese, quotes, ``end``, ``#``, ``;``).
  It is :func:`planning_core.testing.strategies.workflows`, shipped with the library.
* ``mermaid_grammar``: a strict checker for the Mermaid subset the renderer emits; it
  returns the parsed nodes, edges and classes with entity codes decoded, so tests compare
  them with the definition.

(Helpers live here because ``--import-mode=importlib`` keeps test modules from importing
each other.)
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable

import attrs
import pytest
from hypothesis import strategies as st

from planning_core.testing.strategies import workflows
from planning_core.timing import TimeLimit
from planning_core.workflow import WorkflowDefinition

# -- the Mermaid grammar ----------------------------------------------------------------

_ID = r"[A-Za-z][A-Za-z0-9_]*"
_KEYWORDS = {
    "end",
    "graph",
    "flowchart",
    "subgraph",
    "style",
    "class",
    "classdef",
    "click",
    "linkstyle",
    "default",
    "direction",
    "call",
    "href",
    "interpolate",
}
_SHAPES = {'(["': '"])', '(("': '"))', '["': '"]', '{{"': '"}}', '{"': '"}'}
_NODE = re.compile(
    rf'^    (?P<id>{_ID})(?P<open>\(\["|\(\("|\["|\{{\{{"|\{{")(?P<label>[^"]*)'
    rf'(?P<close>"\]\)|"\)\)|"\]|"\}}\}}|"\}})$'
)
_EDGE = re.compile(
    rf'^    (?P<a>{_ID}) (?P<arrow>-->|-\.->)(?:\|"(?P<label>[^"]*)"\|)? (?P<b>{_ID})$'
)
_STYLE = r"[a-z-]+:[#A-Za-z0-9.]+"
_CLASSDEF = re.compile(rf"^    classDef (?P<name>{_ID}) (?P<styles>{_STYLE}(?:,{_STYLE})*)$")
_CLASS = re.compile(rf"^    class (?P<ids>{_ID}(?:,{_ID})*) (?P<name>{_ID})$")
_ENTITY = re.compile(r"#(?:\d+|[a-z]+);")


@attrs.frozen
class MermaidChart:
    """What the checker read: labels decoded (``<br/>`` becomes a newline)."""

    direction: str
    nodes: dict[str, tuple[str, str]]
    edges: list[tuple[str, str, str, str]]
    class_defs: dict[str, str]
    classes: dict[str, set[str]]


def _label(text: str, where: str) -> str:
    bare = _ENTITY.sub("", text.replace("<br/>", ""))
    bad = set(bare) & set('"#;<>&`|') if where == "edge" else set(bare) & set('"#;<>&`')
    assert not bad, f"unescaped {sorted(bad)} in {where} label {text!r}"
    decoded = _ENTITY.sub(lambda m: _decode(m.group(0)), text)
    return decoded.replace("<br/>", "\n")


def _decode(entity: str) -> str:
    body = entity[1:-1]
    return chr(int(body)) if body.isdigit() else html.unescape(f"&{body};")


def check_mermaid(text: str) -> MermaidChart:
    """Parse ``text`` strictly; any line outside the grammar fails the test."""
    assert text.endswith("\n") and "\r" not in text
    lines = text.splitlines()
    header = re.fullmatch(r"flowchart (TD|LR)", lines[0])
    assert header, f"bad header {lines[0]!r}"
    chart = MermaidChart(header.group(1), {}, [], {}, {})
    for line in lines[1:]:
        _read_line(chart, line)
    for a, _, _, b in chart.edges:
        assert a in chart.nodes and b in chart.nodes, f"edge {a} -> {b} to an undefined node"
    for name, members in chart.classes.items():
        assert name in chart.class_defs, f"class {name} is used but never defined"
        assert members <= set(chart.nodes), f"class {name} names undefined nodes"
    return chart


def _read_line(chart: MermaidChart, line: str) -> None:
    if match := _NODE.fullmatch(line):
        node = match.group("id")
        assert node.lower() not in _KEYWORDS, f"node id {node!r} is a Mermaid keyword"
        assert node not in chart.nodes, f"node {node!r} defined twice"
        assert _SHAPES[match.group("open")] == match.group("close"), f"shape mismatch: {line!r}"
        chart.nodes[node] = (match.group("open"), _label(match.group("label"), "node"))
    elif match := _EDGE.fullmatch(line):
        label = _label(match.group("label") or "", "edge")
        chart.edges.append((match.group("a"), match.group("arrow"), label, match.group("b")))
    elif match := _CLASSDEF.fullmatch(line):
        assert match.group("name") not in chart.class_defs, f"classDef twice: {line!r}"
        chart.class_defs[match.group("name")] = match.group("styles")
    elif match := _CLASS.fullmatch(line):
        chart.classes.setdefault(match.group("name"), set()).update(match.group("ids").split(","))
    else:
        raise AssertionError(f"line outside the Mermaid grammar: {line!r}")


@pytest.fixture(scope="session")
def workflow_strategy() -> st.SearchStrategy[WorkflowDefinition]:
    """Random valid workflow definitions."""
    return workflows()


@pytest.fixture(scope="session")
def mermaid_grammar() -> Callable[[str], MermaidChart]:
    """The strict Mermaid checker."""
    return check_mermaid


@pytest.fixture(scope="session")
def day() -> Callable[[int], TimeLimit]:
    """``TimeLimit.working_days``, short."""
    return TimeLimit.working_days
