"""``planning-core forms``: a permit type's form as JSON Schema, and checking a filled form."""

from __future__ import annotations

import json
from pathlib import Path

import click

from planning_core.cli._base import CliContext, pass_context
from planning_core.errors import NotFoundError, ValidationError
from planning_core.forms import form_catalogue, save_case_form
from planning_core.inputs import load_json, read_text
from planning_core.storage import DEFAULT_STORE_URL, open_store

__all__ = ["forms"]


@click.group()
def forms() -> None:
    """Application forms (申请表): JSON Schema export and validation."""


@forms.command("list")
@pass_context
def list_command(obj: CliContext) -> None:
    """Every registered form: permit type, version, title, number of fields."""
    for code, form in form_catalogue(obj.hooks).items():
        click.echo(f"{code}\tv{form.version}\t{form.title}\t{len(form.fields)} 项")


@forms.command("schema")
@click.argument("permit_type")
@pass_context
def schema_command(obj: CliContext, permit_type: str) -> None:
    """PERMIT_TYPE's form as JSON Schema (draft 2020-12) for a web front end."""
    schema = form_catalogue(obj.hooks).get(permit_type).json_schema()
    click.echo(json.dumps(schema, ensure_ascii=False, indent=2))


@forms.command("validate")
@click.argument("permit_type")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--case", "case_id", default=None, help="Store the valid form as this case's.")
@click.option("--store", "store_url", default=DEFAULT_STORE_URL, show_default=True)
@pass_context
def validate_command(
    obj: CliContext, permit_type: str, file: Path, case_id: str | None, store_url: str
) -> None:
    """Check FILE (JSON) against PERMIT_TYPE's form; exit 1 listing every problem.

    With --case, the valid form is stored as that case's (by case id or number): the case
    must exist in the store, else nothing is stored.
    """
    data = load_json(read_text(file), file.name, expect=dict)
    try:
        form = form_catalogue(obj.hooks).get(permit_type).validate(data)
    except ValidationError as exc:
        click.echo(f"{len(exc.problems)} problem(s):")
        for problem in exc.problems:
            click.echo(f"  {problem}")
        click.get_current_context().exit(1)
        return
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
    click.echo(f"{file.name}: 申请表填写无误{stored}")
