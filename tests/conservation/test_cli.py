"""``planning-core conservation record | check | report``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from planning_core import open_store
from planning_core.cli import cli


@pytest.fixture
def store_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'bureau.db'}"


@pytest.fixture
def recorded(data_dir: Path, store_url: str) -> str:
    """A store with the sample year, sites, targets and retrofit recorded."""
    runner = CliRunner()
    for name in ("consumption_2025_2026.csv", "sites.csv", "targets.csv", "retrofits.csv"):
        result = runner.invoke(
            cli, ["conservation", "record", str(data_dir / name), "--store", store_url]
        )
        assert result.exit_code == 0, result.output
    return store_url


def test_record_says_what_it_recorded(data_dir: Path, store_url: str) -> None:
    sample = str(data_dir / "consumption_2025_2026.csv")
    result = CliRunner().invoke(cli, ["conservation", "record", sample, "--store", store_url])
    assert result.exit_code == 0, result.output
    assert "recorded 144 consumption row(s)" in result.output


def test_a_bad_file_is_one_error_and_records_nothing(tmp_path: Path, store_url: str) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "month,site,resource,amount,unit\n2026-01,办公楼,electricity,100,kWh\n"
        "2026-02,办公楼,electricity,1.5.0,kWh\n",
        encoding="utf-8",
    )
    open_store(store_url).close()  # the store exists (a report never creates one)
    runner = CliRunner()
    result = runner.invoke(cli, ["conservation", "record", str(bad), "--store", store_url])
    assert result.exit_code == 2
    assert "row 3, column amount" in result.stderr
    report = runner.invoke(cli, ["conservation", "report", "--year", "2026", "--store", store_url])
    assert report.exit_code == 2
    assert "no consumption is recorded for 2026" in report.stderr


def test_report_markdown_and_json(recorded: str) -> None:
    runner = CliRunner()
    markdown = runner.invoke(cli, ["conservation", "report", "--year", "2026", "--store", recorded])
    assert markdown.exit_code == 0, markdown.output
    assert "| 用电 electricity | kWh | 1–12 | 297800 | 312300 | -4.64% |" in markdown.output
    assert "外窗节能改造(中空玻璃)" in markdown.output
    as_json = runner.invoke(
        cli, ["conservation", "report", "--year", "2026", "--format", "json", "--store", recorded]
    )
    data = json.loads(as_json.output)
    assert data["headcount"] == 106
    monthly = runner.invoke(
        cli,
        ["conservation", "report", "--year", "2026", "--month", "4", "--store", recorded],
    )
    assert "| 用电 electricity | kWh | 19300 | 20000 | -3.50% |" in monthly.output


def test_report_svg_written_to_a_file(recorded: str, tmp_path: Path) -> None:
    out = tmp_path / "2026.svg"
    result = CliRunner().invoke(
        cli,
        [
            "conservation", "report", "--year", "2026", "--format", "svg",
            "--out", str(out), "--store", recorded,
        ],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert f"wrote {out}" in result.output
    assert out.read_text(encoding="utf-8").startswith("<?xml")


def test_svg_of_a_month_is_refused(recorded: str) -> None:
    result = CliRunner().invoke(
        cli,
        ["conservation", "report", "--year", "2026", "--month", "4", "--format", "svg",
         "--store", recorded],
    )  # fmt: skip
    assert result.exit_code == 2
    assert "leave out --month" in result.stderr


def _write(tmp_path: Path, data: object) -> str:
    path = tmp_path / "check.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return str(path)


_MEAL = {
    "record": "meal", "meal_id": "J-7", "host": "办公室", "on": "2026-05-12",
    "guests": 12, "companions": 5, "cost": "1180.00",
}  # fmt: skip
_TRIP = {
    "record": "trip", "request_id": "T-9", "requester": "张局长", "rank": "leader",
    "kind": "commute", "purpose": "上班", "departure": "2026-04-15T07:40:00+08:00",
    "origin": "家属院", "destination": "规划局",
}  # fmt: skip


def test_check_prints_each_rules_verdict(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["conservation", "check", _write(tmp_path, [_MEAL, _TRIP])])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == "meal J-7: 不允许 refused"
    assert lines[1].startswith("  不允许 refused  funds.reception-companions (公务接待陪餐人数")
    assert lines[1].endswith("5 companions for 12 guests: at most 4 may attend")
    assert lines[2] == "trip T-9: 不允许 refused"
    rule_lines = [line.split()[2] for line in lines[3:]]
    assert rule_lines == [
        "vehicles.no-leader-commute-months",
        "[pooled]",
        "vehicles.bicycle-to-nearby-offices",
        "vehicles.no-weekend-trips",
    ]


def test_check_json_with_four_companions(tmp_path: Path) -> None:
    allowed = {**_MEAL, "companions": 4}
    result = CliRunner().invoke(cli, ["conservation", "check", "--json", _write(tmp_path, allowed)])
    assert result.exit_code == 0, result.output
    [entry] = json.loads(result.output)
    assert (entry["record"], entry["key"], entry["outcome"]) == ("meal", "J-7", "allowed")
    assert entry["verdicts"][0]["rule"] == "funds.reception-companions"


def test_check_reports_every_bad_record(tmp_path: Path) -> None:
    broken_trip = {k: v for k, v in _TRIP.items() if k != "kind"}
    unknown = {"record": "banquet"}
    path = _write(tmp_path, [_MEAL, broken_trip, unknown])
    result = CliRunner().invoke(cli, ["conservation", "check", path])
    assert result.exit_code == 2
    assert "record 2" in result.stderr and "record 3" in result.stderr
    assert "'banquet'" in result.stderr


def test_check_refuses_a_file_that_is_not_json(tmp_path: Path) -> None:
    path = tmp_path / "check.json"
    path.write_text("{guests: 12", encoding="utf-8")
    result = CliRunner().invoke(cli, ["conservation", "check", str(path)])
    assert result.exit_code == 2
    assert "check.json is not JSON" in result.stderr
