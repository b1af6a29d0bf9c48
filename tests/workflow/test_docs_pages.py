"""docs/workflow.md and docs/permits.md: examples that run and pictures that are current."""

from __future__ import annotations

import re
from pathlib import Path

from click.testing import CliRunner

from planning_core.cli import cli
from planning_core.permits import reference_permit_types
from planning_core.workflow import (
    WorkflowDefinition,
    reference_organisation,
    to_mermaid,
    validate,
)

DOCS = Path(__file__).resolve().parents[2] / "docs"


def _blocks(page: str, language: str) -> list[str]:
    text = (DOCS / page).read_text(encoding="utf-8")
    return re.findall(rf"^```{language}\n(.*?)^```", text, re.M | re.S)


def test_the_builder_example_builds_a_valid_definition() -> None:
    (example,) = _blocks("workflow.md", "python")
    namespace: dict[str, object] = {}
    exec(example, namespace)
    definition = namespace["definition"]
    assert isinstance(definition, WorkflowDefinition)
    validate(definition, organisation=reference_organisation())


def test_the_mermaid_picture_is_the_current_rendering() -> None:
    (picture,) = _blocks("workflow.md", "mermaid")
    construction = next(p for p in reference_permit_types() if p.code == "CONSTRUCTION")
    assert picture == to_mermaid(construction.workflow)


def test_the_published_table_is_what_the_command_prints() -> None:
    table = _blocks("permits.md", "")[0]
    assert table == CliRunner().invoke(cli, ["permits"]).output
