"""``planning-core conservation record | check | report``."""

from __future__ import annotations

import csv
import io
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


def test_record_as_json_and_in_chinese(data_dir: Path, store_url: str) -> None:
    sample = str(data_dir / "sites.csv")
    args = ["conservation", "record", sample, "--store", store_url]
    data = json.loads(CliRunner().invoke(cli, [*args, "--format", "json"]).stdout)
    assert (data["file"], data["kind"], data["store"]) == ("sites.csv", "sites", store_url)
    zh = CliRunner().invoke(cli, ["--lang", "zh", *args])
    assert zh.stdout.startswith(f"已从 sites.csv 记录单位概况 {data['rows']} 行")


def test_report_json_to_a_file(recorded: str, tmp_path: Path) -> None:
    out = tmp_path / "2026.json"
    args = ["conservation", "report", "--year", "2026", "--format", "json", "--store", recorded]
    result = CliRunner().invoke(cli, [*args, "--out", str(out)])
    assert result.exit_code == 0 and result.stdout == ""
    assert json.loads(out.read_text(encoding="utf-8"))["headcount"] == 106


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
    assert result.stdout == "" and f"wrote {out}" in result.stderr
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
    path = _write(tmp_path, [_MEAL, _TRIP])
    result = CliRunner().invoke(cli, ["--lang", "en", "conservation", "check", path])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == "meal J-7: refused"
    assert lines[1].startswith("  refused  funds.reception-companions (")
    assert lines[1].endswith("5 companions for 12 guests: at most 4 may attend")
    assert lines[2] == "trip T-9: refused"
    rule_lines = [line.split()[1] for line in lines[3:]]
    assert rule_lines == [
        "vehicles.no-leader-commute-months",
        "[pooled]",
        "vehicles.bicycle-to-nearby-offices",
        "vehicles.no-weekend-trips",
    ]


def test_check_in_chinese_names_the_outcome_and_rule_in_chinese(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        cli, ["--lang", "zh", "conservation", "check", _write(tmp_path, _MEAL)]
    )
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == "meal J-7：不允许"
    assert lines[1].startswith("  不允许  funds.reception-companions (公务接待陪餐人数")
    assert "refused" not in result.output


def test_check_json_with_four_companions(tmp_path: Path) -> None:
    allowed = {**_MEAL, "companions": 4}
    result = CliRunner().invoke(
        cli, ["conservation", "check", "--format", "json", _write(tmp_path, allowed)]
    )
    assert result.exit_code == 0, result.output
    [entry] = json.loads(result.output)
    assert (entry["record"], entry["key"], entry["outcome"]) == ("meal", "J-7", "allowed")
    first = entry["results"][0]
    assert first["rule_id"] == "funds.reception-companions"
    assert first["verdict"]["outcome"] == "allowed" and set(first["description"]) == {"zh", "en"}
    # the old flag still works
    alias = CliRunner().invoke(cli, ["conservation", "check", "--json", _write(tmp_path, allowed)])
    assert json.loads(alias.output) == [entry]


def test_check_as_csv_one_row_per_rule(tmp_path: Path) -> None:
    path = _write(tmp_path, [_MEAL, _TRIP])
    result = CliRunner().invoke(cli, ["conservation", "check", "--format", "csv", path])
    assert result.exit_code == 0, result.output
    header, *rows = list(csv.reader(io.StringIO(result.stdout)))
    assert header[:4] == ["记录类型", "编号", "总体结论", "规则"]
    assert rows[0][:4] == ["meal", "J-7", "不允许", "funds.reception-companions"]
    assert rows[0][4].startswith("公务接待陪餐人数") and rows[0][5] == "不允许"
    assert [row[1] for row in rows].count("T-9") == 4


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
