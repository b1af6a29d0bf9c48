"""The cases commands and the demo, through the command line, on SQLite files."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from pathlib import Path

from click.testing import CliRunner

from planning_core import open_store
from planning_core.cli import cli


def _run(*args: str) -> str:
    result = CliRunner().invoke(cli, ["--lang", "en", *args])
    assert result.exit_code == 0, result.output + str(result.exception)
    return result.output


def _has_offset(text: str) -> bool:
    """An ISO 8601 instant that carries its UTC offset."""
    return dt.datetime.fromisoformat(text).utcoffset() is not None


def test_demo_shows_a_red_case_and_an_issued_certificate(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'demo.db'}"
    out = _run("demo", "--store", url)
    # one case late on its own clocks, one whose division meeting is late (案卷有红灯)
    assert "红灯案件 2 件" in out
    assert "依法视为自 11-18 16:30 收件之日起受理（行政许可法第三十二条）" in out
    assert "发证：建字第2026-0001号，已登记" in out
    assert "超期督办看板" in out
    assert "立案回执" in out and "案件查询密码" in out  # a receipt, printed in full
    assert "申请人凭查询密码在网上查询" in out and "办理阶段：审查中" in out
    assert "预约接待卡" in out and "预约号：A2026-00001" in out
    assert "补正材料已收" in out and "局长批准延期" in out and "处务会" in out
    # the outbox delivered the day's notices to the demo's SMS gateway, each once
    assert re.search(r"短信通知（每条只发一次：申请人 \d+ 条，工作人员 \d+ 条）", out)
    assert "→ 申请人 138****0000  【" in out and "发件箱待发 0 条" in out
    again = _run("demo", "--store", url)  # a second day on the same file still works
    assert "建字第2026-0002号" in again


def test_the_demo_shows_a_pickup_date_in_an_unpublished_year_as_provisional(
    tmp_path: Path,
) -> None:
    out = _run("demo", "--store", f"sqlite:///{tmp_path / 'demo.db'}")
    mark = "（暂定：2027年节假日安排尚未公布）"
    # the receipt line and the applicant's status page of a case received in late December
    assert re.search(rf"预取件日期 2027-01-\d\d{mark}", out)
    assert re.search(rf"预取件日期：2027年1月\d+日（星期.）{mark}\n", out)
    # the dates of 2026 carry no mark
    assert re.search(r"预取件日期 2026-11-\d\d）", out) and out.count("暂定") == 2


def test_cases_commands_on_the_demo_store(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'demo.db'}"
    _run("demo", "--store", url)
    board = _run("cases", "overdue", "--store", url, "--at", "2026-11-26T18:00:00+08:00")
    assert "2026-000003" in board and "红灯" in board
    inbox = _run("cases", "inbox", "RURAL_HEAD", "--store", url)
    assert "2026-000003" in inbox
    assert "intact" in _run("cases", "verify", "2026-000001", "--store", url)
    shown = _run("cases", "show", "2026-000003", "--store", url)
    assert "flowchart TD" in shown and "CaseAccepted" in shown and "红灯" in shown
    swept = _run("cases", "sweep", "--store", url, "--at", "2026-12-20T18:00:00+08:00")
    assert "light change(s) recorded" in swept
    assert _run("cases", "sweep", "--store", url, "--at", "2026-12-20T18:00:00+08:00").startswith(
        "0 light"
    )


def test_a_tampered_case_fails_verification_with_exit_1(tmp_path: Path) -> None:
    import sqlite3

    db = tmp_path / "demo.db"
    url = f"sqlite:///{db}"
    _run("demo", "--store", url)
    conn = sqlite3.connect(db)
    conn.execute(
        "UPDATE events SET doc = replace(doc, '唐山某置业有限公司', '别的公司') "
        "WHERE seq = 1 AND doc LIKE '%唐山某置业有限公司%'"
    )
    conn.commit()
    conn.close()
    result = CliRunner().invoke(cli, ["cases", "verify", "2026-000001", "--store", url])
    assert result.exit_code == 1
    assert "event 1: its content was altered" in result.output


def test_unknown_case_is_a_clear_error(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'x.db'}"
    open_store(url).close()  # an existing, empty store (a read never creates one)
    result = CliRunner().invoke(cli, ["cases", "show", "2026-999999", "--store", url])
    assert result.exit_code == 2
    assert "no case with id or number '2026-999999'" in result.stderr


def test_cases_json_gives_deadlines_as_instants_by_clock_name(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'demo.db'}"
    _run("demo", "--store", url)
    shown = json.loads(_run("cases", "show", "2026-000003", "--store", url, "--format", "json"))
    assert {"deadlines", "tokens", "provisional", "lights"}.isdisjoint(shown["case"])
    clocks = shown["clocks"]
    assert "committed" in clocks
    steps = {name: c for name, c in clocks.items() if c["step_id"] is not None}
    assert steps and all(name == f"step:{c['step_id']}" for name, c in steps.items())  # no tokens
    for clock in clocks.values():
        deadline = clock["deadline"]
        shapes = (
            {"date", "at", "provisional"},
            {"paused_since", "reason", "remaining", "provisional"},
        )
        assert set(deadline) in shapes
        assert _has_offset(deadline.get("at") or deadline["paused_since"])
        assert set(clock["limit"]) == {"days", "unit"} and _has_offset(clock["started"])
        assert clock["light"] in {"green", "reminder", "yellow", "red"}
    assert all(_has_offset(event["at"]) for event in shown["history"])
    assert "red" in {clock["light"] for clock in clocks.values()}

    board = json.loads(
        _run(
            "cases",
            "overdue",
            "--store",
            url,
            "--at",
            "2026-11-26T18:00:00+08:00",
            "--format",
            "json",
        )
    )
    assert _has_offset(board["at"])
    late = next(c for c in board["cases"] if c["case_number"] == "2026-000003")
    assert late["light"] == "red" and _has_offset(late["deadline"]["at"])
    table = _run("cases", "overdue", "--store", url, "--at", "2026-11-26T18:00:00+08:00",
                 "--format", "csv")  # fmt: skip
    rows = list(csv.DictReader(io.StringIO(table)))
    assert [r["案件编号"] for r in rows] == [c["case_number"] for c in board["cases"]]

    inbox = json.loads(_run("cases", "inbox", "RURAL_HEAD", "--store", url, "--format", "json"))
    work = inbox[0]["work"]
    assert inbox[0]["post"] == "RURAL_HEAD" and inbox[0]["count"] >= 1
    assert any(w["case_number"] == "2026-000003" for w in work)
    assert all(w["due"] is None or _has_offset(w["due"]["at"]) for w in work)
    every = list(csv.reader(io.StringIO(_run("cases", "inbox", "--store", url, "--format", "csv"))))
    assert every[0] == ["岗位", "岗位名称", "在岗人员", "待办件数"] and len(every) > 2


def test_verify_and_sweep_json(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'demo.db'}"
    _run("demo", "--store", url)
    checked = json.loads(_run("cases", "verify", "2026-000001", "--store", url, "--format", "json"))
    assert checked["ok"] is True and checked["problems"] == [] and checked["events"] > 0
    swept = json.loads(
        _run(
            "cases",
            "sweep",
            "--store",
            url,
            "--at",
            "2026-12-20T18:00:00+08:00",
            "--format",
            "json",
        )
    )
    assert swept and all(_has_offset(w["at"]) for w in swept)
    assert all(not w["clock"].startswith("step:") or w["clock"] == f"step:{w['step_id']}"
               for w in swept)  # fmt: skip


def test_show_out_writes_the_file_and_nothing_to_stdout(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'demo.db'}"
    _run("demo", "--store", url)
    out = tmp_path / "case.json"
    result = CliRunner().invoke(
        cli, ["cases", "show", "2026-000001", "--store", url, "--format", "json", "--out", str(out)]
    )
    assert result.exit_code == 0 and result.stdout == ""
    assert json.loads(out.read_text(encoding="utf-8"))["case"]["case_number"] == "2026-000001"


def test_the_case_file_text_is_chinese(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'demo.db'}"
    _run("demo", "--store", url)
    shown = _run("cases", "show", "2026-000003", "--store", url)
    assert "办理过程：" in shown and "时限：" in shown and "承诺时限" in shown
    assert "history" not in shown and "clocks" not in shown and "(paused)" not in shown
