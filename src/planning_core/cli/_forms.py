"""``planning-core forms``: a permit type's form as JSON Schema, and checking a filled form."""

from __future__ import annotations

from pathlib import Path

import click

from planning_core.cli._base import CliContext, pass_context, store_option
from planning_core.cli._output import Output, output_options
from planning_core.errors import NotFoundError, ValidationError
from planning_core.forms import form_catalogue, save_case_form
from planning_core.inputs import load_json, read_text
from planning_core.storage import open_store

__all__ = ["forms"]


@click.group()
def forms() -> None:
    """Application forms (申请表): JSON Schema export and validation."""


@forms.command("list")
@output_options(csv=True)
@pass_context
def list_command(obj: CliContext, output: Output) -> None:
    """Every registered form: permit type, version, title, number of fields."""
    found = list(form_catalogue(obj.hooks).items())
    header = ["许可事项", "版本", "表名", "填写项数"]
    rows = [[code, form.version, form.title, len(form.fields)] for code, form in found]
    output.emit(
        text=lambda: "\n".join(
            f"{code}\tv{form.version}\t{form.title}\t{len(form.fields)} 项" for code, form in found
        ),
        data=lambda: [
            {"permit_type": code, "version": v, "title": title, "fields": n}
            for code, v, title, n in rows
        ],
        table=lambda: (header, rows),
    )


@forms.command("schema")
@click.argument("permit_type")
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Write the schema to FILE (UTF-8) instead of stdout.",
)
@pass_context
def schema_command(obj: CliContext, permit_type: str, out: Path | None) -> None:
    """PERMIT_TYPE's form as JSON Schema (draft 2020-12) for a web front end.

    A JSON Schema is JSON whatever the format, so the command takes ``--out`` but no
    ``--format``.
    """
    schema = form_catalogue(obj.hooks).get(permit_type).json_schema()
    Output("json", out).json(schema)


@forms.command("validate")
@click.argument("permit_type")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--case", "case_id", default=None, help="Store the valid form as this case's.")
@output_options()
@store_option
@pass_context
def validate_command(
    obj: CliContext,
    permit_type: str,
    file: Path,
    case_id: str | None,
    output: Output,
    store_url: str,
) -> None:
    """Check FILE (JSON) against PERMIT_TYPE's form; exit 1 listing every problem.

    With --case, the valid form is stored as that case's (by case id or number): the case
    must exist in the store, else nothing is stored.
    """
    data = load_json(read_text(file), file.name, expect=dict)
    try:
        form = form_catalogue(obj.hooks).get(permit_type).validate(data)
    except ValidationError as exc:
        problems = list(exc.problems or (str(exc),))
        head = obj.say(f"{len(problems)} 个问题：", f"{len(problems)} problem(s):")
        output.emit(
            text=lambda: "\n".join([head, *(f"  {problem}" for problem in problems)]),
            data=lambda: {"file": str(file), "valid": False, "problems": problems},
        )
        raise SystemExit(1) from None
    if case_id is not None:
        with open_store(store_url, obj.hooks, create=False) as store:
            row = store.get_case(case_id) or store.find_case(case_id)
            if row is None:
                raise NotFoundError(
                    f"no case with id or number {case_id!r} in {store.url}; nothing was "
                    f"stored: give the case id or number from the receipt"
                )
            save_case_form(store, row.case_id, form)
    stored = f"，已存为案件 {case_id} 的申请表" if case_id else ""
    output.emit(
        text=lambda: f"{file.name}：申请表填写无误{stored}",
        data=lambda: {"file": str(file), "valid": True, "problems": [], "case": case_id},
    )
