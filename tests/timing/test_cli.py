from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from planning_core.cli import cli


def _run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_deadline_json_has_the_promised_keys() -> None:
    code, out, _ = _run(
        "deadline", "2026-09-15T10:00:00+08:00", "20wd", "--at", "2026-10-16T10:00:00+08:00",
        "--json",
    )  # fmt: skip
    assert code == 0, out
    data = json.loads(out)
    assert data["deadline"] == {
        "date": "2026-10-19",
        "at": "2026-10-20T00:00:00+08:00",
        "provisional": False,
    }
    assert data["limit"] == {"days": 20, "unit": "working_days"}
    assert data["light"] == "yellow"
    assert (data["used"], data["remaining"]) == (18, 2)
    assert data["provisional"] is False
    assert data["start"] == "2026-09-15T10:00:00+08:00"
    assert data["at"] == "2026-10-16T10:00:00+08:00"


def test_deadline_json_is_the_librarys_reading() -> None:
    """The command's JSON is the converter's ClockReading, after the clock it read."""
    import pendulum

    from planning_core.serialization import dump, make_converter
    from planning_core.timing import Clock, TimeLimit, calendar_for, light_policy

    _, out, _ = _run(
        "deadline", "2026-09-15T10:00:00+08:00", "20wd", "--at", "2026-10-16T10:00:00+08:00",
        "--format", "json",
    )  # fmt: skip
    clock = Clock(pendulum.parse("2026-09-15T10:00:00+08:00"), TimeLimit(20), "CN")  # type: ignore[arg-type]
    reading = clock.read(
        pendulum.parse("2026-10-16T10:00:00+08:00"),  # type: ignore[arg-type]
        calendar_for("CN"),
        light_policy(None, "CN"),
    )
    data = json.loads(out)
    assert {k: data[k] for k in dump(make_converter(), reading)} == dump(make_converter(), reading)


def test_deadline_with_pauses_extension_and_chinese_limit() -> None:
    code, out, _ = _run(
        "deadline", "2026-09-15", "20个工作日", "--pause", "2026-09-18:2026-09-25",
        "--extend", "10", "--at", "2026-10-16", "--json",
    )  # fmt: skip
    assert code == 0, out
    data = json.loads(out)
    assert data["deadline"]["date"] == "2026-11-09"
    assert data["light"] == "green"


def test_an_open_pause_leaves_the_deadline_unknown() -> None:
    code, out, _ = _run(
        "deadline", "2026-09-15", "20wd", "--pause", "2026-09-18:", "--at", "2026-10-16",
        "--json",
    )  # fmt: skip
    assert code == 0, out
    data = json.loads(out)
    assert data["paused"] is True
    assert data["deadline"] == {
        "paused_since": "2026-09-18T00:00:00+08:00",
        "reason": "expert_review",
        "remaining": 17,
        "provisional": False,
    }
    code, text, _ = _run("--lang", "en", "deadline", "2026-09-15", "20wd", "--pause", "2026-09-18:")
    assert "unknown: paused since 2026-09-18" in text
    code, text, _ = _run("--lang", "zh", "deadline", "2026-09-15", "20wd", "--pause", "2026-09-18:")
    assert "未定：自 2026-09-18T00:00:00+08:00 起暂停（专家评审）" in text


def test_the_text_is_in_one_language() -> None:
    args = ("deadline", "2026-09-15", "20wd", "--at", "2026-10-30T10:00:00+08:00")
    _, zh, _ = _run("--lang", "zh", *args)
    _, en, _ = _run("--lang", "en", *args)
    assert "已超期" in zh and "个工作日" in zh and "working day" not in zh
    assert "红灯" in zh and "red" not in zh
    assert "working days late" in en and "个工作日" not in en and "红灯" not in en
    _, zh, _ = _run("--lang", "zh", "calendar", "2026-10-01")
    _, en, _ = _run("--lang", "en", "calendar", "2026-10-01")
    assert zh.strip() == "2026-10-01（星期四）在 CN 日历中不是工作日：节假日（国庆节）"
    assert en.strip() == '2026-10-01 (Thursday) is not a working day in CN: holiday "国庆节"'


def test_deadline_into_next_year_is_provisional_until_a_schedule_is_given(
    tmp_path: Path,
) -> None:
    args = ["deadline", "2026-12-21", "10wd", "--at", "2026-12-22", "--json"]
    code, out, _ = _run(*args)
    assert json.loads(out)["provisional"] is True
    schedule = tmp_path / "CN-2027.toml"
    schedule.write_text(
        'region = "CN"\nyear = 2027\nsource = "test"\n'
        '[[days_off]]\nfrom = 2027-01-01\nto = 2027-01-03\nname = "元旦"\n',
        encoding="utf-8",
    )
    code, out, _ = _run(*args, "--schedule", str(schedule))
    assert code == 0, out
    assert json.loads(out)["provisional"] is False


def test_calendar_says_why() -> None:
    code, out, _ = _run("--lang", "en", "calendar", "2026-09-20")
    assert code == 0
    assert "is a working day" in out and "调休" in out
    code, out, _ = _run("calendar", "2026-10-01", "--format", "json")
    data = json.loads(out)
    assert data["working_day"] is False and data["date"] == "2026-10-01"
    assert data["calendar"] == "CN"
    assert (data["kind"], data["name"]) == ("holiday", "国庆节")
    code, out, _ = _run("calendar", "2027-10-01", "--json")
    assert json.loads(out)["provisional"] is True


def test_user_errors_are_one_line() -> None:
    for args in (
        ("deadline", "2026-09-15", "soon"),
        ("deadline", "2026-09-15", "20wd", "--pause", "2026-09"),
        ("deadline", "2026-09-15T10:00", "20wd"),
        ("calendar", "2026-13-01"),
        ("calendar", "2026-10-01", "--calendar", "XX"),
    ):
        code, _, err = _run(*args)
        assert code == 2, args
        assert err.startswith("planning-core: error:") and err.count("\n") == 1, err
