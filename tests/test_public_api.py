"""The public surface: what ``__all__`` promises, that everything else is private by name,
and that docs/api.md lists exactly the promised names of every public module.

A public module is ``planning_core`` and every module below it whose dotted path has no
component starting with ``_`` (found when the test runs, so a new room is covered the day
it lands). Changing a module's ``__all__`` without changing its ``::: module`` block in
docs/api.md fails here, naming the names to add or remove.
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

API_PAGE = Path(__file__).resolve().parent.parent / "docs" / "api.md"
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


def _documented() -> dict[str, list[str]]:
    text = API_PAGE.read_text(encoding="utf-8")
    found: dict[str, list[str]] = {}
    for match in _DIRECTIVE.finditer(text):
        module = match.group("module")
        assert module not in found, f"docs/api.md documents {module} twice"
        found[module] = re.findall(r"- (\w+)", match.group("members"))
    return found


def test_the_api_page_documents_every_public_module_and_no_other() -> None:
    documented = set(_documented())
    missing, extra = sorted(set(PUBLIC) - documented), sorted(documented - set(PUBLIC))
    assert not missing, f"add a '::: module' block with its members to docs/api.md for {missing}"
    assert not extra, f"docs/api.md documents modules that are not public: {extra}"


@pytest.mark.parametrize("name", PUBLIC)
def test_the_api_page_lists_exactly_the_promised_names(name: str) -> None:
    promised = list(importlib.import_module(name).__all__)
    listed = _documented().get(name, [])
    to_add = [n for n in promised if n not in listed]
    to_remove = [n for n in listed if n not in promised]
    assert not to_add and not to_remove, (
        f"the public surface of {name} changed: in docs/api.md add {to_add}, remove {to_remove}"
    )
    assert len(listed) == len(set(listed)), f"docs/api.md lists a name of {name} twice"


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
        f"promise them in __all__ (and docs/api.md) or rename them with a leading underscore"
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
