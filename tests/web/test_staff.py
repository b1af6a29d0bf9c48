"""The staff pages and the API's staff operations: login with lockout, CSRF, my work, the
case page, actions as the engine's commands, refusals by post and authority, the board."""

from __future__ import annotations

import pendulum
from litestar.testing import TestClient

from planning_core.bureau import Bureau
from planning_core.web import StaffCredentials
from planning_core.window import Receipt

from .conftest import PASSWORD, Clock, csrf_of, log_in


def _first_step(bureau: Bureau, receipt: Receipt) -> tuple[str, str]:
    state = bureau.engine.load(receipt.case_id)
    token = next(t for t in state.tokens if t.post)
    return token.step_id, token.post or ""


def test_login_logout_and_session(client: TestClient) -> None:  # type: ignore[type-arg]
    assert client.get("/staff", follow_redirects=False).headers["location"] == "/staff/login"
    csrf = log_in(client, "wang.jianguo")
    page = client.get("/staff")
    assert page.status_code == 200 and "我的工作" in page.text and "王建国" in page.text
    assert client.cookies.get("pc_session")
    out = client.post("/staff/logout", data={"csrf": csrf}, follow_redirects=False)
    assert out.status_code == 303
    assert client.get("/staff", follow_redirects=False).status_code == 303


def test_wrong_password_and_lockout(client: TestClient) -> None:  # type: ignore[type-arg]
    token = csrf_of(client, "/staff/login")
    codes = [
        client.post(
            "/staff/login", data={"csrf": token, "actor_id": "li.hua", "password": "wrong-password"}
        ).status_code
        for _ in range(6)
    ]
    assert codes[:5] == [403] * 5 and codes[5] == 429
    right = client.post(
        "/staff/login", data={"csrf": token, "actor_id": "li.hua", "password": PASSWORD}
    )
    assert right.status_code == 429 and "锁定" in right.text
    unknown = client.post(
        "/staff/login", data={"csrf": token, "actor_id": "nobody", "password": "wrong-password"}
    )
    assert unknown.status_code == 403 and "用户名或密码不正确" in unknown.text


def test_login_without_csrf_is_refused(client: TestClient) -> None:  # type: ignore[type-arg]
    r = client.post("/staff/login", data={"actor_id": "li.hua", "password": PASSWORD})
    assert r.status_code == 403


def test_passwords_are_stored_hashed(bureau: Bureau) -> None:
    record = bureau.store.get_record("web.staff_credentials", "li.hua")
    assert record is not None and PASSWORD not in str(record) and record["n"] >= 2**14
    StaffCredentials(bureau.store, bureau.organisation)  # builds without the web app


def test_my_work_lists_the_posts_inbox(
    client: TestClient, bureau: Bureau, receipt: Receipt
) -> None:  # type: ignore[type-arg]
    _, post = _first_step(bureau, receipt)
    holder = bureau.actor(post)
    log_in(client, holder.id)
    page = client.get("/staff")
    assert receipt.case_number in page.text
    case = client.get(f"/staff/cases/{receipt.case_number}")
    assert case.status_code == 200
    assert "办理记录" in case.text and "承诺办结期限" in case.text and "办理中" in case.text


def test_complete_a_step_with_its_checklist(
    client: TestClient,
    bureau: Bureau,
    receipt: Receipt,
    clock: Clock,  # type: ignore[type-arg]
) -> None:
    step_id, post = _first_step(bureau, receipt)
    holder = bureau.actor(post)
    csrf = log_in(client, holder.id)
    step = bureau.engine.workflow_of(bureau.engine.load(receipt.case_id)).step(step_id)
    form = {
        "csrf": csrf,
        "kind": "complete",
        "step_id": step_id,
        "action": "FORWARD",
        "opinion": "符合要求",
    }
    action = "APPROVE" if any(a.value == "approve" for a in step.actions) else "FORWARD"
    form["action"] = action
    body = list(form.items()) + [("checklist", p.code) for p in step.standards]
    r = client.post(
        f"/staff/cases/{receipt.case_number}/act",
        content="&".join(f"{k}={v}" for k, v in body).encode(),
        headers={"content-type": "application/x-www-form-urlencoded"},
        follow_redirects=False,
    )
    assert r.status_code == 303, r.text
    history = bureau.engine.history(receipt.case_id)
    done = [h for h in history if type(h.event).__name__ == "StepCompleted"]
    assert done and done[-1].actor == holder.id and done[-1].at == clock.now


def test_wrong_post_is_refused(client: TestClient, bureau: Bureau, receipt: Receipt) -> None:  # type: ignore[type-arg]
    step_id, post = _first_step(bureau, receipt)
    assert post == "WINDOW_CLERK"
    csrf = log_in(client, "wang.jianguo")  # a reviewer: reads the case, does not hold the step
    r = client.post(
        f"/staff/cases/{receipt.case_number}/act",
        data={"csrf": csrf, "kind": "complete", "step_id": step_id, "action": "APPROVE"},
    )
    assert r.status_code == 403 and "does not hold post" in r.text


def test_reading_needs_a_role(client: TestClient, receipt: Receipt) -> None:  # type: ignore[type-arg]
    log_in(client, "zhao.lei")  # a land-use reviewer: no step of a construction case
    assert client.get(f"/staff/cases/{receipt.case_number}").status_code == 403


def test_staff_action_without_csrf_is_refused(
    client: TestClient, bureau: Bureau, receipt: Receipt
) -> None:  # type: ignore[type-arg]
    step_id, post = _first_step(bureau, receipt)
    log_in(client, bureau.actor(post).id)
    r = client.post(
        f"/staff/cases/{receipt.case_number}/act",
        data={"kind": "complete", "step_id": step_id, "action": "FORWARD"},
    )
    assert r.status_code == 403 and "表单已过期" in r.text


def test_extending_needs_the_authority(
    client: TestClient, bureau: Bureau, receipt: Receipt
) -> None:  # type: ignore[type-arg]
    csrf = log_in(client, "li.hua")  # a division head: may read, may not extend
    form = {"csrf": csrf, "kind": "extend", "working_days": "10", "reason": "需专家论证"}
    r = client.post(f"/staff/cases/{receipt.case_number}/act", data=form)
    assert r.status_code == 403
    client.cookies.clear()
    csrf = log_in(client, "gao.ming")  # the bureau head
    form["csrf"] = csrf
    ok = client.post(f"/staff/cases/{receipt.case_number}/act", data=form, follow_redirects=False)
    assert ok.status_code == 303
    assert bureau.engine.load(receipt.case_id).extended


def test_suspend_and_resume(
    client: TestClient, bureau: Bureau, receipt: Receipt, clock: Clock
) -> None:  # type: ignore[type-arg]
    csrf = log_in(client, "li.hua")
    act = f"/staff/cases/{receipt.case_number}/act"
    r = client.post(
        act,
        data={
            "csrf": csrf,
            "kind": "suspend",
            "reason": "expert_review",
            "basis": "专家评审",
            "expected_working_days": "5",
        },
        follow_redirects=False,
    )
    assert r.status_code == 303, r.text
    assert bureau.engine.load(receipt.case_id).suspended
    assert "暂停中" in client.get(f"/staff/cases/{receipt.case_number}").text
    clock.now = clock.now.add(hours=2)
    r = client.post(act, data={"csrf": csrf, "kind": "resume"}, follow_redirects=False)
    assert r.status_code == 303 and bureau.engine.load(receipt.case_id).suspended is None


def test_intake_page_gives_a_receipt(client: TestClient, bureau: Bureau) -> None:  # type: ignore[type-arg]
    csrf = log_in(client, "zhang.min")
    form_page = client.get("/staff/intake?permit=LAND_USE")
    assert "已收材料" in form_page.text
    permit = bureau.engine.permit_type("LAND_USE")
    body = [
        ("csrf", csrf),
        ("permit_type", "LAND_USE"),
        ("applicant", "某学校"),
        ("project", "教学楼"),
    ] + [("materials", m.code) for m in permit.required_materials]
    r = client.post(
        "/staff/intake",
        content="&".join(f"{k}={v}" for k, v in body).encode(),
        headers={"content-type": "application/x-www-form-urlencoded"},
    )
    assert r.status_code == 200 and "立案回执" in r.text and "查询密码" in r.text


def test_the_board_turns_red_after_a_sweep(
    client: TestClient,
    bureau: Bureau,
    receipt: Receipt,
    clock: Clock,  # type: ignore[type-arg]
) -> None:
    csrf = log_in(client, "zheng.wei")  # the supervision inspector
    assert 'id="red-count">0<' in client.get("/board").text
    clock.now = pendulum.datetime(2027, 3, 1, 9, tz="Asia/Shanghai")
    assert client.get("/board", follow_redirects=False).status_code == 303  # session ended
    csrf = log_in(client, "zheng.wei")
    r = client.post("/board/sweep", data={"csrf": csrf}, follow_redirects=False)
    assert r.status_code == 303
    board = client.get("/board").text
    assert 'id="red-count">1<' in board and receipt.case_number in board
    assert 'http-equiv="refresh"' in board


def test_the_board_is_for_supervisors(client: TestClient) -> None:  # type: ignore[type-arg]
    log_in(client, "wang.jianguo")
    assert client.get("/board").status_code == 403
