"""The house's wiring: imports run down the floors, and one place builds plugin managers.

Each room of ``planning_core`` has a floor; a module may import (at module level, including
under ``if TYPE_CHECKING:``) only from its own room or from a lower floor. Imports inside a
function are allowed upward: that is how ``plugins.builtin_plugins()`` loads the rooms' hook
modules and how a room defers a heavy optional import. The table is the one
docs/architecture.md draws.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parent.parent / "src" / "planning_core"

#: Each room's floor, from the basement up (docs/architecture.md, "Rooms and floors").
FLOORS: dict[str, int] = {
    "_defaults": 0,
    "errors": 0,
    "markers": 0,
    "_extras": 1,
    "_charts": 2,
    "registry": 1,
    "inputs": 1,
    "serialization": 2,
    "storage": 3,
    "materials": 3,
    "timing": 4,
    "workflow": 5,
    "permits": 6,
    "geo": 6,
    "rural": 6,
    "conservation": 6,
    "forms": 7,
    "cases": 8,
    "window": 9,
    "ledger": 9,
    "reports": 10,
    "documents": 10,
    "hookspecs": 11,
    "plugins": 12,
    "bureau": 13,
    "testing": 14,
    "web": 15,
    "cli": 16,
    "__init__": 17,
    "__main__": 18,
}


def _room(module: str) -> str:
    parts = module.split(".")
    return "__init__" if len(parts) == 1 else parts[1]


def _module_name(path: Path) -> str:
    rel = path.relative_to(SRC.parent).with_suffix("")
    return ".".join(rel.parts).removesuffix(".__init__")


def _module_level_imports(tree: ast.Module) -> list[tuple[int, str]]:
    """``(line, imported module)`` for every import not inside a function or class."""
    found: list[tuple[int, str]] = []
    pending: list[ast.stmt] = list(tree.body)
    while pending:
        node = pending.pop()
        if isinstance(node, ast.If):
            pending += node.body + node.orelse
        elif isinstance(node, ast.Try):
            pending += node.body + node.orelse + node.finalbody
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            if node.module == "planning_core":
                found += [(node.lineno, f"planning_core.{a.name}") for a in node.names]
            else:
                found.append((node.lineno, node.module))
        elif isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
    return [(line, name) for line, name in found if name.split(".")[0] == "planning_core"]


SOURCES = sorted(SRC.rglob("*.py"))


def test_every_room_has_a_floor() -> None:
    rooms = {_room(_module_name(path)) for path in SOURCES}
    assert rooms <= set(FLOORS), f"give these rooms a floor: {sorted(rooms - set(FLOORS))}"


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(SRC)))
def test_imports_run_down_the_floors(path: Path) -> None:
    module = _module_name(path)
    room = _room(module)
    upward = [
        f"line {line}: {target} ({_room(target)}, floor {FLOORS.get(_room(target))})"
        for line, target in _module_level_imports(ast.parse(path.read_text(encoding="utf-8")))
        if _room(target) != room and FLOORS.get(_room(target), 99) >= FLOORS[room]
    ]
    assert not upward, f"{module} (floor {FLOORS[room]}) imports upward: {upward}"


def test_only_the_composition_root_and_the_plugin_module_build_plugin_managers() -> None:
    callers = set()
    for path in SOURCES:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call):
                name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
                if name == "make_hooks":
                    callers.add(_module_name(path))
    assert callers == {"planning_core.bureau._bureau"}, callers


def test_the_floor_table_is_the_one_the_architecture_page_draws() -> None:
    page = (SRC.parent.parent / "docs" / "architecture.md").read_text(encoding="utf-8")
    for room, floor in FLOORS.items():
        if room.startswith("__"):
            continue
        assert f"| {floor} | `{room}`" in page or f"`{room}`" in _floor_row(page, floor), (
            f"docs/architecture.md does not put {room} on floor {floor}"
        )


def _floor_row(page: str, floor: int) -> str:
    for line in page.splitlines():
        if line.startswith(f"| {floor} |"):
            return line
    return ""
