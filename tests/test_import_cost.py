"""What ``import planning_core`` and the command line's start load: only what they need.

The figures are measured in ``benchmarks/bench_cli.py``; these tests check the cause (which
modules get imported), which is what makes them fast and does not depend on the machine.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

import planning_core
from planning_core.cli._base import locale_language


def _modules_after(code: str) -> set[str]:
    script = f"{code}\nimport json, sys\nprint(json.dumps(sorted(sys.modules)))"
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )
    return set(json.loads(done.stdout.splitlines()[-1]))


HEAVY = {"pluggy", "cattrs", "networkx", "pendulum", "planning_core.cases", "planning_core.storage"}


def test_import_planning_core_loads_only_the_errors() -> None:
    loaded = _modules_after("import planning_core")
    assert not HEAVY & loaded, sorted(HEAVY & loaded)


def test_every_promised_name_is_there_on_first_use() -> None:
    for name in planning_core.__all__:
        assert getattr(planning_core, name) is not None, name
    assert set(planning_core.__all__) <= set(dir(planning_core))


def test_an_unknown_name_is_an_attribute_error_naming_it() -> None:
    with pytest.raises(AttributeError, match="no_such_thing"):
        planning_core.no_such_thing  # noqa: B018


def test_the_lazy_names_are_the_rooms_own_objects() -> None:
    from planning_core.plugins import Hooks
    from planning_core.storage import open_store

    assert planning_core.Hooks is Hooks
    assert planning_core.open_store is open_store


def test_the_command_lines_help_loads_no_room() -> None:
    code = (
        "import sys\nfrom planning_core.cli import main\n"
        "sys.argv = ['planning-core', '--help']\n"
        "try:\n    main()\nexcept SystemExit:\n    pass"
    )
    loaded = _modules_after(code)
    assert not HEAVY & loaded, sorted(HEAVY & loaded)


@pytest.mark.parametrize(
    ("environ", "expected"),
    [
        ({"LANG": "zh_CN.UTF-8"}, "zh"),
        ({"LANG": "en_US.UTF-8"}, "en"),
        ({"LC_ALL": "zh_TW.UTF-8", "LANG": "en_US.UTF-8"}, "zh"),
        ({"LC_MESSAGES": "C", "LANG": "zh_CN.UTF-8"}, "en"),
        ({}, "en"),
    ],
)
def test_the_command_lines_language_follows_the_locale(
    environ: dict[str, str], expected: str
) -> None:
    assert locale_language(environ) == expected
