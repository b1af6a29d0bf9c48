"""``planning-core staff`` and ``planning-core serve`` without the extra."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from planning_core.bureau import open_bureau
from planning_core.cli import cli
from planning_core.web import StaffCredentials


def test_staff_password_and_token(tmp_path: Path) -> None:
    store = f"sqlite:///{tmp_path / 'b.db'}"
    runner = CliRunner()
    r = runner.invoke(
        cli, ["staff", "password", "--store", store, "li.hua"], input="long-enough-1\n"
    )
    assert r.exit_code == 0, r.output
    assert "long-enough-1" not in r.output
    short = runner.invoke(cli, ["staff", "password", "--store", store, "li.hua"], input="short\n")
    assert short.exit_code == 2 and "10 characters" in short.output
    token = runner.invoke(
        cli, ["staff", "token", "--store", store, "board", "--actor", "zheng.wei"]
    )
    assert token.exit_code == 0 and token.output.startswith("pct_")
    with open_bureau(store=store) as bureau:
        credentials = StaffCredentials(bureau.store, bureau.organisation)
        assert credentials.has_password("li.hua")
        found = credentials.token(token.output.strip())
        assert found is not None and found.actor_id == "zheng.wei"


def test_serve_without_the_extra_says_what_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "uvicorn", None)
    r = CliRunner().invoke(cli, ["serve", "--store", "memory://"])
    assert r.exit_code == 2 and 'pip install "planning-core[web]"' in r.output


def test_staff_token_json_and_password_message_language(tmp_path: Path) -> None:
    store = f"sqlite:///{tmp_path / 'b.db'}"
    runner = CliRunner()
    made = runner.invoke(
        cli,
        ["staff", "token", "--store", store, "board", "--actor", "zheng.wei", "--format", "json"],
    )
    assert made.exit_code == 0, made.output
    data = json.loads(made.stdout)
    assert (data["name"], data["actor"]) == ("board", "zheng.wei")
    assert data["token"].startswith("pct_")
    zh = runner.invoke(
        cli,
        ["--lang", "zh", "staff", "password", "--store", store, "li.hua"],
        input="long-enough-1\n",
    )
    assert zh.exit_code == 0 and zh.stdout.startswith("已为 li.hua")
