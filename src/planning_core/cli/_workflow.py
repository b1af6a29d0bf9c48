"""``planning-core workflow``: list, show, validate and check workflow definitions."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from planning_core.cli._base import CliContext, pass_context
from planning_core.cli._output import Output, output_options
from planning_core.cli._permits import table
from planning_core.errors import ValidationError
from planning_core.permits import StatutoryCheck, check_statutory, permit_catalogue
from planning_core.serialization import dump, make_converter
from planning_core.timing import Light
from planning_core.workflow import (
    StepKind,
    definition_to_json,
    read_definition,
    to_dot,
    to_mermaid,
    to_svg,
    validate,
    workflow_conditions,
    worst_case,
)

__all__ = ["workflow"]


@click.group()
def workflow() -> None:
    """Approval workflows of the permit types (审批流程): list, show, validate, check."""


@workflow.command("list")
@output_options(csv=True)
@pass_context
def list_command(obj: CliContext, output: Output) -> None:
    """Every permit type's workflow: version, steps, meetings, worst case, hash."""
    header = ["代码", "流程", "版本", "步骤", "会议", "会签", "最长", "内容哈希"]
    rows = []
    data = []
    for permit in permit_catalogue(obj.hooks).values():
        definition = permit.workflow
        longest = worst_case(definition).days
        meetings = len(definition.steps_of_kind(StepKind.MEETING))
        splits = len(definition.steps_of_kind(StepKind.SPLIT))
        rows.append(
            [
                permit.code,
                definition.name or permit.name_zh,
                f"v{definition.version}",
                str(len(definition.steps)),
                str(meetings),
                str(splits),
                f"{longest}个工作日",
                definition.content_hash[:12],
            ]
        )
        data.append(
            {
                "permit_type": permit.code,
                "name": definition.name or permit.name_zh,
                "version": definition.version,
                "steps": len(definition.steps),
                "meetings": meetings,
                "countersigns": splits,
                "worst_case_days": longest,
                "content_hash": definition.content_hash,
            }
        )
    output.emit(text=lambda: table(header, rows), data=lambda: data, table=lambda: (header, rows))


@workflow.command()
@click.argument("permit_type")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["mermaid", "dot", "svg", "json"]),
    default="mermaid",
    show_default=True,
    help="Mermaid flowchart, Graphviz DOT, a standalone SVG picture, or node-link JSON "
    "(see docs/cli.md).",
)
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Write the output to FILE (UTF-8) instead of stdout.",
)
@click.option(
    "--light",
    "lights",
    multiple=True,
    metavar="STEP=LIGHT",
    help="Highlight an active step with its light (green, reminder, yellow, red); repeatable.",
)
@pass_context
def show(
    obj: CliContext, permit_type: str, fmt: str, out: Path | None, lights: tuple[str, ...]
) -> None:
    """Print PERMIT_TYPE's workflow as a picture (source) or as JSON.

    Steps are labelled with the bureau's own post names (its organisation, from the bureau
    file or a plugin) and conditional edges with the conditions' descriptions.
    """
    definition = permit_catalogue(obj.hooks).get(permit_type).workflow
    active = _lights(lights)
    output = Output("json" if fmt == "json" else "text", out)
    if fmt == "json":
        output.json(definition_to_json(definition, make_converter(obj.hooks)))
        return
    with obj.bureau("memory://") as bureau:
        render = {"dot": to_dot, "svg": to_svg}.get(fmt, to_mermaid)
        picture = render(
            definition,
            lights=active,
            organisation=bureau.organisation,
            conditions=workflow_conditions(obj.hooks),
        )
    output.write(picture)


@workflow.command("validate")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@output_options()
@pass_context
def validate_command(obj: CliContext, file: Path, output: Output) -> None:
    """Check a node-link JSON FILE; exit 1 listing every problem."""
    try:
        definition = read_definition(file, make_converter(obj.hooks))
        validate(definition, conditions=workflow_conditions(obj.hooks))
    except ValidationError as exc:
        problems = list(exc.problems or (str(exc),))
        head = obj.say(
            f"{file}：无效，{len(problems)} 个问题：",
            f"{file}: invalid, {len(problems)} problem(s):",
        )
        output.emit(
            text=lambda: "\n".join([head, *(f"  {line}" for line in problems)]),
            data=lambda: {"file": str(file), "valid": False, "problems": problems},
        )
        raise SystemExit(1) from None
    days = worst_case(definition).days
    steps, edges = len(definition.steps), len(definition.edges)
    output.emit(
        text=lambda: obj.say(
            f"{file}：流程 {definition.permit_type!r} v{definition.version} 有效"
            f"（{steps} 个步骤，{edges} 条连线，最长 {days}个工作日）",
            f"{file}: workflow {definition.permit_type!r} v{definition.version} is valid "
            f"({steps} steps, {edges} edges, worst case {days} working days)",
        ),
        data=lambda: {
            "file": str(file),
            "valid": True,
            "permit_type": definition.permit_type,
            "version": definition.version,
            "steps": steps,
            "edges": edges,
            "worst_case_days": days,
            "problems": [],
        },
    )


@workflow.command()
@click.argument("permit_types", nargs=-1)
@output_options()
@pass_context
def check(obj: CliContext, permit_types: tuple[str, ...], output: Output) -> None:
    """Does each workflow's worst case fit its statutory and committed limits?

    Checks PERMIT_TYPES, or every registered permit type; exits 1 when any does not fit.
    """
    catalogue = permit_catalogue(obj.hooks)
    converter = make_converter(obj.hooks)
    results = [
        (catalogue.get(code), check_statutory(catalogue.get(code).workflow, catalogue.get(code)))
        for code in permit_types or tuple(catalogue.keys())
    ]

    def text() -> str:
        lines = []
        for permit, result in results:
            lines += _check_lines(obj, permit.code, permit.name_zh, result)
        return "\n".join(lines)

    def data() -> list[dict[str, Any]]:
        return [
            {
                "permit_type": permit.code,
                "workflow_version": result.workflow_version,
                "fits": result.fits,
                "fits_statutory": result.fits_statutory,
                "fits_committed": result.fits_committed,
                "worst_case": dump(converter, result.worst_case),
                "statutory_limit": dump(converter, result.statutory_limit),
                "committed_limit": dump(converter, result.committed_limit),
                "over_statutory": dump(converter, list(result.over_statutory)),
                "over_committed": dump(converter, list(result.over_committed)),
            }
            for permit, result in results
        ]

    output.emit(text=text, data=data)
    if not all(result.fits for _, result in results):
        raise SystemExit(1)


def _check_lines(obj: CliContext, code: str, name: str, result: StatutoryCheck) -> list[str]:
    """What ``workflow check`` says of one permit type, wholly in the chosen language."""
    worst = result.worst_case
    statutory, committed = result.statutory_limit, result.committed_limit
    overs = [
        (which_zh, which_en, limit, path)
        for which_zh, which_en, limit, paths in (
            ("法定时限", "statutory", statutory, result.over_statutory),
            ("承诺时限", "committed", committed, result.over_committed),
        )
        for path in paths
    ]
    if obj.lang == "zh":
        mark = "符合" if result.fits else "不符合"
        lines = [
            f"{code} {name} v{result.workflow_version}：{mark}；最长 {worst.days}个工作日，"
            f"法定时限 {statutory.zh}，承诺时限 {committed.zh}",
            f"  关键路径：{' → '.join(worst.steps)}",
        ]
        lines += [
            f"  路径 {' → '.join(path.steps)}（{path.days}个工作日）超出{which}"
            f"{limit.zh} {path.days - limit.days}个工作日"
            for which, _, limit, path in overs
        ]
        return lines
    mark = "fits" if result.fits else "DOES NOT FIT"
    lines = [
        f"{code} {name} v{result.workflow_version}: {mark}; worst case {worst.days} working "
        f"days, statutory {statutory}, committed {committed}",
        f"  critical path: {' → '.join(worst.steps)}",
    ]
    lines += [
        f"  path {' → '.join(path.steps)} ({path.days} working days) exceeds the {which} limit "
        f"of {limit} by {path.days - limit.days} working day(s)"
        for _, which, limit, path in overs
    ]
    return lines


def _lights(pairs: tuple[str, ...]) -> dict[str, str]:
    """``STEP=LIGHT`` pairs; a light is one a clock can show (``Light``: green, reminder,
    yellow, red), so a typing slip is refused instead of drawn in a neutral colour."""
    valid = [light.value for light in Light]
    lights = {}
    for pair in pairs:
        step_id, sep, light = pair.partition("=")
        if not sep or not step_id or not light:
            raise ValidationError(f"--light {pair!r} must be STEP=LIGHT, for example review=red")
        if light.strip().lower() not in valid:
            raise ValidationError(
                f"--light {pair!r}: {light!r} is not a light; use one of {', '.join(valid)}"
            )
        lights[step_id] = light.strip().lower()
    return lights
