"""The engine end to end on memory://: the happy path, permissions, state errors."""

from __future__ import annotations

import pytest
from _support.engine import (
    CERT,
    CHECKLIST,
    DEPUTY,
    DIVISION_HEAD,
    LAND,
    LEGAL,
    REVIEWER,
    WINDOW,
    at,
    run_to_decision,
    submit,
)

from planning_core import InvalidStateError, PermissionDeniedError, ValidationError
from planning_core.cases import (
    Accept,
    CaseStatus,
    Claim,
    Complete,
    Decide,
    Deliver,
    Engine,
    IssueCertificate,
    Outcome,
    RecordMeetingDecision,
    Withdraw,
)


def test_a_case_runs_from_submission_to_delivery(engine: Engine) -> None:
    t = run_to_decision(engine)
    assert engine.load("c1").status is CaseStatus.AWAITING_DECISION
    engine.execute(Decide("c1", Outcome.APPROVED), DEPUTY, t.add(hours=1))
    events = engine.execute(IssueCertificate("c1"), CERT, t.add(hours=2))
    assert events[0].event.certificate_number == "建字第2026-0001号"  # type: ignore[union-attr]
    register = engine.store.get_record("cases.certificate", "建字第2026-0001号")
    assert register is not None and register["case_id"] == "c1" and register["status"] == "valid"
    engine.execute(Deliver("c1", "申请人代表"), WINDOW, t.add(hours=3))
    state = engine.load("c1")
    assert state.status is CaseStatus.DELIVERED
    assert state.case_number == "2026-000001"
    assert not engine.case("c1").is_open
    assert engine.verify_history("c1").ok
    assert engine.check_projection("c1")
    kinds = [type(r.event).__name__ for r in engine.history("c1")]
    assert kinds[:3] == ["CaseSubmitted", "CaseAccepted", "StepActivated"]
    assert kinds.count("ReviewFinished") == 1


def test_countersign_waits_for_every_branch(engine: Engine) -> None:
    submit(engine)
    t = at("2026-03-02 10:00")
    engine.execute(Accept("c1"), WINDOW, t)
    engine.execute(Complete("c1", "window", "FORWARD"), WINDOW, t.add(minutes=1))
    engine.execute(Complete("c1", "review", "APPROVE", "", CHECKLIST), REVIEWER, t.add(minutes=2))
    assert {w.post for w in engine.case("c1").work} == {"LAND_REVIEWER", "LEGAL_REVIEWER"}
    engine.execute(Complete("c1", "land", "APPROVE"), LAND, t.add(minutes=3))
    assert [w.post for w in engine.case("c1").work] == ["LEGAL_REVIEWER"]
    assert engine.load("c1").token_at("meeting") is None
    engine.execute(Complete("c1", "legal", "APPROVE"), LEGAL, t.add(minutes=4))
    assert [w.step_id for w in engine.case("c1").work] == ["meeting"]
    assert [r.case_id for r in engine.inbox("CONSTRUCTION_HEAD")] == ["c1"]
    assert engine.inbox("LAND_REVIEWER") == []


def _to_meeting(engine: Engine) -> None:
    submit(engine)
    t = at("2026-03-02 10:00")
    engine.execute(Accept("c1"), WINDOW, t)
    engine.execute(Complete("c1", "window", "FORWARD"), WINDOW, t.add(minutes=1))
    engine.execute(Complete("c1", "review", "APPROVE", "", CHECKLIST), REVIEWER, t.add(minutes=2))
    engine.execute(Complete("c1", "land", "APPROVE"), LAND, t.add(minutes=3))
    engine.execute(Complete("c1", "legal", "APPROVE"), LEGAL, t.add(minutes=4))


def test_meeting_needs_its_quorum(engine: Engine) -> None:
    _to_meeting(engine)
    before = engine.load("c1").seq
    with pytest.raises(ValidationError, match="quorum of 3; 2 attended"):
        engine.execute(
            RecordMeetingDecision(
                "c1", "meeting", at("2026-03-03").date(), ("李华", "王建国"), "同意"
            ),
            DIVISION_HEAD,
            at("2026-03-03 10:00"),
        )
    # the same person twice does not make a quorum either
    with pytest.raises(ValidationError, match="quorum"):
        engine.execute(
            RecordMeetingDecision(
                "c1", "meeting", at("2026-03-03").date(), ("李华", "李华", "王建国"), "同意"
            ),
            DIVISION_HEAD,
            at("2026-03-03 10:00"),
        )
    assert engine.load("c1").seq == before


def test_one_resolution_per_case_on_the_agenda(engine: Engine) -> None:
    _to_meeting(engine)
    decision = RecordMeetingDecision(
        "c1", "meeting", at("2026-03-03").date(), ("李华", "王建国", "赵磊"), "同意"
    )
    engine.execute(decision, DIVISION_HEAD, at("2026-03-03 10:00"))
    with pytest.raises(InvalidStateError, match="no work waiting"):
        engine.execute(decision, DIVISION_HEAD, at("2026-03-03 11:00"))


def test_return_sends_the_case_back_and_restarts_the_step_clock(engine: Engine) -> None:
    _to_meeting(engine)
    first_review = engine.case("c1").data["deadlines"]
    returned_at = at("2026-03-09 10:00")
    engine.execute(
        RecordMeetingDecision(
            "c1",
            "meeting",
            returned_at.date(),
            ("李华", "王建国", "赵磊"),
            "退回补充论证",
            "RETURN",
        ),
        DIVISION_HEAD,
        returned_at,
    )
    state = engine.load("c1")
    assert [t.step_id for t in state.tokens] == ["review"]
    token = state.tokens[0].token
    clock = state.clocks.step(token)
    assert clock is not None and clock.started == returned_at
    due = engine.case("c1").data["deadlines"][f"step:{token}"]
    assert due == int(
        engine.calendar.close_of(
            engine.calendar.add_working_days(returned_at.date(), 5)
        ).timestamp()
    )
    assert due not in first_review.values()


def test_the_step_needs_its_post(engine: Engine) -> None:
    submit(engine)
    engine.execute(Accept("c1"), WINDOW, at("2026-03-02 10:00"))
    engine.execute(Complete("c1", "window", "FORWARD"), WINDOW, at("2026-03-02 10:05"))
    seq = engine.load("c1").seq
    with pytest.raises(PermissionDeniedError, match="CONSTRUCTION_REVIEWER"):
        engine.execute(
            Complete("c1", "review", "APPROVE", "", CHECKLIST), LAND, at("2026-03-02 11:00")
        )
    assert engine.load("c1").seq == seq
    submit(engine, "c2")
    with pytest.raises(PermissionDeniedError, match="WINDOW_CLERK"):
        engine.execute(Accept("c2"), REVIEWER, at("2026-03-02 11:00"))
    assert engine.load("c2").seq == 1


def test_a_claimed_step_belongs_to_its_claimant(engine: Engine) -> None:
    submit(engine)
    engine.execute(Accept("c1"), WINDOW, at("2026-03-02 10:00"))
    engine.execute(Complete("c1", "window", "FORWARD"), WINDOW, at("2026-03-02 10:05"))
    other = REVIEWER.__class__("li.si", "李四", ("CONSTRUCTION_REVIEWER",))
    engine.execute(Claim("c1", "review"), REVIEWER, at("2026-03-02 11:00"))
    with pytest.raises(InvalidStateError, match=r"already claimed by wang\.jianguo"):
        engine.execute(Claim("c1", "review"), other, at("2026-03-02 11:01"))
    with pytest.raises(InvalidStateError, match=r"claimed by wang\.jianguo"):
        engine.execute(
            Complete("c1", "review", "APPROVE", "", CHECKLIST), other, at("2026-03-02 11:02")
        )


def test_every_business_standard_must_be_confirmed(engine: Engine) -> None:
    submit(engine)
    engine.execute(Accept("c1"), WINDOW, at("2026-03-02 10:00"))
    engine.execute(Complete("c1", "window", "FORWARD"), WINDOW, at("2026-03-02 10:05"))
    with pytest.raises(ValidationError) as info:
        engine.execute(
            Complete("c1", "review", "APPROVE", "", (("fits_plan", True),)),
            REVIEWER,
            at("2026-03-02 11:00"),
        )
    assert info.value.problems == ("conditions",)


def test_illegal_commands_say_what_the_state_allows(engine: Engine) -> None:
    submit(engine)
    with pytest.raises(InvalidStateError, match="only when it is approved"):
        engine.execute(IssueCertificate("c1"), CERT, at("2026-03-02 10:00"))
    engine.execute(Accept("c1"), WINDOW, at("2026-03-02 10:00"))
    with pytest.raises(InvalidStateError, match="allows FORWARD"):
        engine.execute(Complete("c1", "window", "APPROVE"), WINDOW, at("2026-03-02 10:01"))


def test_decision_needs_the_deciding_authority(engine: Engine) -> None:
    t = run_to_decision(engine)
    with pytest.raises(PermissionDeniedError, match="分管副局长"):
        engine.execute(Decide("c1", Outcome.APPROVED), DIVISION_HEAD, t.add(hours=1))
    with pytest.raises(ValidationError, match="reasons"):
        engine.execute(Decide("c1", Outcome.DENIED), DEPUTY, t.add(hours=1))
    engine.execute(Decide("c1", Outcome.DENIED, "不符合控规"), DEPUTY, t.add(hours=1))
    assert engine.load("c1").status is CaseStatus.DENIED
    assert engine.case("c1").is_open  # the denial still leaves through the window
    engine.execute(Deliver("c1"), WINDOW, t.add(hours=2))
    assert not engine.case("c1").is_open


def test_commands_come_in_time_order(engine: Engine) -> None:
    submit(engine, when="2026-03-02 09:00")
    with pytest.raises(ValidationError, match="time order"):
        engine.execute(Accept("c1"), WINDOW, at("2026-03-01 09:00"))


def test_naive_instants_are_refused(engine: Engine) -> None:
    import datetime as dt

    with pytest.raises(ValidationError, match="no time zone"):
        engine.execute(Withdraw("c1"), WINDOW, dt.datetime(2026, 3, 2, 9))
