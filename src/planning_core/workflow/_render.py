"""Pictures of a workflow: Mermaid flowcharts, Graphviz DOT and a standalone SVG.

Collective decisions (处务会, 局务会) stand out as the seed asks: MEETING steps get their own
shape and a bold violet style, a colour no light uses (green, the reminder's blue, yellow
and red belong to the lights; a light no one knows is grey), so a meeting never reads as
a step running late. A case's active steps can be highlighted with their lights, given as a
plain mapping ``step_id -> light`` (``"green"``, ``"reminder"``, ``"yellow"``, ``"red"``
or any other text), so rendering does not depend on the engine.

The pictures are for people: a step shows the Chinese name of the post that owns it (from
the organisation given, by default the reference organisation; a post it does not know
keeps its code), and a conditional edge shows what its condition means (the head of the
registered condition's description, ``同意（重大建设项目）``), never the condition's key.

Mermaid node ids are generated ASCII identifiers (``s_review``, or ``s3`` for an id that is
not plain ASCII); every label is quoted, with ``"``, ``#``, ``<``, ``>``, ``&``, ``;`` and
the backtick written as Mermaid entity codes.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from xml.sax.saxutils import escape, quoteattr

import networkx as nx

from planning_core.errors import ValidationError
from planning_core.registry import Registry
from planning_core.workflow._conditions import WorkflowCondition, workflow_conditions
from planning_core.workflow._definition import WorkflowDefinition
from planning_core.workflow._model import Action, Edge, EdgeKind, Step, StepKind
from planning_core.workflow._organisation import Organisation
from planning_core.workflow._reference_org import reference_organisation

__all__ = ["LIGHT_STYLES", "mermaid_ids", "to_dot", "to_mermaid", "to_svg"]

#: Fill and stroke colours for the usual lights; any other light gets a neutral highlight.
LIGHT_STYLES: Mapping[str, tuple[str, str]] = {
    "green": ("#d3f9d8", "#2f9e44"),
    "reminder": ("#d0ebff", "#1971c2"),
    "yellow": ("#fff3bf", "#f08c00"),
    "red": ("#ffc9c9", "#e03131"),
}
_LIGHT_ZH = {"green": "绿灯", "reminder": "预警提醒", "yellow": "黄灯", "red": "红灯"}
_OTHER_LIGHT = ("#e9ecef", "#495057")
#: Fill and stroke of a MEETING step: violet, far from every light's colour.
_MEETING = ("#f3f0ff", "#6741d9")
_MEETING_STYLE = f"fill:{_MEETING[0]},stroke:{_MEETING[1]},stroke-width:3px"
_GATEWAY_FILL, _GATEWAY_STROKE = "#f8f9fa", "#495057"
_GATEWAY_STYLE = f"fill:{_GATEWAY_FILL},stroke:{_GATEWAY_STROKE}"

_SAFE_ID = re.compile(r"[A-Za-z0-9_]+")
_MERMAID_SHAPES = {
    StepKind.START: ('(["', '"])'),
    StepKind.END: ('(("', '"))'),
    StepKind.TASK: ('["', '"]'),
    StepKind.MEETING: ('{{"', '"}}'),
    StepKind.SPLIT: ('{"', '"}'),
    StepKind.JOIN: ('{"', '"}'),
    StepKind.CONSULT: ('[/"', '"/]'),  # 征求意见: other departments, in parallel
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
    StepKind.CONSULT: "parallelogram",
}


def to_mermaid(
    definition: WorkflowDefinition,
    *,
    lights: Mapping[str, str] | None = None,
    organisation: Organisation | None = None,
    conditions: Registry[WorkflowCondition] | None = None,
    direction: str = "TD",
) -> str:
    """A Mermaid ``flowchart`` of ``definition``.

    :param lights: active steps and their lights, highlighted and labelled.
    :param organisation: names the posts (None: the reference organisation); a post it
        does not know is shown by its code.
    :param conditions: describe the edges' conditions (None: the built-in conditions).
    :param direction: ``TD`` (top-down) or ``LR`` (left-right).
    :raises ValidationError: when ``lights`` names a step the workflow does not have.
    """
    if direction not in ("TD", "LR"):
        raise ValidationError(f"direction must be 'TD' or 'LR', not {direction!r}")
    lights = _checked_lights(definition, lights)
    organisation, conditions = _defaults(organisation, conditions)
    ids = mermaid_ids(definition)
    lines = [f"flowchart {direction}"]
    for step in definition.steps:
        opening, closing = _MERMAID_SHAPES[step.kind]
        label = _mermaid_text(_label_lines(step, organisation, lights.get(step.id)))
        lines.append(f"    {ids[step.id]}{opening}{label}{closing}")
    for edge in definition.edges:
        arrow = "-.->" if edge.kind is EdgeKind.RETURN else "-->"
        text = _edge_label(edge, conditions)
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
    conditions: Registry[WorkflowCondition] | None = None,
) -> str:
    """A Graphviz ``digraph`` of ``definition``; ids and labels are quoted DOT strings.

    ``organisation`` and ``conditions`` as for :func:`to_mermaid`.

    :raises ValidationError: when ``lights`` names a step the workflow does not have.
    """
    lights = _checked_lights(definition, lights)
    organisation, conditions = _defaults(organisation, conditions)
    title = definition.name or f"{definition.permit_type} v{definition.version}"
    lines = [
        f"digraph {_dot_string(definition.permit_type)} {{",
        f'    graph [rankdir=TB, label={_dot_string(title)}, fontname="sans-serif"];',
        '    node [fontname="sans-serif"];',
        '    edge [fontname="sans-serif"];',
    ]
    for step in definition.steps:
        label = "\n".join(_label_lines(step, organisation, lights.get(step.id)))
        attributes = [f"label={_dot_string(label)}", f"shape={_DOT_SHAPES[step.kind]}"]
        attributes += _dot_style(step, lights.get(step.id))
        lines.append(f"    {_dot_string(step.id)} [{', '.join(attributes)}];")
    for edge in definition.edges:
        attributes = [f"label={_dot_string(_edge_label(edge, conditions))}"]
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


def _label_lines(step: Step, organisation: Organisation, light: str | None) -> list[str]:
    lines = [step.name]
    if step.meeting is not None:
        body = "" if step.meeting.body.zh == step.name else f"{step.meeting.body.zh} · "
        lines.append(f"{body}法定人数 {step.meeting.quorum}")
    if step.post is not None:
        post = step.post
        if organisation.has_post(post):
            post = organisation.post(post).name
        limit = f" · {step.time_limit.zh}" if step.time_limit is not None else ""
        lines.append(f"{post}{limit}")
    if light is not None:
        lines.append(f"● {_LIGHT_ZH.get(light, light)}")
    return lines


def _defaults(
    organisation: Organisation | None, conditions: Registry[WorkflowCondition] | None
) -> tuple[Organisation, Registry[WorkflowCondition]]:
    return (
        reference_organisation() if organisation is None else organisation,
        workflow_conditions() if conditions is None else conditions,
    )


def _edge_label(edge: Edge, conditions: Registry[WorkflowCondition]) -> str:
    text = "" if edge.action is Action.FORWARD else edge.action.zh
    if edge.condition is not None:
        text = f"{text}（{_condition_label(edge.condition, conditions)}）"
    return text


def _condition_label(name: str, conditions: Registry[WorkflowCondition]) -> str:
    """What a condition means, short enough for an edge: the head of its description.

    ``重大建设项目：处务会通过后…`` gives ``重大建设项目`` (the text before the first colon,
    bracket or full stop); a condition that is not registered, or has no description,
    reads as its name in words (``city_centre`` → ``条件 city centre``).
    """
    description = conditions.get(name).description if name in conditions else ""
    head = re.split(r"[：:（(。;；\n]", description.strip(), maxsplit=1)[0].strip()
    if head and head != name:
        return head
    return "条件 " + re.sub(r"[_\-.]+", " ", name).strip()


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
        fill, stroke = _MEETING
        return ['style="filled,bold"', f'fillcolor="{fill}"', f'color="{stroke}"', "penwidth=3"]
    return []


# -- SVG --------------------------------------------------------------------------------

_FONTS = "Noto Sans CJK SC, Source Han Sans SC, WenQuanYi Zen Hei, Microsoft YaHei, sans-serif"
_NAME_SIZE, _LINE_SIZE, _EDGE_SIZE = 14, 12, 12
_ROW_GAP, _COLUMN_GAP, _MARGIN, _LANE = 64, 36, 16, 22
_HALO = 'stroke="#ffffff" stroke-width="4" stroke-linejoin="round" paint-order="stroke"'


def _text_width(text: str, size: float) -> float:
    """A generous width: a full em per wide (CJK) character, 0.62 em for the others."""
    wide = sum(1 for ch in text if unicodedata.east_asian_width(ch) in ("W", "F"))
    return (wide + 0.62 * (len(text) - wide)) * size


class _Node:
    """A step's box: its label lines, size and, once laid out, its centre."""

    def __init__(self, step: Step, lines: list[str]) -> None:
        self.step = step
        self.lines = lines
        text = max(
            _text_width(line, _NAME_SIZE if i == 0 else _LINE_SIZE) for i, line in enumerate(lines)
        )
        pad = {StepKind.MEETING: 44, StepKind.SPLIT: 56, StepKind.JOIN: 56}.get(step.kind, 28)
        self.width = text + pad
        self.height = 16 + _NAME_SIZE + (len(lines) - 1) * (_LINE_SIZE + 4)
        if step.kind in (StepKind.SPLIT, StepKind.JOIN):
            self.height += 14
        self.x = 0.0
        self.y = 0.0
        self.row = 0

    @property
    def top(self) -> float:
        return self.y - self.height / 2

    @property
    def bottom(self) -> float:
        return self.y + self.height / 2


def to_svg(
    definition: WorkflowDefinition,
    *,
    lights: Mapping[str, str] | None = None,
    organisation: Organisation | None = None,
    conditions: Registry[WorkflowCondition] | None = None,
) -> str:
    """A standalone SVG of ``definition``, laid out top-down, for a case file or a page.

    Steps sit in rows by their longest distance from START over FORWARD edges; RETURN
    edges (退回) run dashed in lanes beside the rows. Shapes, colours and labels are those
    of :func:`to_mermaid` (``organisation`` and ``conditions`` as there), and a legend
    under the picture says what the colours mean. Everything is drawn inside the canvas.

    :raises ValidationError: when ``lights`` names a step the workflow does not have.
    """
    lights = _checked_lights(definition, lights)
    organisation, conditions = _defaults(organisation, conditions)
    nodes = {
        s.id: _Node(s, _label_lines(s, organisation, lights.get(s.id))) for s in definition.steps
    }
    rows = _rows(definition)
    returns = [e for e in definition.edges if e.kind is EdgeKind.RETURN]
    lanes = (len(returns) + 1) // 2
    side = _MARGIN + lanes * _LANE + 8
    row_widths = [sum(nodes[i].width for i in row) + _COLUMN_GAP * (len(row) - 1) for row in rows]
    inner = max(row_widths, default=0.0)
    edge_labels = [_text_width(_edge_label(e, conditions), _EDGE_SIZE) for e in definition.edges]
    inner = max(inner, max(edge_labels, default=0.0) + 20)
    width = inner + 2 * side
    y = _MARGIN + 30.0
    for index, (row, row_width) in enumerate(zip(rows, row_widths, strict=True)):
        x = side + (inner - row_width) / 2
        tallest = max(nodes[i].height for i in row)
        for step_id in row:
            node = nodes[step_id]
            node.x, node.y, node.row = x + node.width / 2, y + tallest / 2, index
            x += node.width + _COLUMN_GAP
        y += tallest + _ROW_GAP
    legend, legend_height = _svg_legend(definition, lights, width, y - _ROW_GAP + 24)
    height = y - _ROW_GAP + 24 + legend_height + _MARGIN
    title = definition.name or f"{definition.permit_type} v{definition.version}"
    parts = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width:.0f}" height="{height:.0f}" '
        f'viewBox="0 0 {width:.0f} {height:.0f}" font-family="{_FONTS}">',
        f"<title>{escape(title)}</title>",
        "<defs>"
        '<marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" '
        'markerHeight="7" orient="auto-start-reverse"><path d="M 0 0 L 10 5 L 0 10 z" '
        'fill="#343a40"/></marker></defs>',
        f'<rect x="0" y="0" width="{width:.0f}" height="{height:.0f}" fill="#ffffff"/>',
        f'<text x="{width / 2:.1f}" y="{_MARGIN + 14}" font-size="16" text-anchor="middle" '
        f'font-weight="bold">{escape(title)}</text>',
    ]
    labels: list[str] = []
    boxes = [(n.x - n.width / 2, n.top, n.x + n.width / 2, n.bottom) for n in nodes.values()]
    lane_of = {e.key: i for i, e in enumerate(returns)}
    for edge in definition.edges:
        source, target = nodes[edge.source], nodes[edge.target]
        text = _edge_label(edge, conditions)
        if edge.kind is EdgeKind.RETURN:
            path, spots = _return_path(source, target, lane_of[edge.key], width)
            parts.append(
                f'<path d="{path}" fill="none" stroke="#868e96" stroke-width="1.5" '
                'stroke-dasharray="5 4" marker-end="url(#arrow)" '
                f"data-edge={quoteattr(f'{edge.source} -> {edge.target}')}/>"
            )
        else:
            path, spots = _forward_path(source, target)
            parts.append(
                f'<path d="{path}" fill="none" stroke="#343a40" stroke-width="1.5" '
                f'marker-end="url(#arrow)" '
                f"data-edge={quoteattr(f'{edge.source} -> {edge.target}')}/>"
            )
        if text:
            half = _text_width(text, _EDGE_SIZE) / 2
            for spot_x, spot_y in spots:
                x = min(max(spot_x, half + 4), width - half - 4)
                box = (x - half, spot_y - 8, x + half, spot_y + 8)
                if not any(_overlap(box, taken) for taken in boxes):
                    break
            boxes.append(box)
            labels.append(
                f'<text x="{x:.1f}" y="{spot_y + 4:.1f}" font-size="{_EDGE_SIZE}" '
                f'text-anchor="middle" fill="#343a40" {_HALO}>{escape(text)}</text>'
            )
    for node in nodes.values():
        parts += _svg_node(node, lights.get(node.step.id))
    parts += labels
    parts += legend
    parts.append("</svg>")
    return "\n".join(parts) + "\n"


def _rows(definition: WorkflowDefinition) -> list[list[str]]:
    """Steps by their longest FORWARD distance from START, in each row ordered under the
    mean position of their predecessors (so branches do not cross), then as defined."""
    graph: nx.DiGraph[str] = nx.DiGraph()
    graph.add_nodes_from(s.id for s in definition.steps)
    graph.add_edges_from(e.key for e in definition.edges if e.kind is EdgeKind.FORWARD)
    depth: dict[str, int] = {}
    for step_id in nx.topological_sort(graph):
        depth[step_id] = max((depth[p] + 1 for p in graph.predecessors(step_id)), default=0)
    order = {s.id: i for i, s in enumerate(definition.steps)}
    rows: list[list[str]] = [[] for _ in range(max(depth.values(), default=0) + 1)]
    for step in definition.steps:
        rows[depth[step.id]].append(step.id)
    place: dict[str, float] = {}
    for row in rows:

        def key(step_id: str) -> tuple[float, int]:
            before = [place[p] for p in graph.predecessors(step_id) if p in place]
            return (sum(before) / len(before) if before else 0.0, order[step_id])

        row.sort(key=key)
        place.update({step_id: i - (len(row) - 1) / 2 for i, step_id in enumerate(row)})
    return rows


def _forward_path(source: _Node, target: _Node) -> tuple[str, list[tuple[float, float]]]:
    """The edge's path and the spots its label may sit on, best first."""
    x1, y1, x2, y2 = source.x, source.bottom, target.x, target.top
    ts = (0.5, 0.3, 0.7, 0.2, 0.8, 0.4, 0.6)
    if target.row > source.row + 1:  # skips a row: bow out to the side
        bow = 0.5 * (x2 - x1) + (60 if x2 >= x1 else -60)
        c1, c2 = (x1 + bow, y1 + 40), (x2 + bow, y2 - 40)
        path = (
            f"M {x1:.1f} {y1:.1f} C {c1[0]:.1f} {c1[1]:.1f} {c2[0]:.1f} {c2[1]:.1f} "
            f"{x2:.1f} {y2:.1f}"
        )
        return path, [_bezier((x1, y1), c1, c2, (x2, y2), t) for t in ts]
    spots = [(x1 + (x2 - x1) * t, y1 + (y2 - y1) * t) for t in ts]
    return f"M {x1:.1f} {y1:.1f} L {x2:.1f} {y2:.1f}", spots


def _bezier(
    p0: tuple[float, float],
    p1: tuple[float, float],
    p2: tuple[float, float],
    p3: tuple[float, float],
    t: float,
) -> tuple[float, float]:
    u = 1 - t
    weights = (u**3, 3 * u * u * t, 3 * u * t * t, t**3)
    points = (p0, p1, p2, p3)
    return (
        sum(w * p[0] for w, p in zip(weights, points, strict=True)),
        sum(w * p[1] for w, p in zip(weights, points, strict=True)),
    )


def _return_path(
    source: _Node, target: _Node, lane: int, width: float
) -> tuple[str, list[tuple[float, float]]]:
    """Out of the source's outer side into a lane at the picture's edge, up to the target."""
    left = lane % 2 == 0
    offset = _MARGIN + (lane // 2) * _LANE + 6
    x = offset if left else width - offset
    sx = source.x - source.width / 2 if left else source.x + source.width / 2
    tx = target.x - target.width / 2 if left else target.x + target.width / 2
    path = (
        f"M {sx:.1f} {source.y:.1f} L {x:.1f} {source.y:.1f} L {x:.1f} {target.y + 6:.1f} "
        f"L {tx:.1f} {target.y + 6:.1f}"
    )
    return path, [((sx + x) / 2, source.y - 8)]


def _svg_node(node: _Node, light: str | None) -> list[str]:
    step = node.step
    fill, stroke, stroke_width = "#ffffff", "#343a40", 1.5
    if step.kind is StepKind.MEETING:
        fill, stroke, stroke_width = *_MEETING, 3.0
    elif step.kind in (StepKind.SPLIT, StepKind.JOIN):
        fill, stroke = _GATEWAY_FILL, _GATEWAY_STROKE
    if light is not None:
        fill, stroke = LIGHT_STYLES.get(light, _OTHER_LIGHT)
        stroke_width = 4.0
    style = f'fill="{fill}" stroke="{stroke}" stroke-width="{stroke_width}"'
    x0, x1, y0, y1 = node.x - node.width / 2, node.x + node.width / 2, node.top, node.bottom
    data = f'data-step={quoteattr(step.id)} data-kind="{step.kind.value}"'
    if step.kind is StepKind.MEETING:
        points = [
            (x0, node.y),
            (x0 + 16, y0),
            (x1 - 16, y0),
            (x1, node.y),
            (x1 - 16, y1),
            (x0 + 16, y1),
        ]
        shape = f'<polygon {data} points="{_points(points)}" {style}/>'
    elif step.kind in (StepKind.SPLIT, StepKind.JOIN):
        points = [(x0, node.y), (node.x, y0), (x1, node.y), (node.x, y1)]
        shape = f'<polygon {data} points="{_points(points)}" {style}/>'
    else:
        radius = node.height / 2 if step.kind in (StepKind.START, StepKind.END) else 4
        shape = (
            f'<rect {data} x="{x0:.1f}" y="{y0:.1f}" width="{node.width:.1f}" '
            f'height="{node.height:.1f}" rx="{radius:.1f}" {style}/>'
        )
    parts = [shape]
    if step.kind is StepKind.END:
        parts.append(
            f'<rect x="{x0 + 3:.1f}" y="{y0 + 3:.1f}" width="{node.width - 6:.1f}" '
            f'height="{node.height - 6:.1f}" rx="{node.height / 2 - 3:.1f}" fill="none" '
            f'stroke="{stroke}" stroke-width="1"/>'
        )
    block = _NAME_SIZE + (len(node.lines) - 1) * (_LINE_SIZE + 4)
    line_y = node.y - block / 2 + _NAME_SIZE * 0.85
    for i, line in enumerate(node.lines):
        size = _NAME_SIZE if i == 0 else _LINE_SIZE
        weight = ' font-weight="bold"' if i == 0 else ""
        parts.append(
            f'<text x="{node.x:.1f}" y="{line_y:.1f}" font-size="{size}" '
            f'text-anchor="middle"{weight}>{escape(line)}</text>'
        )
        line_y += _LINE_SIZE + 4
    return parts


def _overlap(a: tuple[float, float, float, float], b: tuple[float, float, float, float]) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _points(points: list[tuple[float, float]]) -> str:
    return " ".join(f"{x:.1f},{y:.1f}" for x, y in points)


def _svg_legend(
    definition: WorkflowDefinition, lights: Mapping[str, str], width: float, top: float
) -> tuple[list[str], float]:
    """What the colours and lines mean, only for what the picture shows."""
    entries: list[tuple[str, str, str]] = []
    if definition.steps_of_kind(StepKind.MEETING):
        entries.append(("集体审议（处务会、局务会）", *_MEETING))
    if definition.steps_of_kind(StepKind.SPLIT):
        entries.append(("会签分支与汇总", _GATEWAY_FILL, _GATEWAY_STROKE))
    for light in dict.fromkeys(lights.values()):
        fill, stroke = LIGHT_STYLES.get(light, _OTHER_LIGHT)
        entries.append((f"当前环节 · {_LIGHT_ZH.get(light, light)}", fill, stroke))
    parts: list[str] = []
    x, y = float(_MARGIN), top
    for text, fill, stroke in entries:
        needed = 30 + _text_width(text, 12) + 20
        if x + needed > width - _MARGIN and x > _MARGIN:
            x, y = float(_MARGIN), y + 20
        parts.append(
            f'<rect x="{x:.1f}" y="{y:.1f}" width="22" height="13" fill="{fill}" '
            f'stroke="{stroke}" stroke-width="2"/>'
        )
        parts.append(
            f'<text x="{x + 28:.1f}" y="{y + 11:.1f}" font-size="12">{escape(text)}</text>'
        )
        x += needed
    if any(e.kind is EdgeKind.RETURN for e in definition.edges):
        needed = 30 + _text_width("退回", 12) + 20
        if x + needed > width - _MARGIN and x > _MARGIN:
            x, y = float(_MARGIN), y + 20
        parts.append(
            f'<path d="M {x:.1f} {y + 7:.1f} L {x + 22:.1f} {y + 7:.1f}" stroke="#868e96" '
            'stroke-width="1.5" stroke-dasharray="5 4"/>'
        )
        parts.append(f'<text x="{x + 28:.1f}" y="{y + 11:.1f}" font-size="12">退回</text>')
    return parts, (y - top + 20 if parts else 0.0)
