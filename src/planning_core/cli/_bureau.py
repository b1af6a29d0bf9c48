"""``planning-core bureau check FILE``: is this bureau file ready to run?

It reads the file, the organisation file it names, and the plugins' permit types, then
reports every workflow step whose post nobody holds, every post the engine needs that is
unstaffed, and a calendar no plugin knows, without opening the store.
"""

from __future__ import annotations

from pathlib import Path

import click

from planning_core.bureau import read_bureau_config, staffing_problems
from planning_core.cli._base import CliContext, pass_context
from planning_core.errors import PlanningError
from planning_core.permits import permit_catalogue
from planning_core.timing import calendar_for
from planning_core.workflow import read_organisation, reference_organisation

__all__ = ["bureau"]


@click.group()
def bureau() -> None:
    """The bureau file (机构配置): check it before a bureau runs on it."""


@bureau.command("check")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@pass_context
def check(obj: CliContext, file: Path) -> None:
    """Check FILE and every workflow against its organisation; exit 1 on any problem."""
    config = read_bureau_config(file)
    hooks = obj.hooks
    problems: list[str] = []
    region = config.region or hooks.default_region(config.name) or "CN"
    try:
        calendar = calendar_for(region, hooks=hooks)
    except PlanningError as exc:
        problems.append(f"calendar: {exc}")
        calendar = None
    if config.organisation is not None:
        organisation = read_organisation(config.organisation)
        source = str(config.organisation)
    else:
        organisation = hooks.organisation(config.name) or reference_organisation()
        source = "a plugin's" if hooks.organisation(config.name) else "the reference one"
    catalogue = permit_catalogue(hooks)
    problems += staffing_problems(organisation, catalogue, config.settings)
    click.echo(f"机构 {config.name or '（未命名）'}  {file}")
    click.echo(f"  日历 {region}" + (f"：{calendar.name}" if calendar is not None else ""))
    click.echo(
        f"  组织 {source}：{len(organisation.divisions)} 个处室，{len(organisation.posts)} 个岗位，"
        f"{len(organisation.actors)} 人"
    )
    click.echo(f"  许可事项 {len(catalogue)} 项；存储 {config.store or '（默认）'}")
    if problems:
        for problem in problems:
            click.echo(f"  ✗ {problem}")
        raise SystemExit(1)
    click.echo("  ✓ 每个流程步骤的岗位均有人在岗")
