"""Intake: validation, one-time notice, receipt, expected pickup date, password storage."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

import pytest
from _support.engine import WINDOW
from hypothesis import given, settings
from hypothesis import strategies as st
from window._helpers import CONTACT, at, complete_application, make_window

from planning_core import (
    InvalidStateError,
    PermissionDeniedError,
    ValidationError,
    hookimpl,
    make_hooks,
)
from planning_core.cases import CaseStatus, RequestSupplement
from planning_core.window import PASSWORDS, Application, Window, format_password
from planning_core.workflow import Actor


def test_a_complete_application_is_accepted_on_the_spot(window: Window) -> None:
    receipt = window.intake(complete_application(), WINDOW, at("2026-03-02 09:00"))
    state = window.engine.load(receipt.case_id)
    assert state.status is CaseStatus.IN_REVIEW
    assert receipt.accepted and receipt.missing == ()
    assert receipt.case_number == state.case_number == "2026-000001"
    assert receipt.received_at == at("2026-03-02 09:00")
    assert [m.code for m in receipt.materials_received] == ["application", "site_plan"]
    # 15 working days, the day of acceptance not counted: 3 March … 23 March 2026
    assert receipt.expected_pickup == window.engine.calendar.add_working_days(
        at("2026-03-02 09:00").date(), 15
    )
    assert str(receipt.expected_pickup) == "2026-03-23"
    assert not receipt.provisional
    text = receipt.render()
    for expected in ("立案回执", "2026-000001", "2026年3月23日", "总平面图", "已受理"):
        assert expected in text
    assert format_password(receipt.password) in text


@given(st.dates(min_value=dt.date(2026, 1, 1), max_value=dt.date(2026, 12, 31)))
@settings(max_examples=40, deadline=None)
def test_the_expected_pickup_date_is_the_committed_limit_on_the_calendar(day: dt.date) -> None:
    window = make_window()
    moment = at(f"{day} 10:00")
    receipt = window.intake(complete_application(), WINDOW, moment)
    calendar = window.engine.calendar
    start = moment.date()
    assert receipt.expected_pickup == calendar.add_working_days(start, 15)
    assert calendar.is_working_day(receipt.expected_pickup)
    assert calendar.working_days_between(start, receipt.expected_pickup) == 15
    assert receipt.provisional == (receipt.expected_pickup.year > 2026)


def test_a_pickup_date_in_a_year_without_a_schedule_is_provisional(window: Window) -> None:
    receipt = window.intake(complete_application(), WINDOW, at("2026-12-21 09:00"))
    assert receipt.expected_pickup is not None and receipt.expected_pickup.year == 2027
    assert receipt.provisional
    assert "暂定" in receipt.render()


def test_missing_materials_are_recorded_as_the_one_time_notice(window: Window) -> None:
    application = Application("TEST", "某公司", "某项目", ())
    receipt = window.intake(application, WINDOW, at("2026-03-02 09:00"))
    state = window.engine.load(receipt.case_id)
    assert state.status is CaseStatus.AWAITING_SUPPLEMENT
    assert state.missing == ("application", "site_plan")
    assert not receipt.accepted and receipt.expected_pickup is None
    assert [m.name for m in receipt.missing] == ["申请表", "总平面图"]
    text = receipt.render()
    assert "一次性告知" in text and "申请表" in text and "总平面图" in text
    with pytest.raises(InvalidStateError, match="one-time"):
        window.engine.execute(
            RequestSupplement(receipt.case_id, ("other",)), WINDOW, at("2026-03-02 10:00")
        )


def test_a_supplement_that_completes_the_materials_accepts_the_case(window: Window) -> None:
    application = Application("TEST", "某公司", "某项目", ("application",))
    receipt = window.intake(application, WINDOW, at("2026-03-02 09:00"))
    summary = window.supplement(receipt.case_number, ["site_plan"], WINDOW, at("2026-03-05 09:00"))
    assert summary.stage_code == "in_review"
    assert summary.expected_pickup == window.engine.calendar.add_working_days(
        at("2026-03-05 09:00").date(), 15
    )
    assert window.engine.load(receipt.case_id).materials == ("application", "site_plan")


def test_an_application_that_cannot_be_registered_lists_every_problem(window: Window) -> None:
    bad = Application("NOPE", " ", "", ("application", "application"))
    with pytest.raises(ValidationError) as info:
        window.intake(bad, WINDOW, at("2026-03-02 09:00"))
    problems = "\n".join(info.value.problems)
    assert len(info.value.problems) == 4
    for expected in ("'NOPE'", "TEST", "applicant", "project", "listed 2 times"):
        assert expected in problems
    unknown = Application("TEST", "某公司", "某项目", ("application", "photo", "map"))
    with pytest.raises(ValidationError) as info:
        window.intake(unknown, WINDOW, at("2026-03-02 09:00"))
    assert [p.split("'")[1] for p in info.value.problems] == ["photo", "map"]
    assert window.engine.store.cases() == []
    assert window.engine.store.list_records(PASSWORDS) == []


def test_the_json_form_is_checked_field_by_field(window: Window) -> None:
    with pytest.raises(ValidationError) as info:
        window.intake(
            {"permit_type": "TEST", "applicant": "某公司", "materials": [], "colour": "red"},
            WINDOW,
            at("2026-03-02 09:00"),
        )
    text = str(info.value)
    assert "$.project" in text and "colour" in text
    receipt = window.intake(
        {
            "permit_type": "TEST",
            "applicant": "某公司",
            "project": "某楼",
            "materials": ["application"],
        },
        WINDOW,
        at("2026-03-02 09:00"),
    )
    assert receipt.case_number == "2026-000001"


def test_a_clerk_without_the_window_post_changes_nothing(window: Window) -> None:
    certificate_only = Actor("x", "某人", ("CERTIFICATE_CLERK",))
    with pytest.raises(PermissionDeniedError):
        window.intake(complete_application(), certificate_only, at("2026-03-02 09:00"))
    assert window.engine.store.cases() == []
    assert window.engine.store.list_records(PASSWORDS) == []


def test_a_naive_instant_is_refused(window: Window) -> None:
    with pytest.raises(ValidationError, match="time zone"):
        window.intake(complete_application(), WINDOW, dt.datetime(2026, 3, 2, 9))


def test_the_password_is_shown_once_and_never_stored_in_clear(tmp_path: Path) -> None:
    db = tmp_path / "bureau.db"
    window = make_window(f"sqlite:///{db}")
    receipts = [
        window.intake(complete_application(), WINDOW, at(f"2026-03-0{d} 09:00")) for d in (2, 3)
    ]
    assert all(r.password not in repr(r) for r in receipts)
    window.engine.store.close()
    raw = b"".join(p.read_bytes() for p in tmp_path.iterdir())
    with sqlite3.connect(db) as conn:
        text = "\n".join(
            str(row)
            for table in ("records", "events", "cases")
            for row in conn.execute(f"SELECT * FROM {table}")
        )
    for receipt in receipts:
        for form in (receipt.password, format_password(receipt.password)):
            assert form.encode() not in raw
            assert form not in text
    reopened = make_window(f"sqlite:///{db}")
    stored = dict(reopened.engine.store.list_records(PASSWORDS))
    assert set(stored) == {r.case_id for r in receipts}
    assert all(set(v) == {"algorithm", "n", "r", "p", "salt", "key"} for v in stored.values())
    status = reopened.public_status(
        receipts[0].case_number, receipts[0].password, at("2026-03-04 09:00")
    )
    assert status.case_number == receipts[0].case_number


class _CityNumbers:
    @hookimpl
    def planning_core_case_number(self, permit_type: str, year: int, sequence: int) -> str:
        return f"唐规收{year}{sequence:05d}"


def test_the_case_number_comes_from_the_hook() -> None:
    hooks = make_hooks(entry_points=False)
    hooks.register(_CityNumbers(), name="city-numbers")
    window = make_window(hooks=hooks)
    first = window.intake(complete_application(), WINDOW, at("2026-03-02 09:00"))
    second = window.intake(complete_application(), WINDOW, at("2026-03-02 09:05"))
    assert [first.case_number, second.case_number] == ["唐规收202600001", "唐规收202600002"]
    assert window.public_status(second.case_number, second.password, at("2026-03-02 10:00"))


def test_the_default_case_number_is_digits_by_year(window: Window) -> None:
    numbers = [
        window.intake(complete_application(), WINDOW, at(when)).case_number
        for when in ("2026-12-31 09:00", "2026-12-31 10:00")
    ]
    assert numbers == ["2026-000001", "2026-000002"]
    assert all(n.replace("-", "").isdigit() for n in numbers)


def test_the_registered_contact_is_kept(window: Window) -> None:
    receipt = window.intake(complete_application(), WINDOW, at("2026-03-02 09:00"))
    assert window.engine.load(receipt.case_id).contact == CONTACT
