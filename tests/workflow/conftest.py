"""Shared test tools of the workflow room, handed out as session fixtures.

* ``workflow_strategy``: a hypothesis strategy for random *valid* workflow definitions,
  built by composing blocks (tasks, meetings, exclusive choices, countersigns nested up to
  two deep) with RETURN edges to earlier steps and REJECT edges to a refusal path. Step ids
  and names are drawn to be awkward for renderers (Chinese, quotes, ``end``, ``#``, ``;``).
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
from typing import Any

import attrs
import pytest
from hypothesis import strategies as st

from planning_core.timing import TimeLimit
from planning_core.workflow import Action, MeetingBody, WorkflowBuilder, WorkflowDefinition

CONDITION = "major_project"

_ID_STEMS = ["t", "审核", "a b", "end", 'q"', "x-1", "会签", "graph", "s_1", "#;"]
_NAME_TEXT = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=("C",)), min_size=1, max_size=10
)


class _Generator:
    """Draws one valid workflow, block by block."""

    def __init__(self, draw: Callable[[st.SearchStrategy[Any]], Any], max_depth: int) -> None:
        self.draw = draw
        self.max_depth = max_depth
        self.builder = WorkflowBuilder("RANDOM", version=draw(st.integers(1, 9)))
        self.used: set[str] = set()
        self.deny: str | None = None
        self.count = 0

    def new_id(self) -> str:
        self.count += 1
        step_id = f"{self.draw(st.sampled_from(_ID_STEMS))}{self.count}"
        while step_id in self.used:
            step_id += "'"
        self.used.add(step_id)
        return step_id

    def name(self) -> str:
        return self.draw(_NAME_TEXT).strip() or "步骤"

    def timed(self, *, meeting: bool, returns_to: list[str], depth: int) -> str:
        step_id = self.new_id()
        actions = [Action.APPROVE]
        target = None
        if returns_to and self.draw(st.booleans()):
            target = self.draw(st.sampled_from(returns_to))
            actions.append(Action.RETURN)
        rejects = depth == 0 and self.draw(st.booleans())
        if rejects:
            actions.append(Action.REJECT)
        post = self.draw(st.sampled_from(["P1", "P2", "窗口"]))
        days = self.draw(st.integers(1, 6))
        if meeting:
            body = self.draw(st.sampled_from(MeetingBody))
            self.builder.meeting(
                step_id, self.name(), body=body, quorum=3, post=post, days=days, actions=actions
            )
        else:
            self.builder.task(step_id, self.name(), post=post, days=days, actions=actions)
        if target is not None:
            self.builder.back(step_id, target)
        if rejects:
            self.builder.edge(step_id, self.denial(), Action.REJECT)
        return step_id

    def denial(self) -> str:
        if self.deny is None:
            self.deny = self.new_id()
            end = self.new_id()
            self.builder.task(self.deny, "不予许可", post="P1", days=1)
            self.builder.end(end, "办结（不予许可）")
            self.builder.edge(self.deny, end, Action.APPROVE)
        return self.deny

    def sequence(self, depth: int) -> tuple[str, str, Action]:
        """Blocks in a row; returns (entry, exit, the action that leaves the exit)."""
        earlier: list[str] = []
        entry: str | None = None
        exit_: tuple[str, Action] | None = None
        for _ in range(self.draw(st.integers(1, 3))):
            first, last, action, mains = self.block(depth, earlier)
            if exit_ is None:
                entry = first
            else:
                self.builder.edge(exit_[0], first, exit_[1])
            exit_ = (last, action)
            earlier += mains
        assert entry is not None and exit_ is not None
        return entry, exit_[0], exit_[1]

    def block(self, depth: int, earlier: list[str]) -> tuple[str, str, Action, list[str]]:
        kinds = ["task", "meeting", "choice"] + (["parallel"] if depth < self.max_depth else [])
        kind = self.draw(st.sampled_from(kinds))
        if kind in ("task", "meeting"):
            step = self.timed(meeting=kind == "meeting", returns_to=earlier, depth=depth)
            return step, step, Action.APPROVE, [step]
        if kind == "choice":
            return self.choice(depth, earlier)
        return self.parallel(depth)

    def choice(self, depth: int, earlier: list[str]) -> tuple[str, str, Action, list[str]]:
        head = self.timed(meeting=False, returns_to=earlier, depth=depth)
        alternatives = [self.timed(meeting=False, returns_to=[], depth=1) for _ in range(2)]
        merge = self.timed(meeting=False, returns_to=[*earlier, head], depth=depth)
        self.builder.edge(head, alternatives[0], Action.APPROVE, condition=CONDITION)
        self.builder.edge(head, alternatives[1], Action.APPROVE)
        for alternative in alternatives:
            self.builder.edge(alternative, merge, Action.APPROVE)
        return head, merge, Action.APPROVE, [head, merge]

    def parallel(self, depth: int) -> tuple[str, str, Action, list[str]]:
        split, join = self.new_id(), self.new_id()
        branches = self.draw(st.integers(2, 3))
        n = self.draw(st.none() | st.integers(1, branches))
        self.builder.split(split, "会签")
        for _ in range(branches):
            entry, last, action = self.sequence(depth + 1)
            self.builder.edge(split, entry)
            self.builder.edge(last, join, action)
        self.builder.join(join, "会签汇总", split=split, n=n)
        return split, join, Action.FORWARD, [split]


@st.composite
def workflows(draw: st.DrawFn, max_depth: int = 2) -> WorkflowDefinition:
    """A random valid workflow definition."""
    generator = _Generator(draw, max_depth)
    start, done = generator.new_id(), generator.new_id()
    generator.builder.start(start, "收件")
    entry, last, action = generator.sequence(0)
    generator.builder.end(done, "办结")
    generator.builder.edge(start, entry)
    generator.builder.edge(last, done, action)
    return generator.builder.build()


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
