"""The web door: a department answers through /api/v1, the board shows late departments
and late follow-ups of bad ratings, the case page lists the consultations."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from litestar.testing import TestClient

from planning_core.cases import Complete, Decide, Deliver, IssueCertificate, Outcome
from planning_core.testing import Bureau, CaseFactory, ManualClock
from planning_core.web import StaffCredentials, WebSettings, create_app
from planning_core.window import Application, Receipt
from planning_core.workflow import Silence


@pytest.fixture
def silence() -> Silence:
    return Silence.WAIT


@pytest.fixture
def client(pc_bureau: Bureau, pc_clock: ManualClock) -> Iterator[TestClient]:  # type: ignore[type-arg]
    app = create_app(pc_bureau, clock=pc_clock, settings=WebSettings(secure_cookies=False))
    with TestClient(app) as c:
        yield c


def _token(bureau: Bureau, actor: str) -> dict[str, str]:
    token = StaffCredentials(bureau.store, bureau.organisation).issue_token(f"sys-{actor}", actor)
    return {"Authorization": f"Bearer {token}"}


def _receipt(bureau: Bureau, clock: ManualClock) -> Receipt:
    permit = bureau.engine.permit_type("PARALLEL")
    materials = tuple(m.code for m in permit.required_materials)
    return bureau.window.intake(
        Application("PARALLEL", "某置业公司", "凤凰新城三期", materials, "13800000000"),
        bureau.actor("WINDOW_CLERK"),
        clock.now,
    )


def test_departments_answer_through_the_api_and_the_late_one_is_on_the_board(
    client: TestClient,  # type: ignore[type-arg]
    pc_bureau: Bureau,
    pc_cases: CaseFactory,
    pc_clock: ManualClock,
) -> None:
    receipt = _receipt(pc_bureau, pc_clock)
    number = receipt.case_number
    case = pc_bureau.engine.find(number).case_id
    pc_cases.execute(Complete(case, "window", "FORWARD"))
    pc_cases.execute(Complete(case, "review", "APPROVE"))
    body = {
        "step_id": "consult",
        "department": "FIRE",
        "answer": "agree_with_conditions",
        "opinion": "原则同意",
        "conditions": ["设置环形消防车道"],
        "document": "消支审〔2026〕12号",
    }
    stranger = client.post(
        f"/api/v1/cases/{number}/opinions", json=body, headers=_token(pc_bureau, "zhao.lei")
    )
    assert stranger.status_code == 403
    answered = client.post(
        f"/api/v1/cases/{number}/opinions", json=body, headers=_token(pc_bureau, "fire.liaison")
    )
    assert answered.status_code == 200, answered.text
    assert set(answered.json()["waiting"]) == {"CIVIL_DEFENCE", "TRANSPORT"}
    pc_clock.advance(working_days=5)
    inspector = _token(pc_bureau, "zheng.wei")
    board = client.get("/api/v1/board", headers=inspector).json()
    late = {c["department"]: c for c in board["consultations"]}
    assert late["TRANSPORT"]["late_days"] == 2 and late["TRANSPORT"]["silence"] == "wait"
    assert "FIRE" not in late and "CIVIL_DEFENCE" not in late
    assert (
        client.get("/api/v1/consultations/late", headers=inspector).json()[0]["department"]
        == "TRANSPORT"
    )
    page = client.get(f"/api/v1/cases/{number}", headers=_token(pc_bureau, "wang.jianguo")).json()
    lines = {c["department"]: c for c in page["consultations"]}
    assert (
        lines["FIRE"]["conditions"] == ["设置环形消防车道"] and lines["TRANSPORT"]["light"] == "red"
    )


def test_a_bad_rating_through_the_api_turns_red_on_the_board_when_late(
    client: TestClient,  # type: ignore[type-arg]
    pc_bureau: Bureau,
    pc_cases: CaseFactory,
    pc_clock: ManualClock,
) -> None:
    receipt = _receipt(pc_bureau, pc_clock)
    case = pc_bureau.engine.find(receipt.case_number).case_id
    pc_cases.execute(Complete(case, "window", "FORWARD"))
    pc_cases.execute(Complete(case, "review", "APPROVE"))
    from planning_core.cases import RecordOpinion

    for department, post in (
        ("FIRE", "FIRE_LIAISON"),
        ("CIVIL_DEFENCE", "CD_LIAISON"),
        ("TRANSPORT", "TR_LIAISON"),
    ):
        pc_cases.execute(RecordOpinion(case, "consult", department, "agree"), post)
    pc_cases.execute(Complete(case, "leader", "APPROVE"))
    pc_cases.execute(Decide(case, Outcome.APPROVED))
    pc_cases.execute(IssueCertificate(case))
    pc_cases.execute(Deliver(case))
    wrong = client.post(
        "/api/v1/ratings",
        json={
            "case_number": receipt.case_number,
            "password": "nope",
            "score": 1,
            "reasons": ["overdue"],
        },
    )
    assert wrong.status_code in (401, 403, 404)
    rated = client.post(
        "/api/v1/ratings",
        json={
            "case_number": receipt.case_number,
            "password": receipt.password,
            "score": 1,
            "reasons": ["repeated_trips"],
            "comment": "跑了三次",
        },
    )
    assert rated.status_code == 201, rated.text
    assert rated.json()["bad"] and rated.json()["follow_up_post"] == "SUPERVISION_INSPECTOR"
    again = client.post(
        "/api/v1/ratings",
        json={"case_number": receipt.case_number, "password": receipt.password, "score": 5},
    )
    assert again.status_code == 409
    inspector = _token(pc_bureau, "zheng.wei")
    assert client.get("/api/v1/board", headers=inspector).json()["follow_ups"] == []
    pc_clock.advance(working_days=16)
    (late,) = client.get("/api/v1/board", headers=inspector).json()["follow_ups"]
    assert late["light"] == "red" and late["case_number"] == receipt.case_number
    assert late["next_stage"] == "核实"


def test_the_board_and_case_pages_show_the_consultations(
    client: TestClient,  # type: ignore[type-arg]
    pc_bureau: Bureau,
    pc_cases: CaseFactory,
    pc_clock: ManualClock,
) -> None:
    import re

    credentials = StaffCredentials(pc_bureau.store, pc_bureau.organisation)
    for actor in ("zheng.wei", "wang.jianguo"):
        credentials.set_password(actor, "correct-horse-1")
    receipt = _receipt(pc_bureau, pc_clock)
    case = pc_bureau.engine.find(receipt.case_number).case_id
    pc_cases.execute(Complete(case, "window", "FORWARD"))
    pc_cases.execute(Complete(case, "review", "APPROVE"))
    pc_clock.advance(working_days=5)

    def log_in(actor: str) -> None:
        page = client.get("/staff/login")
        token = re.search(r'name="csrf" value="([^"]+)"', page.text)
        assert token
        done = client.post(
            "/staff/login",
            data={"csrf": token.group(1), "actor_id": actor, "password": "correct-horse-1"},
            follow_redirects=False,
        )
        assert done.status_code == 303, done.text

    log_in("zheng.wei")
    board = client.get("/board")
    assert board.status_code == 200 and "征求意见逾期未回复的部门" in board.text
    assert "市交通运输局" in board.text and "规划科 王工" in board.text
    client.cookies.clear()
    log_in("wang.jianguo")
    page = client.get(f"/staff/cases/{receipt.case_number}")
    assert page.status_code == 200 and "征求相关部门意见" in page.text
    assert page.text.count("待回复") == 3
