"""The public surface: what ``__all__`` promises, that everything else is private by name,
and that the API reference (docs/api/) lists exactly the promised names of every public module.

A public module is ``planning_core`` and every module below it whose dotted path has no
component starting with ``_`` (found when the test runs, so a new room is covered the day
it lands). The reference has one page per room: ``planning_core.X`` and its submodules are
documented on docs/api/X.md, the package itself on docs/api/index.md. Changing a module's
``__all__`` without changing its ``::: module`` block fails here, naming the names to add or
remove and the page to change.
"""

from __future__ import annotations
import __future__

import importlib
import inspect
import pkgutil
import re
import types
import typing
from pathlib import Path

import click
import pytest

import planning_core

DOCS = Path(__file__).resolve().parent.parent / "docs"
API_DIR = DOCS / "api"
_DIRECTIVE = re.compile(
    r"^::: (?P<module>[\w.]+)\n    options:\n      members:\n(?P<members>(?:        - \w+\n)+)",
    re.M,
)


def _public_modules() -> list[str]:
    names = ["planning_core"]
    for info in pkgutil.walk_packages(planning_core.__path__, "planning_core."):
        if not any(part.startswith("_") for part in info.name.split(".")[1:]):
            names.append(info.name)
    return sorted(names)


PUBLIC = _public_modules()


def page_of(module: str) -> str:
    """The reference page a public module belongs on: its room's, or index.md for the package."""
    parts = module.split(".")
    return "index.md" if len(parts) == 1 else f"{parts[1]}.md"


def _documented_on_pages() -> dict[str, tuple[str, list[str]]]:
    """Every ``::: module`` block of docs/api/: its page and its listed members."""
    found: dict[str, tuple[str, list[str]]] = {}
    for page in sorted(API_DIR.glob("*.md")):
        for match in _DIRECTIVE.finditer(page.read_text(encoding="utf-8")):
            module = match.group("module")
            assert module not in found, (
                f"docs/api/ documents {module} twice ({found.get(module, ('?',))[0]}, {page.name})"
            )
            found[module] = (page.name, re.findall(r"- (\w+)", match.group("members")))
    return found


def _documented() -> dict[str, list[str]]:
    return {module: members for module, (_, members) in _documented_on_pages().items()}


def test_the_api_pages_document_every_public_module_and_no_other() -> None:
    documented = set(_documented())
    missing, extra = sorted(set(PUBLIC) - documented), sorted(documented - set(PUBLIC))
    assert not missing, "add a '::: module' block with its members for " + ", ".join(
        f"{m} (to docs/api/{page_of(m)})" for m in missing
    )
    assert not extra, f"docs/api/ documents modules that are not public: {extra}"


def test_each_module_is_documented_on_its_rooms_page() -> None:
    misplaced = {
        module: (page, page_of(module))
        for module, (page, _) in _documented_on_pages().items()
        if page != page_of(module)
    }
    assert not misplaced, f"move these blocks (found on, belongs on): {misplaced}"


def test_every_reference_page_is_in_the_navigation() -> None:
    nav = (DOCS.parent / "mkdocs.yml").read_text(encoding="utf-8")
    pages = sorted(p.name for p in API_DIR.glob("*.md"))
    absent = [name for name in pages if f"api/{name}" not in nav]
    assert not absent, f"add docs/api/{absent} to the nav of mkdocs.yml"
    assert not (DOCS / "api.md").exists(), "docs/api.md is split into docs/api/; remove it"


@pytest.mark.parametrize("name", PUBLIC)
def test_the_api_page_lists_exactly_the_promised_names(name: str) -> None:
    promised = list(importlib.import_module(name).__all__)
    listed = _documented().get(name, [])
    to_add = [n for n in promised if n not in listed]
    to_remove = [n for n in listed if n not in promised]
    assert not to_add and not to_remove, (
        f"the public surface of {name} changed: in docs/api/{page_of(name)} add {to_add}, "
        f"remove {to_remove}"
    )
    assert len(listed) == len(set(listed)), f"docs/api/{page_of(name)} lists a name twice"


@pytest.mark.parametrize("name", PUBLIC)
def test_all_is_sorted_unique_and_every_name_exists(name: str) -> None:
    module = importlib.import_module(name)
    promised = getattr(module, "__all__", None)
    assert isinstance(promised, list), f"{name} must declare __all__ as a list"
    assert len(promised) == len(set(promised)), f"{name}.__all__ names something twice"
    absent = [n for n in promised if not hasattr(module, n)]
    assert not absent, f"{name}.__all__ promises names it does not have: {absent}"


@pytest.mark.parametrize("name", PUBLIC)
def test_everything_else_is_private_by_name(name: str) -> None:
    module = importlib.import_module(name)
    promised = set(module.__all__)
    leaked = [n for n, value in vars(module).items() if _leaks(module, n, value, promised)]
    assert not leaked, (
        f"{name} has public names outside __all__: {sorted(leaked)}; "
        f"promise them in __all__ (and docs/api/{page_of(name)}) or rename them with a "
        f"leading underscore"
    )


def _leaks(module: types.ModuleType, attr: str, value: object, promised: set[str]) -> bool:
    if attr.startswith("_") or attr in promised:
        return False
    if isinstance(value, types.ModuleType | __future__._Feature | typing.TypeVar):
        return False  # submodules, `from __future__ import …`, type variables
    if attr.startswith("planning_core_") and (
        module.__name__ == "planning_core.hookspecs" or hasattr(value, "planning_core_impl")
    ):
        return False  # hook specs and implementations: named by the contract (docs/plugins.md)
    if module.__name__ == "planning_core.cli" and isinstance(value, click.Command):
        return False  # commands registered on `cli`, reached through `planning-core NAME`
    if hasattr(module, "__path__"):
        return True  # a package's __init__ only re-exports what it promises
    defined_here = getattr(value, "__module__", None) == module.__name__
    return defined_here and (inspect.isclass(value) or inspect.isfunction(value))
