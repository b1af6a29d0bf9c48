"""The public pages: limits, the progress query with its protections, appointments and the
certificate check, through the in-process client."""

from __future__ import annotations

import re

import pendulum
from litestar.testing import TestClient

from planning_core.bureau import Bureau
from planning_core.cases import Decide, Outcome
from planning_core.web import SECURITY_HEADERS
from planning_core.window import Receipt

from .conftest import Clock, csrf_of


def test_front_page_and_limits(client: TestClient) -> None:  # type: ignore[type-arg]
    assert "进度查询" in client.get("/").text
    page = client.get("/limits")
    assert page.status_code == 200
    assert "建设工程规划许可" in page.text and "承诺时限" in page.text and "申请材料" in page.text
    assert "<script" not in page.text


def test_every_answer_has_the_security_headers(client: TestClient) -> None:  # type: ignore[type-arg]
    for path in ("/", "/no-such-page", "/api/v1/permits"):
        r = client.get(path)
        for name, value in SECURITY_HEADERS:
            assert r.headers[name.decode()] == value.decode()


def test_progress_query(client: TestClient, receipt: Receipt) -> None:  # type: ignore[type-arg]
    token = csrf_of(client)
    r = client.post(
        "/status",
        data={"csrf": token, "case_number": receipt.case_number, "password": receipt.password},
    )
    assert r.status_code == 200
    assert receipt.case_number in r.text and "审查中" in r.text


def test_unknown_number_is_answered_like_a_wrong_password(
    client: TestClient,
    receipt: Receipt,  # type: ignore[type-arg]
) -> None:
    token = csrf_of(client)
    wrong = client.post(
        "/status",
        data={"csrf": token, "case_number": receipt.case_number, "password": "WRONG12345"},
    )
    unknown = client.post(
        "/status", data={"csrf": token, "case_number": "TS-2099-XX-99999", "password": "WRONG12345"}
    )
    assert wrong.status_code == unknown.status_code == 403
    assert wrong.text == unknown.text
    api_wrong = client.post(
        "/api/v1/status", json={"case_number": receipt.case_number, "password": "WRONG12345"}
    )
    api_unknown = client.post(
        "/api/v1/status", json={"case_number": "TS-2099-XX-99999", "password": "WRONG12345"}
    )
    assert api_wrong.json() == {**api_unknown.json(), "instance": "/api/v1/status"}
    assert api_wrong.headers["content-type"].startswith("application/problem+json")


def test_the_query_locks_after_wrong_tries(client: TestClient, receipt: Receipt) -> None:  # type: ignore[type-arg]
    token = csrf_of(client)
    statuses = [
        client.post(
            "/status",
            data={"csrf": token, "case_number": receipt.case_number, "password": "WRONG12345"},
        ).status_code
        for _ in range(8)
    ]
    assert statuses[0] == 403 and statuses[-1] == 429
    locked = client.post(
        "/status",
        data={"csrf": token, "case_number": receipt.case_number, "password": receipt.password},
    )
    assert locked.status_code == 429 and "稍后再试" in locked.text


def test_a_form_without_its_csrf_token_is_refused(client: TestClient, receipt: Receipt) -> None:  # type: ignore[type-arg]
    r = client.post(
        "/status", data={"case_number": receipt.case_number, "password": receipt.password}
    )
    assert r.status_code == 403 and "表单已过期" in r.text
    r = client.post(
        "/status",
        data={"csrf": "forged", "case_number": receipt.case_number, "password": receipt.password},
    )
    assert r.status_code == 403


def _first_slot(page: str) -> str:
    found = re.search(r'name="start" value="([^"]+)"', page)
    assert found, page
    return found.group(1)


def test_book_reschedule_and_cancel(client: TestClient) -> None:  # type: ignore[type-arg]
    page = client.get("/appointments")
    token = csrf_of(client, "/appointments")
    start = _first_slot(page.text)
    card = client.post(
        "/appointments",
        data={"csrf": token, "start": start, "applicant": "李四", "topic": "农房建设咨询"},
    )
    assert card.status_code == 200 and "预约接待卡" in card.text
    number = re.search(r'id="appointment-number">([^<]+)<', card.text).group(1)  # type: ignore[union-attr]
    change = client.get("/appointments/change").text
    later = re.findall(r'<option value="([^"]+)"', change)[-1]
    # another name cannot move or cancel it (numbers are easy to guess)
    other = client.post(
        "/appointments/cancel", data={"csrf": token, "number": number, "applicant": "王五"}
    )
    assert other.status_code == 404
    moved = client.post(
        "/appointments/reschedule",
        data={"csrf": token, "number": number, "applicant": "李四", "start": later},
    )
    assert moved.status_code == 200 and "已改约" in moved.text and number in moved.text
    cancelled = client.post(
        "/appointments/cancel",
        data={"csrf": token, "number": number, "applicant": "李四", "reason": "另有安排"},
    )
    assert cancelled.status_code == 200 and "已取消" in cancelled.text
    again = client.post(
        "/appointments/cancel", data={"csrf": token, "number": number, "applicant": "李四"}
    )
    assert again.status_code == 409


def test_certificate_check(
    client: TestClient,
    bureau: Bureau,
    receipt: Receipt,
    clock: Clock,  # type: ignore[type-arg]
) -> None:
    _approve(bureau, receipt)
    entry = bureau.window.issue_certificate(
        receipt.case_number,
        bureau.actor("CERTIFICATE_CLERK"),
        pendulum.datetime(2026, 11, 27, 10, tz="Asia/Shanghai"),
    )
    token = csrf_of(client, "/certificates")
    valid = client.post("/certificates", data={"csrf": token, "number": entry.number})
    assert "有效" in valid.text
    unknown = client.post("/certificates", data={"csrf": token, "number": "建字第1999-0001号"})
    assert "未查到" in unknown.text
    api = client.get(f"/api/v1/certificates/{entry.number}").json()
    assert api["status"] == "valid" and api["permit_type"] == "CONSTRUCTION"
    assert client.get("/api/v1/certificates/nothing").json()["status"] == "unknown"


def _approve(bureau: Bureau, receipt: Receipt) -> None:
    """Walk the case to its decision with the library (not the door under test)."""
    from planning_core.testing import ManualClock, walk_case

    walk_case(bureau, ManualClock("2026-11-25T10:00:00+08:00"), receipt.case_id)
    bureau.engine.execute(
        Decide(receipt.case_id, Outcome.APPROVED),
        bureau.actor("DEPUTY_HEAD"),
        pendulum.datetime(2026, 11, 27, 9, tz="Asia/Shanghai"),
    )


def test_unknown_page_is_a_page_not_a_traceback(client: TestClient) -> None:  # type: ignore[type-arg]
    r = client.get("/nowhere")
    assert r.status_code == 404 and "未找到" in r.text and "Traceback" not in r.text
    api = client.get("/api/v1/nowhere")
    assert api.status_code == 404 and api.json()["status"] == 404
