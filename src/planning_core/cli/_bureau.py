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
from planning_core.cli._output import Output, output_options
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
@output_options()
@pass_context
def check(obj: CliContext, file: Path, output: Output) -> None:
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
    source_zh = {"a plugin's": "插件提供", "the reference one": "参考组织"}.get(source, source)

    def text() -> str:
        lines = [
            f"机构 {config.name or '（未命名）'}  {file}",
            f"  日历 {region}" + (f"：{calendar.name}" if calendar is not None else ""),
            f"  组织 {source_zh}：{len(organisation.divisions)} 个处室，"
            f"{len(organisation.posts)} 个岗位，{len(organisation.actors)} 人",
            f"  许可事项 {len(catalogue)} 项；存储 {config.store or '（默认）'}",
        ]
        lines += [f"  ✗ {problem}" for problem in problems]
        if not problems:
            lines.append("  ✓ 每个流程步骤的岗位均有人在岗")
        return "\n".join(lines)

    output.emit(
        text=text,
        data=lambda: {
            "file": str(file),
            "name": config.name,
            "calendar": region,
            "calendar_name": None if calendar is None else calendar.name,
            "organisation": source,
            "divisions": len(organisation.divisions),
            "posts": len(organisation.posts),
            "actors": len(organisation.actors),
            "permit_types": len(catalogue),
            "store": config.store,
            "ok": not problems,
            "problems": problems,
        },
    )
    if problems:
        raise SystemExit(1)
