"""Pictures of a workflow: Mermaid flowcharts and Graphviz DOT.

Collective decisions (处务会, 局务会) stand out as the seed asks: MEETING steps get their own
shape and a bold style. A case's active steps can be highlighted with their lights, given
as a plain mapping ``step_id -> light`` (``"green"``, ``"yellow"``, ``"red"`` or any other
text), so rendering does not depend on the engine.

Mermaid node ids are generated ASCII identifiers (``s_review``, or ``s3`` for an id that is
not plain ASCII); every label is quoted, with ``"``, ``#``, ``<``, ``>``, ``&``, ``;`` and
the backtick written as Mermaid entity codes.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from planning_core.errors import ValidationError
from planning_core.workflow._definition import WorkflowDefinition
from planning_core.workflow._model import Action, Edge, EdgeKind, Step, StepKind
from planning_core.workflow._organisation import Organisation

__all__ = ["LIGHT_STYLES", "mermaid_ids", "to_dot", "to_mermaid"]

#: Fill and stroke colours for the usual lights; any other light gets a neutral highlight.
LIGHT_STYLES: Mapping[str, tuple[str, str]] = {
    "green": ("#d3f9d8", "#2f9e44"),
    "yellow": ("#fff3bf", "#f08c00"),
    "red": ("#ffc9c9", "#e03131"),
}
_LIGHT_ZH = {"green": "绿灯", "yellow": "黄灯", "red": "红灯"}
_OTHER_LIGHT = ("#e5dbff", "#7048e8")
_MEETING_STYLE = "fill:#fff9db,stroke:#e67700,stroke-width:3px"
_GATEWAY_STYLE = "fill:#e7f5ff,stroke:#1c7ed6"

_SAFE_ID = re.compile(r"[A-Za-z0-9_]+")
_MERMAID_SHAPES = {
    StepKind.START: ('(["', '"])'),
    StepKind.END: ('(("', '"))'),
    StepKind.TASK: ('["', '"]'),
    StepKind.MEETING: ('{{"', '"}}'),
    StepKind.SPLIT: ('{"', '"}'),
    StepKind.JOIN: ('{"', '"}'),
}
_MERMAID_ENTITIES = {
    "#": "#35;",
    '"': "#quot;",
    "<": "#lt;",
    ">": "#gt;",
    "&": "#amp;",
    ";": "#59;",
    "`": "#96;",
}
_DOT_SHAPES = {
    StepKind.START: "oval",
    StepKind.END: "doublecircle",
    StepKind.TASK: "box",
    StepKind.MEETING: "hexagon",
    StepKind.SPLIT: "diamond",
    StepKind.JOIN: "diamond",
}


def to_mermaid(
    definition: WorkflowDefinition,
    *,
    lights: Mapping[str, str] | None = None,
    organisation: Organisation | None = None,
    direction: str = "TD",
) -> str:
    """A Mermaid ``flowchart`` of ``definition``.

    :param lights: active steps and their lights, highlighted and labelled.
    :param organisation: when given, labels show post names instead of post codes.
    :param direction: ``TD`` (top-down) or ``LR`` (left-right).
    :raises ValidationError: when ``lights`` names a step the workflow does not have.
    """
    if direction not in ("TD", "LR"):
        raise ValidationError(f"direction must be 'TD' or 'LR', not {direction!r}")
    lights = _checked_lights(definition, lights)
    ids = mermaid_ids(definition)
    lines = [f"flowchart {direction}"]
    for step in definition.steps:
        opening, closing = _MERMAID_SHAPES[step.kind]
        label = _mermaid_text(_label_lines(step, organisation, lights.get(step.id)))
        lines.append(f"    {ids[step.id]}{opening}{label}{closing}")
    for edge in definition.edges:
        arrow = "-.->" if edge.kind is EdgeKind.RETURN else "-->"
        text = _edge_label(edge)
        pipe = f'|"{_mermaid_text([text])}"| ' if text else " "
        lines.append(f"    {ids[edge.source]} {arrow}{pipe}{ids[edge.target]}")
    lines += _mermaid_classes(definition, ids, lights)
    return "\n".join(lines) + "\n"


def mermaid_ids(definition: WorkflowDefinition) -> dict[str, str]:
    """Each step's Mermaid node id: ``s_<id>`` for a plain ASCII id, else ``s<position>``.

    The two forms cannot collide (only the first has an underscore after the ``s``), and
    neither is a Mermaid keyword such as ``end``.
    """
    return {
        step.id: f"s_{step.id}" if _SAFE_ID.fullmatch(step.id) else f"s{i}"
        for i, step in enumerate(definition.steps)
    }


def to_dot(
    definition: WorkflowDefinition,
    *,
    lights: Mapping[str, str] | None = None,
    organisation: Organisation | None = None,
) -> str:
    """A Graphviz ``digraph`` of ``definition``; ids and labels are quoted DOT strings.

    :raises ValidationError: when ``lights`` names a step the workflow does not have.
    """
    lights = _checked_lights(definition, lights)
    title = definition.name or f"{definition.permit_type} v{definition.version}"
    lines = [
        f"digraph {_dot_string(definition.permit_type)} {{",
        f'    graph [rankdir=TB, label={_dot_string(title)}, fontname="sans-serif"];',
        '    node [fontname="sans-serif"];',
        '    edge [fontname="sans-serif"];',
    ]
    for step in definition.steps:
        label = "\n".join(_label_lines(step, organisation, lights.get(step.id), html=False))
        attributes = [f"label={_dot_string(label)}", f"shape={_DOT_SHAPES[step.kind]}"]
        attributes += _dot_style(step, lights.get(step.id))
        lines.append(f"    {_dot_string(step.id)} [{', '.join(attributes)}];")
    for edge in definition.edges:
        attributes = [f"label={_dot_string(_edge_label(edge))}"]
        if edge.kind is EdgeKind.RETURN:
            attributes += ["style=dashed", "constraint=false"]
        source, target = _dot_string(edge.source), _dot_string(edge.target)
        lines.append(f"    {source} -> {target} [{', '.join(attributes)}];")
    lines.append("}")
    return "\n".join(lines) + "\n"


# -- shared -----------------------------------------------------------------------------


def _checked_lights(
    definition: WorkflowDefinition, lights: Mapping[str, str] | None
) -> Mapping[str, str]:
    lights = lights or {}
    unknown = [step_id for step_id in lights if not definition.has_step(step_id)]
    if unknown:
        raise ValidationError(
            f"lights name steps that workflow {definition.permit_type!r} "
            f"v{definition.version} does not have: {', '.join(map(repr, unknown))}"
        )
    return lights


def _label_lines(
    step: Step, organisation: Organisation | None, light: str | None, *, html: bool = True
) -> list[str]:
    lines = [step.name]
    if step.meeting is not None:
        body = "" if step.meeting.body.zh == step.name else f"{step.meeting.body.zh} · "
        lines.append(f"{body}法定人数 {step.meeting.quorum}")
    if step.post is not None:
        post = step.post
        if organisation is not None and organisation.has_post(post):
            post = organisation.post(post).name
        limit = f" · {step.time_limit.zh}" if step.time_limit is not None else ""
        lines.append(f"{post}{limit}")
    if light is not None:
        lines.append(f"● {_LIGHT_ZH.get(light, light)}")
    return lines


def _edge_label(edge: Edge) -> str:
    text = "" if edge.action is Action.FORWARD else edge.action.zh
    if edge.condition is not None:
        text = f"{text} [{edge.condition}]".strip()
    return text


# -- Mermaid ----------------------------------------------------------------------------


def _mermaid_text(lines: list[str]) -> str:
    """Escape each line and join them with ``<br/>`` (the only markup we emit)."""
    return "<br/>".join("".join(_MERMAID_ENTITIES.get(ch, ch) for ch in line) for line in lines)


def _mermaid_classes(
    definition: WorkflowDefinition, ids: Mapping[str, str], lights: Mapping[str, str]
) -> list[str]:
    groups: dict[str, list[str]] = {}
    styles: dict[str, str] = {
        "meeting": _MEETING_STYLE,
        "gateway": _GATEWAY_STYLE,
    }
    for step in definition.steps:
        if step.kind is StepKind.MEETING:
            groups.setdefault("meeting", []).append(ids[step.id])
        if step.kind in (StepKind.SPLIT, StepKind.JOIN):
            groups.setdefault("gateway", []).append(ids[step.id])
    others: dict[str, str] = {}
    for step_id, light in lights.items():
        if light in LIGHT_STYLES:
            name = f"light_{light}"
            fill, stroke = LIGHT_STYLES[light]
        else:
            name = others.setdefault(light, f"light_other{len(others)}")
            fill, stroke = _OTHER_LIGHT
        styles[name] = f"fill:{fill},stroke:{stroke},stroke-width:4px"
        groups.setdefault(name, []).append(ids[step_id])
    lines = [f"    classDef {name} {styles[name]}" for name in groups]
    lines += [f"    class {','.join(members)} {name}" for name, members in groups.items()]
    return lines


# -- DOT --------------------------------------------------------------------------------


def _dot_string(text: str) -> str:
    """A double-quoted DOT string; backslashes and quotes escaped, newlines as ``\\n``."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return f'"{escaped}"'


def _dot_style(step: Step, light: str | None) -> list[str]:
    if light is not None:
        fill, stroke = LIGHT_STYLES.get(light, _OTHER_LIGHT)
        return ['style="filled,bold"', f'fillcolor="{fill}"', f'color="{stroke}"', "penwidth=3"]
    if step.kind is StepKind.MEETING:
        return ['style="filled,bold"', 'fillcolor="#fff9db"', 'color="#e67700"', "penwidth=3"]
    return []
