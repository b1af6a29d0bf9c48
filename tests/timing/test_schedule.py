"""Provisional years, and registering an official schedule (file or plugin) to end them."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from planning_core import hookimpl
from planning_core.errors import ConfigurationError, ValidationError
from planning_core.plugins import Hooks
from planning_core.registry import Registry
from planning_core.timing import (
    Calendars,
    CalendarSpec,
    Clock,
    DayKind,
    Deadline,
    TimeLimit,
    WorkCalendar,
    calendar_for,
    holidays_spec,
    load_schedule,
    packaged_schedules,
    parse_schedule,
)
from planning_core.timing._calendar import WorkCalendar as _Calendar

from .conftest import at, day

# A schedule for 2027 invented for these tests (the real one was not yet published when they
# were written): it makes Saturday 2027-01-09 a working day and Monday 2027-01-04 a day off.
TEST_2027 = """
region = "CN"
year = 2027
source = "test fixture, not the State Council's notice"

[[days_off]]
from = 2027-01-01
to = 2027-01-04
name = "元旦（测试）"

[[working_days]]
date = 2027-01-09
name = "元旦调休上班（测试）"
"""


@pytest.fixture
def schedule_file(tmp_path: Path) -> Path:
    path = tmp_path / "CN-2027.toml"
    path.write_text(TEST_2027, encoding="utf-8")
    return path


def test_coverage_ends_with_the_last_published_year(cn: WorkCalendar) -> None:
    assert cn.coverage.stop - 1 == 2026
    assert 2004 in cn.coverage
    assert cn.is_provisional(day("2027-03-01"))
    assert not cn.is_provisional(day("2026-12-31"))


def test_a_provisional_year_uses_projected_holidays_and_no_make_up_days(
    cn: WorkCalendar,
) -> None:
    spring = cn.explain(day("2027-02-08"))
    assert (spring.working, spring.kind, spring.provisional) == (False, DayKind.HOLIDAY, True)
    assert not cn.is_working_day(day("2027-10-01"))
    d = day("2027-01-01")
    while d.year == 2027:
        if d.weekday() >= 5:
            assert not cn.is_working_day(d), f"{d} must not be invented as a make-up day"
        d += dt.timedelta(days=1)


def test_a_schedule_file_makes_the_year_exact(cn: WorkCalendar, schedule_file: Path) -> None:
    schedule = load_schedule(schedule_file)
    exact = calendar_for("CN", schedules=[schedule])
    assert exact.coverage == range(2001, 2028)
    assert not exact.is_provisional(day("2027-06-01"))
    assert exact.is_working_day(day("2027-01-09"))  # a Saturday, worked
    assert not exact.is_working_day(day("2027-01-04"))
    assert exact.explain(day("2027-01-09")).name == "元旦调休上班（测试）"
    # the schedule replaces the year: the projected Spring Festival is gone
    assert exact.is_working_day(day("2027-02-08"))
    clock = Clock(at("2026-12-21 09:00"), TimeLimit.working_days(10))
    before, after = clock.deadline(cn), clock.deadline(exact)
    assert isinstance(before, Deadline) and isinstance(after, Deadline)
    assert before.provisional and not after.provisional
    assert (before.date, after.date) == (day("2027-01-05"), day("2027-01-06"))


class _NextYear:
    def __init__(self, path: Path) -> None:
        self.path = path

    @hookimpl
    def planning_core_register_calendars(self, registry: Registry[CalendarSpec]) -> None:
        cn = registry.get("CN")
        registry.add("CN", cn.with_schedule(load_schedule(self.path)), replace=True)


def test_a_plugin_registers_the_schedule(hooks: Hooks, schedule_file: Path) -> None:
    hooks.register(_NextYear(schedule_file), name="next-year")
    calendar = Calendars(hooks)["CN"]
    assert 2027 in calendar.coverage
    assert calendar.is_working_day(day("2027-01-09"))
    assert calendar_for("CN", hooks=hooks).coverage == calendar.coverage
    assert 2027 not in calendar_for("CN").coverage  # built-ins alone are unchanged


def test_a_schedule_cannot_leave_a_gap(schedule_file: Path) -> None:
    later = parse_schedule(TEST_2027.replace("2027", "2029"))
    with pytest.raises(ConfigurationError, match="2029 leaves a gap"):
        calendar_for("CN", schedules=[later])


def test_the_packaged_2026_schedule_agrees_with_the_holidays_package() -> None:
    (packaged,) = packaged_schedules("CN")
    assert packaged.year == 2026
    ours = calendar_for("CN")
    theirs = _Calendar("CN", holidays_spec("CN"))  # the holidays package alone
    d = day("2026-01-01")
    while d.year == 2026:
        assert ours.is_working_day(d) == theirs.is_working_day(d), d
        d += dt.timedelta(days=1)


def test_a_bad_schedule_file_lists_every_problem() -> None:
    text = """
region = "CN"
year = "2027"
colour = "red"

[[days_off]]
from = 2027-01-03
to = 2027-01-01
name = "元旦"

[[days_off]]
date = 2027-02-01

[[working_days]]
date = "2027-01-09"
name = "x"
"""
    with pytest.raises(ValidationError) as info:
        parse_schedule(text, origin="CN-2027.toml")
    problems = info.value.problems
    assert any(p.startswith("year:") for p in problems)
    assert any(p.startswith("source:") for p in problems)
    assert any("'colour'" in p for p in problems)
    assert any("is before `from`" in p for p in problems)
    assert any("days_off[1].name" in p for p in problems)
    assert any(p.startswith("working_days[0]") for p in problems)
    assert "CN-2027.toml" in str(info.value)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("region = ", "not TOML"),
        (TEST_2027.replace("2027-01-09", "2028-01-08"), "outside 2027"),
        (TEST_2027.replace("2027-01-09", "2027-01-02"), "both as a day off and as a working"),
    ],
)
def test_schedule_errors(text: str, message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        parse_schedule(text)


def test_a_missing_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(ValidationError, match=r"nowhere\.toml"):
        load_schedule(tmp_path / "nowhere.toml")
