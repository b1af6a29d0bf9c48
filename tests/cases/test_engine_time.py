"""Sweeps, lights, calendar revisions, migrations, tampering and upcasting."""

from __future__ import annotations

import pendulum
import pytest
from _support.engine import (
    CHECKLIST,
    HEAD,
    LAND,
    LEGAL,
    REVIEWER,
    WINDOW,
    at,
    make_engine,
    sample_permit,
    sample_workflow,
    submit,
)

from planning_core import InvalidStateError, hookimpl
from planning_core.cases import (
    UPCASTERS,
    Accept,
    Complete,
    Engine,
    Extend,
    LightWarning,
)
from planning_core.cases import _events as events_module
from planning_core.plugins import make_hooks
from planning_core.timing import ThreeLevelPolicy, calendar_for, parse_schedule


def _accepted(engine: Engine, when: str = "2026-03-02 10:00") -> None:
    submit(engine, when=when)
    engine.execute(Accept("c1"), WINDOW, at(when))


def _lights(engine: Engine) -> list[tuple[str, str, str]]:
    return [
        (r.event.clock, r.event.old, r.event.new)  # type: ignore[union-attr]
        for r in engine.history("c1")
        if type(r.event).__name__ == "LightChanged"
    ]


def test_sweep_records_each_crossing_once(engine: Engine) -> None:
    _accepted(engine)
    committed = engine.case("c1").data["deadlines"]["committed"]
    due = pendulum.from_timestamp(committed, tz="Asia/Shanghai")
    assert engine.sweep(due.subtract(days=30)) == []
    yellow = engine.sweep(due.subtract(hours=1))
    assert ("committed", "green", "yellow") in [(w.clock, w.old, w.new) for w in yellow]
    assert engine.sweep(due.subtract(hours=1)) == []  # twice: nothing more
    red = engine.sweep(due.add(minutes=1))
    assert ("committed", "yellow", "red") in [(w.clock, w.old, w.new) for w in red]
    assert engine.sweep(due.add(hours=5)) == []
    assert [c for c in _lights(engine) if c[0] == "committed"] == [
        ("committed", "green", "yellow"),
        ("committed", "yellow", "red"),
    ]
    assert engine.case("c1").light == "red"
    assert [r.case_id for r in engine.overdue(due.add(minutes=1))] == ["c1"]
    assert engine.check_projection("c1")


def test_a_late_step_reds_the_case_file_while_the_case_clocks_stay_green(
    engine: Engine,
) -> None:
    _accepted(engine)
    # The window step has 1 working day; the case has 15.
    late = at("2026-03-04 09:00")
    warnings = engine.sweep(late)
    window = [w for w in warnings if w.step_id == "window"]
    assert window and window[-1].new == "red" and window[-1].post == "WINDOW_CLERK"
    state = engine.load("c1")
    assert state.recorded_light("committed") == "green"  # the case's own clocks are on time
    assert engine.case("c1").light == "red"  # but the file shows the late step (案卷有红灯)


def test_the_sweep_only_visits_cases_whose_light_can_change(engine: Engine) -> None:
    _accepted(engine)
    row = engine.case("c1")
    assert row.wake_ts is not None
    wake = pendulum.from_timestamp(row.wake_ts, tz="Asia/Shanghai")
    assert engine.store.waking(row.wake_ts - 1) == []
    assert engine.sweep(wake.subtract(seconds=1)) == []
    assert engine.sweep(wake.add(seconds=1)) != []


def test_an_extension_in_the_last_days_turns_yellow_back_and_the_sweep_records_it(
    engine: Engine,
) -> None:
    _accepted(engine)
    due = pendulum.from_timestamp(
        engine.case("c1").data["deadlines"]["committed"], tz="Asia/Shanghai"
    )
    last_morning = due.subtract(hours=15)  # 09:00 on the last day
    engine.sweep(last_morning)
    assert engine.load("c1").recorded_light("committed") == "yellow"
    engine.execute(Extend("c1", 10, "复杂项目"), HEAD, last_morning.add(minutes=1))
    engine.sweep(last_morning.add(minutes=2))
    assert ("committed", "yellow", "green") in _lights(engine)
    assert engine.load("c1").recorded_light("committed") == "green"


def test_notify_hook_receives_each_warning_once() -> None:
    received: list[LightWarning] = []

    class Sms:
        @hookimpl
        def planning_core_notify(self, warning: LightWarning) -> None:
            received.append(warning)

    hooks = make_hooks(entry_points=False)
    hooks.register(Sms(), name="sms-gateway")
    engine = make_engine(hooks=hooks)
    _accepted(engine)
    engine.sweep(at("2026-04-30 09:00"))
    engine.sweep(at("2026-04-30 10:00"))
    assert received
    assert len(received) == len({(w.clock, w.new) for w in received})
    assert all(w.case_number == "2026-000001" for w in received)


def test_the_light_policy_hook_chooses_the_three_level_model() -> None:
    class Cards:
        @hookimpl
        def planning_core_light_policy(self, region: str, permit_type: str | None) -> object:
            return ThreeLevelPolicy(remind_within=2, follow_up_days=3)

    hooks = make_hooks(entry_points=False)
    hooks.register(Cards(), name="cards")
    engine = make_engine(hooks=hooks)
    _accepted(engine)
    due = pendulum.from_timestamp(
        engine.case("c1").data["deadlines"]["committed"], tz="Asia/Shanghai"
    )
    engine.sweep(due.subtract(hours=1))
    assert ("committed", "green", "reminder") in _lights(engine)
    engine.sweep(due.add(minutes=1))
    assert ("committed", "reminder", "yellow") in _lights(engine)
    engine.sweep(due.add(days=10))
    assert ("committed", "yellow", "red") in _lights(engine)


def test_a_new_official_schedule_redates_open_cases_and_nothing_else() -> None:
    engine = make_engine()
    submit(engine, "late", "2026-12-21 09:00")
    engine.execute(Accept("late"), WINDOW, at("2026-12-21 10:00"))
    submit(engine, "early", "2026-03-02 09:00")
    engine.execute(Accept("early"), WINDOW, at("2026-03-02 10:00"))
    old = engine.case("late").data["deadlines"]["committed"]
    early_before = engine.case("early")
    # A made-up 2027 schedule: 4–8 January off, so the January deadline moves.
    schedule = parse_schedule(
        'region = "CN"\nyear = 2027\nsource = "测试用通知"\n'
        '[[days_off]]\nfrom = 2027-01-01\nto = 2027-01-08\nname = "元旦（测试）"\n'
    )
    new_calendar = calendar_for("CN", schedules=[schedule])
    moved = engine.revise_deadlines(at("2027-01-01 08:00"), calendar=new_calendar)
    assert moved == 1
    revised = [
        r.event for r in engine.history("late") if type(r.event).__name__ == "DeadlineRevised"
    ]
    committed = [e for e in revised if e.clock == "committed"]  # type: ignore[union-attr]
    assert committed and committed[0].old.timestamp() == old  # type: ignore[union-attr]
    assert committed[0].new > committed[0].old  # type: ignore[union-attr]
    assert engine.case("late").data["deadlines"]["committed"] == committed[0].new.timestamp()  # type: ignore[union-attr]
    assert engine.case("early") == early_before
    assert engine.revise_deadlines(at("2027-01-01 09:00"), calendar=new_calendar) == 0


def test_migration_is_explicit_and_keeps_the_clocks() -> None:
    engine = make_engine()
    _accepted(engine)
    engine.execute(Complete("c1", "window", "FORWARD"), WINDOW, at("2026-03-02 11:00"))
    v2 = sample_workflow(version=2)
    renamed = type(v2)(
        "TEST",
        2,
        tuple(
            s if s.id != "review" else type(s)(**{**_fields(s), "id": "review2"}) for s in v2.steps
        ),
        tuple(
            type(e)(
                **{
                    **_fields(e),
                    "source": "review2" if e.source == "review" else e.source,
                    "target": "review2" if e.target == "review" else e.target,
                }
            )
            for e in v2.edges
        ),
    )
    engine.add_workflow(renamed)
    plan = engine.plan_migration("c1", 2)
    assert plan.unmapped == ("review",) and "review2" in plan.added_steps
    before = engine.case("c1").data["deadlines"]
    with pytest.raises(InvalidStateError, match="review"):
        engine.migrate("c1", 2, HEAD, at("2026-03-03 09:00"))
    done = engine.migrate("c1", 2, HEAD, at("2026-03-03 09:00"), {"review": "review2"})
    assert done.step_map == (("review", "review2"),)
    state = engine.load("c1")
    assert state.workflow_version == 2 and [t.step_id for t in state.tokens] == ["review2"]
    assert engine.case("c1").data["deadlines"] == before
    engine.execute(
        Complete("c1", "review2", "APPROVE", "", CHECKLIST), REVIEWER, at("2026-03-03 10:00")
    )
    assert {t.step_id for t in engine.load("c1").tokens} == {"land", "legal"}


def _fields(value: object) -> dict[str, object]:
    import attrs

    return {a.name: getattr(value, a.name) for a in attrs.fields(type(value)) if a.init}


def test_n_of_m_join_cancels_the_other_branch() -> None:
    engine = make_engine(permit=sample_permit(sample_workflow(join_n=1)))
    _accepted(engine)
    engine.execute(Complete("c1", "window", "FORWARD"), WINDOW, at("2026-03-02 11:00"))
    engine.execute(
        Complete("c1", "review", "APPROVE", "", CHECKLIST), REVIEWER, at("2026-03-02 12:00")
    )
    engine.execute(Complete("c1", "land", "APPROVE"), LAND, at("2026-03-02 13:00"))
    state = engine.load("c1")
    assert [t.step_id for t in state.tokens] == ["meeting"]
    kinds = [type(r.event).__name__ for r in engine.history("c1")]
    assert "TokenCancelled" in kinds
    with pytest.raises(InvalidStateError):
        engine.execute(Complete("c1", "legal", "APPROVE"), LEGAL, at("2026-03-02 14:00"))
    assert [w.post for w in engine.case("c1").work] == ["CONSTRUCTION_HEAD"]


def test_a_tampered_event_is_found() -> None:
    engine = make_engine()
    _accepted(engine)
    store = engine.store
    assert engine.verify_history("c1").ok
    raw = store._state.events["c1"]  # type: ignore[attr-defined]
    raw[1] = raw[1].replace("10:00:00", "10:05:00")
    report = engine.verify_history("c1")
    assert not report.ok
    assert report.problems[0].startswith("event 2:")


def test_old_events_are_read_through_upcasters(monkeypatch: pytest.MonkeyPatch) -> None:
    engine = make_engine()
    _accepted(engine)
    doc = engine.store.load_events("c1")[0].data
    old = {**doc, "schema": 1, "data": {**doc["data"]}}
    old["data"]["applicant_name"] = old["data"].pop("applicant")
    monkeypatch.setattr(events_module, "EVENT_SCHEMA_VERSION", 2)

    def rename(data: dict[str, object]) -> dict[str, object]:
        data = dict(data)
        data["applicant"] = data.pop("applicant_name")
        return data

    monkeypatch.setitem(UPCASTERS, ("CaseSubmitted", 1), rename)
    from planning_core.cases._codec import decode

    recorded = decode(engine.converter, old)
    assert recorded.event.applicant == "唐山市某置业有限公司"  # type: ignore[union-attr]
    assert old["data"]["applicant_name"] == "唐山市某置业有限公司"  # the stored doc is untouched
