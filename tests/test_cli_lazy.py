"""The lazy root group: ``--help`` lists every command without importing any, and the
one-liners it shows are the commands' own (their docstrings' first paragraph)."""

from __future__ import annotations

import importlib
import inspect
import json
import subprocess
import sys

import click
import pytest
from click.testing import CliRunner

from planning_core.cli import COMMANDS, cli


def _first_paragraph(command: click.Command) -> str:
    text = inspect.cleandoc(command.help or "")
    return " ".join(text.split("\n\n")[0].split())


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_the_registered_one_liner_is_the_commands_docstring(name: str) -> None:
    lazy = COMMANDS[name]
    command = getattr(importlib.import_module(lazy.module), lazy.attribute)
    assert isinstance(command, click.Command)
    assert lazy.short_help == _first_paragraph(command)


def test_every_command_is_registered_under_its_own_name() -> None:
    for name, lazy in COMMANDS.items():
        command = getattr(importlib.import_module(lazy.module), lazy.attribute)
        assert command.name in (name, lazy.attribute), (name, command.name)
        assert cli.get_command(click.Context(cli), name) is command


def test_the_root_help_lists_every_command_with_its_one_liner() -> None:
    result = CliRunner().invoke(cli, ["--help"], terminal_width=400)
    assert result.exit_code == 0
    for name, lazy in COMMANDS.items():
        line = next((row for row in result.output.splitlines() if row.split()[:1] == [name]), None)
        assert line is not None, name
        # click may shorten a long one-liner at a word boundary; what it shows is its start
        shown = line.split(None, 1)[1].rstrip(". ")
        assert lazy.short_help.startswith(shown.removesuffix("..").rstrip(". ")), (name, shown)


#: What ``planning-core --help`` must not import: the heavy rooms and the optional extras.
NOT_ON_HELP = ("networkx", "cattrs", "planning_core.cases", "shapely", "matplotlib")


def test_the_root_help_imports_none_of_the_heavy_modules() -> None:
    script = (
        "import json, sys\n"
        "from planning_core.cli import main\n"
        "try:\n    main(['--help'])\nexcept SystemExit:\n    pass\n"
        "print(json.dumps(sorted(sys.modules)))"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )
    loaded = set(json.loads(done.stdout.splitlines()[-1]))
    assert "Usage:" in done.stdout
    heavy = sorted(
        module
        for module in loaded
        if any(module == name or module.startswith(f"{name}.") for name in NOT_ON_HELP)
    )
    assert heavy == []
