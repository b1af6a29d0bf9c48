from __future__ import annotations

import csv
import datetime as dt
import io
import json
import subprocess
import sys
from pathlib import Path

import click
import pytest
from click.testing import CliRunner, Result

from planning_core.cli import cli


def _all_commands(group: click.Group, prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    """Every command path, the lazily registered ones loaded."""
    ctx = click.Context(group)
    found = []
    for name in group.list_commands(ctx):
        command = group.get_command(ctx, name)
        assert command is not None, name
        path = (*prefix, name)
        found.append(path)
        if isinstance(command, click.Group):
            found.extend(_all_commands(command, path))
    return found


def _command(path: tuple[str, ...]) -> click.Command:
    command: click.Command = cli
    for name in path:
        assert isinstance(command, click.Group)
        found = command.get_command(click.Context(command), name)
        assert found is not None
        command = found
    return command


#: Commands whose output is one document in a fixed format (JSON), or none at all: they
#: take ``--out`` (when they write something) but no ``--format`` (docs/cli.md).
FIXED_FORMAT = {
    ("certificates", "export"),
    ("forms", "schema"),
    ("ledger", "anchor"),
    ("serve",),
}


@pytest.mark.parametrize(
    "path",
    [
        p
        for p in _all_commands(cli)
        if not isinstance(_command(p), click.Group) and p not in FIXED_FORMAT
    ],
    ids=" ".join,
)
def test_every_command_offers_format_and_out(path: tuple[str, ...]) -> None:
    options = {opt for param in _command(path).params for opt in getattr(param, "opts", ())}
    assert {"--format", "--out"} <= options, f"{' '.join(path)}: {sorted(options)}"
    assert not {"-o", "--output", "--json"} & {
        opt
        for param in _command(path).params
        if not getattr(param, "hidden", False)
        for opt in getattr(param, "opts", ())
    }


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


# -- the output convention on the smaller commands (docs/cli.md) -----------------------------


def _invoke(*args: str, input: str | None = None) -> Result:
    return CliRunner().invoke(cli, list(args), input=input)


def test_plugins_json_and_the_text_in_one_language() -> None:
    data = json.loads(_invoke("plugins", "--format", "json").stdout)
    assert any(p["builtin"] and "planning_core_register_calendars" in p["hooks"] for p in data)
    zh = _invoke("--lang", "zh", "plugins").stdout
    en = _invoke("--lang", "en", "plugins").stdout
    assert "（内置）" in zh.replace("(", "（").replace(")", "）") and "built-in" not in zh
    assert "(built-in)" in en and "内置" not in en


def test_forms_list_json_csv_and_validate_exit_codes(tmp_path: Path) -> None:
    data = json.loads(_invoke("forms", "list", "--format", "json").stdout)
    assert {"permit_type", "version", "title", "fields"} <= set(data[0])
    rows = list(csv.reader(io.StringIO(_invoke("forms", "list", "--format", "csv").stdout)))
    assert rows[0] == ["许可事项", "版本", "表名", "填写项数"] and len(rows) == 1 + len(data)
    bad = tmp_path / "form.json"
    bad.write_text("{}", encoding="utf-8")
    result = _invoke("forms", "validate", "CONSTRUCTION", str(bad), "--format", "json")
    assert result.exit_code == 1
    found = json.loads(result.stdout)
    assert found["valid"] is False and found["problems"]
    schema = tmp_path / "schema.json"
    written = _invoke("forms", "schema", "CONSTRUCTION", "--out", str(schema))
    assert written.exit_code == 0 and written.stdout == ""
    assert json.loads(schema.read_text(encoding="utf-8"))["type"] == "object"


def test_bureau_check_json(tmp_path: Path) -> None:
    file = tmp_path / "bureau.toml"
    file.write_text('name = "测试规划局"\n', encoding="utf-8")
    result = _invoke("bureau", "check", str(file), "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert (data["name"], data["ok"], data["problems"]) == ("测试规划局", True, [])
    text = _invoke("bureau", "check", str(file)).stdout
    assert "机构 测试规划局" in text and "the reference one" not in text


def test_outbox_list_json_and_csv(tmp_path: Path) -> None:
    store = f"sqlite:///{tmp_path / 'b.db'}"
    application = tmp_path / "application.json"
    application.write_text(
        json.dumps(
            {"permit_type": "CONSTRUCTION", "applicant": "某公司", "project": "某楼",
             "materials": ["application"], "contact": "13800000000"},
            ensure_ascii=False,
        ),
        encoding="utf-8",
    )  # fmt: skip
    at = "2026-03-02T09:00:00+08:00"
    assert _invoke("intake", str(application), "--at", at, "--store", store).exit_code == 0
    waiting = json.loads(_invoke("outbox", "list", "--format", "json", "--store", store).stdout)
    assert isinstance(waiting, list) and all(
        dt.datetime.fromisoformat(m["next_at"]).utcoffset() is not None for m in waiting
    )
    table = _invoke("outbox", "list", "--format", "csv", "--store", store).stdout
    assert table.splitlines()[0] == "幂等键,渠道,案件,摘要,已尝试次数,下次尝试,已搁置,上次错误"
    rows = list(csv.DictReader(io.StringIO(table)))
    assert [r["幂等键"] for r in rows] == [m["key"] for m in waiting]
    report = _invoke("outbox", "deliver", "--at", at, "--format", "json", "--store", store)
    assert report.exit_code == 0, report.output
    assert set(json.loads(report.stdout)) == {"delivered", "failed", "waiting"}
    zh = _invoke("--lang", "zh", "outbox", "list", "--store", store).stdout
    assert zh.startswith(f"待发通知 {len(waiting)} 条") and "attempts" not in zh
