"""Each statutory rule of DOMAIN.md, each in a test that fails when the rule is broken."""

from __future__ import annotations

import pendulum
import pytest
from _support.engine import (
    CERT,
    CHECKLIST,
    DEPUTY,
    HEAD,
    REVIEWER,
    WINDOW,
    at,
    make_engine,
    run_to_decision,
    submit,
)

from planning_core import InvalidStateError, PermissionDeniedError, ValidationError
from planning_core.cases import (
    Accept,
    Complete,
    Decide,
    Deliver,
    Engine,
    EngineSettings,
    Extend,
    IssueCertificate,
    Outcome,
    ReceiveSupplement,
    RequestSupplement,
    Resume,
    Suspend,
)
from planning_core.timing import PauseModes, PauseReason


def _deadline(engine: Engine, clock: str, case_id: str = "c1") -> pendulum.Date:
    ts = engine.case(case_id).data["deadlines"][clock]
    assert ts is not None, f"{clock} has no deadline"
    closed = pendulum.from_timestamp(ts, tz="Asia/Shanghai").subtract(seconds=1)
    return closed.date()


def _wd(engine: Engine, start: pendulum.DateTime | str, n: int) -> pendulum.Date:
    day = at(start).date() if isinstance(start, str) else start.in_timezone("Asia/Shanghai").date()
    return engine.calendar.add_working_days(day, n)


# -- art. 32: the one-time supplement notice within 5 working days -------------------------


def test_late_supplement_notice_means_accepted_from_receipt(engine: Engine) -> None:
    submit(engine, when="2026-03-02 09:00")  # Monday
    # 5 working days after 03-02 is 03-09; on 03-10 the notice is too late.
    with pytest.raises(InvalidStateError, match="counts as accepted from receipt"):
        engine.execute(RequestSupplement("c1", ("site_plan",)), WINDOW, at("2026-03-10 09:00"))
    engine.execute(Accept("c1"), WINDOW, at("2026-03-10 09:00"))
    state = engine.load("c1")
    assert state.deemed_accepted
    assert state.accepted_at == at("2026-03-02 09:00")
    assert _deadline(engine, "committed") == _wd(engine, "2026-03-02 09:00", 15)
    assert _deadline(engine, "statutory") == _wd(engine, "2026-03-02 09:00", 20)


def test_timely_notice_lets_acceptance_count_from_acceptance(engine: Engine) -> None:
    submit(engine, when="2026-03-02 09:00")
    engine.execute(
        RequestSupplement("c1", ("site_plan",), "缺总平面图"), WINDOW, at("2026-03-09 16:00")
    )
    with pytest.raises(InvalidStateError, match="one-time supplement notice"):
        engine.execute(RequestSupplement("c1", ("other",)), WINDOW, at("2026-03-09 16:30"))
    engine.execute(ReceiveSupplement("c1", ("site_plan",)), WINDOW, at("2026-03-20 09:00"))
    engine.execute(Accept("c1"), WINDOW, at("2026-03-20 10:00"))
    state = engine.load("c1")
    assert not state.deemed_accepted
    assert state.accepted_at == at("2026-03-20 10:00")
    assert _deadline(engine, "committed") == _wd(engine, "2026-03-20 10:00", 15)


def test_acceptance_on_time_is_not_deemed(engine: Engine) -> None:
    submit(engine, when="2026-03-02 09:00")
    engine.execute(Accept("c1"), WINDOW, at("2026-03-09 17:00"))
    assert not engine.load("c1").deemed_accepted


# -- art. 42: the decision clock from acceptance; one extension by the bureau head -------------


def test_decision_clocks_run_from_acceptance_over_holidays(engine: Engine) -> None:
    submit(engine, when="2026-09-28 09:00")
    engine.execute(Accept("c1"), WINDOW, at("2026-09-28 10:00"))
    # Counted by hand: 09-29, 09-30, (10-01..10-07 off), 10-08, 10-09, 10-10 (a make-up
    # Saturday), 10-12 .. 10-16, 10-19 .. 10-23: the 15th working day is 10-23.
    assert _deadline(engine, "committed") == pendulum.Date(2026, 10, 23)


def test_extension_once_by_the_bureau_head(engine: Engine) -> None:
    submit(engine)
    engine.execute(Accept("c1"), WINDOW, at("2026-03-02 10:00"))
    before = _deadline(engine, "statutory")
    with pytest.raises(PermissionDeniedError, match="bureau head"):
        engine.execute(Extend("c1", 10, "需专家论证"), DEPUTY, at("2026-03-03 10:00"))
    with pytest.raises(ValidationError, match="1 to 10"):
        engine.execute(Extend("c1", 11, "需专家论证"), HEAD, at("2026-03-03 10:00"))
    with pytest.raises(ValidationError, match="reason"):
        engine.execute(Extend("c1", 10, " "), HEAD, at("2026-03-03 10:00"))
    engine.execute(Extend("c1", 10, "项目复杂，需补充论证"), HEAD, at("2026-03-03 10:00"))
    assert _deadline(engine, "statutory") == engine.calendar.add_working_days(before, 10)
    with pytest.raises(InvalidStateError, match="extended once already"):
        engine.execute(Extend("c1", 1, "再次"), HEAD, at("2026-03-04 10:00"))
    recorded = [r for r in engine.history("c1") if type(r.event).__name__ == "CaseExtended"]
    assert recorded[0].actor == "gao.ming"
    assert recorded[0].event.reason == "项目复杂，需补充论证"  # type: ignore[union-attr]


# -- art. 44: a separate clock of 10 working days to issue the certificate -----------------------


def test_approval_starts_the_certificate_clock(engine: Engine) -> None:
    t = run_to_decision(engine)
    decided = t.add(hours=1)
    engine.execute(Decide("c1", Outcome.APPROVED), DEPUTY, decided)
    assert _deadline(engine, "certificate") == _wd(engine, decided, 10)
    assert engine.case("c1").deadline_ts == engine.case("c1").data["deadlines"]["certificate"]
    assert engine.case("c1").data["deadlines"].get("committed") is None
    engine.execute(IssueCertificate("c1"), CERT, decided.add(days=1))
    # art. 44 (颁发、送达): issuing is not enough, the clock runs until the applicant has it
    assert _deadline(engine, "certificate") == _wd(engine, decided, 10)
    engine.execute(Deliver("c1", "申请人"), WINDOW, decided.add(days=2))
    assert engine.case("c1").deadline_ts is None


def test_art44_a_certificate_issued_but_never_served_turns_red(engine: Engine) -> None:
    t = run_to_decision(engine)
    decided = t.add(hours=1)
    engine.execute(Decide("c1", Outcome.APPROVED), DEPUTY, decided)
    engine.execute(IssueCertificate("c1"), CERT, decided.add(hours=1))
    engine.sweep(decided.add(days=30))
    assert engine.load("c1").recorded_light("certificate") == "red"
    assert engine.case("c1").light == "red"


def test_denial_starts_no_certificate_clock(engine: Engine) -> None:
    t = run_to_decision(engine)
    engine.execute(Decide("c1", Outcome.DENIED, "不符合规划条件"), DEPUTY, t.add(hours=1))
    assert "certificate" not in engine.case("c1").data["deadlines"]


# -- art. 45: time not counted; meetings count ----------------------------------------------------


def test_suspension_stops_the_case_and_step_clocks(engine: Engine) -> None:
    submit(engine)
    engine.execute(Accept("c1"), WINDOW, at("2026-03-02 10:00"))
    engine.execute(Complete("c1", "window", "FORWARD"), WINDOW, at("2026-03-02 10:30"))
    committed = _deadline(engine, "committed")
    token = engine.load("c1").tokens[0].token
    step = _deadline(engine, f"step:{token}")
    engine.execute(
        Suspend("c1", "expert_review", expected_working_days=10), REVIEWER, at("2026-03-04 09:00")
    )
    assert engine.case("c1").data["deadlines"]["committed"] is None  # unknown while paused
    assert engine.case("c1").deadline_ts is None
    with pytest.raises(InvalidStateError, match="suspended"):
        engine.execute(
            Complete("c1", "review", "APPROVE", "", CHECKLIST), REVIEWER, at("2026-03-05 09:00")
        )
    engine.execute(Resume("c1"), REVIEWER, at("2026-03-11 09:00"))
    # paused from 03-04 to 03-11: working days 03-05 .. 03-11 (5) are not counted
    skipped = engine.calendar.working_days_between(
        pendulum.Date(2026, 3, 4), pendulum.Date(2026, 3, 11)
    )
    assert skipped == 5
    assert _deadline(engine, "committed") == engine.calendar.add_working_days(committed, skipped)
    assert _deadline(engine, f"step:{token}") == engine.calendar.add_working_days(step, skipped)


def test_restart_mode_gives_the_whole_limit_again() -> None:
    engine = make_engine(
        settings=EngineSettings(
            pause_modes={"TEST": PauseModes(frozenset({PauseReason.EXPERT_REVIEW}))}
        )
    )
    submit(engine)
    engine.execute(Accept("c1"), WINDOW, at("2026-03-02 10:00"))
    engine.execute(Complete("c1", "window", "FORWARD"), WINDOW, at("2026-03-02 10:30"))
    engine.execute(
        Suspend("c1", "expert_review", expected_working_days=10), REVIEWER, at("2026-03-04 09:00")
    )
    engine.execute(Resume("c1"), REVIEWER, at("2026-03-11 09:00"))
    assert _deadline(engine, "committed") == _wd(engine, "2026-03-11 09:00", 15)


def test_a_meeting_does_not_stop_the_clock(engine: Engine) -> None:
    t = run_to_decision(engine)
    assert "CaseSuspended" not in [type(r.event).__name__ for r in engine.history("c1")]
    accepted = engine.load("c1").accepted_at
    assert accepted is not None
    assert _deadline(engine, "committed") == _wd(engine, accepted, 15)
    assert isinstance(t, pendulum.DateTime)


def test_unknown_pause_reason_is_refused(engine: Engine) -> None:
    submit(engine)
    engine.execute(Accept("c1"), WINDOW, at("2026-03-02 10:00"))
    with pytest.raises(ValidationError, match="unknown pause reason 'lunch'"):
        engine.execute(Suspend("c1", "lunch"), WINDOW, at("2026-03-02 11:00"))


def test_meeting_decision_is_recorded_with_its_body() -> None:
    engine = make_engine()
    run_to_decision(engine)
    meeting = [
        r for r in engine.history("c1") if type(r.event).__name__ == "MeetingDecisionRecorded"
    ]
    assert meeting[0].event.body == "division_meeting"  # type: ignore[union-attr]
    assert meeting[0].event.attendees == ("李华", "王建国", "赵磊")  # type: ignore[union-attr]


def test_a_supplement_received_during_a_suspension_leaves_the_clocks_stopped(
    engine: Engine,
) -> None:
    """Two reasons hold the clocks (a supplement asked during review, then an expert review):
    the clocks run again only when neither holds them any more."""
    submit(engine)
    engine.execute(Accept("c1"), WINDOW, at("2026-03-02 10:00"))
    engine.execute(RequestSupplement("c1", ("site_plan",)), WINDOW, at("2026-03-03 09:00"))
    engine.execute(
        Suspend("c1", "expert_review", expected_working_days=10), WINDOW, at("2026-03-04 09:00")
    )
    engine.execute(ReceiveSupplement("c1", ("site_plan",)), WINDOW, at("2026-03-05 09:00"))
    assert engine.case("c1").data["deadlines"]["committed"] is None  # still suspended
    engine.execute(Resume("c1"), WINDOW, at("2026-03-10 09:00"))
    # stopped from 03-03 to 03-10: the working days 03-04 .. 03-10 (5) are not counted
    assert _deadline(engine, "committed") == engine.calendar.add_working_days(
        _wd(engine, "2026-03-02 10:00", 15), 5
    )
