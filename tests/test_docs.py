"""Meta-tests: the hook reference in docs/plugins.md cannot drift from hookspecs.py."""

from __future__ import annotations

import inspect
import re
from pathlib import Path

import pytest

from planning_core import hookspecs

DOCS = Path(__file__).resolve().parent.parent / "docs"
HOOKS = sorted(name for name in vars(hookspecs) if name.startswith("planning_core_"))


def _section(name: str) -> str:
    text = (DOCS / "plugins.md").read_text(encoding="utf-8")
    match = re.search(rf"^### {name}\n(.*?)(?=^### |\Z)", text, re.M | re.S)
    assert match, f"docs/plugins.md has no section '### {name}'"
    return match.group(1)


def _signature(name: str) -> str:
    function = getattr(hookspecs, name)
    return f"{name}{inspect.signature(function)}".replace("'", "")


@pytest.mark.parametrize("name", HOOKS)
def test_every_hook_has_a_docs_section_with_its_exact_signature(name: str) -> None:
    assert _signature(name) in _section(name)


@pytest.mark.parametrize("name", HOOKS)
def test_every_hook_spec_has_a_docstring(name: str) -> None:
    doc = inspect.getdoc(getattr(hookspecs, name)) or ""
    assert len(doc.split()) > 10, f"{name} needs a docstring that is its contract"
    if getattr(hookspecs, name).planning_core_spec.get("firstresult"):
        assert "first non-None result" in doc


def test_docs_describe_no_hook_that_does_not_exist() -> None:
    text = (DOCS / "plugins.md").read_text(encoding="utf-8")
    documented = set(re.findall(r"^### (planning_core_\w+)", text, re.M))
    assert documented == set(HOOKS)
