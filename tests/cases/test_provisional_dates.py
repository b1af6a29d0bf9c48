"""Deadlines counted over a year whose holiday schedule is not published are provisional
in the case's projection and marked （暂定） wherever the cases commands print them.

The packaged official schedules end with 2026, so a case accepted on 2026-12-21 has its
committed deadline (15 working days) on 2027-01-12, counted over 2027's projected holidays.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from planning_core.cli import cli
from planning_core.testing import Bureau, CaseFactory, ManualClock, make_bureau
from planning_core.timing import calendar_for, parse_schedule

MARK = "（暂定：2027年节假日安排尚未公布）"
LATE_DECEMBER = "2026-12-21T09:00:00+08:00"
COMMITTED = "2027-01-12"  # 15 working days after 2026-12-21 on the projected 2027

SCHEDULE_2027 = parse_schedule(
    """
    region = "CN"
    year = 2027
    source = "测试用：虚构的2027年节假日安排"

    [[days_off]]
    from = 2027-01-01
    to = 2027-01-03
    name = "元旦"
    """,
    origin="test",
)


@pytest.fixture
def url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'cases.db'}"


@pytest.fixture
def bureau(url: str) -> Iterator[Bureau]:
    made = make_bureau(url)
    yield made
    made.store.close()


def _run(*args: str) -> str:
    result = CliRunner().invoke(cli, list(args))
    assert result.exit_code == 0, result.output + str(result.exception)
    return result.output


def _accepted(bureau: Bureau, at: str) -> str:
    """A construction case accepted at ``at``; its case number."""
    factory = CaseFactory(bureau, ManualClock(at))
    case_id = factory.accepted("CONSTRUCTION")
    return factory.state(case_id).case_number


def test_the_projection_records_which_deadlines_are_provisional(bureau: Bureau) -> None:
    number = _accepted(bureau, LATE_DECEMBER)
    row = bureau.engine.find(number)
    state = bureau.engine.load(row.case_id)
    step = f"step:{state.tokens[0].token}"
    committed = state.clocks.committed
    assert committed is not None
    assert str(committed.deadline_date(bureau.calendar)) == COMMITTED
    # committed (15 working days) and statutory (20) end in 2027; the first step in 2026
    assert row.data["provisional"] == {"committed": True, "statutory": True}
    assert step in row.data["deadlines"] and step not in row.data["provisional"]
    assert bureau.engine.check_projection(row.case_id)


def test_a_deadline_inside_the_published_years_is_not_provisional(bureau: Bureau) -> None:
    number = _accepted(bureau, "2026-03-02T09:00:00+08:00")
    assert bureau.engine.find(number).data["provisional"] == {}


def test_the_provisional_flags_follow_the_calendar_the_case_is_counted_on(url: str) -> None:
    calendar = calendar_for("CN", schedules=[SCHEDULE_2027])
    with make_bureau(url, calendar=calendar) as bureau:
        number = _accepted(bureau, LATE_DECEMBER)
        row = bureau.engine.find(number)
        assert row.data["provisional"] == {}
        assert bureau.engine.check_projection(row.case_id)


def test_cases_show_marks_a_provisional_deadline_in_text(bureau: Bureau, url: str) -> None:
    number = _accepted(bureau, LATE_DECEMBER)
    shown = _run("cases", "show", number, "--store", url)
    assert f"承诺期限 {COMMITTED}{MARK}" in shown
    [committed] = [line for line in shown.splitlines() if line.strip().startswith("承诺时限")]
    assert f"{COMMITTED}{MARK}" in committed
    [step] = [line for line in shown.splitlines() if line.strip().startswith("步骤")]
    assert "2026-12-22" in step and "暂定" not in step


def test_cases_show_json_says_provisional_beside_each_date(bureau: Bureau, url: str) -> None:
    number = _accepted(bureau, LATE_DECEMBER)
    out = json.loads(_run("cases", "show", number, "--store", url, "--format", "json"))
    clocks = out["clocks"]
    assert clocks["committed"]["deadline"]["date"] == COMMITTED
    assert clocks["committed"]["deadline"]["provisional"] is True
    assert clocks["statutory"]["deadline"]["provisional"] is True
    [step] = [name for name in clocks if name.startswith("step:")]
    assert clocks[step]["deadline"]["date"] == "2026-12-22"
    assert clocks[step]["deadline"]["provisional"] is False
    assert clocks[step]["deadline"]["at"].endswith("+08:00")  # ISO 8601 with its offset
    assert clocks[step]["light"] == "green"
    assert set(out) == {"case", "clocks", "consultations", "history"}


def test_cases_show_json_of_a_published_year_has_no_provisional_date(
    bureau: Bureau, url: str
) -> None:
    number = _accepted(bureau, "2026-03-02T09:00:00+08:00")
    out = json.loads(_run("cases", "show", number, "--store", url, "--format", "json"))
    assert all(clock["deadline"]["provisional"] is False for clock in out["clocks"].values())
    assert "暂定" not in _run("cases", "show", number, "--store", url)


def test_the_overdue_board_marks_a_provisional_committed_date(bureau: Bureau, url: str) -> None:
    number = _accepted(bureau, LATE_DECEMBER)
    board = _run("cases", "overdue", "--store", url, "--at", "2027-02-01T18:00:00+08:00")
    [line] = [line for line in board.splitlines() if number in line]
    assert f"承诺期限 {COMMITTED}{MARK}" in line


def test_the_inbox_marks_a_provisional_step_date(bureau: Bureau, url: str) -> None:
    # accepted on 2026-12-31, the first step's working day is counted in 2027
    number = _accepted(bureau, "2026-12-31T09:00:00+08:00")
    state = bureau.engine.load(bureau.engine.find(number).case_id)
    post = state.tokens[0].post
    assert post is not None
    inbox = _run("cases", "inbox", post, "--store", url)
    [line] = [line for line in inbox.splitlines() if number in line]
    assert MARK in line
