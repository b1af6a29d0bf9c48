"""Public status: what an applicant sees, no enumeration, the lockout, the contact's record."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Any

import attrs
import pendulum
import pytest
from _support.engine import CERT, DEPUTY, DIVISION_HEAD, HEAD, WINDOW
from hypothesis import given, settings
from hypothesis import strategies as st
from window._helpers import CONTACT, FAST, at, complete_application, make_window, review_to_approval

from planning_core import PermissionDeniedError, ValidationError
from planning_core.cases import Decide, Deliver, Extend, Outcome, Resume, Suspend
from planning_core.window import (
    ATTEMPTS,
    LOCAL_CLIENT,
    Application,
    AttemptLog,
    LockoutPolicy,
    PublicStatus,
    QueryLockedError,
    QueryRefusedError,
    Receipt,
    Refusal,
    Window,
)

T0 = at("2026-03-02 09:00")


@pytest.fixture
def receipt(window: Window) -> Receipt:
    return window.intake(complete_application(), WINDOW, T0)


def test_the_right_password_shows_the_summary(window: Window, receipt: Receipt) -> None:
    status = window.public_status(receipt.case_number, receipt.password, T0.add(hours=1))
    assert status.stage == "审查中" and status.stage_code == "in_review"
    assert status.expected_pickup == receipt.expected_pickup
    assert not status.ready_for_collection and not status.paused
    assert "2026年3月23日" in status.render()


def test_the_summary_carries_only_what_an_applicant_may_see() -> None:
    assert set(attrs.fields_dict(PublicStatus)) == {
        "case_number",
        "permit_name",
        "stage",
        "stage_code",
        "expected_pickup",
        "provisional",
        "ready_for_collection",
        "paused_because",
    }


def test_typed_forms_of_the_password_work(window: Window, receipt: Receipt) -> None:
    grouped = "-".join(receipt.password[i : i + 4] for i in range(0, 10, 4)).lower()
    assert window.public_status(f" {receipt.case_number} ", grouped, T0.add(hours=1))


def _refusal(call: Callable[[], Any]) -> QueryRefusedError:
    with pytest.raises(QueryRefusedError) as info:
        call()
    return info.value


def test_unknown_number_and_wrong_password_are_indistinguishable(
    window: Window, receipt: Receipt, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[tuple[int, int, int, int, int]] = []
    real = hashlib.scrypt

    def counting(password: bytes, **kw: Any) -> bytes:
        calls.append((kw["n"], kw["r"], kw["p"], kw["dklen"], len(kw["salt"])))
        return real(password, **kw)

    window.public_status(receipt.case_number, receipt.password, T0)  # warm: the dummy hash
    monkeypatch.setattr(hashlib, "scrypt", counting)
    wrong = _refusal(lambda: window.public_status(receipt.case_number, "WRONG-PASS", T0))
    wrong_calls, calls[:] = list(calls), []
    unknown = _refusal(lambda: window.public_status("2026-999999", "WRONG-PASS", T0))
    assert type(wrong) is type(unknown)
    assert str(wrong) == str(unknown) and wrong.args == unknown.args
    assert wrong_calls == calls == [(FAST.n, FAST.r, FAST.p, 32, 16)]
    assert window.lockout.case_log(receipt.case_number).failures == (T0,)
    assert window.lockout.case_log("2026-999999").failures == (T0,)
    assert window.lockout.client_log(LOCAL_CLIENT).failures == (T0, T0)


def test_a_malformed_query_is_a_validation_error_and_is_not_counted(window: Window) -> None:
    for number in ("", "   ", "9" * 65):
        with pytest.raises(ValidationError):
            window.public_status(number, "ABCDEFGH", T0)
    with pytest.raises(ValidationError):
        window.public_status("2026-000001", None, T0)  # type: ignore[arg-type]
    assert window.engine.store.list_records(ATTEMPTS) == []


def test_the_sixth_attempt_is_refused_even_with_the_right_password(
    window: Window, receipt: Receipt
) -> None:
    number = receipt.case_number
    for minute in range(0, 10, 2):  # five wrong attempts: 09:00, 09:02 … 09:08
        _refusal(lambda m=minute: window.public_status(number, "WRONGPASS", T0.add(minutes=m)))
    with pytest.raises(QueryLockedError) as info:
        window.public_status(number, receipt.password, T0.add(minutes=9))
    assert info.value.until == T0.add(minutes=8 + 15).isoformat()
    with pytest.raises(QueryLockedError):
        window.public_status(number, receipt.password, T0.add(minutes=22, seconds=59))
    # one record for the lock, not one per refused attempt
    assert window.lockout.refusals(number) == [
        Refusal(LOCAL_CLIENT, T0.add(minutes=8), T0.add(minutes=23), (number,) * 5)
    ]
    status = window.public_status(number, receipt.password, T0.add(minutes=23))
    assert status.case_number == number


def test_unknown_numbers_lock_the_same_way(window: Window) -> None:
    for minute in range(5):
        _refusal(lambda m=minute: window.public_status("2026-424242", "X" * 8, T0.add(minutes=m)))
    with pytest.raises(QueryLockedError):
        window.public_status("2026-424242", "X" * 8, T0.add(minutes=5))


def test_failures_spread_over_more_than_15_minutes_do_not_lock(
    window: Window, receipt: Receipt
) -> None:
    for minute in (0, 4, 8, 12, 16):
        _refusal(
            lambda m=minute: window.public_status(
                receipt.case_number, "WRONGPASS", T0.add(minutes=m)
            )
        )
    assert window.public_status(receipt.case_number, receipt.password, T0.add(minutes=17))


def test_a_right_answer_does_not_wipe_earlier_failures(window: Window, receipt: Receipt) -> None:
    number = receipt.case_number
    for minute in range(4):
        _refusal(lambda m=minute: window.public_status(number, "WRONGPASS", T0.add(minutes=m)))
    window.public_status(number, receipt.password, T0.add(minutes=4))
    _refusal(lambda: window.public_status(number, "WRONGPASS", T0.add(minutes=5)))
    with pytest.raises(QueryLockedError):
        window.public_status(number, receipt.password, T0.add(minutes=6))


# -- the lockout against a model written from the rule's words ----------------------------------

WINDOW_SPAN = pendulum.duration(minutes=15)
DAY = pendulum.duration(hours=24)


def _case_wait(failures: int) -> pendulum.Duration:
    """Nothing below 5 failures on the number; then 60 s, doubling, at most 15 minutes."""
    if failures < 5:
        return pendulum.duration()
    return pendulum.duration(seconds=min(60 * 2 ** (failures - 5), 15 * 60))


def _model(attempts: list[tuple[pendulum.DateTime, bool]]) -> list[str]:
    return _run_model(attempts)[0]


def _locks(attempts: list[tuple[pendulum.DateTime, bool]]) -> list[pendulum.DateTime]:
    return _run_model(attempts)[1]


def _run_model(
    attempts: list[tuple[pendulum.DateTime, bool]],
) -> tuple[list[str], list[pendulum.DateTime]]:
    """One client on one number. 5 wrong within 15 minutes stop the client for 15 minutes
    from the fifth; a lock's end starts afresh. A number with 5 or more wrong attempts in
    24 hours makes the client wait ``_case_wait`` after its own last wrong try on it."""
    failures: list[pendulum.DateTime] = []
    on_number: list[pendulum.DateTime] = []
    locked_until: pendulum.DateTime | None = None
    outcomes, locks = [], []
    for t, right in attempts:
        if locked_until is not None and t < locked_until:
            outcomes.append("locked")
            continue
        if locked_until is not None:
            failures, locked_until = [], None
        counted = [f for f in on_number if t - DAY < f <= t]
        if on_number and t < on_number[-1] + _case_wait(len(counted)):
            outcomes.append("locked")
            continue
        if right:
            outcomes.append("ok")
            continue
        failures = [f for f in failures if f > t - WINDOW_SPAN] + [t]
        on_number.append(t)
        outcomes.append("wrong")
        if len(failures) >= 5:
            locked_until = t + WINDOW_SPAN
            locks.append(t)
    return outcomes, locks


attempt_lists = st.lists(
    st.tuples(st.integers(min_value=0, max_value=400), st.booleans()), min_size=1, max_size=25
)


def _instants(steps: list[tuple[int, bool]]) -> list[tuple[pendulum.DateTime, bool]]:
    t, out = T0, []
    for gap, right in steps:
        t = t.add(seconds=gap)
        out.append((t, right))
    return out


@given(attempt_lists)
@settings(max_examples=60, deadline=None)
def test_the_lockout_follows_the_rule(steps: list[tuple[int, bool]]) -> None:
    window = make_window()
    receipt = window.intake(complete_application(), WINDOW, T0)
    attempts = _instants(steps)
    outcomes = []
    for t, right in attempts:
        password = receipt.password if right else "WRONGPASS"
        try:
            window.public_status(receipt.case_number, password, t)
            outcomes.append("ok")
        except QueryRefusedError:
            outcomes.append("wrong")
        except QueryLockedError:
            outcomes.append("locked")
    assert outcomes == _model(attempts)
    wrong_at = [t for (t, _), o in zip(attempts, outcomes, strict=True) if o == "wrong"]
    assert all(sum(1 for w in wrong_at if t - WINDOW_SPAN < w <= t) <= 5 for t in wrong_at)
    assert all(o != "ok" or right for (_, right), o in zip(attempts, outcomes, strict=True))
    # one record per lock, none per refused attempt
    locks = [r.at for r in window.lockout.refusals(receipt.case_number)]
    assert locks == _locks(attempts)


@given(attempt_lists)
def test_a_reservation_that_is_forgiven_leaves_the_log_as_the_rule_has_it(
    steps: list[tuple[int, bool]],
) -> None:
    policy = LockoutPolicy()
    log = AttemptLog()
    for t, right in _instants(steps):
        if log.locked(t):
            continue
        reserved = log.failed(t, policy)
        log = reserved.forgiven(t, policy) if right else reserved
        if right:
            assert not log.locked(t)
            remaining = list(reserved.failures)
            remaining.remove(t)
            assert sorted(log.failures) == sorted(remaining)
        assert len(log.failures) <= policy.max_failures


# -- what the summary says as the case moves on --------------------------------------------------


def test_a_suspension_pauses_and_says_why(window: Window, receipt: Receipt) -> None:
    window.engine.execute(
        Suspend(receipt.case_id, "expert_review", expected_working_days=10),
        DIVISION_HEAD,
        T0.add(days=1),
    )
    paused = window.public_status(receipt.case_number, receipt.password, T0.add(days=2))
    assert paused.paused and "专家评审" in (paused.paused_because or "")
    assert paused.expected_pickup is None
    assert "暂停原因" in paused.render()
    window.engine.execute(Resume(receipt.case_id), DIVISION_HEAD, T0.add(days=8))
    resumed = window.public_status(receipt.case_number, receipt.password, T0.add(days=9))
    assert not resumed.paused
    assert receipt.expected_pickup is not None and resumed.expected_pickup is not None
    assert resumed.expected_pickup > receipt.expected_pickup


def test_an_extension_moves_the_pickup_date_by_its_working_days(
    window: Window, receipt: Receipt
) -> None:
    window.engine.execute(Extend(receipt.case_id, 5, "需征求相关部门意见"), HEAD, T0.add(days=1))
    status = window.public_status(receipt.case_number, receipt.password, T0.add(days=1))
    assert receipt.expected_pickup is not None
    assert status.expected_pickup == window.engine.calendar.add_working_days(
        receipt.expected_pickup, 5
    )


def test_ready_for_collection_after_the_certificate_then_closed(
    window: Window, receipt: Receipt
) -> None:
    t = review_to_approval(window, receipt.case_id, T0)
    approved = window.public_status(receipt.case_number, receipt.password, t)
    assert approved.stage == "准予许可，制证中" and not approved.ready_for_collection
    assert approved.expected_pickup == window.engine.calendar.add_working_days(t.date(), 10)
    window.issue_certificate(receipt.case_number, CERT, t.add(hours=1))
    ready = window.public_status(receipt.case_number, receipt.password, t.add(hours=2))
    assert ready.ready_for_collection and ready.expected_pickup is None
    assert "可领取" in ready.render()
    window.engine.execute(Deliver(receipt.case_id, "申请人"), WINDOW, t.add(hours=3))
    done = window.public_status(receipt.case_number, receipt.password, t.add(hours=4))
    assert done.stage_code == "delivered" and not done.ready_for_collection


def test_a_denial_letter_is_ready_for_collection(window: Window, receipt: Receipt) -> None:
    t = review_to_approval(window, receipt.case_id, T0, decide=False)
    window.engine.execute(Decide(receipt.case_id, Outcome.DENIED, "不符合规划条件"), DEPUTY, t)
    status = window.public_status(receipt.case_number, receipt.password, t)
    assert status.ready_for_collection and status.stage == "不予许可，可取决定书"


# -- the registered contact's record -------------------------------------------------------------


def test_the_contact_sees_every_notice_with_its_date(window: Window) -> None:
    application = Application("TEST", "某公司", "某项目", ("application",), CONTACT)
    receipt = window.intake(application, WINDOW, T0)
    window.supplement(receipt.case_number, ["site_plan"], WINDOW, T0.add(days=2))
    window.engine.execute(Extend(receipt.case_id, 5, "需征求相关部门意见"), HEAD, T0.add(days=3))
    t = review_to_approval(window, receipt.case_id, T0.add(days=3))
    window.issue_certificate(receipt.case_number, CERT, t.add(hours=1))
    view = window.contact_view(receipt.case_number, CONTACT, t.add(hours=2))
    kinds = [n.kind for n in view.notices]
    assert kinds == [
        "received",
        "supplement_requested",
        "supplement_received",
        "accepted",
        "extended",
        "decided",
        "certificate_issued",
    ]
    by_kind = {n.kind: n for n in view.notices}
    assert by_kind["supplement_requested"].at == T0
    assert "总平面图" in by_kind["supplement_requested"].detail
    assert by_kind["extended"].at == T0.add(days=3)
    assert "需征求相关部门意见" in by_kind["extended"].detail
    assert "建字第2026-0001号" in by_kind["certificate_issued"].detail
    text = view.render()
    assert "办理记录" in text and "同意上报" not in text  # the meeting's resolution is internal
    assert view.status.ready_for_collection


def test_only_the_registered_contact_sees_the_record(window: Window, receipt: Receipt) -> None:
    later = T0.add(hours=1)
    with pytest.raises(PermissionDeniedError):
        window.contact_view(receipt.case_number, "13900000000", later)
    with pytest.raises(PermissionDeniedError):
        window.contact_view("2026-999999", CONTACT, later)
    anonymous = window.intake(complete_application(contact=None), WINDOW, T0)
    with pytest.raises(PermissionDeniedError):
        window.contact_view(anonymous.case_number, "", later)
