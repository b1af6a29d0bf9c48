"""``planning-core rural``: import, export, progress, inspections overdue, on a SQLite file."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from planning_core.cli import cli
from planning_core.rural import Inspection, RuralRepository
from planning_core.storage import open_store
from planning_core.timing import TimeLimit

FIXTURES = Path(__file__).resolve().parent / "fixtures"
AT = "2022-01-13T18:00:00+08:00"


@pytest.fixture
def store_url(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'bureau.db'}"
    for name in ("places", "committees", "matters", "funding"):
        result = CliRunner().invoke(
            cli, ["rural", "import", str(FIXTURES / f"seed_{name}.csv"), "--store", url]
        )
        assert result.exit_code == 0, result.output
    return url


def test_import_says_what_it_stored(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'x.db'}"
    result = CliRunner().invoke(
        cli, ["rural", "import", str(FIXTURES / "seed_places.csv"), "--store", url]
    )
    assert result.exit_code == 0
    assert "43 townships, 527 villages, 566 plans" in result.output


def test_a_bad_file_exits_2_listing_every_problem(tmp_path: Path, store_url: str) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "示范点,乡镇,村庄,规划类型,阶段,编制日期,投资(元)\n"
        "丰润,乡镇01,村庄900,村庄规划,设计中,2022-01-13,1\n"
        "丰润,乡镇01,村庄901,村庄规划,编制,2022-01-13,-1\n"
        "丰润,乡镇01,村庄900,村庄规划,编制,2022-01-13,1\n",
        encoding="utf-8-sig",
    )
    result = CliRunner().invoke(cli, ["rural", "import", str(bad), "--store", store_url])
    assert result.exit_code == 2
    assert "3 problem(s); nothing was stored" in result.stderr
    for where in ("row 2, column 阶段", "row 3, column 投资(元)", "row 4, column 村庄"):
        assert where in result.stderr
    with open_store(store_url) as store:
        assert len(RuralRepository(store).snapshot().villages) == 527


def test_progress_as_json_for_one_site(store_url: str) -> None:
    result = CliRunner().invoke(
        cli,
        [
            "rural",
            "progress",
            "--site",
            "迁安",
            "--format",
            "json",
            "--at",
            AT,
            "--store",
            store_url,
        ],
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    (qianan,) = data["sites"]
    assert (qianan["townships"]["total"], qianan["townships"]["by_stage"]["completed"]) == (18, 13)
    assert data["city"] is None
    assert "迁安共有18个乡镇" in data["summary"]


def test_progress_as_markdown(store_url: str) -> None:
    result = CliRunner().invoke(cli, ["rural", "progress", "--at", AT, "--store", store_url])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("# 乡村规划进度报告")
    assert "目前投入资金600万元；资金投入累计约300万元" in result.output


def test_progress_refuses_an_instant_without_offset(store_url: str) -> None:
    result = CliRunner().invoke(
        cli, ["rural", "progress", "--at", "2022-01-13T18:00:00", "--store", store_url]
    )
    assert result.exit_code == 2 and "time zone" in result.stderr


def test_inspections_overdue(store_url: str) -> None:
    with open_store(store_url) as store:
        RuralRepository(store).put(
            Inspection(
                "JC-2022-001",
                "丰润",
                dt.date(2022, 1, 4),
                "村庄001",
                ("未批先建",),
                "乡镇01",
                TimeLimit.parse("5个工作日"),
                dt.date(2022, 1, 11),
            )
        )
    args = ["rural", "inspections", "overdue", "--at", AT, "--store", store_url]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    assert "JC-2022-001" in result.output and "逾期 2 天" in result.output
    assert "未批先建" in result.output
    as_json = json.loads(CliRunner().invoke(cli, [*args, "--json"]).output)
    assert as_json[0]["deadline"] == "2022-01-11"
    early = CliRunner().invoke(cli, [*args[:4], "2022-01-11T23:59:00+08:00", *args[5:]])
    assert "没有逾期未完成的整改" in early.output


def test_export_writes_a_bom_file_that_imports_back(tmp_path: Path, store_url: str) -> None:
    out = tmp_path / "places.csv"
    result = CliRunner().invoke(
        cli, ["rural", "export", "places", "--out", str(out), "--store", store_url]
    )
    assert result.exit_code == 0, result.output
    assert result.stdout == "" and f"wrote {out}" in result.stderr
    assert out.read_bytes().startswith(b"\xef\xbb\xbf")
    again = f"sqlite:///{tmp_path / 'again.db'}"
    result = CliRunner().invoke(cli, ["rural", "import", str(out), "--store", again])
    assert result.exit_code == 0 and "527 villages" in result.output


def test_record_an_inspection_and_follow_it_up(store_url: str) -> None:
    record = [
        "rural", "inspections", "record", "--number", "JC-2026-007", "--site", "丰润",
        "--township", "乡镇01", "--on", "2026-09-30", "--location", "村庄001",
        "--finding", "未批先建", "--limit", "5个工作日", "--store", store_url,
    ]  # fmt: skip
    result = CliRunner().invoke(cli, record)
    assert result.exit_code == 0, result.output
    assert "rectify by 2026-10-13" in result.output
    overdue = ["rural", "inspections", "overdue", "--store", store_url]
    late = CliRunner().invoke(cli, [*overdue, "--at", "2026-10-14T09:00:00+08:00"])
    assert "JC-2026-007" in late.output and "逾期 1 天" in late.output
    follow = ["rural", "inspections", "follow-up", "JC-2026-007", "--on", "2026-10-14"]
    result = CliRunner().invoke(
        cli, [*follow, "--note", "已拆除", "--rectified", "--store", store_url]
    )
    assert result.exit_code == 0, result.output
    after = CliRunner().invoke(cli, [*overdue, "--at", "2026-10-15T09:00:00+08:00"])
    assert "没有逾期未完成的整改" in after.output
    missing = CliRunner().invoke(cli, [*follow, "--note", "x", "--store", store_url])
    assert missing.exit_code == 0
    unknown = ["rural", "inspections", "follow-up", "JC-404", "--on", "2026-10-14", "--note", "x"]
    result = CliRunner().invoke(cli, [*unknown, "--store", store_url])
    assert result.exit_code == 2 and "JC-404" in result.stderr


def _overdue_store(store_url: str) -> list[str]:
    with open_store(store_url) as store:
        RuralRepository(store).put(
            Inspection(
                "JC-2022-001",
                "丰润",
                dt.date(2022, 1, 4),
                "村庄001",
                ("未批先建", "超面积"),
                "乡镇01",
                TimeLimit.parse("5个工作日"),
                dt.date(2022, 1, 11),
            )
        )
    return ["rural", "inspections", "overdue", "--at", AT, "--store", store_url]


def test_inspections_overdue_as_json_csv_and_to_a_file(store_url: str, tmp_path: Path) -> None:
    args = _overdue_store(store_url)
    [item] = json.loads(CliRunner().invoke(cli, [*args, "--format", "json"]).stdout)
    assert (item["number"], item["deadline"], item["days_overdue"]) == (
        "JC-2022-001",
        "2022-01-11",
        2,
    )
    assert item["deadline_provisional"] is False
    table = CliRunner().invoke(cli, [*args, "--format", "csv"])
    assert table.exit_code == 0, table.output
    rows = list(csv.reader(io.StringIO(table.stdout)))
    assert rows[0][:3] == ["检查编号", "示范点", "乡镇"]
    assert rows[1] == [
        "JC-2022-001", "丰润", "乡镇01", "村庄001", "2022-01-04", "2022-01-11", "否", "2",
        "未批先建；超面积",
    ]  # fmt: skip
    out = tmp_path / "overdue.csv"
    written = CliRunner().invoke(cli, [*args, "--format", "csv", "--out", str(out)])
    assert written.exit_code == 0 and written.stdout == ""
    assert out.read_bytes().startswith(b"\xef\xbb\xbf")
    assert list(csv.reader(io.StringIO(out.read_text(encoding="utf-8-sig")))) == rows


def test_export_as_json_rows_keyed_by_the_sheets_headers(store_url: str) -> None:
    result = CliRunner().invoke(
        cli, ["rural", "export", "funding", "--format", "json", "--store", store_url]
    )
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    as_csv = CliRunner().invoke(cli, ["rural", "export", "funding", "--store", store_url]).stdout
    header, *cells = list(csv.reader(io.StringIO(as_csv)))
    assert rows == [dict(zip(header, row, strict=True)) for row in cells] and len(rows) == 4


def test_import_in_json_and_in_each_language(store_url: str) -> None:
    url = store_url
    source = str(FIXTURES / "seed_committees.csv")
    data = json.loads(
        CliRunner()
        .invoke(cli, ["rural", "import", source, "--format", "json", "--store", url])
        .stdout
    )
    assert (data["sheet"], data["rows"], data["stored"]) == ("committees", 22, {"committees": 22})
    zh = CliRunner().invoke(cli, ["--lang", "zh", "rural", "import", source, "--store", url])
    assert (
        zh.stdout == "已导入 seed_committees.csv：乡镇规划委员会，22 行；写入 22 个乡镇规划委员会\n"
    )
    en = CliRunner().invoke(cli, ["--lang", "en", "rural", "import", source, "--store", url])
    assert not re.search(r"[\u4e00-\u9fff]", en.stdout.replace("seed_committees", ""))


def test_record_as_json_gives_the_deadline_and_its_provisional_flag(store_url: str) -> None:
    record = [
        "rural", "inspections", "record", "--number", "JC-2027-001", "--site", "丰润",
        "--on", "2027-12-20", "--location", "村庄001", "--limit", "10个工作日",
        "--format", "json", "--store", store_url,
    ]  # fmt: skip
    result = CliRunner().invoke(cli, record)
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["number"] == "JC-2027-001" and data["deadline_provisional"] is True
    # a TimeLimit has the library's one shape
    assert data["rectification_limit"] == {"days": 10, "unit": "working_days"}
    assert data["rectification_deadline"] == "2028-01-04"
    zh = CliRunner().invoke(
        cli, ["--lang", "zh", *record[:-4], "--number", "JC-2027-002", "--store", store_url]
    )
    assert "已记录检查 JC-2027-002，整改期限" in zh.stdout and "（暂定" in zh.stdout
    follow = CliRunner().invoke(
        cli,
        ["rural", "inspections", "follow-up", "JC-2027-001", "--on", "2027-12-28",
         "--note", "已拆除", "--rectified", "--format", "json", "--store", store_url],
    )  # fmt: skip
    assert follow.exit_code == 0, follow.output
    assert json.loads(follow.stdout)["follow_ups"][0]["rectified"] is True
