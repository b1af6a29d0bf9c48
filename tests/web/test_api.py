"""The JSON API under /api/v1: public operations, token-authenticated staff operations,
refusals as RFC 9457 problem documents, and the OpenAPI document from the attrs models."""

from __future__ import annotations

import pendulum
from litestar.testing import TestClient

from planning_core.bureau import Bureau
from planning_core.web import StaffCredentials
from planning_core.window import Receipt

from .conftest import Clock


def _token(bureau: Bureau, actor: str) -> dict[str, str]:
    token = StaffCredentials(bureau.store, bureau.organisation).issue_token(f"sys-{actor}", actor)
    return {"Authorization": f"Bearer {token}"}


def test_openapi_document_comes_from_the_models(client: TestClient) -> None:  # type: ignore[type-arg]
    doc = client.get("/api/v1/schema/openapi.json").json()
    schemas = doc["components"]["schemas"]
    for name in ("PublicStatus", "AppointmentCard", "CaseView", "ActionRequest", "Receipt"):
        assert name in schemas, sorted(schemas)
    assert "/api/v1/cases/{number}/actions" in doc["paths"]


def test_permits_status_and_appointments(client: TestClient, receipt: Receipt) -> None:  # type: ignore[type-arg]
    permits = client.get("/api/v1/permits").json()
    assert any(p["limit"]["code"] == "CONSTRUCTION" for p in permits)
    status = client.post(
        "/api/v1/status", json={"case_number": receipt.case_number, "password": receipt.password}
    )
    assert status.status_code == 200 and status.json()["stage_code"] == "in_review"
    slots = client.get("/api/v1/appointments/slots").json()
    card = client.post(
        "/api/v1/appointments",
        json={"start": slots[0]["start"], "applicant": "李四", "topic": "咨询"},
    )
    assert card.status_code == 201, card.text
    number = card.json()["number"]
    moved = client.post(
        f"/api/v1/appointments/{number}/reschedule",
        json={"applicant": "李四", "start": slots[-1]["start"]},
    )
    assert moved.status_code == 200 and moved.json()["number"] == number
    refused = client.post(f"/api/v1/appointments/{number}/cancel", json={"applicant": "王五"})
    assert refused.status_code == 404
    cancelled = client.post(f"/api/v1/appointments/{number}/cancel", json={"applicant": "李四"})
    assert cancelled.json() == {"number": number, "status": "cancelled"}


def test_a_malformed_body_is_a_problem_document(client: TestClient) -> None:  # type: ignore[type-arg]
    r = client.post("/api/v1/status", json={"case_number": 5})
    assert r.status_code == 400
    assert r.headers["content-type"].startswith("application/problem+json")
    assert "Traceback" not in r.text


def test_staff_operations_need_a_token(client: TestClient, receipt: Receipt) -> None:  # type: ignore[type-arg]
    for path in ("/api/v1/inbox", f"/api/v1/cases/{receipt.case_number}", "/api/v1/board"):
        r = client.get(path)
        assert r.status_code == 401 and r.json()["title"] == "请先登录"
    bad = client.get("/api/v1/inbox", headers={"Authorization": "Bearer pct_nonsense"})
    assert bad.status_code == 401


def test_intake_inbox_case_and_actions(
    client: TestClient,
    bureau: Bureau,
    clock: Clock,  # type: ignore[type-arg]
) -> None:
    window = _token(bureau, "zhang.min")
    permit = bureau.engine.permit_type("CONSTRUCTION")
    receipt = client.post(
        "/api/v1/intake",
        headers=window,
        json={
            "permit_type": "CONSTRUCTION",
            "applicant": "某公司",
            "project": "某项目",
            "materials": [m.code for m in permit.required_materials],
        },
    )
    assert receipt.status_code == 201, receipt.text
    number = receipt.json()["case_number"]
    inbox = client.get("/api/v1/inbox", headers=window).json()
    assert [i["step_id"] for i in inbox if i["case_number"] == number] == ["accept"]
    done = client.post(
        f"/api/v1/cases/{number}/actions",
        headers=window,
        json={"kind": "complete", "step_id": "accept", "action": "APPROVE"},
    )
    assert done.status_code == 200, done.text
    assert "StepCompleted" in done.json()["events"]
    reviewer = _token(bureau, "wang.jianguo")
    case = client.get(f"/api/v1/cases/{number}", headers=reviewer).json()
    assert [a["step_id"] for a in case["active"]] == ["review"] and case["active"][0]["mine"]
    assert case["history"][-1]["actor"] == "zhang.min"
    # wrong post: the window clerk cannot do the reviewer's step
    wrong = client.post(
        f"/api/v1/cases/{number}/actions",
        headers=window,
        json={"kind": "complete", "step_id": "review", "action": "APPROVE"},
    )
    assert wrong.status_code == 403 and wrong.json()["status"] == 403
    # no authority: a reviewer may not extend
    extend = client.post(
        f"/api/v1/cases/{number}/actions",
        headers=reviewer,
        json={"kind": "extend", "working_days": 10, "reason": "x"},
    )
    assert extend.status_code == 403
    unknown = client.post(
        f"/api/v1/cases/{number}/actions", headers=reviewer, json={"kind": "dance"}
    )
    assert unknown.status_code == 400


def test_board_and_sweep(
    client: TestClient, bureau: Bureau, receipt: Receipt, clock: Clock
) -> None:  # type: ignore[type-arg]
    inspector = _token(bureau, "zheng.wei")
    assert client.get("/api/v1/board", headers=inspector).json()["red"] == 0
    clock.now = pendulum.datetime(2027, 3, 1, 9, tz="Asia/Shanghai")
    swept = client.post("/api/v1/sweep", headers=inspector).json()
    assert swept["changes"] >= 1
    board = client.get("/api/v1/board", headers=inspector).json()
    assert board["red"] == 1 and board["items"][0]["case_number"] == receipt.case_number
    reviewer = _token(bureau, "wang.jianguo")
    assert client.get("/api/v1/board", headers=reviewer).status_code == 403
