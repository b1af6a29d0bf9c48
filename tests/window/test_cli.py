"""The window's commands: intake, status, appointments, certificates, limits."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pytest
from _support.engine import CERT, WINDOW
from click.testing import CliRunner, Result
from window._helpers import at, complete_application, make_window, review_to_approval

from planning_core import open_store
from planning_core.cli import cli
from planning_core.documents import export_licence, load_private_key

AT = "2026-03-02T09:00:00+08:00"
LATER = "2026-03-02T10:00:00+08:00"


@pytest.fixture
def store(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'bureau.db'}"


def _run(*args: str, input: str | None = None) -> Result:
    return CliRunner().invoke(cli, list(args), input=input)


def _intake(tmp_path: Path, store: str, materials: list[str]) -> dict[str, object]:
    application = {
        "permit_type": "CONSTRUCTION",
        "applicant": "唐山某置业有限公司",
        "project": "某小区1号楼",
        "materials": materials,
        "contact": "13800000000",
    }
    file = tmp_path / "application.json"
    file.write_text(json.dumps(application, ensure_ascii=False), encoding="utf-8")
    result = _run("intake", str(file), "--format", "json", "--at", AT, "--store", store)
    assert result.exit_code == 0, result.output
    return json.loads(result.output)  # type: ignore[no-any-return]


COMPLETE = [
    "application",
    "land_documents",
    "land_permit",
    "design_scheme",
    "construction_drawings",
]


def test_intake_prints_the_receipt(tmp_path: Path, store: str) -> None:
    file = tmp_path / "application.json"
    file.write_text(
        json.dumps(
            {
                "permit_type": "CONSTRUCTION",
                "applicant": "某公司",
                "project": "某楼",
                "materials": COMPLETE,
            },
            ensure_ascii=False,
        ),
        encoding="utf-8",
    )
    result = _run("intake", str(file), "--at", AT, "--store", store)
    assert result.exit_code == 0, result.output
    assert "立案回执" in result.output and "2026-000001" in result.output
    assert "预取件日期：2026年3月23日" in result.output


def test_intake_json_and_the_one_time_notice(tmp_path: Path, store: str) -> None:
    receipt = _intake(tmp_path, store, ["application"])
    assert receipt["accepted"] is False and receipt["expected_pickup"] is None
    assert [m["code"] for m in receipt["missing"]] == COMPLETE[1:]  # type: ignore[attr-defined]
    assert set(receipt["committed_limit"]) == {"days", "unit"}  # type: ignore[arg-type]
    assert str(receipt["received_at"]).endswith("+08:00")


def test_the_password_is_the_same_in_the_text_and_the_json(tmp_path: Path, store: str) -> None:
    receipt = _intake(tmp_path, store, COMPLETE)
    password = str(receipt["password"])
    assert re.fullmatch(r"[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{2}", password)
    file = tmp_path / "application.json"
    text = _run("intake", str(file), "--at", AT, "--store", store)
    shown = re.search(r"案件查询密码：(\S+)", text.output)
    assert shown is not None and re.fullmatch(r"\w{4}-\w{4}-\w{2}", shown.group(1))
    # the grouped form is what the applicant types, and the window takes it
    status = _run(
        "status", str(receipt["case_number"]), "--password-stdin", "--format", "json",
        "--at", LATER, "--store", store, input=password + "\n",
    )  # fmt: skip
    assert status.exit_code == 0, status.output
    answer = json.loads(status.stdout)
    assert answer["case_number"] == receipt["case_number"] and answer["stage_code"]
    assert answer["expected_pickup"] == receipt["expected_pickup"]


def test_intake_out_writes_the_receipt_to_the_file(tmp_path: Path, store: str) -> None:
    file = tmp_path / "application.json"
    file.write_text(
        json.dumps({"permit_type": "CONSTRUCTION", "applicant": "某公司", "project": "某楼",
                    "materials": COMPLETE}, ensure_ascii=False),
        encoding="utf-8",
    )  # fmt: skip
    out = tmp_path / "receipt.json"
    result = _run(
        "intake", str(file), "--format", "json", "--out", str(out), "--at", AT, "--store", store
    )
    assert result.exit_code == 0, result.output
    assert result.stdout == "" and str(out) in result.stderr
    assert json.loads(out.read_text(encoding="utf-8"))["case_number"] == "2026-000001"


def test_a_bad_application_file_is_one_line_exit_2(tmp_path: Path, store: str) -> None:
    file = tmp_path / "bad.json"
    file.write_text("[1, 2]", encoding="utf-8")
    result = _run("intake", str(file), "--store", store)
    assert result.exit_code == 2 and "one JSON object" in result.stderr


def test_status_with_the_password_on_stdin_and_from_the_prompt(
    tmp_path: Path, store: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("planning_core.cli._window._stdin_is_terminal", lambda: True)
    receipt = _intake(tmp_path, store, COMPLETE)
    number, password = str(receipt["case_number"]), str(receipt["password"])
    piped = _run(
        "status", number, "--password-stdin", "--at", LATER, "--store", store, input=password + "\n"
    )
    assert piped.exit_code == 0, piped.output
    assert "办理阶段：审查中" in piped.output and "2026年3月23日" in piped.output
    prompted = _run(
        "--lang", "zh", "status", number, "--at", LATER, "--store", store, input=password + "\n"
    )
    assert prompted.exit_code == 0, prompted.output
    assert "案件查询密码" in prompted.stderr
    assert password not in prompted.stdout and password not in prompted.stderr  # not echoed


def test_status_wrong_and_unknown_give_the_same_line(tmp_path: Path, store: str) -> None:
    receipt = _intake(tmp_path, store, COMPLETE)
    wrong = _run(
        "status",
        str(receipt["case_number"]),
        "--password-stdin",
        "--at",
        LATER,
        "--store",
        store,
        input="X\n",
    )
    unknown = _run(
        "status", "2026-000099", "--password-stdin", "--at", LATER, "--store", store, input="X\n"
    )
    assert wrong.exit_code == unknown.exit_code == 2
    assert wrong.stderr == unknown.stderr and wrong.stderr.count("\n") == 1


def test_appointments_slots_book_reschedule_cancel(store: str) -> None:
    open_store(store).close()  # the bureau's store exists (a read never creates one)
    slots = _run("appointments", "slots", "2026-03-03", "--store", store)
    assert slots.exit_code == 0 and "09:00-09:30  余2" in slots.output
    holiday = _run("--lang", "en", "appointments", "slots", "2026-10-01", "--store", store)
    assert "not a working day" in holiday.output
    none = _run("appointments", "slots", "2026-10-01", "--format", "json", "--store", store)
    assert json.loads(none.stdout) == []
    as_json = json.loads(
        _run("appointments", "slots", "2026-03-03", "--format", "json", "--store", store).stdout
    )
    assert as_json[0]["start"] == "2026-03-03T09:00:00+08:00" and as_json[0]["places_left"] == 2
    table = _run("appointments", "slots", "2026-03-03", "--format", "csv", "--store", store)
    rows = list(csv.reader(io.StringIO(table.stdout)))
    assert rows[0][:2] == ["时段", "剩余名额"] and rows[1][:2] == ["09:00-09:30", "2"]
    booked = _run(
        "appointments", "book", "2026-03-03T09:00:00+08:00", "--name", "李先生",
        "--topic", "规划咨询", "--at", AT, "--store", store,
    )  # fmt: skip
    assert booked.exit_code == 0, booked.output
    assert "预约接待卡" in booked.output and "A2026-00001" in booked.output
    after = _run("appointments", "slots", "2026-03-03", "--store", store)
    assert "09:00-09:30  余1" in after.output
    moved = _run(
        "appointments", "reschedule", "A2026-00001", "2026-03-04T14:00:00+08:00",
        "--at", AT, "--store", store,
    )  # fmt: skip
    assert moved.exit_code == 0 and "14:00–14:30" in moved.output
    cancelled = _run("appointments", "cancel", "A2026-00001", "--at", AT, "--store", store)
    assert cancelled.exit_code == 0 and "已取消" in cancelled.output
    shown = _run(
        "appointments", "cancel", "A2026-00001", "--format", "json", "--at", AT, "--store", store
    )
    assert shown.exit_code == 2  # already cancelled: bad input, one line
    again = _run("appointments", "cancel", "A2026-00001", "--at", AT, "--store", store)
    assert again.exit_code == 2 and "cancelled" in again.stderr


def test_appointments_configure_stores_the_setup(tmp_path: Path, store: str) -> None:
    setup = tmp_path / "hall.json"
    setup.write_text(
        json.dumps(
            {
                "counters": [{"code": "9", "name": "9号窗口", "capacity": 3}],
                "hours": ["08:00-09:00"],
            }
        ),
        encoding="utf-8",
    )
    result = _run("--lang", "en", "appointments", "configure", str(setup), "--store", store)
    assert result.exit_code == 0 and "2 slots a day, 3 place(s)" in result.output
    slots = _run("appointments", "slots", "2026-03-03", "--store", store)
    assert "08:00-08:30  余3  9号窗口:3" in slots.output


def test_certificates_list_and_void(store: str) -> None:
    window = make_window(store)
    receipt = window.intake(complete_application(), WINDOW, at("2026-03-02 09:00"))
    t = review_to_approval(window, receipt.case_id, at("2026-03-02 09:00"))
    number = window.issue_certificate(receipt.case_number, CERT, t.add(hours=1)).number
    window.engine.store.close()
    listed = _run("certificates", "list", "--store", store)
    assert listed.exit_code == 0 and number in listed.output and "有效" in listed.output
    voided = _run(
        "certificates",
        "void",
        number,
        "--reason",
        "证件遗失",
        "--at",
        "2026-04-01T09:00:00+08:00",
        "--store",
        store,
    )
    assert voided.exit_code == 0, voided.output
    assert "已作废" in voided.output and "证件遗失" in voided.output
    as_json = _run("certificates", "list", "--status", "void", "--format", "json", "--store", store)
    entries = json.loads(as_json.output)
    assert [(e["number"], e["voided_by"]) for e in entries] == [(number, "liu.yang")]
    assert entries[0]["voided_at"] == "2026-04-01T09:00:00+08:00"
    table = _run("certificates", "list", "--format", "csv", "--store", store)
    rows = list(csv.DictReader(io.StringIO(table.stdout)))
    assert [(r["证号"], r["状态"], r["作废原因"]) for r in rows] == [(number, "已作废", "证件遗失")]
    legacy = _run("certificates", "list", "--json", "--store", store)  # the hidden alias
    assert json.loads(legacy.stdout) == json.loads(
        _run("certificates", "list", "--format", "json", "--store", store).stdout
    )
    missing_reason = _run("certificates", "void", number, "--store", store)
    assert missing_reason.exit_code == 2


def test_certificates_keygen_export_and_verify_json(tmp_path: Path, store: str) -> None:
    window = make_window(store)
    receipt = window.intake(complete_application(), WINDOW, at("2026-03-02 09:00"))
    t = review_to_approval(window, receipt.case_id, at("2026-03-02 09:00"))
    number = window.issue_certificate(receipt.case_number, CERT, t.add(hours=1)).number
    key = tmp_path / "bureau.pem"
    made = _run("certificates", "keygen", str(key), "--format", "json")
    assert made.exit_code == 0, made.output
    keys = json.loads(made.stdout)
    assert keys["public_key_file"] == f"{key}.pub.pem" and keys["key_id"]
    entry = window.certificates.get(number)
    signed = export_licence(
        entry,
        window.engine.history(entry.case_id),
        load_private_key(key),
        bureau="测试规划局",
        permit_name="建设工程规划许可证",
        at=at("2026-04-01 09:00"),
    )
    window.engine.store.close()
    licence = tmp_path / "licence.json"
    licence.write_text(json.dumps(signed, ensure_ascii=False), encoding="utf-8")
    checked = _run(
        "certificates", "verify", str(licence), "--public-key", keys["public_key_file"],
        "--offline", "--format", "json",
    )  # fmt: skip
    assert checked.exit_code == 0, checked.output
    data = json.loads(checked.stdout)
    assert data["ok"] is True and data["number"] == number
    assert [c["check"] for c in data["checks"]] == ["signature"]
    licence.write_text(json.dumps({**signed, "number": "X"}, ensure_ascii=False), "utf-8")
    forged = _run(
        "certificates", "verify", str(licence), "--public-key", keys["public_key_file"],
        "--offline", "--format", "json",
    )  # fmt: skip
    assert forged.exit_code == 1 and json.loads(forged.stdout)["ok"] is False
    licence.write_text(json.dumps(signed, ensure_ascii=False), encoding="utf-8")
    zh = _run("--lang", "zh", "certificates", "verify", str(licence), "--public-key",
              keys["public_key_file"], "--offline")  # fmt: skip
    assert "电子证照验证通过" in zh.stdout and "签名" in zh.stdout and "ok" not in zh.stdout


def test_limits_markdown_and_json() -> None:
    markdown = _run("limits")
    assert (
        markdown.exit_code == 0
        and "| 建设工程规划许可证 | 20个工作日 | 15个工作日 |" in markdown.output
    )
    as_json = json.loads(_run("limits", "--format", "json").output)
    assert {row["code"] for row in as_json} >= {"CONSTRUCTION", "LAND_USE"}


def test_permits_and_limits_give_a_time_limit_the_same_shape() -> None:
    """One shape for a TimeLimit: ``{"days", "unit"}``, in both tables."""
    limits = {r["code"]: r for r in json.loads(_run("limits", "--format", "json").stdout)}
    permits = {r["code"]: r for r in json.loads(_run("permits", "--format", "json").stdout)}
    assert limits.keys() == permits.keys()
    for code, row in permits.items():
        for key in ("statutory_limit", "committed_limit", "extension"):
            assert row[key] == limits[code][key]
        assert set(row["statutory_limit"]) == {"days", "unit"}
    assert permits["CONSTRUCTION"]["statutory_limit"] == {"days": 20, "unit": "working_days"}


def test_permits_csv_and_out(tmp_path: Path) -> None:
    table = _run("permits", "--format", "csv")
    rows = list(csv.reader(io.StringIO(table.stdout)))
    assert rows[0][:4] == ["代码", "业务名称", "法定时限", "承诺时限"]
    construction = rows[[r[0] for r in rows].index("CONSTRUCTION")]
    assert construction[:3] == ["CONSTRUCTION", "建设工程规划许可证", "20个工作日"]
    out = tmp_path / "permits.csv"
    written = _run("permits", "--format", "csv", "--out", str(out))
    assert written.exit_code == 0 and written.stdout == ""
    assert out.read_bytes().startswith(b"\xef\xbb\xbf")  # a BOM, for spreadsheets
    assert list(csv.reader(io.StringIO(out.read_text(encoding="utf-8-sig")))) == rows
    markdown = tmp_path / "limits.md"
    assert _run("limits", "--out", str(markdown)).stdout == ""
    assert markdown.read_text(encoding="utf-8").startswith("# 办理时限与申请材料公示")
