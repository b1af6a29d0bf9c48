"""The outbox: notifications written with their events, delivered at least once, in order,
a failing receiver blocking nothing; the applicant told of every step of the case."""

from __future__ import annotations

from collections.abc import Callable

import pendulum
import pytest
from _support.engine import (
    CERT,
    DEPUTY,
    HEAD,
    WINDOW,
    at,
    make_engine,
    run_to_decision,
)
from click.testing import CliRunner

from planning_core import hookimpl
from planning_core.cases import (
    OUTBOX,
    OUTBOX_SENT,
    Accept,
    ApplicantNotice,
    Decide,
    Engine,
    Extend,
    IssueCertificate,
    LightWarning,
    Outcome,
    ReceiveSupplement,
    RequestSupplement,
    RetryPolicy,
    Submit,
)
from planning_core.cli import cli
from planning_core.errors import InvalidStateError, NotFoundError
from planning_core.plugins import Hooks, make_hooks

CONTACT = "13800000000"


class _Staff:
    """A staff channel that fails on the messages ``fail`` picks, as often as it says."""

    def __init__(self, fail: Callable[[LightWarning], bool] = lambda w: False) -> None:
        self.received: list[LightWarning] = []
        self.fail = fail

    @hookimpl
    def planning_core_notify(self, warning: LightWarning) -> None:
        if self.fail(warning):
            raise ConnectionError(f"SMS gateway down for {warning.case_number}")
        self.received.append(warning)


class _Applicant:
    def __init__(self) -> None:
        self.received: list[ApplicantNotice] = []

    @hookimpl
    def planning_core_notify_applicant(self, notice: ApplicantNotice) -> None:
        self.received.append(notice)


def _engine(*plugins: object) -> Engine:
    hooks: Hooks = make_hooks(entry_points=False)
    for i, plugin in enumerate(plugins):
        hooks.register(plugin, name=f"receiver-{i}")
    return make_engine(hooks=hooks)


def _submit(engine: Engine, case_id: str, when: str) -> None:
    engine.execute(
        Submit(case_id, "TEST", "唐山市某置业有限公司", "某小区住宅楼", ("application",), CONTACT),
        WINDOW,
        at(when),
    )


def _committed_due(engine: Engine, case_id: str) -> pendulum.DateTime:
    ts = engine.case(case_id).data["deadlines"]["committed"]
    return pendulum.from_timestamp(ts, tz="Asia/Shanghai")


def test_a_failing_receiver_blocks_nothing_and_gets_its_message_on_the_next_run() -> None:
    failures = {"c1": 1}  # the gateway fails once on c1's messages

    def fail(w: LightWarning) -> bool:
        if failures.get(w.case_id, 0) > 0:
            failures[w.case_id] -= 1
            return True
        return False

    staff = _Staff(fail)
    engine = _engine(staff)
    for case_id in ("c1", "c2", "c3"):
        _submit(engine, case_id, "2026-03-02 09:00")
        engine.execute(Accept(case_id), WINDOW, at("2026-03-02 10:00"))
    late = _committed_due(engine, "c1").add(minutes=1)
    warnings = engine.sweep(late)
    assert {w.case_id for w in warnings} == {"c1", "c2", "c3"}
    # every other warning went out; c1's first one waits, with its error and next attempt
    waiting = engine.notifications()
    assert len(waiting) == 1 and waiting[0].case_id == "c1"
    assert waiting[0].attempts == 1 and "SMS gateway down" in (waiting[0].last_error or "")
    assert len(staff.received) == len(warnings) - 1
    assert not engine.deliver_notifications(late).delivered  # not due again yet (backoff)
    report = engine.deliver_notifications(late.add(hours=1))
    assert report.delivered == (waiting[0].key,) and report.waiting == 0
    # each warning delivered exactly once here, under the key it was recorded with
    assert sorted(w.key for w in staff.received) == sorted(w.key for w in warnings)
    assert len(engine.store.list_records(OUTBOX_SENT)) == len(warnings)


def test_the_same_key_comes_on_every_attempt_and_a_message_parks_after_max_attempts() -> None:
    staff = _Staff(lambda w: True)
    engine = _engine(staff)
    engine.retry_policy = RetryPolicy(first_delay=60, factor=2, max_delay=600, max_attempts=3)
    _submit(engine, "c1", "2026-03-02 09:00")
    engine.execute(Accept("c1"), WINDOW, at("2026-03-02 10:00"))
    late = _committed_due(engine, "c1").add(minutes=1)
    engine.sweep(late)
    keys = {m.key for m in engine.notifications()}
    t = late
    for _ in range(5):
        t = t.add(hours=1)
        engine.deliver_notifications(t)
    parked = engine.notifications()
    assert {m.key for m in parked} == keys and all(m.parked for m in parked)
    assert all(m.attempts == 3 for m in parked)
    # a retry by hand makes them due again; the gateway is back
    staff.fail = lambda w: False
    assert engine.retry_notifications(t, keys) == len(keys)
    assert set(engine.deliver_notifications(t).delivered) == keys
    assert {w.key for w in staff.received} == keys
    with pytest.raises(NotFoundError, match="no notification 'nope'"):
        engine.retry_notifications(t, ["nope"])


def test_the_applicant_is_told_every_step_at_the_receipt_contact() -> None:
    applicant = _Applicant()
    engine = _engine(applicant)
    _submit(engine, "c1", "2026-03-02 09:00")
    engine.execute(
        RequestSupplement("c1", ("site_plan",), "总平面图缺少坐标"), WINDOW, at("2026-03-02 09:30")
    )
    engine.execute(ReceiveSupplement("c1", ("site_plan",)), WINDOW, at("2026-03-03 09:00"))
    engine.execute(Accept("c1"), WINDOW, at("2026-03-03 09:30"))
    engine.execute(Extend("c1", 10, "需专家论证"), HEAD, at("2026-03-04 10:00"))
    assert applicant.received == []  # nothing is sent before delivery runs
    engine.deliver_notifications(at("2026-03-04 11:00"))
    kinds = [n.kind for n in applicant.received]
    assert kinds == [
        "received",
        "supplement_requested",
        "supplement_received",
        "accepted",
        "extended",
    ]
    first = applicant.received[0]
    assert first.contact == CONTACT and first.case_number == "2026-000001"
    assert first.text.startswith("【收件】案件2026-000001：")
    assert "总平面图缺少坐标" in applicant.received[1].detail
    assert len({n.key for n in applicant.received}) == len(kinds)


def test_decision_certificate_and_deemed_acceptance_are_told() -> None:
    applicant = _Applicant()
    engine = _engine(applicant)
    t = run_to_decision(engine)
    engine.execute(Decide("c1", Outcome.APPROVED, "符合规划"), DEPUTY, t.add(hours=1))
    engine.execute(IssueCertificate("c1"), CERT, t.add(hours=2))
    # a second case the window never answers: accepted by law after five working days
    _submit(engine, "c2", "2026-03-02 09:00")
    engine.sweep(at("2026-03-20 09:00"))
    by_case = {(n.case_id, n.kind) for n in applicant.received}
    assert {("c1", "decided"), ("c1", "certificate_issued"), ("c2", "deemed_accepted")} <= by_case
    ready = next(n for n in applicant.received if n.kind == "certificate_issued")
    assert ready.title == "证件已制发，可取件" and "建字第2026-0001号" in ready.detail
    assert ready.contact is None  # run_to_decision's applicant gave no contact


def test_a_refused_command_writes_no_notification() -> None:
    applicant = _Applicant()
    engine = _engine(applicant)
    _submit(engine, "c1", "2026-03-02 09:00")
    before = engine.store.list_records(OUTBOX)
    with pytest.raises(InvalidStateError):
        engine.execute(Decide("c1", Outcome.APPROVED), DEPUTY, at("2026-03-02 10:00"))
    assert engine.store.list_records(OUTBOX) == before


def test_every_told_event_has_exactly_one_message() -> None:
    """The outbox holds one applicant message per event with a notice, keyed by its
    number: written in the event's own transaction, never twice, never without it."""
    applicant = _Applicant()
    engine = _engine(applicant)
    t = run_to_decision(engine)
    engine.execute(Decide("c1", Outcome.APPROVED), DEPUTY, t.add(hours=1))
    engine.execute(IssueCertificate("c1"), CERT, t.add(hours=2))
    from planning_core.cases._catalogue import kind_of

    permit = engine.permit_type("TEST")
    told = {
        f"c1/{r.seq:08d}/applicant"
        for r in engine.history("c1")
        if (describe := kind_of(r.event).notice) is not None and describe(permit, r.event)
    }
    assert {m.key for m in engine.notifications()} == told


def test_without_a_receiver_no_message_is_written() -> None:
    engine = make_engine()
    t = run_to_decision(engine)
    engine.sweep(t.add(days=60))
    assert engine.notifications() == []


def test_outbox_cli_lists_and_retries(tmp_path: object) -> None:
    from pathlib import Path

    assert isinstance(tmp_path, Path)
    url = f"sqlite:///{tmp_path / 'o.db'}"
    applicant = _Applicant()
    hooks: Hooks = make_hooks(entry_points=False)
    hooks.register(applicant, name="sms")
    engine = make_engine(url, hooks=hooks)
    _submit(engine, "c1", "2026-03-02 09:00")
    engine.store.close()
    listed = CliRunner().invoke(cli, ["outbox", "list", "--store", url])
    assert listed.exit_code == 0, listed.output
    assert "c1/00000001/applicant" in listed.output and "2026-000001" in listed.output
    # the command line has no receiver installed: retrying delivers nothing, loses nothing
    retried = CliRunner().invoke(
        cli, ["outbox", "retry", "--all", "--store", url, "--at", "2026-03-02T10:00:00+08:00"]
    )
    assert retried.exit_code == 0, retried.output
    assert "1 notification(s) due again" in retried.output
    assert (
        "c1/00000001/applicant"
        in CliRunner().invoke(cli, ["outbox", "list", "--store", url]).output
    )
