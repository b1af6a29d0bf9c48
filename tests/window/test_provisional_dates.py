"""An expected pickup date counted over a year whose holiday schedule is not published is
marked （暂定） on the receipt and the public status, and ``provisional`` in the JSON.

The packaged official schedules end with 2026: a construction application accepted on
2026-12-21 is due 15 working days later, on 2027-01-12, counted over 2027's projected
holidays.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from planning_core.cli import cli
from planning_core.testing import Bureau, ManualClock, make_bureau
from planning_core.window import Application, Receipt

MARK = "（暂定：2027年节假日安排尚未公布）"
LATE_DECEMBER = ManualClock("2026-12-21T09:00:00+08:00")
MARCH = ManualClock("2026-03-02T09:00:00+08:00")
MATERIALS = (
    "application",
    "land_documents",
    "land_permit",
    "design_scheme",
    "construction_drawings",
)


@pytest.fixture
def bureau() -> Iterator[Bureau]:
    made = make_bureau()
    yield made
    made.store.close()


def _intake(bureau: Bureau, clock: ManualClock) -> Receipt:
    application = Application(
        "CONSTRUCTION", "唐山某置业有限公司", "某小区1号楼", MATERIALS, "13800000000"
    )
    clerk = bureau.actor(bureau.engine.settings.window_post)
    return bureau.window.intake(application, clerk, clock.now)


def test_the_receipt_marks_a_provisional_pickup_date(bureau: Bureau) -> None:
    receipt = _intake(bureau, LATE_DECEMBER)
    assert receipt.expected_pickup == dt.date(2027, 1, 12) and receipt.provisional
    assert f"预取件日期：2027年1月12日（星期二）{MARK}" in receipt.render()


def test_the_receipt_of_a_published_year_has_no_mark(bureau: Bureau) -> None:
    receipt = _intake(bureau, MARCH)
    assert not receipt.provisional
    assert "暂定" not in receipt.render()


def test_the_public_status_marks_a_provisional_pickup_date(bureau: Bureau) -> None:
    receipt = _intake(bureau, LATE_DECEMBER)
    later = LATE_DECEMBER.now.add(hours=1)
    status = bureau.window.public_status(receipt.case_number, receipt.password, later)
    assert status.expected_pickup == dt.date(2027, 1, 12) and status.provisional
    assert f"预取件日期：2027年1月12日（星期二）{MARK}" in status.render()
    contact = bureau.window.contact_view(receipt.case_number, "13800000000", later)
    assert MARK in contact.render()  # the contact's record opens with the same summary


def test_the_public_status_of_a_published_year_has_no_mark(bureau: Bureau) -> None:
    receipt = _intake(bureau, MARCH)
    status = bureau.window.public_status(receipt.case_number, receipt.password, MARCH.now)
    assert not status.provisional
    assert "暂定" not in status.render()


# -- the command line ---------------------------------------------------------------------------


def _run(*args: str, input: str | None = None) -> Result:
    result = CliRunner().invoke(cli, list(args), input=input)
    assert result.exit_code == 0, result.output + str(result.exception)
    return result


def _application(tmp_path: Path) -> Path:
    file = tmp_path / "application.json"
    data = {
        "permit_type": "CONSTRUCTION",
        "applicant": "唐山某置业有限公司",
        "project": "某小区1号楼",
        "materials": list(MATERIALS),
    }
    file.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return file


def test_intake_json_says_provisional_beside_the_pickup_date(tmp_path: Path) -> None:
    store = f"sqlite:///{tmp_path / 'bureau.db'}"
    at = LATE_DECEMBER.now.isoformat()
    out = json.loads(
        _run("intake", str(_application(tmp_path)), "--json", "--at", at, "--store", store).output
    )
    assert out["expected_pickup"] == "2027-01-12" and out["provisional"] is True


def test_the_intake_command_prints_the_mark_on_the_receipt(tmp_path: Path) -> None:
    store = f"sqlite:///{tmp_path / 'bureau.db'}"
    at = LATE_DECEMBER.now.isoformat()
    receipt = _run("intake", str(_application(tmp_path)), "--at", at, "--store", store).output
    assert f"预取件日期：2027年1月12日（星期二）{MARK}" in receipt


def test_the_status_command_prints_the_mark(tmp_path: Path) -> None:
    store = f"sqlite:///{tmp_path / 'bureau.db'}"
    at = LATE_DECEMBER.now.isoformat()
    out = json.loads(
        _run("intake", str(_application(tmp_path)), "--json", "--at", at, "--store", store).output
    )
    later = LATE_DECEMBER.now.add(hours=1).isoformat()
    shown = _run(
        "status",
        str(out["case_number"]),
        "--password-stdin",
        "--at",
        later,
        "--store",
        store,
        input=f"{out['password']}\n",
    ).output
    assert f"预取件日期：2027年1月12日（星期二）{MARK}" in shown
