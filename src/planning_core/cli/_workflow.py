"""``planning-core workflow``: list, show, validate and check workflow definitions."""

from __future__ import annotations

import json
from pathlib import Path

import click

from planning_core.cli._base import CliContext, pass_context
from planning_core.cli._permits import table
from planning_core.errors import ValidationError
from planning_core.permits import check_statutory, permit_catalogue
from planning_core.serialization import make_converter
from planning_core.timing import Light
from planning_core.workflow import (
    StepKind,
    definition_to_json,
    read_definition,
    to_dot,
    to_mermaid,
    validate,
    workflow_conditions,
    worst_case,
)

__all__ = ["workflow"]


@click.group()
def workflow() -> None:
    """Approval workflows of the permit types (审批流程): list, show, validate, check."""


@workflow.command("list")
@pass_context
def list_command(obj: CliContext) -> None:
    """Every permit type's workflow: version, steps, meetings, worst case, hash."""
    header = ["代码", "流程", "版本", "步骤", "会议", "会签", "最长", "内容哈希"]
    rows = []
    for permit in permit_catalogue(obj.hooks).values():
        definition = permit.workflow
        rows.append(
            [
                permit.code,
                definition.name or permit.name_zh,
                f"v{definition.version}",
                str(len(definition.steps)),
                str(len(definition.steps_of_kind(StepKind.MEETING))),
                str(len(definition.steps_of_kind(StepKind.SPLIT))),
                f"{worst_case(definition).days}个工作日",
                definition.content_hash[:12],
            ]
        )
    click.echo(table(header, rows))


@workflow.command()
@click.argument("permit_type")
@click.option(
    "--format",
    "output",
    type=click.Choice(["mermaid", "dot", "json"]),
    default="mermaid",
    show_default=True,
    help="Mermaid flowchart, Graphviz DOT, or node-link JSON.",
)
@click.option(
    "--light",
    "lights",
    multiple=True,
    metavar="STEP=LIGHT",
    help="Highlight an active step with its light (green, reminder, yellow, red); repeatable.",
)
@pass_context
def show(obj: CliContext, permit_type: str, output: str, lights: tuple[str, ...]) -> None:
    """Print PERMIT_TYPE's workflow as a picture source or as JSON."""
    definition = permit_catalogue(obj.hooks).get(permit_type).workflow
    active = _lights(lights)
    if output == "json":
        data = definition_to_json(definition, make_converter(obj.hooks))
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
    elif output == "dot":
        click.echo(to_dot(definition, lights=active), nl=False)
    else:
        click.echo(to_mermaid(definition, lights=active), nl=False)


@workflow.command("validate")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@pass_context
def validate_command(obj: CliContext, file: Path) -> None:
    """Check a node-link JSON FILE; exit 1 listing every problem."""
    try:
        definition = read_definition(file, make_converter(obj.hooks))
        validate(definition, conditions=workflow_conditions(obj.hooks))
    except ValidationError as exc:
        problems = exc.problems or (str(exc),)
        click.echo(f"{file}: invalid, {len(problems)} problem(s):")
        for line in problems:
            click.echo(f"  {line}")
        click.get_current_context().exit(1)
    click.echo(
        f"{file}: workflow {definition.permit_type!r} v{definition.version} is valid "
        f"({len(definition.steps)} steps, {len(definition.edges)} edges, "
        f"worst case {worst_case(definition).days}个工作日)"
    )


@workflow.command()
@click.argument("permit_types", nargs=-1)
@pass_context
def check(obj: CliContext, permit_types: tuple[str, ...]) -> None:
    """Does each workflow's worst case fit its statutory and committed limits?

    Checks PERMIT_TYPES, or every registered permit type; exits 1 when any does not fit.
    """
    catalogue = permit_catalogue(obj.hooks)
    failed = False
    for code in permit_types or tuple(catalogue.keys()):
        permit = catalogue.get(code)
        result = check_statutory(permit.workflow, permit)
        mark = "fits" if result.fits else "DOES NOT FIT"
        click.echo(
            f"{permit.code} {permit.name_zh} v{result.workflow_version}: {mark}; worst case "
            f"{result.worst_case.days}个工作日, statutory {result.statutory_limit.zh}, "
            f"committed {result.committed_limit.zh}"
        )
        click.echo(f"  critical path: {' → '.join(result.worst_case.steps)}")
        for problem in result.problems():
            click.echo(f"  {problem}")
        failed = failed or not result.fits
    if failed:
        click.get_current_context().exit(1)


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
