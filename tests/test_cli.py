from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from planning_core.cli import cli


def _all_commands(group: click.Group, prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    found = []
    for name, command in group.commands.items():
        path = (*prefix, name)
        found.append(path)
        if isinstance(command, click.Group):
            found.extend(_all_commands(command, path))
    return found


@pytest.mark.parametrize("path", _all_commands(cli), ids=" ".join)
def test_every_command_has_help(path: tuple[str, ...]) -> None:
    result = CliRunner().invoke(cli, [*path, "--help"])
    assert result.exit_code == 0, result.output
    assert "Usage:" in result.output


def test_user_error_is_one_line_on_stderr_with_exit_2() -> None:
    result = CliRunner().invoke(cli, ["demo", "--store", "nonsense"])
    assert result.exit_code == 2
    assert result.stderr.strip().count("\n") == 0
    assert "planning-core: error:" in result.stderr
    assert "'nonsense'" in result.stderr
    assert "Traceback" not in result.stderr


def test_debug_shows_the_traceback() -> None:
    result = CliRunner().invoke(cli, ["--debug", "demo", "--store", "nonsense"])
    assert result.exit_code != 0
    assert result.exception is not None
    assert "has no scheme" in str(result.exception)


def test_demo_creates_the_sqlite_store_in_the_working_directory(tmp_path: Path) -> None:
    completed = subprocess.run(
        [sys.executable, "-m", "planning_core", "demo"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
    assert (tmp_path / "planning-core.db").exists()
    assert "规划局" in completed.stdout
